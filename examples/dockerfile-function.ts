import { Chart, ChartProps, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Function, FunctionSource, KanikoStrategy } from '../src';

/** Props of {@link DockerfileFunctionChart}. */
export interface DockerfileFunctionChartProps extends ChartProps {
  /** The kaniko strategy to build with. */
  readonly kaniko: KanikoStrategy;
}

/**
 * Functions built from a Dockerfile: OpenFunction's WasmEdge HTTP server sample with buildah (the
 * default for a Dockerfile) and the same source with kaniko.
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
      buildTimeout: Duration.minutes(20),
    });
    new Function(this, 'http-server-kaniko', {
      image: 'openfunctiondev/wasmedge_http_server:0.1.0-kaniko',
      imageCredentials: { name: 'push-secret' },
      source,
      dockerfile: 'Dockerfile',
      strategy: props.kaniko,
      buildEnv: { RUST_VERSION: '1.80' },
    });
  }
}
