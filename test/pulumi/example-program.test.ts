import { installMocks, value } from './mocks';

const registered = installMocks('openfunction-hello', 'dev');


test('the example Pulumi program runs under mocks and exports the function URL, image and BuildRun', async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require('../../examples/pulumi') as typeof import('../../examples/pulumi');
  expect(await value(program.url)).toBe('http://hello.demo.fn.example.com/');
  expect(await value(program.image)).toBe('registry.example.com/demo/hello:v1');
  expect(await value(program.buildRunName)).toMatch(/^hello-[0-9a-f]{10}$/);
  await new Promise((r) => setTimeout(r, 200));
  const components = registered.filter((r) => r.type.startsWith('openfunction:')).map((r) => `${r.type} ${r.name}`).sort();
  expect(components).toEqual([
    'openfunction:index:Cdk8sChart build-strategies', 'openfunction:index:Cdk8sChart orders', 'openfunction:index:Function hello', 'openfunction:index:FunctionGateway gateway',
  ]);
  const tallyComponent = registered.find((r) => r.name === 'orders:Component/demo/orders');
  expect(tallyComponent?.inputs.scopes).toEqual(['tally-demo']);
  expect(registered.map((r) => r.type)).toEqual(expect.arrayContaining(['kubernetes:gateway.networking.k8s.io/v1:HTTPRoute', 'kubernetes:keda.sh/v1alpha1:ScaledObject']));
});
