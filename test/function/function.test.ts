import { Chart, Duration, Testing } from 'cdk8s';
import { Builder, Function, FunctionProps, FunctionSource, Serving } from '../../src';
import { errorOf, functionsApp, only, synthValid } from '../helpers';

const SOURCE = FunctionSource.fromGit('https://github.com/OpenFunction/samples.git', { revision: 'main', subPath: 'functions/knative/hello-world-go' });

describe('a function with a source', () => {
  const { app, chart } = functionsApp();
  const fn = new Function(chart, 'hello', {
    image: 'openfunctiondev/sample-go-func:latest', imageCredentials: { name: 'push-secret' }, source: SOURCE, builder: Builder.GO,
    buildEnv: { FUNC_NAME: 'HelloWorld' }, labels: { team: 'a' },
  });
  const objects = synthValid(app, chart);

  test('emits the build (ServiceAccount, Build, BuildRun) and, by default, a Knative Service', () => {
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'Build', 'BuildRun', 'Service']);
    expect(only(objects, 'Service').apiVersion).toBe('serving.knative.dev/v1');
  });

  test('serves the image the build pushes', () => {
    expect(only(objects, 'Service').spec.template.spec.containers[0].image).toBe('openfunctiondev/sample-go-func:latest');
  });

  test('names its objects after the construct id and exposes them', () => {
    expect(fn.functionName).toBe('hello');
    expect(fn.buildName).toBe('hello');
    expect(fn.buildRunName).toBe(only(objects, 'BuildRun').metadata.name);
    expect(fn.image).toBe('openfunctiondev/sample-go-func:latest');
    expect(fn.namespace).toBe('demo');
  });

  test('labels every object with the function, and the user labels', () => {
    for (const o of objects) expect(o.metadata?.labels).toMatchObject({ 'openfunction.io/function': 'hello', team: 'a' });
  });

  test('the Build pushes to the image with imageCredentials', () => {
    expect(only(objects, 'Build').spec.output).toEqual({ image: 'openfunctiondev/sample-go-func:latest', pushSecret: 'push-secret' });
  });
});

test('the name and namespace props override the id and the chart', () => {
  const { app, chart } = functionsApp();
  const fn = new Function(chart, 'Hello', { name: 'greeter', namespace: 'team-a', image: 'r.io/a/greeter:1', source: SOURCE });
  const objects = synthValid(app, chart);
  expect(fn.buildName).toBe('greeter');
  expect(objects.map((o) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`)).toEqual([
    'ServiceAccount/team-a/greeter-build', 'Build/team-a/greeter', `BuildRun/team-a/${fn.buildRunName}`, 'Service/team-a/greeter',
  ]);
});

test('a prebuilt image emits no build, and serves the image as given, digest included', () => {
  const { app, chart } = functionsApp();
  const digest = 'sha256:' + '0'.repeat(64);
  const byImage = new Function(chart, 'prebuilt', { image: 'r.io/a/b:1' });
  const bySource = new Function(chart, 'prebuilt2', { source: FunctionSource.fromImage(`r.io/a/c:2@${digest}`) });
  const objects = synthValid(app, chart);
  expect(objects.map((o) => o.kind)).toEqual(['Service', 'Service']);
  expect(objects.map((o: any) => o.spec.template.spec.containers[0].image)).toEqual(['r.io/a/b:1', `r.io/a/c:2@${digest}`]);
  expect(byImage.image).toBe('r.io/a/b:1');
  expect(bySource.image).toBe(`r.io/a/c:2@${digest}`);
  expect(byImage.build).toBeUndefined();
  expect(bySource.buildRunName).toBeUndefined();
});

test('Serving.none() builds only', () => {
  const { app, chart } = functionsApp();
  const fn = new Function(chart, 'build-only', { image: 'r.io/a/b:1', source: SOURCE, serving: Serving.none() });
  expect(synthValid(app, chart).map((o) => o.kind)).toEqual(['ServiceAccount', 'Build', 'BuildRun']);
  expect(fn.funcContext).toBeUndefined();
});

test('a local directory function lists the bundle to push', () => {
  const { app, chart } = functionsApp();
  const fn = new Function(chart, 'local', { image: 'r.io/demo/local:1', source: FunctionSource.fromLocalDirectory(__dirname) });
  synthValid(app, chart);
  expect(fn.bundles).toHaveLength(1);
  expect(fn.bundles[0].image).toMatch(/^r\.io\/demo\/local-source:src-/);
});

describe('bad input', () => {
  const fail = (id: string, props: FunctionProps) => errorOf(() => new Function(new Chart(Testing.app(), 'functions'), id, props));

  test('a construct id that is not a DNS label, with the fix', () => {
    expect(fail('HelloWorld', { image: 'r.io/a/b' })).toBe('functions/HelloWorld: name (from the construct id): is not a DNS-1123 label of at most 52 characters (got "HelloWorld"); pass name: lower-case letters, digits and "-", starting and ending with a letter or digit [OFN_NAME]');
  });
  test('a name too long for the derived BuildRun name', () => {
    expect(fail('f', { name: 'a'.repeat(53), image: 'r.io/a/b' })).toMatch(/name: is not a DNS-1123 label of at most 52 characters/);
  });
  test('neither image nor source', () => {
    expect(fail('f', {})).toMatch(/functions\/f: image: is required: a function needs an image to serve or a source to build/);
  });
  test('a source without the image to push', () => {
    expect(fail('f', { source: SOURCE })).toMatch(/functions\/f: image: is required: it is the image the build pushes/);
  });
  test('a prebuilt image combined with a source image', () => {
    expect(fail('f', { image: 'r.io/a/b', source: FunctionSource.fromImage('r.io/a/c') })).toMatch(/functions\/f: image: is given as well as a prebuilt source image/);
  });
  test('a prebuilt image combined with build options', () => {
    const msg = fail('f', { image: 'r.io/a/b', builder: Builder.GO, buildTimeout: Duration.minutes(1) });
    expect(msg).toMatch(/functions\/f: builder: configures a build, but the function has no source to build/);
    expect(msg).toMatch(/functions\/f: buildTimeout: configures a build/);
  });
  test('an invalid prebuilt image', () => {
    expect(fail('f', { image: 'Bad Image' })).toMatch(/functions\/f: image: is not a valid image reference/);
  });
  test('build problems name the function\'s build construct and the prop', () => {
    expect(fail('f', { image: 'hello', source: SOURCE })).toMatch(/^functions\/f\/Build: image: is not an image a build can push/);
  });
});
