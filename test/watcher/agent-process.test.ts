import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { Builder, Function, FunctionSource } from '../../src';
import { STATE } from '../../src/watcher/agent/config';
import { fakeDigest, P, World } from './fixture';
import { GitServer } from './servers/git-server';

const BUNDLE = path.join(__dirname, '..', '..', 'assets', 'watcher-agent.js');

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The bundled agent, as the ConfigMap ships it, run by node against the real git server and the
// API double: its own loop, timers, HTTP endpoints and shutdown.
describe('the bundled agent as a process', () => {
  let git: GitServer;
  let world: World;
  let agent: ChildProcess | undefined;
  let dir: string;

  beforeEach(async () => {
    git = new GitServer();
    await git.start();
    world = new World();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-agent-'));
  });
  afterEach(async () => {
    agent?.kill('SIGKILL');
    await world.stop();
    await git.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('polls, builds once, rolls out, serves health and metrics, and stops on SIGTERM', async () => {
    const url = git.createRepo('hello');
    await world.start((chart) => {
      new Function(chart, 'hello', { source: FunctionSource.fromGit(url), image: 'registry.example.com/demo/hello:v1', builder: Builder.GO, watch: { builderImage: false } });
    });
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify({ ...world.config, intervalSeconds: 0.2, jitter: 0, maxBackoffSeconds: 1, port: 0 }));
    const proc = spawn(process.execPath, [BUNDLE], { env: { PATH: process.env.PATH, WATCHER_CONFIG: file, POD_NAME: 'watcher-0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    agent = proc;
    let out = '';
    proc.stdout!.on('data', (c) => (out += c));
    proc.stderr!.on('data', (c) => (out += c));

    const port = await until('the start line', () => /"msg":"started".*"port":(\d+)/.exec(out)?.[1]);
    const base = `http://127.0.0.1:${port}`;
    expect((await get(`${base}/readyz`)).status).toBe(200);
    await until('the baseline', () => world.kube.get(P.build('hello')).metadata.annotations?.[STATE.phase] === 'Baseline');

    const commit = git.commit('hello', 'main.go', 'package main // v2\n');
    const [run] = await until('a BuildRun', () => world.buildRuns().length > 0 && world.buildRuns());
    expect(world.kube.get(`${P.buildRuns}/${run}`).spec.build.spec.source.git.revision).toBe(commit);
    // Polls go on while it builds; none creates a second BuildRun.
    await new Promise((r) => setTimeout(r, 600));
    expect(world.buildRuns()).toEqual([run]);

    world.finish(run, true, fakeDigest('process'));
    await until('the rollout', () => world.kube.get(P.ksvc('hello')).spec.template.spec.containers[0].image.endsWith(fakeDigest('process')));
    // The agent counts and reports the rollout after the API answered; wait for its Event.
    const event = await until('the RolledOut event', () => world.kube.requests.find((r) => r.method === 'POST' && r.path === P.events && r.body.reason === 'RolledOut'));

    const metrics = (await get(`${base}/metrics`)).body;
    expect(metrics).toContain('openfunction_watcher_builds_started_total{namespace="demo",function="hello"} 1');
    expect(metrics).toContain('openfunction_watcher_rollouts_total{namespace="demo",function="hello"} 1');
    expect(metrics).toMatch(/openfunction_watcher_polls_total\{namespace="demo",function="hello"\} \d+/);
    expect(metrics).toContain('openfunction_watcher_watched_functions 1');
    expect(metrics).toMatch(/process_resident_memory_bytes \d+/);
    expect((await get(`${base}/healthz`)).status).toBe(200);
    expect(event.body.reportingInstance).toBe('watcher-0');
    expect(world.kube.count('POST', /\/buildruns$/)).toBe(1);
    // Every complete log line is one JSON object.
    for (const line of out.slice(0, out.lastIndexOf('\n')).split('\n')) expect(() => JSON.parse(line)).not.toThrow();

    const code = await new Promise<number | null>((resolve) => {
      proc.once('exit', (c) => resolve(c));
      proc.kill('SIGTERM');
    });
    expect(code).toBe(0);
    agent = undefined;
  });

  test('a config it cannot use stops it with a clear message', async () => {
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify({ intervalSeconds: 0, jitter: 2, maxBackoffSeconds: 1, requestTimeoutSeconds: 1, insecureRegistries: [], port: 0, apiServer: 'http://127.0.0.1:1', functions: [] }));
    const proc = spawn(process.execPath, [BUNDLE], { env: { PATH: process.env.PATH, WATCHER_CONFIG: file }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (c) => (out += c));
    const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
    expect(code).toBe(1);
    expect(out).toContain('invalid watcher config: intervalSeconds must be positive; jitter must be in [0, 1)');
  });
});
