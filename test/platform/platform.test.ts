import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import {
  Function, FunctionSource, imagesOf, KnativeNetworking, ManifestSource, minorVersion, OpenFunctionPlatform, OpenFunctionPlatformProps,
  PlatformComponent, PlatformPreset, SchemaValidator, VERSION_MATRIX,
} from '../../src';
import { errorOf } from '../helpers';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'platform-mirror');
const SHARED = path.join(__dirname, '..', '..', '..', 'shared', 'platform');

function platform(props: Partial<OpenFunctionPlatformProps> = {}, mirror = FIXTURE) {
  const app = Testing.app();
  const chart = new Chart(app, 'platform');
  const p = new OpenFunctionPlatform(chart, 'ofn', { kubernetesVersion: '1.33', manifests: ManifestSource.mirror(mirror), ...props });
  return { app, chart, p, objects: () => Testing.synth(chart) as any[] };
}

describe('the full platform from the fixture mirror', () => {
  const { p, objects } = platform({ domain: 'fn.example.com', wasmRuntimeClass: true });
  const out = objects();
  const find = (kind: string, name: string) => out.find((o) => o.kind === kind && o.metadata.name === name);

  test('installs every component of the matrix entry, in apply order', () => {
    expect(p.components).toEqual(['gateway-api', 'cert-manager', 'tekton-pipelines', 'shipwright-build', 'knative-serving', 'keda', 'keda-http-add-on', 'dapr', 'contour']);
    expect(p.versions[PlatformComponent.KNATIVE]).toBe('v1.23.0');
    expect(p.knativeNetworking).toBe(KnativeNetworking.KOURIER);
  });

  test('puts Namespaces first, then CRDs, then everything else', () => {
    const ranks = out.map((o) => (o.kind === 'Namespace' ? 0 : o.kind === 'CustomResourceDefinition' ? 1 : 2));
    expect(ranks).toEqual([...ranks].sort());
    expect(out[0].kind).toBe('Namespace');
  });

  test('keeps an object that two manifests share once (Gateway API CRDs in Contour\'s provisioner)', () => {
    expect(out.filter((o) => o.metadata.name === 'httproutes.gateway.networking.k8s.io')).toHaveLength(1);
  });

  test('configures Knative: fieldRef and runtime class features, Kourier ingress, the domain', () => {
    expect(find('ConfigMap', 'config-features').data).toMatchObject({ 'kubernetes.podspec-fieldref': 'enabled', 'kubernetes.podspec-runtimeclassname': 'enabled' });
    expect(find('ConfigMap', 'config-network').data['ingress-class']).toBe('kourier.ingress.networking.knative.dev');
    expect(find('ConfigMap', 'config-domain').data['fn.example.com']).toBe('');
  });

  test('adds the GatewayClass for Contour, the build strategies and the WasmEdge RuntimeClass', () => {
    expect(find('GatewayClass', 'contour').spec).toEqual({ controllerName: 'projectcontour.io/gateway-controller' });
    expect(out.filter((o) => o.kind === 'ClusterBuildStrategy').map((o) => o.metadata.name).sort()).toEqual(['buildah', 'kaniko', 'ko', 'openfunction', 'wasmedge']);
    expect(find('RuntimeClass', 'openfunction-crun').handler).toBe('crun');
  });

  test('lists every image, including those controllers start (env, flags, ConfigMaps)', () => {
    expect(p.images()).toEqual([
      'docker.io/envoyproxy/envoy:v1.37-latest',
      'gcr.io/knative-releases/knative.dev/serving/cmd/controller:v1.23.0',
      'gcr.io/knative-releases/knative.dev/serving/cmd/queue:v1.23.0',
      'ghcr.io/dapr/daprd:1.18.3', 'ghcr.io/dapr/injector:1.18.3',
      'ghcr.io/kedacore/http-add-on-interceptor:0.15.0', 'ghcr.io/kedacore/keda:2.20.2',
      'ghcr.io/projectcontour/contour:v1.33.6',
      'ghcr.io/shipwright-io/build/git:v0.20.0', 'ghcr.io/shipwright-io/build/shipwright-build-controller:v0.20.0',
      'ghcr.io/tektoncd/pipeline/controller:v1.15.0', 'ghcr.io/tektoncd/pipeline/entrypoint:v1.15.0',
      'quay.io/jetstack/cert-manager-acmesolver:v1.21.1', 'quay.io/jetstack/cert-manager-controller:v1.21.1',
    ]);
  });

  test('reports the declared requests and limits per component and in total, replicas counted', () => {
    const fp = p.footprint();
    expect(fp.components['knative-serving']).toEqual({ cpuRequestMillis: 2 * 100 + 200, memoryRequestBytes: (2 * 100 + 200) * 2 ** 20, cpuLimitMillis: 0, memoryLimitBytes: 3 * 128 * 2 ** 20, pods: 3, containersWithoutRequests: 0 });
    expect(fp.components['keda-http-add-on'].cpuRequestMillis).toBe(750);
    expect(fp.total.cpuRequestMillis).toBe(100 + 100 + 50 + 400 + 100 + 750 + 100 + 100);
  });

  test('every object validates, custom kinds against the platform\'s own CRDs', () => {
    expect(p.validator.validateObjects(out).map(String)).toEqual([]);
  });
});

test('presets select components, and the strategies come with Shipwright only', () => {
  const sync = platform({ components: PlatformPreset.SYNC_ONLY });
  expect(sync.p.components).toEqual(['gateway-api', 'cert-manager', 'tekton-pipelines', 'shipwright-build', 'knative-serving', 'contour']);
  const asyncOnly = platform({ components: PlatformPreset.ASYNC_ONLY });
  expect(asyncOnly.p.components).toEqual(['tekton-pipelines', 'shipwright-build', 'keda', 'dapr']);
  const noBuild = platform({ components: [PlatformComponent.KEDA, PlatformComponent.DAPR] });
  expect(noBuild.objects().some((o) => o.kind === 'ClusterBuildStrategy')).toBe(false);
});

test('log levels of KEDA and Dapr reach their controllers\' flags', () => {
  const out = platform({ logLevels: { keda: 'debug', dapr: 'warn' } }).objects();
  expect(out.find((o) => o.metadata.name === 'keda-operator').spec.template.spec.containers[0].args).toEqual(['--leader-elect', '--zap-log-level=debug']);
  expect(out.find((o) => o.metadata.name === 'dapr-sidecar-injector').spec.template.spec.containers[0].args).toEqual(['--log-level', 'warn', '--log-as-json']);
});

test('the networking layer sets Knative\'s ingress class', () => {
  const { objects } = platform({ knativeNetworking: KnativeNetworking.GATEWAY_API });
  const network = objects().find((o) => o.metadata.name === 'config-network');
  expect(network.data['ingress-class']).toBe('gateway-api.ingress.networking.knative.dev');
  expect(objects().some((o) => o.metadata.name === 'net-gateway-api-controller')).toBe(true);
});

test('a registry rewrite reaches every image and the image list', () => {
  const { p, objects } = platform({ registryRewrite: { registries: { 'gcr.io': 'mirror.example.com/gcr', '*': 'mirror.example.com/all' } } });
  const images = imagesOf(objects());
  expect(images.length).toBeGreaterThan(10);
  for (const image of images) expect(image).toMatch(/^mirror\.example\.com\/(gcr|all)\//);
  expect(p.images()).toEqual(images);
  expect(images).toContain('mirror.example.com/gcr/knative-releases/knative.dev/serving/cmd/queue:v1.23.0');
  expect(images).toContain('mirror.example.com/all/envoyproxy/envoy:v1.37-latest');
});

test('functions in the same app find the platform\'s default strategy', () => {
  const { app, chart } = platform({ components: [PlatformComponent.TEKTON, PlatformComponent.SHIPWRIGHT] });
  new Function(new Chart(app, 'functions', { namespace: 'demo' }), 'hello', { image: 'r.io/a/b:1', source: FunctionSource.fromGit('https://h/r.git') });
  expect(() => app.synth()).not.toThrow();
  expect(chart).toBeDefined();
});

test('OFN_MANIFEST_MIRROR points the platform at a mirror', () => {
  process.env.OFN_MANIFEST_MIRROR = FIXTURE;
  try {
    const chart = new Chart(Testing.app(), 'p');
    const p = new OpenFunctionPlatform(chart, 'ofn', { kubernetesVersion: 'v1.33.2', components: [PlatformComponent.KEDA] });
    expect(p.images()).toEqual(['ghcr.io/kedacore/keda:2.20.2']);
  } finally {
    delete process.env.OFN_MANIFEST_MIRROR;
  }
});

test('minorVersion reads Kubernetes versions', () => {
  expect(minorVersion('1.33')).toBe('1.33');
  expect(minorVersion('v1.34.1')).toBe('1.34');
  expect(minorVersion('latest')).toBeUndefined();
});

describe('bad input', () => {
  const fail = (props: Partial<OpenFunctionPlatformProps>, mirror = FIXTURE) => errorOf(() => platform(props, mirror));
  test('a Kubernetes version not in the matrix', () => {
    expect(fail({ kubernetesVersion: '1.28' })).toBe('platform/ofn: kubernetesVersion: is not a Kubernetes version the version matrix covers (got "1.28"); use one of 1.32, 1.33, 1.34 [OFN_K8S_VERSION]');
  });
  test('an unknown component and a missing dependency', () => {
    expect(fail({ components: ['istio' as PlatformComponent] })).toMatch(/platform\/ofn: components: is not a platform component \(got "istio"\)/);
    expect(fail({ components: [PlatformComponent.SHIPWRIGHT] })).toMatch(/components: needs tekton-pipelines, which is not selected \(got "shipwright-build"\); add PlatformComponent tekton-pipelines/);
    expect(fail({ components: [PlatformComponent.KNATIVE], knativeNetworking: KnativeNetworking.GATEWAY_API })).toMatch(/knativeNetworking: needs gateway-api, which is not selected/);
  });
  test('a mirror missing a file names the file and where it was expected', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-mirror-'));
    expect(fail({ components: [PlatformComponent.KEDA] }, empty)).toBe(`manifest mirror ${empty} has no keda/v2.20.2/keda-2.20.2.yaml: expected at ${path.join(empty, 'keda/v2.20.2/keda-2.20.2.yaml')} (a copy of https://github.com/kedacore/keda/releases/download/v2.20.2/keda-2.20.2.yaml); add the file or point the platform at another mirror`);
  });
  test('an invalid registry rewrite', () => {
    expect(fail({ registryRewrite: { registries: { '*': 'https://mirror.example.com' } } })).toMatch(/registryRewrite\.registries\["\*"\]: is not a registry prefix host\[:port\]\[\/path\]/);
    expect(fail({ registryRewrite: { registries: { 'gcr.io': 'mirror' } } })).toMatch(/does not start with a registry host/);
  });
  test('a chart with a namespace', () => {
    expect(errorOf(() => new OpenFunctionPlatform(new Chart(Testing.app(), 'p', { namespace: 'x' }), 'ofn', { kubernetesVersion: '1.33', manifests: ManifestSource.mirror(FIXTURE) })))
      .toMatch(/p\/ofn: scope: is the namespace of the chart/);
  });
});

const withShared = fs.existsSync(path.join(SHARED, 'index.json')) ? describe : describe.skip;
withShared('the full platform from the upstream mirror', () => {
  const index: any[] = fs.existsSync(path.join(SHARED, 'index.json')) ? JSON.parse(fs.readFileSync(path.join(SHARED, 'index.json'), 'utf8')) : [];

  test.each(Object.keys(VERSION_MATRIX))('Kubernetes %s: every object validates, CRDs and Namespaces come first, every upstream image is listed', (k8s) => {
    const { p, objects } = platform({ kubernetesVersion: k8s, domain: 'fn.example.com' }, SHARED);
    const out = objects();
    expect(p.validator.validateObjects(out).map(String)).toEqual([]);
    expect(SchemaValidator.default.validateObjects(out.filter((o) => !['caching.internal.knative.dev/v1alpha1', 'networking.internal.knative.dev/v1alpha1'].includes(o.apiVersion))).map(String)).toEqual([]);
    const ranks = out.map((o) => (o.kind === 'Namespace' ? 0 : o.kind === 'CustomResourceDefinition' ? 1 : 2));
    expect(ranks).toEqual([...ranks].sort());
    const used = index.filter((e) => p.components.some((c) => e.file.startsWith(`${c}/${p.versions[c]}/`)) || e.file.startsWith(`kourier/${p.versions[KnativeNetworking.KOURIER]}/`))
      .filter((e) => !/sample-strategies|serving-crds|serving-hpa|cert-manager\.crds/.test(e.file));
    expect(used.length).toBe(10);
    const images = new Set(p.images());
    for (const e of used) for (const image of e.images) expect(images).toContain(image);
  });

  test('the footprint of the 1.33 platform: upstream requests plus those the library adds', () => {
    const { p } = platform({}, SHARED);
    const fp = p.footprint();
    // Upstream declares 2850m / 1430Mi; the twelve containers it leaves without requests add 970m / 1380Mi.
    expect(fp.total).toEqual({ cpuRequestMillis: 3820, memoryRequestBytes: 2891972608, cpuLimitMillis: 12500, memoryLimitBytes: 18777899008, pods: 31, containersWithoutRequests: 0 });
    expect(fp.components['knative-serving'].cpuRequestMillis).toBe(1000);
    expect(fp.components['keda-http-add-on'].cpuRequestMillis).toBe(1250);
    expect(fp.components.dapr).toMatchObject({ cpuRequestMillis: 50 + 100 + 50 + 50 + 3 * 100, pods: 7 });
  });

  test('a registry rewrite leaves no image on its upstream registry', () => {
    const { objects } = platform({ registryRewrite: { registries: { '*': 'registry.internal:5000/ofn' } } }, SHARED);
    for (const image of imagesOf(objects())) expect(image).toMatch(/^(registry\.internal:5000\/ofn\/|ko:\/\/)/);
  });
});

describe('the revision watcher on the platform', () => {
  test('runs in openfunction, pulls through the registry rewrite, counts in images and footprint, and serves watch: true', () => {
    const { app, p, objects } = platform({ revisionWatcher: true, registryRewrite: { registries: { 'docker.io': 'mirror.example.com/hub' } } });
    const fns = new Chart(app, 'fns', { namespace: 'demo' });
    new Function(fns, 'followed', { source: FunctionSource.fromImage('registry.example.com/demo/followed:v1'), watch: true });
    expect(SchemaValidator.default.validateApp(app).map(String)).toEqual([]);
    const dep = objects().find((o) => o.kind === 'Deployment' && o.metadata.name === 'revision-watcher');
    expect(dep.metadata.namespace).toBe('openfunction');
    expect(dep.spec.template.spec.containers[0].image).toBe('mirror.example.com/hub/library/node:22.17.1-alpine3.22');
    expect(p.images()).toContain('mirror.example.com/hub/library/node:22.17.1-alpine3.22');
    expect(p.footprint().components['revision-watcher']).toMatchObject({ cpuRequestMillis: 50, memoryRequestBytes: 32 * 2 ** 20 });
    expect(p.revisionWatcher!.watched).toEqual(['demo/followed']);
  });
});
