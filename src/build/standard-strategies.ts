import { ClusterBuildStrategyV1Beta1Spec } from '../../imports/shipwright.io';
import { BuildEnvStyle, BuildStrategyInputs, BuildStrategyKind, BuildStrategyProps, IBuildStrategy } from './build-strategy';

/** The names of the strategies OpenFunction ships, as this library defines them. */
export enum StandardStrategy {
  /** Cloud Native Buildpacks with OpenFunction's builders (the default). */
  OPENFUNCTION = 'openfunction',
  /** Dockerfile builds with buildah (the default when a Dockerfile is given). */
  BUILDAH = 'buildah',
  /** Dockerfile builds with kaniko. */
  KANIKO = 'kaniko',
  /** Go builds with ko. */
  KO = 'ko',
  /** WasmEdge (Wasm) images from a Dockerfile, with buildah. */
  WASMEDGE = 'wasmedge',
}

/** What each standard strategy declares and where function props go; the strategy classes use it. */
export const STANDARD_STRATEGY_INTERFACES: Record<StandardStrategy, { readonly parameters: readonly string[]; readonly inputs: BuildStrategyInputs }> = {
  [StandardStrategy.OPENFUNCTION]: {
    parameters: ['builder-image', 'ENV_VARS', 'CACHE_IMAGE', 'RUN_IMAGE', 'PROCESS_TYPE', 'SKIP_RESTORE', 'BASH_IMAGE'],
    inputs: { builderImage: 'builder-image', env: 'ENV_VARS', envStyle: BuildEnvStyle.HASH_SEPARATED, cacheImage: 'CACHE_IMAGE' },
  },
  [StandardStrategy.BUILDAH]: {
    parameters: ['dockerfile', 'build-args', 'registry-search', 'registry-insecure', 'registry-block', 'storage-driver'],
    inputs: { dockerfile: 'dockerfile', env: 'build-args', envStyle: BuildEnvStyle.ARRAY },
  },
  [StandardStrategy.KANIKO]: {
    parameters: ['dockerfile', 'build-args'],
    inputs: { dockerfile: 'dockerfile', env: 'build-args', envStyle: BuildEnvStyle.ARRAY, envItemPrefix: '--build-arg=' },
  },
  [StandardStrategy.KO]: {
    parameters: ['go-flags', 'go-image', 'ko-version', 'package-directory', 'target-platform'],
    inputs: {},
  },
  [StandardStrategy.WASMEDGE]: {
    parameters: ['dockerfile', 'build-args', 'storage-driver'],
    inputs: { dockerfile: 'dockerfile', env: 'build-args', envStyle: BuildEnvStyle.ARRAY },
  },
};

/**
 * A reference to a standard strategy by name, used when a function gives none: the app must
 * define it (checked at synth).
 * @internal
 */
export class StandardStrategyRef implements IBuildStrategy {
  public readonly kind = BuildStrategyKind.CLUSTER;
  public readonly parameterNames: readonly string[];
  public readonly inputs: BuildStrategyInputs;
  constructor(public readonly strategyName: StandardStrategy) {
    this.parameterNames = STANDARD_STRATEGY_INTERFACES[strategyName].parameters;
    this.inputs = STANDARD_STRATEGY_INTERFACES[strategyName].inputs;
  }
}

/** Props every standard strategy construct takes. */
export interface StandardStrategyBaseProps {
  /** @default - the standard name (`openfunction`, `buildah`, ...) */
  readonly name?: string;
  /** @default BuildStrategyKind.CLUSTER */
  readonly kind?: BuildStrategyKind;
}

/** The BuildStrategy props of a standard strategy: its name, kind and inputs, and `spec`. @internal */
export function standardStrategyProps(strategy: StandardStrategy, props: StandardStrategyBaseProps, spec: ClusterBuildStrategyV1Beta1Spec): BuildStrategyProps {
  return { name: props.name ?? strategy, kind: props.kind, inputs: STANDARD_STRATEGY_INTERFACES[strategy].inputs, spec };
}
