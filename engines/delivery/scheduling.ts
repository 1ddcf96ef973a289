/**
 * Placement checks and direct-mode scheduling: fleetplane evaluates a placement against the inventory
 * exactly as Karmada's scheduler would on a healthy fleet, and reports what only Karmada can decide at
 * run time.
 */
import { ClusterSelector, MemberClusterProps } from '../../model/cluster';
import { Fleet, checkKnownClusters, clusterMatches, toleratesCluster } from '../../core/fleet';
import { Distribution, DistributionKind } from '../../model/distribution';
import { divideByWeight } from './webster';
import { isQualifiedName } from '../../core/names';
import { Placement, SpreadField } from '../../model/placement';
import { ProblemSink } from '../../core/problems';
import { ScheduleResult } from '../../core/delivery';
import { SpreadProblem, selectBySpread } from './spread';

/** Checks a placement against the inventory (rules 13, 15-19) and reports problems. */
export function checkPlacement(
  sink: ProblemSink,
  fleet: Fleet,
  allowed: readonly string[],
  placement: Placement,
  distribution: Distribution,
): void {
  checkSelectors(sink, fleet, placement);
  checkTolerations(sink, placement);
  checkSpread(sink, fleet, allowed, placement, distribution);
  checkWeights(sink, fleet, allowed, distribution);
}

/** Cluster names known to the fleet, label keys and field selectors of one selector (rules 2, 13, 18). */
function checkSelector(sink: ProblemSink, fleet: Fleet, prop: string, s: ClusterSelector): void {
  for (const [field, names] of [['names', s.names], ['exclude', s.exclude]] as const) {
    (names ?? []).forEach((n, i) => checkKnownClusters(sink, fleet, `${prop}.${field}[${i}]`, [n], 'use a cluster declared on the platform, or declare it.'));
  }
  for (const k of Object.keys(s.labels ?? {})) {
    if (!isQualifiedName(k)) sink.error('K2', `${prop}.labels`, k, 'invalid label key.', 'use a valid label key.');
  }
  for (const field of ['regions', 'zones', 'providers', 'notRegions', 'notProviders'] as const) {
    const v = s[field];
    if (v !== undefined && (!Array.isArray(v) || v.length === 0)) {
      sink.error('K18', `${prop}.${field}`, v, 'a field selector needs at least one value.', `list one or more values or drop ${field}.`);
    }
  }
}

/** The placement's selector, or its fallback groups (rule 15). */
function checkSelectors(sink: ProblemSink, fleet: Fleet, placement: Placement): void {
  if (!placement.groups) {
    checkSelector(sink, fleet, 'placement', placement.selector ?? {});
    return;
  }
  if (placement.groups.length === 0) sink.error('K15', 'placement', [], 'fallback needs at least one group.', 'pass one or more groups to Placement.fallback().');
  const names = new Set<string>();
  placement.groups.forEach((g, i) => {
    if (typeof g?.name !== 'string' || g.name.length < 1 || g.name.length > 32 || !isQualifiedName(g.name)) {
      sink.error('K15', `placement.groups[${i}].name`, g?.name, 'a fallback group name must be 1-32 characters and a valid label key.', 'use a short name such as "primary".');
    }
    if (names.has(g?.name)) sink.error('K15', `placement.groups[${i}].name`, g.name, 'fallback group names must be unique.', 'rename the group.');
    names.add(g?.name);
    checkSelector(sink, fleet, `placement.groups[${i}].clusters`, g?.clusters ?? {});
  });
}

function checkTolerations(sink: ProblemSink, placement: Placement): void {
  placement.tolerations.forEach((t, i) => {
    if (t.key && !isQualifiedName(t.key)) sink.error('K2', `placement.tolerations[${i}].key`, t.key, 'invalid taint key.', 'use a label-style key.');
    if (t.exists && t.value !== undefined) sink.error('FP-TOLERATION', `placement.tolerations[${i}]`, t, 'a toleration with `exists` must not set a value.', 'drop value or exists.');
  });
}

/** Spreading (rules 16, 17). */
function checkSpread(sink: ProblemSink, fleet: Fleet, allowed: readonly string[], placement: Placement, distribution: Distribution): void {
  const seen = new Set<string>();
  placement.spreadConstraints.forEach((c, i) => {
    const at = `placement.spread[${i}]`;
    if ((c.field === undefined) === (c.label === undefined)) sink.error('K16', at, c, 'a spread constraint groups by exactly one of `field` or `label`.', 'set field (SpreadField.REGION, ...) or label, not both.');
    if (c.field !== undefined && !Object.values(SpreadField).includes(c.field)) sink.error('K16', `${at}.field`, c.field, 'unknown spread field.', 'use SpreadField.CLUSTER, REGION, ZONE or PROVIDER.');
    const key = c.field ?? `label:${c.label}`;
    if (seen.has(key)) sink.error('K16', at, key, 'each spread field may appear only once.', 'merge the constraints.');
    seen.add(key);
    const min = c.minGroups ?? 1;
    if (!Number.isInteger(min) || min < 0) sink.error('K16', `${at}.minGroups`, c.minGroups, 'minGroups must be a whole number ≥ 0.', 'use e.g. 1.');
    if (c.maxGroups !== undefined && (!Number.isInteger(c.maxGroups) || c.maxGroups < 0 || (c.maxGroups > 0 && c.maxGroups < min))) {
      sink.error('K16', `${at}.maxGroups`, c.maxGroups, `maxGroups must be ≥ minGroups (${min}) when set.`, `use a value of at least ${min}, or 0 for no bound.`);
    }
    if (c.field && c.field !== SpreadField.CLUSTER) checkSpreadField(sink, fleet, allowed, placement, at, c.field, min);
  });

  const staticWeights = distribution.kind === DistributionKind.EXACT || (distribution.kind === DistributionKind.WEIGHTED);
  if (staticWeights && placement.spreadConstraints.length > 0) {
    sink.warn('K16', 'placement.spread', placement.spreadConstraints, 'Karmada ignores spread constraints when replicas are divided by static weights (select_clusters.go shouldIgnoreSpreadConstraint).', 'drop the spread constraints, or use duplicated, by-capacity or aggregated distribution.');
  }
}

/** Whether the candidate clusters carry the region, zone or provider a constraint spreads by (rule 17). */
function checkSpreadField(sink: ProblemSink, fleet: Fleet, allowed: readonly string[], placement: Placement, at: string, field: SpreadField, min: number): void {
  // Karmada filters by taints first and spreads within one fallback group at a time.
  const value = (cl: MemberClusterProps) => (field === SpreadField.ZONE ? (cl.zones ?? [])[0] : field === SpreadField.REGION ? cl.region : cl.provider);
  const eligible = fleet.clusters.filter((cl) => allowed.includes(cl.name) && toleratesCluster(cl, placement.tolerations));
  const missing = new Set<string>();
  let best = 0;
  for (const s of placement.selectors) {
    const group = eligible.filter((cl) => clusterMatches(cl, s));
    group.filter((cl) => value(cl) === undefined).forEach((cl) => missing.add(cl.name));
    best = Math.max(best, new Set(group.map(value).filter((v) => v !== undefined)).size);
  }
  if (missing.size > 0) {
    sink.error('K17', at, field, `clusters ${[...missing].join(', ')} have no ${field}; Karmada silently skips them when spreading by ${field}.`, `set ${field} on those clusters or exclude them.`);
  }
  if (min > best) sink.error('K17', `${at}.minGroups`, min, `at most ${best} distinct ${field} value(s) are available in any candidate group (after taints).`, `lower minGroups to at most ${best} or add clusters.`);
}

/** Weights (rule 19). */
function checkWeights(sink: ProblemSink, fleet: Fleet, allowed: readonly string[], distribution: Distribution): void {
  if (distribution.kind !== DistributionKind.WEIGHTED && distribution.kind !== DistributionKind.EXACT) return;
  const exact = distribution.kind === DistributionKind.EXACT;
  distribution.weights.forEach((w, i) => {
    const at = exact ? `distribution.counts['${w.clusters.names?.[0]}']` : `distribution.weights[${i}]`;
    if (!Number.isInteger(w.weight) || w.weight < (exact ? 0 : 1)) {
      sink.error('K19', at, w.weight, exact ? 'a replica count must be a whole number ≥ 0.' : 'a static weight must be a whole number ≥ 1 (Karmada CRD minimum).', 'use a positive integer.');
    }
    checkSelector(sink, fleet, at, w.clusters);
    const hits = fleet.select(w.clusters).filter((c) => allowed.includes(c.name));
    if (hits.length === 0) {
      sink.warn('K19', at, w.clusters, 'this weight selects no cluster the app can use.', 'target clusters of the placement.');
    }
  });
}

/**
 * Schedules on a healthy fleet: candidates from the placement (the first fallback group Karmada can schedule
 * on), narrowed in direct mode by the spread constraints as Karmada would, then the replica split. Reports
 * what Karmada's scheduler would refuse, and what direct mode cannot reproduce.
 */
export function schedule(
  sink: ProblemSink,
  fleet: Fleet,
  allowed: readonly string[],
  placement: Placement,
  distribution: Distribution,
  replicas: number | undefined,
  direct: boolean,
): ScheduleResult {
  const eligible = fleet.clusters.filter((c) => allowed.includes(c.name) && toleratesCluster(c, placement.tolerations));
  const groups = placement.selectors
    .map((s, index) => ({ index, clusters: eligible.filter((c) => clusterMatches(c, s)) }))
    .filter((g) => g.clusters.length > 0);
  if (groups.length === 0) {
    sink.error('FP-EMPTY-SELECTOR', 'placement', placement.selectors, `the placement matches no cluster the app may use (tenant clusters: ${allowed.join(', ') || 'none'}; untolerated taints also exclude clusters).`, 'widen the selector, add tolerations, or add the clusters to the tenant.');
    return { candidates: [] };
  }
  // Clusters named explicitly that the tenant does not use: its namespace does not exist there.
  const outside = placement.selectors.flatMap((s) => s.names ?? []).filter((n) => fleet.has(n) && !allowed.includes(n));
  if (outside.length > 0) {
    sink.error('FP-TENANT-CLUSTERS', 'placement', outside, 'the placement names clusters outside the tenant, where its namespace does not exist.', `place on ${allowed.join(', ')}, or add the clusters to the tenant.`);
  }
  const candidates = spreadCandidates(sink, groups, placement, distribution, direct);

  const runtime = (what: string) => {
    if (direct) sink.error('FP-DIRECT', 'distribution', distribution.kind, `${what} is decided by Karmada at run time; direct delivery has no Karmada to decide it.`, 'use Distribution.weighted(), exact() or duplicated(), or DeliveryMode.KARMADA.');
    return { candidates };
  };
  if (distribution.kind === DistributionKind.BY_CAPACITY) return runtime('division by available capacity');
  if (distribution.kind === DistributionKind.AGGREGATED) return runtime('aggregated division');
  if (replicas === undefined) return { candidates };
  return { candidates, replicas: splitReplicas(candidates, distribution, replicas) };
}

/**
 * The clusters of the first fallback group Karmada can schedule on (it tries the groups in order). Spread
 * constraints are applied unless Karmada ignores them (static weights); in direct mode they narrow the group
 * to the clusters Karmada would select, which must not depend on run-time scores.
 */
function spreadCandidates(sink: ProblemSink, groups: CandidateGroup[], placement: Placement, distribution: Distribution, direct: boolean): MemberClusterProps[] {
  if (placement.spreadConstraints.length === 0 || ignoresSpread(distribution)) return groups[0].clusters;
  const failures: Array<{ group: number; problem: SpreadProblem }> = [];
  for (const { index, clusters } of groups) {
    const selection = selectBySpread(clusters, placement.spreadConstraints);
    if (selection.kind === 'unschedulable') {
      failures.push({ group: index, problem: selection.problem });
      continue;
    }
    if (selection.kind === 'by-score') {
      if (direct) report(sink, selection.problem);
      return clusters;
    }
    return direct ? selection.clusters : clusters;
  }
  const named = placement.groups && placement.groups.length > 1;
  for (const { group, problem } of failures.filter((f) => !f.problem.reported)) {
    report(sink, named ? { ...problem, message: `fallback group "${placement.groups![group].name}": ${problem.message}` } : problem);
  }
  return groups[0].clusters;
}

/** The candidates of one selector (a fallback group's, by its index in the placement). */
interface CandidateGroup {
  readonly index: number;
  readonly clusters: MemberClusterProps[];
}

function report(sink: ProblemSink, p: SpreadProblem): void {
  sink.error(p.rule, p.prop, p.value, p.message, p.fix);
}

/** select_clusters.go shouldIgnoreSpreadConstraint: Karmada ignores spreading for static weights. */
function ignoresSpread(distribution: Distribution): boolean {
  return distribution.kind === DistributionKind.WEIGHTED || distribution.kind === DistributionKind.EXACT;
}

/** Replicas per cluster: the full count on each (duplicated), or divided by static weights. */
function splitReplicas(candidates: readonly MemberClusterProps[], distribution: Distribution, replicas: number): Map<string, number> {
  if (distribution.kind === DistributionKind.DUPLICATED) return new Map(candidates.map((c) => [c.name, replicas]));
  // getStaticWeightInfoList: the largest weight among matching rules; unmatched clusters are left out;
  // if no candidate matches any rule, all get weight 1.
  let weights = candidates.map((c) => ({
    name: c.name,
    weight: Math.max(0, ...distribution.weights.filter((w) => clusterMatches(c, w.clusters)).map((w) => w.weight)),
  }));
  if (weights.every((w) => w.weight <= 0)) weights = candidates.map((c) => ({ name: c.name, weight: 1 }));
  return divideByWeight(replicas, weights);
}

/**
 * Restricts a selector to the tenant's clusters. Karmada ANDs `clusterNames` with the other parts, so adding
 * the tenant's names keeps label and field selectors while never reaching a cluster without the namespace.
 */
export function scopeToTenant(selector: ClusterSelector, fleet: Fleet, allowed: readonly string[]): ClusterSelector {
  if (allowed.length === fleet.clusters.length || (selector.names && selector.names.length > 0)) return selector;
  return { ...selector, names: [...allowed] };
}
