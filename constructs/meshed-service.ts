import { PlatformConstruct } from './private/platform-construct';
import { checkShapes, checkValue } from '../core/input';
import { ALLOW_OPTIONS, MESHED_SERVICE_SHAPES } from './private/prop-shapes';
import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { platformOf } from '../core/context';
import { selectorOf } from '../core/delivery';
import { ApplyTarget } from '../core/target';
import { FederatedApp } from './federated-app';
import { MeshTelemetry } from '../model/tenancy';
import { Tenant } from './tenant';
import { DeclaredPath } from '../model/reachability';
import { MeshedEndpoint, meshPaths } from './private/mesh-paths';
import { peerPodCidrs, remotePodCidrs } from './private/flat-network';
import { AllowedCaller, renderAuthorizationPolicy, spiffePrincipal } from '../engines/mesh/authz';
import { renderRouting } from '../engines/mesh/routing';
import { EgressScopeIntent, externalEgress, renderServiceEntries, renderSidecar } from '../engines/mesh/sidecar';
import { renderTelemetry } from '../engines/mesh/telemetry';
import { callerEgress, MeshPeer, renderMeshIngressPolicy } from '../engines/network/mesh-ingress';
import { Traffic, HttpRoute, RetryPolicy, FaultInjection, MirrorPolicy, ConnectionPool, OutlierDetection, LoadBalancer, LocalityFailover, LocalityWeights, IngressProps, ExternalHost, MeshCaller, AllowOptions, MeshResources } from '../model/traffic';
import {
  checkAllowOptions, checkDurations, checkEgress, checkFault, checkIngress, checkLocality, checkMirror, checkPorts,
  checkRetries, checkRoutes, checkServiceTelemetry, checkSubsets, checkTcpRouting, checkTraffic, checkTrafficPolicy, isTcpPortName,
} from './private/mesh-checks';

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

/** A caller resolved for the authorization policy and the NetworkPolicy mirroring it. */
type ResolvedCaller = AllowedCaller & MeshPeer;

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
  /** The NetworkPolicies mirroring the callers, one per target where the app runs. */
  public readonly networkPolicies: ApiObject[] = [];

  private readonly props: MeshedServiceProps;
  private readonly callers: Caller[] = [];
  private readonly resourcesByTarget = new Map<string, MeshResources>();

  constructor(scope: Tenant, id: string, props: MeshedServiceProps) {
    super(scope, id);
    this.props = checkShapes(this.sink, props, MESHED_SERVICE_SHAPES);
    this.tenant = scope;
    this.app = this.props.app;
    if (!(this.app instanceof FederatedApp)) {
      this.sink.error('FP-MESH', 'app', this.app, 'a MeshedService needs the FederatedApp it routes to.', 'pass app: <FederatedApp>.');
      this.host = '';
      return;
    }
    this.host = `${this.app.appName}.${this.app.tenant.namespace}.svc.cluster.local`;
    this.checkProps();
    if (this.sink.hasErrors) return;
    // The Istio configuration goes to the primaries the tenant uses (rule 39, see render).
    for (const target of this.context.deliveryEngine.targetsFor(this.tenant.meshPrimaries)) {
      this.resourcesByTarget.set(target.name, this.render(target));
    }
    this.renderNetworkPolicy();
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
    const allowed = checkValue(this.sink, options ?? {}, ALLOW_OPTIONS, at) ?? {};
    checkAllowOptions(this.sink, at, allowed);
    this.callers.push({ source, options: allowed });
    this.mirrorEgress(source);
    return this;
  }

  /** The objects emitted into a target (`control-plane`, or `cluster-<name>` in direct mode). */
  public resourcesIn(target: string): MeshResources | undefined {
    return this.resourcesByTarget.get(target);
  }

  /** The connections this service declares, for the reachability check. @internal */
  public _declaredPaths(): DeclaredPath[] {
    if (this.sink.hasErrors || !this.context.mesh) return [];
    const mesh = this.context.mesh;
    const gw = mesh.ingressGateway;
    const gateway = { name: `${gw.namespace}/${gw.labels.istio ?? 'ingressgateway'}`, clusters: this.tenant.meshPrimaries, namespace: gw.namespace, labels: gw.labels, serviceAccount: gw.serviceAccount, meshed: true };
    const all = [...this.callers];
    if (this.props.ingress && !all.some((c) => c.source instanceof MeshCaller)) all.push({ source: MeshCaller.ingressGateway(), options: {} });
    const callers = all.flatMap(({ source, options }, i) => {
      const prop = i < this.callers.length ? `allowFrom(${i})` : 'ingress';
      if (source instanceof MeshedService) return [{ endpoint: source._endpoint(), prop, ...options }];
      return source instanceof MeshCaller ? [{ endpoint: gateway, prop, ...options }] : [];
    });
    const calls = (this.props.calls ?? []).map((c, index) => ({ endpoint: c._endpoint(), declaredBy: c.node.path, allowed: c._allows(this), index }));
    return meshPaths({ declaredBy: this.node.path, service: this._endpoint(), callers, calls, istiodClusters: mesh.primaries });
  }

  /** The service's pods, as a path endpoint. @internal */
  public _endpoint(): MeshedEndpoint {
    const app = this.app;
    return { name: `${this.tenant.namespace}/${app.appName}`, clusters: app.scheduled.candidates.map((c) => c.name), namespace: this.tenant.namespace, labels: app.selectorLabels, meshed: true, port: this.port?.port, tcp: isTcpPortName(this.port?.name) };
  }

  /** Whether a service is one of this one's declared callers. @internal */
  public _allows(caller: MeshedService): boolean {
    return this.callers.some((c) => c.source === caller || c.source === caller.tenant);
  }

  /** SPIFFE principal of the app's ServiceAccount. */
  public get principal(): string {
    return spiffePrincipal(this.context.mesh?.trustDomain ?? 'cluster.local', this.app.tenant.namespace, this.app.appName);
  }

  // ---------------------------------------------------------------------------------------------

  private get port() {
    const ports = this.app.ports;
    return this.props.port ? ports.find((p) => p.name === this.props.port) : ports[0];
  }

  private checkProps(): void {
    const { sink, props, app } = this;
    if (!this.context.mesh) {
      sink.error('FP-MESH', 'app', app.node.path, 'the platform has no mesh.', 'declare `mesh` on the DistributedPlatform.');
      return;
    }
    if (app.tenant !== this.tenant) sink.error('FP-MESH', 'app', app.node.path, 'the app belongs to another tenant.', 'create the MeshedService in the app\'s tenant.');
    if (!this.tenant.meshed) sink.error('FP-MESH', 'scope', this.tenant.namespace, 'the tenant is not in the mesh.', 'drop `mesh: false` on the tenant.');
    checkPorts(sink, app.ports, props.port, !!this.port);
    if (isTcpPortName(this.port?.name)) {
      checkTcpRouting(sink, this.port!.name, { routes: props.routes, retries: props.retries, timeout: props.timeout, fault: props.fault, mirror: props.mirror, ingress: props.ingress });
    }
    // Versions, weights and routes (rule 30).
    const versions = app.versions;
    checkSubsets(sink, versions);
    checkDurations(sink, props.fault, props.connectionPool, props.outlierDetection);
    checkTraffic(sink, props.traffic ?? Traffic.stable(), app);
    checkRoutes(sink, props.routes ?? [], versions);
    // Retries, timeouts, faults, mirroring.
    checkRetries(sink, props.retries, props.timeout);
    checkFault(sink, props.fault);
    checkMirror(sink, props.mirror, versions);
    checkTrafficPolicy(sink, props.connectionPool, props.outlierDetection, props.loadBalancer);
    checkLocality(sink, props.localityFailover, props.outlierDetection, props.localityWeights, this.regions());
    checkIngress(sink, props.ingress);
    checkEgress(sink, props.calls ?? [], (c) => c instanceof MeshedService, props.externalHosts ?? []);
    checkServiceTelemetry(sink, props.telemetry);
  }

  /** Regions the app runs in, sorted. */
  private regions(): string[] {
    return [...new Set(this.app.scheduled.candidates.map((c) => c.region).filter((r): r is string => !!r))].sort();
  }

  private render(target: ApplyTarget): MeshResources {
    const scope = new Construct(target._scopeFor(this, this.context), 'mesh');
    const { props, app } = this;
    const mesh = this.context.mesh!;
    const where = { name: app.appName, namespace: this.tenant.namespace, labels: app.labels };
    const { gateway, virtualService, destinationRule } = renderRouting(scope, {
      ...where,
      host: this.host,
      servicePort: this.port!.servicePort,
      tcp: isTcpPortName(this.port!.name),
      versions: app.versions.map((v) => ({ version: v, labels: app.versionLabels(v) })),
      weights: (props.traffic ?? Traffic.stable())._resolve(app),
      routes: props.routes ?? [],
      retries: props.retries,
      timeout: props.timeout,
      fault: props.fault,
      mirror: props.mirror,
      connectionPool: props.connectionPool,
      outlierDetection: props.outlierDetection,
      loadBalancer: props.loadBalancer,
      localityFailover: props.localityFailover,
      localityWeights: props.localityWeights,
      ingress: props.ingress,
      regions: this.regions(),
      ingressGatewayLabels: mesh.ingressGateway.labels,
    });
    // Rendered at synthesis: callers are added with allowFrom() after construction.
    const authorizationPolicy = renderAuthorizationPolicy(scope, { ...where, selector: app.selectorLabels, port: this.port!.port, callers: () => this.resolvedCallers() });
    const egress: EgressScopeIntent = {
      ...where,
      selector: app.selectorLabels,
      callees: (props.calls ?? []).filter((c): c is MeshedService => c instanceof MeshedService).map((c) => ({ namespace: c.tenant.namespace, host: c.host })),
      externalHosts: props.externalHosts ?? [],
    };
    const serviceEntries = renderServiceEntries(scope, egress);
    const sidecar = renderSidecar(scope, egress);
    const telemetry = renderTelemetry(scope, { ...where, selector: app.selectorLabels }, props.telemetry);

    const istioObjects = [virtualService, destinationRule, gateway, authorizationPolicy, sidecar, ...serviceEntries, telemetry].filter((o): o is ApiObject => !!o);
    const propagationPolicy = this.context.deliveryEngine.place(scope, 'PropagationPolicy', {
      name: `${where.name}-mesh`,
      namespace: where.namespace,
      labels: where.labels,
      selectors: istioObjects.map(selectorOf),
      // Client sidecars route with this configuration, and each primary reads only its own (rule 39),
      // so it goes to every primary the tenant uses, not only where the workload runs.
      clusters: this.tenant.meshPrimaries,
      duplicated: true,
    });
    // External hosts: the tenant's default-deny policy blocks egress, so open the declared ports.
    for (const e of externalEgress(egress)) this.tenant._allowEgress(e.name, e.podSelector, e.to, e.ports);
    return { virtualService, destinationRule, gateway, authorizationPolicy, sidecar, serviceEntries, telemetry, propagationPolicy };
  }

  /**
   * The NetworkPolicy mirroring the callers. NetworkPolicies are enforced where the pods run, so unlike the
   * Istio configuration (primaries) it follows the app's placement, remotes included.
   */
  private renderNetworkPolicy(): void {
    if (!this.tenant.defaultDenyNetwork) return;
    const app = this.app;
    const clusters = app.scheduled.candidates.map((c) => c.name);
    const intent = {
      appName: app.appName,
      namespace: this.tenant.namespace,
      labels: app.labels,
      selector: app.selectorLabels,
      ports: app.ports,
      peers: () => this.resolvedCallers(),
      eastWestGateway: this.context.mesh!.multiNetwork,
    };
    for (const target of this.context.deliveryEngine.targetsFor(clusters)) {
      const scope = target._scopeFor(this, this.context);
      // Direct mode writes one policy per cluster: only its own network's peers; karmada places one everywhere.
      const own = target.cluster ? [target.cluster.name] : clusters;
      const cidrs = peerPodCidrs(this.context.mesh, this.context.fleet, own, target.cluster?.name);
      const policy = renderMeshIngressPolicy(new Construct(scope, 'network'), { ...intent, peerPodCidrs: cidrs });
      this.networkPolicies.push(policy);
      this.context.deliveryEngine.place(new Construct(scope, 'network-placement'), 'PropagationPolicy', {
        name: `${app.appName}-mesh-network`,
        namespace: this.tenant.namespace,
        labels: app.labels,
        selectors: [selectorOf(policy)],
        clusters,
        duplicated: true,
      });
    }
  }

  /** Callers, plus the ingress gateway when the service is exposed, resolved to principals and pods. */
  private resolvedCallers(): ResolvedCaller[] {
    const all = [...this.callers];
    if (this.props.ingress && !all.some((c) => c.source instanceof MeshCaller)) all.push({ source: MeshCaller.ingressGateway(), options: {} });
    const mesh = this.context.mesh!;
    // ALLOW rules and NetworkPolicy peers are alternatives: sorted, the order of the allowFrom calls does not matter.
    return all.sort((a, b) => callerKey(a.source).localeCompare(callerKey(b.source))).map(({ source, options }) => {
      const allowed = { methods: options.methods, paths: options.paths };
      if (source instanceof MeshedService) return { principal: source.principal, namespace: source.tenant.namespace, podLabels: source.app.selectorLabels, ...allowed };
      if (source instanceof Tenant) return { namespace: source.namespace, ...allowed };
      const gw = mesh.ingressGateway;
      return { principal: spiffePrincipal(mesh.trustDomain, gw.namespace, gw.serviceAccount), namespace: gw.namespace, podLabels: gw.labels, ...allowed };
    });
  }

  /** The caller's namespace denies egress by default; open it towards this service. */
  private mirrorEgress(source: MeshedService | Tenant | MeshCaller): void {
    if (source instanceof MeshCaller || !this.port) return;
    const callerTenant = source instanceof MeshedService ? source.tenant : source;
    const remote = remotePodCidrs(this.context.mesh, this.context.fleet, this.app.scheduled.candidates.map((c) => c.name));
    // allow-same-namespace covers local callers of the same tenant; on a flat network remote pods are addresses.
    if (callerTenant === this.tenant && remote.length === 0) return;
    const rule = callerEgress({
      sameNamespace: callerTenant === this.tenant,
      remotePodCidrs: remote,
      caller: source instanceof MeshedService ? { name: source.app.appName, selector: source.app.selectorLabels } : undefined,
      namespace: this.tenant.namespace,
      appName: this.app.appName,
      selector: this.app.selectorLabels,
      ports: this.app.ports,
    });
    callerTenant._allowEgress(rule.name, rule.podSelector, rule.to, rule.ports);
  }
}

/** A caller's sort key: the ingress gateway first, then tenants and services by construct path. */
function callerKey(source: MeshedService | Tenant | MeshCaller): string {
  return source instanceof MeshCaller ? ` ${source.kind}` : source.node.path;
}
