import { Chart, Testing } from 'cdk8s';
import { cronScheduleProblem, DaprComponent, DaprComponents, DaprSecret, SchemaValidator } from '../../src';
import { errorOf, only } from '../helpers';

function chart() {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'functions', { namespace: 'demo' }) };
}

test('a generic component emits type, version and sorted metadata, secrets as references', () => {
  const { app, chart: c } = chart();
  new DaprComponent(c, 'custom', { type: 'bindings.rabbitmq', version: 'v1', metadata: { queueName: 'q', host: DaprSecret.fromSecret('rabbit', 'url') } });
  const obj = only(Testing.synth(c), 'Component');
  expect(obj.apiVersion).toBe('dapr.io/v1alpha1');
  expect(obj.metadata).toMatchObject({ name: 'custom', namespace: 'demo' });
  expect(obj.spec).toEqual({ type: 'bindings.rabbitmq', version: 'v1', metadata: [{ name: 'host', secretKeyRef: { name: 'rabbit', key: 'url' } }, { name: 'queueName', value: 'q' }] });
  expect(obj.scopes).toBeUndefined();
  expect(SchemaValidator.default.validateApp(app)).toEqual([]);
});

test('scopes list exactly the app ids added, sorted', () => {
  const { chart: c } = chart();
  const comp = DaprComponents.redisState(c, 'store', { host: 'redis:6379' });
  comp.addScope('b-demo');
  comp.addScope('a-demo');
  comp.addScope('b-demo');
  expect(only(Testing.synth(c), 'Component').scopes).toEqual(['a-demo', 'b-demo']);
});

describe('typed factories', () => {
  const { app, chart: c } = chart();
  const objs = (): Record<string, any> => Object.fromEntries(Testing.synth(c).map((o) => [o.metadata.name, o.spec]));
  DaprComponents.kafkaBinding(c, 'kin', { brokers: ['k:9092', 'k2:9092'], topics: ['a', 'b'], consumerGroup: 'g', auth: { username: { name: 's', key: 'u' }, password: { name: 's', key: 'p' } }, initialOffset: 'oldest' });
  DaprComponents.kafkaPubSub(c, 'kps', { brokers: ['k:9092'], consumerGroup: 'g' });
  DaprComponents.redisPubSub(c, 'rps', { host: 'redis:6379', password: { name: 'redis', key: 'password' }, tls: true });
  DaprComponents.cronBinding(c, 'cron', { schedule: '*/5 * * * *' });
  DaprComponents.mqttBinding(c, 'mqtt', { url: 'tcp://mqtt:1883', topic: 't' });
  DaprComponents.mqttPubSub(c, 'mqttps', { url: 'tcp://mqtt:1883', qos: 2 });
  DaprComponents.natsPubSub(c, 'nats', { url: 'nats://nats:4222', durableName: 'd' });
  DaprComponents.httpBinding(c, 'http', { url: 'http://sink/x' });
  DaprComponents.postgresState(c, 'pg', { connectionString: { name: 'pg', key: 'dsn' }, tableName: 't' });
  DaprComponents.mysqlState(c, 'mysql', { connectionString: { name: 'my', key: 'dsn' } });
  DaprComponents.mongoState(c, 'mongo', { host: 'mongo:27017', username: 'u', password: { name: 'mongo', key: 'pw' }, databaseName: 'db' });
  const specs = objs();

  test('all validate against the Dapr schema', () => {
    expect(SchemaValidator.default.validateApp(app).map(String)).toEqual([]);
  });
  test('have the Dapr types', () => {
    expect(Object.fromEntries(Object.entries(specs).map(([k, v]) => [k, v.type]))).toEqual({
      kin: 'bindings.kafka', kps: 'pubsub.kafka', rps: 'pubsub.redis', cron: 'bindings.cron', mqtt: 'bindings.mqtt3', mqttps: 'pubsub.mqtt3',
      nats: 'pubsub.jetstream', http: 'bindings.http', pg: 'state.postgresql', mysql: 'state.mysql', mongo: 'state.mongodb',
    });
  });
  test('Kafka carries brokers, topics, group and SASL credentials as Secret references', () => {
    expect(specs.kin.metadata).toEqual([
      { name: 'authType', value: 'password' }, { name: 'brokers', value: 'k:9092,k2:9092' }, { name: 'consumerGroup', value: 'g' },
      { name: 'initialOffset', value: 'oldest' }, { name: 'saslPassword', secretKeyRef: { name: 's', key: 'p' } },
      { name: 'saslUsername', secretKeyRef: { name: 's', key: 'u' } }, { name: 'topics', value: 'a,b' },
    ]);
  });
  test('secrets of Redis, SQL and MongoDB stores are references, never values', () => {
    expect(specs.rps.metadata).toContainEqual({ name: 'redisPassword', secretKeyRef: { name: 'redis', key: 'password' } });
    expect(specs.pg.metadata).toContainEqual({ name: 'connectionString', secretKeyRef: { name: 'pg', key: 'dsn' } });
    expect(specs.mongo.metadata).toContainEqual({ name: 'password', secretKeyRef: { name: 'mongo', key: 'pw' } });
  });
  test('derive KEDA triggers: Kafka lag with a TriggerAuthentication, Redis stream pending entries', () => {
    const kin = DaprComponent.tryFind(c, 'kin', 'demo')!;
    expect(kin.kedaTrigger({ appId: 'fn-demo', lagThreshold: 5, topic: 'a' })).toEqual({
      type: 'kafka', metadata: { bootstrapServers: 'k:9092,k2:9092', consumerGroup: 'g', topic: 'a', lagThreshold: '5', sasl: 'plaintext' },
      secretParameters: { username: { name: 's', key: 'u' }, password: { name: 's', key: 'p' } },
    });
    expect(DaprComponent.tryFind(c, 'rps', 'demo')!.kedaTrigger({ appId: 'fn-demo', topic: 'orders' })).toEqual({
      type: 'redis-streams', metadata: { address: 'redis:6379', stream: 'orders', consumerGroup: 'fn-demo', pendingEntriesCount: '10', enableTLS: 'true' },
      secretParameters: { password: { name: 'redis', key: 'password' } },
    });
    expect(DaprComponent.tryFind(c, 'cron', 'demo')!.kedaTrigger({ appId: 'x' })).toBeUndefined();
  });
});

describe('cron schedules', () => {
  test.each(['*/5 * * * *', '0 30 * * * *', '@every 15s', '@every 1h30m', '@hourly', '0 0 1 JAN MON', '0-30/10 * ? * *'])('accepts %j', (s) => {
    expect(cronScheduleProblem(s)).toBeUndefined();
  });
  test.each([
    ['', /empty/], ['* * *', /has 3 fields/], ['61 * * * *', /field 1 \(61\) is outside 0-59/], ['@every', /not a known @ schedule/],
    ['@sometimes', /not a known/], ['* 25 * * *', /field 2 \(25\) is outside 0-23/], ['*/x * * * *', /not a cron field/],
  ])('rejects %j', (s, why) => {
    expect(cronScheduleProblem(s)).toMatch(why);
  });
});

describe('bad input', () => {
  test('a cron binding with an invalid schedule', () => {
    expect(errorOf(() => DaprComponents.cronBinding(chart().chart, 'tick', { schedule: '99 * * * *' })))
      .toBe("functions/tick: schedule: is not a valid cron schedule: it field 1 (99) is outside 0-59 (got \"99 * * * *\"); give e.g. '*/5 * * * *', '@every 10s' or '@hourly' [OFN_CRON_SCHEDULE]");
  });
  test('Kafka without brokers', () => {
    expect(errorOf(() => DaprComponents.kafkaPubSub(chart().chart, 'k', { brokers: [] }))).toMatch(/functions\/k: brokers: must list at least one broker as host:port \(got \[\]\)/);
  });
  test('a Kafka binding reading topics without a consumer group', () => {
    expect(errorOf(() => DaprComponents.kafkaBinding(chart().chart, 'k', { brokers: ['k:9092'], topics: ['t'] }))).toMatch(/functions\/k: consumerGroup: is required for a binding that reads topics/);
  });
  test('two components with the same name in a namespace', () => {
    const { chart: c } = chart();
    DaprComponents.redisState(c, 'store', { host: 'r:6379' });
    expect(errorOf(() => DaprComponents.redisState(c, 'store2', { host: 'r:6379', name: 'store' })))
      .toBe('functions/store2: name: is already the name of functions/store in namespace demo (got "store"); give each component in a namespace its own name [OFN_DAPR_DUPLICATE]');
  });
  test('the same name in another namespace is fine', () => {
    const app = Testing.app();
    DaprComponents.redisState(new Chart(app, 'a', { namespace: 'a' }), 'store', { host: 'r:6379' });
    expect(() => DaprComponents.redisState(new Chart(app, 'b', { namespace: 'b' }), 'store', { host: 'r:6379' })).not.toThrow();
  });
  test('a bad type, a bad name and a bad secret reference', () => {
    const msg = errorOf(() => new DaprComponent(chart().chart, 'Bad_Name', { type: 'kafka', metadata: { pw: DaprSecret.fromSecret('', 'k') } }));
    expect(msg).toMatch(/name \(from the construct id\): is not a DNS-1123 label/);
    expect(msg).toMatch(/type: is not a Dapr component type \(got "kafka"\)/);
    expect(msg).toMatch(/metadata\.pw: is not a valid Secret reference/);
  });
  test('an HTTP binding without an http URL', () => {
    expect(errorOf(() => DaprComponents.httpBinding(chart().chart, 'h', { url: 'ftp://x' }))).toMatch(/functions\/h: url: is not an http\(s\) URL/);
  });
});
