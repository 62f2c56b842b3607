import { createHash } from 'crypto';
import { parseImageReference } from '../../common/image';
import { basicAuth, HttpResponse, redact, send } from './http';

/** An image reference split into the parts the registry API needs. */
export interface ImageRef {
  /** Registry host[:port] as written (docker.io for Docker Hub). */
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** A registry said no, or could not be reached in a way worth reporting. */
export class RegistryError extends Error {
  constructor(message: string, public readonly retryable: boolean) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** Registry credentials (from a kubernetes.io/dockerconfigjson Secret). */
export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/**
 * `ref` as the registry API needs it: Docker Hub short names become `docker.io` and
 * `library/<name>`, and a reference without tag or digest means `latest`.
 */
export function parseImage(ref: string): ImageRef {
  const parsed = parseImageReference(ref);
  if (!parsed) throw new RegistryError(`"${ref}" is not an image reference`, false);
  const registry = parsed.registry ?? 'docker.io';
  const repository = registry === 'docker.io' && !parsed.repository.includes('/') ? `library/${parsed.repository}` : parsed.repository;
  return { registry, repository, tag: parsed.tag ?? (parsed.digest ? undefined : 'latest'), digest: parsed.digest };
}

function apiHost(registry: string): string {
  return registry === 'docker.io' || registry === 'index.docker.io' ? 'registry-1.docker.io' : registry;
}

/** Options for {@link resolveDigest}. */
export interface ResolveOptions {
  readonly timeoutMs: number;
  /**
   * Credentials to answer an authentication challenge with.
   * @default - anonymous
   */
  readonly credentials?: RegistryCredentials;
  /**
   * Whether the registry is reached over plain HTTP.
   * @default false
   */
  readonly insecure?: boolean;
}

/**
 * The digest the registry serves for `ref`'s tag: a `HEAD` manifest request, with the bearer-token
 * or basic challenge answered when the registry asks (Docker Hub, GHCR, Harbor, distribution).
 */
export async function resolveDigest(ref: string, o: ResolveOptions): Promise<string> {
  const image = parseImage(ref);
  if (image.digest && !image.tag) return image.digest;
  const url = `${o.insecure ? 'http' : 'https'}://${apiHost(image.registry)}/v2/${image.repository}/manifests/${image.tag}`;
  const headers: Record<string, string> = { accept: MANIFEST_TYPES };
  let res = await send(url, { method: 'HEAD', headers, timeoutMs: o.timeoutMs });
  if (res.status === 401) {
    const authorization = await answerChallenge(res, image, o);
    res = await send(url, { method: 'HEAD', headers: { ...headers, authorization }, timeoutMs: o.timeoutMs });
  }
  if (res.status === 200) {
    const digest = res.headers['docker-content-digest'];
    if (typeof digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(digest)) return digest;
    // Some registries leave the header off HEAD answers: hash the manifest itself.
    const full = await send(url, { method: 'GET', headers, timeoutMs: o.timeoutMs, maxBodyBytes: 4 * 1024 * 1024 });
    if (full.status === 200) return `sha256:${createHash('sha256').update(full.body).digest('hex')}`;
    res = full;
  }
  const retryable = res.status >= 500 || res.status === 429;
  throw new RegistryError(`${redact(url)}: HTTP ${res.status}${res.status === 404 ? ' (no such image or tag)' : res.status === 401 || res.status === 403 ? ' (credentials missing or refused)' : ''}`, retryable);
}

async function answerChallenge(res: HttpResponse, image: ImageRef, o: ResolveOptions): Promise<string> {
  const header = String(res.headers['www-authenticate'] ?? '');
  const scheme = header.split(' ')[0]?.toLowerCase();
  if (scheme === 'basic') {
    if (!o.credentials) throw new RegistryError(`${image.registry}: asks for credentials; give the function's imageCredentials`, false);
    return basicAuth(o.credentials.username, o.credentials.password);
  }
  if (scheme !== 'bearer') throw new RegistryError(`${image.registry}: unsupported authentication challenge "${header}"`, false);
  const params: Record<string, string> = {};
  for (const m of header.slice(header.indexOf(' ') + 1).matchAll(/(\w+)="([^"]*)"/g)) params[m[1]] = m[2];
  if (!params.realm) throw new RegistryError(`${image.registry}: bearer challenge without realm`, false);
  const tokenUrl = new URL(params.realm);
  if (params.service) tokenUrl.searchParams.set('service', params.service);
  tokenUrl.searchParams.set('scope', params.scope ?? `repository:${image.repository}:pull`);
  const headers: Record<string, string> = {};
  if (o.credentials) headers.authorization = basicAuth(o.credentials.username, o.credentials.password);
  const t = await send(tokenUrl.toString(), { headers, timeoutMs: o.timeoutMs, maxBodyBytes: 1024 * 1024 });
  if (t.status !== 200) throw new RegistryError(`${redact(tokenUrl.toString())}: token request answered HTTP ${t.status}`, t.status >= 500);
  let body: { token?: string; access_token?: string };
  try {
    body = JSON.parse(t.body.toString('utf8'));
  } catch {
    throw new RegistryError(`${redact(tokenUrl.toString())}: token answer is not JSON`, false);
  }
  const token = body.token ?? body.access_token;
  if (!token) throw new RegistryError(`${redact(tokenUrl.toString())}: token answer has no token`, false);
  return `Bearer ${token}`;
}

/** The credentials a `.dockerconfigjson` holds for `registry`, if any. */
export function credentialsFor(dockerConfigJson: string, registry: string): RegistryCredentials | undefined {
  let auths: Record<string, { auth?: string; username?: string; password?: string }>;
  try {
    auths = JSON.parse(dockerConfigJson).auths ?? {};
  } catch {
    return undefined;
  }
  const wanted = registry === 'docker.io' ? ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'https://index.docker.io/v1/'] : [registry];
  for (const [key, entry] of Object.entries(auths)) {
    const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    if (!wanted.includes(key) && !wanted.includes(host)) continue;
    if (entry.username !== undefined && entry.password !== undefined) return { username: entry.username, password: entry.password };
    if (entry.auth) {
      const plain = Buffer.from(entry.auth, 'base64').toString('utf8');
      const i = plain.indexOf(':');
      if (i > 0) return { username: plain.slice(0, i), password: plain.slice(i + 1) };
    }
  }
  return undefined;
}
