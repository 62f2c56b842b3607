import { App, Chart, Testing, Yaml } from 'cdk8s';
import { addExamples } from '../../examples';
import { chartObjects, DaprComponents, Function, FunctionSource, Serving, StandardBuildStrategies } from '../../src';

const yamlOf = (app: App) => Object.fromEntries(app.charts.map((c) => [c.node.id, Yaml.stringify(...chartObjects(c))]));

test('synthesizing every example twice gives byte-identical output', () => {
  const a = Testing.app();
  addExamples(a);
  const b = Testing.app();
  addExamples(b);
  expect(yamlOf(b)).toEqual(yamlOf(a));
});

test('the order in which independent functions and charts are created does not change their output', () => {
  const build = (reverse: boolean) => {
    const app = Testing.app();
    new StandardBuildStrategies(new Chart(app, 'platform'), 'strategies');
    const makers = [
      () => {
        const chart = new Chart(app, 'team-a', { namespace: 'a' });
        const store = DaprComponents.redisState(chart, 'store', { host: 'redis:6379' });
        new Function(chart, 'one', { image: 'r.io/a/one:1', states: [store], source: FunctionSource.fromGit('https://h/r.git') });
      },
      () => {
        const chart = new Chart(app, 'team-b', { namespace: 'b' });
        new Function(chart, 'two', { image: 'r.io/b/two:1', serving: Serving.kedaHttp({ hosts: ['two.example.com'] }) });
      },
    ];
    (reverse ? makers.reverse() : makers).forEach((m) => m());
    return yamlOf(app);
  };
  expect(build(true)).toEqual(build(false));
});

test('no example emits a Secret or a secret value: component secrets are references', () => {
  const app = Testing.app();
  addExamples(app);
  for (const chart of app.charts.filter((c) => !c.node.id.startsWith('platform'))) {
    for (const o of chartObjects(chart) as any[]) {
      expect(o.kind).not.toBe('Secret');
      if (o.kind === 'Component') {
        for (const m of o.spec.metadata) if (/password|secret|token|credential/i.test(m.name)) expect(m).toEqual({ name: m.name, secretKeyRef: expect.any(Object) });
      }
    }
  }
});
