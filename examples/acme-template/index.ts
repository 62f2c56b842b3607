// An internal template package a platform team might publish on top of openfunction-constructs:
// "a function at Acme looks like this". Developers write a few lines per function.
import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Builder, Function, FunctionDefaults, FunctionGateway, FunctionPolicy, FunctionProps, FunctionSource, Serving,
} from '../../src';

/** Props of an Acme team's chart. */
export interface AcmeTeamChartProps extends ChartProps {
  /** The team; its namespace and its image repository are named after it. */
  readonly team: string;
}

/**
 * A team's chart with Acme's defaults: images in Acme's registry under the team, Acme's push
 * secret, the Node.js builder, routes through the shared gateway on `fn.acme.example`, resource
 * limits, a cost-center label, and the policies (Acme's registry only, limits required, no Dapr).
 */
export class AcmeTeamChart extends Chart {
  public readonly gateway: FunctionGateway;
  constructor(scope: Construct, id: string, props: AcmeTeamChartProps) {
    super(scope, id, { namespace: props.team, ...props });
    this.gateway = new FunctionGateway(this, 'gateway', {
      domain: 'fn.acme.example',
      existingGateway: { name: 'acme-edge', namespace: 'gateways' },
      knativeDomainConfig: false,
    });
    FunctionDefaults.set(this, {
      imageRepository: `registry.acme.example/${props.team}`,
      imageCredentials: { name: 'acme-registry' },
      builder: Builder.NODEJS,
      gateway: this.gateway,
      resources: { cpuRequest: '50m', memoryRequest: '96Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
      labels: { 'acme.example/team': props.team, 'acme.example/cost-center': `cc-${props.team}` },
      policies: [FunctionPolicy.allowedRegistries(['registry.acme.example/']), FunctionPolicy.requireResourceLimits(), FunctionPolicy.noDapr()],
    });
  }
}

/** Props of {@link AcmeFunction}: the source repository path and what the developer cares about. */
export interface AcmeFunctionProps extends Omit<FunctionProps, 'source'> {
  /** Path of the function in Acme's monorepo. */
  readonly path: string;
  /** @default 'main' */
  readonly revision?: string;
}

/** A function at Acme: built from the monorepo, served by Knative with Acme's defaults. */
export class AcmeFunction extends Function {
  constructor(scope: Construct, id: string, props: AcmeFunctionProps) {
    const { path, revision, ...rest } = props;
    super(scope, id, {
      source: FunctionSource.fromGit('https://git.acme.example/platform/functions.git', { revision: revision ?? 'main', subPath: path, credentials: { name: 'acme-git' } }),
      serving: Serving.knative({ minScale: 0, maxScale: 20 }),
      ...rest,
    });
  }
}
