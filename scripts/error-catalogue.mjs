// Writes ERRORS.md from src/common/error-codes.ts (run: npm run errors).
import { readFileSync, writeFileSync } from 'fs';

const source = readFileSync(new URL('../src/common/error-codes.ts', import.meta.url), 'utf8');
const rows = [...source.matchAll(/^\s+(OFN_[A-Z0-9_]+): '((?:[^'\\]|\\.)*)',$/gm)].map(([, code, text]) => `| \`${code}\` | ${text.replace(/\\'/g, "'")} |`);
writeFileSync(new URL('../ERRORS.md', import.meta.url), [
  '# Error catalogue',
  '',
  'Every synth-time error names the construct path, the prop, the bad value and the fix, and ends with',
  'its code. Generated from `src/common/error-codes.ts` by `npm run errors`.',
  '',
  '| code | meaning |',
  '|---|---|',
  ...rows,
  '',
].join('\n'));
