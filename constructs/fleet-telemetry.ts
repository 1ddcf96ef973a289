import { Construct } from 'constructs';
import { TelemetryContext, TelemetryLogSource } from '../core/context';
import { componentImage } from '../core/image';
import { ApplyTarget } from '../core/target';
import { renderTelemetryMonitoring } from '../engines/telemetry/alerts';
import { GATEWAY, AGENT, GLOBAL_GATEWAY, collectorService, renderGlobalCollector, renderMemberCollectors } from '../engines/telemetry/collectors';
import { CollectorConfig, agentConfig, exportingGatewayConfig, forwardingGatewayConfig } from '../engines/telemetry/config';
import { endpointPort, renderTelemetryPolicies } from '../engines/telemetry/policies';
import { TelemetryProps, TelemetryResources, TelemetryTier } from '../model/telemetry';
import { selectedOrCloud } from './private/known-clusters';
import { PlatformConstruct } from './private/platform-construct';
import { checkTelemetry } from './private/telemetry-checks';
import { collectorPaths } from './private/observability-paths';
import { DeclaredPath } from '../model/reachability';
import { checkClustersetBackend } from './private/clusterset-checks';

const COLLECTOR_IMAGE = 'otel/opentelemetry-collector-contrib:0.158.0';

/**
 * The platform's telemetry, created by DistributedPlatform from its `telemetry` prop: in every member with
 * collectors a node agent (DaemonSet: OTLP from the node's pods, the container log files of apps with `logs`,
 * Kubernetes metadata, `cluster`, `region` and `tenant` on every record) and a gateway (Deployment); with the
 * gateway tier a global gateway in one cluster. The exporting tier routes every record by its tenant, each tenant
 * to its own exporter. These objects differ per cluster, so they go to each member's own output.
 */
export class FleetTelemetry extends PlatformConstruct implements TelemetryContext {
  /** Namespace of each member's collectors. */
  public readonly namespace: string;
  /** Namespace of the global gateway (gateway tier). */
  public readonly globalNamespace: string;
  /** Clusters with collectors. */
  public readonly clusterNames: readonly string[];
  /** The exporting tier. */
  public readonly tier: TelemetryTier;
  /** Name of the Istio extension provider that sends spans to the node agent. */
  public readonly meshProvider = 'otel-tracing';
  /** Istio sampling percentage in meshed tenants that set none. */
  public readonly meshTracingSampling: number;

  private readonly tenants: string[] = [];
  private readonly sources = new Map<string, TelemetryLogSource[]>();
  private readonly resourcesByCluster = new Map<string, TelemetryResources>();

  constructor(scope: Construct, id: string, private readonly props: TelemetryProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'telemetry';
    this.tier = props.globalTier;
    this.globalNamespace = this.tier?.props?.namespace ?? 'telemetry-global';
    this.meshTracingSampling = props.meshTracingSampling ?? 1;
    this.clusterNames = selectedOrCloud(this.context.fleet, props.clusters).map((c) => c.name);
    checkTelemetry(this.sink, this.context.fleet, props, this.clusterNames);
    this.checkGatewayTier();
    if (this.sink.hasErrors) return;
    for (const name of this.clusterNames) {
      const target = this.context.memberTarget(name);
      if (target) this.resourcesByCluster.set(name, this.renderMember(target));
    }
    const global = this.tier.kind === 'gateway' ? this.context.memberTarget(this.tier.props!.cluster) : undefined;
    if (global) this.renderGlobal(global);
  }

  /** A logs backend is configured. */
  public get logs(): boolean {
    return !!this.props.backends?.logs;
  }

  /** A traces backend is configured. */
  public get traces(): boolean {
    return !!this.props.backends?.traces;
  }

  /** The node agent's Service host. */
  public get agentHost(): string {
    return `${collectorService(AGENT)}.${this.namespace}.svc.cluster.local`;
  }

  /** The node agent's OTLP/HTTP URL. */
  public get agentHttpEndpoint(): string {
    return `http://${this.agentHost}:4318`;
  }

  /** `host:port` members' gateways send to in the gateway tier: the global gateway's clusterset name. */
  public get globalGatewayAddress(): string {
    return `${collectorService(GLOBAL_GATEWAY)}.${this.globalNamespace}.svc.clusterset.local:4317`;
  }

  /** The collector paths, for the reachability check. @internal */
  public _declaredPaths(): DeclaredPath[] {
    if (this.sink.hasErrors) return [];
    const names: Record<string, string> = { agent: AGENT, gateway: GATEWAY, global: GLOBAL_GATEWAY };
    const global = this.tier.kind === 'gateway' ? { namespace: this.globalNamespace, cluster: this.tier.props!.cluster } : undefined;
    return collectorPaths(this.node.path, {
      namespace: this.namespace, clusters: this.clusterNames, global,
      labelOf: (c) => ({ 'app.kubernetes.io/name': collectorService(names[c]) }),
    });
  }

  /** The telemetry objects in a member cluster's output. */
  public resourcesIn(cluster: string): TelemetryResources | undefined {
    return this.resourcesByCluster.get(cluster);
  }

  /** @internal */
  public _addTenant(namespace: string): void {
    if (!this.tenants.includes(namespace)) this.tenants.push(namespace);
  }

  /** @internal */
  public _addLogSource(clusters: readonly string[], source: TelemetryLogSource): void {
    for (const c of clusters) this.sources.set(c, [...(this.sources.get(c) ?? []), source]);
  }

  /** The image of every collector, through the platform registry. */
  private get image(): string {
    return componentImage(this.props.image, COLLECTOR_IMAGE, this.context.defaults.imageRegistry);
  }

  /** Ports the exporting tier reaches outside its cluster. */
  private get backendPorts(): number[] {
    const b = this.props.backends;
    return [...new Set([b.logs?.backend.endpoint, b.traces?.backend.endpoint].filter((e): e is string => !!e).map(endpointPort))].sort((x, y) => x - y);
  }

  /** The exporting tier's configuration (rendered at synthesis, when every tenant is known). */
  private exportingConfig(): CollectorConfig {
    return exportingGatewayConfig({ tenants: [...this.tenants].sort(), logs: this.props.backends.logs?.backend, traces: this.props.backends.traces?.backend });
  }

  private renderMember(target: ApplyTarget): TelemetryResources {
    const cluster = target.cluster!;
    const scope = new Construct(target.chart, 'telemetry');
    const signals = { logs: this.logs, traces: this.traces };
    const rendered = renderMemberCollectors(scope, {
      labels: this.context.labels,
      image: this.image,
      namespace: this.namespace,
      gatewayReplicas: this.props.gatewayReplicas ?? 2,
      agentConfig: () => agentConfig({
        cluster: cluster.name, region: cluster.region, ...signals,
        gateway: `${collectorService(GATEWAY)}.${this.namespace}.svc.cluster.local:4317`,
        sources: this.sources.get(cluster.name) ?? [],
      }),
      gatewayConfig: () => (this.tier.kind === 'gateway' ? forwardingGatewayConfig(this.globalGatewayAddress, signals) : this.exportingConfig()),
    });
    const policies = renderTelemetryPolicies(scope, {
      namespace: this.namespace,
      labels: this.context.labels,
      tier: 'member',
      egressPorts: this.tier.kind === 'gateway' ? [4317] : this.backendPorts,
      prometheusNamespace: this.monitoredHere(cluster.name) ? this.context.monitoring!.namespace : undefined,
    });
    const monitoring = this.renderMonitoring(scope, cluster.name, this.namespace);
    return { agent: rendered.agent, gateway: rendered.gateway, objects: [...rendered.objects, ...policies, ...monitoring] };
  }

  private renderGlobal(target: ApplyTarget): void {
    const scope = new Construct(target.chart, 'telemetry-global');
    const gw = this.tier.props!;
    renderGlobalCollector(scope, { labels: this.context.labels, image: this.image, namespace: this.globalNamespace, replicas: gw.replicas ?? 2, config: () => this.exportingConfig() });
    renderTelemetryPolicies(scope, {
      namespace: this.globalNamespace,
      labels: this.context.labels,
      tier: 'global',
      egressPorts: this.backendPorts,
      memberCidrs: this.memberCidrs(),
      prometheusNamespace: this.monitoredHere(gw.cluster) ? this.context.monitoring!.namespace : undefined,
    });
    this.renderMonitoring(scope, gw.cluster, this.globalNamespace);
  }

  /** The collectors' PodMonitor and alerts, where a member Prometheus runs. */
  private renderMonitoring(scope: Construct, cluster: string, namespace: string) {
    const mon = this.context.monitoring;
    if (!mon || !this.monitoredHere(cluster)) return [];
    return renderTelemetryMonitoring(scope, { namespace, labels: this.context.labels, monitoringLabels: mon.selectorLabels, interval: mon.interval, runbookBaseUrl: mon.runbookBaseUrl });
  }

  private monitoredHere(cluster: string): boolean {
    return !!this.context.monitoring?.clusterNames.includes(cluster);
  }

  /** Pod CIDRs the members' gateways send from; undefined (anywhere) when one is not declared. */
  private memberCidrs(): string[] | undefined {
    const cidrs = this.clusterNames.map((c) => this.context.fleet.get(c)?.podCidr);
    return cidrs.every((c): c is string => !!c) ? [...new Set(cidrs)] : undefined;
  }

  /** The global gateway admits the members' pod CIDRs; without them it is open on 4317 to any address. */
  /**
   * The gateway tier: members reach the global gateway by its clusterset name (Submariner joins them all), and
   * it admits them by their pod CIDRs, never 0.0.0.0/0.
   */
  private checkGatewayTier(): void {
    if (!(this.tier instanceof TelemetryTier) || this.tier.kind !== 'gateway') return;
    const fleet = this.context.fleet;
    const clusters = [this.tier.props!.cluster, ...this.clusterNames].filter((c) => fleet.has(c));
    checkClustersetBackend(this.sink, this.context.submariner, clusters, this.globalGatewayAddress, { prop: 'telemetry.globalTier', alternative: 'use TelemetryTier.direct()' });
    for (const c of this.clusterNames.filter((n) => fleet.has(n) && !fleet.get(n)?.podCidr)) {
      this.sink.error('FP-OTEL', `clusters[name=${c}].podCidr`, undefined, 'the global gateway admits its members by their pod CIDRs, and this member declares none (admitting any address instead would open OTLP to everything).', `declare podCidr on cluster ${c}.`);
    }
  }
}
