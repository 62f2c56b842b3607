import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import {
  COLLECT_ERRORS_CONTEXT, DaprComponents, Function, FunctionGateway, FunctionSource, PropValidationError, RevisionWatcher, Serving, StandardBuildStrategies,
} from '../../src';

function badApp(outdir: string, context?: boolean): App {
  const app = new App({ outdir });
  if (context !== undefined) app.node.setContext(COLLECT_ERRORS_CONTEXT, context);
  const platform = new Chart(app, 'platform');
  new StandardBuildStrategies(platform, 'strategies');
  new RevisionWatcher(platform, 'watcher', { namespace: 'openfunction', jitter: 2 });
  const chart = new Chart(app, 'functions', { namespace: 'demo' });
  const gateway = new FunctionGateway(chart, 'gateway', { domain: 'Not A Domain' });
  const queue = DaprComponents.kafkaBinding(chart, 'Orders', { brokers: ['kafka:9092'], topics: ['orders'], consumerGroup: 'g' });
  new Function(chart, 'Hello_World', { image: 'registry.example.com/demo/hello:v1' });
  new Function(chart, 'routed', { image: 'registry.example.com/demo/routed:v1', route: gateway.route(), serving: Serving.knative({ minScale: 5, maxScale: 2 }) });
  new Function(chart, 'worker', { image: 'registry.example.com/demo/worker:v1', serving: Serving.async({ triggers: [{ component: queue }], minReplicas: 4, maxReplicas: 1 }) });
  new Function(chart, 'built', { source: FunctionSource.fromGit('https://github.com/OpenFunction/samples.git'), image: 'UPPER/case', watch: true });
  return app;
}

describe('one synth reports every problem of the app', () => {
  test('problems of functions, components, gateways and the watcher come together, and nothing is written', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-collect-'));
    const app = badApp(outdir);
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    const lines = message.split('\n').slice(1).map((l) => l.trim());
    const codes = lines.map((l) => /\[(OFN_[A-Z_0-9]+)\]$/.exec(l)?.[1]);
    expect(codes).not.toContain(undefined);
    // Each line names the construct path and the prop.
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\[platform\/watcher\] platform\/watcher: jitter: is not a fraction from 0 to below 1 \(got 2\).*\[OFN_WATCH_JITTER\]$/),
      expect.stringMatching(/^\[functions\/gateway\] functions\/gateway: domain: is not a DNS domain \(got "Not A Domain"\).*\[OFN_HOSTNAME\]$/),
      expect.stringMatching(/^\[functions\/Orders\] functions\/Orders: name \(from the construct id\): is not a DNS-1123 label \(got "Orders"\).*\[OFN_NAME\]$/),
      expect.stringMatching(/^\[functions\/Hello_World\] functions\/Hello_World: name \(from the construct id\): .*\[OFN_NAME\]$/),
      expect.stringMatching(/^\[functions\/routed\] functions\/routed: serving\.minScale: is greater than maxScale \(2\) \(got 5\).*$/),
      expect.stringMatching(/^\[functions\/worker\] functions\/worker: serving\.minReplicas: .*$/),
      expect.stringMatching(/^\[functions\/built\/Build\] functions\/built\/Build: image: is not an image a build can push: .*\[OFN_OUTPUT_IMAGE\]$/),
    ]));
    // Exactly these: no follow-on errors from constructs that stopped (the watcher, the route).
    expect(lines).toHaveLength(7);
    expect(fs.readdirSync(outdir)).toEqual([]);
    fs.rmSync(outdir, { recursive: true });
  });

  test('with collectErrors false in the context, or OFN_COLLECT_ERRORS=false, the first bad construct throws', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-collect-'));
    expect(() => badApp(outdir, false)).toThrow(PropValidationError);
    process.env.OFN_COLLECT_ERRORS = 'false';
    try {
      expect(() => badApp(outdir)).toThrow(/^platform\/watcher: jitter: is not a fraction/);
    } finally {
      delete process.env.OFN_COLLECT_ERRORS;
    }
    fs.rmSync(outdir, { recursive: true });
  });
});
