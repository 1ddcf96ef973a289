/**
 * Rule 8 for workloads that are not FederatedApps (batch jobs, edge apps): what their pods are admitted with,
 * whether every container declares what the tenant quota tracks, and whether the pods that must run together fit
 * in the quota of a cluster they may run on.
 */
import { ProblemSink } from '../../core/problems';
import { parseQuantity } from '../../core/quantity';
import { ResourceRange, ResourceRequirements } from '../../model/workload';

/** The compute quota keys whose quota makes every container declare them (Kubernetes' pod quota evaluator). */
const REQUIRED_KEYS = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

/** One kind of pod of a workload and what it uses, per ResourceQuota key. */
export interface PodUsage {
  /** Where the pod's resources are declared, for problems (e.g. `tasks[1].resources`). */
  readonly prop: string;
  /** Pods of this kind that must run at once. */
  readonly count: number;
  /**
   * Amount per quota key (`requests.cpu` in cores, `limits.memory` in bytes, `requests.nvidia.com/gpu`); a key
   * left out is not declared, so a quota that tracks it rejects the pod.
   */
  readonly usage: Record<string, number>;
}

/** The ResourceQuota `hard` maps in force in one cluster. */
export interface ClusterQuota {
  readonly cluster: string;
  readonly hard: readonly Record<string, string>[];
}

/** A container's resources as rendered: each resource its own or the platform default. */
export function renderedOwn(own: ResourceRequirements | undefined, defaults: ResourceRequirements): ResourceRequirements {
  return { cpu: own?.cpu ?? defaults.cpu, memory: own?.memory ?? defaults.memory };
}

/**
 * What a container is admitted with: the API server defaults a missing request to the container's limit, then the
 * tenant's LimitRange fills what is still missing from the platform default (its `defaultRequest` falls back to
 * its `default`). Extended resources are requested and limited alike.
 */
export function admittedUsage(own: ResourceRequirements | undefined, limitRange: ResourceRequirements, extended: Record<string, number> = {}): Record<string, number> {
  const usage: Record<string, number> = {};
  const put = (res: 'cpu' | 'memory', range: ResourceRange | undefined, lr: ResourceRange | undefined) => {
    const request = parseQuantity(range?.request ?? range?.limit ?? lr?.request ?? lr?.limit ?? NaN);
    const limit = parseQuantity(range?.limit ?? lr?.limit ?? NaN);
    if (request !== undefined) usage[`requests.${res}`] = request;
    if (limit !== undefined) usage[`limits.${res}`] = limit;
  };
  put('cpu', own?.cpu, limitRange.cpu);
  put('memory', own?.memory, limitRange.memory);
  for (const [name, n] of Object.entries(extended)) if (n > 0) usage[`requests.${name}`] = n;
  return usage;
}

/**
 * Every container declares what the quota tracks (after the LimitRange defaults), and keeps its request within its
 * limit once the LimitRange default limit is applied; otherwise the API server rejects the pods.
 */
export function checkPodAdmission(sink: ProblemSink, tracked: readonly string[], pods: readonly PodUsage[]): void {
  const seen = new Set<string>();
  for (const pod of pods) {
    // Pods declared in one place (node groups without their own resources) are reported once.
    if (seen.has(pod.prop)) continue;
    seen.add(pod.prop);
    for (const key of tracked.filter((k) => REQUIRED_KEYS.includes(k))) {
      if (pod.usage[key] === undefined) {
        const [kind, res] = key.split('.');
        sink.error('K8', pod.prop, undefined, `the tenant quota tracks ${key}, so every container must declare it, and neither these pods nor the platform default (the LimitRange) do; the quota would reject the pods.`, `declare a ${res} ${kind === 'requests' ? 'request' : 'limit'} here or in platform defaults.resources.`);
      }
    }
    for (const res of ['cpu', 'memory']) {
      const request = pod.usage[`requests.${res}`];
      const limit = pod.usage[`limits.${res}`];
      if (request !== undefined && limit !== undefined && request > limit + 1e-9) {
        sink.error('K8', pod.prop, `${res}: request ${formatAmount(`requests.${res}`, request)} > limit ${formatAmount(`limits.${res}`, limit)}`, `the ${res} request exceeds the limit the container gets (its own, or the LimitRange default from platform defaults.resources); the API server rejects the pods.`, `declare a ${res} limit at least as large as the request.`);
      }
    }
  }
}

/** The first quota key the pods together exceed in one cluster's quotas, as a sentence part; undefined when they fit. */
export function quotaShortfall(pods: readonly PodUsage[], hard: readonly Record<string, string>[]): string | undefined {
  for (const quota of hard) {
    for (const [key, max] of Object.entries(quota)) {
      const allowed = parseQuantity(max);
      if (allowed === undefined) continue;
      const needed = key === 'pods' ? pods.reduce((n, p) => n + p.count, 0) : pods.reduce((n, p) => n + p.count * (p.usage[key] ?? 0), 0);
      if (needed > allowed * (1 + 1e-9) + 1e-9) return `${key} ${formatAmount(key, needed)} > ${max}`;
    }
  }
  return undefined;
}

/**
 * Pods that must run together (a gang, or every replica of an edge app) fit in the quota of the clusters they
 * may run on: an error when they fit in none (they would never all start), a warning naming the clusters where
 * they do not fit when others remain.
 */
export function checkQuotaFit(sink: ProblemSink, prop: string, what: string, pods: readonly PodUsage[], clusters: readonly ClusterQuota[]): void {
  const short = clusters.map((c) => ({ cluster: c.cluster, why: quotaShortfall(pods, c.hard) })).filter((s) => s.why);
  if (short.length === 0) return;
  const detail = short.map((s) => `${s.cluster}: ${s.why}`).join('; ');
  if (short.length === clusters.length) {
    sink.error('K8', prop, detail, `${what} need more than the tenant quota allows in every cluster they may run on, so they would never all start.`, 'lower the replicas or resources, or raise the tenant quota.');
  } else {
    sink.warn('K8', prop, detail, `${what} need more than the tenant quota allows in some clusters they may run on; placed there, they would never all start.`, 'narrow the placement to clusters whose quota fits, or raise the quota there.');
  }
}

/** A readable amount: memory and storage in Mi or Gi, the rest as plain numbers. */
function formatAmount(key: string, n: number): string {
  if (/memory|storage/.test(key)) {
    const gi = n / 2 ** 30;
    return Number.isInteger(gi) ? `${gi}Gi` : `${Math.ceil(n / 2 ** 20)}Mi`;
  }
  return String(Math.round(n * 1000) / 1000);
}

/** The quotas of the clusters a workload may run on, and every key they track. */
export function quotasOf(tenant: { _quotasIn(cluster: string): Record<string, string>[] }, clusters: readonly string[]): { clusters: ClusterQuota[]; tracked: string[] } {
  const quotas = clusters.map((cluster) => ({ cluster, hard: tenant._quotasIn(cluster) }));
  return { clusters: quotas, tracked: [...new Set(quotas.flatMap((q) => q.hard.flatMap((h) => Object.keys(h))))].sort() };
}
