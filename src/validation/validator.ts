import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { JsonSchema, toStrictSchema } from './structural';

/** One schema problem of one object. */
export class ValidationProblem {
  /**
   * @param object `Kind/namespace/name` (or `Kind/name` without a namespace) of the object
   * @param path dotted path inside the object, e.g. `spec.template.spec.containers[0].image`
   * @param message what is wrong and, where it helps, what would be right
   */
  constructor(public readonly object: string, public readonly path: string, public readonly message: string) {}

  /** `Kind/namespace/name: path: message`. */
  public toString(): string {
    return `${this.object}: ${this.path || '(root)'}: ${this.message}`;
  }
}

/** A Kubernetes object as plain JSON. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

interface IndexEntry {
  readonly validator: string;
  readonly export?: string;
  readonly namespaced: boolean;
  readonly schema: string;
}

type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

function findGeneratedDir(): string {
  // src/validation (ts) and lib/src/validation (js) sit at different depths below the package root.
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'imports', 'schemas', 'index.json');
    if (fs.existsSync(candidate)) return path.join(dir, 'imports');
    dir = path.dirname(dir);
  }
  throw new Error('openfunction-constructs: generated schemas not found (imports/schemas/index.json); run `npm run import`');
}

/** Dotted path from an ajv JSON pointer: `/spec/containers/0/image` -> `spec.containers[0].image`. */
export function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

function join(base: string, key: string): string {
  return pointerToPath(`${base}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
}

function valueAt(data: unknown, pointer: string): unknown {
  let cur: any = data;
  for (const raw of pointer.split('/').slice(1)) {
    if (cur === null || cur === undefined) return undefined;
    cur = cur[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function stripNulls(value: unknown): unknown {
  // The API server drops null-valued fields that are not nullable before validating.
  if (Array.isArray(value)) return value.map(stripNulls);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== null) out[k] = stripNulls(v);
    }
    return out;
  }
  return value;
}

function translate(error: ErrorObject, data: unknown): { path: string; message: string } | undefined {
  const at = error.instancePath;
  const value = valueAt(data, at);
  const p = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'required':
      return { path: join(at, p.missingProperty), message: 'required field is missing' };
    case 'additionalProperties':
      return { path: join(at, p.additionalProperty), message: 'unknown field: the schema does not define it (check the spelling and the apiVersion); the API server would reject or drop it' };
    case 'enum':
      return { path: pointerToPath(at), message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}; got ${describe(value)}` };
    case 'const':
      return { path: pointerToPath(at), message: `must be ${JSON.stringify(p.allowedValue)}; got ${describe(value)}` };
    case 'type':
      return { path: pointerToPath(at), message: `must be ${[].concat(p.type).join(' or ')}; got ${jsonType(value)} ${describe(value)}` };
    case 'propertyNames':
      return { path: join(at, p.propertyName), message: 'invalid key' };
    case 'pattern':
      if (error.propertyName !== undefined) return undefined; // reported by propertyNames
      return { path: pointerToPath(at), message: `must match ${p.pattern}; got ${describe(value)}` };
    case 'anyOf':
    case 'oneOf':
      return { path: pointerToPath(at), message: `must match ${error.keyword === 'oneOf' ? 'exactly one' : 'at least one'} of the allowed shapes` };
    default:
      if (error.propertyName !== undefined) return undefined;
      return { path: pointerToPath(at), message: `${error.message ?? error.keyword}; got ${describe(value)}` };
  }
}

/** Options for {@link SchemaValidator}. */
export interface SchemaValidatorOptions {
  /**
   * Directory of generated schemas and validators (the package's `imports/`).
   * @default - the directory shipped with this package
   */
  readonly generatedDir?: string;
}

/**
 * Checks Kubernetes objects against the upstream schemas: CRD openAPIV3Schemas for custom kinds,
 * the Kubernetes OpenAPI for core kinds. Strict like the API server's `fieldValidation=Strict`:
 * unknown fields are errors unless the schema preserves them. Objects of a kind with no schema
 * are reported, never passed.
 *
 * Validators are compiled ahead of time by `npm run import` and loaded per kind on first use.
 */
export class SchemaValidator {
  private static sharedInstance?: SchemaValidator;

  /** The process-wide validator over the schemas shipped with this package. */
  public static get default(): SchemaValidator {
    SchemaValidator.sharedInstance ??= new SchemaValidator();
    return SchemaValidator.sharedInstance;
  }

  private readonly dir: string;
  private readonly index: Record<string, IndexEntry>;
  private readonly loaded = new Map<string, Validate>();
  private readonly extra = new Map<string, Validate>();
  private readonly extraClusterScoped = new Set<string>();
  private readonly pending = new Map<string, () => Validate>();
  private runtimeAjv?: Ajv;

  constructor(options: SchemaValidatorOptions = {}) {
    this.dir = options.generatedDir ?? findGeneratedDir();
    this.index = JSON.parse(fs.readFileSync(path.join(this.dir, 'schemas', 'index.json'), 'utf8'));
  }

  /** Every `apiVersion/kind` this validator has a schema for, sorted. */
  public get knownKinds(): string[] {
    return [...new Set([...Object.keys(this.index), ...this.extra.keys(), ...this.pending.keys()])].sort();
  }

  /** Whether `apiVersion` + `kind` has a schema. */
  public knows(apiVersion: string, kind: string): boolean {
    const key = `${apiVersion}/${kind}`;
    return key in this.index || this.extra.has(key) || this.pending.has(key);
  }

  /**
   * Adds the kinds a CustomResourceDefinition defines (every served version), e.g. for a platform
   * component's own CRDs. Compiled at run time, so slower than the shipped kinds.
   */
  public addCustomResourceDefinition(crd: KubeObject): void {
    const spec = crd.spec as any;
    if (crd.kind !== 'CustomResourceDefinition' || !spec?.group || !spec?.names?.kind) {
      throw new Error(`addCustomResourceDefinition: ${crd.kind}/${crd.metadata?.name ?? '?'} is not a CustomResourceDefinition`);
    }
    for (const v of spec.versions ?? []) {
      if (!v.served) continue;
      const key = `${spec.group}/${v.name}/${spec.names.kind}`;
      // Compiled on first use: a platform brings dozens of large CRDs, few of whose kinds it emits.
      this.pending.set(key, () => {
        this.runtimeAjv ??= new Ajv({ allErrors: true, strict: false, validateFormats: false });
        const meta = JSON.parse(fs.readFileSync(path.join(this.dir, 'schemas', 'core', 'definitions.json'), 'utf8'));
        const metaDefinitions = Object.fromEntries(Object.entries(meta).filter(([k]) => ['V1ObjectMeta', 'V1ManagedFieldsEntry', 'V1OwnerReference'].includes(k))) as Record<string, JsonSchema>;
        const schema = v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
        const strict = toStrictSchema(schema, { apiVersion: `${spec.group}/${v.name}`, kind: spec.names.kind, metaDefinitions, objectMetaRef: '#/definitions/V1ObjectMeta' });
        return this.runtimeAjv.compile(strict) as ValidateFunction;
      });
      if (spec.scope === 'Cluster') this.extraClusterScoped.add(key);
    }
  }

  /** Validates one object; returns its problems (empty when valid). */
  public validateObject(obj: KubeObject): ValidationProblem[] {
    const id = objectId(obj);
    if (!obj || typeof obj !== 'object') return [new ValidationProblem(String(obj), '', 'not an object')];
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      return [new ValidationProblem(id, typeof obj.apiVersion !== 'string' ? 'apiVersion' : 'kind', 'required field is missing')];
    }
    const validate = this.validatorFor(obj.apiVersion, obj.kind);
    if (!validate) {
      const sameKind = this.knownKinds.filter((k) => k.endsWith(`/${obj.kind}`)).map((k) => k.slice(0, -obj.kind!.length - 1));
      const hint = sameKind.length
        ? `known apiVersions for ${obj.kind}: ${sameKind.join(', ')}`
        : 'no schema is known for this kind; add its CustomResourceDefinition with SchemaValidator.addCustomResourceDefinition()';
      return [new ValidationProblem(id, 'apiVersion', `no schema for ${obj.apiVersion} ${obj.kind}; ${hint}`)];
    }
    const data = stripNulls(obj);
    const problems: ValidationProblem[] = [];
    if (obj.metadata?.namespace !== undefined && this.isClusterScoped(obj.apiVersion, obj.kind)) {
      problems.push(new ValidationProblem(id, 'metadata.namespace', `${obj.kind} is cluster-scoped and takes no namespace; remove it`));
    }
    if (validate(data)) return problems;
    const seen = new Set<string>();
    for (const error of validate.errors ?? []) {
      const t = translate(error, data);
      if (!t) continue;
      const key = `${t.path}\0${t.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(new ValidationProblem(id, t.path, t.message));
    }
    return problems;
  }

  /** Validates plain objects. */
  public validateObjects(objects: readonly KubeObject[]): ValidationProblem[] {
    return objects.flatMap((o) => this.validateObject(o));
  }

  /** Validates everything a chart synthesizes. */
  public validateChart(chart: Chart): ValidationProblem[] {
    return this.validateObjects(chartObjects(chart));
  }

  /** Validates everything an app synthesizes, chart by chart. */
  public validateApp(app: App): ValidationProblem[] {
    return app.charts.flatMap((c) => this.validateChart(c));
  }

  private isClusterScoped(apiVersion: string, kind: string): boolean {
    const key = `${apiVersion}/${kind}`;
    if (this.extra.has(key) || this.pending.has(key)) return this.extraClusterScoped.has(key);
    return this.index[key]?.namespaced === false;
  }

  private validatorFor(apiVersion: string, kind: string): Validate | undefined {
    const key = `${apiVersion}/${kind}`;
    const extra = this.extra.get(key);
    if (extra) return extra;
    const entry = this.index[key];
    if (!entry) {
      // Kinds the shipped schemas do not cover: compile the added CRD's schema on first use.
      const compile = this.pending.get(key);
      if (!compile) return undefined;
      const fn = compile();
      this.extra.set(key, fn);
      this.pending.delete(key);
      return fn;
    }
    let fn = this.loaded.get(key);
    if (!fn) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(this.dir, 'validators', `${entry.validator}.js`));
      fn = (entry.export ? mod[entry.export] : mod) as Validate;
      this.loaded.set(key, fn);
    }
    return fn;
  }
}

/**
 * The JSON of every ApiObject of `chart` (not of nested charts). Unlike `chart.toJson()`, this
 * does not run the app's validations, so it can be called from one.
 */
export function chartObjects(chart: Chart): KubeObject[] {
  return chart.node.findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
    .map((o) => o.toJson());
}

/** `Kind/namespace/name`, or `Kind/name` for an object without a namespace. */
export function objectId(obj: KubeObject): string {
  const kind = obj?.kind ?? '(no kind)';
  const name = obj?.metadata?.name ?? '(no name)';
  return obj?.metadata?.namespace ? `${kind}/${obj.metadata.namespace}/${name}` : `${kind}/${name}`;
}

/** Context key and environment variable that switch synth-time schema validation off. */
export const SCHEMA_VALIDATION_CONTEXT = 'openfunction-constructs:schemaValidation';
/** Set to `false` (or `0`/`off`) to skip synth-time schema validation. */
export const SCHEMA_VALIDATION_ENV = 'OFN_SCHEMA_VALIDATION';

const chartValidators = new WeakMap<Chart, SchemaValidator | undefined>();

/** Options for {@link SchemaValidation.addTo}. */
export interface SchemaValidationOptions {
  /**
   * The validator to use.
   * @default SchemaValidator.default
   */
  readonly validator?: SchemaValidator;
}

/**
 * Synth-time schema validation of a chart: every object the chart emits is checked when the app
 * synthesizes, before any file is written; problems fail the synth with one line per problem.
 *
 * The library's constructs add it to their chart automatically. Switch it off for an app with
 * `app.node.setContext('openfunction-constructs:schemaValidation', false)` (before adding charts) or
 * the environment variable `OFN_SCHEMA_VALIDATION=false`.
 */
export class SchemaValidation {
  /**
   * Adds the validation to `chart` (once). A later call with a `validator` makes the chart use that
   * validator (for charts with kinds of their own CRDs, like the platform's).
   */
  public static addTo(chart: Chart, options: SchemaValidationOptions = {}): void {
    if (chartValidators.has(chart)) {
      if (options.validator) chartValidators.set(chart, options.validator);
      return;
    }
    chartValidators.set(chart, options.validator);
    chart.node.addValidation({
      validate: () => {
        if (!SchemaValidation.isEnabled(chart)) return [];
        const validator = chartValidators.get(chart) ?? SchemaValidator.default;
        return validator.validateChart(chart).map((p) => p.toString());
      },
    });
  }

  /** Whether synth-time validation is on for `scope` (context first, then the environment). */
  public static isEnabled(scope: IConstruct): boolean {
    const ctx = scope.node.tryGetContext(SCHEMA_VALIDATION_CONTEXT);
    if (ctx !== undefined) return !(ctx === false || ctx === 'false');
    const env = process.env[SCHEMA_VALIDATION_ENV];
    if (env !== undefined) return !['false', '0', 'off', 'no'].includes(env.toLowerCase());
    return true;
  }
}
