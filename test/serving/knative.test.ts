import { Chart, Duration, Testing } from 'cdk8s';
import {
  Builder, Function, FunctionDefaults, FunctionProps, FunctionSource, KnativeMetric, PodSecurity, Serving, Tracing, Traffic, WorkloadRuntime,
} from '../../src';
import { errorOf, functionsApp, only, synthValid } from '../helpers';

function ksvc(props: FunctionProps, setup?: (chart: Chart) => void) {
  const { app, chart } = functionsApp();
  setup?.(chart);
  const fn = new Function(chart, 'hello', { image: 'registry.example.com/demo/hello:v1', ...props });
  const objects = synthValid(app, chart);
  const service = only(objects, 'Service');
  const template = service.spec.template;
  return { fn, objects, service, template, container: template.spec.containers[0], env: Object.fromEntries(template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom])) };
}

describe('a default Knative function', () => {
  const { fn, service, template, container } = ksvc({});

  test('is a serving.knative.dev/v1 Service named after the function', () => {
    expect(service.apiVersion).toBe('serving.knative.dev/v1');
    expect(service.metadata).toEqual({ name: 'hello', namespace: 'demo', labels: { 'openfunction.io/function': 'hello' } });
  });

  test('scales to zero by default and sets no other autoscaling annotation', () => {
    expect(template.metadata.annotations).toEqual({ 'autoscaling.knative.dev/min-scale': '0' });
  });

  test('names its revision after the function, version and a template hash', () => {
    expect(template.metadata.name).toMatch(/^hello-latest-[0-9a-f]{8}$/);
    expect(fn.revisionName).toBe(template.metadata.name);
    expect(template.metadata.labels).toEqual({ 'openfunction.io/function': 'hello', 'app.kubernetes.io/version': 'latest' });
  });

  test('runs container "function" on port 8080 with OpenFunction\'s env, in order', () => {
    expect(container.name).toBe('function');
    expect(container.ports).toEqual([{ containerPort: 8080, protocol: 'TCP' }]);
    expect(container.env.map((e: any) => e.name)).toEqual(['APP_PROTOCOL', 'FUNC_CONTEXT', 'FUNC_CONTEXT_V1BETA2', 'POD_NAME', 'POD_NAMESPACE']);
    expect(container.env[3]).toEqual({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    expect(container.env[4]).toEqual({ name: 'POD_NAMESPACE', value: 'demo' });
    expect(JSON.parse(container.env[1].value)).toEqual({ name: 'hello', version: 'latest', runtime: 'Knative', port: '8080' });
    expect(JSON.parse(container.env[2].value)).toEqual({ name: 'hello', version: 'latest', triggers: { http: { port: 8080 } } });
  });

  test('runs non-root, without escalation or capabilities, RuntimeDefault seccomp, read-only root with /tmp, requests set', () => {
    expect(container.securityContext).toEqual({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }, readOnlyRootFilesystem: true });
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(template.spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } });
  });

  test('sends all traffic to the latest revision (no traffic block)', () => {
    expect(service.spec.traffic).toBeUndefined();
  });
});

test('scale options become Knative annotations and spec fields', () => {
  const { template } = ksvc({
    serving: Serving.knative({
      minScale: 1, maxScale: 10, initialScale: 2, target: 50, metric: KnativeMetric.RPS, targetUtilizationPercentage: 80,
      scaleDownDelay: Duration.minutes(5), window: Duration.seconds(30), containerConcurrency: 100, timeout: Duration.seconds(120),
    }),
  });
  expect(template.metadata.annotations).toEqual({
    'autoscaling.knative.dev/min-scale': '1', 'autoscaling.knative.dev/max-scale': '10', 'autoscaling.knative.dev/initial-scale': '2',
    'autoscaling.knative.dev/target': '50', 'autoscaling.knative.dev/metric': 'rps', 'autoscaling.knative.dev/target-utilization-percentage': '80',
    'autoscaling.knative.dev/scale-down-delay': '5m', 'autoscaling.knative.dev/window': '30s',
  });
  expect(template.spec.containerConcurrency).toBe(100);
  expect(template.spec.timeoutSeconds).toBe(120);
});

test('a CPU metric selects the HPA autoscaler class', () => {
  const { template } = ksvc({ serving: Serving.knative({ metric: KnativeMetric.CPU, target: 70 }) });
  expect(template.metadata.annotations['autoscaling.knative.dev/class']).toBe('hpa.autoscaling.knative.dev');
});

test('user annotations and labels win over the library\'s', () => {
  const { template } = ksvc({ serving: Serving.knative({ annotations: { 'autoscaling.knative.dev/min-scale': '3' }, podAnnotations: { 'example.com/a': 'b' }, podLabels: { tier: 'web' } }) });
  expect(template.metadata.annotations).toMatchObject({ 'autoscaling.knative.dev/min-scale': '3', 'example.com/a': 'b' });
  expect(template.metadata.labels.tier).toBe('web');
});

test('port, env, resources, service account and image credentials reach the pod', () => {
  const { template, container } = ksvc({
    imageCredentials: { name: 'regcred' },
    serving: Serving.knative({ port: 9000, env: { B: '2', A: '1' }, resources: { cpuRequest: '250m', memoryLimit: '1Gi' }, serviceAccountName: 'hello-sa' }),
  });
  expect(container.ports).toEqual([{ containerPort: 9000, protocol: 'TCP' }]);
  expect(container.env.map((e: any) => e.name)).toEqual(['APP_PROTOCOL', 'FUNC_CONTEXT', 'FUNC_CONTEXT_V1BETA2', 'A', 'B', 'POD_NAME', 'POD_NAMESPACE']);
  expect(JSON.parse(container.env[1].value).port).toBe('9000');
  expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '128Mi' }, limits: { memory: '1Gi' } });
  expect(template.spec.serviceAccountName).toBe('hello-sa');
  expect(template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
});

test('container and pod overrides merge over the defaults', () => {
  const { template, container } = ksvc({ serving: Serving.knative({ container: { readinessProbe: { httpGet: { path: '/healthz' } } }, podSpec: { nodeSelector: { pool: 'fn' } } }) });
  expect(container.readinessProbe).toEqual({ httpGet: { path: '/healthz' } });
  expect(container.securityContext.runAsNonRoot).toBe(true);
  expect(template.spec.nodeSelector).toEqual({ pool: 'fn' });
});

test('a writable root filesystem drops the /tmp volume', () => {
  const { template, container } = ksvc({ serving: Serving.knative({ readOnlyRootFilesystem: false }) });
  expect(container.securityContext.readOnlyRootFilesystem).toBe(false);
  expect(container.volumeMounts).toBeUndefined();
  expect(template.spec.volumes).toBeUndefined();
});

test('an override that breaks "restricted" is a synth error, unless podSecurity is UNCHECKED', () => {
  const overrides = { container: { securityContext: { privileged: true, allowPrivilegeEscalation: true } } };
  const msg = errorOf(() => new Function(new Chart(Testing.app(), 'functions'), 'hello', { image: 'r.io/a/b', serving: Serving.knative(overrides) }));
  expect(msg).toMatch(/functions\/hello: serving: breaks Pod Security Standards "restricted" \(got "containers\[0\]\.securityContext\.privileged is true"\); remove the override, or set serving option podSecurity: PodSecurity\.UNCHECKED/);
  expect(msg).toMatch(/allowPrivilegeEscalation is not false/);
  const { container } = ksvc({ serving: Serving.knative({ ...overrides, podSecurity: PodSecurity.UNCHECKED }) });
  expect(container.securityContext.privileged).toBe(true);
});

test('the revision name changes with the template and stays for the same props', () => {
  const a = ksvc({}).fn.revisionName;
  expect(ksvc({}).fn.revisionName).toBe(a);
  expect(ksvc({ serving: Serving.knative({ env: { X: '1' } }) }).fn.revisionName).not.toBe(a);
  expect(ksvc({ image: 'registry.example.com/demo/hello:v2' }).fn.revisionName).not.toBe(a);
  expect(ksvc({ version: 'v2.0.0' }).fn.revisionName).toMatch(/^hello-v200-/);
});

test('traffic splits between the current revision, an earlier one and the latest, with tags', () => {
  const { service, fn } = ksvc({ serving: Serving.knative({ traffic: [Traffic.current(10, { tag: 'canary' }), Traffic.revision('hello-v1-0a1b2c3d', 90, { tag: 'stable' }), Traffic.latest(0, { tag: 'latest' })] }) });
  expect(service.spec.traffic).toEqual([
    { revisionName: fn.revisionName, latestRevision: false, percent: 10, tag: 'canary' },
    { revisionName: 'hello-v1-0a1b2c3d', latestRevision: false, percent: 90, tag: 'stable' },
    { latestRevision: true, percent: 0, tag: 'latest' },
  ]);
});

test('tracing adds SkyWalking env and FUNC_CONTEXT fields; app defaults apply and functions override them', () => {
  const { env } = ksvc({ tracing: { tags: { fn: 'hello' } } }, (chart) => FunctionDefaults.set(chart, { tracing: { provider: Tracing.skywalking('oap:11800'), tags: { layer: 'faas' } }, hooks: { pre: ['audit'] } }));
  expect(env.SW_AGENT_COLLECTOR_BACKEND_SERVICES).toBe('oap:11800');
  expect(env.SW_AGENT_NAME).toBe('hello');
  const ctx = JSON.parse(env.FUNC_CONTEXT as string);
  expect(ctx.prePlugins).toEqual(['audit', 'skywalking']);
  expect(ctx.pluginsTracing.tags).toEqual({ layer: 'faas', fn: 'hello' });
  const v2 = JSON.parse(env.FUNC_CONTEXT_V1BETA2 as string);
  expect(v2.preHooks).toEqual(['audit']);
  const off = ksvc({ tracing: { enabled: false } }, (chart) => FunctionDefaults.set(chart, { tracing: { provider: Tracing.skywalking('oap:11800') } }));
  expect(off.env.SW_AGENT_NAME).toBeUndefined();
  expect(JSON.parse(off.env.FUNC_CONTEXT as string).pluginsTracing).toBeUndefined();
});

describe('WasmEdge', () => {
  const source = FunctionSource.fromGit('https://github.com/OpenFunction/samples', { revision: 'main', subPath: 'functions/knative/wasmedge/http-server' });
  const { objects, template } = ksvc({ workloadRuntime: WorkloadRuntime.WASMEDGE, source, dockerfile: 'Dockerfile', imageCredentials: { name: 'push-secret' } });

  test('builds with the wasmedge strategy', () => {
    expect(only(objects, 'Build').spec.strategy).toEqual({ name: 'wasmedge', kind: 'ClusterBuildStrategy' });
  });
  test('runs with the compat-smart annotation and the crun RuntimeClass', () => {
    expect(template.metadata.annotations['module.wasm.image/variant']).toBe('compat-smart');
    expect(template.spec.runtimeClassName).toBe('openfunction-crun');
  });
  test('refuses a buildpacks builder and a build without Dockerfile', () => {
    const msg = errorOf(() => new Function(new Chart(Testing.app(), 'functions'), 'w', { image: 'r.io/a/b', source, workloadRuntime: WorkloadRuntime.WASMEDGE, builder: undefined }));
    expect(msg).toMatch(/functions\/w: dockerfile: is required: WasmEdge functions are built from a Dockerfile/);
    expect(errorOf(() => new Function(new Chart(Testing.app(), 'functions'), 'w', { image: 'r.io/a/b', source, dockerfile: 'Dockerfile', workloadRuntime: WorkloadRuntime.WASMEDGE, builder: Builder.GO })))
      .toMatch(/functions\/w: builder: is a buildpacks builder, but WasmEdge functions are built from a Dockerfile/);
  });
  test('refuses a RuntimeClass name for a container function', () => {
    expect(errorOf(() => new Function(new Chart(Testing.app(), 'functions'), 'w', { image: 'r.io/a/b', wasmRuntimeClassName: 'x' })))
      .toMatch(/wasmRuntimeClassName: is set, but workloadRuntime is not WorkloadRuntime\.WASMEDGE/);
  });
});

describe('bad input', () => {
  const fail = (props: FunctionProps) => errorOf(() => new Function(new Chart(Testing.app(), 'functions'), 'hello', { image: 'r.io/a/b', ...props }));
  test('min scale above max scale', () => {
    expect(fail({ serving: Serving.knative({ minScale: 5, maxScale: 2 }) })).toBe('functions/hello: serving.minScale: is greater than maxScale (2) (got 5); lower minScale or raise maxScale [OFN_SCALE]');
  });
  test('a zero or negative concurrency target', () => {
    expect(fail({ serving: Serving.knative({ target: 0 }) })).toMatch(/functions\/hello: serving\.target: must be greater than zero \(got 0\)/);
    expect(fail({ serving: Serving.knative({ target: -5 }) })).toMatch(/serving\.target: must be greater than zero \(got -5\)/);
  });
  test('a port outside 1-65535', () => {
    expect(fail({ serving: Serving.knative({ port: 70000 }) })).toMatch(/functions\/hello: serving\.port: is not a port number from 1 to 65535 \(got 70000\)/);
    expect(fail({ serving: Serving.knative({ port: 0 }) })).toMatch(/serving\.port: is not a port number/);
  });
  test('an unknown tracing exporter', () => {
    expect(fail({ tracing: { provider: Tracing.openTelemetry({ name: 'honeycomb' as any, endpoint: 'x' }) } })).toMatch(/functions\/hello: tracing\.provider\.exporter\.name: is not a tracing exporter functions-framework knows \(got "honeycomb"\); use one of otlp, jaeger, zipkin/);
  });
  test('traffic that does not add up to 100', () => {
    expect(fail({ serving: Serving.knative({ traffic: [Traffic.current(50), Traffic.latest(40)] }) })).toMatch(/functions\/hello: serving\.traffic: percentages add up to 90, not 100 \(got \[50,40\]\); make the percentages add up to exactly 100/);
  });
  test('duplicate traffic tags and bad percentages', () => {
    const msg = fail({ serving: Serving.knative({ traffic: [Traffic.current(50.5, { tag: 'a' }), Traffic.latest(49.5, { tag: 'a' })] }) });
    expect(msg).toMatch(/serving\.traffic\[0\]\.percent: must be a whole number from 0 to 100/);
    expect(msg).toMatch(/serving\.traffic\[1\]\.tag: is used by another target/);
  });
  test('env names that are not identifiers, and reserved ones', () => {
    const msg = fail({ serving: Serving.knative({ env: { 'my-var': '1', FUNC_CONTEXT: '{}' } }) });
    expect(msg).toMatch(/functions\/hello: serving\.env\.my-var: is not a valid environment variable name \(got "my-var"\)/);
    expect(msg).toMatch(/functions\/hello: serving\.env\.FUNC_CONTEXT: is set by the library/);
  });
  test('a legacy Knative annotation next to the one the library sets', () => {
    expect(fail({ serving: Serving.knative({ annotations: { 'autoscaling.knative.dev/minScale': '1' } }) })).toMatch(/serving\.annotations\.autoscaling\.knative\.dev\/minScale: is the old spelling of autoscaling\.knative\.dev\/min-scale.*use the minScale option/);
  });
  test('a version that is not a label value', () => {
    expect(fail({ version: 'v 1' })).toMatch(/functions\/hello: version: is not a valid label value/);
  });
  test('a scale-down delay beyond an hour and a zero timeout', () => {
    const msg = fail({ serving: Serving.knative({ scaleDownDelay: Duration.hours(2), timeout: Duration.seconds(0) }) });
    expect(msg).toMatch(/serving\.timeout: must be longer than zero/);
    expect(msg).toMatch(/serving\.scaleDownDelay: must be from 0 to 1 hour/);
  });
});
