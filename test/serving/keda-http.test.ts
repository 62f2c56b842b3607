import { Chart, Duration, Testing } from 'cdk8s';
import { Function, FunctionProps, KedaHttpServingOptions, Serving, Tracing } from '../../src';
import { errorOf, functionsApp, only, synthValid } from '../helpers';

function keda(options: KedaHttpServingOptions, props: FunctionProps = {}) {
  const { app, chart } = functionsApp();
  const fn = new Function(chart, 'hello', { image: 'registry.example.com/demo/hello:v1', serving: Serving.kedaHttp(options), ...props });
  const objects = synthValid(app, chart);
  return { fn, objects, deployment: only(objects, 'Deployment'), service: only(objects, 'Service'), hso: only(objects, 'HTTPScaledObject') };
}

describe('a KEDA HTTP function', () => {
  const { fn, objects, deployment, service, hso } = keda({ hosts: ['hello.fn.example.com'], pathPrefixes: ['/hello'] });

  test('is a Deployment, a Service and an HTTPScaledObject, and no Knative Service', () => {
    expect(objects.map((o) => `${o.apiVersion}/${o.kind}`)).toEqual(['apps/v1/Deployment', 'v1/Service', 'http.keda.sh/v1alpha1/HTTPScaledObject']);
    expect(fn.revisionName).toBeUndefined();
    expect(fn.kedaHttp?.serviceName).toBe('hello');
  });

  test('the HTTPScaledObject has OpenFunction\'s defaults: pending 100, cooldown 300 s, 0 to 10 replicas', () => {
    expect(hso.spec).toEqual({
      hosts: ['hello.fn.example.com'],
      pathPrefixes: ['/hello'],
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hello', service: 'hello', port: 80 },
      replicas: { min: 0, max: 10 },
      scalingMetric: { concurrency: { targetValue: 100 } },
      scaledownPeriod: 300,
    });
  });

  test('the Service maps port 80 to the function port and selects the Deployment\'s pods', () => {
    expect(service.spec).toEqual({ selector: { 'openfunction.io/function': 'hello' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] });
    expect(deployment.spec.selector).toEqual({ matchLabels: { 'openfunction.io/function': 'hello' } });
    expect(deployment.spec.template.metadata.labels).toMatchObject({ 'openfunction.io/function': 'hello', 'app.kubernetes.io/version': 'latest' });
  });

  test('the pod is the same secure function pod, and FUNC_CONTEXT_V1BETA2 names the keda engine', () => {
    const c = deployment.spec.template.spec.containers[0];
    expect(c.securityContext).toEqual({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }, readOnlyRootFilesystem: true });
    expect(c.resources.requests).toEqual({ cpu: '100m', memory: '128Mi' });
    const v2 = JSON.parse(c.env.find((e: any) => e.name === 'FUNC_CONTEXT_V1BETA2').value);
    expect(v2.triggers.http).toEqual({ port: 8080, engine: 'keda' });
  });
});

test('scale options map to the HTTPScaledObject; the Deployment leaves the replica count to KEDA', () => {
  const { hso, deployment, service } = keda({ pathPrefixes: ['/'], minReplicas: 2, maxReplicas: 20, targetPendingRequests: 50, scaledownPeriod: Duration.minutes(10), port: 9090 });
  expect(hso.spec.replicas).toEqual({ min: 2, max: 20 });
  expect(hso.spec.scalingMetric).toEqual({ concurrency: { targetValue: 50 } });
  expect(hso.spec.scaledownPeriod).toBe(600);
  expect(hso.spec.hosts).toBeUndefined();
  expect(deployment.spec.replicas).toBeUndefined();
  expect(service.spec.ports[0].targetPort).toBe(9090);
});

test('SkyWalking env reaches KEDA HTTP functions too (OpenFunction leaves it out)', () => {
  const { deployment } = keda({ hosts: ['a.example.com'] }, { tracing: { provider: Tracing.skywalking('oap:11800') } });
  expect(deployment.spec.template.spec.containers[0].env.map((e: any) => e.name)).toContain('SW_AGENT_COLLECTOR_BACKEND_SERVICES');
});

describe('bad input', () => {
  const fail = (o: KedaHttpServingOptions) => errorOf(() => new Function(new Chart(Testing.app(), 'functions'), 'hello', { image: 'r.io/a/b', serving: Serving.kedaHttp(o) }));
  test('neither hosts nor path prefixes', () => {
    expect(fail({})).toBe("functions/hello: serving.hosts: and pathPrefixes are both empty, so the KEDA HTTP interceptor routes nothing to the function (got nothing); give hosts (e.g. ['hello.fn.example.com']) or pathPrefixes (e.g. ['/hello']) [OFN_KEDA_ROUTE]");
  });
  test('min replicas above max replicas', () => {
    expect(fail({ hosts: ['a.b'], minReplicas: 11 })).toMatch(/serving\.minReplicas: is greater than maxReplicas \(10\) \(got 11\)/);
  });
  test('a bad host and a relative path', () => {
    const msg = fail({ hosts: ['Bad Host'], pathPrefixes: ['hello'] });
    expect(msg).toMatch(/serving\.hosts\[0\]: is not a host name/);
    expect(msg).toMatch(/serving\.pathPrefixes\[0\]: is not an absolute path/);
  });
  test('a zero pending-requests target', () => {
    expect(fail({ hosts: ['a.b'], targetPendingRequests: 0 })).toMatch(/serving\.targetPendingRequests: must be a whole number of at least 1/);
  });
});
