import * as pulumi from '@pulumi/pulumi';
import { installMocks, value } from './mocks';
import { Chart, Testing } from 'cdk8s';
import { addExamples } from '../../examples';
import {
  Builder, chartObjects, DaprComponents, EventSink, EventSource, Function as CdkFunction, FunctionSource, KanikoStrategy, RevisionWatcher, Serving, SourceEvent,
  StandardBuildStrategies,
} from '../../src';

const registered = installMocks('openfunction', 'test');

// The module under test is loaded after the mocks are in place.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ofn = require('../../src/pulumi') as typeof import('../../src/pulumi');

/** Waits until every resource of a component has been registered with the mocks. */
const settled = async (resources: Record<string, pulumi.CustomResource>) => {
  await Promise.all(Object.values(resources).map((r) => value(r.urn)));
};
const kubeInputs = (from: number) => registered.slice(from).filter((r) => r.type.startsWith('kubernetes:')).map((r) => r.inputs);

const HELLO = {
  image: 'registry.example.com/demo/hello:v1',
  source: FunctionSource.fromGit('https://github.com/OpenFunction/samples.git', { revision: 'main', subPath: 'functions/knative/hello-world-go' }),
  builder: Builder.GO,
  buildEnv: { FUNC_NAME: 'HelloWorld' },
  serving: Serving.knative({ maxScale: 10 }),
};

test('every example registers through Pulumi exactly the objects cdk8s synthesizes', async () => {
  const from = registered.length;
  const component = new ofn.Cdk8sApp('examples', { build: addExamples });
  await settled(component.resources);
  const app = Testing.app();
  addExamples(app);
  const synthesized = app.charts.flatMap((c) => chartObjects(c));
  expect(synthesized.length).toBeGreaterThan(30);
  expect(ofn.comparable(kubeInputs(from))).toEqual(ofn.comparable(synthesized));
});

describe('the Function component', () => {
  let fn: InstanceType<typeof ofn.Function>;
  let from: number;
  let mine: pulumi.runtime.MockResourceArgs[];
  beforeAll(async () => {
    from = registered.length;
    const strategies = new ofn.Cdk8sChart('strategies', { build: (chart) => new StandardBuildStrategies(chart, 'strategies') });
    fn = new ofn.Function('hello', { ...HELLO, namespace: 'demo' });
    await settled(strategies.resources);
    await settled(fn.resources);
    mine = registered.slice(from).filter((r) => r.name.startsWith('hello:'));
  });

  test('registers the same objects as the cdk8s Function with the same props', () => {
    const app = Testing.app();
    new StandardBuildStrategies(new Chart(app, 'platform'), 'strategies');
    const chart = new Chart(app, 'hello', { namespace: 'demo' });
    new CdkFunction(chart, 'hello', HELLO);
    expect(ofn.comparable(mine.map((r) => r.inputs))).toEqual(ofn.comparable(chartObjects(chart)));
  });

  test('uses typed classes for core kinds and CustomResource for the rest', () => {
    expect(mine.map((r) => r.type).sort()).toEqual([
      'kubernetes:core/v1:ServiceAccount', 'kubernetes:serving.knative.dev/v1:Service', 'kubernetes:shipwright.io/v1beta1:Build', 'kubernetes:shipwright.io/v1beta1:BuildRun',
    ]);
  });

  test('names resources after the component and the object, so two functions never collide', () => {
    expect(mine.map((r) => r.name).sort()).toEqual(['hello:Build/demo/hello', `hello:BuildRun/demo/${mine.find((r) => r.inputs.kind === 'BuildRun')!.inputs.metadata.name}`, 'hello:Service/demo/hello', 'hello:ServiceAccount/demo/hello-build']);
  });

  test('parents every object to the component', async () => {
    const urns = await Promise.all(Object.values(fn.resources).map((r) => value(r.urn)));
    expect(urns).toHaveLength(4);
    for (const urn of urns) expect(urn).toMatch(/::openfunction:index:Function\$kubernetes:[^:]+:[^:]+::hello:/);
  });

  test('waits for the BuildRun to succeed and the Knative Service to be Ready', () => {
    const byKind = Object.fromEntries(mine.map((r) => [r.inputs.kind, r.inputs.metadata.annotations]));
    expect(byKind.BuildRun).toEqual({ 'pulumi.com/waitFor': 'jsonpath={.status.conditions[?(@.type=="Succeeded")].status}=True' });
    expect(byKind.Service).toEqual({ 'pulumi.com/waitFor': 'condition=Ready' });
    expect(byKind.Build).toBeUndefined();
  });

  test('exposes image, BuildRun name, revision, namespace and in-cluster URL as outputs', async () => {
    expect(await value(fn.image)).toBe('registry.example.com/demo/hello:v1');
    expect(await value(fn.buildRunName)).toMatch(/^hello-[0-9a-f]{10}$/);
    expect(await value(fn.revisionName)).toMatch(/^hello-latest-/);
    expect(await value(fn.namespace)).toBe('demo');
    expect(await value(fn.internalUrl)).toBe('http://hello.demo.svc.cluster.local');
  });
});

test('awaiting can be switched off', async () => {
  const from = registered.length;
  const fn = new ofn.Function('quiet', { ...HELLO, namespace: 'demo', awaitBuild: false, awaitServing: false }, {});
  await settled(fn.resources);
  const annotations = registered.slice(from).filter((r) => r.name.startsWith('quiet:') && ['BuildRun', 'Service'].includes(r.inputs.kind)).map((r) => r.inputs.metadata.annotations);
  expect(annotations).toEqual([{ 'pulumi.com/skipAwait': 'true' }, { 'pulumi.com/skipAwait': 'true' }]);
});

test('an output image is resolved before the objects are built', async () => {
  const from = registered.length;
  const fn = new ofn.Function('late', { image: pulumi.output('registry.example.com/demo/late:v1'), namespace: 'demo' });
  expect(await value(fn.image)).toBe('registry.example.com/demo/late:v1');
  await settled(fn.resources);
  const svc = registered.slice(from).find((r) => r.name === 'late:Service/demo/late');
  expect(svc?.inputs.spec.template.spec.containers[0].image).toBe('registry.example.com/demo/late:v1');
});

test('a gateway and a routed function give the URL', async () => {
  const gw = new ofn.FunctionGateway('gw', { domain: 'fn.example.com', gatewayClassName: 'contour', namespace: 'gateways' });
  const fn = new ofn.Function('routed', { image: 'r.io/a/b:1', namespace: 'demo', route: gw.route() });
  expect(await value(fn.url)).toBe('http://routed.demo.fn.example.com/');
});

test('bad props fail the program run with the cdk8s error, before any resource is registered', () => {
  const from = registered.length;
  expect(() => new ofn.Function('bad', { image: 'r.io/a/b', serving: Serving.knative({ minScale: 3, maxScale: 1 }) })).toThrow(/bad\/bad: serving\.minScale: is greater than maxScale \(1\) \(got 3\)/);
  expect(registered.slice(from).filter((r) => r.type.startsWith('kubernetes:'))).toEqual([]);
});

test('a strategy the program does not define fails the program run like cdk8s synth', () => {
  const elsewhere = new KanikoStrategy(new Chart(Testing.app(), 'other'), 'kaniko', { name: 'kaniko-elsewhere' });
  expect(() => new ofn.Function('nostrategy', { image: 'r.io/a/b', source: HELLO.source, dockerfile: 'Dockerfile', strategy: elsewhere, namespace: 'demo' }))
    .toThrow(/strategy: ClusterBuildStrategy "kaniko-elsewhere" is defined in another app/);
});

test('a Kubernetes provider given to the component reaches every object', async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const k8s = require('@pulumi/kubernetes') as typeof import('@pulumi/kubernetes');
  const provider = new k8s.Provider('staging', { namespace: 'demo' });
  const fn = new ofn.Function('provided', { image: 'r.io/a/b:1', namespace: 'demo' }, { providers: { kubernetes: provider } });
  await settled(fn.resources);
  const mine = registered.filter((r) => r.name.startsWith('provided:'));
  expect(mine.length).toBeGreaterThan(0);
  for (const r of mine) expect(r.provider).toMatch(/::staging::staging-id$/);
});

test('the Platform component registers CRDs first and makes custom resources depend on them', async () => {
  const from = registered.length;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require('path') as typeof import('path');
  const { ManifestSource, PlatformComponent } = await import('../../src');
  const platform = new ofn.Platform('ofn', {
    kubernetesVersion: '1.33', components: [PlatformComponent.KEDA, PlatformComponent.DAPR],
    manifests: ManifestSource.mirror(path.join(__dirname, '..', 'fixtures', 'platform-mirror')),
  });
  await settled(platform.resources);
  const mine = registered.slice(from).filter((r) => r.name.startsWith('ofn:'));
  const kinds = mine.map((r) => r.inputs.kind);
  expect(kinds.slice(0, 2)).toEqual(['Namespace', 'Namespace']);
  expect(kinds.indexOf('CustomResourceDefinition')).toBeLessThan(kinds.indexOf('Deployment'));
  expect(platform.images).toEqual(['ghcr.io/dapr/daprd:1.18.3', 'ghcr.io/dapr/injector:1.18.3', 'ghcr.io/kedacore/keda:2.20.2']);
  expect(ofn.comparable(mine.map((r) => r.inputs))).toEqual(ofn.comparable(platform.objects));
});

test('a RevisionWatcher works in one Cdk8sChart with its functions; a later function cannot join it', async () => {
  const from = registered.length;
  let watcher: RevisionWatcher | undefined;
  const component = new ofn.Cdk8sChart('watched', {
    namespace: 'demo',
    build: (chart) => {
      watcher = new RevisionWatcher(chart, 'watcher');
      new CdkFunction(chart, 'followed', { source: FunctionSource.fromImage('registry.example.com/demo/followed:v1'), watch: { watcher } });
    },
  });
  await settled(component.resources);
  const config = kubeInputs(from).find((o: any) => o.kind === 'ConfigMap' && o.metadata.name === 'revision-watcher-config') as any;
  expect(JSON.parse(config.data['config.json']).functions.map((f: any) => f.name)).toEqual(['followed']);
  expect(kubeInputs(from).filter((o: any) => o.kind === 'Role').map((o: any) => o.rules.find((r: any) => r.resources[0] === 'services').resourceNames)).toEqual([['followed']]);
  expect(() => new ofn.Function('late', { source: FunctionSource.fromImage('registry.example.com/demo/late:v1'), namespace: 'demo', watch: { watcher } }))
    .toThrow(/late[-\d]*\/late: watch: names a RevisionWatcher whose objects are already registered \(by Pulumi component watched\).*\[OFN_REGISTERED\]/);
});

test('a Dapr component or a sink function already registered by another component is an error, not a silently missing scope or scaler', async () => {
  let store: any;
  const components = new ofn.Cdk8sChart('shared-components', {
    namespace: 'demo',
    build: (chart) => {
      store = DaprComponents.redisState(chart, 'store', { host: 'redis:6379' });
    },
  });
  await settled(components.resources);
  expect(() => new ofn.Function('counter', { source: FunctionSource.fromImage('registry.example.com/demo/counter:v1'), namespace: 'demo', states: [store] }))
    .toThrow(/counter[-\d]*\/counter: serving: uses a Dapr component whose objects are already registered \(by Pulumi component shared-components\), so its scopes can no longer include this function .*\[OFN_REGISTERED\]/);

  const worker = new ofn.Cdk8sChart('worker', {
    namespace: 'demo',
    build: (chart) => {
      const queue = DaprComponents.kafkaBinding(chart, 'jobs', { brokers: ['kafka:9092'], topics: ['jobs'], consumerGroup: 'worker' });
      new CdkFunction(chart, 'worker', { image: 'registry.example.com/demo/worker:v1', serving: Serving.async({ triggers: [{ component: queue }] }) });
    },
  });
  await settled(worker.resources);
  const fn = worker.chart.node.findChild('worker') as CdkFunction;
  expect(() => new ofn.Cdk8sChart('events', {
    namespace: 'demo',
    build: (chart) => {
      new EventSource(chart, 'orders', { sink: EventSink.fromFunction(fn), events: { created: SourceEvent.kafka({ brokers: ['kafka:9092'], topic: 'orders' }) } });
    },
  })).toThrow(/events\/orders: sink: is a function whose objects are already registered \(by Pulumi component worker\).*\[OFN_REGISTERED\]/);
});
