import { isHostname, renderTemplate, templateProblem } from '../../src';

test('renderTemplate substitutes OpenFunction\'s variables', () => {
  expect(renderTemplate('{{.Name}}.{{.Namespace}}.{{.Domain}}', { Name: 'hello', Namespace: 'demo', Domain: 'fn.example.com' })).toBe('hello.demo.fn.example.com');
  expect(renderTemplate('{{ .Namespace }}/{{.Name}}', { Name: 'hello', Namespace: 'demo' })).toBe('demo/hello');
});

test('templateProblem names unknown variables and malformed placeholders', () => {
  expect(templateProblem('{{.Name}}.{{.Domain}}', ['Name', 'Namespace', 'Domain'])).toBeUndefined();
  expect(templateProblem('{{.Domain}}/{{.Name}}', ['Name', 'Namespace'])).toMatch(/unknown variable \{\{\.Domain\}\}; it may use \{\{\.Name\}\}, \{\{\.Namespace\}\}/);
  expect(templateProblem('{{.Function}}', ['Name'])).toMatch(/unknown variable \{\{\.Function\}\}/);
  expect(templateProblem('{{Name}}', ['Name'])).toMatch(/not a variable reference/);
  expect(templateProblem('{{.Name}', ['Name'])).toMatch(/unbalanced/);
});

test('isHostname follows Gateway API hostnames', () => {
  expect(isHostname('hello.fn.example.com')).toBe(true);
  expect(isHostname('*.fn.example.com')).toBe(true);
  expect(isHostname('Hello.example.com')).toBe(false);
  expect(isHostname('a..b')).toBe(false);
  expect(isHostname('10.0.0.1')).toBe(false);
  expect(isHostname('a.*.b')).toBe(false);
});
