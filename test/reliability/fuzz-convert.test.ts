import * as fc from 'fast-check';
import { dump } from 'js-yaml';
import { chartObjects, convert, MigrationError, parseDocuments, SchemaValidator, validationProblems } from '../../src';

// Random OpenFunction Function documents through the converter: a schema-valid app or a
// MigrationError naming file, document and field, never anything else. Seeded and bounded.
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

function pick<T>(valid: T[], invalid: T[]): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 10 }, { arbitrary: fc.constantFrom(...invalid), weight: 1 });
}
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });

const component = fc.record({ type: pick(['bindings.kafka', 'bindings.cron', 'pubsub.redis'], [42 as any, 'kafka']), version: fc.constant('v1'), metadata: fc.constant([{ name: 'brokers', value: 'k:9092' }]) });
const v1beta2 = fc.record({
  apiVersion: pick(['core.openfunction.io/v1beta2'], ['core.openfunction.io/v9']),
  kind: pick(['Function'], ['Funktion']),
  metadata: fc.record({ name: pick(['hello', 'orders'], ['Bad_Name', 7 as any]), namespace: maybe(pick(['demo'], ['Not OK'])) }),
  spec: fc.record({
    version: maybe(pick(['v1.0.0', 'latest'], ['v 1'])),
    image: maybe(pick(['registry.example.com/demo/fn:v1', 'openfunctiondev/x:latest'], ['hello', 42 as any])),
    imageCredentials: maybe(fc.record({ name: pick(['push-secret'], ['Bad_Secret']) })),
    build: maybe(fc.record({
      builder: maybe(pick(['openfunction/builder-go:latest'], ['Bad Builder'])),
      env: maybe(fc.dictionary(pick(['FUNC_NAME'], ['bad-key']), pick(['Hello'], ['a#b']), { maxKeys: 2 })),
      srcRepo: fc.oneof(
        fc.record({ url: pick(['https://github.com/OpenFunction/samples.git'], ['ftp://x', '']), revision: maybe(pick(['main'], ['a b'])), sourceSubPath: maybe(pick(['functions/x'], ['../y'])) }),
        fc.record({ bundleContainer: fc.record({ image: pick(['r.io/src/x:1'], ['Bad:x:y']) }) }),
        fc.constant({}),
      ),
      dockerfile: maybe(pick(['Dockerfile'], ['../Dockerfile'])),
      timeout: maybe(pick(['10m', '1h30m'], ['ten minutes', 5 as any])),
      successfulBuildsHistoryLimit: maybe(pick([0, 2], [-1])),
    })),
    serving: maybe(fc.record({
      triggers: maybe(fc.oneof(
        fc.record({ http: fc.record({ port: maybe(pick([8080, 9000], [0, 70000])), engine: maybe(pick(['knative', 'keda'], ['istio'])), route: maybe(fc.record({ hostnames: fc.constant(['a.example.com']) })) }) }),
        fc.record({ dapr: fc.array(fc.record({ name: pick(['in'], ['missing']), type: maybe(pick(['bindings.kafka'], ['pubsub.redis'])), topic: maybe(fc.constant('t')) }), { minLength: 1, maxLength: 2 }) }),
      )),
      bindings: maybe(fc.record({ in: component })),
      scaleOptions: maybe(fc.record({ minReplicas: maybe(pick([0, 1], [-1])), maxReplicas: maybe(pick([5, 10], [0])) })),
      params: maybe(fc.dictionary(pick(['LOG_LEVEL'], ['FUNC_CONTEXT', 'bad-name']), fc.constant('x'), { maxKeys: 2 })),
      somethingUnknown: maybe(fc.constant(true)),
    })),
  }),
});

test(`${RUNS} random OpenFunction Functions convert to valid objects or to errors naming file, document and field`, () => {
  let converted = 0;
  let rejected = 0;
  fc.assert(fc.property(fc.array(v1beta2, { minLength: 1, maxLength: 2 }), (docs) => {
    const text = docs.map((d) => dump(JSON.parse(JSON.stringify(d)))).join('---\n');
    try {
      const result = convert(parseDocuments(text, 'fuzz.yaml'));
      const problems = validationProblems(result.app);
      if (problems.length) throw new Error(`synth problems after a successful conversion: ${problems.join('; ')}`);
      const objects = result.app.charts.flatMap((c) => chartObjects(c));
      const schema = SchemaValidator.default.validateObjects(objects);
      if (schema.length) throw new Error(`invalid output: ${schema.map(String).join('; ')}`);
      for (const w of result.warnings) if (!/^fuzz\.yaml#\d+: \S+: /.test(String(w))) throw new Error(`badly formed warning ${w}`);
      converted++;
    } catch (e) {
      if (!(e instanceof MigrationError)) throw e;
      for (const p of e.problems) if (!/^fuzz\.yaml#\d+: \S+: .+/.test(String(p))) throw new Error(`badly formed problem ${p}`);
      rejected++;
    }
  }), { numRuns: RUNS, seed: 4242 });
  if (process.env.FUZZ_REPORT) console.log(JSON.stringify({ runs: RUNS, converted, rejected }));
  expect(converted).toBeGreaterThan(RUNS * 0.05);
  expect(rejected).toBeGreaterThan(RUNS * 0.3);
}, 300000);
