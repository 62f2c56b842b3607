import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { Builder, Function, FunctionProps, FunctionSource, Serving } from '../src';

/** The tutorial function's source, builder, image and version (the other examples reuse them). */
export function tutorialFunction(): FunctionProps {
  return {
    image: 'openfunctiondev/sample-go-func:latest',
    imageCredentials: { name: 'push-secret' },
    source: FunctionSource.fromGit('https://github.com/OpenFunction/samples.git', {
      revision: 'main',
      subPath: 'functions/knative/hello-world-go',
    }),
    builder: Builder.GO,
    buildEnv: { FUNC_NAME: 'HelloWorld', FUNC_CLEAR_SOURCE: 'true' },
    version: 'v2.0.0',
  };
}

/**
 * The OpenFunction tutorial's sample function: the Go hello-world from OpenFunction's samples
 * repository, built with the Go builder, pushed with the `push-secret` registry credentials
 * (`kubectl create secret docker-registry push-secret ...`) and served by Knative, scaling to zero.
 */
export class HelloWorldGoChart extends Chart {
  public readonly hello: Function;
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'demo', ...props });
    this.hello = new Function(this, 'function-sample', {
      ...tutorialFunction(),
      serving: Serving.knative({ maxScale: 10, target: 50, container: { imagePullPolicy: 'Always' } }),
    });
  }
}
