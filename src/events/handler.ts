import { Construct } from 'constructs';
import { PropProblem } from '../common/errors';
import { parseImageReference } from '../common/image';
import { stableStringify } from '../common/names';
import { SecretRef } from '../common/refs';
import { DaprOutput, DaprSidecarOptions, DaprTrigger } from '../dapr/usage';
import { Function } from '../function/function';
import { FunctionResources } from '../serving/pod';
import { Serving } from '../serving/serving';

/**
 * OpenFunction's event source handler (from `OpenFunction/events-handlers`, the image its
 * EventSource controller pins): reads the source through a Dapr input and sends each event to the
 * bus and/or the sink outputs named in its `CONFIG`.
 */
export const EVENTSOURCE_HANDLER_IMAGE = 'openfunction/eventsource-handler:v4';

/**
 * OpenFunction's trigger handler (the image its Trigger controller pins): subscribes to the bus
 * topics of a trigger's inputs, evaluates the conditions over the inputs seen in the last 60
 * seconds, and sends each event that satisfies a condition to that subscriber's outputs.
 */
export const TRIGGER_HANDLER_IMAGE = 'openfunction/trigger-handler:v4';

/** Options of the handler workload an event source or trigger runs when it needs one. */
export interface EventHandlerOptions {
  /**
   * Handler image (pin a digest or a mirror here).
   * @default EVENTSOURCE_HANDLER_IMAGE for sources, TRIGGER_HANDLER_IMAGE for triggers
   */
  readonly image?: string;
  /** Pull secret for the image. @default - none */
  readonly imageCredentials?: SecretRef;
  /** Handler log verbosity (OpenFunction's `logLevel`). @default 1 */
  readonly logLevel?: 1 | 2 | 3;
  /**
   * CPU and memory of the handler container, over its small defaults.
   * @default - requests 50m CPU and 64Mi memory, limit 128Mi memory, no CPU limit
   */
  readonly resources?: FunctionResources;
  /**
   * Source handlers reading Kafka or Redis Streams: most replicas KEDA scales to on the backlog.
   * Trigger handlers always run one replica (they keep recent events in memory); cron and MQTT
   * source handlers too (each replica would deliver every event).
   * @default 10
   */
  readonly maxReplicas?: number;
  /** Fields merged into the handler container (objects merge, arrays replace). @default {} */
  readonly container?: Record<string, unknown>;
  /** Fields merged into the handler pod spec. @default {} */
  readonly podSpec?: Record<string, unknown>;
  /** The handler's Dapr sidecar. @default - gRPC app protocol, Dapr's log level and resources */
  readonly dapr?: DaprSidecarOptions;
}

/** The problems of handler options, props relative to `handler`. */
export function handlerProblems(o: EventHandlerOptions | undefined): PropProblem[] {
  const problems: PropProblem[] = [];
  if (o?.image !== undefined && !parseImageReference(o.image)) {
    problems.push({ code: 'OFN_IMAGE_REF', prop: 'image', value: o.image, problem: 'is not a valid image reference', fix: 'use registry/repository[:tag][@sha256:digest]' });
  }
  if (o?.maxReplicas !== undefined && !(Number.isInteger(o.maxReplicas) && o.maxReplicas >= 1)) {
    problems.push({ code: 'OFN_SCALE', prop: 'maxReplicas', value: o.maxReplicas, problem: 'must be a whole number of at least 1', fix: 'give 1 or more' });
  }
  return problems;
}

/** What a handler is made of. */
export interface HandlerSpec {
  readonly name: string;
  readonly namespace?: string;
  readonly image: string;
  /** The handler's `CONFIG` (OpenFunction's handler configuration), as an object. */
  readonly config: Record<string, unknown>;
  readonly triggers: DaprTrigger[];
  readonly outputs: DaprOutput[];
  readonly labels: Record<string, string>;
  /** Whether the handler may run more than one replica (KEDA-scaled on its trigger's backlog). */
  readonly scalable: boolean;
  readonly options?: EventHandlerOptions;
}

/**
 * The handler workload: an async function of the handler image (as OpenFunction runs it), so it
 * gets the function pod's secure defaults (non-root, no privilege escalation, no capabilities,
 * RuntimeDefault seccomp, read-only root, resource requests), a Dapr sidecar, `FUNC_CONTEXT`, and
 * components scoped to exactly its app id. Its `CONFIG` is base64 JSON with sorted keys.
 */
export function eventHandler(scope: Construct, id: string, spec: HandlerSpec): Function {
  const o = spec.options ?? {};
  const config = Buffer.from(stableStringify({ ...spec.config, logLevel: String(o.logLevel ?? 1) })).toString('base64');
  return new Function(scope, id, {
    name: spec.name,
    namespace: spec.namespace,
    image: spec.image,
    imageCredentials: o.imageCredentials,
    labels: spec.labels,
    serving: Serving.async({
      triggers: spec.triggers,
      minReplicas: spec.scalable ? 0 : 1,
      maxReplicas: spec.scalable ? o.maxReplicas ?? 10 : 1,
      env: { CONFIG: config },
      resources: { cpuRequest: '50m', memoryRequest: '64Mi', memoryLimit: '128Mi', ...o.resources },
      container: o.container,
      podSpec: o.podSpec,
    }),
    outputs: spec.outputs,
    dapr: o.dapr,
  });
}
