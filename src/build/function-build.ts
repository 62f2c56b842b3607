import { ApiObject, Chart, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { BuildRunV1Beta1, BuildV1Beta1, BuildV1Beta1Spec, BuildV1Beta1SpecTolerations } from '../../imports/shipwright.io';
import { PropChecks } from '../common/errors';
import { toGoDuration } from '../common/duration';
import { checkPushableImage } from '../common/image';
import { contentHash, isDnsLabel, joinName, stableStringify } from '../common/names';
import { isObjectName, SecretRef } from '../common/refs';
import { Builder } from '../function/builder';
import { FunctionSource, LocalBundle, SourceType } from '../function/source';
import { SchemaValidation } from '../validation/validator';
import { BuildEnvStyle, BuildStrategy, IBuildStrategy } from './build-strategy';
import { StandardStrategy, StandardStrategyRef } from './standard-strategies';

/** A toleration for build pods. */
export interface BuildToleration {
  readonly key?: string;
  /** @default 'Equal' when a value is given, else 'Exists' */
  readonly operator?: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly tolerationSeconds?: number;
}

/** Build options a {@link Function} shares with {@link FunctionBuild}. */
export interface FunctionBuildOptions {
  /**
   * The buildpacks builder image (buildpacks strategies only).
   * @default Builder.GO when the strategy takes a builder image and no Dockerfile is given
   */
  readonly builder?: Builder;
  /**
   * Build-time environment, e.g. `{ FUNC_NAME: 'HelloWorld' }` (OpenFunction's `build.env`):
   * for buildpacks strategies the `ENV_VARS` parameter (`K=V#`, keys sorted), for Dockerfile
   * strategies `--build-arg`s.
   * @default {}
   */
  readonly buildEnv?: Record<string, string>;
  /**
   * The strategy to build with: a strategy construct of this app, or
   * `BuildStrategy.preInstalled(...)`.
   * @default - ClusterBuildStrategy `openfunction` (buildpacks), or `buildah` when a Dockerfile is
   * given, or `wasmedge` for WasmEdge functions; the app must define it (OpenFunctionPlatform does)
   */
  readonly strategy?: IBuildStrategy;
  /**
   * Further strategy parameters (OpenFunction's `shipwright.params`), by name; an array for array
   * parameters. Parameters the library sets from props (builder image, Dockerfile, env, cache image)
   * and Shipwright's `shp-*` ones are refused.
   * @default {}
   */
  readonly strategyParams?: Record<string, string | string[]>;
  /**
   * Path of the Dockerfile inside the source's sub-path (Dockerfile strategies).
   * @default - none: a buildpacks build
   */
  readonly dockerfile?: string;
  /**
   * Image the buildpacks lifecycle keeps its cache in between builds (OpenFunction v1.1).
   * @default - no cache image; each build starts cold
   */
  readonly cacheImage?: string;
  /**
   * Maximum duration of one build.
   * @default - Shipwright's default (10 minutes)
   */
  readonly buildTimeout?: Duration;
  /**
   * How many succeeded BuildRuns Shipwright keeps (1 to 10000). OpenFunction deletes succeeded
   * builds (0); Shipwright keeps at least one, which also keeps the BuildRun of the current
   * manifests, so a GitOps tool never re-creates (and re-runs) a pruned one.
   * @default 1
   */
  readonly successfulBuildsHistoryLimit?: number;
  /**
   * How many failed BuildRuns Shipwright keeps (1 to 10000).
   * @default 1
   */
  readonly failedBuildsHistoryLimit?: number;
  /**
   * Delete finished BuildRuns after this long (OpenFunction's `builderMaxAge`). Beware with GitOps:
   * a deleted BuildRun still in the manifests is re-created and builds again.
   * @default - kept until pruned by the history limits
   */
  readonly buildRunMaxAge?: Duration;
  /**
   * Node labels build pods must match.
   * @default - any node
   */
  readonly buildNodeSelector?: Record<string, string>;
  /**
   * Tolerations of build pods.
   * @default - none
   */
  readonly buildTolerations?: BuildToleration[];
}

/** Props of {@link FunctionBuild}. */
export interface FunctionBuildProps extends FunctionBuildOptions {
  /** Name of the Build (a DNS-1123 label); the BuildRun and ServiceAccount names derive from it. */
  readonly name: string;
  /**
   * Namespace of the Build.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** What to build. A prebuilt image (`FunctionSource.fromImage`) has nothing to build and is refused. */
  readonly source: FunctionSource;
  /** The image the build pushes, `registry/repository[:tag]`. */
  readonly image: string;
  /**
   * Secret with push credentials for `image` (`kubernetes.io/dockerconfigjson`).
   * @default - none; the registry must accept anonymous pushes
   */
  readonly imageCredentials?: SecretRef;
  /**
   * Labels for every object.
   * @default {}
   */
  readonly labels?: Record<string, string>;
}

/** Shipwright's limits on retention counts. */
const RETENTION_MIN = 1;
const RETENTION_MAX = 10000;

function strategyFor(props: FunctionBuildOptions): IBuildStrategy {
  if (props.strategy) return props.strategy;
  return new StandardStrategyRef(props.dockerfile !== undefined ? StandardStrategy.BUILDAH : StandardStrategy.OPENFUNCTION);
}

/**
 * A function build: a Shipwright `Build` plus a `BuildRun` whose name is a hash of every build
 * input, so that changing any input starts a new build and re-synthesizing an unchanged app gives
 * byte-identical output. Build pods run under a dedicated ServiceAccount with no API token.
 */
export class FunctionBuild extends Construct {
  /** Name of the Build. */
  public readonly buildName!: string;
  /** Name of the BuildRun of the current inputs. */
  public readonly buildRunName!: string;
  /** Name of the ServiceAccount build pods run under. */
  public readonly serviceAccountName!: string;
  /** The image the build pushes. */
  public readonly image!: string;
  /** The strategy it builds with. */
  public readonly strategy: IBuildStrategy;
  /** Bundles to push before applying (local-directory sources only). */
  public readonly bundles!: LocalBundle[];
  /** The Build object. */
  public readonly build!: BuildV1Beta1;
  /** The BuildRun object. */
  public readonly buildRun!: BuildRunV1Beta1;
  /** The build's ServiceAccount. */
  public readonly serviceAccount!: kplus.ServiceAccount;
  /** The Shipwright source of the Build (git or OCI bundle). */
  public readonly buildSource!: NonNullable<BuildV1Beta1Spec['source']>;
  /** The builder image, for strategies that take one. */
  public readonly builder?: Builder;

  constructor(scope: Construct, id: string, props: FunctionBuildProps) {
    super(scope, id);
    const chart = Chart.of(this);
    const namespace = props.namespace ?? chart.namespace;
    const checks = new PropChecks(this);
    this.strategy = strategyFor(props);
    const inputs = this.strategy.inputs;

    if (!isDnsLabel(props.name ?? '') || props.name.length > 52) {
      checks.add('OFN_NAME', 'name', props.name, 'is not a DNS-1123 label of at most 52 characters (the BuildRun adds a hash)', 'use lower-case letters, digits and "-", starting and ending with a letter or digit');
    }
    const imageProblem = checkPushableImage(props.image ?? '');
    if (imageProblem) {
      checks.add('OFN_OUTPUT_IMAGE', 'image', props.image, `is not an image a build can push: it ${imageProblem}`, 'use registry/repository[:tag], e.g. registry.example.com/demo/hello:v1 or docker.io/<user>/hello:v1');
    }
    if (props.source.type === SourceType.IMAGE) {
      checks.add('OFN_PREBUILT_SOURCE', 'source', 'FunctionSource.fromImage(...)', 'is a prebuilt image, which has nothing to build', 'use fromGit, fromBundle or fromLocalDirectory for a build');
    }
    checks.addAll(props.source.validate({ outputImage: props.image }), 'source');
    if (props.imageCredentials && !isObjectName(props.imageCredentials.name)) {
      checks.add('OFN_SECRET_NAME', 'imageCredentials', props.imageCredentials.name, 'is not a valid Secret name', 'use the name of an existing Secret of type kubernetes.io/dockerconfigjson');
    }

    // Builder and Dockerfile, against what the strategy takes.
    const builder = props.builder ?? (inputs.builderImage && props.dockerfile === undefined ? Builder.GO : undefined);
    if (props.builder && !inputs.builderImage) {
      checks.add('OFN_STRATEGY_INPUT', 'builder', props.builder.image, `is not used by strategy ${this.strategy.kind} "${this.strategy.strategyName}", which takes no builder image`, 'drop builder, or use a buildpacks strategy (the default "openfunction")');
    }
    if (builder) checks.addAll(builder.validate(), 'builder');
    if (props.dockerfile !== undefined) {
      if (!inputs.dockerfile) {
        checks.add('OFN_STRATEGY_INPUT', 'dockerfile', props.dockerfile, `is not used by strategy ${this.strategy.kind} "${this.strategy.strategyName}", which takes no Dockerfile`, 'use a Dockerfile strategy (BuildahStrategy, KanikoStrategy) or drop dockerfile');
      } else if (!props.dockerfile.trim() || /\s/.test(props.dockerfile) || props.dockerfile.startsWith('/') || props.dockerfile.split('/').includes('..')) {
        checks.add('OFN_DOCKERFILE', 'dockerfile', props.dockerfile, 'is not a relative path inside the source', 'give the path relative to the source sub-path, e.g. "Dockerfile"');
      }
    }
    const env = props.buildEnv ?? {};
    if (Object.keys(env).length > 0 && !inputs.env) {
      checks.add('OFN_STRATEGY_INPUT', 'buildEnv', env, `is not used by strategy ${this.strategy.kind} "${this.strategy.strategyName}", which takes no build env`, 'drop buildEnv or pass the values through strategyParams');
    }
    for (const [key, value] of Object.entries(env)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
        checks.add('OFN_BUILD_ENV', `buildEnv.${key}`, key, 'is not an environment variable name', 'use letters, digits and "_", not starting with a digit');
      }
      if (typeof value !== 'string' || (inputs.envStyle ?? BuildEnvStyle.HASH_SEPARATED) === BuildEnvStyle.HASH_SEPARATED && /[#\n]/.test(value)) {
        checks.add('OFN_BUILD_ENV', `buildEnv.${key}`, value, "is not a string without '#' or newlines ('#' separates variables in ENV_VARS)", 'remove the character, or pass the value through a strategy parameter');
      }
    }
    if (props.cacheImage !== undefined) {
      if (!inputs.cacheImage) {
        checks.add('OFN_STRATEGY_INPUT', 'cacheImage', props.cacheImage, `is not used by strategy ${this.strategy.kind} "${this.strategy.strategyName}"`, 'drop cacheImage or use the "openfunction" buildpacks strategy');
      } else {
        const cacheProblem = checkPushableImage(props.cacheImage);
        if (cacheProblem) checks.add('OFN_CACHE_IMAGE', 'cacheImage', props.cacheImage, `is not an image the build can push its cache to: it ${cacheProblem}`, 'use registry/repository[:tag], e.g. registry.example.com/demo/hello-cache');
      }
    }

    // Strategy parameters.
    const libraryParams = new Map<string, string>();
    for (const [input, param] of Object.entries(inputs)) if (input !== 'envStyle' && input !== 'envItemPrefix' && param) libraryParams.set(param as string, input);
    const params = props.strategyParams ?? {};
    for (const [name, value] of Object.entries(params)) {
      if (name.startsWith('shp-')) {
        checks.add('OFN_STRATEGY_PARAM', `strategyParams.${name}`, name, 'is a parameter Shipwright sets itself', 'remove it');
      } else if (libraryParams.has(name)) {
        checks.add('OFN_STRATEGY_PARAM', `strategyParams.${name}`, name, `is set from the ${libraryParams.get(name)} prop`, `use that prop instead of strategyParams.${name}`);
      } else if (this.strategy.parameterNames && !this.strategy.parameterNames.includes(name)) {
        checks.add('OFN_STRATEGY_PARAM', `strategyParams.${name}`, name, `is not a parameter of strategy ${this.strategy.kind} "${this.strategy.strategyName}"`, `use one of: ${this.strategy.parameterNames.filter((p) => !libraryParams.has(p)).join(', ') || '(none)'}`);
      }
      if (!(typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string')))) {
        checks.add('OFN_STRATEGY_PARAM', `strategyParams.${name}`, value, 'is neither a string nor an array of strings', 'give a string, or an array of strings for an array parameter');
      }
    }

    // Timeouts and retention.
    if (props.buildTimeout !== undefined && !(props.buildTimeout.toMilliseconds() > 0)) {
      checks.add('OFN_BUILD_TIMEOUT', 'buildTimeout', `${props.buildTimeout.toSeconds()}s`, 'must be longer than zero', 'give a positive duration, e.g. Duration.minutes(15), or leave it out for the default');
    }
    if (props.buildRunMaxAge !== undefined && !(props.buildRunMaxAge.toMilliseconds() > 0)) {
      checks.add('OFN_BUILD_MAX_AGE', 'buildRunMaxAge', `${props.buildRunMaxAge.toSeconds()}s`, 'must be longer than zero', 'give a positive duration or leave it out to keep BuildRuns until pruned');
    }
    for (const prop of ['successfulBuildsHistoryLimit', 'failedBuildsHistoryLimit'] as const) {
      const v = props[prop];
      if (v !== undefined && !(Number.isInteger(v) && v >= RETENTION_MIN && v <= RETENTION_MAX)) {
        checks.add('OFN_HISTORY_LIMIT', prop, v, `must be a whole number from ${RETENTION_MIN} to ${RETENTION_MAX} (Shipwright keeps at least one BuildRun)`, `use ${RETENTION_MIN} to keep only the latest`);
      }
    }
    for (const [i, t] of (props.buildTolerations ?? []).entries()) {
      if (t.operator === 'Exists' && t.value !== undefined) {
        checks.add('OFN_TOLERATION', `buildTolerations[${i}].value`, t.value, "must be empty when the operator is 'Exists'", "drop value or use operator 'Equal'");
      }
    }
    if (checks.stop()) return;

    this.image = props.image;
    this.buildName = props.name;
    this.serviceAccountName = joinName(props.name, 'build');
    const source = props.source.bind({ outputImage: props.image });
    this.bundles = source.bundle ? [source.bundle] : [];
    this.buildSource = source.buildSource!;
    this.builder = builder && inputs.builderImage ? builder : undefined;
    const labels = { 'app.kubernetes.io/managed-by': 'openfunction-constructs', ...props.labels };

    const paramValues: { name: string; value?: string; values?: { value: string }[] }[] = [];
    for (const name of Object.keys(params).sort()) {
      const value = params[name];
      paramValues.push(Array.isArray(value) ? { name, values: value.map((v) => ({ value: v })) } : { name, value });
    }
    if (builder && inputs.builderImage) paramValues.push({ name: inputs.builderImage, value: builder.image });
    if (props.dockerfile !== undefined && inputs.dockerfile) paramValues.push({ name: inputs.dockerfile, value: props.dockerfile });
    if (props.cacheImage !== undefined && inputs.cacheImage) paramValues.push({ name: inputs.cacheImage, value: props.cacheImage });
    const envKeys = Object.keys(env).sort();
    if (envKeys.length > 0 && inputs.env) {
      if ((inputs.envStyle ?? BuildEnvStyle.HASH_SEPARATED) === BuildEnvStyle.HASH_SEPARATED) {
        paramValues.push({ name: inputs.env, value: envKeys.map((k) => `${k}=${env[k]}#`).join('') });
      } else {
        paramValues.push({ name: inputs.env, values: envKeys.map((k) => ({ value: `${inputs.envItemPrefix ?? ''}${k}=${env[k]}` })) });
      }
    }

    const ttl = props.buildRunMaxAge ? toGoDuration(props.buildRunMaxAge) : undefined;
    const spec: BuildV1Beta1Spec = {
      source: source.buildSource!,
      strategy: { name: this.strategy.strategyName, kind: this.strategy.kind },
      paramValues: paramValues.length ? paramValues : undefined,
      output: { image: props.image, pushSecret: props.imageCredentials?.name },
      timeout: props.buildTimeout ? toGoDuration(props.buildTimeout) : undefined,
      retention: {
        succeededLimit: props.successfulBuildsHistoryLimit ?? 1,
        failedLimit: props.failedBuildsHistoryLimit ?? 1,
        ttlAfterSucceeded: ttl,
        ttlAfterFailed: ttl,
      },
      nodeSelector: props.buildNodeSelector,
      tolerations: props.buildTolerations?.map((t): BuildV1Beta1SpecTolerations => ({
        key: t.key, operator: t.operator ?? (t.value !== undefined ? 'Equal' : 'Exists'), value: t.value, effect: t.effect, tolerationSeconds: t.tolerationSeconds,
      })),
    };

    // Shipwright links the push secret to the build's ServiceAccount (Tekton turns it into the
    // steps' docker config); listing it here keeps the applied object equal to the desired one.
    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.serviceAccountName, namespace, labels },
      automountToken: false,
      secrets: props.imageCredentials ? [kplus.Secret.fromSecretName(this, 'PushSecret', props.imageCredentials.name)] : undefined,
    });
    const pullSecrets = [builder?.credentials?.name].filter((n): n is string => !!n);
    if (pullSecrets.length) {
      ApiObject.of(this.serviceAccount).addJsonPatch(JsonPatch.add('/imagePullSecrets', pullSecrets.map((name) => ({ name }))));
    }

    this.build = new BuildV1Beta1(this, 'Build', { metadata: { name: this.buildName, namespace, labels }, spec });

    // Everything that decides what the build produces; retention and timeouts do not (as in OpenFunction).
    const { retention: _r, timeout: _t, ...identity } = spec;
    const hash = contentHash({ build: identity, serviceAccount: this.serviceAccountName, pullSecrets });
    this.buildRunName = joinName(this.buildName, hash);
    this.buildRun = new BuildRunV1Beta1(this, 'BuildRun', {
      metadata: { name: this.buildRunName, namespace, labels: { ...labels, 'openfunction.io/build-inputs': hash } },
      spec: { build_: { name: this.buildName }, serviceAccount: this.serviceAccountName },
    });

    this.node.addValidation({ validate: () => this.checkStrategyDefined() });
    SchemaValidation.addTo(chart);
  }

  private checkStrategyDefined(): string[] {
    const s = this.strategy;
    if (s.definition) {
      if (s.definition.node.root !== this.node.root) {
        return [`${this.node.path}: strategy: ${s.kind} "${s.strategyName}" is defined in another app (${s.definition.node.path}); define it in this app or use BuildStrategy.preInstalled("${s.strategyName}") [OFN_STRATEGY_MISSING]`];
      }
      return [];
    }
    if (s instanceof StandardStrategyRef) {
      // A default strategy: the app must define it.
      const found = BuildStrategy.tryFind(this, s.strategyName, s.kind);
      if (!found) {
        return [`${this.node.path}: strategy: the default strategy ${s.kind} "${s.strategyName}" is not defined in this app; add it (new OpenFunctionPlatform(...) or new StandardBuildStrategies(chart, 'strategies') adds the standard ones), or pass strategy: BuildStrategy.preInstalled("${s.strategyName}") if the cluster already has it [OFN_STRATEGY_MISSING]`];
      }
      if (stableStringify(found.inputs) !== stableStringify(s.inputs)) {
        return [`${this.node.path}: strategy: ${s.kind} "${s.strategyName}" at ${found.node.path} takes its inputs through other parameters than the standard one; pass it explicitly as strategy [OFN_STRATEGY_MISSING]`];
      }
    }
    return [];
  }
}
