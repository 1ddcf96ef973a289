/**
 * Reachability of one pod from another across a fleet, decided from synthesized manifests alone: the caller's
 * Sidecar scope, the route (same cluster, same network, or through the destination's east-west gateway), the
 * NetworkPolicies of every pod on the way (egress where a pod sends, ingress where it receives, each in its own
 * cluster), then the destination's PeerAuthentication and AuthorizationPolicies.
 */
import { evaluateAuthorization } from './istio-authz';
import { completeEndpoint, containerPortsOf, namespaceLabels, resolvePort, serviceFor, ServiceFront } from './manifests';
import { evaluateNetworkPolicies, NetworkPeer, PolicyConnection, PolicyDirection, PolicySubject } from './network-policy';
import { evaluatePeerAuthentication } from './peer-authentication';
import { addressWithout, podAddress, PeerAddress } from './selectors';
import { evaluateSidecarScope } from './sidecar-scope';
import { ClusterNetwork, ContainerPort, DecidingObject, MeshOptions, PodEndpoint, ReachabilityPath, Verdict } from './types';

/** Synthesized objects per cluster name. */
export type FleetManifests = Readonly<Record<string, readonly object[]>>;

/** How each cluster is wired, by cluster name. */
export type FleetNetworks = Readonly<Record<string, ClusterNetwork>>;

/** What a hop checks. */
export type HopKind = 'sidecar-egress' | 'route' | 'network-egress' | 'network-ingress' | 'peer-authentication' | 'authorization';

/** One check on the way from the caller to the destination. */
export interface Hop extends Verdict {
  readonly kind: HopKind;
  /** Cluster whose manifests decide the hop. */
  readonly cluster: string;
  /** What the hop is about, e.g. `shop/web -> 10.2.0.0/16:8080`. */
  readonly subject: string;
}

/** The answer for one path. */
export interface PathResult {
  readonly allowed: boolean;
  /** Every check, in the order the connection meets them. */
  readonly hops: readonly Hop[];
  /** The object that blocks the path (the first blocking hop's), or the one that finally admits it. */
  readonly decidedBy?: DecidingObject;
  readonly reason: string;
}

/** One row of a reachability matrix. */
export interface MatrixEntry {
  /** `cluster/namespace/app -> cluster/namespace/app:port`. */
  readonly label: string;
  readonly path: ReachabilityPath;
  readonly result: PathResult;
}

interface Context {
  readonly manifests: FleetManifests;
  readonly networks: FleetNetworks;
  readonly root: string;
  readonly trustDomain: string;
  readonly clusterDomain: string;
  readonly meshPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  readonly customVerdict: 'allow' | 'deny';
}

/** The destination with its port resolved. */
interface Destination {
  readonly pod: PodEndpoint;
  readonly port: number;
  readonly protocol: string;
  readonly ports: readonly ContainerPort[];
  readonly service?: ServiceFront;
}

/** A pod on the way: the caller, the destination, or the east-west gateway pod. */
interface WayPod {
  readonly cluster: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ip?: string;
}

function objectsOf(ctx: Context, cluster: string): readonly object[] {
  return ctx.manifests[cluster] ?? [];
}

function describePod(p: WayPod): string {
  const app = p.labels['app.kubernetes.io/name'] ?? p.labels.app ?? Object.entries(p.labels).map(([k, v]) => `${k}=${v}`).join(',');
  return `${p.cluster}/${p.namespace}/${app || '*'}`;
}

function addressOf(ctx: Context, p: WayPod): PeerAddress | undefined {
  return podAddress(p.ip, ctx.networks[p.cluster]?.podCidrs, p.cluster);
}

/** How `seen` appears to NetworkPolicies in `viewer`'s cluster: a pod there, or only an address elsewhere. */
function peerAsSeenFrom(ctx: Context, viewerCluster: string, seen: WayPod): NetworkPeer {
  const address = addressOf(ctx, seen);
  if (seen.cluster !== viewerCluster) return { address, description: `${describePod(seen)} at ${address?.description ?? 'an unknown address'}` };
  const pod = { namespace: seen.namespace, labels: seen.labels, namespaceLabels: namespaceLabels(objectsOf(ctx, seen.cluster), seen.namespace) };
  return { pod, address, description: `pod ${describePod(seen)}` };
}

function withCluster(v: Verdict, cluster: string): Verdict {
  return v.decidedBy ? { ...v, decidedBy: { ...v.decidedBy, cluster } } : v;
}

/** One NetworkPolicy side: egress out of `subject` or ingress into it, in the subject's cluster. */
function networkHop(ctx: Context, direction: PolicyDirection, subject: WayPod, peer: NetworkPeer, conn: PolicyConnection): Hop {
  const policySubject: PolicySubject = { namespace: subject.namespace, labels: subject.labels };
  const verdict = evaluateNetworkPolicies(objectsOf(ctx, subject.cluster), direction, policySubject, peer, conn);
  const arrow = direction === 'Egress' ? `${describePod(subject)} -> ${peer.description}` : `${peer.description} -> ${describePod(subject)}`;
  return { kind: direction === 'Egress' ? 'network-egress' : 'network-ingress', cluster: subject.cluster, subject: `${arrow}:${conn.port}`, ...withCluster(verdict, subject.cluster) };
}

/** Both NetworkPolicy sides of one leg between two pods (or a pod and an address). */
function legHops(ctx: Context, from: WayPod, to: WayPod | { address: PeerAddress | undefined; label: string }, port: number, protocol: string, toPorts: readonly ContainerPort[]): Hop[] {
  if (!('cluster' in to)) {
    const peer: NetworkPeer = { address: to.address, description: to.label };
    return [networkHop(ctx, 'Egress', from, peer, { port, protocol, destinationPorts: [] })];
  }
  const egressPorts = to.cluster === from.cluster ? toPorts : [];
  return [
    networkHop(ctx, 'Egress', from, peerAsSeenFrom(ctx, from.cluster, to), { port, protocol, destinationPorts: egressPorts }),
    networkHop(ctx, 'Ingress', to, peerAsSeenFrom(ctx, to.cluster, from), { port, protocol, destinationPorts: toPorts }),
  ];
}

function resolveDestination(ctx: Context, path: ReachabilityPath): Destination | string {
  const objects = objectsOf(ctx, path.to.cluster);
  const ports = containerPortsOf(objects, path.to);
  const port = resolvePort(path.to.port, ports);
  if (port === undefined) return `the destination pod has no container port named "${path.to.port}"`;
  const service = path.to.host
    ? { host: path.to.host, namespace: path.to.namespace, servicePort: port }
    // In a multi-cluster mesh the Service may be declared only where the caller runs.
    : serviceFor(objects, path.to, port, ctx.clusterDomain) ?? serviceFor(objectsOf(ctx, path.from.cluster), path.to, port, ctx.clusterDomain);
  return { pod: path.to, port, protocol: (path.to.protocol ?? 'TCP').toUpperCase(), ports, service };
}

/** The east-west gateway pod of a cluster, as a pod on the way. */
function gatewayPod(ctx: Context, cluster: string): WayPod & { port: number; address: string; notIn: readonly string[] } | undefined {
  const gw = ctx.networks[cluster]?.eastWestGateway;
  if (!gw) return undefined;
  return { cluster, namespace: gw.namespace ?? 'istio-system', labels: gw.labels ?? { istio: 'eastwestgateway' }, ip: gw.podIp, port: gw.port ?? 15443, address: gw.address, notIn: gw.notIn ?? [] };
}

/** Route and NetworkPolicy hops; also the pod the destination sees as its direct peer. */
function transportHops(ctx: Context, path: ReachabilityPath, dest: Destination, mtls: boolean): { hops: Hop[]; directPeer?: WayPod } {
  const from: WayPod = path.from;
  const to: WayPod = dest.pod;
  const sameNetwork = from.cluster === to.cluster || (ctx.networks[from.cluster]?.network ?? from.cluster) === (ctx.networks[to.cluster]?.network ?? to.cluster);
  if (sameNetwork) return { hops: legHops(ctx, from, to, dest.port, dest.protocol, dest.ports), directPeer: from };
  const gw = gatewayPod(ctx, to.cluster);
  const routeSubject = `${describePod(from)} -> ${describePod(to)}`;
  if (!gw) return { hops: [{ kind: 'route', cluster: to.cluster, subject: routeSubject, allowed: false, reason: `cluster ${to.cluster} is on another network and has no east-west gateway` }] };
  if (!mtls) {
    const reason = `cluster ${to.cluster} is on another network: its east-west gateway routes only mutual TLS (AUTO_PASSTHROUGH by SNI), and this connection is plain text`;
    return { hops: [{ kind: 'route', cluster: to.cluster, subject: routeSubject, allowed: false, reason }] };
  }
  const gwAddress = addressWithout(podAddress(gw.address, undefined, to.cluster), gw.notIn);
  const route: Hop = { kind: 'route', cluster: to.cluster, subject: routeSubject, allowed: true, reason: `through the east-west gateway of ${to.cluster} at ${gw.address}:${gw.port}` };
  const gwPorts: ContainerPort[] = [{ name: 'tls', containerPort: gw.port, protocol: 'TCP' }];
  return {
    hops: [
      route,
      ...legHops(ctx, from, { address: gwAddress, label: `east-west gateway ${gw.address}` }, gw.port, 'TCP', []),
      networkHop(ctx, 'Ingress', gw, peerAsSeenFrom(ctx, gw.cluster, from), { port: gw.port, protocol: 'TCP', destinationPorts: gwPorts }),
      ...legHops(ctx, gw, to, dest.port, dest.protocol, dest.ports),
    ],
    directPeer: gw,
  };
}

/** The destination sidecar's checks: PeerAuthentication, then AuthorizationPolicies. */
function istioInboundHops(ctx: Context, path: ReachabilityPath, dest: Destination, mtls: boolean, directPeer: WayPod): Hop[] {
  const objects = objectsOf(ctx, dest.pod.cluster);
  const workload = { namespace: dest.pod.namespace, labels: dest.pod.labels };
  const subject = `${describePod(dest.pod)}:${dest.port}`;
  const { mode, ...pa } = evaluatePeerAuthentication(objects, workload, dest.port, mtls, ctx.root);
  const hops: Hop[] = [{ kind: 'peer-authentication', cluster: dest.pod.cluster, subject, ...withCluster(pa, dest.pod.cluster) }];
  if (!pa.allowed) return hops;
  const identity = mtls && mode !== 'DISABLE';
  const sa = path.from.serviceAccount ?? 'default';
  const request = {
    principal: identity ? `${ctx.trustDomain}/ns/${path.from.namespace}/sa/${sa}` : undefined,
    namespace: identity ? path.from.namespace : undefined,
    sourceAddress: addressOf(ctx, directPeer),
    port: dest.port,
    host: dest.service?.host,
    http: path.http,
  };
  const authz = evaluateAuthorization(objects, workload, request, { rootNamespace: ctx.root, customVerdict: ctx.customVerdict });
  hops.push({ kind: 'authorization', cluster: dest.pod.cluster, subject, ...withCluster(authz, dest.pod.cluster) });
  return hops;
}

/** The caller's Sidecar scope; it may turn the connection into passthrough plain text. */
function sidecarHop(ctx: Context, path: ReachabilityPath, dest: Destination): { hop: Hop; passthrough: boolean } {
  const target = { host: dest.service?.host, namespace: dest.pod.namespace, port: dest.service?.servicePort ?? dest.port };
  const { passthrough, ...verdict } = evaluateSidecarScope(objectsOf(ctx, path.from.cluster), path.from, target, ctx.root, ctx.meshPolicy);
  const hop: Hop = { kind: 'sidecar-egress', cluster: path.from.cluster, subject: `${describePod(path.from)} -> ${target.host ?? describePod(dest.pod)}:${target.port}`, ...withCluster(verdict, path.from.cluster) };
  return { hop, passthrough };
}

const ADMITTER_ORDER: readonly HopKind[] = ['authorization', 'network-ingress', 'network-egress', 'sidecar-egress', 'peer-authentication'];

function summarize(hops: readonly Hop[]): PathResult {
  const blocked = hops.find((h) => !h.allowed);
  if (blocked) {
    return { allowed: false, hops, decidedBy: blocked.decidedBy, reason: `blocked at ${blocked.kind} in cluster ${blocked.cluster} (${blocked.subject}): ${blocked.reason}` };
  }
  const admitter = ADMITTER_ORDER.map((k) => [...hops].reverse().find((h) => h.kind === k && h.decidedBy)).find((h) => h);
  const by = admitter?.decidedBy ? ` last admitted by ${admitter.decidedBy.kind} ${admitter.decidedBy.namespace}/${admitter.decidedBy.name}` : ' nothing restricts it';
  return { allowed: true, hops, decidedBy: admitter?.decidedBy, reason: `allowed through ${hops.length} checks;${by}` };
}

function contextOf(manifests: FleetManifests, networks: FleetNetworks, options: MeshOptions = {}): Context {
  return {
    manifests,
    networks,
    root: options.rootNamespace ?? 'istio-system',
    trustDomain: options.trustDomain ?? 'cluster.local',
    clusterDomain: options.clusterDomain ?? 'cluster.local',
    meshPolicy: options.outboundTrafficPolicy ?? 'ALLOW_ANY',
    customVerdict: options.customVerdict ?? 'allow',
  };
}

/**
 * Decides whether `path.from` can open the connection described by `path.to` (and carry `path.http`), from
 * the synthesized manifests of each cluster and the clusters' network description. An endpoint may give its
 * pod's full labels or only its selector labels: either way it is completed from the workload in its cluster's
 * manifests (labels, container ports, service account).
 *
 * Each NetworkPolicy side is evaluated in the cluster where that pod runs; a pod of another cluster is seen
 * only by its address (its IP, or its cluster's pod CIDRs), and a cross-network connection passes the
 * destination's east-west gateway as its own endpoint.
 */
export function evaluatePath(manifests: FleetManifests, networks: FleetNetworks, given: ReachabilityPath, options?: MeshOptions): PathResult {
  const ctx = contextOf(manifests, networks, options);
  // Endpoints may name a pod by its selector labels: complete them from their workloads.
  const path = { ...given, from: completeEndpoint(objectsOf(ctx, given.from.cluster), given.from), to: completeEndpoint(objectsOf(ctx, given.to.cluster), given.to) };
  const dest = resolveDestination(ctx, path);
  if (typeof dest === 'string') {
    return summarize([{ kind: 'route', cluster: path.to.cluster, subject: `${describePod(path.from)} -> ${describePod(path.to)}:${path.to.port}`, allowed: false, reason: dest }]);
  }
  const hops: Hop[] = [];
  let mtls = path.mtls && path.from.meshed && path.to.meshed;
  if (path.from.meshed) {
    const scope = sidecarHop(ctx, path, dest);
    hops.push(scope.hop);
    if (scope.passthrough) mtls = false;
  }
  const transport = transportHops(ctx, path, dest, mtls);
  hops.push(...transport.hops);
  if (path.to.meshed && transport.directPeer) hops.push(...istioInboundHops(ctx, path, dest, mtls, transport.directPeer));
  return summarize(hops);
}

/** Evaluates many paths at once, e.g. every declared caller of every service. */
export function reachabilityMatrix(manifests: FleetManifests, networks: FleetNetworks, paths: readonly ReachabilityPath[], options?: MeshOptions): MatrixEntry[] {
  return paths.map((path) => {
    const to: WayPod = path.to;
    return { label: `${describePod(path.from)} -> ${describePod(to)}:${path.to.port}`, path, result: evaluatePath(manifests, networks, path, options) };
  });
}
