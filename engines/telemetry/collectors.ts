/**
 * The collectors of platform telemetry, run by the OpenTelemetry operator: in every member a node agent
 * (DaemonSet) and a gateway (Deployment) in the telemetry namespace; in the global cluster, with the gateway tier,
 * the global gateway and the ServiceExport that makes its clusterset name resolve. They differ per cluster, so
 * they go to each member's own output.
 */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { createLazyObject, createObject } from '../../core/l1';
import * as mcs from '../../imports/multicluster.x-k8s.io';
import type * as Otel from '../../imports/opentelemetry.io';
import { CollectorConfig } from './config';

/** The collector names; the operator names each Service `<name>-collector`. */
export const AGENT = 'otel-agent';
export const GATEWAY = 'otel-gateway';
export const GLOBAL_GATEWAY = 'otel-global';

/** The operator's Service (and pod `app.kubernetes.io/name` label) of a collector. */
export function collectorService(name: string): string {
  return `${name}-collector`;
}

/** The OpenTelemetry operator bindings, loaded on first use: only platforms with telemetry need them. */
export function otel(): typeof Otel {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../imports/opentelemetry.io') as typeof Otel;
}

/** What every collector of the platform shares. */
export interface CollectorSettings {
  readonly labels: Record<string, string>;
  readonly image: string;
}

/** One member's collectors. */
export interface MemberCollectorsIntent extends CollectorSettings {
  readonly namespace: string;
  readonly gatewayReplicas: number;
  /** Rendered at synthesis: apps add their log files after the platform is built. */
  readonly agentConfig: () => CollectorConfig;
  readonly gatewayConfig: () => CollectorConfig;
}

/** The global gateway. */
export interface GlobalCollectorIntent extends CollectorSettings {
  readonly namespace: string;
  readonly replicas: number;
  readonly config: () => CollectorConfig;
}

const RESTRICTED_CONTAINER = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
const RESOURCES = { requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('256Mi') }, limits: { memory: k8s.Quantity.fromString('512Mi') } };

/** The telemetry namespace, the agent's RBAC, the agent and the gateway. */
export function renderMemberCollectors(scope: Construct, m: MemberCollectorsIntent): { agent: ApiObject; gateway: ApiObject; objects: ApiObject[] } {
  const o = otel();
  const ns = m.namespace;
  const objects = [renderNamespace(scope, m.labels, ns, true), ...renderAgentRbac(scope, m.labels, ns)];
  const agent = createLazyObject(scope, 'Agent', o.OpenTelemetryCollector.GVK, o.toJson_OpenTelemetryCollectorProps, { name: AGENT, namespace: ns, labels: m.labels }, ['spec'], () => ({
    spec: {
      mode: o.OpenTelemetryCollectorSpecMode.DAEMONSET,
      image: m.image,
      serviceAccount: AGENT,
      config: m.agentConfig(),
      // Pods send to an agent near them (k8sattributes still knows every pod of the cluster).
      trafficDistribution: 'PreferClose',
      // Container logs are root-owned files on the node: read-only hostPath, run as root without capabilities.
      volumes: [{ name: 'varlogpods', hostPath: { path: '/var/log/pods', type: 'Directory' } }],
      volumeMounts: [{ name: 'varlogpods', mountPath: '/var/log/pods', readOnly: true }],
      podSecurityContext: { runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: RESTRICTED_CONTAINER,
      tolerations: [{ operator: 'Exists' }],
      resources: RESOURCES as any,
    },
  }));
  const gateway = createLazyObject(scope, 'Gateway', o.OpenTelemetryCollector.GVK, o.toJson_OpenTelemetryCollectorProps, { name: GATEWAY, namespace: ns, labels: m.labels }, ['spec'], () => ({
    spec: { mode: o.OpenTelemetryCollectorSpecMode.DEPLOYMENT, replicas: m.gatewayReplicas, image: m.image, config: m.gatewayConfig(), ...nonRootPod() },
  }));
  objects.push(agent, gateway);
  return { agent, gateway, objects };
}

/** The global gateway, its namespace and the ServiceExport of its Service. */
export function renderGlobalCollector(scope: Construct, g: GlobalCollectorIntent): ApiObject[] {
  const o = otel();
  return [
    renderNamespace(scope, g.labels, g.namespace, false),
    createLazyObject(scope, 'GlobalGateway', o.OpenTelemetryCollector.GVK, o.toJson_OpenTelemetryCollectorProps, { name: GLOBAL_GATEWAY, namespace: g.namespace, labels: g.labels }, ['spec'], () => ({
      spec: { mode: o.OpenTelemetryCollectorSpecMode.DEPLOYMENT, replicas: g.replicas, image: g.image, config: g.config(), ...nonRootPod() },
    })),
    // Members reach otel-global-collector.<ns>.svc.clusterset.local only when the Service is exported (mcs-api).
    createObject(scope, 'GlobalGatewayExport', mcs.ServiceExport.GVK, mcs.toJson_ServiceExportProps, {
      metadata: { name: collectorService(GLOBAL_GATEWAY), namespace: g.namespace, labels: { ...g.labels } },
    }),
  ];
}

function nonRootPod() {
  return {
    podSecurityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    securityContext: RESTRICTED_CONTAINER,
    resources: RESOURCES as any,
  };
}

function renderNamespace(scope: Construct, labels: Record<string, string>, name: string, agent: boolean): ApiObject {
  return createObject(scope, 'Namespace', k8s.KubeNamespace.GVK, k8s.toJson_KubeNamespaceProps, {
    metadata: {
      name,
      labels: {
        ...labels,
        // Rule 7: the node agent reads container logs from a hostPath as root; say so explicitly.
        'pod-security.kubernetes.io/enforce': agent ? 'privileged' : 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    },
  });
}

/** k8sattributes reads pods, namespaces and ReplicaSets (for the Deployment name) from the API server. */
function renderAgentRbac(scope: Construct, labels: Record<string, string>, namespace: string): ApiObject[] {
  return [
    createObject(scope, 'AgentServiceAccount', k8s.KubeServiceAccount.GVK, k8s.toJson_KubeServiceAccountProps, { metadata: { name: AGENT, namespace, labels } }),
    createObject(scope, 'AgentClusterRole', k8s.KubeClusterRole.GVK, k8s.toJson_KubeClusterRoleProps, {
      metadata: { name: `${namespace}-${AGENT}`, labels },
      rules: [
        { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
      ],
    }),
    createObject(scope, 'AgentClusterRoleBinding', k8s.KubeClusterRoleBinding.GVK, k8s.toJson_KubeClusterRoleBindingProps, {
      metadata: { name: `${namespace}-${AGENT}`, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${namespace}-${AGENT}` },
      subjects: [{ kind: 'ServiceAccount', name: AGENT, namespace }],
    }),
  ];
}
