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

/** Stands for "no namespace" in the index keys (cluster-scoped objects, or objects written without one). */
const NO_NAMESPACE = '\0';

/**
 * Candidates by `apiVersion|kind|namespace` and by `apiVersion|kind|namespace|name`, policies left out; the
 * namespace part is {@link NO_NAMESPACE} for objects without one, and `*` keys hold every namespace.
 */
type Candidates = Map<string, Obj[]>;

function indexCandidates(objects: readonly Obj[]): Candidates {
  const index: Candidates = new Map();
  const add = (k: string, o: Obj) => {
    const list = index.get(k);
    if (list) list.push(o);
    else index.set(k, [o]);
  };
  for (const o of objects) {
    if (POLICY_KINDS.includes(o.kind)) continue;
    const k = `${o.apiVersion}|${o.kind}`;
    const ns = o.metadata?.namespace ?? NO_NAMESPACE;
    const name = o.metadata?.name;
    add(`${k}|${ns}`, o);
    add(`${k}|${ns}|${name}`, o);
    add(`${k}|*`, o);
    add(`${k}|*|${name}`, o);
  }
  return index;
}

/**
 * The objects a policy selects. Candidates are looked up by kind, name and namespace (an object without a
 * namespace matches any, as in {@link selects}), so a policy never scans other namespaces' objects.
 */
function pickedBy(policy: Obj, c: Candidates): Set<Obj> {
  const out = new Set<Obj>();
  for (const s of (policy.spec?.resourceSelectors ?? []) as ResourceSelector[]) {
    const namespace: string | undefined = policy.kind === 'PropagationPolicy' ? policy.metadata?.namespace : s.namespace;
    const name = s.name !== undefined ? `|${s.name}` : '';
    const k = `${s.apiVersion}|${s.kind}`;
    const candidates = namespace === undefined
      ? c.get(`${k}|*${name}`) ?? []
      : [...c.get(`${k}|${namespace}${name}`) ?? [], ...c.get(`${k}|${NO_NAMESPACE}${name}`) ?? []];
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
