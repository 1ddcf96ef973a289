import { ApiObject, App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ClusterRole, ClusterSelector, MemberClusterProps } from '../model/cluster';
import { MeshInstallValues, MeshProps } from '../model/mesh';
import { GitOpsProps, GitOpsTool } from '../model/gitops';
import { PlatformRolloutProps, RolloutState } from '../model/rollout';
import { MonitoringProps } from '../model/monitoring';
import { PlatformDefaults, SubmarinerProps } from '../model/platform';
import { IProblemSource, PLATFORM_CONTEXT, PlatformContext, ResolvedDefaults, ResolvedMesh, ResolvedRollout, ResolvedSubmariner, platformOf } from '../core/context';
import { DeliveryEngine } from '../core/delivery';
import { Fleet } from '../core/fleet';
import { platformLabels } from '../core/labels';
import { isClusterName } from '../core/names';
import { PlatformValidationError, Problem, ProblemSink, Severity, formatProblem, sortProblems } from '../core/problems';
import { ApplyTarget, DeliveryMode, TargetKind } from '../core/target';
import { DirectDelivery } from '../engines/delivery/direct';
import { KarmadaDelivery } from '../engines/delivery/karmada';
import { renderClusterRegistration } from '../engines/delivery/registration';
import { renderMeshInstall } from '../engines/mesh/install';
import { DeclaredPath } from '../model/reachability';
import { FLEET_APP } from '../outputs/gitops-layout';
import { evaluateDeclaredPaths, reachabilityProblems } from '../outputs/reachability';
import { FleetMonitoring } from './fleet-monitoring';
import { FleetTelemetry } from './fleet-telemetry';
import { TelemetryProps } from '../model/telemetry';
import { checkGitOps } from './private/gitops-checks';
import { checkGate, checkWaves } from './private/rollout-checks';
import { GitOpsDelivery } from './private/gitops-delivery';
import { selectedOrCloud } from './private/known-clusters';
import { checkClusters, checkPlatformIdentity, clusterList, clustersToRegister, resolveDefaults } from './private/platform-checks';
import { checkObjects } from './private/platform-checks-objects';
import { resolveMesh } from './private/resolve-mesh';
import { resolveSubmariner } from './private/resolve-submariner';
import { Tenant, TenantProps } from './tenant';
import { uniqueId, duplicateId } from './private/platform-construct';
import { checkShapes } from '../core/input';
import { PLATFORM_SHAPES } from './private/prop-shapes';

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
  /**
   * OpenTelemetry collectors in every member (a node agent and a gateway) and a global tier, with the backends logs
   * and traces go to; apps then opt in with `logs` and `tracing`, and meshed tenants trace through Istio.
   * @default - no telemetry
   */
  readonly telemetry?: TelemetryProps;
  /**
   * Evaluate every declared path (allowFrom, calls, ingress, DNS, istiod) over the synthesized policies at
   * synthesis, and fail with FP-REACH when one is blocked. Turning it off skips the check (it costs about 4 ms per
   * app on a large fleet); `checkReachability(app)` and `fleetplane check` still run it on demand.
   * @default true
   */
  readonly verifyReachability?: boolean;
  /**
   * GitOps delivery: the Argo CD or Flux objects that apply every target from the repository the output is
   * committed to, in the apply ordering, written to `<platform>-gitops.k8s.yaml` for the management cluster.
   * The targets are then written one directory per delivery unit (needs a FleetApp).
   * @default - no GitOps objects; one file per target
   */
  readonly gitops?: GitOpsProps;
  /**
   * Roll new versions out across the fleet in waves. Karmada mode: the default waves of every app (restricted to
   * its clusters), promoted with `fleetplane promote`, which records promotions in `state`. Direct mode: the
   * clusters' Applications are synced wave by wave by an Argo CD ApplicationSet (RollingSync; needs Argo CD `gitops`).
   * @default - every cluster gets a new version at once
   */
  readonly rollout?: PlatformRolloutProps;
}

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
  /** Whether synthesis runs the reachability check (see {@link DistributedPlatformProps.verifyReachability}). */
  public readonly verifyReachability: boolean;
  /** Delivery mode. */
  public readonly delivery: DeliveryMode;
  /** How objects reach the clusters in this delivery mode. */
  public readonly deliveryEngine: DeliveryEngine;
  /** The member-cluster inventory. */
  public readonly fleet: Fleet;
  /** Resolved platform-wide defaults. */
  public readonly defaults: ResolvedDefaults;
  /** Apply targets, in a stable order (control plane first, then members by cluster name). */
  public readonly targets: readonly ApplyTarget[];
  /** The monitoring tiers, if the platform has monitoring. */
  public readonly monitoring?: FleetMonitoring;
  /** The telemetry collectors, if the platform has telemetry. */
  public readonly telemetry?: FleetTelemetry;
  /** Submariner, if declared: joined clusters and their cluster IDs. */
  public readonly submariner?: ResolvedSubmariner;
  /** The mesh, with defaults resolved, if the platform has one. */
  public readonly mesh?: ResolvedMesh;
  /** The Karmada `Cluster` registrations, by cluster name (karmada mode, clusters with `registration`). */
  public readonly clusterRegistrations: Readonly<Record<string, ApiObject>>;
  /** The chart of the GitOps objects (`<platform>-gitops`), with `gitops`. */
  public readonly gitopsChart?: Chart;
  /** The platform-wide rollout waves and recorded promotions, if declared. */
  public readonly rollout?: ResolvedRollout;

  private readonly sink: ProblemSink;
  private readonly sources: IProblemSource[] = [];
  private readonly gitops?: GitOpsDelivery;
  private readonly gitopsRequested: boolean;
  private warningsPrinted = false;
  private validationCache?: { signature: string; problems: Problem[] };
  private cacheClearQueued = false;

  constructor(scope: Construct, id: string, given: DistributedPlatformProps) {
    super(scope, uniqueId(scope, id));
    this.sink = new ProblemSink(this.node.path);
    if (this.node.id !== id) this.sink.problems.push(duplicateId(scope.node.path, id));
    const props = checkShapes(this.sink, given, PLATFORM_SHAPES);
    this.platformName = props?.name ?? id;
    this.verifyReachability = props?.verifyReachability ?? true;
    this.delivery = props?.delivery ?? DeliveryMode.KARMADA;
    checkPlatformIdentity(this.sink, this.platformName, this.delivery);
    const clusters = clusterList(this.sink, props?.clusters);
    this.fleet = new Fleet(clusters.filter((c) => c && typeof c === 'object' && typeof c.name === 'string'));
    checkClusters(this.sink, clusters);
    this.defaults = resolveDefaults(this.sink, props?.defaults);
    this.mesh = props?.mesh ? resolveMesh(this.sink, this.fleet, props.mesh) : undefined;
    this.submariner = props?.submariner ? resolveSubmariner(this.sink, this.fleet, props.submariner) : undefined;
    this.targets = this.createTargets(props?.monitoring, props?.telemetry);
    this.rollout = props?.rollout ? this.resolveRollout(props.rollout, props.gitops) : undefined;
    this.deliveryEngine = this.delivery === DeliveryMode.DIRECT
      ? new DirectDelivery((c) => this.memberTarget(c))
      : new KarmadaDelivery(() => this.controlPlane);
    if (this.mesh) this.installMesh(this.mesh);
    if (props?.monitoring) this.monitoring = new FleetMonitoring(this, 'monitoring', props.monitoring);
    if (props?.telemetry) this.telemetry = new FleetTelemetry(this, 'telemetry', props.telemetry);
    this.clusterRegistrations = this.registerClusters(clustersToRegister(this.sink, clusters, this.delivery));
    this.gitopsRequested = !!props?.gitops;
    if (props?.gitops && checkGitOps(this.sink, props.gitops, this.targets.map((t) => t.name))) {
      const waves = this.delivery === DeliveryMode.DIRECT && this.rollout?.waves.length ? this.rollout.waves : undefined;
      const host = { platformName: this.platformName, targets: this.targets, labels: this.labels, waveOf: waves && ((t: ApplyTarget) => waves.findIndex((w) => w.includes(t.cluster?.name ?? ''))) };
      this.gitops = new GitOpsDelivery(this.chart(this.node.root as Construct, `${this.platformName}-gitops`), host, props.gitops);
      this.gitopsChart = this.gitops.chart;
    }
    this.addValidationHook();
  }

  /**
   * The chart of an apply target. Two platforms with the same name would write the same files: the clash is a
   * problem on `name` (the chart gets a free id so that every other problem is still reported).
   */
  private chart(root: Construct, id: string): Chart {
    const free = uniqueId(root, id);
    if (free !== id && !this.sink.problems.some((p) => p.rule === 'FP-DUPLICATE' && p.prop === 'name')) {
      this.sink.error('FP-DUPLICATE', 'name', this.platformName, `another platform in the app is also named "${this.platformName}", so both would write ${id}.k8s.yaml.`, 'give each platform its own name (the `name` prop, or the construct id).');
    }
    return new Chart(root, free);
  }

  /** The platform's waves cover the fleet once each; in direct mode they are rolled out by Argo CD RollingSync. */
  private resolveRollout(r: PlatformRolloutProps, gitops: GitOpsProps | undefined): ResolvedRollout | undefined {
    const ok = r.waves === undefined || checkWaves(this.sink, 'rollout.waves', r.waves, { allowed: this.fleet.clusters.map((c) => c.name), what: 'the fleet' });
    checkGate(this.sink, 'rollout', r.gate, 1);
    if (this.delivery === DeliveryMode.DIRECT && r.waves && gitops?.tool !== GitOpsTool.ARGO_CD) {
      this.sink.error('FP-ROLLOUT', 'rollout', gitops?.tool ?? 'no gitops', 'in direct mode each cluster applies its own output; waves across them are synced by an Argo CD ApplicationSet with RollingSync.', 'declare `gitops: { tool: GitOpsTool.ARGO_CD, ... }` on the platform.');
    }
    return ok ? { waves: r.waves ?? [], gate: r.gate, state: r.state ?? RolloutState.of({}) } : undefined;
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
    const t = this.telemetry;
    // Istio's Telemetry objects name this provider; the node agent takes the proxies' spans on OTLP/gRPC.
    const tracing = t?.traces && t.clusterNames.includes(cluster)
      ? { extensionProviders: [{ name: t.meshProvider, opentelemetry: { service: t.agentHost, port: 4317 } }] }
      : {};
    return {
      global: { meshID: m.meshId, multiCluster: { clusterName: cluster }, network: m.networks[cluster], remotePilotAddress: this.remotePilotAddress(cluster) },
      pilot: m.istioCni ? { cni: { enabled: true } } : undefined,
      meshConfig: { trustDomain: m.trustDomain, ...tracing },
    };
  }

  /** A remote's primary's east-west gateway address, which exposes istiod to it. */
  private remotePilotAddress(cluster: string): string | undefined {
    const primary = this.mesh?.istiodOf[cluster];
    return primary === undefined ? undefined : this.fleet.get(primary)?.eastWestGateway?.address;
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
  public problems(): Problem[] {
    const problems = [...this.sink.problems];
    if (this.gitopsRequested && (this.node.root as unknown as Record<symbol, unknown>)[FLEET_APP] !== true) {
      problems.push({
        severity: Severity.ERROR, rule: 'FP-GITOPS', path: this.node.path, prop: 'gitops', value: this.node.root.constructor.name,
        message: 'GitOps delivery writes every target as one directory per delivery unit, which only FleetApp does (a plain cdk8s App writes one file per target, which Flux and per-tenant Applications cannot point at).',
        fix: 'build the platform on `new FleetApp()` instead of `new App()`.',
      });
    }
    for (const source of this.sources) problems.push(...source._problems());
    problems.push(...checkObjects(this.node.path, this.platformName, this.targets));
    // The reachability check reads the rendered output, so it runs only on a tree without other errors.
    if (!problems.some((p) => p.severity === Severity.ERROR)) problems.push(...this.reachabilityProblems());
    return sortProblems(problems);
  }

  /** The connections the platform's constructs declare, for the reachability check. @internal */
  public _declaredPaths(): DeclaredPath[] {
    return this.sources.flatMap((s) => s._declaredPaths?.() ?? []);
  }

  /** Charts written as per-unit directories (with `gitops`): chart id → target and tenant namespaces. @internal */
  public _gitopsLayout(): ReadonlyMap<string, { target?: string; tenantNamespaces: readonly string[] }> | undefined {
    const gitops = this.gitops;
    if (!gitops) return undefined;
    const charts = this.targets.map((t): [string, { target?: string; tenantNamespaces: readonly string[] }] => [t.chart.node.id, { target: t.name, tenantNamespaces: gitops.tenantNamespaces(t.name) }]);
    return new Map([...charts, [gitops.chart.node.id, { tenantNamespaces: [] }]]);
  }

  /** A tenant wrote objects into these targets: its GitOps units. @internal */
  public _addTenantUnits(namespace: string, targetNames: readonly string[]): void {
    this.gitops?.addTenant(namespace, targetNames);
  }

  /** @internal */
  public _register(source: IProblemSource): void {
    this.sources.push(source);
  }

  /** Cluster names matched by a selector, for use in messages and checks. */
  public clusterNames(selector?: ClusterSelector): string[] {
    return this.fleet.select(selector).map((c) => c.name);
  }

  /**
   * One chart per apply target, at the root of the app, so each becomes its own file: in direct mode one per
   * member; in karmada mode the control plane, plus the members that need objects of their own.
   */
  private createTargets(monitoring: MonitoringProps | undefined, telemetry: TelemetryProps | undefined): ApplyTarget[] {
    const root = this.node.root as Construct;
    const member = (c: MemberClusterProps) => new ApplyTarget(`cluster-${c.name}`, TargetKind.MEMBER, this.chart(root, `${this.platformName}-cluster-${c.name}`), c);
    const targets: ApplyTarget[] = [];
    if (this.delivery === DeliveryMode.DIRECT) {
      const charted = new Set<string>();
      for (const c of this.fleet.clusters) {
        // Invalid or duplicate names are reported by checkClusters; they get no chart of their own.
        if (!isClusterName(c?.name) || charted.has(c.name)) continue;
        charted.add(c.name);
        targets.push(member(c));
      }
      return targets;
    }
    targets.push(new ApplyTarget('control-plane', TargetKind.CONTROL_PLANE, this.chart(root, `${this.platformName}-control-plane`)));
    const direct = new Set([...this.directClusterNames(monitoring), ...this.telemetryClusterNames(telemetry)]);
    for (const c of this.fleet.clusters) {
      if (direct.has(c.name)) targets.push(member(c));
    }
    return targets;
  }

  /** FP-REACH: every declared path must get through the synthesized policies (nothing to render when none is declared). */
  private reachabilityProblems(): Problem[] {
    if (!this.verifyReachability || this._declaredPaths().length === 0) return [];
    return reachabilityProblems(evaluateDeclaredPaths(this));
  }

  /** Clusters that get objects applied to them directly in karmada mode too. */
  private directClusterNames(monitoring: MonitoringProps | undefined): string[] {
    // Installation-level objects (istio-system, each member's Prometheus, the global tier) differ per cluster
    // and are applied to each member directly, in every mode.
    const global = monitoring?.global?.props?.cluster;
    return [
      ...(this.mesh?.clusterNames ?? []),
      // Member clusters monitored and the global tier's cluster (known ones only; the rest is reported later).
      ...(monitoring ? selectedOrCloud(this.fleet, monitoring.clusters).map((c) => c.name) : []),
      ...(monitoring && global && this.fleet.has(global) ? [global] : []),
      // Edge clusters get KubeEdge NodeGroups (cluster-scoped, per cluster).
      ...this.fleet.clusters.filter((c) => c.role === ClusterRole.EDGE).map((c) => c.name),
    ];
  }

  /** Clusters with collectors and the global gateway's cluster (known ones only; the rest is reported later). */
  private telemetryClusterNames(telemetry: TelemetryProps | undefined): string[] {
    if (!telemetry) return [];
    const global = telemetry.globalTier?.props?.cluster;
    return [...selectedOrCloud(this.fleet, telemetry.clusters).map((c) => c.name), ...(global && this.fleet.has(global) ? [global] : [])];
  }

  /** The mesh's installation-level objects, in each mesh cluster's own output. */
  private installMesh(m: ResolvedMesh): void {
    for (const name of m.clusterNames) {
      const target = this.memberTarget(name);
      if (!target) continue;
      renderMeshInstall(new Construct(target.chart, 'mesh'), {
        network: m.networks[name],
        primary: m.primaries.includes(name),
        mtls: m.mtls,
        multiNetwork: m.multiNetwork,
        exposeIstiod: Object.values(m.istiodOf).includes(name),
        labels: this.labels,
      });
    }
  }

  /** The Karmada `Cluster` registrations, in the control plane (karmada mode). */
  private registerClusters(clusters: readonly MemberClusterProps[]): Record<string, ApiObject> {
    const registrations: Record<string, ApiObject> = {};
    const cp = this.controlPlane;
    if (!cp) return registrations;
    const scope = cp._scopeFor(this, this);
    for (const c of clusters) {
      if (!isClusterName(c.name)) continue;
      registrations[c.name] = renderClusterRegistration(new Construct(scope, `cluster-${c.name}`), c, this.labels);
    }
    return registrations;
  }

  /**
   * Whole-tree rules run when cdk8s validates the app, before anything is written. Throwing here (rather
   * than returning strings) gives callers one typed error holding every problem.
   */
  private addValidationHook(): void {
    this.node.addValidation({
      validate: () => {
        const problems = this.cachedProblems();
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

  /**
   * cdk8s validates the whole app again for every chart it renders; one synth is synchronous, so the
   * result is reused until the current task ends.
   */
  private cachedProblems(): Problem[] {
    // The signature changes when a fleetplane construct is added or a chart gains a scope, so a tree
    // changed and synthesized again in the same task is validated again.
    const signature = `${this.sources.length}:${this.targets.map((t) => t.chart.node.children.length).join(',')}`;
    if (this.validationCache?.signature !== signature) this.validationCache = { signature, problems: this.problems() };
    if (!this.cacheClearQueued) {
      this.cacheClearQueued = true;
      queueMicrotask(() => {
        this.validationCache = undefined;
        this.cacheClearQueued = false;
      });
    }
    return this.validationCache.problems;
  }
}

/** Returns the cdk8s App at the root of a construct tree (for helpers and tests). */
export function appOf(construct: IConstruct): App {
  return construct.node.root as App;
}
