/**
 * An app's rollout across clusters in waves (karmada mode): which waves it uses (its own, or the platform's
 * restricted to its clusters), how far its current version has been promoted, which clusters are held back,
 * and the gate `fleetplane promote` checks before the next wave.
 */
import { createHash } from 'crypto';
import { Duration } from 'cdk8s';
import { ResolvedRollout } from '../../core/context';
import { promDuration } from '../../core/duration';
import { ProblemSink } from '../../core/problems';
import { BurnRateGate, waveGate } from '../../engines/monitoring/rules';
import { Slo } from '../../model/monitoring';
import { RolloutGateProps, RolloutProps } from '../../model/rollout';
import { checkGate, checkWaves } from './rollout-checks';

/** The rollout of one app's current version. */
export interface RolloutStatus {
  /** `<namespace>/<app>`: the key of its promotions. */
  readonly app: string;
  /** Fingerprint of the workload and ConfigMaps: a new one starts a new rollout. */
  readonly revision: string;
  readonly waves: readonly (readonly string[])[];
  /** Waves released, from 1. */
  readonly released: number;
  /** Clusters that keep their previous version for now. */
  readonly suspended: readonly string[];
  /** The gate before the next wave, per SLO (empty when ungated, or when every wave is out). */
  readonly gates: readonly BurnRateGate[];
}

/** What the plan needs from the app. */
export interface RolloutInput {
  readonly own?: RolloutProps;
  readonly platform?: ResolvedRollout;
  readonly direct: boolean;
  readonly namespace: string;
  readonly name: string;
  readonly candidates: readonly string[];
  /** SLOs the gate can read (none without metrics). */
  readonly slos: readonly Slo[];
  /** The rendered version: workload and ConfigMaps. */
  readonly version: () => unknown;
}

/** The app's rollout, or undefined when it has none (or it is refused: the problems say why). */
export function planRollout(sink: ProblemSink, i: RolloutInput): RolloutStatus | undefined {
  if (i.own && i.direct) {
    sink.error('FP-ROLLOUT', 'rollout', i.own.waves, 'in direct mode every cluster is its own target, rolled out by Argo CD RollingSync for the whole platform.', 'set `rollout` on the DistributedPlatform (with Argo CD GitOps) instead of on the app.');
    return undefined;
  }
  if (i.direct || (!i.own && !i.platform?.waves.length)) return undefined;
  let waves: string[][];
  let gate: RolloutGateProps | false | undefined;
  if (i.own) {
    if (!checkWaves(sink, 'rollout.waves', i.own.waves, { allowed: i.candidates, what: "the app's placement" })) return undefined;
    checkGate(sink, 'rollout', i.own.gate, i.slos.length);
    waves = i.own.waves;
    gate = i.own.gate;
  } else {
    waves = i.platform!.waves.map((w) => w.filter((c) => i.candidates.includes(c))).filter((w) => w.length > 0);
    gate = i.platform!.gate;
    if (gate !== false && i.slos.length === 0 && waves.length > 1) {
      sink.warn('FP-ROLLOUT', 'slos', undefined, "the platform's waves hold this app back between waves, but it has no SLO to gate on: `fleetplane promote` releases its next wave unchecked.", 'give the app `metrics` and `slos`.');
    }
  }
  if (sink.hasErrors) return undefined;
  const key = `${i.namespace}/${i.name}`;
  const revision = createHash('sha256').update(JSON.stringify(i.version())).digest('hex').slice(0, 12);
  const released = Math.min(Math.max(i.platform?.state.released(key, revision) ?? 1, 1), waves.length);
  const done = waves.slice(0, released).flat();
  const g = gate === false ? undefined : gate ?? {};
  const window = promDuration(g?.window ?? Duration.hours(1));
  const gates = g && released < waves.length ? i.slos.map((slo) => waveGate(i.namespace, i.name, slo, window, done, g.maxBurnRate ?? 2)) : [];
  return { app: key, revision, waves, released, suspended: waves.slice(released).flat(), gates };
}
