import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });

// The package as a user meets it: packed, installed into an empty project, used through its public entry points only.
test('the packed package installs into an empty project and synthesizes an app through its public API', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-pack-'));
  try {
    const tarball = npm(['pack', '--pack-destination', work, '--silent'], ROOT).trim().split('\n').pop()!;
    const project = path.join(work, 'consumer');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    npm(['install', '--no-audit', '--no-fund', path.join(work, tarball)], project);
    fs.writeFileSync(path.join(project, 'app.js'), `
const { App, Chart } = require('cdk8s');
const ofn = require('openfunction-constructs');
const app = new App({ outdir: 'dist' });
new ofn.StandardBuildStrategies(new Chart(app, 'platform'), 'strategies');
const chart = new Chart(app, 'functions', { namespace: 'demo' });
new ofn.Function(chart, 'hello', { image: 'registry.example.com/demo/hello:v1', source: ofn.FunctionSource.fromGit('https://github.com/OpenFunction/samples.git'), builder: ofn.Builder.GO });
app.synth();
try { new ofn.Function(chart, 'Bad_Name', { image: 'r.io/a/b' }); } catch (e) { console.log(e.codes.join(',')); }
`);
    const out = execFileSync(process.execPath, ['app.js'], { cwd: project, encoding: 'utf8' });
    expect(out.trim()).toBe('OFN_NAME');
    expect(fs.readdirSync(path.join(project, 'dist')).sort()).toEqual(['functions.k8s.yaml', 'platform.k8s.yaml']);
    expect(fs.readFileSync(path.join(project, 'dist', 'functions.k8s.yaml'), 'utf8')).toContain('kind: BuildRun');
    const version = execFileSync(path.join(project, 'node_modules', '.bin', 'ofn-synth'), ['--version'], { encoding: 'utf8' });
    expect(version.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    const types = path.join(project, 'node_modules', 'openfunction-constructs', 'lib', 'src', 'index.d.ts');
    expect(fs.existsSync(types)).toBe(true);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}, 240000);
