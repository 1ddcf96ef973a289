/**
 * The platform's Prometheus tiers: in every monitored member a Prometheus and an Alertmanager; in the global
 * cluster a federating Prometheus or Thanos Query, and the fleet overview dashboard. Each tier differs per
 * cluster, so it is written to that member's own output.
 */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import * as mcs from '../../imports/multicluster.x-k8s.io';
import { createObject } from '../../core/l1';
import { renderResources } from '../../core/pod';
import type * as Servers from '../../imports/monitoring.coreos.com-servers';
import { MonitoringResources } from '../../model/monitoring';
import { ResourceRequirements } from '../../model/workload';
import { fleetDashboard } from './dashboards';
import { APP_RECORD_PREFIX } from './rules';
import { LABEL_OWNERSHIP } from '../../core/labels';

/** What every Prometheus of the platform shares, resolved. */
export interface TierSettings {
  /** Labels every platform object carries. */
  readonly platformLabels: Record<string, string>;
  /** Labels every monitoring object carries and every Prometheus selects. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Scrape and evaluation interval (a Prometheus duration). */
  readonly interval: string;
  /** Retention of every Prometheus. */
  readonly retention: string;
  /** Container resources of every Prometheus. */
  readonly resources: ResourceRequirements;
}

/** One monitored member cluster's tier. */
export interface MemberTierIntent extends TierSettings {
  /** Namespace of the member Prometheus. */
  readonly namespace: string;
  /** The member cluster's name (the `cluster` external label). */
  readonly cluster: string;
  /** The member cluster's region (the `region` external label), if declared. */
  readonly region?: string;
  /** The Thanos sidecar image, when the global tier is Thanos. */
  readonly thanosImage?: string;
  /**
   * The global tier reaches this Prometheus by its cluster-pinned clusterset name, which resolves only when the
   * member exports the `prometheus-operated` Service (mcs-api ServiceExport, Submariner Lighthouse).
   */
  readonly exportPrometheus?: boolean;
}

/** A member as the global tier reaches it. */
export interface TierMember {
  /** The member cluster's name. */
  readonly cluster: string;
  /** `host:port` of the member's Prometheus. */
  readonly address: string;
}

/** The global tier. */
export interface GlobalTierIntent extends TierSettings {
  /** Hierarchical federation, or Thanos Query over member sidecars. */
  readonly kind: 'hierarchical' | 'thanos';
  /** Namespace of the global tier. */
  readonly namespace: string;
  /** The monitored members, each at its own address. */
  readonly members: readonly TierMember[];
  /** The Thanos Query image (Thanos only). */
  readonly thanosImage: string;
  /** Platform name, for the fleet dashboard's title. */
  readonly platformName: string;
  /** Grafana sidecar dashboard label. */
  readonly dashboardLabel: Readonly<Record<string, string>>;
}

/** The Prometheus-operator server bindings, loaded on first use: they are large, and only platforms with monitoring need them. */
function servers(): typeof Servers {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../imports/monitoring.coreos.com-servers') as typeof Servers;
}

/** A member's Prometheus and Alertmanager, with what they need to discover and scrape targets. */
export function renderMemberTier(scope: Construct, t: MemberTierIntent): MonitoringResources {
  const s = servers();
  const ns = t.namespace;
  const base = renderTierBase(scope, t.platformLabels, ns, 'fleet-prometheus', true);
  const select = { matchLabels: { ...t.selectorLabels } };
  const prometheus = createObject(scope, 'Prometheus', s.Prometheus.GVK, s.toJson_PrometheusProps, {
    metadata: meta(t, 'fleet', ns),
    spec: {
      replicas: 1,
      serviceAccountName: 'fleet-prometheus',
      // Rule 43: a unique cluster label on every member keeps federated and Thanos series apart.
      externalLabels: { cluster: t.cluster, ...(t.region ? { region: t.region } : {}) },
      serviceMonitorSelector: select,
      serviceMonitorNamespaceSelector: {},
      podMonitorSelector: select,
      podMonitorNamespaceSelector: {},
      ruleSelector: select,
      ruleNamespaceSelector: {},
      scrapeInterval: t.interval,
      evaluationInterval: t.interval,
      retention: t.retention,
      resources: toPrometheusResources(t.resources),
      securityContext: prometheusPodSecurity() as any,
      alerting: { alertmanagers: [{ namespace: ns, name: 'alertmanager-operated', port: s.PrometheusSpecAlertingAlertmanagersPort.fromString('web') }] },
      thanos: t.thanosImage ? { image: t.thanosImage } : undefined,
    },
  });
  const alertmanager = createObject(scope, 'Alertmanager', s.Alertmanager.GVK, s.toJson_AlertmanagerProps, {
    metadata: meta(t, 'fleet', ns),
    spec: {
      replicas: 1,
      alertmanagerConfigSelector: select,
      alertmanagerConfigNamespaceSelector: {},
      securityContext: prometheusPodSecurity() as any,
    },
  });
  // The operator creates the prometheus-operated Service; exporting it makes <cluster>.prometheus-operated.<ns>.svc.clusterset.local resolve.
  const serviceExport = t.exportPrometheus
    ? createObject(scope, 'PrometheusExport', mcs.ServiceExport.GVK, mcs.toJson_ServiceExportProps, { metadata: { name: 'prometheus-operated', namespace: ns, labels: { ...t.platformLabels } } })
    : undefined;
  return { prometheus, alertmanager, serviceExport, objects: [...base, prometheus, alertmanager, ...(serviceExport ? [serviceExport] : [])] };
}

/** The global tier (federating Prometheus or Thanos Query) and the fleet overview dashboard. */
export function renderGlobalTier(scope: Construct, t: GlobalTierIntent): ApiObject[] {
  const objects = renderTierBase(scope, t.platformLabels, t.namespace, 'global-prometheus', false);
  objects.push(...(t.kind === 'hierarchical' ? renderFederation(scope, t) : renderThanosQuery(scope, t)));
  objects.push(
    createObject(scope, 'FleetDashboard', k8s.KubeConfigMap.GVK, k8s.toJson_KubeConfigMapProps, {
      metadata: { name: 'fleet-overview-dashboard', namespace: t.namespace, labels: { ...t.platformLabels, ...t.dashboardLabel } },
      data: { 'fleet-overview.json': JSON.stringify(fleetDashboard(t.platformName), null, 2) },
    }),
  );
  return objects;
}

/** A global Prometheus that scrapes each member's `/federate` for the recorded aggregates only. */
function renderFederation(scope: Construct, t: GlobalTierIntent): ApiObject[] {
  const s = servers();
  const ns = t.namespace;
  const select = { matchLabels: { ...t.selectorLabels } };
  return [
    createObject(scope, 'Prometheus', s.Prometheus.GVK, s.toJson_PrometheusProps, {
      metadata: meta(t, 'global', ns),
      spec: {
        replicas: 1,
        serviceAccountName: 'global-prometheus',
        externalLabels: { tier: 'global' },
        scrapeConfigSelector: select,
        scrapeConfigNamespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
        ruleSelector: select,
        ruleNamespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
        scrapeInterval: t.interval,
        evaluationInterval: t.interval,
        retention: t.retention,
        resources: toPrometheusResources(t.resources),
        securityContext: prometheusPodSecurity() as any,
      },
    }),
    createObject(scope, 'FederateMembers', s.ScrapeConfig.GVK, s.toJson_ScrapeConfigProps, {
      metadata: meta(t, 'federate-members', ns),
      spec: {
        jobName: 'federate',
        metricsPath: '/federate',
        // Rule 44: keep the members' labels (cluster) and pull only the recorded aggregates.
        honorLabels: true,
        scrapeInterval: t.interval,
        params: { 'match[]': [`{__name__=~"${APP_RECORD_PREFIX}.*|app_le:.*"}`] },
        staticConfigs: t.members.map((m) => ({ targets: [m.address], labels: { federated_from: m.cluster } })),
      },
    }),
  ];
}

/** Thanos Query over the member sidecars (gRPC on port 10901 of each member's address). */
function renderThanosQuery(scope: Construct, t: GlobalTierIntent): ApiObject[] {
  const ns = t.namespace;
  const labels = { ...t.platformLabels, 'app.kubernetes.io/name': 'thanos-query', 'app.kubernetes.io/instance': 'global' };
  const selector = { 'app.kubernetes.io/name': 'thanos-query', 'app.kubernetes.io/instance': 'global' };
  const endpoints = t.members.map((m) => `--endpoint=${m.address.replace(/:\d+$/, ':10901')}`);
  return [
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
              image: t.thanosImage,
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
  ];
}

/** Namespace, ServiceAccount and RBAC a Prometheus needs to discover and scrape targets. */
function renderTierBase(scope: Construct, labels: Record<string, string>, namespace: string, name: string, privileged: boolean): ApiObject[] {
  return [
    createObject(scope, 'Namespace', k8s.KubeNamespace.GVK, k8s.toJson_KubeNamespaceProps, {
      metadata: {
        name: namespace,
        labels: {
          ...labels,
          // Rule 7: kube-prometheus-stack runs node-exporter here with host access.
          'pod-security.kubernetes.io/enforce': privileged ? 'privileged' : 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
          // The member namespace is where kube-prometheus-stack (the operator and node-exporter) is installed:
          // prune and Pulumi only patch its labels. The global tier's namespace is fleetplane's own.
          ...(privileged ? { [LABEL_OWNERSHIP]: 'shared' } : {}),
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

function meta(t: TierSettings, name: string, namespace: string) {
  return { name, namespace, labels: { ...t.platformLabels, ...t.selectorLabels } };
}

function prometheusPodSecurity() {
  return { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } };
}

/** Prometheus container resources in the binding's int-or-string classes. */
function toPrometheusResources(r: ResourceRequirements): Servers.PrometheusSpecResources {
  const s = servers();
  const requests: Record<string, Servers.PrometheusSpecResourcesRequests> = {};
  const limits: Record<string, Servers.PrometheusSpecResourcesLimits> = {};
  for (const [res, range] of Object.entries(r)) {
    const key = res === 'ephemeralStorage' ? 'ephemeral-storage' : res;
    if (range?.request) requests[key] = s.PrometheusSpecResourcesRequests.fromString(range.request);
    if (range?.limit) limits[key] = s.PrometheusSpecResourcesLimits.fromString(range.limit);
  }
  return { requests: Object.keys(requests).length ? requests : undefined, limits: Object.keys(limits).length ? limits : undefined };
}
