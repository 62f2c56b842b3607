import { createHash } from 'crypto';

/** RFC 1123 label: lower-case alphanumerics and `-`, starting and ending alphanumeric, at most 63. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Whether `name` is a DNS-1123 label (the rule for most Kubernetes object names we emit). */
export function isDnsLabel(name: string): boolean {
  return name.length <= 63 && DNS_LABEL.test(name);
}

/** JSON with object keys sorted at every level: the same value always gives the same bytes. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** First `length` hex characters of the sha256 of the stable JSON of `value`. */
export function contentHash(value: unknown, length = 10): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex').slice(0, length);
}

/**
 * `prefix-suffix`, shortened to a DNS label of at most `max` characters by trimming the prefix
 * (never the suffix, which usually carries a hash that must survive).
 */
export function joinName(prefix: string, suffix: string, max = 63): string {
  const room = max - suffix.length - 1;
  const head = prefix.slice(0, Math.max(room, 1)).replace(/-+$/, '');
  return `${head}-${suffix}`;
}
