/**
 * Pulumi components over the cdk8s constructs: each builds the same construct tree in memory and
 * registers every object it synthesizes as a Pulumi Kubernetes resource, so both front-ends emit
 * the same objects.
 *
 * @module
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { App, Chart } from 'cdk8s';
import {
  chartObjects, Function as CdkFunction, FunctionGateway as CdkFunctionGateway, FunctionGatewayProps as CdkGatewayProps,
  FunctionProps as CdkFunctionProps, FunctionRoute, KubeObject, OpenFunctionPlatform, OpenFunctionPlatformProps, RouteOptions, SchemaValidator,
} from '../index';
import { throwIfInvalid } from '../common/errors';
import { markRegistered } from '../common/registration';
import { stableStringify } from '../common/names';

/** Await behaviour of registered objects. */
export interface AwaitOptions {
  /**
   * Wait for each BuildRun to succeed (`pulumi.com/waitFor`), so `pulumi up` reports build failures.
   * @default true
   */
  readonly awaitBuild?: boolean;
  /**
   * Wait for Knative Services to be Ready.
   * @default true
   */
  readonly awaitServing?: boolean;
}

const CORE_GROUPS = new Set(['', 'apps', 'batch', 'policy', 'autoscaling']);

/** The typed Pulumi class for a core kind, or undefined for custom kinds. */
function typedClass(apiVersion: string, kind: string): any {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (!CORE_GROUPS.has(group) && !group.endsWith('.k8s.io')) return undefined;
  if (group === 'gateway.networking.k8s.io') return undefined;
  const module = group === '' ? 'core' : group.split('.')[0];
  return (k8s as any)[module]?.[version]?.[kind];
}

/** The annotations that tell Pulumi how to await an object. */
export function awaitAnnotations(obj: KubeObject, options: AwaitOptions = {}): Record<string, string> {
  const key = `${obj.apiVersion}/${obj.kind}`;
  if (key === 'shipwright.io/v1beta1/BuildRun') {
    return options.awaitBuild ?? true
      ? { 'pulumi.com/waitFor': 'jsonpath={.status.conditions[?(@.type=="Succeeded")].status}=True' }
      : { 'pulumi.com/skipAwait': 'true' };
  }
  if (key === 'serving.knative.dev/v1/Service') {
    return options.awaitServing ?? true ? { 'pulumi.com/waitFor': 'condition=Ready' } : { 'pulumi.com/skipAwait': 'true' };
  }
  // KEDA owns these replicas and may scale them to zero while Pulumi would wait for readiness.
  if (key === 'apps/v1/Deployment' && (obj.metadata?.labels as Record<string, string> | undefined)?.['openfunction.io/function']) {
    return { 'pulumi.com/skipAwait': 'true' };
  }
  return {};
}

/** Runs the construct validations below `scope` (what `cdk8s synth` runs first) and throws on any. */

// One in-memory cdk8s App for the components of a Pulumi program, so that they see each other
// (strategies, gateways, Dapr components) as constructs of one cdk8s app do.
let sharedApp: App | undefined;

/** The cdk8s App the components of this program build into. */
export function programApp(): App {
  return sharedApp ??= new App({ outdir: '.' });
}

/** A chart of its own in the program's shared cdk8s App. */
function componentChart(name: string, namespace?: string): Chart {
  const app = programApp();
  const id = app.node.tryFindChild(name) ? `${name}-${app.node.children.length}` : name;
  return new Chart(app, id, { namespace });
}

function objectKey(o: KubeObject): string {
  return [o.kind, o.metadata?.namespace, o.metadata?.name].filter(Boolean).join('/');
}

function rank(o: KubeObject): number {
  if (o.kind === 'CustomResourceDefinition') return 0;
  if (o.kind === 'Namespace') return 1;
  return 2;
}

/**
 * Validates the constructs of `charts` and registers their objects under `parent`, CRDs and
 * Namespaces first; returns the objects (as synthesized) and the resources by `Kind/ns/name`.
 */
function registerCharts(parent: pulumi.ComponentResource, prefix: string, charts: readonly Chart[], options: AwaitOptions, resourceOptions: pulumi.CustomResourceOptions = {}, validator = SchemaValidator.default) {
  for (const chart of charts) throwIfInvalid(chart);
  const objects = charts.flatMap((c) => chartObjects(c));
  for (const chart of charts) markRegistered(chart, `Pulumi component ${prefix}`);
  const problems = validator.validateObjects(objects);
  if (problems.length) throw new Error(problems.map(String).join('\n'));
  const crds: pulumi.CustomResource[] = [];
  const resources: Record<string, pulumi.CustomResource> = {};
  for (const obj of [...objects].sort((a, b) => rank(a) - rank(b))) {
    const annotations = { ...(obj.metadata?.annotations as Record<string, string> | undefined), ...awaitAnnotations(obj, options) };
    const body: any = { ...obj, metadata: { ...obj.metadata, ...(Object.keys(annotations).length ? { annotations } : {}) } };
    const resourceName = `${prefix}:${objectKey(obj)}`;
    const Typed = typedClass(obj.apiVersion!, obj.kind!);
    const opts: pulumi.CustomResourceOptions = { ...resourceOptions, parent, dependsOn: !Typed && crds.length ? crds : resourceOptions.dependsOn };
    const resource = Typed ? new Typed(resourceName, body, opts) : new k8s.apiextensions.CustomResource(resourceName, body, opts);
    if (obj.kind === 'CustomResourceDefinition') crds.push(resource);
    resources[objectKey(obj)] = resource;
  }
  return { objects, resources };
}

/** Arguments of {@link Cdk8sApp}. */
export interface Cdk8sAppArgs extends AwaitOptions {
  /** Adds charts and constructs to a fresh in-memory cdk8s App. */
  readonly build: (app: App) => void;
}

/**
 * A whole cdk8s app as Pulumi resources (`openfunction:index:Cdk8sApp`): `build` fills a fresh
 * in-memory cdk8s App, whose objects are validated as `cdk8s synth` does and registered with
 * `parent: this`.
 */
export class Cdk8sApp extends pulumi.ComponentResource {
  /** The registered resources, by `Kind/namespace/name`. */
  public readonly resources: Record<string, pulumi.CustomResource>;
  /** The objects, as cdk8s synthesizes them. */
  public readonly objects: KubeObject[];

  constructor(name: string, args: Cdk8sAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('openfunction:index:Cdk8sApp', name, {}, opts);
    const app = new App({ outdir: '.' });
    args.build(app);
    ({ objects: this.objects, resources: this.resources } = registerCharts(this, name, app.charts, args));
    this.registerOutputs({});
  }
}

/** Arguments of {@link Cdk8sChart}. */
export interface Cdk8sChartArgs extends AwaitOptions {
  /** Namespace of the chart. @default - none */
  readonly namespace?: string;
  /** Adds constructs (Dapr components, strategies, ...) to the chart. */
  readonly build: (chart: Chart) => void;
}

/**
 * Any constructs of this library as Pulumi resources (`openfunction:index:Cdk8sChart`), in the
 * program's shared cdk8s App, so Functions created after it find what it defines.
 */
export class Cdk8sChart extends pulumi.ComponentResource {
  public readonly resources: Record<string, pulumi.CustomResource>;
  public readonly objects: KubeObject[];
  /** The chart, for passing its constructs to Functions. */
  public readonly chart: Chart;

  constructor(name: string, args: Cdk8sChartArgs, opts?: pulumi.ComponentResourceOptions) {
    super('openfunction:index:Cdk8sChart', name, {}, opts);
    this.chart = componentChart(name, args.namespace);
    args.build(this.chart);
    ({ objects: this.objects, resources: this.resources } = registerCharts(this, name, [this.chart], args));
    this.registerOutputs({});
  }
}

/** Arguments of the Pulumi {@link Function}: the cdk8s props, with Inputs where outputs are common. */
export interface FunctionArgs extends Omit<CdkFunctionProps, 'image' | 'namespace' | 'route'>, AwaitOptions {
  /** The image (e.g. a registry resource's output). @default - the prebuilt source image */
  readonly image?: pulumi.Input<string>;
  /** @default - none: the provider's default namespace */
  readonly namespace?: pulumi.Input<string>;
  /** A route on a Pulumi {@link FunctionGateway}. @default - no route */
  readonly route?: FunctionRoute;
}

/**
 * An OpenFunction function as a Pulumi component (`openfunction:index:Function`): the same
 * objects as the cdk8s `Function`, registered as children.
 */
export class Function extends pulumi.ComponentResource {
  public readonly url: pulumi.Output<string | undefined>;
  public readonly internalUrl: pulumi.Output<string | undefined>;
  public readonly image: pulumi.Output<string>;
  public readonly buildRunName: pulumi.Output<string | undefined>;
  public readonly revisionName: pulumi.Output<string | undefined>;
  public readonly namespace: pulumi.Output<string | undefined>;
  /** The registered objects (as synthesized), once known. */
  public readonly objects: pulumi.Output<KubeObject[]>;
  /**
   * The registered resources by `Kind/namespace/name`: filled in the constructor, or once the
   * `image`/`namespace` outputs resolve when they are outputs.
   */
  public readonly resources: Record<string, pulumi.CustomResource> = {};

  constructor(name: string, args: FunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('openfunction:index:Function', name, {}, opts);
    const { image, namespace, awaitBuild, awaitServing, ...rest } = args;
    const build = (img: string | undefined, ns: string | undefined) => {
      const chart = componentChart(name, ns);
      const fn = new CdkFunction(chart, name, { ...rest, image: img, name: rest.name ?? name });
      const { objects, resources } = registerCharts(this, name, [chart], { awaitBuild, awaitServing });
      Object.assign(this.resources, resources);
      return { objects, url: fn.url, internalUrl: fn.internalUrl, image: fn.image, buildRunName: fn.buildRunName, revisionName: fn.revisionName, namespace: fn.namespace };
    };
    // Plain values build now, so bad props fail the program where they are given.
    const result = pulumi.Output.isInstance(image) || pulumi.Output.isInstance(namespace)
      ? pulumi.all([image, namespace]).apply(([img, ns]) => build(img, ns))
      : pulumi.output(build(image as string | undefined, namespace as string | undefined));
    this.url = result.url;
    this.internalUrl = result.internalUrl;
    this.image = result.image;
    this.buildRunName = result.buildRunName;
    this.revisionName = result.revisionName;
    this.namespace = result.namespace;
    this.objects = result.objects;
    this.registerOutputs({ url: this.url, internalUrl: this.internalUrl, image: this.image, buildRunName: this.buildRunName, revisionName: this.revisionName, namespace: this.namespace });
  }
}

/** Arguments of the Pulumi {@link FunctionGateway}. */
export type FunctionGatewayArgs = CdkGatewayProps;

/** The functions' gateway as a Pulumi component (`openfunction:index:FunctionGateway`). */
export class FunctionGateway extends pulumi.ComponentResource {
  /** The cdk8s gateway that routes are computed against. */
  public readonly construct: CdkFunctionGateway;
  public readonly objects: KubeObject[];
  public readonly resources: Record<string, pulumi.CustomResource>;

  constructor(name: string, args: FunctionGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super('openfunction:index:FunctionGateway', name, {}, opts);
    const chart = componentChart(name, args.namespace);
    this.construct = new CdkFunctionGateway(chart, name, { name, ...args });
    ({ objects: this.objects, resources: this.resources } = registerCharts(this, name, [chart], {}));
    this.registerOutputs({ gatewayName: this.construct.gatewayName });
  }

  /** A route for a function on this gateway. */
  public route(options: RouteOptions = {}): FunctionRoute {
    return this.construct.route(options);
  }
}

/** Arguments of the Pulumi {@link Platform}. */
export type PlatformArgs = OpenFunctionPlatformProps;

/**
 * The OpenFunction platform as a Pulumi component (`openfunction:index:Platform`): CRDs and
 * Namespaces first, custom resources depending on the CRDs. Create it before the functions, so
 * they find its build strategies.
 */
export class Platform extends pulumi.ComponentResource {
  public readonly construct: OpenFunctionPlatform;
  public readonly objects: KubeObject[];
  public readonly resources: Record<string, pulumi.CustomResource>;
  /** Every image the platform uses. */
  public readonly images: string[];

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super('openfunction:index:Platform', name, {}, opts);
    const chart = componentChart(name);
    this.construct = new OpenFunctionPlatform(chart, name, args);
    ({ objects: this.objects, resources: this.resources } = registerCharts(this, name, [chart], {}, {}, this.construct.validator));
    this.images = this.construct.images();
    this.registerOutputs({ images: this.images });
  }
}

/** Objects minus the annotations only Pulumi reads, with keys sorted: for comparing front-ends. */
export function comparable(objects: readonly KubeObject[]): string[] {
  return objects.map((o) => {
    const annotations = Object.fromEntries(Object.entries((o.metadata?.annotations as Record<string, string>) ?? {}).filter(([k]) => !k.startsWith('pulumi.com/')));
    const metadata = { ...o.metadata, annotations: Object.keys(annotations).length ? annotations : undefined };
    return stableStringify({ ...o, metadata });
  }).sort();
}

