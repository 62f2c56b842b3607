/**
 * Container image references, parsed by the grammar of the distribution project's reference
 * package (`[domain[:port]/]path[:tag][@digest]`).
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);

/** The parts of an image reference. */
export interface ImageReference {
  /** Registry host (and port) as written, or undefined for a Docker Hub short name. */
  readonly registry?: string;
  /** Repository path inside the registry, e.g. `demo/hello`. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Parses `ref`; returns undefined when it is not a valid image reference. */
export function parseImageReference(ref: string): ImageReference | undefined {
  const m = REFERENCE.exec(ref);
  if (!m) return undefined;
  let registry: string | undefined = m[1];
  let repository = m[2];
  const tag: string | undefined = m[3];
  const digest: string | undefined = m[4];
  // A first component is a registry only if it looks like a host: a dot, a port or `localhost`.
  if (registry !== undefined && !/[.:]|^localhost$|^\[/.test(registry)) {
    if (!new RegExp(`^${PATH_COMPONENT}$`).test(registry)) return undefined;
    repository = `${registry}/${repository}`;
    registry = undefined;
  }
  if (repository.length > 255) return undefined;
  return { registry, repository, tag, digest };
}

/**
 * Checks an image reference that a build pushes to: it must parse and name a repository inside a
 * registry or a Docker Hub namespace (`hello:v1` alone would mean `docker.io/library/hello`,
 * which no one can push to). Returns a problem description or undefined.
 */
export function checkPushableImage(ref: string): string | undefined {
  if (!ref) return 'is empty';
  const parsed = parseImageReference(ref);
  if (!parsed) return 'is not a valid image reference (lower-case repository, optional :tag and @sha256:digest)';
  if (!parsed.registry && !parsed.repository.includes('/')) return 'names no registry or repository namespace';
  if (parsed.digest) return 'carries a digest; a build output must be a tag, the digest is only known after the build';
  return undefined;
}

/** `ref` without its `@digest` part. */
export function withoutDigest(ref: string): string {
  const at = ref.indexOf('@');
  return at < 0 ? ref : ref.slice(0, at);
}

/** The reference minus tag and digest: `registry/repo`. */
export function repositoryOf(ref: string): string {
  const parsed = parseImageReference(ref);
  if (!parsed) return withoutDigest(ref);
  return parsed.registry ? `${parsed.registry}/${parsed.repository}` : parsed.repository;
}
