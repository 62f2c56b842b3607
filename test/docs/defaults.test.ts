import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// Every optional prop of a public Props/Options interface says what happens when it is left out.
test('every optional prop of the public props interfaces documents its @default', () => {
  const srcDir = path.join(__dirname, '..', '..', 'src');
  const files = (fs.readdirSync(srcDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => path.join(srcDir, f));
  const missing: string[] = [];
  let checked = 0;
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    source.forEachChild((node) => {
      if (!ts.isInterfaceDeclaration(node) || !node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return;
      if (!/(Props|Options|Args)$/.test(node.name.text)) return;
      for (const member of node.members) {
        if (!ts.isPropertySignature(member) || !member.questionToken) continue;
        checked++;
        const tags = ts.getJSDocTags(member).map((t) => t.tagName.text);
        if (!tags.includes('default')) missing.push(`${path.relative(srcDir, file)}: ${node.name.text}.${member.name.getText(source)}`);
      }
    });
  }
  expect(checked).toBeGreaterThan(100);
  expect(missing).toEqual([]);
});
