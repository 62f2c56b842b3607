import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';

/** How the server answers. */
export type GitServerMode = 'ok' | 'error' | 'hang';

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir() };

/**
 * git's own smart-HTTP server (`git http-backend`, run as CGI for each request) on 127.0.0.1,
 * serving bare repositories from a temporary directory, with basic auth when asked and faults on
 * demand.
 */
export class GitServer {
  public mode: GitServerMode = 'ok';
  /** `user:password` required on every request, when set. */
  public auth?: string;
  public requests = 0;
  private readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-git-'));
  private server?: http.Server;
  private base = '';
  private readonly hanging = new Set<http.ServerResponse>();

  public async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  /** Creates a bare repository with one commit on `main`; returns its URL. */
  public createRepo(name: string): string {
    const bare = path.join(this.root, `${name}.git`);
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare], { env: { ...process.env, ...GIT_ENV } });
    execFileSync('git', ['config', 'http.receivepack', 'false'], { cwd: bare });
    this.commit(name, 'README.md', 'first\n');
    return this.url(name);
  }

  public url(name: string): string {
    return `${this.base}/${name}.git`;
  }

  /** Commits `file` with `content` on `branch` (created from main if new); returns the commit id. */
  public commit(name: string, file: string, content: string, branch = 'main'): string {
    const bare = path.join(this.root, `${name}.git`);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ofn-work-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: work, env: { ...process.env, ...GIT_ENV } }).toString().trim();
    try {
      git('init', '-q', '-b', branch);
      git('remote', 'add', 'origin', bare);
      const heads = execFileSync('git', ['for-each-ref', '--format=%(refname)'], { cwd: bare }).toString();
      if (heads.includes(`refs/heads/${branch}`)) {
        git('fetch', '-q', 'origin', branch);
        git('reset', '-q', '--hard', 'FETCH_HEAD');
      } else if (heads.includes('refs/heads/main')) {
        git('fetch', '-q', 'origin', 'main');
        git('reset', '-q', '--hard', 'FETCH_HEAD');
      }
      fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
      fs.writeFileSync(path.join(work, file), content);
      git('add', file);
      git('commit', '-q', '-m', `update ${file}`);
      git('push', '-q', 'origin', `HEAD:refs/heads/${branch}`);
      return git('rev-parse', 'HEAD');
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }

  /** Tags the head of `branch` with an annotated tag; returns the commit id. */
  public tag(name: string, tag: string, branch = 'main'): string {
    const bare = path.join(this.root, `${name}.git`);
    execFileSync('git', ['tag', '-a', '-m', tag, tag, branch], { cwd: bare, env: { ...process.env, ...GIT_ENV } });
    return execFileSync('git', ['rev-parse', `${branch}^{commit}`], { cwd: bare }).toString().trim();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests++;
    if (this.mode === 'hang') {
      this.hanging.add(res);
      return;
    }
    if (this.mode === 'error') {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable\n');
      return;
    }
    if (this.auth) {
      const given = req.headers.authorization?.startsWith('Basic ') ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString() : '';
      if (given !== this.auth) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="git"' }).end();
        return;
      }
    }
    const url = new URL(req.url ?? '/', this.base);
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: this.root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_ADDR: '127.0.0.1',
        GIT_CONFIG_NOSYSTEM: '1',
      },
    });
    req.pipe(cgi.stdin);
    const out: Buffer[] = [];
    cgi.stdout.on('data', (c) => out.push(c));
    cgi.on('close', () => {
      const all = Buffer.concat(out);
      const split = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, split).toString();
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.split('\r\n')) {
        const i = line.indexOf(':');
        const k = line.slice(0, i).trim().toLowerCase();
        const v = line.slice(i + 1).trim();
        if (k === 'status') status = parseInt(v, 10);
        else headers[k] = v;
      }
      res.writeHead(status, headers).end(all.subarray(split + 4));
    });
  }
}
