import { IConstruct } from 'constructs';
import { PropProblem } from '../common/errors';
import { registeredBy } from '../common/registration';
import { DaprBuildingBlock, IDaprComponent } from '../dapr/component';
import { Function } from '../function/function';
import { ServingEngine } from '../serving/serving';

/** Options of a function sink. */
export interface FunctionSinkOptions {
  /**
   * Route path of the Dapr subscription that delivers events to an async function (Dapr passes it
   * to gRPC apps and posts to it on HTTP apps).
   * @default '/'
   */
  readonly path?: string;
}

/** Options of a Dapr output binding sink. */
export interface BindingSinkOptions {
  /**
   * Binding operation each event is sent with.
   * @default 'create' ('post' for `bindings.http`)
   */
  readonly operation?: string;
  /** Metadata sent with each event. @default {} */
  readonly metadata?: Record<string, string>;
}

/** What a sink delivers to. */
export enum EventSinkKind {
  FUNCTION = 'function',
  URL = 'url',
  BINDING = 'binding',
}

/**
 * Where an event source or a trigger delivers events: a {@link Function} of this app, a URL, or
 * a Dapr output binding. Pick one with the static methods.
 */
export class EventSink {
  /**
   * A function of this app. Async functions get the events through Dapr (a subscription or an
   * input binding scoped to them: no handler in between); HTTP functions (Knative, KEDA HTTP) are
   * called at their in-cluster URL by the handler, which wakes them from zero.
   */
  public static fromFunction(fn: Function, options: FunctionSinkOptions = {}): EventSink {
    return new EventSink(EventSinkKind.FUNCTION, { fn, path: options.path });
  }

  /** An HTTP(S) URL the handler posts each event to (through a Dapr `bindings.http` component). */
  public static fromUrl(url: string): EventSink {
    return new EventSink(EventSinkKind.URL, { url });
  }

  /** A Dapr output binding (`bindings.*`) the handler sends each event to. */
  public static fromBinding(component: IDaprComponent, options: BindingSinkOptions = {}): EventSink {
    return new EventSink(EventSinkKind.BINDING, { component, operation: options.operation, metadata: options.metadata });
  }

  private constructor(
    public readonly kind: EventSinkKind,
    /** What the sink points at. */
    public readonly target: {
      readonly fn?: Function;
      readonly path?: string;
      readonly url?: string;
      readonly component?: IDaprComponent;
      readonly operation?: string;
      readonly metadata?: Record<string, string>;
    },
  ) {}

  /** The function, for function sinks. */
  public get function(): Function | undefined {
    return this.target.fn;
  }

  /** Whether the sink is an async function, reached through Dapr without a handler. */
  public get viaDapr(): boolean {
    return this.target.fn?.servingEngine === ServingEngine.ASYNC;
  }

  /** The URL the handler calls (URL sinks and HTTP functions). */
  public get url(): string | undefined {
    return this.target.url ?? (this.target.fn?.servingEngine === ServingEngine.ASYNC ? undefined : this.target.fn?.internalUrl);
  }
}

/** The problems of `sink` for a source or trigger of `scope` in `namespace`, props relative to `prop`. */
export function sinkProblems(scope: IConstruct, sink: unknown, prop: string, namespace: string | undefined): PropProblem[] {
  const problem = (value: unknown, text: string, fix: string): PropProblem[] => [{ code: 'OFN_EVENT_SINK', prop, value, problem: text, fix }];
  if (!(sink instanceof EventSink)) {
    return problem(sink, 'is neither a function, a URL nor a Dapr binding', 'give EventSink.fromFunction(fn), EventSink.fromUrl(url) or EventSink.fromBinding(component)');
  }
  const t = sink.target;
  if (sink.kind === EventSinkKind.URL) {
    if (typeof t.url !== 'string' || !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(t.url)) {
      return problem(t.url, 'is not an http(s) URL', 'give e.g. http://sink.demo.svc.cluster.local/events');
    }
    return [];
  }
  if (sink.kind === EventSinkKind.BINDING) {
    const c = t.component;
    if (!c || typeof c.componentType !== 'string') return problem(c, 'is not a Dapr component', 'give a component, e.g. DaprComponents.httpBinding(...)');
    const isBinding = c.definition ? c.definition.buildingBlock === DaprBuildingBlock.BINDINGS : c.componentType.startsWith('bindings.');
    if (!isBinding) return problem(c.componentName, `is a ${c.componentType} component, not an output binding`, 'give a bindings.* component');
    if (c.definition && c.definition.node.root !== scope.node.root) return problem(c.componentName, `is defined in another app (${c.definition.node.path})`, 'define the binding in this app, or use DaprComponent.existing(...)');
    if ((c.namespace ?? undefined) !== (namespace ?? undefined)) {
      return problem(c.componentName, `is in namespace ${c.namespace ?? '(default)'}, but the handler that sends to it runs in ${namespace ?? '(default)'}`, 'define the binding in this namespace');
    }
    return [];
  }
  const fn = t.fn;
  if (!(fn instanceof Function)) return problem(fn, 'is not a Function construct', 'give a Function of this app');
  if (fn.node.root !== scope.node.root) return problem(fn.node.path, 'is a function of another app', 'give a Function of this app, or EventSink.fromUrl(...) for one deployed elsewhere');
  if (fn.servingEngine === ServingEngine.NONE) {
    return problem(fn.node.path, 'is not served (Serving.none()), so nothing can receive events', 'serve the function (Serving.async for Dapr delivery, or Serving.knative)');
  }
  if (fn.servingEngine === ServingEngine.ASYNC) {
    if ((fn.namespace ?? undefined) !== (namespace ?? undefined)) {
      return problem(fn.node.path, `is an async function in namespace ${fn.namespace ?? '(default)'}; Dapr delivers to it only from components of its own namespace ${namespace ?? '(default)'}`, 'put the function in this namespace, or reach an HTTP function by URL');
    }
    if (fn.async?.scaledJob) {
      return problem(fn.node.path, 'runs as KEDA-started Jobs, which hold no Dapr subscription between events', 'serve the function with the Deployment workload');
    }
    if (t.path !== undefined && !/^\/[^\s]*$/.test(t.path)) return problem(t.path, 'is not a route path', 'give a path starting with /');
    const by = registeredBy(fn.async?.scaledObject);
    if (by) {
      return [{ code: 'OFN_REGISTERED', prop, value: fn.node.path, problem: `is a function whose objects are already registered (by ${by}), so KEDA could no longer be told to wake it for these events`, fix: 'create the function and the event sources and triggers that deliver to it in one Cdk8sChart (Pulumi)' }];
    }
  }
  return [];
}
