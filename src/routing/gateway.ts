import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Certificate, Issuer } from '../../imports/cert-manager.io';
import { Gateway } from '../../imports/gateway.networking.k8s.io';
import { PropChecks } from '../common/errors';
import { isDnsLabel } from '../common/names';
import { isObjectName } from '../common/refs';
import { SchemaValidation } from '../validation/validator';
import { isHostname, templateProblem } from './templates';

/** Where the HTTPS listener's certificate comes from. */
export class GatewayCertificate {
  /** A `kubernetes.io/tls` Secret the user manages. */
  public static fromSecret(secretName: string): GatewayCertificate {
    return new GatewayCertificate({ secretName });
  }

  /** A cert-manager Certificate for the domain, from an existing Issuer or ClusterIssuer. */
  public static certManager(issuer: { readonly name: string; readonly kind?: 'Issuer' | 'ClusterIssuer' }): GatewayCertificate {
    return new GatewayCertificate({ issuer: { name: issuer.name, kind: issuer.kind ?? 'ClusterIssuer' } });
  }

  /** A cert-manager self-signed Issuer and Certificate: for tests and internal domains only. */
  public static selfSigned(): GatewayCertificate {
    return new GatewayCertificate({ selfSigned: true });
  }

  private constructor(public readonly source: { readonly secretName?: string; readonly issuer?: { readonly name: string; readonly kind: string }; readonly selfSigned?: boolean }) {}
}

/** Props of {@link FunctionGateway}. */
export interface FunctionGatewayProps {
  /** The functions' domain, e.g. `fn.example.com`. */
  readonly domain: string;
  /**
   * `metadata.name` of the Gateway.
   * @default - the construct id
   */
  readonly name?: string;
  /** @default - the chart's namespace */
  readonly namespace?: string;
  /** @default 'cluster.local' */
  readonly clusterDomain?: string;
  /**
   * Hostname of a function whose route names no hostnames (host-based routing).
   * @default '{{.Name}}.{{.Namespace}}.{{.Domain}}'
   */
  readonly hostTemplate?: string;
  /**
   * Path of a function whose route gives hostnames but no paths (path-based routing).
   * @default '{{.Namespace}}/{{.Name}}'
   */
  readonly pathTemplate?: string;
  /**
   * GatewayClass of the Gateway this construct creates (not with `existingGateway`).
   * @default 'contour' (the class the platform's Contour provisioner serves)
   */
  readonly gatewayClassName?: string;
  /**
   * A Gateway the cluster already runs; routes attach to it and nothing is created. Its listeners
   * must accept `*.<domain>` routes from the functions' namespaces.
   * @default - a Gateway of class `gatewayClassName` is created
   */
  readonly existingGateway?: { readonly name: string; readonly namespace: string };
  /** @default 80 */
  readonly httpPort?: number;
  /**
   * An HTTPS listener on `*.<domain>`; it needs a certificate source.
   * @default - HTTP only
   */
  readonly https?: { readonly port?: number; readonly certificate?: GatewayCertificate };
  /**
   * Emit Knative's `config-domain` so Knative Services get URLs under `domain`. Turn it off when
   * the app's `OpenFunctionPlatform` sets `domain` (one owner per ConfigMap).
   * @default true
   */
  readonly knativeDomainConfig?: boolean;
}

/** Options of a function's route on a gateway. */
export interface RouteOptions {
  /**
   * Hostnames of the function.
   * @default - one, from the gateway's host template (host-based routing)
   */
  readonly hostnames?: string[];
  /**
   * One path prefix, the same as `paths: [path]`.
   * @default - see paths
   */
  readonly path?: string;
  /**
   * Path prefixes of the function.
   * @default - `/` with templated hostnames, else `/` + the gateway's path template (path-based)
   */
  readonly paths?: string[];
}

/** A function's route on a {@link FunctionGateway}; pass it as a Function's `route`. */
export interface FunctionRoute {
  readonly gateway: FunctionGateway;
  readonly options: RouteOptions;
}

/**
 * The gateway functions are reached through (OpenFunction's Gateway, as Gateway API objects): a
 * `gateway.networking.k8s.io/v1` Gateway with an HTTP listener for `*.<domain>`, an internal one for
 * `*.<clusterDomain>`, optionally HTTPS with a cert-manager or user certificate; or an existing
 * Gateway. Functions get an HTTPRoute each through `route()`.
 */
export class FunctionGateway extends Construct {
  public readonly domain: string;
  public readonly clusterDomain: string;
  public readonly hostTemplate: string;
  public readonly pathTemplate: string;
  /** The Gateway routes attach to. */
  public readonly gatewayName: string;
  public readonly gatewayNamespace: string;
  /** Whether external URLs use https. */
  public readonly https: boolean;
  public readonly gateway?: Gateway;
  public readonly certificate?: Certificate;
  private readonly claims = new Map<string, string>();


  constructor(scope: Construct, id: string, props: FunctionGatewayProps) {
    super(scope, id);
    const chart = Chart.of(this);
    this.domain = props.domain;
    this.clusterDomain = props.clusterDomain ?? 'cluster.local';
    this.hostTemplate = props.hostTemplate ?? '{{.Name}}.{{.Namespace}}.{{.Domain}}';
    this.pathTemplate = props.pathTemplate ?? '{{.Namespace}}/{{.Name}}';
    this.gatewayName = props.existingGateway?.name ?? props.name ?? id;
    this.gatewayNamespace = props.existingGateway?.namespace ?? props.namespace ?? chart.namespace ?? 'default';
    this.https = props.https !== undefined;

    const checks = new PropChecks(this);
    if (!isHostname(props.domain ?? '') || props.domain.startsWith('*')) {
      checks.add('OFN_HOSTNAME', 'domain', props.domain, 'is not a DNS domain', 'give a lower-case domain, e.g. fn.example.com');
    }
    if (!isHostname(this.clusterDomain)) checks.add('OFN_HOSTNAME', 'clusterDomain', this.clusterDomain, 'is not a DNS domain', "give the cluster's DNS domain, usually cluster.local");
    const hostProblem = templateProblem(this.hostTemplate, ['Name', 'Namespace', 'Domain']);
    if (hostProblem) checks.add('OFN_TEMPLATE', 'hostTemplate', this.hostTemplate, hostProblem, 'use {{.Name}}, {{.Namespace}} and {{.Domain}}, e.g. {{.Name}}.{{.Namespace}}.{{.Domain}}');
    const pathProblem = templateProblem(this.pathTemplate, ['Name', 'Namespace']);
    if (pathProblem) checks.add('OFN_TEMPLATE', 'pathTemplate', this.pathTemplate, pathProblem, 'use {{.Name}} and {{.Namespace}}, e.g. {{.Namespace}}/{{.Name}}');
    if (props.gatewayClassName !== undefined && props.existingGateway !== undefined) {
      checks.add('OFN_GATEWAY_SOURCE', 'gatewayClassName', props.gatewayClassName, 'is given with existingGateway', 'give gatewayClassName to create a Gateway, or existingGateway to use one, not both');
    }
    if (props.existingGateway && !(isDnsLabel(props.existingGateway.name) && isDnsLabel(props.existingGateway.namespace))) {
      checks.add('OFN_NAME', 'existingGateway', props.existingGateway, 'does not name a Gateway', 'give the name and namespace of the Gateway');
    }
    if (!props.existingGateway && !isDnsLabel(this.gatewayName)) checks.add('OFN_NAME', 'name', this.gatewayName, 'is not a DNS-1123 label', 'pass name');
    if (props.https && !props.https.certificate) {
      checks.add('OFN_TLS', 'https.certificate', undefined, 'is missing: an HTTPS listener needs a certificate', 'give GatewayCertificate.fromSecret(name), .certManager({ name: issuer }) or .selfSigned()');
    }
    const secretName = props.https?.certificate?.source.secretName;
    if (secretName !== undefined && !isObjectName(secretName)) checks.add('OFN_SECRET_NAME', 'https.certificate', secretName, 'is not a valid Secret name', 'give the name of a kubernetes.io/tls Secret');
    if (props.https && props.existingGateway) {
      checks.add('OFN_TLS', 'https', props.https, 'cannot be added to an existing Gateway', 'configure TLS on that Gateway, or let this construct create one');
    }
    for (const [prop, port] of [['httpPort', props.httpPort], ['https.port', props.https?.port]] as const) {
      if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) checks.add('OFN_PORT', prop, port, 'is not a port number from 1 to 65535', 'give e.g. 80 or 443');
    }
    if (checks.stop()) return;

    if (!props.existingGateway) {
      const tlsSecret = secretName ?? `${this.gatewayName}-tls`;
      const cert = props.https?.certificate?.source;
      if (cert?.selfSigned) {
        new Issuer(this, 'SelfSignedIssuer', { metadata: { name: `${this.gatewayName}-selfsigned`, namespace: this.gatewayNamespace }, spec: { selfSigned: {} } });
      }
      if (cert && !cert.secretName) {
        this.certificate = new Certificate(this, 'Certificate', {
          metadata: { name: `${this.gatewayName}-tls`, namespace: this.gatewayNamespace },
          spec: {
            secretName: tlsSecret,
            dnsNames: [this.domain, `*.${this.domain}`],
            issuerRef: cert.issuer ? { name: cert.issuer.name, kind: cert.issuer.kind, group: 'cert-manager.io' } : { name: `${this.gatewayName}-selfsigned`, kind: 'Issuer', group: 'cert-manager.io' },
          },
        });
      }
      const fromAll = { namespaces: { from: 'All' } };
      const listeners: any[] = [
        { name: 'http', hostname: `*.${this.domain}`, port: props.httpPort ?? 80, protocol: 'HTTP', allowedRoutes: fromAll },
        // OpenFunction's injected listener: in-cluster names reach functions through the gateway too.
        { name: 'ofn-http-internal', hostname: `*.${this.clusterDomain}`, port: props.httpPort ?? 80, protocol: 'HTTP', allowedRoutes: fromAll },
      ];
      if (props.https) {
        listeners.push({ name: 'https', hostname: `*.${this.domain}`, port: props.https.port ?? 443, protocol: 'HTTPS', allowedRoutes: fromAll, tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: tlsSecret }] } });
      }
      this.gateway = new Gateway(this, 'Gateway', {
        metadata: { name: this.gatewayName, namespace: this.gatewayNamespace, labels: { 'app.kubernetes.io/managed-by': 'openfunction-constructs' } },
        spec: { gatewayClassName: props.gatewayClassName ?? 'contour', listeners },
      });
    }
    if (props.knativeDomainConfig ?? true) {
      new ApiObject(this, 'KnativeDomain', {
        apiVersion: 'v1', kind: kplus.k8s.KubeConfigMap.GVK.kind,
        metadata: { name: 'config-domain', namespace: 'knative-serving' },
        data: { [this.domain]: '' },
      });
    }
    SchemaValidation.addTo(chart);
  }

  /** A route for a function on this gateway (pass it as the Function's `route`). */
  public route(options: RouteOptions = {}): FunctionRoute {
    const { path, ...rest } = options;
    return { gateway: this, options: path === undefined ? rest : { ...rest, paths: [path, ...rest.paths ?? []] } };
  }

  /**
   * Records that `owner` serves `host` + `path` here; returns the owner that already did, if any.
   * @internal
   */
  public _claim(host: string, path: string, owner: string): string | undefined {
    const key = `${host}\0${path}`;
    const existing = this.claims.get(key);
    if (existing && existing !== owner) return existing;
    this.claims.set(key, owner);
    return undefined;
  }
}
