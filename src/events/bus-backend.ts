import { Construct } from 'constructs';
import { PropProblem } from '../common/errors';
import { isObjectName } from '../common/refs';
import { DaprComponent, KedaTriggerOptions, MetadataValue, SecretKeyRef } from '../dapr/component';
import { DaprComponents, KafkaAuth } from '../dapr/components';

/** Credentials of a NATS server, from Secrets: a token, or a user JWT with its NKey seed. */
export interface NatsAuth {
  /** Token authentication. @default - no token */
  readonly token?: SecretKeyRef;
  /** Decentralized JWT authentication: the user JWT (needs `seedKey`). @default - no JWT */
  readonly jwt?: SecretKeyRef;
  /** The NKey seed that signs for `jwt`. @default - no seed */
  readonly seedKey?: SecretKeyRef;
}

/** Options of a NATS JetStream event bus. */
export interface NatsJetStreamBusOptions {
  /**
   * NATS server URL.
   * @default 'nats://nats:4222' (the NATS Helm chart's Service, in the namespace of the reader)
   */
  readonly url?: string;
  /**
   * JetStream stream that stores the bus topics (its subjects must cover them, e.g. `*`); Dapr
   * does not create streams.
   * @default - Dapr finds the stream by subject
   */
  readonly streamName?: string;
  /** Credentials. @default - none */
  readonly auth?: NatsAuth;
  /**
   * NATS monitoring endpoint (`host:port`, usually port 8222) from which KEDA reads consumer
   * backlogs; with `streamName`, async functions that subscribe to the bus scale on it.
   * @default - no KEDA scaling on this bus
   */
  readonly monitoringEndpoint?: string;
  /** NATS account of the stream, for KEDA. @default '$G' */
  readonly account?: string;
  /** Where a new durable consumer starts. @default - Dapr's ('all') */
  readonly deliverPolicy?: 'all' | 'new' | 'last';
  /** More component metadata. @default {} */
  readonly extraMetadata?: Record<string, MetadataValue>;
}

/** Options of a Kafka event bus. */
export interface KafkaBusOptions {
  /** Broker addresses, `host:port`. */
  readonly brokers: string[];
  /** SASL/PLAIN credentials from a Secret. @default - no authentication */
  readonly auth?: KafkaAuth;
  /** Where a new consumer group starts. @default 'newest' */
  readonly initialOffset?: 'newest' | 'oldest';
  /** More component metadata. @default {} */
  readonly extraMetadata?: Record<string, MetadataValue>;
}

/** Options of a Redis Streams event bus. */
export interface RedisStreamsBusOptions {
  /** `host:port`. */
  readonly host: string;
  /** Password from a Secret. @default - none */
  readonly password?: SecretKeyRef;
  /** Use TLS. @default false */
  readonly tls?: boolean;
  /** More component metadata. @default {} */
  readonly extraMetadata?: Record<string, MetadataValue>;
}

/** The broker kinds of an event bus. */
export enum EventBusKind {
  /** NATS JetStream (`pubsub.jetstream`); replaces OpenFunction's NATS Streaming, which is end-of-life. */
  NATS_JETSTREAM = 'nats-jetstream',
  /** Apache Kafka (`pubsub.kafka`). */
  KAFKA = 'kafka',
  /** Redis Streams (`pubsub.redis`). */
  REDIS_STREAMS = 'redis-streams',
}

/** How a bus component is made. */
export interface BusComponentOptions {
  readonly name: string;
  /** @default - the chart's namespace */
  readonly namespace?: string;
  /**
   * Broker-side identity of a reading component (Kafka consumer group, JetStream durable and
   * queue group). Redis Streams always uses the reader's app id.
   * @default - none: a publishing component
   */
  readonly consumer?: string;
}

const SECRET = (ref: SecretKeyRef | undefined) => ref === undefined || (typeof ref === 'object' && isObjectName(ref.name ?? '') && !!ref.key);

/**
 * The broker an event bus runs on, with its typed options; pick one with the static methods.
 * Credentials are always Secret references.
 */
export class EventBusBackend {
  /** NATS JetStream, the default: a lightweight, persistent broker. */
  public static natsJetStream(options: NatsJetStreamBusOptions = {}): EventBusBackend {
    return new EventBusBackend(EventBusKind.NATS_JETSTREAM, options);
  }

  /** Apache Kafka. */
  public static kafka(options: KafkaBusOptions): EventBusBackend {
    return new EventBusBackend(EventBusKind.KAFKA, options);
  }

  /** Redis Streams. */
  public static redisStreams(options: RedisStreamsBusOptions): EventBusBackend {
    return new EventBusBackend(EventBusKind.REDIS_STREAMS, options);
  }

  private constructor(public readonly kind: EventBusKind, public readonly options: NatsJetStreamBusOptions | KafkaBusOptions | RedisStreamsBusOptions) {}

  /** The Dapr component type of the bus. */
  public get componentType(): string {
    return { [EventBusKind.NATS_JETSTREAM]: 'pubsub.jetstream', [EventBusKind.KAFKA]: 'pubsub.kafka', [EventBusKind.REDIS_STREAMS]: 'pubsub.redis' }[this.kind];
  }

  /** Whether KEDA can scale an async function on its backlog on this bus. */
  public get scalesSubscribers(): boolean {
    if (this.kind !== EventBusKind.NATS_JETSTREAM) return true;
    const o = this.options as NatsJetStreamBusOptions;
    return o.monitoringEndpoint !== undefined && o.streamName !== undefined;
  }

  /** The problems of the options, props relative to `backend`. */
  public validate(): PropProblem[] {
    const problems: PropProblem[] = [];
    const add = (code: string, prop: string, value: unknown, problem: string, fix: string) => problems.push({ code, prop, value, problem, fix });
    if (this.kind === EventBusKind.NATS_JETSTREAM) {
      const o = this.options as NatsJetStreamBusOptions;
      if (o.url !== undefined && !/^(nats|tls):\/\/[^\s/]+$/.test(o.url)) add('OFN_EVENT_BUS', 'url', o.url, 'is not a NATS URL', 'give nats://host:port, e.g. nats://nats.nats.svc:4222');
      const a = o.auth ?? {};
      for (const key of ['token', 'jwt', 'seedKey'] as const) {
        if (!SECRET(a[key])) add('OFN_SECRET_NAME', `auth.${key}`, a[key], 'is not a valid Secret reference', 'give { name, key } of a Secret');
      }
      if (a.token && (a.jwt || a.seedKey)) add('OFN_EVENT_BUS', 'auth', 'token, jwt', 'gives a token and a JWT', 'give either token, or jwt with seedKey');
      if (!a.jwt !== !a.seedKey) add('OFN_EVENT_BUS', a.jwt ? 'auth.seedKey' : 'auth.jwt', undefined, 'is required with the other half of JWT authentication', 'give both jwt and seedKey');
      if (o.monitoringEndpoint !== undefined && !/^[A-Za-z0-9.-]+:\d+$/.test(o.monitoringEndpoint)) {
        add('OFN_EVENT_BUS', 'monitoringEndpoint', o.monitoringEndpoint, 'is not host:port', 'give the NATS monitoring address, e.g. nats.nats.svc:8222');
      }
      if (o.monitoringEndpoint !== undefined && o.streamName === undefined) {
        add('OFN_EVENT_BUS', 'streamName', undefined, 'is required with monitoringEndpoint: KEDA reads the backlog of a named stream', 'give the JetStream stream that stores the bus topics');
      }
      if (o.streamName !== undefined && !/^[^\s.*>]+$/.test(o.streamName)) add('OFN_EVENT_BUS', 'streamName', o.streamName, 'is not a JetStream stream name', 'use a name without spaces, ".", "*" or ">"');
    } else if (this.kind === EventBusKind.KAFKA) {
      const o = this.options as KafkaBusOptions;
      if (!o.brokers?.length || o.brokers.some((b) => !/^[A-Za-z0-9.-]+:\d+$/.test(b))) {
        add('OFN_KAFKA_BROKERS', 'brokers', o.brokers, 'must list at least one broker as host:port', "give e.g. ['kafka.kafka:9092']");
      }
      if (o.auth && !(SECRET(o.auth.username) && SECRET(o.auth.password))) add('OFN_SECRET_NAME', 'auth', o.auth, 'is not a pair of valid Secret references', 'give username and password as { name, key } of a Secret');
    } else {
      const o = this.options as RedisStreamsBusOptions;
      if (!/^[A-Za-z0-9.-]+:\d+$/.test(o.host ?? '')) add('OFN_EVENT_BUS', 'host', o.host, 'is not host:port', 'give the Redis address, e.g. redis-master.redis.svc:6379');
      if (!SECRET(o.password)) add('OFN_SECRET_NAME', 'password', o.password, 'is not a valid Secret reference', 'give { name, key } of a Secret');
    }
    return problems;
  }

  /**
   * A Dapr pub-sub component of this bus: for publishing (no `consumer`), or for one reader with
   * its own broker-side identity.
   */
  public component(scope: Construct, id: string, c: BusComponentOptions): DaprComponent {
    const base = { name: c.name, namespace: c.namespace };
    if (this.kind === EventBusKind.KAFKA) {
      const o = this.options as KafkaBusOptions;
      return DaprComponents.kafkaPubSub(scope, id, { ...base, brokers: o.brokers, auth: o.auth, initialOffset: o.initialOffset, consumerGroup: c.consumer, extraMetadata: o.extraMetadata });
    }
    if (this.kind === EventBusKind.REDIS_STREAMS) {
      const o = this.options as RedisStreamsBusOptions;
      return DaprComponents.redisPubSub(scope, id, { ...base, host: o.host, password: o.password, tls: o.tls, extraMetadata: o.extraMetadata });
    }
    return jetStreamComponent(scope, id, this.options as NatsJetStreamBusOptions, c);
  }
}

/**
 * `pubsub.jetstream` for the bus. Unlike `DaprComponents.natsPubSub` it gives each reader a
 * durable consumer and queue group of its own, and a KEDA `nats-jetstream` trigger on that
 * consumer's backlog when the monitoring endpoint is known.
 */
function jetStreamComponent(scope: Construct, id: string, o: NatsJetStreamBusOptions, c: BusComponentOptions): DaprComponent {
  const secret = (ref: SecretKeyRef | undefined) => (ref ? { secretKeyRef: ref } : undefined);
  const metadata: Record<string, MetadataValue | undefined> = {
    natsURL: o.url ?? 'nats://nats:4222',
    streamName: o.streamName,
    token: secret(o.auth?.token),
    jwt: secret(o.auth?.jwt),
    seedKey: secret(o.auth?.seedKey),
    durableName: c.consumer,
    queueGroupName: c.consumer,
    deliverPolicy: c.consumer ? o.deliverPolicy : undefined,
    ...o.extraMetadata,
  };
  const defined = Object.fromEntries(Object.entries(metadata).filter(([, v]) => v !== undefined)) as Record<string, MetadataValue>;
  const scalable = c.consumer !== undefined && o.monitoringEndpoint !== undefined && o.streamName !== undefined;
  return new DaprComponent(scope, id, {
    name: c.name,
    namespace: c.namespace,
    type: 'pubsub.jetstream',
    metadata: defined,
    kedaTrigger: scalable ? (t: KedaTriggerOptions) => ({
      type: 'nats-jetstream',
      metadata: {
        natsServerMonitoringEndpoint: o.monitoringEndpoint!,
        account: o.account ?? '$G',
        stream: o.streamName!,
        consumer: c.consumer!,
        lagThreshold: String(t.lagThreshold ?? 10),
      },
    }) : undefined,
  });
}
