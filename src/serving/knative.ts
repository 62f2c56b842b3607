import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Service } from '../../imports/serving.knative.dev';
import { toGoDuration } from '../common/duration';
import { contentHash, joinName, stableStringify } from '../common/names';
import { FunctionPod } from './function-pod';
import { KnativeMetric, KnativeServingOptions } from './serving';

/** Props of {@link KnativeServing}. */
export interface KnativeServingProps {
  readonly name: string;
  /** @default - none: the namespace the objects are applied to */
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly version: string;
  readonly pod: FunctionPod;
  readonly options: KnativeServingOptions;
}

const A = 'autoscaling.knative.dev';

function seconds(d: Duration): string {
  return toGoDuration(d);
}

/** The Knative autoscaling annotations OpenFunction's scale options stand for. */
export function knativeAutoscalingAnnotations(o: KnativeServingOptions): Record<string, string> {
  const a: Record<string, string> = { [`${A}/min-scale`]: String(o.minScale ?? 0) };
  if (o.maxScale !== undefined) a[`${A}/max-scale`] = String(o.maxScale);
  if (o.initialScale !== undefined) a[`${A}/initial-scale`] = String(o.initialScale);
  if (o.metric !== undefined) a[`${A}/metric`] = o.metric;
  if (o.metric === KnativeMetric.CPU || o.metric === KnativeMetric.MEMORY) a[`${A}/class`] = 'hpa.autoscaling.knative.dev';
  if (o.target !== undefined) a[`${A}/target`] = String(o.target);
  if (o.targetUtilizationPercentage !== undefined) a[`${A}/target-utilization-percentage`] = String(o.targetUtilizationPercentage);
  if (o.scaleDownDelay !== undefined) a[`${A}/scale-down-delay`] = seconds(o.scaleDownDelay);
  if (o.window !== undefined) a[`${A}/window`] = seconds(o.window);
  return a;
}

/**
 * A function served by Knative: one `serving.knative.dev/v1` Service whose revision is named after
 * a hash of its template, so each change makes a new, addressable revision (and traffic can be
 * split between them) while an unchanged app keeps its revision.
 */
export class KnativeServing extends Construct {
  /** The Knative Service name. */
  public readonly serviceName: string;
  /** The revision this synth creates. */
  public readonly revisionName: string;
  /** The Knative Service. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: KnativeServingProps) {
    super(scope, id);
    const o = props.options;
    this.serviceName = props.name;
    const annotations = { ...knativeAutoscalingAnnotations(o), ...props.pod.annotations, ...o.annotations };
    const spec: Record<string, unknown> = {
      ...(o.containerConcurrency !== undefined ? { containerConcurrency: o.containerConcurrency } : {}),
      ...(o.timeout !== undefined ? { timeoutSeconds: Math.ceil(o.timeout.toSeconds()) } : {}),
      ...props.pod.spec,
    };
    const template = { metadata: { labels: props.pod.labels, annotations }, spec };
    this.revisionName = joinName(`${props.name}-${props.version.replace(/[^a-z0-9-]/gi, '').toLowerCase() || 'v'}`, contentHash(template, 8));
    const traffic = o.traffic?.map((t) => ({
      ...(t.current ? { revisionName: this.revisionName, latestRevision: false } : {}),
      ...(t.revisionName ? { revisionName: t.revisionName, latestRevision: false } : {}),
      ...(t.latestRevision ? { latestRevision: true } : {}),
      percent: t.percent,
      ...(t.tag ? { tag: t.tag } : {}),
    }));
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: Service.GVK.apiVersion,
      kind: Service.GVK.kind,
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: JSON.parse(stableStringify({ template: { metadata: { name: this.revisionName, ...template.metadata }, spec }, traffic })),
    });
  }
}
