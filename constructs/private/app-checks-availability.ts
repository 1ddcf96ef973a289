/** Checks of a FederatedApp's failover, storage and disruption budget (rules 9, 21). */
import { ProblemSink } from '../../core/problems';
import { isQuantity } from '../../core/quantity';
import { DisruptionBudgetProps, FailoverProps, PurgeMode, StorageProps, WorkloadKind } from '../../model/app';

/** Application failover (rule 21): Karmada's, with a valid toleration, purge mode and grace period. */
export function checkFailover(sink: ProblemSink, f: FailoverProps, direct: boolean): void {
  if (direct) sink.error('FP-DIRECT', 'failover', f, 'application failover is performed by Karmada at run time; direct delivery has no Karmada.', 'drop failover or use DeliveryMode.KARMADA.');
  const tol = f.toleration?.toSeconds();
  if (tol !== undefined && tol < 0) sink.error('K21', 'failover.toleration', tol, 'the toleration must be ≥ 0 seconds.', 'use e.g. Duration.minutes(2).');
  const mode = f.purgeMode ?? PurgeMode.GRACEFULLY;
  if (!Object.values(PurgeMode).includes(mode)) sink.error('K21', 'failover.purgeMode', mode, 'unknown purge mode.', 'use PurgeMode.GRACEFULLY, DIRECTLY or NEVER.');
  if (f.gracePeriod !== undefined && mode !== PurgeMode.GRACEFULLY) sink.error('K21', 'failover.gracePeriod', f.gracePeriod.toSeconds(), 'a grace period only applies with PurgeMode.GRACEFULLY.', 'drop gracePeriod or use PurgeMode.GRACEFULLY.');
  if (f.gracePeriod !== undefined && !(f.gracePeriod.toSeconds() > 0)) sink.error('K21', 'failover.gracePeriod', f.gracePeriod.toSeconds(), 'the grace period must be > 0 seconds.', 'use e.g. Duration.minutes(10).');
}

/** Per-replica storage: a StatefulSet's, with a quantity and an absolute mount path. */
export function checkStorage(sink: ProblemSink, storage: StorageProps, kind: WorkloadKind): void {
  if (kind !== WorkloadKind.STATEFUL_SET) sink.error('FP-STORAGE', 'storage', storage, 'per-replica storage needs a StatefulSet.', 'set kind: WorkloadKind.STATEFUL_SET.');
  if (!isQuantity(storage.size)) sink.error('FP-STORAGE', 'storage.size', storage.size, 'not a Kubernetes quantity.', 'use e.g. "10Gi".');
  if (typeof storage.mountPath !== 'string' || !storage.mountPath.startsWith('/')) sink.error('FP-STORAGE', 'storage.mountPath', storage.mountPath, 'the mount path must be absolute.', 'use e.g. "/data".');
}

/** The disruption budget (rule 9): exactly one bound, and one that allows some disruption. */
export function checkDisruptionBudget(sink: ProblemSink, pdb: DisruptionBudgetProps): void {
  if ((pdb.maxUnavailable === undefined) === (pdb.minAvailable === undefined)) sink.error('K9', 'disruptionBudget', pdb, 'give exactly one of maxUnavailable and minAvailable.', 'e.g. { maxUnavailable: 1 }.');
  for (const field of ['maxUnavailable', 'minAvailable'] as const) {
    const v = pdb[field];
    if (v === undefined) continue;
    const percent = typeof v === 'string' ? /^(\d+)%$/.exec(v) : null;
    const valid = typeof v === 'number' ? Number.isInteger(v) && v >= 0 : !!percent && Number(percent[1]) <= 100;
    if (!valid) sink.error('K9', `disruptionBudget.${field}`, v, 'a budget is a whole number ≥ 0 or a percentage from 0% to 100%.', 'use e.g. 1 or "25%".');
  }
  if (pdb.maxUnavailable === 0 || pdb.maxUnavailable === '0%') sink.warn('K9', 'disruptionBudget.maxUnavailable', 0, 'this budget allows no disruption and blocks node drains.', 'allow at least 1.');
}

/**
 * A minAvailable at or above the replicas of the smallest cluster blocks drains there (rule 9).
 * @param split replicas per cluster, when known at synthesis.
 */
export function checkBudgetPerCluster(sink: ProblemSink, pdb: DisruptionBudgetProps, split: ReadonlyMap<string, number> | undefined): void {
  const perCluster = Math.min(...(split ?? new Map<string, number>()).values());
  if (typeof pdb.minAvailable === 'number' && Number.isFinite(perCluster) && pdb.minAvailable >= perCluster) {
    sink.warn('K9', 'disruptionBudget.minAvailable', pdb.minAvailable, `a cluster runs only ${perCluster} replica(s), so this budget allows no disruption there and blocks drains.`, 'lower minAvailable or use maxUnavailable.');
  }
}
