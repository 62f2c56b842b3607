import { readFileSync } from 'fs';
import * as http from 'http';
import { WatchedFunctionConfig, WatcherConfig } from './config';
import { inClusterConnection, KubeClient, KubeConnection } from './kube';
import { Metrics } from './metrics';
import { Logger, Reconciler } from './reconcile';

/** A running agent. */
export interface RunningAgent {
  /** The port `/healthz`, `/readyz` and `/metrics` are served on. */
  readonly port: number;
  readonly metrics: Metrics;
  /** Stops polling and the HTTP server. */
  stop(): Promise<void>;
}

/** Options for {@link startAgent}, mostly for tests. */
export interface AgentOptions {
  /**
   * Connection to the API server.
   * @default - `config.apiServer`, else the in-cluster service
   */
  readonly connection?: KubeConnection;
  /**
   * Where log lines go.
   * @default - JSON lines on stdout
   */
  readonly log?: Logger;
  /**
   * Random source for jitter (0 <= r < 1).
   * @default Math.random
   */
  readonly random?: () => number;
}

const MAX_CONCURRENT_POLLS = 8;

/**
 * Milliseconds until the next poll: the interval, doubled per consecutive failure up to the
 * longest backoff, then moved by up to +/-`jitter` of itself (`r` is a random number in [0, 1)).
 */
export function pollDelayMs(intervalSeconds: number, failures: number, maxBackoffSeconds: number, jitter: number, r: number): number {
  const base = intervalSeconds * 1000;
  const wait = failures === 0 ? base : Math.min(base * 2 ** failures, maxBackoffSeconds * 1000);
  return Math.max(100, Math.round(wait * (1 + jitter * (2 * r - 1))));
}

/** Checks the parts of the config the agent relies on; returns problems. */
export function configProblems(c: WatcherConfig): string[] {
  const out: string[] = [];
  if (!(c.intervalSeconds > 0)) out.push('intervalSeconds must be positive');
  if (!(c.jitter >= 0 && c.jitter < 1)) out.push('jitter must be in [0, 1)');
  if (!(c.maxBackoffSeconds >= c.intervalSeconds)) out.push('maxBackoffSeconds must be at least intervalSeconds');
  if (!(c.requestTimeoutSeconds > 0)) out.push('requestTimeoutSeconds must be positive');
  if (!Array.isArray(c.functions)) out.push('functions must be a list');
  return out;
}

/** JSON-lines logger on stdout. */
export const jsonLog: Logger = (level, fn, msg, extra) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, function: fn ? `${fn.namespace}/${fn.name}` : undefined, msg, ...extra })}\n`);
};

/**
 * Starts polling every function of `config` on its interval, with jitter, backing off
 * exponentially after errors, and serves health and metrics.
 */
export async function startAgent(config: WatcherConfig, options: AgentOptions = {}): Promise<RunningAgent> {
  const problems = configProblems(config);
  if (problems.length) throw new Error(`invalid watcher config: ${problems.join('; ')}`);
  const log = options.log ?? jsonLog;
  const random = options.random ?? Math.random;
  const timeoutMs = config.requestTimeoutSeconds * 1000;
  const connection = options.connection ?? (config.apiServer ? { server: config.apiServer, timeoutMs } : inClusterConnection(timeoutMs));
  const metrics = new Metrics();
  metrics.gauges.watched_functions = config.functions.length;
  const reconciler = new Reconciler(config, new KubeClient(connection), metrics, log);
  const timers = new Map<WatchedFunctionConfig, NodeJS.Timeout>();
  const failures = new Map<WatchedFunctionConfig, number>();
  let stopped = false;
  let running = 0;
  const queue: (() => void)[] = [];
  let lastProgress = Date.now();
  const longestInterval = Math.max(config.intervalSeconds, ...config.functions.map((f) => f.intervalSeconds ?? 0), config.maxBackoffSeconds);

  const delayFor = (fn: WatchedFunctionConfig): number => pollDelayMs(fn.intervalSeconds ?? config.intervalSeconds, failures.get(fn) ?? 0, config.maxBackoffSeconds, config.jitter, random());
  const schedule = (fn: WatchedFunctionConfig, delay: number) => {
    if (stopped) return;
    const t = setTimeout(() => void poll(fn), delay);
    t.unref?.();
    timers.set(fn, t);
  };
  const slot = (): Promise<void> => (running < MAX_CONCURRENT_POLLS ? (running++, Promise.resolve()) : new Promise((resolve) => queue.push(() => (running++, resolve()))));
  const release = () => {
    running--;
    queue.shift()?.();
  };
  const poll = async (fn: WatchedFunctionConfig) => {
    await slot();
    try {
      if (stopped) return;
      const outcome = await reconciler.poll(fn);
      failures.set(fn, 0);
      if (outcome !== 'unchanged' && outcome !== 'building' && outcome !== 'failed-before') log('info', fn, outcome);
    } catch (e) {
      failures.set(fn, Math.min((failures.get(fn) ?? 0) + 1, 30));
      log('error', fn, (e as Error).message);
      await reconciler.recordError(fn, e as Error);
    } finally {
      release();
      lastProgress = Date.now();
      schedule(fn, delayFor(fn));
    }
  };

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      // Alive while polls keep completing (each is bounded by the request timeouts).
      const stale = config.functions.length > 0 && Date.now() - lastProgress > (2 * longestInterval + 10 * config.requestTimeoutSeconds) * 1000;
      res.writeHead(stale ? 503 : 200, { 'content-type': 'text/plain' }).end(stale ? 'stalled\n' : 'ok\n');
    } else if (path === '/readyz') {
      res.writeHead(stopped ? 503 : 200, { 'content-type': 'text/plain' }).end(stopped ? 'stopping\n' : 'ok\n');
    } else if (path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metrics.render());
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log('info', undefined, 'started', { functions: config.functions.length, port });

  // Spread the first polls over the jitter window so a restart does not burst.
  for (const fn of config.functions) schedule(fn, Math.round(random() * (fn.intervalSeconds ?? config.intervalSeconds) * 1000 * config.jitter));

  return {
    port,
    metrics,
    stop: async () => {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Entry point of the bundled agent: reads `WATCHER_CONFIG` (default /etc/watcher/config.json). */
export function main(): void {
  const file = process.env.WATCHER_CONFIG ?? '/etc/watcher/config.json';
  let config: WatcherConfig;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    jsonLog('error', undefined, `cannot read ${file}: ${(e as Error).message}`);
    process.exit(2);
  }
  const reportingInstance = process.env.POD_NAME ?? config.reportingInstance;
  startAgent({ ...config, reportingInstance }).then((agent) => {
    const shutdown = () => void agent.stop().then(() => process.exit(0));
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  }, (e) => {
    jsonLog('error', undefined, (e as Error).message);
    process.exit(1);
  });
}
