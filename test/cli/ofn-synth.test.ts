import * as path from 'path';
import { main } from '../../src/cli/ofn-synth';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'platform-mirror');

function run(...argv: string[]) {
  return runWith(false, ...argv);
}

function runWith(progress: boolean, ...argv: string[]) {
  let out = '';
  let err = '';
  const code = main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, progress });
  return { code, out, err };
}

test('--help and --version', () => {
  expect(run('--help')).toMatchObject({ code: 0, out: expect.stringContaining('ofn-synth images') });
  expect(run('--version').out).toMatch(/^\d+\.\d+\.\d+\n$/);
  expect(run()).toMatchObject({ code: 2, err: expect.stringContaining('Usage:') });
});

test('images lists the platform images, rewritten for a mirror', () => {
  const plain = run('images', '--manifests', FIXTURE, '--components', 'keda,dapr');
  expect(plain).toEqual({ code: 0, err: '', out: 'ghcr.io/dapr/daprd:1.18.3\nghcr.io/dapr/injector:1.18.3\nghcr.io/kedacore/keda:2.20.2\n' });
  const mirrored = run('images', '--manifests', FIXTURE, '--components', 'keda', '--mirror', 'registry.internal:5000/ofn');
  expect(mirrored.out).toBe('registry.internal:5000/ofn/kedacore/keda:2.20.2\n');
});

test('describe prints the platform footprint per component and profile', () => {
  const { code, out } = run('describe', '--manifests', FIXTURE, '--components', 'sync', '--profile', 'small');
  expect(code).toBe(0);
  expect(out).toMatch(/platform platform\/openfunction: gateway-api, cert-manager, tekton-pipelines, shipwright-build, knative-serving, contour \(sizing small\)/);
  expect(out).toMatch(/knative-serving +100m CPU, 96 MiB requested; 256 MiB memory limit; 2 pods/);
  expect(out).toMatch(/total +300m CPU, 272 MiB requested; 768 MiB memory limit; 6 pods; 10 images/);
});

test('describe --app lists every function with build, serving and URL', () => {
  process.env.OFN_MANIFEST_MIRROR = FIXTURE;
  try {
    const { code, out, err } = run('describe', '--app', path.join(__dirname, '..', '..', 'examples', 'index.ts'));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/function demo\/function-sample \(hello-world-go\/function-sample\)\n  image    openfunctiondev\/sample-go-func:latest\n  build    Build function-sample, BuildRun function-sample-[0-9a-f]{10}, strategy ClusterBuildStrategy openfunction\n  serving  knative \(revision function-sample-v200-[0-9a-f]{8}\)/);
    expect(out).toContain('  url      https://api.fn.example.com/demo/orders (External)');
    expect(out).toMatch(/serving  async, Dapr app logs-handler-demo/);
  } finally {
    delete process.env.OFN_MANIFEST_MIRROR;
  }
});

test('bad input: an unknown command, an unsupported version, a missing mirror file', () => {
  expect(run('deploy')).toMatchObject({ code: 2, err: expect.stringContaining('unknown command "deploy"') });
  expect(run('images', '--manifests', FIXTURE, '--kubernetes-version', '1.20')).toMatchObject({ code: 1, err: expect.stringContaining('kubernetesVersion: is not a Kubernetes version the version matrix covers (got "1.20")') });
  expect(run('images', '--manifests', '/nonexistent')).toMatchObject({ code: 1, err: expect.stringContaining('manifest mirror /nonexistent has no') });
});

describe('convert', () => {
  const OF = path.join(__dirname, '..', 'fixtures', 'openfunction');

  test('writes the objects of a Function file as multi-document YAML, warnings on stderr', () => {
    const { code, out, err } = run('convert', path.join(OF, 'wasmedge.yaml'));
    expect(code).toBe(0);
    const docs = out.split(/^---$/m);
    expect(docs.length).toBe(4);
    expect(out).toContain('kind: Build\n');
    expect(out).toContain('name: wasmedge\n');
    expect(err).toMatch(/^warning: .*wasmedge\.yaml#0: spec\.route\.gatewayRef: names Gateway openfunction\/openfunction/);
  });

  test('a directory converts file by file into -o; a bad file writes nothing and fails the run', () => {
    const fs = jest.requireActual('fs') as typeof import('fs');
    const os = jest.requireActual('os') as typeof import('os');
    const input = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-in-'));
    const output = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-out-'));
    fs.copyFileSync(path.join(OF, 'function-sample.yaml'), path.join(input, 'good.yaml'));
    fs.writeFileSync(path.join(input, 'bad.yaml'), 'apiVersion: core.openfunction.io/v1beta2\nkind: Function\nmetadata:\n  name: f\nspec: {}\n');
    const { code, err } = run('convert', input, '-o', output);
    expect(code).toBe(1);
    expect(fs.readdirSync(output)).toEqual(['good.k8s.yaml']);
    expect(err).toContain(`error: ${path.join(input, 'bad.yaml')}#0: spec.image: is required`);
    expect(err).toContain(`wrote ${path.join(output, 'good.k8s.yaml')} (1 functions)`);
  });

  test('progress goes to stderr on a terminal only', () => {
    const files = [path.join(OF, 'function-sample.yaml'), path.join(OF, 'wasmedge.yaml')];
    expect(runWith(true, 'convert', ...files).err).toMatch(/^\[1\/2\] .*function-sample\.yaml\n/);
    expect(runWith(false, 'convert', ...files).err).not.toMatch(/\[1\/2\]/);
  });

  test('convert without input is a usage error', () => {
    expect(run('convert')).toMatchObject({ code: 1, err: expect.stringContaining('convert needs a file, a directory or - for stdin') });
  });
});
