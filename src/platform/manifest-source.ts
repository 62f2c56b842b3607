import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** One upstream manifest file. */
export interface ManifestFile {
  /** Path in a mirror: `<component>/<version>/<asset>`. */
  readonly file: string;
  /** The pinned upstream release asset, when upstream publishes one. */
  readonly upstreamUrl?: string;
}

/** Environment variable that points every app at a local mirror directory. */
export const MIRROR_ENV = 'OFN_MANIFEST_MIRROR';

/** Thrown when a manifest cannot be read or does not match its lock. */
export class ManifestSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestSourceError';
  }
}

/** Options for {@link ManifestSource.upstream}. */
export interface UpstreamManifestOptions {
  /**
   * Where downloads are kept.
   * @default - `$XDG_CACHE_HOME/openfunction-constructs` or `~/.cache/openfunction-constructs`
   */
  readonly cacheDirectory?: string;
  /**
   * The sha256 lock file: the first download of a URL records its hash, later runs enforce it.
   * @default 'openfunction-manifests.lock.json' in the working directory (next to cdk8s.yaml)
   */
  readonly lockFile?: string;
  /**
   * Fetch `<baseUrl>/<component>/<version>/<asset>` instead of the upstream URLs (an internal
   * artifact server laid out like a mirror).
   * @default - the pinned upstream URLs
   */
  readonly baseUrl?: string;
}

const DOWNLOAD = `
const [url, dest] = process.argv.slice(1);
const get = (u, left) => require(u.startsWith('https:') ? 'https' : 'http').get(u, (res) => {
  if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location && left > 0) { res.resume(); return get(new URL(res.headers.location, u).toString(), left - 1); }
  if (res.statusCode !== 200) { console.error('HTTP ' + res.statusCode + ' from ' + u); process.exit(2); }
  const out = require('fs').createWriteStream(dest + '.part');
  res.pipe(out);
  out.on('finish', () => { require('fs').renameSync(dest + '.part', dest); });
}).on('error', (e) => { console.error(e.message); process.exit(3); });
get(url, 5);
`;

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Where the platform's upstream manifests come from at synth time: a local mirror directory
 * (air-gapped installs, tests), or the pinned upstream URLs downloaded once into a cache and checked
 * against a sha256 lock file. With a mirror configured, synth never uses the network.
 */
export abstract class ManifestSource {
  /** A directory laid out as `<component>/<version>/<asset>`. */
  public static mirror(directory: string): ManifestSource {
    return new MirrorSource(path.resolve(directory));
  }

  /** The pinned upstream URLs (or a base URL laid out like a mirror), cached and locked. */
  public static upstream(options: UpstreamManifestOptions = {}): ManifestSource {
    return new UpstreamSource(options);
  }

  /**
   * The mirror named by `OFN_MANIFEST_MIRROR` when it is set, else `fallback`.
   * @param fallback @default ManifestSource.upstream()
   */
  public static fromEnvironment(fallback?: ManifestSource): ManifestSource {
    const dir = process.env[MIRROR_ENV];
    if (dir) return ManifestSource.mirror(dir);
    return fallback ?? ManifestSource.upstream();
  }

  /** The text of `file`. */
  public abstract read(file: ManifestFile): string;

  /** Where it reads from, for messages. */
  public abstract describe(): string;
}

class MirrorSource extends ManifestSource {
  constructor(private readonly directory: string) {
    super();
  }

  public read(file: ManifestFile): string {
    const full = path.join(this.directory, file.file);
    if (!fs.existsSync(full)) {
      throw new ManifestSourceError(`manifest mirror ${this.directory} has no ${file.file}: expected at ${full}${file.upstreamUrl ? ` (a copy of ${file.upstreamUrl})` : ''}; add the file or point the platform at another mirror`);
    }
    return fs.readFileSync(full, 'utf8');
  }

  public describe(): string {
    return `mirror ${this.directory}`;
  }
}

class UpstreamSource extends ManifestSource {
  private readonly cacheDirectory: string;
  private readonly lockFile: string;

  constructor(private readonly options: UpstreamManifestOptions) {
    super();
    this.cacheDirectory = path.resolve(options.cacheDirectory ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'openfunction-constructs'));
    this.lockFile = path.resolve(options.lockFile ?? 'openfunction-manifests.lock.json');
  }

  public read(file: ManifestFile): string {
    const url = this.options.baseUrl ? `${this.options.baseUrl.replace(/\/+$/, '')}/${file.file}` : file.upstreamUrl;
    if (!url) {
      throw new ManifestSourceError(`${file.file} has no downloadable upstream manifest (upstream ships a Helm chart); render it into a mirror directory and use ManifestSource.mirror(dir) or ${MIRROR_ENV}`);
    }
    const cached = path.join(this.cacheDirectory, sha256(url).slice(0, 16), path.basename(file.file));
    if (!fs.existsSync(cached)) {
      fs.mkdirSync(path.dirname(cached), { recursive: true });
      try {
        execFileSync(process.execPath, ['-e', DOWNLOAD, url, cached], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120000 });
      } catch (e) {
        const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
        throw new ManifestSourceError(`could not download ${url}: ${stderr || (e as Error).message}; check the network, or use a mirror (ManifestSource.mirror(dir) or ${MIRROR_ENV})`);
      }
    }
    const data = fs.readFileSync(cached);
    const actual = sha256(data);
    const lock: Record<string, string> = fs.existsSync(this.lockFile) ? JSON.parse(fs.readFileSync(this.lockFile, 'utf8')) : {};
    const expected = lock[url];
    if (expected === undefined) {
      lock[url] = actual;
      const sorted = Object.fromEntries(Object.keys(lock).sort().map((k) => [k, lock[k]]));
      fs.writeFileSync(this.lockFile, `${JSON.stringify(sorted, null, 2)}\n`);
    } else if (expected !== actual) {
      throw new ManifestSourceError(`sha256 of ${url} is ${actual}, but ${this.lockFile} locks it to ${expected}; the download changed upstream or in the cache (${cached}): check it, then delete the cached file or the lock entry`);
    }
    return data.toString('utf8');
  }

  public describe(): string {
    return this.options.baseUrl ? `${this.options.baseUrl} (cached in ${this.cacheDirectory})` : `upstream releases (cached in ${this.cacheDirectory})`;
  }
}
