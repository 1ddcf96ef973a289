import { Construct } from 'constructs';
import { PlatformContext } from '../core/context';
import { AppDeliveryInput, AppTrack, ResourceSelector, ScheduleResult, TrafficShare, selectorOf } from '../core/delivery';
import { overrideImage, parseImage, withRegistry } from '../core/image';
import { LABEL_INSTANCE, LABEL_NAME, LABEL_VERSION } from '../core/labels';
import { isLabelValue } from '../core/names';
import { DeliveryMode } from '../core/target';
import { normalizeOverrides } from '../engines/delivery/overrides';
import { checkPlacement, schedule } from '../engines/delivery/scheduling';
import { AppMonitoringInput, meshedScrapeAnnotations, renderAppMonitoring } from '../engines/monitoring/app';
import { appRuleGroups, BurnRateGate, canaryGate, generatedRuleNames } from '../engines/monitoring/rules';
import { signalSource } from '../engines/monitoring/signals';
import { renderAppObjects } from '../engines/workload/common';
import { AppIntent } from '../engines/workload/intent';
import { renderAppWorkload } from '../engines/workload/workload';
import { AppResources, WorkloadKind } from '../model/app';
import { Distribution, DistributionKind } from '../model/distribution';
import { AppMetrics, Slo } from '../model/monitoring';
import { ClusterOverride } from '../model/overrides';
import { Placement } from '../model/placement';
import { ProgressiveDelivery } from '../model/progressive';
import { promDuration } from '../core/duration';
import { Duration } from 'cdk8s';
import { AppPort, EnvValue, Protocol, ResourceRequirements } from '../model/workload';
import { checkConfigMaps, checkEnv, checkIdentity, checkLabels, checkPorts, checkProbes, checkSecrets, checkVersion } from './private/app-checks';
import { checkBudgetPerCluster, checkDisruptionBudget, checkFailover, checkStorage } from './private/app-checks-availability';
import { checkCanary } from './private/app-checks-canary';
import { checkProgressive } from './private/app-checks-progressive';
import { RolloutStatus, planRollout } from './private/app-rollout';
import { checkAppOnMonitoredClusters, checkMonitoring } from './private/app-checks-monitoring';
import { checkOverrides } from './private/app-checks-overrides';
import { checkQuotaCoverage, checkResources } from './private/app-checks-resources';
import { checkAutoscaling, checkDefaultDuplication, checkExactCountsPlaced, checkReplicas } from './private/app-checks-scaling';
import { PlatformConstruct } from './private/platform-construct';
import { AccessApp, AppAccess } from './private/app-access';
import { AllowFromOptions, checkAllowFrom } from './private/app-checks-access';
import { Tenant } from './tenant';
import { ApiObject } from 'cdk8s';
import { checkShapes } from '../core/input';
import { AppTracingIntent, instrumentationAnnotations, renderInstrumentation, tracingEnv } from '../engines/telemetry/instrumentation';
import { LogFormat } from '../model/telemetry';
import { checkAppLogs, checkAppTracing } from './private/telemetry-checks';
import { ProblemSink } from '../core/problems';
import { FederatedAppProps } from './federated-app-props';
import { APP_SHAPES } from './private/prop-shapes';
import { otlpPaths, scrapePaths } from './private/observability-paths';
import { AGENT, collectorService } from '../engines/telemetry/collectors';
import { DeclaredPath } from '../model/reachability';

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
  private _rollout?: RolloutStatus;
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
    this.checkTelemetry();
    if (this.sink.hasErrors) return; // rendering a broken definition would only add noise (or fail)
    this._rollout = this.planRollout();
    if (this.sink.hasErrors) return;
    this.collectLogs();
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

  /**
   * Admits calls from another app (or from every pod of a tenant) with NetworkPolicies alone, for tenants
   * outside the mesh; in the mesh use `MeshedService.allowFrom`, which checks identities. From the first call
   * the app's ingress is an allow-list: its tenant's `allow-same-namespace` stops admitting anything to it, so
   * "B may call A but A may not call B" holds without a mesh. Callers in clusters where the app does not run
   * reach it through Submariner (a CrossClusterService) and are admitted by their clusters' pod CIDRs.
   *
   * @example
   * ledger.allowFrom(payments, { ports: ['http'] });
   */
  public allowFrom(source: FederatedApp | Tenant, options: AllowFromOptions = {}): this {
    const at = `allowFrom(${this.allowFromCount++})`;
    const ports = checkAllowFrom(this.sink, at, { source, options, tenant: this.tenant, ports: this.ports, context: this.context, isApp: source instanceof FederatedApp });
    if (!ports || this.sink.hasErrors) return this;
    this.access ??= new AppAccess(this, 'access', accessAppOf(this));
    this.access.add(source instanceof FederatedApp ? accessAppOf(source) : source, ports, at);
    return this;
  }

  private allowFromCount = 0;
  private access?: AppAccess;

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

  /**
   * The app's monitoring and telemetry connections, for the reachability check: its cluster's Prometheus scraping
   * it, and its pods sending OTLP traces to the node agent.
   * @internal
   */
  public _declaredPaths(): DeclaredPath[] {
    if (this.sink.hasErrors) return [];
    const app = { declaredBy: this.node.path, namespace: this.tenant.namespace, name: this.appName, labels: this.selectorLabels, clusters: this._scheduled.candidates.map((c) => c.name) };
    const mon = this.context.monitoring;
    // A meshed app is scraped on the sidecar's merged :15020 (STRICT mTLS refuses plain-text scrapes of its ports).
    const port = this.tenant.meshed ? 15020 : this.metricsPort?.port;
    const scrape = mon && this.props.metrics && port !== undefined ? scrapePaths(app, { namespace: mon.namespace, clusters: mon.clusterNames, port }) : [];
    const t = this.context.telemetry;
    const agent = t && this.props.tracing && !this.props.tracing.endpoint ? { namespace: t.namespace, clusters: t.clusterNames, labels: { 'app.kubernetes.io/name': collectorService(AGENT) } } : undefined;
    return [...scrape, ...(agent ? otlpPaths(app, agent) : [])];
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

  /** The app's rule groups (golden signals, SLO burn rates, workload alerts, its own rules), as in a rule file. */
  public ruleGroups() {
    const mon = this.context.monitoring;
    const m = this.props.metrics;
    return appRuleGroups({
      namespace: this.tenant.namespace,
      app: this.appName,
      source: signalSource(this.tenant.namespace, this.appName, this.tenant.meshed, this.props.metrics, this.progressive ? [this.appName, `${this.appName}-primary`] : undefined),
      slos: this.props.slos ?? [],
      canaryWindow: this.progressive ? this.analysisWindow : undefined,
      workloadKind: this.kind === WorkloadKind.STATEFUL_SET ? 'StatefulSet' : 'Deployment',
      workloads: [this.appName, ...(this.canaryName ? [this.canaryName] : [])],
      // Karmada's FederatedHPA scales from the control plane; only direct mode has a native HPA to alert on.
      hpa: !!this.props.autoscaling && this.direct,
      runbookBaseUrl: mon?.runbookBaseUrl ?? '',
      interval: mon?.interval ?? '30s',
      workloadSeries: mon?.workloadSeries ?? true,
      recordingRules: m?.recordingRules ?? [],
      alertingRules: m?.alertingRules ?? [],
    });
  }

  /**
   * Records the load each version takes, from the MeshedService that routes the app; the autoscalers of an
   * app with a canary read it at synthesis. Only the first MeshedService counts (a second one collides).
   * @internal
   */
  public _routeTraffic(shares: Readonly<Record<string, TrafficShare>>): void {
    this.routedShares ??= shares;
  }

  private routedShares?: Readonly<Record<string, TrafficShare>>;

  /** A version's load: as routed, or without a MeshedService all of it on the stable version. */
  private trafficShare(track: AppTrack): TrafficShare {
    const version = track === 'canary' ? this.canaryVersion! : this.stableVersion;
    if (!this.routedShares) return { percent: track === 'stable' ? 100 : 0, routed: false };
    return this.routedShares[version] ?? { percent: 0, routed: false };
  }

  private routedBy?: object;

  /** A MeshedService routes the app (progressive delivery needs one). @internal */
  public _setRoutedBy(service: object): void {
    this.routedBy ??= service;
  }

  /** Progressive delivery is routed by Flagger through the app's MeshedService, which must exist. */
  protected override checkTree(sink: ProblemSink): void {
    if (this.props?.progressive && !this.routedBy && !this.sink.hasErrors) {
      sink.error('FP-PROGRESSIVE', 'progressive', this.props.progressive.strategy, 'no MeshedService routes the app, so Flagger has no Istio service to shift traffic on (and no ingress reaches it).', `add new MeshedService(tenant, '${this.appName}-mesh', { app }).`);
    }
  }

  /** The rollout of the app's current version across its waves, if it has waves (karmada mode). */
  public get rolloutStatus(): RolloutStatus | undefined {
    return this._rollout;
  }

  private planRollout(): RolloutStatus | undefined {
    const intent = this.workloadIntent();
    return planRollout(this.sink, {
      own: this.props.rollout,
      platform: this.context.rollout,
      direct: this.direct,
      namespace: this.tenant.namespace,
      name: this.appName,
      candidates: this._scheduled.candidates.map((c) => c.name),
      slos: this.props.metrics ? this.slos : [],
      version: () => ({ workload: renderAppWorkload(intent, undefined, 'stable'), configMaps: intent.configMaps }),
    });
  }

  /** The progressive delivery of the app, if any. */
  public get progressive(): ProgressiveDelivery | undefined {
    return this.props.progressive;
  }

  /** The window of the per-workload SLO series a canary analysis reads: its interval. */
  private get analysisWindow(): string {
    return promDuration(this.props.progressive?.props.interval ?? Duration.minutes(1));
  }

  /** The canary gate of every SLO (with progressive delivery): the query a Flagger MetricTemplate runs. @internal */
  public _canaryGates(): BurnRateGate[] {
    const p = this.props.progressive;
    if (!p) return [];
    return this.slos.map((slo) => canaryGate(this.tenant.namespace, this.appName, slo, this.analysisWindow, this.appName, p.props.maxBurnRate ?? 14.4));
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
    if (props.progressive) {
      checkProgressive(sink, props.progressive, {
        kind: this.kind, meshed: this.tenant.meshed, ports: this.ports.length, staticCanary: !!props.canary,
        metrics: !!props.metrics, slos: props.slos?.length ?? 0, karmada: !this.direct, autoscaled: !!props.autoscaling,
      });
    }
    checkVersion(sink, props.version);
    const mon = this.context.monitoring;
    checkMonitoring(sink, props.metrics, props.slos, {
      monitored: !!mon, portNames: this.ports.map((p) => p.name), meshed: this.tenant.meshed,
      generated: generatedRuleNames(this.appName, props.slos ?? []), workloadSeries: mon?.workloadSeries ?? true, nodeSeries: mon?.nodeSeries ?? true,
    });
    const portNames = checkPorts(sink, this.ports, !!props.ports);
    checkProbes(sink, { liveness: props.liveness, readiness: props.readiness, startup: props.startup }, portNames);
    checkEnv(sink, props.env ?? {});
    checkConfigMaps(sink, props.configMaps ?? {});
    checkSecrets(sink, props.secrets ?? []);
    checkResources(sink, 'resources', props.resources);
    checkQuotaCoverage(sink, this.tenant._quotaTracks(), { ...this.context.defaults.resources, ...(props.resources ?? {}) } as ResourceRequirements);
    checkReplicas(sink, props.replicas, this.distribution, this.totalReplicas, this.context.fleet, this.tenant.clusterNames);
    if (props.autoscaling) checkAutoscaling(sink, props.autoscaling, { replicas: props.replicas, canaryReplicas: props.canary?.replicas }, this.distribution, this.direct);
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

  /** `logs` and `tracing`, against the platform's telemetry and the clusters the app may run on. */
  private checkTelemetry(): void {
    const { logs, tracing } = this.props;
    if (!logs && !tracing) return;
    const facts = {
      telemetry: this.context.telemetry,
      clusters: this._scheduled.candidates.map((c) => c.name),
      containerName: this.props.containerName ?? 'app',
      meshed: this.tenant.meshed,
      podSecurity: this.tenant.enforcedPodSecurity,
    };
    if (logs) checkAppLogs(this.sink, logs, facts);
    if (tracing) checkAppTracing(this.sink, tracing, facts);
  }

  /** The node agents of the clusters the app may run on read its pods' log files. */
  private collectLogs(): void {
    const logs = this.props.logs;
    const telemetry = this.context.telemetry;
    if (!logs || !telemetry) return;
    const format = logs.format ?? LogFormat.plain();
    const kind = this.kind === WorkloadKind.STATEFUL_SET ? 'StatefulSet' as const : 'Deployment' as const;
    telemetry._addLogSource(this._scheduled.candidates.map((c) => c.name), {
      namespace: this.tenant.namespace,
      app: this.appName,
      workloads: [{ name: this.appName, kind }, ...(this.canaryName ? [{ name: this.canaryName, kind }] : [])],
      containers: logs.containers ?? [this.props.containerName ?? 'app'],
      format: format.kind,
      pattern: format.pattern,
      timestampField: format.timestampField,
      severityField: format.severityField,
      multilineStart: logs.multilineStart,
      exclude: logs.exclude ?? [],
    });
  }

  /** The app's tracing, resolved, when it has `tracing`. */
  private get tracingIntent(): AppTracingIntent | undefined {
    const t = this.props.tracing;
    const endpoint = t?.endpoint ?? this.context.telemetry?.agentHttpEndpoint;
    if (!t || !endpoint) return undefined;
    return {
      name: this.appName,
      namespace: this.tenant.namespace,
      labels: this.labels,
      endpoint,
      sampling: t.sampling ?? 10,
      language: t.autoInstrumentation,
      container: this.props.containerName ?? 'app',
      executable: t.executable,
    };
  }

  /** Env of the main container: OTEL_* for an app that exports spans itself, then the app's own (which win). */
  private get env(): Record<string, EnvValue> {
    const t = this.tracingIntent;
    if (!t || t.language) return this.props.env ?? {};
    const otelEnv = Object.fromEntries(Object.entries(tracingEnv(t)).map(([k, v]) => [k, EnvValue.literal(v)]));
    return { ...otelEnv, ...(this.props.env ?? {}) };
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
    const tracing = this.tracingIntent;
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
      suspendedClusters: this._rollout?.suspended,
      autoscaling: this.props.autoscaling,
      trafficShare: (track) => this.trafficShare(track),
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
        telemetryObjects: tracing?.language ? [renderInstrumentation(scope, tracing)] : undefined,
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
      env: this.env,
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
      podAnnotations: this.podAnnotations,
      canary: props.canary ? { name: this.canaryName!, image: this.canaryImage, labels: this.labelsFor(props.canary.version) } : undefined,
      disruptionBudget: wantBudget ? budget || { maxUnavailable: 1 } : undefined,
      configMaps: props.configMaps ?? {},
      flagger: props.progressive ? { retainReplicas: !this.direct } : undefined,
    };
  }

  /** Pod annotations: Istio's metrics merging, and the operator's SDK injection. */
  private get podAnnotations(): Record<string, string> | undefined {
    const scrape = meshedScrapeAnnotations(this.props.metrics, this.tenant.meshed, this.metricsPort);
    const tracing = this.tracingIntent;
    const inject = tracing ? instrumentationAnnotations(tracing) : {};
    return scrape || Object.keys(inject).length ? { ...(scrape ?? {}), ...inject } : undefined;
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
      requestSignals: signalSource(this.tenant.namespace, this.appName, this.tenant.meshed, metrics) !== undefined,
      workloadSeries: mon.workloadSeries,
      panels: metrics.panels ?? [],
      telemetry: this.context.telemetry ? { logs: !!this.props.logs, traces: !!this.props.tracing && !this.props.tracing.endpoint } : undefined,
    };
  }
}

/** The app as its allow-list sees it. */
function accessAppOf(app: FederatedApp): AccessApp {
  return {
    appName: app.appName, tenant: app.tenant, selectorLabels: app.selectorLabels, labels: app.labels, ports: app.ports, node: app.node,
    clusterNames: app.scheduled.candidates.map((c) => c.name),
  };
}
