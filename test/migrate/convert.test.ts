import * as fs from 'fs';
import * as path from 'path';
import { chartObjects, convert, MigrationError, parseDocuments, SchemaValidator, validationProblems } from '../../src';

const DIR = path.join(__dirname, '..', 'fixtures', 'openfunction');
function convertFile(file: string) {
  const result = convert(parseDocuments(fs.readFileSync(path.join(DIR, file), 'utf8'), file));
  expect(validationProblems(result.app)).toEqual([]);
  const objects = result.app.charts.flatMap((c) => chartObjects(c)) as any[];
  expect(SchemaValidator.default.validateObjects(objects).map(String)).toEqual([]);
  return { ...result, objects, find: (kind: string) => objects.filter((o) => o.kind === kind) };
}
function failure(text: string, file = 'input.yaml'): string[] {
  try {
    convert(parseDocuments(text, file));
  } catch (e) {
    if (e instanceof MigrationError) return e.problems.map(String);
    throw e;
  }
  throw new Error('expected a MigrationError');
}

describe('the tutorial function (v1beta1)', () => {
  const { find, functions, warnings } = convertFile('function-sample.yaml');
  test('builds from git with the builder, env and push secret, on the openfunction strategy', () => {
    const build = find('Build')[0];
    expect(build.spec.source).toEqual({ type: 'Git', git: { url: 'https://github.com/OpenFunction/samples.git', revision: 'main' }, contextDir: 'functions/knative/hello-world-go' });
    expect(build.spec.strategy).toEqual({ name: 'openfunction', kind: 'ClusterBuildStrategy' });
    expect(build.spec.paramValues).toEqual([{ name: 'builder-image', value: 'openfunction/builder-go:latest' }, { name: 'ENV_VARS', value: 'FUNC_CLEAR_SOURCE=true#FUNC_NAME=HelloWorld#' }]);
    expect(build.spec.output).toEqual({ image: 'openfunctiondev/sample-go-func:latest', pushSecret: 'push-secret' });
  });
  test('is served by Knative as version v2.0.0, with the template\'s pull policy', () => {
    const ksvc = find('Service')[0];
    expect(ksvc.spec.template.metadata.labels['app.kubernetes.io/version']).toBe('v2.0.0');
    expect(ksvc.spec.template.spec.containers[0]).toMatchObject({ name: 'function', imagePullPolicy: 'Always', image: 'openfunctiondev/sample-go-func:latest' });
    expect(functions[0].functionName).toBe('function-sample');
  });
  test('reports nothing ignored', () => {
    expect(warnings.map(String)).toEqual([]);
  });
});

test('the WasmEdge sample builds with the wasmedge strategy and keeps command and probe', () => {
  const { find, warnings } = convertFile('wasmedge.yaml');
  expect(find('Build')[0].spec.strategy.name).toBe('wasmedge');
  const pod = find('Service')[0].spec.template;
  expect(pod.metadata.annotations['module.wasm.image/variant']).toBe('compat-smart');
  expect(pod.spec.containers[0]).toMatchObject({ command: ['/wasmedge_hyper_server.wasm'], livenessProbe: { tcpSocket: { port: 8080 } } });
  expect(warnings.map(String)).toEqual(['wasmedge.yaml#0: spec.route.gatewayRef: names Gateway openfunction/openfunction, which is not in the input; the route was left out (add the Gateway\'s YAML to convert it)']);
});

describe('an async Kafka function (v1beta2)', () => {
  const { find, warnings } = convertFile('kafka-async.yaml');
  test('keeps the binding as a scoped Dapr component and the output as an existing one', () => {
    const component = find('Component')[0];
    expect(component.metadata).toMatchObject({ name: 'target-topic', namespace: 'demo' });
    expect(component.scopes).toEqual(['kafka-input-demo']);
    expect(component.spec.type).toBe('bindings.kafka');
  });
  test('runs in a Deployment scaled by its KEDA triggers, with FUNC_CONTEXT inputs and outputs', () => {
    const so = find('ScaledObject')[0];
    expect(so.spec).toMatchObject({ minReplicaCount: 0, maxReplicaCount: 10, pollingInterval: 15, cooldownPeriod: 60, triggers: [{ type: 'kafka', metadata: { topic: 'sample-topic', lagThreshold: '20' } }] });
    const env = find('Deployment')[0].spec.template.spec.containers[0].env;
    const ctx = JSON.parse(env.find((e: any) => e.name === 'FUNC_CONTEXT').value);
    expect(ctx.inputs).toEqual({ 'target-topic': { uri: 'target-topic', componentName: 'target-topic', componentType: 'bindings.kafka' } });
    expect(ctx.outputs).toEqual({ sink: { uri: 'sink', componentName: 'sink', componentType: 'bindings.http', operation: 'create' } });
    expect(env.find((e: any) => e.name === 'LOG_LEVEL').value).toBe('debug');
  });
  test('builds from the bundle, with the timeout, and says that a history limit of 0 became 1', () => {
    const build = find('Build')[0];
    expect(build.spec.source).toEqual({ type: 'OCI', ociArtifact: { image: 'openfunctiondev/sample-source-code:latest' }, contextDir: 'samples/functions/async/bindings/kafka-input' });
    expect(build.spec.timeout).toBe('30m');
    expect(build.spec.retention.succeededLimit).toBe(1);
    expect(warnings.map(String)).toEqual(['kafka-async.yaml#0: spec.build.successfulBuildsHistoryLimit: is 0; Shipwright keeps at least one BuildRun, so it becomes 1']);
  });
});

test('a Gateway and a routed function become a FunctionGateway on the existing Gateway and an HTTPRoute', () => {
  const { find, functions, warnings } = convertFile('routed.yaml');
  expect(find('Gateway')).toEqual([]);
  const route = find('HTTPRoute')[0];
  expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'projectcontour', name: 'contour' }]);
  expect(route.spec.hostnames).toEqual(['api.ofn.io', 'hello.default.svc.cluster.local']);
  expect(functions[0].url).toBe('http://api.ofn.io/default/hello');
  const ksvc = find('Service')[0];
  expect(ksvc.spec.template.metadata.annotations).toMatchObject({ 'autoscaling.knative.dev/max-scale': '5', 'autoscaling.knative.dev/target': '50' });
  expect(ksvc.spec.template.spec.containers[0].env.map((e: any) => e.name)).toContain('SW_AGENT_COLLECTOR_BACKEND_SERVICES');
  expect(warnings.map(String)).toEqual(['routed.yaml#1: spec.serving.somethingNew: is not mapped by the converter and was ignored']);
});

describe('bad input names the file, the document and the field', () => {
  test('not YAML', () => {
    expect(failure('a: [b', 'broken.yaml')).toEqual([expect.stringMatching(/^broken\.yaml#0: \(document\): is not YAML: /)]);
  });
  test('not a Function, and an unknown apiVersion', () => {
    expect(failure('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n')).toEqual(['input.yaml#0: kind: v1 ConfigMap is not an OpenFunction Function (core.openfunction.io/v1beta1, v1beta2) or Gateway (networking.openfunction.io/v1alpha1)']);
    expect(failure('apiVersion: core.openfunction.io/v1alpha9\nkind: Function\nmetadata:\n  name: x\n')[0]).toMatch(/^input\.yaml#0: kind: core\.openfunction\.io\/v1alpha9 Function is not an OpenFunction Function/);
  });
  test('missing required fields and fields of the wrong type, in the second document', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n---\napiVersion: core.openfunction.io/v1beta2\nkind: Function\nmetadata:\n  name: f\nspec:\n  image: 42\n';
    expect(failure(text)).toEqual([
      'input.yaml#0: kind: v1 Namespace is not an OpenFunction Function (core.openfunction.io/v1beta1, v1beta2) or Gateway (networking.openfunction.io/v1alpha1)',
      'input.yaml#1: spec.image: must be a string, got number 42',
      'input.yaml#1: spec.image: is required',
    ]);
  });
  test('a value the library rejects, named by its OpenFunction field', () => {
    const text = 'apiVersion: core.openfunction.io/v1beta2\nkind: Function\nmetadata:\n  name: f\nspec:\n  image: r.io/a/b\n  serving:\n    triggers:\n      http:\n        engine: istio\n';
    expect(failure(text)).toEqual(['input.yaml#0: spec.serving.triggers.http.engine: is "istio"; OpenFunction accepts knative or keda']);
  });
  test('an existing component without a type', () => {
    const text = 'apiVersion: core.openfunction.io/v1beta2\nkind: Function\nmetadata:\n  name: f\nspec:\n  image: r.io/a/b\n  serving:\n    triggers:\n      dapr:\n        - name: somewhere\n';
    expect(failure(text)).toEqual(['input.yaml#0: spec.serving.triggers.dapr[0].type: is required: somewhere is not defined in the Function, so it is an existing component whose type the converter cannot read from a cluster']);
  });
});

describe("OpenFunction's revision controller annotations", () => {
  const fn = (annotations: Record<string, string>, spec: string) => `apiVersion: core.openfunction.io/v1beta2
kind: Function
metadata:
  name: watched
  namespace: demo
  annotations:
${Object.entries(annotations).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`).join('\n')}
spec:
  version: v1.0.0
${spec}`;
  const GIT = `  image: registry.local:5000/demo/watched:v1
  build:
    builder: openfunction/builder-go:v2.4.0-1.17
    srcRepo:
      url: https://github.com/OpenFunction/samples.git
      revision: main
  serving:
    triggers:
      http:
        port: 8080`;

  test('become a RevisionWatcher that follows the branch at the given interval, and ignore provider parameters with a warning', () => {
    const result = convert(parseDocuments(fn({
      'openfunction.io/revision-controller': 'enable',
      'openfunction.io/revision-controller-params': 'type: source\npolling-interval: 1m30s\nrepo-type: gitlab\nproject-id: "42"\ninsecure-registry: "true"\n',
    }, GIT), 'watched.yaml'));
    const objects = result.app.charts.flatMap((c) => chartObjects(c)) as any[];
    expect(SchemaValidator.default.validateObjects(objects).map(String)).toEqual([]);
    expect(result.revisionWatcher?.watched).toEqual(['demo/watched']);
    const config = JSON.parse(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'revision-watcher-config').data['config.json']);
    expect(config.insecureRegistries).toEqual(['registry.local:5000']);
    expect(config.functions[0]).toMatchObject({ mode: 'source', intervalSeconds: 90, git: { url: 'https://github.com/OpenFunction/samples.git', revision: 'main' } });
    // OpenFunction's controller follows the source only, not the builder.
    expect(config.functions[0].images).toBeUndefined();
    expect(result.warnings.map(String)).toEqual([
      expect.stringMatching(/^watched\.yaml#0: metadata\.annotations\.openfunction\.io\/revision-controller-params\.repo-type: is not needed: the watcher reads branches over git's smart-HTTP protocol/),
      expect.stringMatching(/^watched\.yaml#0: metadata\.annotations\.openfunction\.io\/revision-controller-params\.project-id: is not needed/),
    ]);
  });

  test('a serving-only function follows its image; without polling-interval the difference to OpenFunction is a warning', () => {
    const result = convert(parseDocuments(fn({ 'openfunction.io/revision-controller': 'enable', 'openfunction.io/revision-controller-params': 'type: image' }, `  image: registry.example.com/demo/watched:v1
  serving:
    triggers:
      http:
        port: 8080`), 'image.yaml'));
    expect(result.revisionWatcher?.watched).toEqual(['demo/watched']);
    expect(result.warnings.map(String)).toEqual([expect.stringMatching(/polling-interval: is not given: OpenFunction polls every 5s, the watcher here every 60s/)]);
  });

  test('a type that does not fit the source, and params that are not a map, are errors naming the annotation', () => {
    expect(failure(fn({ 'openfunction.io/revision-controller': 'enable', 'openfunction.io/revision-controller-params': 'type: source-image' }, GIT), 'w.yaml'))
      .toEqual(['w.yaml#0: metadata.annotations.openfunction.io/revision-controller-params.type: is "source-image", which follows a bundle image, but spec.build.srcRepo has no bundleContainer.image']);
    expect(failure(fn({ 'openfunction.io/revision-controller': 'enable', 'openfunction.io/revision-controller-params': '- a\n- b' }, GIT), 'w.yaml'))
      .toEqual(['w.yaml#0: metadata.annotations.openfunction.io/revision-controller-params: is not a YAML map of parameters']);
    expect(failure(fn({ 'openfunction.io/revision-controller': 'enable', 'openfunction.io/revision-controller-params': 'polling-interval: soon' }, GIT), 'w.yaml'))
      .toEqual(['w.yaml#0: metadata.annotations.openfunction.io/revision-controller-params.polling-interval: is "soon", not a Go duration of at least 1s']);
  });

  test('a pinned commit is not watched, as OpenFunction skips it', () => {
    const result = convert(parseDocuments(fn({ 'openfunction.io/revision-controller': 'enable', 'openfunction.io/revision-controller-params': 'polling-interval: 10s' }, GIT.replace('revision: main', 'revision: 4d48a29')), 'pinned.yaml'));
    expect(result.revisionWatcher?.watched).toEqual([]);
    expect(result.warnings.map(String)).toEqual([expect.stringMatching(/revision-controller: is set, but spec\.build\.srcRepo\.revision pins a commit/)]);
  });
});
