import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { Component } from '../../imports/dapr.io';
import { HttpRoute, HttpRouteSpecRulesMatchesPathType } from '../../imports/gateway.networking.k8s.io';
import { ScaledObject } from '../../imports/keda.sh';
import { Service } from '../../imports/serving.knative.dev';
import { BuildV1Beta1 } from '../../imports/shipwright.io';
import { SchemaValidator } from '../../src';

const root = path.join(__dirname, '..', '..');
const crdDir = path.join(root, '..', 'shared', 'crds');

test('objects built with the generated import classes validate against their schemas', () => {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'demo' });
  new BuildV1Beta1(chart, 'build', {
    metadata: { name: 'hello' },
    spec: { source: { type: 'Git', git: { url: 'https://github.com/OpenFunction/samples.git' } }, strategy: { name: 'openfunction', kind: 'ClusterBuildStrategy' }, output: { image: 'registry.example.com/demo/hello:v1' } },
  });
  new Service(chart, 'ksvc', { metadata: { name: 'hello' }, spec: { template: { spec: { containers: [{ image: 'registry.example.com/demo/hello:v1' }] } } } });
  new ScaledObject(chart, 'so', { metadata: { name: 'tally' }, spec: { scaleTargetRef: { name: 'tally' }, triggers: [{ type: 'kafka', metadata: { topic: 'orders' } }] } });
  new Component(chart, 'cmp', { metadata: { name: 'orders' }, spec: { type: 'bindings.kafka', version: 'v1', metadata: [] } });
  new HttpRoute(chart, 'route', { metadata: { name: 'hello' }, spec: { rules: [{ matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/hello' } }] }] } });
  const objects = Testing.synth(chart);
  expect(objects.map((o) => `${o.apiVersion}/${o.kind}`)).toEqual([
    'shipwright.io/v1beta1/Build', 'serving.knative.dev/v1/Service', 'keda.sh/v1alpha1/ScaledObject', 'dapr.io/v1alpha1/Component', 'gateway.networking.k8s.io/v1/HTTPRoute',
  ]);
  expect(SchemaValidator.default.validateObjects(objects).map(String)).toEqual([]);
});

const withCrds = fs.existsSync(crdDir) ? test : test.skip;
withCrds('npm run import reproduces the committed generated files byte for byte', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-imports-'));
  try {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'import.mjs')], { cwd: root, env: { ...process.env, CRD_DIR: crdDir, IMPORTS_DIR: out }, stdio: 'pipe' });
    const list = (dir: string): string[] => fs.readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
    const committed = list(path.join(root, 'imports'));
    expect(list(out)).toEqual(committed);
    const differing = committed.filter((f) => !fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(root, 'imports', f))));
    expect(differing).toEqual([]);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}, 120000);
