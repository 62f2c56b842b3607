import { App, Chart } from 'cdk8s';
import { loadAll } from 'js-yaml';
import { COLLECT_ERRORS_CONTEXT } from '../common/errors';
import { Function } from '../function/function';
import { FunctionGateway } from '../routing/gateway';
import { RevisionWatcher } from '../watcher/watcher';
import { convertV1beta1, convertV1beta2 } from './function-mapping';
import { DocumentReader, MigrationError, MigrationProblem, reportConstructError } from './reader';
import { insecureRegistries, wantsRevisionController } from './revision-controller';



/** One YAML document of an input, with where it came from. */
export interface SourceDocument {
  readonly file: string;
  /** 0-based position in the file. */
  readonly index: number;
  readonly doc: unknown;
}

/** What a conversion produced. */
export interface ConversionResult {
  /** The app holding the converted constructs (synthesize or read its charts). */
  readonly app: App;
  readonly functions: Function[];
  readonly gateways: FunctionGateway[];
  /** The watcher of the Functions that enable OpenFunction's revision controller, if any. */
  readonly revisionWatcher?: RevisionWatcher;
  /** Fields that were ignored or changed in meaning, one per field. */
  readonly warnings: MigrationProblem[];
}

/** The documents of a YAML text; text that is not YAML is an error naming the file. */
export function parseDocuments(text: string, file: string): SourceDocument[] {
  try {
    return (loadAll(text) as unknown[]).map((doc, index) => ({ file, index, doc })).filter((d) => d.doc !== null && d.doc !== undefined);
  } catch (e) {
    throw new MigrationError([new MigrationProblem(file, 0, '(document)', `is not YAML: ${(e as Error).message.split('\n')[0]}`)]);
  }
}

/**
 * Converts OpenFunction `Function` (core.openfunction.io v1beta1 and v1beta2) and `Gateway`
 * (networking.openfunction.io/v1alpha1) documents into this library's constructs, in a new App:
 * every field is mapped, or reported as a warning (ignored) or an error (its meaning would be
 * lost). Throws a {@link MigrationError} listing every error of every document.
 */
export function convert(documents: readonly SourceDocument[], app: App = new App({ outdir: '.' })): ConversionResult {
  const errors: MigrationProblem[] = [];
  const warnings: MigrationProblem[] = [];
  const chart = new Chart(app, 'converted');
  // Each construct's problems are needed as it is made, to name the document and field they come from.
  chart.node.setContext(COLLECT_ERRORS_CONTEXT, false);
  const gateways = new Map<string, FunctionGateway>();
  const functions: Function[] = [];
  const readers: DocumentReader[] = [];

  for (const d of documents) {
    if (!d.doc || typeof d.doc !== 'object' || Array.isArray(d.doc)) {
      errors.push(new MigrationProblem(d.file, d.index, '(document)', 'is not a Kubernetes object'));
      continue;
    }
    const r = new DocumentReader(d.file, d.index, d.doc as Record<string, any>);
    readers.push(r);
    const apiVersion = r.get<string>('apiVersion', 'string');
    const kind = r.get<string>('kind', 'string');
    r.consume('metadata');
    const name = r.get<string>('metadata.name', 'string');
    if (!name) r.error('metadata.name', 'is required');
    if (kind === 'Gateway' && apiVersion === 'networking.openfunction.io/v1alpha1') {
      if (name) convertGateway(r, chart, name, gateways);
    } else if (kind === 'Function' && (apiVersion === 'core.openfunction.io/v1beta2' || apiVersion === 'core.openfunction.io/v1beta1')) {
      // Functions after gateways, so routes find them whatever the document order.
    } else {
      r.error(apiVersion ? 'kind' : 'apiVersion', `${apiVersion ?? '(none)'} ${kind ?? '(none)'} is not an OpenFunction Function (core.openfunction.io/v1beta1, v1beta2) or Gateway (networking.openfunction.io/v1alpha1)`);
    }
  }
  // OpenFunction's revision controller, where a Function asks for it, becomes one RevisionWatcher.
  const controlled = readers.filter((r) => r.doc.kind === 'Function' && wantsRevisionController(r.doc)).map((r) => r.doc);
  const revisionWatcher = controlled.length
    ? new RevisionWatcher(chart, 'revision-watcher', { namespace: 'openfunction', insecureRegistries: insecureRegistries(controlled) })
    : undefined;
  for (const r of readers) {
    if (r.doc.kind !== 'Function' || !String(r.doc.apiVersion).startsWith('core.openfunction.io/') || r.errors.length) continue;
    const fn = r.doc.apiVersion === 'core.openfunction.io/v1beta1' ? convertV1beta1(r, chart, gateways) : convertV1beta2(r, chart, gateways);
    if (fn) functions.push(fn);
  }
  for (const r of readers) {
    errors.push(...r.errors);
    warnings.push(...r.warnings);
  }
  if (errors.length) throw new MigrationError(errors);
  return { app, functions, gateways: [...gateways.values()], revisionWatcher, warnings };
}

function convertGateway(r: DocumentReader, chart: Chart, name: string, gateways: Map<string, FunctionGateway>): void {
  const namespace = r.get<string>('metadata.namespace', 'string') ?? 'default';
  const domain = r.get<string>('spec.domain', 'string');
  if (!domain) return r.error('spec.domain', 'is required');
  const ref = r.get<Record<string, string>>('spec.gatewayRef', 'object');
  const def = r.get<Record<string, string>>('spec.gatewayDef', 'object');
  if (!ref === !def) return r.error('spec.gatewayRef', 'exactly one of gatewayRef and gatewayDef is required');
  r.consume('spec.gatewaySpec');
  if (r.doc.spec?.gatewaySpec) r.warn('spec.gatewaySpec', 'listeners are not copied: the gateway gets HTTP listeners for the domain and the cluster domain');
  r.consume('spec.httpRouteLabelKey');
  try {
    const gw = new FunctionGateway(chart, `gateway-${namespace}-${name}`, {
      name: def?.name ?? name,
      namespace: def?.namespace ?? namespace,
      domain,
      clusterDomain: r.get('spec.clusterDomain', 'string'),
      hostTemplate: r.get('spec.hostTemplate', 'string'),
      pathTemplate: r.get('spec.pathTemplate', 'string'),
      gatewayClassName: def ? def.gatewayClassName ?? 'contour' : undefined,
      existingGateway: ref ? { name: ref.name, namespace: ref.namespace ?? namespace } : undefined,
      knativeDomainConfig: false,
    });
    gateways.set(`${namespace}/${name}`, gw);
  } catch (e) {
    reportConstructError(r, e);
  }
  r.warnUnread('spec');
}


