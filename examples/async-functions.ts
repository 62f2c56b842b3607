import { Chart, ChartProps, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { DaprComponents, Function, FunctionSource, Serving } from '../src';

/**
 * Async functions on Dapr and KEDA, after OpenFunction's samples: a Kafka input binding scaled on
 * consumer lag with an output binding, a cron-triggered function with an HTTP output binding,
 * and a function that keeps its state in Redis.
 */
export class AsyncFunctionsChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'demo', ...props });

    // Kafka input, as in OpenFunction's async bindings sample.
    const kafkaIn = DaprComponents.kafkaBinding(this, 'kafka-input', {
      brokers: ['kafka-server-kafka-brokers.default.svc:9092'],
      topics: ['sample-topic'],
      consumerGroup: 'logs-handler',
      auth: { username: { name: 'kafka-user', key: 'username' }, password: { name: 'kafka-user', key: 'password' } },
    });
    const kafkaOut = DaprComponents.kafkaBinding(this, 'kafka-output', {
      brokers: ['kafka-server-kafka-brokers.default.svc:9092'],
      publishTopic: 'logs',
    });
    new Function(this, 'logs-handler', {
      source: FunctionSource.fromImage('openfunctiondev/logs-async-handler:v1'),
      serving: Serving.async({
        triggers: [{ component: kafkaIn, lagThreshold: 20 }],
        minReplicas: 0,
        maxReplicas: 10,
        pollingInterval: Duration.seconds(15),
        cooldownPeriod: Duration.seconds(60),
      }),
      outputs: [{ component: kafkaOut, operation: 'create' }],
      dapr: { logLevel: 'info', cpuRequest: '50m', memoryRequest: '64Mi' },
    });

    // Cron trigger with an HTTP output binding.
    const every10s = DaprComponents.cronBinding(this, 'cron-10s', { schedule: '@every 10s' });
    const sink = DaprComponents.httpBinding(this, 'sink', { url: 'http://event-sink.demo.svc.cluster.local/events' });
    new Function(this, 'cron-reporter', {
      source: FunctionSource.fromImage('openfunctiondev/cron-input-http-output:v1'),
      serving: Serving.async({ triggers: [{ component: every10s }] }),
      outputs: [{ component: sink, operation: 'post', metadata: { path: '/cron' } }],
    });

    // A sync function with a Redis state store.
    const store = DaprComponents.redisState(this, 'counter-store', { host: 'redis-master.demo.svc:6379', password: { name: 'redis', key: 'password' } });
    new Function(this, 'counter', {
      source: FunctionSource.fromImage('openfunctiondev/stateful-counter:v1'),
      states: [store],
      serving: Serving.knative({ maxScale: 3 }),
    });
  }
}
