// Prints one example's manifests: npx ts-node --transpile-only examples/run.ts <example>
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { addExamples } from './index';

const name = process.argv[2];
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-example-'));
const app = new App({ outdir });
addExamples(app);
const ids = app.charts.map((c) => c.node.id);
if (!name || !ids.includes(name)) {
  process.stderr.write(`usage: ts-node examples/run.ts <example>\nexamples: ${ids.join(', ')}\n`);
  process.exit(name ? 1 : 0);
}
// Synthesizing the whole app validates every chart first, as `cdk8s synth` does.
app.synth();
process.stdout.write(fs.readFileSync(path.join(outdir, `${name}.k8s.yaml`), 'utf8'));
fs.rmSync(outdir, { recursive: true, force: true });
