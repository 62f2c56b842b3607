import { Duration } from 'cdk8s';
import { PropProblem } from '../common/errors';
import { DaprTrigger } from '../dapr/usage';
import { asyncProblems, commonProblems, kedaProblems, knativeProblems } from './checks';
import { deepMerge, FunctionResources, PodSecurity } from './pod';

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

