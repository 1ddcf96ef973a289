/**
 * A tenant's resource bounds: the ResourceQuota of a cluster, the LimitRange (container defaults and
 * bounds) and, on the Karmada control plane, the fleet-wide FederatedResourceQuota.
 */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { createObject } from '../../core/l1';
import * as policy from '../../imports/policy.karmada.io';
import { ContainerLimits, FederatedQuota, QuotaLimits } from '../../model/tenancy';
import { ResourceRange } from '../../model/workload';

/** The ResourceQuota key of each scalar quota field (`extended` is a map, see {@link quotaHard}). */
export const QUOTA_KEYS: Record<Exclude<keyof QuotaLimits, 'extended'>, string> = {
  cpu: 'requests.cpu',
  memory: 'requests.memory',
  limitsCpu: 'limits.cpu',
  limitsMemory: 'limits.memory',
  pods: 'pods',
  services: 'services',
  persistentVolumeClaims: 'persistentvolumeclaims',
  storage: 'requests.storage',
};

/** Renders quota limits as a ResourceQuota `hard` map. */
export function quotaHard(q: QuotaLimits): Record<string, string> {
  const hard: Record<string, string> = {};
  for (const [key, field] of Object.entries(QUOTA_KEYS)) {
    const v = (q as any)[key];
    if (v !== undefined) hard[field] = String(v);
  }
  // Kubernetes quotas extended resources by request only (`requests.<name>`), never by limit.
  for (const [name, v] of Object.entries(q.extended ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hard[`requests.${name}`] = String(v);
  return hard;
}

/** Where a tenant's quota objects go. */
export interface QuotaScope {
  /** The tenant's namespace. */
  readonly namespace: string;
  /** Labels of every object. */
  readonly labels: Record<string, string>;
}

/** Container defaults (the platform's default resources) and the tenant's bounds. */
export interface LimitRangeIntent extends QuotaScope {
  /** Default request and limit per resource. */
  readonly defaults: { readonly cpu?: ResourceRange; readonly memory?: ResourceRange };
  /** The tenant's container bounds. */
  readonly containerLimits?: ContainerLimits;
}

/** The `tenant-quota` ResourceQuota. */
export function renderResourceQuota(scope: Construct, where: QuotaScope, limits: QuotaLimits): ApiObject {
  return createObject(scope, 'ResourceQuota', k8s.KubeResourceQuota.GVK, k8s.toJson_KubeResourceQuotaProps, {
    metadata: { name: 'tenant-quota', namespace: where.namespace, labels: where.labels },
    spec: { hard: mapQuantities(quotaHard(limits)) },
  });
}

/** The `tenant-limits` LimitRange. */
export function renderLimitRange(scope: Construct, intent: LimitRangeIntent): ApiObject {
  const d = intent.defaults;
  const pick = (f: (r: ResourceRange | undefined) => string | undefined) => {
    const out: Record<string, k8s.Quantity> = {};
    const cpu = f(d.cpu);
    const memory = f(d.memory);
    if (cpu) out.cpu = k8s.Quantity.fromString(cpu);
    if (memory) out.memory = k8s.Quantity.fromString(memory);
    return Object.keys(out).length ? out : undefined;
  };
  const bound = (b: { cpu?: string; memory?: string } | undefined) => (b ? mapQuantities(b as Record<string, string>) : undefined);
  return createObject(scope, 'LimitRange', k8s.KubeLimitRange.GVK, k8s.toJson_KubeLimitRangeProps, {
    metadata: { name: 'tenant-limits', namespace: intent.namespace, labels: intent.labels },
    spec: {
      limits: [
        {
          type: 'Container',
          defaultRequest: pick((r) => r?.request),
          default: pick((r) => r?.limit),
          min: bound(intent.containerLimits?.min),
          max: bound(intent.containerLimits?.max),
        },
      ],
    },
  });
}

/** The `tenant-fleet-quota` FederatedResourceQuota, which Karmada enforces over the whole fleet. */
export function renderFederatedQuota(scope: Construct, where: QuotaScope, fq: FederatedQuota): ApiObject {
  return createObject(scope, 'FederatedQuota', policy.FederatedResourceQuota.GVK, policy.toJson_FederatedResourceQuotaProps, {
    metadata: { name: 'tenant-fleet-quota', namespace: where.namespace, labels: where.labels },
    spec: {
      overall: mapIntOrString(quotaHard(fq.overall)),
      staticAssignments: fq.perCluster
        // By cluster name: the order the map was written in carries no meaning.
        ? Object.entries(fq.perCluster).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([clusterName, q]) => ({ clusterName, hard: mapIntOrString(quotaHard(q)) }))
        : undefined,
    },
  });
}

function mapQuantities(m: Record<string, string>): Record<string, k8s.Quantity> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, k8s.Quantity.fromString(String(v))]));
}

function mapIntOrString(m: Record<string, string>): Record<string, any> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, policy.FederatedResourceQuotaSpecOverall.fromString(String(v))]));
}
