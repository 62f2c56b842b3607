// `npm run bench`: side-by-side measurements, printed as ratios. Absolute times are context only.
import { execFileSync } from 'child_process';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { loadAll } from 'js-yaml';
import { componentFiles, footprintOf, KnativeNetworking, KubeObject, OpenFunctionPlatform, SizingProfile, VERSION_MATRIX } from '../src';
import { benchManifests, realManifests } from './app';

interface Result { ms: number; maxRssMiB: number; yamlBytes: number; objects: number }

function run(mode: string, n: number, env: Record<string, string> = {}): Result {
  const runs: Result[] = [];
  // Median of three: these machines are noisy.
  for (let i = 0; i < 3; i++) {
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'case.ts'), mode, String(n)], {
      env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    });
    runs.push(JSON.parse(out.trim().split('\n').pop()!));
  }
  return runs.sort((a, b) => a.ms - b.ms)[1];
}

const f = (x: number, d = 2) => x.toFixed(d);
console.log(`manifests: ${realManifests() ? process.env.OFN_MANIFEST_MIRROR : 'synthetic test mirror (set OFN_MANIFEST_MIRROR for real ones)'}`);

console.log('\n1. platform + N functions (median of 3 fresh processes)');
const sizes = [10, 100, 1000];
const results = sizes.map((n) => ({ n, r: run('library', n) }));
for (const { n, r } of results) console.log(`   N=${String(n).padStart(4)}  ${f(r.ms, 0).padStart(6)} ms  ${f(r.maxRssMiB, 0).padStart(5)} MiB peak  ${r.objects} objects`);
const slope = (a: typeof results[0], b: typeof results[0]) => (b.r.ms - a.r.ms) / (b.n - a.n);
console.log(`   per-function slope with the platform: ${f(slope(results[1], results[2]))} ms (100->1000)`);
const f100 = run('functions-only', 100);
const f1000 = run('functions-only', 1000);
console.log(`   functions only: ${f(f100.ms / 100)} ms per function at N=100, ${f(f1000.ms / 1000)} ms at N=1000; ratio ${f((f1000.ms / 1000) / (f100.ms / 100))} (1.0 = linear, below 1 = fixed costs amortized)`);
console.log(`   platform + 100 functions: ${f(results[1].r.ms / 3000)} of the 3 s budget`);

console.log('\n2. library overhead: our constructs vs plain ApiObjects carrying the same JSON (no platform)');
const lib = run('functions-only', 100);
const plain = run('plain', 100);
const lib1000 = f1000;
const plain1000 = run('plain', 1000);
const noval = run('functions-only', 100, { OFN_SCHEMA_VALIDATION: 'false' });
const noval1000 = run('functions-only', 1000, { OFN_SCHEMA_VALIDATION: 'false' });
const marginal = (a: Result, b: Result) => (b.ms - a.ms) / 900;
console.log(`   one synth of 100 functions: ${f(lib.ms, 0)} ms vs ${f(plain.ms, 0)} ms: ratio ${f(lib.ms / plain.ms)} (includes loading the compiled schema validators once)`);
console.log(`   per function (N=100 -> 1000): ${f(marginal(f100, lib1000))} ms vs ${f(marginal(plain, plain1000))} ms: ratio ${f(marginal(f100, lib1000) / marginal(plain, plain1000))} (target <= 1.3)`);
console.log(`   per function without schema validation: ${f(marginal(noval, noval1000))} ms: ratio ${f(marginal(noval, noval1000) / marginal(plain, plain1000))} to plain`);
console.log(`   schema validation on vs off, one synth of 100: ratio ${f(lib.ms / noval.ms)}`);

console.log('\n3. Pulumi front-end (mocks) vs cdk8s, 100 functions, no platform');
const pul = run('pulumi', 100);
console.log(`   ${f(pul.ms, 0)} ms vs ${f(lib.ms, 0)} ms: ratio ${f(pul.ms / lib.ms)}; ${pul.objects} resources registered`);

console.log('\n4. output size and footprint');
console.log(`   YAML per function: ${f((lib.yamlBytes) / 100 / 1024, 1)} KiB (mixed Knative, KEDA HTTP and async functions, routes included)`);
const footprint = (profile: SizingProfile) => new OpenFunctionPlatform(new Chart(Testing.app(), 'p'), 'ofn', { kubernetesVersion: '1.33', manifests: benchManifests(), sizing: { profile } }).footprint().total;
// OpenFunction's published install: its controller (100m / 20Mi) on top of the same dependencies,
// with the requests upstream declares (the raw manifests, before this library adds any).
const versions = VERSION_MATRIX['1.33'];
const platform = new OpenFunctionPlatform(new Chart(Testing.app(), 'p'), 'ofn', { kubernetesVersion: '1.33', manifests: benchManifests() });
const raw: KubeObject[] = [];
for (const unit of [...platform.components, KnativeNetworking.KOURIER]) {
  for (const file of componentFiles(unit, versions[unit])) raw.push(...(loadAll(benchManifests().read(file)) as KubeObject[]).filter(Boolean));
}
const deps = footprintOf(raw);
const ofnCpu = deps.cpuRequestMillis + 100;
const ofnMem = deps.memoryRequestBytes + 20 * 2 ** 20;
for (const profile of [SizingProfile.DEFAULT, SizingProfile.SMALL]) {
  const ours = footprint(profile);
  console.log(`   ${profile.padEnd(7)} platform: ${ours.cpuRequestMillis}m / ${f(ours.memoryRequestBytes / 2 ** 20, 0)}Mi requested, ${ours.pods} pods; vs OpenFunction: CPU ${f(ours.cpuRequestMillis / ofnCpu)}, memory ${f(ours.memoryRequestBytes / ofnMem)}`);
}
console.log(`   (OpenFunction: ${deps.cpuRequestMillis + 100}m / ${f((deps.memoryRequestBytes + 20 * 2 ** 20) / 2 ** 20, 0)}Mi declared, ${deps.containersWithoutRequests} containers BestEffort; the default profile declares requests for those, so it can be higher)`);

console.log('\n5. revision watcher agent (the bundle, run by node against git http-backend and the API double)');
process.stdout.write(execFileSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', path.join(__dirname, 'watcher.ts')], { encoding: 'utf8' }));
