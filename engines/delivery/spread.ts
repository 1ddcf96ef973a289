/**
 * Karmada's cluster selection by spread constraints (`pkg/scheduler/core/spreadconstraint`), for direct mode:
 * the clusters Karmada selects when that choice does not depend on run-time scores, the error Karmada's
 * scheduler returns when it cannot schedule, and why not otherwise.
 *
 * Karmada ranks clusters by score, then available replicas, then name. At synthesis neither scores nor
 * capacity exist, so an outcome is computed only when every ranking leads to it: all feasible clusters are
 * selected anyway, or a single choice of regions satisfies the constraints.
 *
 * Karmada reads an absent `maxGroups` as 0 (select_clusters_by_cluster.go takes `min(clusters, maxGroups)`,
 * karmada-io/karmada#4617); fleetplane's API documents it as "no upper bound", which is computed here and
 * written out as the number of groups in Karmada-mode policies (app-karmada.ts), so both modes agree.
 */
import { MemberClusterProps } from '../../model/cluster';
import { SpreadConstraint, SpreadField } from '../../model/placement';

/** Why Karmada cannot schedule, or why its choice is not known at synthesis. */
export interface SpreadProblem {
  /** Rule id of the problem (K16, K17 or FP-DIRECT). */
  readonly rule: string;
  readonly prop: string;
  readonly value: unknown;
  readonly message: string;
  readonly fix: string;
  /** Already reported by the placement checks (fewer regions than minGroups). */
  readonly reported?: boolean;
}

/** The outcome of spreading one group of candidate clusters. */
export type SpreadSelection =
  /** Karmada selects exactly these clusters, whatever the scores. */
  | { readonly kind: 'selected'; readonly clusters: MemberClusterProps[] }
  /** Karmada's scheduler returns an error (and tries the next fallback group). */
  | { readonly kind: 'unschedulable'; readonly problem: SpreadProblem }
  /** Karmada's choice depends on scores or capacity known only at run time. */
  | { readonly kind: 'by-score'; readonly problem: SpreadProblem };

/**
 * The spread constraints as written to the PropagationPolicy: Karmada's webhook requires a `cluster` constraint
 * beside region, zone or provider ones, so one is added with the largest minGroups when the user gave none.
 */
export function karmadaSpreadConstraints(spread: readonly SpreadConstraint[]): SpreadConstraint[] {
  const all = [...spread];
  const needsCluster = all.some((c) => c.field && c.field !== SpreadField.CLUSTER) && !all.some((c) => c.field === SpreadField.CLUSTER);
  if (needsCluster) all.push({ field: SpreadField.CLUSTER, minGroups: Math.max(1, ...all.map((c) => c.minGroups ?? 1)) });
  return all;
}

/** Whether a cluster has the field a constraint spreads by (Karmada's SpreadConstraint filter plugin). */
function hasField(c: MemberClusterProps, field: SpreadField | undefined): boolean {
  if (field === SpreadField.REGION) return !!c.region;
  if (field === SpreadField.ZONE) return (c.zones ?? []).length > 0;
  if (field === SpreadField.PROVIDER) return !!c.provider;
  return true;
}

/**
 * Selects clusters from one group of feasible candidates (affinity and taints applied) as Karmada's
 * SelectBestClusters would, for placements whose spread constraints Karmada does not ignore.
 */
export function selectBySpread(group: readonly MemberClusterProps[], spread: readonly SpreadConstraint[]): SpreadSelection {
  const constraints = karmadaSpreadConstraints(spread);
  if (constraints.length === 0) return { kind: 'selected', clusters: [...group] };
  const feasible = group.filter((c) => constraints.every((k) => hasField(c, k.field)));
  const at = (field: SpreadField) => {
    const i = spread.findIndex((c) => c.field === field);
    return { c: constraints.find((c) => c.field === field)!, at: i >= 0 ? `placement.spread[${i}]` : addedAt(spread) };
  };
  // select_clusters.go: region first, else cluster; Karmada supports no other selection.
  if (constraints.some((c) => c.field === SpreadField.REGION)) return byRegion(feasible, at(SpreadField.REGION), at(SpreadField.CLUSTER));
  if (constraints.some((c) => c.field === SpreadField.CLUSTER)) return byCluster(feasible, at(SpreadField.CLUSTER));
  return {
    kind: 'unschedulable',
    problem: {
      rule: 'K16', prop: 'placement.spread', value: spread,
      message: "Karmada's scheduler selects clusters by cluster and region spread constraints only; a spread by label alone fails to schedule (select_clusters.go: \"just support cluster and region spread constraint\").",
      fix: 'add a { field: SpreadField.CLUSTER } constraint beside it.',
    },
  };
}

/** The prop that set the minGroups of the cluster constraint fleetplane adds. */
function addedAt(spread: readonly SpreadConstraint[]): string {
  const mins = spread.map((c) => c.minGroups ?? 1);
  return `placement.spread[${mins.indexOf(Math.max(...mins))}]`;
}

interface Located {
  readonly c: SpreadConstraint;
  readonly at: string;
}

const names = (cs: readonly MemberClusterProps[]) => cs.map((c) => c.name).join(', ') || 'none';
const upper = (c: SpreadConstraint) => (c.maxGroups ? c.maxGroups : Infinity);

/** select_clusters_by_cluster.go: at least minGroups clusters, the best maxGroups of them. */
function byCluster(feasible: readonly MemberClusterProps[], cluster: Located): SpreadSelection {
  const n = feasible.length;
  const min = cluster.c.minGroups ?? 1;
  if (n < min) {
    return {
      kind: 'unschedulable',
      problem: {
        rule: 'K17', prop: `${cluster.at}.minGroups`, value: min,
        message: `the spread needs at least ${min} feasible clusters but only ${n} are available (${names(feasible)}); Karmada's scheduler fails with "the number of feasible clusters is less than spreadConstraint.MinGroups".`,
        fix: `lower minGroups to at most ${n}, or place the app on more clusters.`,
      },
    };
  }
  const max = upper(cluster.c);
  if (max >= n) return { kind: 'selected', clusters: [...feasible] };
  return {
    kind: 'by-score',
    problem: {
      rule: 'FP-DIRECT', prop: `${cluster.at}.maxGroups`, value: max,
      message: `Karmada picks ${max} of the ${n} feasible clusters (${names(feasible)}) by score and available capacity at run time; direct delivery cannot know which.`,
      fix: `name the ${max} clusters in the placement, or raise maxGroups to ${n}.`,
    },
  };
}

/** select_clusters_by_region.go: a set of regions, the best cluster of each, then the best of the rest. */
function byRegion(feasible: readonly MemberClusterProps[], region: Located, cluster: Located): SpreadSelection {
  const regions = new Map<string, MemberClusterProps[]>();
  for (const c of feasible) regions.set(c.region!, [...(regions.get(c.region!) ?? []), c]);
  const rmin = region.c.minGroups ?? 1;
  const cmin = cluster.c.minGroups ?? 1;
  if (regions.size < rmin) {
    const message = `the spread needs at least ${rmin} regions but only ${regions.size} are available; Karmada's scheduler fails.`;
    return { kind: 'unschedulable', problem: { rule: 'K17', prop: `${region.at}.minGroups`, value: rmin, message, fix: `lower minGroups to ${regions.size}.`, reported: true } };
  }
  const groups = [...regions].map(([name, cs]) => ({ name, value: cs.length }));
  const paths = findFeasibleGroupSets(groups, rmin, upper(region.c), cmin);
  const listing = groups.map((g) => `${g.name} (${g.value})`).join(', ');
  if (paths.length === 0) {
    return {
      kind: 'unschedulable',
      problem: {
        rule: 'K17', prop: `${cluster.at}.minGroups`, value: cmin,
        message: `no choice of ${rmin}-${upper(region.c)} regions holds the ${cmin} clusters the spread needs (clusters per region: ${listing}); Karmada's scheduler fails.`,
        fix: 'lower the cluster minGroups, raise the region maxGroups, or place the app on more clusters.',
      },
    };
  }
  if (paths.length > 1) {
    return {
      kind: 'by-score',
      problem: {
        rule: 'FP-DIRECT', prop: region.at, value: region.c,
        message: `Karmada picks one of ${paths.length} sets of regions (${paths.map((p) => `[${p.join(', ')}]`).join(' ')}) by score and available capacity at run time; direct delivery cannot know which.`,
        fix: `set minGroups to ${regions.size} to use every region (${listing}), or select the regions in the placement.`,
      },
    };
  }
  return clustersInRegions(feasible.filter((c) => paths[0].includes(c.region!)), paths[0], cluster);
}

/** The clusters of the chosen regions: one per region, then the best up to the cluster maxGroups. */
function clustersInRegions(inRegions: MemberClusterProps[], chosen: readonly string[], cluster: Located): SpreadSelection {
  const need = Math.min(inRegions.length, upper(cluster.c));
  if (Math.max(need, chosen.length) >= inRegions.length) return { kind: 'selected', clusters: inRegions };
  return {
    kind: 'by-score',
    problem: {
      rule: 'FP-DIRECT', prop: `${cluster.at}.maxGroups`, value: cluster.c.maxGroups ?? 0,
      message: `in the regions ${chosen.join(', ')} Karmada keeps the best cluster of each and picks the rest by score and available capacity at run time (${Math.max(need, chosen.length)} of ${names(inRegions)}); direct delivery cannot know which.`,
      fix: `raise the cluster maxGroups to ${inRegions.length}, or name the clusters in the placement.`,
    },
  };
}

/** A group of clusters (a region) and how many clusters it holds. */
export interface GroupValue {
  readonly name: string;
  readonly value: number;
}

/**
 * select_groups.go findFeasiblePaths: every set of groups, of minGroups to maxGroups groups, whose clusters
 * first reach `target` when the groups are taken in ascending order of size. Karmada then ranks the sets by
 * score; the sets themselves do not depend on scores (groups of equal size are interchangeable in the search),
 * so ties between equal sizes are broken here by name. Returns each set's group names.
 */
export function findFeasibleGroupSets(groups: readonly GroupValue[], minGroups: number, maxGroups: number, target: number): string[][] {
  const sorted = [...groups].sort((a, b) => a.value - b.value || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const paths: string[][] = [];
  const path: GroupValue[] = [];
  const dfs = (sum: number, begin: number): void => {
    if (sum >= target && path.length >= minGroups && path.length <= maxGroups) {
      paths.push(path.map((g) => g.name).sort());
      return;
    }
    if (path.length >= maxGroups) return;
    for (let i = begin; i < sorted.length; i++) {
      path.push(sorted[i]);
      dfs(sum + sorted[i].value, i + 1);
      // Karmada stops backtracking when every group is needed to reach minGroups.
      if (sorted.length === minGroups) break;
      path.pop();
    }
  };
  if (sorted.length > 0) dfs(0, 0);
  return paths;
}
