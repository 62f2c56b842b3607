import { App } from 'cdk8s';
import { Builder, Serving } from '../../src';
import { AcmeFunction, AcmeTeamChart } from './index';

/** A team using Acme's template: three functions in a few lines each. */
export function addAcmeApp(app: App): AcmeTeamChart {
  const payments = new AcmeTeamChart(app, 'acme-payments', { team: 'payments' });
  new AcmeFunction(payments, 'invoice', { path: 'payments/invoice', buildEnv: { FUNC_NAME: 'invoice' } });
  new AcmeFunction(payments, 'refund', { path: 'payments/refund', builder: Builder.GO, version: 'v2' });
  // Overrides win over the template: more memory for this one.
  new AcmeFunction(payments, 'report', {
    path: 'payments/report',
    serving: Serving.knative({ maxScale: 2, resources: { cpuRequest: '100m', memoryRequest: '256Mi', cpuLimit: '1', memoryLimit: '1Gi' } }),
  });
  return payments;
}
