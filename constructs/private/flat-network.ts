/**
 * Flat networks: mesh clusters on one network reach each other's pods directly, so a NetworkPolicy in one
 * cluster sees a caller of another only by its address. These helpers give the pod CIDRs to open.
 */
import { ResolvedMesh } from '../../core/context';
import { Fleet } from '../../core/fleet';
import { IpBlock, ipBlockExcept } from '../../core/cidr';

/** Mesh clusters that share their network with at least one other mesh cluster. */
function sharingNetwork(mesh: ResolvedMesh): string[] {
  return mesh.clusterNames.filter((c) => mesh.clusterNames.some((o) => o !== c && mesh.networks[o] === mesh.networks[c]));
}

/**
 * Pod CIDRs of the mesh clusters on the same network as any of `clusters`, other than `except` (the cluster the
 * policy is written for, when known); clusters without a declared podCidr are left out (the reachability check
 * names them).
 */
export function peerPodCidrs(mesh: ResolvedMesh | undefined, fleet: Fleet, clusters: readonly string[], except?: string): IpBlock[] {
  if (!mesh) return [];
  const shared = sharingNetwork(mesh);
  const networks = new Set(clusters.filter((c) => shared.includes(c)).map((c) => mesh.networks[c]));
  const peers = shared.filter((c) => networks.has(mesh.networks[c]) && c !== except);
  const local = localRanges(fleet, except !== undefined ? [except] : clusters);
  return [...new Set(peers.map((c) => fleet.get(c)?.podCidr).filter((x): x is string => !!x))].map((cidr) => ipBlockExcept(cidr, local));
}

/** The pod and Service CIDRs declared for some clusters: the ranges a policy there must not admit by address. */
export function localRanges(fleet: Fleet, clusters: readonly string[]): string[] {
  return clusters.flatMap((c) => [fleet.get(c)?.podCidr, fleet.get(c)?.serviceCidr]).filter((x): x is string => !!x);
}

/** Pod CIDRs of the clusters running `clusters` that other mesh clusters reach directly (flat network). */
export function remotePodCidrs(mesh: ResolvedMesh | undefined, fleet: Fleet, clusters: readonly string[], callerClusters: readonly string[] = []): IpBlock[] {
  if (!mesh) return [];
  const shared = sharingNetwork(mesh);
  const local = localRanges(fleet, callerClusters);
  return [...new Set(clusters.filter((c) => shared.includes(c)).map((c) => fleet.get(c)?.podCidr).filter((x): x is string => !!x))].map((cidr) => ipBlockExcept(cidr, local));
}
