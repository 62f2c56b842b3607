import { FunctionBuildOptions } from '../build/function-build';
import { SecretRef } from '../common/refs';
import { IDaprComponent } from '../dapr/component';
import { DaprInput, DaprOutput, DaprSidecarOptions } from '../dapr/usage';
import { FunctionRoute } from '../routing/gateway';
import { HooksOptions } from '../serving/hooks';
import { Serving } from '../serving/serving';
import { TracingOptions } from '../serving/tracing';
import type { FunctionWatchOptions } from '../watcher/watcher';
import { FunctionSource } from './source';

/** What runs the function's image. */
export enum WorkloadRuntime {
  /** An ordinary container (OpenFunction's `OCIContainer`). */
  OCI_CONTAINER = 'OCIContainer',
  /**
   * A Wasm module run by crun with WasmEdge: built with the `wasmedge` strategy from a Dockerfile,
   * served with the `module.wasm.image/variant: compat-smart` annotation and a RuntimeClass whose
   * handler is that crun.
   */
  WASMEDGE = 'wasmedge',
}

/** Props of {@link Function}. */
export interface FunctionProps extends FunctionBuildOptions {
  /**
   * Name of the function; names its objects (Build, BuildRun, Service...). A DNS-1123 label of at
   * most 52 characters.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the function's objects.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The function's image: what the build pushes and what serving runs. Leave it out only for
   * `source: FunctionSource.fromImage(...)`.
   * @default - the prebuilt source image; required otherwise
   */
  readonly image?: string;
  /**
   * Where the code comes from.
   * @default - no build: `image` is served as it is
   */
  readonly source?: FunctionSource;
  /**
   * Secret with registry credentials for `image` (`kubernetes.io/dockerconfigjson`): the build
   * pushes with it and the function's pods pull with it (OpenFunction's `imageCredentials`).
   * @default - none
   */
  readonly imageCredentials?: SecretRef;
  /**
   * Extra labels on every object of the function.
   * @default {}
   */
  readonly labels?: Record<string, string>;
  /**
   * The function's language (`go`, `nodejs`, `java`, `python`, `dotnet`): picks the builder when
   * `builder` is not given, from the scope's `FunctionDefaults.builders` or OpenFunction's.
   * @default - the builder decides (Builder.GO when none is given)
   */
  readonly language?: string;
  /**
   * How the function is served.
   * @default Serving.knative()
   */
  readonly serving?: Serving;
  /**
   * The function's version (OpenFunction's `version`): label `app.kubernetes.io/version`, part of
   * the revision name, and `version` in `FUNC_CONTEXT`.
   * @default 'latest'
   */
  readonly version?: string;
  /**
   * Tracing, over the app-wide default (`FunctionDefaults`); `{ enabled: false }` switches it off.
   * @default - the app-wide default, or none
   */
  readonly tracing?: TracingOptions;
  /**
   * functions-framework hooks (plugins), combined with the app-wide ones by their policy.
   * @default - the app-wide hooks, or none
   */
  readonly hooks?: HooksOptions;
  /**
   * What runs the image.
   * @default WorkloadRuntime.OCI_CONTAINER
   */
  readonly workloadRuntime?: WorkloadRuntime;
  /**
   * The function's HTTP route on a gateway: `gateway.route({ hostnames, paths })`. Sync functions
   * only.
   * @default - no route: the function is reached inside the cluster only
   */
  readonly route?: FunctionRoute;
  /**
   * Dapr components the function writes to (OpenFunction's `outputs`); they add a Dapr sidecar.
   * @default []
   */
  readonly outputs?: DaprOutput[];
  /**
   * Dapr components the function reads without being triggered (v1beta2 `triggers.inputs`).
   * @default []
   */
  readonly inputs?: DaprInput[];
  /**
   * Dapr state stores the function uses (OpenFunction's `states`).
   * @default []
   */
  readonly states?: IDaprComponent[];
  /**
   * The Dapr sidecar, for functions that use Dapr (triggers, inputs, outputs or states); functions
   * that do not get no sidecar.
   * @default - gRPC app protocol, Dapr's log level and resources
   */
  readonly dapr?: DaprSidecarOptions;
  /**
   * RuntimeClass of WasmEdge functions (its handler must be crun with WasmEdge; the platform
   * defines it).
   * @default 'openfunction-crun'
   */
  readonly wasmRuntimeClassName?: string;
  /**
   * Continuous rebuild and redeploy in the cluster: registers the function with a
   * `RevisionWatcher`, which rebuilds it when its git branch, bundle tag or builder image moves,
   * and redeploys a prebuilt image by digest when its tag moves. `true` uses the app's
   * RevisionWatcher (create it before the function).
   * @default - not watched
   */
  readonly watch?: boolean | FunctionWatchOptions;
}
