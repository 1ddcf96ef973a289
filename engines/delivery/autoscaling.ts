/**
 * Autoscaling of an app: a Karmada FederatedHPA (with a CronFederatedHPA for scheduled bounds) over the
 * fleet, or in direct mode a HorizontalPodAutoscaler per member with its share of the fleet-wide bounds.
 */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { createObject } from '../../core/l1';
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

/** The FederatedHPA of an app and, when it has schedules, its CronFederatedHPA. */
export function renderFederatedAutoscaling(
  scope: Construct,
  meta: AutoscalerMeta,
  target: ScaleTarget,
  a: AutoscalingProps,
): { federatedHpa: ApiObject; cronFederatedHpa?: ApiObject } {
  const federatedHpa = createObject(scope, 'FederatedHpa', autoscaling.FederatedHpa.GVK, autoscaling.toJson_FederatedHpaProps, {
    metadata: meta,
    spec: {
      scaleTargetRef: target,
      minReplicas: a.minReplicas,
      maxReplicas: a.maxReplicas,
      metrics: renderMetrics(a) as any,
      behavior: renderBehavior(a) as any,
    },
  });
  if ((a.schedules ?? []).length === 0) return { federatedHpa };
  const cronFederatedHpa = createObject(scope, 'CronFederatedHpa', autoscaling.CronFederatedHpa.GVK, autoscaling.toJson_CronFederatedHpaProps, {
    metadata: meta,
    spec: {
      scaleTargetRef: { apiVersion: 'autoscaling.karmada.io/v1alpha1', kind: 'FederatedHPA', name: meta.name },
      rules: a.schedules!.map((s) => ({
        name: s.name,
        schedule: s.schedule,
        targetMinReplicas: s.minReplicas,
        targetMaxReplicas: s.maxReplicas,
        timeZone: s.timeZone,
      })),
    },
  });
  return { federatedHpa, cronFederatedHpa };
}

/** A member's HorizontalPodAutoscaler, with that member's share of the bounds. */
export function renderHorizontalPodAutoscaler(scope: Construct, meta: AutoscalerMeta, target: ScaleTarget, a: AutoscalingProps, bounds: ReplicaBounds): ApiObject {
  return createObject(scope, 'HorizontalPodAutoscaler', k8s.KubeHorizontalPodAutoscalerV2.GVK, k8s.toJson_KubeHorizontalPodAutoscalerV2Props, {
    metadata: meta,
    spec: {
      scaleTargetRef: target,
      minReplicas: bounds.min,
      maxReplicas: bounds.max,
      metrics: renderMetrics(a) as any,
      behavior: renderBehavior(a) as any,
    },
  });
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
