import { Chart, Testing } from 'cdk8s';
import {
  BuildahStrategy, BuildStrategy, BuildStrategyKind, FunctionBuild, FunctionSource, KanikoStrategy, KoStrategy,
  OpenFunctionStrategy, SchemaValidator, StandardBuildStrategies, StandardStrategy, WasmEdgeStrategy,
} from '../../src';
import { STANDARD_STRATEGY_INTERFACES } from '../../src/build/standard-strategies';
import { errorOf, only } from '../helpers';

function strategies(props = {}) {
  const app = Testing.app();
  const chart = new Chart(app, 'platform', { namespace: 'openfunction' });
  const all = new StandardBuildStrategies(chart, 'strategies', props);
  const objects = Testing.synth(chart);
  return { app, chart, all, objects, byName: Object.fromEntries(objects.map((o) => [o.metadata.name, o])) as Record<string, any> };
}

describe('the standard strategies', () => {
  const { app, objects, byName } = strategies();

  test('are the five OpenFunction ships, as cluster-scoped ClusterBuildStrategies', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ClusterBuildStrategy/buildah', 'ClusterBuildStrategy/kaniko', 'ClusterBuildStrategy/ko', 'ClusterBuildStrategy/openfunction', 'ClusterBuildStrategy/wasmedge',
    ]);
    for (const o of objects) expect(o.metadata.namespace).toBeUndefined();
  });

  test('validate against the Shipwright v1beta1 schema', () => {
    expect(SchemaValidator.default.validateApp(app).map(String)).toEqual([]);
  });

  test('declare exactly the parameters functions may pass', () => {
    for (const name of Object.values(StandardStrategy)) {
      expect(byName[name].spec.parameters.map((p: any) => p.name)).toEqual(STANDARD_STRATEGY_INTERFACES[name].parameters);
    }
  });

  test('never run a step privileged or with privilege escalation, and drop all capabilities first', () => {
    for (const o of objects) {
      for (const step of o.spec.steps) {
        expect(step.securityContext.privileged).toBeUndefined();
        expect(step.securityContext.allowPrivilegeEscalation).toBe(false);
        expect(step.securityContext.capabilities.drop).toEqual(['ALL']);
        expect(step.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
        expect(step.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
      }
    }
  });

  test('run the buildpacks and ko builds as non-root users with no added capabilities', () => {
    for (const name of ['openfunction', 'ko']) {
      expect(byName[name].spec.securityContext).toEqual({ runAsUser: 1000, runAsGroup: 1000 });
      for (const step of byName[name].spec.steps) {
        expect(step.securityContext.runAsNonRoot).toBe(true);
        expect(step.securityContext.capabilities.add).toBeUndefined();
      }
    }
  });

  test('openfunction runs the buildpacks creator on the function\'s builder image, with the OpenFunction parameters', () => {
    const build = byName.openfunction.spec.steps.find((s: any) => s.name === 'build-and-push');
    expect(build.image).toBe('$(params.builder-image)');
    expect(build.command).toEqual(['/cnb/lifecycle/creator']);
    expect(build.args).toEqual(expect.arrayContaining(['-app=$(params.shp-source-context)', '-cache-image=$(params.CACHE_IMAGE)', '-run-image=$(params.RUN_IMAGE)', '$(params.shp-output-image)']));
    const params = Object.fromEntries(byName.openfunction.spec.parameters.map((p: any) => [p.name, p.default]));
    expect(params).toMatchObject({ ENV_VARS: '', CACHE_IMAGE: '', PROCESS_TYPE: 'web', SKIP_RESTORE: 'false', BASH_IMAGE: 'docker.io/library/bash:5.2.37' });
    const prepare = byName.openfunction.spec.steps[0];
    expect(prepare.env).toEqual([{ name: 'ENV_VARS', value: '$(params.ENV_VARS)' }]);
    expect(byName.openfunction.spec.steps.at(-1).args[0]).toContain('$(results.shp-image-digest.path)');
  });

  test('the Dockerfile strategies hand the image to Shipwright through the output directory', () => {
    for (const name of ['buildah', 'kaniko', 'ko', 'wasmedge']) {
      expect(JSON.stringify(byName[name].spec.steps)).toContain('$(params.shp-output-directory)');
    }
  });

  test('wasmedge annotates the image for crun\'s Wasm handler', () => {
    expect(byName.wasmedge.spec.steps[0].env).toContainEqual({ name: 'EXTRA_BUILD_FLAGS', value: '--annotation=module.wasm.image/variant=compat-smart' });
    expect(byName.buildah.spec.steps[0].env.map((e: any) => e.name)).not.toContain('EXTRA_BUILD_FLAGS');
  });

  test('script parameters reach buildah through the environment, not spliced into the script', () => {
    const script = byName.buildah.spec.steps[0].command[2] as string;
    expect(script).not.toContain('$(params.');
    expect(byName.buildah.spec.steps[0].args).toEqual(['$(params.build-args[*])']);
  });
});

test('images, names, user ids and resources can be overridden', () => {
  const { byName } = strategies({
    openfunction: { name: 'buildpacks', bashImage: 'mirror.local/bash:5', userId: 1001, groupId: 1002, resources: { memoryLimit: '4Gi' } },
    buildah: { image: 'mirror.local/buildah:1' },
    kaniko: { image: 'mirror.local/kaniko:1' },
    ko: { goImage: 'mirror.local/golang:1', koVersion: 'v0.17.1' },
  });
  expect(byName.buildpacks.spec.securityContext).toEqual({ runAsUser: 1001, runAsGroup: 1002 });
  expect(byName.buildpacks.spec.parameters.find((p: any) => p.name === 'BASH_IMAGE').default).toBe('mirror.local/bash:5');
  expect(byName.buildpacks.spec.steps[1].resources.limits).toEqual({ memory: '4Gi' });
  expect(byName.buildah.spec.steps[0].image).toBe('mirror.local/buildah:1');
  expect(byName.kaniko.spec.steps[0].image).toBe('mirror.local/kaniko:1');
  expect(byName.ko.spec.parameters.find((p: any) => p.name === 'ko-version').default).toBe('v0.17.1');
});

test('buildah\'s security context is an escape hatch', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'p');
  new BuildahStrategy(chart, 'b', { securityContext: { privileged: true } });
  expect(only(Testing.synth(chart), 'ClusterBuildStrategy').spec.steps[0].securityContext).toEqual({ privileged: true });
});

test('include picks a subset', () => {
  const { objects, all } = strategies({ include: [StandardStrategy.OPENFUNCTION] });
  expect(objects.map((o) => o.metadata.name)).toEqual(['openfunction']);
  expect(all.buildah).toBeUndefined();
});

test('a strategy is registered in its app and found by name and kind', () => {
  const { chart, all } = strategies();
  expect(BuildStrategy.tryFind(chart, 'kaniko')).toBe(all.kaniko);
  expect(BuildStrategy.tryFind(chart, 'kaniko', BuildStrategyKind.NAMESPACED)).toBeUndefined();
  expect(BuildStrategy.tryFind(new Chart(Testing.app(), 'x'), 'kaniko')).toBeUndefined();
});

test('defining the same strategy twice in an app is an error naming both', () => {
  const { chart } = strategies();
  expect(errorOf(() => new KanikoStrategy(chart, 'again'))).toBe('platform/again: name: is already defined by platform/strategies/kaniko (got "kaniko"); define each strategy once per app and reference that object [OFN_STRATEGY_DUPLICATE]');
});

test('a strategy name must be a DNS label and inputs must be declared parameters', () => {
  const chart = new Chart(Testing.app(), 'p');
  expect(errorOf(() => new OpenFunctionStrategy(chart, 'o', { name: 'Open_Function' }))).toMatch(/p\/o: name: is not a DNS-1123 label/);
  expect(errorOf(() => new BuildStrategy(chart, 's', { name: 's', spec: { steps: [{ name: 'x' }] }, inputs: { dockerfile: 'dockerfile' } })))
    .toMatch(/p\/s: inputs\.dockerfile: is not a parameter of the strategy \(got "dockerfile"\)/);
});

test('a default strategy defined with other inputs is refused at synth', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'c');
  new BuildStrategy(chart, 'custom', { name: 'openfunction', spec: { parameters: [{ name: 'img', description: 'builder' }], steps: [{ name: 'x', image: '$(params.img)' }] }, inputs: { builderImage: 'img' } });
  new FunctionBuild(chart, 'fn', { name: 'fn', source: FunctionSource.fromGit('https://h/r.git'), image: 'r.io/a/b' });
  expect(() => app.synth()).toThrow(/c\/fn: strategy: ClusterBuildStrategy "openfunction" at c\/custom takes its inputs through other parameters/);
});

test('WasmEdgeStrategy and KoStrategy default their names', () => {
  const chart = new Chart(Testing.app(), 'p');
  expect(new WasmEdgeStrategy(chart, 'w').strategyName).toBe('wasmedge');
  expect(new KoStrategy(chart, 'k').parameterNames).toContain('go-flags');
});
