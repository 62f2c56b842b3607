import { createHash } from 'crypto';
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { loadAll } from 'js-yaml';
import { StandardBuildStrategies, StandardBuildStrategiesProps } from '../build/strategies';
import { PropChecks } from '../common/errors';
import { isHostname } from '../routing/templates';
import { KubeObject, SchemaValidation, SchemaValidator } from '../validation/validator';
import { RevisionWatcher, RevisionWatcherProps } from '../watcher/watcher';
import { Footprint, footprintOf } from './footprint';
import { imagesOf, podSpecOf, RegistryRewrite, rewriteImage, rewriteTargetProblem, visitImages } from './images';
import { ManifestSource } from './manifest-source';
import { applySizing, PlatformSizing, SizingProfile } from './sizing';
import {
  COMPONENT_DEPENDENCIES, componentFiles, ComponentVersions, KnativeNetworking, PlatformComponent, PlatformPreset, VERSION_MATRIX,
} from './versions';

/** Props of {@link OpenFunctionPlatform}. */
export interface OpenFunctionPlatformProps {
  /** The cluster's Kubernetes version, e.g. `1.33` (a patch part is ignored). */
  readonly kubernetesVersion: string;
  /**
   * What to install.
   * @default PlatformPreset.ALL
   */
  readonly components?: readonly PlatformComponent[];
  /**
   * Knative's networking layer.
   * @default KnativeNetworking.KOURIER
   */
  readonly knativeNetworking?: KnativeNetworking;
  /**
   * Domain of Knative Service URLs (Knative's `config-domain`).
   * @default - Knative's default (`svc.cluster.local` URLs only)
   */
  readonly domain?: string;
  /**
   * Where upstream manifests come from.
   * @default ManifestSource.fromEnvironment(): the `OFN_MANIFEST_MIRROR` directory, else the pinned upstream URLs
   */
  readonly manifests?: ManifestSource;
  /**
   * Pull every image through other registries (mirrors, air-gapped installs).
   * @default - images as upstream names them
   */
  readonly registryRewrite?: RegistryRewrite;
  /**
   * The library's ClusterBuildStrategies, or `false` for none.
   * @default - all standard strategies (with Shipwright)
   */
  readonly buildStrategies?: StandardBuildStrategiesProps | false;
  /**
   * A RuntimeClass `openfunction-crun` (handler `crun`) for WasmEdge functions; the nodes must have
   * crun built with WasmEdge. Also enables Knative's runtime-class feature.
   * @default false
   */
  readonly wasmRuntimeClass?: boolean;
  /**
   * A `RevisionWatcher` in the `openfunction` namespace, which functions with `watch: true` use;
   * its image goes through `registryRewrite` like the platform's, and it counts in `images()` and
   * `footprint()`. `true` for its defaults.
   * @default - none
   */
  readonly revisionWatcher?: RevisionWatcherProps | boolean;
  /**
   * How much the control planes ask for: a profile (small, default, HA) and per-workload overrides.
   * Every container gets CPU and memory requests and a memory limit, whatever the profile.
   * @default - SizingProfile.DEFAULT
   */
  readonly sizing?: PlatformSizing;
  /**
   * Log levels of the KEDA and Dapr control planes.
   * @default - upstream's (info)
   */
  readonly logLevels?: { readonly keda?: 'debug' | 'info' | 'error'; readonly dapr?: 'debug' | 'info' | 'warn' | 'error' };
  /**
   * More Knative `config-features` flags.
   * @default - only what functions need (`kubernetes.podspec-fieldref: enabled`)
   */
  readonly knativeFeatures?: Record<string, string>;
}

// Apply order: CRD providers first, then the controllers that need them.
const ORDER: PlatformComponent[] = [
  PlatformComponent.GATEWAY_API, PlatformComponent.CERT_MANAGER, PlatformComponent.TEKTON, PlatformComponent.SHIPWRIGHT,
  PlatformComponent.KNATIVE, PlatformComponent.KEDA, PlatformComponent.KEDA_HTTP, PlatformComponent.DAPR, PlatformComponent.CONTOUR,
];

const INGRESS_CLASS: Record<KnativeNetworking, string> = {
  [KnativeNetworking.KOURIER]: 'kourier.ingress.networking.knative.dev',
  [KnativeNetworking.CONTOUR]: 'contour.ingress.networking.knative.dev',
  [KnativeNetworking.GATEWAY_API]: 'gateway-api.ingress.networking.knative.dev',
};

const NETWORKING_NEEDS: Record<KnativeNetworking, PlatformComponent[]> = {
  [KnativeNetworking.KOURIER]: [],
  [KnativeNetworking.CONTOUR]: [PlatformComponent.CONTOUR],
  [KnativeNetworking.GATEWAY_API]: [PlatformComponent.GATEWAY_API, PlatformComponent.CONTOUR],
};

const parsed = new Map<string, KubeObject[]>();

/**
 * The objects of a multi-document YAML text (parsed once per content). js-yaml, not yaml: upstream
 * manifests are megabytes of CRDs, which js-yaml reads about seven times faster to the same JSON.
 */
function parseManifest(text: string, where: string): KubeObject[] {
  const key = createHash('sha256').update(text).digest('hex');
  let objects = parsed.get(key);
  if (!objects) {
    try {
      objects = (loadAll(text) as unknown[]).filter((v): v is KubeObject => !!v && typeof v === 'object');
    } catch (e) {
      throw new Error(`${where}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    parsed.set(key, objects);
  }
  // Callers change objects (registry rewrite, configuration): give them their own copy.
  return JSON.parse(JSON.stringify(objects));
}

function keyOf(o: KubeObject): string {
  return `${o.apiVersion}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

function rank(o: KubeObject): number {
  return o.kind === 'Namespace' ? 0 : o.kind === 'CustomResourceDefinition' ? 1 : 2;
}

/** Normalizes `v1.33.4` / `1.33` to `1.33`. */
export function minorVersion(version: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)(\.\d+)?$/.exec(version.trim());
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/**
 * The control planes functions need, as real objects in the synthesized output: Tekton, Shipwright
 * with the library's ClusterBuildStrategies, Knative Serving and its networking layer, KEDA and its
 * HTTP add-on, Dapr, cert-manager, the Gateway API CRDs and Contour's gateway provisioner. Versions
 * come from a matrix keyed by Kubernetes version; manifests from a {@link ManifestSource}.
 * Namespaces and CRDs come first in the output; apply it with `kubectl apply --server-side`.
 */
export class OpenFunctionPlatform extends Construct {
  /** The installed components. */
  public readonly components!: readonly PlatformComponent[];
  /** The releases installed. */
  public readonly versions!: ComponentVersions;
  public readonly knativeNetworking?: KnativeNetworking;
  /** The standard build strategies, when Shipwright is installed. */
  public readonly buildStrategies?: StandardBuildStrategies;
  /** The sizing profile applied. */
  public readonly sizingProfile!: SizingProfile;
  /** The validator for this platform's objects: the shipped schemas plus the platform's own CRDs. */
  public readonly validator!: SchemaValidator;
  /** The revision watcher, when `revisionWatcher` is set. */
  public readonly revisionWatcher?: RevisionWatcher;
  private readonly objectsByComponent = new Map<string, KubeObject[]>();

  constructor(scope: Construct, id: string, props: OpenFunctionPlatformProps) {
    super(scope, id);
    const checks = new PropChecks(this);
    const minor = minorVersion(props.kubernetesVersion ?? '');
    const versions = minor ? VERSION_MATRIX[minor] : undefined;
    if (!versions) {
      checks.add('OFN_K8S_VERSION', 'kubernetesVersion', props.kubernetesVersion, 'is not a Kubernetes version the version matrix covers', `use one of ${Object.keys(VERSION_MATRIX).join(', ')}`);
    }
    const components = [...new Set(props.components ?? PlatformPreset.ALL)];
    const known = Object.values(PlatformComponent) as string[];
    for (const c of components) {
      if (!known.includes(c)) checks.add('OFN_PLATFORM_COMPONENT', 'components', c, 'is not a platform component', `use PlatformComponent values: ${known.join(', ')}`);
    }
    for (const c of components) {
      for (const dep of COMPONENT_DEPENDENCIES[c] ?? []) {
        if (!components.includes(dep)) checks.add('OFN_PLATFORM_DEPENDENCY', 'components', c, `needs ${dep}, which is not selected`, `add PlatformComponent ${dep} or drop ${c}`);
      }
    }
    const networking = components.includes(PlatformComponent.KNATIVE) ? props.knativeNetworking ?? KnativeNetworking.KOURIER : undefined;
    if (networking !== undefined) {
      if (!Object.values(KnativeNetworking).includes(networking)) {
        checks.add('OFN_PLATFORM_COMPONENT', 'knativeNetworking', networking, 'is not a Knative networking layer', `use ${Object.values(KnativeNetworking).join(', ')}`);
      }
      for (const dep of NETWORKING_NEEDS[networking] ?? []) {
        if (!components.includes(dep)) checks.add('OFN_PLATFORM_DEPENDENCY', 'knativeNetworking', networking, `needs ${dep}, which is not selected`, `add PlatformComponent ${dep} or use KnativeNetworking.KOURIER`);
      }
    }
    if (Chart.of(this).namespace) {
      checks.add('OFN_PLATFORM_CHART', 'scope', Chart.of(this).namespace, 'is the namespace of the chart, which cdk8s would stamp on cluster-scoped objects', 'put the platform in a chart without a namespace');
    }
    if (props.domain !== undefined && !isHostname(props.domain)) checks.add('OFN_HOSTNAME', 'domain', props.domain, 'is not a DNS domain', 'give e.g. fn.example.com');
    for (const [registry, target] of Object.entries(props.registryRewrite?.registries ?? {})) {
      const problem = rewriteTargetProblem(target);
      if (problem) checks.add('OFN_REGISTRY_REWRITE', `registryRewrite.registries["${registry}"]`, target, problem, 'give e.g. mirror.example.com/openfunction');
      if (registry !== '*' && !/^[a-z0-9.-]+(:\d+)?$/.test(registry)) checks.add('OFN_REGISTRY_REWRITE', 'registryRewrite.registries', registry, 'is not a registry host', "give a host such as gcr.io, or '*' for every registry");
    }
    if (checks.stop()) return;

    this.components = ORDER.filter((c) => components.includes(c));
    this.versions = versions!;
    this.knativeNetworking = networking;
    const source = props.manifests ?? ManifestSource.fromEnvironment();

    // Read and parse every selected manifest; an object seen twice (shared CRDs) is kept once.
    const seen = new Set<string>();
    const units: [string, PlatformComponent | KnativeNetworking][] = this.components.map((c) => [c, c]);
    if (networking) units.splice(units.findIndex(([c]) => c === PlatformComponent.KNATIVE) + 1, 0, [PlatformComponent.KNATIVE, networking]);
    for (const [component, unit] of units) {
      for (const file of componentFiles(unit, this.versions[unit])) {
        const objects = parseManifest(source.read(file), file.file).filter((o) => {
          const key = keyOf(o);
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
        this.objectsByComponent.set(component, [...this.objectsByComponent.get(component) ?? [], ...objects]);
      }
    }
    this.configureKnative(props, networking);
    this.setLogLevels(props.logLevels);
    if (components.includes(PlatformComponent.CONTOUR)) {
      this.objectsByComponent.get(PlatformComponent.CONTOUR)!.push({
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'contour' },
        spec: { controllerName: 'projectcontour.io/gateway-controller' },
      });
    }
    if (props.registryRewrite) {
      const rewrite = props.registryRewrite;
      for (const list of this.objectsByComponent.values()) for (const o of list) visitImages(o, (image) => rewriteImage(image, rewrite));
    }

    for (const list of this.objectsByComponent.values()) list.push(...applySizing(list, props.sizing));
    this.sizingProfile = props.sizing?.profile ?? SizingProfile.DEFAULT;

    const all = [...this.objectsByComponent.values()].flat();
    this.validator = new SchemaValidator();
    for (const o of all) if (o.kind === 'CustomResourceDefinition') this.validator.addCustomResourceDefinition(o);
    const ordered = [...all].map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map(({ o }) => o);
    const ids = new Set<string>();
    for (const o of ordered) {
      let objectId = `${o.kind}-${o.metadata?.namespace ?? ''}-${o.metadata?.name}`.replace(/[^A-Za-z0-9-]/g, '-');
      while (ids.has(objectId)) objectId += '-';
      ids.add(objectId);
      new ApiObject(this, objectId, o as any);
    }

    if (components.includes(PlatformComponent.SHIPWRIGHT) && props.buildStrategies !== false) {
      this.buildStrategies = new StandardBuildStrategies(this, 'BuildStrategies', props.buildStrategies || {});
    }
    if (props.wasmRuntimeClass) {
      new ApiObject(this, 'WasmRuntimeClass', { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'openfunction-crun' }, handler: 'crun' } as any);
    }
    if (props.revisionWatcher) {
      const o = props.revisionWatcher === true ? {} : props.revisionWatcher;
      const image = o.image ?? RevisionWatcher.DEFAULT_IMAGE;
      this.revisionWatcher = new RevisionWatcher(this, 'RevisionWatcher', {
        namespace: 'openfunction', ...o, image: props.registryRewrite ? rewriteImage(image, props.registryRewrite) : image,
      });
    }
    SchemaValidation.addTo(Chart.of(this), { validator: this.validator });
  }

  /** Every image the platform runs or starts, for mirroring. */
  public images(): string[] {
    return imagesOf([...this.ownObjects().values()].flat());
  }

  /** The declared CPU and memory requests and limits, per component and in total. */
  public footprint(): { readonly components: Record<string, Footprint>; readonly total: Footprint } {
    const own = this.ownObjects();
    const components = Object.fromEntries([...own].map(([c, objects]) => [c, footprintOf(objects)]));
    return { components, total: footprintOf([...own.values()].flat()) };
  }

  /** The upstream objects by component, plus the revision watcher's Deployment. */
  private ownObjects(): Map<string, readonly KubeObject[]> {
    const out = new Map<string, readonly KubeObject[]>(this.objectsByComponent);
    if (this.revisionWatcher) out.set('revision-watcher', [this.revisionWatcher.deployment.toJson() as KubeObject]);
    return out;
  }

  /** The upstream objects of one component (after configuration and rewrite). */
  public objectsOf(component: PlatformComponent): readonly KubeObject[] {
    return this.objectsByComponent.get(component) ?? [];
  }

  private setLogLevels(levels: OpenFunctionPlatformProps['logLevels']): void {
    const each = (component: PlatformComponent, edit: (args: string[]) => void) => {
      for (const o of this.objectsByComponent.get(component) ?? []) {
        const pod = podSpecOf(o);
        for (const c of pod?.containers ?? []) if (Array.isArray(c.args)) edit(c.args);
      }
    };
    if (levels?.keda) {
      const level = levels.keda;
      for (const component of [PlatformComponent.KEDA, PlatformComponent.KEDA_HTTP]) {
        each(component, (args) => args.forEach((a, i) => { if (/^--zap-log-level=/.test(a)) args[i] = `--zap-log-level=${level}`; }));
      }
    }
    if (levels?.dapr) {
      const level = levels.dapr;
      each(PlatformComponent.DAPR, (args) => args.forEach((a, i) => { if (a === '--log-level' && i + 1 < args.length) args[i + 1] = level; }));
    }
  }

  private configureKnative(props: OpenFunctionPlatformProps, networking: KnativeNetworking | undefined): void {
    const knative = this.objectsByComponent.get(PlatformComponent.KNATIVE);
    if (!knative) return;
    const configMap = (name: string) => knative.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === name && o.metadata?.namespace === 'knative-serving') as any;
    const set = (name: string, data: Record<string, string>) => {
      const cm = configMap(name);
      if (!cm) throw new Error(`${this.node.path}: Knative's ConfigMap ${name} is missing from the manifest`);
      cm.data = { ...cm.data, ...data };
    };
    // POD_NAME comes from a fieldRef, which Knative allows only with this flag (OpenFunction patches it by hand).
    set('config-features', {
      'kubernetes.podspec-fieldref': 'enabled',
      ...(props.wasmRuntimeClass ? { 'kubernetes.podspec-runtimeclassname': 'enabled' } : {}),
      ...props.knativeFeatures,
    });
    if (networking) set('config-network', { 'ingress-class': INGRESS_CLASS[networking] });
    if (props.domain) set('config-domain', { [props.domain]: '' });
  }
}
