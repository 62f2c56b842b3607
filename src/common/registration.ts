import { IConstruct } from 'constructs';

const registered = new WeakMap<object, string>();

/**
 * Marks every construct below `scope` as handed over to another tool (the Pulumi components
 * register a chart's objects as soon as they are built). A later construct that would change one
 * of them (a component's scopes, a function's scaler, a watcher's config) reports
 * `OFN_REGISTERED` instead of changing objects nobody will read again.
 */
export function markRegistered(scope: IConstruct, by: string): void {
  for (const c of scope.node.findAll()) if (!registered.has(c)) registered.set(c, by);
}

/** Who registered `o` (see {@link markRegistered}), if anybody. */
export function registeredBy(o: unknown): string | undefined {
  return typeof o === 'object' && o !== null ? registered.get(o) : undefined;
}
