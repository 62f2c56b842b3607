import { Construct } from 'constructs';
import { PropProblem } from '../common/errors';
import { isObjectName } from '../common/refs';
import { DaprComponent, MetadataValue, SecretKeyRef } from '../dapr/component';
import { cronScheduleProblem, DaprComponents, KafkaAuth } from '../dapr/components';
import { BusComponentOptions } from './bus-backend';

/** A Kafka topic as an event source. */
export interface KafkaSourceOptions {
  /** Broker addresses, `host:port`. */
  readonly brokers: string[];
  /** The topic whose records are the events. */
  readonly topic: string;
  /** SASL/PLAIN credentials from a Secret. @default - no authentication */
  readonly auth?: KafkaAuth;
  /** Where a new consumer group starts. @default 'newest' */
  readonly initialOffset?: 'newest' | 'oldest';
  /** Consumer lag per replica above which KEDA scales the reader out. @default 10 */
  readonly lagThreshold?: number;
}

/** A schedule as an event source. */
export interface CronSourceOptions {
  /** Cron spec (5 or 6 fields, seconds first when 6), `@every 15s`, or `@hourly`/`@daily`/... */
  readonly schedule: string;
}

/**
 * A Redis stream as an event source, read through Dapr's Redis Streams pub-sub (Dapr has no Redis
 * input binding, so OpenFunction's `bindings.redis` source cannot read).
 */
export interface RedisSourceOptions {
  /** `host:port`. */
  readonly host: string;
  /** The stream whose entries are the events. */
  readonly stream: string;
  /** Password from a Secret. @default - none */
  readonly password?: SecretKeyRef;
  /** Use TLS. @default false */
  readonly tls?: boolean;
  /** Pending entries per replica above which KEDA scales the reader out. @default 10 */
  readonly lagThreshold?: number;
}

/** An MQTT topic as an event source. */
export interface MqttSourceOptions {
  /** Broker URL, e.g. `tcp://mqtt:1883` (`ssl://` for TLS). */
  readonly url: string;
  /** The topic whose messages are the events. */
  readonly topic: string;
  /** @default 1 */
  readonly qos?: 0 | 1 | 2;
  /** Keep no session state between connections. @default - Dapr's (true) */
  readonly cleanSession?: boolean;
  /** CA certificate (PEM) from a Secret, for `ssl://`. @default - none */
  readonly caCert?: SecretKeyRef;
  /** Client certificate (PEM) from a Secret. @default - none */
  readonly clientCert?: SecretKeyRef;
  /** Client key (PEM) from a Secret. @default - none */
  readonly clientKey?: SecretKeyRef;
}

/** The kinds of event OpenFunction's event sources read. */
export enum SourceEventKind {
  KAFKA = 'kafka',
  CRON = 'cron',
  REDIS = 'redis',
  MQTT = 'mqtt',
}

const HOST_PORT = /^[A-Za-z0-9.-]+:\d+$/;
const secretOk = (ref: SecretKeyRef | undefined) => ref === undefined || (typeof ref === 'object' && isObjectName(ref.name ?? '') && !!ref.key);

/** One kind of event an {@link EventSource} reads; pick one with the static methods. */
export class SourceEvent {
  /** Records of a Kafka topic (`bindings.kafka`). */
  public static kafka(options: KafkaSourceOptions): SourceEvent {
    return new SourceEvent(SourceEventKind.KAFKA, options);
  }

  /** Ticks of a schedule (`bindings.cron`). */
  public static cron(options: CronSourceOptions): SourceEvent {
    return new SourceEvent(SourceEventKind.CRON, options);
  }

  /** Entries of a Redis stream (`pubsub.redis`). */
  public static redis(options: RedisSourceOptions): SourceEvent {
    return new SourceEvent(SourceEventKind.REDIS, options);
  }

  /** Messages of an MQTT topic (`bindings.mqtt3`). */
  public static mqtt(options: MqttSourceOptions): SourceEvent {
    return new SourceEvent(SourceEventKind.MQTT, options);
  }

  private constructor(public readonly kind: SourceEventKind, public readonly options: KafkaSourceOptions | CronSourceOptions | RedisSourceOptions | MqttSourceOptions) {}

  /**
   * Whether KEDA can scale a reader on the backlog (Kafka lag, pending stream entries); cron and
   * MQTT readers run one replica, since every replica would receive every event.
   */
  public get scalable(): boolean {
    return this.kind === SourceEventKind.KAFKA || this.kind === SourceEventKind.REDIS;
  }

  /** The topic a reader subscribes to, for pub-sub sources (the Redis stream). */
  public get readerTopic(): string | undefined {
    return this.kind === SourceEventKind.REDIS ? (this.options as RedisSourceOptions).stream : undefined;
  }

  /** Backlog per replica above which KEDA scales a reader. */
  public get lagThreshold(): number | undefined {
    return (this.options as KafkaSourceOptions | RedisSourceOptions).lagThreshold;
  }

  /** The problems of the options, props relative to the event. */
  public validate(): PropProblem[] {
    const problems: PropProblem[] = [];
    const add = (code: string, prop: string, value: unknown, problem: string, fix: string) => problems.push({ code, prop, value, problem, fix });
    const topicName = (prop: string, value: string | undefined, what: string) => {
      if (typeof value !== 'string' || !/^[A-Za-z0-9._/#+-]+$/.test(value)) add('OFN_EVENT_SOURCE', prop, value, `is not a ${what} name`, `give the ${what} to read`);
    };
    const secret = (prop: string, ref: SecretKeyRef | undefined) => {
      if (!secretOk(ref)) add('OFN_SECRET_NAME', prop, ref, 'is not a valid Secret reference', 'give { name, key } of a Secret');
    };
    const lag = (v: number | undefined) => {
      if (v !== undefined && !(Number.isInteger(v) && v >= 1)) add('OFN_SCALE', 'lagThreshold', v, 'must be a whole number of at least 1', 'give the backlog one replica handles, e.g. 10');
    };
    if (this.kind === SourceEventKind.KAFKA) {
      const o = this.options as KafkaSourceOptions;
      if (!o.brokers?.length || o.brokers.some((b) => !HOST_PORT.test(b))) add('OFN_KAFKA_BROKERS', 'brokers', o.brokers, 'must list at least one broker as host:port', "give e.g. ['kafka.kafka:9092']");
      topicName('topic', o.topic, 'Kafka topic');
      if (o.auth) {
        secret('auth.username', o.auth.username);
        secret('auth.password', o.auth.password);
      }
      lag(o.lagThreshold);
    } else if (this.kind === SourceEventKind.CRON) {
      const o = this.options as CronSourceOptions;
      const problem = cronScheduleProblem(typeof o.schedule === 'string' ? o.schedule : '');
      if (problem) add('OFN_CRON_SCHEDULE', 'schedule', o.schedule, `is not a valid cron schedule: it ${problem}`, "give e.g. '*/5 * * * *', '@every 10s' or '@hourly'");
    } else if (this.kind === SourceEventKind.REDIS) {
      const o = this.options as RedisSourceOptions;
      if (!HOST_PORT.test(o.host ?? '')) add('OFN_EVENT_SOURCE', 'host', o.host, 'is not host:port', 'give the Redis address, e.g. redis-master.redis.svc:6379');
      topicName('stream', o.stream, 'Redis stream');
      secret('password', o.password);
      lag(o.lagThreshold);
    } else {
      const o = this.options as MqttSourceOptions;
      if (!/^(tcp|ssl|ws|wss|mqtt|mqtts):\/\/[^\s/]+$/.test(o.url ?? '')) add('OFN_EVENT_SOURCE', 'url', o.url, 'is not an MQTT broker URL', 'give e.g. tcp://mqtt.mqtt.svc:1883');
      topicName('topic', o.topic, 'MQTT topic');
      if (o.qos !== undefined && ![0, 1, 2].includes(o.qos)) add('OFN_EVENT_SOURCE', 'qos', o.qos, 'is not an MQTT QoS level', 'give 0, 1 or 2');
      for (const key of ['caCert', 'clientCert', 'clientKey'] as const) secret(key, o[key]);
    }
    return problems;
  }

  /**
   * The Dapr component through which one reader (a handler, or a function the events go to
   * directly) reads the events, with the reader's own consumer identity.
   */
  public component(scope: Construct, id: string, c: BusComponentOptions): DaprComponent {
    const base = { name: c.name, namespace: c.namespace };
    switch (this.kind) {
      case SourceEventKind.KAFKA: {
        const o = this.options as KafkaSourceOptions;
        return DaprComponents.kafkaBinding(scope, id, { ...base, brokers: o.brokers, topics: [o.topic], consumerGroup: c.consumer, auth: o.auth, initialOffset: o.initialOffset });
      }
      case SourceEventKind.CRON:
        return DaprComponents.cronBinding(scope, id, { ...base, schedule: (this.options as CronSourceOptions).schedule });
      case SourceEventKind.REDIS: {
        // Dapr reads a stream with the reader's app id as consumer group, which KEDA then watches.
        const o = this.options as RedisSourceOptions;
        return DaprComponents.redisPubSub(scope, id, { ...base, host: o.host, password: o.password, tls: o.tls });
      }
      default: {
        const o = this.options as MqttSourceOptions;
        const extra: Record<string, MetadataValue> = { consumerID: c.consumer ?? c.name };
        if (o.cleanSession !== undefined) extra.cleanSession = String(o.cleanSession);
        for (const key of ['caCert', 'clientCert', 'clientKey'] as const) if (o[key]) extra[key] = { secretKeyRef: o[key]! };
        return DaprComponents.mqttBinding(scope, id, { ...base, url: o.url, topic: o.topic, qos: o.qos, extraMetadata: extra });
      }
    }
  }
}
