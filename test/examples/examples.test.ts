import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { addExamples } from '../../examples';
import { chartObjects, OpenFunctionPlatform, SchemaValidator } from '../../src';

describe('example app', () => {
  let app: App;
  beforeAll(() => {
    app = Testing.app();
    addExamples(app);
  });

  test('every object of every example validates against its upstream schema (platform kinds against the platform\'s CRDs)', () => {
    const charts = app.node.children.filter((c): c is Chart => c instanceof Chart);
    expect(charts.length).toBeGreaterThan(0);
    for (const chart of charts) {
      const objects = chartObjects(chart);
      expect(objects.length).toBeGreaterThan(0);
      const platform = chart.node.children.find((c) => c instanceof OpenFunctionPlatform) as OpenFunctionPlatform | undefined;
      expect((platform?.validator ?? SchemaValidator.default).validateObjects(objects).map(String)).toEqual([]);
    }
  });

  const objectsOf = (id: string) => chartObjects(app.node.findChild(id) as Chart) as any[];

  test('the tutorial function builds hello-world-go with the Go builder, FUNC_NAME and the push secret', () => {
    const build = objectsOf('hello-world-go').find((o) => o.kind === 'Build');
    expect(build.spec.strategy).toEqual({ name: 'openfunction', kind: 'ClusterBuildStrategy' });
    expect(build.spec.source).toEqual({ type: 'Git', git: { url: 'https://github.com/OpenFunction/samples.git', revision: 'main' }, contextDir: 'functions/knative/hello-world-go' });
    expect(build.spec.paramValues).toContainEqual({ name: 'ENV_VARS', value: 'FUNC_CLEAR_SOURCE=true#FUNC_NAME=HelloWorld#' });
    expect(build.spec.paramValues[0].value).toMatch(/^openfunction\/builder-go:/);
    expect(build.spec.output).toEqual({ image: 'openfunctiondev/sample-go-func:latest', pushSecret: 'push-secret' });
  });

  test('the tutorial function is served by Knative as version v2.0.0, pulling Always', () => {
    const ksvc = objectsOf('hello-world-go').find((o) => o.kind === 'Service');
    expect(ksvc.apiVersion).toBe('serving.knative.dev/v1');
    expect(ksvc.spec.template.metadata.labels['app.kubernetes.io/version']).toBe('v2.0.0');
    expect(ksvc.spec.template.metadata.annotations).toMatchObject({ 'autoscaling.knative.dev/min-scale': '0', 'autoscaling.knative.dev/max-scale': '10', 'autoscaling.knative.dev/target': '50' });
    expect(ksvc.spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
    expect(JSON.parse(ksvc.spec.template.spec.containers[0].env.find((e: any) => e.name === 'FUNC_CONTEXT').value)).toMatchObject({ name: 'function-sample', version: 'v2.0.0', runtime: 'Knative' });
  });

  test('the KEDA HTTP example routes its host and path through an HTTPScaledObject', () => {
    const hso = objectsOf('keda-http-function').find((o) => o.kind === 'HTTPScaledObject');
    expect(hso.spec).toMatchObject({ hosts: ['hello.fn.example.com'], pathPrefixes: ['/hello'], replicas: { min: 0, max: 5 }, scaledownPeriod: 120 });
  });

  test('the canary example splits 10/90 between the new and the stable revision', () => {
    const ksvc = objectsOf('canary').find((o) => o.kind === 'Service');
    expect(ksvc.spec.traffic.map((t: any) => [t.tag, t.percent])).toEqual([['canary', 10], ['stable', 90]]);
    expect(ksvc.spec.traffic[0].revisionName).toBe(ksvc.spec.template.metadata.name);
  });

  test('the async examples: Kafka lag scaling with credentials, a cron trigger, a Redis state store', () => {
    const objects = objectsOf('async-functions');
    const so = objects.find((o) => o.kind === 'ScaledObject');
    expect(so.spec.triggers[0]).toMatchObject({ type: 'kafka', metadata: { topic: 'sample-topic', consumerGroup: 'logs-handler', lagThreshold: '20' }, authenticationRef: { name: 'logs-handler-kafka-input' } });
    expect(objects.filter((o) => o.kind === 'ScaledObject')).toHaveLength(1);
    const scopes = Object.fromEntries(objects.filter((o) => o.kind === 'Component').map((c) => [c.metadata.name, c.scopes]));
    expect(scopes).toEqual({ 'kafka-input': ['logs-handler-demo'], 'kafka-output': ['logs-handler-demo'], 'cron-10s': ['cron-reporter-demo'], 'sink': ['cron-reporter-demo'], 'counter-store': ['counter-demo'] });
    const counter = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'counter');
    const ctx = JSON.parse(counter.spec.template.spec.containers[0].env.find((e: any) => e.name === 'FUNC_CONTEXT').value);
    expect(ctx.states).toEqual({ 'counter-store': { componentName: 'counter-store', componentType: 'state.redis' } });
    const cron = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'cron-reporter');
    const cronCtx = JSON.parse(cron.spec.template.spec.containers[0].env.find((e: any) => e.name === 'FUNC_CONTEXT').value);
    expect(cronCtx.inputs).toEqual({ 'cron-10s': { uri: 'cron-10s', componentName: 'cron-10s', componentType: 'bindings.cron' } });
    expect(cronCtx.outputs.sink).toEqual({ uri: 'sink', componentName: 'sink', componentType: 'bindings.http', metadata: { path: '/cron' }, operation: 'post' });
  });

  test('the routing example serves two functions by host and by path over TLS', () => {
    const chart = app.node.findChild('gateway-routing') as any;
    expect(chart.hello.url).toBe('https://hello.demo.fn.example.com/');
    expect(chart.orders.url).toBe('https://api.fn.example.com/demo/orders');
    const routes = objectsOf('gateway-routing').filter((o) => o.kind === 'HTTPRoute');
    expect(routes.map((r) => r.spec.hostnames[0])).toEqual(['hello.demo.fn.example.com', 'api.fn.example.com']);
    expect(objectsOf('gateway-routing').find((o) => o.kind === 'Certificate').spec.issuerRef.name).toBe('letsencrypt-prod');
  });

  test('the platform examples: the full platform with strategies, and a sync-only one pulling through a mirror', () => {
    const full = objectsOf('platform');
    expect(full.filter((o) => o.kind === 'ClusterBuildStrategy')).toHaveLength(5);
    expect(full[0].kind).toBe('Namespace');
    const mirrored = (app.node.findChild('platform-sync-mirrored') as any).platform;
    expect(mirrored.components).toEqual(['gateway-api', 'cert-manager', 'tekton-pipelines', 'shipwright-build', 'knative-serving', 'contour']);
    for (const image of mirrored.images()) expect(image).toMatch(/^registry\.internal\.example\.com\/mirror\//);
  });

  test('the Dockerfile functions build with the wasmedge strategy and with kaniko', () => {
    const builds = objectsOf('dockerfile-functions').filter((o) => o.kind === 'Build');
    expect(builds.map((b) => b.spec.strategy.name)).toEqual(['wasmedge', 'kaniko']);
    for (const b of builds) expect(b.spec.paramValues[0]).toEqual({ name: 'dockerfile', value: 'Dockerfile' });
    expect(builds[0].spec.timeout).toBe('20m');
    expect(builds[1].spec.paramValues[1]).toEqual({ name: 'build-args', values: [{ value: '--build-arg=RUST_VERSION=1.80' }] });
  });

  test('examples/README.md lists every example', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'README.md'), 'utf8');
    for (const chart of app.charts) expect(readme).toContain(`| \`${chart.node.id}\` |`);
  });

  test('synthesizing writes one manifest per chart, each parseable YAML with the same objects', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-examples-'));
    try {
      const fresh = new App({ outdir });
      addExamples(fresh);
      fresh.synth();
      const files = fs.readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).sort();
      expect(files).toEqual(fresh.charts.map((c) => `${c.node.id}.k8s.yaml`).sort());
      for (const chart of fresh.charts) {
        const docs = parseAllDocuments(fs.readFileSync(path.join(outdir, `${chart.node.id}.k8s.yaml`), 'utf8')).map((d) => d.toJS());
        expect(docs).toEqual(chartObjects(chart));
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
