import { Construct } from 'constructs';
import { ClusterBuildStrategyV1Beta1Spec, ClusterBuildStrategyV1Beta1SpecStepsSecurityContext } from '../../../imports/shipwright.io';
import { BuildStrategy } from '../build-strategy';
import { StandardStrategy, StandardStrategyBaseProps, standardStrategyProps } from '../standard-strategies';
import { declareParameters, rootWith, STRATEGY_IMAGES, StepResources, stepResources } from './common';

/** Props of {@link BuildahStrategy} and {@link WasmEdgeStrategy}. */
export interface BuildahStrategyProps extends StandardStrategyBaseProps {
  /** @default quay.io/containers/buildah:v1.41.4 */
  readonly image?: string;
  /**
   * Resources of the build step.
   * @default - requests 250m CPU and 256Mi memory, limit 2Gi memory
   */
  readonly resources?: StepResources;
  /**
   * Security context of the build step. The default runs buildah as root in the container with
   * the capabilities a chroot-isolated, vfs-backed build needs and nothing else: not privileged,
   * no privilege escalation, RuntimeDefault seccomp. Clusters that need more (or allow less) set
   * their own here.
   * @default - root with CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETFCAP, SETGID, SETUID, SYS_CHROOT
   */
  readonly securityContext?: ClusterBuildStrategyV1Beta1SpecStepsSecurityContext;
}

const BUILDAH_CAPABILITIES = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'SETFCAP', 'SETGID', 'SETUID', 'SYS_CHROOT'];

// Parameters reach the script through the environment, never spliced into its text.
const BUILD_SCRIPT = `set -euo pipefail
conf=/tmp/registries.conf
quote() { local IFS=,; local out=""; for r in $1; do [ -n "$r" ] && out="$out\\"$r\\", "; done; echo "[\${out%, }]"; }
echo "unqualified-search-registries = $(quote "$REGISTRY_SEARCH")" > "$conf"
IFS=, read -r -a insecure <<< "$REGISTRY_INSECURE"
for r in "\${insecure[@]}"; do [ -n "$r" ] && printf '[[registry]]\\nlocation = "%s"\\ninsecure = true\\n' "$r" >> "$conf"; done
IFS=, read -r -a blocked <<< "$REGISTRY_BLOCK"
for r in "\${blocked[@]}"; do [ -n "$r" ] && printf '[[registry]]\\nlocation = "%s"\\nblocked = true\\n' "$r" >> "$conf"; done
export CONTAINERS_REGISTRIES_CONF="$conf"
build_args=()
for a in "$@"; do build_args+=("--build-arg=$a"); done
buildah --storage-driver="$STORAGE_DRIVER" bud --isolation=chroot \${EXTRA_BUILD_FLAGS:-} \\
  --file="$CONTEXT/$DOCKERFILE" --tag="$OUTPUT_IMAGE" "\${build_args[@]}" "$CONTEXT"
buildah --storage-driver="$STORAGE_DRIVER" push "$OUTPUT_IMAGE" "oci:$OUTPUT_DIRECTORY"`;

/** @internal */
export function buildahSpec(strategy: StandardStrategy, props: BuildahStrategyProps, extraBuildFlags?: string): ClusterBuildStrategyV1Beta1Spec {
  const registryParams: Record<string, { description: string; default: string }> = strategy === StandardStrategy.BUILDAH ? {
    'registry-search': { description: 'Registries searched for unqualified base images, comma-separated', default: 'docker.io,quay.io' },
    'registry-insecure': { description: 'Registries reached without TLS verification, comma-separated', default: '' },
    'registry-block': { description: 'Registries never contacted, comma-separated', default: '' },
  } : {};
  return {
    parameters: declareParameters(strategy, {
      'dockerfile': { description: 'Path of the Dockerfile, relative to the source context', default: 'Dockerfile' },
      'build-args': { description: 'Build arguments, each K=V', type: 'array', defaults: [] },
      ...registryParams,
      'storage-driver': { description: 'buildah storage driver (vfs works without privileges; overlay is faster where allowed)', default: 'vfs' },
    }),
    volumes: [{ name: 'buildah-storage', emptyDir: {}, description: 'buildah image storage' }],
    steps: [{
      name: 'build',
      image: props.image ?? STRATEGY_IMAGES.buildah,
      command: ['/bin/bash', '-c', BUILD_SCRIPT, 'buildah-build'],
      args: ['$(params.build-args[*])'],
      env: [
        { name: 'CONTEXT', value: '$(params.shp-source-context)' },
        { name: 'DOCKERFILE', value: '$(params.dockerfile)' },
        { name: 'OUTPUT_IMAGE', value: '$(params.shp-output-image)' },
        { name: 'OUTPUT_DIRECTORY', value: '$(params.shp-output-directory)' },
        { name: 'STORAGE_DRIVER', value: '$(params.storage-driver)' },
        { name: 'REGISTRY_SEARCH', value: strategy === StandardStrategy.BUILDAH ? '$(params.registry-search)' : 'docker.io' },
        { name: 'REGISTRY_INSECURE', value: strategy === StandardStrategy.BUILDAH ? '$(params.registry-insecure)' : '' },
        { name: 'REGISTRY_BLOCK', value: strategy === StandardStrategy.BUILDAH ? '$(params.registry-block)' : '' },
        ...(extraBuildFlags ? [{ name: 'EXTRA_BUILD_FLAGS', value: extraBuildFlags }] : []),
      ],
      securityContext: props.securityContext ?? rootWith(BUILDAH_CAPABILITIES),
      resources: stepResources({ cpuRequest: '250m', memoryRequest: '256Mi', memoryLimit: '2Gi' }, props.resources),
      volumeMounts: [{ name: 'buildah-storage', mountPath: '/var/lib/containers' }],
    }],
  };
}

/**
 * OpenFunction's `buildah` strategy: builds the function's Dockerfile with buildah (chroot
 * isolation, vfs storage, no privileged container) and hands the image to Shipwright, which
 * pushes it with the function's push secret.
 */
export class BuildahStrategy extends BuildStrategy {
  constructor(scope: Construct, id: string, props: BuildahStrategyProps = {}) {
    super(scope, id, standardStrategyProps(StandardStrategy.BUILDAH, props, buildahSpec(StandardStrategy.BUILDAH, props)));
  }
}

/**
 * The `wasmedge` strategy OpenFunction's webhook refers to (upstream never shipped it; this one is
 * the library's own): buildah builds the Dockerfile of a Wasm module into an image annotated
 * `module.wasm.image/variant=compat-smart`, which crun with WasmEdge runs as Wasm.
 */
export class WasmEdgeStrategy extends BuildStrategy {
  constructor(scope: Construct, id: string, props: BuildahStrategyProps = {}) {
    super(scope, id, standardStrategyProps(StandardStrategy.WASMEDGE, props, buildahSpec(StandardStrategy.WASMEDGE, props, '--annotation=module.wasm.image/variant=compat-smart')));
  }
}
