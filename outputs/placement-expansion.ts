/**
 * What Karmada would put on each member: the control-plane objects that a PropagationPolicy (namespaced
 * objects of its namespace) or ClusterPropagationPolicy selects, on the clusters its placement affinity names.
 */
import { Fleet } from '../core/fleet';
import { ClusterSelector } from '../model/cluster';

type Obj = Record<string, any>;

interface ResourceSelector {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly labelSelector?: { readonly matchLabels?: Record<string, string> };
}

const POLICY_KINDS = ['PropagationPolicy', 'ClusterPropagationPolicy'];

function selects(policy: Obj, s: ResourceSelector, o: Obj): boolean {
  if (o.apiVersion !== s.apiVersion || o.kind !== s.kind) return false;
  if (s.name !== undefined && o.metadata?.name !== s.name) return false;
  // A PropagationPolicy selects objects of its own namespace only.
  const namespace = policy.kind === 'PropagationPolicy' ? policy.metadata?.namespace : s.namespace;
  if (namespace !== undefined && o.metadata?.namespace !== undefined && o.metadata.namespace !== namespace) return false;
  const labels = s.labelSelector?.matchLabels ?? {};
  return Object.entries(labels).every(([k, v]) => o.metadata?.labels?.[k] === v);
}

/** The clusters a placement's (first) cluster affinity selects, with Karmada's semantics. */
function placedOn(policy: Obj, fleet: Fleet): string[] {
  const placement = policy.spec?.placement ?? {};
  const affinity = placement.clusterAffinity ?? placement.clusterAffinities?.[0];
  if (!affinity) return fleet.names;
  const selector: { -readonly [K in keyof ClusterSelector]: ClusterSelector[K] } = {
    names: affinity.clusterNames, exclude: affinity.exclude, labels: affinity.labelSelector?.matchLabels,
  };
  for (const e of affinity.fieldSelector?.matchExpressions ?? []) {
    const field = ({ region: 'regions', zone: 'zones', provider: 'providers' } as const)[e.key as 'region' | 'zone' | 'provider'];
    if (e.operator === 'In' && field) selector[field] = e.values;
    if (e.operator === 'NotIn' && e.key === 'region') selector.notRegions = e.values;
    if (e.operator === 'NotIn' && e.key === 'provider') selector.notProviders = e.values;
  }
  return fleet.select(selector).map((c) => c.name);
}

/** Candidates by `apiVersion|kind` and by `apiVersion|kind|name`, in control-plane order, policies left out. */
interface Candidates { readonly byKind: Map<string, Obj[]>; readonly byName: Map<string, Obj[]> }

function indexCandidates(objects: readonly Obj[]): Candidates {
  const byKind = new Map<string, Obj[]>();
  const byName = new Map<string, Obj[]>();
  const add = (m: Map<string, Obj[]>, k: string, o: Obj) => {
    const list = m.get(k);
    if (list) list.push(o);
    else m.set(k, [o]);
  };
  for (const o of objects) {
    if (POLICY_KINDS.includes(o.kind)) continue;
    const k = `${o.apiVersion}|${o.kind}`;
    add(byKind, k, o);
    add(byName, `${k}|${o.metadata?.name}`, o);
  }
  return { byKind, byName };
}

/** The objects a policy selects (a selector with a name looks up that name only instead of scanning everything). */
function pickedBy(policy: Obj, c: Candidates): Set<Obj> {
  const out = new Set<Obj>();
  for (const s of (policy.spec?.resourceSelectors ?? []) as ResourceSelector[]) {
    const k = `${s.apiVersion}|${s.kind}`;
    const candidates = (s.name !== undefined ? c.byName.get(`${k}|${s.name}`) : c.byKind.get(k)) ?? [];
    for (const o of candidates) if (selects(policy, s, o)) out.add(o);
  }
  return out;
}

/**
 * Expands control-plane objects to member clusters through the PropagationPolicies and
 * ClusterPropagationPolicies among them. Policies themselves stay on the control plane.
 */
export function expandToMembers(objects: readonly Obj[], fleet: Fleet): Record<string, Obj[]> {
  const sets = new Map<string, Set<Obj>>(fleet.names.map((n) => [n, new Set<Obj>()]));
  const policies = objects.filter((o) => POLICY_KINDS.includes(o.kind) && String(o.apiVersion).startsWith('policy.karmada.io/'));
  const candidates = indexCandidates(objects);
  for (const policy of policies) {
    const picked = pickedBy(policy, candidates);
    for (const cluster of placedOn(policy, fleet)) {
      const set = sets.get(cluster);
      if (set) for (const o of picked) set.add(o);
    }
  }
  // Keep the control plane's order inside each member.
  const out: Record<string, Obj[]> = {};
  for (const [cluster, set] of sets) out[cluster] = objects.filter((o) => set.has(o));
  return out;
}
