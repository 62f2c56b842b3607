import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { SubscriptionV2Alpha1 } from '../../imports/dapr.io';
import { AppRegistry } from '../common/app-registry';
import { PropChecks } from '../common/errors';
import { isDnsLabel } from '../common/names';
import { DaprComponent } from '../dapr/component';
import { DaprComponents } from '../dapr/components';
import { DaprOutput, DaprTrigger } from '../dapr/usage';
import { Function } from '../function/function';
import { SchemaValidation } from '../validation/validator';
import { subscribeFunction, wakeFunction, wakeProblem } from './delivery';
import { BusTriggerOptions, IEventBus, resolveEventBus } from './event-bus';
import { EVENTSOURCE_HANDLER_IMAGE, eventHandler, EventHandlerOptions, handlerProblems } from './handler';
import { consumerId, eventTopic, fitName } from './names';
import { EventSink, EventSinkKind, sinkProblems } from './sink';
import { SourceEvent } from './source-event';
import type { TriggerInput } from './trigger';

/** Props of {@link EventSource}. */
export interface EventSourceProps {
  /**
   * Name of the source; part of its bus topics (`<namespace>-<source>-<event>`).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the source's objects.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The events the source reads, by event name (OpenFunction's `kafka`, `cron`, `redis` and `mqtt`
   * maps): `{ orders: SourceEvent.kafka({...}), tick: SourceEvent.cron({...}) }`.
   */
  readonly events: Record<string, SourceEvent>;
  /**
   * Event bus the events are published to (each event on topic `<namespace>-<source>-<event>`),
   * for triggers: the bus itself or its name.
   * @default - none: the events go to the sink only
   */
  readonly bus?: IEventBus | string;
  /**
   * Where each event is delivered.
   * @default - none: the events go to the bus only
   */
  readonly sink?: EventSink;
  /**
   * The handler that reads the events when they go to the bus or to a sink other than an async
   * function (one per event, as OpenFunction runs them).
   * @default - EVENTSOURCE_HANDLER_IMAGE, small resources
   */
  readonly handler?: EventHandlerOptions;
}

const registry = new AppRegistry<EventSource>();

/**
 * An event source (OpenFunction's `EventSource`): Kafka topics, schedules, Redis streams and MQTT
 * topics whose events go to a sink and/or an event bus.
 *
 * Events for an async function go to it directly, as pure configuration: the source's Dapr
 * component (an input binding, or a Redis Streams subscription) is scoped to the function, and
 * KEDA scales the function on the source's backlog. Events for the bus, a URL, an HTTP function or
 * a Dapr output binding are read by OpenFunction's event source handler, one small Deployment per
 * event, which publishes them to the bus and sends them to the sink.
 */
export class EventSource extends Construct {
  /** The source named `name` in `namespace` that the app of `scope` defines, if any. */
  public static tryFind(scope: IConstruct, name: string, namespace?: string): EventSource | undefined {
    return registry.get(scope, `${namespace ?? ''}/${name}`);
  }

  /** The source's name. */
  public readonly sourceName: string;
  public readonly namespace?: string;
  /** The bus the events are published to. */
  public readonly bus?: IEventBus;
  public readonly sink?: EventSink;
  /** The names of the events the source reads. */
  public readonly eventNames: string[];
  private readonly events: Record<string, SourceEvent>;
  /** The handler of each event that has one, by event name. */
  public readonly handlers: Record<string, Function> = {};
  /** The Dapr components that read each event, by event name (the handler's first). */
  public readonly components: Record<string, DaprComponent[]> = {};
  /** Subscriptions that deliver Redis stream entries to an async function sink. */
  public readonly subscriptions: SubscriptionV2Alpha1[] = [];

  constructor(scope: Construct, id: string, props: EventSourceProps) {
    super(scope, id);
    this.sourceName = props.name ?? id;
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    const events = props.events ?? {};
    this.events = events;
    this.eventNames = Object.keys(events);
    const checks = new PropChecks(this);

    if (!isDnsLabel(this.sourceName) || this.sourceName.length > 40) {
      checks.add('OFN_NAME', props.name === undefined ? 'name (from the construct id)' : 'name', this.sourceName, 'is not a DNS-1123 label of at most 40 characters', 'pass name: lower-case letters, digits and "-"');
    }
    if (this.namespace !== undefined && !isDnsLabel(this.namespace)) checks.add('OFN_NAMESPACE', 'namespace', this.namespace, 'is not a DNS-1123 label', 'use lower-case letters, digits and "-"');
    if (this.eventNames.length === 0) {
      checks.add('OFN_EVENT_SOURCE', 'events', events, 'lists no event', 'give at least one, e.g. { tick: SourceEvent.cron({ schedule: "@every 10s" }) }');
    }
    for (const [name, event] of Object.entries(events)) {
      if (!isDnsLabel(name) || name.length > 40) checks.add('OFN_NAME', `events.${name}`, name, 'is not an event name (a DNS-1123 label of at most 40 characters)', 'use lower-case letters, digits and "-"');
      if (!(event instanceof SourceEvent)) {
        checks.add('OFN_EVENT_SOURCE', `events.${name}`, event, 'is not a source event', 'give SourceEvent.kafka(...), .cron(...), .redis(...) or .mqtt(...)');
        continue;
      }
      checks.addAll(event.validate(), `events.${name}`);
    }
    if (props.bus !== undefined) {
      const { bus, problem } = resolveEventBus(this, props.bus, this.namespace);
      if (problem) checks.addAll([problem]);
      this.bus = bus;
    }
    if (props.sink !== undefined) {
      const problems = sinkProblems(this, props.sink, 'sink', this.namespace);
      checks.addAll(problems);
      if (!problems.length) {
        this.sink = props.sink;
        const fn = this.sink.function;
        if (fn && this.sink.viaDapr) {
          for (const [name, event] of Object.entries(events)) {
            const p = event instanceof SourceEvent ? wakeProblem(fn, event.scalable, 'sink', `the ${event.kind} event ${name}`) : undefined;
            if (p) checks.addAll([p]);
          }
        }
      }
    }
    if (props.bus === undefined && props.sink === undefined) {
      checks.add('OFN_EVENT_DESTINATION', 'sink', undefined, 'is required when the source publishes to no bus: its events would go nowhere', 'give sink: EventSink.from...(...), bus, or both');
    }
    checks.addAll(handlerProblems(props.handler), 'handler');
    const key = `${this.namespace ?? ''}/${this.sourceName}`;
    const existing = registry.get(this, key);
    if (existing) checks.add('OFN_EVENT_DUPLICATE', 'name', this.sourceName, `is already the name of ${existing.node.path} in namespace ${this.namespace ?? '(default)'}`, 'give each event source in a namespace its own name');
    if (checks.stop()) return;
    registry.set(this, key, this);

    let sinkBinding: DaprComponent | undefined;
    const sinkOutput = (): DaprOutput | undefined => {
      const s = this.sink;
      if (!s || s.viaDapr) return undefined;
      if (s.kind === EventSinkKind.BINDING) {
        const c = s.target.component!;
        return { component: c, name: 'sink', operation: s.target.operation ?? (c.componentType === 'bindings.http' ? 'post' : 'create'), metadata: s.target.metadata };
      }
      sinkBinding ??= DaprComponents.httpBinding(this, 'Sink', { name: fitName(`${this.sourceName}-sink`), namespace: this.namespace, url: s.url! });
      return { component: sinkBinding, name: 'sink', operation: 'post' };
    };

    for (const [name, event] of Object.entries(events)) {
      const topic = this.topic(name);
      const readers: DaprComponent[] = this.components[name] = [];
      if (this.bus || (this.sink && !this.sink.viaDapr)) {
        const readerName = fitName(`${this.sourceName}-${name}`);
        const reader = event.component(this, `Reader-${name}`, { name: readerName, namespace: this.namespace, consumer: consumerId(this.namespace, readerName) });
        readers.push(reader);
        const outputs: DaprOutput[] = [];
        if (this.bus) outputs.push({ component: this.bus.publisher(this.namespace), name: 'eventbus', topic });
        const toSink = sinkOutput();
        if (toSink) outputs.push(toSink);
        this.handlers[name] = eventHandler(this, `Handler-${name}`, {
          name: fitName(`${this.sourceName}-${name}-handler`, 52),
          namespace: this.namespace,
          image: props.handler?.image ?? EVENTSOURCE_HANDLER_IMAGE,
          config: { eventBusOutputName: this.bus ? 'eventbus' : undefined, eventBusTopic: this.bus ? topic : undefined, sinkOutputName: toSink ? 'sink' : undefined },
          triggers: [{ component: reader, name, topic: event.readerTopic, lagThreshold: event.lagThreshold }],
          outputs,
          labels: { 'openfunction.io/eventsource': this.sourceName },
          scalable: event.scalable,
          options: props.handler,
        });
      }
      const fn = this.sink?.viaDapr ? this.sink.function! : undefined;
      if (fn) {
        const readerName = fitName(`${this.sourceName}-${name}-${fn.functionName}`);
        const reader = event.component(this, `Direct-${name}`, { name: readerName, namespace: this.namespace, consumer: consumerId(this.namespace, readerName) });
        readers.push(reader);
        reader.addScope(fn.daprAppId!);
        if (event.readerTopic) {
          this.subscriptions.push(subscribeFunction(this, `Subscription-${name}`, {
            fn, component: reader, topic: event.readerTopic, path: this.sink!.target.path ?? '/', labels: { 'openfunction.io/eventsource': this.sourceName },
          }));
        }
        wakeFunction(this, fn, reader, { appId: fn.daprAppId!, topic: event.readerTopic, lagThreshold: event.lagThreshold });
      }
    }
    SchemaValidation.addTo(Chart.of(this));
  }

  /** The bus topic of `event`: `<namespace>-<source>-<event>`. */
  public topic(event: string): string {
    return eventTopic(this.namespace, this.sourceName, event);
  }

  /** Whether the source reads an event of that name. */
  public produces(event: string): boolean {
    return this.eventNames.includes(event);
  }

  /**
   * `event` as a Dapr trigger of an async function in the source's namespace:
   * `Serving.async({ triggers: [orders.trigger('created', 'audit')] })`. The function reads the
   * source through a component of its own (pure configuration, listed in its `FUNC_CONTEXT`, so
   * functions-framework functions handle it), scoped to it, and KEDA scales it on the backlog.
   */
  public trigger(event: string, consumerName: string, options: BusTriggerOptions = {}): DaprTrigger {
    const checks = new PropChecks(this);
    if (!this.produces(event)) checks.add('OFN_EVENT_INPUT', 'event', event, `is not an event of source ${this.sourceName}, which produces ${this.eventNames.join(', ')}`, 'name an event the source reads');
    if (!isDnsLabel(consumerName ?? '')) checks.add('OFN_NAME', 'consumerName', consumerName, 'is not a DNS-1123 label', 'give the name of the function that reads the event');
    checks.throwIfAny();
    const name = fitName(`${this.sourceName}-${event}-${consumerName}`);
    const source = this.events[event];
    const component = source.component(this, `Trigger-${name}`, { name, namespace: this.namespace, consumer: consumerId(this.namespace, name) });
    this.components[event].push(component);
    return { component, name: options.name, topic: source.readerTopic, lagThreshold: options.lagThreshold ?? source.lagThreshold };
  }

  /** `event` of this source as a trigger input: `inputs: { tick: ticker.event('tick') }`. */
  public event(event: string): TriggerInput {
    return { source: this, event };
  }
}
