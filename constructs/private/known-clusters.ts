/**
 * Cluster-name checks every construct shares: a name given by the user must be a member cluster of the
 * platform (rule 13), and a selector left out means "every cloud cluster".
 */
import { ClusterRole, ClusterSelector, MemberClusterProps } from '../../model/cluster';
import { Fleet } from '../../core/fleet';
import { ProblemSink } from '../../core/problems';

/**
 * Reports K13 for each name that is not a member cluster of the fleet.
 * @param prop the prop the names come from, e.g. `mesh.clusters`.
 * @param fix how to fix it, when the default advice does not fit.
 */
export function checkKnownClusters(sink: ProblemSink, fleet: Fleet, prop: string, names: readonly string[], fix = 'use a cluster declared on the platform.'): void {
  for (const n of names) {
    if (!fleet.has(n)) sink.error('K13', prop, n, `unknown cluster (known: ${fleet.names.join(', ')}).`, fix);
  }
}

/** The cloud clusters (role cloud, the default), in declaration order. */
export function cloudClusters(fleet: Fleet): MemberClusterProps[] {
  return fleet.clusters.filter((c) => (c.role ?? ClusterRole.CLOUD) === ClusterRole.CLOUD);
}

/** The clusters a selector matches; every cloud cluster when there is no selector. */
export function selectedOrCloud(fleet: Fleet, selector: ClusterSelector | undefined): MemberClusterProps[] {
  return selector ? fleet.select(selector) : cloudClusters(fleet);
}
