import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { Function, FunctionSource, Serving, Tracing, Traffic } from '../src';

/**
 * A canary on Knative: the new image gets 10% of the traffic and the `canary` tag URL, the
 * revision an earlier synth created keeps 90% and the `stable` tag. Once the canary is good, set
 * `traffic: [Traffic.current(100)]` (or drop traffic). Traced with OpenTelemetry.
 */
export class CanaryChart extends Chart {
  public readonly checkout: Function;
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'demo', ...props });
    this.checkout = new Function(this, 'checkout', {
      source: FunctionSource.fromImage('registry.example.com/demo/checkout:v2'),
      version: 'v2',
      tracing: { provider: Tracing.openTelemetry({ name: 'otlp', endpoint: 'http://otel-collector.observability:4318', protocol: 'http/protobuf' }) },
      serving: Serving.knative({
        minScale: 1,
        traffic: [
          Traffic.current(10, { tag: 'canary' }),
          // The revision name the v1 synth printed as checkout.revisionName.
          Traffic.revision('checkout-v1-5d2c8e1a', 90, { tag: 'stable' }),
        ],
      }),
    });
  }
}
