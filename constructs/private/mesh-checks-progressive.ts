/**
 * A MeshedService of an app under progressive delivery (FP-PROGRESSIVE): Flagger writes the routes, so the
 * service declares no split, A/B route, mirror or fault of its own, and Flagger runs where the app runs, which
 * must be mesh primaries (a remote cluster reads its routes from its primary, not from its own API server).
 */
import { ProblemSink } from '../../core/problems';
import { HttpRoute, FaultInjection, LocalityFailover, MirrorPolicy, Traffic } from '../../model/traffic';

/** The routing props Flagger takes over. */
export interface FlaggerRoutingProps {
  readonly traffic?: Traffic;
  readonly routes?: HttpRoute[];
  readonly mirror?: MirrorPolicy;
  readonly fault?: FaultInjection;
  readonly localityFailover?: LocalityFailover;
}

/** Every routing prop Flagger would ignore or overwrite, and clusters where Flagger's routes would not apply. */
export function checkFlaggerRouting(sink: ProblemSink, props: FlaggerRoutingProps, app: string, runsOn: readonly string[], primaries: readonly string[]): void {
  const why = `the app's routes are written by Flagger (\`progressive\` on ${app})`;
  if (props.traffic && props.traffic.kind !== 'stable') sink.error('FP-PROGRESSIVE', 'traffic', props.traffic.kind, `${why}, which shifts the traffic itself.`, 'drop `traffic`: the canary\'s share is set by the analysis (stepWeight, maxWeight).');
  if (props.routes?.length) sink.error('FP-PROGRESSIVE', 'routes', props.routes.map((r) => r.name), `${why}; A/B routes to versions have no subsets to go to.`, 'drop `routes`, or drop `progressive` on the app.');
  if (props.mirror) sink.error('FP-PROGRESSIVE', 'mirror', props.mirror, `${why}.`, 'drop `mirror`.');
  if (props.fault) sink.error('FP-PROGRESSIVE', 'fault', props.fault, `${why}.`, 'drop `fault`, or test faults on an app without progressive delivery.');
  if (props.localityFailover === LocalityFailover.PRIORITY) sink.error('FP-PROGRESSIVE', 'localityFailover', props.localityFailover, 'Flagger\'s traffic policy has no failoverPriority.', 'use LocalityFailover.REGIONS.');
  const remotes = runsOn.filter((c) => !primaries.includes(c));
  if (remotes.length) {
    sink.error('FP-PROGRESSIVE', 'app', remotes, `Flagger runs in each cluster of the app and writes its routes there, but ${remotes.join(', ')} ${remotes.length > 1 ? 'are remotes' : 'is a remote'}: a remote's proxies read the routes of its primary.`, 'place the app on primary clusters only, or make those clusters primaries.');
  }
}
