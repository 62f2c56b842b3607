import * as http from 'http';
import * as https from 'https';

/** A finished HTTP exchange. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** The URL that answered, after redirects. */
  readonly url: string;
}

/** One HTTP request. */
export interface HttpRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Whole-exchange deadline in milliseconds. */
  readonly timeoutMs: number;
  /** Redirects to follow (GET and HEAD only). */
  readonly maxRedirects?: number;
  /** Largest body to read, in bytes; more is an error. */
  readonly maxBodyBytes?: number;
}

/** A transport failure: refused, reset, timed out, too large. */
export class HttpError extends Error {
  constructor(message: string, public readonly url: string) {
    super(message);
    this.name = 'HttpError';
  }
}

const DEFAULT_MAX_BODY = 16 * 1024 * 1024;

/** Sends `req` to `url` and reads the whole answer, following redirects for GET and HEAD. */
export async function send(url: string, req: HttpRequest): Promise<HttpResponse> {
  let current = url;
  const method = req.method ?? 'GET';
  for (let hop = 0; ; hop++) {
    const res = await once(current, method, req);
    const location = res.headers.location;
    if ([301, 302, 303, 307, 308].includes(res.status) && location && (method === 'GET' || method === 'HEAD') && hop < (req.maxRedirects ?? 5)) {
      const next = new URL(location, current);
      // Credentials go only to the host they were given for.
      if (next.host !== new URL(current).host && req.headers?.authorization) {
        const { authorization: _a, ...rest } = req.headers;
        req = { ...req, headers: rest };
      }
      current = next.toString();
      continue;
    }
    return res;
  }
}

function once(url: string, method: string, req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const lib = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : undefined;
    if (!lib) {
      reject(new HttpError(`unsupported scheme ${target.protocol}`, url));
      return;
    }
    const headers: Record<string, string | number> = { 'user-agent': 'openfunction-watcher', ...req.headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const r = lib.request(target, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const max = req.maxBodyBytes ?? DEFAULT_MAX_BODY;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > max) {
          r.destroy(new HttpError(`answer larger than ${max} bytes`, url));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), url });
      });
      res.on('error', (e) => fail(e));
    });
    const fail = (e: Error) => {
      clearTimeout(timer);
      reject(e instanceof HttpError ? e : new HttpError(`${method} ${redact(url)}: ${e.message}`, url));
    };
    const timer = setTimeout(() => r.destroy(new HttpError(`${method} ${redact(url)}: no answer within ${req.timeoutMs} ms`, url)), req.timeoutMs);
    r.on('error', fail);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** The URL without user info or query, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** `Authorization` value for basic auth. */
export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
