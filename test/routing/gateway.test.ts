import { Chart, Testing } from 'cdk8s';
import {
  Function, FunctionGateway, FunctionGatewayProps, FunctionProps, GatewayCertificate, Serving, Traffic,
} from '../../src';
import { errorOf, functionsApp, synthValid } from '../helpers';
import { DaprComponents } from '../../src';

function setup(gw: Partial<FunctionGatewayProps> = {}) {
  const { app, chart } = functionsApp();
  const gateway = new FunctionGateway(chart, 'gateway', { domain: 'fn.example.com', gatewayClassName: 'contour', ...gw });
  return { app, chart, gateway };
}
const kinds = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind);

describe('a created gateway', () => {
  const { app, chart } = setup({ https: { certificate: GatewayCertificate.certManager({ name: 'letsencrypt' }) } });
  const objects = synthValid(app, chart) as any[];
  const gw = kinds(objects, 'Gateway')[0];

  test('has HTTP, the injected internal listener and HTTPS, all accepting routes from any namespace', () => {
    expect(gw.spec.gatewayClassName).toBe('contour');
    expect(gw.spec.listeners.map((l: any) => [l.name, l.hostname, l.port, l.protocol, l.allowedRoutes.namespaces.from])).toEqual([
      ['http', '*.fn.example.com', 80, 'HTTP', 'All'], ['ofn-http-internal', '*.cluster.local', 80, 'HTTP', 'All'], ['https', '*.fn.example.com', 443, 'HTTPS', 'All'],
    ]);
    expect(gw.spec.listeners[2].tls).toEqual({ mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'gateway-tls' }] });
  });

  test('gets its certificate from cert-manager for the domain and its wildcard', () => {
    expect(kinds(objects, 'Certificate')[0].spec).toEqual({ secretName: 'gateway-tls', dnsNames: ['fn.example.com', '*.fn.example.com'], issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer', group: 'cert-manager.io' } });
  });

  test('configures Knative\'s domain instead of a manual kubectl patch', () => {
    expect(kinds(objects, 'ConfigMap')[0]).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config-domain', namespace: 'knative-serving' }, data: { 'fn.example.com': '' } });
  });
});

test('a self-signed certificate comes with its Issuer; a Secret needs neither', () => {
  const self = setup({ https: { certificate: GatewayCertificate.selfSigned() } });
  const objects = synthValid(self.app, self.chart) as any[];
  expect(kinds(objects, 'Issuer')[0].spec).toEqual({ selfSigned: {} });
  expect(kinds(objects, 'Certificate')[0].spec.issuerRef).toEqual({ name: 'gateway-selfsigned', kind: 'Issuer', group: 'cert-manager.io' });
  const secret = setup({ https: { certificate: GatewayCertificate.fromSecret('wildcard-tls') }, knativeDomainConfig: false });
  const objs2 = synthValid(secret.app, secret.chart) as any[];
  expect(objs2.map((o) => o.kind)).toEqual(['Gateway']);
  expect(objs2[0].spec.listeners[2].tls.certificateRefs[0].name).toBe('wildcard-tls');
});

test('an existing gateway creates nothing; routes attach to it', () => {
  const { app, chart, gateway } = setup({ gatewayClassName: undefined, existingGateway: { name: 'contour', namespace: 'projectcontour' }, knativeDomainConfig: false });
  new Function(chart, 'hello', { image: 'r.io/a/b', route: gateway.route() });
  const objects = synthValid(app, chart) as any[];
  expect(kinds(objects, 'Gateway')).toEqual([]);
  expect(kinds(objects, 'HTTPRoute')[0].spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'projectcontour', name: 'contour' }]);
});

describe('function routes', () => {
  function routed(props: FunctionProps, gw: Partial<FunctionGatewayProps> = {}) {
    const s = setup(gw);
    const fn = new Function(s.chart, 'hello', { image: 'r.io/a/b', ...props, route: (props.route as any) ?? s.gateway.route() });
    const objects = synthValid(s.app, s.chart) as any[];
    return { fn, route: kinds(objects, 'HTTPRoute')[0], objects, s };
  }

  test('host-based by default: the templated host plus the in-cluster name, path /', () => {
    const { fn, route } = routed({});
    expect(route.metadata).toMatchObject({ name: 'hello', namespace: 'demo', labels: { 'openfunction.io/gateway': 'demo.gateway' } });
    expect(route.spec.hostnames).toEqual(['hello.demo.fn.example.com', 'hello.demo.svc.cluster.local']);
    expect(route.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }]);
    expect(fn.url).toBe('http://hello.demo.fn.example.com/');
    expect(fn.internalUrl).toBe('http://hello.demo.svc.cluster.local/');
    expect(fn.addresses).toEqual([{ type: 'External', value: 'http://hello.demo.fn.example.com/' }, { type: 'Internal', value: 'http://hello.demo.svc.cluster.local/' }]);
  });

  test('path-based when hostnames are given: the templated path under them', () => {
    const s = setup();
    const fn = new Function(s.chart, 'hello', { image: 'r.io/a/b', route: s.gateway.route({ hostnames: ['api.fn.example.com'] }) });
    const route = kinds(synthValid(s.app, s.chart) as any[], 'HTTPRoute')[0];
    expect(route.spec.hostnames).toEqual(['api.fn.example.com', 'hello.demo.svc.cluster.local']);
    expect(route.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/demo/hello' } }]);
    expect(fn.url).toBe('http://api.fn.example.com/demo/hello');
  });

  test('custom templates and paths, https URLs', () => {
    const { fn, route } = routed({}, { hostTemplate: '{{.Name}}-{{.Namespace}}.{{.Domain}}', https: { certificate: GatewayCertificate.fromSecret('tls') } });
    expect(route.spec.hostnames[0]).toBe('hello-demo.fn.example.com');
    expect(fn.url).toBe('https://hello-demo.fn.example.com/');
    const s = setup();
    const f2 = new Function(s.chart, 'f2', { image: 'r.io/a/b', route: s.gateway.route({ paths: ['/v1', '/v2'] }) });
    expect(f2.addresses.map((a) => a.value)).toEqual(['http://f2.demo.fn.example.com/v1', 'http://f2.demo.fn.example.com/v2', 'http://f2.demo.svc.cluster.local/v1', 'http://f2.demo.svc.cluster.local/v2']);
  });

  test('Knative: the backend is the revision Service with Knative\'s Host header', () => {
    const { fn, route } = routed({});
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'demo', name: 'gateway' }]);
    expect(route.spec.rules[0].backendRefs).toEqual([{
      kind: 'Service', name: fn.revisionName, port: 80, weight: 100,
      filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'Host', value: `${fn.revisionName}.demo.svc.cluster.local` }] } }],
    }]);
  });

  test('Knative traffic split becomes weighted backends', () => {
    const { fn, route } = routed({ serving: Serving.knative({ traffic: [Traffic.current(25), Traffic.revision('hello-v1-aaaa1111', 75)] }) });
    expect(route.spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([[fn.revisionName, 25], ['hello-v1-aaaa1111', 75]]);
  });

  test('KEDA HTTP: the backend is the interceptor, allowed by a ReferenceGrant, and the scaler takes the route\'s hosts', () => {
    const { route, objects } = routed({ serving: Serving.kedaHttp({}) });
    expect(route.spec.rules[0].backendRefs).toEqual([{ kind: 'Service', name: 'keda-add-ons-http-interceptor-proxy', namespace: 'keda', port: 8080, weight: 1 }]);
    expect(route.spec.rules[0].filters).toEqual([{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'Host', value: 'hello.demo.fn.example.com' }] } }]);
    expect(kinds(objects, 'ReferenceGrant')[0]).toMatchObject({ metadata: { namespace: 'keda' }, spec: { from: [{ kind: 'HTTPRoute', namespace: 'demo' }], to: [{ kind: 'Service', name: 'keda-add-ons-http-interceptor-proxy' }] } });
    expect(kinds(objects, 'HTTPScaledObject')[0].spec).toMatchObject({ hosts: ['hello.demo.fn.example.com', 'hello.demo.svc.cluster.local'], pathPrefixes: ['/'] });
  });
});

describe('bad input', () => {
  const gwFail = (props: Partial<FunctionGatewayProps>) => errorOf(() => new FunctionGateway(new Chart(Testing.app(), 'fns'), 'gw', { domain: 'fn.example.com', gatewayClassName: 'c', ...props }));
  test('an invalid domain or hostname', () => {
    expect(gwFail({ domain: 'Fn_Example' })).toMatch(/^fns\/gw: domain: is not a DNS domain \(got "Fn_Example"\)/);
    const s = setup();
    expect(errorOf(() => new Function(s.chart, 'f', { image: 'r.io/a/b', route: s.gateway.route({ hostnames: ['bad host'] }) })))
      .toMatch(/functions\/f: route\.hostnames\[0\]: is not a valid hostname \(got "bad host"\)/);
  });
  test('a template with an unknown variable', () => {
    expect(gwFail({ hostTemplate: '{{.Name}}.{{.Cluster}}' })).toMatch(/fns\/gw: hostTemplate: uses the unknown variable \{\{\.Cluster\}\}/);
    expect(gwFail({ pathTemplate: '{{.Domain}}/{{.Name}}' })).toMatch(/fns\/gw: pathTemplate: uses the unknown variable \{\{\.Domain\}\}/);
  });
  test('a path not starting with /', () => {
    const s = setup();
    expect(errorOf(() => new Function(s.chart, 'f', { image: 'r.io/a/b', route: s.gateway.route({ paths: ['hello'] }) }))).toMatch(/functions\/f: route\.paths\[0\]: does not start with '\/' \(got "hello"\)/);
  });
  test('two functions claiming the same host and path on one gateway', () => {
    const s = setup();
    new Function(s.chart, 'a', { image: 'r.io/a/b', route: s.gateway.route({ hostnames: ['api.fn.example.com'], paths: ['/x'] }) });
    expect(errorOf(() => new Function(s.chart, 'b', { image: 'r.io/a/b', route: s.gateway.route({ hostnames: ['api.fn.example.com'], paths: ['/x'] }) })))
      .toBe('functions/b: route: is already routed to functions/a on gateway demo/gateway (got "api.fn.example.com/x"); give the function its own hostname or path [OFN_ROUTE_CONFLICT]');
  });
  test('HTTPS without a certificate source', () => {
    expect(gwFail({ https: {} })).toBe('fns/gw: https.certificate: is missing: an HTTPS listener needs a certificate (got nothing); give GatewayCertificate.fromSecret(name), .certManager({ name: issuer }) or .selfSigned() [OFN_TLS]');
  });
  test('both gatewayClassName and existingGateway', () => {
    expect(gwFail({ existingGateway: { name: 'g', namespace: 'n' } })).toMatch(/fns\/gw: gatewayClassName: is given with existingGateway \(got "c"\)/);
  });

  test('the design\'s shorthands: a default GatewayClass, route({ path }), component.trigger() and .output()', () => {
    const { app, chart } = functionsApp();
    const gw = new FunctionGateway(chart, 'gw2', { domain: 'fn.example.com' });
    const orders = DaprComponents.kafkaBinding(chart, 'orders', { brokers: ['k:9092'], topics: ['orders'], consumerGroup: 'tally' });
    const sink = DaprComponents.httpBinding(chart, 'sink', { url: 'http://sink/x' });
    const hello = new Function(chart, 'hello', { image: 'r.io/a/b:1', route: gw.route({ path: '/hello' }) });
    new Function(chart, 'tally', { image: 'r.io/a/t:1', serving: Serving.async({ triggers: [orders.trigger({ lagThreshold: 20 })], maxReplicas: 10 }), outputs: [sink.output({ operation: 'create' })] });
    const objects = synthValid(app, chart) as any[];
    expect(objects.find((o) => o.kind === 'Gateway').spec.gatewayClassName).toBe('contour');
    expect(hello.url).toBe('http://hello.demo.fn.example.com/hello');
    expect(objects.find((o) => o.kind === 'ScaledObject').spec.triggers[0].metadata.lagThreshold).toBe('20');
  });
  test('a route on an async or unserved function', () => {
    const s = setup();
    expect(errorOf(() => new Function(s.chart, 'f', { image: 'r.io/a/b', serving: Serving.none(), route: s.gateway.route() }))).toMatch(/functions\/f: route: is for HTTP functions, but the function is served by none/);
  });
});
