import { Chart, Testing } from 'cdk8s';
import {
  effectiveHooks, effectiveTracing, FunctionDefaults, HookPolicy, skywalkingEnv, Tracing, TracingProviderName, tracingProblems,
} from '../../src';

describe('effectiveTracing', () => {
  const app = { provider: Tracing.skywalking('oap:11800'), tags: { layer: 'faas', team: 'platform' }, baggage: { key: 'sw8-correlation', value: 'v' } };

  test('is none without any tracing', () => {
    expect(effectiveTracing(undefined, undefined)).toBeUndefined();
  });
  test('is the app default when the function says nothing', () => {
    expect(effectiveTracing(undefined, app)).toEqual({ provider: { name: 'skywalking', oapServer: 'oap:11800', exporter: undefined }, tags: app.tags, baggage: app.baggage });
  });
  test('is none when the function disables it, whatever the app says', () => {
    expect(effectiveTracing({ enabled: false }, app)).toBeUndefined();
  });
  test('is the function\'s own when the app disables it', () => {
    expect(effectiveTracing({ provider: Tracing.skywalking('mine:1') }, { ...app, enabled: false })?.provider.oapServer).toBe('mine:1');
    expect(effectiveTracing(undefined, { ...app, enabled: false })).toBeUndefined();
  });
  test('merges tags and baggage with the function winning, and fills provider fields from the app', () => {
    const t = effectiveTracing({ tags: { team: 'payments', fn: 'x' } }, app)!;
    expect(t.tags).toEqual({ layer: 'faas', team: 'payments', fn: 'x' });
    expect(t.provider).toEqual({ name: 'skywalking', oapServer: 'oap:11800', exporter: undefined });
  });
  test('merges exporter fields of the same provider, but not across providers', () => {
    const otelApp = { provider: Tracing.openTelemetry({ name: 'otlp', endpoint: 'http://otel:4318', compression: 'gzip' }) };
    const same = effectiveTracing({ provider: Tracing.openTelemetry({ name: 'otlp', endpoint: 'http://mine:4318' }) }, otelApp)!;
    expect(same.provider.exporter).toEqual({ name: 'otlp', endpoint: 'http://mine:4318', compression: 'gzip' });
    const other = effectiveTracing({ provider: Tracing.skywalking('oap:1') }, otelApp)!;
    expect(other.provider).toEqual({ name: 'skywalking', oapServer: 'oap:1', exporter: undefined });
  });
});

test('tracingProblems names unknown exporters and mismatches', () => {
  expect(tracingProblems({ provider: { name: TracingProviderName.OPENTELEMETRY, exporter: { name: 'datadog' as any, endpoint: 'x' } } }).map((p) => `${p.prop}: ${p.problem}; ${p.fix}`))
    .toEqual(['provider.exporter.name: is not a tracing exporter functions-framework knows; use one of otlp, jaeger, zipkin']);
  expect(tracingProblems({ provider: { name: 'newrelic' as any } }).map((p) => p.code)).toEqual(['OFN_TRACING_PROVIDER']);
  expect(tracingProblems({ provider: { name: TracingProviderName.SKYWALKING, exporter: { name: 'otlp', endpoint: '' } } }).map((p) => p.prop))
    .toEqual(['provider.exporter.endpoint', 'provider.exporter']);
  expect(tracingProblems({ provider: Tracing.openTelemetry({ name: 'zipkin', endpoint: 'http://z:9411' }) })).toEqual([]);
});

test('skywalkingEnv gives the four SW_AGENT variables only for SkyWalking with an OAP server', () => {
  expect(skywalkingEnv(effectiveTracing({ provider: Tracing.skywalking('oap:11800') }, undefined), 'hello', 'demo')).toEqual([
    { name: 'SW_AGENT_COLLECTOR_BACKEND_SERVICES', value: 'oap:11800' },
    { name: 'SW_AGENT_NAME', value: 'hello' },
    { name: 'SW_AGENT_NAMESPACE', value: 'demo' },
    { name: 'SW_AGENT_KEEP_TRACING', value: 'true' },
  ]);
  expect(skywalkingEnv(effectiveTracing({ provider: Tracing.openTelemetry({ name: 'otlp', endpoint: 'e' }) }, undefined), 'h', 'd')).toEqual([]);
});

describe('hooks', () => {
  test('Append puts the app pre-hooks first and the app post-hooks last', () => {
    expect(effectiveHooks({ pre: ['f1'], post: ['f2'] }, { pre: ['g1'], post: ['g2'] })).toEqual({ pre: ['g1', 'f1'], post: ['f2', 'g2'] });
  });
  test('Override keeps only the function\'s', () => {
    expect(effectiveHooks({ pre: ['f1'], policy: HookPolicy.OVERRIDE }, { pre: ['g1'], post: ['g2'] })).toEqual({ pre: ['f1'], post: [] });
  });
  test('FunctionDefaults apply from the nearest scope', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    FunctionDefaults.set(app, { hooks: { pre: ['app'] } });
    FunctionDefaults.set(b, { hooks: { pre: ['chart-b'] } });
    expect(FunctionDefaults.of(a)?.hooks?.pre).toEqual(['app']);
    expect(FunctionDefaults.of(b)?.hooks?.pre).toEqual(['chart-b']);
    expect(FunctionDefaults.of(new Chart(Testing.app(), 'c'))).toBeUndefined();
  });
});
