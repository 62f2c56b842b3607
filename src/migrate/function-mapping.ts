import { Chart, Duration } from 'cdk8s';
import { BuildStrategy, BuildStrategyKind, IBuildStrategy } from '../build/build-strategy';
import { STANDARD_STRATEGY_INTERFACES, StandardStrategy } from '../build/standard-strategies';
import { DaprComponent, IDaprComponent, MetadataValue } from '../dapr/component';
import { DaprOutput, DaprTrigger } from '../dapr/usage';
import { Builder } from '../function/builder';
import { Function } from '../function/function';
import { FunctionProps, WorkloadRuntime } from '../function/props';
import { FunctionSource } from '../function/source';
import { FunctionGateway } from '../routing/gateway';
import { HookPolicy } from '../serving/hooks';
import { AsyncWorkload, KedaTrigger, Serving } from '../serving/serving';
import { TracingOptions, TracingProviderName } from '../serving/tracing';
import { FunctionWatchOptions, RevisionWatcher } from '../watcher/watcher';
import { DocumentReader, parseGoDuration, reportConstructError } from './reader';
import { revisionControllerWatch } from './revision-controller';

// How one OpenFunction Function document (v1beta1 or v1beta2) maps to Function props.

function standardStrategy(name: string, kind: BuildStrategyKind = BuildStrategyKind.CLUSTER): IBuildStrategy {
  const standard = (Object.values(StandardStrategy) as string[]).includes(name) ? STANDARD_STRATEGY_INTERFACES[name as StandardStrategy] : undefined;
  // The migrated cluster runs the platform's strategies (or OpenFunction's): reference, do not redefine.
  return BuildStrategy.preInstalled(name, { kind, inputs: standard?.inputs, parameters: standard ? [...standard.parameters] : undefined });
}

function componentMetadata(r: DocumentReader, path: string): Record<string, MetadataValue> {
  const out: Record<string, MetadataValue> = {};
  for (const [i, item] of (r.get<any[]>(path, 'array') ?? []).entries()) {
    if (typeof item?.name !== 'string') {
      r.error(`${path}[${i}].name`, 'is required');
      continue;
    }
    if (item.secretKeyRef) out[item.name] = { secretKeyRef: { name: item.secretKeyRef.name, key: item.secretKeyRef.key ?? item.secretKeyRef.name } };
    else out[item.name] = item.value === undefined ? '' : String(item.value);
  }
  return out;
}

interface ServingParts {
  readonly triggers?: { http?: any; dapr?: any[]; inputs?: any[] };
}

export function convertV1beta2(r: DocumentReader, chart: Chart, gateways: Map<string, FunctionGateway>): Function | undefined {
  const props = commonProps(r);
  if (!props) return undefined;
  const namespace = props.namespace;
  const components = daprComponents(r, chart, props.name!, namespace);
  const triggers = r.get<ServingParts['triggers']>('spec.serving.triggers', 'object');
  const http = r.get<any>('spec.serving.triggers.http', 'object');
  const dapr = r.get<any[]>('spec.serving.triggers.dapr', 'array');
  r.consume('spec.serving.triggers.inputs');
  const scale = scaleOptions(r);
  let serving: Serving | undefined;
  let route;
  if (r.doc.spec?.serving === undefined) {
    serving = Serving.none();
  } else if (dapr?.length) {
    const daprTriggers: DaprTrigger[] = dapr.map((t, i) => ({ component: resolveComponent(r, `spec.serving.triggers.dapr[${i}]`, t.name ?? t.inputName, t.type, components, namespace)!, topic: t.topic }))
      .filter((t) => t.component);
    serving = Serving.async({
      ...podOptions(r), triggers: daprTriggers,
      workload: r.get<string>('spec.serving.workloadType', 'string') === 'Job' ? AsyncWorkload.JOB : undefined,
      ...scale.async,
    });
  } else {
    const engine = http?.engine ?? 'knative';
    const port = http?.port;
    if (engine === 'keda') {
      const hso = r.get<any>('spec.serving.scaleOptions.keda.httpScaledObject', 'object') ?? {};
      serving = Serving.kedaHttp({
        ...podOptions(r), port,
        minReplicas: scale.min, maxReplicas: scale.max,
        targetPendingRequests: hso.targetPendingRequests,
        scaledownPeriod: hso.cooldownPeriod !== undefined ? Duration.seconds(hso.cooldownPeriod) : undefined,
        hosts: http?.route?.hostnames, pathPrefixes: routePaths(http?.route),
      });
    } else if (engine === 'knative') {
      serving = Serving.knative({ ...podOptions(r), port, minScale: scale.min, maxScale: scale.max, annotations: r.get('spec.serving.scaleOptions.knative', 'object') });
    } else {
      r.error('spec.serving.triggers.http.engine', `is ${JSON.stringify(engine)}; OpenFunction accepts knative or keda`);
    }
    if (http?.route) route = routeFor(r, 'spec.serving.triggers.http.route', http.route, gateways, namespace);
  }
  r.consume('spec.serving.triggers.http');
  if (triggers === undefined && r.doc.spec?.serving) r.consume('spec.serving.triggers');
  const outputs = (r.get<any[]>('spec.serving.outputs', 'array') ?? []).map((o, i): DaprOutput | undefined => {
    const d = o?.dapr ?? {};
    const component = resolveComponent(r, `spec.serving.outputs[${i}].dapr`, d.name ?? d.outputName, d.type, components, namespace);
    return component ? { component, topic: d.topic, operation: d.operation, metadata: d.metadata, name: d.outputName ?? undefined } : undefined;
  }).filter((o): o is DaprOutput => !!o);
  const states = Object.entries(r.get<Record<string, any>>('spec.serving.states', 'object') ?? {}).map(([key, s]) => {
    if (s?.spec) return components.get(key);
    return resolveComponent(r, `spec.serving.states.${key}`, key, undefined, components, namespace);
  }).filter((c): c is IDaprComponent => !!c);
  return makeFunction(r, chart, { ...props, serving, route, outputs: outputs.length ? outputs : undefined, states: states.length ? states : undefined });
}

export function convertV1beta1(r: DocumentReader, chart: Chart, gateways: Map<string, FunctionGateway>): Function | undefined {
  const props = commonProps(r);
  if (!props) return undefined;
  const namespace = props.namespace;
  const runtime = r.get<string>('spec.serving.runtime', 'string') ?? 'knative';
  const scale = scaleOptions(r);
  const port = r.get<number>('spec.port', 'number');
  const components = daprComponents(r, chart, props.name!, namespace);
  const params = r.get<Record<string, string>>('spec.build.params', 'object');
  let serving: Serving | undefined;
  let route;
  if (r.doc.spec?.serving === undefined) {
    serving = Serving.none();
  } else if (runtime === 'async') {
    const inputs = r.get<any[]>('spec.serving.inputs', 'array') ?? [];
    serving = Serving.async({
      ...podOptions(r),
      triggers: inputs.map((i, n) => ({ component: resolveComponent(r, `spec.serving.inputs[${n}]`, i.component, i.type, components, namespace)!, topic: i.topic, name: i.name })).filter((t) => t.component),
      ...scale.async,
      kedaTriggers: r.get<KedaTrigger[]>('spec.serving.triggers', 'array'),
    });
  } else if (runtime === 'knative') {
    serving = Serving.knative({ ...podOptions(r), port, minScale: scale.min, maxScale: scale.max, annotations: r.get('spec.serving.scaleOptions.knative', 'object') });
    const v1Route = r.get<any>('spec.route', 'object');
    if (v1Route) route = routeFor(r, 'spec.route', v1Route, gateways, namespace);
  } else {
    r.error('spec.serving.runtime', `is ${JSON.stringify(runtime)}; OpenFunction v1beta1 accepts knative or async`);
  }
  const outputs = (r.get<any[]>('spec.serving.outputs', 'array') ?? []).map((o, n): DaprOutput | undefined => {
    const component = resolveComponent(r, `spec.serving.outputs[${n}]`, o.component, o.type, components, namespace);
    return component ? { component, name: o.name, topic: o.topic, operation: o.operation, metadata: o.params } : undefined;
  }).filter((o): o is DaprOutput => !!o);
  return makeFunction(r, chart, { ...props, serving, route, strategyParams: params ?? props.strategyParams, outputs: outputs.length ? outputs : undefined });
}

function makeFunction(r: DocumentReader, chart: Chart, fnProps: FunctionProps & { name?: string }): Function | undefined {
  const props: FunctionProps = {
    ...fnProps,
    tracing: tracingOf(r.get<any>('spec.serving.tracing', 'object')),
    hooks: hooksOf(r.get<any>('spec.serving.hooks', 'object')),
  };
  r.consume('spec.serving.tracing');
  r.consume('spec.serving.hooks');
  r.warnUnread('spec');
  const watch = revisionControllerWatch(r, props, RevisionWatcher.of(chart));
  if (watch) (props as { watch?: FunctionWatchOptions }).watch = watch;
  if (r.errors.length) return undefined;
  try {
    return new Function(chart, `${props.namespace ?? 'default'}-${props.name}`, props);
  } catch (e) {
    reportConstructError(r, e);
    return undefined;
  }
}

function commonProps(r: DocumentReader): (FunctionProps & { name?: string }) | undefined {
  const name = r.get<string>('metadata.name', 'string');
  const namespace = r.get<string>('metadata.namespace', 'string');
  const image = r.get<string>('spec.image', 'string');
  if (!image) r.error('spec.image', 'is required');
  if (!name || !image) return undefined;
  const runtime = r.get<string>('spec.workloadRuntime', 'string');
  const wasm = runtime?.toLowerCase() === 'wasmedge' || r.doc.metadata?.annotations?.['module.wasm.image/variant'] !== undefined;
  const build = r.get<any>('spec.build', 'object');
  const props: FunctionProps & { name?: string } = {
    name, namespace, image,
    version: r.get('spec.version', 'string'),
    imageCredentials: r.get<any>('spec.imageCredentials', 'object')?.name ? { name: r.doc.spec.imageCredentials.name } : undefined,
    workloadRuntime: wasm ? WorkloadRuntime.WASMEDGE : undefined,
  };
  r.consume('spec.imageCredentials');
  if (!build) return { ...props, source: undefined };
  const src = r.get<any>('spec.build.srcRepo', 'object');
  const credentials = src?.credentials?.name ? { name: src.credentials.name } : undefined;
  let source: FunctionSource | undefined;
  if (src?.bundleContainer?.image) source = FunctionSource.fromBundle(src.bundleContainer.image, { subPath: src.sourceSubPath, credentials });
  else if (src?.url) source = FunctionSource.fromGit(src.url, { revision: src.revision || undefined, subPath: src.sourceSubPath, credentials });
  else r.error('spec.build.srcRepo', 'needs url or bundleContainer.image');
  r.consume('spec.build.srcRepo');
  const builderImage = r.get<string>('spec.build.builder', 'string');
  const builderCredentials = r.get<any>('spec.build.builderCredentials', 'object');
  const dockerfile = r.get<string>('spec.build.dockerfile', 'string');
  const strategy = r.get<any>('spec.build.shipwright.strategy', 'object');
  const params = r.get<any[]>('spec.build.shipwright.params', 'array');
  if (r.get('spec.build.shipwright.timeout', 'string') !== undefined) r.warn('spec.build.shipwright.timeout', 'is ignored by OpenFunction too; use spec.build.timeout');
  const strategyParams = params ? Object.fromEntries(params.map((p) => [p.name, p.values ? p.values.map((v: any) => String(v.value ?? v)) : String(p.value ?? '')])) : undefined;
  const limit = (field: string) => {
    const v = r.get<number>(`spec.build.${field}`, 'number');
    if (v === 0) {
      r.warn(`spec.build.${field}`, 'is 0; Shipwright keeps at least one BuildRun, so it becomes 1');
      return 1;
    }
    return v;
  };
  const duration = (field: string) => {
    const v = r.get<string>(`spec.build.${field}`, 'string');
    if (v === undefined) return undefined;
    const d = parseGoDuration(v);
    if (!d) r.error(`spec.build.${field}`, `is ${JSON.stringify(v)}, not a duration like 10m or 1h30m`);
    return d;
  };
  const defaultStrategy = dockerfile !== undefined ? (wasm ? StandardStrategy.WASMEDGE : StandardStrategy.BUILDAH) : wasm ? StandardStrategy.WASMEDGE : StandardStrategy.OPENFUNCTION;
  const env = r.get<Record<string, unknown>>('spec.build.env', 'object');
  return {
    ...props,
    source,
    builder: builderImage ? Builder.fromImage(builderImage, { credentials: builderCredentials?.name ? { name: builderCredentials.name } : undefined }) : undefined,
    buildEnv: env ? Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])) : undefined,
    dockerfile,
    strategy: standardStrategy(strategy?.name ?? defaultStrategy, strategy?.kind === 'BuildStrategy' ? BuildStrategyKind.NAMESPACED : BuildStrategyKind.CLUSTER),
    strategyParams,
    buildTimeout: duration('timeout'),
    successfulBuildsHistoryLimit: limit('successfulBuildsHistoryLimit'),
    failedBuildsHistoryLimit: limit('failedBuildsHistoryLimit'),
    buildRunMaxAge: duration('builderMaxAge'),
  };
}

function podOptions(r: DocumentReader) {
  const template = r.get<any>('spec.serving.template', 'object');
  const containers: any[] = template?.containers ?? [];
  const fnContainer = containers.find((c) => c.name === 'function') ?? (containers.length === 1 ? containers[0] : undefined);
  const { name: _n, image: _i, ...container } = fnContainer ?? {};
  const { containers: _c, ...podSpec } = template ?? {};
  if (containers.length > 1) r.warn('spec.serving.template.containers', 'has containers besides "function"; only the function container is kept');
  const params = r.get<Record<string, unknown>>('spec.serving.params', 'object');
  return {
    env: params ? Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) : undefined,
    podLabels: r.get('spec.serving.labels', 'object'),
    podAnnotations: r.get('spec.serving.annotations', 'object'),
    container: Object.keys(container).length ? container : undefined,
    podSpec: Object.keys(podSpec).length ? podSpec : undefined,
  };
}

function tracingOf(t: any): TracingOptions | undefined {
  if (!t) return undefined;
  return {
    enabled: t.enabled,
    provider: t.provider ? { name: t.provider.name as TracingProviderName, oapServer: t.provider.oapServer, exporter: t.provider.exporter } : undefined,
    tags: t.tags, baggage: t.baggage,
  };
}

function hooksOf(h: any) {
  if (!h) return undefined;
  return { pre: h.pre, post: h.post, policy: h.policy === 'Override' ? HookPolicy.OVERRIDE : HookPolicy.APPEND };
}

function scaleOptions(r: DocumentReader) {
  const min = r.get<number>('spec.serving.scaleOptions.minReplicas', 'number');
  const max = r.get<number>('spec.serving.scaleOptions.maxReplicas', 'number');
  const so = r.get<any>('spec.serving.scaleOptions.keda.scaledObject', 'object') ?? {};
  const sj = r.get<any>('spec.serving.scaleOptions.keda.scaledJob', 'object');
  const kedaTriggers = r.get<KedaTrigger[]>('spec.serving.scaleOptions.keda.triggers', 'array');
  r.consume('spec.serving.scaleOptions.keda.httpScaledObject');
  const async = {
    minReplicas: min, maxReplicas: max, kedaTriggers,
    pollingInterval: (sj?.pollingInterval ?? so.pollingInterval) !== undefined ? Duration.seconds(sj?.pollingInterval ?? so.pollingInterval) : undefined,
    cooldownPeriod: so.cooldownPeriod !== undefined ? Duration.seconds(so.cooldownPeriod) : undefined,
    fallback: so.fallback,
    restartPolicy: sj?.restartPolicy,
    successfulJobsHistoryLimit: sj?.successfulJobsHistoryLimit,
    failedJobsHistoryLimit: sj?.failedJobsHistoryLimit,
    scalingStrategy: sj?.scalingStrategy,
  };
  if (so.advanced) r.warn('spec.serving.scaleOptions.keda.scaledObject.advanced', 'is not converted; set advanced on Serving.async by hand');
  return { min, max, async };
}

function routePaths(route: any): string[] | undefined {
  const paths: string[] = [];
  for (const rule of route?.rules ?? []) for (const m of rule.matches ?? []) if (m.path?.value !== undefined) paths.push(m.path.value || '/');
  return paths.length ? paths : undefined;
}

function routeFor(r: DocumentReader, path: string, route: any, gateways: Map<string, FunctionGateway>, _namespace?: string) {
  const ref = route.gatewayRef ?? { name: 'openfunction', namespace: 'openfunction' };
  const gw = gateways.get(`${ref.namespace ?? 'openfunction'}/${ref.name}`);
  r.consume(path);
  if (!gw) {
    r.warn(`${path}.gatewayRef`, `names Gateway ${ref.namespace ?? 'openfunction'}/${ref.name}, which is not in the input; the route was left out (add the Gateway's YAML to convert it)`);
    return undefined;
  }
  return gw.route({ hostnames: route.hostnames, paths: routePaths(route) });
}

function daprComponents(r: DocumentReader, chart: Chart, fn: string, namespace?: string): Map<string, DaprComponent> {
  const out = new Map<string, DaprComponent>();
  for (const block of ['bindings', 'pubsub', 'states']) {
    const entries = r.get<Record<string, any>>(`spec.serving.${block}`, 'object') ?? {};
    for (const [key, value] of Object.entries(entries)) {
      const spec = block === 'states' ? value?.spec : value;
      if (!spec) continue;
      const path = `spec.serving.${block}.${key}${block === 'states' ? '.spec' : ''}`;
      if (typeof spec.type !== 'string') {
        r.error(`${path}.type`, 'is required');
        continue;
      }
      try {
        out.set(key, new DaprComponent(chart, `${namespace ?? 'default'}-${fn}-${key}`, { name: key, namespace, type: spec.type, version: spec.version, metadata: componentMetadata(r, `${path}.metadata`) }));
      } catch (e) {
        reportConstructError(r, e);
      }
    }
    r.consume(`spec.serving.${block}`);
  }
  return out;
}

function resolveComponent(r: DocumentReader, path: string, name: string | undefined, type: string | undefined, own: Map<string, DaprComponent>, namespace?: string): IDaprComponent | undefined {
  if (!name) {
    r.error(`${path}.name`, 'is required');
    return undefined;
  }
  const c = own.get(name);
  if (c) return c;
  if (!type) {
    r.error(`${path}.type`, `is required: ${name} is not defined in the Function, so it is an existing component whose type the converter cannot read from a cluster`);
    return undefined;
  }
  return DaprComponent.existing(name, type, namespace);
}
