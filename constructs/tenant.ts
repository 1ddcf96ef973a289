import { IpBlock, ipBlockExcept } from '../core/cidr';
import { localRanges } from './private/flat-network';
import { PlatformConstruct, TENANT_SCOPE } from './private/platform-construct';
import { checkShapes } from '../core/input';
import { TENANT_SHAPES } from './private/prop-shapes';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterSelector } from '../model/cluster';
import { selectorOf } from '../core/delivery';
import { LABEL_TENANT } from '../core/labels';
import { ApplyTarget, DeliveryMode, TargetKind } from '../core/target';
import { PodSecurityLevel } from '../model/workload';
import { AlertRouting } from '../model/monitoring';
import { PlatformContext } from '../core/context';
import { renderTenantMesh } from '../engines/mesh/tenant';
import { AGENT, collectorService } from '../engines/telemetry/collectors';
import { renderEgressPolicy, renderTenantNetworkPolicies } from '../engines/network/tenant-policies';
import { renderAllowListedEgress } from '../engines/network/app-access';
import { renderAlertmanagerConfig } from '../engines/tenancy/alerts';
import { renderNamespace } from '../engines/tenancy/namespace';
import { quotaHard, renderFederatedQuota, renderLimitRange, renderResourceQuota } from '../engines/tenancy/quota';
import { renderRoleBindings } from '../engines/tenancy/rbac';
import { QuotaLimits, FederatedQuota, ContainerLimits, MeshTelemetry, TenantResources } from '../model/tenancy';
import {
  checkAlerts, checkClusters, checkFederatedQuota, checkGroups, checkLabelKeys, checkLimitRange, checkNamespace,
  checkPodSecurity, checkQuota, checkTenantMesh, checkTenantTelemetry,
} from './private/tenant-checks';

/** Properties of a {@link Tenant}. */
export interface TenantProps {
  /**
   * Namespace name (DNS-1123 label).
   * @default - the construct id
   */
  readonly namespace?: string;
  /**
   * Clusters the tenant may use. Its namespace exists only there, and its apps may only be placed there.
   * @default - every member cluster
   */
  readonly clusters?: ClusterSelector;
  /**
   * Pod Security Standards level enforced on the namespace.
   * @default - the platform default (restricted)
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * ResourceQuota applied in every cluster of the tenant.
   * @default - no quota
   */
  readonly quota?: QuotaLimits;
  /**
   * Fleet-wide quota (karmada mode: FederatedResourceQuota; direct mode: its per-cluster assignments become
   * each cluster's ResourceQuota).
   * @default - none
   */
  readonly federatedQuota?: FederatedQuota;
  /**
   * LimitRange bounds; defaults come from the platform's default resources.
   * @default - defaults only
   */
  readonly containerLimits?: ContainerLimits;
  /**
   * Groups bound to the `admin` ClusterRole in the namespace.
   * @default - none
   */
  readonly adminGroups?: string[];
  /**
   * Groups bound to the `view` ClusterRole in the namespace.
   * @default - none
   */
  readonly viewGroups?: string[];
  /**
   * Emit default-deny NetworkPolicies plus allow-DNS and allow-same-namespace.
   * @default - the platform default (true)
   */
  readonly defaultDenyNetwork?: boolean;
  /**
   * Extra labels on the namespace.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Join the platform's Istio mesh (sidecar injection, STRICT mTLS, default-deny authorization).
   * @default - true when the platform has a mesh
   */
  readonly mesh?: boolean;
  /**
   * Where the tenant's alerts go (an AlertmanagerConfig in its namespace; needs platform monitoring).
   * @default - alerts reach the Alertmanager without a tenant route
   */
  readonly alerts?: AlertRouting;
  /**
   * Tracing and access logging for the tenant's meshed workloads.
   * @default - the mesh defaults
   */
  readonly telemetry?: MeshTelemetry;
}

/** What a tenant rendered into one target, for placement. */
interface RenderedTenant {
  /** Quota, limits, network policies and role bindings: they go to every cluster of the tenant. */
  readonly baseline: readonly ApiObject[];
  readonly meshObjects: readonly ApiObject[];
  readonly alertmanagerConfig?: ApiObject;
  readonly onControlPlane: boolean;
}

/**
 * A team's slice of the platform: a namespace on the clusters it uses, with Pod Security Admission labels
 * (restricted by default), a ResourceQuota and LimitRange, default-deny networking with DNS and
 * same-namespace traffic allowed, and admin/view RBAC for the groups you name.
 */
export class Tenant extends PlatformConstruct {
  /** The platform. */
  /** @internal */
  public readonly [TENANT_SCOPE] = true;
  /** Namespace name. */
  public readonly namespace: string;
  /** Pod Security level enforced. */
  public readonly podSecurity: PodSecurityLevel;
  /** Names of the clusters the tenant uses, in inventory order. */
  public readonly clusterNames: readonly string[];
  /** The tenant's cluster selector. */
  public readonly clusterSelector: ClusterSelector;
  /** Whether the tenant is in the platform's mesh. */
  public readonly meshed: boolean;

  private readonly props: TenantProps;
  private readonly resourcesByTarget = new Map<string, TenantResources>();
  private readonly egress = new Map<string, ApiObject[]>();
  /** Apps whose ingress is an allow-list: `allow-same-namespace` leaves them out. */
  private readonly allowListed: string[] = [];

  constructor(scope: Construct, id: string, props: TenantProps = {}) {
    super(scope, id);
    this.props = checkShapes(this.sink, props, TENANT_SHAPES);
    this.namespace = this.props.namespace ?? id;
    this.podSecurity = this.props.podSecurity ?? this.context.defaults.podSecurity;
    this.meshed = !!this.context.mesh && (this.props.mesh ?? true);
    this.clusterSelector = this.props.clusters ?? {};
    this.clusterNames = this.context.clusterNames(this.clusterSelector);
    this.checkProps();
    this.context.telemetry?._addTenant(this.namespace);
    for (const target of this.targets()) {
      this.resourcesByTarget.set(target.name, this.render(target));
    }
    this.context._addTenantUnits(this.namespace, [...this.resourcesByTarget.keys()]);
  }

  /** The objects emitted into a target (`control-plane`, or `cluster-<name>` in direct mode). */
  public resourcesIn(target: string): TenantResources | undefined {
    return this.resourcesByTarget.get(target);
  }

  /** The platform. */
  public get platform(): PlatformContext {
    return this.context;
  }

  /** Labels every object of the tenant carries. */
  public get labels(): Record<string, string> {
    return { ...this.context.labels, [LABEL_TENANT]: this.namespace };
  }

  /** The tenant's clusters that are mesh primaries (where its Istio configuration goes). */
  public get meshPrimaries(): string[] {
    const m = this.context.mesh;
    return this.meshed && m ? this.clusterNames.filter((c) => m.primaries.includes(c)) : [];
  }

  /**
   * The Pod Security level enforced on the namespace: the tenant's level, or `privileged` when the mesh
   * explicitly accepts privileged sidecar init containers (no Istio CNI).
   */
  public get enforcedPodSecurity(): PodSecurityLevel {
    const m = this.context.mesh;
    if (this.meshed && m && !m.istioCni && m.privilegedSidecarInit) return PodSecurityLevel.PRIVILEGED;
    return this.podSecurity;
  }

  /** The tenant's ResourceQuota limits, if any. */
  public get quota(): QuotaLimits | undefined {
    return this.props.quota;
  }

  /** Whether default-deny NetworkPolicies are emitted in the namespace. */
  public get defaultDenyNetwork(): boolean {
    return this.props.defaultDenyNetwork ?? this.context.defaults.defaultDenyNetwork;
  }

  /**
   * Allows egress from pods of this tenant (all, or those matching `podSelector`) to pods of another namespace
   * or to an IP block, on the given ports, by a NetworkPolicy in every target of the tenant. Mesh constructs
   * call it to mirror `allowFrom` and external hosts, since the default-deny policy blocks egress too.
   * Idempotent per name.
   * @internal
   */
  public _allowEgress(name: string, podSelector: Record<string, string>, to: k8s.NetworkPolicyPeer | k8s.NetworkPolicyPeer[], ports: Array<{ port: number; protocol: string }>): void {
    if (!this.defaultDenyNetwork) return;
    for (const target of this.targets()) {
      const list = this.egress.get(target.name) ?? [];
      if (list.some((o) => o.name === name)) continue;
      const scope = target._scopeFor(this, this.context);
      list.push(renderEgressPolicy(scope, this.where, { name, podSelector, to, ports }));
      this.egress.set(target.name, list);
    }
  }

  /**
   * An app of this tenant declares who may call it: `allow-same-namespace` stops admitting anything to its pods
   * (it would void the allow-list), and `allow-same-namespace-egress` keeps their egress to the namespace.
   * @internal
   */
  public _restrictSameNamespace(appName: string): void {
    if (!this.defaultDenyNetwork || this.allowListed.includes(appName)) return;
    this.allowListed.push(appName);
    this.allowListed.sort();
    if (this.allowListed.length > 1) return;
    for (const target of this.targets()) {
      const scope = target._scopeFor(this, this.context);
      const list = this.egress.get(target.name) ?? [];
      list.push(renderAllowListedEgress(scope, { ...this.where, allowListed: () => this.allowListed }));
      this.egress.set(target.name, list);
    }
  }

  /** Validates rule 8 for the apps: containers must declare what the quota tracks unless the LimitRange defaults it. @internal */
  public _quotaTracks(): string[] {
    const hard = { ...quotaHard(this.props.quota ?? {}), ...quotaHard(this.props.federatedQuota?.overall ?? {}) };
    return Object.keys(hard).filter((k) => k.startsWith('requests.') || k.startsWith('limits.'));
  }

  /**
   * The ResourceQuota limits in force in one of the tenant's clusters: its per-cluster assignment or the tenant
   * quota (as rendered there), and in Karmada mode also the tenant quota beside an assignment and the fleet total.
   * @internal
   */
  public _quotasIn(cluster: string): Record<string, string>[] {
    const { quota, federatedQuota: fq } = this.props;
    const assigned = fq?.perCluster?.[cluster];
    const karmada = this.context.delivery === DeliveryMode.KARMADA;
    const limits = karmada ? [quota, assigned, fq?.overall] : [assigned ?? quota];
    return limits.filter((q): q is QuotaLimits => !!q).map(quotaHard).filter((h) => Object.keys(h).length > 0);
  }

  private egressObjects(target: ApplyTarget): ApiObject[] {
    return this.egress.get(target.name) ?? [];
  }

  /** The targets the tenant writes to: the control plane, or each of its clusters. */
  private targets(): ApplyTarget[] {
    return this.context.deliveryEngine.targetsFor(this.clusterNames);
  }

  /** Whether a target carries objects meant for these clusters. */
  private carries(target: ApplyTarget, clusters: readonly string[]): boolean {
    return this.context.deliveryEngine.targetsFor(clusters).includes(target);
  }

  /** The tenant's namespace and labels, where its namespaced objects go. */
  private get where() {
    return { namespace: this.namespace, labels: this.labels };
  }

  /** The tenant's clusters that the platform monitors. */
  private get monitoredClusters(): string[] {
    const monitoring = this.context.monitoring;
    return monitoring ? this.clusterNames.filter((c) => monitoring.clusterNames.includes(c)) : [];
  }

  private checkProps(): void {
    const { sink, props, context } = this;
    checkNamespace(sink, this.namespace);
    checkClusters(sink, context.fleet, this.clusterSelector, this.clusterNames);
    checkPodSecurity(sink, this.podSecurity);
    checkTenantMesh(sink, context.mesh, { requested: props.mesh, meshed: this.meshed, podSecurity: this.podSecurity, clusterNames: this.clusterNames, meshPrimaries: this.meshPrimaries });
    checkAlerts(sink, props.alerts, !!context.monitoring);
    checkTenantTelemetry(sink, props.telemetry, this.meshed);
    checkQuota(sink, 'quota', props.quota);
    checkFederatedQuota(sink, props.federatedQuota, context.fleet, this.clusterNames, context.delivery === DeliveryMode.KARMADA);
    checkLimitRange(sink, context.defaults.resources, props.containerLimits);
    checkLabelKeys(sink, props.labels);
    checkGroups(sink, props);
  }

  private render(target: ApplyTarget): TenantResources {
    const scope = target._scopeFor(this, this.context);
    const { props, where } = this;
    const mesh = this.context.mesh;
    // Written to the Karmada control plane: it copies namespaces everywhere, and it enforces fleet-wide quotas.
    const onControlPlane = target.kind === TargetKind.CONTROL_PLANE;

    const namespace = renderNamespace(scope, {
      name: this.namespace,
      labels: where.labels,
      extraLabels: props.labels,
      enforce: this.enforcedPodSecurity,
      audit: this.podSecurity,
      sidecarInjection: this.meshed ? { revision: mesh!.revision } : undefined,
      skipAutoPropagation: onControlPlane,
    });
    const perCluster = target.cluster ? props.federatedQuota?.perCluster?.[target.cluster.name] : undefined;
    const quotaLimits = perCluster ?? props.quota;
    const resourceQuota = quotaLimits ? renderResourceQuota(scope, where, quotaLimits) : undefined;
    const limitRange = renderLimitRange(scope, { ...where, defaults: this.context.defaults.resources, containerLimits: props.containerLimits });
    const networkPolicies = this.defaultDenyNetwork
      ? renderTenantNetworkPolicies(scope, {
          ...where,
          prometheusNamespace: this.context.monitoring?.namespace,
          istiod: this.meshed ? { remoteGateways: this.istiodGateways(target) } : undefined,
          eastWestGateways: this.meshed && mesh!.multiNetwork ? this.eastWestGateways(target) : undefined,
          telemetryAgent: this.telemetryAgent,
          allowListed: () => this.allowListed,
        })
      : [];
    const roleBindings = renderRoleBindings(scope, { ...where, adminGroups: props.adminGroups, viewGroups: props.viewGroups });
    // Istio reads configuration only from primaries (rule 39).
    const meshObjects = this.meshed && mesh && this.carries(target, this.meshPrimaries)
      ? renderTenantMesh(scope, { ...where, mtls: mesh.mtls, defaultDeny: mesh.defaultDeny, telemetry: props.telemetry, tracingProvider: this.tracingProvider })
      : [];
    const monitoring = this.context.monitoring;
    const alertmanagerConfig = props.alerts && monitoring && this.carries(target, this.monitoredClusters)
      ? renderAlertmanagerConfig(scope, { ...where, selectorLabels: monitoring.selectorLabels, routing: props.alerts })
      : undefined;

    const baseline: ApiObject[] = [...(resourceQuota ? [resourceQuota] : []), limitRange, ...networkPolicies, ...roleBindings];
    const placed = this.place(scope, target, { baseline, meshObjects, alertmanagerConfig, onControlPlane });
    return { namespace, resourceQuota, limitRange, networkPolicies, roleBindings, ...placed, meshObjects, alertmanagerConfig };
  }

  /** The node agent the tenant's pods send telemetry to, when the platform has telemetry. */
  private get telemetryAgent() {
    const t = this.context.telemetry;
    return t ? { namespace: t.namespace, podLabels: { 'app.kubernetes.io/name': collectorService(AGENT) } } : undefined;
  }

  /** Platform traces: the tenant's proxies send spans to the mesh's OpenTelemetry provider. */
  private get tracingProvider() {
    const t = this.context.telemetry;
    return t?.traces ? { name: t.meshProvider, sampling: t.meshTracingSampling } : undefined;
  }

  /**
   * The east-west gateways through which this target's remote clusters reach their primaries' istiod: the
   * cluster's own primary in direct mode, every remote's of the tenant where one policy covers them all.
   */
  private istiodGateways(target: ApplyTarget): string[] {
    const mesh = this.context.mesh!;
    const clusters = target.cluster ? [target.cluster.name] : this.clusterNames;
    const primaries = clusters.map((c) => mesh.istiodOf[c]).filter((p): p is string => p !== undefined);
    const addresses = [...new Set(primaries)].sort().map((p) => this.context.fleet.get(p)?.eastWestGateway?.address);
    // A missing or CIDR address is a K12 error of the mesh; nothing is opened for it.
    return addresses.filter((a): a is string => !!a && !a.includes('/'));
  }

  /**
   * Declared east-west gateway addresses of the mesh clusters, in cluster order, leaving out the pod and
   * Service ranges of the clusters the policy applies to when a gateway CIDR holds them.
   */
  private eastWestGateways(target: ApplyTarget): IpBlock[] {
    const mesh = this.context.mesh!;
    const local = localRanges(this.context.fleet, target.cluster ? [target.cluster.name] : this.clusterNames);
    return mesh.clusterNames.map((c) => this.context.fleet.get(c)?.eastWestGateway?.address).filter((a): a is string => !!a).map((a) => ipBlockExcept(a, local));
  }

  /** Places the tenant's objects on its clusters through the delivery engine (policies in Karmada mode, nothing in direct mode). */
  private place(scope: Construct, target: ApplyTarget, rendered: RenderedTenant) {
    const { baseline, meshObjects, alertmanagerConfig } = rendered;
    const engine = this.context.deliveryEngine;
    const { namespace: ns, labels } = this.where;
    const clusters = [...this.clusterNames];
    const namespacePolicy = engine.place(scope, 'NamespacePolicy', {
      name: `${ns}-namespace`,
      labels,
      selectors: [{ apiVersion: 'v1', kind: 'Namespace', name: ns }],
      clusters,
    });
    // Selectors are rendered at synthesis: egress policies are added later, by the services this tenant calls.
    const baselinePolicy = engine.place(scope, 'BaselinePolicy', {
      name: 'tenant-baseline', namespace: ns, labels,
      // Egress policies come from allowFrom calls, in no meaningful order: sorted by name.
      selectors: () => [...baseline, ...[...this.egressObjects(target)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))].map(selectorOf),
      clusters,
      duplicated: true,
    });
    // Karmada enforces a fleet-wide quota from its control plane (members got per-cluster ResourceQuotas);
    // it is created here, between the policies, because creation order is manifest order.
    const fq = this.props.federatedQuota;
    const federatedQuota = fq && rendered.onControlPlane ? renderFederatedQuota(scope, this.where, fq) : undefined;
    // Istio reads configuration only from primaries (rule 39).
    const meshPolicy = meshObjects.length
      ? engine.place(scope, 'MeshPolicy', { name: 'tenant-mesh', namespace: ns, labels, selectors: meshObjects.map(selectorOf), clusters: this.meshPrimaries, duplicated: true })
      : undefined;
    const monitoringPolicy = alertmanagerConfig
      ? engine.place(scope, 'MonitoringPolicy', { name: 'tenant-monitoring', namespace: ns, labels, selectors: [selectorOf(alertmanagerConfig)], clusters: this.monitoredClusters, duplicated: true })
      : undefined;
    return { namespacePolicy, baselinePolicy, federatedQuota, meshPolicy, monitoringPolicy };
  }
}
