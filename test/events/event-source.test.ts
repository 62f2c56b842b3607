import { Chart } from 'cdk8s';
import {
  DaprComponents, EVENTSOURCE_HANDLER_IMAGE, EventBus, EventSink, EventSource, Function, Serving, SourceEvent,
} from '../../src';
import { errorOf, functionsApp, only, synthValid } from '../helpers';

const KAFKA_AUTH = { username: { name: 'kafka', key: 'user' }, password: { name: 'kafka', key: 'pass' } };
const byName = (objects: any[], kind: string): Record<string, any> => Object.fromEntries(objects.filter((o) => o.kind === kind).map((o) => [o.metadata.name, o]));
const meta = (c: any) => Object.fromEntries(c.spec.metadata.map((m: any) => [m.name, m.value ?? m.secretKeyRef]));
const envOf = (d: any): Record<string, string> => Object.fromEntries(d.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
const configOf = (d: any) => JSON.parse(Buffer.from(envOf(d).CONFIG, 'base64').toString());

/** An async function scaled by KEDA on a Kafka binding of its own. */
function kedaFunction(chart: Chart, name = 'tally') {
  const own = DaprComponents.kafkaBinding(chart, `${name}-in`, { brokers: ['k:9092'], topics: ['own'], consumerGroup: name });
  return new Function(chart, name, { image: `registry.example.com/demo/${name}:v1`, serving: Serving.async({ triggers: [{ component: own }] }) });
}

describe('a Kafka source delivering to an HTTP function, through the event source handler', () => {
  const { app, chart } = functionsApp();
  const sink = new Function(chart, 'sink', { image: 'registry.example.com/demo/sink:v1' });
  const source = new EventSource(chart, 'orders', {
    events: { created: SourceEvent.kafka({ brokers: ['k1:9092', 'k2:9092'], topic: 'orders', auth: KAFKA_AUTH, lagThreshold: 20 }) },
    sink: EventSink.fromFunction(sink),
  });
  const objects = synthValid(app, chart);
  const components = byName(objects, 'Component');
  const handler = byName(objects, 'Deployment')['orders-created-handler'];

  test('reads the topic through a Kafka binding of its own consumer group, credentials from the Secret', () => {
    expect(components['orders-created'].spec.type).toBe('bindings.kafka');
    expect(meta(components['orders-created'])).toEqual({
      brokers: 'k1:9092,k2:9092', topics: 'orders', consumerGroup: 'demo-orders-created', authType: 'password',
      saslUsername: KAFKA_AUTH.username, saslPassword: KAFKA_AUTH.password,
    });
    expect(components['orders-created'].scopes).toEqual(['orders-created-handler-demo']);
  });

  test('calls the function at its in-cluster URL through an HTTP binding', () => {
    expect(meta(components['orders-sink'])).toEqual({ url: 'http://sink.demo.svc.cluster.local' });
    expect(components['orders-sink'].scopes).toEqual(['orders-created-handler-demo']);
    expect(JSON.parse(envOf(handler).FUNC_CONTEXT)).toMatchObject({
      inputs: { created: { componentName: 'orders-created', componentType: 'bindings.kafka', uri: 'orders-created' } },
      outputs: { sink: { componentName: 'orders-sink', componentType: 'bindings.http', operation: 'post', uri: 'orders-sink' } },
    });
    expect(configOf(handler)).toEqual({ sinkOutputName: 'sink', logLevel: '1' });
  });

  test('the handler runs the pinned image with the secure pod defaults and small resources', () => {
    const container = handler.spec.template.spec.containers[0];
    expect(container.image).toBe(EVENTSOURCE_HANDLER_IMAGE);
    expect(EVENTSOURCE_HANDLER_IMAGE).toBe('openfunction/eventsource-handler:v4');
    expect(container.securityContext).toEqual({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }, readOnlyRootFilesystem: true });
    expect(container.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } });
    expect(handler.spec.template.metadata.annotations).toMatchObject({ 'dapr.io/enabled': 'true', 'dapr.io/app-id': 'orders-created-handler-demo' });
    expect(handler.metadata.labels).toEqual({ 'openfunction.io/function': 'orders-created-handler', 'openfunction.io/eventsource': 'orders' });
    expect(source.handlers.created.daprAppId).toBe('orders-created-handler-demo');
  });

  test('KEDA scales the handler on the consumer lag, authenticated by the Secret', () => {
    expect(only(objects, 'ScaledObject').spec).toMatchObject({
      minReplicaCount: 0, maxReplicaCount: 10,
      triggers: [{ type: 'kafka', name: 'orders-created', metadata: { bootstrapServers: 'k1:9092,k2:9092', consumerGroup: 'demo-orders-created', topic: 'orders', lagThreshold: '20', sasl: 'plaintext' }, authenticationRef: { name: 'orders-created-handler-orders-created' } }],
    });
    expect(only(objects, 'TriggerAuthentication').spec.secretTargetRef).toEqual([{ parameter: 'password', name: 'kafka', key: 'pass' }, { parameter: 'username', name: 'kafka', key: 'user' }]);
  });
});

describe('a cron source publishing to a bus and posting to a URL', () => {
  const { app, chart } = functionsApp();
  const bus = new EventBus(chart, 'default');
  const source = new EventSource(chart, 'ticker', { bus: 'default', sink: EventSink.fromUrl('https://hooks.example.com/tick'), events: { tick: SourceEvent.cron({ schedule: '*/5 * * * *' }) } });
  const objects = synthValid(app, chart);
  const components = byName(objects, 'Component');
  const handler = byName(objects, 'Deployment')['ticker-tick-handler'];

  test('publishes each tick on the bus topic <namespace>-<source>-<event>', () => {
    expect(source.topic('tick')).toBe('demo-ticker-tick');
    expect(source.bus).toBe(bus);
    expect(configOf(handler)).toEqual({ eventBusOutputName: 'eventbus', eventBusTopic: 'demo-ticker-tick', sinkOutputName: 'sink', logLevel: '1' });
    expect(JSON.parse(envOf(handler).FUNC_CONTEXT_V1BETA2).outputs).toEqual({
      eventbus: { componentName: 'eventbus-default', componentType: 'pubsub.jetstream', topic: 'demo-ticker-tick' },
      sink: { componentName: 'ticker-sink', componentType: 'bindings.http', operation: 'post' },
    });
    expect(components['eventbus-default'].scopes).toEqual(['ticker-tick-handler-demo']);
    expect(meta(components['ticker-sink'])).toEqual({ url: 'https://hooks.example.com/tick' });
  });

  test('runs exactly one handler replica, without KEDA (every replica would tick)', () => {
    expect(handler.spec.replicas).toBe(1);
    expect(objects.filter((o) => o.kind === 'ScaledObject')).toEqual([]);
    expect(meta(components['ticker-tick'])).toEqual({ schedule: '*/5 * * * *' });
  });
});

describe('an MQTT source sending to a Dapr output binding', () => {
  const { app, chart } = functionsApp();
  const out = DaprComponents.kafkaBinding(chart, 'archive', { brokers: ['k:9092'], publishTopic: 'archive' });
  new EventSource(chart, 'sensors', {
    events: { reading: SourceEvent.mqtt({ url: 'ssl://mqtt:8883', topic: 'sensors/+/temp', qos: 2, cleanSession: false, caCert: { name: 'mqtt-ca', key: 'ca.crt' } }) },
    sink: EventSink.fromBinding(out, { metadata: { key: 'reading' } }),
    handler: { image: 'registry.example.com/mirror/eventsource-handler:v4', logLevel: 3, imageCredentials: { name: 'mirror' }, resources: { memoryLimit: '256Mi' } },
  });
  const objects = synthValid(app, chart);
  const components = byName(objects, 'Component');
  const handler = byName(objects, 'Deployment')['sensors-reading-handler'];

  test('reads the topic through an mqtt3 binding with its own client id and the CA from a Secret', () => {
    expect(components['sensors-reading'].spec.type).toBe('bindings.mqtt3');
    expect(meta(components['sensors-reading'])).toEqual({
      url: 'ssl://mqtt:8883', topic: 'sensors/+/temp', qos: '2', consumerID: 'demo-sensors-reading', cleanSession: 'false', caCert: { name: 'mqtt-ca', key: 'ca.crt' },
    });
  });

  test('sends each event to the binding with its operation and metadata', () => {
    expect(JSON.parse(envOf(handler).FUNC_CONTEXT).outputs).toEqual({ sink: { componentName: 'archive', componentType: 'bindings.kafka', uri: 'archive', operation: 'create', metadata: { key: 'reading' } } });
    expect(components.archive.scopes).toEqual(['sensors-reading-handler-demo']);
  });

  test('the handler options override image, pull secret, log level and resources', () => {
    const pod = handler.spec.template.spec;
    expect(pod.containers[0].image).toBe('registry.example.com/mirror/eventsource-handler:v4');
    expect(pod.imagePullSecrets).toEqual([{ name: 'mirror' }]);
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } });
    expect(configOf(handler).logLevel).toBe('3');
    expect(handler.spec.replicas).toBe(1);
  });
});

describe('sources delivering to an async function directly (no handler)', () => {
  const { app, chart } = functionsApp();
  const fn = kedaFunction(chart);
  const redis = new EventSource(chart, 'clicks', {
    events: { click: SourceEvent.redis({ host: 'redis:6379', stream: 'clicks', password: { name: 'redis', key: 'password' }, lagThreshold: 50 }) },
    sink: EventSink.fromFunction(fn, { path: '/clicks' }),
  });
  const kafka = new EventSource(chart, 'orders', { events: { created: SourceEvent.kafka({ brokers: ['k:9092'], topic: 'orders', auth: KAFKA_AUTH }) }, sink: EventSink.fromFunction(fn) });
  const objects = synthValid(app, chart);
  const components = byName(objects, 'Component');

  test('run no handler', () => {
    expect(redis.handlers).toEqual({});
    expect(kafka.handlers).toEqual({});
    expect(objects.filter((o) => o.kind === 'Deployment').map((d: any) => d.metadata.name)).toEqual(['tally']);
  });

  test('a Redis stream: a Redis Streams component and a v2alpha1 Subscription, both scoped to the function', () => {
    expect(components['clicks-click-tally']).toMatchObject({ spec: { type: 'pubsub.redis' }, scopes: ['tally-demo'] });
    expect(only(objects, 'Subscription')).toEqual({
      apiVersion: 'dapr.io/v2alpha1', kind: 'Subscription',
      metadata: { name: 'clicks-click-tally', namespace: 'demo', labels: { 'openfunction.io/eventsource': 'clicks' } },
      spec: { pubsubname: 'clicks-click-tally', topic: 'clicks', routes: { default: '/clicks' } },
      scopes: ['tally-demo'],
    });
  });

  test('a Kafka topic: an input binding scoped to the function, with a consumer group of its own', () => {
    expect(components['orders-created-tally'].scopes).toEqual(['tally-demo']);
    expect(meta(components['orders-created-tally']).consumerGroup).toBe('demo-orders-created-tally');
  });

  test('KEDA wakes the function on both backlogs, next to its own trigger', () => {
    const so = only(objects, 'ScaledObject');
    expect(so.spec.triggers.map((t: any) => [t.type, t.name, t.metadata.consumerGroup, t.authenticationRef?.name])).toEqual([
      ['kafka', 'tally-in', 'tally', undefined],
      ['redis-streams', 'clicks-click-tally', 'tally-demo', 'tally-clicks-click-tally'],
      ['kafka', 'orders-created-tally', 'demo-orders-created-tally', 'tally-orders-created-tally'],
    ]);
    expect(so.spec.triggers[1].metadata).toEqual({ address: 'redis:6379', consumerGroup: 'tally-demo', pendingEntriesCount: '50', stream: 'clicks' });
    expect(objects.filter((o) => o.kind === 'TriggerAuthentication').map((t: any) => t.metadata.name)).toEqual(['tally-clicks-click-tally', 'tally-orders-created-tally']);
  });
});

describe('source.trigger: an async function reads a source event itself', () => {
  const { app, chart } = functionsApp();
  const source = new EventSource(chart, 'orders', { sink: EventSink.fromUrl('http://x.example.com/'), events: { created: SourceEvent.kafka({ brokers: ['k:9092'], topic: 'orders' }) } });
  new Function(chart, 'audit', { image: 'registry.example.com/demo/audit:v1', serving: Serving.async({ triggers: [source.trigger('created', 'audit', { lagThreshold: 7 })] }) });
  const objects = synthValid(app, chart);

  test('through a binding of its own, in its FUNC_CONTEXT, scaled by KEDA on the lag', () => {
    const c = byName(objects, 'Component')['orders-created-audit'];
    expect(c.scopes).toEqual(['audit-demo']);
    expect(meta(c).consumerGroup).toBe('demo-orders-created-audit');
    const fn = byName(objects, 'Deployment').audit;
    expect(JSON.parse(envOf(fn).FUNC_CONTEXT).inputs).toEqual({ 'orders-created-audit': { componentName: 'orders-created-audit', componentType: 'bindings.kafka', uri: 'orders-created-audit' } });
    expect(byName(objects, 'ScaledObject').audit.spec.triggers[0].metadata).toMatchObject({ consumerGroup: 'demo-orders-created-audit', lagThreshold: '7' });
  });

  test('of an event the source reads', () => {
    expect(errorOf(() => source.trigger('deleted', 'audit')))
      .toBe('functions/orders: event: is not an event of source orders, which produces created (got "deleted"); name an event the source reads [OFN_EVENT_INPUT]');
  });
});

describe('bad input', () => {
  const cron = { tick: SourceEvent.cron({ schedule: '@hourly' }) };
  const url = EventSink.fromUrl('http://sink.example.com/');

  test('an invalid cron schedule', () => {
    const { chart } = functionsApp();
    expect(errorOf(() => new EventSource(chart, 'ticker', { sink: url, events: { tick: SourceEvent.cron({ schedule: '0 25 * * *' }) } })))
      .toBe("functions/ticker: events.tick.schedule: is not a valid cron schedule: it field 2 (25) is outside 0-23 (got \"0 25 * * *\"); give e.g. '*/5 * * * *', '@every 10s' or '@hourly' [OFN_CRON_SCHEDULE]");
  });

  test('Kafka without brokers', () => {
    const { chart } = functionsApp();
    expect(errorOf(() => new EventSource(chart, 'orders', { sink: url, events: { created: SourceEvent.kafka({ brokers: [], topic: 'orders' }) } })))
      .toBe("functions/orders: events.created.brokers: must list at least one broker as host:port (got []); give e.g. ['kafka.kafka:9092'] [OFN_KAFKA_BROKERS]");
  });

  test('a KEDA-scaled function that a cron source cannot wake', () => {
    const { chart } = functionsApp();
    const fn = kedaFunction(chart);
    expect(errorOf(() => new EventSource(chart, 'ticker', { sink: EventSink.fromFunction(fn), events: cron })))
      .toBe('functions/ticker: sink: is scaled by KEDA on its own triggers, and the cron event tick gives KEDA no backlog to wake it on, so events could wait for a replica that never starts (got "functions/tally"); '
        + 'serve the function without KEDA triggers (it then keeps a replica), or use a source or bus KEDA can scale on (Kafka, Redis Streams, JetStream with monitoringEndpoint and streamName) [OFN_EVENT_SINK]');
  });

  test('a cron source may feed an async function that keeps a replica', () => {
    const { app, chart } = functionsApp();
    const keepalive = DaprComponents.cronBinding(chart, 'keepalive', { schedule: '@daily' });
    const fn = new Function(chart, 'steady', { image: 'registry.example.com/demo/steady:v1', serving: Serving.async({ triggers: [{ component: keepalive }] }) });
    new EventSource(chart, 'ticker', { sink: EventSink.fromFunction(fn), events: cron });
    expect(byName(synthValid(app, chart), 'Component')['ticker-tick-steady'].scopes).toEqual(['steady-demo']);
  });

  test('a source with neither a sink nor a bus, and no events', () => {
    const { chart } = functionsApp();
    expect(errorOf(() => new EventSource(chart, 'idle', { events: {} })).split('\n')).toEqual([
      'functions/idle: events: lists no event (got {}); give at least one, e.g. { tick: SourceEvent.cron({ schedule: "@every 10s" }) } [OFN_EVENT_SOURCE]',
      'functions/idle: sink: is required when the source publishes to no bus: its events would go nowhere (got nothing); give sink: EventSink.from...(...), bus, or both [OFN_EVENT_DESTINATION]',
    ]);
  });

  test('bad event names and options', () => {
    const { chart } = functionsApp();
    const msg = errorOf(() => new EventSource(chart, 'mixed', {
      sink: url,
      events: {
        Bad_Name: SourceEvent.cron({ schedule: '@hourly' }),
        r: SourceEvent.redis({ host: 'redis', stream: '' }),
        m: SourceEvent.mqtt({ url: 'http://mqtt', topic: 't', qos: 3 as any }),
        x: 'kafka' as any,
      },
      handler: { image: 'Not An Image', maxReplicas: 0 },
    }));
    expect(msg.split('\n')).toEqual([
      'functions/mixed: events.Bad_Name: is not an event name (a DNS-1123 label of at most 40 characters) (got "Bad_Name"); use lower-case letters, digits and "-" [OFN_NAME]',
      'functions/mixed: events.r.host: is not host:port (got "redis"); give the Redis address, e.g. redis-master.redis.svc:6379 [OFN_EVENT_SOURCE]',
      'functions/mixed: events.r.stream: is not a Redis stream name (got ""); give the Redis stream to read [OFN_EVENT_SOURCE]',
      'functions/mixed: events.m.url: is not an MQTT broker URL (got "http://mqtt"); give e.g. tcp://mqtt.mqtt.svc:1883 [OFN_EVENT_SOURCE]',
      'functions/mixed: events.m.qos: is not an MQTT QoS level (got 3); give 0, 1 or 2 [OFN_EVENT_SOURCE]',
      'functions/mixed: events.x: is not a source event (got "kafka"); give SourceEvent.kafka(...), .cron(...), .redis(...) or .mqtt(...) [OFN_EVENT_SOURCE]',
      'functions/mixed: handler.image: is not a valid image reference (got "Not An Image"); use registry/repository[:tag][@sha256:digest] [OFN_IMAGE_REF]',
      'functions/mixed: handler.maxReplicas: must be a whole number of at least 1 (got 0); give 1 or more [OFN_SCALE]',
    ]);
  });

  test('two sources with one name in a namespace', () => {
    const { chart } = functionsApp();
    new EventSource(chart, 'ticker', { sink: url, events: cron });
    expect(errorOf(() => new EventSource(chart, 'ticker2', { name: 'ticker', sink: url, events: cron })))
      .toBe('functions/ticker2: name: is already the name of functions/ticker in namespace demo (got "ticker"); give each event source in a namespace its own name [OFN_EVENT_DUPLICATE]');
  });
});
