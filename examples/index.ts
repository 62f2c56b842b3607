import { App } from 'cdk8s';
import { HelloBuildChart } from './hello-build';

/** Adds every example chart to `app`; `main.ts` synthesizes them and the tests validate them. */
export function addExamples(app: App): void {
  new HelloBuildChart(app, 'hello-build');
}
