/**
 * The exporters the generated workload rules read, in one member: kube-state-metrics (object state) and
 * node-exporter (node metrics), when the platform generates them; and in every case the alerts that fire when
 * they are not scraped, since every app's workload alerts would otherwise stay silent.
 */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { createObject } from '../../core/l1';
import { renderResources } from '../../core/pod';
import * as monitoring from '../../imports/monitoring.coreos.com';

/** What one member needs, resolved. */
export interface PrerequisitesIntent {
  /** The member's monitoring namespace (privileged Pod Security: node-exporter needs host access). */
  readonly namespace: string;
  /** Labels every platform object carries. */
  readonly platformLabels: Record<string, string>;
  /** Labels the member Prometheus selects. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** `job` of kube-state-metrics' target. */
  readonly kubeStateMetricsJob: string;
  /** `job` of node-exporter's targets, if the members run it. */
  readonly nodeExporterJob?: string;
  /** The images, when fleetplane runs the exporters. */
  readonly generate?: { readonly kubeStateMetricsImage: string; readonly nodeExporterImage?: string };
  readonly runbookBaseUrl: string;
  readonly interval: string;
}

/** Resources kube-state-metrics reports on; Secrets and ConfigMaps are left out, so it never reads their data. */
const KSM_RESOURCES: Record<string, string[]> = {
  '': ['namespaces', 'nodes', 'persistentvolumeclaims', 'persistentvolumes', 'pods', 'resourcequotas', 'services'],
  'apps': ['daemonsets', 'deployments', 'replicasets', 'statefulsets'],
  'autoscaling': ['horizontalpodautoscalers'],
  'batch': ['cronjobs', 'jobs'],
  'policy': ['poddisruptionbudgets'],
};

const CONTAINER_SECURITY = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };
const POD_SECURITY = { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } };

/** The exporters (when generated) and the not-scraped alerts of one member. */
export function renderPrerequisites(scope: Construct, p: PrerequisitesIntent): ApiObject[] {
  const objects: ApiObject[] = [];
  if (p.generate) {
    objects.push(...renderKubeStateMetrics(scope, p, p.generate.kubeStateMetricsImage));
    if (p.generate.nodeExporterImage) objects.push(...renderNodeExporter(scope, p, p.generate.nodeExporterImage));
  }
  objects.push(renderScrapeAlerts(scope, p));
  return objects;
}

function labelsOf(p: PrerequisitesIntent, name: string) {
  const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'fleetplane-monitoring' };
  return { selector, labels: { ...p.platformLabels, ...selector } };
}

/** kube-state-metrics: read-only RBAC on the listed resources, restricted security, one replica. */
function renderKubeStateMetrics(scope: Construct, p: PrerequisitesIntent, image: string): ApiObject[] {
  const name = 'kube-state-metrics';
  const ns = p.namespace;
  const { selector, labels } = labelsOf(p, name);
  const resources = Object.values(KSM_RESOURCES).flat().sort();
  return [
    createObject(scope, 'KsmServiceAccount', k8s.KubeServiceAccount.GVK, k8s.toJson_KubeServiceAccountProps, { metadata: { name, namespace: ns, labels }, automountServiceAccountToken: false }),
    createObject(scope, 'KsmClusterRole', k8s.KubeClusterRole.GVK, k8s.toJson_KubeClusterRoleProps, {
      metadata: { name: `fleet-${name}`, labels },
      rules: Object.entries(KSM_RESOURCES).map(([group, res]) => ({ apiGroups: [group], resources: res, verbs: ['list', 'watch'] })),
    }),
    createObject(scope, 'KsmClusterRoleBinding', k8s.KubeClusterRoleBinding.GVK, k8s.toJson_KubeClusterRoleBindingProps, {
      metadata: { name: `fleet-${name}`, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `fleet-${name}` },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
    }),
    createObject(scope, 'KsmDeployment', k8s.KubeDeployment.GVK, k8s.toJson_KubeDeploymentProps, {
      metadata: { name, namespace: ns, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            // The token is mounted explicitly: the ServiceAccount opts out for every other pod.
            automountServiceAccountToken: true,
            securityContext: POD_SECURITY,
            containers: [{
              name,
              image,
              args: ['--port=8080', '--telemetry-port=8081', `--resources=${resources.join(',')}`],
              ports: [{ name: 'http-metrics', containerPort: 8080 }, { name: 'telemetry', containerPort: 8081 }],
              livenessProbe: { httpGet: { path: '/livez', port: k8s.IntOrString.fromString('http-metrics') }, initialDelaySeconds: 5, timeoutSeconds: 5 },
              readinessProbe: { httpGet: { path: '/readyz', port: k8s.IntOrString.fromString('telemetry') }, initialDelaySeconds: 5, timeoutSeconds: 5 },
              resources: renderResources(undefined, { cpu: { request: '10m', limit: '100m' }, memory: { request: '190Mi', limit: '250Mi' } }),
              securityContext: CONTAINER_SECURITY,
            }],
          },
        },
      },
    }),
    ...exporterService(scope, p, name, 'Ksm', [{ name: 'http-metrics', port: 8080 }], true),
  ];
}

/** node-exporter on every node: host network, PID namespace and read-only host paths, nothing else. */
function renderNodeExporter(scope: Construct, p: PrerequisitesIntent, image: string): ApiObject[] {
  const name = 'node-exporter';
  const { selector, labels } = labelsOf(p, name);
  const host = [['proc', '/proc', '/host/proc'], ['sys', '/sys', '/host/sys'], ['root', '/', '/host/root']];
  return [
    createObject(scope, 'NodeExporterServiceAccount', k8s.KubeServiceAccount.GVK, k8s.toJson_KubeServiceAccountProps, { metadata: { name, namespace: p.namespace, labels }, automountServiceAccountToken: false }),
    createObject(scope, 'NodeExporter', k8s.KubeDaemonSet.GVK, k8s.toJson_KubeDaemonSetProps, {
      metadata: { name, namespace: p.namespace, labels },
      spec: {
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('10%') } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            hostNetwork: true,
            hostPid: true,
            securityContext: POD_SECURITY,
            // Every node, tainted or not, is a node to watch.
            tolerations: [{ operator: 'Exists' }],
            containers: [{
              name,
              image,
              args: [
                '--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--path.rootfs=/host/root', '--web.listen-address=:9100',
                '--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run/containerd/.+|var/lib/docker/.+|var/lib/kubelet/.+)($|/)',
              ],
              ports: [{ name: 'http-metrics', containerPort: 9100, hostPort: 9100 }],
              volumeMounts: host.map(([vol, , mountPath]) => ({ name: vol, mountPath, readOnly: true, ...(vol === 'root' ? { mountPropagation: 'HostToContainer' } : {}) })),
              resources: renderResources(undefined, { cpu: { request: '100m', limit: '250m' }, memory: { request: '180Mi', limit: '180Mi' } }),
              securityContext: CONTAINER_SECURITY,
            }],
            volumes: host.map(([vol, path]) => ({ name: vol, hostPath: { path } })),
          },
        },
      },
    }),
    ...exporterService(scope, p, name, 'NodeExporter', [{ name: 'http-metrics', port: 9100 }], false),
  ];
}

/**
 * The Service (named like the job) and the ServiceMonitor the member Prometheus selects. kube-state-metrics'
 * series carry the namespace and pod they describe: `honorLabels` keeps those instead of the exporter's own.
 */
function exporterService(scope: Construct, p: PrerequisitesIntent, name: string, id: string, ports: Array<{ name: string; port: number }>, honorLabels: boolean): ApiObject[] {
  const { selector, labels } = labelsOf(p, name);
  return [
    createObject(scope, `${id}Service`, k8s.KubeService.GVK, k8s.toJson_KubeServiceProps, {
      metadata: { name, namespace: p.namespace, labels },
      spec: { selector, ports: ports.map((x) => ({ name: x.name, port: x.port, targetPort: k8s.IntOrString.fromString(x.name) })) },
    }),
    createObject(scope, `${id}ServiceMonitor`, monitoring.ServiceMonitor.GVK, monitoring.toJson_ServiceMonitorProps, {
      metadata: { name, namespace: p.namespace, labels: { ...labels, ...p.selectorLabels } },
      spec: {
        selector: { matchLabels: selector },
        namespaceSelector: { matchNames: [p.namespace] },
        endpoints: [{
          port: ports[0].name,
          interval: p.interval,
          honorLabels: honorLabels || undefined,
          // A node's series are named by the node, not by the pod IP:port.
          relabelings: honorLabels ? undefined : [{ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node', action: monitoring.ServiceMonitorSpecEndpointsRelabelingsAction.REPLACE }],
        }],
      },
    }),
  ];
}

/** Alerts that fire when an exporter the workload rules read is not scraped. */
function renderScrapeAlerts(scope: Construct, p: PrerequisitesIntent): ApiObject {
  const alert = (name: string, job: string, anchor: string, description: string) => ({
    alert: name,
    expr: monitoring.PrometheusRuleSpecGroupsRulesExpr.fromString(`absent(up{job="${job}"} == 1)`),
    for: '15m',
    // The namespace label routes them to the AlertmanagerConfigs of the monitoring namespace.
    labels: { namespace: p.namespace, severity: 'warning' },
    annotations: { summary: `${job} is not scraped in this cluster`, description, runbook_url: `${p.runbookBaseUrl}#${anchor}` },
  });
  return createObject(scope, 'PrerequisiteAlerts', monitoring.PrometheusRule.GVK, monitoring.toJson_PrometheusRuleProps, {
    metadata: { name: 'fleet-prerequisites', namespace: p.namespace, labels: { ...p.platformLabels, ...p.selectorLabels } },
    spec: {
      groups: [{
        name: 'fleet.prerequisites',
        interval: p.interval,
        rules: [
          alert('KubeStateMetricsNotScraped', p.kubeStateMetricsJob, 'kube-state-metrics-not-scraped', 'The workload alerts and panels of every app (crash loops, unavailable replicas, restarts) are computed from kube-state-metrics; without it they cannot fire.'),
          ...(p.nodeExporterJob ? [alert('NodeExporterNotScraped', p.nodeExporterJob, 'node-exporter-not-scraped', 'Node metrics (CPU, memory, disks) are missing; rules and panels built on node_* series show nothing.')] : []),
        ],
      }],
    },
  });
}
