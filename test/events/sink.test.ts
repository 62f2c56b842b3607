import { Chart } from 'cdk8s';
import {
  AsyncWorkload, DaprComponent, DaprComponents, EventSink, EventSinkKind, EventSource, Function, Serving, SourceEvent,
} from '../../src';
import { errorOf, functionsApp } from '../helpers';

/** An async function scaled by KEDA on a Kafka binding of its own. */
function kedaFunction(chart: Chart, name = 'tally') {
  const own = DaprComponents.kafkaBinding(chart, `${name}-in`, { brokers: ['k:9092'], topics: ['own'], consumerGroup: name });
  return new Function(chart, name, { image: `registry.example.com/demo/${name}:v1`, serving: Serving.async({ triggers: [{ component: own }] }) });
}

describe('EventSink', () => {
  const { chart } = functionsApp();
  const knative = new Function(chart, 'hello', { image: 'registry.example.com/demo/hello:v1' });
  const asyncFn = kedaFunction(chart);

  test('an HTTP function is called at its in-cluster URL by a handler', () => {
    const sink = EventSink.fromFunction(knative);
    expect([sink.kind, sink.viaDapr, sink.url, sink.function]).toEqual([EventSinkKind.FUNCTION, false, 'http://hello.demo.svc.cluster.local', knative]);
  });

  test('an async function gets events through Dapr and has no URL', () => {
    const sink = EventSink.fromFunction(asyncFn, { path: '/in' });
    expect([sink.viaDapr, sink.url, sink.target.path]).toEqual([true, undefined, '/in']);
  });

  test('URL and binding sinks go through a handler', () => {
    expect([EventSink.fromUrl('http://x.example.com/').viaDapr, EventSink.fromUrl('http://x.example.com/').url]).toEqual([false, 'http://x.example.com/']);
    const binding = EventSink.fromBinding(DaprComponent.existing('out', 'bindings.http', 'demo'), { operation: 'post' });
    expect([binding.kind, binding.viaDapr, binding.target.operation]).toEqual([EventSinkKind.BINDING, false, 'post']);
  });
});

describe('bad sinks', () => {
  const cron = { tick: SourceEvent.cron({ schedule: '@hourly' }) };

  test('a sink that is neither a function, a URL nor a binding', () => {
    const { chart } = functionsApp();
    expect(errorOf(() => new EventSource(chart, 'ticker', { sink: { url: 'http://x' } as any, events: cron })))
      .toBe('functions/ticker: sink: is neither a function, a URL nor a Dapr binding (got {"url":"http://x"}); give EventSink.fromFunction(fn), EventSink.fromUrl(url) or EventSink.fromBinding(component) [OFN_EVENT_SINK]');
  });
  test('a URL sink that is not http(s), a state store as binding, a function that is not served', () => {
    const { chart } = functionsApp();
    const store = DaprComponents.redisState(chart, 'store', { host: 'redis:6379' });
    const built = new Function(chart, 'built', { image: 'registry.example.com/demo/built:v1', serving: Serving.none() });
    expect(errorOf(() => new EventSource(chart, 'a', { sink: EventSink.fromUrl('ftp://x'), events: cron })))
      .toBe('functions/a: sink: is not an http(s) URL (got "ftp://x"); give e.g. http://sink.demo.svc.cluster.local/events [OFN_EVENT_SINK]');
    expect(errorOf(() => new EventSource(chart, 'b', { sink: EventSink.fromBinding(store), events: cron })))
      .toBe('functions/b: sink: is a state.redis component, not an output binding (got "store"); give a bindings.* component [OFN_EVENT_SINK]');
    expect(errorOf(() => new EventSource(chart, 'c', { sink: EventSink.fromFunction(built), events: cron })))
      .toBe('functions/c: sink: is not served (Serving.none()), so nothing can receive events (got "functions/built"); serve the function (Serving.async for Dapr delivery, or Serving.knative) [OFN_EVENT_SINK]');
  });
  test('a function of another app or namespace', () => {
    const { chart } = functionsApp();
    const other = functionsApp();
    const foreign = kedaFunction(other.chart);
    expect(errorOf(() => new EventSource(chart, 'a', { sink: EventSink.fromFunction(foreign), events: cron })))
      .toMatch(/^functions\/a: sink: is a function of another app \(got "functions\/tally"\).*\[OFN_EVENT_SINK\]$/);
    const elsewhere = kedaFunction(new Chart(chart.node.root as any, 'elsewhere', { namespace: 'elsewhere' }), 'far');
    expect(errorOf(() => new EventSource(chart, 'b', { sink: EventSink.fromFunction(elsewhere), events: { c: SourceEvent.kafka({ brokers: ['k:9092'], topic: 't' }) } })))
      .toMatch(/sink: is an async function in namespace elsewhere; Dapr delivers to it only from components of its own namespace demo .*\[OFN_EVENT_SINK\]/);
  });

  test('a binding of another namespace', () => {
    const { chart } = functionsApp();
    expect(errorOf(() => new EventSource(chart, 'a', { sink: EventSink.fromBinding(DaprComponent.existing('out', 'bindings.http', 'other')), events: cron })))
      .toBe('functions/a: sink: is in namespace other, but the handler that sends to it runs in demo (got "out"); define the binding in this namespace [OFN_EVENT_SINK]');
  });

  test('an async function run as Jobs, and a bad route path', () => {
    const { chart } = functionsApp();
    const own = DaprComponents.cronBinding(chart, 'own', { schedule: '@daily' });
    const queue = DaprComponents.kafkaBinding(chart, 'queue', { brokers: ['kafka:9092'], topics: ['jobs'], consumerGroup: 'jobs' });
    const jobs = new Function(chart, 'jobs', { image: 'registry.example.com/demo/jobs:v1', serving: Serving.async({ triggers: [{ component: queue }], workload: AsyncWorkload.JOB }) });
    const steady = new Function(chart, 'steady', { image: 'registry.example.com/demo/steady:v1', serving: Serving.async({ triggers: [{ component: own }] }) });
    expect(errorOf(() => new EventSource(chart, 'a', { sink: EventSink.fromFunction(jobs), events: cron })))
      .toBe('functions/a: sink: runs as KEDA-started Jobs, which hold no Dapr subscription between events (got "functions/jobs"); serve the function with the Deployment workload [OFN_EVENT_SINK]');
    expect(errorOf(() => new EventSource(chart, 'b', { sink: EventSink.fromFunction(steady, { path: 'events' }), events: cron })))
      .toBe('functions/b: sink: is not a route path (got "events"); give a path starting with / [OFN_EVENT_SINK]');
  });
});
