import { KubeObject } from '../validation/validator';
import { cpuMillis, memoryBytes } from './footprint';
import { podSpecOf } from './images';

/** How much the platform's control planes ask for. */
export enum SizingProfile {
  /** A dev or edge cluster: one replica each, requests capped at 50m CPU and 48Mi memory per container. */
  SMALL = 'small',
  /** Upstream's values, plus requests (and memory limits) for the containers upstream leaves without. */
  DEFAULT = 'default',
  /** At least two replicas, a PodDisruptionBudget and spreading over nodes for every workload. */
  HA = 'ha',
}

/** Replicas and resources of one platform workload, by Deployment or StatefulSet name. */
export interface WorkloadSizing {
  readonly replicas?: number;
  readonly cpuRequest?: string;
  readonly memoryRequest?: string;
  readonly cpuLimit?: string;
  readonly memoryLimit?: string;
}

/** Sizing options of the platform. */
export interface PlatformSizing {
  /** @default SizingProfile.DEFAULT */
  readonly profile?: SizingProfile;
  /** Per workload (`<namespace>/<name>` or `<name>`), applied last. @default {} */
  readonly workloads?: Record<string, WorkloadSizing>;
}

/**
 * Requests for containers upstream ships without any (they would run BestEffort, first to be
 * evicted): controllers get 100m/128Mi, webhooks and small helpers 50m/64Mi. Values measured as
 * sensible for an idle to moderately busy control plane; override per workload.
 */
const MISSING_REQUESTS: Record<string, { cpu: string; memory: string }> = {
  'tekton-pipelines/tekton-pipelines-controller': { cpu: '100m', memory: '128Mi' },
  'tekton-pipelines/tekton-events-controller': { cpu: '50m', memory: '64Mi' },
  'shipwright-build/shipwright-build-controller': { cpu: '100m', memory: '128Mi' },
  'shipwright-build/shipwright-build-webhook': { cpu: '50m', memory: '64Mi' },
  'dapr-system/dapr-operator': { cpu: '100m', memory: '128Mi' },
  'dapr-system/dapr-sentry': { cpu: '50m', memory: '64Mi' },
  'dapr-system/dapr-sidecar-injector': { cpu: '50m', memory: '64Mi' },
  'dapr-system/dapr-placement-server': { cpu: '50m', memory: '64Mi' },
  'dapr-system/dapr-scheduler-server': { cpu: '100m', memory: '128Mi' },
  'cert-manager/cert-manager': { cpu: '50m', memory: '96Mi' },
  'cert-manager/cert-manager-cainjector': { cpu: '50m', memory: '96Mi' },
  'cert-manager/cert-manager-webhook': { cpu: '20m', memory: '48Mi' },
};
const FALLBACK_REQUEST = { cpu: '50m', memory: '64Mi' };
const SMALL_CPU_MILLIS = 50;
const SMALL_MEMORY = 48 * 2 ** 20;

function mebibytes(bytes: number): string {
  return `${Math.ceil(bytes / 2 ** 20)}Mi`;
}

function workloadKey(o: KubeObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

/**
 * Applies a sizing profile and per-workload overrides to the platform's objects (in place); returns
 * the PodDisruptionBudgets the HA profile adds.
 */
export function applySizing(objects: KubeObject[], sizing: PlatformSizing = {}): KubeObject[] {
  const profile = sizing.profile ?? SizingProfile.DEFAULT;
  const added: KubeObject[] = [];
  const pdbTargets = new Set(objects.filter((o) => o.kind === 'PodDisruptionBudget').map((o) => JSON.stringify((o as any).spec?.selector?.matchLabels ?? {})));
  for (const o of objects) {
    const pod = podSpecOf(o);
    if (!pod || (o.kind !== 'Deployment' && o.kind !== 'StatefulSet')) continue;
    const key = workloadKey(o);
    const spec = (o as any).spec;
    for (const c of [...pod.initContainers ?? [], ...pod.containers ?? []]) {
      const resources = c.resources ??= {};
      resources.requests ??= {};
      const fill = MISSING_REQUESTS[key] ?? FALLBACK_REQUEST;
      resources.requests.cpu ??= fill.cpu;
      resources.requests.memory ??= fill.memory;
      resources.limits ??= {};
      resources.limits.memory ??= mebibytes(memoryBytes(resources.requests.memory) * 4);
      if (profile === SizingProfile.SMALL) {
        if (cpuMillis(resources.requests.cpu) > SMALL_CPU_MILLIS) resources.requests.cpu = `${SMALL_CPU_MILLIS}m`;
        if (memoryBytes(resources.requests.memory) > SMALL_MEMORY) resources.requests.memory = mebibytes(SMALL_MEMORY);
      }
    }
    if (profile === SizingProfile.SMALL) spec.replicas = 1;
    if (profile === SizingProfile.HA) {
      spec.replicas = Math.max(spec.replicas ?? 1, 2);
      const labels = spec.selector?.matchLabels ?? spec.template?.metadata?.labels ?? {};
      pod.affinity ??= {};
      pod.affinity.podAntiAffinity ??= {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: labels } } }],
      };
      if (!pdbTargets.has(JSON.stringify(labels)) && Object.keys(labels).length) {
        added.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: `${o.metadata!.name}-pdb`.slice(0, 63), namespace: o.metadata?.namespace }, spec: { minAvailable: 1, selector: { matchLabels: labels } } } as KubeObject);
      }
    }
    const override = sizing.workloads?.[key] ?? sizing.workloads?.[o.metadata?.name ?? ''];
    if (override) {
      if (override.replicas !== undefined) spec.replicas = override.replicas;
      for (const c of pod.containers ?? []) {
        if (override.cpuRequest) c.resources.requests.cpu = override.cpuRequest;
        if (override.memoryRequest) c.resources.requests.memory = override.memoryRequest;
        if (override.cpuLimit) c.resources.limits.cpu = override.cpuLimit;
        if (override.memoryLimit) c.resources.limits.memory = override.memoryLimit;
      }
    }
  }
  // The HPAs Knative and Tekton ship decide replicas of some workloads; keep them consistent.
  for (const o of objects) {
    if (o.kind !== 'HorizontalPodAutoscaler') continue;
    const spec = (o as any).spec;
    if (profile === SizingProfile.SMALL) spec.minReplicas = 1;
    if (profile === SizingProfile.HA) spec.minReplicas = Math.max(spec.minReplicas ?? 1, 2);
  }
  return added;
}
