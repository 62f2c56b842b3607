import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AppRegistry } from '../common/app-registry';
import { PropChecks, PropProblem } from '../common/errors';
import { isDnsLabel } from '../common/names';
import { DaprComponent } from '../dapr/component';
import { DaprTrigger } from '../dapr/usage';
import { SchemaValidation } from '../validation/validator';
import { EventBusBackend } from './bus-backend';
import { consumerComponentName, consumerId, fitName } from './names';

/** Props of {@link EventBus}. */
export interface EventBusProps {
  /**
   * Name sources and triggers refer to the bus by (OpenFunction's default bus is `default`).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the bus: only sources and triggers of this namespace can use it.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The broker.
   * @default EventBusBackend.natsJetStream()
   */
  readonly backend?: EventBusBackend;
}

/** Props of {@link ClusterEventBus}. */
export interface ClusterEventBusProps {
  /**
   * Name sources and triggers refer to the bus by, in any namespace.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The broker.
   * @default EventBusBackend.natsJetStream()
   */
  readonly backend?: EventBusBackend;
}

/** Options of {@link IEventBus.trigger}. */
export interface BusTriggerOptions {
  /**
   * Key of the input in `FUNC_CONTEXT`.
   * @default - the component name
   */
  readonly name?: string;
  /**
   * Backlog per replica above which KEDA scales the function out.
   * @default 10
   */
  readonly lagThreshold?: number;
}

/** An event bus: what event sources publish to and triggers subscribe to. */
export interface IEventBus extends IConstruct {
  /** The name sources and triggers use. */
  readonly busName: string;
  /** Whether the bus serves every namespace ({@link ClusterEventBus}). */
  readonly clusterWide: boolean;
  /** Namespace of a namespaced bus. */
  readonly namespace?: string;
  /** The broker. */
  readonly backend: EventBusBackend;
  /**
   * Whether sources and triggers in `namespace` can use the bus.
   */
  reaches(namespace: string | undefined): boolean;
  /**
   * The component publishers of `namespace` share (created on first use; its scopes are the app
   * ids of the publishers).
   */
  publisher(namespace: string | undefined): DaprComponent;
  /**
   * A component through which one consumer reads one topic, with a broker-side identity of its
   * own. Created in `scope` (its chart decides the manifest it lands in).
   */
  consumer(scope: Construct, consumerName: string, namespace: string | undefined, topic: string): DaprComponent;
  /**
   * A Dapr trigger for an async function that subscribes to `topic` on this bus (for instance a
   * topic a trigger re-publishes matching events to): `Serving.async({ triggers: [bus.trigger(chart, 'tally', 'alerts')] })`.
   * The component is created in `scope`'s chart, scoped to the function that uses it.
   */
  trigger(scope: Construct, consumerName: string, topic: string, options?: BusTriggerOptions): DaprTrigger;
}

const registry = new AppRegistry<IEventBus>();

const busKey = (namespace: string | undefined) => `ns:${namespace ?? ''}`;

abstract class EventBusBase extends Construct implements IEventBus {
  public readonly busName: string;
  public readonly backend: EventBusBackend;
  public abstract readonly clusterWide: boolean;
  public abstract readonly namespace?: string;
  private readonly publishers = new Map<string, DaprComponent>();

  protected constructor(scope: Construct, id: string, name: string | undefined, backend: EventBusBackend | undefined) {
    super(scope, id);
    this.busName = name ?? id;
    this.backend = backend ?? EventBusBackend.natsJetStream();
  }

  protected register(key: string, name: string | undefined, checks: PropChecks): void {
    if (!isDnsLabel(this.busName)) {
      checks.add('OFN_NAME', name === undefined ? 'name (from the construct id)' : 'name', this.busName, 'is not a DNS-1123 label', 'pass name: lower-case letters, digits and "-"');
    }
    checks.addAll(this.backend.validate(), 'backend');
    const existing = registry.get(this, `${key}/${this.busName}`);
    if (existing) {
      checks.add('OFN_EVENT_DUPLICATE', 'name', this.busName, `is already the name of ${existing.node.path}`, 'give each bus its own name (per namespace; cluster-wide buses per app)');
    }
    if (checks.stop()) return;
    registry.set(this, `${key}/${this.busName}`, this);
    SchemaValidation.addTo(Chart.of(this));
  }

  public abstract reaches(namespace: string | undefined): boolean;

  public publisher(namespace: string | undefined): DaprComponent {
    const key = namespace ?? '';
    let c = this.publishers.get(key);
    if (!c) {
      c = this.backend.component(this, `Publisher${namespace ? `-${namespace}` : ''}`, { name: fitName(`eventbus-${this.busName}`), namespace });
      this.publishers.set(key, c);
    }
    return c;
  }

  public consumer(scope: Construct, consumerName: string, namespace: string | undefined, topic: string): DaprComponent {
    const name = consumerComponentName(consumerName, topic);
    return this.backend.component(scope, `Bus-${name}`, { name, namespace, consumer: consumerId(namespace, name) });
  }

  public trigger(scope: Construct, consumerName: string, topic: string, options: BusTriggerOptions = {}): DaprTrigger {
    const namespace = Chart.of(scope).namespace;
    const checks = new PropChecks(scope);
    if (!this.reaches(namespace)) {
      checks.add('OFN_EVENT_BUS_UNKNOWN', 'bus', this.busName, `is namespaced to ${this.namespace ?? '(default)'}, so it does not reach namespace ${namespace ?? '(default)'}`, 'subscribe from the bus namespace, or use a ClusterEventBus');
    }
    if (!/^[A-Za-z0-9._-]+$/.test(topic ?? '')) checks.add('OFN_EVENT_SUBSCRIBER', 'topic', topic, 'is not a topic name', 'use letters, digits, ".", "_" and "-"');
    if (!isDnsLabel(consumerName ?? '')) checks.add('OFN_NAME', 'consumerName', consumerName, 'is not a DNS-1123 label', 'give the name of the subscribing function');
    checks.throwIfAny();
    return { component: this.consumer(scope, consumerName, namespace, topic), topic, name: options.name, lagThreshold: options.lagThreshold };
  }
}

/**
 * A namespaced event bus (OpenFunction's `EventBus`): the broker events travel on between event
 * sources and triggers, as Dapr pub-sub components. Nothing runs for it: publishers share one
 * component, and each consumer reads through a component of its own, each scoped to exactly the
 * app ids that use it. Topics are `<namespace>-<source>-<event>`, as OpenFunction names them.
 */
export class EventBus extends EventBusBase {
  public readonly clusterWide = false;
  public readonly namespace?: string;

  constructor(scope: Construct, id: string, props: EventBusProps = {}) {
    super(scope, id, props.name, props.backend);
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    const checks = new PropChecks(this);
    if (this.namespace !== undefined && !isDnsLabel(this.namespace)) checks.add('OFN_NAMESPACE', 'namespace', this.namespace, 'is not a DNS-1123 label', 'use lower-case letters, digits and "-"');
    this.register(busKey(this.namespace), props.name, checks);
  }

  public reaches(namespace: string | undefined): boolean {
    return (namespace ?? undefined) === (this.namespace ?? undefined);
  }
}

/**
 * A cluster-wide event bus (OpenFunction's `ClusterEventBus`): sources and triggers of any
 * namespace use it when their namespace has no {@link EventBus} of that name. Dapr components are
 * namespaced, so the bus's components are emitted in each namespace that uses it.
 */
export class ClusterEventBus extends EventBusBase {
  public readonly clusterWide = true;
  public readonly namespace = undefined;

  constructor(scope: Construct, id: string, props: ClusterEventBusProps = {}) {
    super(scope, id, props.name, props.backend);
    this.register('cluster', props.name, new PropChecks(this));
  }

  public reaches(_namespace?: string): boolean {
    return true;
  }
}

/**
 * The bus `ref` names for a source or trigger in `namespace` (as OpenFunction looks it up: the
 * namespace's EventBus, else the ClusterEventBus of that name), or the problem.
 */
export function resolveEventBus(scope: IConstruct, ref: IEventBus | string, namespace: string | undefined, prop = 'bus'): { bus?: IEventBus; problem?: PropProblem } {
  if (typeof ref === 'string') {
    const bus = registry.get(scope, `${busKey(namespace)}/${ref}`) ?? registry.get(scope, `cluster/${ref}`);
    if (bus) return { bus };
    return {
      problem: {
        code: 'OFN_EVENT_BUS_UNKNOWN', prop, value: ref,
        problem: `names an event bus the app defines neither in namespace ${namespace ?? '(default)'} nor cluster-wide`,
        fix: `define new EventBus(...) or new ClusterEventBus(...) named '${ref}' before this construct, or pass the bus itself`,
      },
    };
  }
  if (!ref || typeof (ref as IEventBus).reaches !== 'function') {
    return { problem: { code: 'OFN_EVENT_BUS_UNKNOWN', prop, value: String(ref), problem: 'is not an event bus', fix: 'pass an EventBus, a ClusterEventBus or the name of one' } };
  }
  if (ref.node.root !== scope.node.root) {
    return { problem: { code: 'OFN_EVENT_BUS_UNKNOWN', prop, value: ref.busName, problem: `is defined in another app (${ref.node.path})`, fix: 'define the bus in this app' } };
  }
  if (!ref.reaches(namespace)) {
    return {
      problem: {
        code: 'OFN_EVENT_BUS_UNKNOWN', prop, value: ref.busName,
        problem: `is namespaced to ${ref.namespace ?? '(default)'}, so it does not reach namespace ${namespace ?? '(default)'}`,
        fix: 'use a bus of this namespace, or a ClusterEventBus',
      },
    };
  }
  return { bus: ref };
}
