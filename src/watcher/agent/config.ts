/**
 * The watcher's configuration file (a ConfigMap key), written by the `RevisionWatcher` construct
 * and read by the agent. Plain JSON; no cdk8s types, so the agent bundles without them.
 */
export interface WatcherConfig {
  /** Seconds between polls of one function. */
  readonly intervalSeconds: number;
  /** Fraction (0-1) of the interval added or taken at random, so polls spread out. */
  readonly jitter: number;
  /** Longest wait after repeated errors, in seconds. */
  readonly maxBackoffSeconds: number;
  /** Deadline of one request to a git server, registry or the API server, in seconds. */
  readonly requestTimeoutSeconds: number;
  /** Registries (host[:port]) reached over plain HTTP. */
  readonly insecureRegistries: string[];
  /** Port of `/healthz`, `/readyz` and `/metrics`. */
  readonly port: number;
  /** API server URL; empty: the in-cluster service. */
  readonly apiServer?: string;
  /** Name of the agent's pod (for Events' reporting instance). */
  readonly reportingInstance?: string;
  readonly functions: WatchedFunctionConfig[];
}

/** What to do when a watched function changes. */
export type WatchModeName = 'source' | 'image';

/** One watched function. */
export interface WatchedFunctionConfig {
  readonly name: string;
  readonly namespace: string;
  /** `source`: rebuild when the source or a builder/base image changes; `image`: redeploy when the image tag moves. */
  readonly mode: WatchModeName;
  /** Seconds between polls, when not the watcher's interval. */
  readonly intervalSeconds?: number;
  /** The Shipwright Build the BuildRuns run (source mode). */
  readonly build?: { readonly name: string; readonly serviceAccount: string; readonly outputImage: string };
  /** The git source (source mode). */
  readonly git?: { readonly url: string; readonly revision?: string; readonly credentials?: string };
  /** The bundle image holding the source (source mode). */
  readonly bundle?: { readonly image: string; readonly credentials?: string };
  /** Builder and base images whose new digests also start a build (source mode). */
  readonly images?: { readonly image: string; readonly credentials?: string }[];
  /** The served image whose tag is followed (image mode). */
  readonly image?: { readonly image: string; readonly credentials?: string };
  /** The workload to point at the new image, if the function is served. */
  readonly serving?: ServingTarget;
}

/** A workload whose `function` container the agent updates. */
export interface ServingTarget {
  readonly kind: 'Service' | 'Deployment' | 'ScaledJob';
  readonly name: string;
  readonly container: string;
  /** HTTPRoute whose backends name Knative revisions (Knative Services with a route). */
  readonly route?: string;
}

/** Annotation keys under which the agent keeps its state on the objects it manages. */
export const STATE = {
  /** Source revision the agent last acted on (baseline or build), on the Build. */
  revision: 'watcher.openfunction.io/revision',
  /** The resolved sources of that revision (JSON), on the Build. */
  sources: 'watcher.openfunction.io/sources',
  /** BuildRun of that revision, on the Build; and the BuildRun whose image is served, on the workload. */
  buildRun: 'watcher.openfunction.io/buildrun',
  /** Baseline | Building | Succeeded | Failed, on the Build. */
  phase: 'watcher.openfunction.io/phase',
  /** Last error, on the Build or the workload. */
  lastError: 'watcher.openfunction.io/last-error',
  /** The image by digest the agent rolled out, on the workload. */
  image: 'watcher.openfunction.io/image',
  /** Revision the HTTPRoute still sends to until the new one is ready, on the Knative Service. */
  routeFrom: 'watcher.openfunction.io/route-from',
  /** The revision the workload serves, on the workload. */
  servedRevision: 'watcher.openfunction.io/revision',
} as const;
