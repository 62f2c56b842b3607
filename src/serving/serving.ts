import { Duration } from 'cdk8s';
import { PropProblem } from '../common/errors';
import { DaprTrigger } from '../dapr/usage';
import { isDnsLabel } from '../common/names';
import { deepMerge, envProblems, FunctionResources, PodSecurity } from './pod';

/** Options every serving engine shares: the function's pod. */
export interface ServingOptions {
  /**
   * Port the function listens on (OpenFunction's `triggers.http.port`).
   * @default 8080
   */
  readonly port?: number;
  /**
   * Environment variables of the function container (OpenFunction's `serving.params`).
   * @default {}
   */
  readonly env?: Record<string, string>;
  /**
   * CPU and memory of the function container.
   * @default - requests 100m CPU and 128Mi memory, limit 512Mi memory, no CPU limit
   */
  readonly resources?: FunctionResources;
  /**
   * ServiceAccount the function runs as.
   * @default - the namespace's default ServiceAccount
   */
  readonly serviceAccountName?: string;
  /** Labels on the pods (OpenFunction's `serving.labels`). @default {} */
  readonly podLabels?: Record<string, string>;
  /** Annotations on the pods (OpenFunction's `serving.annotations`); they win over the library's. @default {} */
  readonly podAnnotations?: Record<string, string>;
  /**
   * Fields merged into the function container (objects merge, arrays replace), e.g. probes.
   * @default {}
   */
  readonly container?: Record<string, unknown>;
  /**
   * Fields merged into the pod spec (objects merge, arrays replace), e.g. `nodeSelector`.
   * @default {}
   */
  readonly podSpec?: Record<string, unknown>;
  /**
   * Mount the root filesystem read-only (with a writable `/tmp`). Turn off for runtimes that write
   * elsewhere.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Whether the final pod must meet Pod Security Standards "restricted".
   * @default PodSecurity.RESTRICTED
   */
  readonly podSecurity?: PodSecurity;
}

/** Knative autoscaling metrics. */
export enum KnativeMetric {
  CONCURRENCY = 'concurrency',
  RPS = 'rps',
  /** Needs the HPA autoscaler class, which the library then selects. */
  CPU = 'cpu',
  /** Needs the HPA autoscaler class, which the library then selects. */
  MEMORY = 'memory',
}

/** A traffic target of a Knative Service. */
export interface TrafficTarget {
  /** Percent of requests (0 to 100). */
  readonly percent: number;
  /** Route a tag URL (`<tag>-<service>...`) to this target. @default - no tag */
  readonly tag?: string;
  /** A named revision; undefined for the latest or current one. */
  readonly revisionName?: string;
  /** Whether this is the latest ready revision. */
  readonly latestRevision?: boolean;
  /** Whether this is the revision this synth creates. @internal */
  readonly current?: boolean;
}

/** Options of a traffic target. */
export interface TrafficTargetOptions {
  /** @default - no tag */
  readonly tag?: string;
}

/** Traffic targets for canaries and blue/green between revisions. */
export class Traffic {
  /** The revision this synth creates (pinned by name, so an unrelated change does not move it). */
  public static current(percent: number, options: TrafficTargetOptions = {}): TrafficTarget {
    return { percent, tag: options.tag, current: true };
  }

  /** Whatever revision is the latest ready one. */
  public static latest(percent: number, options: TrafficTargetOptions = {}): TrafficTarget {
    return { percent, tag: options.tag, latestRevision: true };
  }

  /** An earlier revision by name (a function's `revisionName` from an earlier synth). */
  public static revision(revisionName: string, percent: number, options: TrafficTargetOptions = {}): TrafficTarget {
    return { percent, tag: options.tag, revisionName };
  }
}

/** Options of Knative serving (OpenFunction's default sync engine). */
export interface KnativeServingOptions extends ServingOptions {
  /**
   * Minimum replicas (`autoscaling.knative.dev/min-scale`).
   * @default 0 (scale to zero)
   */
  readonly minScale?: number;
  /**
   * Maximum replicas (`autoscaling.knative.dev/max-scale`).
   * @default - unbounded (Knative's default)
   */
  readonly maxScale?: number;
  /** Replicas a new revision starts with (`initial-scale`). @default - Knative's (1) */
  readonly initialScale?: number;
  /** Soft target per replica for the metric (`autoscaling.knative.dev/target`). @default - Knative's (100 for concurrency) */
  readonly target?: number;
  /** What the autoscaler scales on. @default KnativeMetric.CONCURRENCY */
  readonly metric?: KnativeMetric;
  /** Percent of the target at which to scale (`target-utilization-percentage`). @default - Knative's (70) */
  readonly targetUtilizationPercentage?: number;
  /** Hard limit of concurrent requests per replica (`containerConcurrency`). @default - unlimited (0) */
  readonly containerConcurrency?: number;
  /** Keep replicas this long after load drops (`scale-down-delay`). @default - none */
  readonly scaleDownDelay?: Duration;
  /** Autoscaling window (`window`). @default - Knative's (60s) */
  readonly window?: Duration;
  /** Request timeout (`timeoutSeconds`). @default - Knative's (300s) */
  readonly timeout?: Duration;
  /**
   * More Knative annotations on the revision (OpenFunction's `scaleOptions.knative`); they win.
   * @default {}
   */
  readonly annotations?: Record<string, string>;
  /**
   * Traffic split between revisions; percentages must add up to 100.
   * @default - all traffic to the latest ready revision
   */
  readonly traffic?: TrafficTarget[];
}

/** Options of serving on the KEDA HTTP add-on (OpenFunction's `engine: keda`). */
export interface KedaHttpServingOptions extends ServingOptions {
  /** Hosts the interceptor routes to this function. At least one host or path prefix is required. @default [] */
  readonly hosts?: string[];
  /** Path prefixes routed to this function. @default [] */
  readonly pathPrefixes?: string[];
  /** @default 0 */
  readonly minReplicas?: number;
  /** @default 10 */
  readonly maxReplicas?: number;
  /** Pending requests per replica before scaling out (OpenFunction's `targetPendingRequests`). @default 100 */
  readonly targetPendingRequests?: number;
  /** Wait this long without traffic before scaling down (OpenFunction's `cooldownPeriod`). @default Duration.seconds(300) */
  readonly scaledownPeriod?: Duration;
}

/** What runs an async function. */
export enum AsyncWorkload {
  /** A Deployment scaled by a KEDA ScaledObject (OpenFunction's default). */
  DEPLOYMENT = 'Deployment',
  /** Jobs started by a KEDA ScaledJob, one per batch of events. */
  JOB = 'Job',
}

/** One HPA scaling direction (KEDA `advanced.horizontalPodAutoscalerConfig.behavior`). */
export interface ScalingRules {
  /** 0 to 1 hour. @default - Kubernetes' */
  readonly stabilizationWindow?: Duration;
  /** @default 'Max' */
  readonly selectPolicy?: 'Max' | 'Min' | 'Disabled';
  /** @default - Kubernetes' */
  readonly policies?: { readonly type: 'Pods' | 'Percent'; readonly value: number; readonly period: Duration }[];
}

/** A KEDA trigger given as it is (OpenFunction's `scaleOptions.keda.triggers`). */
export interface KedaTrigger {
  readonly type: string;
  readonly metadata: Record<string, string>;
  /** @default - no name */
  readonly name?: string;
}

/** Options of async serving: Dapr-triggered functions scaled by KEDA. */
export interface AsyncServingOptions extends ServingOptions {
  /** Components that trigger the function. At least one. */
  readonly triggers: DaprTrigger[];
  /** @default AsyncWorkload.DEPLOYMENT */
  readonly workload?: AsyncWorkload;
  /** @default 0 (scale to zero when KEDA scales the function) */
  readonly minReplicas?: number;
  /** @default 10 */
  readonly maxReplicas?: number;
  /** How often KEDA checks the triggers. @default Duration.seconds(30) (KEDA's) */
  readonly pollingInterval?: Duration;
  /** Deployment only: wait this long after the last event before scaling to zero. @default Duration.seconds(300) (KEDA's) */
  readonly cooldownPeriod?: Duration;
  /** Deployment only: HPA behaviour. @default - Kubernetes' */
  readonly advanced?: { readonly scaleUp?: ScalingRules; readonly scaleDown?: ScalingRules };
  /** Deployment only: replicas to keep when the scaler fails this many times. @default - none */
  readonly fallback?: { readonly failureThreshold: number; readonly replicas: number };
  /** More KEDA triggers, as they are. @default [] */
  readonly kedaTriggers?: KedaTrigger[];
  /** Job only: restart policy of the job pods. @default 'OnFailure' */
  readonly restartPolicy?: 'OnFailure' | 'Never';
  /** Job only. @default - KEDA's (100) */
  readonly successfulJobsHistoryLimit?: number;
  /** Job only. @default - KEDA's (100) */
  readonly failedJobsHistoryLimit?: number;
  /** Job only: how KEDA counts jobs to start. @default - KEDA's ('default') */
  readonly scalingStrategy?: {
    readonly strategy: 'default' | 'custom' | 'accurate' | 'eager';
    readonly customScalingQueueLengthDeduction?: number;
    /** e.g. '50%'. */
    readonly customScalingRunningJobPercentage?: string;
  };
}

/** The serving engines. */
export enum ServingEngine {
  KNATIVE = 'knative',
  KEDA_HTTP = 'keda-http',
  ASYNC = 'async',
  NONE = 'none',
}

function count(prop: string, v: number | undefined, min: number, code = 'OFN_SCALE'): PropProblem[] {
  if (v === undefined || (Number.isInteger(v) && v >= min)) return [];
  return [{ code, prop, value: v, problem: `must be a whole number of at least ${min}`, fix: `give ${min} or more` }];
}

function commonProblems(o: ServingOptions): PropProblem[] {
  const problems: PropProblem[] = [];
  const port = o.port;
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    problems.push({ code: 'OFN_PORT', prop: 'port', value: port, problem: 'is not a port number from 1 to 65535', fix: 'give the port the function listens on, e.g. 8080' });
  }
  problems.push(...envProblems('env', o.env));
  if (o.serviceAccountName !== undefined && !isDnsLabel(o.serviceAccountName)) {
    problems.push({ code: 'OFN_NAME', prop: 'serviceAccountName', value: o.serviceAccountName, problem: 'is not a valid ServiceAccount name', fix: 'use lower-case letters, digits and "-"' });
  }
  return problems;
}

/**
 * How a function is served; pick one with the static methods. A prop of this type, not a free
 * string, so a typo is a compile error.
 */
export class Serving {
  /** Knative Serving: scale to zero, revisions, traffic split. The default for HTTP functions. */
  public static knative(options: KnativeServingOptions = {}): Serving {
    return new Serving(ServingEngine.KNATIVE, options);
  }

  /** A Deployment scaled by the KEDA HTTP add-on's HTTPScaledObject. */
  public static kedaHttp(options: KedaHttpServingOptions): Serving {
    return new Serving(ServingEngine.KEDA_HTTP, options);
  }

  /** An async function: Dapr triggers, a Deployment (or Jobs) scaled by KEDA. */
  public static async(options: AsyncServingOptions): Serving {
    return new Serving(ServingEngine.ASYNC, options);
  }

  /** No serving: build only. */
  public static none(): Serving {
    return new Serving(ServingEngine.NONE, {});
  }

  private constructor(public readonly engine: ServingEngine, public readonly options: ServingOptions) {}

  /** The Knative options (for {@link ServingEngine.KNATIVE}). */
  public get knative(): KnativeServingOptions {
    return this.options as KnativeServingOptions;
  }

  /** The KEDA HTTP options (for {@link ServingEngine.KEDA_HTTP}). */
  public get kedaHttp(): KedaHttpServingOptions {
    return this.options as KedaHttpServingOptions;
  }

  /** The async options (for {@link ServingEngine.ASYNC}). */
  public get async(): AsyncServingOptions {
    return this.options as AsyncServingOptions;
  }

  /**
   * This serving with defaults for the pod options it leaves out (a platform template's resources,
   * annotations, container fields); its own options win, objects merge.
   */
  public withDefaults(defaults: Pick<ServingOptions, 'resources' | 'podAnnotations' | 'container'>): Serving {
    if (this.engine === ServingEngine.NONE) return this;
    const o = this.options;
    return new Serving(this.engine, {
      ...o,
      resources: o.resources ?? defaults.resources,
      podAnnotations: defaults.podAnnotations || o.podAnnotations ? { ...defaults.podAnnotations, ...o.podAnnotations } : undefined,
      container: defaults.container || o.container ? deepMerge(defaults.container ?? {}, o.container) : undefined,
    });
  }

  /** The problems of the options, props relative to `serving`. */
  public validate(): PropProblem[] {
    if (this.engine === ServingEngine.NONE) return [];
    const problems = commonProblems(this.options);
    if (this.engine === ServingEngine.KNATIVE) problems.push(...knativeProblems(this.knative));
    if (this.engine === ServingEngine.KEDA_HTTP) problems.push(...kedaProblems(this.kedaHttp));
    if (this.engine === ServingEngine.ASYNC) problems.push(...asyncProblems(this.async));
    return problems;
  }
}

function minMax(minProp: string, min: number | undefined, maxProp: string, max: number | undefined): PropProblem[] {
  if (min === undefined || max === undefined || min <= max) return [];
  return [{ code: 'OFN_SCALE', prop: minProp, value: min, problem: `is greater than ${maxProp} (${max})`, fix: `lower ${minProp} or raise ${maxProp}` }];
}

function knativeProblems(o: KnativeServingOptions): PropProblem[] {
  const problems = [
    ...count('minScale', o.minScale, 0), ...count('maxScale', o.maxScale, 1), ...count('initialScale', o.initialScale, 0),
    ...count('containerConcurrency', o.containerConcurrency, 0),
    ...minMax('minScale', o.minScale, 'maxScale', o.maxScale),
  ];
  if (o.target !== undefined && !(o.target > 0)) {
    problems.push({ code: 'OFN_TARGET', prop: 'target', value: o.target, problem: 'must be greater than zero', fix: 'give the requests (or the metric value) one replica should handle, e.g. 50' });
  }
  if (o.targetUtilizationPercentage !== undefined && !(o.targetUtilizationPercentage > 0 && o.targetUtilizationPercentage <= 100)) {
    problems.push({ code: 'OFN_TARGET', prop: 'targetUtilizationPercentage', value: o.targetUtilizationPercentage, problem: 'must be above 0 and at most 100', fix: 'give a percentage, e.g. 70' });
  }
  for (const prop of ['timeout', 'window'] as const) {
    const d = o[prop];
    if (d !== undefined && !(d.toMilliseconds() > 0)) problems.push({ code: 'OFN_DURATION', prop, value: `${d.toSeconds()}s`, problem: 'must be longer than zero', fix: 'give a positive duration' });
  }
  if (o.scaleDownDelay !== undefined && !(o.scaleDownDelay.toMilliseconds() >= 0 && o.scaleDownDelay.toSeconds() <= 3600)) {
    problems.push({ code: 'OFN_DURATION', prop: 'scaleDownDelay', value: `${o.scaleDownDelay.toSeconds()}s`, problem: 'must be from 0 to 1 hour', fix: 'give a duration of at most Duration.hours(1)' });
  }
  for (const key of Object.keys(o.annotations ?? {})) {
    const legacy = LEGACY_KNATIVE_ANNOTATIONS[key];
    if (legacy) {
      problems.push({ code: 'OFN_KNATIVE_ANNOTATION', prop: `annotations.${key}`, value: key, problem: `is the old spelling of ${legacy.annotation}, which the library sets; Knative rejects a revision that carries both`, fix: `use the ${legacy.prop} option` });
    }
  }
  problems.push(...trafficProblems(o.traffic));
  return problems;
}

// Knative rejects a revision carrying two spellings of one key; these the library always writes (min-scale) or writes from options.
const LEGACY_KNATIVE_ANNOTATIONS: Record<string, { annotation: string; prop: string }> = {
  'autoscaling.knative.dev/minScale': { annotation: 'autoscaling.knative.dev/min-scale', prop: 'minScale' },
  'autoscaling.knative.dev/maxScale': { annotation: 'autoscaling.knative.dev/max-scale', prop: 'maxScale' },
  'autoscaling.knative.dev/initialScale': { annotation: 'autoscaling.knative.dev/initial-scale', prop: 'initialScale' },
  'autoscaling.knative.dev/scaleDownDelay': { annotation: 'autoscaling.knative.dev/scale-down-delay', prop: 'scaleDownDelay' },
  'autoscaling.knative.dev/targetUtilizationPercentage': { annotation: 'autoscaling.knative.dev/target-utilization-percentage', prop: 'targetUtilizationPercentage' },
};

function trafficProblems(traffic: TrafficTarget[] | undefined): PropProblem[] {
  if (!traffic) return [];
  const problems: PropProblem[] = [];
  if (traffic.length === 0) {
    problems.push({ code: 'OFN_TRAFFIC', prop: 'traffic', value: traffic, problem: 'is empty', fix: 'leave traffic out for all traffic to the latest revision, or list targets adding up to 100' });
    return problems;
  }
  const tags = new Set<string>();
  for (const [i, t] of traffic.entries()) {
    if (!(Number.isInteger(t.percent) && t.percent >= 0 && t.percent <= 100)) {
      problems.push({ code: 'OFN_TRAFFIC', prop: `traffic[${i}].percent`, value: t.percent, problem: 'must be a whole number from 0 to 100', fix: 'give a whole percentage' });
    }
    if (t.revisionName !== undefined && !isDnsLabel(t.revisionName)) {
      problems.push({ code: 'OFN_TRAFFIC', prop: `traffic[${i}].revisionName`, value: t.revisionName, problem: 'is not a revision name', fix: "use a revision's name, e.g. an earlier synth's function.revisionName" });
    }
    if (t.tag !== undefined) {
      if (!isDnsLabel(t.tag)) problems.push({ code: 'OFN_TRAFFIC', prop: `traffic[${i}].tag`, value: t.tag, problem: 'is not a DNS-1123 label', fix: 'use lower-case letters, digits and "-"' });
      if (tags.has(t.tag)) problems.push({ code: 'OFN_TRAFFIC', prop: `traffic[${i}].tag`, value: t.tag, problem: 'is used by another target', fix: 'give each target its own tag' });
      tags.add(t.tag);
    }
  }
  const sum = traffic.reduce((s, t) => s + (Number.isFinite(t.percent) ? t.percent : 0), 0);
  if (sum !== 100) {
    problems.push({ code: 'OFN_TRAFFIC', prop: 'traffic', value: traffic.map((t) => t.percent), problem: `percentages add up to ${sum}, not 100`, fix: 'make the percentages add up to exactly 100' });
  }
  return problems;
}

function kedaProblems(o: KedaHttpServingOptions): PropProblem[] {
  const problems = [
    ...count('minReplicas', o.minReplicas, 0), ...count('maxReplicas', o.maxReplicas, 1),
    ...count('targetPendingRequests', o.targetPendingRequests, 1, 'OFN_TARGET'),
    ...minMax('minReplicas', o.minReplicas, 'maxReplicas', o.maxReplicas ?? 10),
  ];
  if (!(o.hosts?.length) && !(o.pathPrefixes?.length)) {
    problems.push({ code: 'OFN_KEDA_ROUTE', prop: 'hosts', value: o.hosts, problem: 'and pathPrefixes are both empty, so the KEDA HTTP interceptor routes nothing to the function', fix: "give hosts (e.g. ['hello.fn.example.com']) or pathPrefixes (e.g. ['/hello'])" });
  }
  for (const [i, h] of (o.hosts ?? []).entries()) {
    if (!/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(h)) {
      problems.push({ code: 'OFN_KEDA_ROUTE', prop: `hosts[${i}]`, value: h, problem: 'is not a host name', fix: 'give a lower-case DNS name, e.g. hello.fn.example.com' });
    }
  }
  for (const [i, p] of (o.pathPrefixes ?? []).entries()) {
    if (!p.startsWith('/') || /\s/.test(p)) problems.push({ code: 'OFN_KEDA_ROUTE', prop: `pathPrefixes[${i}]`, value: p, problem: "is not an absolute path starting with '/'", fix: 'give a path like /hello' });
  }
  if (o.scaledownPeriod !== undefined && !(o.scaledownPeriod.toMilliseconds() >= 0)) {
    problems.push({ code: 'OFN_DURATION', prop: 'scaledownPeriod', value: `${o.scaledownPeriod.toSeconds()}s`, problem: 'must not be negative', fix: 'give a duration, e.g. Duration.minutes(5)' });
  }
  return problems;
}

const DEPLOYMENT_ONLY = ['cooldownPeriod', 'advanced', 'fallback'] as const;
const JOB_ONLY = ['restartPolicy', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'scalingStrategy'] as const;

function scalingRulesProblems(prop: string, r: ScalingRules | undefined): PropProblem[] {
  const problems: PropProblem[] = [];
  if (!r) return problems;
  const w = r.stabilizationWindow?.toSeconds();
  if (w !== undefined && !(w >= 0 && w <= 3600)) problems.push({ code: 'OFN_KEDA_ADVANCED', prop: `${prop}.stabilizationWindow`, value: `${w}s`, problem: 'must be from 0 to 1 hour', fix: 'give at most Duration.hours(1)' });
  for (const [i, p] of (r.policies ?? []).entries()) {
    if (!(Number.isInteger(p.value) && p.value > 0)) problems.push({ code: 'OFN_KEDA_ADVANCED', prop: `${prop}.policies[${i}].value`, value: p.value, problem: 'must be a whole number above 0', fix: 'give how many pods (or percent) per period' });
    if (!(p.period.toSeconds() > 0 && p.period.toSeconds() <= 1800)) problems.push({ code: 'OFN_KEDA_ADVANCED', prop: `${prop}.policies[${i}].period`, value: `${p.period.toSeconds()}s`, problem: 'must be above 0 and at most 30 minutes', fix: 'give e.g. Duration.seconds(60)' });
  }
  return problems;
}

function asyncProblems(o: AsyncServingOptions): PropProblem[] {
  const problems = [
    ...count('minReplicas', o.minReplicas, 0), ...count('maxReplicas', o.maxReplicas, 1),
    ...minMax('minReplicas', o.minReplicas, 'maxReplicas', o.maxReplicas ?? 10),
    ...count('successfulJobsHistoryLimit', o.successfulJobsHistoryLimit, 0, 'OFN_HISTORY_LIMIT'),
    ...count('failedJobsHistoryLimit', o.failedJobsHistoryLimit, 0, 'OFN_HISTORY_LIMIT'),
  ];
  if (!o.triggers?.length) {
    problems.push({ code: 'OFN_ASYNC_TRIGGERS', prop: 'triggers', value: o.triggers, problem: 'is empty: an async function runs when a Dapr component triggers it', fix: 'give at least one trigger, e.g. [{ component: ordersBinding }]' });
  }
  const job = o.workload === AsyncWorkload.JOB;
  for (const prop of job ? DEPLOYMENT_ONLY : JOB_ONLY) {
    if (o[prop] !== undefined) {
      problems.push({ code: 'OFN_ASYNC_WORKLOAD', prop, value: o[prop], problem: `applies only to ${job ? 'Deployment' : 'Job'} workloads, but the workload is ${job ? 'Job (ScaledJob)' : 'Deployment (ScaledObject)'}`, fix: job ? `drop ${prop}` : `drop ${prop} or set workload: AsyncWorkload.JOB` });
    }
  }
  if ((o.restartPolicy as string) === 'Always') {
    problems.push({ code: 'OFN_ASYNC_WORKLOAD', prop: 'restartPolicy', value: o.restartPolicy, problem: 'is not allowed for Jobs', fix: "use 'OnFailure' or 'Never'" });
  }
  for (const prop of ['pollingInterval', 'cooldownPeriod'] as const) {
    const d = o[prop];
    if (d !== undefined && !(d.toSeconds() >= 0 && Number.isInteger(d.toSeconds()))) problems.push({ code: 'OFN_DURATION', prop, value: `${d.toSeconds()}s`, problem: 'must be a whole number of seconds, not negative', fix: 'give e.g. Duration.seconds(30)' });
  }
  problems.push(...scalingRulesProblems('advanced.scaleUp', o.advanced?.scaleUp), ...scalingRulesProblems('advanced.scaleDown', o.advanced?.scaleDown));
  if (o.fallback) {
    problems.push(...count('fallback.failureThreshold', o.fallback.failureThreshold, 1, 'OFN_KEDA_FALLBACK'), ...count('fallback.replicas', o.fallback.replicas, 0, 'OFN_KEDA_FALLBACK'));
  }
  const ss = o.scalingStrategy;
  if (ss?.strategy === 'custom') {
    if (!(Number.isInteger(ss.customScalingQueueLengthDeduction) && ss.customScalingQueueLengthDeduction! >= 0)) {
      problems.push({ code: 'OFN_KEDA_STRATEGY', prop: 'scalingStrategy.customScalingQueueLengthDeduction', value: ss.customScalingQueueLengthDeduction, problem: 'is required for the custom strategy and must be 0 or more', fix: 'give a whole number' });
    }
    if (!/^([0-9.]+)[ ]*%$/.test(ss.customScalingRunningJobPercentage ?? '')) {
      problems.push({ code: 'OFN_KEDA_STRATEGY', prop: 'scalingStrategy.customScalingRunningJobPercentage', value: ss.customScalingRunningJobPercentage, problem: 'is required for the custom strategy as a percentage', fix: "give e.g. '50%'" });
    }
  }
  for (const [i, t] of (o.triggers ?? []).entries()) {
    if (t.lagThreshold !== undefined && !(Number.isInteger(t.lagThreshold) && t.lagThreshold > 0)) {
      problems.push({ code: 'OFN_TARGET', prop: `triggers[${i}].lagThreshold`, value: t.lagThreshold, problem: 'must be a whole number above 0', fix: 'give the backlog one replica should handle, e.g. 20' });
    }
  }
  for (const [i, t] of (o.kedaTriggers ?? []).entries()) {
    if (!t.type) problems.push({ code: 'OFN_KEDA_TRIGGER', prop: `kedaTriggers[${i}].type`, value: t.type, problem: 'is empty', fix: 'give the KEDA scaler type, e.g. kafka, cron, prometheus' });
  }
  return problems;
}
