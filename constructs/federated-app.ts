import { PlatformConstruct } from './private/platform-construct';
import { ApiObject, Duration } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import * as autoscaling from '../imports/autoscaling.karmada.io';
import * as policy from '../imports/policy.karmada.io';
import * as monitoring from '../imports/monitoring.coreos.com';
import { AppMetrics, Slo } from '../model/monitoring';
import { appDashboard } from '../engines/monitoring/dashboards';
import { appRuleGroups, signalSource } from '../engines/monitoring/rules';
import { promDuration } from '../core/duration';
import { Distribution, DistributionKind } from '../model/distribution';
import { divideByWeight } from '../engines/delivery/webster';
import { ClusterSelector } from '../model/cluster';
import { parseImage } from '../core/image';
import { LABEL_INSTANCE, LABEL_NAME, LABEL_TRACK, LABEL_VERSION } from '../core/labels';
import { createObject, PlainApiObject } from '../core/l1';
import { isLabelValue } from '../core/names';
import { ClusterOverride, OverrideValues } from '../model/overrides';
import { applyOverride, compileOverriders, normalizeOverrides } from '../engines/delivery/overrides';
import { overrideImage } from '../core/image';
import { Placement, SpreadField } from '../model/placement';
import { ProblemSink } from '../core/problems';
import { checkPlacement, schedule, scopeToTenant } from '../engines/delivery/scheduling';
import { ScheduleResult } from '../core/delivery';
import { ApplyTarget } from '../core/target';
import { AppPort, EnvValue, Probe, Protocol, ResourceRequirements } from '../model/workload';
import { containerSecurityContext, podSecurityContext, renderResources } from '../core/pod';
import { DeliveryMode } from '../core/target';
import { Tenant } from './tenant';
import { checkConfigMaps, checkEnv, checkIdentity, checkLabels, checkPorts, checkProbes, checkSecrets, checkVersion } from './private/app-checks';
import { checkBudgetPerCluster, checkDisruptionBudget, checkFailover, checkStorage } from './private/app-checks-availability';
import { checkCanary } from './private/app-checks-canary';
import { checkMonitoredClusters, checkMonitoring } from './private/app-checks-monitoring';
import { checkOverrides } from './private/app-checks-overrides';
import { checkQuotaCoverage, checkResources } from './private/app-checks-resources';
import { checkAutoscaling, checkDefaultDuplication, checkReplicas } from './private/app-checks-scaling';
import { PlatformContext } from '../core/context';
import { renderAffinity, renderClusterTolerations } from '../engines/delivery/placement';
import { WorkloadKind, AutoscalingProps, FailoverProps, StorageProps, DisruptionBudgetProps, CanaryProps, AppResources, PurgeMode, ScalingRules } from '../model/app';

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
    this.props = props ?? ({} as FederatedAppProps);
    if (!(scope instanceof Tenant)) {
      this.sink.error('FP-SCOPE', 'scope', (scope as Construct)?.node?.path, 'a FederatedApp must be created inside a Tenant.', 'pass the tenant as the scope: new FederatedApp(tenant, "web", {...}).');
    }
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
    if (!(scope instanceof Tenant)) return;
    this.checkProps();
    const fleet = this.context.fleet;
    checkPlacement(this.sink, fleet, this.tenant.clusterNames, this.placement, this.distribution);
    this._scheduled = schedule(this.sink, fleet, this.tenant.clusterNames, this.placement, this.distribution, this.totalReplicas, this.direct);
    if (this.props.disruptionBudget) checkBudgetPerCluster(this.sink, this.props.disruptionBudget, this._scheduled.replicas);
    const mon = this.context.monitoring;
    if (mon && this.props.metrics) checkMonitoredClusters(this.sink, this._scheduled.candidates.map((c) => c.name), mon.clusterNames);
    if (this.sink.hasErrors) return; // rendering a broken definition would only add noise (or fail)
    if (this.direct) {
      for (const c of this._scheduled.candidates) {
        const target = this.context.memberTarget(c.name);
        if (target) this.resourcesByTarget.set(target.name, this.renderMember(target, c.name));
      }
    } else if (this.context.controlPlane) {
      this.resourcesByTarget.set(this.context.controlPlane.name, this.renderControlPlane(this.context.controlPlane));
    }
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

  private get direct(): boolean {
    return this.context.delivery === DeliveryMode.DIRECT;
  }

  private labelsFor(version: string): Record<string, string> {
    return { ...(this.props.labels ?? {}), ...this.tenant.labels, ...this.selectorLabels, [LABEL_VERSION]: version };
  }

  /** The main container image, with the platform registry applied to images that name none. */
  public get image(): string {
    const registry = this.context.defaults.imageRegistry;
    const parsed = parseImage(this.props.image);
    return registry && parsed && !parsed.registry ? `${registry}/${this.props.image}` : this.props.image;
  }

  /** Name of the canary workload. */
  public get canaryName(): string | undefined {
    return this.props.canary ? `${this.appName}-${this.props.canary.version}` : undefined;
  }

  private get canaryImage(): string {
    const c = this.props.canary!;
    return c.image ?? overrideImage(this.image, { tag: c.version });
  }

  // ---------------------------------------------------------------------------------------------
  // Checks

  /** Every prop check, by concern, in the order problems are reported. */
  private checkProps(): void {
    const { sink, props } = this;
    checkIdentity(sink, this.appName, this.kind, props.image, props.containerName ?? 'app');
    checkLabels(sink, props.labels ?? {});
    if (props.canary) checkCanary(sink, props.canary, { appName: this.appName, kind: this.kind, stableVersion: this.stableVersion, version: props.version });
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
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering

  private get podSpecPath(): string {
    return '/spec/template/spec';
  }

  private get mainContainerName(): string {
    return this.props.containerName ?? 'app';
  }

  private renderEnv(): Array<Record<string, unknown>> {
    return Object.entries(this.props.env ?? {})
      .filter(([, v]) => v instanceof EnvValue)
      .map(([name, v]) => ({ name, ...k8s.toJson_EnvVar({ name, ...v._source }) }));
  }

  /** The workload as plain JSON (for one cluster in direct mode, with its replicas). */
  private renderWorkload(replicas: number | undefined, track: 'stable' | 'canary' = 'stable'): Record<string, any> {
    const canary = track === 'canary' ? this.props.canary : undefined;
    const version = canary ? canary.version : this.stableVersion;
    const d = this.context.defaults;
    const level = this.tenant.podSecurity;
    const readOnlyRoot = d.readOnlyRootFilesystem;
    const podSelector = { ...this.selectorLabels, [LABEL_TRACK]: track };
    const selector = this.selectorLabels;
    const env = this.renderEnv();
    const volumeMounts: k8s.VolumeMount[] = [];
    if (readOnlyRoot) volumeMounts.push({ name: 'tmp', mountPath: '/tmp' });
    if (this.props.storage) volumeMounts.push({ name: 'data', mountPath: this.props.storage.mountPath });
    const container: k8s.Container = {
      name: this.mainContainerName,
      image: canary ? this.canaryImage : this.image,
      command: this.props.command,
      args: this.props.args,
      ports: this.ports.length ? this.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })) : undefined,
      resources: renderResources(this.props.resources, d.resources),
      livenessProbe: this.props.liveness?._render(),
      readinessProbe: this.props.readiness?._render(),
      startupProbe: this.props.startup?._render(),
      securityContext: containerSecurityContext(level, readOnlyRoot),
      volumeMounts: volumeMounts.length ? volumeMounts : undefined,
    };
    const spread = this.props.topologySpread ?? d.topologySpread;
    const podSpec: k8s.PodSpec = {
      serviceAccountName: this.appName,
      automountServiceAccountToken: false,
      securityContext: podSecurityContext(level, d.runAsUser),
      containers: [container],
      volumes: readOnlyRoot ? [{ name: 'tmp', emptyDir: {} }] : undefined,
      topologySpreadConstraints: spread
        ? [
            { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
            { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
          ]
        : undefined,
    };
    const template: k8s.PodTemplateSpec = { metadata: { labels: { ...this.labelsFor(version), [LABEL_TRACK]: track }, annotations: this.podAnnotations() }, spec: podSpec };
    const metadata = { name: canary ? this.canaryName : this.appName, namespace: this.tenant.namespace, labels: this.labelsFor(version) };
    let json: Record<string, any>;
    if (this.kind === WorkloadKind.STATEFUL_SET) {
      const storage = this.props.storage;
      json = {
        ...k8s.KubeStatefulSet.GVK,
        ...k8s.toJson_KubeStatefulSetProps({
          metadata,
          spec: {
            replicas,
            serviceName: `${this.appName}-headless`,
            selector: { matchLabels: podSelector },
            template,
            volumeClaimTemplates: storage
              ? [{
                  metadata: { name: 'data', labels: this.labels },
                  spec: {
                    accessModes: ['ReadWriteOnce'],
                    storageClassName: storage.storageClass,
                    resources: { requests: { storage: k8s.Quantity.fromString(storage.size) } },
                  },
                }]
              : undefined,
          },
        }),
      };
    } else {
      json = { ...k8s.KubeDeployment.GVK, ...k8s.toJson_KubeDeploymentProps({ metadata, spec: { replicas, selector: { matchLabels: podSelector }, template } }) };
    }
    // The main container's env is kept as rendered JSON so overrides merge into exactly what is emitted.
    if (env.length) json.spec.template.spec.containers[0].env = env;
    return json;
  }

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

  /** Objects every target of the app gets: Service, ServiceAccount, PDB, ConfigMaps. */
  private renderCommon(scope: Construct, clusterReplicas: number | undefined): Omit<AppResources, 'workload'> {
    const meta = (name: string) => ({ name, namespace: this.tenant.namespace, labels: this.labels });
    const serviceAccount = createObject(scope, 'ServiceAccount', k8s.KubeServiceAccount.GVK, k8s.toJson_KubeServiceAccountProps, {
      metadata: meta(this.appName),
      automountServiceAccountToken: false,
    });
    const servicePorts = this.ports.map((p) => ({ name: p.name, port: p.servicePort, targetPort: k8s.IntOrString.fromString(p.name), protocol: p.protocol }));
    const service = this.ports.length
      ? createObject(scope, 'Service', k8s.KubeService.GVK, k8s.toJson_KubeServiceProps, {
          metadata: meta(this.appName),
          spec: { type: 'ClusterIP', selector: this.selectorLabels, ports: servicePorts },
        })
      : undefined;
    const headlessService = this.kind === WorkloadKind.STATEFUL_SET
      ? createObject(scope, 'HeadlessService', k8s.KubeService.GVK, k8s.toJson_KubeServiceProps, {
          metadata: meta(`${this.appName}-headless`),
          spec: { clusterIp: 'None', selector: this.selectorLabels, ports: servicePorts.length ? servicePorts : undefined, publishNotReadyAddresses: true },
        })
      : undefined;
    const pdbProps = this.props.disruptionBudget;
    const wantPdb = pdbProps !== false && (pdbProps !== undefined || this.context.defaults.disruptionBudget);
    const budget = pdbProps || { maxUnavailable: 1 };
    const intOrString = (v: number | string | undefined) => (v === undefined ? undefined : typeof v === 'number' ? k8s.IntOrString.fromNumber(v) : k8s.IntOrString.fromString(v));
    const disruptionBudget = wantPdb && clusterReplicas !== 0
      ? createObject(scope, 'DisruptionBudget', k8s.KubePodDisruptionBudget.GVK, k8s.toJson_KubePodDisruptionBudgetProps, {
          metadata: meta(this.appName),
          spec: {
            selector: { matchLabels: this.selectorLabels },
            maxUnavailable: intOrString(budget.maxUnavailable),
            minAvailable: intOrString(budget.minAvailable),
            unhealthyPodEvictionPolicy: 'AlwaysAllow',
          },
        })
      : undefined;
    const configMaps = Object.entries(this.props.configMaps ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, data]) =>
        createObject(scope, `ConfigMap-${name}`, k8s.KubeConfigMap.GVK, k8s.toJson_KubeConfigMapProps, { metadata: meta(name), data }),
      );
    return { service, headlessService, serviceAccount, disruptionBudget, configMaps, monitoringObjects: this.renderMonitoring(scope, meta) };
  }

  private renderControlPlane(target: ApplyTarget): AppResources {
    const scope = target._scopeFor(this, this.context);
    const meta = (name: string) => ({ name, namespace: this.tenant.namespace, labels: this.labels });
    const workloadJson = this.renderWorkload(this.totalReplicas);
    const workload = new PlainApiObject(scope, 'Workload', workloadJson as any);
    const canaryWorkload = this.props.canary ? new PlainApiObject(scope, 'CanaryWorkload', this.renderWorkload(this.props.canary.replicas ?? 1, 'canary') as any) : undefined;
    const workloadSelectors = [
      { apiVersion: workloadJson.apiVersion, kind: workloadJson.kind, name: this.appName },
      ...(canaryWorkload ? [{ apiVersion: canaryWorkload.apiVersion, kind: canaryWorkload.kind, name: canaryWorkload.name }] : []),
    ];
    const common = this.renderCommon(scope, undefined);
    const deps = this.dependencies();
    const selectors = [
      ...workloadSelectors,
      ...[common.service, common.headlessService, common.serviceAccount, common.disruptionBudget]
        .filter((o): o is ApiObject => !!o)
        .map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.name })),
      ...deps.configMaps.map((name) => ({ apiVersion: 'v1', kind: 'ConfigMap', name })),
      ...deps.secrets.map((name) => ({ apiVersion: 'v1', kind: 'Secret', name })),
      // Monitoring objects follow the app's placement.
      ...(common.monitoringObjects ?? []).map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.name })),
    ];
    const f = this.props.failover;
    const propagationPolicy = createObject(scope, 'PropagationPolicy', policy.PropagationPolicy.GVK, policy.toJson_PropagationPolicyProps, {
      metadata: meta(this.appName),
      spec: {
        resourceSelectors: selectors,
        // Dependencies are selected explicitly above; propagateDeps also makes them follow failover.
        propagateDeps: true,
        placement: this.renderPlacement() as any,
        failover: f
          ? {
              application: {
                decisionConditions: { tolerationSeconds: (f.toleration ?? Duration.seconds(300)).toSeconds() },
                purgeMode: (f.purgeMode ?? PurgeMode.GRACEFULLY) as any,
                gracePeriodSeconds: (f.purgeMode ?? PurgeMode.GRACEFULLY) === PurgeMode.GRACEFULLY ? (f.gracePeriod ?? Duration.seconds(600)).toSeconds() : undefined,
              },
            }
          : undefined,
      },
    });

    let overridePolicy: ApiObject | undefined;
    if (this.overrides.some((o) => o && o.clusters)) {
      const container = workloadJson.spec.template.spec.containers[0];
      const ctx = { podSpecPath: this.podSpecPath, containerName: this.mainContainerName, image: container.image, env: container.env ?? [] };
      overridePolicy = createObject(scope, 'OverridePolicy', policy.OverridePolicy.GVK, policy.toJson_OverridePolicyProps, {
        metadata: meta(this.appName),
        spec: {
          resourceSelectors: workloadSelectors,
          overrideRules: this.overrides.filter((o) => o && o.clusters).map((o) => ({
            targetCluster: renderAffinity(o.clusters),
            overriders: compileOverriders(o, ctx) as any,
          })),
        },
      });
    }

    let federatedHpa: ApiObject | undefined;
    let cronFederatedHpa: ApiObject | undefined;
    const a = this.props.autoscaling;
    if (a) {
      federatedHpa = createObject(scope, 'FederatedHpa', autoscaling.FederatedHpa.GVK, autoscaling.toJson_FederatedHpaProps, {
        metadata: meta(this.appName),
        spec: {
          scaleTargetRef: { apiVersion: workloadJson.apiVersion, kind: workloadJson.kind, name: this.appName },
          minReplicas: a.minReplicas,
          maxReplicas: a.maxReplicas,
          metrics: renderMetrics(a) as any,
          behavior: renderBehavior(a) as any,
        },
      });
      if ((a.schedules ?? []).length > 0) {
        cronFederatedHpa = createObject(scope, 'CronFederatedHpa', autoscaling.CronFederatedHpa.GVK, autoscaling.toJson_CronFederatedHpaProps, {
          metadata: meta(this.appName),
          spec: {
            scaleTargetRef: { apiVersion: 'autoscaling.karmada.io/v1alpha1', kind: 'FederatedHPA', name: this.appName },
            rules: a.schedules!.map((s) => ({
              name: s.name,
              schedule: s.schedule,
              targetMinReplicas: s.minReplicas,
              targetMaxReplicas: s.maxReplicas,
              timeZone: s.timeZone,
            })),
          },
        });
      }
    }
    return { workload, canaryWorkload, ...common, propagationPolicy, overridePolicy, federatedHpa, cronFederatedHpa };
  }

  private renderMember(target: ApplyTarget, cluster: string): AppResources {
    const scope = target._scopeFor(this, this.context);
    const split = this.scheduled.replicas;
    const a = this.props.autoscaling;
    let hpaBounds: { min: number; max: number } | undefined;
    if (a) {
      // Karmada divides the fleet-wide bounds by weight; a per-cluster HPA gets its share (at least 1).
      const weights = this.memberWeights();
      const mins = divideByWeight(a.minReplicas, weights);
      const maxs = divideByWeight(a.maxReplicas, weights);
      const max = maxs.get(cluster) ?? 0;
      hpaBounds = max > 0 ? { min: Math.max(1, Math.min(max, mins.get(cluster) ?? 1)), max } : undefined;
    }
    const replicas = a ? undefined : split?.get(cluster) ?? 0;
    const runsHere = a ? hpaBounds !== undefined : replicas! > 0;
    let workload: ApiObject | undefined;
    let horizontalPodAutoscaler: ApiObject | undefined;
    const c = this.context.fleet.get(cluster)!;
    const overridden = (json: Record<string, any>) => {
      const matching = this.overrides.filter((o) => o && o.clusters && this.context.fleet.select(o.clusters).includes(c));
      matching.forEach((o) => {
        try {
          applyOverride(json, o);
        } catch (e) {
          this.sink.error('K23', `overrides[${this.overrides.indexOf(o)}].jsonPatch`, o.jsonPatch, `the patch does not apply to the rendered ${json.kind} in ${cluster}: ${(e as Error).message}.`, 'point the patch at an existing parent path (use "add" to create a member).');
        }
      });
      return json;
    };
    let canaryWorkload: ApiObject | undefined;
    const canaryReplicas = this.canarySplit?.get(cluster) ?? 0;
    if (canaryReplicas > 0) canaryWorkload = new PlainApiObject(scope, 'CanaryWorkload', overridden(this.renderWorkload(canaryReplicas, 'canary')) as any);
    if (runsHere) {
      const json = overridden(this.renderWorkload(replicas));
      workload = new PlainApiObject(scope, 'Workload', json as any);
      if (a && hpaBounds) {
        horizontalPodAutoscaler = createObject(scope, 'HorizontalPodAutoscaler', k8s.KubeHorizontalPodAutoscalerV2.GVK, k8s.toJson_KubeHorizontalPodAutoscalerV2Props, {
          metadata: { name: this.appName, namespace: this.tenant.namespace, labels: this.labels },
          spec: {
            scaleTargetRef: { apiVersion: json.apiVersion, kind: json.kind, name: this.appName },
            minReplicas: hpaBounds.min,
            maxReplicas: hpaBounds.max,
            metrics: renderMetrics(a) as any,
            behavior: renderBehavior(a) as any,
          },
        });
      }
    }
    const common = this.renderCommon(scope, runsHere || canaryReplicas > 0 ? replicas : 0);
    return { workload, canaryWorkload, ...common, horizontalPodAutoscaler };
  }

  /** Whether the app's pods carry sidecars (its tenant is in the mesh), so Istio metrics describe it. */
  private get meshed(): boolean {
    return this.tenant.meshed;
  }

  private get metricsPort() {
    const m = this.props.metrics;
    return m ? (m.port ? this.ports.find((p) => p.name === m.port) : this.ports[0]) : undefined;
  }

  /** Meshed pods: Istio merges the app's metrics into the sidecar's :15020 when told where they are. */
  private podAnnotations(): Record<string, string> | undefined {
    const port = this.metricsPort;
    if (!this.props.metrics || !this.meshed || !port) return undefined;
    return { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port.port), 'prometheus.io/path': this.props.metrics.path ?? '/metrics' };
  }

  /** ServiceMonitor/PodMonitor, PrometheusRule and dashboard, when the app has `metrics`. */
  private renderMonitoring(scope: Construct, meta: (name: string) => { name: string; namespace: string; labels: Record<string, string> }): ApiObject[] | undefined {
    const mon = this.context.monitoring;
    const m = this.props.metrics;
    const port = this.metricsPort;
    if (!mon || !m || !port) return undefined;
    const monMeta = (name: string) => ({ ...meta(name), labels: { ...meta(name).labels, ...mon.selectorLabels } });
    const interval = m.interval ? promDuration(m.interval) : mon.interval;
    const objects: ApiObject[] = [];
    if (this.meshed) {
      // STRICT mTLS rejects Prometheus' plain-text scrapes of the app port; the sidecar's :15020 serves the
      // app's metrics merged with Istio's outside the mTLS listener.
      objects.push(createObject(scope, 'PodMonitor', monitoring.PodMonitor.GVK, monitoring.toJson_PodMonitorProps, {
        metadata: monMeta(this.appName),
        spec: {
          selector: { matchLabels: this.selectorLabels },
          namespaceSelector: { matchNames: [this.tenant.namespace] },
          podMetricsEndpoints: [{ portNumber: 15020, path: '/stats/prometheus', interval, scrapeTimeout: m.scrapeTimeout ? promDuration(m.scrapeTimeout) : undefined }],
        },
      }));
    } else if (m.podMonitor) {
      objects.push(createObject(scope, 'PodMonitor', monitoring.PodMonitor.GVK, monitoring.toJson_PodMonitorProps, {
        metadata: monMeta(this.appName),
        spec: {
          selector: { matchLabels: this.selectorLabels },
          namespaceSelector: { matchNames: [this.tenant.namespace] },
          podMetricsEndpoints: [{ port: port.name, path: m.path ?? '/metrics', interval, scrapeTimeout: m.scrapeTimeout ? promDuration(m.scrapeTimeout) : undefined }],
        },
      }));
    } else {
      objects.push(createObject(scope, 'ServiceMonitor', monitoring.ServiceMonitor.GVK, monitoring.toJson_ServiceMonitorProps, {
        metadata: monMeta(this.appName),
        spec: {
          // Selects exactly this app's Service, scraping it by its named port.
          selector: { matchLabels: this.selectorLabels },
          namespaceSelector: { matchNames: [this.tenant.namespace] },
          endpoints: [{ port: port.name, path: m.path ?? '/metrics', interval, scrapeTimeout: m.scrapeTimeout ? promDuration(m.scrapeTimeout) : undefined }],
        },
      }));
    }
    objects.push(createObject(scope, 'PrometheusRule', monitoring.PrometheusRule.GVK, monitoring.toJson_PrometheusRuleProps, {
      metadata: monMeta(this.appName),
      spec: {
        groups: this.ruleGroups().map((g) => ({
          name: g.name,
          interval: g.interval,
          rules: g.rules.map((r) => ({ ...r, expr: monitoring.PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr) })),
        })),
      },
    }));
    objects.push(createObject(scope, 'Dashboard', k8s.KubeConfigMap.GVK, k8s.toJson_KubeConfigMapProps, {
      metadata: { ...meta(`${this.appName}-dashboard`), labels: { ...meta('').labels, ...mon.dashboardLabel } },
      data: { [`${this.tenant.namespace}-${this.appName}.json`]: JSON.stringify(appDashboard(this.tenant.namespace, this.appName, this.props.slos ?? []), null, 2) },
    }));
    return objects;
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
      source: signalSource(this.tenant.namespace, this.appName, this.meshed, this.props.metrics),
      slos: this.props.slos ?? [],
      workloadKind: this.kind === WorkloadKind.STATEFUL_SET ? 'StatefulSet' : 'Deployment',
      workloads: [this.appName, ...(this.canaryName ? [this.canaryName] : [])],
      // Karmada's FederatedHPA scales from the control plane; only direct mode has a native HPA to alert on.
      hpa: !!this.props.autoscaling && this.direct,
      runbookBaseUrl: mon?.runbookBaseUrl ?? '',
      interval: mon?.interval ?? '30s',
    });
  }

  /** Canary replicas per cluster in direct mode, divided like the app's replicas. */
  private get canarySplit(): Map<string, number> | undefined {
    if (!this.props.canary) return undefined;
    return schedule(new ProblemSink(''), this.context.fleet, this.tenant.clusterNames, this.placement, this.distribution.kind === DistributionKind.EXACT ? Distribution.evenly() : this.distribution, this.props.canary.replicas ?? 1, true).replicas;
  }

  /** Per-candidate weights as Karmada derives them (max of matching rules; all 1 when none match). */
  private memberWeights(): Array<{ name: string; weight: number }> {
    const cands = this.scheduled.candidates;
    let w = cands.map((c) => ({ name: c.name, weight: Math.max(0, ...this.distribution.weights.filter((r) => this.context.fleet.select(r.clusters).includes(c)).map((r) => r.weight)) }));
    if (w.every((x) => x.weight <= 0)) w = cands.map((c) => ({ name: c.name, weight: 1 }));
    return w;
  }

  private scoped(selector: ClusterSelector): ClusterSelector {
    return scopeToTenant(selector, this.context.fleet, this.tenant.clusterNames);
  }

  private renderPlacement(): Record<string, unknown> {
    const p = this.placement;
    const spread = [...p.spreadConstraints];
    const needsCluster = spread.some((c) => c.field && c.field !== SpreadField.CLUSTER) && !spread.some((c) => c.field === SpreadField.CLUSTER);
    if (needsCluster) {
      // Karmada's webhook requires a `cluster` constraint beside region/zone/provider ones.
      spread.push({ field: SpreadField.CLUSTER, minGroups: Math.max(1, ...spread.map((c) => c.minGroups ?? 1)) });
    }
    const d = this.distribution;
    let replicaScheduling: Record<string, unknown>;
    switch (d.kind) {
      case DistributionKind.DUPLICATED:
        replicaScheduling = { replicaSchedulingType: 'Duplicated' };
        break;
      case DistributionKind.AGGREGATED:
        replicaScheduling = { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' };
        break;
      case DistributionKind.BY_CAPACITY:
        replicaScheduling = { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } };
        break;
      default: {
        const rules = d.weights.filter((w) => w.weight > 0);
        replicaScheduling = {
          replicaSchedulingType: 'Divided',
          replicaDivisionPreference: 'Weighted',
          weightPreference: rules.length ? { staticWeightList: rules.map((w) => ({ targetCluster: renderAffinity(w.clusters), weight: w.weight })) } : undefined,
        };
      }
    }
    return {
      clusterAffinity: p.groups ? undefined : renderAffinity(this.scoped(p.selector ?? {})),
      clusterAffinities: p.groups?.map((g) => ({ affinityName: g.name, ...renderAffinity(this.scoped(g.clusters)) })),
      clusterTolerations: renderClusterTolerations(p),
      spreadConstraints: spread.length
        ? spread.map((c) => ({ spreadByField: c.field, spreadByLabel: c.label, minGroups: c.minGroups ?? 1, maxGroups: c.maxGroups }))
        : undefined,
      replicaScheduling,
    };
  }
}

function renderMetrics(a: AutoscalingProps): Array<Record<string, unknown>> {
  const metrics: Array<Record<string, unknown>> = [];
  const cpu = a.cpuUtilization ?? (a.memoryUtilization === undefined ? 80 : undefined);
  if (cpu !== undefined) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } });
  if (a.memoryUtilization !== undefined) metrics.push({ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: a.memoryUtilization } } });
  return metrics;
}

function renderBehavior(a: AutoscalingProps): Record<string, unknown> | undefined {
  const rules = (r: ScalingRules | undefined) =>
    r && {
      stabilizationWindowSeconds: r.stabilizationWindow?.toSeconds(),
      selectPolicy: r.selectPolicy,
      policies: r.policies?.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.period.toSeconds() })),
    };
  if (!a.scaleUp && !a.scaleDown) return undefined;
  return { scaleUp: rules(a.scaleUp), scaleDown: rules(a.scaleDown) };
}

