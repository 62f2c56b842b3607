import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { Function, FunctionGateway, FunctionSource, GatewayCertificate, Serving } from '../src';

/**
 * Two functions behind one gateway on `fn.example.com` with TLS from cert-manager: `hello` by
 * host (`https://hello.demo.fn.example.com/`), `orders` by path under a shared API host
 * (`https://api.fn.example.com/demo/orders`), served on the KEDA HTTP add-on.
 */
export class GatewayRoutingChart extends Chart {
  public readonly hello: Function;
  public readonly orders: Function;
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'demo', ...props });
    const gateway = new FunctionGateway(this, 'gateway', {
      name: 'openfunction',
      domain: 'fn.example.com',
      gatewayClassName: 'contour',
      https: { certificate: GatewayCertificate.certManager({ name: 'letsencrypt-prod', kind: 'ClusterIssuer' }) },
      // The platform example already sets Knative's domain; one owner per ConfigMap.
      knativeDomainConfig: false,
    });
    this.hello = new Function(this, 'hello', {
      source: FunctionSource.fromImage('openfunctiondev/sample-go-func:latest'),
      route: gateway.route(),
    });
    this.orders = new Function(this, 'orders', {
      source: FunctionSource.fromImage('registry.example.com/demo/orders:v3'),
      serving: Serving.kedaHttp({ maxReplicas: 5 }),
      route: gateway.route({ hostnames: ['api.fn.example.com'] }),
    });
  }
}
