/**
 * Checks of a FederatedApp's progressive delivery (FP-PROGRESSIVE): Flagger routes the new version with Istio and
 * judges it on the app's SLO series, so the app must be meshed, a Deployment with one port, without a static
 * canary of its own, and have SLOs on scraped metrics.
 */
import { Duration } from 'cdk8s';
import { ProblemSink } from '../../core/problems';
import { WorkloadKind } from '../../model/app';
import { ProgressiveDelivery } from '../../model/progressive';

/** What the check needs to know about the app. */
export interface ProgressiveCheckContext {
  readonly kind: WorkloadKind;
  readonly meshed: boolean;
  readonly ports: number;
  readonly staticCanary: boolean;
  readonly metrics: boolean;
  readonly slos: number;
  readonly karmada: boolean;
  readonly autoscaled: boolean;
}

/** Every problem of the prop and of the app it needs. */
export function checkProgressive(sink: ProgressiveSink, p: ProgressiveDelivery, app: ProgressiveCheckContext): void {
  if (!(p instanceof ProgressiveDelivery)) {
    sink.error('FP-PROGRESSIVE', 'progressive', p, 'progressive delivery is a ProgressiveDelivery.', 'use ProgressiveDelivery.canary({...}) or ProgressiveDelivery.blueGreen({...}).');
    return;
  }
  checkAnalysis(sink, p);
  if (!app.meshed) sink.error('FP-PROGRESSIVE', 'progressive', p.strategy, 'Flagger shifts the traffic with Istio, and the tenant is not in the mesh (no mesh, or `mesh: false`).', 'declare `mesh` on the platform and keep the tenant in it.');
  if (app.kind !== WorkloadKind.DEPLOYMENT) sink.error('FP-PROGRESSIVE', 'progressive', app.kind, 'Flagger promotes Deployments; a StatefulSet keeps its identity and storage per replica.', 'use WorkloadKind.DEPLOYMENT, or drop `progressive`.');
  if (app.ports !== 1) sink.error('FP-PROGRESSIVE', 'progressive', `${app.ports} ports`, 'Flagger routes one port of the app (its apex, primary and canary Services have one).', 'give the app exactly one port.');
  if (app.staticCanary) sink.error('FP-PROGRESSIVE', 'canary', 'canary', 'Flagger runs the new version itself (the Deployment is its canary and it creates `<app>-primary`); a second, static canary would be routed by nobody.', 'drop `canary` and change the image: Flagger canaries every new version.');
  if (!app.metrics || app.slos === 0) sink.error('FP-PROGRESSIVE', 'slos', app.slos, 'the analysis gates on the app\'s SLO series, and the app has no SLO on scraped metrics.', 'set `metrics` and at least one entry in `slos`.');
  if (app.karmada && app.autoscaled) {
    sink.error('FP-PROGRESSIVE', 'autoscaling', 'FederatedHPA', 'a FederatedHPA scales the Deployment Karmada propagates, which Flagger keeps at zero between analyses; the `<app>-primary` that serves traffic is created by Flagger in each member and Karmada neither manages nor scales it.', 'use fixed replicas in karmada mode (Flagger copies them to the primary), or direct mode, where each cluster\'s HorizontalPodAutoscaler is handed to Flagger.');
  }
}

/** The sink, narrowed to what the checks use. */
type ProgressiveSink = Pick<ProblemSink, 'error'>;

function checkAnalysis(sink: ProgressiveSink, p: ProgressiveDelivery): void {
  const a = p.props;
  if (a.interval !== undefined && (!(a.interval instanceof Duration) || a.interval.toSeconds() < 60 || a.interval.toSeconds() % 60 !== 0)) {
    sink.error('FP-PROGRESSIVE', 'progressive.interval', a.interval, 'the analysis interval is whole minutes, at least one (the per-workload SLO series are rates over it, from 30 s scrapes).', 'e.g. Duration.minutes(1).');
  }
  const int = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
  if (a.threshold !== undefined && !int(a.threshold, 1, 100)) sink.error('FP-PROGRESSIVE', 'progressive.threshold', a.threshold, 'failed checks before rollback: a whole number from 1 to 100.', 'e.g. 5.');
  if (a.maxBurnRate !== undefined && !(typeof a.maxBurnRate === 'number' && a.maxBurnRate > 0)) sink.error('FP-PROGRESSIVE', 'progressive.maxBurnRate', a.maxBurnRate, 'a burn rate is a positive factor of the error budget.', 'e.g. 14.4 (the fast-burn alert) or 1 (no faster than the objective allows).');
  if (p.strategy === 'blue-green') {
    if (a.iterations !== undefined && !int(a.iterations, 1, 1000)) sink.error('FP-PROGRESSIVE', 'progressive.iterations', a.iterations, 'iterations: a whole number of checks, at least 1.', 'e.g. 10.');
    return;
  }
  const step = a.stepWeight ?? 10;
  const max = a.maxWeight ?? 50;
  if (!int(step, 1, 100)) sink.error('FP-PROGRESSIVE', 'progressive.stepWeight', a.stepWeight, 'the step is a percentage from 1 to 100.', 'e.g. 10.');
  if (!int(max, 1, 100)) sink.error('FP-PROGRESSIVE', 'progressive.maxWeight', a.maxWeight, 'the promotion weight is a percentage from 1 to 100.', 'e.g. 50.');
  else if (int(step, 1, 100) && step > max) sink.error('FP-PROGRESSIVE', 'progressive.stepWeight', step, `the step (${step}%) exceeds the promotion weight (${max}%), so the canary would never be checked below it.`, 'make stepWeight at most maxWeight.');
}
