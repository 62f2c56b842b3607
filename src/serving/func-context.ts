import { stableStringify } from '../common/names';
import { EffectiveTracing } from './tracing';

/** The function runtime as functions-framework names it in `FUNC_CONTEXT`. */
export type FuncRuntime = 'Knative' | 'Async';

/** A Dapr component a function reads from or writes to, by its real (emitted) name. */
export interface FuncComponentRef {
  readonly componentName: string;
  /** e.g. `bindings.kafka`, `pubsub.redis`, `state.redis`. */
  readonly componentType: string;
  /** Pub-sub topic. */
  readonly topic?: string;
}

/** An output: a component plus what to send. */
export interface FuncOutputRef extends FuncComponentRef {
  readonly metadata?: Record<string, string>;
  /** Binding operation, e.g. `create`. */
  readonly operation?: string;
}

/** A Dapr trigger (v1beta2 `triggers.dapr[]`). */
export interface FuncDaprTrigger {
  /** The real component name. */
  readonly name: string;
  readonly type?: string;
  readonly topic?: string;
}

/** Everything `FUNC_CONTEXT` and `FUNC_CONTEXT_V1BETA2` are made of. */
export interface FuncContextInput {
  readonly name: string;
  /** OpenFunction's `version`, e.g. `v2.0.0` or `latest`. */
  readonly version: string;
  readonly runtime: FuncRuntime;
  /** The function's HTTP port (sync) or 8080 (async). */
  readonly port: number;
  /** Set for HTTP functions (v1beta2 `triggers.http`). */
  readonly http?: {
    readonly port: number;
    /** `keda` for the KEDA HTTP add-on; undefined for Knative. */
    readonly engine?: 'keda';
    readonly route?: { readonly gatewayRef: { readonly name: string; readonly namespace: string }; readonly hostnames?: string[]; readonly rules?: unknown[] };
  };
  /** Dapr triggers, keyed by trigger name (async functions). */
  readonly daprTriggers?: Record<string, FuncDaprTrigger & { readonly componentType: string }>;
  /** Non-trigger inputs, by name. */
  readonly inputs?: Record<string, FuncComponentRef>;
  readonly outputs?: Record<string, FuncOutputRef>;
  readonly states?: Record<string, FuncComponentRef>;
  /** Effective hooks (plugins), already merged with the app-wide ones. */
  readonly hooks?: { readonly pre: readonly string[]; readonly post: readonly string[] };
  readonly tracing?: EffectiveTracing;
}

function nonEmpty<T extends object>(value: T | undefined): T | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.length ? value : undefined;
  return Object.keys(value).length ? value : undefined;
}

function mapValues<T, U>(record: Record<string, T> | undefined, fn: (v: T) => U): Record<string, U> | undefined {
  if (!record) return undefined;
  return nonEmpty(Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)])));
}

// For bindings the framework addresses the component; for pub-sub, the topic.
function uriOf(ref: FuncComponentRef): string {
  return ref.componentType.startsWith('bindings.') ? ref.componentName : ref.topic ?? ref.componentName;
}

function tracingJson(t: EffectiveTracing) {
  return {
    enabled: true,
    provider: { name: t.provider.name, oapServer: t.provider.oapServer || undefined, exporter: t.provider.exporter },
    tags: nonEmpty(t.tags),
    baggage: nonEmpty(t.baggage),
  };
}

/**
 * `FUNC_CONTEXT` in OpenFunction's v1beta1 format (what older function frameworks read): compact
 * JSON, keys sorted at every level, empty parts left out. Tracing adds its provider as the last
 * pre-plugin and the first post-plugin, as OpenFunction does.
 */
export function funcContextV1beta1(input: FuncContextInput): string {
  const tracingPlugin = input.tracing ? [input.tracing.provider.name] : [];
  const pre = [...(input.hooks?.pre ?? []), ...tracingPlugin];
  const post = [...tracingPlugin, ...(input.hooks?.post ?? [])];
  return stableStringify({
    name: input.name,
    version: input.version,
    inputs: mapValues(input.daprTriggers, (t) => ({ uri: uriOf({ ...t, componentName: t.name }), componentName: t.name, componentType: t.componentType })),
    outputs: mapValues(input.outputs, (o) => ({ uri: uriOf(o), componentName: o.componentName, componentType: o.componentType, metadata: nonEmpty(o.metadata), operation: o.operation })),
    states: mapValues(input.states, (s) => ({ componentName: s.componentName, componentType: s.componentType })),
    runtime: input.runtime,
    port: String(input.port),
    prePlugins: nonEmpty(pre),
    postPlugins: nonEmpty(post),
    pluginsTracing: input.tracing ? tracingJson(input.tracing) : undefined,
  });
}

/** `FUNC_CONTEXT_V1BETA2`: the v1beta2 format, keys sorted, empty parts left out. */
export function funcContextV1beta2(input: FuncContextInput): string {
  const dapr = input.daprTriggers ? Object.values(input.daprTriggers).map((t) => ({ name: t.name, type: t.type, topic: t.topic })) : undefined;
  return stableStringify({
    name: input.name,
    version: input.version,
    triggers: {
      http: input.http ? { port: input.http.port, route: input.http.route, engine: input.http.engine } : undefined,
      dapr: nonEmpty(dapr),
    },
    inputs: mapValues(input.inputs, (i) => ({ componentName: i.componentName, componentType: i.componentType, topic: i.topic })),
    outputs: mapValues(input.outputs, (o) => ({ componentName: o.componentName, componentType: o.componentType, topic: o.topic, metadata: nonEmpty(o.metadata), operation: o.operation })),
    states: mapValues(input.states, (s) => ({ componentName: s.componentName, componentType: s.componentType })),
    preHooks: nonEmpty([...(input.hooks?.pre ?? [])]),
    postHooks: nonEmpty([...(input.hooks?.post ?? [])]),
    tracing: input.tracing ? tracingJson(input.tracing) : undefined,
  });
}
