import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';
import { SchemaValidator } from '../src';
const root = '../shared/platform';
const idx = JSON.parse(fs.readFileSync(`${root}/index.json`, 'utf8'));
const v = new SchemaValidator();
const all: any[] = [];
const t0 = Date.now();
for (const e of idx) {
  const docs = parseAllDocuments(fs.readFileSync(`${root}/${e.file}`, 'utf8')).map((d) => d.toJS()).filter(Boolean);
  all.push(...docs.map((d: any) => ({ ...d, __file: e.file })));
}
console.log('parse ms', Date.now() - t0, all.length);
const t1 = Date.now();
const probs: Record<string, number> = {};
const samples: string[] = [];
for (const o of all) {
  const { __file, ...obj } = o;
  const p = v.validateObject(obj);
  for (const x of p) { const k = `${__file}: ${x.message.slice(0, 60)}`; probs[k] = (probs[k] ?? 0) + 1; if (samples.length < 40) samples.push(`${__file} ${x}`.slice(0, 220)); }
}
console.log('validate ms', Date.now() - t1);
console.log(Object.entries(probs).slice(0, 40));
console.log(samples.join('\n'));
