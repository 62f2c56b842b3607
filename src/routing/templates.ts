/** Variables OpenFunction's host and path templates may use. */
export type TemplateVariable = 'Name' | 'Namespace' | 'Domain';

const PLACEHOLDER = /\{\{\s*(.*?)\s*\}\}/g;

/** Why `template` is not a template of `allowed` variables, or undefined when it is. */
export function templateProblem(template: string, allowed: readonly TemplateVariable[]): string | undefined {
  for (const m of template.matchAll(PLACEHOLDER)) {
    const v = /^\.(\w+)$/.exec(m[1]);
    if (!v) return `has ${m[0]}, which is not a variable reference like {{.Name}}`;
    if (!allowed.includes(v[1] as TemplateVariable)) return `uses the unknown variable ${m[0]}; it may use ${allowed.map((a) => `{{.${a}}}`).join(', ')}`;
  }
  if (/\{\{|\}\}/.test(template.replace(PLACEHOLDER, ''))) return 'has an unbalanced {{ or }}';
  return undefined;
}

/** Renders an OpenFunction template (Go `text/template` with plain variable references). */
export function renderTemplate(template: string, vars: Partial<Record<TemplateVariable, string>>): string {
  return template.replace(PLACEHOLDER, (_m, ref: string) => vars[ref.slice(1) as TemplateVariable] ?? '');
}

const HOST_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const HOSTNAME = new RegExp(`^(\\*\\.)?${HOST_LABEL}(\\.${HOST_LABEL})*$`);

/** Whether `host` is a Gateway API Hostname (lower-case DNS name, optional leading `*.`). */
export function isHostname(host: string): boolean {
  return host.length <= 253 && HOSTNAME.test(host) && !/^\d+\.\d+\.\d+\.\d+$/.test(host);
}
