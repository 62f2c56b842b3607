import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { BuildV1Beta1 } from '../imports/shipwright.io';
import { SchemaValidation } from '../src';

/**
 * The smallest useful output: a Shipwright Build for OpenFunction's Go hello-world sample, written
 * with the generated import classes and checked against its schema when the app synthesizes.
 */
export class HelloBuildChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'demo', ...props });
    SchemaValidation.addTo(this);
    new BuildV1Beta1(this, 'build', {
      metadata: { name: 'hello' },
      spec: {
        source: {
          type: 'Git',
          git: { url: 'https://github.com/OpenFunction/samples.git', revision: 'main' },
          contextDir: 'functions/knative/hello-world-go',
        },
        strategy: { name: 'openfunction', kind: 'ClusterBuildStrategy' },
        output: { image: 'registry.example.com/demo/hello:v1' },
      },
    });
  }
}
