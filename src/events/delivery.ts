import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { SubscriptionV2Alpha1 } from '../../imports/dapr.io';
import { PropProblem } from '../common/errors';
import { DaprComponent } from '../dapr/component';
import { Function } from '../function/function';
import { kedaTriggerOf } from '../serving/async';

/**
 * Pure-configuration delivery to async functions: what Dapr and KEDA need for a function to get
 * events without a handler in between.
 */

/** The problem of delivering to `fn` without a handler when the source cannot wake it, if any. */
export function wakeProblem(fn: Function, scalable: boolean, prop: string, what: string): PropProblem | undefined {
  if (!fn.async?.scaledObject || scalable) return undefined;
  return {
    code: 'OFN_EVENT_SINK', prop, value: fn.node.path,
    problem: `is scaled by KEDA on its own triggers, and ${what} gives KEDA no backlog to wake it on, so events could wait for a replica that never starts`,
    fix: 'serve the function without KEDA triggers (it then keeps a replica), or use a source or bus KEDA can scale on (Kafka, Redis Streams, JetStream with monitoringEndpoint and streamName)',
  };
}

/**
 * Adds the KEDA trigger of `component` (the function's backlog on it) to the function's
 * ScaledObject, with a TriggerAuthentication for its Secret references; nothing when the function
 * is not KEDA-scaled.
 */
export function wakeFunction(scope: Construct, fn: Function, component: DaprComponent, options: { readonly appId: string; readonly topic?: string; readonly lagThreshold?: number }): void {
  const so = fn.async?.scaledObject;
  if (!so) return;
  const spec = component.kedaTrigger({ appId: options.appId, topic: options.topic, lagThreshold: options.lagThreshold });
  if (!spec) return;
  const { trigger } = kedaTriggerOf(scope, { name: fn.functionName, namespace: fn.namespace, labels: fn.labels }, component.componentName, spec);
  so.addJsonPatch(JsonPatch.add('/spec/triggers/-', trigger));
}

/** Options of {@link subscribeFunction}. */
export interface FunctionSubscriptionOptions {
  readonly fn: Function;
  /** The pub-sub component the function reads through (scoped to it here). */
  readonly component: DaprComponent;
  readonly topic: string;
  readonly path: string;
  /** A Dapr routing expression events must also match. @default - every event is delivered */
  readonly filter?: string;
  /** @default - none */
  readonly deadLetterTopic?: string;
  readonly labels: Record<string, string>;
}

/**
 * A declarative Dapr subscription (`dapr.io/v2alpha1`) that delivers `topic` to the function's
 * app: one routing rule when a filter is given (other events are dropped), else the default route.
 */
export function subscribeFunction(scope: Construct, id: string, o: FunctionSubscriptionOptions): SubscriptionV2Alpha1 {
  const appId = o.fn.daprAppId!;
  o.component.addScope(appId);
  return new SubscriptionV2Alpha1(scope, id, {
    metadata: { name: o.component.componentName, namespace: o.fn.namespace, labels: o.labels },
    spec: {
      pubsubname: o.component.componentName,
      topic: o.topic,
      routes: o.filter ? { rules: [{ match: o.filter, path: o.path }] } : { default: o.path },
      deadLetterTopic: o.deadLetterTopic,
    },
    scopes: [appId],
  });
}
