import { PropProblem } from '../common/errors';
import { parseImageReference } from '../common/image';
import { isObjectName, SecretRef } from '../common/refs';

/** Options for {@link Builder.fromImage}. */
export interface BuilderImageOptions {
  /**
   * The language the builder builds, for messages and templates.
   * @default 'custom'
   */
  readonly language?: string;
  /**
   * Secret to pull the builder image (`kubernetes.io/dockerconfigjson`).
   * @default - none; the image must be public
   */
  readonly credentials?: SecretRef;
}

/**
 * A Cloud Native Buildpacks builder image that turns function source into a runnable image. Static
 * members are OpenFunction's builders, per language; {@link Builder.fromImage} takes any other.
 */
export class Builder {
  // The images and tags OpenFunction documents for its builders (functions-framework per language).
  /** OpenFunction's Go builder (Go 1.17, functions-framework-go). */
  public static readonly GO = new Builder('go', 'openfunction/builder-go:v2.4.0-1.17');
  /** OpenFunction's Node.js builder (Node 16, functions-framework-nodejs). */
  public static readonly NODEJS = new Builder('nodejs', 'openfunction/builder-node:v2-16.15');
  /** OpenFunction's Java builder (Java 18, functions-framework-java). */
  public static readonly JAVA = new Builder('java', 'openfunction/builder-java:v2-18');
  /** OpenFunction's Java 11 builder. */
  public static readonly JAVA_11 = new Builder('java', 'openfunction/builder-java:v2-11');
  /** OpenFunction's Java 17 builder. */
  public static readonly JAVA_17 = new Builder('java', 'openfunction/builder-java:v2-17');
  /** OpenFunction's Python builder (Google Cloud buildpacks; set GOOGLE_FUNCTION_TARGET in buildEnv). */
  public static readonly PYTHON = new Builder('python', 'openfunction/gcp-builder:v1');
  /** OpenFunction's .NET builder (Google Cloud buildpacks; set GOOGLE_FUNCTION_TARGET in buildEnv). */
  public static readonly DOTNET = new Builder('dotnet', 'openfunction/gcp-builder:v1');

  /** The builders by language name, for {@link Builder.forLanguage}. */
  public static get languages(): string[] {
    return [...BY_LANGUAGE.keys()];
  }

  /**
   * OpenFunction's builder for `language` (`go`, `nodejs`, `java`, `python`, `dotnet`; `node` and
   * `golang` are accepted too).
   * @throws for an unknown language, listing the known ones
   */
  public static forLanguage(language: string): Builder {
    const found = BY_LANGUAGE.get(language.toLowerCase()) ?? BY_LANGUAGE.get(ALIASES[language.toLowerCase()] ?? '');
    if (!found) {
      throw new Error(`Builder.forLanguage: unknown builder language ${JSON.stringify(language)}; use one of ${Builder.languages.join(', ')}, or Builder.fromImage('registry/builder:tag') for any other builder [OFN_BUILDER_LANGUAGE]`);
    }
    return found;
  }

  /** Any buildpacks builder image. */
  public static fromImage(image: string, options: BuilderImageOptions = {}): Builder {
    return new Builder(options.language ?? 'custom', image, options.credentials);
  }

  /**
   * @param language what the builder builds
   * @param image the builder image reference
   * @param credentials Secret to pull the builder image
   */
  protected constructor(public readonly language: string, public readonly image: string, public readonly credentials?: SecretRef) {}

  /** This builder with a pull secret for its image. */
  public withCredentials(credentials: SecretRef): Builder {
    return new Builder(this.language, this.image, credentials);
  }

  /** The problems of this builder's values, with props relative to the builder. */
  public validate(): PropProblem[] {
    const problems: PropProblem[] = [];
    if (!this.image || !parseImageReference(this.image)) {
      problems.push({ code: 'OFN_IMAGE_REF', prop: 'image', value: this.image, problem: 'is not a valid image reference', fix: 'use registry/repository[:tag][@digest], e.g. openfunction/builder-go:v2.4.0-1.17' });
    }
    if (this.credentials && !isObjectName(this.credentials.name)) {
      problems.push({ code: 'OFN_SECRET_NAME', prop: 'credentials', value: this.credentials.name, problem: 'is not a valid Secret name', fix: 'use the name of an existing Secret' });
    }
    return problems;
  }

  public toString(): string {
    return `Builder(${this.language}: ${this.image})`;
  }
}

const BY_LANGUAGE = new Map<string, Builder>([
  ['go', Builder.GO],
  ['nodejs', Builder.NODEJS],
  ['java', Builder.JAVA],
  ['python', Builder.PYTHON],
  ['dotnet', Builder.DOTNET],
]);
const ALIASES: Record<string, string> = { golang: 'go', node: 'nodejs', 'node.js': 'nodejs', '.net': 'dotnet', csharp: 'dotnet' };
