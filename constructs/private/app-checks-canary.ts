/** Checks of a FederatedApp's canary version. */
import { overrideImage, parseImage } from '../../core/image';
import { ImageTagPolicy } from '../../model/platform';
import { checkImage } from './image-checks';
import { isDnsSubdomain, isLabelValue } from '../../core/names';
import { ProblemSink } from '../../core/problems';
import { CanaryProps, WorkloadKind } from '../../model/app';

/** What the canary check needs to know about the app. */
export interface CanaryCheckContext {
  readonly appName: string;
  readonly kind: WorkloadKind;
  /** The stable version as resolved (`stable` when neither `version` nor an image tag names it). */
  readonly stableVersion: string;
  /** The `version` prop as given. */
  readonly version?: string;
  /** The stable image as rendered, and the platform's tag policy. */
  readonly image: string;
  readonly imageTagPolicy: ImageTagPolicy;
}

/** The canary names a workload and an Istio subset of its own, with at least one replica. */
export function checkCanary(sink: ProblemSink, canary: CanaryProps, app: CanaryCheckContext): void {
  if (typeof canary.version !== 'string' || !isDnsSubdomain(canary.version) || canary.version.includes('.') || !isLabelValue(canary.version)) {
    sink.error('FP-CANARY', 'canary.version', canary.version, 'a canary version must be a DNS-1123 label (it names the workload and the Istio subset).', 'use e.g. "v2".');
  } else if (`${app.appName}-${canary.version}`.length > (app.kind === WorkloadKind.STATEFUL_SET ? 54 : 63)) {
    sink.error('K1', 'canary.version', canary.version, `the canary workload name "${app.appName}-${canary.version}" is too long.`, 'shorten the app name or the version.');
  }
  if (canary.version === app.stableVersion) sink.error('FP-CANARY', 'canary.version', canary.version, 'the canary version equals the stable version.', 'give the canary its own version, or set `version` on the app.');
  if (canary.replicas !== undefined && (!Number.isInteger(canary.replicas) || canary.replicas < 1)) sink.error('FP-CANARY', 'canary.replicas', canary.replicas, 'a canary needs at least one replica.', 'use 1 or more.');
  if (canary.image !== undefined) checkImage(sink, 'canary.image', canary.image, app.imageTagPolicy, 'registry.example.com/team/app:2.0.0');
  // Without an image of its own the canary runs the stable image tagged with its version.
  else if (typeof canary.version === 'string' && parseImage(app.image)) checkImage(sink, 'canary.version', overrideImage(app.image, { tag: canary.version }), app.imageTagPolicy);
  if (app.stableVersion === 'stable' && app.version === undefined) sink.warn('FP-CANARY', 'version', undefined, 'the stable version has no name (the image has no tag), so its subset is called "stable".', 'set `version` on the app, e.g. "v1".');
}
