import { SecretRef } from '../common/refs';
import { containerResources, deepMerge, PodSecurity, restrictedContainerSecurity, restrictedViolations } from './pod';
import { ServingOptions } from './serving';
import { EffectiveTracing, skywalkingEnv } from './tracing';

/** What the function's pod is made of. */
export interface FunctionPodInput {
  readonly functionName: string;
  readonly namespace?: string;
  readonly image: string;
  readonly version: string;
  /** Labels of every object of the function. */
  readonly labels: Record<string, string>;
  readonly imageCredentials?: SecretRef;
  readonly options: ServingOptions;
  readonly funcContext: { readonly v1beta1: string; readonly v1beta2: string };
  readonly tracing?: EffectiveTracing;
  /** Set for WasmEdge functions: the RuntimeClass whose handler runs Wasm. */
  readonly wasmRuntimeClassName?: string;
  /** Dapr sidecar annotations, when the function uses Dapr. */
  readonly daprAnnotations?: Record<string, string>;
  /** Name given to the container port; Knative allows none but `http1`/`h2c`. */
  readonly portName?: string;
}

/** The function's pod template, and what in it breaks "restricted" (empty when all is well). */
export interface FunctionPod {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly spec: Record<string, any>;
  readonly violations: string[];
}

/** Annotation that makes crun (with WasmEdge) run the image as Wasm. */
export const WASM_VARIANT_ANNOTATION = 'module.wasm.image/variant';

/**
 * The pod OpenFunction would run the function in, with secure defaults: container `function` with
 * the image, port and env (`APP_PROTOCOL`, `SW_AGENT_*`, `FUNC_CONTEXT`, `FUNC_CONTEXT_V1BETA2`,
 * user env sorted, `POD_NAME`, `POD_NAMESPACE`), non-root, no escalation, no capabilities,
 * RuntimeDefault seccomp, read-only root with a writable `/tmp`, resource requests. User overrides
 * are merged last.
 */
export function functionPod(input: FunctionPodInput): FunctionPod {
  const o = input.options;
  const port = o.port ?? 8080;
  const readOnly = o.readOnlyRootFilesystem ?? true;
  const annotations: Record<string, string> = {};
  if (input.wasmRuntimeClassName) annotations[WASM_VARIANT_ANNOTATION] = 'compat-smart';
  Object.assign(annotations, input.daprAnnotations, o.podAnnotations);
  // As in OpenFunction, whether Dapr is injected follows from what the function uses, not from overrides.
  if (input.daprAnnotations) annotations['dapr.io/enabled'] = 'true';
  const env: Record<string, unknown>[] = [
    { name: 'APP_PROTOCOL', value: annotations['dapr.io/app-protocol'] ?? 'grpc' },
    ...skywalkingEnv(input.tracing, input.functionName, input.namespace ?? ''),
    { name: 'FUNC_CONTEXT', value: input.funcContext.v1beta1 },
    { name: 'FUNC_CONTEXT_V1BETA2', value: input.funcContext.v1beta2 },
    ...Object.keys(o.env ?? {}).sort().map((name) => ({ name, value: o.env![name] })),
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    input.namespace ? { name: 'POD_NAMESPACE', value: input.namespace } : { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
  ];
  let container: Record<string, unknown> = {
    name: 'function',
    image: input.image,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ containerPort: port, ...(input.portName ? { name: input.portName } : {}), protocol: 'TCP' }],
    env,
    resources: containerResources(o.resources),
    securityContext: restrictedContainerSecurity(readOnly),
    ...(readOnly ? { volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] } : {}),
  };
  container = deepMerge(container, o.container);
  let spec: Record<string, any> = {
    ...(o.serviceAccountName ? { serviceAccountName: o.serviceAccountName } : {}),
    ...(input.imageCredentials ? { imagePullSecrets: [{ name: input.imageCredentials.name }] } : {}),
    ...(input.wasmRuntimeClassName ? { runtimeClassName: input.wasmRuntimeClassName } : {}),
    containers: [container],
    ...(readOnly ? { volumes: [{ name: 'tmp', emptyDir: {} }] } : {}),
  };
  spec = deepMerge(spec, o.podSpec);
  const labels = { ...input.labels, 'app.kubernetes.io/version': input.version, ...o.podLabels };
  const violations = (o.podSecurity ?? PodSecurity.RESTRICTED) === PodSecurity.RESTRICTED ? restrictedViolations(spec) : [];
  return { labels, annotations, spec, violations };
}
