import { PlatformConstruct } from './private/platform-construct';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { promDuration } from '../core/duration';
import { ApplyTarget } from '../core/target';
import { GlobalTier, MonitoringProps, MonitoringResources } from '../model/monitoring';
import { ResourceRequirements } from '../model/workload';
import { renderGlobalTier, renderMemberTier, TierSettings } from '../engines/monitoring/tiers';
import { selectedOrCloud } from './private/known-clusters';
import { checkGlobalTier, checkMemberAddresses, checkMonitoredClusters, checkMonitoringNames, checkMonitoringStorage } from './private/monitoring-checks';

const DEFAULT_RESOURCES: ResourceRequirements = { cpu: { request: '500m' }, memory: { request: '2Gi', limit: '4Gi' } };
const THANOS_IMAGE = 'quay.io/thanos/thanos:v0.39.2';

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

  /** Address of a member's Prometheus for the global tier. */
  public memberAddress(cluster: string): string {
    return this.global.props.memberAddress?.(cluster) ?? `${cluster}.prometheus-operated.${this.namespace}.svc.clusterset.local:9090`;
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
    return renderMemberTier(new Construct(target.chart, 'monitoring'), {
      ...this.settings,
      namespace: this.namespace,
      cluster: cluster.name,
      region: cluster.region,
      thanosImage: this.global.kind === 'thanos' ? this.global.props.image ?? THANOS_IMAGE : undefined,
      // Only the default address is a clusterset name fleetplane writes; a custom one is the caller's to resolve.
      exportPrometheus: !this.global.props.memberAddress,
    });
  }

  private renderGlobal(target: ApplyTarget): void {
    renderGlobalTier(new Construct(target.chart, 'monitoring-global'), {
      ...this.settings,
      kind: this.global.kind,
      namespace: this.globalNamespace,
      members: this.clusterNames.map((cluster) => ({ cluster, address: this.memberAddress(cluster) })),
      thanosImage: this.global.props.image ?? THANOS_IMAGE,
      platformName: this.context.platformName,
      dashboardLabel: this.dashboardLabel,
    });
  }
}
