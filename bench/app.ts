import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import {
  Builder, DaprComponents, StandardBuildStrategies, Function, FunctionGateway, FunctionSource, ManifestSource, OpenFunctionPlatform, Serving,
} from '../src';

/** The manifests the benchmark reads: OFN_MANIFEST_MIRROR, else the repo's synthetic mirror. */
export function benchManifests(): ManifestSource {
  const fixture = path.join(__dirname, '..', 'test', 'fixtures', 'platform-mirror');
  return ManifestSource.fromEnvironment(ManifestSource.mirror(fixture));
}

/** Whether the benchmark reads real upstream manifests. */
export function realManifests(): boolean {
  return !!process.env.OFN_MANIFEST_MIRROR && fs.existsSync(process.env.OFN_MANIFEST_MIRROR);
}

/**
 * The benchmark app: the full platform and `n` functions of every kind (built Knative functions,
 * KEDA HTTP functions, async Kafka functions), all routed through one gateway.
 */
export function benchApp(app: App, n: number, withPlatform = true): void {
  if (withPlatform) new OpenFunctionPlatform(new Chart(app, 'platform'), 'openfunction', { kubernetesVersion: '1.33', manifests: benchManifests() });
  else new StandardBuildStrategies(new Chart(app, 'strategies'), 'strategies');
  const chart = new Chart(app, 'functions', { namespace: 'bench' });
  const gateway = new FunctionGateway(chart, 'gateway', { domain: 'fn.example.com', gatewayClassName: 'contour' });
  const kafka = DaprComponents.kafkaBinding(chart, 'orders', { brokers: ['kafka:9092'], topics: ['orders'], consumerGroup: 'bench' });
  for (let i = 0; i < n; i++) {
    const kind = i % 3;
    if (kind === 0) {
      new Function(chart, `fn-${i}`, {
        image: `registry.example.com/bench/fn-${i}:v1`,
        source: FunctionSource.fromGit('https://github.com/OpenFunction/samples.git', { revision: 'main', subPath: 'functions/knative/hello-world-go' }),
        builder: Builder.GO, buildEnv: { FUNC_NAME: 'HelloWorld' },
        serving: Serving.knative({ maxScale: 10 }),
        route: gateway.route(),
      });
    } else if (kind === 1) {
      new Function(chart, `fn-${i}`, { image: `registry.example.com/bench/fn-${i}:v1`, serving: Serving.kedaHttp({ maxReplicas: 5 }), route: gateway.route() });
    } else {
      new Function(chart, `fn-${i}`, { image: `registry.example.com/bench/fn-${i}:v1`, serving: Serving.async({ triggers: [{ component: kafka }] }) });
    }
  }
}
