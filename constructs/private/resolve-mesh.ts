/** The platform's `mesh` prop, checked (rules 13, 34-36) and resolved with its defaults. */
import { MeshProps, MtlsMode } from '../../model/mesh';
import { ResolvedMesh } from '../../core/context';
import { Fleet } from '../../core/fleet';
import { isDnsLabel } from '../../core/names';
import { ProblemSink } from '../../core/problems';
import { cidrsOverlap } from '../../core/cidr';
import { checkKnownClusters, selectedOrCloud } from './known-clusters';

/** Resolves the mesh: its clusters (every cloud cluster by default), primaries, networks and defaults. */
export function resolveMesh(sink: ProblemSink, fleet: Fleet, m: MeshProps): ResolvedMesh {
  const clusterNames = selectedOrCloud(fleet, m.clusters).map((c) => c.name);
  checkKnownClusters(sink, fleet, 'mesh.clusters', Fleet.namesIn(m.clusters));
  if (clusterNames.length === 0) sink.error('FP-EMPTY-SELECTOR', 'mesh.clusters', m.clusters, 'the mesh selects no cluster.', 'select at least one cluster.');
  const primaries = m.primaries ?? clusterNames;
  checkPrimaries(sink, primaries, clusterNames);
  const trustDomain = m.trustDomain ?? 'cluster.local';
  checkMeshSettings(sink, m, trustDomain);
  const networks: Record<string, string> = {};
  for (const n of clusterNames) networks[n] = fleet.get(n)?.network ?? n;
  const g = m.ingressGateway ?? {};
  checkFlatRanges(sink, fleet, clusterNames, networks);
  const istiodOf = remotePrimaries(clusterNames, primaries, networks);
  checkExposedIstiod(sink, fleet, istiodOf);
  return {
    meshId: m.meshId,
    clusterNames,
    primaries,
    trustDomain,
    revision: m.revision,
    istioCni: m.istioCni ?? false,
    privilegedSidecarInit: m.privilegedSidecarInit ?? false,
    mtls: m.mtls ?? MtlsMode.STRICT,
    defaultDeny: m.defaultDeny ?? true,
    ingressGateway: {
      namespace: g.namespace ?? 'istio-system',
      labels: g.labels ?? { istio: 'ingressgateway' },
      serviceAccount: g.serviceAccount ?? 'istio-ingressgateway',
    },
    networks,
    multiNetwork: new Set(Object.values(networks)).size > 1,
    istiodOf,
  };
}

/** The primary each remote takes its configuration from: one on its own network when there is one. */
function remotePrimaries(clusterNames: readonly string[], primaries: readonly string[], networks: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of clusterNames.filter((n) => !primaries.includes(n))) {
    const primary = primaries.find((p) => networks[p] === networks[c]) ?? primaries[0];
    if (primary !== undefined) out[c] = primary;
  }
  return out;
}

/**
 * Rule 12: a remote's sidecars and its Istio install (`global.remotePilotAddress`) reach the primary's istiod
 * through the primary's east-west gateway; without its address no NetworkPolicy can admit that connection
 * short of 0.0.0.0/0, and the remote cannot be installed.
 */
function checkExposedIstiod(sink: ProblemSink, fleet: Fleet, istiodOf: Record<string, string>): void {
  const remotesOf = new Map<string, string[]>();
  for (const [remote, primary] of Object.entries(istiodOf)) remotesOf.set(primary, [...(remotesOf.get(primary) ?? []), remote]);
  for (const [primary, remotes] of remotesOf) {
    const address = fleet.get(primary)?.eastWestGateway?.address;
    if (address !== undefined && !address.includes('/')) continue;
    sink.error('K12', `clusters[name=${primary}].eastWestGateway`, address,
      `the remote cluster(s) ${remotes.join(', ')} reach istiod on primary ${primary} through its east-west gateway, whose address is ${address === undefined ? 'not declared' : 'a CIDR, not one address'}: their sidecars could not connect (NetworkPolicies would need 0.0.0.0/0) and their install has no remotePilotAddress.`,
      `set eastWestGateway: { address: '<the gateway LoadBalancer IP>' } on cluster ${primary}.`);
  }
}

/** Rule 34: primaries (running istiod) are mesh clusters, and there is at least one. */
function checkPrimaries(sink: ProblemSink, primaries: readonly string[], clusterNames: readonly string[]): void {
  primaries.forEach((p, i) => {
    if (!clusterNames.includes(p)) sink.error('K34', `mesh.primaries[${i}]`, p, 'a primary must be a mesh cluster.', `use one of ${clusterNames.join(', ')}.`);
  });
  if (primaries.length === 0) sink.error('K34', 'mesh.primaries', primaries, 'a mesh needs at least one primary cluster (running istiod).', 'name a primary.');
}

/** Mesh ID, trust domain, revision and mTLS mode (rules 34-36). */
function checkMeshSettings(sink: ProblemSink, m: MeshProps, trustDomain: string): void {
  if (typeof m.meshId !== 'string' || !isDnsLabel(m.meshId)) sink.error('K34', 'mesh.meshId', m.meshId, 'the mesh ID must be a DNS-1123 label.', 'use e.g. "prod-mesh".');
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(trustDomain)) sink.error('K36', 'mesh.trustDomain', trustDomain, 'not a valid trust domain.', 'use e.g. "cluster.local".');
  if (m.revision !== undefined && !isDnsLabel(m.revision)) sink.error('K35', 'mesh.revision', m.revision, 'a revision must be a DNS-1123 label.', 'use e.g. "1-30".');
  if (m.mtls !== undefined && !Object.values(MtlsMode).includes(m.mtls)) sink.error('K35', 'mesh.mtls', m.mtls, 'unknown mTLS mode.', 'use MtlsMode.STRICT or PERMISSIVE.');
  if (m.mtls === MtlsMode.PERMISSIVE) sink.warn('K35', 'mesh.mtls', m.mtls, 'the mesh accepts plain-text traffic.', 'use MtlsMode.STRICT once every workload has a sidecar.');
  if (m.istioCni && m.privilegedSidecarInit) sink.warn('K35', 'mesh.privilegedSidecarInit', true, 'with Istio CNI the privileged init container is not needed.', 'drop privilegedSidecarInit.');
}

/**
 * Clusters on one network reach each other's pods by address, so their pod and Service ranges must be
 * disjoint: a NetworkPolicy could not tell a remote caller from a local pod, and routing would be ambiguous.
 */
function checkFlatRanges(sink: ProblemSink, fleet: Fleet, clusterNames: readonly string[], networks: Record<string, string>): void {
  const ranges = clusterNames.flatMap((c) => (['podCidr', 'serviceCidr'] as const).map((kind) => ({ cluster: c, kind, cidr: fleet.get(c)?.[kind] })))
    .filter((r): r is { cluster: string; kind: 'podCidr' | 'serviceCidr'; cidr: string } => !!r.cidr);
  ranges.forEach((b, i) => {
    const a = ranges.slice(0, i).find((x) => x.cluster !== b.cluster && networks[x.cluster] === networks[b.cluster] && cidrsOverlap(x.cidr, b.cidr));
    if (a) {
      sink.error('FP-MESH', `clusters[name=${b.cluster}].${b.kind}`, b.cidr, `overlaps ${a.cluster}'s ${a.kind} ${a.cidr} on the same mesh network ${networks[b.cluster]}: pods are reached by address there, so callers could not be told apart.`,
        'give the clusters of one network disjoint ranges, or put them on different networks (with east-west gateways).');
    }
  });
}
