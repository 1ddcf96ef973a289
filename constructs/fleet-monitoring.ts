import { PlatformConstruct } from './private/platform-construct';
import { ApiObject, Duration } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import * as servers from '../imports/monitoring.coreos.com-servers';
import { ClusterRole } from '../model/cluster';
import { Fleet } from '../core/fleet';
import { createObject } from '../core/l1';
import { APP_RECORD_PREFIX } from '../engines/monitoring/rules';
import { GlobalTier, MonitoringProps, MonitoringResources } from '../model/monitoring';
import { fleetDashboard } from '../engines/monitoring/dashboards';
import { isPromDuration, promDuration } from '../core/duration';
import { isDnsLabel, isLabelValue, isQualifiedName } from '../core/names';
import { isQuantity } from '../core/quantity';
import { ApplyTarget } from '../core/target';
import { ResourceRequirements } from '../model/workload';
import { renderResources } from '../core/pod';

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
    const platform = this.context;
    const fleet = platform.fleet;
    this.namespace = props.namespace ?? 'monitoring';
    this.global = props.global;
    this.globalNamespace = props.global?.props?.namespace ?? 'monitoring-global';
    this.selectorLabels = props.selectorLabels ?? { release: 'kube-prometheus-stack' };
    this.dashboardLabel = props.dashboardLabel ?? { grafana_dashboard: '1' };
    this.interval = promDuration(props.interval ?? Duration.seconds(30));
    this.runbookBaseUrl = props.runbookBaseUrl ?? 'https://github.com/fleetplane/fleetplane/blob/main/docs/runbooks.md';
    const cloud = fleet.clusters.filter((c) => (c.role ?? ClusterRole.CLOUD) === ClusterRole.CLOUD);
    this.clusterNames = (props.clusters ? fleet.select(props.clusters) : cloud).map((c) => c.name);
    this.check();
    if (this.sink.hasErrors) return;
    for (const name of this.clusterNames) {
      const target = platform.memberTarget(name);
      if (target) this.resourcesByCluster.set(name, this.renderMember(target));
    }
    const globalTarget = platform.memberTarget(this.global.props.cluster);
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
    if (!(props.global instanceof GlobalTier)) {
      sink.error('FP-MONITORING', 'monitoring.global', props.global, 'the global tier is required.', 'use GlobalTier.hierarchical({ cluster }) or GlobalTier.thanos({ cluster }).');
      return;
    }
    const gc = props.global.props?.cluster;
    if (!fleet.has(gc)) sink.error('K13', 'monitoring.global.cluster', gc, `unknown cluster (known: ${fleet.names.join(', ')}).`, 'host the global tier on a declared cluster.');
    for (const n of Fleet.namesIn(props.clusters)) {
      if (!fleet.has(n)) sink.error('K13', 'monitoring.clusters', n, `unknown cluster (known: ${fleet.names.join(', ')}).`, 'use a cluster declared on the platform.');
    }
    if (this.clusterNames.length === 0) sink.error('FP-EMPTY-SELECTOR', 'monitoring.clusters', props.clusters, 'no cluster is monitored.', 'select at least one cluster.');
    for (const [prop, ns] of [['monitoring.namespace', this.namespace], ['monitoring.global.namespace', this.globalNamespace]] as const) {
      if (!isDnsLabel(ns)) sink.error('K1', prop, ns, 'not a valid namespace name.', 'use a DNS-1123 label.');
    }
    for (const [prop, labels] of [['monitoring.selectorLabels', this.selectorLabels], ['monitoring.dashboardLabel', this.dashboardLabel]] as const) {
      if (Object.keys(labels).length === 0) sink.error('K42', prop, labels, 'an empty selector label makes Prometheus or Grafana silently ignore the objects or select everything.', 'give at least one label, e.g. { release: "kube-prometheus-stack" }.');
      for (const [k, v] of Object.entries(labels)) {
        if (!isQualifiedName(k) || !isLabelValue(v)) sink.error('K2', prop, { [k]: v }, 'invalid label.', 'use a valid label key and value.');
      }
    }
    if (props.retention !== undefined && !isPromDuration(props.retention)) sink.error('K41', 'monitoring.retention', props.retention, 'not a Prometheus duration.', 'use e.g. "15d".');
    for (const [res, range] of Object.entries(props.resources ?? {})) {
      for (const [k, v] of Object.entries(range ?? {})) {
        if (!isQuantity(v as string)) sink.error('K8', `monitoring.resources.${res}.${k}`, v, 'not a Kubernetes quantity.', 'use e.g. "2Gi".');
      }
    }
    // Rule 44: each member at its own address, never a round-robin clusterset name.
    const seen = new Map<string, string>();
    for (const c of this.clusterNames) {
      const addr = this.memberAddress(c);
      if (typeof addr !== 'string' || !/^[A-Za-z0-9.-]+:\d+$/.test(addr)) {
        sink.error('K44', 'monitoring.global.memberAddress', addr, `the address of ${c} must be host:port.`, 'return e.g. "prometheus.bj-1.example.com:9090".');
        continue;
      }
      if (seen.has(addr)) sink.error('K44', 'monitoring.global.memberAddress', addr, `${c} and ${seen.get(addr)} have the same federation target, so one cluster's series would hide the other's.`, 'give every member its own address (cluster-pinned name or per-cluster load balancer).');
      if (/^prometheus-operated\.[^.]+\.svc\.clusterset\.local(:\d+)?$/.test(addr)) sink.error('K44', 'monitoring.global.memberAddress', addr, 'a clusterset name round-robins across clusters.', 'use the cluster-pinned name <cluster>.prometheus-operated.<ns>.svc.clusterset.local.');
      seen.set(addr, c);
    }
  }

  private meta(name: string, namespace: string) {
    return { name, namespace, labels: { ...this.context.labels, ...this.selectorLabels } };
  }

  /** Namespace, ServiceAccount and RBAC a Prometheus needs to discover and scrape targets. */
  private renderBase(scope: Construct, namespace: string, name: string, privileged: boolean): ApiObject[] {
    const labels = this.context.labels;
    return [
      createObject(scope, 'Namespace', k8s.KubeNamespace.GVK, k8s.toJson_KubeNamespaceProps, {
        metadata: {
          name: namespace,
          labels: {
            ...labels,
            // Rule 7: kube-prometheus-stack runs node-exporter here with host access.
            'pod-security.kubernetes.io/enforce': privileged ? 'privileged' : 'restricted',
            'pod-security.kubernetes.io/warn': 'restricted',
          },
        },
      }),
      createObject(scope, 'ServiceAccount', k8s.KubeServiceAccount.GVK, k8s.toJson_KubeServiceAccountProps, { metadata: { name, namespace, labels } }),
      createObject(scope, 'ClusterRole', k8s.KubeClusterRole.GVK, k8s.toJson_KubeClusterRoleProps, {
        metadata: { name, labels },
        rules: [
          { apiGroups: [''], resources: ['nodes', 'nodes/metrics', 'services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
          { nonResourceUrLs: ['/metrics'], verbs: ['get'] },
        ],
      }),
      createObject(scope, 'ClusterRoleBinding', k8s.KubeClusterRoleBinding.GVK, k8s.toJson_KubeClusterRoleBindingProps, {
        metadata: { name, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects: [{ kind: 'ServiceAccount', name, namespace }],
      }),
    ];
  }

  private podSecurity() {
    return { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } };
  }

  private renderMember(target: ApplyTarget): MonitoringResources {
    const cluster = target.cluster!;
    const scope = new Construct(target.chart, 'monitoring');
    const ns = this.namespace;
    const base = this.renderBase(scope, ns, 'fleet-prometheus', true);
    const select = { matchLabels: { ...this.selectorLabels } };
    const thanos = this.global.kind === 'thanos';
    const prometheus = createObject(scope, 'Prometheus', servers.Prometheus.GVK, servers.toJson_PrometheusProps, {
      metadata: this.meta('fleet', ns),
      spec: {
        replicas: 1,
        serviceAccountName: 'fleet-prometheus',
        // Rule 43: a unique cluster label on every member keeps federated and Thanos series apart.
        externalLabels: { cluster: cluster.name, ...(cluster.region ? { region: cluster.region } : {}) },
        serviceMonitorSelector: select,
        serviceMonitorNamespaceSelector: {},
        podMonitorSelector: select,
        podMonitorNamespaceSelector: {},
        ruleSelector: select,
        ruleNamespaceSelector: {},
        scrapeInterval: this.interval,
        evaluationInterval: this.interval,
        retention: this.props.retention ?? '15d',
        resources: toPlainResources(this.props.resources ?? DEFAULT_RESOURCES),
        securityContext: this.podSecurity() as any,
        alerting: { alertmanagers: [{ namespace: ns, name: 'alertmanager-operated', port: servers.PrometheusSpecAlertingAlertmanagersPort.fromString('web') }] },
        thanos: thanos ? { image: this.global.props.image ?? THANOS_IMAGE } : undefined,
      },
    });
    const alertmanager = createObject(scope, 'Alertmanager', servers.Alertmanager.GVK, servers.toJson_AlertmanagerProps, {
      metadata: this.meta('fleet', ns),
      spec: {
        replicas: 1,
        alertmanagerConfigSelector: select,
        alertmanagerConfigNamespaceSelector: {},
        securityContext: this.podSecurity() as any,
      },
    });
    return { prometheus, alertmanager, objects: [...base, prometheus, alertmanager] };
  }

  private renderGlobal(target: ApplyTarget): void {
    const scope = new Construct(target.chart, 'monitoring-global');
    const ns = this.globalNamespace;
    const objects = this.renderBase(scope, ns, 'global-prometheus', false);
    const select = { matchLabels: { ...this.selectorLabels } };
    if (this.global.kind === 'hierarchical') {
      objects.push(
        createObject(scope, 'Prometheus', servers.Prometheus.GVK, servers.toJson_PrometheusProps, {
          metadata: this.meta('global', ns),
          spec: {
            replicas: 1,
            serviceAccountName: 'global-prometheus',
            externalLabels: { tier: 'global' },
            scrapeConfigSelector: select,
            scrapeConfigNamespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
            ruleSelector: select,
            ruleNamespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
            scrapeInterval: this.interval,
            evaluationInterval: this.interval,
            retention: this.props.retention ?? '15d',
            resources: toPlainResources(this.props.resources ?? DEFAULT_RESOURCES),
            securityContext: this.podSecurity() as any,
          },
        }),
        createObject(scope, 'FederateMembers', servers.ScrapeConfig.GVK, servers.toJson_ScrapeConfigProps, {
          metadata: this.meta('federate-members', ns),
          spec: {
            jobName: 'federate',
            metricsPath: '/federate',
            // Rule 44: keep the members' labels (cluster) and pull only the recorded aggregates.
            honorLabels: true,
            scrapeInterval: this.interval,
            params: { 'match[]': [`{__name__=~"${APP_RECORD_PREFIX}.*|app_le:.*"}`] },
            staticConfigs: this.clusterNames.map((c) => ({ targets: [this.memberAddress(c)], labels: { federated_from: c } })),
          },
        }),
      );
    } else {
      const labels = { ...this.context.labels, 'app.kubernetes.io/name': 'thanos-query', 'app.kubernetes.io/instance': 'global' };
      const selector = { 'app.kubernetes.io/name': 'thanos-query', 'app.kubernetes.io/instance': 'global' };
      const endpoints = this.clusterNames.map((c) => `--endpoint=${this.memberAddress(c).replace(/:\d+$/, ':10901')}`);
      objects.push(
        createObject(scope, 'ThanosQuery', k8s.KubeDeployment.GVK, k8s.toJson_KubeDeploymentProps, {
          metadata: { name: 'thanos-query', namespace: ns, labels },
          spec: {
            replicas: 2,
            selector: { matchLabels: selector },
            template: {
              metadata: { labels },
              spec: {
                serviceAccountName: 'global-prometheus',
                automountServiceAccountToken: false,
                securityContext: { runAsNonRoot: true, runAsUser: 1001, seccompProfile: { type: 'RuntimeDefault' } },
                containers: [{
                  name: 'thanos-query',
                  image: this.global.props.image ?? THANOS_IMAGE,
                  args: ['query', '--http-address=0.0.0.0:9090', '--grpc-address=0.0.0.0:10901', '--query.replica-label=prometheus_replica', ...endpoints],
                  ports: [{ name: 'http', containerPort: 9090 }, { name: 'grpc', containerPort: 10901 }],
                  resources: renderResources(undefined, { cpu: { request: '250m' }, memory: { request: '512Mi', limit: '1Gi' } }),
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                }],
              },
            },
          },
        }),
        createObject(scope, 'ThanosQueryService', k8s.KubeService.GVK, k8s.toJson_KubeServiceProps, {
          metadata: { name: 'thanos-query', namespace: ns, labels },
          spec: { selector, ports: [{ name: 'http', port: 9090, targetPort: k8s.IntOrString.fromString('http') }, { name: 'grpc', port: 10901, targetPort: k8s.IntOrString.fromString('grpc') }] },
        }),
      );
    }
    objects.push(
      createObject(scope, 'FleetDashboard', k8s.KubeConfigMap.GVK, k8s.toJson_KubeConfigMapProps, {
        metadata: { name: 'fleet-overview-dashboard', namespace: ns, labels: { ...this.context.labels, ...this.dashboardLabel } },
        data: { 'fleet-overview.json': JSON.stringify(fleetDashboard(this.context.platformName), null, 2) },
      }),
    );
  }
}

/** Prometheus container resources in the binding's int-or-string classes. */
function toPlainResources(r: ResourceRequirements): servers.PrometheusSpecResources {
  const requests: Record<string, servers.PrometheusSpecResourcesRequests> = {};
  const limits: Record<string, servers.PrometheusSpecResourcesLimits> = {};
  for (const [res, range] of Object.entries(r)) {
    const key = res === 'ephemeralStorage' ? 'ephemeral-storage' : res;
    if (range?.request) requests[key] = servers.PrometheusSpecResourcesRequests.fromString(range.request);
    if (range?.limit) limits[key] = servers.PrometheusSpecResourcesLimits.fromString(range.limit);
  }
  return { requests: Object.keys(requests).length ? requests : undefined, limits: Object.keys(limits).length ? limits : undefined };
}
