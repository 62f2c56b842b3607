import { App } from 'cdk8s';
import { addAcmeApp } from './acme-template/app';
import { AsyncFunctionsChart } from './async-functions';
import { CanaryChart } from './canary';
import { ContinuousRebuildChart } from './continuous-rebuild';
import { DockerfileFunctionChart } from './dockerfile-function';
import { EventsCronTriggerChart } from './events-cron-trigger';
import { EventsKafkaSourceChart } from './events-kafka-source';
import { GatewayRoutingChart } from './gateway-routing';
import { HelloWorldGoChart } from './hello-world-go';
import { KedaHttpFunctionChart } from './keda-http-function';
import { FullPlatformChart, SyncPlatformChart } from './platform';

/** Adds every example chart to `app`; `main.ts` synthesizes them and the tests validate them. */
export function addExamples(app: App): void {
  const platform = new FullPlatformChart(app, 'platform');
  new SyncPlatformChart(app, 'platform-sync-mirrored');
  new HelloWorldGoChart(app, 'hello-world-go');
  new KedaHttpFunctionChart(app, 'keda-http-function');
  new CanaryChart(app, 'canary');
  new AsyncFunctionsChart(app, 'async-functions');
  new GatewayRoutingChart(app, 'gateway-routing');
  addAcmeApp(app);
  new DockerfileFunctionChart(app, 'dockerfile-functions', { kaniko: platform.platform.buildStrategies!.kaniko! });
  new ContinuousRebuildChart(app, 'continuous-rebuild');
  new EventsKafkaSourceChart(app, 'events-kafka-source');
  new EventsCronTriggerChart(app, 'events-cron-trigger');
}
