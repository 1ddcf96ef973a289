import { ClusterSelector } from '../../model/cluster';
import { Placement } from '../../model/placement';

/** Renders a placement's tolerations as Karmada clusterTolerations (undefined when there are none). */
export function renderClusterTolerations(p: Placement): Array<Record<string, unknown>> | undefined {
  if (p.tolerations.length === 0) return undefined;
  return p.tolerations.map((t) => ({
    key: t.key,
    operator: t.exists ? 'Exists' : 'Equal',
    value: t.exists ? undefined : t.value,
    effect: t.effect,
    tolerationSeconds: t.tolerationSeconds?.toSeconds(),
  }));
}

/**
 * Renders a selector as a Karmada ClusterAffinity. Every list in it is a set (Karmada matches any member), so it is
 * sorted: the policy is the same whatever order the names were written in.
 */
export function renderAffinity(s: ClusterSelector): Record<string, unknown> {
  const exprs: Array<{ key: string; operator: string; values: string[] }> = [];
  if (s.regions) exprs.push({ key: 'region', operator: 'In', values: sorted(s.regions) });
  if (s.notRegions) exprs.push({ key: 'region', operator: 'NotIn', values: sorted(s.notRegions) });
  if (s.zones) exprs.push({ key: 'zone', operator: 'In', values: sorted(s.zones) });
  if (s.providers) exprs.push({ key: 'provider', operator: 'In', values: sorted(s.providers) });
  if (s.notProviders) exprs.push({ key: 'provider', operator: 'NotIn', values: sorted(s.notProviders) });
  return {
    clusterNames: s.names?.length ? sorted(s.names) : undefined,
    exclude: s.exclude?.length ? sorted(s.exclude) : undefined,
    labelSelector: s.labels && Object.keys(s.labels).length ? { matchLabels: { ...s.labels } } : undefined,
    fieldSelector: exprs.length ? { matchExpressions: exprs } : undefined,
  };
}

function sorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
