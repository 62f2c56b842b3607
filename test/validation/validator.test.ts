import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { SchemaValidation, SchemaValidator, pointerToPath } from '../../src';
import { minimalObject, MINIMAL_OBJECTS } from '../fixtures/minimal-objects';

const validator = SchemaValidator.default;
const index = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'imports', 'schemas', 'index.json'), 'utf8'));

describe('valid objects', () => {
  test('every kind in the schema index has a minimal fixture, and no fixture names an unknown kind', () => {
    expect(Object.keys(MINIMAL_OBJECTS).sort()).toEqual(Object.keys(index).sort());
  });

  test.each(Object.keys(index).sort())('a minimal %s validates', (key) => {
    expect(validator.validateObject(minimalObject(key)).map(String)).toEqual([]);
  });
});

describe('invalid objects', () => {
  test('a wrong type names the object, the path and both types', () => {
    const obj = minimalObject('apps/v1/Deployment');
    obj.spec.replicas = 'three';
    expect(validator.validateObject(obj).map(String)).toEqual([
      'Deployment/demo/fn: spec.replicas: must be integer; got string "three"',
    ]);
  });

  test('a missing required field in a custom resource is named by its full path', () => {
    const obj = minimalObject('shipwright.io/v1beta1/Build');
    delete obj.spec.output.image;
    expect(validator.validateObject(obj).map(String)).toEqual(['Build/demo/fn: spec.output.image: required field is missing']);
  });

  test('a missing required field in a core kind is reported', () => {
    const obj = minimalObject('v1/Pod');
    delete obj.spec.containers[0].name;
    expect(validator.validateObject(obj).map(String)).toEqual(['Pod/demo/fn: spec.containers[0].name: required field is missing']);
  });

  test('an unknown enum value lists the allowed values and the bad one', () => {
    const obj = minimalObject('gateway.networking.k8s.io/v1/HTTPRoute');
    obj.spec.rules[0].matches[0].path.type = 'Prefix';
    expect(validator.validateObject(obj).map(String)).toEqual([
      'HTTPRoute/demo/fn: spec.rules[0].matches[0].path.type: must be one of "Exact", "PathPrefix", "RegularExpression"; got "Prefix"',
    ]);
  });

  test('a misspelled field in a CRD schema without additionalProperties is rejected (strict, like fieldValidation=Strict)', () => {
    const obj = minimalObject('serving.knative.dev/v1/Service');
    obj.spec.template.spec.containers[0].imagePullPolcy = 'Always';
    expect(validator.validateObject(obj).map(String)).toEqual([
      expect.stringMatching(/^Service\/demo\/fn: spec\.template\.spec\.containers\[0\]\.imagePullPolcy: unknown field/),
    ]);
  });

  test('a misspelled field in a core kind is rejected', () => {
    const obj = minimalObject('apps/v1/Deployment');
    obj.spec.template.spec.containers[0].imagePullPolcy = 'Always';
    expect(validator.validateObject(obj).map(String)).toEqual([
      expect.stringMatching(/^Deployment\/demo\/fn: spec\.template\.spec\.containers\[0\]\.imagePullPolcy: unknown field/),
    ]);
  });

  test('fields under x-kubernetes-preserve-unknown-fields stay open', () => {
    const obj = minimalObject('serving.knative.dev/v1/Service');
    obj.spec.template.metadata.somethingExtra = 'kept';
    expect(validator.validateObject(obj)).toEqual([]);
  });

  test('a bad apiVersion for a known kind names the known apiVersions', () => {
    const obj = minimalObject('shipwright.io/v1beta1/Build');
    obj.apiVersion = 'shipwright.io/v1';
    expect(validator.validateObject(obj).map(String)).toEqual([
      'Build/demo/fn: apiVersion: no schema for shipwright.io/v1 Build; known apiVersions for Build: shipwright.io/v1beta1',
    ]);
  });

  test('an apiVersion we do not emit is not silently accepted (Shipwright v1alpha1)', () => {
    const obj = minimalObject('shipwright.io/v1beta1/BuildRun');
    obj.apiVersion = 'shipwright.io/v1alpha1';
    expect(validator.validateObject(obj)).toHaveLength(1);
  });

  test('an unknown kind is reported, not passed', () => {
    const problems = validator.validateObject({ apiVersion: 'core.openfunction.io/v1beta2', kind: 'Function', metadata: { name: 'f', namespace: 'demo' } });
    expect(problems.map(String)).toEqual([expect.stringMatching(/^Function\/demo\/f: apiVersion: no schema for core\.openfunction\.io\/v1beta2 Function; no schema is known/)]);
  });

  test('an object without apiVersion is reported', () => {
    expect(validator.validateObject({ kind: 'ConfigMap', metadata: { name: 'x' } }).map(String)).toEqual(['ConfigMap/x: apiVersion: required field is missing']);
  });

  test('metadata is checked like the API server: a name that is not a DNS-1123 subdomain fails', () => {
    const obj = minimalObject('v1/ConfigMap');
    obj.metadata.name = 'Hello_World';
    expect(validator.validateObject(obj).map(String)).toEqual([expect.stringMatching(/^ConfigMap\/demo\/Hello_World: metadata\.name: must match/)]);
  });

  test('a Service name must be a DNS label (no dots)', () => {
    const obj = minimalObject('v1/Service');
    obj.metadata.name = 'a.b';
    expect(validator.validateObject(obj).length).toBeGreaterThan(0);
  });

  test('metadata of custom resources is checked too: a label value over 63 characters fails', () => {
    const obj = minimalObject('dapr.io/v1alpha1/Component');
    obj.metadata.labels = { app: 'x'.repeat(64) };
    expect(validator.validateObject(obj).map(String)).toEqual([expect.stringMatching(/^Component\/demo\/fn: metadata\.labels\.app: must NOT have more than 63 characters/)]);
  });

  test('an unknown field in metadata is rejected', () => {
    const obj = minimalObject('v1/ConfigMap');
    obj.metadata.label = { a: 'b' };
    expect(validator.validateObject(obj).map(String)).toEqual([expect.stringMatching(/^ConfigMap\/demo\/fn: metadata\.label: unknown field/)]);
  });

  test('int-or-string fields take both forms and nothing else', () => {
    const obj = minimalObject('v1/Service');
    obj.spec.ports[0].targetPort = 8080;
    expect(validator.validateObject(obj)).toEqual([]);
    obj.spec.ports[0].targetPort = true;
    expect(validator.validateObject(obj)).toHaveLength(1);
  });

  test('quantities may be numbers, as upstream manifests write them', () => {
    const obj = minimalObject('apps/v1/Deployment');
    obj.spec.template.spec.containers[0].resources = { requests: { cpu: 1, memory: '64Mi' } };
    expect(validator.validateObject(obj)).toEqual([]);
  });

  test('null-valued optional fields are ignored, as the API server drops them', () => {
    const obj = minimalObject('apiextensions.k8s.io/v1/CustomResourceDefinition');
    obj.metadata.creationTimestamp = null;
    expect(validator.validateObject(obj)).toEqual([]);
  });

  test('every problem of an object is reported, not only the first', () => {
    const obj = minimalObject('shipwright.io/v1beta1/Build');
    obj.spec.strategy.nam = 'typo';
    obj.spec.output.image = 42;
    expect(validator.validateObject(obj).map((p) => p.path)).toEqual(['spec.output.image', 'spec.strategy.nam']);
  });
});

describe('custom resource definitions added at run time', () => {
  test('a CRD added with addCustomResourceDefinition validates its kind strictly', () => {
    const v = new SchemaValidator();
    const crd = minimalObject('apiextensions.k8s.io/v1/CustomResourceDefinition');
    crd.spec.versions[0].schema.openAPIV3Schema = { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } };
    v.addCustomResourceDefinition(crd);
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } };
    expect(v.validateObject(widget)).toEqual([]);
    expect(v.validateObject({ ...widget, spec: { sise: 1 } }).map(String)).toEqual([expect.stringMatching(/^Widget\/w: spec\.sise: unknown field/)]);
  });
});

describe('synth-time validation', () => {
  function chartWithBadObject(app: App): Chart {
    const chart = new Chart(app, 'c', { namespace: 'demo' });
    new ApiObject(chart, 'bad', { apiVersion: 'shipwright.io/v1beta1', kind: 'BuildRun', metadata: { name: 'run' }, spec: { bild: { name: 'x' } } } as any);
    SchemaValidation.addTo(chart);
    return chart;
  }

  test('app.synth() fails on an invalid object, naming it, and writes no file', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-'));
    const app = new App({ outdir });
    chartWithBadObject(app);
    expect(() => app.synth()).toThrow(/BuildRun\/demo\/run: spec\.bild: unknown field/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('the context key switches synth-time validation off', () => {
    const app = Testing.app();
    app.node.setContext('openfunction-constructs:schemaValidation', false);
    const chart = chartWithBadObject(app);
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('the environment variable switches synth-time validation off', () => {
    process.env.OFN_SCHEMA_VALIDATION = 'false';
    try {
      const chart = chartWithBadObject(Testing.app());
      expect(() => Testing.synth(chart)).not.toThrow();
    } finally {
      delete process.env.OFN_SCHEMA_VALIDATION;
    }
  });

  test('validateApp reports every problem of every chart', () => {
    const app = Testing.app();
    chartWithBadObject(app);
    expect(validator.validateApp(app).map((p) => `${p.object} ${p.path}`)).toEqual(['BuildRun/demo/run spec.build', 'BuildRun/demo/run spec.bild']);
  });
});

test('pointerToPath turns JSON pointers into readable paths', () => {
  expect(pointerToPath('/spec/containers/0/image')).toBe('spec.containers[0].image');
  expect(pointerToPath('/metadata/labels/app.kubernetes.io~1name')).toBe('metadata.labels["app.kubernetes.io/name"]');
});

test('a cluster-scoped object with a namespace is a problem', () => {
  const problems = SchemaValidator.default.validateObject({ ...minimalObject('shipwright.io/v1beta1/ClusterBuildStrategy'), metadata: { name: 'x', namespace: 'demo' } });
  expect(problems.map(String)).toEqual(['ClusterBuildStrategy/demo/x: metadata.namespace: ClusterBuildStrategy is cluster-scoped and takes no namespace; remove it']);
});

test('RBAC objects may be named with path segments; other kinds need DNS subdomains', () => {
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'cert-manager:leaderelection' }, rules: [] };
  expect(SchemaValidator.default.validateObject(role)).toEqual([]);
  expect(SchemaValidator.default.validateObject({ ...role, metadata: { name: 'a/b' } }).map((p) => p.path)).toEqual(['metadata.name']);
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a:b' } };
  expect(SchemaValidator.default.validateObject(cm).map((p) => p.path)).toEqual(['metadata.name']);
  const build = { ...minimalObject('shipwright.io/v1beta1/Build'), metadata: { name: 'Build_1' } };
  expect(SchemaValidator.default.validateObject(build).map((p) => p.path)).toEqual(['metadata.name']);
});
