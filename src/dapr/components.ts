import { Construct } from 'constructs';
import { PropValidationError } from '../common/errors';
import { DaprComponent, KedaTriggerOptions, MetadataValue, SecretKeyRef } from './component';

/** Common props of the typed component factories. */
export interface ComponentOptions {
  /** @default - the construct id */
  readonly name?: string;
  /** @default - the chart's namespace */
  readonly namespace?: string;
  /** More metadata items, for fields the factory does not model. @default {} */
  readonly extraMetadata?: Record<string, MetadataValue>;
}

/** SASL/PLAIN credentials for Kafka. */
export interface KafkaAuth {
  readonly username: SecretKeyRef;
  readonly password: SecretKeyRef;
}

/** Props of a Kafka binding or pub-sub. */
export interface KafkaOptions extends ComponentOptions {
  /** Broker addresses, `host:port`. */
  readonly brokers: string[];
  /**
   * Consumer group of functions reading from Kafka; required to read topics or scale on lag.
   * @default - none (output bindings need none)
   */
  readonly consumerGroup?: string;
  /** Topics a binding reads (input bindings). @default [] */
  readonly topics?: string[];
  /** Topic a binding writes to (output bindings). @default - none */
  readonly publishTopic?: string;
  /** SASL/PLAIN credentials from a Secret. @default - no authentication */
  readonly auth?: KafkaAuth;
  /** Where a new consumer group starts. @default 'newest' */
  readonly initialOffset?: 'newest' | 'oldest';
}

/** Props of Redis components. */
export interface RedisOptions extends ComponentOptions {
  /** `host:port`. */
  readonly host: string;
  /** Password from a Secret. @default - none */
  readonly password?: SecretKeyRef;
  /** Use TLS. @default false */
  readonly tls?: boolean;
}

/** Props of a cron binding. */
export interface CronOptions extends ComponentOptions {
  /** Cron spec (5 or 6 fields, seconds first when 6), `@every 15s`, or `@hourly`/`@daily`/... */
  readonly schedule: string;
}

/** Props of an MQTT component. */
export interface MqttOptions extends ComponentOptions {
  /** Broker URL, e.g. `tcp://mqtt:1883`. */
  readonly url: string;
  /** Topic of a binding. @default - none */
  readonly topic?: string;
  /** @default 1 */
  readonly qos?: 0 | 1 | 2;
}

/** Props of a NATS JetStream pub-sub. */
export interface NatsOptions extends ComponentOptions {
  /** e.g. `nats://nats:4222`. */
  readonly url: string;
  /** Durable consumer name. @default - Dapr's */
  readonly durableName?: string;
}

/** Props of an HTTP output binding. */
export interface HttpBindingOptions extends ComponentOptions {
  /** Base URL requests go to. */
  readonly url: string;
}

/** Props of SQL state stores. */
export interface SqlStateOptions extends ComponentOptions {
  /** Connection string, from a Secret (it carries the password). */
  readonly connectionString: SecretKeyRef;
  /** @default - Dapr's default table */
  readonly tableName?: string;
}

/** Props of a MongoDB state store. */
export interface MongoStateOptions extends ComponentOptions {
  /** `host:port`. */
  readonly host: string;
  /** @default - no authentication */
  readonly username?: string;
  /** @default - no authentication */
  readonly password?: SecretKeyRef;
  /** @default - Dapr's default database */
  readonly databaseName?: string;
}

const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const FIELD_RANGES_5: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
const NAMES = /^(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT)$/i;

/** Why `schedule` is not a cron spec Dapr's cron binding takes, or undefined when it is. */
export function cronScheduleProblem(schedule: string): string | undefined {
  const s = schedule.trim();
  if (!s) return 'is empty';
  if (s.startsWith('@')) {
    if (MACROS.includes(s)) return undefined;
    const every = /^@every\s+((\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/.exec(s);
    return every ? undefined : 'is not a known @ schedule (@every <duration>, @hourly, @daily, @weekly, @monthly, @yearly)';
  }
  const fields = s.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return `has ${fields.length} fields; a cron spec has 5 (minute hour day month weekday) or 6 (seconds first)`;
  const ranges = fields.length === 6 ? [[0, 59] as [number, number], ...FIELD_RANGES_5] : FIELD_RANGES_5;
  for (const [i, field] of fields.entries()) {
    const [lo, hi] = ranges[i];
    for (const part of field.split(',')) {
      const m = /^(\*|\?|[A-Za-z0-9]+(-[A-Za-z0-9]+)?)(\/(\d+))?$/.exec(part);
      if (!m) return `field ${i + 1} (${field}) is not a cron field`;
      if (m[1] === '*' || m[1] === '?') continue;
      for (const n of m[1].split('-')) {
        if (NAMES.test(n)) continue;
        if (!/^\d+$/.test(n) || Number(n) < lo || Number(n) > hi) return `field ${i + 1} (${field}) is outside ${lo}-${hi}`;
      }
    }
  }
  return undefined;
}

function fail(scope: Construct, id: string, prop: string, value: unknown, problem: string, fix: string, code: string): never {
  throw new PropValidationError(`${scope.node.path}/${id}`, [{ code, prop, value, problem, fix }]);
}

function kafkaMetadata(scope: Construct, id: string, o: KafkaOptions): Record<string, MetadataValue> {
  if (!o.brokers?.length || o.brokers.some((b) => !/^[A-Za-z0-9.-]+:\d+$/.test(b))) {
    fail(scope, id, 'brokers', o.brokers, 'must list at least one broker as host:port', "give e.g. ['kafka.kafka:9092']", 'OFN_KAFKA_BROKERS');
  }
  return {
    brokers: o.brokers.join(','),
    ...(o.consumerGroup ? { consumerGroup: o.consumerGroup } : {}),
    authType: o.auth ? 'password' : 'none',
    ...(o.auth ? { saslUsername: { secretKeyRef: o.auth.username }, saslPassword: { secretKeyRef: o.auth.password } } : {}),
    ...(o.initialOffset ? { initialOffset: o.initialOffset } : {}),
    ...o.extraMetadata,
  };
}

function kafkaTrigger(scope: Construct, id: string, o: KafkaOptions) {
  return (t: KedaTriggerOptions) => {
    const topic = t.topic ?? (o.topics?.length === 1 ? o.topics[0] : undefined);
    if (!o.consumerGroup) {
      fail(scope, id, 'consumerGroup', undefined, 'is required to scale a function on Kafka lag', 'give the consumer group the function reads with', 'OFN_KAFKA_CONSUMER_GROUP');
    }
    return {
      type: 'kafka',
      metadata: { bootstrapServers: o.brokers.join(','), consumerGroup: o.consumerGroup, ...(topic ? { topic } : {}), lagThreshold: String(t.lagThreshold ?? 10), ...(o.auth ? { sasl: 'plaintext' } : {}) },
      secretParameters: o.auth ? { username: o.auth.username, password: o.auth.password } : undefined,
    };
  };
}

/** Typed factories for the common Dapr components. */
export class DaprComponents {
  /** `bindings.kafka`: read `topics` (input) or write `publishTopic` (output); scales on consumer lag. */
  public static kafkaBinding(scope: Construct, id: string, options: KafkaOptions): DaprComponent {
    const metadata = kafkaMetadata(scope, id, options);
    if (options.topics?.length && !options.consumerGroup) {
      fail(scope, id, 'consumerGroup', undefined, 'is required for a binding that reads topics', 'give the consumer group, e.g. the function name', 'OFN_KAFKA_CONSUMER_GROUP');
    }
    return new DaprComponent(scope, id, {
      name: options.name, namespace: options.namespace, type: 'bindings.kafka',
      metadata: { ...metadata, ...(options.topics?.length ? { topics: options.topics.join(',') } : {}), ...(options.publishTopic ? { publishTopic: options.publishTopic } : {}) },
      kedaTrigger: kafkaTrigger(scope, id, options),
    });
  }

  /** `pubsub.kafka`; functions subscribe to topics; scales on consumer lag. */
  public static kafkaPubSub(scope: Construct, id: string, options: KafkaOptions): DaprComponent {
    return new DaprComponent(scope, id, { name: options.name, namespace: options.namespace, type: 'pubsub.kafka', metadata: kafkaMetadata(scope, id, options), kedaTrigger: kafkaTrigger(scope, id, options) });
  }

  /** `pubsub.redis` (Redis Streams); scales on pending entries of the function's consumer group. */
  public static redisPubSub(scope: Construct, id: string, options: RedisOptions): DaprComponent {
    return new DaprComponent(scope, id, {
      name: options.name, namespace: options.namespace, type: 'pubsub.redis', metadata: redisMetadata(options),
      kedaTrigger: (t) => ({
        type: 'redis-streams',
        metadata: { address: options.host, stream: t.topic ?? '', consumerGroup: t.appId, pendingEntriesCount: String(t.lagThreshold ?? 10), ...(options.tls ? { enableTLS: 'true' } : {}) },
        secretParameters: options.password ? { password: options.password } : undefined,
      }),
    });
  }

  /** `state.redis`. */
  public static redisState(scope: Construct, id: string, options: RedisOptions): DaprComponent {
    return new DaprComponent(scope, id, { name: options.name, namespace: options.namespace, type: 'state.redis', metadata: redisMetadata(options) });
  }

  /** `bindings.cron`: triggers the function on a schedule (no KEDA scaler: the function stays up). */
  public static cronBinding(scope: Construct, id: string, options: CronOptions): DaprComponent {
    const problem = cronScheduleProblem(options.schedule ?? '');
    if (problem) fail(scope, id, 'schedule', options.schedule, `is not a valid cron schedule: it ${problem}`, "give e.g. '*/5 * * * *', '@every 10s' or '@hourly'", 'OFN_CRON_SCHEDULE');
    return new DaprComponent(scope, id, { name: options.name, namespace: options.namespace, type: 'bindings.cron', metadata: { schedule: options.schedule, ...options.extraMetadata } });
  }

  /** `bindings.mqtt3`. */
  public static mqttBinding(scope: Construct, id: string, options: MqttOptions): DaprComponent {
    return new DaprComponent(scope, id, { name: options.name, namespace: options.namespace, type: 'bindings.mqtt3', metadata: { url: options.url, ...(options.topic ? { topic: options.topic } : {}), qos: String(options.qos ?? 1), ...options.extraMetadata } });
  }

  /** `pubsub.mqtt3`. */
  public static mqttPubSub(scope: Construct, id: string, options: MqttOptions): DaprComponent {
    return new DaprComponent(scope, id, { name: options.name, namespace: options.namespace, type: 'pubsub.mqtt3', metadata: { url: options.url, qos: String(options.qos ?? 1), ...options.extraMetadata } });
  }

  /** `pubsub.jetstream` (NATS JetStream). */
  public static natsPubSub(scope: Construct, id: string, options: NatsOptions): DaprComponent {
    return new DaprComponent(scope, id, { name: options.name, namespace: options.namespace, type: 'pubsub.jetstream', metadata: { natsURL: options.url, ...(options.durableName ? { durableName: options.durableName } : {}), ...options.extraMetadata } });
  }

  /** `bindings.http`: an output binding that calls `url`. */
  public static httpBinding(scope: Construct, id: string, options: HttpBindingOptions): DaprComponent {
    if (!/^https?:\/\/[^\s/]+/.test(options.url ?? '')) fail(scope, id, 'url', options.url, 'is not an http(s) URL', 'give e.g. http://sink.demo.svc.cluster.local/events', 'OFN_HTTP_URL');
    return new DaprComponent(scope, id, { name: options.name, namespace: options.namespace, type: 'bindings.http', metadata: { url: options.url, ...options.extraMetadata } });
  }

  /** `state.postgresql` (v1). */
  public static postgresState(scope: Construct, id: string, options: SqlStateOptions): DaprComponent {
    return new DaprComponent(scope, id, { name: options.name, namespace: options.namespace, type: 'state.postgresql', metadata: sqlMetadata(options) });
  }

  /** `state.mysql`. */
  public static mysqlState(scope: Construct, id: string, options: SqlStateOptions): DaprComponent {
    return new DaprComponent(scope, id, { name: options.name, namespace: options.namespace, type: 'state.mysql', metadata: sqlMetadata(options) });
  }

  /** `state.mongodb`. */
  public static mongoState(scope: Construct, id: string, options: MongoStateOptions): DaprComponent {
    return new DaprComponent(scope, id, {
      name: options.name, namespace: options.namespace, type: 'state.mongodb',
      metadata: {
        host: options.host,
        ...(options.username ? { username: options.username } : {}),
        ...(options.password ? { password: { secretKeyRef: options.password } } : {}),
        ...(options.databaseName ? { databaseName: options.databaseName } : {}),
        ...options.extraMetadata,
      },
    });
  }
}

function redisMetadata(o: RedisOptions): Record<string, MetadataValue> {
  return { redisHost: o.host, ...(o.password ? { redisPassword: { secretKeyRef: o.password } } : {}), ...(o.tls ? { enableTLS: 'true' } : {}), ...o.extraMetadata };
}

function sqlMetadata(o: SqlStateOptions): Record<string, MetadataValue> {
  return { connectionString: { secretKeyRef: o.connectionString }, ...(o.tableName ? { tableName: o.tableName } : {}), ...o.extraMetadata };
}
