import { Testing } from 'cdk8s';
import { EventsCronTriggerChart } from '../../examples/events-cron-trigger';
import { EventsKafkaSourceChart } from '../../examples/events-kafka-source';
import { chartObjects, SchemaValidator } from '../../src';

const byName = (objects: any[], kind: string): Record<string, any> => Object.fromEntries(objects.filter((o) => o.kind === kind).map((o) => [o.metadata.name, o]));

describe('the events examples', () => {
  const app = Testing.app();
  const kafka = new EventsKafkaSourceChart(app, 'events-kafka-source');
  const cron = new EventsCronTriggerChart(app, 'events-cron-trigger');
  const kafkaObjects = chartObjects(kafka) as any[];
  const cronObjects = chartObjects(cron) as any[];

  test('validate against the upstream schemas and emit no OpenFunction object', () => {
    expect(SchemaValidator.default.validateApp(app).map(String)).toEqual([]);
    for (const o of [...kafkaObjects, ...cronObjects]) expect(o.apiVersion).not.toMatch(/openfunction\.io/);
  });

  test('Kafka source: the handler calls the Knative function, the async function reads its own binding', () => {
    const components = byName(kafkaObjects, 'Component');
    expect(components['my-eventsource-sink'].spec.metadata).toEqual([{ name: 'url', value: 'http://sink.demo.svc.cluster.local' }]);
    expect(components['my-eventsource-sample-one'].scopes).toEqual(['my-eventsource-sample-one-handler-demo']);
    expect(components['my-eventsource-sample-one-audit'].scopes).toEqual(['audit-demo']);
    const scaled = byName(kafkaObjects, 'ScaledObject');
    expect(Object.keys(scaled).sort()).toEqual(['audit', 'my-eventsource-sample-one-handler']);
    expect(scaled.audit.spec.triggers[0]).toMatchObject({ type: 'kafka', metadata: { topic: 'events-sample', consumerGroup: 'demo-my-eventsource-sample-one-audit', lagThreshold: '50' } });
  });

  test('cron trigger: a Subscription for the tick, the handler for tick && order, the alerts topic back to the function', () => {
    const sub = Object.values(byName(cronObjects, 'Subscription'));
    expect(sub.map((s) => [s.spec.topic, s.spec.routes, s.scopes])).toEqual([['demo-ticker-tick', { default: '/ticks' }, ['notify-demo']]]);
    const handler = byName(cronObjects, 'Deployment')['condition-trigger-handler'];
    const config = JSON.parse(Buffer.from(handler.spec.template.spec.containers[0].env.find((e: any) => e.name === 'CONFIG').value, 'base64').toString());
    expect(config.subscribers).toEqual({ 'tick && order': { sinkOutputName: 'sink-1', eventBusOutputName: 'topic-alerts' } });
    expect(config.logLevel).toBe('2');
    const notify = byName(cronObjects, 'ScaledObject').notify;
    expect(notify.spec.triggers.map((t: any) => [t.type, t.metadata.consumer])).toEqual([
      ['nats-jetstream', expect.stringMatching(/^demo-notify-/)],
      ['nats-jetstream', `demo-${sub[0].metadata.name}`],
    ]);
    expect(cron.trigger.subscriptions).toHaveLength(1);
  });
});
