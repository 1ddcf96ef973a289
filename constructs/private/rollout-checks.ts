/**
 * Checks of rollout waves (FP-ROLLOUT): each wave names clusters the app (or the platform) runs on, every such
 * cluster is in exactly one wave, and the gate between waves reads SLOs the app has, over a window its rules record.
 */
import { Duration } from 'cdk8s';
import { promDuration } from '../../core/duration';
import { ProblemSink } from '../../core/problems';
import { BURN_WINDOWS } from '../../engines/monitoring/rules';
import { RolloutGateProps } from '../../model/rollout';

/** Where waves are checked: the clusters they may name and must cover. */
export interface WaveScope {
  /** Clusters the waves may name (the app's placement, or the fleet). */
  readonly allowed: readonly string[];
  /** What `allowed` is, for messages. */
  readonly what: string;
}

/** The waves as given; returns whether they can be used. */
export function checkWaves(sink: ProblemSink, prop: string, waves: unknown, scope: WaveScope): waves is string[][] {
  if (!Array.isArray(waves) || waves.length === 0 || !waves.every((w) => Array.isArray(w) && w.every((c) => typeof c === 'string'))) {
    sink.error('FP-ROLLOUT', prop, waves, 'waves are a non-empty list of lists of cluster names.', "e.g. [['bj-1'], ['bj-2', 'sh-1']].");
    return false;
  }
  const before = sink.problems.length;
  const seen = new Map<string, number>();
  waves.forEach((wave: string[], i) => {
    if (wave.length === 0) sink.error('FP-ROLLOUT', `${prop}[${i}]`, wave, 'an empty wave releases nothing and would hold the next ones back for a gate on no cluster.', 'drop the empty wave.');
    wave.forEach((c, j) => {
      if (!scope.allowed.includes(c)) {
        sink.error('FP-ROLLOUT', `${prop}[${i}][${j}]`, c, `the wave names a cluster outside ${scope.what} (${scope.allowed.join(', ') || 'none'}).`, `name only clusters of ${scope.what}, or widen it.`);
      } else if (seen.has(c)) {
        sink.error('FP-ROLLOUT', `${prop}[${i}][${j}]`, c, `the cluster is already in wave ${seen.get(c)}; a cluster gets a new version once.`, 'keep each cluster in one wave.');
      } else {
        seen.set(c, i);
      }
    });
  });
  const missing = scope.allowed.filter((c) => !seen.has(c));
  if (missing.length) {
    sink.error('FP-ROLLOUT', prop, missing, `${missing.join(', ')} of ${scope.what} ${missing.length > 1 ? 'are' : 'is'} in no wave, so ${missing.length > 1 ? 'they' : 'it'} would never get a new version (or get it unguarded).`, 'add every cluster to one wave.');
  }
  return sink.problems.length === before;
}

/** The gate: a window the SLO rules record, a positive burn rate, and SLOs to read. */
export function checkGate(sink: ProblemSink, prop: string, gate: RolloutGateProps | false | undefined, slos: number): void {
  if (gate === false) return;
  if (slos === 0) {
    sink.error('FP-ROLLOUT', `${prop}.gate`, 'SLO burn rate', 'the gate between waves reads the app\'s SLO burn rates, and the app has no SLO (or no metrics).', 'set `metrics` and `slos` on the app, or `gate: false` to promote waves unguarded.');
  }
  if (!gate) return;
  const windows: readonly string[] = BURN_WINDOWS;
  if (gate.window !== undefined && (!(gate.window instanceof Duration) || !windows.includes(promDuration(gate.window)))) {
    sink.error('FP-ROLLOUT', `${prop}.gate.window`, gate.window instanceof Duration ? promDuration(gate.window) : gate.window, `the SLO rules record burn rates over ${BURN_WINDOWS.join(', ')} only.`, 'use one of those, e.g. Duration.hours(1).');
  }
  if (gate.maxBurnRate !== undefined && !(typeof gate.maxBurnRate === 'number' && gate.maxBurnRate > 0)) {
    sink.error('FP-ROLLOUT', `${prop}.gate.maxBurnRate`, gate.maxBurnRate, 'a burn rate is a positive factor of the error budget.', 'e.g. 2.');
  }
}
