import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { addExamples } from '../../examples';
import { chartObjects, SchemaValidator } from '../../src';

describe('example app', () => {
  let app: App;
  beforeAll(() => {
    app = Testing.app();
    addExamples(app);
  });

  test('every object of every example validates against its upstream schema', () => {
    const charts = app.node.children.filter((c): c is Chart => c instanceof Chart);
    expect(charts.length).toBeGreaterThan(0);
    for (const chart of charts) expect(chartObjects(chart).length).toBeGreaterThan(0);
    expect(SchemaValidator.default.validateApp(app).map(String)).toEqual([]);
  });

  test('synthesizing writes one manifest per chart, each parseable YAML with the same objects', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-examples-'));
    try {
      const fresh = new App({ outdir });
      addExamples(fresh);
      fresh.synth();
      const files = fs.readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).sort();
      expect(files).toEqual(fresh.charts.map((c) => `${c.node.id}.k8s.yaml`).sort());
      for (const chart of fresh.charts) {
        const docs = parseAllDocuments(fs.readFileSync(path.join(outdir, `${chart.node.id}.k8s.yaml`), 'utf8')).map((d) => d.toJS());
        expect(docs).toEqual(chartObjects(chart));
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
