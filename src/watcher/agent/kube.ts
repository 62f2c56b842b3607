import { readFileSync } from 'fs';
import { send } from './http';

/** A Kubernetes object, as far as the agent reads it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: any;
}

/** An API call that the server answered with an error status. */
export class ApiError extends Error {
  constructor(public readonly status: number, public readonly reason: string, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Where a kind lives in the API. */
export interface ResourceType {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  /** Lower-case plural, as in RBAC rules. */
  readonly plural: string;
}

/** How to reach the API server. */
export interface KubeConnection {
  /** e.g. https://10.0.0.1:443 */
  readonly server: string;
  /** File holding the bearer token (re-read as it rotates), if any. */
  readonly tokenFile?: string;
  readonly timeoutMs: number;
}

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The in-cluster connection (CA via NODE_EXTRA_CA_CERTS, which the Deployment sets). */
export function inClusterConnection(timeoutMs: number): KubeConnection {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) throw new Error('KUBERNETES_SERVICE_HOST is not set: not running in a cluster, and no apiServer configured');
  return { server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`, tokenFile: `${SERVICE_ACCOUNT}/token`, timeoutMs };
}

/** The few API calls the agent makes, with the status codes it must tell apart. */
export class KubeClient {
  private token?: { value: string; read: number };

  constructor(private readonly conn: KubeConnection) {}

  /** GET one object; undefined when it does not exist. */
  public async get(type: ResourceType, namespace: string, name: string): Promise<KubeObject | undefined> {
    try {
      return await this.call('GET', this.path(type, namespace, name));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return undefined;
      throw e;
    }
  }

  /** POST a new object; `ApiError` 409 AlreadyExists when the name is taken. */
  public create(type: ResourceType, namespace: string, obj: object): Promise<KubeObject> {
    return this.call('POST', this.path(type, namespace), obj);
  }

  /** PUT an object back; `ApiError` 409 Conflict when its resourceVersion is stale. */
  public update(type: ResourceType, obj: KubeObject): Promise<KubeObject> {
    return this.call('PUT', this.path(type, obj.metadata.namespace!, obj.metadata.name), obj);
  }

  private path(t: ResourceType, namespace: string, name?: string): string {
    const root = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
    return `${root}/namespaces/${encodeURIComponent(namespace)}/${t.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
  }

  private bearer(): string | undefined {
    if (!this.conn.tokenFile) return undefined;
    const now = Date.now();
    if (!this.token || now - this.token.read > 60_000) {
      this.token = { value: readFileSync(this.conn.tokenFile, 'utf8').trim(), read: now };
    }
    return this.token.value;
  }

  private async call(method: string, path: string, body?: object): Promise<KubeObject> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.bearer();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body) headers['content-type'] = 'application/json';
    const res = await send(`${this.conn.server}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined, timeoutMs: this.conn.timeoutMs, maxRedirects: 0 });
    let parsed: any;
    try {
      parsed = res.body.length ? JSON.parse(res.body.toString('utf8')) : {};
    } catch {
      parsed = {};
    }
    if (res.status >= 200 && res.status < 300) return parsed;
    throw new ApiError(res.status, parsed.reason ?? `HTTP${res.status}`, `${method} ${path}: ${res.status} ${parsed.reason ?? ''} ${parsed.message ?? ''}`.trim());
  }
}

/** Resource types the agent touches. */
export const RESOURCES = {
  build: { group: 'shipwright.io', version: 'v1beta1', plural: 'builds' },
  buildRun: { group: 'shipwright.io', version: 'v1beta1', plural: 'buildruns' },
  knativeService: { group: 'serving.knative.dev', version: 'v1', plural: 'services' },
  deployment: { group: 'apps', version: 'v1', plural: 'deployments' },
  scaledJob: { group: 'keda.sh', version: 'v1alpha1', plural: 'scaledjobs' },
  httpRoute: { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes' },
  secret: { group: '', version: 'v1', plural: 'secrets' },
  event: { group: '', version: 'v1', plural: 'events' },
} as const satisfies Record<string, ResourceType>;
