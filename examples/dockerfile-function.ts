import { Chart, ChartProps, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Function, FunctionSource, KanikoStrategy, Serving, WorkloadRuntime } from '../src';

/** Props of {@link DockerfileFunctionChart}. */
export interface DockerfileFunctionChartProps extends ChartProps {
  /** The kaniko strategy to build with. */
  readonly kaniko: KanikoStrategy;
}

/**
 * Functions built from a Dockerfile: OpenFunction's WasmEdge HTTP server sample (the wasmedge
 * strategy, run by crun's Wasm handler) and the same Dockerfile built with kaniko, build only.
 */
export class DockerfileFunctionChart extends Chart {
  constructor(scope: Construct, id: string, props: DockerfileFunctionChartProps) {
    super(scope, id, { namespace: 'demo', ...props });
    const source = FunctionSource.fromGit('https://github.com/OpenFunction/samples', {
      revision: 'main',
      subPath: 'functions/knative/wasmedge/http-server',
    });
    new Function(this, 'http-server', {
      image: 'openfunctiondev/wasmedge_http_server:0.1.0',
      imageCredentials: { name: 'push-secret' },
      source,
      dockerfile: 'Dockerfile',
      workloadRuntime: WorkloadRuntime.WASMEDGE,
      buildTimeout: Duration.minutes(20),
      serving: Serving.knative({ container: { command: ['/wasmedge_hyper_server.wasm'] } }),
    });
    new Function(this, 'http-server-kaniko', {
      image: 'openfunctiondev/wasmedge_http_server:0.1.0-kaniko',
      imageCredentials: { name: 'push-secret' },
      source,
      dockerfile: 'Dockerfile',
      strategy: props.kaniko,
      buildEnv: { RUST_VERSION: '1.80' },
      serving: Serving.none(),
    });
  }
}
