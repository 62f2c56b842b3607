import { Chart, ChartProps, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Function, FunctionSource, RevisionWatcher, Serving } from '../src';
import { tutorialFunction } from './hello-world-go';

/**
 * The tutorial's Go function with continuous rebuild: a RevisionWatcher polls the `main` branch
 * of OpenFunction's samples repository (and the Go builder image) every two minutes; each new
 * commit is built once by a BuildRun pinned to that commit and, when it succeeds, the Knative
 * Service runs the new image by digest. A prebuilt function beside it is redeployed by digest
 * whenever its tag moves.
 */
export class ContinuousRebuildChart extends Chart {
  public readonly watcher: RevisionWatcher;
  public readonly hello: Function;
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'demo', ...props });
    this.watcher = new RevisionWatcher(this, 'watcher', { interval: Duration.minutes(2) });
    this.hello = new Function(this, 'function-sample', {
      ...tutorialFunction(),
      name: 'rebuilt-sample',
      serving: Serving.knative({ maxScale: 10 }),
      watch: { watcher: this.watcher },
    });
    new Function(this, 'prebuilt', {
      name: 'followed-sample',
      source: FunctionSource.fromImage('openfunctiondev/sample-go-func:latest'),
      watch: { watcher: this.watcher, interval: Duration.minutes(5) },
    });
  }
}
