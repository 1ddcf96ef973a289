import { Construct } from 'constructs';
import { PlatformContext } from '../core/context';
import { AppDeliveryInput, ResourceSelector, ScheduleResult, selectorOf } from '../core/delivery';
import { overrideImage, parseImage, withRegistry } from '../core/image';
import { LABEL_INSTANCE, LABEL_NAME, LABEL_VERSION } from '../core/labels';
import { isLabelValue } from '../core/names';
import { DeliveryMode } from '../core/target';
import { normalizeOverrides } from '../engines/delivery/overrides';
import { checkPlacement, schedule } from '../engines/delivery/scheduling';
import { AppMonitoringInput, meshedScrapeAnnotations, renderAppMonitoring } from '../engines/monitoring/app';
import { appRuleGroups, signalSource } from '../engines/monitoring/rules';
import { renderAppObjects } from '../engines/workload/common';
import { AppIntent } from '../engines/workload/intent';
import { renderAppWorkload } from '../engines/workload/workload';
import { AppResources, AutoscalingProps, CanaryProps, DisruptionBudgetProps, FailoverProps, StorageProps, WorkloadKind } from '../model/app';
import { Distribution, DistributionKind } from '../model/distribution';
import { AppMetrics, Slo } from '../model/monitoring';
import { ClusterOverride, OverrideValues } from '../model/overrides';
import { Placement } from '../model/placement';
import { AppPort, EnvValue, Probe, Protocol, ResourceRequirements } from '../model/workload';
import { checkConfigMaps, checkEnv, checkIdentity, checkLabels, checkPorts, checkProbes, checkSecrets, checkVersion } from './private/app-checks';
import { checkBudgetPerCluster, checkDisruptionBudget, checkFailover, checkStorage } from './private/app-checks-availability';
import { checkCanary } from './private/app-checks-canary';
import { checkAppOnMonitoredClusters, checkMonitoring } from './private/app-checks-monitoring';
import { checkOverrides } from './private/app-checks-overrides';
import { checkQuotaCoverage, checkResources } from './private/app-checks-resources';
import { checkAutoscaling, checkDefaultDuplication, checkExactCountsPlaced, checkReplicas } from './private/app-checks-scaling';
import { PlatformConstruct } from './private/platform-construct';
import { Tenant } from './tenant';
import { ApiObject } from 'cdk8s';
import { checkShapes } from '../core/input';
import { APP_SHAPES } from './private/prop-shapes';

/** Properties of a {@link FederatedApp}. */
export interface FederatedAppProps {
  /** Image of the main container, e.g. `registry.example.com/shop/web:1.4.2`. */
  readonly image: string;
  /**
   * Object name (a DNS-1035 label: Service names are).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Workload kind.
   * @default WorkloadKind.DEPLOYMENT
   */
  readonly kind?: WorkloadKind;
  /**
   * Shorthand for one HTTP port named `http`.
   * @default - see `ports`
   */
  readonly port?: number;
  /**
   * Ports of the main container, all exposed by the Service.
   * @default - `port`, or no ports
   */
  readonly ports?: AppPort[];
  /**
   * Environment variables of the main container, in order.
   * @default - none
   */
  readonly env?: Record<string, EnvValue>;
  /**
   * Command (entrypoint).
   * @default - the image's
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * Resources of the main container.
   * @default - the platform default
   */
  readonly resources?: ResourceRequirements;
  /**
   * Liveness probe.
   * @default - none
   */
  readonly liveness?: Probe;
  /**
   * Readiness probe.
   * @default - none
   */
  readonly readiness?: Probe;
  /**
   * Startup probe.
   * @default - none
   */
  readonly startup?: Probe;
  /**
   * Replica count over the fleet (per cluster with duplicated distribution). Not with `autoscaling`.
   * @default 1, or the sum of Distribution.exact counts
   */
  readonly replicas?: number;
  /**
   * Where the app runs.
   * @default Placement.all() (every cluster of the tenant)
   */
  readonly placement?: Placement;
  /**
   * How replicas are spread over the selected clusters.
   * @default Distribution.duplicated(), or Distribution.evenly() with autoscaling
   */
  readonly distribution?: Distribution;
  /**
   * Per-cluster or per-label overrides: a list, or a map keyed by cluster name.
   * @default - none
   */
  readonly overrides?: ClusterOverride[] | Record<string, OverrideValues>;
  /**
   * Fleet-wide autoscaling; the autoscaler then owns the replica count.
   * @default - fixed replicas
   */
  readonly autoscaling?: AutoscalingProps;
  /**
   * Application failover (karmada mode).
   * @default - no failover
   */
  readonly failover?: FailoverProps;
  /**
   * ConfigMaps the app owns, by name: key → value. Never put secrets here.
   * @default - none
   */
  readonly configMaps?: Record<string, Record<string, string>>;
  /**
   * Existing Secrets the app depends on, by name (values are never part of the definition).
   * Secrets used in `env` are added automatically.
   * @default - none
   */
  readonly secrets?: string[];
  /**
   * Per-replica storage (StatefulSet only).
   * @default - none
   */
  readonly storage?: StorageProps;
  /**
   * Disruption budget, or false for none.
   * @default - maxUnavailable 1 (platform default)
   */
  readonly disruptionBudget?: DisruptionBudgetProps | false;
  /**
   * Spread pods across zones and nodes inside each cluster.
   * @default - the platform default (true)
   */
  readonly topologySpread?: boolean;
  /**
   * Name of the main container.
   * @default 'app'
   */
  readonly containerName?: string;
  /**
   * Version label (`app.kubernetes.io/version`).
   * @default - the image tag when it is a valid label value
   */
  readonly version?: string;
  /**
   * Scrape the app's metrics (needs platform monitoring): a ServiceMonitor on the named port, or for a meshed
   * tenant a PodMonitor on the sidecar's merged metrics. Golden-signal rules and a dashboard come with it.
   * @default - not scraped
   */
  readonly metrics?: AppMetrics;
  /**
   * Service-level objectives, alerted on with multi-window, multi-burn-rate rules.
   * @default - none
   */
  readonly slos?: Slo[];
  /**
   * A canary version running beside this one (its traffic share is set by a MeshedService).
   * @default - no canary
   */
  readonly canary?: CanaryProps;
  /**
   * Extra labels on every object of the app.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/**
 * One application placed across the fleet: the workload (Deployment or StatefulSet) with a restricted
 * security context, its Service, ServiceAccount, PodDisruptionBudget and ConfigMaps, and in karmada mode
 * the PropagationPolicy, OverridePolicy, FederatedHPA and CronFederatedHPA that place and tune it. In
 * direct mode the same definition is expanded per cluster, replicas split as Karmada would.
 */
export class FederatedApp extends PlatformConstruct {
  /** The tenant. */
  public readonly tenant: Tenant;
  /** Object name. */
  public readonly appName: string;
  /** The platform. */
  public get platform(): PlatformContext {
    return this.context;
  }
  /** Workload kind. */
  public readonly kind: WorkloadKind;
  /** Placement. */
  public readonly placement: Placement;
  /** Distribution. */
  public readonly distribution: Distribution;
  /** The ports, with names resolved. */
  public readonly ports: ReadonlyArray<Required<Pick<AppPort, 'name' | 'port' | 'protocol' | 'servicePort'>>>;
  /** Scheduling on a healthy fleet: candidate clusters and, when known at synthesis, replicas per cluster. */
  public get scheduled(): ScheduleResult {
    return this._scheduled;
  }

  private _scheduled: ScheduleResult = { candidates: [] };
  private readonly props: FederatedAppProps;
  private readonly overrides: ClusterOverride[];
  private readonly resourcesByTarget = new Map<string, AppResources>();

  constructor(scope: Tenant, id: string, props: FederatedAppProps) {
    super(scope, id);
    this.props = checkShapes(this.sink, props, APP_SHAPES);
    const inTenant = this.checkTenantScope(scope, 'FederatedApp');
    this.tenant = scope;
    this.appName = this.props.name ?? id;
    this.kind = this.props.kind ?? WorkloadKind.DEPLOYMENT;
    this.placement = this.props.placement ?? Placement.all();
    this.distribution = this.props.distribution ?? (this.props.autoscaling ? Distribution.evenly() : Distribution.duplicated());
    this.overrides = normalizeOverrides(this.props.overrides);
    this.ports = (this.props.ports ?? (this.props.port !== undefined ? [{ port: this.props.port }] : [])).map((p, i) => ({
      name: p?.name ?? (i === 0 ? 'http' : ''),
      port: p?.port,
      protocol: p?.protocol ?? Protocol.TCP,
      servicePort: p?.servicePort ?? p?.port,
    }));
    if (!inTenant) return;
    this.checkProps();
    const fleet = this.context.fleet;
    checkPlacement(this.sink, fleet, this.tenant.clusterNames, this.placement, this.distribution);
    this._scheduled = schedule(this.sink, fleet, this.tenant.clusterNames, this.placement, this.distribution, this.totalReplicas, this.direct);
    checkExactCountsPlaced(this.sink, this.distribution, this._scheduled.candidates.map((c) => c.name), this.tenant.clusterNames);
    if (this.props.disruptionBudget) checkBudgetPerCluster(this.sink, this.props.disruptionBudget, this._scheduled.replicas);
    const mon = this.context.monitoring;
    if (mon && this.props.metrics) checkAppOnMonitoredClusters(this.sink, this._scheduled.candidates.map((c) => c.name), mon.clusterNames);
    if (this.sink.hasErrors) return; // rendering a broken definition would only add noise (or fail)
    for (const [target, resources] of this.context.deliveryEngine.deliverApp(this.deliveryInput())) {
      this.resourcesByTarget.set(target, resources);
    }
  }

  /**
   * Places your own objects with the app: a cert-manager Certificate or an ExternalSecret from `cdk8s import`, an
   * object of a Helm `Include`. `render` is called once per target the app is written to, with a scope in that
   * target's chart: in karmada mode the objects are written once and selected by the app's PropagationPolicy, so
   * they go wherever Karmada places the app; in direct mode every member that runs the app gets its own copy.
   * Objects must live in the tenant's namespace; they get the app's labels.
   *
   * @example
   * web.include((scope) => new Certificate(scope, 'tls', { metadata: { name: 'web-tls', namespace: 'shop' }, spec: {...} }));
   */
  public include(render: (scope: Construct) => ApiObject | readonly ApiObject[]): this {
    const at = `include(${this.includeCount++})`;
    for (const name of this.targetNames) {
      const target = this.context.targets.find((t) => t.name === name)!;
      const created = render(new Construct(target._scopeFor(this, this.context), at));
      for (const obj of Array.isArray(created) ? created : [created as ApiObject]) this.adopt(obj, at);
    }
    return this;
  }

  private includeCount = 0;
  private readonly includedSelectors: ResourceSelector[] = [];

  /** Checks an included object and labels it as the app's; Karmada mode selects it by name. */
  private adopt(obj: ApiObject, at: string): void {
    if (!(obj instanceof ApiObject)) {
      this.sink.error('FP-INCLUDE', at, obj, 'include() takes cdk8s ApiObjects (generated classes from `cdk8s import`, or `new ApiObject(...)`).', 'return the object(s) created in the scope you are given.');
      return;
    }
    const key = `${obj.apiVersion} ${obj.kind} ${obj.name}`;
    for (const [k, v] of Object.entries(this.labels)) obj.metadata.addLabel(k, v);
    if (obj.metadata.namespace !== this.tenant.namespace) {
      this.sink.error('FP-INCLUDE', at, key, `objects placed with an app live in its namespace "${this.tenant.namespace}" (a cluster-scoped or foreign object cannot follow the app's PropagationPolicy).`, `set metadata.namespace to "${this.tenant.namespace}".`);
      return;
    }
    if (!this.includedSelectors.some((s) => `${s.apiVersion} ${s.kind} ${s.name}` === key)) this.includedSelectors.push(selectorOf(obj));
  }

  /** The objects emitted into a target: `control-plane`, or `cluster-<name>` in direct mode. */
  public resourcesIn(target: string): AppResources | undefined {
    return this.resourcesByTarget.get(target);
  }

  /** Names of the targets the app writes to. */
  public get targetNames(): string[] {
    return [...this.resourcesByTarget.keys()];
  }

  /** Replica count over the fleet, or undefined when an autoscaler owns it. */
  public get totalReplicas(): number | undefined {
    if (this.props.autoscaling) return undefined;
    if (this.distribution.kind === DistributionKind.EXACT) {
      return Object.values(this.distribution.counts ?? {}).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
    }
    return this.props.replicas ?? 1;
  }

  /** Labels selecting the app's pods. */
  public get selectorLabels(): Record<string, string> {
    return { [LABEL_NAME]: this.appName, [LABEL_INSTANCE]: `${this.tenant.namespace}-${this.appName}`.slice(0, 63).replace(/[-_.]+$/, '') };
  }

  /** Labels on every object of the app. */
  public get labels(): Record<string, string> {
    return this.labelsFor(this.stableVersion);
  }

  /** The version the main workload runs (`version`, else the image tag, else `stable`). */
  public get stableVersion(): string {
    const v = this.props.version ?? parseImage(this.image)?.tag;
    return v && isLabelValue(v) ? v : 'stable';
  }

  /** The canary's version, if the app has a canary. */
  public get canaryVersion(): string | undefined {
    return this.props.canary?.version;
  }

  /** Every version the app runs: the stable one, then the canary. */
  public get versions(): string[] {
    return this.canaryVersion !== undefined ? [this.stableVersion, this.canaryVersion] : [this.stableVersion];
  }

  /** Pod labels selecting one version of the app (for Istio subsets). */
  public versionLabels(version: string): Record<string, string> {
    return { ...this.selectorLabels, [LABEL_VERSION]: version };
  }

  /** The main container image, with the platform registry applied to images that name none. */
  public get image(): string {
    return withRegistry(this.props.image, this.context.defaults.imageRegistry);
  }

  /** Name of the canary workload. */
  public get canaryName(): string | undefined {
    return this.props.canary ? `${this.appName}-${this.props.canary.version}` : undefined;
  }

  /** The app's metrics scraping, if any. */
  public get metrics(): AppMetrics | undefined {
    return this.props.metrics;
  }

  /** The app's SLOs. */
  public get slos(): readonly Slo[] {
    return this.props.slos ?? [];
  }

  /** The app's rule groups (golden signals, SLO burn rates, workload alerts), as in a rule file. */
  public ruleGroups() {
    const mon = this.context.monitoring;
    return appRuleGroups({
      namespace: this.tenant.namespace,
      app: this.appName,
      source: signalSource(this.tenant.namespace, this.appName, this.tenant.meshed, this.props.metrics),
      slos: this.props.slos ?? [],
      workloadKind: this.kind === WorkloadKind.STATEFUL_SET ? 'StatefulSet' : 'Deployment',
      workloads: [this.appName, ...(this.canaryName ? [this.canaryName] : [])],
      // Karmada's FederatedHPA scales from the control plane; only direct mode has a native HPA to alert on.
      hpa: !!this.props.autoscaling && this.direct,
      runbookBaseUrl: mon?.runbookBaseUrl ?? '',
      interval: mon?.interval ?? '30s',
    });
  }

  private get direct(): boolean {
    return this.context.delivery === DeliveryMode.DIRECT;
  }

  private labelsFor(version: string): Record<string, string> {
    return { ...(this.props.labels ?? {}), ...this.tenant.labels, ...this.selectorLabels, [LABEL_VERSION]: version };
  }

  private get canaryImage(): string {
    const c = this.props.canary!;
    // The platform registry reaches the canary too: in an air-gapped site the version being canaried would
    // otherwise be pulled from Docker Hub.
    return c.image !== undefined ? withRegistry(c.image, this.context.defaults.imageRegistry) : overrideImage(this.image, { tag: c.version });
  }

  private get metricsPort() {
    const m = this.props.metrics;
    return m ? (m.port ? this.ports.find((p) => p.name === m.port) : this.ports[0]) : undefined;
  }

  /** Every prop check, by concern, in the order problems are reported. */
  private checkProps(): void {
    const { sink, props } = this;
    checkIdentity(sink, this.appName, this.kind, props.image, props.containerName ?? 'app', this.context.defaults.imageTagPolicy);
    checkLabels(sink, props.labels ?? {});
    if (props.canary) checkCanary(sink, props.canary, { appName: this.appName, kind: this.kind, stableVersion: this.stableVersion, version: props.version, image: this.image, imageTagPolicy: this.context.defaults.imageTagPolicy });
    checkVersion(sink, props.version);
    checkMonitoring(sink, props.metrics, props.slos, { monitored: !!this.context.monitoring, portNames: this.ports.map((p) => p.name), meshed: this.tenant.meshed });
    const portNames = checkPorts(sink, this.ports, !!props.ports);
    checkProbes(sink, { liveness: props.liveness, readiness: props.readiness, startup: props.startup }, portNames);
    checkEnv(sink, props.env ?? {});
    checkConfigMaps(sink, props.configMaps ?? {});
    checkSecrets(sink, props.secrets ?? []);
    checkResources(sink, 'resources', props.resources);
    checkQuotaCoverage(sink, this.tenant._quotaTracks(), { ...this.context.defaults.resources, ...(props.resources ?? {}) } as ResourceRequirements);
    checkReplicas(sink, props.replicas, this.distribution, this.totalReplicas, this.context.fleet, this.tenant.clusterNames);
    if (props.autoscaling) checkAutoscaling(sink, props.autoscaling, props.replicas, this.distribution, this.direct);
    else checkDefaultDuplication(sink, this.distribution, props.distribution !== undefined, this.totalReplicas, this.tenant.clusterNames.length);
    if (props.failover) checkFailover(sink, props.failover, this.direct);
    if (props.storage) checkStorage(sink, props.storage, this.kind);
    if (props.disruptionBudget) checkDisruptionBudget(sink, props.disruptionBudget);
    checkOverrides(sink, this.overrides, {
      fleet: this.context.fleet,
      tenantClusters: this.tenant.clusterNames,
      autoscaled: !!props.autoscaling,
      image: typeof props.image === 'string' ? this.image : undefined,
      imageTagPolicy: this.context.defaults.imageTagPolicy,
    });
  }

  /** ConfigMaps and Secrets the app reads: its own, the declared ones and those its env references. */
  private dependencies(): { configMaps: string[]; secrets: string[] } {
    const configMaps = new Set(Object.keys(this.props.configMaps ?? {}));
    const secrets = new Set(this.props.secrets ?? []);
    for (const v of Object.values(this.props.env ?? {})) {
      if (!(v instanceof EnvValue)) continue;
      if (v._refs.configMap) configMaps.add(v._refs.configMap);
      if (v._refs.secret) secrets.add(v._refs.secret);
    }
    return { configMaps: [...configMaps].sort(), secrets: [...secrets].sort() };
  }

  /** The app as the delivery engine sees it, with the workload and monitoring engines bound to it. */
  private deliveryInput(): AppDeliveryInput {
    const intent = this.workloadIntent();
    const monitoring = this.monitoringInput();
    return {
      name: this.appName,
      namespace: this.tenant.namespace,
      labels: this.labels,
      fleet: this.context.fleet,
      tenantClusters: this.tenant.clusterNames,
      placement: this.placement,
      distribution: this.distribution,
      scheduled: this.scheduled,
      replicas: this.totalReplicas,
      canaryReplicas: this.props.canary ? this.props.canary.replicas ?? 1 : undefined,
      autoscaling: this.props.autoscaling,
      failover: this.props.failover,
      overrides: this.overrides,
      dependencies: this.dependencies(),
      sink: this.sink,
      included: () => this.includedSelectors,
      scopeFor: (target) => target._scopeFor(this, this.context),
      renderWorkload: (replicas, track) => renderAppWorkload(intent, replicas, track),
      renderCommon: (scope, clusterReplicas) => ({
        ...renderAppObjects(scope, intent, clusterReplicas),
        monitoringObjects: monitoring && renderAppMonitoring(scope, monitoring),
      }),
    };
  }

  /** The workload and its common objects, every default of the platform and tenant resolved. */
  private workloadIntent(): AppIntent {
    const { props } = this;
    const d = this.context.defaults;
    const budget = props.disruptionBudget;
    const wantBudget = budget !== false && (budget !== undefined || d.disruptionBudget);
    return {
      name: this.appName,
      namespace: this.tenant.namespace,
      kind: this.kind,
      selectorLabels: this.selectorLabels,
      labels: this.labels,
      image: this.image,
      containerName: props.containerName ?? 'app',
      command: props.command,
      args: props.args,
      ports: this.ports,
      env: props.env ?? {},
      resources: props.resources,
      defaultResources: d.resources,
      liveness: props.liveness,
      readiness: props.readiness,
      startup: props.startup,
      podSecurity: this.tenant.podSecurity,
      runAsUser: d.runAsUser,
      readOnlyRootFilesystem: d.readOnlyRootFilesystem,
      topologySpread: props.topologySpread ?? d.topologySpread,
      storage: props.storage,
      podAnnotations: meshedScrapeAnnotations(props.metrics, this.tenant.meshed, this.metricsPort),
      canary: props.canary ? { name: this.canaryName!, image: this.canaryImage, labels: this.labelsFor(props.canary.version) } : undefined,
      disruptionBudget: wantBudget ? budget || { maxUnavailable: 1 } : undefined,
      configMaps: props.configMaps ?? {},
    };
  }

  /** Scraping, rules and dashboard of the app, when it has `metrics` and the platform monitoring. */
  private monitoringInput(): AppMonitoringInput | undefined {
    const mon = this.context.monitoring;
    const metrics = this.props.metrics;
    const port = this.metricsPort;
    if (!mon || !metrics || !port) return undefined;
    return {
      name: this.appName,
      namespace: this.tenant.namespace,
      labels: this.labels,
      selectorLabels: this.selectorLabels,
      meshed: this.tenant.meshed,
      metrics,
      port,
      monitoringLabels: mon.selectorLabels,
      dashboardLabel: mon.dashboardLabel,
      interval: mon.interval,
      ruleGroups: this.ruleGroups(),
      slos: this.slos,
    };
  }
}
