/**
 * A tenant namespace's NetworkPolicies: deny everything by default, then allow DNS, traffic inside the
 * namespace, Prometheus scrapes, the sidecars' istiod connection, and the egress other constructs open.
 */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { createLazyObject, createObject } from '../../core/l1';
import { ipBlockPeer, namespaceSelector } from './peers';
import { IpBlock } from '../../core/cidr';

/** Where a tenant's policies go. */
export interface TenantNamespace {
  /** The tenant's namespace. */
  readonly namespace: string;
  /** Labels of every policy. */
  readonly labels: Record<string, string>;
}

/** What a tenant's baseline policies render from. */
export interface TenantNetworkIntent extends TenantNamespace {
  /** Namespace of the platform's Prometheus, when it scrapes the tenant. */
  readonly prometheusNamespace?: string;
  /** The tenant is in the mesh: its sidecars reach istiod. */
  readonly istiod?: {
    /**
     * East-west gateway addresses of the primaries whose istiod this policy's remote clusters use: a remote's
     * sidecars reach istiod through them, addresses outside the cluster.
     */
    readonly remoteGateways: readonly string[];
  };
  /**
   * Addresses (IPv4 or CIDR) of the east-west gateways of the mesh clusters, when the mesh spans networks:
   * sidecars send cross-network requests to them on 15443.
   */
  readonly eastWestGateways?: readonly IpBlock[];
  /**
   * Names of the tenant's apps with an allow-list, read at synthesis: `allow-same-namespace` leaves them out.
   * @default - none
   */
  readonly allowListed?: () => readonly string[];
  /** Platform telemetry: the pods send OTLP (and their proxies spans) to the node agent on 4317 and 4318. */
  readonly telemetryAgent?: {
    readonly namespace: string;
    /** Pod labels of the agent. */
    readonly podLabels: Record<string, string>;
  };
}

/**
 * The pods `allow-same-namespace` applies to: all of them, or, once some apps have allow-lists, every pod but
 * theirs (it would void the lists).
 */
function sameNamespaceSelector(allowListed: readonly string[]): k8s.LabelSelector {
  return allowListed.length ? { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'NotIn', values: [...allowListed] }] } : {};
}

/** An egress a tenant opens from (some of) its pods. */
export interface EgressRule {
  /** Policy name. */
  readonly name: string;
  /** Pod labels of the pods allowed out; empty for all. */
  readonly podSelector: Record<string, string>;
  /** Where they may go. */
  readonly to: k8s.NetworkPolicyPeer | readonly k8s.NetworkPolicyPeer[];
  /** On these ports. */
  readonly ports: ReadonlyArray<{ port: number; protocol: string }>;
}

/** default-deny, allow-dns, allow-same-namespace, then allow-prometheus and allow-istiod when they apply. */
export function renderTenantNetworkPolicies(scope: Construct, intent: TenantNetworkIntent): ApiObject[] {
  const policy = (id: string, name: string, spec: k8s.NetworkPolicySpec) =>
    createObject(scope, id, k8s.KubeNetworkPolicy.GVK, k8s.toJson_KubeNetworkPolicyProps, {
      metadata: { name, namespace: intent.namespace, labels: intent.labels },
      spec,
    });
  const policies = [
    policy('DefaultDeny', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('AllowDns', 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: namespaceSelector('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [
          { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
          { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
        ],
      }],
    }),
    // Rendered at synthesis: apps declare their allow-lists after the tenant is built.
    createLazyObject(scope, 'AllowSameNamespace', k8s.KubeNetworkPolicy.GVK, k8s.toJson_KubeNetworkPolicyProps, { name: 'allow-same-namespace', namespace: intent.namespace, labels: intent.labels }, ['spec'], () => ({
      spec: {
        podSelector: sameNamespaceSelector(intent.allowListed?.() ?? []),
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }],
      },
    })),
  ];
  if (intent.prometheusNamespace !== undefined) {
    // Default-deny would also stop Prometheus from scraping the tenant's pods.
    policies.push(policy('AllowPrometheus', 'allow-prometheus', {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: namespaceSelector(intent.prometheusNamespace), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }] }],
    }));
  }
  if (intent.istiod) {
    // Rule 12: sidecars must reach istiod for configuration and certificates.
    policies.push(policy('AllowIstiod', 'allow-istiod', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [
          { namespaceSelector: namespaceSelector('istio-system'), podSelector: { matchLabels: { app: 'istiod' } } },
          // Remote clusters reach a primary's istiod through its east-west gateway, an address outside the cluster.
          ...intent.istiod.remoteGateways.map((a) => ({ ipBlock: { cidr: `${a}/32` } })),
        ],
        ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(15012) }],
      }],
    }));
  }
  if (intent.eastWestGateways?.length) {
    // Cross-network calls leave through the remote cluster's east-west gateway, an address outside the cluster.
    policies.push(policy('AllowEastWest', 'allow-east-west', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: intent.eastWestGateways.map(ipBlockPeer),
        ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(15443) }],
      }],
    }));
  }
  if (intent.telemetryAgent) policies.push(policy('AllowTelemetry', 'allow-telemetry', telemetryEgress(intent.telemetryAgent)));
  return policies;
}

/** Every pod (and its proxy) may send OTLP to the platform's node agent, on gRPC and HTTP. */
function telemetryEgress(agent: NonNullable<TenantNetworkIntent['telemetryAgent']>): k8s.NetworkPolicySpec {
  return {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [{
      to: [{ namespaceSelector: namespaceSelector(agent.namespace), podSelector: { matchLabels: agent.podLabels } }],
      ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(4317) }, { protocol: 'TCP', port: k8s.IntOrString.fromNumber(4318) }],
    }],
  };
}

/** An egress policy of the tenant, created with the id `Egress-<name>`. */
export function renderEgressPolicy(scope: Construct, where: TenantNamespace, rule: EgressRule): ApiObject {
  return createObject(scope, `Egress-${rule.name}`, k8s.KubeNetworkPolicy.GVK, k8s.toJson_KubeNetworkPolicyProps, {
    metadata: { name: rule.name, namespace: where.namespace, labels: where.labels },
    spec: {
      podSelector: { matchLabels: Object.keys(rule.podSelector).length ? rule.podSelector : undefined },
      policyTypes: ['Egress'],
      egress: [{ to: Array.isArray(rule.to) ? [...rule.to] : [rule.to as k8s.NetworkPolicyPeer], ports: rule.ports.map((p) => ({ protocol: p.protocol, port: k8s.IntOrString.fromNumber(p.port) })) }],
    },
  });
}
