/**
 * The GitOps layout of the output: every apply target is cut into delivery units, one directory each, so that
 * every unit can be applied by its own Argo CD Application or Flux Kustomization. The `platform` unit holds
 * cluster-scoped objects and objects of namespaces no tenant owns in that target (istio-system, monitoring); each
 * tenant with objects in the target gets a `tenant-<namespace>` unit, applied with the tenant's own limits.
 *
 * The order between units follows the apply ordering of `ordering.ts`: a unit waits for every unit holding an
 * object one of its objects needs (a Namespace, a CRD, a selected object), and every member target's units come
 * before the control plane's.
 */
import { Manifest, orderingDependencies, objectKey } from './ordering';

/** The unit of cluster-scoped and shared objects. */
export const PLATFORM_UNIT = 'platform';

/** The unit of one tenant's namespace. */
export function tenantUnit(namespace: string): string {
  return `tenant-${namespace}`;
}

/** The directory of a target's output in the GitOps layout, relative to the output directory. */
export function targetDirectory(platform: string, target: string): string {
  return `${platform}-${target}`;
}

/** A unit's directory relative to the output directory: `<platform>-<target>/<unit>`. */
export function unitDirectory(platform: string, target: string, unit: string): string {
  return `${targetDirectory(platform, target)}/${unit}`;
}

/** The unit an object belongs to, given the tenant namespaces that have a unit in its target. */
export function unitOf(o: Manifest, tenantNamespaces: ReadonlySet<string>): string {
  const ns = o.metadata?.namespace;
  return ns && tenantNamespaces.has(ns) ? tenantUnit(ns) : PLATFORM_UNIT;
}

/** The objects of one target per unit, in output order; every declared unit is present, possibly empty. */
export function partitionTarget(objects: readonly Manifest[], tenantNamespaces: readonly string[]): Map<string, Manifest[]> {
  const units = new Map<string, Manifest[]>([[PLATFORM_UNIT, []], ...tenantNamespaces.map((ns): [string, Manifest[]] => [tenantUnit(ns), []])]);
  const owned = new Set(tenantNamespaces);
  for (const o of objects) units.get(unitOf(o, owned))!.push(o);
  return units;
}

/** One target as the layout sees it. */
export interface LayoutTarget {
  /** Target name (`control-plane`, `cluster-<name>`). */
  readonly name: string;
  /** Whether it is the Karmada control plane (applied after every member). */
  readonly controlPlane: boolean;
  /** Its objects, in output order. */
  readonly objects: readonly Manifest[];
  /** Tenant namespaces that have a unit in this target. */
  readonly tenantNamespaces: readonly string[];
}

/** Key of a unit across targets: `<target>/<unit>`. */
export function unitKey(target: string, unit: string): string {
  return `${target}/${unit}`;
}

/**
 * For every unit (by key), the units it must wait for: inside a target, those holding an object that one of
 * its objects depends on; across targets, a control-plane unit with no dependency of its own waits for every
 * member unit (the others wait for it). Lists are sorted; every unit has an entry.
 */
export function unitDependencies(targets: readonly LayoutTarget[]): Map<string, string[]> {
  const deps = new Map<string, string[]>();
  const memberUnits: string[] = [];
  for (const t of targets) {
    const owned = new Set(t.tenantNamespaces);
    const unitByObject = new Map<string, string>();
    for (const o of t.objects) unitByObject.set(objectKey(o), unitOf(o, owned));
    const local = new Map<string, Set<string>>([[PLATFORM_UNIT, new Set()], ...t.tenantNamespaces.map((ns): [string, Set<string>] => [tenantUnit(ns), new Set()])]);
    for (const [key, needs] of orderingDependencies(t.objects)) {
      const from = unitByObject.get(key)!;
      for (const need of needs) {
        const to = unitByObject.get(need);
        if (to && to !== from) local.get(from)!.add(to);
      }
    }
    for (const [unit, set] of local) {
      deps.set(unitKey(t.name, unit), [...set].map((u) => unitKey(t.name, u)).sort());
      if (!t.controlPlane) memberUnits.push(unitKey(t.name, unit));
    }
  }
  for (const t of targets.filter((x) => x.controlPlane)) {
    for (const unit of [PLATFORM_UNIT, ...t.tenantNamespaces.map(tenantUnit)]) {
      const key = unitKey(t.name, unit);
      if (deps.get(key)!.length === 0) deps.set(key, [...memberUnits].sort());
    }
  }
  return deps;
}

/**
 * The layer of every unit (0 first): one more than the highest layer of the units it waits for. Units of one
 * layer can be applied together; these are the Argo CD sync waves of the Applications.
 */
export function unitLayers(deps: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const layers = new Map<string, number>();
  const visiting = new Set<string>();
  const layerOf = (key: string): number => {
    const known = layers.get(key);
    if (known !== undefined) return known;
    // Units of one target wait for each other only along object dependencies (namespaces and CRDs live in the
    // platform unit, tenants' objects in their own); a cycle would need a cluster-scoped policy selecting a
    // tenant's object. Guard anyway rather than recurse forever.
    if (visiting.has(key)) return 0;
    visiting.add(key);
    const layer = Math.max(-1, ...(deps.get(key) ?? []).map(layerOf)) + 1;
    visiting.delete(key);
    layers.set(key, layer);
    return layer;
  };
  for (const key of deps.keys()) layerOf(key);
  return layers;
}

/** Marks a FleetApp, the App that writes the GitOps layout. */
export const FLEET_APP = Symbol.for('fleetplane.FleetApp');

/** A platform whose targets are written in the GitOps layout (a DistributedPlatform with `gitops`). */
export interface GitOpsLayoutOwner {
  readonly platformName: string;
  /**
   * Charts written as directories: the chart's node id → its target name and tenant namespaces, or no target for
   * the chart of the GitOps objects themselves (a directory of its own, so the root Application or Kustomization
   * that applies it reads nothing else).
   */
  _gitopsLayout(): ReadonlyMap<string, { readonly target?: string; readonly tenantNamespaces: readonly string[] }> | undefined;
}

/** Whether a construct owns targets written in the GitOps layout. */
export function isGitOpsLayoutOwner(c: unknown): c is GitOpsLayoutOwner {
  return typeof (c as Partial<GitOpsLayoutOwner>)?._gitopsLayout === 'function' && !!(c as GitOpsLayoutOwner)._gitopsLayout();
}

/** The files of one target in the GitOps layout: `<platform>-<target>/<unit>/<unit>.k8s.yaml` → objects. */
export function layoutFiles(platform: string, target: string, objects: readonly Manifest[], tenantNamespaces: readonly string[]): Map<string, Manifest[]> {
  const files = new Map<string, Manifest[]>();
  for (const [unit, list] of partitionTarget(objects, tenantNamespaces)) files.set(`${unitDirectory(platform, target, unit)}/${unit}.k8s.yaml`, list);
  return files;
}
