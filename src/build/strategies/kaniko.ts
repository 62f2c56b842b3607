import { Construct } from 'constructs';
import { BuildStrategy } from '../build-strategy';
import { StandardStrategy, StandardStrategyBaseProps, standardStrategyProps } from '../standard-strategies';
import { declareParameters, rootWith, STRATEGY_IMAGES, StepResources, stepResources } from './common';

/** Props of {@link KanikoStrategy}. */
export interface KanikoStrategyProps extends StandardStrategyBaseProps {
  /** @default gcr.io/kaniko-project/executor:v1.23.2 */
  readonly image?: string;
  /**
   * Resources of the build step.
   * @default - requests 250m CPU and 256Mi memory, limit 2Gi memory
   */
  readonly resources?: StepResources;
}

/**
 * OpenFunction's `kaniko` strategy: builds the function's Dockerfile with kaniko as root in the
 * container with only the capabilities upstream lists (not privileged, no escalation), writing the
 * image for Shipwright to push.
 */
export class KanikoStrategy extends BuildStrategy {
  constructor(scope: Construct, id: string, props: KanikoStrategyProps = {}) {
    super(scope, id, standardStrategyProps(StandardStrategy.KANIKO, props, {
      parameters: declareParameters(StandardStrategy.KANIKO, {
        'dockerfile': { description: 'Path of the Dockerfile, relative to the source context', default: 'Dockerfile' },
        'build-args': { description: 'Build arguments, each --build-arg=K=V', type: 'array', defaults: [] },
      }),
      steps: [{
        name: 'build',
        image: props.image ?? STRATEGY_IMAGES.kaniko,
        command: ['/kaniko/executor'],
        args: [
          '--dockerfile=$(params.shp-source-context)/$(params.dockerfile)',
          '--context=$(params.shp-source-context)',
          '--destination=$(params.shp-output-image)',
          '--snapshot-mode=redo',
          '--no-push',
          '--tar-path=$(params.shp-output-directory)/image.tar',
          '$(params.build-args[*])',
        ],
        env: [
          { name: 'HOME', value: '/tekton/home' },
          { name: 'DOCKER_CONFIG', value: '/tekton/home/.docker' },
        ],
        securityContext: rootWith(['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID', 'SETFCAP', 'KILL']),
        resources: stepResources({ cpuRequest: '250m', memoryRequest: '256Mi', memoryLimit: '2Gi' }, props.resources),
      }],
    }));
  }
}
