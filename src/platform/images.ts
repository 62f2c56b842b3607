import { parseImageReference } from '../common/image';
import { KubeObject } from '../validation/validator';

/** Kinds whose pod templates hold containers, and where the pod spec sits. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Pod: ['spec'],
};

/** The pod spec of a workload object, if it has one. */
export function podSpecOf(obj: KubeObject): Record<string, any> | undefined {
  const p = POD_SPEC_PATHS[obj.kind ?? ''];
  if (!p) return undefined;
  let cur: any = obj;
  for (const k of p) cur = cur?.[k];
  return cur && typeof cur === 'object' ? cur : undefined;
}

function looksLikeImage(value: unknown): value is string {
  return typeof value === 'string' && (value.startsWith('ko://') || (/^[a-z0-9.-]+\.[a-z]{2,}(:\d+)?\//.test(value) && parseImageReference(value) !== undefined));
}

/**
 * Visits every image reference in `obj`: container images, image-valued env vars and flags of
 * containers (controllers that start other images), image keys of ConfigMaps (Knative's
 * queue-proxy) and `spec.image` of Knative's caching Image. `replace` may return a new reference.
 */
export function visitImages(obj: KubeObject, replace: (image: string) => string | void): void {
  const swap = (holder: Record<string, any>, key: string | number) => {
    const v = holder[key];
    const next = replace(v);
    if (typeof next === 'string') holder[key] = next;
  };
  const pod = podSpecOf(obj);
  if (pod) {
    for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
      for (const c of pod[list] ?? []) {
        if (typeof c.image === 'string') swap(c, 'image');
        for (const e of c.env ?? []) if (/IMAGE/i.test(e.name ?? '') && looksLikeImage(e.value)) swap(e, 'value');
        const args: unknown[] = c.args ?? [];
        for (let i = 0; i < args.length; i++) {
          const a = args[i];
          if (typeof a !== 'string') continue;
          const eq = /^(--?[\w-]*image[\w-]*=)(.+)$/i.exec(a);
          if (eq && looksLikeImage(eq[2])) {
            const next = replace(eq[2]);
            if (typeof next === 'string') args[i] = eq[1] + next;
          } else if (/^--?[\w-]*image[\w-]*$/i.test(a) && looksLikeImage(args[i + 1])) {
            swap(args as any[], i + 1);
            i++;
          }
        }
      }
    }
  }
  if (obj.kind === 'ConfigMap') {
    const data = (obj as any).data ?? {};
    for (const key of Object.keys(data)) if (/image$/i.test(key) && looksLikeImage(data[key])) swap(data, key);
  }
  if (obj.kind === 'Image' && typeof (obj as any).spec?.image === 'string') swap((obj as any).spec, 'image');
}

/** Every image `objects` use, sorted and de-duplicated. */
export function imagesOf(objects: readonly KubeObject[]): string[] {
  const out = new Set<string>();
  for (const o of objects) visitImages(o, (image) => void out.add(image));
  return [...out].sort();
}

/** Where images are pulled from instead of their registries (mirrors, air-gapped registries). */
export interface RegistryRewrite {
  /**
   * Registry host -> replacement prefix (`host[:port][/path]`), e.g. `{ 'gcr.io': 'mirror.example.com/gcr' }`;
   * the key `*` applies to every registry not listed. Docker Hub images count as `docker.io`.
   */
  readonly registries: Record<string, string>;
}

/** Why a rewrite target is not a `host[:port][/path]` prefix, or undefined. */
export function rewriteTargetProblem(target: string): string | undefined {
  if (!/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/.test(target)) return 'is not a registry prefix host[:port][/path] (lower case, no scheme, no tag)';
  if (!target.split('/')[0].includes('.') && !target.includes(':') && target.split('/')[0] !== 'localhost') return 'does not start with a registry host (it needs a dot, a port or localhost)';
  return undefined;
}

/** `image` pulled through `rewrite`; `ko://` and unparseable references are kept. */
export function rewriteImage(image: string, rewrite: RegistryRewrite): string {
  const ref = parseImageReference(image);
  if (!ref) return image;
  const registry = ref.registry ?? 'docker.io';
  const repository = !ref.registry && !ref.repository.includes('/') ? `library/${ref.repository}` : ref.repository;
  const target = rewrite.registries[registry] ?? rewrite.registries['*'];
  if (!target) return image;
  return `${target}/${repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}
