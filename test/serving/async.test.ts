import { Chart, Duration, Testing } from 'cdk8s';
import {
  AsyncServingOptions, AsyncWorkload, DaprComponent, DaprComponents, Function, FunctionProps, Serving,
} from '../../src';
import { errorOf, functionsApp, only, synthValid } from '../helpers';

function setup() {
  const { app, chart } = functionsApp();
  const kafka = DaprComponents.kafkaBinding(chart, 'orders', { brokers: ['kafka:9092'], topics: ['orders'], consumerGroup: 'tally', auth: { username: { name: 'kafka', key: 'user' }, password: { name: 'kafka', key: 'pass' } } });
  const cron = DaprComponents.cronBinding(chart, 'tick', { schedule: '@every 10s' });
  const bus = DaprComponents.redisPubSub(chart, 'bus', { host: 'redis:6379' });
  const sink = DaprComponents.httpBinding(chart, 'sink', { url: 'http://sink/x' });
  const store = DaprComponents.redisState(chart, 'store', { host: 'redis:6379' });
  return { app, chart, kafka, cron, bus, sink, store };
}

function asyncFn(options: (s: ReturnType<typeof setup>) => AsyncServingOptions, props: (s: ReturnType<typeof setup>) => Partial<FunctionProps> = () => ({})) {
  const s = setup();
  const fn = new Function(s.chart, 'tally', { image: 'registry.example.com/demo/tally:v1', serving: Serving.async(options(s)), ...props(s) });
  const objects = synthValid(s.app, s.chart);
  const byKind = (k: string) => objects.filter((o) => o.kind === k) as any[];
  return { fn, objects, byKind, s };
}

describe('an async function triggered by a Kafka binding', () => {
  const { fn, byKind } = asyncFn(({ kafka }) => ({ triggers: [{ component: kafka, lagThreshold: 20 }], minReplicas: 1, maxReplicas: 5, pollingInterval: Duration.seconds(15), cooldownPeriod: Duration.minutes(2) }),
    ({ sink, store }) => ({ outputs: [{ component: sink, operation: 'post', metadata: { path: '/x' } }], states: [store] }));
  const deployment = byKind('Deployment')[0];
  const pod = deployment.spec.template;
  const env = Object.fromEntries(pod.spec.containers[0].env.map((e: any) => [e.name, e.value]));

  test('runs in a Deployment with the Dapr sidecar annotations OpenFunction sets', () => {
    expect(pod.metadata.annotations).toEqual({
      'dapr.io/enabled': 'true', 'dapr.io/app-id': 'tally-demo', 'dapr.io/app-port': '8080', 'dapr.io/app-protocol': 'grpc', 'dapr.io/log-as-json': 'true',
      'dapr.io/sidecar-seccomp-profile-type': 'RuntimeDefault', 'dapr.io/sidecar-drop-all-capabilities': 'true',
    });
    expect(fn.daprAppId).toBe('tally-demo');
    expect(pod.spec.containers[0].ports).toEqual([{ containerPort: 8080, name: 'function-port', protocol: 'TCP' }]);
    // KEDA owns the replica count: the manifest leaves it out, so GitOps syncs do not fight the scaler.
    expect(deployment.spec.replicas).toBeUndefined();
  });

  test('is scaled by a ScaledObject whose Kafka trigger comes from the binding', () => {
    const so = only(byKind('ScaledObject'), 'ScaledObject');
    expect(so.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'tally', envSourceContainerName: 'function' },
      minReplicaCount: 1, maxReplicaCount: 5, pollingInterval: 15, cooldownPeriod: 120,
      triggers: [{ type: 'kafka', name: 'orders', metadata: { bootstrapServers: 'kafka:9092', consumerGroup: 'tally', topic: 'orders', lagThreshold: '20', sasl: 'plaintext' }, authenticationRef: { name: 'tally-orders' } }],
    });
  });

  test('gets the Kafka credentials through a TriggerAuthentication of Secret references', () => {
    expect(only(byKind('TriggerAuthentication'), 'TriggerAuthentication')).toMatchObject({
      metadata: { name: 'tally-orders', namespace: 'demo' },
      spec: { secretTargetRef: [{ parameter: 'password', name: 'kafka', key: 'pass' }, { parameter: 'username', name: 'kafka', key: 'user' }] },
    });
  });

  test('scopes exactly the components it uses to its app id', () => {
    const scopes = Object.fromEntries(byKind('Component').map((c) => [c.metadata.name, c.scopes]));
    expect(scopes).toEqual({ orders: ['tally-demo'], tick: undefined, bus: undefined, sink: ['tally-demo'], store: ['tally-demo'] });
  });

  test('FUNC_CONTEXT lists the input, output and state as OpenFunction writes them', () => {
    expect(JSON.parse(env.FUNC_CONTEXT)).toEqual({
      name: 'tally', version: 'latest', runtime: 'Async', port: '8080',
      inputs: { orders: { uri: 'orders', componentName: 'orders', componentType: 'bindings.kafka' } },
      outputs: { sink: { uri: 'sink', componentName: 'sink', componentType: 'bindings.http', metadata: { path: '/x' }, operation: 'post' } },
      states: { store: { componentName: 'store', componentType: 'state.redis' } },
    });
    expect(JSON.parse(env.FUNC_CONTEXT_V1BETA2)).toEqual({
      name: 'tally', version: 'latest',
      triggers: { dapr: [{ name: 'orders', type: 'bindings.kafka' }] },
      outputs: { sink: { componentName: 'sink', componentType: 'bindings.http', metadata: { path: '/x' }, operation: 'post' } },
      states: { store: { componentName: 'store', componentType: 'state.redis' } },
    });
  });

  test('keeps the secure pod defaults', () => {
    expect(pod.spec.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });
});

test('a pub-sub trigger subscribes to its topic and scales on the stream', () => {
  const { byKind } = asyncFn(({ bus }) => ({ triggers: [{ component: bus, topic: 'orders' }] }));
  const so = only(byKind('ScaledObject'), 'ScaledObject');
  expect(so.spec.triggers).toEqual([{ type: 'redis-streams', name: 'bus', metadata: { address: 'redis:6379', stream: 'orders', consumerGroup: 'tally-demo', pendingEntriesCount: '10' } }]);
  const env = byKind('Deployment')[0].spec.template.spec.containers[0].env;
  expect(JSON.parse(env.find((e: any) => e.name === 'FUNC_CONTEXT').value).inputs).toEqual({ bus: { uri: 'orders', componentName: 'bus', componentType: 'pubsub.redis' } });
});

test('a cron-triggered function has no scaler and one replica', () => {
  const { byKind } = asyncFn(({ cron }) => ({ triggers: [{ component: cron }] }));
  expect(byKind('ScaledObject')).toEqual([]);
  expect(byKind('Deployment')[0].spec.replicas).toBe(1);
  const { byKind: two } = asyncFn(({ cron }) => ({ triggers: [{ component: cron }], minReplicas: 2 }));
  expect(two('Deployment')[0].spec.replicas).toBe(2);
});

test('a trigger may name a component the app defines', () => {
  const { byKind } = asyncFn(() => ({ triggers: [{ component: 'orders', name: 'in' }] }));
  const env = byKind('Deployment')[0].spec.template.spec.containers[0].env;
  expect(Object.keys(JSON.parse(env.find((e: any) => e.name === 'FUNC_CONTEXT').value).inputs)).toEqual(['in']);
});

test('an existing component is referenced but not emitted or scoped', () => {
  const { byKind } = asyncFn(() => ({ triggers: [{ component: DaprComponent.existing('legacy', 'bindings.kafka', 'demo') }] }));
  expect(byKind('Component').map((c) => c.metadata.name)).not.toContain('legacy');
  expect(byKind('ScaledObject')).toEqual([]);
});

test('raw KEDA triggers are added as they are', () => {
  const { byKind } = asyncFn(({ cron }) => ({ triggers: [{ component: cron }], kedaTriggers: [{ type: 'cron', metadata: { timezone: 'UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '2' } }] }));
  expect(only(byKind('ScaledObject'), 'ScaledObject').spec.triggers).toEqual([{ type: 'cron', metadata: { timezone: 'UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '2' } }]);
});

test('advanced HPA behaviour and fallback reach the ScaledObject', () => {
  const { byKind } = asyncFn(({ kafka }) => ({
    triggers: [{ component: kafka }],
    advanced: { scaleDown: { stabilizationWindow: Duration.minutes(5), selectPolicy: 'Min', policies: [{ type: 'Percent', value: 50, period: Duration.minutes(1) }] } },
    fallback: { failureThreshold: 3, replicas: 2 },
  }));
  const spec = only(byKind('ScaledObject'), 'ScaledObject').spec;
  expect(spec.advanced).toEqual({ horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } } } });
  expect(spec.fallback).toEqual({ failureThreshold: 3, replicas: 2 });
});

test('a Job workload is a ScaledJob with the pod as job template, and no Deployment', () => {
  const { byKind } = asyncFn(({ kafka }) => ({
    triggers: [{ component: kafka }], workload: AsyncWorkload.JOB, maxReplicas: 4, successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 3,
    scalingStrategy: { strategy: 'custom', customScalingQueueLengthDeduction: 1, customScalingRunningJobPercentage: '50%' },
  }));
  expect(byKind('Deployment')).toEqual([]);
  const sj = only(byKind('ScaledJob'), 'ScaledJob');
  expect(sj.spec.jobTargetRef.template.spec.restartPolicy).toBe('OnFailure');
  expect(sj.spec.jobTargetRef.template.spec.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } });
  expect(sj.spec).toMatchObject({ envSourceContainerName: 'function', maxReplicaCount: 4, successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 3, scalingStrategy: { strategy: 'custom', customScalingQueueLengthDeduction: 1, customScalingRunningJobPercentage: '50%' } });
  expect(sj.spec.triggers[0].type).toBe('kafka');
});

test('a Knative function with an output gets a sidecar with the metrics port moved off 9090; one without gets none', () => {
  const s = setup();
  new Function(s.chart, 'with-dapr', { image: 'r.io/a/b', outputs: [{ component: s.sink }] });
  new Function(s.chart, 'plain', { image: 'r.io/a/b' });
  const ksvcs = synthValid(s.app, s.chart).filter((o) => o.kind === 'Service') as any[];
  expect(ksvcs[0].spec.template.metadata.annotations).toMatchObject({ 'dapr.io/enabled': 'true', 'dapr.io/app-id': 'with-dapr-demo', 'dapr.io/metrics-port': '19090' });
  expect(Object.keys(ksvcs[1].spec.template.metadata.annotations).filter((k) => k.startsWith('dapr.io/'))).toEqual([]);
});

test('a component shared by two functions is scoped to both', () => {
  const s = setup();
  new Function(s.chart, 'a', { image: 'r.io/a/b', states: [s.store] });
  new Function(s.chart, 'b', { image: 'r.io/a/b', states: [s.store] });
  expect(synthValid(s.app, s.chart).find((o) => o.metadata?.name === 'store')?.scopes).toEqual(['a-demo', 'b-demo']);
});

describe('bad input', () => {
  const fail = (options: (s: ReturnType<typeof setup>) => AsyncServingOptions, props: (s: ReturnType<typeof setup>) => Partial<FunctionProps> = () => ({})) => {
    const s = setup();
    return errorOf(() => new Function(s.chart, 'tally', { image: 'r.io/a/b', serving: Serving.async(options(s)), ...props(s) }));
  };
  test('a trigger that names a component that does not exist', () => {
    expect(fail(() => ({ triggers: [{ component: 'nope' }] }))).toMatch(/^functions\/tally: serving\.triggers\[0\]\.component: names a Dapr component that the app does not define in namespace demo \(got "nope"\); define it before this function, or pass DaprComponent\.existing\('nope', '<type>'\)/);
  });
  test('a pub-sub trigger without a topic', () => {
    expect(fail(({ bus }) => ({ triggers: [{ component: bus }] }))).toMatch(/functions\/tally: serving\.triggers\[0\]\.topic: is required: bus is a pub-sub component \(pubsub\.redis\)/);
  });
  test('a ScaledJob with a Deployment-only option', () => {
    expect(fail(({ kafka }) => ({ triggers: [{ component: kafka }], workload: AsyncWorkload.JOB, cooldownPeriod: Duration.minutes(1) })))
      .toMatch(/functions\/tally: serving\.cooldownPeriod: applies only to Deployment workloads, but the workload is Job \(ScaledJob\)/);
  });
  test('a Job workload whose triggers KEDA cannot scale on', () => {
    expect(fail(({ cron }) => ({ triggers: [{ component: cron }], workload: AsyncWorkload.JOB })))
      .toBe('functions/tally: serving.workload: runs as a KEDA ScaledJob, which needs a KEDA trigger, but no trigger of the function has a KEDA scaler (a cron or HTTP binding has none) (got "Job"); use AsyncWorkload.DEPLOYMENT, trigger on a component KEDA can scale on (Kafka, Redis, MQTT, NATS), or give kedaTriggers [OFN_ASYNC_WORKLOAD]');
  });
  test('a Deployment with a Job-only option, and restartPolicy Always', () => {
    expect(fail(({ kafka }) => ({ triggers: [{ component: kafka }], restartPolicy: 'Never' }))).toMatch(/serving\.restartPolicy: applies only to Job workloads/);
    expect(fail(({ kafka }) => ({ triggers: [{ component: kafka }], workload: AsyncWorkload.JOB, restartPolicy: 'Always' as any }))).toMatch(/serving\.restartPolicy: is not allowed for Jobs/);
  });
  test('min replicas above max replicas', () => {
    expect(fail(({ kafka }) => ({ triggers: [{ component: kafka }], minReplicas: 5, maxReplicas: 3 }))).toMatch(/serving\.minReplicas: is greater than maxReplicas \(3\) \(got 5\)/);
  });
  test('a Kafka trigger without a consumer group', () => {
    const s = setup();
    const noGroup = DaprComponents.kafkaPubSub(s.chart, 'events', { brokers: ['kafka:9092'] });
    expect(errorOf(() => new Function(s.chart, 'tally', { image: 'r.io/a/b', serving: Serving.async({ triggers: [{ component: noGroup, topic: 't' }] }) })))
      .toMatch(/functions\/tally: serving\.triggers\[0\]\.component \(events\)\.consumerGroup: is required to scale a function on Kafka lag/);
  });
  test('no triggers, a custom scaling strategy without its numbers, a bad fallback', () => {
    const msg = fail(() => ({ triggers: [], workload: AsyncWorkload.JOB, scalingStrategy: { strategy: 'custom' } }));
    expect(msg).toMatch(/serving\.triggers: is empty/);
    expect(msg).toMatch(/scalingStrategy\.customScalingQueueLengthDeduction: is required for the custom strategy/);
    expect(msg).toMatch(/scalingStrategy\.customScalingRunningJobPercentage: is required for the custom strategy as a percentage/);
    expect(fail(({ kafka }) => ({ triggers: [{ component: kafka }], fallback: { failureThreshold: 0, replicas: -1 } }))).toMatch(/fallback\.failureThreshold: must be a whole number of at least 1/);
  });
  test('a component of another namespace, a state that is not a store, a duplicate name', () => {
    const s = setup();
    const other = DaprComponents.redisState(new Chart(s.app, 'other', { namespace: 'other' }), 'elsewhere', { host: 'r:6379' });
    const msg = errorOf(() => new Function(s.chart, 'f', { image: 'r.io/a/b', states: [other, s.sink], outputs: [{ component: s.sink }, { component: s.sink }] }));
    expect(msg).toMatch(/functions\/f: states\[0\]: is in namespace other, but the function is in demo/);
    expect(msg).toMatch(/functions\/f: states\[1\]: is a bindings\.http component, not a state store/);
    expect(msg).toMatch(/functions\/f: outputs\[1\]: is used twice as a name/);
  });
  test('Dapr options for a function that uses no Dapr', () => {
    expect(errorOf(() => new Function(new Chart(Testing.app(), 'functions'), 'f', { image: 'r.io/a/b', dapr: { logLevel: 'debug' } }))).toMatch(/functions\/f: dapr: configures a Dapr sidecar, but the function uses no Dapr/);
  });
});
