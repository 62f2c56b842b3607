import { ChildProcess, execFileSync, spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** Whether Debian's `docker-registry` is installed. */
export function hasDockerRegistry(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v docker-registry'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function request(method: string, url: string, body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const r = http.request(url, { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    r.on('error', reject);
    if (body) r.write(body);
    r.end();
  });
}

/**
 * Debian's `docker-registry` (the CNCF distribution registry) on 127.0.0.1 with filesystem
 * storage in a temporary directory; images are pushed through its HTTP API.
 */
export class Registry {
  public host = '';
  private proc?: ChildProcess;
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-registry-'));
  private port = 0;

  public async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    this.host = `127.0.0.1:${this.port}`;
    const config = path.join(this.dir, 'config.yml');
    fs.writeFileSync(config, [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(this.dir, 'data')}`,
      'http:',
      `  addr: ${this.host}`,
      '',
    ].join('\n'));
    this.proc = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    this.proc.stderr!.on('data', (c) => (stderr += c));
    for (let i = 0; i < 100; i++) {
      try {
        const r = await request('GET', `http://${this.host}/v2/`);
        if (r.status === 200) return;
      } catch {
        // not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`docker-registry did not start: ${stderr}`);
  }

  /** Stops the registry (its data stays, so `start` brings the same images back). */
  public async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  }

  public cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Pushes a one-layer image whose layer holds `content`; returns the manifest digest. */
  public async push(repository: string, tag: string, content: string): Promise<string> {
    const layer = Buffer.from(content);
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [digestOf(layer)] }, config: {} }));
    for (const blob of [layer, config]) await this.pushBlob(repository, blob);
    const manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: digestOf(layer), size: layer.length }],
    }));
    const r = await request('PUT', `http://${this.host}/v2/${repository}/manifests/${tag}`, manifest, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
    if (r.status !== 201) throw new Error(`manifest push: ${r.status} ${r.body}`);
    return String(r.headers['docker-content-digest']);
  }

  private async pushBlob(repository: string, blob: Buffer): Promise<void> {
    const start = await request('POST', `http://${this.host}/v2/${repository}/blobs/uploads/`);
    if (start.status !== 202) throw new Error(`blob upload start: ${start.status}`);
    const location = new URL(String(start.headers.location), `http://${this.host}`);
    location.searchParams.set('digest', digestOf(blob));
    const put = await request('PUT', location.toString(), blob, { 'content-type': 'application/octet-stream' });
    if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${put.body}`);
  }
}

function digestOf(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

/**
 * A token-authenticated front for a registry, as Docker Hub and GHCR work: requests without a
 * bearer token get a 401 challenge naming a token realm; the realm hands out a token for basic
 * credentials; requests with that token are passed through to the registry.
 */
export class TokenFront {
  public host = '';
  public tokenRequests = 0;
  private server?: http.Server;
  private readonly token = 'tok-' + Math.random().toString(36).slice(2);

  constructor(private readonly upstream: string, private readonly user: string, private readonly password: string) {}

  public async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', `http://${this.host}`);
      if (url.pathname === '/token') {
        this.tokenRequests++;
        const basic = `Basic ${Buffer.from(`${this.user}:${this.password}`).toString('base64')}`;
        if (req.headers.authorization !== basic || url.searchParams.get('service') !== 'test-registry' || !url.searchParams.get('scope')?.startsWith('repository:')) {
          res.writeHead(401).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: this.token }));
        return;
      }
      if (req.headers.authorization !== `Bearer ${this.token}`) {
        const repo = /^\/v2\/(.+)\/manifests\//.exec(url.pathname)?.[1] ?? '';
        res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${this.host}/token",service="test-registry",scope="repository:${repo}:pull"` }).end();
        return;
      }
      const up = http.request(`http://${this.upstream}${req.url}`, { method: req.method, headers: { ...req.headers, host: this.upstream } }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.writeHead(502).end());
      req.pipe(up);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.host = `127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
