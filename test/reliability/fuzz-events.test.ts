import * as fc from 'fast-check';
import { App, Chart, Testing, Yaml } from 'cdk8s';
import { load } from 'js-yaml';
import {
  chartObjects, DaprComponents, ERROR_CODES, EventBus, EventBusBackend, EventSink, EventSource, Function, FunctionSource, PropValidationError, SchemaValidator,
  Serving, SourceEvent, Trigger, validationProblems,
} from '../../src';

// Seeded and bounded, like the function fuzz: random event sources, buses, sinks and triggers
// either synthesize schema-valid objects or fail with catalogued codes, never anything else.
const RUNS = Number(process.env.FUZZ_RUNS ?? 600);
const SEED = 20261124;

function pick<T>(valid: T[], invalid: T[]): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 10 }, { arbitrary: fc.constantFrom(...invalid), weight: 1 });
}

const event = fc.oneof(
  fc.record({ kind: fc.constant('kafka'), brokers: pick([['kafka:9092'], ['a:9092', 'b:9092']], [[], ['no-port']]), topic: pick(['orders'], ['', 'bad topic']) }),
  fc.record({ kind: fc.constant('cron'), schedule: pick(['@every 10s', '*/5 * * * *', '@hourly'], ['0 25 * * *', 'often']) }),
  fc.record({ kind: fc.constant('redis'), host: pick(['redis:6379'], ['redis']), stream: pick(['events'], ['']) }),
  fc.record({ kind: fc.constant('mqtt'), url: pick(['tcp://mqtt:1883'], ['mqtt']), topic: pick(['sensors'], ['']) }),
);
type EventConfig = typeof event extends fc.Arbitrary<infer T> ? T : never;
const sink = fc.constantFrom('none', 'async', 'knative', 'unserved', 'url', 'bad-url', 'binding');
const config = fc.record({
  backend: fc.constantFrom('nats', 'nats-keda', 'kafka', 'redis'),
  sourceName: pick(['ticker', 'orders'], ['Bad_Source']),
  events: fc.oneof({ weight: 12, arbitrary: fc.dictionary(pick(['tick', 'created', 'reading'], ['Bad_Event']), event, { minKeys: 1, maxKeys: 2 }) }, { weight: 1, arbitrary: fc.constant<Record<string, EventConfig>>({}) }),
  toBus: pick([true], [false]),
  sink,
  trigger: fc.option(fc.record({
    bus: pick(['default'], ['missing']),
    condition: pick(['a', 'a || b', 'a && b', '!a && b', '(a || b) && a'], ['c', 'a &&', '']),
    sink: fc.constantFrom('async', 'knative', 'url', 'binding'),
    topic: fc.option(pick(['alerts'], ['bad topic']), { nil: undefined }),
  }), { nil: undefined }),
});

type Config = typeof config extends fc.Arbitrary<infer T> ? T : never;

function sourceEvent(e: EventConfig): SourceEvent {
  switch (e.kind) {
    case 'kafka': return SourceEvent.kafka({ brokers: e.brokers, topic: e.topic });
    case 'cron': return SourceEvent.cron({ schedule: e.schedule });
    case 'redis': return SourceEvent.redis({ host: e.host, stream: e.stream });
    default: return SourceEvent.mqtt({ url: e.url, topic: e.topic });
  }
}

function build(c: Config): { app: App; construct: () => void } {
  const app = Testing.app();
  const chart = new Chart(app, 'events', { namespace: 'demo' });
  const construct = () => {
    const backend = c.backend === 'kafka' ? EventBusBackend.kafka({ brokers: ['kafka:9092'] })
      : c.backend === 'redis' ? EventBusBackend.redisStreams({ host: 'redis:6379' })
        : EventBusBackend.natsJetStream(c.backend === 'nats-keda' ? { streamName: 'events', monitoringEndpoint: 'nats:8222' } : {});
    const bus = new EventBus(chart, 'default', { backend });
    const queue = DaprComponents.kafkaBinding(chart, 'work', { brokers: ['kafka:9092'], topics: ['work'], consumerGroup: 'worker' });
    const worker = new Function(chart, 'worker', { image: 'registry.example.com/demo/worker:v1', serving: Serving.async({ triggers: [{ component: queue }] }) });
    const web = new Function(chart, 'web', { source: FunctionSource.fromImage('registry.example.com/demo/web:v1') });
    const idle = new Function(chart, 'idle', { source: FunctionSource.fromImage('registry.example.com/demo/idle:v1'), serving: Serving.none() });
    const out = DaprComponents.httpBinding(chart, 'out', { url: 'http://sink.demo.svc/in' });
    const sinkOf = (kind: string): EventSink | undefined => {
      switch (kind) {
        case 'async': return EventSink.fromFunction(worker);
        case 'knative': return EventSink.fromFunction(web);
        case 'unserved': return EventSink.fromFunction(idle);
        case 'url': return EventSink.fromUrl('http://receiver.example.com/events');
        case 'bad-url': return EventSink.fromUrl('ftp://receiver');
        case 'binding': return EventSink.fromBinding(out, { operation: 'post' });
        default: return undefined;
      }
    };
    const events = Object.fromEntries(Object.entries(c.events).map(([name, e]) => [name, sourceEvent(e)]));
    const source = new EventSource(chart, c.sourceName, { events, bus: c.toBus ? bus : undefined, sink: sinkOf(c.sink) });
    if (c.trigger) {
      const names = Object.keys(events);
      const inputs: Record<string, ReturnType<EventSource['event']>> = {};
      if (names[0]) inputs.a = source.event(names[0]);
      if (names[1]) inputs.b = source.event(names[1]);
      // Conditions over b fall back to a when the source has one event (so most are satisfiable).
      const condition = names[1] ? c.trigger.condition : c.trigger.condition.replace(/b/g, 'a');
      new Trigger(chart, 'trigger', { bus: c.trigger.bus, inputs, subscribers: [{ condition, sink: sinkOf(c.trigger.sink), topic: c.trigger.topic }] });
    }
  };
  return { app, construct };
}

test(`${RUNS} random event sources, buses, sinks and triggers synthesize valid objects or fail with catalogued errors`, () => {
  let valid = 0;
  let rejected = 0;
  const codes = new Set<string>();
  const record = (code: string | undefined, text: string) => {
    if (!code) throw new Error(`uncoded problem: ${text}`);
    if (!(code in ERROR_CODES)) throw new Error(`uncatalogued code ${code}`);
    codes.add(code);
  };
  fc.assert(fc.property(config, (c) => {
    const { app, construct } = build(c);
    try {
      construct();
    } catch (e) {
      // Methods that return values (source.event of an unknown event) throw their problems.
      if (!(e instanceof PropValidationError)) throw e;
      for (const code of e.codes) record(code, e.message);
      rejected++;
      return;
    }
    const problems = validationProblems(app);
    if (problems.length) {
      for (const p of problems) record(/\[(OFN_[A-Z_0-9]+)\]$/.exec(p)?.[1], p);
      rejected++;
      return;
    }
    const objects = app.charts.flatMap((ch) => chartObjects(ch));
    const schema = SchemaValidator.default.validateObjects(objects);
    if (schema.length) throw new Error(`invalid output: ${schema.map(String).join('\n')}`);
    for (const ch of app.charts) for (const doc of Yaml.stringify(...chartObjects(ch)).split(/^---$/m)) load(doc);
    if (objects.some((o) => o.kind === 'Secret' || String(o.apiVersion).includes('openfunction.io'))) throw new Error('a Secret or an OpenFunction object was emitted');
    valid++;
  }), { numRuns: RUNS, seed: SEED });
  if (process.env.FUZZ_REPORT) console.log(JSON.stringify({ runs: RUNS, valid, rejected, codes: [...codes].sort() }));
  expect(valid).toBeGreaterThan(RUNS * 0.05);
  expect(rejected).toBeGreaterThan(RUNS * 0.2);
  expect(codes.size).toBeGreaterThan(5);
}, 300000);
