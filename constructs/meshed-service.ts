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
import { AllowedCaller, renderAuthorizationPolicy, renderPlainTextPort, spiffePrincipal } from '../engines/mesh/authz';
import { resolveOutsideMesh, ResolvedOutsideCallers } from './private/outside-mesh';
import { ingressGatewayName, renderIngressGateway, renderRouting, RoutingIntent, versionLoads } from '../engines/mesh/routing';
import { renderCanary } from '../engines/mesh/canary';
import { checkFlaggerRouting } from './private/mesh-checks-progressive';
import { DeliveryMode } from '../core/target';
import { EgressScopeIntent, externalEgress, renderServiceEntries, renderSidecar } from '../engines/mesh/sidecar';
import { renderTelemetry } from '../engines/mesh/telemetry';
import { callerEgress, MeshPeer, renderMeshIngressPolicy } from '../engines/network/mesh-ingress';
import { Traffic, HttpRoute, RetryPolicy, FaultInjection, MirrorPolicy, ConnectionPool, OutlierDetection, LoadBalancer, LocalityFailover, LocalityWeights, IngressProps, ExternalHost, MeshCaller, AllowOptions, MeshResources } from '../model/traffic';
import {
  checkAllowOptions, checkDurations, checkEgress, checkFault, checkIngress, checkLocality, checkMirror, checkPorts,
  checkCallerOnly, checkRetries, checkRoutes, checkServiceTelemetry, checkSubsets, checkTcpRouting, checkTraffic, checkTrafficPolicy, isTcpPortName,
} from './private/mesh-checks';

/** Whether a caller is the mesh's ingress gateway. */
function isGateway(source: unknown): boolean {
  return source instanceof MeshCaller && source.kind === 'ingress-gateway';
}

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
  /** The call that declared it, e.g. `allowFrom(2)`. */
  readonly prop?: string;
  /** For `MeshCaller.outsideMesh`: the callers resolved. */
  readonly outside?: ResolvedOutsideCallers;
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
  private allowFromCount = 0;
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
    this.app._setRoutedBy(this);
    this.checkProps();
    if (this.sink.hasErrors) return;
    // The autoscalers of the app's versions follow the split (read when the app's objects are synthesized).
    const weights = (this.props.traffic ?? Traffic.stable())._resolve(this.app);
    this.app._routeTraffic(versionLoads(this.app.versions, weights, this.props.routes ?? [], this.props.mirror));
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
    const at = `allowFrom(${this.allowFromCount++})`;
    if (!(source instanceof MeshedService || source instanceof Tenant || source instanceof MeshCaller)) {
      this.sink.error('K36', at, source, 'a caller is a MeshedService, a Tenant, MeshCaller.ingressGateway() or MeshCaller.outsideMesh(...).', 'pass one of those.');
      return this;
    }
    if ((source instanceof MeshedService || source instanceof Tenant) && platformOf(source) !== this.context) {
      this.sink.error('K36', at, source.node.path, 'the caller belongs to another platform, so its principal does not exist in this mesh.', 'allow callers of the same platform.');
      return this;
    }
    if (source instanceof Tenant && !source.meshed) {
      this.sink.error('K36', at, source.namespace, 'the calling tenant is not in the mesh, so its requests carry no mTLS identity and are denied.', `put the tenant in the mesh, or admit it as plain text: allowFrom(MeshCaller.outsideMesh({ namespaces: ['${source.namespace}'] })).`);
    }
    if (this.callerOnly) {
      this.sink.error('FP-MESH', at, source instanceof MeshCaller ? 'MeshCaller' : source.node.path, 'the app exposes no port, so there is nothing to call.', 'declare a port on the app, or call allowFrom on the service this one calls.');
      return this;
    }
    const allowed = checkValue(this.sink, options ?? {}, ALLOW_OPTIONS, at) ?? {};
    checkAllowOptions(this.sink, at, allowed);
    if (source instanceof MeshCaller && source.kind === 'outside-mesh') return this.admitOutsideMesh(at, source, allowed);
    this.callers.push({ source, options: allowed, prop: at });
    this.mirrorEgress(source);
    return this;
  }

  /**
   * Plain-text callers: the port accepts plain text (PERMISSIVE on that port only), the AuthorizationPolicy
   * admits requests without a principal from their ranges, and their tenants' egress opens towards the service.
   */
  private admitOutsideMesh(at: string, source: MeshCaller, options: AllowOptions): this {
    const clusters = this.app.scheduled.candidates.map((c) => c.name);
    const outside = resolveOutsideMesh(this.sink, at, source.outside, { context: this.context, clusters, root: this.node.root as Construct });
    if (!outside || !this.port) return this;
    this.callers.push({ source, options, outside, prop: at });
    if (!this.callers.some((c, i) => c.outside && i < this.callers.length - 1)) this.renderPlainTextPort();
    for (const tenant of outside.tenants) {
      const rule = callerEgress({ namespace: this.tenant.namespace, appName: this.app.appName, selector: this.app.selectorLabels, ports: this.app.ports });
      tenant._allowEgress(rule.name, rule.podSelector, rule.to, rule.ports);
    }
    return this;
  }

  /** The port-level PERMISSIVE PeerAuthentication, on the primaries (Istio configuration, rule 39). */
  private renderPlainTextPort(): void {
    const app = this.app;
    for (const target of this.context.deliveryEngine.targetsFor(this.tenant.meshPrimaries)) {
      const scope = new Construct(target._scopeFor(this, this.context), 'outside-mesh');
      const pa = renderPlainTextPort(scope, { name: app.appName, namespace: this.tenant.namespace, labels: app.labels, selector: app.selectorLabels, port: this.port!.port });
      this.context.deliveryEngine.place(scope, 'PropagationPolicy', {
        name: `${app.appName}-outside-mesh`, namespace: this.tenant.namespace, labels: app.labels, selectors: [selectorOf(pa)], clusters: this.tenant.meshPrimaries, duplicated: true,
      });
    }
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
    if (this.props.ingress && !all.some((c) => isGateway(c.source))) all.push({ source: MeshCaller.ingressGateway(), options: {} });
    const callers = all.flatMap(({ source, options, prop: declared }) => {
      const prop = declared ?? 'ingress';
      if (source instanceof MeshedService) return [{ endpoint: source._endpoint(), prop, ...options }];
      return isGateway(source) ? [{ endpoint: gateway, prop, ...options }] : [];
    });
    const calls = (this.props.calls ?? []).map((c, index) => ({ endpoint: c._endpoint(), declaredBy: c.node.path, allowed: c._allows(this), index }));
    return meshPaths({ declaredBy: this.node.path, service: this._endpoint(), callers, calls, istiodClusters: mesh.primaries });
  }

  /** The service's pods, as a path endpoint. @internal */
  public _endpoint(): MeshedEndpoint {
    const app = this.app;
    return { name: `${this.tenant.namespace}/${app.appName}`, clusters: app.scheduled.candidates.map((c) => c.name), namespace: this.tenant.namespace, labels: app.selectorLabels, meshed: true, port: this.port?.port, tcp: isTcpPortName(this.port?.name) };
  }

  /** Clusters outside the mesh admitted with `MeshCaller.outsideMesh`. @internal */
  public _outsideMeshClusters(): string[] {
    return this.callers.flatMap((c) => c.source instanceof MeshCaller ? c.source.outside?.clusters ?? [] : []);
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

  /**
   * The app exposes no port (a worker, a consumer): the service only calls others, so it gets the Sidecar egress
   * scope, ServiceEntries and Telemetry, and no routing or authorization of its own.
   */
  private get callerOnly(): boolean {
    return this.app.ports.length === 0 && this.props.port === undefined;
  }

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
    if (this.callerOnly) {
      checkCallerOnly(sink, { ...props });
      return;
    }
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
    if (app.progressive) checkFlaggerRouting(sink, props, app.appName, app.scheduled.candidates.map((c) => c.name), this.tenant.meshPrimaries);
  }

  /**
   * The in-mesh hosts callers reach the service by: under Flagger, also the `-primary` and `-canary` Services
   * its routes lead to, which a caller's Sidecar must see. @internal
   */
  public _hosts(): string[] {
    if (!this.app.progressive) return [this.host];
    const { appName } = this.app;
    const ns = this.tenant.namespace;
    return [this.host, `${appName}-primary.${ns}.svc.cluster.local`, `${appName}-canary.${ns}.svc.cluster.local`];
  }

  /** Regions the app runs in, sorted. */
  private regions(): string[] {
    return [...new Set(this.app.scheduled.candidates.map((c) => c.region).filter((r): r is string => !!r))].sort();
  }

  private render(target: ApplyTarget): MeshResources {
    const scope = new Construct(target._scopeFor(this, this.context), 'mesh');
    const { props, app } = this;
    const where = { name: app.appName, namespace: this.tenant.namespace, labels: app.labels };
    const intent = this.callerOnly ? undefined : this.routingIntent(where);
    const routing: Partial<MeshResources> = intent ? this.renderService(scope, where, intent) : {};
    const egress: EgressScopeIntent = {
      ...where,
      selector: app.selectorLabels,
      callees: (props.calls ?? []).filter((c): c is MeshedService => c instanceof MeshedService).flatMap((c) => c._hosts().map((host) => ({ namespace: c.tenant.namespace, host }))),
      externalHosts: props.externalHosts ?? [],
      telemetryNamespace: this.context.telemetry?.namespace,
    };
    const serviceEntries = renderServiceEntries(scope, egress);
    const sidecar = renderSidecar(scope, egress);
    // A workload Telemetry replaces the namespace's: it names the platform's tracing provider too.
    const t = this.context.telemetry;
    const provider = props.telemetry && t?.traces ? { name: t.meshProvider, sampling: t.meshTracingSampling } : undefined;
    const telemetry = renderTelemetry(scope, { ...where, selector: app.selectorLabels }, props.telemetry, provider);
    const { virtualService, destinationRule, gateway, authorizationPolicy } = routing;

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
    const progressive = app.progressive && intent && this.runsIn(target) ? this.renderCanaryIn(target, intent) : {};
    return { virtualService, destinationRule, gateway, authorizationPolicy, sidecar, serviceEntries, telemetry, propagationPolicy, ...progressive };
  }

  /** What the routing engine renders the service from. */
  private routingIntent(where: { name: string; namespace: string; labels: Record<string, string> }): RoutingIntent {
    const { props, app } = this;
    const mesh = this.context.mesh!;
    return {
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
    };
  }

  /** The service side: routing (VirtualService, DestinationRule, ingress Gateway) and the AuthorizationPolicy. */
  private renderService(scope: Construct, where: { name: string; namespace: string; labels: Record<string, string> }, routing: RoutingIntent) {
    const app = this.app;
    // Under Flagger only the ingress Gateway is ours: Flagger writes the VirtualService and DestinationRules.
    const { gateway, virtualService, destinationRule } = app.progressive ? { gateway: renderIngressGateway(scope, routing), virtualService: undefined, destinationRule: undefined } : renderRouting(scope, routing);
    // Rendered at synthesis: callers are added with allowFrom() after construction.
    const authorizationPolicy = renderAuthorizationPolicy(scope, { ...where, selector: app.selectorLabels, port: this.port!.port, callers: () => this.resolvedCallers() });
    return { gateway, virtualService, destinationRule, authorizationPolicy };
  }

  /** Whether a target carries clusters that run the app (Flagger runs there). */
  private runsIn(target: ApplyTarget): boolean {
    return !target.cluster || this.app.scheduled.candidates.some((c) => c.name === target.cluster!.name);
  }

  /**
   * The Flagger Canary and its MetricTemplates, where the app runs: in karmada mode placed on the app's clusters
   * by their own PropagationPolicy (Flagger runs in each member), in direct mode in each member's output.
   */
  private renderCanaryIn(target: ApplyTarget, routing: RoutingIntent): Pick<MeshResources, 'canary' | 'metricTemplates' | 'canaryPropagationPolicy'> {
    const app = this.app;
    const p = app.progressive!;
    const scope = new Construct(target._scopeFor(this, this.context), 'canary');
    const direct = this.context.delivery === DeliveryMode.DIRECT;
    const { canary, metricTemplates } = renderCanary(scope, {
      ...routing,
      strategy: p.strategy,
      interval: p.props.interval ?? Duration.minutes(1),
      threshold: p.props.threshold ?? 5,
      stepWeight: p.props.stepWeight ?? 10,
      maxWeight: p.props.maxWeight ?? 50,
      iterations: p.props.iterations ?? 10,
      port: this.port!.servicePort,
      portName: this.port!.name,
      gateways: this.props.ingress ? [`${this.tenant.namespace}/${ingressGatewayName(app.appName)}`] : undefined,
      hosts: this.props.ingress?.hosts,
      // Direct mode: Flagger hands the cluster's HorizontalPodAutoscaler over to the primary it creates.
      autoscaler: direct && app.resourcesIn(target.name)?.horizontalPodAutoscaler ? app.appName : undefined,
      prometheusAddress: `http://prometheus-operated.${this.context.monitoring?.namespace ?? 'monitoring'}.svc:9090`,
      gates: app._canaryGates(),
    });
    const canaryPropagationPolicy = this.context.deliveryEngine.place(scope, 'PropagationPolicy', {
      name: `${app.appName}-canary`,
      namespace: this.tenant.namespace,
      labels: app.labels,
      selectors: [...metricTemplates, canary].map(selectorOf),
      clusters: app.scheduled.candidates.map((c) => c.name),
      duplicated: true,
    });
    return { canary, metricTemplates, canaryPropagationPolicy };
  }

  /**
   * The NetworkPolicy mirroring the callers. NetworkPolicies are enforced where the pods run, so unlike the
   * Istio configuration (primaries) it follows the app's placement, remotes included.
   */
  private renderNetworkPolicy(): void {
    // A caller-only service receives nothing: default-deny keeps every ingress closed.
    if (!this.tenant.defaultDenyNetwork || this.callerOnly) return;
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
    if (this.props.ingress && !all.some((c) => isGateway(c.source))) all.push({ source: MeshCaller.ingressGateway(), options: {} });
    const mesh = this.context.mesh!;
    // ALLOW rules and NetworkPolicy peers are alternatives: sorted, the order of the allowFrom calls does not matter.
    return all.sort((a, b) => callerKey(a.source).localeCompare(callerKey(b.source))).map(({ source, options, outside }) => {
      const allowed = { methods: options.methods, paths: options.paths };
      if (outside) return { namespace: '', plainTextFrom: outside.plainTextFrom, outside, ...allowed };
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
    const callerClusters = source instanceof MeshedService ? source.app.scheduled.candidates.map((c) => c.name) : source instanceof Tenant ? [...source.clusterNames] : [];
    const remote = remotePodCidrs(this.context.mesh, this.context.fleet, this.app.scheduled.candidates.map((c) => c.name), callerClusters);
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
