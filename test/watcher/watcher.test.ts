import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import { Builder, Function, FunctionSource, RevisionWatcher, Serving, StandardBuildStrategies, restrictedViolations } from '../../src';
import { WatcherConfig } from '../../src/watcher/agent/config';
import { pollDelayMs } from '../../src/watcher/agent/main';
import { errorOf, only, synthValid } from '../helpers';

const GIT = 'https://github.com/OpenFunction/samples.git';

function setup(watcherProps = {}) {
  const app = Testing.app();
  const platform = new Chart(app, 'platform', { namespace: 'openfunction' });
  new StandardBuildStrategies(platform, 'strategies');
  const watcher = new RevisionWatcher(platform, 'watcher', watcherProps);
  const chart = new Chart(app, 'functions', { namespace: 'demo' });
  return { app, platform, watcher, chart };
}

function configOf(objects: any[]): WatcherConfig {
  return JSON.parse(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'revision-watcher-config').data['config.json']);
}

describe('RevisionWatcher', () => {
  test('a watched git function: agent, config, PSS-restricted Deployment and a Role with exactly the verbs it needs', () => {
    const { app, platform, chart } = setup();
    new Function(chart, 'hello', {
      source: FunctionSource.fromGit(GIT, { revision: 'main', credentials: { name: 'git-token' } }),
      image: 'registry.example.com/demo/hello:v1',
      builder: Builder.GO,
      watch: true,
    });
    const objects: any[] = synthValid(app, platform);
    const config = configOf(objects);
    expect(config).toEqual({
      intervalSeconds: 60, jitter: 0.2, maxBackoffSeconds: 600, requestTimeoutSeconds: 10, insecureRegistries: [], port: 8080,
      functions: [{
        name: 'hello', namespace: 'demo', mode: 'source',
        build: { name: 'hello', serviceAccount: 'hello-build', outputImage: 'registry.example.com/demo/hello:v1' },
        git: { url: GIT, revision: 'main', credentials: 'git-token' },
        images: [{ image: Builder.GO.image }],
        serving: { kind: 'Service', name: 'hello', container: 'function' },
      }],
    });
    const agent = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'revision-watcher-agent');
    expect(agent.data['agent.js']).toBe(fs.readFileSync(path.join(__dirname, '..', '..', 'assets', 'watcher-agent.js'), 'utf8'));

    const dep = only(objects, 'Deployment');
    const pod = dep.spec.template.spec;
    expect(restrictedViolations(pod)).toEqual([]);
    const c = pod.containers[0];
    expect(c.image).toBe(RevisionWatcher.DEFAULT_IMAGE);
    expect(c.command).toEqual(['node', '/opt/watcher/agent.js']);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(c.resources).toEqual({ requests: { cpu: '50m', memory: '32Mi' }, limits: { memory: '128Mi' } });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(pod.serviceAccountName).toBe('revision-watcher');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(dep.spec.template.metadata.annotations['openfunction.io/config-hash']).toMatch(/^[0-9a-f]{12}$/);

    const role = objects.find((o) => o.kind === 'Role');
    expect(role.metadata.namespace).toBe('demo');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['events'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['git-token'], verbs: ['get'] },
      { apiGroups: ['serving.knative.dev'], resources: ['services'], resourceNames: ['hello'], verbs: ['get', 'update'] },
      { apiGroups: ['shipwright.io'], resources: ['buildruns'], verbs: ['create', 'get'] },
      { apiGroups: ['shipwright.io'], resources: ['builds'], resourceNames: ['hello'], verbs: ['get', 'update'] },
    ]);
    for (const rule of role.rules) expect([...rule.verbs, ...rule.resources, ...rule.apiGroups]).not.toContain('*');
    const binding = objects.find((o) => o.kind === 'RoleBinding');
    expect(binding.roleRef.name).toBe(role.metadata.name);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'revision-watcher', namespace: 'openfunction' }]);
    expect(objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
  });

  test('prebuilt, async and undeployed functions; options reach the config; a changed config changes the pod hash', () => {
    const hashes: string[] = [];
    for (const interval of [30, 45]) {
      const { app, platform, chart, watcher } = setup({ interval: Duration.seconds(interval), jitter: 0.1, insecureRegistries: ['registry.local:5000'], resources: { memoryRequest: '48Mi' } });
      new Function(chart, 'pre', { source: FunctionSource.fromImage('registry.local:5000/demo/pre:v1'), imageCredentials: { name: 'pull' }, watch: { watcher } });
      new Function(chart, 'built', {
        source: FunctionSource.fromBundle('registry.local:5000/demo/src:latest'),
        image: 'registry.local:5000/demo/built:v1',
        serving: Serving.none(),
        watch: { interval: Duration.minutes(5), builderImage: false, baseImages: ['golang:1.24'], baseImageCredentials: { name: 'hub' } },
      });
      const objects: any[] = synthValid(app, platform);
      const config = configOf(objects);
      expect(config.intervalSeconds).toBe(interval);
      expect(config.jitter).toBe(0.1);
      expect(config.insecureRegistries).toEqual(['registry.local:5000']);
      expect(config.functions).toEqual([
        { name: 'built', namespace: 'demo', mode: 'source', intervalSeconds: 300, build: { name: 'built', serviceAccount: 'built-build', outputImage: 'registry.local:5000/demo/built:v1' }, bundle: { image: 'registry.local:5000/demo/src:latest' }, images: [{ image: 'golang:1.24', credentials: 'hub' }] },
        { name: 'pre', namespace: 'demo', mode: 'image', image: { image: 'registry.local:5000/demo/pre:v1', credentials: 'pull' }, serving: { kind: 'Service', name: 'pre', container: 'function' } },
      ]);
      expect(watcher.watched).toEqual(['demo/pre', 'demo/built']);
      const dep = only(objects, 'Deployment');
      expect(dep.spec.template.spec.containers[0].resources.requests.memory).toBe('48Mi');
      hashes.push(dep.spec.template.metadata.annotations['openfunction.io/config-hash']);
      const role = objects.find((o) => o.kind === 'Role');
      expect(role.rules.find((r: any) => r.resources[0] === 'secrets').resourceNames).toEqual(['hub', 'pull']);
    }
    expect(hashes[0]).not.toBe(hashes[1]);
  });

  test('the config does not depend on the order functions are created in', () => {
    const render = (order: string[]) => {
      const { app, platform, chart } = setup();
      for (const name of order) new Function(chart, name, { source: FunctionSource.fromImage(`registry.example.com/demo/${name}:v1`), watch: true });
      void app;
      return Testing.synth(platform);
    };
    expect(JSON.stringify(render(['a', 'b', 'c']))).toBe(JSON.stringify(render(['c', 'a', 'b'])));
  });

  test('bad input is a synth error naming the function, the prop, the value and the fix', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'functions', { namespace: 'demo' });
    expect(errorOf(() => new Function(chart, 'lonely', { source: FunctionSource.fromImage('registry.example.com/demo/a:v1'), watch: true })))
      .toBe('functions/lonely: watch: asks for a RevisionWatcher, but the app has none (or it is created after this function) (got true); create one first, e.g. new RevisionWatcher(platformChart, \'watcher\'), or pass watch: { watcher } [OFN_WATCH_NO_WATCHER]');

    const { chart: c } = setup();
    expect(errorOf(() => new Function(c, 'ssh', { source: FunctionSource.fromGit('git@github.com:org/repo.git'), image: 'registry.example.com/demo/ssh:v1', watch: true })))
      .toMatch(/^functions\/ssh: source\.url: is not an http\(s\) URL; the watcher reads branches over git's smart-HTTP protocol \(got "git@github.com:org\/repo.git"\); use the https:\/\/ URL .* \[OFN_WATCH_GIT_URL\]$/);
    expect(errorOf(() => new Function(c, 'pinned', { source: FunctionSource.fromGit(GIT, { revision: 'a'.repeat(40) }), image: 'registry.example.com/demo/p:v1', dockerfile: 'Dockerfile', watch: true })))
      .toMatch(/source\.revision: pins a commit, so the source never changes .*\[OFN_WATCH_NOTHING\]/);
    expect(errorOf(() => new Function(c, 'digest', { source: FunctionSource.fromImage(`registry.example.com/demo/d@sha256:${'0'.repeat(64)}`), watch: true })))
      .toMatch(/image: is pinned by digest, so it never changes .*\[OFN_WATCH_NOTHING\]/);
    expect(errorOf(() => new Function(c, 'unserved', { source: FunctionSource.fromImage('registry.example.com/demo/u:v1'), serving: Serving.none(), watch: true })))
      .toMatch(/watch: is set on a prebuilt function that is not served .*\[OFN_WATCH_NOTHING\]/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-local-'));
    fs.writeFileSync(path.join(dir, 'main.go'), 'package main\n');
    expect(errorOf(() => new Function(c, 'local', { source: FunctionSource.fromLocalDirectory(dir), image: 'registry.example.com/demo/l:v1', dockerfile: 'Dockerfile', watch: true })))
      .toMatch(/watch: watches a local-directory source, which changes only through synth, and no builder or base image .*\[OFN_WATCH_NOTHING\]/);
    fs.rmSync(dir, { recursive: true });

    const twice = new Function(c, 'twice', { source: FunctionSource.fromImage('registry.example.com/demo/t:v1'), watch: true });
    expect(errorOf(() => (twice.watcher!.watch(twice), twice))).toMatch(/watch: is already watched by this watcher \(got "demo\/twice"\).*\[OFN_WATCH_TWICE\]/);

    const app2 = Testing.app();
    const p2 = new Chart(app2, 'platform');
    expect(errorOf(() => new RevisionWatcher(p2, 'w', { jitter: 1.5, insecureRegistries: ['http://registry:5000'], interval: Duration.seconds(0), port: 80 })).split('\n')).toEqual([
      expect.stringMatching(/^platform\/w: interval: must be at least 1s \(got "0s"\).*\[OFN_DURATION\]$/),
      expect.stringMatching(/jitter: is not a fraction from 0 to below 1 \(got 1.5\).*\[OFN_WATCH_JITTER\]$/),
      expect.stringMatching(/port: is not a port from 1024 to 65535 .*\(got 80\).*\[OFN_PORT\]$/),
      expect.stringMatching(/insecureRegistries\[0\]: is not a registry host\[:port\] \(got "http:\/\/registry:5000"\).*\[OFN_WATCH_REGISTRY\]$/),
    ]);
  });

  test('the agent bundle is current, small enough for a ConfigMap, and needs nothing but Node', () => {
    // Rebuilds the bundle from src/watcher/agent and compares it byte for byte.
    const check = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'bundle-agent.mjs'), '--check'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'assets', 'watcher-agent.js'), 'utf8');
    expect(Buffer.byteLength(committed)).toBeLessThan(1024 * 1024);
    const requires = [...committed.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(requires.every((r) => ['fs', 'http', 'https', 'crypto'].includes(r.replace(/^node:/, '')))).toBe(true);
  });

  test('polls back off exponentially after errors, up to the longest backoff, with jitter', () => {
    expect(pollDelayMs(60, 0, 600, 0, 0.5)).toBe(60_000);
    expect(pollDelayMs(60, 1, 600, 0, 0.5)).toBe(120_000);
    expect(pollDelayMs(60, 3, 600, 0, 0.5)).toBe(480_000);
    expect(pollDelayMs(60, 8, 600, 0, 0.5)).toBe(600_000);
    expect(pollDelayMs(60, 0, 600, 0.2, 0)).toBe(48_000);
    expect(pollDelayMs(60, 0, 600, 0.2, 0.999999)).toBeCloseTo(72_000, -1);
  });
});
