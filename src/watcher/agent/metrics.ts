import { readFileSync } from 'fs';

/** Counters the agent exposes in the Prometheus text format. */
export const COUNTERS = {
  polls: 'Polls of a watched function.',
  poll_errors: 'Polls that ended in an error (git server, registry or API server).',
  changes: 'New source revisions or image digests seen.',
  builds_started: 'BuildRuns created.',
  builds_succeeded: 'BuildRuns that succeeded.',
  builds_failed: 'BuildRuns that failed (never rolled out).',
  rollouts: 'Workloads pointed at a new image digest.',
} as const;

/** A counter name. */
export type CounterName = keyof typeof COUNTERS;

/** Per-function counters plus a few gauges. */
export class Metrics {
  private readonly counts = new Map<string, number>();
  /** Gauges set by the agent. */
  public readonly gauges = { watched_functions: 0 };

  /** Adds one to `counter` for the function `namespace/name`. */
  public inc(counter: CounterName, namespace: string, name: string): void {
    const key = `${counter}\u0000${namespace}\u0000${name}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** The value of `counter`, for one function or summed over all. */
  public get(counter: CounterName, namespace?: string, name?: string): number {
    let sum = 0;
    for (const [key, v] of this.counts) {
      const [c, ns, n] = key.split('\u0000');
      if (c === counter && (namespace === undefined || ns === namespace) && (name === undefined || n === name)) sum += v;
    }
    return sum;
  }

  /** The Prometheus text exposition. */
  public render(): string {
    const lines: string[] = [];
    for (const [counter, help] of Object.entries(COUNTERS)) {
      const metric = `openfunction_watcher_${counter}_total`;
      lines.push(`# HELP ${metric} ${help}`, `# TYPE ${metric} counter`);
      const rows = [...this.counts].filter(([k]) => k.startsWith(`${counter}\u0000`)).sort(([a], [b]) => (a < b ? -1 : 1));
      for (const [key, v] of rows) {
        const [, ns, n] = key.split('\u0000');
        lines.push(`${metric}{namespace="${ns}",function="${n}"} ${v}`);
      }
    }
    lines.push('# HELP openfunction_watcher_watched_functions Functions the agent watches.', '# TYPE openfunction_watcher_watched_functions gauge', `openfunction_watcher_watched_functions ${this.gauges.watched_functions}`);
    const mem = process.memoryUsage();
    lines.push('# HELP process_resident_memory_bytes Resident memory size in bytes.', '# TYPE process_resident_memory_bytes gauge', `process_resident_memory_bytes ${mem.rss}`);
    const anon = anonymousMemory();
    if (anon !== undefined) lines.push('# HELP process_anonymous_memory_bytes Resident memory not backed by files (what the agent itself allocated), in bytes.', '# TYPE process_anonymous_memory_bytes gauge', `process_anonymous_memory_bytes ${anon}`);
    lines.push('# HELP nodejs_heap_used_bytes V8 heap in use, in bytes.', '# TYPE nodejs_heap_used_bytes gauge', `nodejs_heap_used_bytes ${mem.heapUsed}`);
    return `${lines.join('\n')}\n`;
  }
}

/** RssAnon of /proc/self/status in bytes (Linux), the part of RSS the node binary does not map. */
function anonymousMemory(): number | undefined {
  try {
    const m = /^RssAnon:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
