import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Testing } from 'cdk8s';
import {
  Builder, BuildStrategy, BuildStrategyKind, COLLECT_ERRORS_CONTEXT, FunctionBuild, FunctionBuildProps, FunctionSource,
  KanikoStrategy, KoStrategy, PropValidationError, SchemaValidator,
} from '../../src';
import { errorOf, functionsApp, only, synthValid } from '../helpers';

const GIT = FunctionSource.fromGit('https://github.com/OpenFunction/samples.git', { revision: 'main', subPath: 'functions/knative/hello-world-go' });
const BASE: FunctionBuildProps = { name: 'hello', source: GIT, image: 'registry.example.com/demo/hello:v1' };

function synthBuild(props: Partial<FunctionBuildProps> = {}) {
  const { app, chart } = functionsApp();
  const build = new FunctionBuild(chart, 'hello', { ...BASE, ...props });
  const objects = synthValid(app, chart);
  return { build, objects, spec: only(objects, 'Build').spec, run: only(objects, 'BuildRun') };
}

describe('a git buildpacks build', () => {
  let result: ReturnType<typeof synthBuild>;
  beforeAll(() => {
    result = synthBuild({ builder: Builder.GO, buildEnv: { FUNC_NAME: 'HelloWorld', FUNC_CLEAR_SOURCE: 'true' }, imageCredentials: { name: 'push-secret' } });
  });

  test('uses the openfunction ClusterBuildStrategy by default', () => {
    expect(result.spec.strategy).toEqual({ name: 'openfunction', kind: 'ClusterBuildStrategy' });
  });

  test('clones the git source at the revision into the sub-path context', () => {
    expect(result.spec.source).toEqual({ type: 'Git', git: { url: 'https://github.com/OpenFunction/samples.git', revision: 'main' }, contextDir: 'functions/knative/hello-world-go' });
  });

  test('pushes the image with the push secret', () => {
    expect(result.spec.output).toEqual({ image: 'registry.example.com/demo/hello:v1', pushSecret: 'push-secret' });
  });

  test('passes the builder image and ENV_VARS with keys sorted, as OpenFunction does', () => {
    expect(result.spec.paramValues).toEqual([
      { name: 'builder-image', value: Builder.GO.image },
      { name: 'ENV_VARS', value: 'FUNC_CLEAR_SOURCE=true#FUNC_NAME=HelloWorld#' },
    ]);
  });

  test('keeps one succeeded and one failed BuildRun by default', () => {
    expect(result.spec.retention).toEqual({ succeededLimit: 1, failedLimit: 1 });
  });

  test('runs the BuildRun of this Build under a dedicated ServiceAccount without an API token', () => {
    expect(result.run.spec).toEqual({ build: { name: 'hello' }, serviceAccount: 'hello-build' });
    const sa = only(result.objects, 'ServiceAccount');
    expect(sa.metadata.name).toBe('hello-build');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(sa.secrets).toEqual([{ name: 'push-secret' }]);
    expect(result.build.serviceAccountName).toBe('hello-build');
  });

  test('names the BuildRun after the Build and a hash of the inputs', () => {
    expect(result.run.metadata.name).toMatch(/^hello-[0-9a-f]{10}$/);
    expect(result.build.buildRunName).toBe(result.run.metadata.name);
    expect(result.run.metadata.labels['openfunction.io/build-inputs']).toBe(result.run.metadata.name.slice('hello-'.length));
  });

  test('puts every object in the chart namespace', () => {
    expect(result.objects.map((o) => o.metadata?.namespace)).toEqual(['demo', 'demo', 'demo']);
  });
});

describe('the BuildRun name', () => {
  const runName = (props: Partial<FunctionBuildProps>) => synthBuild(props).run.metadata.name as string;
  const base = runName({});

  test.each<[string, Partial<FunctionBuildProps>]>([
    ['revision', { source: FunctionSource.fromGit('https://github.com/OpenFunction/samples.git', { revision: 'v2', subPath: 'functions/knative/hello-world-go' }) }],
    ['sub-path', { source: FunctionSource.fromGit('https://github.com/OpenFunction/samples.git', { revision: 'main', subPath: 'functions/other' }) }],
    ['url', { source: FunctionSource.fromGit('https://github.com/me/samples.git', { revision: 'main', subPath: 'functions/knative/hello-world-go' }) }],
    ['output image', { image: 'registry.example.com/demo/hello:v2' }],
    ['push secret', { imageCredentials: { name: 'other' } }],
    ['builder', { builder: Builder.NODEJS }],
    ['builder pull secret', { builder: Builder.GO.withCredentials({ name: 'pull' }) }],
    ['build env', { buildEnv: { FUNC_NAME: 'Other' } }],
    ['strategy params', { strategyParams: { RUN_IMAGE: 'r.io/run:1' } }],
    ['cache image', { cacheImage: 'registry.example.com/demo/hello-cache' }],
    ['node selector', { buildNodeSelector: { pool: 'build' } }],
  ])('changes when the %s changes', (_what, props) => {
    expect(runName(props)).not.toBe(base);
  });

  test.each<[string, Partial<FunctionBuildProps>]>([
    ['timeout', { buildTimeout: Duration.minutes(20) }],
    ['history limits', { successfulBuildsHistoryLimit: 3, failedBuildsHistoryLimit: 5 }],
    ['max age', { buildRunMaxAge: Duration.days(1) }],
  ])('stays when only the %s changes (as in OpenFunction)', (_what, props) => {
    expect(runName(props)).toBe(base);
  });

  test('re-synthesizing the same props gives byte-identical output', () => {
    const once = () => JSON.stringify(synthBuild({ buildEnv: { B: '2', A: '1' } }).objects);
    expect(once()).toBe(once());
  });

  test('does not depend on the order build env keys are written in', () => {
    expect(runName({ buildEnv: { A: '1', B: '2' } })).toBe(runName({ buildEnv: { B: '2', A: '1' } }));
  });
});

describe('build options', () => {
  test('timeout, retention, TTL, node selector and tolerations reach the Build', () => {
    const { spec } = synthBuild({
      buildTimeout: Duration.minutes(15), successfulBuildsHistoryLimit: 2, failedBuildsHistoryLimit: 3, buildRunMaxAge: Duration.hours(12),
      buildNodeSelector: { pool: 'build' }, buildTolerations: [{ key: 'build', value: 'true', effect: 'NoSchedule' }, { key: 'spot' }],
    });
    expect(spec.timeout).toBe('15m');
    expect(spec.retention).toEqual({ succeededLimit: 2, failedLimit: 3, ttlAfterSucceeded: '12h', ttlAfterFailed: '12h' });
    expect(spec.nodeSelector).toEqual({ pool: 'build' });
    expect(spec.tolerations).toEqual([{ key: 'build', operator: 'Equal', value: 'true', effect: 'NoSchedule' }, { key: 'spot', operator: 'Exists' }]);
  });

  test('the cache image and further parameters come after user parameters, user parameters sorted', () => {
    const { spec } = synthBuild({ cacheImage: 'registry.example.com/demo/cache', strategyParams: { RUN_IMAGE: 'r.io/run:1', PROCESS_TYPE: 'func' }, buildEnv: { X: 'y' } });
    expect(spec.paramValues.map((p: any) => p.name)).toEqual(['PROCESS_TYPE', 'RUN_IMAGE', 'builder-image', 'CACHE_IMAGE', 'ENV_VARS']);
    expect(spec.paramValues[3]).toEqual({ name: 'CACHE_IMAGE', value: 'registry.example.com/demo/cache' });
  });

  test('a builder pull secret goes to the ServiceAccount as imagePullSecret', () => {
    const { objects } = synthBuild({ builder: Builder.fromImage('r.io/private/builder:1', { credentials: { name: 'builder-pull' } }) });
    expect(only(objects, 'ServiceAccount').imagePullSecrets).toEqual([{ name: 'builder-pull' }]);
  });

  test('a Dockerfile defaults to buildah and passes build env as build-args', () => {
    const { spec } = synthBuild({ dockerfile: 'build/Dockerfile', buildEnv: { VERSION: '1', A: 'b' } });
    expect(spec.strategy).toEqual({ name: 'buildah', kind: 'ClusterBuildStrategy' });
    expect(spec.paramValues).toEqual([
      { name: 'dockerfile', value: 'build/Dockerfile' },
      { name: 'build-args', values: [{ value: 'A=b' }, { value: 'VERSION=1' }] },
    ]);
  });

  test('kaniko gets its build args as --build-arg flags', () => {
    const { app, chart } = functionsApp();
    const kaniko = new KanikoStrategy(chart, 'kaniko', { name: 'my-kaniko' });
    new FunctionBuild(chart, 'k', { ...BASE, strategy: kaniko, dockerfile: 'Dockerfile', buildEnv: { A: '1' } });
    const spec = only(synthValid(app, chart), 'Build').spec;
    expect(spec.strategy).toEqual({ name: 'my-kaniko', kind: 'ClusterBuildStrategy' });
    expect(spec.paramValues[1]).toEqual({ name: 'build-args', values: [{ value: '--build-arg=A=1' }] });
  });

  test('a bundle source becomes an OCI artifact source', () => {
    const { spec } = synthBuild({ source: FunctionSource.fromBundle('openfunctiondev/sample-source-code:latest', { subPath: '/samples/functions/async/logs-handler-function/' }) });
    expect(spec.source).toEqual({ type: 'OCI', ociArtifact: { image: 'openfunctiondev/sample-source-code:latest' }, contextDir: 'samples/functions/async/logs-handler-function' });
  });

  test('a namespaced strategy is referenced with its kind', () => {
    const { app, chart } = functionsApp();
    const ko = new KoStrategy(chart, 'ko-here', { name: 'ko-local', kind: BuildStrategyKind.NAMESPACED });
    new FunctionBuild(chart, 'k', { ...BASE, strategy: ko, strategyParams: { 'package-directory': './cmd/fn' } });
    const objects = synthValid(app, chart);
    expect(only(objects, 'BuildStrategy').metadata).toMatchObject({ name: 'ko-local', namespace: 'demo' });
    expect(only(objects, 'Build').spec.strategy).toEqual({ name: 'ko-local', kind: 'BuildStrategy' });
  });

  test('a pre-installed strategy passes unknown parameters through', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'demo' });
    new FunctionBuild(chart, 'b', { ...BASE, strategy: BuildStrategy.preInstalled('buildpacks-v3'), strategyParams: { anything: 'x' } });
    const spec = only(synthValid(app, chart), 'Build').spec;
    expect(spec.strategy).toEqual({ name: 'buildpacks-v3', kind: 'ClusterBuildStrategy' });
    expect(spec.paramValues).toEqual([{ name: 'anything', value: 'x' }]);
  });
});

describe('bad input', () => {
  const fail = (props: Partial<FunctionBuildProps>) => errorOf(() => new FunctionBuild(functionsApp().chart, 'hello', { ...BASE, ...props }));

  test('an image without registry or repository', () => {
    expect(fail({ image: 'hello:v1' })).toBe('functions/hello: image: is not an image a build can push: it names no registry or repository namespace (got "hello:v1"); use registry/repository[:tag], e.g. registry.example.com/demo/hello:v1 or docker.io/<user>/hello:v1 [OFN_OUTPUT_IMAGE]');
  });
  test('an empty git URL', () => {
    expect(fail({ source: FunctionSource.fromGit('') })).toMatch(/^functions\/hello: source\.url: is not a git URL: it is empty \(got ""\); use https:\/\/host\/owner\/repo\.git/);
  });
  test('a malformed git URL', () => {
    expect(fail({ source: FunctionSource.fromGit('github.com:8080 /x') })).toMatch(/functions\/hello: source\.url: is not a git URL: it contains whitespace \(got "github\.com:8080 \/x"\)/);
  });
  test('a sub-path escaping the repository', () => {
    expect(fail({ source: FunctionSource.fromGit('https://h/r.git', { subPath: '../secrets' }) })).toMatch(/functions\/hello: source\.subPath: climbs out of the source root with '\.\.' \(got "\.\.\/secrets"\); give a path inside/);
  });
  test('a revision with spaces', () => {
    expect(fail({ source: FunctionSource.fromGit('https://h/r.git', { revision: 'my branch' }) })).toMatch(/functions\/hello: source\.revision: is not a git branch, tag or commit: it contains whitespace \(got "my branch"\)/);
  });
  test('history limits below the minimum', () => {
    const msg = fail({ successfulBuildsHistoryLimit: -1, failedBuildsHistoryLimit: 0 });
    expect(msg).toMatch(/functions\/hello: successfulBuildsHistoryLimit: must be a whole number from 1 to 10000 .* \(got -1\); use 1/);
    expect(msg).toMatch(/functions\/hello: failedBuildsHistoryLimit: must be a whole number from 1 to 10000 .* \(got 0\)/);
  });
  test('a timeout of zero', () => {
    expect(fail({ buildTimeout: Duration.seconds(0) })).toMatch(/functions\/hello: buildTimeout: must be longer than zero \(got "0s"\); give a positive duration/);
  });
  test('a prebuilt image as the source', () => {
    expect(fail({ source: FunctionSource.fromImage('r.io/a/b:1') })).toMatch(/functions\/hello: source: is a prebuilt image, which has nothing to build/);
  });
  test('a name that is not a DNS label', () => {
    expect(fail({ name: 'Hello_World' })).toMatch(/functions\/hello: name: is not a DNS-1123 label .*\(got "Hello_World"\)/);
  });
  test('a builder for a strategy that takes none, and a Dockerfile for one that takes none', () => {
    const chart = new Chart(Testing.app(), 'functions');
    const ko = new KoStrategy(chart, 'k');
    const msg = errorOf(() => new FunctionBuild(chart, 'hello', { ...BASE, strategy: ko, builder: Builder.GO, dockerfile: 'Dockerfile', buildEnv: { A: '1' } }));
    expect(msg).toMatch(/builder: is not used by strategy ClusterBuildStrategy "ko", which takes no builder image/);
    expect(msg).toMatch(/dockerfile: is not used by strategy ClusterBuildStrategy "ko", which takes no Dockerfile/);
    expect(msg).toMatch(/buildEnv: is not used by strategy ClusterBuildStrategy "ko"/);
  });
  test('strategy parameters that are unknown, reserved or set from props', () => {
    const msg = fail({ strategyParams: { 'shp-output-image': 'x', 'builder-image': 'y', NOPE: 'z' } });
    expect(msg).toMatch(/strategyParams\.shp-output-image: is a parameter Shipwright sets itself/);
    expect(msg).toMatch(/strategyParams\.builder-image: is set from the builderImage prop/);
    expect(msg).toMatch(/strategyParams\.NOPE: is not a parameter of strategy ClusterBuildStrategy "openfunction" .*use one of: RUN_IMAGE, PROCESS_TYPE, SKIP_RESTORE, BASH_IMAGE/);
  });
  test('build env with a separator in a value or a bad key', () => {
    const msg = fail({ buildEnv: { GOOD: 'a#b', 'bad-key': 'x' } });
    expect(msg).toMatch(/buildEnv\.GOOD: is not a string without '#'/);
    expect(msg).toMatch(/buildEnv\.bad-key: is not an environment variable name/);
  });
  test('a Dockerfile path outside the source', () => {
    expect(fail({ dockerfile: '../Dockerfile' })).toMatch(/dockerfile: is not a relative path inside the source/);
  });
  test('every problem at once, as a PropValidationError with codes, when the app throws instead of collecting', () => {
    let error: unknown;
    const app = Testing.app();
    app.node.setContext(COLLECT_ERRORS_CONTEXT, false);
    const chart = new Chart(app, 'functions');
    try {
      new FunctionBuild(chart, 'hello', { ...BASE, image: 'x', successfulBuildsHistoryLimit: -2 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PropValidationError);
    expect((error as PropValidationError).codes).toEqual(['OFN_OUTPUT_IMAGE', 'OFN_HISTORY_LIMIT']);
  });
});

describe('strategy existence, checked at synth', () => {
  test('a default strategy the app does not define fails the synth and writes nothing', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-'));
    const app = new App({ outdir });
    new FunctionBuild(new Chart(app, 'functions', { namespace: 'demo' }), 'hello', BASE);
    expect(() => app.synth()).toThrow(/functions\/hello: strategy: the default strategy ClusterBuildStrategy "openfunction" is not defined in this app; .*BuildStrategy\.preInstalled\("openfunction"\)/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('a strategy object of another app is refused', () => {
    const other = functionsApp();
    const kaniko = new KanikoStrategy(other.chart, 'kaniko', { name: 'kaniko-2' });
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new FunctionBuild(chart, 'hello', { ...BASE, strategy: kaniko, dockerfile: 'Dockerfile' });
    expect(() => app.synth()).toThrow(/strategy: ClusterBuildStrategy "kaniko-2" is defined in another app/);
  });

  test('a pre-installed default strategy needs no definition', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new FunctionBuild(chart, 'hello', { ...BASE, strategy: BuildStrategy.preInstalled('openfunction', { inputs: { builderImage: 'builder-image' } }), builder: Builder.GO });
    expect(() => app.synth()).not.toThrow();
    expect(SchemaValidator.default.validateApp(app)).toEqual([]);
  });
});
