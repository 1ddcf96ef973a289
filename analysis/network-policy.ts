/**
 * Kubernetes NetworkPolicy (networking.k8s.io/v1) semantics, as upstream defines them: a pod is isolated for a
 * direction only when some policy selecting it has that policy type; policies are additive; a rule admits a
 * connection when one of its peers and one of its ports match.
 */
import { nameOf, namespaceOf, sortedInNamespaces } from './manifests';
import { addressInBlock, PeerAddress, selectorMatches } from './selectors';
import { ContainerPort, DecidingObject, LabelSelector, Manifest, Verdict } from './types';

/** Ingress is checked on the destination pod, egress on the source pod. */
export type PolicyDirection = 'Ingress' | 'Egress';

interface IpBlock {
  readonly cidr: string;
  readonly except?: readonly string[];
}

interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IpBlock;
}

interface NetworkPolicyPort {
  readonly protocol?: string;
  readonly port?: number | string;
  readonly endPort?: number;
}

interface NetworkPolicyRule {
  readonly from?: readonly NetworkPolicyPeer[];
  readonly to?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

interface NetworkPolicySpec {
  readonly podSelector?: LabelSelector;
  readonly policyTypes?: readonly string[];
  readonly ingress?: readonly NetworkPolicyRule[];
  readonly egress?: readonly NetworkPolicyRule[];
}

/** The pod a side's policies are about: the destination for ingress, the source for egress. */
export interface PolicySubject {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The other end of the connection as the subject's cluster sees it. A pod of the same cluster has `pod`;
 * a pod of another cluster, a gateway address or any other address has only `address`, so only ipBlock
 * peers can match it.
 */
export interface NetworkPeer {
  readonly pod?: {
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly namespaceLabels: Readonly<Record<string, string>>;
  };
  readonly address?: PeerAddress;
  /** For reasons, e.g. `pod b/api` or `10.2.0.0/16 (cluster east)`. */
  readonly description: string;
}

/** The connection's destination port. */
export interface PolicyConnection {
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: string;
  /** Container ports of the destination pod, to resolve named ports; empty when the destination is an address. */
  readonly destinationPorts: readonly ContainerPort[];
}

/** Policy types of a policy, with upstream defaulting: Ingress always, Egress when it has egress rules. */
export function policyTypesOf(spec: NetworkPolicySpec): string[] {
  if (spec.policyTypes && spec.policyTypes.length > 0) return [...spec.policyTypes];
  return (spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** Whether one peer of a rule matches; pod and namespace selectors together must both match (AND). */
function peerMatches(peer: NetworkPolicyPeer, peerOf: NetworkPeer, policyNamespace: string): boolean {
  if (peer.ipBlock) return !!peerOf.address && addressInBlock(peerOf.address, peer.ipBlock.cidr, peer.ipBlock.except);
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  const pod = peerOf.pod;
  if (!pod) return false;
  const namespaceOk = peer.namespaceSelector ? selectorMatches(peer.namespaceSelector, pod.namespaceLabels) : pod.namespace === policyNamespace;
  return namespaceOk && (!peer.podSelector || selectorMatches(peer.podSelector, pod.labels));
}

/** Whether one port entry matches: protocol (default TCP), number, endPort range, or a named container port. */
function portMatches(entry: NetworkPolicyPort, conn: PolicyConnection): boolean {
  const protocol = (entry.protocol ?? 'TCP').toUpperCase();
  if (protocol !== (conn.protocol ?? 'TCP').toUpperCase()) return false;
  if (entry.port === undefined) return true;
  if (typeof entry.port === 'number') {
    return entry.endPort !== undefined ? entry.port <= conn.port && conn.port <= entry.endPort : entry.port === conn.port;
  }
  return conn.destinationPorts.some((p) => p.name === entry.port && p.containerPort === conn.port && (p.protocol ?? 'TCP').toUpperCase() === protocol);
}

type RuleOutcome = 'match' | 'peer-only' | 'none';

/** How a rule fares: it admits, its peers match but not its ports, or its peers do not match. */
function ruleOutcome(rule: NetworkPolicyRule, direction: PolicyDirection, peer: NetworkPeer, conn: PolicyConnection, policyNamespace: string): RuleOutcome {
  const peers = direction === 'Ingress' ? rule.from : rule.to;
  // A missing or empty peer list means every source (or destination), addresses included.
  const peerOk = !peers || peers.length === 0 || peers.some((p) => peerMatches(p, peer, policyNamespace));
  if (!peerOk) return 'none';
  const portOk = !rule.ports || rule.ports.length === 0 || rule.ports.some((p) => portMatches(p, conn));
  return portOk ? 'match' : 'peer-only';
}

function describeConnection(conn: PolicyConnection): string {
  return `${(conn.protocol ?? 'TCP').toUpperCase()}/${conn.port}`;
}

/** NetworkPolicies of a namespace that select the subject. */
export function policiesSelecting(manifests: readonly object[], subject: PolicySubject): Manifest[] {
  return sortedInNamespaces(manifests, 'NetworkPolicy', ['networking.k8s.io'], [subject.namespace], 'name')
    .filter((p) => selectorMatches((p.spec as NetworkPolicySpec | undefined)?.podSelector ?? {}, subject.labels));
}

/** The rules of a policy for one direction. */
function rulesFor(policy: Manifest, direction: PolicyDirection): readonly NetworkPolicyRule[] {
  const spec = (policy.spec ?? {}) as NetworkPolicySpec;
  return (direction === 'Ingress' ? spec.ingress : spec.egress) ?? [];
}

function reference(policy: Manifest, rule?: string): DecidingObject {
  return { kind: 'NetworkPolicy', namespace: namespaceOf(policy), name: nameOf(policy), rule };
}

/**
 * Decides one side of a connection: ingress into the subject (destination) or egress out of it (source),
 * from the NetworkPolicies of the subject's cluster.
 */
export function evaluateNetworkPolicies(manifests: readonly object[], direction: PolicyDirection, subject: PolicySubject, peer: NetworkPeer, conn: PolicyConnection): Verdict {
  const isolating = policiesSelecting(manifests, subject).filter((p) => policyTypesOf((p.spec ?? {}) as NetworkPolicySpec).includes(direction));
  const where = `${direction.toLowerCase()} ${direction === 'Ingress' ? 'from' : 'to'} ${peer.description} on ${describeConnection(conn)}`;
  if (isolating.length === 0) {
    return { allowed: true, reason: `${where}: the pod is not isolated for ${direction.toLowerCase()} (no NetworkPolicy selecting it has policyType ${direction})` };
  }
  const nearMisses: string[] = [];
  for (const policy of isolating) {
    const rules = rulesFor(policy, direction);
    const key = direction === 'Ingress' ? 'ingress' : 'egress';
    for (let i = 0; i < rules.length; i++) {
      const outcome = ruleOutcome(rules[i], direction, peer, conn, namespaceOf(policy));
      if (outcome === 'match') return { allowed: true, decidedBy: reference(policy, `${key}[${i}]`), reason: `${where}: admitted by NetworkPolicy ${namespaceOf(policy)}/${nameOf(policy)} ${key}[${i}]` };
      if (outcome === 'peer-only') nearMisses.push(`${nameOf(policy)} ${key}[${i}] admits the peer but not ${describeConnection(conn)}`);
    }
  }
  const addressOnly = peer.pod ? '' : '; the peer is seen only by its address, so only ipBlock peers can match it';
  const hints = nearMisses.length > 0 ? `; ${nearMisses.join('; ')}` : '';
  // Name the policy that only isolates (a default-deny) when there is one: it is what blocks.
  return {
    allowed: false,
    decidedBy: reference(isolating.find((p) => rulesFor(p, direction).length === 0) ?? isolating[0]),
    reason: `${where}: denied; the pod is isolated for ${direction.toLowerCase()} by ${isolating.map((p) => `${namespaceOf(p)}/${nameOf(p)}`).join(', ')} and no rule admits it${addressOnly}${hints}`,
  };
}
