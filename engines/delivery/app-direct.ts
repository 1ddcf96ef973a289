/**
 * An app in direct mode: fleetplane expands the placement itself, writing to each member the workloads
 * with that member's share of the replicas (divided as Karmada would), the overrides applied in place,
 * and a HorizontalPodAutoscaler with its share of the fleet-wide bounds.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AppDeliveryInput, AppTrack } from '../../core/delivery';
import { PlainApiObject } from '../../core/l1';
import { ProblemSink } from '../../core/problems';
import { AppResources } from '../../model/app';
import { Distribution, DistributionKind } from '../../model/distribution';
import { ClusterOverride } from '../../model/overrides';
import { ReplicaBounds, memberBounds, renderHorizontalPodAutoscaler, versionAutoscaling } from './autoscaling';
import { applyJsonPatch, applyOverrideValues } from './overrides';
import { schedule } from './scheduling';
import { ClusterWeight } from './webster';

/** Creates the app's objects for one member cluster in a scope of that member's target. */
export function renderMemberApp(scope: Construct, app: AppDeliveryInput, cluster: string): AppResources {
  const a = app.autoscaling;
  const hpaBounds = a ? memberBounds(a, memberWeights(app), cluster) : undefined;
  const replicas = a ? undefined : app.scheduled.replicas?.get(cluster) ?? 0;
  const runsHere = a ? hpaBounds !== undefined : replicas! > 0;
  // An autoscaled canary runs wherever the app does, scaled by its own autoscaler; a fixed one is divided.
  const canaryReplicas = a ? (runsHere && app.canaryReplicas !== undefined ? 1 : 0) : canarySplit(app)?.get(cluster) ?? 0;
  const canary = canaryReplicas > 0 ? renderTrack(scope, app, cluster, 'canary', a ? undefined : canaryReplicas) : undefined;
  const stable = runsHere ? renderTrack(scope, app, cluster, 'stable', replicas) : undefined;
  const common = app.renderCommon(scope, runsHere || canaryReplicas > 0 ? replicas : 0);
  return {
    workload: stable?.workload,
    canaryWorkload: canary?.workload,
    ...common,
    horizontalPodAutoscaler: stable?.autoscaler,
    canaryHorizontalPodAutoscaler: canary?.autoscaler,
  };
}

/**
 * One version's workload in a member, with the overrides applied and, when autoscaled, its HPA. The stable
 * HPA of an app without a canary has the member's share of the fleet-wide bounds; with a canary each
 * version's HPA has the member's share of that version's bounds (read at synthesis, see versionAutoscaling).
 */
function renderTrack(scope: Construct, app: AppDeliveryInput, cluster: string, track: AppTrack, replicas: number | undefined): { workload: ApiObject; autoscaler?: ApiObject } {
  const prefix = track === 'canary' ? 'Canary' : '';
  const json = app.renderWorkload(replicas, track);
  const meta = { name: json.metadata.name as string, namespace: app.namespace, labels: { ...json.metadata.labels } };
  const workload = new PlainApiObject(scope, `${prefix}Workload`, withOverrides(app, cluster, json) as any);
  const a = app.autoscaling;
  if (!a) return { workload };
  const target = { apiVersion: json.apiVersion, kind: json.kind, name: meta.name };
  const weights = memberWeights(app);
  const bounds: ReplicaBounds | (() => ReplicaBounds) = app.canaryReplicas === undefined
    ? memberBounds(a, weights, cluster)!
    // The member runs the app, so each version keeps at least one replica here (an HPA has no zero).
    : () => memberBounds(versionAutoscaling(a, app.trafficShare(track)), weights, cluster) ?? { min: 1, max: 1 };
  return { workload, autoscaler: renderHorizontalPodAutoscaler(scope, meta, target, a, bounds, `${prefix}HorizontalPodAutoscaler`) };
}

/** A rendered workload with every override matching the cluster applied in place, in declaration order. */
function withOverrides(app: AppDeliveryInput, cluster: string, json: Record<string, any>): Record<string, any> {
  const c = app.fleet.get(cluster)!;
  const matching = app.overrides.filter((o) => o && o.clusters && app.fleet.select(o.clusters).includes(c));
  for (const o of matching) {
    applyOverrideValues(json, o);
    if (o.jsonPatch?.length) applyUserPatch(app.sink, json, o, app.overrides.indexOf(o), cluster);
  }
  return json;
}

/** Applies an override's JSON patch; one that does not apply to the rendered workload is a K23 problem. */
function applyUserPatch(sink: ProblemSink, json: Record<string, any>, o: ClusterOverride, index: number, cluster: string): void {
  try {
    applyJsonPatch(json, o.jsonPatch!);
  } catch (e) {
    sink.error('K23', `overrides[${index}].jsonPatch`, o.jsonPatch, `the patch does not apply to the rendered ${json.kind} in ${cluster}: ${(e as Error).message}.`, 'point the patch at an existing parent path (use "add" to create a member).');
  }
}

/** Canary replicas per cluster, divided like the app's replicas (evenly where the app has exact counts). */
function canarySplit(app: AppDeliveryInput): Map<string, number> | undefined {
  if (app.canaryReplicas === undefined) return undefined;
  const distribution = app.distribution.kind === DistributionKind.EXACT ? Distribution.evenly() : app.distribution;
  return schedule(new ProblemSink(''), app.fleet, app.tenantClusters, app.placement, distribution, app.canaryReplicas, true).replicas;
}

/** Per-candidate weights as Karmada derives them (max of matching rules; all 1 when none match). */
function memberWeights(app: AppDeliveryInput): ClusterWeight[] {
  const cands = app.scheduled.candidates;
  let w = cands.map((c) => ({ name: c.name, weight: Math.max(0, ...app.distribution.weights.filter((r) => app.fleet.select(r.clusters).includes(c)).map((r) => r.weight)) }));
  if (w.every((x) => x.weight <= 0)) w = cands.map((c) => ({ name: c.name, weight: 1 }));
  return w;
}
