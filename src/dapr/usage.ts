import { IDaprComponent } from './component';

/** A Dapr component that triggers an async function (OpenFunction's `triggers.dapr[]`). */
export interface DaprTrigger {
  /** The component, or the name of one the app defines earlier in the same namespace. */
  readonly component: IDaprComponent | string;
  /**
   * Key of the input in `FUNC_CONTEXT`.
   * @default - the component name
   */
  readonly name?: string;
  /** Topic to subscribe to (pub-sub components; required there). */
  readonly topic?: string;
  /**
   * Backlog per replica above which KEDA scales out (Kafka lag, pending stream entries).
   * @default 10
   */
  readonly lagThreshold?: number;
}

/** A component a function writes to (OpenFunction's `outputs[]`). */
export interface DaprOutput {
  readonly component: IDaprComponent;
  /** Key in `FUNC_CONTEXT`. @default - the component name */
  readonly name?: string;
  /** Topic to publish to (pub-sub). @default - none */
  readonly topic?: string;
  /** Binding operation, e.g. `create`, `post`. @default - none */
  readonly operation?: string;
  /** Metadata sent with each call. @default {} */
  readonly metadata?: Record<string, string>;
}

/** A component a function reads without being triggered by it (v1beta2 `triggers.inputs[]`). */
export interface DaprInput {
  readonly component: IDaprComponent;
  /** @default - the component name */
  readonly name?: string;
  readonly topic?: string;
}

/** Options of the function's Dapr sidecar. */
export interface DaprSidecarOptions {
  /** Protocol between sidecar and function. @default 'grpc' (OpenFunction's) */
  readonly appProtocol?: 'grpc' | 'http';
  /** @default 'info' */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** @default - Dapr's defaults (none set) */
  readonly cpuRequest?: string;
  /** @default - Dapr's defaults (none set) */
  readonly memoryRequest?: string;
  /** @default - Dapr's defaults (none set) */
  readonly cpuLimit?: string;
  /** @default - Dapr's defaults (none set) */
  readonly memoryLimit?: string;
}
