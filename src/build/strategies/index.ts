import { Construct } from 'constructs';
import { StandardStrategy } from '../standard-strategies';
import { BuildahStrategy, BuildahStrategyProps, WasmEdgeStrategy } from './buildah';
import { KanikoStrategy, KanikoStrategyProps } from './kaniko';
import { KoStrategy, KoStrategyProps } from './ko';
import { OpenFunctionStrategy, OpenFunctionStrategyProps } from './openfunction';

export * from './buildah';
export * from './common';
export * from './kaniko';
export * from './ko';
export * from './openfunction';

/** Props of {@link StandardBuildStrategies}. */
export interface StandardBuildStrategiesProps {
  /**
   * Which strategies to define.
   * @default - all of StandardStrategy
   */
  readonly include?: StandardStrategy[];
  /** @default {} */
  readonly openfunction?: OpenFunctionStrategyProps;
  /** @default {} */
  readonly buildah?: BuildahStrategyProps;
  /** @default {} */
  readonly kaniko?: KanikoStrategyProps;
  /** @default {} */
  readonly ko?: KoStrategyProps;
  /** @default {} */
  readonly wasmedge?: BuildahStrategyProps;
}

/**
 * The ClusterBuildStrategies OpenFunction ships, defined once for the app: `openfunction`
 * (buildpacks), `buildah`, `kaniko`, `ko` and `wasmedge`. Functions that name no strategy use these.
 */
export class StandardBuildStrategies extends Construct {
  public readonly openfunction?: OpenFunctionStrategy;
  public readonly buildah?: BuildahStrategy;
  public readonly kaniko?: KanikoStrategy;
  public readonly ko?: KoStrategy;
  public readonly wasmedge?: WasmEdgeStrategy;

  constructor(scope: Construct, id: string, props: StandardBuildStrategiesProps = {}) {
    super(scope, id);
    const include = new Set(props.include ?? Object.values(StandardStrategy));
    if (include.has(StandardStrategy.OPENFUNCTION)) this.openfunction = new OpenFunctionStrategy(this, 'openfunction', props.openfunction);
    if (include.has(StandardStrategy.BUILDAH)) this.buildah = new BuildahStrategy(this, 'buildah', props.buildah);
    if (include.has(StandardStrategy.KANIKO)) this.kaniko = new KanikoStrategy(this, 'kaniko', props.kaniko);
    if (include.has(StandardStrategy.KO)) this.ko = new KoStrategy(this, 'ko', props.ko);
    if (include.has(StandardStrategy.WASMEDGE)) this.wasmedge = new WasmEdgeStrategy(this, 'wasmedge', props.wasmedge);
  }
}
