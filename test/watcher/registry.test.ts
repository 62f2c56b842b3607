import { Builder, Function, FunctionSource, Serving } from '../../src';
import { AsyncWorkload, DaprComponents } from '../../src';
import { STATE } from '../../src/watcher/agent/config';
import { parseImage, resolveDigest } from '../../src/watcher/agent/registry';
import { fakeDigest, P, World } from './fixture';
import { hasDockerRegistry, Registry, TokenFront } from './servers/registry';

// Debian's docker-registry is installed by .ci/run; without it these tests are skipped unless
// OFN_REQUIRE_REGISTRY is set (as CI sets it), so a missing registry can never pass silently there.
const available = hasDockerRegistry();
if (!available && process.env.OFN_REQUIRE_REGISTRY) throw new Error('docker-registry is required (apt-get install docker-registry)');
const maybe = available ? describe : describe.skip;

maybe('revision watcher: OCI registries (docker-registry)', () => {
  let registry: Registry;
  let world: World;

  beforeAll(async () => {
    registry = new Registry();
    await registry.start();
  });
  afterAll(async () => {
    await registry.stop();
    registry.cleanup();
  });
  afterEach(async () => world?.stop());

  test('a prebuilt image is pinned to its digest, and redeployed by digest when its tag moves, without a build', async () => {
    const first = await registry.push('demo/greeter', 'v1', 'greeter one');
    world = new World();
    await world.start((chart) => {
      new Function(chart, 'greeter', { source: FunctionSource.fromImage(`${registry.host}/demo/greeter:v1`), watch: true });
    }, { insecureRegistries: [registry.host] });
    const poll = () => world.reconciler().poll(world.fn('greeter'));
    const image = () => world.kube.get(P.ksvc('greeter')).spec.template.spec.containers[0].image;

    expect(await poll()).toBe('rolled-out');
    expect(image()).toBe(`${registry.host}/demo/greeter@${first}`);
    expect(await poll()).toBe('unchanged');

    const second = await registry.push('demo/greeter', 'v1', 'greeter two');
    expect(second).not.toBe(first);
    expect(await poll()).toBe('rolled-out');
    expect(image()).toBe(`${registry.host}/demo/greeter@${second}`);
    expect(world.kube.get(P.ksvc('greeter')).metadata.annotations[STATE.image]).toBe(`${registry.host}/demo/greeter@${second}`);
    expect(world.kube.count('POST', /\/buildruns$/)).toBe(0);
    expect(world.metrics.get('rollouts')).toBe(2);
  });

  test('registry down: the poll fails, the workload stays as it was, and the next poll after recovery works', async () => {
    await registry.push('demo/flaky', 'v1', 'flaky one');
    world = new World();
    await world.start((chart) => {
      new Function(chart, 'flaky', { source: FunctionSource.fromImage(`${registry.host}/demo/flaky:v1`), watch: true });
    }, { insecureRegistries: [registry.host] });
    const fn = world.fn('flaky');
    await world.reconciler().poll(fn);
    const before = world.kube.get(P.ksvc('flaky'));
    const moved = await registry.push('demo/flaky', 'v1', 'flaky two');
    await registry.stop();
    try {
      const r = world.reconciler();
      const e = await r.poll(fn).catch((err: Error) => err);
      expect(String(e)).toMatch(/ECONNREFUSED/);
      await r.recordError(fn, e as Error);
      expect(world.kube.get(P.ksvc('flaky')).spec).toEqual(before.spec);
      expect(world.kube.get(P.ksvc('flaky')).metadata.annotations[STATE.lastError]).toMatch(/ECONNREFUSED/);
    } finally {
      await registry.start();
    }
    expect(await world.reconciler().poll(fn)).toBe('rolled-out');
    expect(world.kube.get(P.ksvc('flaky')).spec.template.spec.containers[0].image).toContain(moved);
    expect(world.kube.get(P.ksvc('flaky')).metadata.annotations[STATE.lastError]).toBeUndefined();
  });

  test('a bundle tag or a builder image that moves starts a build pinned to the new digests', async () => {
    await registry.push('demo/hello-source', 'latest', 'source one');
    await registry.push('builders/go', '1.24', 'builder one');
    world = new World();
    await world.start((chart) => {
      new Function(chart, 'bundled', {
        source: FunctionSource.fromBundle(`${registry.host}/demo/hello-source:latest`),
        image: 'registry.example.com/demo/bundled:v1',
        builder: Builder.fromImage(`${registry.host}/builders/go:1.24`),
        watch: true,
      });
    }, { insecureRegistries: [registry.host] });
    const fn = world.fn('bundled');
    expect(fn.images).toEqual([{ image: `${registry.host}/builders/go:1.24` }]);
    const poll = () => world.reconciler().poll(fn);
    expect(await poll()).toBe('baseline');

    const source = await registry.push('demo/hello-source', 'latest', 'source two');
    expect(await poll()).toBe('build-started');
    let run = world.kube.get(`${P.buildRuns}/${world.buildRuns()[0]}`);
    expect(run.spec.build.spec.source.ociArtifact.image).toBe(`${registry.host}/demo/hello-source@${source}`);
    world.finish(world.buildRuns()[0], true, fakeDigest('bundled-2'));
    expect(await poll()).toBe('rolled-out');

    const builder = await registry.push('builders/go', '1.24', 'builder two');
    expect(await poll()).toBe('build-started');
    const second = world.buildRuns().find((n) => !world.kube.get(`${P.buildRuns}/${n}`).status)!;
    run = world.kube.get(`${P.buildRuns}/${second}`);
    expect(run.spec.build.spec.paramValues).toContainEqual({ name: 'builder-image', value: `${registry.host}/builders/go@${builder}` });
    expect(run.spec.build.spec.source.ociArtifact.image).toBe(`${registry.host}/demo/hello-source@${source}`);
    expect(world.emittedProblems()).toEqual([]);
  });

  test('an async function on a ScaledJob and a KEDA HTTP Deployment are redeployed in their function container', async () => {
    await registry.push('demo/job', 'v1', 'job one');
    await registry.push('demo/web', 'v1', 'web one');
    world = new World();
    await world.start((chart) => {
      const queue = DaprComponents.kafkaBinding(chart, 'jobs', { brokers: ['kafka.demo.svc:9092'], topics: ['jobs'], consumerGroup: 'job' });
      new Function(chart, 'job', { source: FunctionSource.fromImage(`${registry.host}/demo/job:v1`), serving: Serving.async({ triggers: [{ component: queue }], workload: AsyncWorkload.JOB }), watch: true });
      new Function(chart, 'web', { source: FunctionSource.fromImage(`${registry.host}/demo/web:v1`), serving: Serving.kedaHttp({ hosts: ['web.example.com'] }), watch: true });
    }, { insecureRegistries: [registry.host] });
    expect(world.fn('web').serving).toEqual({ kind: 'Deployment', name: 'web', container: 'function' });
    expect(await world.reconciler().poll(world.fn('web'))).toBe('rolled-out');
    const dep = world.kube.get(P.deployment('web'));
    expect(dep.spec.template.spec.containers.find((c: any) => c.name === 'function').image).toMatch(/demo\/web@sha256:/);
    const job = world.fn('job');
    expect(job.serving).toEqual({ kind: 'ScaledJob', name: 'job', container: 'function' });
    expect(await world.reconciler().poll(job)).toBe('rolled-out');
    expect(world.kube.get(P.scaledJob('job')).spec.jobTargetRef.template.spec.containers.find((c: any) => c.name === 'function').image).toMatch(/demo\/job@sha256:/);
    expect(world.kube.requests.filter((r) => r.status === 403)).toEqual([]);
    expect(world.emittedProblems()).toEqual([]);
  });

  test('bearer-token registries: the challenge is answered with the dockerconfigjson credentials', async () => {
    const digest = await registry.push('private/app', 'v3', 'private app');
    const front = new TokenFront(registry.host, 'robot', 'pa55');
    await front.start();
    try {
      const resolve = (credentials?: { username: string; password: string }) => resolveDigest(`${front.host}/private/app:v3`, { timeoutMs: 2000, insecure: true, credentials });
      await expect(resolve()).rejects.toThrow(/token request answered HTTP 401/);
      await expect(resolve({ username: 'robot', password: 'nope' })).rejects.toThrow(/HTTP 401/);
      expect(await resolve({ username: 'robot', password: 'pa55' })).toBe(digest);

      world = new World();
      await world.start((chart) => {
        new Function(chart, 'private', { source: FunctionSource.fromImage(`${front.host}/private/app:v3`), imageCredentials: { name: 'pull' }, watch: true });
      }, { insecureRegistries: [front.host] });
      world.secret('pull', { '.dockerconfigjson': JSON.stringify({ auths: { [front.host]: { auth: Buffer.from('robot:pa55').toString('base64') } } }) }, 'kubernetes.io/dockerconfigjson');
      expect(await world.reconciler().poll(world.fn('private'))).toBe('rolled-out');
      expect(world.kube.get(P.ksvc('private')).spec.template.spec.containers[0].image).toBe(`${front.host}/private/app@${digest}`);
    } finally {
      await front.stop();
    }
  });

  test('an unknown tag is a clear error', async () => {
    await expect(resolveDigest(`${registry.host}/demo/none:v9`, { timeoutMs: 2000, insecure: true })).rejects.toThrow(/HTTP 404 \(no such image or tag\)/);
  });
});

describe('image references', () => {
  test('Docker Hub short names, registries with ports and digests', () => {
    expect(parseImage('node:22')).toEqual({ registry: 'docker.io', repository: 'library/node', tag: '22', digest: undefined });
    expect(parseImage('openfunction/builder-go:v2')).toMatchObject({ registry: 'docker.io', repository: 'openfunction/builder-go', tag: 'v2' });
    expect(parseImage('127.0.0.1:5000/demo/app')).toMatchObject({ registry: '127.0.0.1:5000', repository: 'demo/app', tag: 'latest' });
    expect(parseImage(`ghcr.io/a/b@${fakeDigest('x')}`)).toMatchObject({ registry: 'ghcr.io', repository: 'a/b', tag: undefined, digest: fakeDigest('x') });
  });
});
