import { IConstruct } from 'constructs';

/**
 * Context key: `false` makes a construct with bad props throw from its constructor instead of
 * recording its problems for synth to report with every other construct's. The environment
 * variable `OFN_COLLECT_ERRORS=false` does the same.
 */
export const COLLECT_ERRORS_CONTEXT = 'openfunction-constructs:collectErrors';

const stopped = new WeakSet<IConstruct>();

/** Whether the app of `scope` collects prop errors for synth (the default) rather than throwing. */
export function collectsErrors(scope: IConstruct): boolean {
  if (process.env.OFN_COLLECT_ERRORS === 'false') return false;
  return scope.node.tryGetContext(COLLECT_ERRORS_CONTEXT) !== false;
}

/** Whether `construct` stopped on bad props (and so created none of its objects). */
export function stoppedOnProblems(construct: IConstruct): boolean {
  return stopped.has(construct);
}

/** One bad prop value: where it is, what is wrong and how to fix it. */
export interface PropProblem {
  /** Stable identifier of the kind of problem, e.g. `OFN_GIT_URL`. */
  readonly code: string;
  /** Dotted prop path, e.g. `source.revision`. */
  readonly prop: string;
  /** The value that was given. */
  readonly value: unknown;
  /** What is wrong with it. */
  readonly problem: string;
  /** What to do instead. */
  readonly fix: string;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'toString' in value && value.toString !== Object.prototype.toString) return String(value);
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Renders a problem as `path: prop: problem (got value); fix [code]`. */
export function formatProblem(path: string, p: PropProblem): string {
  return `${path}: ${p.prop}: ${p.problem} (got ${show(p.value)}); ${p.fix} [${p.code}]`;
}

/**
 * Thrown by a construct whose props are invalid; lists every problem, one per line. Thrown from
 * the constructor, so `cdk8s synth` stops before anything is written.
 */
export class PropValidationError extends Error {
  constructor(public readonly constructPath: string, public readonly problems: readonly PropProblem[]) {
    super(problems.map((p) => formatProblem(constructPath, p)).join('\n'));
    this.name = 'PropValidationError';
  }

  /** The codes of all problems, for tests and tooling. */
  public get codes(): string[] {
    return this.problems.map((p) => p.code);
  }
}

/** Collects the problems of one construct's props and throws them together. */
export class PropChecks {
  private readonly problems: PropProblem[] = [];

  /** @param scope the construct (its path names it in messages) or a path for non-construct callers */
  constructor(private readonly scope: IConstruct | string) {}

  /** Records a problem. */
  public add(code: string, prop: string, value: unknown, problem: string, fix: string): void {
    this.problems.push({ code, prop, value, problem, fix });
  }

  /** Records the problems another check found, with their props prefixed by `prefix.` */
  public addAll(problems: readonly PropProblem[], prefix?: string): void {
    for (const p of problems) this.problems.push(prefix ? { ...p, prop: p.prop ? `${prefix}.${p.prop}` : prefix } : p);
  }

  /** Whether any problem was recorded. */
  public get failed(): boolean {
    return this.problems.length > 0;
  }

  /**
   * Ends a constructor's checks: false when nothing was found. Otherwise, when the app collects
   * errors (the default), the problems become the construct's validation errors, which synth
   * reports together with those of every other construct before writing anything, and it
   * returns true so that the constructor returns without creating objects; when the app does not
   * collect errors, it throws a {@link PropValidationError}.
   */
  public stop(): boolean {
    if (this.problems.length === 0) return false;
    if (typeof this.scope === 'string' || !collectsErrors(this.scope)) this.throwIfAny();
    const construct = this.scope as IConstruct;
    const error = new PropValidationError(construct.node.path, [...this.problems]);
    stopped.add(construct);
    construct.node.addValidation({ validate: () => error.message.split('\n') });
    return true;
  }

  /** Throws a {@link PropValidationError} if any problem was recorded. */
  public throwIfAny(): void {
    if (this.problems.length === 0) return;
    const path = typeof this.scope === 'string' ? this.scope : this.scope.node.path;
    throw new PropValidationError(path, this.problems);
  }
}

/** The problems the validations of every construct below `scope` report, as synth runs them. */
export function validationProblems(scope: IConstruct): string[] {
  return scope.node.findAll().flatMap((c) => c.node.validate());
}

/**
 * Runs the validations of every construct below `scope`, as synth does, and throws one error
 * listing all their problems (the problems of every construct with bad props among them).
 */
export function throwIfInvalid(scope: IConstruct): void {
  const errors = validationProblems(scope);
  if (errors.length) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}
