import { Builder, Function, FunctionGateway, FunctionSource, Serving } from '../../src';
import { STATE } from '../../src/watcher/agent/config';
import { buildRunNameFor } from '../../src/watcher/agent/reconcile';
import { fakeDigest, P, World } from './fixture';
import { GitServer } from './servers/git-server';

// A function built from a real git repository served by `git http-backend`, watched by the
// agent against the API double (which enforces the synthesized Roles).
describe('revision watcher: git sources', () => {
  let git: GitServer;
  let world: World;
  let url: string;

  beforeEach(async () => {
    git = new GitServer();
    await git.start();
    url = git.createRepo('hello');
    world = new World();
    await world.start((chart) => {
      const gateway = new FunctionGateway(chart, 'gateway', { domain: 'fn.example.com' });
      new Function(chart, 'hello', {
        source: FunctionSource.fromGit(url, { revision: 'main', subPath: 'hello' }),
        image: 'registry.example.com/demo/hello:v1',
        builder: Builder.fromImage('registry.example.com/builders/go:1.24'),
        route: gateway.route(),
        watch: { builderImage: false },
        serving: Serving.knative({ traffic: [{ current: true, percent: 100 }] }),
      });
    });
  });

  afterEach(async () => {
    await world.stop();
    await git.stop();
  });

  const poll = () => world.reconciler().poll(world.fn('hello'));
  const build = () => world.kube.get(P.build('hello'));
  const ksvc = () => world.kube.get(P.ksvc('hello'));

  test('first sight is a baseline: nothing is built', async () => {
    expect(await poll()).toBe('baseline');
    expect(world.buildRuns()).toEqual([]);
    const a = build().metadata.annotations;
    expect(a[STATE.phase]).toBe('Baseline');
    expect(JSON.parse(a[STATE.sources])).toEqual({ git: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(await poll()).toBe('unchanged');
    expect(world.eventReasons()).toEqual(['Baseline']);
  });

  test('a new commit builds exactly that commit once, then rolls out the digest and moves the route when ready', async () => {
    await poll();
    const before = ksvc();
    const commit = git.commit('hello', 'hello/main.go', 'package main // v2\n');

    expect(await poll()).toBe('build-started');
    const runs = world.buildRuns();
    expect(runs).toHaveLength(1);
    const run = world.kube.get(`${P.buildRuns}/${runs[0]}`);
    expect(run.spec.build.spec.source).toEqual({ type: 'Git', git: { url, revision: commit }, contextDir: 'hello' });
    expect(run.spec.build.spec.output.image).toBe('registry.example.com/demo/hello:v1');
    expect(run.spec.build.spec.retention).toBeUndefined();
    expect(run.spec.serviceAccount).toBe('hello-build');
    expect(run.spec.retention).toEqual({ ttlAfterSucceeded: '168h', ttlAfterFailed: '168h' });
    expect(run.metadata.labels['openfunction.io/function']).toBe('hello');
    expect(run.metadata.ownerReferences).toEqual([{ apiVersion: 'shipwright.io/v1beta1', kind: 'Build', name: 'hello', uid: build().metadata.uid }]);
    expect(build().metadata.annotations[STATE.phase]).toBe('Building');
    expect(build().metadata.annotations[STATE.buildRun]).toBe(runs[0]);

    // Still running: nothing new, serving untouched.
    expect(await poll()).toBe('building');
    expect(await poll()).toBe('building');
    expect(world.buildRuns()).toHaveLength(1);
    expect(ksvc().spec).toEqual(before.spec);

    const digest = fakeDigest('hello-v2');
    world.finish(runs[0], true, digest);
    expect(await poll()).toBe('rolled-out');
    const after = ksvc();
    const image = `registry.example.com/demo/hello@${digest}`;
    expect(after.spec.template.spec.containers[0].image).toBe(image);
    const newRevision = after.spec.template.metadata.name;
    expect(newRevision).not.toBe(before.spec.template.metadata.name);
    // Traffic pinned to the replaced revision follows it.
    expect(after.spec.traffic).toEqual([{ revisionName: newRevision, latestRevision: false, percent: 100 }]);
    expect(after.metadata.annotations[STATE.image]).toBe(image);
    expect(after.metadata.annotations[STATE.buildRun]).toBe(runs[0]);
    expect(build().metadata.annotations[STATE.phase]).toBe('Succeeded');

    // The route keeps the old revision until Knative reports the new one ready.
    const oldRevision = before.spec.template.metadata.name;
    const backends = () => world.kube.get(P.route('hello')).spec.rules[0].backendRefs.map((b: any) => b.name);
    expect(backends()).toEqual([oldRevision]);
    expect(await poll()).toBe('unchanged');
    expect(backends()).toEqual([oldRevision]);
    world.kube.edit(P.ksvc('hello'), (o) => (o.status = { latestReadyRevisionName: newRevision }));
    await poll();
    expect(backends()).toEqual([newRevision]);
    expect(ksvc().metadata.annotations[STATE.routeFrom]).toBeUndefined();

    expect(world.eventReasons()).toEqual(['Baseline', 'BuildStarted', 'RolledOut', 'BuildSucceeded', 'RouteMoved']);
    expect(world.metrics.get('builds_started')).toBe(1);
    expect(world.metrics.get('builds_succeeded')).toBe(1);
    expect(world.metrics.get('rollouts')).toBe(1);
    expect(world.kube.requests.filter((r) => r.status === 403)).toEqual([]);
    expect(world.emittedProblems()).toEqual([]);
  });

  test('a failed build is never rolled out and is not retried until the next change', async () => {
    await poll();
    const before = ksvc();
    git.commit('hello', 'hello/main.go', 'broken\n');
    await poll();
    const [first] = world.buildRuns();
    world.finish(first, false);
    expect(await poll()).toBe('build-failed');
    expect(build().metadata.annotations[STATE.phase]).toBe('Failed');
    expect(build().metadata.annotations[STATE.lastError]).toMatch(/BuildRunTimeout/);
    for (let i = 0; i < 3; i++) expect(await poll()).toBe('failed-before');
    expect(world.buildRuns()).toEqual([first]);
    expect(ksvc()).toEqual(before);
    expect(world.eventReasons()).toContain('BuildFailed');
    expect(world.metrics.get('builds_failed')).toBe(1);

    const fixed = git.commit('hello', 'hello/main.go', 'fixed\n');
    expect(await poll()).toBe('build-started');
    const runs = world.buildRuns();
    expect(runs).toHaveLength(2);
    const second = runs.find((r) => r !== first)!;
    expect(world.kube.get(`${P.buildRuns}/${second}`).spec.build.spec.source.git.revision).toBe(fixed);
    // A succeeded BuildRun without a digest is a failure too: nothing to roll out.
    world.finish(second, true);
    expect(await poll()).toBe('build-failed');
    expect(ksvc()).toEqual(before);
  });

  test('a restart between creating the BuildRun and recording it adopts the BuildRun instead of creating another', async () => {
    await poll();
    git.commit('hello', 'hello/main.go', 'v2\n');
    // The agent "dies" right after its create: the Build update that records it fails.
    world.kube.fail('PUT', /\/builds\/hello$/, 500, 'InternalError');
    await expect(poll()).rejects.toThrow(/500/);
    expect(world.buildRuns()).toHaveLength(1);
    expect(build().metadata.annotations[STATE.phase]).toBe('Baseline');

    // A fresh agent sees the change again, finds the BuildRun by its name and adopts it.
    expect(await world.reconciler().poll(world.fn('hello'))).toBe('build-adopted');
    expect(world.buildRuns()).toHaveLength(1);
    expect(world.kube.count('POST', /\/buildruns$/, 201)).toBe(1);
    expect(world.kube.count('POST', /\/buildruns$/, 409)).toBe(1);
    expect(build().metadata.annotations[STATE.phase]).toBe('Building');

    // And another restart while it builds only follows it.
    expect(await world.reconciler().poll(world.fn('hello'))).toBe('building');
    world.finish(world.buildRuns()[0], true, fakeDigest('v2'));
    expect(await world.reconciler().poll(world.fn('hello'))).toBe('rolled-out');
    expect(world.kube.count('POST', /\/buildruns$/)).toBe(1);
  });

  test('two agents polling at once create one BuildRun between them', async () => {
    await poll();
    git.commit('hello', 'hello/main.go', 'v2\n');
    const outcomes = await Promise.all([world.reconciler().poll(world.fn('hello')), world.reconciler().poll(world.fn('hello'))]);
    expect(outcomes.sort()).toEqual(['build-adopted', 'build-started']);
    expect(world.buildRuns()).toHaveLength(1);
    expect(world.kube.count('POST', /\/buildruns$/, 201)).toBe(1);
    world.finish(world.buildRuns()[0], true, fakeDigest('v2'));
    const rolled = await Promise.all([world.reconciler().poll(world.fn('hello')), world.reconciler().poll(world.fn('hello'))]);
    expect(rolled).toEqual(['rolled-out', 'rolled-out']);
    expect(world.kube.count('PUT', /\/services\/hello$/)).toBe(1);
  });

  test('a conflict on the workload update is retried on a fresh read; persistent conflicts leave it for the next poll', async () => {
    await poll();
    git.commit('hello', 'hello/main.go', 'v2\n');
    await poll();
    world.finish(world.buildRuns()[0], true, fakeDigest('v2'));
    // Someone else writes the Service between our read and our write.
    world.kube.fail('PUT', /\/services\/hello$/, 409, 'Conflict', 1, () => world.kube.edit(P.ksvc('hello'), (o) => (o.metadata.labels.team = 'a')));
    expect(await poll()).toBe('rolled-out');
    expect(ksvc().metadata.labels.team).toBe('a');
    expect(ksvc().spec.template.spec.containers[0].image).toContain(fakeDigest('v2'));

    git.commit('hello', 'hello/main.go', 'v3\n');
    await poll();
    const v3 = world.buildRuns().find((r) => !world.kube.get(`${P.buildRuns}/${r}`).status)!;
    world.finish(v3, true, fakeDigest('v3'));
    world.kube.fail('PUT', /\/services\/hello$/, 409, 'Conflict', 5);
    await expect(poll()).rejects.toThrow(/409/);
    expect(ksvc().spec.template.spec.containers[0].image).toContain(fakeDigest('v2'));
    expect(build().metadata.annotations[STATE.phase]).toBe('Building');
    expect(await poll()).toBe('rolled-out');
    expect(ksvc().spec.template.spec.containers[0].image).toContain(fakeDigest('v3'));
    expect(world.kube.count('POST', /\/buildruns$/)).toBe(2);
  });

  test('git server errors and timeouts fail the poll, record the error once, and build nothing', async () => {
    await poll();
    git.commit('hello', 'hello/main.go', 'v2\n');
    git.mode = 'error';
    const r = world.reconciler();
    const fn = world.fn('hello');
    await expect(r.poll(fn)).rejects.toThrow(/HTTP 503/);
    await r.recordError(fn, new Error('hello.git: HTTP 503'));
    await r.recordError(fn, new Error('hello.git: HTTP 503'));
    expect(build().metadata.annotations[STATE.lastError]).toBe('hello.git: HTTP 503');
    expect(world.eventReasons().filter((e) => e === 'PollFailed')).toHaveLength(1);

    git.mode = 'hang';
    const started = Date.now();
    await expect(r.poll(fn)).rejects.toThrow(/no answer within 1000 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(world.buildRuns()).toEqual([]);

    git.mode = 'ok';
    expect(await r.poll(fn)).toBe('build-started');
    expect(build().metadata.annotations[STATE.lastError]).toBeUndefined();
  });

  test('BuildRun names depend only on the build and the revision', () => {
    expect(buildRunNameFor('hello', 'abcdef0123456789')).toBe('hello-wabcdef0123');
    expect(buildRunNameFor('a'.repeat(60), 'abcdef0123456789')).toHaveLength(63);
  });
});

describe('revision watcher: private repositories and tags', () => {
  test('credentials come from the basic-auth Secret, and a tag resolves to its commit', async () => {
    const git = new GitServer();
    await git.start();
    const url = git.createRepo('private');
    git.auth = 'bot:s3cret';
    const tagged = git.tag('private', 'v1.0.0');
    git.commit('private', 'later.txt', 'after the tag\n');
    const world = new World();
    try {
      await world.start((chart) => {
        new Function(chart, 'private', {
          source: FunctionSource.fromGit(url, { revision: 'v1.0.0', credentials: { name: 'git-bot' } }),
          image: 'registry.example.com/demo/private:v1',
          watch: { builderImage: false },
        });
      });
      const fn = world.fn('private');
      await expect(world.reconciler().poll(fn)).rejects.toThrow(/Secret demo\/git-bot does not exist/);
      world.secret('git-bot', { username: 'bot', password: 'wrong' }, 'kubernetes.io/basic-auth');
      await expect(world.reconciler().poll(fn)).rejects.toThrow(/HTTP 401/);
      world.secret('git-bot', { username: 'bot', password: 's3cret' }, 'kubernetes.io/basic-auth');
      expect(await world.reconciler().poll(fn)).toBe('baseline');
      expect(JSON.parse(world.kube.get(P.build('private')).metadata.annotations[STATE.sources]).git).toBe(tagged);
      // The Role lets the agent read exactly that Secret.
      expect(world.kube.requests.filter((r) => r.status === 403)).toEqual([]);
    } finally {
      await world.stop();
      await git.stop();
    }
  });
});
