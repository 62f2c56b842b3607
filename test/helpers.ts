import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
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

/**
 * The message of the error `fn` throws or, when it creates a construct, of the problems that
 * construct recorded for synth to report (fails the test if there is neither).
 */
export function errorOf(fn: () => unknown): string {
  let made: unknown;
  try {
    made = fn();
  } catch (e) {
    return (e as Error).message;
  }
  // A construct, or an object holding constructs: the problems recorded in their subtrees.
  const made_ = made instanceof Construct ? [made] : made && typeof made === 'object' ? Object.values(made).filter((v): v is Construct => v instanceof Construct) : [];
  const problems = made_.flatMap((c) => c.node.findAll().flatMap((n) => (n instanceof Chart ? [] : n.node.validate())));
  if (problems.length) return [...new Set(problems)].join('\n');
  throw new Error('expected an error, got none');
}
