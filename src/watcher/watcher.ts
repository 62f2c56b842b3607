import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Duration, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { PropChecks, PropProblem, stoppedOnProblems } from '../common/errors';
import { parseImageReference } from '../common/image';
import { contentHash, isDnsLabel, stableStringify } from '../common/names';
import { SecretRef } from '../common/refs';
import { registeredBy } from '../common/registration';
import type { Function } from '../function/function';
import { containerResources, restrictedContainerSecurity } from '../serving/pod';
import { SchemaValidation } from '../validation/validator';
import { ServingTarget, WatchedFunctionConfig, WatcherConfig } from './agent/config';

/** CPU and memory of the watcher's agent container. */
export interface WatcherResources {
  /** @default '50m' */
  readonly cpuRequest?: string;
  /** @default '32Mi' */
  readonly memoryRequest?: string;
  /** @default - no CPU limit */
  readonly cpuLimit?: string;
  /** @default '128Mi' */
  readonly memoryLimit?: string;
}

/** Props of {@link RevisionWatcher}. */
export interface RevisionWatcherProps {
  /**
   * Name of the Deployment, ServiceAccount, ConfigMaps and Roles.
   * @default 'revision-watcher'
   */
  readonly name?: string;
  /**
   * Namespace the agent runs in (functions may live in any namespace: it gets a Role in each).
   * @default - the chart's namespace, else 'openfunction'
   */
  readonly namespace?: string;
  /**
   * Image the agent runs on: any image with Node.js 20 or later as `node` on the PATH and a
   * non-root user 1000. The agent itself comes from a ConfigMap, so a stock image does.
   * @default RevisionWatcher.DEFAULT_IMAGE
   */
  readonly image?: string;
  /**
   * How often each function's sources are polled.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
  /**
   * Fraction of the interval (0 to below 1) added or taken at random on each poll, so that polls
   * of many functions spread out.
   * @default 0.2
   */
  readonly jitter?: number;
  /**
   * Longest wait between polls of a function after repeated errors (the wait doubles per error).
   * @default Duration.minutes(10)
   */
  readonly maxBackoff?: Duration;
  /**
   * Deadline of each request to a git server, a registry or the API server.
   * @default Duration.seconds(10)
   */
  readonly requestTimeout?: Duration;
  /**
   * Registries (host[:port]) the agent reaches over plain HTTP instead of HTTPS.
   * @default []
   */
  readonly insecureRegistries?: string[];
  /**
   * Resources of the agent container.
   * @default - 50m CPU and 32Mi memory requested, 128Mi memory limit
   */
  readonly resources?: WatcherResources;
  /**
   * Port of `/healthz`, `/readyz` and `/metrics` (Prometheus text format).
   * @default 8080
   */
  readonly port?: number;
  /**
   * Secret to pull the agent's image with.
   * @default - none
   */
  readonly imagePullSecret?: SecretRef;
}

/** Options of watching one function (the `watch` prop of `Function`, or `RevisionWatcher.watch`). */
export interface WatchOptions {
  /**
   * How often this function is polled.
   * @default - the watcher's interval
   */
  readonly interval?: Duration;
  /**
   * Whether a new digest of the builder image also starts a build.
   * @default true
   */
  readonly builderImage?: boolean;
  /**
   * More images whose new digests start a build, e.g. the base images of a Dockerfile.
   * @default []
   */
  readonly baseImages?: string[];
  /**
   * Secret (`kubernetes.io/dockerconfigjson`) to read `baseImages` with.
   * @default - none
   */
  readonly baseImageCredentials?: SecretRef;
}

/** The `watch` prop of `Function`: which watcher, and how. */
export interface FunctionWatchOptions extends WatchOptions {
  /**
   * The watcher.
   * @default - the one RevisionWatcher of the app
   */
  readonly watcher?: RevisionWatcher;
}

const WATCHER_KEY = Symbol.for('openfunction-constructs.RevisionWatcher');
const AGENT_CANDIDATES = [
  path.join(__dirname, '..', '..', 'assets', 'watcher-agent.js'),
  path.join(__dirname, '..', '..', '..', 'assets', 'watcher-agent.js'),
];
const CONFIGMAP_LIMIT = 1024 * 1024;

/** The agent program, as bundled into `assets/watcher-agent.js`. */
export function watcherAgentSource(): string {
  for (const file of AGENT_CANDIDATES) if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  throw new Error('assets/watcher-agent.js is missing from the package (run npm run bundle-agent)');
}

/**
 * Continuous rebuild and redeploy, in the cluster, without OpenFunction's revision controller: a
 * small agent polls each watched function's git branch (smart HTTP, any git host) or image tags
 * (OCI registry digests); on a change it creates one BuildRun for exactly that revision, and
 * when it succeeds points the function's workload at the built image by digest. A failed build is
 * never rolled out. A prebuilt image whose tag moves is redeployed by digest, without a build.
 *
 * Create it before the functions that use `watch: true`.
 */
export class RevisionWatcher extends Construct {
  /** The Node.js image the agent runs on unless `image` says otherwise. */
  public static readonly DEFAULT_IMAGE = 'docker.io/library/node:22.17.1-alpine3.22';

  /** The RevisionWatcher of the app `scope` is in, if it has one. */
  public static of(scope: IConstruct): RevisionWatcher | undefined {
    return (scope.node.root as unknown as Record<symbol, RevisionWatcher | undefined>)[WATCHER_KEY];
  }

  /** Name of its objects. */
  public readonly name: string;
  /** Its namespace. */
  public readonly namespace: string;
  /** Name of the ServiceAccount the agent runs as. */
  public readonly serviceAccountName!: string;
  /** The agent Deployment. */
  public readonly deployment!: ApiObject;
  /** Size of the agent program in its ConfigMap, in bytes. */
  public readonly agentBytes!: number;

  private readonly functions: WatchedFunctionConfig[] = [];
  private readonly permissions = new Map<string, Map<string, Set<string>>>();
  private readonly config!: Omit<WatcherConfig, 'functions'>;

  constructor(scope: Construct, id: string, props: RevisionWatcherProps = {}) {
    super(scope, id);
    const chart = Chart.of(this);
    this.name = props.name ?? 'revision-watcher';
    this.namespace = props.namespace ?? chart.namespace ?? 'openfunction';
    const checks = new PropChecks(this);
    if (!isDnsLabel(this.name) || this.name.length > 50) checks.add('OFN_NAME', 'name', this.name, 'is not a DNS-1123 label of at most 50 characters', 'use lower-case letters, digits and "-"');
    if (!isDnsLabel(this.namespace)) checks.add('OFN_NAMESPACE', 'namespace', this.namespace, 'is not a DNS-1123 label', 'use lower-case letters, digits and "-"');
    const image = props.image ?? RevisionWatcher.DEFAULT_IMAGE;
    if (!parseImageReference(image)) checks.add('OFN_IMAGE_REF', 'image', image, 'is not a valid image reference', 'use registry/repository[:tag][@sha256:digest], e.g. docker.io/library/node:22-alpine');
    const seconds = (prop: string, d: Duration | undefined, fallback: number, min: number) => {
      const s = d ? d.toSeconds() : fallback;
      if (!(s >= min) || !Number.isFinite(s)) checks.add('OFN_DURATION', prop, `${s}s`, `must be at least ${min}s`, `give a longer duration, or leave ${prop} out for ${fallback}s`);
      return s;
    };
    const interval = seconds('interval', props.interval, 60, 1);
    const maxBackoff = seconds('maxBackoff', props.maxBackoff, 600, 1);
    if (props.maxBackoff && maxBackoff < interval) checks.add('OFN_DURATION', 'maxBackoff', `${maxBackoff}s`, `is shorter than the interval (${interval}s)`, 'give a maxBackoff at least as long as the interval');
    const timeout = seconds('requestTimeout', props.requestTimeout, 10, 1);
    const jitter = props.jitter ?? 0.2;
    if (!(jitter >= 0 && jitter < 1)) checks.add('OFN_WATCH_JITTER', 'jitter', jitter, 'is not a fraction from 0 to below 1', 'use e.g. 0.2 for +/-20% of the interval, or 0 for none');
    const port = props.port ?? 8080;
    if (!Number.isInteger(port) || port < 1024 || port > 65535) checks.add('OFN_PORT', 'port', port, 'is not a port from 1024 to 65535 (the agent runs as non-root)', 'use e.g. 8080');
    for (const [i, r] of (props.insecureRegistries ?? []).entries()) {
      if (!/^[a-z0-9.-]+(:\d+)?$/i.test(r)) checks.add('OFN_WATCH_REGISTRY', `insecureRegistries[${i}]`, r, 'is not a registry host[:port]', 'give the host and port only, e.g. registry.local:5000');
    }
    // Functions find it even when its own props failed, so they report only their own problems.
    const root = this.node.root as unknown as Record<symbol, RevisionWatcher | undefined>;
    if (root[WATCHER_KEY] === undefined) root[WATCHER_KEY] = this;
    if (checks.stop()) return;

    this.serviceAccountName = this.name;
    this.config = {
      intervalSeconds: interval, jitter, maxBackoffSeconds: maxBackoff, requestTimeoutSeconds: timeout,
      insecureRegistries: [...(props.insecureRegistries ?? [])].sort(), port,
    };
    const agent = watcherAgentSource();
    this.agentBytes = Buffer.byteLength(agent);
    if (this.agentBytes > CONFIGMAP_LIMIT) throw new Error(`${this.node.path}: the agent bundle is ${this.agentBytes} bytes, more than a ConfigMap holds`);
    const labels = { 'app.kubernetes.io/name': 'revision-watcher', 'app.kubernetes.io/instance': this.name, 'app.kubernetes.io/managed-by': 'openfunction-constructs' };
    const configJson = Lazy.any({ produce: () => this.configJson() });

    new ApiObject(this, 'Agent', {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: `${this.name}-agent`, namespace: this.namespace, labels },
      data: { 'agent.js': agent },
    });
    new ApiObject(this, 'Config', {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: `${this.name}-config`, namespace: this.namespace, labels },
      data: { 'config.json': configJson },
    });
    new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: { name: this.serviceAccountName, namespace: this.namespace, labels }, automountToken: true });

    const r = props.resources ?? {};
    const probe = (p: string, period: number) => ({ httpGet: { path: p, port: 'http' }, periodSeconds: period, timeoutSeconds: 2, failureThreshold: 3 });
    this.deployment = new ApiObject(this, 'Deployment', {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: this.name, namespace: this.namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: { 'app.kubernetes.io/name': 'revision-watcher', 'app.kubernetes.io/instance': this.name } },
        template: {
          metadata: {
            labels,
            annotations: {
              // A new agent or config restarts the pod.
              'openfunction.io/agent-hash': contentHash(agent, 12),
              'openfunction.io/config-hash': Lazy.any({ produce: () => contentHash(this.configJson(), 12) }),
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': String(port),
              'prometheus.io/path': '/metrics',
            },
          },
          spec: {
            serviceAccountName: this.serviceAccountName,
            automountServiceAccountToken: true,
            enableServiceLinks: false,
            imagePullSecrets: props.imagePullSecret ? [{ name: props.imagePullSecret.name }] : undefined,
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'agent',
              image,
              command: ['node', '/opt/watcher/agent.js'],
              env: [
                { name: 'WATCHER_CONFIG', value: '/etc/watcher/config.json' },
                { name: 'NODE_EXTRA_CA_CERTS', value: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
              livenessProbe: probe('/healthz', 20),
              readinessProbe: probe('/readyz', 10),
              resources: containerResources({ cpuRequest: r.cpuRequest ?? '50m', memoryRequest: r.memoryRequest ?? '32Mi', memoryLimit: r.memoryLimit ?? '128Mi', cpuLimit: r.cpuLimit }),
              securityContext: restrictedContainerSecurity(true),
              volumeMounts: [
                { name: 'agent', mountPath: '/opt/watcher', readOnly: true },
                { name: 'config', mountPath: '/etc/watcher', readOnly: true },
              ],
            }],
            volumes: [
              { name: 'agent', configMap: { name: `${this.name}-agent` } },
              { name: 'config', configMap: { name: `${this.name}-config` } },
            ],
          },
        },
      },
    });

    SchemaValidation.addTo(chart);
  }

  /** Seconds between polls of a function, unless the function says otherwise. */
  public get intervalSeconds(): number {
    return this.config.intervalSeconds;
  }

  /** The functions it watches, as `namespace/name`. */
  public get watched(): string[] {
    return this.functions.map((f) => `${f.namespace}/${f.name}`);
  }

  /**
   * Watches `fn`: a function built from git or a bundle is rebuilt when its branch or bundle tag
   * (or its builder image) moves; a prebuilt image is redeployed by digest when its tag moves.
   */
  public watch(fn: Function, options: WatchOptions = {}): void {
    if (stoppedOnProblems(this)) return;
    const checks = new PropChecks(fn);
    const by = registeredBy(this);
    if (by) {
      checks.add('OFN_REGISTERED', 'watch', this.node.path, `names a RevisionWatcher whose objects are already registered (by ${by}), so its config and Roles can no longer change`,
        'create the watcher and the functions it watches in one Cdk8sChart (Pulumi)');
      checks.stop();
      return;
    }
    const problems = this.configFor(fn, options);
    if (!('name' in problems)) {
      checks.addAll(problems);
      checks.stop();
      return;
    }
    const config = problems;
    if (this.functions.some((f) => f.name === config.name && f.namespace === config.namespace)) {
      checks.add('OFN_WATCH_TWICE', 'watch', `${config.namespace}/${config.name}`, 'is already watched by this watcher', 'watch each function once');
      checks.stop();
      return;
    }
    this.functions.push(config);
    this.grant(config);
  }

  private configFor(fn: Function, o: WatchOptions): WatchedFunctionConfig | PropProblem[] {
    const problems: PropProblem[] = [];
    const namespace = fn.namespace ?? 'default';
    const intervalSeconds = o.interval?.toSeconds();
    if (intervalSeconds !== undefined && !(intervalSeconds >= 1)) problems.push({ code: 'OFN_DURATION', prop: 'watch.interval', value: `${intervalSeconds}s`, problem: 'must be at least 1s', fix: 'give a longer interval or leave it out for the watcher\'s' });
    const movable = (prop: string, image: string): boolean => {
      const ref = parseImageReference(image);
      if (!ref) {
        problems.push({ code: 'OFN_IMAGE_REF', prop, value: image, problem: 'is not a valid image reference', fix: 'use registry/repository[:tag]' });
        return false;
      }
      return !ref.digest;
    };
    const images: { image: string; credentials?: string }[] = [];
    for (const [i, image] of (o.baseImages ?? []).entries()) {
      if (movable(`watch.baseImages[${i}]`, image)) images.push({ image, credentials: o.baseImageCredentials?.name });
      else if (parseImageReference(image)) problems.push({ code: 'OFN_WATCH_NOTHING', prop: `watch.baseImages[${i}]`, value: image, problem: 'is pinned by digest, so it never changes', fix: 'give the tag to follow, e.g. golang:1.24' });
    }
    let serving: ServingTarget | undefined;
    if (fn.knative) serving = { kind: 'Service', name: fn.knative.serviceName, container: 'function', route: fn.httpRoute ? fn.functionName : undefined };
    else if (fn.kedaHttp || fn.async?.deployment) serving = { kind: 'Deployment', name: fn.functionName, container: 'function' };
    else if (fn.async?.scaledJob) serving = { kind: 'ScaledJob', name: fn.functionName, container: 'function' };

    const build = fn.build;
    if (build) {
      const src = build.buildSource;
      let git: WatchedFunctionConfig['git'];
      let bundle: WatchedFunctionConfig['bundle'];
      if (src.type === 'Git' && src.git) {
        const url = src.git.url;
        if (!/^https?:\/\//.test(url)) {
          problems.push({ code: 'OFN_WATCH_GIT_URL', prop: 'source.url', value: url, problem: 'is not an http(s) URL; the watcher reads branches over git\'s smart-HTTP protocol', fix: 'use the https:// URL of the repository (with a basic-auth Secret as credentials if it is private)' });
        } else if (src.git.revision && /^[0-9a-f]{40}$/.test(src.git.revision)) {
          if (!images.length && !(o.builderImage !== false && build.builder)) problems.push({ code: 'OFN_WATCH_NOTHING', prop: 'source.revision', value: src.git.revision, problem: 'pins a commit, so the source never changes', fix: 'give the branch or tag to follow, or drop watch' });
        } else {
          git = { url, revision: src.git.revision, credentials: src.git.cloneSecret };
        }
      } else if (src.type === 'OCI' && src.ociArtifact) {
        const local = build.bundles.length > 0;
        if (!local && movable('source.image', src.ociArtifact.image)) bundle = { image: src.ociArtifact.image, credentials: src.ociArtifact.pullSecret };
      }
      const builder = o.builderImage !== false && build.builder && movable('builder', build.builder.image) ? build.builder : undefined;
      if (builder) images.unshift({ image: builder.image, credentials: builder.credentials?.name });
      if (!git && !bundle && !images.length && !problems.length) {
        problems.push({ code: 'OFN_WATCH_NOTHING', prop: 'watch', value: true, problem: build.bundles.length ? 'watches a local-directory source, which changes only through synth, and no builder or base image' : 'finds nothing that can change: the source is pinned and there is no builder or base image to follow', fix: 'give a git branch or a bundle tag to follow, or baseImages, or drop watch' });
      }
      if (problems.length) return problems;
      return {
        name: fn.functionName, namespace, mode: 'source', intervalSeconds,
        build: { name: build.buildName, serviceAccount: build.serviceAccountName, outputImage: build.image },
        git, bundle, images: images.length ? images : undefined, serving,
      };
    }
    if (o.baseImages?.length) problems.push({ code: 'OFN_WATCH_NOTHING', prop: 'watch.baseImages', value: o.baseImages, problem: 'start builds, but the function has no build (a prebuilt image)', fix: 'drop baseImages; the watcher follows the prebuilt image\'s tag' });
    if (!serving) problems.push({ code: 'OFN_WATCH_NOTHING', prop: 'watch', value: true, problem: 'is set on a prebuilt function that is not served (Serving.none())', fix: 'drop watch, or serve the function' });
    else if (!movable('image', fn.image) && !problems.length) problems.push({ code: 'OFN_WATCH_NOTHING', prop: 'image', value: fn.image, problem: 'is pinned by digest, so it never changes', fix: 'give the tag to follow, e.g. registry.example.com/demo/hello:v1' });
    if (problems.length) return problems;
    return { name: fn.functionName, namespace, mode: 'image', intervalSeconds, image: { image: fn.image, credentials: fn.imageCredentials?.name }, serving };
  }

  private grant(c: WatchedFunctionConfig): void {
    let perNs = this.permissions.get(c.namespace);
    if (!perNs) {
      perNs = new Map();
      this.permissions.set(c.namespace, perNs);
      const rules = Lazy.any({ produce: () => this.rules(c.namespace) });
      const name = `${this.name}-${this.namespace}`.slice(0, 253);
      const labels = { 'app.kubernetes.io/name': 'revision-watcher', 'app.kubernetes.io/instance': this.name, 'app.kubernetes.io/managed-by': 'openfunction-constructs' };
      new ApiObject(this, `Role-${c.namespace}`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: c.namespace, labels }, rules });
      new ApiObject(this, `RoleBinding-${c.namespace}`, {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding',
        metadata: { name, namespace: c.namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace: this.namespace }],
      });
    }
    const add = (resource: string, name: string | undefined) => {
      if (!perNs!.has(resource)) perNs!.set(resource, new Set());
      if (name) perNs!.get(resource)!.add(name);
    };
    if (c.build) {
      add('shipwright.io/builds', c.build.name);
      add('shipwright.io/buildruns', undefined);
    }
    if (c.serving) {
      add(c.serving.kind === 'Service' ? 'serving.knative.dev/services' : c.serving.kind === 'Deployment' ? 'apps/deployments' : 'keda.sh/scaledjobs', c.serving.name);
      if (c.serving.route) add('gateway.networking.k8s.io/httproutes', c.serving.route);
    }
    for (const s of [c.git?.credentials, c.bundle?.credentials, c.image?.credentials, ...(c.images ?? []).map((i) => i.credentials)]) if (s) add('/secrets', s);
    add('/events', undefined);
  }

  /** Exactly the verbs the agent uses, on exactly the objects it manages where names are known. */
  private rules(namespace: string): object[] {
    const perNs = this.permissions.get(namespace)!;
    const verbs: Record<string, string[]> = {
      'shipwright.io/builds': ['get', 'update'],
      'shipwright.io/buildruns': ['create', 'get'],
      'serving.knative.dev/services': ['get', 'update'],
      'apps/deployments': ['get', 'update'],
      'keda.sh/scaledjobs': ['get', 'update'],
      'gateway.networking.k8s.io/httproutes': ['get', 'update'],
      '/secrets': ['get'],
      '/events': ['create'],
    };
    return [...perNs.keys()].sort().map((key) => {
      const [apiGroup, resource] = key.split('/');
      const names = [...perNs.get(key)!].sort();
      return { apiGroups: [apiGroup], resources: [resource], ...(names.length ? { resourceNames: names } : {}), verbs: verbs[key] };
    });
  }

  private configJson(): string {
    const functions = [...this.functions].sort((a, b) => (a.namespace === b.namespace ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : 1));
    return `${stableStringify({ ...this.config, functions })}\n`;
  }
}
