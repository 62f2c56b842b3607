import { PropProblem } from '../common/errors';

/** CPU and memory of the function container, as Kubernetes quantities. */
export interface FunctionResources {
  /** @default '100m' */
  readonly cpuRequest?: string;
  /** @default '128Mi' */
  readonly memoryRequest?: string;
  /** @default - no CPU limit (throttling hurts latency more than it protects) */
  readonly cpuLimit?: string;
  /** @default '512Mi' */
  readonly memoryLimit?: string;
}

/** Whether the pod must meet Pod Security Standards "restricted". */
export enum PodSecurity {
  /** The pod must pass "restricted"; overrides that break it are a synth error. */
  RESTRICTED = 'restricted',
  /** No check: for functions that truly need more (document why). */
  UNCHECKED = 'unchecked',
}

/** The function container's secure defaults. */
export function restrictedContainerSecurity(readOnlyRootFilesystem: boolean): Record<string, unknown> {
  return {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
    readOnlyRootFilesystem,
  };
}

/** Container resources from {@link FunctionResources} over the defaults. */
export function containerResources(r: FunctionResources = {}): Record<string, Record<string, string>> {
  const requests: Record<string, string> = { cpu: r.cpuRequest ?? '100m', memory: r.memoryRequest ?? '128Mi' };
  const limits: Record<string, string> = { memory: r.memoryLimit ?? '512Mi' };
  if (r.cpuLimit) limits.cpu = r.cpuLimit;
  return { requests, limits };
}

/** Deep merge for overrides: objects merge key by key, anything else (arrays too) is replaced. */
export function deepMerge<T>(base: T, override: unknown): T {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = deepMerge(out[k], v);
  return out as T;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * What in a pod spec breaks Pod Security Standards "restricted" (Kubernetes 1.25+ policy), one
 * line per violation with its path.
 */
export function restrictedViolations(pod: Record<string, any>): string[] {
  const out: string[] = [];
  const podSc = pod.securityContext ?? {};
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[key]) out.push(`${key} is true`);
  for (const [i, v] of (pod.volumes ?? []).entries()) if (v.hostPath) out.push(`volumes[${i}] is a hostPath volume`);
  if (podSc.runAsUser === 0) out.push('securityContext.runAsUser is 0 (root)');
  const podSeccomp = podSc.seccompProfile?.type;
  if (podSeccomp && !['RuntimeDefault', 'Localhost'].includes(podSeccomp)) out.push(`securityContext.seccompProfile.type is ${podSeccomp}`);
  const groups = [['containers', pod.containers ?? []], ['initContainers', pod.initContainers ?? []]] as const;
  for (const [field, containers] of groups) {
    for (const [i, c] of (containers as any[]).entries()) {
      const at = `${field}[${i}]`;
      const sc = c.securityContext ?? {};
      if (sc.privileged) out.push(`${at}.securityContext.privileged is true`);
      if (sc.allowPrivilegeEscalation !== false) out.push(`${at}.securityContext.allowPrivilegeEscalation is not false`);
      if (!(sc.runAsNonRoot ?? podSc.runAsNonRoot)) out.push(`${at}.securityContext.runAsNonRoot is not true`);
      if (sc.runAsUser === 0) out.push(`${at}.securityContext.runAsUser is 0 (root)`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${at}.securityContext.capabilities.drop does not include ALL`);
      const added = (sc.capabilities?.add ?? []).filter((cap: string) => cap !== 'NET_BIND_SERVICE');
      if (added.length) out.push(`${at}.securityContext.capabilities.add has ${added.join(', ')}`);
      const seccomp = sc.seccompProfile?.type ?? podSeccomp;
      if (!['RuntimeDefault', 'Localhost'].includes(seccomp)) out.push(`${at}.securityContext.seccompProfile.type is ${seccomp ?? 'unset'}`);
      for (const [j, p] of (c.ports ?? []).entries()) if (p.hostPort) out.push(`${at}.ports[${j}].hostPort is set`);
    }
  }
  return out;
}

/** Env var names the library sets itself; users may not set them. */
export const RESERVED_ENV = ['FUNC_CONTEXT', 'FUNC_CONTEXT_V1BETA2', 'APP_PROTOCOL', 'POD_NAME', 'POD_NAMESPACE', 'DAPR_HOST', 'DAPR_SIDECAR_IP', 'PORT', 'K_SERVICE', 'K_CONFIGURATION', 'K_REVISION'];

/** Problems of user env vars (props relative to `prop`). */
export function envProblems(prop: string, env: Record<string, string> | undefined): PropProblem[] {
  const problems: PropProblem[] = [];
  for (const [name, value] of Object.entries(env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      problems.push({ code: 'OFN_ENV_NAME', prop: `${prop}.${name}`, value: name, problem: 'is not a valid environment variable name', fix: 'use letters, digits and "_", not starting with a digit' });
    } else if (RESERVED_ENV.includes(name) || name.startsWith('SW_AGENT_')) {
      problems.push({ code: 'OFN_ENV_RESERVED', prop: `${prop}.${name}`, value: name, problem: 'is set by the library (function context, pod identity, Knative or tracing)', fix: 'rename the variable; configure tracing through the tracing prop' });
    }
    if (typeof value !== 'string') {
      problems.push({ code: 'OFN_ENV_VALUE', prop: `${prop}.${name}`, value, problem: 'is not a string', fix: 'give the value as a string' });
    }
  }
  return problems;
}
