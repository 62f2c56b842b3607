import {
  ClusterBuildStrategyV1Beta1SpecParameters, ClusterBuildStrategyV1Beta1SpecSteps,
  ClusterBuildStrategyV1Beta1SpecStepsResourcesLimits as Limit, ClusterBuildStrategyV1Beta1SpecStepsResourcesRequests as Request,
  ClusterBuildStrategyV1Beta1SpecStepsSecurityContext,
} from '../../../imports/shipwright.io';
import { STANDARD_STRATEGY_INTERFACES, StandardStrategy } from '../standard-strategies';

/** CPU and memory of one strategy step, as Kubernetes quantities. */
export interface StepResources {
  /** @default - the strategy's own */
  readonly cpuRequest?: string;
  /** @default - the strategy's own */
  readonly memoryRequest?: string;
  /** @default - the strategy's own */
  readonly memoryLimit?: string;
  /** @default - no CPU limit */
  readonly cpuLimit?: string;
}

/** Container resources from {@link StepResources} over a strategy's defaults. */
export function stepResources(defaults: StepResources, override: StepResources = {}): ClusterBuildStrategyV1Beta1SpecSteps['resources'] {
  const r = { ...defaults, ...override };
  const requests: Record<string, Request> = {};
  const limits: Record<string, Limit> = {};
  if (r.cpuRequest) requests.cpu = Request.fromString(r.cpuRequest);
  if (r.memoryRequest) requests.memory = Request.fromString(r.memoryRequest);
  if (r.cpuLimit) limits.cpu = Limit.fromString(r.cpuLimit);
  if (r.memoryLimit) limits.memory = Limit.fromString(r.memoryLimit);
  return { requests, limits: Object.keys(limits).length ? limits : undefined };
}

/** A step that runs as the strategy's non-root user with nothing extra. */
export const RESTRICTED: ClusterBuildStrategyV1Beta1SpecStepsSecurityContext = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * A root step with only the capabilities listed (image builders that unpack layers owned by other
 * users need some); never privileged, never escalating.
 */
export function rootWith(capabilities: string[]): ClusterBuildStrategyV1Beta1SpecStepsSecurityContext {
  return {
    runAsUser: 0,
    runAsGroup: 0,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'], add: capabilities },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * The parameter declarations of a standard strategy, in the order of its interface, so that what
 * the strategy declares and what functions may pass cannot drift apart.
 */
export function declareParameters(strategy: StandardStrategy, declarations: Record<string, Omit<ClusterBuildStrategyV1Beta1SpecParameters, 'name'>>): ClusterBuildStrategyV1Beta1SpecParameters[] {
  const names = STANDARD_STRATEGY_INTERFACES[strategy].parameters;
  const declared = Object.keys(declarations);
  const missing = names.filter((n) => !declared.includes(n));
  const extra = declared.filter((n) => !names.includes(n));
  if (missing.length || extra.length) throw new Error(`strategy ${strategy}: parameters out of sync (missing ${missing}, extra ${extra})`);
  return names.map((name) => ({ name, ...declarations[name] }));
}

/** Image references the standard strategies use, pinned; each strategy's props override them. */
export const STRATEGY_IMAGES = {
  bash: 'docker.io/library/bash:5.2.37',
  buildah: 'quay.io/containers/buildah:v1.41.4',
  kaniko: 'gcr.io/kaniko-project/executor:v1.23.2',
  go: 'docker.io/library/golang:1.24',
} as const;
