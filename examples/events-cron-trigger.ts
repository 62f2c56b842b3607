import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  EventBus, EventBusBackend, EventSink, EventSource, Function, FunctionSource, Serving, SourceEvent, Trigger,
} from '../src';

/**
 * OpenFunction Events with a bus and a trigger, after OpenFunction's condition sample: a cron
 * source and a Kafka source publish to the `default` NATS JetStream bus; a trigger delivers every
 * tick to an async function (a Dapr subscription, no handler), and, when a tick and an order
 * arrive within the trigger handler's window, calls a Knative function and re-publishes the event
 * to the `alerts` topic, to which the async function also subscribes. The async function is a
 * Dapr app that handles the subscription route `/ticks` as well as its `alerts` input.
 */
export class EventsCronTriggerChart extends Chart {
  public readonly trigger: Trigger;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'demo', ...props });

    const bus = new EventBus(this, 'default', {
      backend: EventBusBackend.natsJetStream({
        url: 'nats://nats.nats.svc.cluster.local:4222',
        streamName: 'openfunction-events',
        monitoringEndpoint: 'nats.nats.svc.cluster.local:8222',
        auth: { token: { name: 'nats-token', key: 'token' } },
      }),
    });
    const ticker = new EventSource(this, 'ticker', { bus, events: { tick: SourceEvent.cron({ schedule: '@every 5s' }) } });
    const orders = new EventSource(this, 'orders', {
      bus,
      events: { created: SourceEvent.kafka({ brokers: ['kafka-server-kafka-brokers.default.svc:9092'], topic: 'orders' }) },
    });

    const notify = new Function(this, 'notify', {
      image: 'registry.example.com/demo/notify:v1',
      serving: Serving.async({ triggers: [bus.trigger(this, 'notify', 'alerts')], maxReplicas: 3 }),
    });
    const report = new Function(this, 'report', {
      source: FunctionSource.fromImage('openfunction/sink-sample:latest'),
      serving: Serving.knative({ maxScale: 3 }),
    });

    this.trigger = new Trigger(this, 'condition-trigger', {
      bus: 'default',
      inputs: { tick: ticker.event('tick'), order: orders.event('created') },
      subscribers: [
        { condition: 'tick', sink: EventSink.fromFunction(notify, { path: '/ticks' }) },
        { condition: 'tick && order', sink: EventSink.fromFunction(report), topic: 'alerts' },
      ],
      handler: { logLevel: 2 },
    });
  }
}
