/**
 * NetworkPolicies mirroring a meshed service's allowed callers, so traffic that bypasses the mesh is
 * blocked too: ingress to the service from its callers, and egress from each caller's namespace (whose
 * default-deny policy blocks it) to the service.
 */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { createLazyObject } from '../../core/l1';
import { ipBlockPeer, namespaceSelector } from './peers';
import { IpBlock } from '../../core/cidr';

/** Pods allowed to reach the service. */
export interface MeshPeer {
  /** Their namespace. */
  readonly namespace: string;
  /** Their pod labels; none for the whole namespace. */
  readonly podLabels?: Record<string, string>;
  /**
   * Callers outside the mesh: these namespaces of the service's cluster, and these address blocks of other
   * clusters, replace `namespace` and `podLabels`.
   * @default - none
   */
  readonly outside?: { readonly namespaces: readonly string[]; readonly blocks: readonly IpBlock[] };
}

/** A port of the service. */
export interface ServicePort {
  readonly port: number;
  readonly protocol: string;
}

/** What a service's ingress NetworkPolicy renders from. */
export interface MeshIngressIntent {
  /** Name of the app: the policy is `<app>-mesh-ingress`. */
  readonly appName: string;
  /** Namespace of the app. */
  readonly namespace: string;
  /** Labels of the policy. */
  readonly labels: Record<string, string>;
  /** Pod labels of the app. */
  readonly selector: Record<string, string>;
  /** Ports of the app. */
  readonly ports: readonly ServicePort[];
  /** The allowed callers, read at synthesis (callers are added after construction). */
  readonly peers: () => readonly MeshPeer[];
  /** Several networks: cross-network traffic arrives from the east-west gateway. */
  readonly eastWestGateway: boolean;
  /**
   * Pod CIDRs of the other clusters on this cluster's network: their callers arrive directly, seen only by address.
   * @default - none
   */
  readonly peerPodCidrs?: readonly IpBlock[];
}

/** An egress the caller's tenant opens towards the service. */
export interface CallerEgress {
  readonly name: string;
  readonly podSelector: Record<string, string>;
  readonly to: k8s.NetworkPolicyPeer[];
  readonly ports: Array<{ port: number; protocol: string }>;
}

/** The ingress NetworkPolicy of a service, rendered at synthesis. */
export function renderMeshIngressPolicy(scope: Construct, intent: MeshIngressIntent): ApiObject {
  const metadata = { name: `${intent.appName}-mesh-ingress`, namespace: intent.namespace, labels: intent.labels };
  return createLazyObject(scope, 'IngressPolicy', k8s.KubeNetworkPolicy.GVK, k8s.toJson_KubeNetworkPolicyProps, metadata, ['spec'], () => ({
    spec: {
      podSelector: { matchLabels: intent.selector },
      policyTypes: ['Ingress'],
      ingress: [{ from: peersOf(intent), ports: intent.ports.map((p) => ({ protocol: p.protocol, port: k8s.IntOrString.fromNumber(p.port) })) }],
    },
  }));
}

/** NetworkPolicy peers mirroring the allowed callers; cross-network traffic arrives from the east-west gateway. */
function peersOf(intent: MeshIngressIntent): k8s.NetworkPolicyPeer[] {
  const peers: k8s.NetworkPolicyPeer[] = intent.peers().flatMap((p) => (p.outside
    ? [...p.outside.namespaces.map((ns) => ({ namespaceSelector: namespaceSelector(ns) })), ...p.outside.blocks.map(ipBlockPeer)]
    : [{ namespaceSelector: namespaceSelector(p.namespace), ...(p.podLabels ? { podSelector: { matchLabels: p.podLabels } } : {}) }]));
  // On a flat network callers in other clusters are seen by address; the AuthorizationPolicy still checks who they are.
  const flat: k8s.NetworkPolicyPeer[] = peers.length > 0 ? (intent.peerPodCidrs ?? []).map(ipBlockPeer) : [];
  if (intent.eastWestGateway) peers.push({ namespaceSelector: namespaceSelector('istio-system'), podSelector: { matchLabels: { istio: 'eastwestgateway' } } });
  return [...peers, ...flat];
}

/** What a caller needs to reach a service. */
export interface CallerEgressIntent {
  /** The calling app (its name and pod labels); none when the whole tenant calls. */
  readonly caller?: { readonly name: string; readonly selector: Record<string, string> };
  /** The service's namespace. */
  readonly namespace: string;
  /** The service's app name. */
  readonly appName: string;
  /** Pod labels of the service. */
  readonly selector: Record<string, string>;
  /** Ports of the service. */
  readonly ports: readonly ServicePort[];
  /** Whether the caller is in the service's namespace, where allow-same-namespace covers local pods. */
  readonly sameNamespace?: boolean;
  /** Pod CIDRs of the service's clusters that the caller reaches directly (flat network). */
  readonly remotePodCidrs?: readonly IpBlock[];
}

/** The egress a caller's namespace needs towards a service, since it denies egress by default. */
export function callerEgress(intent: CallerEgressIntent): CallerEgress {
  return {
    name: `${intent.caller?.name ?? 'all'}-to-${intent.namespace}-${intent.appName}`.slice(0, 63).replace(/-+$/, ''),
    podSelector: intent.caller?.selector ?? {},
    to: [
      ...(intent.sameNamespace ? [] : [{ namespaceSelector: namespaceSelector(intent.namespace), podSelector: { matchLabels: intent.selector } }]),
      ...(intent.remotePodCidrs ?? []).map(ipBlockPeer),
    ],
    ports: intent.ports.map((p) => ({ port: p.port, protocol: p.protocol })),
  };
}
