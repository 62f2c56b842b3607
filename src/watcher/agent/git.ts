import { basicAuth, redact, send } from './http';

/** The refs a git server advertises, and where HEAD points. */
export interface GitRefs {
  /** Ref name (refs/heads/main, refs/tags/v1, refs/tags/v1^{}) to commit id. */
  readonly refs: ReadonlyMap<string, string>;
  /** The commit HEAD points at, when advertised. */
  readonly head?: string;
  /** The branch HEAD points at (symref), when advertised. */
  readonly headRef?: string;
}

/** A git server said no, or said something that is not the smart-HTTP protocol. */
export class GitError extends Error {
  constructor(message: string, public readonly retryable: boolean) {
    super(message);
    this.name = 'GitError';
  }
}

/** Credentials for a git server (a basic-auth Secret's `username` and `password`). */
export interface GitCredentials {
  readonly username?: string;
  readonly password: string;
}

/**
 * Reads the refs a git server advertises over the smart-HTTP protocol
 * (`GET <url>/info/refs?service=git-upload-pack`), which GitHub, GitLab, Gitee and `git
 * http-backend` all serve. Protocol v0/v1 advertisement; no clone, no API token.
 */
export async function listRefs(url: string, timeoutMs: number, credentials?: GitCredentials): Promise<GitRefs> {
  const base = url.replace(/\/+$/, '');
  const headers: Record<string, string> = { accept: 'application/x-git-upload-pack-advertisement' };
  // GitHub accepts any user name with a token as password; others want the real one.
  if (credentials) headers.authorization = basicAuth(credentials.username || 'git', credentials.password);
  const res = await send(`${base}/info/refs?service=git-upload-pack`, { headers, timeoutMs, maxBodyBytes: 32 * 1024 * 1024 });
  if (res.status === 401 || res.status === 403 || res.status === 404) {
    throw new GitError(`${redact(url)}: HTTP ${res.status} (${res.status === 404 ? 'no such repository, or it is private and the credentials do not reach it' : 'credentials missing or refused'})`, false);
  }
  if (res.status !== 200) throw new GitError(`${redact(url)}: HTTP ${res.status}`, true);
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('application/x-git-upload-pack-advertisement')) {
    throw new GitError(`${redact(url)}: answered ${type || 'no content type'}, not a smart-HTTP ref advertisement (is it a git URL?)`, false);
  }
  return parseAdvertisement(res.body);
}

/** Parses a pkt-line ref advertisement. */
export function parseAdvertisement(body: Buffer): GitRefs {
  const refs = new Map<string, string>();
  let head: string | undefined;
  let headRef: string | undefined;
  let pos = 0;
  let first = true;
  while (pos + 4 <= body.length) {
    const len = parseInt(body.subarray(pos, pos + 4).toString('ascii'), 16);
    if (Number.isNaN(len)) throw new GitError('malformed pkt-line length in the ref advertisement', false);
    if (len === 0) {
      pos += 4;
      continue;
    }
    if (len < 4 || pos + len > body.length) throw new GitError('truncated pkt-line in the ref advertisement', false);
    let line = body.subarray(pos + 4, pos + len).toString('utf8');
    pos += len;
    if (line.endsWith('\n')) line = line.slice(0, -1);
    if (line.startsWith('# service=')) continue;
    if (line.startsWith('ERR ')) throw new GitError(`server error: ${line.slice(4)}`, true);
    const nul = line.indexOf('\0');
    if (nul >= 0) {
      if (first) {
        const symref = /(?:^| )symref=HEAD:(\S+)/.exec(line.slice(nul + 1));
        if (symref) headRef = symref[1];
      }
      line = line.slice(0, nul);
    }
    first = false;
    const [id, name] = line.split(' ');
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(id ?? '') || !name) continue;
    if (/^0+$/.test(id)) continue; // "capabilities^{}" of an empty repository
    if (name === 'HEAD') head = id;
    else refs.set(name, id);
  }
  return { refs, head, headRef };
}

/**
 * The commit `revision` names: a branch, a tag (peeled to its commit) or a full ref; the default
 * branch when empty.
 */
export function resolveRevision(refs: GitRefs, revision: string | undefined): string {
  if (!revision) {
    const id = refs.head ?? (refs.headRef ? refs.refs.get(refs.headRef) : undefined);
    if (!id) throw new GitError('the repository advertises no HEAD (empty repository?)', false);
    return id;
  }
  for (const name of [`refs/heads/${revision}`, `refs/tags/${revision}^{}`, `refs/tags/${revision}`, `${revision}^{}`, revision]) {
    const id = refs.refs.get(name);
    if (id) return id;
  }
  throw new GitError(`revision "${revision}" is neither a branch nor a tag of the repository`, false);
}
