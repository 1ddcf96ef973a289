/**
 * Checks of a FederatedApp's replica count, autoscaling and scaling schedules (rules 10, 20, 24, 25).
 */
import { isCronExpression, isTimeZone } from '../../core/cron';
import { Fleet } from '../../core/fleet';
import { ProblemSink } from '../../core/problems';
import { AutoscalingProps, ScalingSchedule } from '../../model/app';
import { Distribution, DistributionKind } from '../../model/distribution';

/** The replica count and exact counts, which must agree and name the tenant's clusters. */
export function checkReplicas(
  sink: ProblemSink,
  replicas: number | undefined,
  distribution: Distribution,
  totalReplicas: number | undefined,
  fleet: Fleet,
  tenantClusters: readonly string[],
): void {
  if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) sink.error('FP-REPLICAS', 'replicas', replicas, 'replicas must be a whole number ≥ 0.', 'use e.g. 3.');
  if (distribution.kind !== DistributionKind.EXACT) return;
  const total = totalReplicas ?? 0;
  if (replicas !== undefined && replicas !== total) sink.error('FP-REPLICAS', 'replicas', replicas, `Distribution.exact() counts sum to ${total}, which differs from replicas.`, 'drop replicas (the counts define it) or make them agree.');
  if (total <= 0) sink.error('FP-REPLICAS', 'distribution', distribution.counts, 'exact counts must give at least one replica.', 'give a positive count.');
  for (const name of Object.keys(distribution.counts ?? {})) {
    if (!tenantClusters.includes(name) && fleet.has(name)) sink.error('FP-TENANT-CLUSTERS', `distribution.counts['${name}']`, name, 'the tenant does not use this cluster.', `use ${tenantClusters.join(', ')}.`);
  }
}

/**
 * Autoscaling: it owns the replica count, divides it over the fleet, and has valid bounds, targets,
 * behaviour and schedules (schedules need Karmada).
 */
export function checkAutoscaling(
  sink: ProblemSink,
  a: AutoscalingProps,
  counts: { readonly replicas?: number; readonly canaryReplicas?: number },
  distribution: Distribution,
  direct: boolean,
): void {
  if (counts.replicas !== undefined) sink.error('K25', 'replicas', counts.replicas, 'replicas and autoscaling both set the replica count and would fight over spec.replicas.', 'drop replicas; autoscaling.minReplicas sets the floor.');
  if (counts.canaryReplicas !== undefined) {
    sink.error('K25', 'canary.replicas', counts.canaryReplicas, "an autoscaled app's canary has its own autoscaler, whose bounds follow the canary's share of the traffic; a fixed count would fight it over spec.replicas.", 'drop canary.replicas; set the split with the MeshedService traffic.');
  }
  if (distribution.kind === DistributionKind.EXACT) sink.error('K25', 'distribution', 'exact', 'exact counts fix the replicas, which the autoscaler owns.', 'use Distribution.weighted() with autoscaling.');
  if (distribution.kind === DistributionKind.DUPLICATED) sink.error('K25', 'distribution', 'duplicated', 'a FederatedHPA scales the fleet-wide count; duplicating it multiplies it by the number of clusters.', 'use Distribution.evenly() or weighted().');
  if (!Number.isInteger(a.minReplicas) || a.minReplicas < 1) sink.error('K24', 'autoscaling.minReplicas', a.minReplicas, 'minReplicas must be a whole number ≥ 1 (no scale to zero).', 'use 1 or more.');
  if (!Number.isInteger(a.maxReplicas) || a.maxReplicas < Math.max(1, a.minReplicas)) sink.error('K24', 'autoscaling.maxReplicas', a.maxReplicas, `maxReplicas must be a whole number ≥ minReplicas (${a.minReplicas}).`, `use at least ${a.minReplicas}.`);
  for (const m of ['cpuUtilization', 'memoryUtilization'] as const) {
    const v = a[m];
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) sink.error('K10', `autoscaling.${m}`, v, 'a utilization target is a whole percentage ≥ 1.', 'use e.g. 70.');
  }
  checkBehavior(sink, a);
  checkSchedules(sink, a.schedules ?? [], a.maxReplicas);
  if ((a.schedules ?? []).length > 0 && direct) {
    sink.error('FP-DIRECT', 'autoscaling.schedules', a.schedules!.map((s) => s.name), 'scheduled scaling is a Karmada CronFederatedHPA; direct delivery has no Karmada.', 'drop the schedules or use DeliveryMode.KARMADA.');
  }
}

/** Scale-up and scale-down behaviour (rule 10). */
function checkBehavior(sink: ProblemSink, a: AutoscalingProps): void {
  for (const dir of ['scaleUp', 'scaleDown'] as const) {
    const r = a[dir];
    const w = r?.stabilizationWindow?.toSeconds();
    if (w !== undefined && (w < 0 || w > 3600)) sink.error('K10', `autoscaling.${dir}.stabilizationWindow`, `${w}s`, 'the stabilization window must be 0-3600 seconds.', 'use at most Duration.hours(1).');
    (r?.policies ?? []).forEach((p, i) => {
      const s = p.period?.toSeconds();
      if (s === undefined || s < 1 || s > 1800) sink.error('K10', `autoscaling.${dir}.policies[${i}].period`, s, 'a policy period must be 1-1800 seconds.', 'use e.g. Duration.minutes(1).');
      if (!(p.value > 0)) sink.error('K10', `autoscaling.${dir}.policies[${i}].value`, p.value, 'a policy value must be > 0.', 'use e.g. 4.');
      if (p.type !== 'Pods' && p.type !== 'Percent') sink.error('K10', `autoscaling.${dir}.policies[${i}].type`, p.type, 'unknown policy type.', "use 'Pods' or 'Percent'.");
    });
  }
}

/** CronFederatedHPA rules (rule 24). */
function checkSchedules(sink: ProblemSink, schedules: readonly ScalingSchedule[], maxReplicas: number): void {
  const ruleNames = new Set<string>();
  schedules.forEach((s, i) => {
    const at = `autoscaling.schedules[${i}]`;
    if (typeof s.name !== 'string' || s.name.length < 1 || s.name.length > 32) sink.error('K24', `${at}.name`, s.name, 'a schedule name must be 1-32 characters.', 'use a short name such as "weekday-up".');
    if (ruleNames.has(s.name)) sink.error('K24', `${at}.name`, s.name, 'schedule names must be unique.', 'rename the schedule.');
    ruleNames.add(s.name);
    if (!isCronExpression(s.schedule)) sink.error('K24', `${at}.schedule`, s.schedule, 'not a valid five-field cron expression.', 'use e.g. "0 8 * * 1-5".');
    if (s.timeZone !== undefined && !isTimeZone(s.timeZone)) sink.error('K24', `${at}.timeZone`, s.timeZone, 'not an IANA time zone name.', 'use e.g. "Europe/Berlin" or "Asia/Shanghai".');
    if (s.minReplicas === undefined && s.maxReplicas === undefined) sink.error('K24', at, s, 'a schedule on a FederatedHPA must change minReplicas or maxReplicas.', 'set minReplicas and/or maxReplicas.');
    for (const f of ['minReplicas', 'maxReplicas'] as const) {
      if (s[f] !== undefined && (!Number.isInteger(s[f]) || s[f]! < 1)) sink.error('K24', `${at}.${f}`, s[f], 'must be a whole number > 0.', 'use 1 or more.');
    }
    if (s.minReplicas !== undefined && s.maxReplicas === undefined && s.minReplicas > maxReplicas) sink.error('K24', `${at}.minReplicas`, s.minReplicas, `the scheduled minimum exceeds the autoscaler's maxReplicas (${maxReplicas}).`, 'also raise maxReplicas in the schedule, or lower minReplicas.');
    if (s.minReplicas !== undefined && s.maxReplicas !== undefined && s.minReplicas > s.maxReplicas) sink.error('K24', `${at}.minReplicas`, s.minReplicas, `minReplicas exceeds maxReplicas (${s.maxReplicas}).`, 'swap or fix the bounds.');
  });
}

/**
 * Rule 20: many replicas duplicated to every cluster by default, which is rarely meant.
 * @param explicit the distribution was given (not the default).
 */
export function checkDefaultDuplication(sink: ProblemSink, distribution: Distribution, explicit: boolean, totalReplicas: number | undefined, tenantClusterCount: number): void {
  if (distribution.kind === DistributionKind.DUPLICATED && !explicit && (totalReplicas ?? 0) >= 10 && tenantClusterCount > 1) {
    sink.warn('K20', 'distribution', 'duplicated (default)', `every cluster runs all ${totalReplicas} replicas (Karmada's default is to duplicate).`, 'say Distribution.duplicated() explicitly, or divide with Distribution.weighted().');
  }
}

/**
 * Exact counts name clusters the placement selects: Karmada turns the counts into static weights over the
 * placement's clusters, so a count for a cluster outside it would silently move its replicas to the others.
 */
export function checkExactCountsPlaced(sink: ProblemSink, distribution: Distribution, candidates: readonly string[], tenantClusters: readonly string[]): void {
  if (distribution.kind !== DistributionKind.EXACT) return;
  for (const name of Object.keys(distribution.counts ?? {})) {
    if (!tenantClusters.includes(name) || candidates.includes(name)) continue; // unknown or foreign clusters are reported elsewhere
    sink.error('FP-REPLICAS', `distribution.counts['${name}']`, name, `the placement does not select ${name}, so its replicas would land on ${candidates.join(', ') || 'no cluster'} instead.`, `add ${name} to the placement, or drop its count.`);
  }
}
