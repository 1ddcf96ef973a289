/**
 * The telemetry namespaces deny by default, like tenant namespaces, and admit exactly the collector paths: pods
 * of every namespace to the node agent, the agent to its gateway and the API server, the gateway to the global
 * gateway or the backends, and Prometheus to the collectors' metrics.
 */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { createObject } from '../../core/l1';
import { AGENT, GATEWAY, GLOBAL_GATEWAY, collectorService } from './collectors';
import { METRICS_PORT } from './config';

/** What a telemetry namespace's policies render from. */
export interface TelemetryPolicyIntent {
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The member namespace (agent and gateway), or the global gateway's. */
  readonly tier: 'member' | 'global';
  /** Ports the exporting collector reaches outside the cluster (backends, or the global gateway's 4317). */
  readonly egressPorts: readonly number[];
  /** Global tier: CIDRs the members' gateways come from (each member's declared pod CIDR). */
  readonly memberCidrs?: readonly string[];
  /** Namespace of the platform's Prometheus, when it scrapes the collectors. */
  readonly prometheusNamespace?: string;
}

const pods = (name: string) => ({ matchLabels: { 'app.kubernetes.io/name': collectorService(name) } });
const ns = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });
const tcp = (...ports: number[]) => ports.map((p) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(p) }));
const anywhere = [{ ipBlock: { cidr: '0.0.0.0/0' } }];

/** default-deny and allow-dns, then the collector paths of the tier. */
export function renderTelemetryPolicies(scope: Construct, t: TelemetryPolicyIntent): ApiObject[] {
  const policy = (id: string, name: string, spec: k8s.NetworkPolicySpec) =>
    createObject(scope, id, k8s.KubeNetworkPolicy.GVK, k8s.toJson_KubeNetworkPolicyProps, { metadata: { name, namespace: t.namespace, labels: t.labels }, spec });
  const exporting = t.tier === 'global' ? GLOBAL_GATEWAY : GATEWAY;
  const policies = [
    policy('DefaultDeny', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('AllowDns', 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: ns('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, ...tcp(53)] }],
    }),
  ];
  if (t.tier === 'member') {
    policies.push(
      // Every pod of the cluster sends OTLP to its node agent (istio-proxy spans included).
      policy('AgentIngress', `${AGENT}-ingress`, { podSelector: pods(AGENT), policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }], ports: tcp(4317, 4318) }] }),
      policy('AgentEgress', `${AGENT}-egress`, {
        podSelector: pods(AGENT),
        policyTypes: ['Egress'],
        egress: [
          { to: [{ podSelector: pods(GATEWAY) }], ports: tcp(4317) },
          // k8sattributes watches pods through the API server, an address outside the pod network.
          { to: anywhere, ports: tcp(443, 6443) },
        ],
      }),
      policy('GatewayIngress', `${GATEWAY}-ingress`, { podSelector: pods(GATEWAY), policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: pods(AGENT) }], ports: tcp(4317) }] }),
    );
  } else {
    const from = (t.memberCidrs ?? []).map((cidr) => ({ ipBlock: { cidr } }));
    policies.push(policy('GlobalIngress', `${GLOBAL_GATEWAY}-ingress`, { podSelector: pods(GLOBAL_GATEWAY), policyTypes: ['Ingress'], ingress: [{ from, ports: tcp(4317) }] }));
  }
  policies.push(policy('ExportEgress', `${exporting}-egress`, { podSelector: pods(exporting), policyTypes: ['Egress'], egress: [{ to: anywhere, ports: tcp(...t.egressPorts) }] }));
  if (t.prometheusNamespace !== undefined) {
    policies.push(policy('AllowPrometheus', 'allow-prometheus', {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: ns(t.prometheusNamespace), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }], ports: tcp(METRICS_PORT) }],
    }));
  }
  return policies;
}

/** The port of an endpoint URL (80 or 443 by scheme when none is written). */
export function endpointPort(endpoint: string): number {
  const m = /^([a-z]+):\/\/(?:\[[^\]]*\]|[^/:]+)(?::(\d+))?/.exec(endpoint);
  if (m?.[2]) return Number(m[2]);
  return m?.[1] === 'http' ? 80 : 443;
}
