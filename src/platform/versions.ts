/** The control planes the platform can install (`ofn install --knative --async ...`). */
export enum PlatformComponent {
  /** Tekton Pipelines: runs Shipwright's builds. */
  TEKTON = 'tekton-pipelines',
  /** Shipwright Build, plus the library's ClusterBuildStrategies. */
  SHIPWRIGHT = 'shipwright-build',
  /** Knative Serving with its networking layer (sync functions). */
  KNATIVE = 'knative-serving',
  /** KEDA (async functions). */
  KEDA = 'keda',
  /** KEDA HTTP add-on (sync functions on KEDA). */
  KEDA_HTTP = 'keda-http-add-on',
  /** Dapr (async functions, bindings, pub-sub, state). */
  DAPR = 'dapr',
  /** cert-manager (gateway TLS, webhooks' certificates). */
  CERT_MANAGER = 'cert-manager',
  /** The Gateway API CRDs (routes). */
  GATEWAY_API = 'gateway-api',
  /** Contour's gateway provisioner: the Gateway API implementation (GatewayClass `contour`). */
  CONTOUR = 'contour',
}

/** Knative's networking layer. */
export enum KnativeNetworking {
  /** Kourier: self-contained, the lightest. */
  KOURIER = 'kourier',
  /** net-contour: Knative on Contour (needs PlatformComponent.CONTOUR). */
  CONTOUR = 'net-contour',
  /** net-gateway-api: Knative on the Gateway API (needs GATEWAY_API and an implementation). */
  GATEWAY_API = 'net-gateway-api',
}

/** Component sets, like the install tutorial's flags. */
export class PlatformPreset {
  /** Everything: builds, sync and async functions, routes and TLS. */
  public static readonly ALL: readonly PlatformComponent[] = Object.values(PlatformComponent);
  /** Builds and sync (HTTP) functions on Knative, routed through the Gateway API. */
  public static readonly SYNC_ONLY: readonly PlatformComponent[] = [
    PlatformComponent.TEKTON, PlatformComponent.SHIPWRIGHT, PlatformComponent.KNATIVE, PlatformComponent.GATEWAY_API, PlatformComponent.CONTOUR, PlatformComponent.CERT_MANAGER,
  ];
  /** Builds and async functions on Dapr and KEDA. */
  public static readonly ASYNC_ONLY: readonly PlatformComponent[] = [
    PlatformComponent.TEKTON, PlatformComponent.SHIPWRIGHT, PlatformComponent.KEDA, PlatformComponent.DAPR,
  ];
}

/** Components another component cannot work without. */
export const COMPONENT_DEPENDENCIES: Partial<Record<PlatformComponent, PlatformComponent[]>> = {
  [PlatformComponent.SHIPWRIGHT]: [PlatformComponent.TEKTON],
  [PlatformComponent.KEDA_HTTP]: [PlatformComponent.KEDA],
  [PlatformComponent.CONTOUR]: [PlatformComponent.GATEWAY_API],
};

/** Versions of every component (and networking layer) for one Kubernetes version. */
export type ComponentVersions = Readonly<Record<PlatformComponent | KnativeNetworking, string>>;

const SHARED = {
  [PlatformComponent.SHIPWRIGHT]: 'v0.20.0',
  [PlatformComponent.KEDA]: 'v2.20.2',
  [PlatformComponent.KEDA_HTTP]: 'v0.15.0',
  [PlatformComponent.DAPR]: '1.18.3',
  [PlatformComponent.CERT_MANAGER]: 'v1.21.1',
  [PlatformComponent.GATEWAY_API]: 'v1.6.1',
  [PlatformComponent.CONTOUR]: 'v1.33.6',
};

/**
 * Which release of each component to install on which Kubernetes version (the install tutorial's
 * table, for the releases this library targets). Knative 1.22 and Tekton's 1.12 LTS line serve
 * 1.32; Knative 1.23 and Tekton 1.15 need 1.33 or later.
 */
export const VERSION_MATRIX: Readonly<Record<string, ComponentVersions>> = {
  '1.32': {
    ...SHARED,
    [PlatformComponent.TEKTON]: 'v1.12.2',
    [PlatformComponent.KNATIVE]: 'v1.22.1',
    [KnativeNetworking.KOURIER]: 'v1.22.1',
    [KnativeNetworking.CONTOUR]: 'v1.22.2',
    [KnativeNetworking.GATEWAY_API]: 'v1.22.1',
  },
  '1.33': {
    ...SHARED,
    [PlatformComponent.TEKTON]: 'v1.15.0',
    [PlatformComponent.KNATIVE]: 'v1.23.0',
    [KnativeNetworking.KOURIER]: 'v1.23.0',
    [KnativeNetworking.CONTOUR]: 'v1.23.0',
    [KnativeNetworking.GATEWAY_API]: 'v1.23.0',
  },
};
// 1.34 runs the same releases as 1.33.
(VERSION_MATRIX as Record<string, ComponentVersions>)['1.34'] = VERSION_MATRIX['1.33'];

/** The upstream files of a component release, in apply order, and what each is at upstream. */
export function componentFiles(component: PlatformComponent | KnativeNetworking, version: string): { file: string; upstreamUrl?: string }[] {
  const gh = (repo: string, tag: string, asset: string) => `https://github.com/${repo}/releases/download/${tag}/${asset}`;
  switch (component) {
    case PlatformComponent.TEKTON:
      return [{ file: `tekton-pipelines/${version}/release.yaml`, upstreamUrl: `https://storage.googleapis.com/tekton-releases/pipeline/previous/${version}/release.yaml` }];
    case PlatformComponent.SHIPWRIGHT:
      return [{ file: `shipwright-build/${version}/release.yaml`, upstreamUrl: gh('shipwright-io/build', version, 'release.yaml') }];
    case PlatformComponent.KNATIVE:
      return [{ file: `knative-serving/${version}/serving-core.yaml`, upstreamUrl: gh('knative/serving', `knative-${version}`, 'serving-core.yaml') }];
    case KnativeNetworking.KOURIER:
      return [{ file: `kourier/${version}/kourier.yaml`, upstreamUrl: gh('knative-extensions/net-kourier', `knative-${version}`, 'kourier.yaml') }];
    case KnativeNetworking.CONTOUR:
      return [{ file: `net-contour/${version}/net-contour.yaml`, upstreamUrl: gh('knative-extensions/net-contour', `knative-${version}`, 'net-contour.yaml') }];
    case KnativeNetworking.GATEWAY_API:
      return [{ file: `net-gateway-api/${version}/net-gateway-api.yaml`, upstreamUrl: gh('knative-extensions/net-gateway-api', `knative-${version}`, 'net-gateway-api.yaml') }];
    case PlatformComponent.KEDA:
      return [{ file: `keda/${version}/keda-${version.replace(/^v/, '')}.yaml`, upstreamUrl: gh('kedacore/keda', version, `keda-${version.replace(/^v/, '')}.yaml`) }];
    case PlatformComponent.KEDA_HTTP:
      return [{ file: `keda-http-add-on/${version}/keda-add-ons-http-${version.replace(/^v/, '')}.yaml`, upstreamUrl: gh('kedacore/http-add-on', version, `keda-add-ons-http-${version.replace(/^v/, '')}.yaml`) }];
    case PlatformComponent.DAPR:
      // Dapr ships a Helm chart, not a manifest: render it into a mirror (helm template ... --include-crds).
      return [{ file: `dapr/${version}/dapr.yaml` }];
    case PlatformComponent.CERT_MANAGER:
      return [{ file: `cert-manager/${version}/cert-manager.yaml`, upstreamUrl: gh('cert-manager/cert-manager', version, 'cert-manager.yaml') }];
    case PlatformComponent.GATEWAY_API:
      return [{ file: `gateway-api/${version}/standard-install.yaml`, upstreamUrl: gh('kubernetes-sigs/gateway-api', version, 'standard-install.yaml') }];
    case PlatformComponent.CONTOUR:
      return [{ file: `contour/${version}/contour-gateway-provisioner.yaml`, upstreamUrl: `https://raw.githubusercontent.com/projectcontour/contour/${version}/examples/render/contour-gateway-provisioner.yaml` }];
  }
  throw new Error(`unknown component ${component}`);
}
