import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  BuildStrategyV1Beta1, ClusterBuildStrategyV1Beta1, ClusterBuildStrategyV1Beta1Spec,
} from '../../imports/shipwright.io';
import { AppRegistry } from '../common/app-registry';
import { PropChecks } from '../common/errors';
import { isDnsLabel } from '../common/names';
import { SchemaValidation } from '../validation/validator';

/** Whether a Shipwright strategy is cluster-wide or lives in one namespace. */
export enum BuildStrategyKind {
  /** `ClusterBuildStrategy`: usable from every namespace. */
  CLUSTER = 'ClusterBuildStrategy',
  /** `BuildStrategy`: usable only from its own namespace. */
  NAMESPACED = 'BuildStrategy',
}

/** How a strategy takes the function's build-time environment (`buildEnv`). */
export enum BuildEnvStyle {
  /** One string parameter `K1=V1#K2=V2#` (OpenFunction's `ENV_VARS`; keys sorted). */
  HASH_SEPARATED = 'HashSeparated',
  /** One array parameter with an item `K=V` per variable (Dockerfile `--build-arg`s). */
  ARRAY = 'Array',
}

/**
 * The parameters through which a strategy receives what a function's props say. A prop whose
 * parameter the strategy lacks is rejected at synth.
 */
export interface BuildStrategyInputs {
  /** Parameter that receives the builder image (buildpacks strategies). */
  readonly builderImage?: string;
  /** Parameter that receives the Dockerfile path (Dockerfile strategies). */
  readonly dockerfile?: string;
  /** Parameter that receives `buildEnv`. */
  readonly env?: string;
  /** How `buildEnv` is encoded into {@link env}. @default BuildEnvStyle.HASH_SEPARATED */
  readonly envStyle?: BuildEnvStyle;
  /**
   * Prefix of each item for {@link BuildEnvStyle.ARRAY}, e.g. `--build-arg=` for a tool that takes
   * the items as its own arguments.
   * @default ''
   */
  readonly envItemPrefix?: string;
  /** Parameter that receives the cache image. */
  readonly cacheImage?: string;
}

/** A Shipwright build strategy a function can build with. */
export interface IBuildStrategy {
  /** `metadata.name` of the strategy. */
  readonly strategyName: string;
  readonly kind: BuildStrategyKind;
  /** Namespace of a namespaced strategy. */
  readonly namespace?: string;
  /** The parameters the strategy declares; undefined when not known (then any is passed on). */
  readonly parameterNames?: readonly string[];
  /** Where function props go. */
  readonly inputs: BuildStrategyInputs;
  /**
   * The construct that emits the strategy, when this app defines it; undefined for a strategy
   * declared as pre-installed.
   */
  readonly definition?: IConstruct;
}

/** Options for {@link BuildStrategy.preInstalled}. */
export interface PreInstalledBuildStrategyOptions {
  /** @default BuildStrategyKind.CLUSTER */
  readonly kind?: BuildStrategyKind;
  /** Namespace of a namespaced strategy. @default - the function's namespace */
  readonly namespace?: string;
  /**
   * The parameters it declares, to reject unknown ones at synth.
   * @default - unknown: every parameter is passed on
   */
  readonly parameters?: string[];
  /** @default - the strategy takes no builder image, Dockerfile, env or cache image */
  readonly inputs?: BuildStrategyInputs;
}

/** Props of {@link BuildStrategy}. */
export interface BuildStrategyProps {
  /** `metadata.name`. */
  readonly name: string;
  /** @default BuildStrategyKind.CLUSTER */
  readonly kind?: BuildStrategyKind;
  /** The Shipwright v1beta1 strategy spec. */
  readonly spec: ClusterBuildStrategyV1Beta1Spec;
  /** Where function props go. @default {} */
  readonly inputs?: BuildStrategyInputs;
  /** Extra labels. @default {} */
  readonly labels?: Record<string, string>;
}

const registry = new AppRegistry<BuildStrategy>();

function registryKey(name: string, kind: BuildStrategyKind, namespace?: string): string {
  return kind === BuildStrategyKind.CLUSTER ? `${kind}/${name}` : `${kind}/${namespace ?? ''}/${name}`;
}

/**
 * A Shipwright `ClusterBuildStrategy` (or namespaced `BuildStrategy`) defined by this app. The
 * strategies OpenFunction ships are subclasses: {@link OpenFunctionStrategy} (buildpacks, the
 * default), {@link BuildahStrategy}, {@link KanikoStrategy}, {@link KoStrategy} and
 * {@link WasmEdgeStrategy}.
 */
export class BuildStrategy extends Construct implements IBuildStrategy {
  /**
   * A strategy installed in the cluster by other means. Functions may reference it without the
   * app defining it.
   */
  public static preInstalled(name: string, options: PreInstalledBuildStrategyOptions = {}): IBuildStrategy {
    return {
      strategyName: name,
      kind: options.kind ?? BuildStrategyKind.CLUSTER,
      namespace: options.namespace,
      parameterNames: options.parameters,
      inputs: options.inputs ?? {},
    };
  }

  /** The strategy named `name` that the app of `scope` defines, if any. */
  public static tryFind(scope: IConstruct, name: string, kind: BuildStrategyKind = BuildStrategyKind.CLUSTER, namespace?: string): BuildStrategy | undefined {
    return registry.get(scope, registryKey(name, kind, namespace));
  }

  public readonly strategyName: string;
  public readonly kind: BuildStrategyKind;
  public readonly namespace?: string;
  public readonly parameterNames: readonly string[];
  public readonly inputs: BuildStrategyInputs;
  public readonly definition: IConstruct = this;
  /** The emitted strategy object. */
  public readonly apiObject!: ApiObject;

  constructor(scope: Construct, id: string, props: BuildStrategyProps) {
    super(scope, id);
    this.kind = props.kind ?? BuildStrategyKind.CLUSTER;
    this.strategyName = props.name;
    this.inputs = props.inputs ?? {};
    this.parameterNames = (props.spec.parameters ?? []).map((p) => p.name);
    const chart = Chart.of(this);
    this.namespace = this.kind === BuildStrategyKind.NAMESPACED ? chart.namespace : undefined;

    const checks = new PropChecks(this);
    if (!isDnsLabel(props.name)) {
      checks.add('OFN_NAME', 'name', props.name, 'is not a DNS-1123 label', 'use lower-case letters, digits and "-", at most 63 characters');
    }
    for (const [input, param] of Object.entries(this.inputs)) {
      if (input !== 'envStyle' && input !== 'envItemPrefix' && param !== undefined && !this.parameterNames.includes(param)) {
        checks.add('OFN_STRATEGY_INPUT', `inputs.${input}`, param, 'is not a parameter of the strategy', `declare it in spec.parameters or drop inputs.${input}`);
      }
    }
    const key = registryKey(this.strategyName, this.kind, this.namespace);
    const existing = registry.get(this, key);
    if (existing) {
      checks.add('OFN_STRATEGY_DUPLICATE', 'name', props.name, `is already defined by ${existing.node.path}`, 'define each strategy once per app and reference that object');
    }
    if (checks.stop()) return;
    registry.set(this, key, this);

    const metadata = { name: props.name, labels: { 'app.kubernetes.io/managed-by': 'openfunction-constructs', ...props.labels } };
    if (this.kind === BuildStrategyKind.CLUSTER) {
      this.apiObject = new ClusterBuildStrategyV1Beta1(this, 'Resource', { metadata, spec: props.spec });
      // Charts stamp their namespace on every object; a cluster-scoped one must not carry it.
      if (chart.namespace) this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    } else {
      this.apiObject = new BuildStrategyV1Beta1(this, 'Resource', { metadata, spec: props.spec });
    }
    SchemaValidation.addTo(chart);
  }
}
