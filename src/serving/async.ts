import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ScaledJob, ScaledObject, TriggerAuthentication } from '../../imports/keda.sh';
import { PropChecks } from '../common/errors';
import { joinName } from '../common/names';
import { KedaTriggerSpec } from '../dapr/component';
import { FunctionPod } from './function-pod';
import { AsyncServingOptions, AsyncWorkload, ScalingRules } from './serving';

/** Props of {@link AsyncServing}. */
export interface AsyncServingProps {
  readonly name: string;
  /** @default - none: the namespace the objects are applied to */
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly pod: FunctionPod;
  readonly options: AsyncServingOptions;
  /** KEDA triggers derived from the function's Dapr triggers. */
  readonly derivedTriggers: { readonly component: string; readonly spec: KedaTriggerSpec }[];
}

function seconds(d: Duration | undefined): number | undefined {
  return d === undefined ? undefined : Math.round(d.toSeconds());
}

function behavior(r: ScalingRules | undefined) {
  if (!r) return undefined;
  return {
    stabilizationWindowSeconds: seconds(r.stabilizationWindow),
    selectPolicy: r.selectPolicy,
    policies: r.policies?.map((p) => ({ type: p.type, value: p.value, periodSeconds: seconds(p.period)! })),
  };
}

/** A trigger of a ScaledObject or ScaledJob. */
export interface KedaScaledTrigger {
  readonly type: string;
  readonly name: string;
  readonly metadata: Record<string, string>;
  /** @default - none: the scaler needs no Secret */
  readonly authenticationRef?: { readonly name: string };
}

/**
 * The KEDA trigger `spec` of `component` for the function `fn`, with keys and metadata in sorted
 * order (it may be patched in, which skips cdk8s's sorting), and, when the spec has Secret
 * parameters, a TriggerAuthentication `<fn>-<component>` of them created in `scope`.
 */
export function kedaTriggerOf(scope: Construct, fn: { readonly name: string; readonly namespace?: string; readonly labels: Record<string, string> }, component: string, spec: KedaTriggerSpec): { trigger: KedaScaledTrigger; auth?: TriggerAuthentication } {
  let auth: TriggerAuthentication | undefined;
  if (spec.secretParameters && Object.keys(spec.secretParameters).length) {
    auth = new TriggerAuthentication(scope, `Auth-${component}`, {
      metadata: { name: joinName(fn.name, component), namespace: fn.namespace, labels: fn.labels },
      spec: { secretTargetRef: Object.entries(spec.secretParameters).sort(([a], [b]) => (a < b ? -1 : 1)).map(([parameter, ref]) => ({ parameter, name: ref.name, key: ref.key })) },
    });
  }
  const metadata = Object.fromEntries(Object.entries(spec.metadata).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { trigger: { ...(auth ? { authenticationRef: { name: auth.name } } : {}), metadata, name: component, type: spec.type }, auth };
}

/**
 * An async function: a Deployment scaled by a KEDA ScaledObject (or Jobs started by a ScaledJob)
 * whose triggers come from the Dapr components that trigger it, with a TriggerAuthentication for
 * each trigger that needs credentials from a Secret. Without any KEDA trigger (a cron binding,
 * say) the Deployment simply runs.
 */
export class AsyncServing extends Construct {
  /** The Deployment, for Deployment workloads. */
  public readonly deployment?: ApiObject;
  public readonly scaledObject?: ScaledObject;
  public readonly scaledJob?: ApiObject;
  public readonly triggerAuthentications: TriggerAuthentication[] = [];

  constructor(scope: Construct, id: string, props: AsyncServingProps) {
    super(scope, id);
    const o = props.options;
    const metadata = { name: props.name, namespace: props.namespace, labels: props.labels };
    const selector = { 'openfunction.io/function': props.labels['openfunction.io/function'] ?? props.name };
    const templateMetadata = { labels: { ...props.pod.labels, ...selector }, annotations: props.pod.annotations };

    const triggers: KedaScaledTrigger[] = props.derivedTriggers.map(({ component, spec }) => {
      const { trigger, auth } = kedaTriggerOf(this, props, component, spec);
      if (auth) this.triggerAuthentications.push(auth);
      return trigger;
    });
    triggers.push(...(o.kedaTriggers ?? []).map((t) => ({ type: t.type, name: t.name as string, metadata: t.metadata })));

    if ((o.workload ?? AsyncWorkload.DEPLOYMENT) === AsyncWorkload.JOB) {
      if (triggers.length === 0) {
        const checks = new PropChecks(scope);
        checks.add('OFN_ASYNC_WORKLOAD', 'serving.workload', 'Job', 'runs as a KEDA ScaledJob, which needs a KEDA trigger, but no trigger of the function has a KEDA scaler (a cron or HTTP binding has none)',
          'use AsyncWorkload.DEPLOYMENT, trigger on a component KEDA can scale on (Kafka, Redis, MQTT, NATS), or give kedaTriggers');
        if (checks.stop()) return;
      }
      // Plain ApiObject: the generated class would pass the pod template through its typed
      // converters, which drop quantities given as strings.
      this.scaledJob = new ApiObject(this, 'ScaledJob', {
        apiVersion: ScaledJob.GVK.apiVersion,
        kind: ScaledJob.GVK.kind,
        metadata,
        spec: {
          jobTargetRef: { template: { metadata: templateMetadata, spec: { ...props.pod.spec, restartPolicy: o.restartPolicy ?? 'OnFailure' } } },
          envSourceContainerName: 'function',
          minReplicaCount: o.minReplicas,
          maxReplicaCount: o.maxReplicas ?? 10,
          pollingInterval: seconds(o.pollingInterval),
          successfulJobsHistoryLimit: o.successfulJobsHistoryLimit,
          failedJobsHistoryLimit: o.failedJobsHistoryLimit,
          scalingStrategy: o.scalingStrategy,
          triggers,
        },
      });
      return;
    }

    const keda = triggers.length > 0;
    const minReplicas = o.minReplicas ?? 0;
    this.deployment = new ApiObject(this, 'Deployment', {
      apiVersion: kplus.k8s.KubeDeployment.GVK.apiVersion,
      kind: kplus.k8s.KubeDeployment.GVK.kind,
      metadata,
      spec: {
        // KEDA owns the count of scaled Deployments (an applied value would fight it on every GitOps
        // sync); unscaled ones run one replica, or minReplicas.
        ...(keda ? {} : { replicas: Math.max(minReplicas, 1) }),
        selector: { matchLabels: selector },
        template: { metadata: templateMetadata, spec: props.pod.spec },
      },
    });
    if (!keda) return;
    const advanced = o.advanced && { horizontalPodAutoscalerConfig: { behavior: { scaleUp: behavior(o.advanced.scaleUp), scaleDown: behavior(o.advanced.scaleDown) } } };
    this.scaledObject = new ScaledObject(this, 'ScaledObject', {
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.name, envSourceContainerName: 'function' },
        minReplicaCount: minReplicas,
        maxReplicaCount: o.maxReplicas ?? 10,
        pollingInterval: seconds(o.pollingInterval),
        cooldownPeriod: seconds(o.cooldownPeriod),
        advanced: advanced as any,
        fallback: o.fallback,
        triggers,
      },
    });
  }
}
