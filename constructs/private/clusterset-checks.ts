/** Checks that the *.svc.clusterset.local names fleetplane writes resolve: Submariner Lighthouse, both ends joined. */
import { ResolvedSubmariner } from '../../core/context';
import { ProblemSink } from '../../core/problems';

/**
 * A global tier reached by a Submariner Lighthouse name (the monitoring members' default address, the OTLP global
 * gateway) resolves only when the platform declares Submariner and the global cluster and every member are joined
 * to it; otherwise the connections fail with NXDOMAIN on a real cluster, silently.
 */
export function checkClustersetBackend(
  sink: ProblemSink, submariner: ResolvedSubmariner | undefined, clusters: readonly string[], example: string,
  where: { prop: string; alternative: string } = { prop: 'monitoring.global.memberAddress', alternative: 'set monitoring.global.memberAddress to an address each member serves (e.g. a per-cluster load balancer)' },
): void {
  if (!submariner) {
    sink.error('FP-CLUSTERSET', where.prop, example, 'the global tier is reached by a *.svc.clusterset.local name, which only Submariner Lighthouse resolves, and the platform declares no Submariner.',
      `declare \`submariner\` on the DistributedPlatform (broker and joined clusters, with podCidr and serviceCidr on each), or ${where.alternative}.`);
    return;
  }
  const outside = [...new Set(clusters)].filter((c) => submariner.clusterIds[c] === undefined).sort();
  if (outside.length) {
    sink.error('FP-CLUSTERSET', where.prop, outside, 'these clusters are not joined to Submariner, so the clusterset names of the global tier do not resolve there.',
      `join them (submariner.clusters), or ${where.alternative}.`);
  }
}
