import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { StandardBuildStrategies } from '../src';

/** The ClusterBuildStrategies the example functions build with (the platform will add these). */
export class BuildStrategiesChart extends Chart {
  public readonly strategies: StandardBuildStrategies;
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.strategies = new StandardBuildStrategies(this, 'strategies');
  }
}
