import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HttpScaledObject } from '../../imports/http.keda.sh';
import { FunctionPod } from './function-pod';
import { KedaHttpServingOptions } from './serving';

/** Props of {@link KedaHttpServing}. */
export interface KedaHttpServingProps {
  readonly name: string;
  /** @default - none: the namespace the objects are applied to */
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly pod: FunctionPod;
  readonly options: KedaHttpServingOptions;
}

/**
 * A function served through the KEDA HTTP add-on: a Deployment, a Service (port 80 to the
 * function's port) and an HTTPScaledObject that scales the Deployment on pending requests, down
 * to zero by default.
 */
export class KedaHttpServing extends Construct {
  public readonly deployment: ApiObject;
  public readonly service: ApiObject;
  public readonly scaledObject: HttpScaledObject;
  /** The Service the interceptor forwards to. */
  public readonly serviceName: string;

  constructor(scope: Construct, id: string, props: KedaHttpServingProps) {
    super(scope, id);
    const o = props.options;
    const port = o.port ?? 8080;
    const selector = { 'openfunction.io/function': props.labels['openfunction.io/function'] ?? props.name };
    const minReplicas = o.minReplicas ?? 0;
    const metadata = { name: props.name, namespace: props.namespace, labels: props.labels };
    this.serviceName = props.name;

    this.deployment = new ApiObject(this, 'Deployment', {
      apiVersion: kplus.k8s.KubeDeployment.GVK.apiVersion,
      kind: kplus.k8s.KubeDeployment.GVK.kind,
      metadata,
      spec: {
        // No replicas: KEDA owns the count, and an applied value would fight it on every GitOps sync.
        selector: { matchLabels: selector },
        template: { metadata: { labels: { ...props.pod.labels, ...selector }, annotations: Object.keys(props.pod.annotations).length ? props.pod.annotations : undefined }, spec: props.pod.spec },
      },
    });
    this.service = new kplus.k8s.KubeService(this, 'Service', {
      metadata,
      spec: { selector, ports: [{ name: 'http', port: 80, targetPort: kplus.k8s.IntOrString.fromNumber(port), protocol: 'TCP' }] },
    });
    this.scaledObject = new HttpScaledObject(this, 'HTTPScaledObject', {
      metadata,
      spec: {
        hosts: o.hosts?.length ? o.hosts : undefined,
        pathPrefixes: o.pathPrefixes?.length ? o.pathPrefixes : undefined,
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.name, service: props.name, port: 80 },
        replicas: { min: minReplicas, max: o.maxReplicas ?? 10 },
        scalingMetric: { concurrency: { targetValue: o.targetPendingRequests ?? 100 } },
        scaledownPeriod: Math.round((o.scaledownPeriod ?? Duration.seconds(300)).toSeconds()),
      },
    });
  }
}
