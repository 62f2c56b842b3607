import { cpuMillis, footprintOf, imagesOf, memoryBytes, rewriteImage, rewriteTargetProblem, visitImages } from '../../src';

const deployment = (spec: any, replicas = 1): any => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas, template: { spec } } });

test('finds container, init container, env, flag and ConfigMap images', () => {
  const objects = [
    deployment({
      initContainers: [{ name: 'i', image: 'r.io/init:1' }],
      containers: [{
        name: 'c', image: 'r.io/app:1',
        env: [{ name: 'SIDECAR_IMAGE', value: 'ghcr.io/x/sidecar:1' }, { name: 'IMAGE_PULL_POLICY', value: 'Always' }, { name: 'OTHER', value: 'ghcr.io/x/not-an-image-var:1' }],
        args: ['-entrypoint-image', 'ko://github.com/x/entrypoint', '--solver-image=quay.io/x/solver:1', '--verbose'],
      }],
    }),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'queue-sidecar-image': 'gcr.io/x/queue:1', other: 'gcr.io/x/ignored:1' } },
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'j' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'j', image: 'r.io/job:1' }] } } } } } },
  ];
  expect(imagesOf(objects)).toEqual(['gcr.io/x/queue:1', 'ghcr.io/x/sidecar:1', 'ko://github.com/x/entrypoint', 'quay.io/x/solver:1', 'r.io/app:1', 'r.io/init:1', 'r.io/job:1']);
});

test('visitImages replaces in place, keeping flag prefixes', () => {
  const d = deployment({ containers: [{ name: 'c', image: 'a.io/x:1', args: ['--img-image=a.io/y:1'] }] });
  visitImages(d, (i) => i.replace('a.io', 'b.io'));
  expect(d.spec.template.spec.containers[0]).toMatchObject({ image: 'b.io/x:1', args: ['--img-image=b.io/y:1'] });
});

test('rewriteImage maps registries, Docker Hub names included, keeping tags and digests', () => {
  const r = { registries: { 'gcr.io': 'm.example.com/gcr', 'docker.io': 'm.example.com/hub' } };
  expect(rewriteImage('gcr.io/knative/queue@sha256:' + 'a'.repeat(64), r)).toBe('m.example.com/gcr/knative/queue@sha256:' + 'a'.repeat(64));
  expect(rewriteImage('bash:5.2', r)).toBe('m.example.com/hub/library/bash:5.2');
  expect(rewriteImage('envoyproxy/envoy:v1', r)).toBe('m.example.com/hub/envoyproxy/envoy:v1');
  expect(rewriteImage('quay.io/x/y:1', r)).toBe('quay.io/x/y:1');
  expect(rewriteImage('quay.io/x/y:1', { registries: { '*': 'm.example.com' } })).toBe('m.example.com/x/y:1');
  expect(rewriteImage('ko://github.com/x', { registries: { '*': 'm.example.com' } })).toBe('ko://github.com/x');
});

test('rewriteTargetProblem accepts registry prefixes only', () => {
  expect(rewriteTargetProblem('registry.cn-hangzhou.aliyuncs.com/openfunction')).toBeUndefined();
  expect(rewriteTargetProblem('localhost:5000')).toBeUndefined();
  expect(rewriteTargetProblem('https://x.io')).toMatch(/not a registry prefix/);
  expect(rewriteTargetProblem('mirror/ofn')).toMatch(/registry host/);
});

test('quantities and footprints', () => {
  expect(cpuMillis('250m')).toBe(250);
  expect(cpuMillis('1.5')).toBe(1500);
  expect(memoryBytes('128Mi')).toBe(128 * 2 ** 20);
  expect(memoryBytes('1G')).toBe(1e9);
  expect(memoryBytes('1e3')).toBe(1000);
  const fp = footprintOf([
    deployment({ initContainers: [{ resources: { requests: { cpu: '500m' } } }], containers: [{ resources: { requests: { cpu: '100m', memory: '1Mi' }, limits: { memory: '2Mi' } } }, { resources: { requests: { cpu: '100m' } } }] }, 3),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } },
  ]);
  expect(fp).toEqual({ cpuRequestMillis: 1500, memoryRequestBytes: 3 * 2 ** 20, cpuLimitMillis: 0, memoryLimitBytes: 6 * 2 ** 20, pods: 3, containersWithoutRequests: 2 });
});
