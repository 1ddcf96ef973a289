/**
 * Istio traffic management for one service: the VirtualService (A/B routes, the weighted split, retries,
 * timeouts, faults, mirroring), the DestinationRule (versions as subsets, TLS, circuit breaking, locality
 * load balancing) and the optional ingress Gateway.
 */
import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { TrafficShare } from '../../core/delivery';
import { createObject } from '../../core/l1';
import * as networking from '../../imports/networking.istio.io';
import {
  ConnectionPool, FaultInjection, HttpRoute, IngressProps, LoadBalancer, LocalityFailover, LocalityWeights,
  MirrorPolicy, OutlierDetection, RetryPolicy, RouteMatch,
} from '../../model/traffic';
import { subsetName } from './names';

/** A version the app runs: a DestinationRule subset. */
export interface RoutedVersion {
  /** The version, e.g. `v1`. */
  readonly version: string;
  /** Labels of the version's pods. */
  readonly labels: Record<string, string>;
}

/** A service's routing, resolved from its props, app and mesh. */
export interface RoutingIntent {
  /** Name of the app: the VirtualService and DestinationRule are named after it. */
  readonly name: string;
  /** Namespace of the app. */
  readonly namespace: string;
  /** Labels of every object. */
  readonly labels: Record<string, string>;
  /** In-mesh host, `<app>.<namespace>.svc.cluster.local`. */
  readonly host: string;
  /** Service port the routes target. */
  readonly servicePort: number;
  /**
   * The port carries opaque TCP (its name says tcp, tls, mongo, redis or mysql): Istio ignores `http` routes on
   * it, so the split is rendered as a `tcp` route.
   * @default false
   */
  readonly tcp?: boolean;
  /** Versions the app runs. */
  readonly versions: readonly RoutedVersion[];
  /** Weight of each version in the default route (weights of 0 are left out). */
  readonly weights: Readonly<Record<string, number>>;
  /** A/B routes, tried before the split. */
  readonly routes: readonly HttpRoute[];
  readonly retries?: RetryPolicy;
  readonly timeout?: Duration;
  readonly fault?: FaultInjection;
  readonly mirror?: MirrorPolicy;
  readonly connectionPool?: ConnectionPool;
  readonly outlierDetection?: OutlierDetection | false;
  readonly loadBalancer?: LoadBalancer;
  readonly localityFailover?: LocalityFailover;
  readonly localityWeights?: readonly LocalityWeights[];
  /** Regions the app runs in, sorted: region failover goes round them. */
  readonly regions: readonly string[];
  /** Public exposure through the mesh's ingress gateway. */
  readonly ingress?: IngressProps;
  /** Pod labels of the mesh's ingress gateway. */
  readonly ingressGatewayLabels: Record<string, string>;
}

/** The routing objects of a service. */
export interface RoutingObjects {
  readonly gateway?: ApiObject;
  readonly virtualService: ApiObject;
  readonly destinationRule: ApiObject;
}

/** Renders the ingress Gateway (when exposed), the VirtualService and the DestinationRule, in that order. */
export function renderRouting(scope: Construct, intent: RoutingIntent): RoutingObjects {
  const gateway = intent.ingress ? renderGateway(scope, intent, intent.ingress) : undefined;
  const virtualService = renderVirtualService(scope, intent, !!gateway);
  const destinationRule = renderDestinationRule(scope, intent);
  return { gateway, virtualService, destinationRule };
}

function metadata(intent: RoutingIntent, name: string) {
  return { name, namespace: intent.namespace, labels: intent.labels };
}

function gatewayName(intent: RoutingIntent): string {
  return ingressGatewayName(intent.name);
}

/** The ingress Gateway alone: for a service whose routes Flagger writes. */
export function renderIngressGateway(scope: Construct, intent: RoutingIntent): ApiObject | undefined {
  return intent.ingress ? renderGateway(scope, intent, intent.ingress) : undefined;
}

/** The name of the service's ingress Gateway. */
export function ingressGatewayName(app: string): string {
  return `${app}-ingress`;
}

function renderGateway(scope: Construct, intent: RoutingIntent, ingress: IngressProps): ApiObject {
  const hosts = () => ingress.hosts.map((h) => `${intent.namespace}/${h}`);
  return createObject(scope, 'Gateway', networking.Gateway.GVK, networking.toJson_GatewayProps, {
    metadata: metadata(intent, gatewayName(intent)),
    spec: {
      selector: intent.ingressGatewayLabels,
      servers: [
        ...(ingress.tlsSecret
          ? [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: hosts(), tls: { mode: 'SIMPLE' as any, credentialName: ingress.tlsSecret } }]
          : []),
        {
          port: { number: 80, name: 'http', protocol: 'HTTP' },
          hosts: hosts(),
          tls: ingress.tlsSecret && (ingress.httpsRedirect ?? true) ? { httpsRedirect: true } : undefined,
        },
      ],
    },
  });
}

/** A TCP service: its weighted split as a `tcp` route on its port (HTTP features are refused by the checks). */
function renderTcpVirtualService(scope: Construct, intent: RoutingIntent): ApiObject {
  const split = Object.entries(intent.weights).filter(([, w]) => w > 0);
  return createObject(scope, 'VirtualService', networking.VirtualService.GVK, networking.toJson_VirtualServiceProps, {
    metadata: metadata(intent, intent.name),
    spec: {
      hosts: [intent.host],
      tcp: [{ match: [{ port: intent.servicePort }], route: split.map(([v, w]) => ({ destination: destination(intent, v), weight: split.length > 1 ? w : undefined })) }] as any,
    },
  });
}

function renderVirtualService(scope: Construct, intent: RoutingIntent, exposed: boolean): ApiObject {
  if (intent.tcp) return renderTcpVirtualService(scope, intent);
  const common = routePolicy(intent);
  const split = Object.entries(intent.weights).filter(([, w]) => w > 0);
  const mirror = intent.mirror;
  return createObject(scope, 'VirtualService', networking.VirtualService.GVK, networking.toJson_VirtualServiceProps, {
    metadata: metadata(intent, intent.name),
    spec: {
      hosts: [intent.host, ...(intent.ingress?.hosts ?? [])],
      gateways: exposed ? ['mesh', `${intent.namespace}/${gatewayName(intent)}`] : undefined,
      http: [
        ...intent.routes.map((r) => ({ name: r.name, match: [renderMatch(r.match)], route: [{ destination: destination(intent, r.version) }], ...common })),
        {
          name: 'default',
          route: split.map(([v, w]) => ({ destination: destination(intent, v), weight: split.length > 1 ? w : undefined })),
          ...common,
          fault: intent.fault ? renderFault(intent.fault) : undefined,
          mirror: mirror ? (mirror.host ? { host: mirror.host } : { host: intent.host, subset: subsetName(mirror.version!) }) : undefined,
          mirrorPercentage: mirror ? { value: mirror.percent } : undefined,
        },
      ] as any,
    },
  });
}

/** Timeout and retries, shared by every HTTP route. */
export function routePolicy(intent: Pick<RoutingIntent, 'retries' | 'timeout'>): Record<string, unknown> {
  const retries = intent.retries;
  return {
    timeout: intent.timeout ? istioDuration(intent.timeout) : undefined,
    retries: retries
      ? { attempts: retries.attempts, perTryTimeout: retries.perTryTimeout ? istioDuration(retries.perTryTimeout) : undefined, retryOn: retries.retryOn?.join(',') }
      : undefined,
  };
}

function renderFault(fault: FaultInjection): Record<string, unknown> {
  return {
    delay: fault.delay ? { fixedDelay: istioDuration(fault.delay.fixed), percentage: { value: fault.delay.percent } } : undefined,
    abort: fault.abort ? { httpStatus: fault.abort.httpStatus, percentage: { value: fault.abort.percent } } : undefined,
  };
}

function destination(intent: RoutingIntent, version: string): Record<string, unknown> {
  return { host: intent.host, subset: subsetName(version), port: { number: intent.servicePort } };
}

function renderDestinationRule(scope: Construct, intent: RoutingIntent): ApiObject {
  return createObject(scope, 'DestinationRule', networking.DestinationRule.GVK, networking.toJson_DestinationRuleProps, {
    metadata: metadata(intent, intent.name),
    spec: {
      host: intent.host,
      trafficPolicy: trafficPolicy(intent) as any,
      subsets: intent.versions.map((v) => ({ name: subsetName(v.version), labels: v.labels })),
    },
  });
}

/**
 * The traffic policy of the service's DestinationRule (mTLS, circuit breaking, outlier detection, locality), as
 * the binding takes it. Flagger writes the same policy into the DestinationRules it generates.
 */
export function trafficPolicy(intent: Pick<RoutingIntent, 'localityFailover' | 'outlierDetection' | 'connectionPool' | 'loadBalancer' | 'localityWeights' | 'regions'>): Record<string, unknown> {
  const failover = intent.localityFailover;
  const od = intent.outlierDetection === false ? undefined : intent.outlierDetection ?? (failover ? {} : undefined);
  return {
    tls: { mode: 'ISTIO_MUTUAL' },
    connectionPool: intent.connectionPool ? renderConnectionPool(intent.connectionPool) : undefined,
    // Locality failover only fires when unhealthy endpoints are ejected (rule 28).
    outlierDetection: od ? renderOutlierDetection(od) : undefined,
    loadBalancer: renderLoadBalancer(intent),
  };
}

function renderConnectionPool(pool: ConnectionPool): Record<string, unknown> {
  return {
    tcp: pool.maxConnections !== undefined || pool.connectTimeout
      ? { maxConnections: pool.maxConnections, connectTimeout: pool.connectTimeout ? istioDuration(pool.connectTimeout) : undefined }
      : undefined,
    http: {
      http1MaxPendingRequests: pool.http1MaxPendingRequests,
      http2MaxRequests: pool.http2MaxRequests,
      maxRequestsPerConnection: pool.maxRequestsPerConnection,
      maxRetries: pool.maxRetries,
    },
  };
}

function renderOutlierDetection(od: OutlierDetection): Record<string, unknown> {
  return {
    // The binding camel-cases the field name: consecutive5xxErrors on the wire.
    consecutive5XxErrors: od.consecutive5xxErrors ?? 5,
    interval: istioDuration(od.interval ?? Duration.seconds(10)),
    baseEjectionTime: istioDuration(od.baseEjectionTime ?? Duration.seconds(30)),
    maxEjectionPercent: od.maxEjectionPercent ?? 50,
  };
}

function renderLoadBalancer(intent: Pick<RoutingIntent, 'loadBalancer' | 'localityFailover' | 'localityWeights' | 'regions'>): Record<string, unknown> | undefined {
  const failover = intent.localityFailover;
  const weights = intent.localityWeights;
  if (!intent.loadBalancer && !failover && !weights) return undefined;
  const regions = intent.regions;
  return {
    simple: intent.loadBalancer as any,
    localityLbSetting: failover || weights
      ? {
          enabled: true,
          failover: failover === LocalityFailover.REGIONS ? regions.map((r, i) => ({ from: r, to: regions[(i + 1) % regions.length] })) : undefined,
          failoverPriority: failover === LocalityFailover.PRIORITY ? ['topology.istio.io/network', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone'] : undefined,
          distribute: weights?.map((d) => ({ from: d.from, to: d.to })),
        }
      : undefined,
  };
}

function renderMatch(m: RouteMatch): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) headers[k] = { exact: v };
  if (m.cookie) headers.cookie = { regex: `^(.*?;\\s*)?(${escapeRegex(m.cookie.name)}=${escapeRegex(m.cookie.value)})(;.*)?$` };
  return {
    headers: Object.keys(headers).length ? headers : undefined,
    uri: m.uriPrefix ? { prefix: m.uriPrefix } : undefined,
    method: m.method ? { exact: m.method } : undefined,
  };
}

/** A protobuf duration as Istio writes it: whole seconds as `30s`, otherwise milliseconds. */
function istioDuration(d: Duration): string {
  const ms = d.toMilliseconds();
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The load each version of the app takes: its weight in the split plus the percentage mirrored to it (mirrored
 * requests are served, their responses dropped). Versions that A/B routes reach take a share that depends on
 * the requests, unknown at synthesis.
 */
export function versionLoads(
  versions: readonly string[],
  weights: Readonly<Record<string, number>>,
  routes: readonly HttpRoute[],
  mirror: MirrorPolicy | undefined,
): Record<string, TrafficShare> {
  const mirrored = mirror && !mirror.host ? mirror.version : undefined;
  return Object.fromEntries(versions.map((v) => [v, {
    percent: (weights[v] ?? 0) + (v === mirrored ? mirror!.percent : 0),
    routed: routes.some((r) => r.version === v),
  }]));
}
