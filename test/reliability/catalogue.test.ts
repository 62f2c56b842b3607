import * as fs from 'fs';
import * as path from 'path';
import { ERROR_CODES } from '../../src';

const SRC = path.join(__dirname, '..', '..', 'src');
const ENV_VARS = new Set(['OFN_MANIFEST_MIRROR', 'OFN_SCHEMA_VALIDATION']);

function codesInSource(): Set<string> {
  const codes = new Set<string>();
  for (const file of fs.readdirSync(SRC, { recursive: true }) as string[]) {
    if (!file.endsWith('.ts') || file.endsWith('error-codes.ts')) continue;
    const text = fs.readFileSync(path.join(SRC, file), 'utf8');
    for (const m of text.matchAll(/['[](OFN_[A-Z0-9_]+)[\]']/g)) if (!ENV_VARS.has(m[1])) codes.add(m[1]);
  }
  return codes;
}

test('every error code the source raises is in the catalogue, and the catalogue lists no other', () => {
  const used = [...codesInSource()].sort();
  expect(used.length).toBeGreaterThan(60);
  expect(used).toEqual(Object.keys(ERROR_CODES).sort());
});

test('ERRORS.md is generated from the catalogue and up to date', () => {
  const md = fs.readFileSync(path.join(__dirname, '..', '..', 'ERRORS.md'), 'utf8');
  for (const [code, text] of Object.entries(ERROR_CODES)) expect(md).toContain(`| \`${code}\` | ${text} |`);
  expect(md.match(/^\| `OFN_/gm)).toHaveLength(Object.keys(ERROR_CODES).length);
});
