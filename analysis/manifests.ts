/**
 * Reading synthesized manifests: objects of a kind in namespaces, namespace labels, the container ports of a pod and the
 * Service in front of it.
 */
import { labelsInclude } from './selectors';
import { ContainerPort, Manifest, PodEndpoint } from './types';

/** The label every namespace carries with its own name (set by the API server since Kubernetes 1.21). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** What the model looks up in a manifest list, built once per list. */
interface ListIndex {
  /** The list's length when indexed: a list that grew is indexed again. */
  readonly length: number;
  /** Objects by `kind`, then by namespace (`default` for objects written without one), in list order. */
  readonly byKind: Map<string, Map<string, Manifest[]>>;
  /** Namespace objects (core group) by name; the first of a name wins. */
  readonly namespaces: Map<string, Manifest>;
  /** Lookups derived from the index (see {@link derived}), by what they were asked for. */
  readonly derived: Map<string, unknown>;
}

const INDEXES = new WeakMap<readonly object[], ListIndex>();

/**
 * The list's objects by kind and namespace, built in one pass: the reachability check evaluates thousands of
 * paths over the same per-cluster lists, and each hop asks for one kind in one or two namespaces.
 */
function indexOf(manifests: readonly object[]): ListIndex {
  const memo = INDEXES.get(manifests);
  if (memo && memo.length === manifests.length) return memo;
  const byKind = new Map<string, Map<string, Manifest[]>>();
  const namespaces = new Map<string, Manifest>();
  for (const o of manifests as Manifest[]) {
    if (!o || typeof o.kind !== 'string') continue;
    let spaces = byKind.get(o.kind);
    if (!spaces) byKind.set(o.kind, (spaces = new Map()));
    const ns = namespaceOf(o);
    const list = spaces.get(ns);
    if (list) list.push(o);
    else spaces.set(ns, [o]);
    const name = o.metadata?.name;
    if (o.kind === 'Namespace' && name !== undefined && inGroups(o, ['']) && !namespaces.has(name)) namespaces.set(name, o);
  }
  const index = { length: manifests.length, byKind, namespaces, derived: new Map() };
  INDEXES.set(manifests, index);
  return index;
}

/**
 * A lookup derived from a list's index, computed once per list and key: the reachability check asks the same
 * questions of the same cluster for thousands of paths. The value is shared: never mutate it.
 */
function derived<T>(manifests: readonly object[], key: string, compute: () => T): T {
  const cache = indexOf(manifests).derived;
  if (!cache.has(key)) cache.set(key, compute());
  return cache.get(key) as T;
}

function inGroups(o: Manifest, groups: readonly string[]): boolean {
  if (typeof o.apiVersion !== 'string') return false;
  const slash = o.apiVersion.indexOf('/');
  return groups.includes(slash < 0 ? '' : o.apiVersion.slice(0, slash));
}

/**
 * Objects of one kind and API group in the given namespaces, namespace by namespace, each in list order; a new
 * array.
 */
export function objectsInNamespaces<T extends Manifest>(manifests: readonly object[], kind: string, groups: readonly string[], namespaces: readonly string[]): T[] {
  const spaces = indexOf(manifests).byKind.get(kind);
  if (!spaces) return [];
  const out: T[] = [];
  for (const ns of new Set(namespaces)) for (const o of spaces.get(ns) ?? []) if (inGroups(o, groups)) out.push(o as T);
  return out;
}

/** How {@link sortedInNamespaces} orders: by name, or as Istio breaks ties (oldest first, then by name). */
export type ObjectOrder = 'name' | 'age-then-name';

/** {@link objectsInNamespaces}, sorted, computed once per list (see {@link derived}); never mutate it. */
export function sortedInNamespaces<T extends Manifest>(manifests: readonly object[], kind: string, groups: readonly string[], namespaces: readonly string[], order: ObjectOrder): readonly T[] {
  const compare = order === 'name' ? (a: T, b: T) => nameOf(a).localeCompare(nameOf(b)) : byAgeThenName;
  return derived(manifests, `sorted\0${kind}\0${groups.join(',')}\0${namespaces.join(',')}\0${order}`, () => objectsInNamespaces<T>(manifests, kind, groups, namespaces).sort(compare));
}

/** The namespace of a namespaced object; objects written without one land in `default`. */
export function namespaceOf(o: Manifest): string {
  return o.metadata?.namespace ?? 'default';
}

/** The name of an object, for reasons and `decidedBy`. */
export function nameOf(o: Manifest): string {
  return o.metadata?.name ?? '(unnamed)';
}

/** Orders objects as Istio breaks ties: oldest first, then by name. */
export function byAgeThenName<T extends Manifest>(a: T, b: T): number {
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return `${namespaceOf(a)}/${nameOf(a)}`.localeCompare(`${namespaceOf(b)}/${nameOf(b)}`);
}

/** Labels of a namespace: those of its Namespace object, plus the name label every namespace carries. */
export function namespaceLabels(manifests: readonly object[], namespace: string): Readonly<Record<string, string>> {
  return derived(manifests, `labels\0${namespace}`, () => {
    const ns = indexOf(manifests).namespaces.get(namespace);
    return { ...(ns?.metadata?.labels ?? {}), [NAMESPACE_NAME_LABEL]: namespace };
  });
}

interface PodTemplate {
  readonly metadata?: { readonly labels?: Readonly<Record<string, string>> };
  readonly spec?: {
    readonly serviceAccountName?: string;
    readonly containers?: ReadonlyArray<{ readonly ports?: readonly ContainerPort[] }>;
  };
}

interface WorkloadSpec {
  readonly template?: PodTemplate;
  readonly jobTemplate?: { readonly spec?: { readonly template?: PodTemplate } };
}

const WORKLOAD_KINDS: ReadonlyArray<[string, string]> = [
  ['Deployment', 'apps'], ['StatefulSet', 'apps'], ['DaemonSet', 'apps'], ['ReplicaSet', 'apps'], ['Job', 'batch'], ['CronJob', 'batch'],
];

/** Pod templates of the workloads (and bare pods) of one namespace that carry labels, in WORKLOAD_KINDS order, then pods. */
function podTemplates(manifests: readonly object[], namespace: string): readonly PodTemplate[] {
  return derived(manifests, `templates\0${namespace}`, () => collectTemplates(manifests, namespace).filter((t) => Object.keys(t.metadata?.labels ?? {}).length > 0));
}

function collectTemplates(manifests: readonly object[], namespace: string): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const [kind, group] of WORKLOAD_KINDS) {
    for (const w of objectsInNamespaces(manifests, kind, [group], [namespace])) {
      const spec = w.spec as WorkloadSpec | undefined;
      const template = spec?.template ?? spec?.jobTemplate?.spec?.template;
      if (template) out.push(template);
    }
  }
  for (const p of objectsInNamespaces(manifests, 'Pod', [''], [namespace])) {
    out.push({ metadata: p.metadata, spec: p.spec as PodTemplate['spec'] });
  }
  return out;
}

/**
 * The pod template an endpoint stands for: one whose labels the endpoint carries (the endpoint lists the pod's
 * full labels), or else one that carries every label of the endpoint (the endpoint lists a selector).
 */
function templateOf(manifests: readonly object[], pod: PodEndpoint): PodTemplate | undefined {
  const templates = podTemplates(manifests, pod.namespace);
  const size = (t: PodTemplate) => Object.keys(t.metadata?.labels ?? {}).length;
  // The first of the largest templates within the endpoint's labels.
  let within: PodTemplate | undefined;
  for (const t of templates) if (labelsInclude(pod.labels, t.metadata?.labels) && (!within || size(t) > size(within))) within = t;
  return within ?? templates.find((t) => labelsInclude(t.metadata?.labels ?? {}, pod.labels));
}

/**
 * An endpoint completed from its workload in the manifests: the template's labels added to the given ones, and
 * its container ports and service account where the endpoint does not give them.
 */
export function completeEndpoint<T extends PodEndpoint>(manifests: readonly object[], pod: T): T {
  const template = templateOf(manifests, pod);
  if (!template) return pod;
  return {
    ...pod,
    labels: { ...(template.metadata?.labels ?? {}), ...pod.labels },
    serviceAccount: pod.serviceAccount ?? template.spec?.serviceAccountName,
    containerPorts: pod.containerPorts ?? (template.spec?.containers ?? []).flatMap((c) => c.ports ?? []),
  };
}

/** The container ports of a pod: given on the endpoint, or read from its workload's pod template. */
export function containerPortsOf(manifests: readonly object[], pod: PodEndpoint): readonly ContainerPort[] {
  // Ports given on the endpoint win over the template's (see completeEndpoint), so a completed endpoint is final.
  return pod.containerPorts ?? completeEndpoint(manifests, pod).containerPorts ?? [];
}

/** Resolves a port given by number or container port name; undefined when the name is not on the pod. */
export function resolvePort(port: number | string, ports: readonly ContainerPort[]): number | undefined {
  if (typeof port === 'number') return port;
  return ports.find((p) => p.name === port)?.containerPort;
}

interface ServiceSpec {
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports?: ReadonlyArray<{ readonly port: number; readonly targetPort?: number | string; readonly name?: string }>;
}

/** A Service in front of a pod port: its host name and the service port that leads to the pod port. */
export interface ServiceFront {
  readonly host: string;
  readonly namespace: string;
  readonly servicePort: number;
}

/** The Service selecting the pod and exposing the pod port, if the manifests have one. */
export function serviceFor(manifests: readonly object[], pod: PodEndpoint, podPort: number, clusterDomain: string): ServiceFront | undefined {
  const ports = containerPortsOf(manifests, pod);
  for (const svc of objectsInNamespaces(manifests, 'Service', [''], [pod.namespace])) {
    const spec = svc.spec as ServiceSpec | undefined;
    if (!spec?.selector || Object.keys(spec.selector).length === 0 || !labelsInclude(pod.labels, spec.selector)) continue;
    const hit = (spec.ports ?? []).find((p) => resolvePort(p.targetPort ?? p.port, ports) === podPort);
    if (hit) return { host: `${nameOf(svc)}.${pod.namespace}.svc.${clusterDomain}`, namespace: pod.namespace, servicePort: hit.port };
  }
  return undefined;
}
