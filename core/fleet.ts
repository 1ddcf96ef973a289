import { ClusterSelector, ClusterToleration, MemberClusterProps, TaintEffect } from '../model/cluster';
import { ProblemSink } from './problems';

/** The resolved inventory. */
export class Fleet {
  private readonly byName = new Map<string, MemberClusterProps>();

  /** The clusters, sorted by name. */
  public readonly clusters: readonly MemberClusterProps[];

  constructor(clusters: readonly MemberClusterProps[]) {
    // Declaration order carries no meaning: sorted, every list derived from the fleet (policy cluster names,
    // scrape targets, gateway addresses, pod CIDRs) is the same however the clusters were declared.
    this.clusters = [...clusters].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const c of this.clusters) this.byName.set(c.name, c);
  }

  /** Cluster names, sorted. */
  public get names(): string[] {
    return this.clusters.map((c) => c.name);
  }

  public has(name: string): boolean {
    return this.byName.has(name);
  }

  public get(name: string): MemberClusterProps | undefined {
    return this.byName.get(name);
  }

  /** Clusters matching a selector, sorted by name. */
  public select(selector: ClusterSelector | undefined): MemberClusterProps[] {
    return this.clusters.filter((c) => clusterMatches(c, selector));
  }

  /** Names of every cluster a selector mentions by name, for unknown-cluster checks. */
  public static namesIn(selector: ClusterSelector | undefined): string[] {
    return [...(selector?.names ?? []), ...(selector?.exclude ?? [])];
  }
}

/**
 * Karmada's ClusterMatches: exclude first, then label selector, field selector and the names allow-list,
 * all ANDed. A missing region/provider fails `In` and passes `NotIn`; zones match when any zone is listed.
 */
export function clusterMatches(c: MemberClusterProps, s: ClusterSelector | undefined): boolean {
  if (!s) return true;
  if (s.exclude?.includes(c.name)) return false;
  for (const [k, v] of Object.entries(s.labels ?? {})) {
    if (c.labels?.[k] !== v) return false;
  }
  if (s.regions && !(c.region !== undefined && s.regions.includes(c.region))) return false;
  if (s.providers && !(c.provider !== undefined && s.providers.includes(c.provider))) return false;
  if (s.notRegions && c.region !== undefined && s.notRegions.includes(c.region)) return false;
  if (s.notProviders && c.provider !== undefined && s.notProviders.includes(c.provider)) return false;
  if (s.zones && !(c.zones ?? []).some((z) => s.zones!.includes(z))) return false;
  if (s.names && s.names.length > 0 && !s.names.includes(c.name)) return false;
  return true;
}

/**
 * Whether the tolerations let a workload onto the cluster: every NoSchedule and NoExecute taint must be
 * tolerated (Karmada's TaintToleration filter plugin).
 */
export function toleratesCluster(c: MemberClusterProps, tolerations: readonly ClusterToleration[]): boolean {
  return (c.taints ?? [])
    .filter((t) => t.effect !== TaintEffect.PREFER_NO_SCHEDULE)
    .every((t) =>
      tolerations.some(
        (tol) =>
          (tol.effect === undefined || tol.effect === t.effect) &&
          (tol.key === undefined || tol.key === '' ? tol.exists === true : tol.key === t.key) &&
          (tol.exists === true || (tol.value ?? '') === (t.value ?? '')),
      ),
    );
}

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
