import { KubeObject } from '../validation/validator';
import { podSpecOf } from './images';

/** Declared CPU (millicores) and memory (bytes) of a set of workloads. */
export interface Footprint {
  readonly cpuRequestMillis: number;
  readonly memoryRequestBytes: number;
  readonly cpuLimitMillis: number;
  readonly memoryLimitBytes: number;
  /** Pods the workloads run (replicas; a DaemonSet counts once). */
  readonly pods: number;
  /** Containers and init containers without a CPU or memory request (BestEffort risk). */
  readonly containersWithoutRequests: number;
}

const MEMORY_SUFFIX: Record<string, number> = {
  '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4,
};

/** Millicores of a CPU quantity (`250m`, `1`, `0.5`). */
export function cpuMillis(q: string | number | undefined): number {
  if (q === undefined) return 0;
  const s = String(q);
  if (s.endsWith('m')) return Number(s.slice(0, -1));
  return Math.round(Number(s) * 1000);
}

/** Bytes of a memory quantity (`128Mi`, `1G`, `1e9`). */
export function memoryBytes(q: string | number | undefined): number {
  if (q === undefined) return 0;
  const m = /^([0-9.eE+-]+)([kMGT]i?)?$/.exec(String(q));
  if (!m) return 0;
  return Math.round(Number(m[1]) * MEMORY_SUFFIX[m[2] ?? '']);
}

/**
 * The requests and limits `objects` declare: every container and init container of every workload,
 * times its replicas (a DaemonSet counts once, per node).
 */
export function footprintOf(objects: readonly KubeObject[]): Footprint {
  let cpuRequestMillis = 0, memoryRequestBytes = 0, cpuLimitMillis = 0, memoryLimitBytes = 0, pods = 0, containersWithoutRequests = 0;
  for (const o of objects) {
    const pod = podSpecOf(o);
    if (!pod) continue;
    const replicas = typeof (o as any).spec?.replicas === 'number' ? (o as any).spec.replicas : 1;
    pods += replicas;
    for (const c of [...pod.initContainers ?? [], ...pod.containers ?? []]) {
      if (c.resources?.requests?.cpu === undefined || c.resources?.requests?.memory === undefined) containersWithoutRequests++;
    }
    // Init containers run before the app containers, so a pod reserves the larger of the two.
    const sum = (list: any[] | undefined, pick: (r: any) => number) => (list ?? []).reduce((n, c) => n + pick(c.resources ?? {}), 0);
    const max = (list: any[] | undefined, pick: (r: any) => number) => (list ?? []).reduce((n, c) => Math.max(n, pick(c.resources ?? {})), 0);
    const pick = (f: (r: any) => number) => Math.max(sum(pod.containers, f), max(pod.initContainers, f)) * replicas;
    cpuRequestMillis += pick((r) => cpuMillis(r.requests?.cpu));
    memoryRequestBytes += pick((r) => memoryBytes(r.requests?.memory));
    cpuLimitMillis += pick((r) => cpuMillis(r.limits?.cpu));
    memoryLimitBytes += pick((r) => memoryBytes(r.limits?.memory));
  }
  return { cpuRequestMillis, memoryRequestBytes, cpuLimitMillis, memoryLimitBytes, pods, containersWithoutRequests };
}
