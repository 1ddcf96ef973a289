/**
 * An app in direct mode: fleetplane expands the placement itself, writing to each member the workloads
 * with that member's share of the replicas (divided as Karmada would), the overrides applied in place,
 * and a HorizontalPodAutoscaler with its share of the fleet-wide bounds.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AppDeliveryInput } from '../../core/delivery';
import { PlainApiObject } from '../../core/l1';
import { ProblemSink } from '../../core/problems';
import { AppResources } from '../../model/app';
import { Distribution, DistributionKind } from '../../model/distribution';
import { ClusterOverride } from '../../model/overrides';
import { memberBounds, renderHorizontalPodAutoscaler } from './autoscaling';
import { applyJsonPatch, applyOverrideValues } from './overrides';
import { schedule } from './scheduling';
import { ClusterWeight } from './webster';

/** Creates the app's objects for one member cluster in a scope of that member's target. */
export function renderMemberApp(scope: Construct, app: AppDeliveryInput, cluster: string): AppResources {
  const a = app.autoscaling;
  const hpaBounds = a ? memberBounds(a, memberWeights(app), cluster) : undefined;
  const replicas = a ? undefined : app.scheduled.replicas?.get(cluster) ?? 0;
  const runsHere = a ? hpaBounds !== undefined : replicas! > 0;
  const canaryReplicas = canarySplit(app)?.get(cluster) ?? 0;
  const canaryWorkload = canaryReplicas > 0
    ? new PlainApiObject(scope, 'CanaryWorkload', withOverrides(app, cluster, app.renderWorkload(canaryReplicas, 'canary')) as any)
    : undefined;
  let workload: ApiObject | undefined;
  let horizontalPodAutoscaler: ApiObject | undefined;
  if (runsHere) {
    const json = withOverrides(app, cluster, app.renderWorkload(replicas, 'stable'));
    workload = new PlainApiObject(scope, 'Workload', json as any);
    if (a && hpaBounds) {
      const meta = { name: app.name, namespace: app.namespace, labels: app.labels };
      horizontalPodAutoscaler = renderHorizontalPodAutoscaler(scope, meta, { apiVersion: json.apiVersion, kind: json.kind, name: app.name }, a, hpaBounds);
    }
  }
  const common = app.renderCommon(scope, runsHere || canaryReplicas > 0 ? replicas : 0);
  return { workload, canaryWorkload, ...common, horizontalPodAutoscaler };
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
