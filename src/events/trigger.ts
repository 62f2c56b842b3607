import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { SubscriptionV2Alpha1 } from '../../imports/dapr.io';
import { AppRegistry } from '../common/app-registry';
import { PropChecks } from '../common/errors';
import { isDnsLabel } from '../common/names';
import { DaprComponent } from '../dapr/component';
import { DaprComponents } from '../dapr/components';
import { DaprOutput, DaprTrigger } from '../dapr/usage';
import { Function } from '../function/function';
import { SchemaValidation } from '../validation/validator';
import { conditionInputs, disjunctionInputs, parseCondition } from './conditions';
import { subscribeFunction, wakeFunction, wakeProblem } from './delivery';
import { IEventBus, resolveEventBus } from './event-bus';
import { EventSource } from './event-source';
import { eventHandler, EventHandlerOptions, handlerProblems, TRIGGER_HANDLER_IMAGE } from './handler';
import { fitName, isInputName } from './names';
import { EventSink, EventSinkKind, sinkProblems } from './sink';

/** An event a trigger listens to (OpenFunction's `inputs.<name>`). */
export interface TriggerInput {
  /** The event source: the construct, or the name of one the app defines earlier. */
  readonly source: EventSource | string;
  /** The event's name in the source. */
  readonly event: string;
  /**
   * Namespace of a source given by name.
   * @default - the trigger's namespace
   */
  readonly namespace?: string;
}

/** What a trigger does when a condition holds (OpenFunction's `subscribers[]`). */
export interface TriggerSubscriber {
  /**
   * Condition over the trigger's input names: `orders`, `orders || refunds`,
   * `orders && payments`, `tick && !maintenance`.
   */
  readonly condition: string;
  /**
   * Where matching events are delivered.
   * @default - none (give sink, topic or both)
   */
  readonly sink?: EventSink;
  /**
   * Bus topic matching events are re-published to (async functions subscribe to it with
   * `bus.trigger(...)`); needs the trigger handler.
   * @default - none
   */
  readonly topic?: string;
  /**
   * Async function sinks only: a Dapr routing expression (CEL over the CloudEvent, e.g.
   * `event.type == "com.example.order"`) events must also match; other events are dropped.
   * @default - every event of the inputs is delivered
   */
  readonly filter?: string;
  /**
   * Async function sinks only: topic on the bus where Dapr puts events the function fails on.
   * @default - none: Dapr retries by its resiliency policy, then drops
   */
  readonly deadLetterTopic?: string;
}

/** Props of {@link Trigger}. */
export interface TriggerProps {
  /**
   * Name of the trigger; names its handler and components.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the trigger's objects.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The bus the inputs' events travel on: the bus itself or its name (the namespace's EventBus of
   * that name, else the ClusterEventBus).
   * @default 'default'
   */
  readonly bus?: IEventBus | string;
  /** The events the trigger listens to, by input name (a CEL identifier the conditions use). */
  readonly inputs: Record<string, TriggerInput>;
  /** What to do when conditions hold. */
  readonly subscribers: TriggerSubscriber[];
  /**
   * The trigger handler, run when a subscriber needs one.
   * @default - TRIGGER_HANDLER_IMAGE, one replica, small resources
   */
  readonly handler?: EventHandlerOptions;
}

const registry = new AppRegistry<Trigger>();
const TOPIC = /^[A-Za-z0-9._-]+$/;

/**
 * A trigger (OpenFunction's `Trigger`): subscribes to events on an event bus, checks conditions
 * over the event names, and delivers the events that satisfy them.
 *
 * A subscriber whose sink is an async function and whose condition is one input or inputs joined
 * by `||` is pure configuration: a Dapr `v2alpha1` Subscription per input topic, through a bus
 * component of its own, both scoped to the function, plus a KEDA trigger on the function's backlog.
 * Other subscribers (conditions with `&&` or `!`, which need memory of recent events; URL, HTTP
 * function and binding sinks; re-publishing to a topic) are served by OpenFunction's trigger
 * handler: one Deployment with one replica per trigger.
 */
export class Trigger extends Construct {
  public readonly triggerName: string;
  public readonly namespace?: string;
  /** The bus the trigger listens on. */
  public readonly bus!: IEventBus;
  /** The trigger handler, when a subscriber needs one. */
  public readonly handler?: Function;
  /** Subscriptions that deliver to async functions without a handler. */
  public readonly subscriptions: SubscriptionV2Alpha1[] = [];
  /** The bus components the trigger reads through (its handler's and its subscriptions'). */
  public readonly components: DaprComponent[] = [];

  constructor(scope: Construct, id: string, props: TriggerProps) {
    super(scope, id);
    this.triggerName = props.name ?? id;
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    const checks = new PropChecks(this);
    if (!isDnsLabel(this.triggerName) || this.triggerName.length > 40) {
      checks.add('OFN_NAME', props.name === undefined ? 'name (from the construct id)' : 'name', this.triggerName, 'is not a DNS-1123 label of at most 40 characters', 'pass name: lower-case letters, digits and "-"');
    }
    if (this.namespace !== undefined && !isDnsLabel(this.namespace)) checks.add('OFN_NAMESPACE', 'namespace', this.namespace, 'is not a DNS-1123 label', 'use lower-case letters, digits and "-"');
    const { bus, problem } = resolveEventBus(this, props.bus ?? 'default', this.namespace);
    if (problem) checks.addAll([problem]);

    // Inputs: each must be an event a source of the app produces onto this bus.
    const inputs = props.inputs ?? {};
    const topics = new Map<string, { topic: string; source: EventSource; event: string }>();
    const byTopic = new Map<string, string>();
    if (Object.keys(inputs).length === 0) checks.add('OFN_EVENT_INPUT', 'inputs', inputs, 'lists no input', 'give the events to listen to, e.g. { tick: ticker.event("tick") }');
    for (const [name, input] of Object.entries(inputs)) {
      const prop = `inputs.${name}`;
      if (!isInputName(name)) checks.add('OFN_EVENT_INPUT', prop, name, 'is not an input name (a CEL identifier: letters, digits and "_", not a reserved word)', 'rename the input, e.g. orderCreated');
      const ns = input?.namespace ?? this.namespace;
      const source = input?.source instanceof EventSource ? input.source : typeof input?.source === 'string' ? EventSource.tryFind(this, input.source, ns) : undefined;
      if (!source) {
        checks.add('OFN_EVENT_INPUT', `${prop}.source`, input?.source, `names no event source the app defines in namespace ${ns ?? '(default)'}`, 'define the EventSource before the trigger, or pass it');
        continue;
      }
      if (source.node.root !== this.node.root) {
        checks.add('OFN_EVENT_INPUT', `${prop}.source`, source.sourceName, `is an event source of another app (${source.node.path})`, 'define the source in this app');
        continue;
      }
      if (!source.produces(input.event)) {
        checks.add('OFN_EVENT_INPUT', `${prop}.event`, input.event, `is not an event of source ${source.sourceName}, which produces ${source.eventNames.join(', ')}`, 'name an event the source reads, or add it to the source');
        continue;
      }
      if (bus && source.bus !== bus) {
        checks.add('OFN_EVENT_INPUT', `${prop}.source`, source.sourceName, source.bus ? `publishes to bus ${source.bus.busName}, not ${bus.busName}` : 'publishes to no bus', `give the source bus: ${bus.busName}`);
        continue;
      }
      const topic = source.topic(input.event);
      if (byTopic.has(topic)) {
        checks.add('OFN_EVENT_INPUT', prop, name, `is the same event as input ${byTopic.get(topic)} (${topic})`, 'listen to each event through one input');
        continue;
      }
      byTopic.set(topic, name);
      topics.set(name, { topic, source, event: input.event });
    }

    // Subscribers: which are Dapr subscriptions, which need the handler.
    const direct: { fn: Function; inputs: string[]; sink: EventSink; filter?: string; deadLetterTopic?: string }[] = [];
    const viaHandler: { index: number; condition: string; inputs: string[]; sink?: EventSink; topic?: string }[] = [];
    const deliveredTwice = new Map<string, number>();
    const conditions = new Map<string, number>();
    const subscribers = props.subscribers ?? [];
    if (subscribers.length === 0) checks.add('OFN_EVENT_SUBSCRIBER', 'subscribers', subscribers, 'lists no subscriber', 'give at least one { condition, sink } or { condition, topic }');
    for (const [i, s] of subscribers.entries()) {
      const prop = `subscribers[${i}]`;
      const parsed = parseCondition(s?.condition);
      if (!parsed.node) {
        checks.add('OFN_EVENT_CONDITION', `${prop}.condition`, s?.condition, `does not parse: it ${parsed.problem}`, 'write input names joined by &&, || and !, with parentheses, e.g. "orders && payments"');
        continue;
      }
      const names = conditionInputs(parsed.node);
      const unknown = names.filter((n) => !(n in inputs));
      for (const n of unknown) {
        checks.add('OFN_EVENT_CONDITION', `${prop}.condition`, s.condition, `names ${n}, which is not an input of the trigger, so no source event can satisfy it (inputs: ${Object.keys(inputs).join(', ') || 'none'})`, `add an input ${n}: source.event('...'), or name one of the inputs`);
      }
      if (unknown.length) continue;
      if (s.sink === undefined && s.topic === undefined) {
        checks.add('OFN_EVENT_DESTINATION', `${prop}.sink`, undefined, 'is required when the subscriber has no topic: matching events would go nowhere', 'give sink, topic or both');
      }
      for (const [key, value] of [['topic', s.topic], ['deadLetterTopic', s.deadLetterTopic]] as const) {
        if (value !== undefined && !TOPIC.test(value)) checks.add('OFN_EVENT_SUBSCRIBER', `${prop}.${key}`, value, 'is not a topic name', 'use letters, digits, ".", "_" and "-"');
      }
      if (s.filter !== undefined && (typeof s.filter !== 'string' || !s.filter.trim())) checks.add('OFN_EVENT_SUBSCRIBER', `${prop}.filter`, s.filter, 'is empty', 'give a Dapr routing expression, e.g. event.type == "com.example.order"');
      let handlerSink: EventSink | undefined;
      if (s.sink !== undefined) {
        const problems = sinkProblems(this, s.sink, `${prop}.sink`, this.namespace);
        checks.addAll(problems);
        if (!problems.length && s.sink.viaDapr) {
          const fn = s.sink.function!;
          const any = disjunctionInputs(parsed.node);
          if (!any) {
            checks.add('OFN_EVENT_SINK', `${prop}.sink`, fn.node.path,
              `is an async function, which Dapr subscriptions deliver to; condition "${s.condition}" needs the trigger handler's memory of recent events, and the handler only calls URLs and bindings`,
              'use a condition of inputs joined by ||, or re-publish the matching events (topic: ...) and subscribe the function to it with bus.trigger(...)');
          } else {
            const p = bus ? wakeProblem(fn, bus.backend.scalesSubscribers, `${prop}.sink`, `bus ${bus.busName}`) : undefined;
            if (p) checks.addAll([p]);
            for (const n of any) {
              const key = `${fn.node.path}|${n}`;
              if (deliveredTwice.has(key)) {
                checks.add('OFN_EVENT_SINK', `${prop}.sink`, fn.node.path, `gets input ${n} from subscribers[${deliveredTwice.get(key)}] already`, 'deliver each input to a function once (join the conditions with ||)');
              }
              deliveredTwice.set(key, i);
            }
            direct.push({ fn, inputs: any, sink: s.sink, filter: s.filter, deadLetterTopic: s.deadLetterTopic });
          }
        } else if (!problems.length) {
          handlerSink = s.sink;
        }
      }
      if (!s.sink?.viaDapr || s.sink === undefined) {
        for (const [key, value] of [['filter', s.filter], ['deadLetterTopic', s.deadLetterTopic]] as const) {
          if (value !== undefined) checks.add('OFN_EVENT_SUBSCRIBER', `${prop}.${key}`, value, 'applies to async function sinks only (Dapr subscriptions); the trigger handler does not honour it', `drop ${key}, or deliver to an async function`);
        }
      }
      if (handlerSink || s.topic !== undefined) {
        const normal = s.condition.replace(/\s+/g, '');
        if (conditions.has(normal)) {
          checks.add('OFN_EVENT_SUBSCRIBER', `${prop}.condition`, s.condition, `repeats the condition of subscribers[${conditions.get(normal)}]; the trigger handler keeps one subscriber per condition`, 'merge the two into one subscriber with a sink and a topic');
        }
        conditions.set(normal, i);
        viaHandler.push({ index: i, condition: s.condition, inputs: names, sink: handlerSink, topic: s.topic });
      }
    }
    checks.addAll(handlerProblems(props.handler), 'handler');
    const key = `${this.namespace ?? ''}/${this.triggerName}`;
    const existing = registry.get(this, key);
    if (existing) checks.add('OFN_EVENT_DUPLICATE', 'name', this.triggerName, `is already the name of ${existing.node.path} in namespace ${this.namespace ?? '(default)'}`, 'give each trigger in a namespace its own name');
    if (checks.stop()) return;
    registry.set(this, key, this);
    this.bus = bus!;
    const labels = { 'openfunction.io/trigger': this.triggerName };

    // Pure configuration: a component and a Subscription per (function, input topic).
    for (const d of direct) {
      for (const name of d.inputs) {
        const { topic } = topics.get(name)!;
        const component = this.bus.consumer(this, fitName(`${this.triggerName}-${d.fn.functionName}`, 56), this.namespace, topic);
        this.components.push(component);
        this.subscriptions.push(subscribeFunction(this, `Subscription-${component.componentName}`, {
          fn: d.fn, component, topic, path: d.sink.target.path ?? '/', filter: d.filter, deadLetterTopic: d.deadLetterTopic, labels,
        }));
        wakeFunction(this, d.fn, component, { appId: d.fn.daprAppId!, topic });
      }
    }

    if (viaHandler.length === 0) {
      SchemaValidation.addTo(Chart.of(this));
      return;
    }
    // The trigger handler: subscribes to the inputs its conditions name, sends to its outputs.
    const handlerName = fitName(`${this.triggerName}-handler`, 52);
    const used = [...new Set(viaHandler.flatMap((h) => h.inputs))].sort();
    const triggers: DaprTrigger[] = used.map((name) => {
      const component = this.bus.consumer(this, handlerName, this.namespace, topics.get(name)!.topic);
      this.components.push(component);
      return { component, name, topic: topics.get(name)!.topic };
    });
    const outputs: DaprOutput[] = [];
    const topicOutputs = new Map<string, string>();
    const config: Record<string, { sinkOutputName?: string; eventBusOutputName?: string }> = {};
    for (const h of viaHandler) {
      let sinkOutputName: string | undefined;
      if (h.sink) {
        sinkOutputName = `sink-${h.index}`;
        if (h.sink.kind === EventSinkKind.BINDING) {
          const c = h.sink.target.component!;
          outputs.push({ component: c, name: sinkOutputName, operation: h.sink.target.operation ?? (c.componentType === 'bindings.http' ? 'post' : 'create'), metadata: h.sink.target.metadata });
        } else {
          const http = DaprComponents.httpBinding(this, `Sink-${h.index}`, { name: fitName(`${this.triggerName}-sink-${h.index}`), namespace: this.namespace, url: h.sink.url! });
          outputs.push({ component: http, name: sinkOutputName, operation: 'post' });
        }
      }
      let eventBusOutputName: string | undefined;
      if (h.topic !== undefined) {
        eventBusOutputName = topicOutputs.get(h.topic);
        if (!eventBusOutputName) {
          eventBusOutputName = `topic-${h.topic}`;
          topicOutputs.set(h.topic, eventBusOutputName);
          outputs.push({ component: this.bus.publisher(this.namespace), name: eventBusOutputName, topic: h.topic });
        }
      }
      config[h.condition] = { sinkOutputName, eventBusOutputName };
    }
    this.handler = eventHandler(this, 'Handler', {
      name: handlerName,
      namespace: this.namespace,
      image: props.handler?.image ?? TRIGGER_HANDLER_IMAGE,
      config: {
        inputs: used.map((name) => {
          const t = topics.get(name)!;
          return { name, namespace: t.source.namespace ?? 'default', eventSource: t.source.sourceName, event: t.event };
        }),
        subscribers: config,
      },
      triggers,
      outputs,
      labels,
      scalable: false,
      options: props.handler,
    });
    SchemaValidation.addTo(Chart.of(this));
  }
}
