import { funcContextV1beta1, funcContextV1beta2, FuncContextInput, TracingProviderName } from '../../src';

const SYNC: FuncContextInput = { name: 'hello', version: 'v2.0.0', runtime: 'Knative', port: 8080, http: { port: 8080 } };

describe('FUNC_CONTEXT (v1beta1 format)', () => {
  test('of a plain sync function is exactly the reference JSON, keys sorted', () => {
    expect(funcContextV1beta1(SYNC)).toBe('{"name":"hello","port":"8080","runtime":"Knative","version":"v2.0.0"}');
  });

  test('writes the port as a string and the runtime as functions-framework names it', () => {
    const ctx = JSON.parse(funcContextV1beta1({ ...SYNC, port: 9000, runtime: 'Async' }));
    expect(ctx.port).toBe('9000');
    expect(ctx.runtime).toBe('Async');
  });

  test('puts the tracing provider last among pre-plugins and first among post-plugins', () => {
    const ctx = JSON.parse(funcContextV1beta1({
      ...SYNC,
      hooks: { pre: ['plugin-a', 'plugin-b'], post: ['plugin-b', 'plugin-a'] },
      tracing: { provider: { name: TracingProviderName.SKYWALKING, oapServer: 'oap:11800' }, tags: { func: 'hello', layer: 'faas' }, baggage: { key: 'sw8-correlation', value: 'base64(string):v' } },
    }));
    expect(ctx.prePlugins).toEqual(['plugin-a', 'plugin-b', 'skywalking']);
    expect(ctx.postPlugins).toEqual(['skywalking', 'plugin-b', 'plugin-a']);
    expect(ctx.pluginsTracing).toEqual({
      enabled: true, provider: { name: 'skywalking', oapServer: 'oap:11800' }, tags: { func: 'hello', layer: 'faas' }, baggage: { key: 'sw8-correlation', value: 'base64(string):v' },
    });
  });

  test('addresses binding inputs by component and pub-sub inputs by topic', () => {
    const ctx = JSON.parse(funcContextV1beta1({
      ...SYNC, runtime: 'Async',
      daprTriggers: {
        cron: { name: 'tally-bindings-cron', type: 'bindings.cron', componentType: 'bindings.cron' },
        orders: { name: 'tally-pubsub-kafka', type: 'pubsub.kafka', topic: 'orders', componentType: 'pubsub.kafka' },
      },
    }));
    expect(ctx.inputs).toEqual({
      cron: { uri: 'tally-bindings-cron', componentName: 'tally-bindings-cron', componentType: 'bindings.cron' },
      orders: { uri: 'orders', componentName: 'tally-pubsub-kafka', componentType: 'pubsub.kafka' },
    });
  });

  test('lists outputs with metadata and operation, and states, leaving out what is empty', () => {
    const ctx = JSON.parse(funcContextV1beta1({
      ...SYNC,
      outputs: { sink: { componentName: 'http-sink', componentType: 'bindings.http', metadata: { path: '/x' }, operation: 'post' }, bus: { componentName: 'bus', componentType: 'pubsub.redis', topic: 't', metadata: {} } },
      states: { store: { componentName: 'redis-state', componentType: 'state.redis' } },
    }));
    expect(ctx.outputs).toEqual({
      sink: { uri: 'http-sink', componentName: 'http-sink', componentType: 'bindings.http', metadata: { path: '/x' }, operation: 'post' },
      bus: { uri: 't', componentName: 'bus', componentType: 'pubsub.redis' },
    });
    expect(ctx.states).toEqual({ store: { componentName: 'redis-state', componentType: 'state.redis' } });
    expect(ctx).not.toHaveProperty('inputs');
    expect(ctx).not.toHaveProperty('prePlugins');
    expect(ctx).not.toHaveProperty('pluginsTracing');
  });
});

describe('FUNC_CONTEXT_V1BETA2', () => {
  test('of a plain sync function is exactly the reference JSON', () => {
    expect(funcContextV1beta2(SYNC)).toBe('{"name":"hello","triggers":{"http":{"port":8080}},"version":"v2.0.0"}');
  });

  test('names the KEDA engine and the route when there is one', () => {
    const ctx = JSON.parse(funcContextV1beta2({ ...SYNC, http: { port: 8080, engine: 'keda', route: { gatewayRef: { name: 'gw', namespace: 'ofn' }, hostnames: ['a.example.com'] } } }));
    expect(ctx.triggers.http).toEqual({ port: 8080, engine: 'keda', route: { gatewayRef: { name: 'gw', namespace: 'ofn' }, hostnames: ['a.example.com'] } });
  });

  test('carries hooks as they are and tracing with its exporter', () => {
    const ctx = JSON.parse(funcContextV1beta2({
      ...SYNC,
      hooks: { pre: ['a'], post: ['b'] },
      tracing: { provider: { name: TracingProviderName.OPENTELEMETRY, exporter: { name: 'otlp', endpoint: 'http://otel:4318', protocol: 'http/protobuf' } }, tags: {}, baggage: {} },
    }));
    expect(ctx.preHooks).toEqual(['a']);
    expect(ctx.postHooks).toEqual(['b']);
    expect(ctx.tracing).toEqual({ enabled: true, provider: { name: 'opentelemetry', exporter: { name: 'otlp', endpoint: 'http://otel:4318', protocol: 'http/protobuf' } } });
  });

  test('lists Dapr triggers by real component name, inputs with topics, outputs and states', () => {
    const ctx = JSON.parse(funcContextV1beta2({
      ...SYNC, http: undefined, runtime: 'Async',
      daprTriggers: { orders: { name: 'tally-pubsub-kafka', type: 'pubsub.kafka', topic: 'orders', componentType: 'pubsub.kafka' } },
      inputs: { lookup: { componentName: 'lookup', componentType: 'bindings.http' } },
      outputs: { out: { componentName: 'o', componentType: 'pubsub.redis', topic: 'done', operation: 'publish' } },
      states: { s: { componentName: 'st', componentType: 'state.redis' } },
    }));
    expect(ctx.triggers).toEqual({ dapr: [{ name: 'tally-pubsub-kafka', type: 'pubsub.kafka', topic: 'orders' }] });
    expect(ctx.inputs).toEqual({ lookup: { componentName: 'lookup', componentType: 'bindings.http' } });
    expect(ctx.outputs).toEqual({ out: { componentName: 'o', componentType: 'pubsub.redis', topic: 'done', operation: 'publish' } });
    expect(ctx.states).toEqual({ s: { componentName: 'st', componentType: 'state.redis' } });
  });

  test('is the same bytes whatever order maps are written in', () => {
    const a = funcContextV1beta2({ ...SYNC, states: { x: { componentName: 'x', componentType: 'state.redis' }, a: { componentName: 'a', componentType: 'state.redis' } } });
    const b = funcContextV1beta2({ ...SYNC, states: { a: { componentName: 'a', componentType: 'state.redis' }, x: { componentName: 'x', componentType: 'state.redis' } } });
    expect(a).toBe(b);
    expect(a.indexOf('"a"')).toBeLessThan(a.indexOf('"x"'));
  });
});
