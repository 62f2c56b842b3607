import { Chart, Testing } from 'cdk8s';
import {
  ClusterEventBus, DaprComponents, EventBus, EventBusBackend, EventSink, EventSource, Function, Serving, SourceEvent, Trigger, TRIGGER_HANDLER_IMAGE,
} from '../../src';
import { errorOf, functionsApp, only, synthValid } from '../helpers';

const byName = (objects: any[], kind: string): Record<string, any> => Object.fromEntries(objects.filter((o) => o.kind === kind).map((o) => [o.metadata.name, o]));
const meta = (c: any) => Object.fromEntries(c.spec.metadata.map((m: any) => [m.name, m.value ?? m.secretKeyRef]));
const envOf = (d: any): Record<string, string> => Object.fromEntries(d.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
const configOf = (d: any) => JSON.parse(Buffer.from(envOf(d).CONFIG, 'base64').toString());

/** A chart with a bus, a cron source `ticker` (event tick) and a Kafka source `orders` (event created) on it. */
function setup(backend = EventBusBackend.natsJetStream({ streamName: 'events', monitoringEndpoint: 'nats.nats.svc:8222' })) {
  const { app, chart } = functionsApp();
  const bus = new EventBus(chart, 'default', { backend });
  const ticker = new EventSource(chart, 'ticker', { bus, events: { tick: SourceEvent.cron({ schedule: '@every 10s' }) } });
  const orders = new EventSource(chart, 'orders', { bus, events: { created: SourceEvent.kafka({ brokers: ['k:9092'], topic: 'orders' }) } });
  return { app, chart, bus, ticker, orders, inputs: { tick: ticker.event('tick'), order: orders.event('created') } };
}

/** An async function scaled by KEDA on a Kafka binding of its own. */
function kedaFunction(chart: Chart, name: string) {
  const own = DaprComponents.kafkaBinding(chart, `${name}-in`, { brokers: ['k:9092'], topics: [name], consumerGroup: name });
  return new Function(chart, name, { image: `registry.example.com/demo/${name}:v1`, serving: Serving.async({ triggers: [{ component: own }] }) });
}

describe('conditions of one input or inputs joined by || to async functions are Dapr subscriptions', () => {
  const s = setup();
  const tally = kedaFunction(s.chart, 'tally');
  const audit = kedaFunction(s.chart, 'audit');
  const trigger = new Trigger(s.chart, 'route', {
    inputs: s.inputs,
    subscribers: [
      { condition: 'tick || order', sink: EventSink.fromFunction(tally, { path: '/events' }), deadLetterTopic: 'route-dead' },
      { condition: 'order', sink: EventSink.fromFunction(audit), filter: 'event.data.total > 100' },
    ],
  });
  const objects = synthValid(s.app, s.chart);
  const subscriptions = objects.filter((o) => o.kind === 'Subscription') as any[];
  const components = byName(objects, 'Component');

  test('without a handler', () => {
    expect(trigger.handler).toBeUndefined();
    expect(objects.filter((o) => o.kind === 'Deployment').map((d: any) => d.metadata.name).sort()).toEqual(['audit', 'orders-created-handler', 'tally', 'ticker-tick-handler']);
  });

  test('one dapr.io/v2alpha1 Subscription per function and input topic, scoped to the function', () => {
    expect(subscriptions.map((x) => [x.apiVersion, x.spec.topic, x.scopes])).toEqual([
      ['dapr.io/v2alpha1', 'demo-ticker-tick', ['tally-demo']],
      ['dapr.io/v2alpha1', 'demo-orders-created', ['tally-demo']],
      ['dapr.io/v2alpha1', 'demo-orders-created', ['audit-demo']],
    ]);
    for (const x of subscriptions) expect(x.spec.pubsubname).toBe(x.metadata.name);
  });

  test('every event goes to the default route; a filter becomes a routing rule and other events are dropped', () => {
    expect(subscriptions[0].spec).toEqual({ pubsubname: subscriptions[0].metadata.name, topic: 'demo-ticker-tick', routes: { default: '/events' }, deadLetterTopic: 'route-dead' });
    expect(subscriptions[2].spec.routes).toEqual({ rules: [{ match: 'event.data.total > 100', path: '/' }] });
  });

  test('each subscription reads through a bus component of its own, scoped to the function, with a durable consumer', () => {
    for (const x of subscriptions) {
      const c = components[x.spec.pubsubname];
      expect(c.spec.type).toBe('pubsub.jetstream');
      expect(c.scopes).toEqual(x.scopes);
      expect(meta(c)).toMatchObject({ durableName: `demo-${x.metadata.name}`, queueGroupName: `demo-${x.metadata.name}`, streamName: 'events' });
    }
    expect(trigger.components.map((c) => c.componentName)).toEqual(subscriptions.map((x) => x.metadata.name));
  });

  test('KEDA wakes each function on its durable consumers\' backlog', () => {
    const triggers = byName(objects, 'ScaledObject').tally.spec.triggers;
    expect(triggers.slice(1)).toEqual(subscriptions.slice(0, 2).map((x) => ({
      type: 'nats-jetstream', name: x.metadata.name,
      metadata: { account: '$G', consumer: `demo-${x.metadata.name}`, lagThreshold: '10', natsServerMonitoringEndpoint: 'nats.nats.svc:8222', stream: 'events' },
    })));
  });
});

describe('other subscribers are served by the trigger handler', () => {
  const s = setup(EventBusBackend.kafka({ brokers: ['k:9092'] }));
  const report = new Function(s.chart, 'report', { image: 'registry.example.com/demo/report:v1' });
  const archive = DaprComponents.kafkaBinding(s.chart, 'archive', { brokers: ['k:9092'], publishTopic: 'archive' });
  const trigger = new Trigger(s.chart, 'watch', {
    bus: s.bus,
    inputs: { tick: s.inputs.tick, order: { source: 'orders', event: 'created' } },
    subscribers: [
      { condition: 'tick && order', sink: EventSink.fromFunction(report), topic: 'alerts' },
      { condition: 'order || !tick', topic: 'alerts' },
      { condition: 'tick', sink: EventSink.fromUrl('https://hooks.example.com/tick') },
      { condition: 'order', sink: EventSink.fromBinding(archive, { operation: 'create' }) },
    ],
  });
  const objects = synthValid(s.app, s.chart);
  const components = byName(objects, 'Component');
  const handler = byName(objects, 'Deployment')['watch-handler'];

  test('one Deployment of the pinned trigger handler image, kept at one replica', () => {
    expect(trigger.handler?.functionName).toBe('watch-handler');
    expect(handler.spec.template.spec.containers[0].image).toBe(TRIGGER_HANDLER_IMAGE);
    expect(TRIGGER_HANDLER_IMAGE).toBe('openfunction/trigger-handler:v4');
    expect(byName(objects, 'ScaledObject')['watch-handler'].spec).toMatchObject({ minReplicaCount: 1, maxReplicaCount: 1 });
    expect(handler.metadata.labels).toEqual({ 'openfunction.io/function': 'watch-handler', 'openfunction.io/trigger': 'watch' });
  });

  test('with the secure pod defaults of functions', () => {
    const pod = handler.spec.template.spec;
    expect(pod.containers[0].securityContext).toEqual({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }, readOnlyRootFilesystem: true });
    expect(pod.containers[0].resources.requests).toEqual({ cpu: '50m', memory: '64Mi' });
    expect(handler.spec.template.metadata.annotations['dapr.io/sidecar-drop-all-capabilities']).toBe('true');
  });

  test('CONFIG lists the inputs the conditions name and a subscriber per condition, as OpenFunction\'s handler reads it', () => {
    expect(configOf(handler)).toEqual({
      logLevel: '1',
      inputs: [
        { name: 'order', namespace: 'demo', eventSource: 'orders', event: 'created' },
        { name: 'tick', namespace: 'demo', eventSource: 'ticker', event: 'tick' },
      ],
      subscribers: {
        'tick && order': { sinkOutputName: 'sink-0', eventBusOutputName: 'topic-alerts' },
        'order || !tick': { eventBusOutputName: 'topic-alerts' },
        'tick': { sinkOutputName: 'sink-2' },
        'order': { sinkOutputName: 'sink-3' },
      },
    });
  });

  test('subscribes to each input topic through a consumer group of its own, scoped to the handler', () => {
    const inputs = JSON.parse(envOf(handler).FUNC_CONTEXT).inputs;
    expect(Object.keys(inputs)).toEqual(['order', 'tick']);
    expect([inputs.order.uri, inputs.tick.uri]).toEqual(['demo-orders-created', 'demo-ticker-tick']);
    for (const input of Object.values(inputs) as any[]) {
      expect(components[input.componentName].scopes).toEqual(['watch-handler-demo']);
      expect(meta(components[input.componentName]).consumerGroup).toBe(`demo-${input.componentName}`);
    }
  });

  test('sends to HTTP functions and URLs through HTTP bindings, to bindings and to the bus topic', () => {
    expect(JSON.parse(envOf(handler).FUNC_CONTEXT_V1BETA2).outputs).toEqual({
      'sink-0': { componentName: 'watch-sink-0', componentType: 'bindings.http', operation: 'post' },
      'sink-2': { componentName: 'watch-sink-2', componentType: 'bindings.http', operation: 'post' },
      'sink-3': { componentName: 'archive', componentType: 'bindings.kafka', operation: 'create' },
      'topic-alerts': { componentName: 'eventbus-default', componentType: 'pubsub.kafka', topic: 'alerts' },
    });
    expect(meta(components['watch-sink-0'])).toEqual({ url: 'http://report.demo.svc.cluster.local' });
    expect(meta(components['watch-sink-2'])).toEqual({ url: 'https://hooks.example.com/tick' });
    expect(components['eventbus-default'].scopes).toEqual(['orders-created-handler-demo', 'ticker-tick-handler-demo', 'watch-handler-demo']);
  });

  test('emits no Subscription', () => {
    expect(objects.filter((o) => o.kind === 'Subscription')).toEqual([]);
  });
});

describe('a trigger in one namespace reading a source of another, on a cluster-wide bus', () => {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  new ClusterEventBus(platform, 'default', { backend: EventBusBackend.redisStreams({ host: 'redis.events.svc:6379' }) });
  const team = new Chart(app, 'team', { namespace: 'team' });
  new EventSource(team, 'ticker', { bus: 'default', events: { tick: SourceEvent.cron({ schedule: '@hourly' }) } });
  const ops = new Chart(app, 'ops', { namespace: 'ops' });
  const keepalive = DaprComponents.cronBinding(ops, 'daily', { schedule: '@daily' });
  const fn = new Function(ops, 'ops', { image: 'registry.example.com/ops/ops:v1', serving: Serving.async({ triggers: [keepalive.trigger()] }) });
  new Trigger(ops, 'watch', { inputs: { tick: { source: 'ticker', event: 'tick', namespace: 'team' } }, subscribers: [{ condition: 'tick', sink: EventSink.fromFunction(fn) }] });
  const objects = synthValid(app, ops);

  test('subscribes to the source namespace\'s topic from the trigger\'s namespace', () => {
    const sub = only(objects, 'Subscription');
    expect(sub.metadata.namespace).toBe('ops');
    expect(sub.spec.topic).toBe('team-ticker-tick');
    const c = byName(objects, 'Component')[sub.spec.pubsubname];
    expect(c).toMatchObject({ metadata: { namespace: 'ops' }, spec: { type: 'pubsub.redis' }, scopes: ['ops-ops'] });
  });

  test('the cluster bus publishes in the source namespace only', () => {
    const publishers = synthValid(app, platform).filter((o) => o.kind === 'Component') as any[];
    expect(publishers.map((c) => [c.metadata.namespace, c.metadata.name])).toEqual([['team', 'eventbus-default']]);
  });
});

describe('bad input', () => {
  test('an unknown bus (no "default" bus defined)', () => {
    const { chart } = functionsApp();
    expect(errorOf(() => new Trigger(chart, 't', { inputs: {}, subscribers: [] })).split('\n')[0])
      .toBe("functions/t: bus: names an event bus the app defines neither in namespace demo nor cluster-wide (got \"default\"); define new EventBus(...) or new ClusterEventBus(...) named 'default' before this construct, or pass the bus itself [OFN_EVENT_BUS_UNKNOWN]");
  });

  test('a condition that names an event no input or source produces', () => {
    const s = setup();
    expect(errorOf(() => new Trigger(s.chart, 't', { inputs: { tick: s.ticker.event('tick') }, subscribers: [{ condition: 'tick && payment', sink: EventSink.fromUrl('http://x.example.com/') }] })))
      .toBe('functions/t: subscribers[0].condition: names payment, which is not an input of the trigger, so no source event can satisfy it (inputs: tick) (got "tick && payment"); add an input payment: source.event(\'...\'), or name one of the inputs [OFN_EVENT_CONDITION]');
  });

  test('an input that names an event its source does not produce', () => {
    const s = setup();
    expect(errorOf(() => new Trigger(s.chart, 't', { inputs: { tock: s.ticker.event('tock') }, subscribers: [{ condition: 'tock', sink: EventSink.fromUrl('http://x.example.com/') }] })))
      .toBe('functions/t: inputs.tock.event: is not an event of source ticker, which produces tick (got "tock"); name an event the source reads, or add it to the source [OFN_EVENT_INPUT]');
  });

  test('a condition that does not parse', () => {
    const s = setup();
    expect(errorOf(() => new Trigger(s.chart, 't', { inputs: s.inputs, subscribers: [{ condition: 'tick and order', topic: 'x' }] })))
      .toBe('functions/t: subscribers[0].condition: does not parse: it expects "&&", "||" or the end at position 6, not "and" (got "tick and order"); write input names joined by &&, || and !, with parentheses, e.g. "orders && payments" [OFN_EVENT_CONDITION]');
  });

  test('a sink that is neither a function, a URL nor a binding', () => {
    const s = setup();
    expect(errorOf(() => new Trigger(s.chart, 't', { inputs: s.inputs, subscribers: [{ condition: 'tick', sink: 'http://x' as any }] })))
      .toBe('functions/t: subscribers[0].sink: is neither a function, a URL nor a Dapr binding (got "http://x"); give EventSink.fromFunction(fn), EventSink.fromUrl(url) or EventSink.fromBinding(component) [OFN_EVENT_SINK]');
  });

  test('an async function sink with a condition that needs the handler', () => {
    const s = setup();
    const fn = kedaFunction(s.chart, 'tally');
    expect(errorOf(() => new Trigger(s.chart, 't', { inputs: s.inputs, subscribers: [{ condition: 'tick && order', sink: EventSink.fromFunction(fn) }] })))
      .toBe('functions/t: subscribers[0].sink: is an async function, which Dapr subscriptions deliver to; condition "tick && order" needs the trigger handler\'s memory of recent events, and the handler only calls URLs and bindings (got "functions/tally"); '
        + 'use a condition of inputs joined by ||, or re-publish the matching events (topic: ...) and subscribe the function to it with bus.trigger(...) [OFN_EVENT_SINK]');
  });

  test('a KEDA-scaled function on a bus KEDA cannot read', () => {
    const s = setup(EventBusBackend.natsJetStream());
    const fn = kedaFunction(s.chart, 'tally');
    expect(errorOf(() => new Trigger(s.chart, 't', { inputs: s.inputs, subscribers: [{ condition: 'tick', sink: EventSink.fromFunction(fn) }] })))
      .toMatch(/^functions\/t: subscribers\[0\]\.sink: is scaled by KEDA on its own triggers, and bus default gives KEDA no backlog to wake it on.*\[OFN_EVENT_SINK\]$/);
  });

  test('subscriber mistakes: no destination, handler-only options, a repeated condition, a double delivery, bad topics', () => {
    const s = setup();
    const fn = kedaFunction(s.chart, 'tally');
    const url = EventSink.fromUrl('http://x.example.com/');
    const msg = errorOf(() => new Trigger(s.chart, 't', {
      inputs: s.inputs,
      subscribers: [
        { condition: 'tick' },
        { condition: 'order', sink: url, filter: 'event.type == "x"' },
        { condition: 'tick && order', sink: url },
        { condition: 'tick&&order', topic: 'bad topic' },
        { condition: 'tick', sink: EventSink.fromFunction(fn) },
        { condition: 'order || tick', sink: EventSink.fromFunction(fn) },
      ],
    }));
    expect(msg.split('\n')).toEqual([
      'functions/t: subscribers[0].sink: is required when the subscriber has no topic: matching events would go nowhere (got nothing); give sink, topic or both [OFN_EVENT_DESTINATION]',
      'functions/t: subscribers[1].filter: applies to async function sinks only (Dapr subscriptions); the trigger handler does not honour it (got "event.type == \\"x\\""); drop filter, or deliver to an async function [OFN_EVENT_SUBSCRIBER]',
      'functions/t: subscribers[3].topic: is not a topic name (got "bad topic"); use letters, digits, ".", "_" and "-" [OFN_EVENT_SUBSCRIBER]',
      'functions/t: subscribers[3].condition: repeats the condition of subscribers[2]; the trigger handler keeps one subscriber per condition (got "tick&&order"); merge the two into one subscriber with a sink and a topic [OFN_EVENT_SUBSCRIBER]',
      'functions/t: subscribers[5].sink: gets input tick from subscribers[4] already (got "functions/tally"); deliver each input to a function once (join the conditions with ||) [OFN_EVENT_SINK]',
    ]);
  });

  test('input mistakes: not an identifier, an unknown source, a source on another bus, the same event twice', () => {
    const s = setup();
    const other = new EventBus(s.chart, 'other');
    const elsewhere = new EventSource(s.chart, 'elsewhere', { bus: other, events: { e: SourceEvent.cron({ schedule: '@hourly' }) } });
    const msg = errorOf(() => new Trigger(s.chart, 't', {
      inputs: {
        'in': s.ticker.event('tick'),
        'missing': { source: 'nope', event: 'x' },
        'far': elsewhere.event('e'),
        'again': s.ticker.event('tick'),
      },
      subscribers: [{ condition: 'missing', topic: 'x' }],
    }));
    expect(msg.split('\n')).toEqual([
      'functions/t: inputs.in: is not an input name (a CEL identifier: letters, digits and "_", not a reserved word) (got "in"); rename the input, e.g. orderCreated [OFN_EVENT_INPUT]',
      'functions/t: inputs.missing.source: names no event source the app defines in namespace demo (got "nope"); define the EventSource before the trigger, or pass it [OFN_EVENT_INPUT]',
      'functions/t: inputs.far.source: publishes to bus other, not default (got "elsewhere"); give the source bus: default [OFN_EVENT_INPUT]',
      'functions/t: inputs.again: is the same event as input in (demo-ticker-tick) (got "again"); listen to each event through one input [OFN_EVENT_INPUT]',
    ]);
  });

  test('a trigger without inputs or subscribers', () => {
    const s = setup();
    expect(errorOf(() => new Trigger(s.chart, 't', { inputs: {}, subscribers: [] })).split('\n')).toEqual([
      'functions/t: inputs: lists no input (got {}); give the events to listen to, e.g. { tick: ticker.event("tick") } [OFN_EVENT_INPUT]',
      'functions/t: subscribers: lists no subscriber (got []); give at least one { condition, sink } or { condition, topic } [OFN_EVENT_SUBSCRIBER]',
    ]);
  });
});
