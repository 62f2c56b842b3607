import { App, Chart, Duration, Testing } from 'cdk8s';
import { KubeObject, RevisionWatcher, SchemaValidator, StandardBuildStrategies } from '../../src';
import { WatcherConfig } from '../../src/watcher/agent/config';
import { KubeClient } from '../../src/watcher/agent/kube';
import { Metrics } from '../../src/watcher/agent/metrics';
import { Reconciler } from '../../src/watcher/agent/reconcile';
import { KubeDouble, PolicyRule } from './servers/kube-double';

const PLURALS: Record<string, string> = {
  Build: 'builds', BuildRun: 'buildruns', Service: 'services', Deployment: 'deployments', ScaledJob: 'scaledjobs',
  HTTPRoute: 'httproutes', Secret: 'secrets', Event: 'events',
};

/** The API path of an object, as the double stores it. */
export function pathOf(o: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): string {
  const root = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  return `${root}/namespaces/${o.metadata.namespace}/${PLURALS[o.kind]}/${o.metadata.name}`;
}

/** Paths of the objects the agent manages in namespace demo. */
export const P = {
  build: (name: string) => `/apis/shipwright.io/v1beta1/namespaces/demo/builds/${name}`,
  buildRuns: '/apis/shipwright.io/v1beta1/namespaces/demo/buildruns',
  ksvc: (name: string) => `/apis/serving.knative.dev/v1/namespaces/demo/services/${name}`,
  deployment: (name: string) => `/apis/apps/v1/namespaces/demo/deployments/${name}`,
  scaledJob: (name: string) => `/apis/keda.sh/v1alpha1/namespaces/demo/scaledjobs/${name}`,
  route: (name: string) => `/apis/gateway.networking.k8s.io/v1/namespaces/demo/httproutes/${name}`,
  events: '/api/v1/namespaces/demo/events',
};

/**
 * A synthesized app applied to the API double: the functions `define` adds to a `demo` chart,
 * watched by a RevisionWatcher whose Roles the double enforces, and the agent config the
 * watcher wrote, pointed at the double.
 */
export class World {
  public readonly kube = new KubeDouble();
  public config!: WatcherConfig;
  public objects: KubeObject[] = [];
  public logs: string[] = [];
  public metrics = new Metrics();
  private url = '';

  public async start(define: (chart: Chart, app: App) => void, watcherProps: ConstructorParameters<typeof RevisionWatcher>[2] = {}): Promise<void> {
    const app = Testing.app();
    const platform = new Chart(app, 'platform', { namespace: 'openfunction' });
    new StandardBuildStrategies(platform, 'strategies');
    new RevisionWatcher(platform, 'watcher', { requestTimeout: Duration.seconds(1), ...watcherProps });
    const chart = new Chart(app, 'functions', { namespace: 'demo' });
    define(chart, app);
    expect(SchemaValidator.default.validateApp(app).map(String)).toEqual([]);
    this.objects = [...Testing.synth(platform), ...Testing.synth(chart)] as KubeObject[];
    this.url = await this.kube.start();
    const roles: Record<string, PolicyRule[]> = {};
    for (const o of this.objects) {
      if (PLURALS[o.kind!] && o.kind !== 'Secret') this.kube.put(pathOf(o as any), o);
      if (o.kind === 'Role') roles[(o as any).metadata.namespace] = (o as any).rules;
    }
    this.kube.enforce(roles);
    const cm = this.objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === 'revision-watcher-config') as any;
    this.config = { ...JSON.parse(cm.data['config.json']), apiServer: this.url, requestTimeoutSeconds: 1 };
  }

  public async stop(): Promise<void> {
    await this.kube.stop();
  }

  /** A fresh agent (as after a restart: it remembers nothing but what the API holds). */
  public reconciler(): Reconciler {
    return new Reconciler(this.config, new KubeClient({ server: this.url, timeoutMs: 2000 }), this.metrics, (level, fn, msg) => this.logs.push(`${level} ${fn?.name ?? '-'} ${msg}`));
  }

  /** The config of function `name`. */
  public fn(name: string): WatcherConfig['functions'][number] {
    const f = this.config.functions.find((x) => x.name === name);
    if (!f) throw new Error(`function ${name} is not watched`);
    return f;
  }

  /** Adds a Secret straight to the store (secrets are referenced, never synthesized). */
  public secret(name: string, data: Record<string, string>, type = 'Opaque'): void {
    const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
    this.kube.put(`/api/v1/namespaces/demo/secrets/${name}`, { apiVersion: 'v1', kind: 'Secret', type, metadata: { name, namespace: 'demo' }, data: encoded });
  }

  /** Names of the BuildRuns the agent created in demo (the synthesized one is applied too). */
  public buildRuns(): string[] {
    return this.kube.list(`${P.buildRuns}/`).filter((p) => this.kube.get(p).metadata.labels?.['watcher.openfunction.io/revision']).map((p) => p.slice(P.buildRuns.length + 1));
  }

  /** Finishes a BuildRun as Shipwright would. */
  public finish(name: string, ok: boolean, digest?: string): void {
    this.kube.edit(`${P.buildRuns}/${name}`, (o) => {
      o.status = {
        conditions: [{ type: 'Succeeded', status: ok ? 'True' : 'False', reason: ok ? 'Succeeded' : 'BuildRunTimeout', message: ok ? 'All Steps have completed executing' : 'BuildRun exceeded its timeout' }],
        ...(ok && digest ? { output: { digest } } : {}),
      };
    });
  }

  /** Schema problems of every object the agent created or updated (BuildRuns, Events, workloads, routes). */
  public emittedProblems(): string[] {
    const bodies = this.kube.requests.filter((r) => (r.method === 'POST' || r.method === 'PUT') && r.status < 300).map((r) => r.body);
    expect(bodies.length).toBeGreaterThan(0);
    return SchemaValidator.default.validateObjects(bodies).map(String);
  }

  /** Reasons of the Events recorded so far. */
  public eventReasons(): string[] {
    return this.kube.requests.filter((r) => r.method === 'POST' && r.path === P.events && r.status === 201).map((r) => r.body.reason);
  }
}

/** A sha256 digest made from `seed`. */
export function fakeDigest(seed: string): string {
  return `sha256:${Buffer.from(seed).toString('hex').padEnd(64, '0').slice(0, 64)}`;
}
