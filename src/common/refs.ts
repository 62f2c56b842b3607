/**
 * A reference to a Kubernetes Secret by name, in the namespace of the object that uses it. A
 * cdk8s-plus `ISecret` satisfies it; so does `{ name: 'push-secret' }`. Secrets are always
 * referenced, never inlined.
 */
export interface SecretRef {
  readonly name: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Whether `name` can name a Secret (DNS-1123 subdomain). */
export function isObjectName(name: string): boolean {
  return name.length <= 253 && DNS_SUBDOMAIN.test(name);
}
