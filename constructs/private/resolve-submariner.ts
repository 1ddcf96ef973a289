/** The platform's `submariner` prop, checked (rules 13, 49) and resolved: joined clusters and their IDs. */
import { MemberClusterProps } from '../../model/cluster';
import { SubmarinerProps } from '../../model/platform';
import { cidrsOverlap, parseCidr } from '../../core/cidr';
import { ResolvedSubmariner } from '../../core/context';
import { Fleet } from '../../core/fleet';
import { isDnsLabel } from '../../core/names';
import { ProblemSink } from '../../core/problems';
import { checkKnownClusters, selectedOrCloud } from './known-clusters';

/** Resolves Submariner: the joined clusters (every cloud cluster by default) and their cluster IDs. */
export function resolveSubmariner(sink: ProblemSink, fleet: Fleet, sub: SubmarinerProps): ResolvedSubmariner {
  const joined = selectedOrCloud(fleet, sub.clusters);
  checkKnownClusters(sink, fleet, 'submariner.clusters', Fleet.namesIn(sub.clusters));
  checkKnownClusters(sink, fleet, 'submariner.broker', [sub.broker], 'host the broker on a declared cluster.');
  const clusterIds = resolveClusterIds(sink, joined, sub.clusterIds);
  checkCidrs(sink, joined, sub.globalnet ?? false);
  return { broker: sub.broker, clusterIds, globalnet: sub.globalnet ?? false };
}

/** Each joined cluster's ID (its name unless given); IDs are unique DNS-1123 labels of joined clusters. */
function resolveClusterIds(sink: ProblemSink, joined: readonly MemberClusterProps[], given: Record<string, string> | undefined): Record<string, string> {
  const clusterIds: Record<string, string> = {};
  const seen = new Map<string, string>();
  for (const c of joined) {
    const id = given?.[c.name] ?? c.name;
    // Rule 49: the lighthouse agent rejects cluster IDs that are not DNS-1123 labels.
    if (!isDnsLabel(id)) sink.error('K49', `submariner.clusterIds['${c.name}']`, id, 'a Submariner cluster ID must be a DNS-1123 label.', 'use lower-case letters, digits and "-".');
    if (seen.has(id)) sink.error('K49', `submariner.clusterIds['${c.name}']`, id, `${c.name} and ${seen.get(id)} have the same cluster ID.`, 'give each cluster its own ID.');
    seen.set(id, c.name);
    clusterIds[c.name] = id;
  }
  for (const n of Object.keys(given ?? {})) {
    if (!joined.some((c) => c.name === n)) sink.error('K13', `submariner.clusterIds['${n}']`, n, 'not a cluster joined to Submariner.', `use one of ${joined.map((c) => c.name).join(', ')}.`);
  }
  return clusterIds;
}

/** Pod and service CIDRs of the joined clusters are valid and, without Globalnet, disjoint. */
function checkCidrs(sink: ProblemSink, joined: readonly MemberClusterProps[], globalnet: boolean): void {
  const cidrs = joined.flatMap((c) => [['podCidr', c.podCidr], ['serviceCidr', c.serviceCidr]].filter(([, v]) => v).map(([k, v]) => ({ cluster: c.name, kind: k!, cidr: v! })));
  for (const a of cidrs) {
    if (!parseCidr(a.cidr)) sink.error('K49', `clusters['${a.cluster}'].${a.kind}`, a.cidr, 'not an IPv4 CIDR.', 'use e.g. "10.1.0.0/16".');
  }
  if (globalnet) return;
  // Rule 49: without Globalnet, pod and service CIDRs must not overlap across clusters.
  for (let i = 0; i < cidrs.length; i++) {
    for (let j = i + 1; j < cidrs.length; j++) {
      const a = cidrs[i], b = cidrs[j];
      if (a.cluster !== b.cluster && cidrsOverlap(a.cidr, b.cidr)) {
        sink.error('K49', `clusters['${b.cluster}'].${b.kind}`, b.cidr, `overlaps ${a.cluster}'s ${a.kind} ${a.cidr}; Submariner cannot route overlapping ranges without Globalnet.`, 'use disjoint CIDRs, or set submariner.globalnet: true.');
      }
    }
  }
}
