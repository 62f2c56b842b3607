import { App, Chart, Testing } from 'cdk8s';
import { KubeObject, SchemaValidator, StandardBuildStrategies } from '../src';

/** An app with the standard strategies in a `platform` chart and a `functions` chart in `demo`. */
export function functionsApp(): { app: App; platform: Chart; chart: Chart } {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  new StandardBuildStrategies(platform, 'strategies');
  const chart = new Chart(app, 'functions', { namespace: 'demo' });
  return { app, platform, chart };
}

/** The objects of `chart`, after checking every object of the app against its schema. */
export function synthValid(app: App, chart: Chart): KubeObject[] {
  expect(SchemaValidator.default.validateApp(app).map(String)).toEqual([]);
  return Testing.synth(chart) as KubeObject[];
}

/** The one object of `kind` among `objects`. */
export function only(objects: KubeObject[], kind: string): any {
  const found = objects.filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

/** The message of the error `fn` throws (fails the test if it throws none). */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, got none');
}
