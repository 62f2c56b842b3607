import { Construct } from 'constructs';
import { BuildStrategy } from '../build-strategy';
import { StandardStrategy, StandardStrategyBaseProps, standardStrategyProps } from '../standard-strategies';
import { declareParameters, RESTRICTED, STRATEGY_IMAGES, StepResources, stepResources } from './common';

/** Props of {@link KoStrategy}. */
export interface KoStrategyProps extends StandardStrategyBaseProps {
  /**
   * Go toolchain image (a function can override it with `strategyParams['go-image']`).
   * @default docker.io/library/golang:1.24
   */
  readonly goImage?: string;
  /**
   * ko version installed with `go install` (a function can override it with `strategyParams['ko-version']`).
   * @default 'v0.18.0'
   */
  readonly koVersion?: string;
  /**
   * User and group the build runs as.
   * @default 1000
   */
  readonly userId?: number;
  /**
   * Resources of the build step.
   * @default - requests 250m CPU and 512Mi memory, limit 2Gi memory
   */
  readonly resources?: StepResources;
}

const KO_SCRIPT = `set -euo pipefail
export HOME=/tmp/home GOPATH=/tmp/go GOCACHE=/tmp/go-cache KO_DOCKER_REPO="\${OUTPUT_IMAGE%%[:@]*}"
go install "github.com/google/ko@$KO_VERSION"
platform="$TARGET_PLATFORM"
if [ "$platform" = current ]; then platform="$(go env GOOS)/$(go env GOARCH)"; fi
cd "$CONTEXT"
GOFLAGS="$GO_FLAGS" "$GOPATH/bin/ko" build "$PACKAGE_DIRECTORY" --bare --platform="$platform" --push=false --oci-layout-path="$OUTPUT_DIRECTORY"`;

/**
 * OpenFunction's `ko` strategy: builds a Go function with ko, as a non-root user, and hands the
 * OCI layout to Shipwright to push.
 */
export class KoStrategy extends BuildStrategy {
  constructor(scope: Construct, id: string, props: KoStrategyProps = {}) {
    const uid = props.userId ?? 1000;
    super(scope, id, standardStrategyProps(StandardStrategy.KO, props, {
      parameters: declareParameters(StandardStrategy.KO, {
        'go-flags': { description: 'Value of GOFLAGS for the build', default: '' },
        'go-image': { description: 'Go toolchain image', default: props.goImage ?? STRATEGY_IMAGES.go },
        'ko-version': { description: 'ko version to install', default: props.koVersion ?? 'v0.18.0' },
        'package-directory': { description: 'Go package to build, relative to the source context', default: '.' },
        'target-platform': { description: 'Platform to build for, os/arch, or "current"', default: 'current' },
      }),
      securityContext: { runAsUser: uid, runAsGroup: uid },
      steps: [{
        name: 'build',
        image: '$(params.go-image)',
        command: ['/bin/bash', '-c', KO_SCRIPT],
        env: [
          { name: 'CONTEXT', value: '$(params.shp-source-context)' },
          { name: 'OUTPUT_IMAGE', value: '$(params.shp-output-image)' },
          { name: 'OUTPUT_DIRECTORY', value: '$(params.shp-output-directory)' },
          { name: 'GO_FLAGS', value: '$(params.go-flags)' },
          { name: 'KO_VERSION', value: '$(params.ko-version)' },
          { name: 'PACKAGE_DIRECTORY', value: '$(params.package-directory)' },
          { name: 'TARGET_PLATFORM', value: '$(params.target-platform)' },
        ],
        securityContext: RESTRICTED,
        resources: stepResources({ cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '2Gi' }, props.resources),
      }],
    }));
  }
}
