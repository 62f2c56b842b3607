import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { EventSink, EventSource, Function, FunctionSource, Serving, SourceEvent } from '../src';

/**
 * A Kafka event source feeding functions, after OpenFunction's events sample: the records of a
 * Kafka topic go to a Knative function through the event source handler (which calls the
 * function's URL, waking it from zero), and an async function reads the same records directly
 * through Dapr, scaled by KEDA on its consumer lag, with no handler in between.
 */
export class EventsKafkaSourceChart extends Chart {
  public readonly source: EventSource;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'demo', ...props });

    const sink = new Function(this, 'sink', {
      source: FunctionSource.fromImage('openfunction/sink-sample:latest'),
      serving: Serving.knative({ maxScale: 5 }),
    });

    this.source = new EventSource(this, 'my-eventsource', {
      events: {
        'sample-one': SourceEvent.kafka({
          brokers: ['kafka-server-kafka-brokers.default.svc:9092'],
          topic: 'events-sample',
          auth: { username: { name: 'kafka-user', key: 'username' }, password: { name: 'kafka-user', key: 'password' } },
        }),
      },
      sink: EventSink.fromFunction(sink),
      handler: { logLevel: 2 },
    });

    new Function(this, 'audit', {
      source: FunctionSource.fromImage('openfunctiondev/logs-async-handler:v1'),
      serving: Serving.async({ triggers: [this.source.trigger('sample-one', 'audit', { lagThreshold: 50 })], maxReplicas: 5 }),
    });
  }
}
