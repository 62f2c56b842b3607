import { Chart, ChartProps, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Function, FunctionSource, Serving } from '../src';

/**
 * The tutorial's sample function, prebuilt, served on the KEDA HTTP add-on instead of Knative
 * (OpenFunction's `engine: keda`): the interceptor routes `hello.fn.example.com/hello` to it and
 * scales it between zero and five replicas.
 */
export class KedaHttpFunctionChart extends Chart {
  public readonly hello: Function;
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'demo', ...props });
    this.hello = new Function(this, 'hello-keda', {
      source: FunctionSource.fromImage('openfunctiondev/sample-go-func:latest'),
      version: 'v2.0.0',
      serving: Serving.kedaHttp({
        hosts: ['hello.fn.example.com'],
        pathPrefixes: ['/hello'],
        maxReplicas: 5,
        targetPendingRequests: 50,
        scaledownPeriod: Duration.minutes(2),
      }),
    });
  }
}
