import { App, Chart, Testing } from 'cdk8s';
import { addAcmeApp } from '../../examples/acme-template/app';
import { AcmeFunction, AcmeTeamChart } from '../../examples/acme-template';
import {
  Builder, chartObjects, DaprComponents, Function, FunctionDefaults, FunctionPolicy, FunctionSource, PropValidationError, SchemaValidator, Serving,
  StandardBuildStrategies,
} from '../../src';
import { errorOf } from '../helpers';

function acme() {
  const app = Testing.app();
  new StandardBuildStrategies(new Chart(app, 'platform'), 'strategies');
  const chart = addAcmeApp(app);
  const objects = chartObjects(chart) as any[];
  expect(SchemaValidator.default.validateApp(app).map(String)).toEqual([]);
  const of = (fn: string, kind: string) => objects.find((o) => o.kind === kind && o.metadata.name === fn);
  return { app, chart, objects, of };
}

describe('the Acme template', () => {
  const { chart, of } = acme();
  const fn = (id: string) => chart.node.findChild(id) as Function;

  test('derives the image from the team repository and pushes with the template secret', () => {
    expect(of('invoice', 'Build').spec.output).toEqual({ image: 'registry.acme.example/payments/invoice:latest', pushSecret: 'acme-registry' });
    expect(of('refund', 'Build').spec.output.image).toBe('registry.acme.example/payments/refund:v2');
    expect(of('invoice', 'Service').spec.template.spec.imagePullSecrets).toEqual([{ name: 'acme-registry' }]);
  });

  test('builds with the template builder unless the function names its own', () => {
    expect(of('invoice', 'Build').spec.paramValues[0]).toEqual({ name: 'builder-image', value: Builder.NODEJS.image });
    expect(of('refund', 'Build').spec.paramValues[0]).toEqual({ name: 'builder-image', value: Builder.GO.image });
  });

  test('routes through the shared gateway, labels everything and sets limits; a function\'s resources win', () => {
    expect(of('invoice', 'HTTPRoute').spec.parentRefs[0]).toMatchObject({ name: 'acme-edge', namespace: 'gateways' });
    expect(fn('invoice').url).toBe('http://invoice.payments.fn.acme.example/');
    expect(of('invoice', 'Service').metadata.labels).toMatchObject({ 'acme.example/team': 'payments', 'acme.example/cost-center': 'cc-payments' });
    expect(of('invoice', 'Service').spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(of('report', 'Service').spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } });
  });

  test('each function says which defaults it took', () => {
    expect(fn('invoice').appliedDefaults.sort()).toEqual(['builder', 'image', 'imageCredentials', 'labels', 'route']);
    expect(fn('refund').appliedDefaults).not.toContain('builder');
  });
});

describe('policies', () => {
  const team = () => new AcmeTeamChart(Testing.app(), 'acme', { team: 'payments' });
  // Thrown errors (OFN_COLLECT_ERRORS=false), to read the codes of the PropValidationError.
  const error = (fn: () => unknown) => {
    process.env.OFN_COLLECT_ERRORS = 'false';
    try {
      fn();
    } catch (e) {
      return e as PropValidationError;
    } finally {
      delete process.env.OFN_COLLECT_ERRORS;
    }
    throw new Error('expected a policy violation');
  };

  test('an image from another registry', () => {
    const e = error(() => new Function(team(), 'outside', { source: FunctionSource.fromImage('docker.io/library/nginx:1') }));
    expect(e.codes).toEqual(['OFN_POLICY_REGISTRY']);
    expect(e.message).toBe('acme/outside: image: is not from an allowed registry (registry.acme.example/) (got "docker.io/library/nginx:1"); push the image to an allowed registry, or ask the platform team to allow this one [OFN_POLICY_REGISTRY]');
  });

  test('missing limits, when the template\'s are overridden without them', () => {
    const e = error(() => new AcmeFunction(team(), 'greedy', { path: 'x', serving: Serving.knative({ resources: { cpuRequest: '1' } }) }));
    expect(e.codes).toEqual(['OFN_POLICY_LIMITS']);
    expect(e.message).toMatch(/acme\/greedy: serving\.resources: must set cpuLimit and memoryLimit \(platform policy\)/);
  });

  test('Dapr where the scope forbids it', () => {
    const chart = team();
    const store = DaprComponents.redisState(chart, 'store', { host: 'redis:6379' });
    const e = error(() => new AcmeFunction(chart, 'stateful', { path: 'x', states: [store] }));
    expect(e.codes).toEqual(['OFN_POLICY_DAPR']);
  });

  test('a custom policy, and policies of nested scopes adding up', () => {
    const app = new App({ outdir: '/tmp' });
    FunctionDefaults.set(app, { policies: [FunctionPolicy.of('ACME_VERSION', (f) => (f.labels['acme.example/owner'] ? undefined : { prop: 'labels', value: f.labels, problem: 'has no acme.example/owner', fix: 'add the owner label' }))] });
    const chart = new Chart(app, 'c');
    FunctionDefaults.set(chart, { policies: [FunctionPolicy.noDapr()], labels: { tier: 'web' } });
    expect(FunctionDefaults.of(chart)?.policies).toHaveLength(2);
    const e = error(() => new Function(chart, 'f', { image: 'r.io/a/b:1' }));
    expect(e.codes).toEqual(['ACME_VERSION']);
    expect(() => new Function(chart, 'g', { image: 'r.io/a/b:1', labels: { 'acme.example/owner': 'me' } })).not.toThrow();
  });
});

describe('builders by language', () => {
  const setup = () => {
    const app = Testing.app();
    new StandardBuildStrategies(new Chart(app, 'platform'), 'strategies');
    const chart = new Chart(app, 'fns', { namespace: 'demo' });
    const acmeGo = Builder.fromImage('registry.acme.example/builders/go:1.22', { language: 'go' });
    FunctionDefaults.set(chart, { builders: { go: acmeGo }, builder: Builder.JAVA });
    const src = FunctionSource.fromGit('https://h/r.git');
    return { app, chart, src, acmeGo };
  };
  const builderOf = (_app: App, chart: Chart, name: string) => (chartObjects(chart) as any[]).find((o) => o.kind === 'Build' && o.metadata.name === name).spec.paramValues[0].value;

  test('a language picks the scope\'s builder for it, else OpenFunction\'s; no language takes the default builder', () => {
    const { app, chart, src, acmeGo } = setup();
    new Function(chart, 'go-fn', { image: 'r.io/a/go:1', source: src, language: 'go' });
    new Function(chart, 'node-fn', { image: 'r.io/a/node:1', source: src, language: 'nodejs' });
    new Function(chart, 'plain', { image: 'r.io/a/plain:1', source: src });
    expect(builderOf(app, chart, 'go-fn')).toBe(acmeGo.image);
    expect(builderOf(app, chart, 'node-fn')).toBe(Builder.NODEJS.image);
    expect(builderOf(app, chart, 'plain')).toBe(Builder.JAVA.image);
  });

  test('an unknown language is a synth error naming the function', () => {
    const { chart, src } = setup();
    expect(errorOf(() => new Function(chart, 'rusty', { image: 'r.io/a/r:1', source: src, language: 'rust' })))
      .toBe('fns/rusty: language: is not a language OpenFunction has a builder for (got "rust"); use one of go, nodejs, java, python, dotnet, or give builder: Builder.fromImage(\'...\') [OFN_BUILDER_LANGUAGE]');
  });
});
