import { PlatformConstruct } from './private/platform-construct';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { promDuration } from '../core/duration';
import { componentImage } from '../core/image';
import { ApplyTarget } from '../core/target';
import { GlobalTier, MonitoringPrerequisites, MonitoringProps, MonitoringResources } from '../model/monitoring';
import { ResourceRequirements } from '../model/workload';
import { renderGlobalTier, renderMemberTier, TierSettings } from '../engines/monitoring/tiers';
import { PrerequisitesIntent, renderPrerequisites } from '../engines/monitoring/prerequisites';
import { selectedOrCloud } from './private/known-clusters';
import { federationPaths } from './private/observability-paths';
import { DeclaredPath } from '../model/reachability';
import { checkClustersetBackend } from './private/clusterset-checks';
import { checkGlobalTier, checkMemberAddresses, checkMonitoredClusters, checkMonitoringNames, checkMonitoringStorage, checkPrerequisites } from './private/monitoring-checks';

const DEFAULT_RESOURCES: ResourceRequirements = { cpu: { request: '500m' }, memory: { request: '2Gi', limit: '4Gi' } };
const THANOS_IMAGE = 'quay.io/thanos/thanos:v0.39.2';
const KUBE_STATE_METRICS_IMAGE = 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.13.0';
const NODE_EXPORTER_IMAGE = 'quay.io/prometheus/node-exporter:v1.8.2';

/**
 * The platform's monitoring tiers, created by DistributedPlatform from its `monitoring` prop: in every
 * monitored member a Prometheus (with `cluster` and `region` external labels, selecting fleetplane's monitoring
 * objects in all namespaces) and an Alertmanager; in the global cluster either a federating Prometheus that
 * scrapes each member's `/federate` for the `app:` recording rules only, or Thanos Query over member sidecars;
 * and the fleet overview dashboard. These objects differ per cluster, so they go to each member's own output.
 */
export class FleetMonitoring extends PlatformConstruct {
  /** Namespace of member Prometheus. */
  public readonly namespace: string;
  /** Namespace of the global tier. */
  public readonly globalNamespace: string;
  /** Labels every monitoring object carries and every Prometheus selects. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** Grafana sidecar dashboard label. */
  public readonly dashboardLabel: Readonly<Record<string, string>>;
  /** Monitored member clusters. */
  public readonly clusterNames: readonly string[];
  /** Evaluation interval. */
  public readonly interval: string;
  /** Runbook base URL. */
  public readonly runbookBaseUrl: string;
  /** The global tier. */
  public readonly global: GlobalTier;
  /** Where kube-state-metrics and node-exporter come from. */
  public readonly prerequisites: MonitoringPrerequisites;

  private readonly resourcesByCluster = new Map<string, MonitoringResources>();

  constructor(scope: Construct, id: string, private readonly props: MonitoringProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'monitoring';
    this.global = props.global;
    this.globalNamespace = props.global?.props?.namespace ?? 'monitoring-global';
    this.selectorLabels = props.selectorLabels ?? { release: 'kube-prometheus-stack' };
    this.dashboardLabel = props.dashboardLabel ?? { grafana_dashboard: '1' };
    this.interval = promDuration(props.interval ?? Duration.seconds(30));
    this.runbookBaseUrl = props.runbookBaseUrl ?? 'https://github.com/fleetplane/fleetplane/blob/main/docs/runbooks.md';
    this.clusterNames = selectedOrCloud(this.context.fleet, props.clusters).map((c) => c.name);
    this.prerequisites = props.prerequisites ?? MonitoringPrerequisites.assumeInstalled();
    this.check();
    if (this.sink.hasErrors) return;
    for (const name of this.clusterNames) {
      const target = this.context.memberTarget(name);
      if (target) this.resourcesByCluster.set(name, this.renderMember(target));
    }
    const globalTarget = this.context.memberTarget(this.global.props.cluster);
    if (globalTarget) this.renderGlobal(globalTarget);
  }

  /** The monitoring objects in a member cluster's output. */
  public resourcesIn(cluster: string): MonitoringResources | undefined {
    return this.resourcesByCluster.get(cluster);
  }

  /** kube-state-metrics is scraped in the members, so apps get workload rules and panels. */
  public get workloadSeries(): boolean {
    return this.prerequisites.kind !== 'none';
  }

  /** node-exporter is scraped in the members. */
  public get nodeSeries(): boolean {
    const p = this.prerequisites;
    return p.kind === 'installed' ? p.installed?.nodeExporterJob !== false : p.kind === 'generated' && p.generated?.nodeExporter !== false;
  }

  /** The global tier's connections to every member Prometheus, for the reachability check. @internal */
  public _declaredPaths(): DeclaredPath[] {
    // A custom member address is routed outside the clusters (a load balancer): only the Lighthouse names are modelled.
    if (this.sink.hasErrors || !this.global || this.global.props.memberAddress) return [];
    const global = { namespace: this.globalNamespace, cluster: this.global.props.cluster, thanos: this.global.kind === 'thanos' };
    return federationPaths(this.node.path, global, { namespace: this.namespace, clusters: this.clusterNames });
  }

  /** Address of a member's Prometheus for the global tier. */
  public memberAddress(cluster: string): string {
    // Lighthouse pins a name to a cluster by its Submariner cluster ID, which may differ from the cluster name.
    const id = this.context.submariner?.clusterIds[cluster] ?? cluster;
    return this.global.props.memberAddress?.(cluster) ?? `${id}.prometheus-operated.${this.namespace}.svc.clusterset.local:9090`;
  }

  private check(): void {
    const { sink, props } = this;
    const fleet = this.context.fleet;
    if (!checkGlobalTier(sink, fleet, props.global, this.context.defaults.imageTagPolicy)) return;
    checkMonitoredClusters(sink, fleet, props, this.clusterNames);
    checkMonitoringNames(
      sink,
      { 'monitoring.namespace': this.namespace, 'monitoring.global.namespace': this.globalNamespace },
      { 'monitoring.selectorLabels': this.selectorLabels, 'monitoring.dashboardLabel': this.dashboardLabel },
    );
    checkMonitoringStorage(sink, props);
    checkMemberAddresses(sink, this.clusterNames, (c) => this.memberAddress(c));
    if (!props.global.props.memberAddress) {
      checkClustersetBackend(sink, this.context.submariner, [props.global.props.cluster, ...this.clusterNames].filter((c) => fleet.get(c)), this.memberAddress(this.clusterNames[0] ?? props.global.props.cluster));
    }
    checkPrerequisites(sink, props.prerequisites);
  }

  /** What every Prometheus of the platform shares. */
  private get settings(): TierSettings {
    return {
      platformLabels: this.context.labels,
      selectorLabels: this.selectorLabels,
      interval: this.interval,
      retention: this.props.retention ?? '15d',
      resources: this.props.resources ?? DEFAULT_RESOURCES,
    };
  }

  private renderMember(target: ApplyTarget): MonitoringResources {
    const cluster = target.cluster!;
    const scope = new Construct(target.chart, 'monitoring');
    const tier = renderMemberTier(scope, {
      ...this.settings,
      namespace: this.namespace,
      cluster: cluster.name,
      region: cluster.region,
      thanosImage: this.global.kind === 'thanos' ? this.thanosImage : undefined,
      // Only the default address is a clusterset name fleetplane writes; a custom one is the caller's to resolve.
      exportPrometheus: !this.global.props.memberAddress,
    });
    const prerequisites = this.prerequisitesIntent();
    return prerequisites ? { ...tier, objects: [...tier.objects, ...renderPrerequisites(scope, prerequisites)] } : tier;
  }

  /** The Thanos image: the user's (the platform registry prepended when it names none), or the default from the platform registry. */
  private get thanosImage(): string {
    return componentImage(this.global.props.image, THANOS_IMAGE, this.context.defaults.imageRegistry);
  }

  /** The exporters of every member, resolved; undefined when the members have none. */
  private prerequisitesIntent(): PrerequisitesIntent | undefined {
    const p = this.prerequisites;
    if (p.kind === 'none') return undefined;
    const registry = this.context.defaults.imageRegistry;
    const image = (own: string | undefined, fallback: string) => componentImage(own, fallback, registry);
    const generated = p.kind === 'generated' ? p.generated ?? {} : undefined;
    return {
      namespace: this.namespace,
      platformLabels: this.context.labels,
      selectorLabels: this.selectorLabels,
      kubeStateMetricsJob: p.installed?.kubeStateMetricsJob ?? 'kube-state-metrics',
      nodeExporterJob: this.nodeSeries ? (p.installed?.nodeExporterJob || 'node-exporter') : undefined,
      generate: generated && {
        kubeStateMetricsImage: image(generated.kubeStateMetricsImage, KUBE_STATE_METRICS_IMAGE),
        nodeExporterImage: this.nodeSeries ? image(generated.nodeExporterImage, NODE_EXPORTER_IMAGE) : undefined,
      },
      runbookBaseUrl: this.runbookBaseUrl,
      interval: this.interval,
    };
  }

  private renderGlobal(target: ApplyTarget): void {
    renderGlobalTier(new Construct(target.chart, 'monitoring-global'), {
      ...this.settings,
      kind: this.global.kind,
      namespace: this.globalNamespace,
      members: this.clusterNames.map((cluster) => ({ cluster, address: this.memberAddress(cluster) })),
      thanosImage: this.thanosImage,
      platformName: this.context.platformName,
      dashboardLabel: this.dashboardLabel,
    });
  }
}
