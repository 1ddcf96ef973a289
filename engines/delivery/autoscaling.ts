/**
 * Autoscaling of an app: a Karmada FederatedHPA (with a CronFederatedHPA for scheduled bounds) over the
 * fleet, or in direct mode a HorizontalPodAutoscaler per member with its share of the fleet-wide bounds.
 */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { TrafficShare } from '../../core/delivery';
import { createLazyObject, createObject } from '../../core/l1';
import * as autoscaling from '../../imports/autoscaling.karmada.io';
import { AutoscalingProps, ScalingRules } from '../../model/app';
import { ClusterWeight, divideByWeight } from './webster';

/** Name, namespace and labels of an autoscaler. */
export interface AutoscalerMeta {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

/** The workload an autoscaler scales. */
export interface ScaleTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

/** Replica bounds of one autoscaler. */
export interface ReplicaBounds {
  readonly min: number;
  readonly max: number;
}

/**
 * The FederatedHPA of a workload and, when it has schedules, its CronFederatedHPA. With `scaled`, the bounds
 * and schedules are read at synthesis (they follow the version's traffic); `a` still decides which objects exist.
 * @param idPrefix prefix of the construct ids (`Canary` for the canary's autoscalers).
 */
export function renderFederatedAutoscaling(
  scope: Construct,
  meta: AutoscalerMeta,
  target: ScaleTarget,
  a: AutoscalingProps,
  scaled?: () => AutoscalingProps,
  idPrefix = '',
): { federatedHpa: ApiObject; cronFederatedHpa?: ApiObject } {
  const hpaSpec = (x: AutoscalingProps) => ({
    scaleTargetRef: target,
    minReplicas: x.minReplicas,
    maxReplicas: x.maxReplicas,
    metrics: renderMetrics(x) as any,
    behavior: renderBehavior(x) as any,
  });
  const federatedHpa = scaled
    ? createLazyObject(scope, `${idPrefix}FederatedHpa`, autoscaling.FederatedHpa.GVK, autoscaling.toJson_FederatedHpaProps, meta, ['spec'], () => ({ spec: hpaSpec(scaled()) }))
    : createObject(scope, `${idPrefix}FederatedHpa`, autoscaling.FederatedHpa.GVK, autoscaling.toJson_FederatedHpaProps, { metadata: meta, spec: hpaSpec(a) });
  if ((a.schedules ?? []).length === 0) return { federatedHpa };
  const cronSpec = (x: AutoscalingProps) => ({
    scaleTargetRef: { apiVersion: 'autoscaling.karmada.io/v1alpha1', kind: 'FederatedHPA', name: meta.name },
    rules: (x.schedules ?? []).map((s) => ({
      name: s.name,
      schedule: s.schedule,
      targetMinReplicas: s.minReplicas,
      targetMaxReplicas: s.maxReplicas,
      timeZone: s.timeZone,
    })),
  });
  const cronId = `${idPrefix}CronFederatedHpa`;
  const cronFederatedHpa = scaled
    ? createLazyObject(scope, cronId, autoscaling.CronFederatedHpa.GVK, autoscaling.toJson_CronFederatedHpaProps, meta, ['spec'], () => ({ spec: cronSpec(scaled()) }))
    : createObject(scope, cronId, autoscaling.CronFederatedHpa.GVK, autoscaling.toJson_CronFederatedHpaProps, { metadata: meta, spec: cronSpec(a) });
  return { federatedHpa, cronFederatedHpa };
}

/**
 * A member's HorizontalPodAutoscaler, with that member's share of the bounds (a function: read at synthesis).
 * @param id construct id (`CanaryHorizontalPodAutoscaler` for the canary's).
 */
export function renderHorizontalPodAutoscaler(
  scope: Construct,
  meta: AutoscalerMeta,
  target: ScaleTarget,
  a: AutoscalingProps,
  bounds: ReplicaBounds | (() => ReplicaBounds),
  id = 'HorizontalPodAutoscaler',
): ApiObject {
  const spec = (b: ReplicaBounds) => ({
    scaleTargetRef: target,
    minReplicas: b.min,
    maxReplicas: b.max,
    metrics: renderMetrics(a) as any,
    behavior: renderBehavior(a) as any,
  });
  const gvk = k8s.KubeHorizontalPodAutoscalerV2.GVK;
  if (typeof bounds === 'function') {
    return createLazyObject(scope, id, gvk, k8s.toJson_KubeHorizontalPodAutoscalerV2Props, meta, ['spec'], () => ({ spec: spec(bounds()) }));
  }
  return createObject(scope, id, gvk, k8s.toJson_KubeHorizontalPodAutoscalerV2Props, { metadata: meta, spec: spec(bounds) });
}

/**
 * The autoscaling of one version of an app: the fleet-wide bounds scaled by the share of the traffic it takes,
 * rounded up and at least 1 (an HPA has no zero). A version taking all traffic keeps the app's bounds; one
 * taking none is pinned at one warm replica, ready for a switch back. A version that A/B routes reach takes a
 * share unknown at synthesis, so it keeps the app's maximum. Schedules are scaled alike.
 */
export function versionAutoscaling(a: AutoscalingProps, share: TrafficShare): AutoscalingProps {
  const part = (n: number) => Math.max(1, Math.ceil((n * Math.min(100, share.percent)) / 100));
  const minReplicas = part(a.minReplicas);
  const top = (n: number) => (share.routed ? n : part(n));
  return {
    ...a,
    minReplicas,
    maxReplicas: Math.max(minReplicas, top(a.maxReplicas)),
    schedules: a.schedules?.map((s) => ({
      ...s,
      minReplicas: s.minReplicas === undefined ? undefined : part(s.minReplicas),
      maxReplicas: s.maxReplicas === undefined ? undefined : top(s.maxReplicas),
    })),
  };
}

/**
 * One member's share of the fleet-wide bounds, or undefined when its share of the maximum is 0 (the app
 * does not run there).
 */
export function memberBounds(a: AutoscalingProps, weights: readonly ClusterWeight[], cluster: string): ReplicaBounds | undefined {
  // Karmada divides the fleet-wide bounds by weight; a per-cluster HPA gets its share (at least 1).
  const mins = divideByWeight(a.minReplicas, weights);
  const maxs = divideByWeight(a.maxReplicas, weights);
  const max = maxs.get(cluster) ?? 0;
  return max > 0 ? { min: Math.max(1, Math.min(max, mins.get(cluster) ?? 1)), max } : undefined;
}

function renderMetrics(a: AutoscalingProps): Array<Record<string, unknown>> {
  const metrics: Array<Record<string, unknown>> = [];
  const cpu = a.cpuUtilization ?? (a.memoryUtilization === undefined ? 80 : undefined);
  if (cpu !== undefined) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } });
  if (a.memoryUtilization !== undefined) metrics.push({ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: a.memoryUtilization } } });
  return metrics;
}

function renderBehavior(a: AutoscalingProps): Record<string, unknown> | undefined {
  const rules = (r: ScalingRules | undefined) =>
    r && {
      stabilizationWindowSeconds: r.stabilizationWindow?.toSeconds(),
      selectPolicy: r.selectPolicy,
      policies: r.policies?.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.period.toSeconds() })),
    };
  if (!a.scaleUp && !a.scaleDown) return undefined;
  return { scaleUp: rules(a.scaleUp), scaleDown: rules(a.scaleDown) };
}
