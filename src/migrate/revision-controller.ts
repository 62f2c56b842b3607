import { load } from 'js-yaml';
import { parseImageReference } from '../common/image';
import { FunctionProps } from '../function/props';
import { SourceType } from '../function/source';
import { ServingEngine } from '../serving/serving';
import { FunctionWatchOptions, RevisionWatcher } from '../watcher/watcher';
import { DocumentReader, parseGoDuration } from './reader';

const ENABLE = 'openfunction.io/revision-controller';
const PARAMS = 'openfunction.io/revision-controller-params';
const FIELD = (key: string) => `metadata.annotations.${key}`;
/** Parameters the revision controller needs for provider APIs; smart HTTP needs none of them. */
const PROVIDER_PARAMS = ['repo-type', 'base-url', 'auth-type', 'project-id'];

/** Whether an OpenFunction Function document asks for its revision controller. */
export function wantsRevisionController(doc: any): boolean {
  return doc?.metadata?.annotations?.[ENABLE] === 'enable';
}

/** The `revision-controller-params` annotation of `doc` as a map ({} when absent); undefined when it is not a map. */
function parseParams(doc: any): Record<string, string> | undefined {
  const raw = doc?.metadata?.annotations?.[PARAMS];
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = load(String(raw));
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

/** Registries of the documents that ask the controller for `insecure-registry: "true"`. */
export function insecureRegistries(docs: readonly any[]): string[] {
  const out = new Set<string>();
  for (const doc of docs) {
    if (!wantsRevisionController(doc) || parseParams(doc)?.['insecure-registry'] !== 'true') continue;
    for (const image of [doc.spec?.image, doc.spec?.build?.srcRepo?.bundleContainer?.image]) {
      // Invalid references are reported by the Function they belong to.
      const ref = typeof image === 'string' ? parseImageReference(image) : undefined;
      if (ref) out.add(ref.registry ?? 'docker.io');
    }
  }
  return [...out].sort();
}

/**
 * The `watch` prop for a Function whose document enables OpenFunction's revision controller
 * (`openfunction.io/revision-controller: enable`): `source` follows the git branch, `source-image`
 * the bundle image, `image` the served image; the polling interval carries over. Provider
 * parameters are not needed here and are reported as ignored.
 */
export function revisionControllerWatch(r: DocumentReader, props: FunctionProps, watcher: RevisionWatcher | undefined): FunctionWatchOptions | undefined {
  const annotations = r.doc.metadata?.annotations ?? {};
  const enabled = annotations[ENABLE];
  if (enabled === undefined) return undefined;
  if (enabled !== 'enable') {
    r.warn(FIELD(ENABLE), `is "${enabled}", not "enable": the function is not watched`);
    return undefined;
  }
  const params = parseParams(r.doc);
  if (!params) r.error(FIELD(PARAMS), 'is not a YAML map of parameters');
  if (!params || !watcher) return undefined;
  for (const key of Object.keys(params)) {
    if (PROVIDER_PARAMS.includes(key)) r.warn(`${FIELD(PARAMS)}.${key}`, 'is not needed: the watcher reads branches over git\'s smart-HTTP protocol, which every git host serves; give a basic-auth Secret as the source credentials for private repositories');
    else if (!['type', 'polling-interval', 'insecure-registry'].includes(key)) r.warn(`${FIELD(PARAMS)}.${key}`, 'is not a revision controller parameter and was ignored');
  }
  const type = params.type ?? 'source';
  const sourceType = props.source?.type;
  const built = sourceType === SourceType.GIT || sourceType === SourceType.BUNDLE;
  if (type === 'source' && sourceType !== SourceType.GIT) {
    r.error(`${FIELD(PARAMS)}.type`, 'is "source", which follows a git repository, but spec.build.srcRepo has no url');
    return undefined;
  }
  if (type === 'source-image' && sourceType !== SourceType.BUNDLE) {
    r.error(`${FIELD(PARAMS)}.type`, 'is "source-image", which follows a bundle image, but spec.build.srcRepo has no bundleContainer.image');
    return undefined;
  }
  if (type === 'image') {
    if (built) {
      r.warn(`${FIELD(PARAMS)}.type`, 'is "image" on a function with a build, whose image changes with every build here: not watched; use type source or source-image to rebuild on source changes');
      return undefined;
    }
    if (props.serving?.engine === ServingEngine.NONE) {
      r.error(`${FIELD(PARAMS)}.type`, 'is "image", but the function has no serving to redeploy');
      return undefined;
    }
  } else if (type !== 'source' && type !== 'source-image') {
    r.error(`${FIELD(PARAMS)}.type`, `is "${type}"; use source, source-image or image`);
    return undefined;
  }
  if (type === 'source' && /^[0-9a-f]{7,40}$/.test(r.doc.spec?.build?.srcRepo?.revision ?? '')) {
    r.warn(FIELD(ENABLE), 'is set, but spec.build.srcRepo.revision pins a commit, which never changes: not watched (as OpenFunction skips it)');
    return undefined;
  }
  let interval;
  if (params['polling-interval'] !== undefined) {
    interval = parseGoDuration(params['polling-interval']);
    if (!interval || interval.toMilliseconds() < 1000) {
      r.error(`${FIELD(PARAMS)}.polling-interval`, `is "${params['polling-interval']}", not a Go duration of at least 1s`);
      return undefined;
    }
  } else {
    r.warn(`${FIELD(PARAMS)}.polling-interval`, `is not given: OpenFunction polls every 5s, the watcher here every ${watcher.intervalSeconds}s; give polling-interval to choose`);
  }
  // OpenFunction's controller follows only the source, not the builder image.
  return { watcher, interval, builderImage: false };
}
