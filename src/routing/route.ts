import { Construct } from 'constructs';
import { HttpRoute, ReferenceGrant } from '../../imports/gateway.networking.k8s.io';
import { PropChecks, PropProblem } from '../common/errors';
import { joinName } from '../common/names';
import type { FunctionGateway, FunctionRoute } from './gateway';
import { isHostname, renderTemplate } from './templates';

/** Where a function's route sends requests. */
export type RouteBackend =
  | { readonly engine: 'knative'; readonly revisions: { readonly name: string; readonly weight: number }[] }
  | { readonly engine: 'keda'; readonly host?: string };

/** Props of {@link FunctionHttpRoute}. */
export interface FunctionHttpRouteProps {
  readonly functionName: string;
  /** @default - none: the namespace the objects are applied to */
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly route: FunctionRoute;
  readonly backend: RouteBackend;
}

/** The KEDA HTTP add-on's interceptor, which KEDA HTTP functions are reached through. */
export const KEDA_INTERCEPTOR = { name: 'keda-add-ons-http-interceptor-proxy', namespace: 'keda', port: 8080 };

/** Problems of route options (props relative to `route`). */
export function routeProblems(route: FunctionRoute): PropProblem[] {
  const problems: PropProblem[] = [];
  for (const [i, h] of (route.options.hostnames ?? []).entries()) {
    if (!isHostname(h)) problems.push({ code: 'OFN_HOSTNAME', prop: `hostnames[${i}]`, value: h, problem: 'is not a valid hostname', fix: 'give a lower-case DNS name, e.g. hello.fn.example.com' });
  }
  for (const [i, p] of (route.options.paths ?? []).entries()) {
    if (!p.startsWith('/') || /\s/.test(p) || p.length > 1024) problems.push({ code: 'OFN_PATH', prop: `paths[${i}]`, value: p, problem: "does not start with '/'", fix: 'give an absolute path prefix, e.g. /hello' });
  }
  if (route.options.hostnames?.length === 0) problems.push({ code: 'OFN_HOSTNAME', prop: 'hostnames', value: [], problem: 'is empty', fix: 'leave hostnames out for the templated one, or list at least one' });
  return problems;
}

/** The hostnames and paths a route serves, as OpenFunction derives them. */
export function routeHostsAndPaths(gateway: FunctionGateway, functionName: string, namespace: string, options: { hostnames?: string[]; paths?: string[] }) {
  const vars = { Name: functionName, Namespace: namespace, Domain: gateway.domain };
  const userHosts = options.hostnames !== undefined;
  const internal = `${functionName}.${namespace}.svc.${gateway.clusterDomain}`;
  const hostnames = userHosts ? [...options.hostnames!] : [renderTemplate(gateway.hostTemplate, vars)];
  if (!hostnames.includes(internal)) hostnames.push(internal);
  const paths = options.paths ?? [userHosts ? `/${renderTemplate(gateway.pathTemplate, vars).replace(/^\/+/, '')}` : '/'];
  return { hostnames, paths, internal };
}

/**
 * The HTTPRoute of one function on a {@link FunctionGateway}, as OpenFunction makes it, but up
 * front: Knative functions go to their revision Services (weighted by the traffic split, with the
 * revision Host header Knative routes on), KEDA HTTP functions to the add-on's interceptor (with a
 * ReferenceGrant for the cross-namespace hop).
 */
export class FunctionHttpRoute extends Construct {
  public readonly hostnames: string[];
  public readonly paths: string[];
  /** `scheme://host/path` for every external host and path. */
  public readonly externalUrls: string[];
  /** The in-cluster URLs. */
  public readonly internalUrls: string[];
  public readonly apiObject!: HttpRoute;
  /** For KEDA HTTP functions: what lets the route reach the interceptor in its namespace. */
  public readonly referenceGrant?: ReferenceGrant;

  constructor(scope: Construct, id: string, props: FunctionHttpRouteProps) {
    super(scope, id);
    const gw = props.route.gateway;
    const namespace = props.namespace ?? 'default';
    const { hostnames, paths } = routeHostsAndPaths(gw, props.functionName, namespace, props.route.options);
    this.hostnames = hostnames;
    this.paths = paths;

    const checks = new PropChecks(scope);
    for (const host of hostnames) {
      for (const path of paths) {
        const owner = gw._claim(host, path, scope.node.path);
        if (owner) checks.add('OFN_ROUTE_CONFLICT', 'route', `${host}${path}`, `is already routed to ${owner} on gateway ${gw.gatewayNamespace}/${gw.gatewayName}`, 'give the function its own hostname or path');
      }
    }
    if (checks.stop()) {
      this.externalUrls = [];
      this.internalUrls = [];
      return;
    }

    const scheme = gw.https ? 'https' : 'http';
    const isInternal = (h: string) => h.endsWith(`.${gw.clusterDomain}`);
    this.externalUrls = hostnames.filter((h) => !isInternal(h)).flatMap((h) => paths.map((p) => `${scheme}://${h}${p}`));
    this.internalUrls = hostnames.filter(isInternal).flatMap((h) => paths.map((p) => `http://${h}${p}`));

    const hostHeader = (value: string) => ({ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'Host', value }] } });
    let backendRefs: any[];
    let filters: any[] | undefined;
    if (props.backend.engine === 'knative') {
      backendRefs = props.backend.revisions.filter((r) => r.weight > 0).map((r) => ({
        kind: 'Service', name: r.name, port: 80, weight: r.weight,
        filters: [hostHeader(`${r.name}.${namespace}.svc.${gw.clusterDomain}`)],
      }));
    } else {
      backendRefs = [{ kind: 'Service', name: KEDA_INTERCEPTOR.name, namespace: KEDA_INTERCEPTOR.namespace, port: KEDA_INTERCEPTOR.port, weight: 1 }];
      filters = props.backend.host ? [hostHeader(props.backend.host)] : undefined;
      this.referenceGrant = interceptorReferenceGrant(this, props.functionName, namespace);
    }
    this.apiObject = new HttpRoute(this, 'Resource', {
      metadata: { name: props.functionName, namespace: props.namespace, labels: { ...props.labels, 'openfunction.io/gateway': `${gw.gatewayNamespace}.${gw.gatewayName}` } },
      spec: {
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: gw.gatewayNamespace, name: gw.gatewayName }],
        hostnames,
        rules: [{ matches: paths.map((p) => ({ path: { type: 'PathPrefix', value: p } })), ...(filters ? { filters } : {}), backendRefs }] as any,
      },
    });
  }
}

/**
 * Lets the HTTPRoute of one function use the KEDA interceptor Service in its namespace (one grant
 * per function, so functions stay independent of each other).
 * @internal
 */
export function interceptorReferenceGrant(scope: Construct, functionName: string, fromNamespace: string): ReferenceGrant {
  return new ReferenceGrant(scope, 'InterceptorGrant', {
    metadata: { name: joinName(fromNamespace, functionName, 253), namespace: KEDA_INTERCEPTOR.namespace },
    spec: {
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: fromNamespace }],
      to: [{ group: '', kind: 'Service', name: KEDA_INTERCEPTOR.name }],
    },
  });
}
