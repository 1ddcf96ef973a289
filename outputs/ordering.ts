/**
 * The apply ordering of one target's objects, independent of how they are applied: Pulumi turns it into
 * `dependsOn`, and GitOps sync waves or Helm hooks can read the same waves.
 *
 * An object must come after: the CustomResourceDefinition of its kind, its Namespace, the objects a Karmada
 * policy selects (and the OverridePolicies of those objects, for PropagationPolicies), and an autoscaler's
 * scale target.
 */

/** A manifest as synthesized. */
export type Manifest = Record<string, any>;

/** Identity of an object inside one target: `apiVersion:kind:namespace/name` (no namespace for cluster-scoped). */
export function objectKey(o: Manifest): string {
  const ns = o.metadata?.namespace;
  return `${o.apiVersion}:${o.kind}:${ns ? `${ns}/` : ''}${o.metadata?.name}`;
}

const POLICY_KINDS = ['PropagationPolicy', 'ClusterPropagationPolicy', 'OverridePolicy', 'ClusterOverridePolicy'];

/** For each object key, the keys of the objects that must be applied before it (only keys with some). */
export function orderingDependencies(objects: readonly Manifest[]): Map<string, string[]> {
  const byRef = new Map<string, Manifest>();
  for (const o of objects) byRef.set(`${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`, o);
  const crds = new Map<string, Manifest>();
  for (const o of objects) if (o.kind === 'CustomResourceDefinition') crds.set(`${o.spec?.group}/${o.spec?.names?.kind}`, o);
  const deps = new Map<string, string[]>();
  const add = (o: Manifest, dep: Manifest | undefined) => {
    if (!dep || dep === o) return;
    const list = deps.get(objectKey(o)) ?? [];
    if (!list.includes(objectKey(dep))) list.push(objectKey(dep));
    deps.set(objectKey(o), list);
  };
  const selected = (o: Manifest): Array<Manifest | undefined> =>
    (o.spec?.resourceSelectors ?? [])
      .filter((s: any) => s.name)
      .map((s: any) => byRef.get(`${s.kind}/${s.namespace ?? o.metadata?.namespace ?? ''}/${s.name}`));
  // Which OverridePolicies select each object, so PropagationPolicies can wait for them (linear, not pairwise).
  const overridesOf = new Map<Manifest, Manifest[]>();
  for (const op of objects) {
    if (op.kind !== 'OverridePolicy') continue;
    for (const s of selected(op)) if (s) overridesOf.set(s, [...(overridesOf.get(s) ?? []), op]);
  }
  for (const o of objects) {
    const ns = o.metadata?.namespace;
    if (ns) add(o, byRef.get(`Namespace//${ns}`));
    const group = String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0] : '';
    add(o, crds.get(`${group}/${o.kind}`));
    if (POLICY_KINDS.includes(o.kind)) for (const s of selected(o)) add(o, s);
    if (o.kind === 'PropagationPolicy' || o.kind === 'ClusterPropagationPolicy') {
      for (const s of selected(o)) if (s) for (const op of overridesOf.get(s) ?? []) add(o, op);
    }
    const ref = o.spec?.scaleTargetRef;
    if (ref) add(o, byRef.get(`${ref.kind}/${ns ?? ''}/${ref.name}`));
  }
  return deps;
}

/**
 * The wave of every object (0 first): one more than the highest wave of what it depends on. Objects of one wave
 * can be applied together; this is what Argo CD sync waves or Flux dependsOn layers need.
 */
export function applyWaves(objects: readonly Manifest[]): Map<string, number> {
  const deps = orderingDependencies(objects);
  const waves = new Map<string, number>();
  const visiting = new Set<string>();
  const waveOf = (key: string): number => {
    const known = waves.get(key);
    if (known !== undefined) return known;
    // The rules above only point from policies, autoscalers and namespaced objects to what they need, so they
    // cannot form a cycle; guard anyway rather than recurse forever on a hand-written object set.
    if (visiting.has(key)) return 0;
    visiting.add(key);
    const w = Math.max(-1, ...(deps.get(key) ?? []).map(waveOf)) + 1;
    visiting.delete(key);
    waves.set(key, w);
    return w;
  };
  for (const o of objects) waveOf(objectKey(o));
  return waves;
}

/**
 * Apply targets in order: every member target before the control plane, since the Karmada policies applied to
 * the control plane place objects that need the members' CRDs and namespaces.
 */
export function targetOrder<T>(targets: readonly T[], kindOf: (t: T) => string): T[] {
  return [...targets.filter((t) => kindOf(t) !== 'control-plane'), ...targets.filter((t) => kindOf(t) === 'control-plane')];
}
