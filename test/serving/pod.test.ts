import { containerResources, deepMerge, envProblems, restrictedContainerSecurity, restrictedViolations } from '../../src';

const good = () => ({ containers: [{ name: 'function', securityContext: restrictedContainerSecurity(true) }] });

describe('restrictedViolations', () => {
  test('accepts the library\'s defaults', () => {
    expect(restrictedViolations(good())).toEqual([]);
  });
  test.each<[string, (p: any) => void, string]>([
    ['privileged', (p) => { p.containers[0].securityContext.privileged = true; }, 'containers[0].securityContext.privileged is true'],
    ['escalation', (p) => { p.containers[0].securityContext.allowPrivilegeEscalation = true; }, 'containers[0].securityContext.allowPrivilegeEscalation is not false'],
    ['root user', (p) => { p.containers[0].securityContext.runAsUser = 0; }, 'containers[0].securityContext.runAsUser is 0 (root)'],
    ['root allowed', (p) => { p.containers[0].securityContext.runAsNonRoot = false; }, 'containers[0].securityContext.runAsNonRoot is not true'],
    ['capabilities kept', (p) => { p.containers[0].securityContext.capabilities = {}; }, 'containers[0].securityContext.capabilities.drop does not include ALL'],
    ['capability added', (p) => { p.containers[0].securityContext.capabilities.add = ['NET_ADMIN']; }, 'containers[0].securityContext.capabilities.add has NET_ADMIN'],
    ['unconfined seccomp', (p) => { p.containers[0].securityContext.seccompProfile = { type: 'Unconfined' }; }, 'containers[0].securityContext.seccompProfile.type is Unconfined'],
    ['host network', (p) => { p.hostNetwork = true; }, 'hostNetwork is true'],
    ['host path', (p) => { p.volumes = [{ name: 'x', hostPath: { path: '/' } }]; }, 'volumes[0] is a hostPath volume'],
    ['host port', (p) => { p.containers[0].ports = [{ containerPort: 80, hostPort: 80 }]; }, 'containers[0].ports[0].hostPort is set'],
    ['insecure sidecar', (p) => { p.initContainers = [{ name: 'init' }]; }, 'initContainers[0].securityContext.allowPrivilegeEscalation is not false'],
  ])('reports %s', (_what, mutate, expected) => {
    const pod = good();
    mutate(pod);
    expect(restrictedViolations(pod)).toContain(expected);
  });
  test('accepts NET_BIND_SERVICE and pod-level settings', () => {
    const pod: any = { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } }] };
    expect(restrictedViolations(pod)).toEqual([]);
  });
});

test('deepMerge merges objects and replaces arrays and scalars', () => {
  expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { c: [3], e: true }, d: 'y' })).toEqual({ a: { b: 1, c: [3], e: true }, d: 'y' });
  expect(deepMerge({ a: 1 }, undefined)).toEqual({ a: 1 });
});

test('containerResources sets requests and a memory limit, no CPU limit unless asked', () => {
  expect(containerResources()).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } });
  expect(containerResources({ cpuRequest: '1', cpuLimit: '2', memoryLimit: '1Gi' })).toEqual({ requests: { cpu: '1', memory: '128Mi' }, limits: { memory: '1Gi', cpu: '2' } });
});

test('envProblems rejects bad names and reserved ones', () => {
  expect(envProblems('env', { OK_1: 'x', '1BAD': 'x', 'with-dash': 'x', FUNC_CONTEXT: 'x', SW_AGENT_NAME: 'x', PORT: '1' }).map((p) => `${p.code} ${p.prop}`)).toEqual([
    'OFN_ENV_NAME env.1BAD', 'OFN_ENV_NAME env.with-dash', 'OFN_ENV_RESERVED env.FUNC_CONTEXT', 'OFN_ENV_RESERVED env.SW_AGENT_NAME', 'OFN_ENV_RESERVED env.PORT',
  ]);
});
