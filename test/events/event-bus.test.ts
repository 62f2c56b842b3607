import { Chart, Testing } from 'cdk8s';
import {
  ClusterEventBus, EventBus, EventBusBackend, EventBusKind, EventSink, EventSource, Function, Serving, SourceEvent,
} from '../../src';
import { errorOf, functionsApp, synthValid } from '../helpers';

const byName = (objects: any[], kind: string) => Object.fromEntries(objects.filter((o) => o.kind === kind).map((o) => [o.metadata.name, o]));
const meta = (c: any) => Object.fromEntries(c.spec.metadata.map((m: any) => [m.name, m.value ?? m.secretKeyRef]));

describe('backends', () => {
  test('NATS JetStream is the default, on the NATS chart\'s Service', () => {
    const { chart } = functionsApp();
    const bus = new EventBus(chart, 'default');
    expect(bus.backend.kind).toBe(EventBusKind.NATS_JETSTREAM);
    expect(bus.busName).toBe('default');
    expect(bus.namespace).toBe('demo');
    expect(meta(bus.publisher('demo').apiObject.toJson())).toEqual({ natsURL: 'nats://nats:4222' });
  });

  test.each([
    ['NATS JetStream', EventBusBackend.natsJetStream({ url: 'nats://n:4222', auth: { token: { name: 'nats', key: 'token' } } }), 'pubsub.jetstream', { natsURL: 'nats://n:4222', token: { name: 'nats', key: 'token' } }],
    ['Kafka', EventBusBackend.kafka({ brokers: ['k:9092'], auth: { username: { name: 'k', key: 'u' }, password: { name: 'k', key: 'p' } } }), 'pubsub.kafka',
      { brokers: 'k:9092', authType: 'password', saslUsername: { name: 'k', key: 'u' }, saslPassword: { name: 'k', key: 'p' } }],
    ['Redis Streams', EventBusBackend.redisStreams({ host: 'redis:6379', password: { name: 'redis', key: 'password' }, tls: true }), 'pubsub.redis',
      { redisHost: 'redis:6379', redisPassword: { name: 'redis', key: 'password' }, enableTLS: 'true' }],
  ])('the publisher component of a %s bus carries its options, credentials as Secret references', (_kind, backend, type, metadata) => {
    const { app, chart } = functionsApp();
    const bus = new EventBus(chart, 'bus', { backend });
    bus.publisher('demo');
    const component = byName(synthValid(app, chart), 'Component')['eventbus-bus'];
    expect(component.spec.type).toBe(type);
    expect(meta(component)).toEqual(metadata);
  });

  test('each consumer reads through a component of its own with a namespaced durable identity', () => {
    const { app, chart } = functionsApp();
    const nats = new EventBus(chart, 'nats');
    const kafka = new EventBus(chart, 'kafka', { backend: EventBusBackend.kafka({ brokers: ['k:9092'] }) });
    const a = nats.consumer(chart, 'reader', 'demo', 'demo-src-a');
    const b = nats.consumer(chart, 'reader', 'demo', 'demo-src-b');
    const k = kafka.consumer(chart, 'reader2', 'demo', 'demo-src-a');
    expect(a.componentName).not.toEqual(b.componentName);
    const components = byName(synthValid(app, chart), 'Component');
    expect(meta(components[a.componentName])).toEqual({ natsURL: 'nats://nats:4222', durableName: `demo-${a.componentName}`, queueGroupName: `demo-${a.componentName}` });
    expect(meta(components[k.componentName]).consumerGroup).toBe(`demo-${k.componentName}`);
  });

  test('JetStream with a monitoring endpoint and stream gives readers a KEDA nats-jetstream trigger', () => {
    const { chart } = functionsApp();
    const bus = new EventBus(chart, 'bus', { backend: EventBusBackend.natsJetStream({ streamName: 'events', monitoringEndpoint: 'nats.nats.svc:8222' }) });
    expect(bus.backend.scalesSubscribers).toBe(true);
    const c = bus.consumer(chart, 'reader', 'demo', 't');
    expect(c.kedaTrigger({ appId: 'x', lagThreshold: 5 })).toEqual({
      type: 'nats-jetstream',
      metadata: { natsServerMonitoringEndpoint: 'nats.nats.svc:8222', account: '$G', stream: 'events', consumer: `demo-${c.componentName}`, lagThreshold: '5' },
    });
    expect(EventBusBackend.natsJetStream().scalesSubscribers).toBe(false);
  });
});

describe('bus.trigger subscribes an async function to a bus topic', () => {
  const { app, chart } = functionsApp();
  const bus = new EventBus(chart, 'default', { backend: EventBusBackend.kafka({ brokers: ['k:9092'] }) });
  const fn = new Function(chart, 'tally', { image: 'registry.example.com/demo/tally:v1', serving: Serving.async({ triggers: [bus.trigger(chart, 'tally', 'alerts', { lagThreshold: 5 })] }) });
  const objects = synthValid(app, chart);
  const component = objects.find((o: any) => o.kind === 'Component') as any;

  test('through a component scoped to the function, with its own consumer group', () => {
    expect(component.scopes).toEqual(['tally-demo']);
    expect(meta(component).consumerGroup).toBe(`demo-${component.metadata.name}`);
  });

  test('listed in FUNC_CONTEXT, and KEDA scales the function on its lag', () => {
    const env = (objects.find((o: any) => o.kind === 'Deployment') as any).spec.template.spec.containers[0].env;
    expect(JSON.parse(env.find((e: any) => e.name === 'FUNC_CONTEXT_V1BETA2').value).triggers.dapr).toEqual([{ name: component.metadata.name, type: 'pubsub.kafka', topic: 'alerts' }]);
    const so = objects.find((o: any) => o.kind === 'ScaledObject') as any;
    expect(so.spec.triggers).toEqual([{ type: 'kafka', name: component.metadata.name, metadata: { bootstrapServers: 'k:9092', consumerGroup: `demo-${component.metadata.name}`, topic: 'alerts', lagThreshold: '5' } }]);
    expect(fn.daprAppId).toBe('tally-demo');
  });
});

describe('a cluster-wide bus', () => {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  const bus = new ClusterEventBus(platform, 'default', { backend: EventBusBackend.redisStreams({ host: 'redis.events.svc:6379' }) });
  const sink = EventSink.fromUrl('http://sink.example.com/');
  const a = new Chart(app, 'a', { namespace: 'team-a' });
  const b = new Chart(app, 'b', { namespace: 'team-b' });
  new EventSource(a, 'ticker', { bus: 'default', sink, events: { tick: SourceEvent.cron({ schedule: '@hourly' }) } });
  new EventSource(b, 'ticker', { bus: 'default', events: { tick: SourceEvent.cron({ schedule: '@daily' }) } });

  test('is found by name from any namespace and emits its components in each namespace that uses it', () => {
    const publishers = synthValid(app, platform).filter((o: any) => o.kind === 'Component') as any[];
    expect(publishers.map((c) => [c.metadata.namespace, c.metadata.name, c.scopes])).toEqual([
      ['team-a', 'eventbus-default', ['ticker-tick-handler-team-a']],
      ['team-b', 'eventbus-default', ['ticker-tick-handler-team-b']],
    ]);
    expect(bus.reaches('anything')).toBe(true);
  });

  test('a namespaced bus of the same name wins in its namespace, as in OpenFunction', () => {
    const local = new EventBus(new Chart(app, 'c', { namespace: 'team-c' }), 'default');
    const source = new EventSource(new Chart(app, 'c2', { namespace: 'team-c' }), 'ticker', { bus: 'default', events: { tick: SourceEvent.cron({ schedule: '@daily' }) } });
    expect(source.bus).toBe(local);
  });
});

describe('bad input', () => {
  test('Kafka without brokers', () => {
    const { chart } = functionsApp();
    expect(errorOf(() => new EventBus(chart, 'bus', { backend: EventBusBackend.kafka({ brokers: [] }) })))
      .toBe("functions/bus: backend.brokers: must list at least one broker as host:port (got []); give e.g. ['kafka.kafka:9092'] [OFN_KAFKA_BROKERS]");
  });

  test('a NATS URL, half a JWT credential and monitoring without a stream', () => {
    const { chart } = functionsApp();
    const msg = errorOf(() => new EventBus(chart, 'bus', {
      backend: EventBusBackend.natsJetStream({ url: 'http://nats:4222', auth: { jwt: { name: 'n', key: 'jwt' } }, monitoringEndpoint: 'nats:8222' }),
    }));
    expect(msg.split('\n')).toEqual([
      'functions/bus: backend.url: is not a NATS URL (got "http://nats:4222"); give nats://host:port, e.g. nats://nats.nats.svc:4222 [OFN_EVENT_BUS]',
      'functions/bus: backend.auth.seedKey: is required with the other half of JWT authentication (got nothing); give both jwt and seedKey [OFN_EVENT_BUS]',
      'functions/bus: backend.streamName: is required with monitoringEndpoint: KEDA reads the backlog of a named stream (got nothing); give the JetStream stream that stores the bus topics [OFN_EVENT_BUS]',
    ]);
  });

  test('a Redis bus without host:port and with a bad Secret reference', () => {
    const { chart } = functionsApp();
    const msg = errorOf(() => new EventBus(chart, 'bus', { backend: EventBusBackend.redisStreams({ host: 'redis', password: { name: 'Bad_Name', key: 'p' } }) }));
    expect(msg).toMatch(/backend\.host: is not host:port \(got "redis"\).*\[OFN_EVENT_BUS\]/);
    expect(msg).toMatch(/backend\.password: is not a valid Secret reference .*\[OFN_SECRET_NAME\]/);
  });

  test('two buses with one name in a namespace', () => {
    const { chart } = functionsApp();
    new EventBus(chart, 'default');
    expect(errorOf(() => new EventBus(chart, 'other', { name: 'default' })))
      .toBe('functions/other: name: is already the name of functions/default (got "default"); give each bus its own name (per namespace; cluster-wide buses per app) [OFN_EVENT_DUPLICATE]');
  });

  test('an unknown bus', () => {
    const { chart } = functionsApp();
    expect(errorOf(() => new EventSource(chart, 'ticker', { bus: 'nats', events: { tick: SourceEvent.cron({ schedule: '@hourly' }) } })))
      .toBe("functions/ticker: bus: names an event bus the app defines neither in namespace demo nor cluster-wide (got \"nats\"); define new EventBus(...) or new ClusterEventBus(...) named 'nats' before this construct, or pass the bus itself [OFN_EVENT_BUS_UNKNOWN]");
  });

  test('a namespaced bus used from another namespace', () => {
    const { app, chart } = functionsApp();
    const bus = new EventBus(chart, 'default');
    const other = new Chart(app, 'other', { namespace: 'other' });
    expect(errorOf(() => new EventSource(other, 'ticker', { bus, events: { tick: SourceEvent.cron({ schedule: '@hourly' }) } })))
      .toBe('other/ticker: bus: is namespaced to demo, so it does not reach namespace other (got "default"); use a bus of this namespace, or a ClusterEventBus [OFN_EVENT_BUS_UNKNOWN]');
    expect(errorOf(() => bus.trigger(other, 'fn', 'alerts'))).toMatch(/^other: bus: is namespaced to demo, so it does not reach namespace other .*\[OFN_EVENT_BUS_UNKNOWN\]$/);
  });
});
