import { PropProblem } from '../common/errors';

/** Tracing providers functions-framework supports. */
export enum TracingProviderName {
  SKYWALKING = 'skywalking',
  OPENTELEMETRY = 'opentelemetry',
}

/** OpenTelemetry exporters functions-framework supports. */
export type TracingExporterName = 'otlp' | 'jaeger' | 'zipkin';

/** The known exporter names, for validation. */
export const TRACING_EXPORTERS: readonly TracingExporterName[] = ['otlp', 'jaeger', 'zipkin'];

/** Where an OpenTelemetry provider sends spans. */
export interface TracingExporter {
  readonly name: TracingExporterName;
  readonly endpoint: string;
  /** Extra headers, `k1=v1,k2=v2` as the OTLP exporter takes them. @default - none */
  readonly headers?: string;
  /** e.g. `gzip`. @default - none */
  readonly compression?: string;
  /** e.g. `10s`. @default - the exporter's */
  readonly timeout?: string;
  /** `grpc` or `http/protobuf`. @default - the exporter's */
  readonly protocol?: string;
}

/** A tracing provider. */
export interface TracingProvider {
  readonly name: TracingProviderName;
  /** SkyWalking OAP server, `host:port`. */
  readonly oapServer?: string;
  /** OpenTelemetry exporter. */
  readonly exporter?: TracingExporter;
}

/** Tracing of a function (OpenFunction's `serving.tracing`) or the app-wide default. */
export interface TracingOptions {
  /**
   * `false` switches tracing off for a function even when the app enables it.
   * @default true
   */
  readonly enabled?: boolean;
  /** @default - the app-wide provider */
  readonly provider?: TracingProvider;
  /** Span tags. @default {} */
  readonly tags?: Record<string, string>;
  /** Baggage, e.g. `{ key: 'sw8-correlation', value: 'base64(string):...' }`. @default {} */
  readonly baggage?: Record<string, string>;
}

/** Tracing as it reaches a function: enabled, with a provider. */
export interface EffectiveTracing {
  readonly provider: TracingProvider;
  readonly tags: Record<string, string>;
  readonly baggage: Record<string, string>;
}

/** Convenience constructors for providers. */
export class Tracing {
  /** SkyWalking: the agent reads its OAP server from `SW_AGENT_*` env vars. */
  public static skywalking(oapServer: string): TracingProvider {
    return { name: TracingProviderName.SKYWALKING, oapServer };
  }

  /** OpenTelemetry with an exporter. */
  public static openTelemetry(exporter: TracingExporter): TracingProvider {
    return { name: TracingProviderName.OPENTELEMETRY, exporter };
  }
}

/**
 * The tracing a function gets: its own options over the app-wide ones (provider and exporter
 * fields filled from the app, tags and baggage merged with the function winning), or none when
 * either says `enabled: false` last or no provider results.
 */
export function effectiveTracing(fn: TracingOptions | undefined, app: TracingOptions | undefined): EffectiveTracing | undefined {
  if (!fn && !app) return undefined;
  if (fn?.enabled === false) return undefined;
  if (!fn && app?.enabled === false) return undefined;
  const base = app?.enabled === false ? undefined : app;
  const fp = fn?.provider;
  const ap = base?.provider;
  const name = fp?.name ?? ap?.name;
  if (!name) return undefined;
  const sameProvider = !fp || !ap || fp.name === ap.name;
  const provider: TracingProvider = {
    name,
    oapServer: fp?.oapServer ?? (sameProvider ? ap?.oapServer : undefined),
    exporter: fp?.exporter || (sameProvider ? ap?.exporter : undefined)
      ? { ...(sameProvider ? ap?.exporter : undefined), ...fp?.exporter } as TracingExporter
      : undefined,
  };
  return { provider, tags: { ...base?.tags, ...fn?.tags }, baggage: { ...base?.baggage, ...fn?.baggage } };
}

/** Problems of tracing options (props relative to `tracing`). */
export function tracingProblems(t: TracingOptions | undefined): PropProblem[] {
  const problems: PropProblem[] = [];
  const p = t?.provider;
  if (!p) return problems;
  if (!Object.values(TracingProviderName).includes(p.name)) {
    problems.push({ code: 'OFN_TRACING_PROVIDER', prop: 'provider.name', value: p.name, problem: 'is not a tracing provider functions-framework knows', fix: `use one of ${Object.values(TracingProviderName).join(', ')}` });
  }
  if (p.exporter) {
    if (!TRACING_EXPORTERS.includes(p.exporter.name)) {
      problems.push({ code: 'OFN_TRACING_EXPORTER', prop: 'provider.exporter.name', value: p.exporter.name, problem: 'is not a tracing exporter functions-framework knows', fix: `use one of ${TRACING_EXPORTERS.join(', ')}` });
    }
    if (!p.exporter.endpoint) {
      problems.push({ code: 'OFN_TRACING_EXPORTER', prop: 'provider.exporter.endpoint', value: p.exporter.endpoint, problem: 'is empty', fix: 'give the collector endpoint, e.g. http://otel-collector.observability:4318' });
    }
    if (p.name === TracingProviderName.SKYWALKING) {
      problems.push({ code: 'OFN_TRACING_EXPORTER', prop: 'provider.exporter', value: p.exporter.name, problem: 'is an OpenTelemetry exporter, but the provider is SkyWalking', fix: 'use Tracing.openTelemetry(exporter), or give SkyWalking an oapServer' });
    }
  }
  if (p.name === TracingProviderName.SKYWALKING && p.oapServer !== undefined && !p.oapServer) {
    problems.push({ code: 'OFN_TRACING_PROVIDER', prop: 'provider.oapServer', value: p.oapServer, problem: 'is empty', fix: 'give the OAP server as host:port, e.g. skywalking-oap.observability:11800' });
  }
  return problems;
}

/** The `SW_AGENT_*` env vars OpenFunction adds for SkyWalking with an OAP server. */
export function skywalkingEnv(tracing: EffectiveTracing | undefined, functionName: string, namespace: string): { name: string; value: string }[] {
  if (tracing?.provider.name !== TracingProviderName.SKYWALKING || !tracing.provider.oapServer) return [];
  return [
    { name: 'SW_AGENT_COLLECTOR_BACKEND_SERVICES', value: tracing.provider.oapServer },
    { name: 'SW_AGENT_NAME', value: functionName },
    { name: 'SW_AGENT_NAMESPACE', value: namespace },
    { name: 'SW_AGENT_KEEP_TRACING', value: 'true' },
  ];
}
