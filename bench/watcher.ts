// The revision watcher agent under load: the bundled agent, run by node, polling N functions
// against a real git server (git http-backend) and the API double, all on 127.0.0.1. Prints its
// bundle size, resident memory and CPU, as ratios to the ConfigMap limit and to its requests.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { GitServer } from '../test/watcher/servers/git-server';
import { KubeDouble } from '../test/watcher/servers/kube-double';

const BUNDLE = path.join(__dirname, '..', 'assets', 'watcher-agent.js');
const f = (x: number, d = 2) => x.toFixed(d);

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => http.get(url, (res) => {
    let body = '';
    res.on('data', (c) => (body += c));
    res.on('end', () => resolve(body));
  }).on('error', reject));
}

function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function measure(n: number, intervalSeconds: number, seconds: number): Promise<{ rssMiB: number; anonMiB: number; millicores: number; polls: number }> {
  const git = new GitServer();
  await git.start();
  const url = git.createRepo('shared');
  const kube = new KubeDouble();
  const api = await kube.start();
  const functions = [];
  for (let i = 0; i < n; i++) {
    const name = `fn-${i}`;
    kube.put(`/apis/shipwright.io/v1beta1/namespaces/demo/builds/${name}`, { apiVersion: 'shipwright.io/v1beta1', kind: 'Build', metadata: { name, namespace: 'demo' }, spec: { source: { type: 'Git', git: { url } } } });
    functions.push({ name, namespace: 'demo', mode: 'source', build: { name, serviceAccount: `${name}-build`, outputImage: `registry.example.com/demo/${name}:v1` }, git: { url } });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-bench-'));
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify({ intervalSeconds, jitter: 0.2, maxBackoffSeconds: 60, requestTimeoutSeconds: 5, insecureRegistries: [], port: 0, apiServer: api, functions }));
  const proc = spawn(process.execPath, [BUNDLE], { env: { PATH: process.env.PATH, WATCHER_CONFIG: file }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout!.on('data', (c) => (out += c));
  while (!/"port":(\d+)/.test(out)) await new Promise((r) => setTimeout(r, 20));
  const port = /"port":(\d+)/.exec(out)![1];
  await new Promise((r) => setTimeout(r, 2000)); // warm-up: first polls
  const t0 = cpuTicks(proc.pid!);
  const started = Date.now();
  let peak = 0;
  let peakAnon = 0;
  while (Date.now() - started < seconds * 1000) {
    const text = await get(`http://127.0.0.1:${port}/metrics`);
    peak = Math.max(peak, Number(/process_resident_memory_bytes (\d+)/.exec(text)![1]));
    peakAnon = Math.max(peakAnon, Number(/process_anonymous_memory_bytes (\d+)/.exec(text)?.[1] ?? 0));
    await new Promise((r) => setTimeout(r, 250));
  }
  const ticks = cpuTicks(proc.pid!) - t0;
  const metrics = await get(`http://127.0.0.1:${port}/metrics`);
  const polls = [...metrics.matchAll(/openfunction_watcher_polls_total\{[^}]*\} (\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
  proc.kill('SIGTERM');
  await kube.stop();
  await git.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  const hz = 100; // USER_HZ on Linux
  return { rssMiB: peak / 2 ** 20, anonMiB: peakAnon / 2 ** 20, millicores: (ticks / hz) / ((Date.now() - started) / 1000) * 1000, polls };
}

async function main(): Promise<void> {
  const bytes = fs.statSync(BUNDLE).size;
  console.log(`   agent bundle: ${f(bytes / 1024, 1)} KiB; ratio to the 1 MiB ConfigMap limit ${f(bytes / 2 ** 20, 3)}`);
  const idle = await measure(0, 60, 3);
  const hundred = await measure(100, 60, 5);
  const busy = await measure(100, 5, 10);
  console.log(`   resident memory (peak RSS / of it not file-backed): idle ${f(idle.rssMiB, 1)} / ${f(idle.anonMiB, 1)} MiB, 100 functions ${f(hundred.rssMiB, 1)} / ${f(hundred.anonMiB, 1)} MiB (ratio ${f(hundred.anonMiB / idle.anonMiB)}), 100 functions polled every 5 s ${f(busy.rssMiB, 1)} / ${f(busy.anonMiB, 1)} MiB`);
  console.log('   (the file-backed rest is the node binary mapped into memory: page cache shared by every node process, reclaimable)');
  console.log(`   vs the 32Mi request, not file-backed: ${f(hundred.anonMiB / 32)} (100 functions, 60 s interval), ${f(busy.anonMiB / 32)} (5 s interval); whole RSS vs the 128Mi limit: ${f(busy.rssMiB / 128)}`);
  console.log(`   CPU, 100 functions every 5 s (${busy.polls} polls in ${10 + 2} s): ${f(busy.millicores, 0)}m; vs the 50m request: ${f(busy.millicores / 50)} (at the default 60 s interval about a twelfth of that)`);
}

void main();
