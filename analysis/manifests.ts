/**
 * Reading synthesized manifests: objects of a kind, namespace labels, the container ports of a pod and the
 * Service in front of it.
 */
import { labelsInclude } from './selectors';
import { ContainerPort, Manifest, PodEndpoint } from './types';

/** The label every namespace carries with its own name (set by the API server since Kubernetes 1.21). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Objects by kind, per manifest list (checked against its length, in case the list grew). */
const BY_KIND = new WeakMap<readonly object[], { length: number; byKind: Map<string, Manifest[]> }>();

/** The list's objects by kind, built in one pass: the model asks for several kinds of the same lists. */
function kindIndex(manifests: readonly object[]): Map<string, Manifest[]> {
  let memo = BY_KIND.get(manifests);
  if (!memo || memo.length !== manifests.length) {
    const byKind = new Map<string, Manifest[]>();
    for (const o of manifests as Manifest[]) {
      if (!o || typeof o.kind !== 'string') continue;
      const list = byKind.get(o.kind);
      if (list) list.push(o);
      else byKind.set(o.kind, [o]);
    }
    memo = { length: manifests.length, byKind };
    BY_KIND.set(manifests, memo);
  }
  return memo.byKind;
}

/** Objects of one kind whose apiVersion is in one of the API groups (`''` for the core group); a new array. */
export function objectsOfKind<T extends Manifest>(manifests: readonly object[], kind: string, groups: readonly string[]): T[] {
  return (kindIndex(manifests).get(kind) ?? []).filter((o) => {
    if (typeof o.apiVersion !== 'string') return false;
    const slash = o.apiVersion.indexOf('/');
    return groups.includes(slash < 0 ? '' : o.apiVersion.slice(0, slash));
  }) as T[];
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
export function namespaceLabels(manifests: readonly object[], namespace: string): Record<string, string> {
  const ns = objectsOfKind(manifests, 'Namespace', ['']).find((o) => o.metadata?.name === namespace);
  return { ...(ns?.metadata?.labels ?? {}), [NAMESPACE_NAME_LABEL]: namespace };
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

/** Pod templates by namespace, per manifest list (checked against its length, in case the list grew). */
const TEMPLATES = new WeakMap<readonly object[], { length: number; byNamespace: Map<string, PodTemplate[]> }>();

/** Pod templates of the workloads (and bare pods) of one namespace, in WORKLOAD_KINDS order, then pods. */
function podTemplates(manifests: readonly object[], namespace: string): PodTemplate[] {
  // The reachability check asks this for the same few lists once per hop and pair of clusters.
  let memo = TEMPLATES.get(manifests);
  if (!memo || memo.length !== manifests.length) {
    memo = { length: manifests.length, byNamespace: new Map() };
    TEMPLATES.set(manifests, memo);
  }
  let out = memo.byNamespace.get(namespace);
  if (!out) {
    out = collectTemplates(manifests, namespace);
    memo.byNamespace.set(namespace, out);
  }
  return out;
}

function collectTemplates(manifests: readonly object[], namespace: string): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const [kind, group] of WORKLOAD_KINDS) {
    for (const w of objectsOfKind(manifests, kind, [group]).filter((o) => namespaceOf(o) === namespace)) {
      const spec = w.spec as WorkloadSpec | undefined;
      const template = spec?.template ?? spec?.jobTemplate?.spec?.template;
      if (template) out.push(template);
    }
  }
  for (const p of objectsOfKind(manifests, 'Pod', ['']).filter((o) => namespaceOf(o) === namespace)) {
    out.push({ metadata: p.metadata, spec: p.spec as PodTemplate['spec'] });
  }
  return out;
}

/**
 * The pod template an endpoint stands for: one whose labels the endpoint carries (the endpoint lists the pod's
 * full labels), or else one that carries every label of the endpoint (the endpoint lists a selector).
 */
function templateOf(manifests: readonly object[], pod: PodEndpoint): PodTemplate | undefined {
  const templates = podTemplates(manifests, pod.namespace).filter((t) => Object.keys(t.metadata?.labels ?? {}).length > 0);
  const size = (t: PodTemplate) => Object.keys(t.metadata?.labels ?? {}).length;
  const within = templates.filter((t) => labelsInclude(pod.labels, t.metadata?.labels)).sort((a, b) => size(b) - size(a));
  return within[0] ?? templates.find((t) => labelsInclude(t.metadata?.labels ?? {}, pod.labels));
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
  return completeEndpoint(manifests, pod).containerPorts ?? [];
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
  for (const svc of objectsOfKind(manifests, 'Service', ['']).filter((o) => namespaceOf(o) === pod.namespace)) {
    const spec = svc.spec as ServiceSpec | undefined;
    if (!spec?.selector || Object.keys(spec.selector).length === 0 || !labelsInclude(pod.labels, spec.selector)) continue;
    const hit = (spec.ports ?? []).find((p) => resolvePort(p.targetPort ?? p.port, ports) === podPort);
    if (hit) return { host: `${nameOf(svc)}.${pod.namespace}.svc.${clusterDomain}`, namespace: pod.namespace, servicePort: hit.port };
  }
  return undefined;
}
