import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { PropProblem } from '../common/errors';
import { parseImageReference, repositoryOf } from '../common/image';
import { isObjectName, SecretRef } from '../common/refs';

/** The kinds of function source. */
export enum SourceType {
  /** A git repository cloned by the build. */
  GIT = 'Git',
  /** An OCI image that holds the source (OpenFunction's bundle container). */
  BUNDLE = 'Bundle',
  /** A local directory, shipped as a bundle image the user pushes. */
  LOCAL_DIRECTORY = 'LocalDirectory',
  /** A prebuilt image: nothing is built. */
  IMAGE = 'Image',
}

/** Options for {@link FunctionSource.fromGit}. */
export interface GitSourceOptions {
  /**
   * Branch, tag or commit to build.
   * @default - the repository's default branch
   */
  readonly revision?: string;
  /**
   * Directory inside the repository that holds the function (OpenFunction's `sourceSubPath`).
   * @default - the repository root
   */
  readonly subPath?: string;
  /**
   * Secret with the git credentials (`kubernetes.io/basic-auth` or `kubernetes.io/ssh-auth`).
   * @default - none; the repository must be public
   */
  readonly credentials?: SecretRef;
}

/** Options for {@link FunctionSource.fromBundle}. */
export interface BundleSourceOptions {
  /**
   * Path of the function's source inside the bundle image. OpenFunction writes it as an absolute
   * path (`/samples/functions/...`); a relative path means the same.
   * @default - the image root
   */
  readonly subPath?: string;
  /**
   * Secret to pull the bundle image (`kubernetes.io/dockerconfigjson`).
   * @default - none; the image must be public
   */
  readonly credentials?: SecretRef;
}

/** Options for {@link FunctionSource.fromLocalDirectory}. */
export interface LocalDirectorySourceOptions {
  /**
   * Where the bundle image is pushed: a repository (`registry.example.com/demo/hello-source`),
   * tagged with the content hash, or a full reference with a tag of your own.
   * @default - the function's output repository with `-source` appended, tagged with the content hash
   */
  readonly image?: string;
  /**
   * Directory inside `path` that holds the function.
   * @default - `path` itself
   */
  readonly subPath?: string;
  /**
   * Secret to pull the bundle image (`kubernetes.io/dockerconfigjson`).
   * @default - none
   */
  readonly credentials?: SecretRef;
  /**
   * Names of files and directories (at any depth) left out of the content hash.
   * @default ['.git', 'node_modules']
   */
  readonly exclude?: string[];
}

/** What a local directory turns into: a bundle image that the user builds and pushes. */
export interface LocalBundle {
  /** The local directory (absolute). */
  readonly directory: string;
  /** The bundle image reference the Build pulls. */
  readonly image: string;
  /** sha256 of the directory's files (names and contents). */
  readonly contentHash: string;
  /** The Dockerfile that packs the directory into the bundle. */
  readonly dockerfile: string;
  /** Shell commands that build and push the bundle (run them before applying the manifests). */
  readonly pushCommands: string[];
}

/** What a Build needs to know about a source, once bound. */
export interface SourceConfig {
  readonly type: SourceType;
  /** `spec.source` of the Shipwright v1beta1 Build; undefined for prebuilt images. */
  readonly buildSource?: {
    readonly type: 'Git' | 'OCI';
    readonly git?: { readonly url: string; readonly revision?: string; readonly cloneSecret?: string };
    readonly ociArtifact?: { readonly image: string; readonly pullSecret?: string };
    readonly contextDir?: string;
  };
  /** The prebuilt image to serve, for {@link SourceType.IMAGE}. */
  readonly prebuiltImage?: string;
  /** The bundle to push, for {@link SourceType.LOCAL_DIRECTORY}. */
  readonly bundle?: LocalBundle;
}

/** What binding a source may depend on. */
export interface SourceBindOptions {
  /**
   * The image the build pushes; local bundles derive their repository from it.
   * @default - none: a local bundle is named `function-source:<hash>`
   */
  readonly outputImage?: string;
}

const GIT_SCHEMES = ['https:', 'http:', 'ssh:', 'git:'];
const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!\/\/)[^\s]+$/;

function gitUrlProblem(url: string): string | undefined {
  if (!url.trim()) return 'is empty';
  if (/\s/.test(url)) return 'contains whitespace';
  if (SCP_LIKE.test(url)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (!GIT_SCHEMES.includes(parsed.protocol)) return `uses the scheme ${parsed.protocol.replace(/:$/, '')}, which a build pod cannot clone from`;
  if (!parsed.hostname) return 'has no host';
  if (parsed.pathname.replace(/\/+$/, '') === '') return 'names no repository path';
  if (parsed.password) return 'carries a password; credentials belong in a Secret';
  return undefined;
}

// git check-ref-format, plus what a YAML field should never hold.
function revisionProblem(revision: string): string | undefined {
  if (!revision) return 'is empty';
  if (/\s/.test(revision)) return 'contains whitespace';
  if (/[~^:?*[\\\x00-\x1f\x7f]/.test(revision)) return 'contains a character git does not allow in a ref (~ ^ : ? * [ \\)';
  if (revision.includes('..') || revision.includes('@{') || revision.startsWith('/') || revision.endsWith('/') || revision.endsWith('.') || revision.endsWith('.lock')) {
    return "is not a valid git ref ('..', '@{', a leading or trailing '/', a trailing '.' or '.lock')";
  }
  return undefined;
}

/** Normalizes a sub-path to a relative POSIX path; undefined if it climbs above its root. */
export function normalizeSubPath(subPath: string): string | undefined {
  const parts: string[] = [];
  for (const part of subPath.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.join('/');
}

function subPathProblems(subPath: string | undefined): PropProblem[] {
  if (subPath === undefined) return [];
  if (normalizeSubPath(subPath) === undefined) {
    return [{ code: 'OFN_SUBPATH_ESCAPES', prop: 'subPath', value: subPath, problem: "climbs out of the source root with '..'", fix: 'give a path inside the repository or image, e.g. "functions/hello"' }];
  }
  return [];
}

function secretProblems(prop: string, ref: SecretRef | undefined): PropProblem[] {
  if (ref === undefined || isObjectName(ref.name)) return [];
  return [{ code: 'OFN_SECRET_NAME', prop, value: ref.name, problem: 'is not a valid Secret name', fix: 'use the name of an existing Secret: lower-case letters, digits, "-" and "."' }];
}

/**
 * Where a function's code comes from, in the style of AWS CDK's `Code.from*`: a git repository, a
 * bundle image, a local directory or a prebuilt image.
 */
export abstract class FunctionSource {
  /**
   * Builds from a git repository.
   * @param url `https://`, `http://`, `ssh://`, `git://` or `user@host:path` URL
   */
  public static fromGit(url: string, options: GitSourceOptions = {}): FunctionSource {
    return new GitSource(url, options);
  }

  /**
   * Builds from an OCI image that holds the source (OpenFunction's bundle container, typically
   * `FROM scratch` + `COPY`).
   */
  public static fromBundle(image: string, options: BundleSourceOptions = {}): FunctionSource {
    return new BundleSource(image, options);
  }

  /**
   * Builds from a local directory. At synth, the directory is hashed (file names and contents)
   * and the Build pulls a bundle image tagged with that hash; nothing is uploaded by synth. Before
   * applying the manifests, build and push that bundle (the function's `bundles` list the image
   * and the commands: `FROM scratch`, `COPY . /`). A change in any file changes the tag and hence
   * starts a new build.
   * @param directory path, relative to the working directory of the synth
   */
  public static fromLocalDirectory(directory: string, options: LocalDirectorySourceOptions = {}): FunctionSource {
    return new LocalDirectorySource(directory, options);
  }

  /** Serves a prebuilt image: no build. */
  public static fromImage(ref: string): FunctionSource {
    return new PrebuiltImageSource(ref);
  }

  /** The kind of source. */
  public abstract readonly type: SourceType;

  /** The problems of this source's values, with props relative to the source. */
  public abstract validate(options?: SourceBindOptions): PropProblem[];

  /** The source as a build sees it. Call only when {@link validate} found nothing. */
  public abstract bind(options?: SourceBindOptions): SourceConfig;
}

class GitSource extends FunctionSource {
  public readonly type = SourceType.GIT;
  constructor(private readonly url: string, private readonly options: GitSourceOptions) {
    super();
  }

  public validate(): PropProblem[] {
    const problems: PropProblem[] = [];
    const urlProblem = gitUrlProblem(this.url ?? '');
    if (urlProblem) problems.push({ code: 'OFN_GIT_URL', prop: 'url', value: this.url, problem: `is not a git URL: it ${urlProblem}`, fix: 'use https://host/owner/repo.git, ssh://git@host/owner/repo.git or git@host:owner/repo.git' });
    const { revision } = this.options;
    if (revision !== undefined) {
      const revProblem = revisionProblem(revision);
      if (revProblem) problems.push({ code: 'OFN_GIT_REVISION', prop: 'revision', value: revision, problem: `is not a git branch, tag or commit: it ${revProblem}`, fix: 'use a branch ("main"), a tag ("v1.2.0") or a commit sha, or leave it out for the default branch' });
    }
    return [...problems, ...subPathProblems(this.options.subPath), ...secretProblems('credentials', this.options.credentials)];
  }

  public bind(): SourceConfig {
    const contextDir = this.options.subPath === undefined ? undefined : normalizeSubPath(this.options.subPath) || undefined;
    return {
      type: this.type,
      buildSource: {
        type: 'Git',
        git: { url: this.url, revision: this.options.revision, cloneSecret: this.options.credentials?.name },
        contextDir,
      },
    };
  }
}

function bundleImageProblems(prop: string, image: string): PropProblem[] {
  if (image && parseImageReference(image)) return [];
  return [{ code: 'OFN_IMAGE_REF', prop, value: image, problem: 'is not a valid image reference', fix: 'use registry/repository[:tag][@sha256:digest], e.g. registry.example.com/demo/hello-source:v1' }];
}

class BundleSource extends FunctionSource {
  public readonly type = SourceType.BUNDLE;
  constructor(private readonly image: string, private readonly options: BundleSourceOptions) {
    super();
  }

  public validate(): PropProblem[] {
    return [...bundleImageProblems('image', this.image), ...subPathProblems(this.options.subPath), ...secretProblems('credentials', this.options.credentials)];
  }

  public bind(): SourceConfig {
    const contextDir = this.options.subPath === undefined ? undefined : normalizeSubPath(this.options.subPath) || undefined;
    return { type: this.type, buildSource: { type: 'OCI', ociArtifact: { image: this.image, pullSecret: this.options.credentials?.name }, contextDir } };
  }
}

class LocalDirectorySource extends FunctionSource {
  public readonly type = SourceType.LOCAL_DIRECTORY;
  private readonly directory: string;
  private hash?: string;

  constructor(directory: string, private readonly options: LocalDirectorySourceOptions) {
    super();
    this.directory = path.resolve(directory);
  }

  public validate(): PropProblem[] {
    const problems: PropProblem[] = [];
    if (!fs.existsSync(this.directory) || !fs.statSync(this.directory).isDirectory()) {
      problems.push({ code: 'OFN_LOCAL_DIRECTORY', prop: 'directory', value: this.directory, problem: 'is not a directory', fix: 'give the path of the directory that holds the function, relative to where synth runs' });
    }
    if (this.options.image !== undefined) {
      problems.push(...bundleImageProblems('image', this.options.image));
      if (problems.length === 0 && parseImageReference(this.options.image)?.digest) {
        problems.push({ code: 'OFN_IMAGE_REF', prop: 'image', value: this.options.image, problem: 'carries a digest, but the bundle is pushed after synth', fix: 'give a repository (tagged with the content hash) or a repository:tag' });
      }
    }
    problems.push(...subPathProblems(this.options.subPath), ...secretProblems('credentials', this.options.credentials));
    return problems;
  }

  public bind(bindOptions: SourceBindOptions = {}): SourceConfig {
    const hash = this.contentHash();
    const tag = `src-${hash.slice(0, 12)}`;
    let image: string;
    if (this.options.image !== undefined) {
      image = parseImageReference(this.options.image)?.tag ? this.options.image : `${this.options.image}:${tag}`;
    } else {
      image = `${repositoryOf(bindOptions.outputImage ?? 'function')}-source:${tag}`;
    }
    const dockerfile = 'FROM scratch\nCOPY . /\n';
    const bundle: LocalBundle = {
      directory: this.directory,
      image,
      contentHash: hash,
      dockerfile,
      pushCommands: [
        `printf 'FROM scratch\\nCOPY . /\\n' | docker build -t ${image} -f - ${JSON.stringify(this.directory)}`,
        `docker push ${image}`,
      ],
    };
    const contextDir = this.options.subPath === undefined ? undefined : normalizeSubPath(this.options.subPath) || undefined;
    return { type: this.type, buildSource: { type: 'OCI', ociArtifact: { image, pullSecret: this.options.credentials?.name }, contextDir }, bundle };
  }

  private contentHash(): string {
    if (this.hash) return this.hash;
    const exclude = new Set(this.options.exclude ?? ['.git', 'node_modules']);
    const sha = createHash('sha256');
    const walk = (dir: string, rel: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (exclude.has(entry.name)) continue;
        const full = path.join(dir, entry.name);
        const relPath = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          walk(full, relPath);
        } else if (entry.isFile()) {
          const content = fs.readFileSync(full);
          sha.update(`${relPath}\0${content.length}\0`).update(content);
        } else if (entry.isSymbolicLink()) {
          sha.update(`${relPath}\0->${fs.readlinkSync(full)}\0`);
        }
      }
    };
    walk(this.directory, '');
    this.hash = sha.digest('hex');
    return this.hash;
  }
}

class PrebuiltImageSource extends FunctionSource {
  public readonly type = SourceType.IMAGE;
  constructor(private readonly image: string) {
    super();
  }

  public validate(): PropProblem[] {
    return bundleImageProblems('image', this.image).map((p) => ({ ...p, fix: 'use registry/repository[:tag][@sha256:digest], e.g. registry.example.com/demo/hello:v1' }));
  }

  public bind(): SourceConfig {
    return { type: this.type, prebuiltImage: this.image };
  }
}
