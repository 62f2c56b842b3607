import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { cpuMillis, ManifestSource, memoryBytes, OpenFunctionPlatform, OpenFunctionPlatformProps, PlatformComponent, PlatformPreset, podSpecOf, SizingProfile } from '../../src';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'platform-mirror');
const SHARED = path.join(__dirname, '..', '..', '..', 'shared', 'platform');

function platform(props: Partial<OpenFunctionPlatformProps>, mirror = FIXTURE) {
  const chart = new Chart(Testing.app(), 'platform');
  const p = new OpenFunctionPlatform(chart, 'ofn', { kubernetesVersion: '1.33', manifests: ManifestSource.mirror(mirror), ...props });
  return { p, objects: Testing.synth(chart) as any[] };
}

const containersOf = (objects: any[]) => objects.flatMap((o) => {
  const pod = podSpecOf(o);
  return pod ? [...pod.initContainers ?? [], ...pod.containers ?? []].map((c: any) => ({ owner: `${o.kind}/${o.metadata.name}`, c })) : [];
});

test('the small profile runs one replica of everything and caps requests at 50m / 48Mi', () => {
  const { objects } = platform({ sizing: { profile: SizingProfile.SMALL } });
  for (const o of objects.filter((x) => x.kind === 'Deployment')) expect(o.spec.replicas).toBe(1);
  for (const { c } of containersOf(objects)) {
    expect(cpuMillis(c.resources.requests.cpu)).toBeLessThanOrEqual(50);
    expect(memoryBytes(c.resources.requests.memory)).toBeLessThanOrEqual(48 * 2 ** 20);
  }
  expect(containersOf(objects).map(({ c }) => c.resources.requests.memory)).toContain('48Mi');
});

test('the HA profile runs two replicas, spreads them over nodes and protects them with PodDisruptionBudgets', () => {
  const { objects } = platform({ sizing: { profile: SizingProfile.HA } });
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  for (const d of deployments) {
    expect(d.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(d.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
  }
  const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget');
  expect(pdbs.map((p) => p.metadata.name).sort()).toEqual(deployments.map((d) => `${d.metadata.name}-pdb`).sort());
  expect(pdbs[0].spec.minAvailable).toBe(1);
});

test('per-workload overrides win over the profile', () => {
  const { objects } = platform({ sizing: { profile: SizingProfile.SMALL, workloads: { 'knative-serving/controller': { replicas: 2, cpuRequest: '300m', memoryLimit: '1Gi' }, 'keda-operator': { memoryRequest: '256Mi' } } } });
  const controller = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'controller');
  expect(controller.spec.replicas).toBe(2);
  expect(controller.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '300m', memory: '48Mi' }, limits: { memory: '1Gi' } });
  expect(objects.find((o) => o.metadata.name === 'keda-operator').spec.template.spec.containers[0].resources.requests.memory).toBe('256Mi');
});

const withShared = fs.existsSync(path.join(SHARED, 'index.json')) ? describe : describe.skip;
withShared('sizing the upstream platform', () => {
  const selections: [string, readonly PlatformComponent[]][] = [
    ['all', PlatformPreset.ALL], ['sync only', PlatformPreset.SYNC_ONLY], ['async only', PlatformPreset.ASYNC_ONLY],
    ['dapr alone', [PlatformComponent.DAPR]], ['cert-manager alone', [PlatformComponent.CERT_MANAGER]],
  ];
  const profiles = Object.values(SizingProfile);

  test.each(profiles.flatMap((profile) => selections.map(([name, components]) => [profile, name, components] as const)))(
    '%s profile, %s: no container without CPU and memory requests and a memory limit', (profile, _name, components) => {
      const { p, objects } = platform({ sizing: { profile }, components }, SHARED);
      for (const { owner, c } of containersOf(objects)) {
        expect([owner, c.name, c.resources?.requests?.cpu !== undefined, c.resources?.requests?.memory !== undefined, c.resources?.limits?.memory !== undefined]).toEqual([owner, c.name, true, true, true]);
      }
      expect(p.footprint().total.containersWithoutRequests).toBe(0);
    });

  test('per-profile totals of the full platform', () => {
    const totals = Object.fromEntries(profiles.map((profile) => {
      const t = platform({ sizing: { profile } }, SHARED).p.footprint().total;
      return [profile, [t.cpuRequestMillis, Math.round(t.memoryRequestBytes / 2 ** 20), t.pods]];
    }));
    expect(totals).toEqual({ small: [1320, 1212, 27], default: [3820, 2758, 31], ha: [6590, 5072, 56] });
  });

  test('the small sync-only platform (Knative, a gateway, Tekton, Shipwright) requests at most 0.9 CPU and 0.8 GiB', () => {
    const { p } = platform({ sizing: { profile: SizingProfile.SMALL }, components: [PlatformComponent.TEKTON, PlatformComponent.SHIPWRIGHT, PlatformComponent.KNATIVE, PlatformComponent.GATEWAY_API, PlatformComponent.CONTOUR] }, SHARED);
    const t = p.footprint().total;
    expect(t.cpuRequestMillis).toBeLessThanOrEqual(900);
    expect(t.memoryRequestBytes).toBeLessThanOrEqual(0.8 * 2 ** 30);
    expect(t.containersWithoutRequests).toBe(0);
  });
});
