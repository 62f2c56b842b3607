import * as path from 'path';
import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { KnativeNetworking, ManifestSource, OpenFunctionPlatform, PlatformPreset } from '../src';

/**
 * Where the examples read upstream manifests: `OFN_MANIFEST_MIRROR` when set, else the small
 * synthetic mirror the tests use (so the examples synthesize offline). Drop `manifests` in a real
 * app to download the pinned releases (checked against openfunction-manifests.lock.json).
 */
export function exampleManifests(): ManifestSource {
  return ManifestSource.fromEnvironment(ManifestSource.mirror(path.join(__dirname, '..', 'test', 'fixtures', 'platform-mirror')));
}

/** The whole platform for Kubernetes 1.33: builds, sync and async functions, routes, TLS. */
export class FullPlatformChart extends Chart {
  public readonly platform: OpenFunctionPlatform;
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.platform = new OpenFunctionPlatform(this, 'openfunction', {
      kubernetesVersion: '1.33',
      domain: 'fn.example.com',
      knativeNetworking: KnativeNetworking.KOURIER,
      wasmRuntimeClass: true,
      manifests: exampleManifests(),
    });
  }
}

/**
 * Sync functions only, every image pulled through a private registry (the install tutorial's
 * `--region-cn`, for any mirror). The build strategies come from the full platform example.
 */
export class SyncPlatformChart extends Chart {
  public readonly platform: OpenFunctionPlatform;
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.platform = new OpenFunctionPlatform(this, 'openfunction', {
      kubernetesVersion: '1.34',
      components: PlatformPreset.SYNC_ONLY,
      registryRewrite: { registries: { '*': 'registry.internal.example.com/mirror' } },
      buildStrategies: false,
      manifests: exampleManifests(),
    });
  }
}
