// In a project of your own: import * as ofn from 'openfunction-constructs/pulumi';
import { Builder, Function as CdkFunction, DaprComponents, FunctionSource, Serving, StandardBuildStrategies } from '../../src';
import * as ofn from '../../src/pulumi';

// Strategies first: functions that name none build with these.
new ofn.Cdk8sChart('build-strategies', { build: (chart) => new StandardBuildStrategies(chart, 'strategies') });

const gateway = new ofn.FunctionGateway('gateway', {
  namespace: 'openfunction',
  domain: 'fn.example.com',
  gatewayClassName: 'contour',
});

const hello = new ofn.Function('hello', {
  namespace: 'demo',
  image: 'registry.example.com/demo/hello:v1',
  imageCredentials: { name: 'push-secret' },
  source: FunctionSource.fromGit('https://github.com/OpenFunction/samples.git', {
    revision: 'main',
    subPath: 'functions/knative/hello-world-go',
  }),
  builder: Builder.GO,
  buildEnv: { FUNC_NAME: 'HelloWorld' },
  serving: Serving.knative({ maxScale: 10 }),
  route: gateway.route(),
});

// A function and the Dapr components it uses go in one chart, so the components' scopes list it.
new ofn.Cdk8sChart('orders', {
  namespace: 'demo',
  build: (chart) => {
    const orders = DaprComponents.kafkaBinding(chart, 'orders', { brokers: ['kafka.kafka:9092'], topics: ['orders'], consumerGroup: 'tally' });
    new CdkFunction(chart, 'tally', {
      source: FunctionSource.fromImage('registry.example.com/demo/tally:v1'),
      serving: Serving.async({ triggers: [{ component: orders, lagThreshold: 20 }], maxReplicas: 10 }),
    });
  },
});

export const url = hello.url;
export const image = hello.image;
export const buildRunName = hello.buildRunName;
