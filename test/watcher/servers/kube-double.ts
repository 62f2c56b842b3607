import * as http from 'http';
import { AddressInfo } from 'net';

/** One request the double answered. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body?: any;
}

/** An RBAC rule, as a Role lists it. */
export interface PolicyRule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly resourceNames?: string[];
  readonly verbs: string[];
}

type Fault = { method: string; pattern: RegExp; status: number; reason: string; times: number; before?: () => void };

const VERBS: Record<string, string> = { GET: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/**
 * A Kubernetes API server double on 127.0.0.1: namespaced objects of any group, resourceVersion
 * checked on every update (409 Conflict when stale), 409 AlreadyExists on a taken name, RBAC
 * enforced from Role rules when given (403 otherwise), faults injected on demand, every request
 * recorded.
 */
export class KubeDouble {
  public readonly requests: RecordedRequest[] = [];
  private readonly objects = new Map<string, any>();
  private version = 100;
  private faults: Fault[] = [];
  private server?: http.Server;
  private rules?: Map<string, PolicyRule[]>;

  /** Starts listening; returns the base URL. */
  public async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => this.handle(req.method ?? 'GET', req.url ?? '/', chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined, res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Enforces RBAC: only what these Roles (per namespace) allow; anything else is 403. */
  public enforce(rolesByNamespace: Record<string, PolicyRule[]>): void {
    this.rules = new Map(Object.entries(rolesByNamespace));
  }

  /** Puts an object straight into the store (as `kubectl apply` would); returns it. */
  public put(path: string, obj: any): any {
    const stored = { ...obj, metadata: { uid: `uid-${this.version}`, ...obj.metadata, resourceVersion: String(++this.version) } };
    this.objects.set(path, stored);
    return JSON.parse(JSON.stringify(stored));
  }

  /** A copy of the stored object at `path`. */
  public get(path: string): any {
    const o = this.objects.get(path);
    return o === undefined ? undefined : JSON.parse(JSON.stringify(o));
  }

  /** Edits the stored object in place (as a controller would), bumping its resourceVersion. */
  public edit(path: string, change: (obj: any) => void): void {
    const o = this.get(path);
    if (!o) throw new Error(`no object at ${path}`);
    change(o);
    this.put(path, o);
  }

  /** Paths of stored objects under `prefix`. */
  public list(prefix: string): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  /** Answers the next `times` matching requests with `status` (after running `before`, if given). */
  public fail(method: string, pattern: RegExp, status: number, reason: string, times = 1, before?: () => void): void {
    this.faults.push({ method, pattern, status, reason, times, before });
  }

  /** Successful requests of `method` whose path matches. */
  public count(method: string, pattern: RegExp, status?: number): number {
    return this.requests.filter((r) => r.method === method && pattern.test(r.path) && (status === undefined ? r.status < 300 : r.status === status)).length;
  }

  private handle(method: string, url: string, body: string | undefined, res: http.ServerResponse): void {
    const path = url.split('?')[0];
    const parsed = body ? JSON.parse(body) : undefined;
    const answer = (status: number, payload: unknown) => {
      this.requests.push({ method, path, status, body: parsed });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    };
    const status = (code: number, reason: string, message: string) => answer(code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (!m) return status(404, 'NotFound', `no route ${path}`);
    const [, coreVersion, group = '', , namespace, resource, name] = m;
    void coreVersion;
    if (this.rules && !this.allowed(namespace, group, resource, name, VERBS[method] ?? method.toLowerCase())) {
      return status(403, 'Forbidden', `${method} ${path} is forbidden by the Role`);
    }
    const fault = this.faults.find((f) => f.method === method && f.pattern.test(path) && f.times > 0);
    if (fault) {
      fault.times--;
      fault.before?.();
      return status(fault.status, fault.reason, 'injected fault');
    }
    if (method === 'GET' && name) {
      const o = this.objects.get(path);
      return o ? answer(200, o) : status(404, 'NotFound', `${resource} "${name}" not found`);
    }
    if (method === 'POST' && !name) {
      const objName = parsed?.metadata?.name;
      if (!objName) return status(422, 'Invalid', 'metadata.name is required');
      const key = `${path}/${objName}`;
      if (this.objects.has(key)) return status(409, 'AlreadyExists', `${resource} "${objName}" already exists`);
      return answer(201, this.put(key, { ...parsed, metadata: { ...parsed.metadata, namespace } }));
    }
    if (method === 'PUT' && name) {
      const current = this.objects.get(path);
      if (!current) return status(404, 'NotFound', `${resource} "${name}" not found`);
      if (parsed?.metadata?.resourceVersion !== current.metadata.resourceVersion) {
        return status(409, 'Conflict', `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
      }
      // Status is a subresource: a plain update keeps the stored status.
      return answer(200, this.put(path, { ...parsed, status: current.status, metadata: { ...parsed.metadata, uid: current.metadata.uid } }));
    }
    return status(405, 'MethodNotAllowed', `${method} ${path}`);
  }

  private allowed(namespace: string, group: string, resource: string, name: string | undefined, verb: string): boolean {
    return (this.rules!.get(namespace) ?? []).some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb)
      && (!r.resourceNames || (name !== undefined && r.resourceNames.includes(name))));
  }
}
