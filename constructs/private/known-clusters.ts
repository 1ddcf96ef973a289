/**
 * Cluster-name checks every construct shares: a name given by the user must be a member cluster of the
 * platform (rule 13), and a selector left out means "every cloud cluster".
 */
import { ClusterRole, ClusterSelector, MemberClusterProps } from '../../model/cluster';
import { Fleet } from '../../core/fleet';
// The check itself lives in core/, so engines reuse it too.
export { checkKnownClusters } from '../../core/fleet';

/** The cloud clusters (role cloud, the default), in declaration order. */
export function cloudClusters(fleet: Fleet): MemberClusterProps[] {
  return fleet.clusters.filter((c) => (c.role ?? ClusterRole.CLOUD) === ClusterRole.CLOUD);
}

/** The clusters a selector matches; every cloud cluster when there is no selector. */
export function selectedOrCloud(fleet: Fleet, selector: ClusterSelector | undefined): MemberClusterProps[] {
  return selector ? fleet.select(selector) : cloudClusters(fleet);
}
