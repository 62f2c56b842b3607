import { Construct } from 'constructs';
import { BuildStrategy } from '../build-strategy';
import { StandardStrategy, StandardStrategyBaseProps, standardStrategyProps } from '../standard-strategies';
import { declareParameters, RESTRICTED, STRATEGY_IMAGES, StepResources, stepResources } from './common';

/** Props of {@link OpenFunctionStrategy}. */
export interface OpenFunctionStrategyProps extends StandardStrategyBaseProps {
  /**
   * Image of the helper steps that write the build env and read the digest (OpenFunction's
   * `BASH_IMAGE`); a function can still override it through `strategyParams.BASH_IMAGE`.
   * @default docker.io/library/bash:5.2.37
   */
  readonly bashImage?: string;
  /**
   * User and group every step runs as; must match the builder image's CNB user.
   * @default 1000
   */
  readonly userId?: number;
  /** @default 1000 */
  readonly groupId?: number;
  /**
   * Resources of the lifecycle (build) step.
   * @default - requests 250m CPU and 512Mi memory, limit 2Gi memory
   */
  readonly resources?: StepResources;
}

/**
 * OpenFunction's default `openfunction` strategy: Cloud Native Buildpacks' `creator` with the
 * function's builder image, build env from `ENV_VARS` into the buildpacks platform directory, an
 * optional cache image. Unlike upstream, no step runs privileged or as root: the strategy-level
 * user owns the volumes, so the upstream `chown` step is not needed.
 */
export class OpenFunctionStrategy extends BuildStrategy {
  constructor(scope: Construct, id: string, props: OpenFunctionStrategyProps = {}) {
    const uid = props.userId ?? 1000;
    const gid = props.groupId ?? 1000;
    const mounts = [
      { name: 'cache', mountPath: '/cache' },
      { name: 'layers', mountPath: '/layers' },
      { name: 'platform', mountPath: '/platform' },
    ];
    super(scope, id, standardStrategyProps(StandardStrategy.OPENFUNCTION, props, {
      parameters: declareParameters(StandardStrategy.OPENFUNCTION, {
        'builder-image': { description: 'The buildpacks builder image that builds the function' },
        'ENV_VARS': { description: 'Build-time environment for the buildpacks, as K1=V1#K2=V2#', default: '' },
        'CACHE_IMAGE': { description: 'Image to keep the build cache in between builds; empty for none', default: '' },
        'RUN_IMAGE': { description: 'Run image to base the function image on; empty for the builder default', default: '' },
        'PROCESS_TYPE': { description: 'Default process type of the image', default: 'web' },
        'SKIP_RESTORE': { description: 'Do not restore layer metadata or cache from the previous image', default: 'false' },
        'BASH_IMAGE': { description: 'Image of the helper steps', default: props.bashImage ?? STRATEGY_IMAGES.bash },
      }),
      securityContext: { runAsUser: uid, runAsGroup: gid },
      volumes: [
        { name: 'cache', emptyDir: {}, overridable: true, description: 'Buildpacks cache directory; override with a volume to keep it' },
        { name: 'layers', emptyDir: {} },
        { name: 'platform', emptyDir: {} },
      ],
      steps: [
        {
          name: 'prepare-env',
          image: '$(params.BASH_IMAGE)',
          command: ['bash', '-c'],
          args: [[
            'set -euo pipefail',
            'mkdir -p /platform/env',
            'IFS="#" read -r -a pairs <<< "${ENV_VARS}"',
            'for pair in "${pairs[@]}"; do',
            '  [ -n "${pair}" ] || continue',
            '  printf "%s" "${pair#*=}" > "/platform/env/${pair%%=*}"',
            'done',
          ].join('\n')],
          env: [{ name: 'ENV_VARS', value: '$(params.ENV_VARS)' }],
          securityContext: RESTRICTED,
          resources: stepResources({ cpuRequest: '10m', memoryRequest: '16Mi', memoryLimit: '64Mi' }),
          volumeMounts: [{ name: 'platform', mountPath: '/platform' }],
        },
        {
          name: 'build-and-push',
          image: '$(params.builder-image)',
          imagePullPolicy: 'Always',
          command: ['/cnb/lifecycle/creator'],
          args: [
            '-app=$(params.shp-source-context)',
            '-cache-dir=/cache',
            '-cache-image=$(params.CACHE_IMAGE)',
            `-uid=${uid}`,
            `-gid=${gid}`,
            '-layers=/layers',
            '-platform=/platform',
            '-report=/layers/report.toml',
            '-process-type=$(params.PROCESS_TYPE)',
            '-skip-restore=$(params.SKIP_RESTORE)',
            '-previous-image=$(params.shp-output-image)',
            '-run-image=$(params.RUN_IMAGE)',
            '$(params.shp-output-image)',
          ],
          securityContext: RESTRICTED,
          resources: stepResources({ cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '2Gi' }, props.resources),
          volumeMounts: mounts,
        },
        {
          name: 'results',
          image: '$(params.BASH_IMAGE)',
          command: ['bash', '-c'],
          args: ['set -euo pipefail\ngrep -m1 "digest" /layers/report.toml | cut -d\'"\' -f2 | tr -d "\\n" > "$(results.shp-image-digest.path)"'],
          securityContext: RESTRICTED,
          resources: stepResources({ cpuRequest: '10m', memoryRequest: '16Mi', memoryLimit: '64Mi' }),
          volumeMounts: [{ name: 'layers', mountPath: '/layers' }],
        },
      ],
    }));
  }
}
