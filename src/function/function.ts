import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { FunctionBuild } from '../build/function-build';
import { StandardStrategy, StandardStrategyRef } from '../build/standard-strategies';
import { daprAnnotations, resolveDapr } from '../dapr/resolve';
import { DaprSidecarOptions } from '../dapr/usage';
import { FunctionRoute } from '../routing/gateway';
import { FunctionHttpRoute, routeHostsAndPaths, routeProblems } from '../routing/route';
import { AsyncServing } from '../serving/async';
import { funcContextV1beta1, funcContextV1beta2 } from '../serving/func-context';
import { functionPod } from '../serving/function-pod';
import { effectiveHooks } from '../serving/hooks';
import { KedaHttpServing } from '../serving/keda-http';
import { KnativeServing } from '../serving/knative';
import { Serving, ServingEngine } from '../serving/serving';
import { effectiveTracing, tracingProblems } from '../serving/tracing';
import { PropChecks, stoppedOnProblems } from '../common/errors';
import { SecretRef } from '../common/refs';
import { registeredBy } from '../common/registration';
import { parseImageReference } from '../common/image';
import { isDnsLabel } from '../common/names';
import { SchemaValidation } from '../validation/validator';
import { RevisionWatcher } from '../watcher/watcher';
import { Builder } from './builder';
import { FunctionDefaults, FunctionDefaultsProps } from './defaults';
import { FunctionFacts } from './policy';
import { FunctionProps, WorkloadRuntime } from './props';
import { LocalBundle, SourceType } from './source';

const BUILD_ONLY_PROPS = [
  'builder', 'language', 'buildEnv', 'strategy', 'strategyParams', 'dockerfile', 'cacheImage', 'buildTimeout',
  'successfulBuildsHistoryLimit', 'failedBuildsHistoryLimit', 'buildRunMaxAge', 'buildNodeSelector', 'buildTolerations',
] as const;

/**
 * An OpenFunction function: built from source with Shipwright (when it has a source) and served
 * by the serving its props choose. Everything is decided at synth; no OpenFunction operator runs.
 */
export class Function extends Construct {
  /** The function's name. */
  public readonly functionName: string;
  /** The namespace of its objects (undefined: the namespace `kubectl` applies to). */
  public readonly namespace?: string;
  /** The image serving runs: the build output, or the prebuilt image. */
  public readonly image: string;
  /** The build, when the function has a source to build. */
  public readonly build?: FunctionBuild;
  /** Name of the Shipwright Build, when built. */
  public readonly buildName?: string;
  /** Name of the BuildRun of the current build inputs, when built. */
  public readonly buildRunName?: string;
  /** Bundle images to push before applying (local-directory sources). */
  public readonly bundles: LocalBundle[];
  /** The labels every object of the function carries. */
  public readonly labels: Record<string, string>;
  /** The serving engine. */
  public readonly servingEngine: ServingEngine;
  /** The Knative serving, for Knative functions. */
  public readonly knative?: KnativeServing;
  /** The KEDA HTTP serving, for KEDA HTTP functions. */
  public readonly kedaHttp?: KedaHttpServing;
  /** The async serving, for async functions. */
  public readonly async?: AsyncServing;
  /** The Dapr app id, when the function uses Dapr. */
  public readonly daprAppId?: string;
  /** The function's HTTPRoute, when it has a route. */
  public readonly httpRoute?: FunctionHttpRoute;
  /** The function's external URL (its first external host and path), when it has a route. */
  public readonly url?: string;
  /** The function's in-cluster URL, for sync functions. */
  public readonly internalUrl?: string;
  /** Every address of the function, as OpenFunction lists them in its status. */
  public readonly addresses: { readonly type: 'Internal' | 'External'; readonly value: string }[] = [];
  /** The Knative revision this synth creates, for Knative functions. */
  public readonly revisionName?: string;
  /** `FUNC_CONTEXT` and `FUNC_CONTEXT_V1BETA2` of the function, when served. */
  public readonly funcContext?: { readonly v1beta1: string; readonly v1beta2: string };

  /** Secret with registry credentials for the function's image, if any. */
  public readonly imageCredentials?: SecretRef;
  /** The RevisionWatcher that watches it, if `watch` is set. */
  public readonly watcher?: RevisionWatcher;

  /** The props this function took from `FunctionDefaults` of its scopes, by name. */
  public readonly appliedDefaults: string[] = [];

  constructor(scope: Construct, id: string, ownProps: FunctionProps = {}) {
    super(scope, id);
    const chart = Chart.of(this);
    const defaults = FunctionDefaults.of(this);
    const props = withDefaults(ownProps, defaults, ownProps.name ?? id, this.appliedDefaults);
    this.functionName = props.name ?? id;
    this.namespace = props.namespace ?? chart.namespace;
    const checks = new PropChecks(this);

    if (!isDnsLabel(this.functionName) || this.functionName.length > 52) {
      checks.add('OFN_NAME', props.name === undefined ? 'name (from the construct id)' : 'name', this.functionName,
        'is not a DNS-1123 label of at most 52 characters', 'pass name: lower-case letters, digits and "-", starting and ending with a letter or digit');
    }
    if (ownProps.language !== undefined && ownProps.builder === undefined && !defaults?.builders?.[ownProps.language.toLowerCase()]) {
      try {
        Builder.forLanguage(ownProps.language);
      } catch {
        checks.add('OFN_BUILDER_LANGUAGE', 'language', ownProps.language, 'is not a language OpenFunction has a builder for', `use one of ${Builder.languages.join(', ')}, or give builder: Builder.fromImage('...')`);
      }
    }
    if (this.namespace !== undefined && !isDnsLabel(this.namespace)) {
      checks.add('OFN_NAMESPACE', 'namespace', this.namespace, 'is not a DNS-1123 label', 'use lower-case letters, digits and "-"');
    }
    const prebuilt = props.source === undefined || props.source.type === SourceType.IMAGE;
    if (props.source?.type === SourceType.IMAGE) {
      checks.addAll(props.source.validate(), 'source');
      if (props.image !== undefined) {
        checks.add('OFN_IMAGE_TWICE', 'image', props.image, 'is given as well as a prebuilt source image', 'give the image once: either image or source: FunctionSource.fromImage(...)');
      }
    } else if (props.image === undefined) {
      checks.add('OFN_IMAGE_MISSING', 'image', undefined, props.source ? 'is required: it is the image the build pushes' : 'is required: a function needs an image to serve or a source to build',
        'give image (e.g. registry.example.com/demo/hello:v1), or source: FunctionSource.fromImage(...) for a prebuilt image');
    } else if (prebuilt && !parseImageReference(props.image)) {
      checks.add('OFN_IMAGE_REF', 'image', props.image, 'is not a valid image reference', 'use registry/repository[:tag][@sha256:digest]');
    }
    if (prebuilt) {
      for (const prop of BUILD_ONLY_PROPS) {
        if (props[prop] !== undefined) {
          checks.add('OFN_PREBUILT_WITH_BUILD', prop, props[prop], 'configures a build, but the function has no source to build (a prebuilt image)',
            `remove ${prop}, or give a source: FunctionSource.fromGit(...), fromBundle(...) or fromLocalDirectory(...)`);
        }
      }
    }
    let serving = props.serving ?? Serving.knative();
    if (defaults) serving = serving.withDefaults(defaults);
    if (props.route === undefined && defaults?.gateway && (serving.engine === ServingEngine.KNATIVE || serving.engine === ServingEngine.KEDA_HTTP)) {
      (props as { route?: FunctionRoute }).route = defaults.gateway.route(defaults.routeOptions);
      this.appliedDefaults.push('route');
    }
    if (props.route) {
      checks.addAll(routeProblems(props.route), 'route');
      if (serving.engine !== ServingEngine.KNATIVE && serving.engine !== ServingEngine.KEDA_HTTP) {
        checks.add('OFN_ROUTE_ENGINE', 'route', `${props.route.gateway.node.path}`, `is for HTTP functions, but the function is served by ${serving.engine}`, 'drop route, or serve the function with Serving.knative() or Serving.kedaHttp()');
      }
      const o = serving.kedaHttp;
      if (serving.engine === ServingEngine.KEDA_HTTP && !o.hosts?.length && !o.pathPrefixes?.length && !checks.failed) {
        // As in OpenFunction, the HTTPScaledObject takes the route's hosts and paths.
        const { hostnames, paths } = routeHostsAndPaths(props.route.gateway, this.functionName, this.namespace ?? 'default', props.route.options);
        serving = Serving.kedaHttp({ ...o, hosts: hostnames, pathPrefixes: paths });
      }
    }
    this.servingEngine = serving.engine;
    checks.addAll(serving.validate(), 'serving');
    checks.addAll(tracingProblems(props.tracing), 'tracing');
    const version = props.version ?? 'latest';
    if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(version)) {
      checks.add('OFN_VERSION', 'version', version, 'is not a valid label value', 'use letters, digits, "-", "_" and ".", at most 63 characters, e.g. v2.0.0');
    }
    const wasm = props.workloadRuntime === WorkloadRuntime.WASMEDGE;
    if (props.workloadRuntime !== undefined && !Object.values(WorkloadRuntime).includes(props.workloadRuntime)) {
      checks.add('OFN_WORKLOAD_RUNTIME', 'workloadRuntime', props.workloadRuntime, 'is not a workload runtime', 'use WorkloadRuntime.OCI_CONTAINER or WorkloadRuntime.WASMEDGE');
    }
    if (wasm && !prebuilt) {
      if (props.builder) checks.add('OFN_WASM_BUILD', 'builder', props.builder.image, 'is a buildpacks builder, but WasmEdge functions are built from a Dockerfile', 'drop builder and give dockerfile');
      if (props.dockerfile === undefined) checks.add('OFN_WASM_BUILD', 'dockerfile', undefined, 'is required: WasmEdge functions are built from a Dockerfile with the wasmedge strategy', 'give the Dockerfile that builds the Wasm image, e.g. "Dockerfile"');
    }
    if (props.wasmRuntimeClassName !== undefined && (!wasm || !isDnsLabel(props.wasmRuntimeClassName))) {
      checks.add('OFN_WASM_RUNTIME_CLASS', 'wasmRuntimeClassName', props.wasmRuntimeClassName, wasm ? 'is not a valid RuntimeClass name' : 'is set, but workloadRuntime is not WorkloadRuntime.WASMEDGE', wasm ? 'use lower-case letters, digits and "-"' : 'set workloadRuntime: WorkloadRuntime.WASMEDGE or drop it');
    }
    const dapr = resolveDapr(this, this.functionName, this.namespace, {
      triggers: serving.engine === ServingEngine.ASYNC ? serving.async.triggers : undefined,
      inputs: props.inputs, outputs: props.outputs, states: props.states,
    });
    checks.addAll(dapr.problems);
    for (const c of dapr.used ? dapr.components : []) {
      const by = registeredBy(c);
      if (by && !c.scopes.includes(dapr.appId)) {
        checks.add('OFN_REGISTERED', 'serving', c.node.path, `uses a Dapr component whose objects are already registered (by ${by}), so its scopes can no longer include this function`, 'create the component and the functions that use it in one Cdk8sChart (Pulumi)');
      }
    }
    if (dapr.used && props.dapr === undefined && defaults?.dapr) {
      (props as { dapr?: DaprSidecarOptions }).dapr = defaults.dapr;
      this.appliedDefaults.push('dapr');
    }
    if (defaults?.policies?.length && !checks.failed) {
      const facts: FunctionFacts = {
        name: this.functionName,
        namespace: this.namespace,
        image: props.image ?? (props.source ? props.source.bind().prebuiltImage ?? '' : ''),
        servingEngine: serving.engine,
        resources: serving.options.resources,
        usesDapr: dapr.used,
        labels: { ...props.labels },
      };
      for (const policy of defaults.policies) checks.addAll(policy.check(facts));
    }
    if (props.dapr && !dapr.used) {
      checks.add('OFN_DAPR_UNUSED', 'dapr', props.dapr, 'configures a Dapr sidecar, but the function uses no Dapr trigger, input, output or state', 'drop dapr, or give the components the function uses');
    }
    if (serving.engine === ServingEngine.NONE && dapr.used) {
      checks.add('OFN_DAPR_UNUSED', 'outputs', undefined, 'are given, but the function is not served (Serving.none())', 'drop inputs, outputs and states, or serve the function');
    }
    const watchOptions = props.watch === true ? {} : props.watch || undefined;
    const watcher = watchOptions ? watchOptions.watcher ?? RevisionWatcher.of(this) : undefined;
    if (watchOptions && !watcher) {
      checks.add('OFN_WATCH_NO_WATCHER', 'watch', props.watch, 'asks for a RevisionWatcher, but the app has none (or it is created after this function)', "create one first, e.g. new RevisionWatcher(platformChart, 'watcher'), or pass watch: { watcher }");
    }
    if (checks.stop()) {
      // Synth reports the problems with every other construct's; nothing is created.
      this.labels = {};
      this.image = props.image ?? '';
      this.bundles = [];
      return;
    }

    this.labels = { 'openfunction.io/function': this.functionName, ...props.labels };
    this.imageCredentials = props.imageCredentials;
    if (!prebuilt) {
      this.build = new FunctionBuild(this, 'Build', {
        ...props,
        name: this.functionName,
        namespace: this.namespace,
        source: props.source!,
        image: props.image!,
        labels: this.labels,
        strategy: props.strategy ?? (wasm ? new StandardStrategyRef(StandardStrategy.WASMEDGE) : undefined),
        builder: props.builder ?? (props.language && props.dockerfile === undefined && !wasm ? Builder.forLanguage(props.language) : undefined),
      });
      if (stoppedOnProblems(this.build)) {
        this.image = props.image ?? '';
        this.bundles = [];
        return;
      }
      this.image = this.build.image;
      this.buildName = this.build.buildName;
      this.buildRunName = this.build.buildRunName;
      this.bundles = this.build.bundles;
    } else {
      this.image = props.source ? props.source.bind().prebuiltImage! : props.image!;
      this.bundles = [];
    }

    if (serving.engine !== ServingEngine.NONE) {
      const tracing = effectiveTracing(props.tracing, defaults?.tracing);
      const hooks = effectiveHooks(props.hooks, defaults?.hooks);
      const port = serving.options.port ?? 8080;
      const isAsync = serving.engine === ServingEngine.ASYNC;
      const contextInput = {
        name: this.functionName,
        version,
        runtime: isAsync ? 'Async' as const : 'Knative' as const,
        port,
        http: isAsync ? undefined : { port, engine: serving.engine === ServingEngine.KEDA_HTTP ? 'keda' as const : undefined },
        daprTriggers: dapr.daprTriggers,
        inputs: dapr.inputs,
        outputs: dapr.outputs,
        states: dapr.states,
        hooks,
        tracing,
      };
      if (dapr.used) {
        this.daprAppId = dapr.appId;
        for (const c of dapr.components) c.addScope(dapr.appId);
      }
      this.funcContext = { v1beta1: funcContextV1beta1(contextInput), v1beta2: funcContextV1beta2(contextInput) };
      const pod = functionPod({
        functionName: this.functionName,
        namespace: this.namespace,
        image: this.image,
        version,
        labels: this.labels,
        imageCredentials: props.imageCredentials,
        options: serving.options,
        funcContext: this.funcContext,
        tracing,
        wasmRuntimeClassName: wasm ? props.wasmRuntimeClassName ?? 'openfunction-crun' : undefined,
        daprAnnotations: dapr.used ? daprAnnotations(dapr.appId, port, props.dapr, serving.engine === ServingEngine.KNATIVE) : undefined,
        portName: isAsync ? 'function-port' : undefined,
      });
      if (pod.violations.length) {
        const restricted = new PropChecks(this);
        for (const v of pod.violations) {
          restricted.add('OFN_POD_SECURITY', 'serving', v, 'breaks Pod Security Standards "restricted"', 'remove the override, or set serving option podSecurity: PodSecurity.UNCHECKED if the function truly needs it');
        }
        if (restricted.stop()) return;
      }
      if (serving.engine === ServingEngine.KNATIVE) {
        this.knative = new KnativeServing(this, 'Knative', { name: this.functionName, namespace: this.namespace, labels: this.labels, version, pod, options: serving.knative });
        this.revisionName = this.knative.revisionName;
        this.internalUrl = `http://${this.functionName}.${this.namespace ?? 'default'}.svc.cluster.local`;
      } else if (serving.engine === ServingEngine.KEDA_HTTP) {
        this.kedaHttp = new KedaHttpServing(this, 'KedaHttp', { name: this.functionName, namespace: this.namespace, labels: this.labels, pod, options: serving.kedaHttp });
        this.internalUrl = `http://${this.functionName}.${this.namespace ?? 'default'}.svc.cluster.local`;
      } else {
        this.async = new AsyncServing(this, 'Async', { name: this.functionName, namespace: this.namespace, labels: this.labels, pod, options: serving.async, derivedTriggers: dapr.kedaTriggers });
      }
    }
    if (props.route && (this.knative || this.kedaHttp) && !stoppedOnProblems(props.route.gateway)) {
      let backend: ConstructorParameters<typeof FunctionHttpRoute>[2]['backend'];
      if (this.knative) {
        const weights = new Map<string, number>();
        for (const t of serving.knative.traffic ?? [{ percent: 100, current: true }]) {
          // The latest revision of this synth is the one it creates.
          const name = t.revisionName ?? this.knative.revisionName;
          weights.set(name, (weights.get(name) ?? 0) + t.percent);
        }
        backend = { engine: 'knative', revisions: [...weights].map(([name, weight]) => ({ name, weight })) };
      } else {
        backend = { engine: 'keda', host: serving.kedaHttp.hosts?.[0] };
      }
      this.httpRoute = new FunctionHttpRoute(this, 'Route', { functionName: this.functionName, namespace: this.namespace, labels: this.labels, route: props.route, backend });
      if (stoppedOnProblems(this)) return;
      this.url = this.httpRoute.externalUrls[0];
      this.internalUrl = this.httpRoute.internalUrls[0] ?? this.internalUrl;
      this.addresses.push(...this.httpRoute.externalUrls.map((value) => ({ type: 'External' as const, value })), ...this.httpRoute.internalUrls.map((value) => ({ type: 'Internal' as const, value })));
    }
    if (watcher && watchOptions) {
      watcher.watch(this, watchOptions);
      this.watcher = watcher;
    }
    SchemaValidation.addTo(chart);
  }
}

/** `props` with the defaults of the function's scopes filled in where it leaves them out. */
function withDefaults(props: FunctionProps, defaults: FunctionDefaultsProps | undefined, name: string, applied: string[]): FunctionProps {
  if (!defaults) return props;
  const out: { -readonly [K in keyof FunctionProps]: FunctionProps[K] } = { ...props };
  const take = <K extends keyof FunctionProps>(key: K, value: FunctionProps[K] | undefined) => {
    if (out[key] === undefined && value !== undefined) {
      out[key] = value;
      applied.push(key);
    }
  };
  const builds = props.source !== undefined && props.source.type !== SourceType.IMAGE;
  if (builds && defaults.imageRepository) take('image', `${defaults.imageRepository.replace(/\/+$/, '')}/${name}:${props.version ?? 'latest'}`);
  take('imageCredentials', defaults.imageCredentials);
  if (builds && props.dockerfile === undefined && props.strategy === undefined && props.workloadRuntime !== WorkloadRuntime.WASMEDGE) {
    take('builder', props.language ? defaults.builders?.[props.language.toLowerCase()] : defaults.builder);
  }
  if (defaults.labels && Object.keys(defaults.labels).length) {
    out.labels = { ...defaults.labels, ...props.labels };
    applied.push('labels');
  }
  return out;
}
