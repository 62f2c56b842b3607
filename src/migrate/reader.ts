import { Duration } from 'cdk8s';
import { PropValidationError } from '../common/errors';

/** One problem found while reading a document: where it is and what is wrong. */
export class MigrationProblem {
  constructor(
    public readonly file: string,
    public readonly index: number,
    public readonly field: string,
    public readonly message: string,
  ) {}

  public toString(): string {
    return `${this.file}#${this.index}: ${this.field}: ${this.message}`;
  }
}

/** Thrown when a document cannot be converted; lists every problem. */
export class MigrationError extends Error {
  constructor(public readonly problems: readonly MigrationProblem[]) {
    super(problems.map(String).join('\n'));
    this.name = 'MigrationError';
  }
}

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array';

function kindOf(v: unknown): Kind | 'null' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as Kind;
}

/**
 * Reads fields of one YAML document with types checked: wrong types become errors, fields nobody
 * read become warnings ("ignored"), each naming the file, document index and field path.
 */
export class DocumentReader {
  public readonly errors: MigrationProblem[] = [];
  public readonly warnings: MigrationProblem[] = [];
  private readonly read = new Set<string>();

  constructor(public readonly file: string, public readonly index: number, public readonly doc: Record<string, any>) {}

  /** The value at a dotted path, checked against `kind`; undefined when absent. */
  public get<T = any>(path: string, kind: Kind): T | undefined {
    this.read.add(path);
    let cur: any = this.doc;
    for (const part of path.split('.')) {
      if (cur === undefined || cur === null) return undefined;
      cur = cur[part];
    }
    if (cur === undefined || cur === null) return undefined;
    if (kindOf(cur) !== kind) {
      this.error(path, `must be ${kind === 'array' ? 'a list' : `a ${kind}`}, got ${kindOf(cur)} ${JSON.stringify(cur).slice(0, 60)}`);
      return undefined;
    }
    return cur as T;
  }

  /** Marks a whole subtree as handled (read as a unit). */
  public consume(path: string): void {
    this.read.add(path);
  }

  public error(field: string, message: string): void {
    this.errors.push(new MigrationProblem(this.file, this.index, field, message));
  }

  public warn(field: string, message: string): void {
    this.warnings.push(new MigrationProblem(this.file, this.index, field, message));
  }

  /** Warns for every leaf field under `root` that no one read. */
  public warnUnread(root: string): void {
    const visit = (value: any, path: string) => {
      if ([...this.read].some((r) => r === path || path.startsWith(`${r}.`))) return;
      if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
        for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`);
        return;
      }
      this.warn(path, 'is not mapped by the converter and was ignored');
    };
    const start = root.split('.').reduce((cur: any, p) => cur?.[p], this.doc);
    if (start && typeof start === 'object') for (const [k, v] of Object.entries(start)) visit(v, `${root}.${k}`);
  }
}

const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

/** A Go duration (`1h30m`, `300s`) as a cdk8s Duration; undefined when it is not one. */
export function parseGoDuration(text: string): Duration | undefined {
  if (!GO_DURATION.test(text)) return undefined;
  let ms = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2]];
  return Duration.millis(Math.round(ms));
}

/** Turns a construct's rejection into errors on the document, by OpenFunction field where it can. @internal */
export function reportConstructError(r: DocumentReader, e: unknown): void {
  if (e instanceof PropValidationError) for (const p of e.problems) r.error(p.prop, `${p.problem} (${JSON.stringify(p.value)}); ${p.fix}`);
  else r.error('(document)', (e as Error).message);
}
