import { createHash, randomBytes } from 'crypto';
import { repositoryOf } from '../../common/image';
import { joinName } from '../../common/names';
import { STATE, WatchedFunctionConfig, WatcherConfig } from './config';
import { GitCredentials, listRefs, resolveRevision } from './git';
import { ApiError, KubeClient, KubeObject, RESOURCES, ResourceType } from './kube';
import { Metrics } from './metrics';
import { credentialsFor, parseImage, RegistryCredentials, resolveDigest } from './registry';

/** Something to log: one JSON line per decision or error. */
export type Logger = (level: 'info' | 'warn' | 'error', fn: WatchedFunctionConfig | undefined, msg: string, extra?: Record<string, unknown>) => void;

/** What one poll of a function decided. */
export type Outcome =
  | 'unchanged' | 'baseline' | 'build-started' | 'build-adopted' | 'building'
  | 'build-failed' | 'rolled-out' | 'built' | 'failed-before';

/** The resolved sources of one revision: `git`, `bundle`, and one entry per watched image. */
export type Sources = Record<string, string>;

const UPDATE_ATTEMPTS = 5;
const TTL_DEFAULT = '168h';

/** The revision id of a set of resolved sources: a hash, stable for the same sources. */
export function revisionOf(sources: Sources): string {
  const text = Object.keys(sources).sort().map((k) => `${k}=${sources[k]}`).join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** The BuildRun name for a revision: the same on every replica and after a restart. */
export function buildRunNameFor(buildName: string, revision: string): string {
  return joinName(buildName, `w${revision.slice(0, 10)}`);
}

/** The Knative revision name for an image digest. */
export function knativeRevisionFor(service: string, digest: string): string {
  return joinName(service, digest.replace(/^sha256:/, '').slice(0, 10));
}

/**
 * Decides and does what one poll of a watched function calls for. Everything it must remember
 * lives in annotations on the Build and the workload, so a restarted agent, or a second replica,
 * picks up where the last left off; BuildRun names derive from the revision, so no revision is
 * ever built twice.
 */
export class Reconciler {
  private readonly timeoutMs: number;

  constructor(private readonly config: WatcherConfig, private readonly kube: KubeClient, private readonly metrics: Metrics, private readonly log: Logger) {
    this.timeoutMs = config.requestTimeoutSeconds * 1000;
  }

  /** One poll of `fn`; throws on anything worth a retry after backoff. */
  public async poll(fn: WatchedFunctionConfig): Promise<Outcome> {
    this.metrics.inc('polls', fn.namespace, fn.name);
    if (fn.serving?.route) await this.syncRoute(fn);
    return fn.mode === 'image' ? this.pollImage(fn) : this.pollSource(fn);
  }

  /**
   * Moves the HTTPRoute from the replaced Knative revision to the new one once Knative reports
   * the new one ready, so the gateway never sends to a revision that cannot answer yet.
   */
  private async syncRoute(fn: WatchedFunctionConfig): Promise<void> {
    const target = fn.serving!;
    const ksvc = await this.kube.get(RESOURCES.knativeService, fn.namespace, target.name);
    const from = ksvc?.metadata.annotations?.[STATE.routeFrom];
    const to: string | undefined = ksvc?.spec?.template?.metadata?.name;
    if (!ksvc || !from || !to || ksvc.status?.latestReadyRevisionName !== to) return;
    const { obj: route, changed } = await this.modify(RESOURCES.httpRoute, fn.namespace, target.route!, (r) => {
      let moved = false;
      for (const rule of (r.spec?.rules ?? []) as { backendRefs?: { name: string }[] }[]) {
        for (const ref of rule.backendRefs ?? []) {
          if (ref.name === from) {
            ref.name = to;
            moved = true;
          }
        }
      }
      return moved;
    });
    if (changed) await this.event(route!, 'Normal', 'RouteMoved', `revision ${from} -> ${to}`);
    await this.annotate(RESOURCES.knativeService, fn.namespace, target.name, (a) => setAll(a, { [STATE.routeFrom]: undefined }));
  }

  /** Records a failed poll on the object holding the function's state, once per distinct error. */
  public async recordError(fn: WatchedFunctionConfig, error: Error): Promise<void> {
    this.metrics.inc('poll_errors', fn.namespace, fn.name);
    const target = fn.mode === 'source' && fn.build ? { type: RESOURCES.build, name: fn.build.name } : fn.serving ? { type: servingType(fn.serving.kind), name: fn.serving.name } : undefined;
    if (!target) return;
    try {
      const message = error.message.slice(0, 1000);
      const changed = await this.annotate(target.type, fn.namespace, target.name, (a) => {
        if (a[STATE.lastError] === message) return false;
        a[STATE.lastError] = message;
        return true;
      });
      if (changed) await this.event(changed, 'Warning', 'PollFailed', message);
    } catch (e) {
      this.log('warn', fn, `could not record the error: ${(e as Error).message}`);
    }
  }

  private async pollSource(fn: WatchedFunctionConfig): Promise<Outcome> {
    if (!fn.build) throw new Error('source mode needs a build');
    const build = await this.kube.get(RESOURCES.build, fn.namespace, fn.build.name);
    if (!build) throw new Error(`Build ${fn.namespace}/${fn.build.name} does not exist (not applied yet?)`);
    const state = build.metadata.annotations ?? {};
    if (state[STATE.phase] === 'Building' && state[STATE.buildRun]) return this.followBuild(fn, state[STATE.buildRun], state[STATE.revision]);

    const sources = await this.resolveSources(fn);
    const revision = revisionOf(sources);
    if (!state[STATE.revision]) {
      // First sight: the synthesized BuildRun builds what is there now.
      await this.annotate(RESOURCES.build, fn.namespace, fn.build.name, (a) => setAll(a, { [STATE.revision]: revision, [STATE.sources]: JSON.stringify(sources), [STATE.phase]: 'Baseline', [STATE.lastError]: undefined }));
      await this.event(build, 'Normal', 'Baseline', `watching ${describe(sources)}`);
      return 'baseline';
    }
    if (state[STATE.revision] === revision) {
      await this.clearError(RESOURCES.build, build, fn);
      return state[STATE.phase] === 'Failed' ? 'failed-before' : 'unchanged';
    }

    this.metrics.inc('changes', fn.namespace, fn.name);
    const runName = buildRunNameFor(fn.build.name, revision);
    let outcome: Outcome = 'build-started';
    try {
      await this.kube.create(RESOURCES.buildRun, fn.namespace, this.buildRun(fn, build, runName, revision, sources));
      this.metrics.inc('builds_started', fn.namespace, fn.name);
    } catch (e) {
      // Another replica, or this agent before a restart, created it: follow that one.
      if (!(e instanceof ApiError && e.status === 409)) throw e;
      outcome = 'build-adopted';
    }
    await this.annotate(RESOURCES.build, fn.namespace, fn.build.name, (a) => setAll(a, {
      [STATE.revision]: revision, [STATE.sources]: JSON.stringify(sources), [STATE.buildRun]: runName, [STATE.phase]: 'Building', [STATE.lastError]: undefined,
    }));
    await this.event(build, 'Normal', 'BuildStarted', `${describe(sources)} changed: BuildRun ${runName}${outcome === 'build-adopted' ? ' (already created)' : ''}`);
    this.log('info', fn, 'build started', { buildRun: runName, sources });
    return outcome;
  }

  private async followBuild(fn: WatchedFunctionConfig, runName: string, revision: string | undefined): Promise<Outcome> {
    const build = fn.build!;
    const run = await this.kube.get(RESOURCES.buildRun, fn.namespace, runName);
    const cond = (run?.status?.conditions as { type: string; status: string; reason?: string; message?: string }[] | undefined)?.find((c) => c.type === 'Succeeded');
    if (run && (!cond || cond.status === 'Unknown')) return 'building';
    const digest: string | undefined = run?.status?.output?.digest;
    if (!run || cond!.status !== 'True' || !digest) {
      const why = !run ? `BuildRun ${runName} is gone before it finished` : cond!.status !== 'True' ? `BuildRun ${runName} failed: ${cond!.reason ?? ''} ${cond!.message ?? ''}`.trim() : `BuildRun ${runName} succeeded without an image digest`;
      const changed = await this.annotate(RESOURCES.build, fn.namespace, build.name, (a) => (a[STATE.buildRun] !== runName || a[STATE.phase] !== 'Building' ? false : setAll(a, { [STATE.phase]: 'Failed', [STATE.lastError]: why.slice(0, 1000) })));
      if (changed) {
        this.metrics.inc('builds_failed', fn.namespace, fn.name);
        await this.event(changed, 'Warning', 'BuildFailed', `${why}; serving left unchanged, next build on the next change`);
        this.log('warn', fn, why);
      }
      return 'build-failed';
    }
    const image = `${repositoryOf(build.outputImage)}@${digest}`;
    if (fn.serving) await this.rollout(fn, image, revision, runName);
    const changed = await this.annotate(RESOURCES.build, fn.namespace, build.name, (a) => (a[STATE.buildRun] !== runName || a[STATE.phase] !== 'Building' ? false : setAll(a, { [STATE.phase]: 'Succeeded' })));
    if (changed) {
      this.metrics.inc('builds_succeeded', fn.namespace, fn.name);
      await this.event(changed, 'Normal', 'BuildSucceeded', `BuildRun ${runName} built ${image}`);
    }
    return fn.serving ? 'rolled-out' : 'built';
  }

  private async pollImage(fn: WatchedFunctionConfig): Promise<Outcome> {
    if (!fn.image || !fn.serving) throw new Error('image mode needs an image and a workload');
    const digest = await this.digest(fn.namespace, fn.image.image, fn.image.credentials);
    const image = `${repositoryOf(fn.image.image)}@${digest}`;
    const rolled = await this.rollout(fn, image, undefined, undefined);
    if (rolled) this.metrics.inc('changes', fn.namespace, fn.name);
    return rolled ? 'rolled-out' : 'unchanged';
  }

  /** Points the workload's container at `image`; false when it already runs it. */
  private async rollout(fn: WatchedFunctionConfig, image: string, revision: string | undefined, runName: string | undefined): Promise<boolean> {
    const target = fn.serving!;
    const type = servingType(target.kind);
    let previous = '';
    const { obj, changed } = await this.modify(type, fn.namespace, target.name, (o) => {
      const template = target.kind === 'ScaledJob' ? o.spec?.jobTargetRef?.template : o.spec?.template;
      const container = (template?.spec?.containers as { name: string; image: string }[] | undefined)?.find((c) => c.name === target.container);
      if (!container) throw new Error(`${target.kind} ${fn.namespace}/${target.name} has no container "${target.container}"`);
      if (container.image === image) return false;
      const annotations = o.metadata.annotations ?? {};
      previous = container.image;
      container.image = image;
      let routeFrom: string | undefined = annotations[STATE.routeFrom];
      if (target.kind === 'Service' && template.metadata?.name) {
        const oldName: string = template.metadata.name;
        const newName = knativeRevisionFor(target.name, image.slice(image.indexOf('@') + 1));
        template.metadata.name = newName;
        // Traffic pinned to the revision being replaced follows it to the new one.
        for (const t of (o.spec.traffic ?? []) as { revisionName?: string }[]) if (t.revisionName === oldName) t.revisionName = newName;
        // The route keeps its backend until the new revision is ready (see syncRoute).
        if (target.route && !routeFrom) routeFrom = oldName;
      }
      o.metadata.annotations = setAllCopy(annotations, { [STATE.image]: image, [STATE.servedRevision]: revision, [STATE.buildRun]: runName, [STATE.lastError]: undefined, [STATE.routeFrom]: routeFrom });
      return true;
    });
    if (!obj) throw new Error(`${target.kind} ${fn.namespace}/${target.name} does not exist (not applied yet?)`);
    if (!changed) {
      await this.clearError(type, obj, fn);
      return false;
    }
    this.metrics.inc('rollouts', fn.namespace, fn.name);
    await this.event(obj, 'Normal', 'RolledOut', `${previous} -> ${image}`);
    this.log('info', fn, 'rolled out', { image, previous });
    return true;
  }

  private async resolveSources(fn: WatchedFunctionConfig): Promise<Sources> {
    const sources: Sources = {};
    if (fn.git) {
      const creds = fn.git.credentials ? await this.gitCredentials(fn.namespace, fn.git.credentials) : undefined;
      sources.git = resolveRevision(await listRefs(fn.git.url, this.timeoutMs, creds), fn.git.revision);
    }
    if (fn.bundle) sources.bundle = await this.digest(fn.namespace, fn.bundle.image, fn.bundle.credentials);
    for (const i of fn.images ?? []) sources[`image:${i.image}`] = await this.digest(fn.namespace, i.image, i.credentials);
    return sources;
  }

  private buildRun(fn: WatchedFunctionConfig, build: KubeObject, name: string, revision: string, sources: Sources): object {
    const { retention, ...spec } = JSON.parse(JSON.stringify(build.spec ?? {}));
    // Build exactly the revision that was seen, not whatever the branch holds when the pod starts.
    if (sources.git && spec.source?.git) spec.source.git.revision = sources.git;
    if (sources.bundle && spec.source?.ociArtifact) spec.source.ociArtifact.image = `${repositoryOf(spec.source.ociArtifact.image)}@${sources.bundle}`;
    for (const p of (spec.paramValues ?? []) as { value?: string }[]) {
      const pinned = p.value !== undefined ? sources[`image:${p.value}`] : undefined;
      if (pinned) p.value = `${repositoryOf(p.value!)}@${pinned}`;
    }
    return {
      apiVersion: 'shipwright.io/v1beta1',
      kind: 'BuildRun',
      metadata: {
        name,
        namespace: fn.namespace,
        labels: { ...build.metadata.labels, 'watcher.openfunction.io/revision': revision },
        annotations: { [STATE.sources]: JSON.stringify(sources) },
        // Garbage-collected with the Build (its spec is embedded, so Shipwright does not link them).
        ownerReferences: build.metadata.uid ? [{ apiVersion: build.apiVersion, kind: build.kind, name: build.metadata.name, uid: build.metadata.uid }] : undefined,
      },
      spec: {
        build: { spec },
        serviceAccount: fn.build!.serviceAccount,
        retention: { ttlAfterSucceeded: retention?.ttlAfterSucceeded ?? TTL_DEFAULT, ttlAfterFailed: retention?.ttlAfterFailed ?? TTL_DEFAULT },
      },
    };
  }

  private async digest(namespace: string, image: string, secret: string | undefined): Promise<string> {
    const ref = parseImage(image);
    let credentials: RegistryCredentials | undefined;
    if (secret) {
      const data = await this.secret(namespace, secret);
      credentials = data['.dockerconfigjson'] ? credentialsFor(data['.dockerconfigjson'], ref.registry) : undefined;
    }
    return resolveDigest(image, { timeoutMs: this.timeoutMs, credentials, insecure: this.config.insecureRegistries.includes(ref.registry) });
  }

  private async gitCredentials(namespace: string, secret: string): Promise<GitCredentials> {
    const data = await this.secret(namespace, secret);
    if (!data.password) throw new Error(`Secret ${namespace}/${secret} has no "password" key (git over HTTP needs a basic-auth Secret)`);
    return { username: data.username, password: data.password };
  }

  private async secret(namespace: string, name: string): Promise<Record<string, string>> {
    const s = await this.kube.get(RESOURCES.secret, namespace, name);
    if (!s) throw new Error(`Secret ${namespace}/${name} does not exist`);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries((s.data ?? {}) as Record<string, string>)) out[k] = Buffer.from(v, 'base64').toString('utf8');
    return out;
  }

  private async clearError(type: ResourceType, obj: KubeObject, fn: WatchedFunctionConfig): Promise<void> {
    if (!obj.metadata.annotations?.[STATE.lastError]) return;
    await this.annotate(type, fn.namespace, obj.metadata.name, (a) => setAll(a, { [STATE.lastError]: undefined }));
  }

  /** Read-modify-write of an object's annotations (see {@link modify}); the updated object, or undefined. */
  private async annotate(type: ResourceType, namespace: string, name: string, change: (a: Record<string, string>) => boolean): Promise<KubeObject | undefined> {
    const { obj, changed } = await this.modify(type, namespace, name, (o) => {
      const annotations = { ...o.metadata.annotations };
      if (!change(annotations)) return false;
      o.metadata.annotations = annotations;
      return true;
    });
    if (!obj) throw new Error(`${type.plural}/${name} in ${namespace} does not exist`);
    return changed ? obj : undefined;
  }

  /**
   * Read-modify-write of an object, retried on a fresh read when the update conflicts. `change`
   * edits the object in place and says whether it changed anything; nothing is written when not.
   * Returns the object as updated (or as read, when unchanged), and undefined when it does not exist.
   */
  private async modify(type: ResourceType, namespace: string, name: string, change: (obj: KubeObject) => boolean): Promise<{ obj?: KubeObject; changed: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const obj = await this.kube.get(type, namespace, name);
      if (!obj || !change(obj)) return { obj, changed: false };
      try {
        return { obj: await this.kube.update(type, obj), changed: true };
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 409) || attempt >= UPDATE_ATTEMPTS) throw e;
      }
    }
  }

  private async event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const now = new Date().toISOString();
    const ns = obj.metadata.namespace!;
    try {
      await this.kube.create(RESOURCES.event, ns, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${obj.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: ns },
        involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: ns, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion },
        reason,
        message: message.slice(0, 1024),
        type,
        source: { component: 'openfunction-watcher' },
        reportingComponent: 'openfunction.io/revision-watcher',
        reportingInstance: this.config.reportingInstance ?? 'revision-watcher',
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      });
    } catch (e) {
      this.log('warn', undefined, `could not record event ${reason}: ${(e as Error).message}`);
    }
  }
}

function servingType(kind: 'Service' | 'Deployment' | 'ScaledJob'): ResourceType {
  return kind === 'Service' ? RESOURCES.knativeService : kind === 'Deployment' ? RESOURCES.deployment : RESOURCES.scaledJob;
}

function setAll(a: Record<string, string>, values: Record<string, string | undefined>): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) {
      if (k in a) {
        delete a[k];
        changed = true;
      }
    } else if (a[k] !== v) {
      a[k] = v;
      changed = true;
    }
  }
  return changed;
}

function setAllCopy(a: Record<string, string>, values: Record<string, string | undefined>): Record<string, string> {
  const out = { ...a };
  setAll(out, values);
  return out;
}

function describe(sources: Sources): string {
  return Object.keys(sources).sort().map((k) => `${k.replace(/^image:/, '')} at ${sources[k].slice(0, 19)}`).join(', ');
}
