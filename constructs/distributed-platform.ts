import { ApiObject, App, Chart } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct, IConstruct } from 'constructs';
import * as karmadaCluster from '../imports/cluster.karmada.io';
import { ClusterRole, ClusterSelector, MemberClusterProps, SyncMode } from '../model/cluster';
import { Fleet } from '../core/fleet';
import * as security from '../imports/security.istio.io';
import * as networking from '../imports/networking.istio.io';
import { MeshInstallValues, MeshProps, MtlsMode } from '../model/mesh';
import { ResolvedDefaults, IProblemSource, ResolvedMesh, platformOf, PlatformContext, PLATFORM_CONTEXT } from '../core/context';
import { LABEL_PLATFORM, platformLabels } from '../core/labels';
import { isClusterName, isDnsLabel, isLabelValue, isQualifiedName } from '../core/names';
import { PlatformValidationError, Problem, ProblemSink, Severity, formatProblem, sortProblems } from '../core/problems';
import { isQuantity } from '../core/quantity';
import { ApplyTarget, DeliveryMode, TargetKind } from '../core/target';
import { createObject } from '../core/l1';
import { PodSecurityLevel, ResourceRequirements } from '../model/workload';
import { Tenant, TenantProps } from './tenant';
import type { FleetMonitoring } from './fleet-monitoring';
import { MonitoringProps } from '../model/monitoring';
import { cidrsOverlap, parseCidr } from '../core/cidr';
import { PlatformDefaults, SubmarinerProps } from '../model/platform';
import { DeliveryEngine } from '../core/delivery';
import { DirectDelivery } from '../engines/delivery/direct';
import { KarmadaDelivery } from '../engines/delivery/karmada';

/** Properties of a {@link DistributedPlatform}. */
export interface DistributedPlatformProps {
  /** The member clusters of the fleet. */
  readonly clusters: MemberClusterProps[];
  /**
   * Karmada (one apply target) or direct (one output per member cluster).
   * @default DeliveryMode.KARMADA
   */
  readonly delivery?: DeliveryMode;
  /**
   * Platform name, used in labels and output file names.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Platform-wide defaults.
   * @default - secure defaults, see {@link PlatformDefaults}
   */
  readonly defaults?: PlatformDefaults;
  /**
   * An Istio mesh across the clusters (mTLS STRICT and default-deny by default).
   * @default - no mesh
   */
  readonly mesh?: MeshProps;
  /**
   * Submariner connects the clusters' pod and service networks (install-time; see the README). Declaring it
   * lets cross-cluster services use the `submariner` backend and checks cluster IDs and CIDRs.
   * @default - no Submariner
   */
  readonly submariner?: SubmarinerProps;
  /**
   * Prometheus in every member cluster plus a global tier; apps then opt in with `metrics` and `slos`.
   * @default - no monitoring
   */
  readonly monitoring?: MonitoringProps;
}

const DEFAULT_RESOURCES: ResourceRequirements = {
  cpu: { request: '100m' },
  memory: { request: '128Mi', limit: '256Mi' },
};

/**
 * A multi-cluster platform: the member clusters, the delivery mode, platform-wide defaults, and one cdk8s
 * Chart per apply target. Tenants and applications are added below it.
 *
 * @example
 * const platform = new DistributedPlatform(app, 'prod', {
 *   clusters: [{ name: 'bj-1', region: 'cn-north' }, { name: 'sh-1', region: 'cn-east' }],
 * });
 */
export class DistributedPlatform extends Construct implements PlatformContext {
  /** The platform a construct belongs to. Throws a typed FP-SCOPE error when there is none. */
  public static of(construct: IConstruct): DistributedPlatform {
    return platformOf(construct) as DistributedPlatform;
  }

  /** @internal */
  public readonly [PLATFORM_CONTEXT] = true;
  /** Platform name. */
  public readonly platformName: string;
  /** Delivery mode. */
  public readonly delivery: DeliveryMode;
  /** How objects reach the clusters in this delivery mode. */
  public readonly deliveryEngine: DeliveryEngine;
  /** The member-cluster inventory. */
  public readonly fleet: Fleet;
  /** Resolved platform-wide defaults. */
  public readonly defaults: ResolvedDefaults;
  /** Apply targets, in a stable order (control plane first, then members in declaration order). */
  public readonly targets: readonly ApplyTarget[];
  /** The monitoring tiers, if the platform has monitoring. */
  public readonly monitoring?: FleetMonitoring;
  /** Submariner, if declared: joined clusters and their cluster IDs. */
  public readonly submariner?: { readonly broker: string; readonly clusterIds: Readonly<Record<string, string>>; readonly globalnet: boolean };
  /** The mesh, with defaults resolved, if the platform has one. */
  public readonly mesh?: ResolvedMesh;
  /** The Karmada `Cluster` registrations, by cluster name (karmada mode, clusters with `registration`). */
  public readonly clusterRegistrations: Readonly<Record<string, ApiObject>>;

  private readonly sink: ProblemSink;
  private readonly sources: IProblemSource[] = [];
  private warningsPrinted = false;
  private validationCache?: { signature: string; problems: Problem[] };
  private cacheClearQueued = false;

  constructor(scope: Construct, id: string, props: DistributedPlatformProps) {
    super(scope, id);
    this.sink = new ProblemSink(this.node.path);
    const sink = this.sink;
    this.platformName = props?.name ?? id;
    this.delivery = props?.delivery ?? DeliveryMode.KARMADA;
    if (!isDnsLabel(this.platformName) || this.platformName.length > 40) {
      sink.error('K1', 'name', this.platformName, 'the platform name must be a DNS-1123 label of at most 40 characters (it prefixes file names and labels).', 'use lower-case letters, digits and "-", e.g. "prod".');
    }
    if (!Object.values(DeliveryMode).includes(this.delivery)) {
      sink.error('FP-DELIVERY', 'delivery', this.delivery, 'unknown delivery mode.', 'use DeliveryMode.KARMADA or DeliveryMode.DIRECT.');
    }
    const clusters = Array.isArray(props?.clusters) ? props.clusters : [];
    if (clusters.length === 0) {
      sink.error('FP-CLUSTERS', 'clusters', props?.clusters, 'a platform needs at least one member cluster.', 'declare clusters: [{ name: "bj-1", region: "cn-north" }, ...].');
    }
    this.fleet = new Fleet(clusters.filter((c) => c && typeof c === 'object' && typeof c.name === 'string'));
    this.checkClusters(clusters, sink);
    this.defaults = this.resolveDefaults(props?.defaults, sink);
    this.mesh = props?.mesh ? this.resolveMesh(props.mesh, sink) : undefined;
    this.submariner = props?.submariner ? this.resolveSubmariner(props.submariner, sink) : undefined;

    // One chart per apply target, at the root of the app, so each becomes its own file.
    const root = this.node.root as Construct;
    const targets: ApplyTarget[] = [];
    if (this.delivery === DeliveryMode.DIRECT) {
      const charted = new Set<string>();
      for (const c of clusters) {
        // Invalid or duplicate names are reported by checkClusters; they get no chart of their own.
        if (!isClusterName(c?.name) || charted.has(c.name)) continue;
        charted.add(c.name);
        targets.push(new ApplyTarget(`cluster-${c.name}`, TargetKind.MEMBER, new Chart(root, `${this.platformName}-cluster-${c.name}`), c));
      }
    } else {
      targets.push(new ApplyTarget('control-plane', TargetKind.CONTROL_PLANE, new Chart(root, `${this.platformName}-control-plane`)));
      // Installation-level objects (istio-system, each member's Prometheus, the global tier) differ per cluster
      // and are applied to each member directly, in every mode.
      const direct = new Set([
        ...(this.mesh?.clusterNames ?? []),
        ...this.monitoringClusterNames(props?.monitoring),
        // Edge clusters get KubeEdge NodeGroups (cluster-scoped, per cluster).
        ...this.fleet.clusters.filter((c) => c.role === ClusterRole.EDGE).map((c) => c.name),
      ]);
      for (const c of this.fleet.clusters) {
        if (!direct.has(c.name)) continue;
        targets.push(new ApplyTarget(`cluster-${c.name}`, TargetKind.MEMBER, new Chart(root, `${this.platformName}-cluster-${c.name}`), c));
      }
    }
    this.targets = targets;
    this.deliveryEngine = this.delivery === DeliveryMode.DIRECT
      ? new DirectDelivery((c) => this.memberTarget(c))
      : new KarmadaDelivery(() => this.controlPlane);
    if (this.mesh) this.renderMeshInstall(this.mesh);
    if (props?.monitoring) {
      // Loaded only here: it loads the Prometheus server bindings, which are large.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { FleetMonitoring } = require('./fleet-monitoring') as typeof import('./fleet-monitoring');
      this.monitoring = new FleetMonitoring(this, 'monitoring', props.monitoring);
    }

    const registrations: Record<string, ApiObject> = {};
    const withRegistration = clusters.filter((c) => c?.registration);
    if (withRegistration.length > 0 && this.delivery === DeliveryMode.DIRECT) {
      sink.error('FP-REGISTRATION', 'clusters[].registration', withRegistration.map((c) => c.name), 'Karmada Cluster registrations only exist in karmada delivery mode.', 'remove `registration` or use DeliveryMode.KARMADA.');
    } else if (this.controlPlane) {
      const scope = this.controlPlane._scopeFor(this, this);
      for (const c of withRegistration) {
        if (!isClusterName(c.name)) continue;
        registrations[c.name] = this.renderRegistration(new Construct(scope, `cluster-${c.name}`), c);
      }
    }
    this.clusterRegistrations = registrations;

    // Whole-tree rules run when cdk8s validates the app, before anything is written. Throwing here (rather
    // than returning strings) gives callers one typed error holding every problem.
    this.node.addValidation({
      validate: () => {
        // cdk8s validates the whole app again for every chart it renders; one synth is synchronous, so the
        // result is reused until the current task ends.
        // The signature changes when a fleetplane construct is added or a chart gains a scope, so a tree
        // changed and synthesized again in the same task is validated again.
        const signature = `${this.sources.length}:${this.targets.map((t) => t.chart.node.children.length).join(',')}`;
        if (this.validationCache?.signature !== signature) this.validationCache = { signature, problems: this.validate() };
        const problems = this.validationCache.problems;
        if (!this.cacheClearQueued) {
          this.cacheClearQueued = true;
          queueMicrotask(() => {
            this.validationCache = undefined;
            this.cacheClearQueued = false;
          });
        }
        const errors = problems.filter((p) => p.severity === Severity.ERROR);
        if (errors.length > 0) throw new PlatformValidationError(problems);
        if (!this.warningsPrinted && problems.length > 0 && !process.env.FLEETPLANE_QUIET) {
          this.warningsPrinted = true;
          for (const p of problems) process.stderr.write(`fleetplane warning: ${formatProblem(p)}\n`);
        }
        return [];
      },
    });
  }

  /** The Karmada control-plane target (karmada mode only). */
  public get controlPlane(): ApplyTarget | undefined {
    return this.targets.find((t) => t.kind === TargetKind.CONTROL_PLANE);
  }

  /** The direct-mode target of a member cluster. */
  public memberTarget(cluster: string): ApplyTarget | undefined {
    return this.targets.find((t) => t.kind === TargetKind.MEMBER && t.cluster?.name === cluster);
  }

  /** Helm values for a mesh cluster's Istio install (meshID, clusterName, network, CNI, trust domain). */
  public meshInstallValues(cluster: string): MeshInstallValues | undefined {
    const m = this.mesh;
    if (!m || !m.clusterNames.includes(cluster)) return undefined;
    return {
      global: { meshID: m.meshId, multiCluster: { clusterName: cluster }, network: m.networks[cluster] },
      pilot: m.istioCni ? { cni: { enabled: true } } : undefined,
      meshConfig: { trustDomain: m.trustDomain },
    };
  }

  /** Labels every object of the platform carries. */
  public get labels(): Record<string, string> {
    return platformLabels(this.platformName);
  }

  /** Adds a tenant: a namespace with quota, limits, network isolation and RBAC on the clusters it uses. */
  public addTenant(id: string, props: TenantProps = {}): Tenant {
    return new Tenant(this, id, props);
  }

  /**
   * Runs every check over the whole platform and returns all problems (errors and warnings), sorted.
   * `app.synth()` calls this and throws a {@link PlatformValidationError} when there are errors.
   */
  public validate(): Problem[] {
    const problems = [...this.sink.problems];
    for (const source of this.sources) problems.push(...source._problems());
    problems.push(...this.checkObjects());
    return sortProblems(problems);
  }

  /** @internal */
  public _register(source: IProblemSource): void {
    this.sources.push(source);
  }

  /** Cluster names matched by a selector, for use in messages and checks. */
  public clusterNames(selector?: ClusterSelector): string[] {
    return this.fleet.select(selector).map((c) => c.name);
  }

  private checkClusters(clusters: readonly MemberClusterProps[], sink: ProblemSink): void {
    const seen = new Set<string>();
    clusters.forEach((c, i) => {
      const at = `clusters[${i}]`;
      if (!c || typeof c !== 'object') {
        sink.error('FP-CLUSTERS', at, c, 'a cluster must be an object.', 'use { name: "bj-1", region: "cn-north" }.');
        return;
      }
      if (!isClusterName(c.name)) {
        sink.error('K13', `${at}.name`, c.name, 'a member cluster name must be a DNS-1123 label of at most 48 characters (Karmada limit).', 'use lower-case letters, digits and "-", at most 48 characters.');
      }
      if (seen.has(c.name)) sink.error('K13', `${at}.name`, c.name, 'two clusters have the same name.', 'give every cluster a unique name.');
      seen.add(c.name);
      for (const [k, v] of Object.entries(c.labels ?? {})) {
        if (!isQualifiedName(k)) sink.error('K2', `${at}.labels`, k, 'invalid label key.', 'use an optional DNS prefix and a name of at most 63 alphanumerics, "-", "_" or ".".');
        if (!isLabelValue(v)) sink.error('K2', `${at}.labels['${k}']`, v, 'invalid label value.', 'use at most 63 alphanumerics, "-", "_" or "." with alphanumeric ends.');
      }
      if (c.role !== undefined && !Object.values(ClusterRole).includes(c.role)) {
        sink.error('FP-CLUSTERS', `${at}.role`, c.role, 'unknown cluster role.', 'use ClusterRole.CLOUD or ClusterRole.EDGE.');
      }
      if (c.zones && (!Array.isArray(c.zones) || new Set(c.zones).size !== c.zones.length)) {
        sink.error('FP-CLUSTERS', `${at}.zones`, c.zones, 'zones must be a list without duplicates.', 'list each zone once.');
      }
      (c.taints ?? []).forEach((t, j) => {
        if (!isQualifiedName(t?.key)) sink.error('K2', `${at}.taints[${j}].key`, t?.key, 'invalid taint key.', 'use a label-style key, e.g. "dedicated".');
      });
      const r = c.registration;
      if (r) {
        if (!Object.values(SyncMode).includes(r.syncMode)) sink.error('FP-REGISTRATION', `${at}.registration.syncMode`, r.syncMode, 'unknown sync mode.', 'use SyncMode.PUSH or SyncMode.PULL.');
        if (r.syncMode === SyncMode.PUSH && (!r.apiEndpoint || !r.secretRef)) {
          sink.error('FP-REGISTRATION', `${at}.registration`, r, 'a Push-mode cluster needs apiEndpoint and secretRef: Karmada applies to it directly.', 'set apiEndpoint and secretRef, or use SyncMode.PULL with karmada-agent.');
        }
        if (r.insecureSkipTlsVerification) sink.warn('FP-REGISTRATION', `${at}.registration.insecureSkipTlsVerification`, true, 'TLS verification of the member API server is disabled.', 'provide the caBundle in the secret instead.');
      }
    });
  }

  private resolveSubmariner(sub: SubmarinerProps, sink: ProblemSink) {
    const cloud = this.fleet.clusters.filter((c) => (c.role ?? ClusterRole.CLOUD) === ClusterRole.CLOUD);
    const joined = sub.clusters ? this.fleet.select(sub.clusters) : cloud;
    for (const n of Fleet.namesIn(sub.clusters)) {
      if (!this.fleet.has(n)) sink.error('K13', 'submariner.clusters', n, `unknown cluster (known: ${this.fleet.names.join(', ')}).`, 'use a cluster declared on the platform.');
    }
    if (!this.fleet.has(sub.broker)) sink.error('K13', 'submariner.broker', sub.broker, `unknown cluster (known: ${this.fleet.names.join(', ')}).`, 'host the broker on a declared cluster.');
    const clusterIds: Record<string, string> = {};
    const seen = new Map<string, string>();
    for (const c of joined) {
      const id = sub.clusterIds?.[c.name] ?? c.name;
      // Rule 49: the lighthouse agent rejects cluster IDs that are not DNS-1123 labels.
      if (!isDnsLabel(id)) sink.error('K49', `submariner.clusterIds['${c.name}']`, id, 'a Submariner cluster ID must be a DNS-1123 label.', 'use lower-case letters, digits and "-".');
      if (seen.has(id)) sink.error('K49', `submariner.clusterIds['${c.name}']`, id, `${c.name} and ${seen.get(id)} have the same cluster ID.`, 'give each cluster its own ID.');
      seen.set(id, c.name);
      clusterIds[c.name] = id;
    }
    for (const n of Object.keys(sub.clusterIds ?? {})) {
      if (!joined.some((c) => c.name === n)) sink.error('K13', `submariner.clusterIds['${n}']`, n, 'not a cluster joined to Submariner.', `use one of ${joined.map((c) => c.name).join(', ')}.`);
    }
    const cidrs = joined.flatMap((c) => [['podCidr', c.podCidr], ['serviceCidr', c.serviceCidr]].filter(([, v]) => v).map(([k, v]) => ({ cluster: c.name, kind: k!, cidr: v! })));
    for (const a of cidrs) {
      if (!parseCidr(a.cidr)) sink.error('K49', `clusters['${a.cluster}'].${a.kind}`, a.cidr, 'not an IPv4 CIDR.', 'use e.g. "10.1.0.0/16".');
    }
    if (!sub.globalnet) {
      // Rule 49: without Globalnet, pod and service CIDRs must not overlap across clusters.
      for (let i = 0; i < cidrs.length; i++) {
        for (let j = i + 1; j < cidrs.length; j++) {
          const a = cidrs[i], b = cidrs[j];
          if (a.cluster !== b.cluster && cidrsOverlap(a.cidr, b.cidr)) {
            sink.error('K49', `clusters['${b.cluster}'].${b.kind}`, b.cidr, `overlaps ${a.cluster}'s ${a.kind} ${a.cidr}; Submariner cannot route overlapping ranges without Globalnet.`, 'use disjoint CIDRs, or set submariner.globalnet: true.');
          }
        }
      }
    }
    return { broker: sub.broker, clusterIds, globalnet: sub.globalnet ?? false };
  }

  /** Member clusters monitored and the global tier's cluster (known ones only; the rest is reported later). */
  private monitoringClusterNames(m: MonitoringProps | undefined): string[] {
    if (!m) return [];
    const cloud = this.fleet.clusters.filter((c) => (c.role ?? ClusterRole.CLOUD) === ClusterRole.CLOUD);
    const members = m.clusters ? this.fleet.select(m.clusters) : cloud;
    const global = m.global?.props?.cluster;
    return [...members.map((c) => c.name), ...(global && this.fleet.has(global) ? [global] : [])];
  }

  private resolveMesh(m: MeshProps, sink: ProblemSink): ResolvedMesh {
    const cloud = this.fleet.clusters.filter((c) => (c.role ?? ClusterRole.CLOUD) === ClusterRole.CLOUD).map((c) => c.name);
    const clusterNames = m.clusters ? this.fleet.select(m.clusters).map((c) => c.name) : cloud;
    for (const n of Fleet.namesIn(m.clusters)) {
      if (!this.fleet.has(n)) sink.error('K13', 'mesh.clusters', n, `unknown cluster (known: ${this.fleet.names.join(', ')}).`, 'use a cluster declared on the platform.');
    }
    if (clusterNames.length === 0) sink.error('FP-EMPTY-SELECTOR', 'mesh.clusters', m.clusters, 'the mesh selects no cluster.', 'select at least one cluster.');
    const primaries = m.primaries ?? clusterNames;
    primaries.forEach((p, i) => {
      if (!clusterNames.includes(p)) sink.error('K34', `mesh.primaries[${i}]`, p, 'a primary must be a mesh cluster.', `use one of ${clusterNames.join(', ')}.`);
    });
    if (primaries.length === 0) sink.error('K34', 'mesh.primaries', primaries, 'a mesh needs at least one primary cluster (running istiod).', 'name a primary.');
    if (typeof m.meshId !== 'string' || !isDnsLabel(m.meshId)) sink.error('K34', 'mesh.meshId', m.meshId, 'the mesh ID must be a DNS-1123 label.', 'use e.g. "prod-mesh".');
    const trustDomain = m.trustDomain ?? 'cluster.local';
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(trustDomain)) sink.error('K36', 'mesh.trustDomain', trustDomain, 'not a valid trust domain.', 'use e.g. "cluster.local".');
    if (m.revision !== undefined && !isDnsLabel(m.revision)) sink.error('K35', 'mesh.revision', m.revision, 'a revision must be a DNS-1123 label.', 'use e.g. "1-30".');
    if (m.mtls !== undefined && !Object.values(MtlsMode).includes(m.mtls)) sink.error('K35', 'mesh.mtls', m.mtls, 'unknown mTLS mode.', 'use MtlsMode.STRICT or PERMISSIVE.');
    if (m.mtls === MtlsMode.PERMISSIVE) sink.warn('K35', 'mesh.mtls', m.mtls, 'the mesh accepts plain-text traffic.', 'use MtlsMode.STRICT once every workload has a sidecar.');
    if (m.istioCni && m.privilegedSidecarInit) sink.warn('K35', 'mesh.privilegedSidecarInit', true, 'with Istio CNI the privileged init container is not needed.', 'drop privilegedSidecarInit.');
    const networks: Record<string, string> = {};
    for (const n of clusterNames) networks[n] = this.fleet.get(n)?.network ?? n;
    const g = m.ingressGateway ?? {};
    return {
      meshId: m.meshId,
      clusterNames,
      primaries,
      trustDomain,
      revision: m.revision,
      istioCni: m.istioCni ?? false,
      privilegedSidecarInit: m.privilegedSidecarInit ?? false,
      mtls: m.mtls ?? MtlsMode.STRICT,
      defaultDeny: m.defaultDeny ?? true,
      ingressGateway: {
        namespace: g.namespace ?? 'istio-system',
        labels: g.labels ?? { istio: 'ingressgateway' },
        serviceAccount: g.serviceAccount ?? 'istio-ingressgateway',
      },
      networks,
      multiNetwork: new Set(Object.values(networks)).size > 1,
    };
  }

  /**
   * Per mesh cluster, in its own output: the istio-system namespace (privileged Pod Security, which Istio CNI
   * and gateways need, and its network label), mesh-wide PeerAuthentication on primaries, and on a
   * multi-network mesh the cross-network gateway.
   */
  private renderMeshInstall(m: ResolvedMesh): void {
    for (const name of m.clusterNames) {
      const target = this.memberTarget(name);
      if (!target) continue;
      const scope = new Construct(target.chart, 'mesh');
      createObject(scope, 'IstioSystem', k8s.KubeNamespace.GVK, k8s.toJson_KubeNamespaceProps, {
        metadata: {
          name: 'istio-system',
          labels: {
            ...this.labels,
            // Rule 7: istio-cni and the gateways need host access; say so explicitly.
            'pod-security.kubernetes.io/enforce': 'privileged',
            'topology.istio.io/network': m.networks[name],
          },
        },
      });
      if (m.primaries.includes(name)) {
        createObject(scope, 'MeshPeerAuthentication', security.PeerAuthentication.GVK, security.toJson_PeerAuthenticationProps, {
          metadata: { name: 'default', namespace: 'istio-system', labels: this.labels },
          spec: { mtls: { mode: m.mtls as any } },
        });
      }
      if (m.multiNetwork) {
        createObject(scope, 'CrossNetworkGateway', networking.Gateway.GVK, networking.toJson_GatewayProps, {
          metadata: { name: 'cross-network-gateway', namespace: 'istio-system', labels: this.labels },
          spec: {
            selector: { istio: 'eastwestgateway' },
            servers: [{ port: { number: 15443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' as any }, hosts: ['*.local'] }],
          },
        });
      }
    }
  }

  private resolveDefaults(d: PlatformDefaults | undefined, sink: ProblemSink): ResolvedDefaults {
    const resolved: ResolvedDefaults = {
      podSecurity: d?.podSecurity ?? PodSecurityLevel.RESTRICTED,
      resources: d?.resources ?? DEFAULT_RESOURCES,
      imageRegistry: d?.imageRegistry,
      runAsUser: d?.runAsUser ?? 10001,
      readOnlyRootFilesystem: d?.readOnlyRootFilesystem ?? true,
      topologySpread: d?.topologySpread ?? true,
      disruptionBudget: d?.disruptionBudget ?? true,
      defaultDenyNetwork: d?.defaultDenyNetwork ?? true,
    };
    if (!Object.values(PodSecurityLevel).includes(resolved.podSecurity)) {
      sink.error('K6', 'defaults.podSecurity', resolved.podSecurity, 'unknown Pod Security level.', 'use PodSecurityLevel.RESTRICTED, BASELINE or PRIVILEGED.');
    }
    if (!Number.isInteger(resolved.runAsUser) || resolved.runAsUser <= 0) {
      sink.error('K6', 'defaults.runAsUser', resolved.runAsUser, 'containers must run as a non-root user id (> 0).', 'use a positive uid such as 10001.');
    }
    for (const [res, range] of Object.entries(resolved.resources)) {
      for (const [k, v] of Object.entries(range ?? {})) {
        if (!isQuantity(v as string)) sink.error('K8', `defaults.resources.${res}.${k}`, v, 'not a Kubernetes quantity.', 'use e.g. "250m", "1", "128Mi".');
      }
    }
    return resolved;
  }

  private renderRegistration(scope: Construct, c: MemberClusterProps): ApiObject {
    const r = c.registration!;
    return createObject(scope, 'Resource', karmadaCluster.Cluster.GVK, karmadaCluster.toJson_ClusterProps, {
      metadata: { name: c.name, labels: { ...(c.labels ?? {}), ...this.labels } },
      spec: {
        syncMode: r.syncMode,
        apiEndpoint: r.apiEndpoint,
        secretRef: r.secretRef,
        impersonatorSecretRef: r.impersonatorSecretRef,
        insecureSkipTlsVerification: r.insecureSkipTlsVerification,
        proxyUrl: r.proxyUrl,
        provider: c.provider,
        region: c.region,
        zones: c.zones,
        taints: c.taints?.map((t) => ({ key: t.key, value: t.value, effect: t.effect as any })),
      },
    });
  }

  /** Checks over the L1 objects in every target: unique identities, platform labels, valid labels. */
  private checkObjects(): Problem[] {
    const sink = new ProblemSink(this.node.path);
    const badLabels = new Set<string>();
    // Most objects share a handful of labels: check each distinct key=value once.
    const verdicts = new Map<string, boolean>();
    for (const target of this.targets) {
      const seen = new Map<string, ApiObject>();
      for (const obj of target.chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) {
        const ns = obj.metadata.namespace ?? '';
        const key = `${obj.apiVersion} ${obj.kind} ${ns}/${obj.name}`;
        const other = seen.get(key);
        if (other) {
          sink.error('FP-COLLISION', `${target.name}`, key, `two constructs emit the same object (${other.node.path} and ${obj.node.path}).`, 'rename one of them (names are readable, not hashed, so collisions are errors).');
        }
        seen.set(key, obj);
        // The metadata's own label map, without resolving the object (resolving every object again is costly).
        const raw = (obj.metadata as unknown as { labels?: Record<string, unknown> }).labels;
        const labels: Record<string, unknown> = raw && Object.values(raw).every((v) => typeof v === 'string') ? raw : (obj.metadata.toJson().labels ?? {});
        if (labels[LABEL_PLATFORM] !== this.platformName) {
          sink.error('FP-LABELS', obj.node.path, key, 'object lacks the platform label.', `label it ${LABEL_PLATFORM}=${this.platformName}.`);
        }
        for (const [k, v] of Object.entries(labels)) {
          const label = `${k}=${v}`;
          let ok = verdicts.get(label);
          if (ok === undefined) verdicts.set(label, (ok = isQualifiedName(k) && isLabelValue(v as string)));
          if (!ok && !badLabels.has(label)) {
            badLabels.add(label);
            sink.error('K2', `labels (first on ${obj.node.path})`, { [k]: v }, 'invalid label key or value on emitted objects.', 'label keys are qualified names; values at most 63 alphanumerics, "-", "_" or ".".');
          }
        }
      }
    }
    return sink.problems;
  }
}

/** Returns the cdk8s App at the root of a construct tree (for helpers and tests). */
export function appOf(construct: IConstruct): App {
  return construct.node.root as App;
}
