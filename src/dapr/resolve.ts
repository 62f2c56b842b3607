import { IConstruct } from 'constructs';
import { PropProblem, PropValidationError } from '../common/errors';
import { FuncComponentRef, FuncDaprTrigger, FuncOutputRef } from '../serving/func-context';
import { DaprBuildingBlock, DaprComponent, IDaprComponent, KedaTriggerSpec } from './component';
import { DaprInput, DaprOutput, DaprSidecarOptions, DaprTrigger } from './usage';

/** What a function's Dapr usage resolves to. */
export interface ResolvedDapr {
  readonly problems: PropProblem[];
  /** Whether the function needs a Dapr sidecar. */
  readonly used: boolean;
  readonly appId: string;
  readonly daprTriggers?: Record<string, FuncDaprTrigger & { componentType: string }>;
  readonly inputs?: Record<string, FuncComponentRef>;
  readonly outputs?: Record<string, FuncOutputRef>;
  readonly states?: Record<string, FuncComponentRef>;
  /** KEDA triggers derived from the components, with the component they came from. */
  readonly kedaTriggers: { readonly component: string; readonly spec: KedaTriggerSpec }[];
  /** Components of this app the function uses (to scope them). */
  readonly components: DaprComponent[];
}

/** What the function gives. */
export interface DaprUsage {
  readonly triggers?: DaprTrigger[];
  readonly inputs?: DaprInput[];
  readonly outputs?: DaprOutput[];
  readonly states?: IDaprComponent[];
}

/** The Dapr app id OpenFunction gives a function: `<function>-<namespace>`. */
export function daprAppId(functionName: string, namespace: string | undefined): string {
  return `${functionName}-${namespace ?? 'default'}`;
}

/**
 * Resolves a function's triggers, inputs, outputs and states against the app's components: real
 * names and types for `FUNC_CONTEXT`, KEDA triggers, and the problems (props relative to the
 * function).
 */
export function resolveDapr(scope: IConstruct, functionName: string, namespace: string | undefined, usage: DaprUsage, triggerProp = 'serving.triggers'): ResolvedDapr {
  const problems: PropProblem[] = [];
  const appId = daprAppId(functionName, namespace);
  const components = new Set<DaprComponent>();
  const kedaTriggers: ResolvedDapr['kedaTriggers'] = [];

  const resolve = (prop: string, ref: IDaprComponent | string): IDaprComponent | undefined => {
    const c = typeof ref === 'string' ? DaprComponent.tryFind(scope, ref, namespace) : ref;
    if (!c) {
      problems.push({ code: 'OFN_DAPR_COMPONENT_MISSING', prop, value: ref, problem: `names a Dapr component that the app does not define in namespace ${namespace ?? '(default)'}`, fix: `define it before this function, or pass DaprComponent.existing('${String(ref)}', '<type>') for one that exists in the cluster` });
      return undefined;
    }
    if ((c.namespace ?? undefined) !== (namespace ?? undefined)) {
      problems.push({ code: 'OFN_DAPR_NAMESPACE', prop, value: c.componentName, problem: `is in namespace ${c.namespace ?? '(default)'}, but the function is in ${namespace ?? '(default)'}`, fix: 'define the component in the function\'s namespace' });
      return undefined;
    }
    if (c.definition) {
      if (c.definition.node.root !== scope.node.root) {
        problems.push({ code: 'OFN_DAPR_COMPONENT_MISSING', prop, value: c.componentName, problem: `is defined in another app (${c.definition.node.path})`, fix: 'define it in this app or use DaprComponent.existing(...)' });
        return undefined;
      }
      components.add(c.definition);
    }
    return c;
  };
  const keyed = <T>(prop: string, map: Record<string, T>, key: string, value: T) => {
    if (key in map) problems.push({ code: 'OFN_DAPR_DUPLICATE', prop, value: key, problem: 'is used twice as a name', fix: 'give each trigger, input, output or state its own name' });
    map[key] = value;
  };

  const daprTriggers: Record<string, FuncDaprTrigger & { componentType: string }> = {};
  for (const [i, t] of (usage.triggers ?? []).entries()) {
    const prop = `${triggerProp}[${i}]`;
    const c = resolve(`${prop}.component`, t.component);
    if (!c) continue;
    const isPubSub = c.definition ? c.definition.requiresTopic : c.componentType.startsWith('pubsub.');
    if (isPubSub && !t.topic) {
      problems.push({ code: 'OFN_DAPR_TOPIC', prop: `${prop}.topic`, value: t.topic, problem: `is required: ${c.componentName} is a pub-sub component (${c.componentType})`, fix: 'give the topic to subscribe to' });
    }
    keyed(prop, daprTriggers, t.name ?? c.componentName, { name: c.componentName, type: c.componentType, topic: t.topic, componentType: c.componentType });
    try {
      const spec = c.kedaTrigger?.({ appId, topic: t.topic, lagThreshold: t.lagThreshold });
      if (spec) kedaTriggers.push({ component: c.componentName, spec });
    } catch (e) {
      if (!(e instanceof PropValidationError)) throw e;
      for (const p of e.problems) problems.push({ ...p, prop: `${prop}.component (${c.componentName}).${p.prop}` });
    }
  }
  const inputs: Record<string, FuncComponentRef> = {};
  for (const [i, input] of (usage.inputs ?? []).entries()) {
    const c = resolve(`inputs[${i}].component`, input.component);
    if (c) keyed(`inputs[${i}]`, inputs, input.name ?? c.componentName, { componentName: c.componentName, componentType: c.componentType, topic: input.topic });
  }
  const outputs: Record<string, FuncOutputRef> = {};
  for (const [i, o] of (usage.outputs ?? []).entries()) {
    const c = resolve(`outputs[${i}].component`, o.component);
    if (!c) continue;
    if (c.componentType.startsWith('pubsub.') && !o.topic) {
      problems.push({ code: 'OFN_DAPR_TOPIC', prop: `outputs[${i}].topic`, value: o.topic, problem: `is required: ${c.componentName} is a pub-sub component`, fix: 'give the topic to publish to' });
    }
    keyed(`outputs[${i}]`, outputs, o.name ?? c.componentName, { componentName: c.componentName, componentType: c.componentType, topic: o.topic, operation: o.operation, metadata: o.metadata });
  }
  const states: Record<string, FuncComponentRef> = {};
  for (const [i, s] of (usage.states ?? []).entries()) {
    const c = resolve(`states[${i}]`, s);
    if (!c) continue;
    if (c.definition ? c.definition.buildingBlock !== DaprBuildingBlock.STATE : !c.componentType.startsWith('state.')) {
      problems.push({ code: 'OFN_DAPR_STATE', prop: `states[${i}]`, value: c.componentName, problem: `is a ${c.componentType} component, not a state store`, fix: 'give a state.* component, e.g. DaprComponents.redisState(...)' });
    }
    keyed(`states[${i}]`, states, c.componentName, { componentName: c.componentName, componentType: c.componentType });
  }
  const some = (r: Record<string, unknown>) => (Object.keys(r).length ? r : undefined);
  return {
    problems,
    used: Object.keys(daprTriggers).length + Object.keys(inputs).length + Object.keys(outputs).length + Object.keys(states).length > 0,
    appId,
    daprTriggers: some(daprTriggers) as ResolvedDapr['daprTriggers'],
    inputs: some(inputs) as ResolvedDapr['inputs'],
    outputs: some(outputs) as ResolvedDapr['outputs'],
    states: some(states) as ResolvedDapr['states'],
    kedaTriggers,
    components: [...components],
  };
}

/** The pod annotations that make Dapr inject its sidecar, as OpenFunction sets them (sidecar mode). */
export function daprAnnotations(appId: string, port: number, options: DaprSidecarOptions = {}, knative = false): Record<string, string> {
  const a: Record<string, string> = {
    'dapr.io/enabled': 'true',
    'dapr.io/app-id': appId,
    'dapr.io/app-port': String(port),
    'dapr.io/app-protocol': options.appProtocol ?? 'grpc',
    'dapr.io/log-as-json': 'true',
    // The injected sidecar must pass Pod Security "restricted" like the function.
    'dapr.io/sidecar-seccomp-profile-type': 'RuntimeDefault',
    'dapr.io/sidecar-drop-all-capabilities': 'true',
  };
  // Knative's queue-proxy serves metrics on 9090, Dapr's default.
  if (knative) a['dapr.io/metrics-port'] = '19090';
  if (options.logLevel) a['dapr.io/log-level'] = options.logLevel;
  if (options.cpuRequest) a['dapr.io/sidecar-cpu-request'] = options.cpuRequest;
  if (options.memoryRequest) a['dapr.io/sidecar-memory-request'] = options.memoryRequest;
  if (options.cpuLimit) a['dapr.io/sidecar-cpu-limit'] = options.cpuLimit;
  if (options.memoryLimit) a['dapr.io/sidecar-memory-limit'] = options.memoryLimit;
  return a;
}
