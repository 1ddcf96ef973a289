// Helpers for the reachability model tests: manifests of the upstream netpol e2e topology (namespaces x, y, z;
// pods a, b, c serving 80 and 81 over TCP, UDP and SCTP) and a truth table compared pair by pair.
import { evaluatePath, FleetManifests, FleetNetworks } from '../../analysis/reachability';
import { ClusterNetwork, LabelSelector } from '../../analysis/types';

export const CLUSTER = 'c1';
export const POD_CIDR = '10.0.0.0/16';
export const NETWORKS: FleetNetworks = { [CLUSTER]: { podCidrs: [POD_CIDR], network: 'n1' } };
const NAMESPACES = ['x', 'y', 'z'];

/** A deterministic address per pod: x/a = 10.0.1.1, y/b = 10.0.2.2, ... */
export function podIp(pod: string): string {
  const [ns, name] = pod.split('/');
  return `10.0.${NAMESPACES.indexOf(ns) + 1}.${name.charCodeAt(0) - 96}`;
}

export function namespace(name: string, labels: Record<string, string> = {}): object {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

/** A pod as the e2e suite deploys it: label pod=<name>, one container per port and protocol, named serve-<port>-<proto>. */
export function pod(ref: string, labels: Record<string, string> = {}): object {
  const [ns, name] = ref.split('/');
  const ports = [80, 81].flatMap((p) => ['TCP', 'UDP', 'SCTP'].map((proto) => ({ name: `serve-${p}-${proto.toLowerCase()}`, containerPort: p, protocol: proto })));
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { pod: name, ...labels } }, spec: { containers: [{ name: 'c', image: 'agnhost', ports }] } };
}

export interface Rules {
  readonly ingress?: object[];
  readonly egress?: object[];
}

/** Like upstream's GenNetworkPolicy helpers: each rule list given adds its policy type. */
export function netpol(ns: string, name: string, podSelector: LabelSelector, rules: Rules): object {
  const policyTypes = [...(rules.ingress ? ['Ingress'] : []), ...(rules.egress ? ['Egress'] : [])];
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec: { podSelector, policyTypes, ...rules } };
}

/** The cluster's manifests: namespaces x, y, z, the pods, and the given objects. */
export function world(pods: readonly string[], objects: readonly object[], podLabels: Record<string, Record<string, string>> = {}): FleetManifests {
  return { [CLUSTER]: [...NAMESPACES.map((n) => namespace(n)), ...pods.map((p) => pod(p, podLabels[p])), ...objects] };
}

export function labelsOf(manifests: FleetManifests, ref: string): Record<string, string> {
  const [ns, name] = ref.split('/');
  const found = (manifests[CLUSTER] as Array<{ kind: string; metadata: { name: string; namespace: string; labels: Record<string, string> } }>)
    .find((o) => o.kind === 'Pod' && o.metadata.namespace === ns && o.metadata.name === name);
  return found!.metadata.labels;
}

interface Peer {
  readonly namespace?: string;
  readonly pod?: string;
}

/** Upstream's Reachability: a default for every pair, then expectations narrowing it (loopback ignored). */
export class Reachability {
  private readonly table = new Map<string, boolean>();
  constructor(private readonly pods: readonly string[], defaultValue: boolean) {
    for (const a of pods) for (const b of pods) if (a !== b) this.table.set(`${a} -> ${b}`, defaultValue);
  }

  public expectPeer(from: Peer, to: Peer, value: boolean): this {
    const hit = (p: string, peer: Peer) => (!peer.namespace || p.split('/')[0] === peer.namespace) && (!peer.pod || p.split('/')[1] === peer.pod);
    for (const a of this.pods) for (const b of this.pods) if (a !== b && hit(a, from) && hit(b, to)) this.table.set(`${a} -> ${b}`, value);
    return this;
  }

  public expectAllIngress(to: string, value: boolean): this {
    return this.expectPeer({}, { namespace: to.split('/')[0], pod: to.split('/')[1] }, value);
  }

  public expectAllEgress(from: string, value: boolean): this {
    return this.expectPeer({ namespace: from.split('/')[0], pod: from.split('/')[1] }, {}, value);
  }

  public expect(from: string, to: string, value: boolean): this {
    if (from !== to) this.table.set(`${from} -> ${to}`, value);
    return this;
  }

  public expected(): Map<string, boolean> {
    return this.table;
  }
}

/** Probes every pair with the model; returns the pairs whose answer differs from the expectation. */
export function mismatches(manifests: FleetManifests, reach: Reachability, port: number, protocol = 'TCP', networks: FleetNetworks = NETWORKS): string[] {
  const out: string[] = [];
  for (const [pair, want] of reach.expected()) {
    const [a, b] = pair.split(' -> ');
    const from = { cluster: CLUSTER, namespace: a.split('/')[0], labels: labelsOf(manifests, a), meshed: false, ip: podIp(a) };
    const to = { cluster: CLUSTER, namespace: b.split('/')[0], labels: labelsOf(manifests, b), meshed: false, ip: podIp(b), port, protocol };
    const got = evaluatePath(manifests, networks, { from, to, mtls: false });
    if (got.allowed !== want) out.push(`${pair} ${protocol}/${port}: expected ${want}, got ${got.allowed} (${got.reason})`);
  }
  return out;
}

/** Two clusters for cross-cluster cases. */
export function twoClusters(sameNetwork: boolean, gateway?: ClusterNetwork['eastWestGateway']): FleetNetworks {
  return {
    east: { podCidrs: ['10.1.0.0/16'], network: 'net-east' },
    west: { podCidrs: ['10.2.0.0/16'], network: sameNetwork ? 'net-east' : 'net-west', eastWestGateway: gateway },
  };
}
