import { PlatformConstruct } from './private/platform-construct';
import { ApiObject, Duration } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import * as policy from '../imports/policy.karmada.io';
import * as networking from '../imports/networking.istio.io';
import * as security from '../imports/security.istio.io';
import * as telemetry from '../imports/telemetry.istio.io';
import { createLazyObject, createObject } from '../core/l1';
import { isDnsLabel, isDnsSubdomain } from '../core/names';
import { ApplyTarget } from '../core/target';
import { DeliveryMode } from '../core/target';
import { platformOf } from '../core/context';
import { FederatedApp } from './federated-app';
import { MeshTelemetry } from '../model/tenancy';
import { Tenant } from './tenant';
import { telemetrySpec } from '../engines/mesh/telemetry';
import { subsetName } from '../engines/mesh/names';
import { Traffic, HttpRoute, RetryPolicy, FaultInjection, MirrorPolicy, ConnectionPool, OutlierDetection, LoadBalancer, LocalityFailover, LocalityWeights, IngressProps, ExternalHost, MeshCaller, AllowOptions, MeshResources, RouteMatch } from '../model/traffic';

/** Properties of a {@link MeshedService}. */
export interface MeshedServiceProps {
  /** The application. */
  readonly app: FederatedApp;
  /**
   * Name of the app port the routes target.
   * @default - the first port
   */
  readonly port?: string;
  /**
   * How traffic is split across versions.
   * @default Traffic.stable()
   */
  readonly traffic?: Traffic;
  /**
   * Routes that send matching requests to a version (A/B), tried before the split.
   * @default - none
   */
  readonly routes?: HttpRoute[];
  /** @default - Istio defaults */
  readonly retries?: RetryPolicy;
  /** @default - no timeout */
  readonly timeout?: Duration;
  /** @default - none */
  readonly fault?: FaultInjection;
  /** @default - none */
  readonly mirror?: MirrorPolicy;
  /** @default - unlimited */
  readonly connectionPool?: ConnectionPool;
  /**
   * Outlier detection, or false for none (not allowed with locality failover).
   * @default - none, or the defaults of {@link OutlierDetection} with locality failover
   */
  readonly outlierDetection?: OutlierDetection | false;
  /** @default - Istio default (LEAST_REQUEST) */
  readonly loadBalancer?: LoadBalancer;
  /**
   * Fail over between the localities the app runs in (derived from the platform's regions).
   * @default - no locality failover
   */
  readonly localityFailover?: LocalityFailover;
  /**
   * Locality-weighted distribution (not with failover).
   * @default - none
   */
  readonly localityWeights?: LocalityWeights[];
  /** @default - not exposed */
  readonly ingress?: IngressProps;
  /**
   * Services this one calls; its sidecar egress is scoped to them (plus externalHosts).
   * @default - no egress scoping
   */
  readonly calls?: MeshedService[];
  /** @default - none */
  readonly externalHosts?: ExternalHost[];
  /** @default - the tenant's */
  readonly telemetry?: MeshTelemetry;
}

interface Caller {
  readonly source: MeshedService | Tenant | MeshCaller;
  readonly options: AllowOptions;
}

const RETRY_ON = new Set([
  '5xx', 'gateway-error', 'reset', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure', 'cancelled', 'deadline-exceeded',
  'internal', 'resource-exhausted', 'unavailable', 'reset-before-request',
]);
const PROTOCOL_PREFIXES = ['http', 'http2', 'https', 'grpc', 'grpc-web', 'tcp', 'tls', 'mongo', 'redis', 'mysql', 'udp'];

/**
 * Istio traffic management and zero-trust access for a FederatedApp across the fleet: a VirtualService and
 * DestinationRule (versions as subsets, canary and blue/green splits, A/B routes, retries, timeouts, faults,
 * mirroring, circuit breaking, locality failover), an optional ingress Gateway, an ALLOW AuthorizationPolicy
 * with SPIFFE principals for the callers named with `allowFrom` (mirrored by NetworkPolicies), Sidecar egress
 * scoping, ServiceEntries and Telemetry. The objects go to every primary cluster the tenant uses.
 */
export class MeshedService extends PlatformConstruct {
  /** The application. */
  public readonly app: FederatedApp;
  /** The tenant. */
  public readonly tenant: Tenant;
  /** Fully qualified host, `<app>.<namespace>.svc.cluster.local`. */
  public readonly host: string;

  private readonly props: MeshedServiceProps;
  private readonly callers: Caller[] = [];
  private readonly resourcesByTarget = new Map<string, MeshResources>();

  constructor(scope: Tenant, id: string, props: MeshedServiceProps) {
    super(scope, id);
    this.props = props ?? ({} as MeshedServiceProps);
    this.tenant = scope;
    this.app = this.props.app;
    if (!(this.app instanceof FederatedApp)) {
      this.sink.error('FP-MESH', 'app', this.app, 'a MeshedService needs the FederatedApp it routes to.', 'pass app: <FederatedApp>.');
      this.host = '';
      return;
    }
    this.host = `${this.app.appName}.${this.app.tenant.namespace}.svc.cluster.local`;
    this.sink.guard(() => {
      this.checkProps();
      if (!this.sink.hasErrors) {
        for (const target of this.targets()) this.resourcesByTarget.set(target.name, this.render(target));
        this.renderNetworkPolicy();
      }
    });
  }

  /**
   * Allows requests from another MeshedService, a whole Tenant, or the ingress gateway (optionally only some
   * methods or paths): an ALLOW rule with the caller's SPIFFE principal (or namespace), mirrored by
   * NetworkPolicies so traffic outside the mesh is blocked too.
   */
  public allowFrom(source: MeshedService | Tenant | MeshCaller, options: AllowOptions = {}): this {
    const at = `allowFrom(${this.callers.length})`;
    if (!(source instanceof MeshedService || source instanceof Tenant || source instanceof MeshCaller)) {
      this.sink.error('K36', at, source, 'a caller is a MeshedService, a Tenant or MeshCaller.ingressGateway().', 'pass one of those.');
      return this;
    }
    if ((source instanceof MeshedService || source instanceof Tenant) && platformOf(source) !== this.context) {
      this.sink.error('K36', at, source.node.path, 'the caller belongs to another platform, so its principal does not exist in this mesh.', 'allow callers of the same platform.');
      return this;
    }
    if (source instanceof Tenant && !source.meshed) {
      this.sink.error('K36', at, source.namespace, 'the calling tenant is not in the mesh, so its requests carry no mTLS identity and are denied.', 'put the tenant in the mesh.');
    }
    for (const m of options.methods ?? []) {
      if (!/^[A-Z]+$/.test(m)) this.sink.error('K36', `${at}.methods`, m, 'HTTP methods are upper-case words.', 'use e.g. "GET".');
    }
    for (const p of options.paths ?? []) {
      if (typeof p !== 'string' || !p.startsWith('/')) this.sink.error('K36', `${at}.paths`, p, 'paths start with "/".', 'use e.g. "/api/*".');
    }
    this.callers.push({ source, options });
    this.mirrorEgress(source);
    return this;
  }

  /** The objects emitted into a target (`control-plane`, or `cluster-<name>` in direct mode). */
  public resourcesIn(target: string): MeshResources | undefined {
    return this.resourcesByTarget.get(target);
  }

  /** SPIFFE principal of the app's ServiceAccount. */
  public get principal(): string {
    return `${this.context.mesh?.trustDomain ?? 'cluster.local'}/ns/${this.app.tenant.namespace}/sa/${this.app.appName}`;
  }

  // ---------------------------------------------------------------------------------------------

  private targets(): ApplyTarget[] {
    if (this.context.delivery === DeliveryMode.KARMADA) return this.context.controlPlane ? [this.context.controlPlane] : [];
    return this.tenant.meshPrimaries.map((c) => this.context.memberTarget(c)).filter((t): t is ApplyTarget => !!t);
  }

  private get port() {
    const ports = this.app.ports;
    return this.props.port ? ports.find((p) => p.name === this.props.port) : ports[0];
  }

  private checkProps(): void {
    const { sink, props, app } = this;
    const mesh = this.context.mesh;
    if (!mesh) {
      sink.error('FP-MESH', 'app', app.node.path, 'the platform has no mesh.', 'declare `mesh` on the DistributedPlatform.');
      return;
    }
    if (app.tenant !== this.tenant) sink.error('FP-MESH', 'app', app.node.path, 'the app belongs to another tenant.', 'create the MeshedService in the app\'s tenant.');
    if (!this.tenant.meshed) sink.error('FP-MESH', 'scope', this.tenant.namespace, 'the tenant is not in the mesh.', 'drop `mesh: false` on the tenant.');
    if (!this.port) {
      sink.error('FP-MESH', 'port', props.port, props.port ? `the app has no port named "${props.port}".` : 'the app exposes no port to route to.', `use one of: ${app.ports.map((p) => p.name).join(', ') || 'declare a port on the app'}.`);
    }
    // Rule 5: Istio detects the protocol from the port name (or appProtocol), else treats it as TCP.
    for (const p of app.ports) {
      if (!PROTOCOL_PREFIXES.some((pre) => p.name === pre || p.name.startsWith(`${pre}-`))) {
        sink.warn('K5', 'app.ports', p.name, `the port name has no protocol prefix, so Istio treats it as plain TCP (no HTTP routing, retries or metrics).`, 'name it e.g. "http", "http-web" or "grpc-api".');
      }
    }

    // Versions, weights and routes (rule 30).
    const versions = app.versions;
    const known = (v: string) => versions.includes(v);
    // Rule 32: subset names are unique DNS labels.
    const distinct = [...new Set(versions)];
    const subsets = distinct.map(subsetName);
    if (new Set(subsets).size !== subsets.length) {
      sink.error('K32', 'app.versions', versions, `the versions ${versions.join(' and ')} map to the same subset name "${subsets[0]}".`, 'give the canary a version that differs in more than case and punctuation, e.g. "v2".');
    }
    const ms = (prop: string, d: Duration | undefined) => {
      if (d !== undefined && !(d.toMilliseconds() >= 1)) sink.error('K30', prop, `${d.toMilliseconds()}ms`, 'Istio durations are at least 1 ms.', 'use e.g. Duration.millis(100).');
    };
    ms('fault.delay.fixed', props.fault?.delay?.fixed);
    ms('connectionPool.connectTimeout', props.connectionPool?.connectTimeout);
    if (props.outlierDetection) {
      ms('outlierDetection.interval', props.outlierDetection.interval);
      ms('outlierDetection.baseEjectionTime', props.outlierDetection.baseEjectionTime);
    }
    const traffic = props.traffic ?? Traffic.stable();
    if (traffic.kind === 'canary') {
      const w = traffic.canaryWeight;
      if (app.canaryVersion === undefined) sink.error('FP-CANARY', 'traffic', 'canary', 'the app runs no canary version.', 'set `canary: { version: "v2" }` on the FederatedApp.');
      if (w === undefined || !Number.isInteger(w) || w < 0 || w > 100) sink.error('K30', 'traffic.canaryWeight', w, 'the canary weight is a whole percentage from 0 to 100.', 'use e.g. 10.');
    } else {
      const weights = traffic._resolve(app);
      const sum = Object.values(weights).reduce((a, b) => a + b, 0);
      for (const [v, w] of Object.entries(weights)) {
        if (!known(v)) sink.error('K30', `traffic.weights['${v}']`, v, `the app does not run version "${v}" (it runs ${versions.join(', ')}), so its subset would not exist and requests would fail with 503.`, `route to ${versions.join(' or ')}, or add a canary.`);
        if (!Number.isInteger(w) || w < 0) sink.error('K30', `traffic.weights['${v}']`, w, 'a route weight is a whole number ≥ 0.', 'use e.g. 90.');
      }
      if (sum !== 100) sink.error('K30', 'traffic.weights', weights, `route weights sum to ${sum}, not 100.`, 'make the weights add up to 100.');
    }
    const routeNames = new Set<string>(['default']);
    (props.routes ?? []).forEach((r, i) => {
      const at = `routes[${i}]`;
      if (typeof r?.name !== 'string' || !isDnsLabel(r.name)) sink.error('K30', `${at}.name`, r?.name, 'a route name must be a DNS-1123 label.', 'use e.g. "beta-users".');
      if (routeNames.has(r?.name)) sink.error('K30', `${at}.name`, r?.name, 'route names must be unique ("default" is taken by the split).', 'rename the route.');
      routeNames.add(r?.name);
      if (!known(r?.version)) sink.error('K30', `${at}.version`, r?.version, `the app does not run version "${r?.version}" (it runs ${versions.join(', ')}).`, `use ${versions.join(' or ')}.`);
      const m = r?.match ?? {};
      if (!m.headers && !m.cookie && !m.uriPrefix && !m.method) sink.error('K30', `${at}.match`, m, 'a route must match something, or it would take all traffic before the split.', 'match a header, cookie, URI prefix or method.');
      for (const h of Object.keys(m.headers ?? {})) {
        if (!/^[a-z0-9-]+$/.test(h)) sink.error('K30', `${at}.match.headers`, h, 'header names are lower-case letters, digits and "-".', 'use e.g. "x-canary".');
      }
      if (m.cookie && !/^[A-Za-z0-9_.-]+$/.test(m.cookie.name ?? '')) sink.error('K30', `${at}.match.cookie.name`, m.cookie.name, 'invalid cookie name.', 'use letters, digits, "_", "-" or ".".');
    });

    // Retries, timeouts, faults, mirroring.
    const r = props.retries;
    if (r) {
      if (!Number.isInteger(r.attempts) || r.attempts < 0) sink.error('K30', 'retries.attempts', r.attempts, 'attempts is a whole number ≥ 0.', 'use e.g. 2.');
      if (r.attempts === 0 && (r.perTryTimeout || r.retryOn)) sink.error('K30', 'retries', r, 'other retry settings are an error when attempts is 0.', 'drop them or raise attempts.');
      for (const t of r.retryOn ?? []) {
        if (!RETRY_ON.has(t) && !/^[1-5][0-9][0-9]$/.test(t)) sink.error('K30', 'retries.retryOn', t, 'unknown retry condition.', `use one of ${[...RETRY_ON].join(', ')} or a status code.`);
      }
      if (r.perTryTimeout && r.perTryTimeout.toMilliseconds() < 1) sink.error('K30', 'retries.perTryTimeout', r.perTryTimeout.toMilliseconds(), 'durations are at least 1 ms.', 'use e.g. Duration.seconds(1).');
    }
    if (props.timeout && props.timeout.toMilliseconds() < 1) sink.error('K30', 'timeout', props.timeout.toMilliseconds(), 'durations are at least 1 ms.', 'use e.g. Duration.seconds(3).');
    const pct = (prop: string, v: number | undefined) => {
      if (v === undefined || !(v === 0 || (v >= 0.0001 && v <= 100))) sink.error('K30', prop, v, 'a percentage is 0 or between 0.0001 and 100.', 'use e.g. 5.');
    };
    const f = props.fault;
    if (f) {
      if (!f.delay && !f.abort) sink.error('K30', 'fault', f, 'fault injection needs a delay or an abort.', 'give delay and/or abort.');
      if (f.delay) pct('fault.delay.percent', f.delay.percent);
      if (f.abort) {
        pct('fault.abort.percent', f.abort.percent);
        if (!Number.isInteger(f.abort.httpStatus) || f.abort.httpStatus < 200 || f.abort.httpStatus > 599) sink.error('K30', 'fault.abort.httpStatus', f.abort.httpStatus, 'an abort status is an HTTP status from 200 to 599.', 'use e.g. 503.');
      }
    }
    const mirror = props.mirror;
    if (mirror) {
      if (!(mirror.percent >= 0 && mirror.percent <= 100)) sink.error('K30', 'mirror.percent', mirror.percent, 'a mirror percentage is between 0 and 100.', 'use e.g. 5.');
      if (mirror.version === undefined && mirror.host === undefined) sink.error('K30', 'mirror', mirror, 'a mirror needs a version or a host.', 'give version or host.');
      if (mirror.version !== undefined && mirror.host === undefined && !known(mirror.version)) sink.error('K30', 'mirror.version', mirror.version, `the app does not run version "${mirror.version}".`, `use ${versions.join(' or ')}.`);
      if (mirror.host !== undefined && !isHost(mirror.host)) sink.error('K31', 'mirror.host', mirror.host, 'not a valid host name.', 'use a fully qualified name such as "shadow.shop.svc.cluster.local".');
    }
    for (const [k, v] of Object.entries(props.connectionPool ?? {})) {
      if (v instanceof Duration) continue;
      if (!Number.isInteger(v) || (v as number) < 0) sink.error('FP-MESH', `connectionPool.${k}`, v, 'connection-pool limits are whole numbers ≥ 0.', 'use e.g. 100.');
    }
    if (props.outlierDetection) {
      const m = props.outlierDetection.maxEjectionPercent;
      if (m !== undefined && !(m >= 0 && m <= 100)) sink.error('FP-MESH', 'outlierDetection.maxEjectionPercent', m, 'a percentage from 0 to 100.', 'use e.g. 50.');
    }
    if (props.loadBalancer !== undefined && !Object.values(LoadBalancer).includes(props.loadBalancer)) sink.error('FP-MESH', 'loadBalancer', props.loadBalancer, 'unknown load balancer.', 'use LoadBalancer.LEAST_REQUEST, ROUND_ROBIN, RANDOM or PASSTHROUGH.');

    // Locality (rule 28).
    if (props.localityFailover !== undefined) {
      if (!Object.values(LocalityFailover).includes(props.localityFailover)) sink.error('K28', 'localityFailover', props.localityFailover, 'unknown failover mode.', 'use LocalityFailover.REGIONS or PRIORITY.');
      if (props.outlierDetection === false) sink.error('K28', 'outlierDetection', false, 'locality failover never triggers without outlier detection.', 'keep outlier detection (fleetplane adds defaults).');
      if (props.localityFailover === LocalityFailover.REGIONS && this.regions().length < 2) {
        sink.error('K28', 'localityFailover', this.regions(), 'region failover needs the app in at least two regions.', 'place the app in a second region, or use LocalityFailover.PRIORITY.');
      }
      if (props.localityWeights) sink.error('K28', 'localityWeights', props.localityWeights, '`distribute` and `failover` are exclusive.', 'use one of localityWeights and localityFailover.');
    }
    (props.localityWeights ?? []).forEach((d, i) => {
      const sum = Object.values(d.to ?? {}).reduce((a, b) => a + b, 0);
      for (const [loc, w] of Object.entries(d.to ?? {})) {
        if (!Number.isInteger(w) || w < 1 || w > 100) sink.error('K28', `localityWeights[${i}].to['${loc}']`, w, 'a locality weight is a whole number from 1 to 100.', 'use e.g. 80.');
      }
      if (sum !== 100) sink.error('K28', `localityWeights[${i}].to`, d.to, `locality weights sum to ${sum}, not 100.`, 'make them add up to 100.');
      if (typeof d.from !== 'string' || d.from.length === 0) sink.error('K28', `localityWeights[${i}].from`, d.from, 'give the origin locality.', 'use e.g. "cn-north/*".');
    });

    // Ingress (rules 31, 33).
    const ing = props.ingress;
    if (ing) {
      if (!Array.isArray(ing.hosts) || ing.hosts.length === 0) sink.error('K31', 'ingress.hosts', ing.hosts, 'an ingress needs at least one host.', 'e.g. ["shop.example.com"].');
      (ing.hosts ?? []).forEach((h, i) => {
        if (h === '*' || !isHost(h.replace(/^\*\./, 'wildcard.'))) sink.error('K31', `ingress.hosts[${i}]`, h, 'not a valid public host name ("*" alone is not allowed).', 'use e.g. "shop.example.com" or "*.example.com".');
      });
      if (new Set(ing.hosts ?? []).size !== (ing.hosts ?? []).length) sink.error('K31', 'ingress.hosts', ing.hosts, 'duplicate hosts.', 'list each host once.');
      if (ing.tlsSecret !== undefined && !isDnsSubdomain(ing.tlsSecret)) sink.error('K33', 'ingress.tlsSecret', ing.tlsSecret, 'not a valid Secret name.', 'use e.g. "shop-tls".');
      if (ing.httpsRedirect && !ing.tlsSecret) sink.error('K33', 'ingress.httpsRedirect', true, 'redirecting to HTTPS needs a TLS certificate.', 'set tlsSecret.');
    }

    // Egress (rules 37, 38).
    (props.calls ?? []).forEach((c, i) => {
      if (!(c instanceof MeshedService)) sink.error('K38', `calls[${i}]`, c, 'calls lists MeshedServices.', 'pass the MeshedService of the callee.');
    });
    const portsSeen = new Map<string, Set<number>>();
    (props.externalHosts ?? []).forEach((e, i) => {
      const at = `externalHosts[${i}]`;
      if (e?.host === '*' || !isHost(e?.host)) sink.error('K37', `${at}.host`, e?.host, 'not a valid host ("*" is not allowed).', 'use e.g. "api.stripe.com".');
      if (!Number.isInteger(e?.port) || e.port < 1 || e.port > 65535) sink.error('K37', `${at}.port`, e?.port, 'a port is a whole number from 1 to 65535.', 'use e.g. 443.');
      const seen = portsSeen.get(e?.host) ?? new Set<number>();
      if (seen.has(e?.port)) sink.error('K37', `${at}.port`, e.port, 'this host and port are declared twice.', 'declare each once.');
      seen.add(e?.port);
      portsSeen.set(e?.host, seen);
    });
    const ts = props.telemetry?.tracingSampling;
    if (ts !== undefined && !(ts >= 0 && ts <= 100)) sink.error('FP-TELEMETRY', 'telemetry.tracingSampling', ts, 'a sampling percentage is between 0 and 100.', 'use e.g. 10.');
  }

  private regions(): string[] {
    return [...new Set(this.app.scheduled.candidates.map((c) => c.region).filter((r): r is string => !!r))].sort();
  }

  private destination(version: string, host = this.host): Record<string, unknown> {
    return { host, subset: subsetName(version), port: { number: this.port!.servicePort } };
  }

  private render(target: ApplyTarget): MeshResources {
    const scope = new Construct(target._scopeFor(this, this.context), 'mesh');
    const { props, app } = this;
    const ns = this.tenant.namespace;
    const labels = app.labels;
    const meta = (name: string) => ({ name, namespace: ns, labels });
    const name = app.appName;
    const mesh = this.context.mesh!;

    const gatewayName = `${name}-ingress`;
    const gateway = props.ingress
      ? createObject(scope, 'Gateway', networking.Gateway.GVK, networking.toJson_GatewayProps, {
          metadata: meta(gatewayName),
          spec: {
            selector: mesh.ingressGateway.labels,
            servers: [
              ...(props.ingress.tlsSecret
                ? [{
                    port: { number: 443, name: 'https', protocol: 'HTTPS' },
                    hosts: props.ingress.hosts.map((h) => `${ns}/${h}`),
                    tls: { mode: 'SIMPLE' as any, credentialName: props.ingress.tlsSecret },
                  }]
                : []),
              {
                port: { number: 80, name: 'http', protocol: 'HTTP' },
                hosts: props.ingress.hosts.map((h) => `${ns}/${h}`),
                tls: props.ingress.tlsSecret && (props.ingress.httpsRedirect ?? true) ? { httpsRedirect: true } : undefined,
              },
            ],
          },
        })
      : undefined;

    const common = {
      timeout: props.timeout ? istioDuration(props.timeout) : undefined,
      retries: props.retries
        ? {
            attempts: props.retries.attempts,
            perTryTimeout: props.retries.perTryTimeout ? istioDuration(props.retries.perTryTimeout) : undefined,
            retryOn: props.retries.retryOn?.join(','),
          }
        : undefined,
    };
    const weights = (props.traffic ?? Traffic.stable())._resolve(app);
    const split = Object.entries(weights).filter(([, w]) => w > 0);
    const mirror = props.mirror;
    const virtualService = createObject(scope, 'VirtualService', networking.VirtualService.GVK, networking.toJson_VirtualServiceProps, {
      metadata: meta(name),
      spec: {
        hosts: [this.host, ...(props.ingress?.hosts ?? [])],
        gateways: gateway ? ['mesh', `${ns}/${gatewayName}`] : undefined,
        http: [
          ...(props.routes ?? []).map((r) => ({ name: r.name, match: [renderMatch(r.match)], route: [{ destination: this.destination(r.version) }], ...common })),
          {
            name: 'default',
            route: split.map(([v, w]) => ({ destination: this.destination(v), weight: split.length > 1 ? w : undefined })),
            ...common,
            fault: props.fault
              ? {
                  delay: props.fault.delay ? { fixedDelay: istioDuration(props.fault.delay.fixed), percentage: { value: props.fault.delay.percent } } : undefined,
                  abort: props.fault.abort ? { httpStatus: props.fault.abort.httpStatus, percentage: { value: props.fault.abort.percent } } : undefined,
                }
              : undefined,
            mirror: mirror ? (mirror.host ? { host: mirror.host } : { host: this.host, subset: subsetName(mirror.version!) }) : undefined,
            mirrorPercentage: mirror ? { value: mirror.percent } : undefined,
          },
        ] as any,
      },
    });

    const failover = props.localityFailover;
    const od = props.outlierDetection === false ? undefined : props.outlierDetection ?? (failover ? {} : undefined);
    const regions = this.regions();
    const destinationRule = createObject(scope, 'DestinationRule', networking.DestinationRule.GVK, networking.toJson_DestinationRuleProps, {
      metadata: meta(name),
      spec: {
        host: this.host,
        trafficPolicy: {
          tls: { mode: 'ISTIO_MUTUAL' as any },
          connectionPool: props.connectionPool
            ? {
                tcp: props.connectionPool.maxConnections !== undefined || props.connectionPool.connectTimeout
                  ? { maxConnections: props.connectionPool.maxConnections, connectTimeout: props.connectionPool.connectTimeout ? istioDuration(props.connectionPool.connectTimeout) : undefined }
                  : undefined,
                http: {
                  http1MaxPendingRequests: props.connectionPool.http1MaxPendingRequests,
                  http2MaxRequests: props.connectionPool.http2MaxRequests,
                  maxRequestsPerConnection: props.connectionPool.maxRequestsPerConnection,
                  maxRetries: props.connectionPool.maxRetries,
                },
              }
            : undefined,
          // Locality failover only fires when unhealthy endpoints are ejected (rule 28).
          outlierDetection: od
            ? {
                // The binding camel-cases the field name: consecutive5xxErrors on the wire.
                consecutive5XxErrors: od.consecutive5xxErrors ?? 5,
                interval: istioDuration((od.interval ?? Duration.seconds(10))),
                baseEjectionTime: istioDuration((od.baseEjectionTime ?? Duration.seconds(30))),
                maxEjectionPercent: od.maxEjectionPercent ?? 50,
              }
            : undefined,
          loadBalancer: props.loadBalancer || failover || props.localityWeights
            ? {
                simple: props.loadBalancer as any,
                localityLbSetting: failover || props.localityWeights
                  ? {
                      enabled: true,
                      failover: failover === LocalityFailover.REGIONS ? regions.map((r, i) => ({ from: r, to: regions[(i + 1) % regions.length] })) : undefined,
                      failoverPriority: failover === LocalityFailover.PRIORITY ? ['topology.istio.io/network', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone'] : undefined,
                      distribute: props.localityWeights?.map((d) => ({ from: d.from, to: d.to })),
                    }
                  : undefined,
              }
            : undefined,
        } as any,
        subsets: app.versions.map((v) => ({ name: subsetName(v), labels: app.versionLabels(v) })),
      },
    });

    // Rendered at synthesis: callers are added with allowFrom() after construction.
    const authorizationPolicy = createLazyObject(scope, 'AuthorizationPolicy', security.AuthorizationPolicy.GVK, security.toJson_AuthorizationPolicyProps, meta(`${name}-allow`), ['spec'], () => ({
      spec: {
        selector: { matchLabels: app.selectorLabels },
        action: 'ALLOW' as any,
        rules: this.allCallers().map((c) => ({
          from: [{ source: this.sourceOf(c.source) }],
          to: [{ operation: { ports: [String(this.port!.port)], methods: c.options.methods, paths: c.options.paths } }],
        })),
      },
    }));

    const calls = (props.calls ?? []).filter((c): c is MeshedService => c instanceof MeshedService);
    const externals = props.externalHosts ?? [];
    const serviceEntries = externals.map((e) =>
      createObject(scope, `ServiceEntry-${e.host}-${e.port}`, networking.ServiceEntry.GVK, networking.toJson_ServiceEntryProps, {
        metadata: meta(`${name}-${subsetName(e.host)}-${e.port}`.slice(0, 253)),
        spec: {
          hosts: [e.host],
          location: 'MESH_EXTERNAL' as any,
          resolution: 'DNS' as any,
          ports: [{ number: e.port, name: `${(e.protocol ?? 'TLS').toLowerCase()}-${e.port}`, protocol: e.protocol ?? 'TLS' }],
          exportTo: ['.'],
        },
      }),
    );
    const sidecar = calls.length || externals.length
      ? createObject(scope, 'Sidecar', networking.Sidecar.GVK, networking.toJson_SidecarProps, {
          metadata: meta(name),
          spec: {
            workloadSelector: { labels: app.selectorLabels },
            egress: [{
              hosts: [
                'istio-system/*',
                ...calls.map((c) => `${c.tenant.namespace}/${c.host}`),
                ...externals.map((e) => `${ns}/${e.host}`),
              ].filter((h, i, all) => all.indexOf(h) === i),
            }],
            outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' as any },
          },
        })
      : undefined;

    const tspec = telemetrySpec(props.telemetry);
    const tel = tspec
      ? createObject(scope, 'Telemetry', telemetry.Telemetry.GVK, telemetry.toJson_TelemetryProps, { metadata: meta(name), spec: { selector: { matchLabels: app.selectorLabels }, ...(tspec as any) } })
      : undefined;

    const istioObjects = [virtualService, destinationRule, gateway, authorizationPolicy, sidecar, ...serviceEntries, tel].filter((o): o is ApiObject => !!o);
    const propagationPolicy = this.context.delivery === DeliveryMode.KARMADA
      ? createObject(scope, 'PropagationPolicy', policy.PropagationPolicy.GVK, policy.toJson_PropagationPolicyProps, {
          metadata: meta(`${name}-mesh`),
          spec: {
            resourceSelectors: istioObjects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.name })),
            // Client sidecars route with this configuration, and each primary reads only its own (rule 39),
            // so it goes to every primary the tenant uses, not only where the workload runs.
            placement: {
              clusterAffinity: { clusterNames: this.tenant.meshPrimaries },
              replicaScheduling: { replicaSchedulingType: policy.PropagationPolicySpecPlacementReplicaSchedulingReplicaSchedulingType.DUPLICATED },
            },
          },
        })
      : undefined;

    // External hosts: the tenant's default-deny policy blocks egress, so open the declared ports.
    for (const e of externals) {
      this.tenant._allowEgress(`${name}-to-${subsetName(e.host)}-${e.port}`.slice(0, 63).replace(/-+$/, ''), app.selectorLabels, { ipBlock: { cidr: '0.0.0.0/0' } }, [{ port: e.port, protocol: 'TCP' }]);
    }
    return { virtualService, destinationRule, gateway, authorizationPolicy, sidecar, serviceEntries, telemetry: tel, propagationPolicy };
  }

  /**
   * The NetworkPolicy mirroring the callers. NetworkPolicies are enforced where the pods run, so unlike the
   * Istio configuration (primaries) it follows the app's placement, remotes included.
   */
  private renderNetworkPolicy(): void {
    if (!this.tenant.defaultDenyNetwork) return;
    const app = this.app;
    const name = `${app.appName}-mesh-ingress`;
    const make = (target: ApplyTarget) => {
      const scope = new Construct(target._scopeFor(this, this.context), 'network');
      const meta = { name, namespace: this.tenant.namespace, labels: app.labels };
      return createLazyObject(scope, 'IngressPolicy', k8s.KubeNetworkPolicy.GVK, k8s.toJson_KubeNetworkPolicyProps, meta, ['spec'], () => ({
        spec: {
          podSelector: { matchLabels: app.selectorLabels },
          policyTypes: ['Ingress'],
          ingress: [{ from: this.peers(), ports: app.ports.map((p) => ({ protocol: p.protocol, port: k8s.IntOrString.fromNumber(p.port) })) }],
        },
      }));
    };
    if (this.context.delivery === DeliveryMode.DIRECT) {
      for (const t of app.targetNames) {
        const target = this.context.targets.find((x) => x.name === t);
        if (target) this.networkPolicies.push(make(target));
      }
      return;
    }
    const cp = this.context.controlPlane;
    if (!cp) return;
    const policyObject = make(cp);
    this.networkPolicies.push(policyObject);
    const scope = new Construct(cp._scopeFor(this, this.context), 'network-placement');
    createObject(scope, 'PropagationPolicy', policy.PropagationPolicy.GVK, policy.toJson_PropagationPolicyProps, {
      metadata: { name: `${app.appName}-mesh-network`, namespace: this.tenant.namespace, labels: app.labels },
      spec: {
        resourceSelectors: [{ apiVersion: policyObject.apiVersion, kind: policyObject.kind, name }],
        placement: {
          clusterAffinity: { clusterNames: app.scheduled.candidates.map((c) => c.name) },
          replicaScheduling: { replicaSchedulingType: policy.PropagationPolicySpecPlacementReplicaSchedulingReplicaSchedulingType.DUPLICATED },
        },
      },
    });
  }

  /** The NetworkPolicies mirroring the callers, one per target where the app runs. */
  public readonly networkPolicies: ApiObject[] = [];

  /** Callers, plus the ingress gateway when the service is exposed. */
  private allCallers(): Caller[] {
    const all = [...this.callers];
    if (this.props.ingress && !all.some((c) => c.source instanceof MeshCaller)) all.push({ source: MeshCaller.ingressGateway(), options: {} });
    return all;
  }

  private sourceOf(source: MeshedService | Tenant | MeshCaller): Record<string, unknown> {
    const mesh = this.context.mesh!;
    if (source instanceof MeshedService) return { principals: [source.principal] };
    if (source instanceof Tenant) return { namespaces: [source.namespace] };
    return { principals: [`${mesh.trustDomain}/ns/${mesh.ingressGateway.namespace}/sa/${mesh.ingressGateway.serviceAccount}`] };
  }

  /** NetworkPolicy peers mirroring the allowed callers; cross-network traffic arrives from the east-west gateway. */
  private peers(): k8s.NetworkPolicyPeer[] {
    const mesh = this.context.mesh!;
    const nsSel = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });
    const peers: k8s.NetworkPolicyPeer[] = this.allCallers().map((c) => {
      if (c.source instanceof MeshedService) return { namespaceSelector: nsSel(c.source.tenant.namespace), podSelector: { matchLabels: c.source.app.selectorLabels } };
      if (c.source instanceof Tenant) return { namespaceSelector: nsSel(c.source.namespace) };
      return { namespaceSelector: nsSel(mesh.ingressGateway.namespace), podSelector: { matchLabels: mesh.ingressGateway.labels } };
    });
    if (mesh.multiNetwork) peers.push({ namespaceSelector: nsSel('istio-system'), podSelector: { matchLabels: { istio: 'eastwestgateway' } } });
    return peers;
  }

  /** The caller's namespace denies egress by default; open it towards this service. */
  private mirrorEgress(source: MeshedService | Tenant | MeshCaller): void {
    if (source instanceof MeshCaller || !this.port) return;
    const callerTenant = source instanceof MeshedService ? source.tenant : source;
    if (callerTenant === this.tenant) return; // allow-same-namespace covers it
    const podSelector = source instanceof MeshedService ? source.app.selectorLabels : {};
    const from = source instanceof MeshedService ? source.app.appName : 'all';
    callerTenant._allowEgress(
      `${from}-to-${this.tenant.namespace}-${this.app.appName}`.slice(0, 63).replace(/-+$/, ''),
      podSelector,
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': this.tenant.namespace } }, podSelector: { matchLabels: this.app.selectorLabels } },
      this.app.ports.map((p) => ({ port: p.port, protocol: p.protocol })),
    );
  }
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

function isHost(h: string): boolean {
  return typeof h === 'string' && isDnsSubdomain(h) && h.includes('.');
}
