import * as fc from 'fast-check';
import { Chart, Duration, Testing, Yaml } from 'cdk8s';
import { load } from 'js-yaml';
import {
  Builder, chartObjects, DaprComponents, ERROR_CODES, Function, FunctionGateway, FunctionProps, FunctionSource, KnativeMetric, PropValidationError,
  RevisionWatcher, SchemaValidator, Serving, StandardBuildStrategies, Tracing, Traffic, validationProblems,
} from '../../src';

// Seeded and bounded: the same 1,200 configurations on every run. FUZZ_RUNS raises it for a nightly run.
const RUNS = Number(process.env.FUZZ_RUNS ?? 1200);
const SEED = 20261123;

// Mostly valid values, sometimes invalid ones: most configurations synthesize, many fail somewhere.
function pick<T>(valid: T[], invalid: T[]): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 12 }, { arbitrary: fc.constantFrom(...invalid), weight: 1 });
}
function maybe<T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(a, { nil: undefined, freq: 2 });
}
const int = (valid: [number, number], invalid: number[]) => fc.oneof({ arbitrary: fc.integer({ min: valid[0], max: valid[1] }), weight: 12 }, { arbitrary: fc.constantFrom(...invalid), weight: 1 });

const name = pick(['hello', 'fn-2', 'a', 'orders-v1'], ['Bad_Name', 'x'.repeat(60)]);
const image = pick(['registry.example.com/demo/hello:v1', 'openfunctiondev/sample:latest', 'r.io/a/b:2'], ['hello:v1', 'Bad Image']);
const source = maybe(fc.oneof(
  fc.record({ kind: fc.constant('git'), url: pick(['https://github.com/OpenFunction/samples.git', 'git@github.com:a/b.git'], ['', 'ftp://x/y', 'not a url']), revision: maybe(pick(['main', 'v1.0'], ['bad rev', 'a..b'])), subPath: maybe(pick(['functions/x', '/abs/path'], ['../etc'])) }),
  fc.record({ kind: fc.constant('bundle'), image: pick(['r.io/src/x:1'], ['Bad:Ref:x']) }),
  fc.record({ kind: fc.constant('image'), image: pick(['r.io/prebuilt/x:1', 'r.io/a/b@sha256:' + 'a'.repeat(64)], ['Bad Image']) }),
));
const env = fc.dictionary(pick(['FUNC_NAME', 'A_B'], ['bad-key', 'FUNC_CONTEXT', 'PORT']), pick(['x', ''], ['a#b']), { maxKeys: 3 });
const traffic = maybe(fc.array(fc.oneof(
  fc.record({ t: fc.constant('current'), p: int([0, 100], [-10, 110]) }),
  fc.record({ t: fc.constant('latest'), p: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ t: fc.constant('rev'), p: fc.integer({ min: 0, max: 100 }), name: pick(['hello-v1-abc'], ['Bad_Rev']) }),
), { minLength: 1, maxLength: 3 }));
const serving = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('knative'), min: maybe(int([0, 3], [-1])), max: maybe(int([3, 20], [0])), target: maybe(int([1, 200], [0, -5])), port: maybe(int([1, 65535], [0, 70000])), metric: maybe(fc.constantFrom(...Object.values(KnativeMetric))), traffic, env }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('keda'), hosts: fc.array(pick(['a.example.com'], ['Bad Host']), { minLength: 1, maxLength: 2 }), paths: fc.array(pick(['/a'], ['b']), { maxLength: 2 }), min: maybe(int([0, 3], [-1])), max: maybe(int([3, 20], [0])) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('async'), trigger: pick(['kafka', 'bus-topic'], ['bus', 'missing', 'none']), job: fc.boolean(), min: maybe(int([0, 3], [-1])) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('none') }) },
);
const config = fc.record({
  name, image: fc.option(image, { nil: undefined, freq: 8 }), source, env, serving,
  builder: maybe(pick(['go', 'node'], ['custom-bad'])),
  dockerfile: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: pick(['Dockerfile'], ['../Dockerfile']) }),
  successful: maybe(int([1, 5], [0, -2])),
  timeoutSeconds: maybe(int([1, 3600], [0])),
  tracing: maybe(pick(['sw', 'otel', 'off'], ['otel-bad'])),
  route: fc.boolean(),
  output: fc.boolean(),
  watch: maybe(fc.record({ interval: maybe(int([1, 600], [0])), builderImage: fc.boolean(), baseImages: maybe(pick([['golang:1.24']], [['Bad Image'], ['r.io/a/b@sha256:' + 'b'.repeat(64)]])) })),
});

type Config = typeof config extends fc.Arbitrary<infer T> ? T : never;

function build(c: Config) {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  new StandardBuildStrategies(platform, 'strategies');
  new RevisionWatcher(platform, 'watcher', { namespace: 'openfunction' });
  const chart = new Chart(app, 'functions', { namespace: 'demo' });
  const gateway = new FunctionGateway(chart, 'gw', { domain: 'fn.example.com', gatewayClassName: 'contour' });
  const kafka = DaprComponents.kafkaBinding(chart, 'kafka', { brokers: ['k:9092'], topics: ['t'], consumerGroup: 'g' });
  const bus = DaprComponents.redisPubSub(chart, 'bus', { host: 'redis:6379', password: { name: 'redis', key: 'password' } });
  const sink = DaprComponents.httpBinding(chart, 'sink', { url: 'http://sink/x' });
  const src = c.source === undefined ? undefined
    : c.source.kind === 'git' ? FunctionSource.fromGit(c.source.url, { revision: c.source.revision, subPath: c.source.subPath })
      : c.source.kind === 'bundle' ? FunctionSource.fromBundle(c.source.image) : FunctionSource.fromImage(c.source.image);
  const s = c.serving;
  const servingOf = (): Serving => {
    switch (s.kind) {
      case 'knative': return Serving.knative({
        minScale: s.min, maxScale: s.max, target: s.target, port: s.port, metric: s.metric, env: s.env,
        traffic: s.traffic?.map((t: any) => (t.t === 'current' ? Traffic.current(t.p) : t.t === 'latest' ? Traffic.latest(t.p) : Traffic.revision((t as any).name, t.p))),
      });
      case 'keda': return Serving.kedaHttp({ hosts: s.hosts, pathPrefixes: s.paths, minReplicas: s.min, maxReplicas: s.max });
      case 'async': return Serving.async({
        triggers: s.trigger === 'none' ? [] : [{ component: s.trigger === 'kafka' ? kafka : s.trigger === 'missing' ? 'missing' : bus, topic: s.trigger === 'bus-topic' ? 'orders' : undefined }],
        workload: s.job ? 'Job' as any : undefined, minReplicas: s.min,
      });
      default: return Serving.none();
    }
  };
  const props: FunctionProps = {
    name: c.name, image: c.image, source: src, buildEnv: Object.keys(c.env).length ? c.env : undefined,
    builder: c.builder === 'go' ? Builder.GO : c.builder === 'node' ? Builder.NODEJS : c.builder ? Builder.fromImage('Not A Builder') : undefined,
    dockerfile: c.dockerfile, successfulBuildsHistoryLimit: c.successful,
    buildTimeout: c.timeoutSeconds === undefined ? undefined : Duration.seconds(c.timeoutSeconds),
    serving: servingOf(),
    tracing: c.tracing === 'sw' ? { provider: Tracing.skywalking('oap:11800') } : c.tracing === 'otel' ? { provider: Tracing.openTelemetry({ name: 'otlp', endpoint: 'http://otel:4318' }) }
      : c.tracing === 'otel-bad' ? { provider: Tracing.openTelemetry({ name: 'nope' as any, endpoint: 'x' }) } : c.tracing === 'off' ? { enabled: false } : undefined,
    route: c.route ? gateway.route() : undefined,
    outputs: c.output ? [{ component: sink }] : undefined,
    watch: c.watch && { ...c.watch, interval: c.watch.interval === undefined ? undefined : Duration.seconds(c.watch.interval) },
  };
  return { app, chart, construct: () => new Function(chart, 'fn', props) };
}

test(`${RUNS} random function configurations synthesize valid objects or fail with catalogued errors`, () => {
  let valid = 0;
  let rejected = 0;
  const codes = new Map<string, number>();
  fc.assert(fc.property(config, (c) => {
    const { app, construct } = build(c);
    try {
      construct();
    } catch (e) {
      if (!(e instanceof PropValidationError)) throw e;
      for (const code of e.codes) {
        if (!(code in ERROR_CODES)) throw new Error(`uncatalogued code ${code}`);
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
      rejected++;
      return;
    }
    const problems = validationProblems(app);
    if (problems.length) {
      // Prop problems are collected for synth, as are synth-time validations (strategy
      // existence); every one carries a catalogued code, and schema problems never may appear.
      for (const p of problems) {
        const code = /\[(OFN_[A-Z_]+)\]$/.exec(p)?.[1];
        if (!code) throw new Error(`uncoded synth problem: ${p}`);
        if (!(code in ERROR_CODES)) throw new Error(`uncatalogued code ${code}`);
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
      rejected++;
      return;
    }
    const objects = app.charts.flatMap((ch) => chartObjects(ch));
    const schema = SchemaValidator.default.validateObjects(objects);
    if (schema.length) throw new Error(`invalid output: ${schema.map(String).join('\n')}`);
    for (const ch of app.charts) for (const doc of Yaml.stringify(...chartObjects(ch)).split(/^---$/m)) load(doc);
    if (objects.some((o) => o.kind === 'Secret')) throw new Error('a Secret object was emitted');
    valid++;
  }), { numRuns: RUNS, seed: SEED });
  if (process.env.FUZZ_REPORT) console.log(JSON.stringify({ runs: RUNS, valid, rejected, codes: Object.fromEntries([...codes].sort()) }));
  expect(valid).toBeGreaterThan(RUNS * 0.05);
  expect(rejected).toBeGreaterThan(RUNS * 0.3);
  expect(codes.size).toBeGreaterThan(15);
}, 300000);
