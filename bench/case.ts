// One measurement in a fresh process: prints {ms, maxRssMiB, yamlBytes, objects} as JSON.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { chartObjects } from '../src';
import { benchApp } from './app';

const [mode, nArg] = process.argv.slice(2);
const n = Number(nArg);

function synthToDisk(app: App): number {
  app.synth();
  return fs.readdirSync(app.outdir).reduce((sum, f) => sum + fs.statSync(path.join(app.outdir, f)).size, 0);
}

async function main() {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-bench-'));
  let ms = 0;
  let bytes = 0;
  let objects = 0;
  if (mode === 'library' || mode === 'library-novalidate' || mode === 'functions-only') {
    const t0 = process.hrtime.bigint();
    const app = new App({ outdir });
    benchApp(app, n, mode !== 'functions-only');
    bytes = synthToDisk(app);
    ms = Number(process.hrtime.bigint() - t0) / 1e6;
    objects = app.charts.reduce((s, c) => s + chartObjects(c).length, 0);
  } else if (mode === 'plain') {
    // The same JSON as plain ApiObjects: the cost of cdk8s itself, without this library.
    const ref = Testing.app();
    benchApp(ref, n, false);
    const json = ref.charts.map((c) => ({ id: c.node.id, objects: chartObjects(c) }));
    const t0 = process.hrtime.bigint();
    const app = new App({ outdir });
    for (const c of json) {
      const chart = new Chart(app, c.id);
      c.objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o as any));
    }
    bytes = synthToDisk(app);
    ms = Number(process.hrtime.bigint() - t0) / 1e6;
    objects = json.reduce((s, c) => s + c.objects.length, 0);
  } else if (mode === 'pulumi') {
    const pulumi = await import('@pulumi/pulumi');
    let registered = 0;
    pulumi.runtime.setMocks({ newResource: (a) => { registered++; return { id: a.name, state: a.inputs }; }, call: (a) => a.inputs }, 'bench', 'bench', false);
    const ofn = await import('../src/pulumi');
    const t0 = process.hrtime.bigint();
    const component = new ofn.Cdk8sApp('bench', { build: (app) => benchApp(app, n, false) });
    await Promise.all(Object.values(component.resources).map((r) => new Promise((resolve) => r.urn.apply(resolve))));
    ms = Number(process.hrtime.bigint() - t0) / 1e6;
    objects = registered;
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  console.log(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, yamlBytes: bytes, objects }));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
