/**
 * Istio Sidecar egress scoping: which hosts a meshed caller's sidecar knows. A host outside the scope is
 * refused under outboundTrafficPolicy REGISTRY_ONLY, and under ALLOW_ANY leaves through the passthrough
 * cluster: as plain text to the original address, without the mesh's mutual TLS.
 */
import { nameOf, namespaceOf, sortedInNamespaces } from './manifests';
import { labelsInclude } from './selectors';
import { DecidingObject, Manifest, MeshWorkload, Verdict } from './types';

interface EgressListener {
  readonly port?: { readonly number?: number; readonly protocol?: string; readonly name?: string };
  readonly hosts?: readonly string[];
}

interface SidecarSpec {
  readonly workloadSelector?: { readonly labels?: Readonly<Record<string, string>> };
  readonly egress?: readonly EgressListener[];
  readonly outboundTrafficPolicy?: { readonly mode?: string };
}

/** The host a caller asks for: its name and the namespace of the Service (or ServiceEntry) behind it. */
export interface ScopedHost {
  /** Fully qualified host name; undefined when no Service fronts the destination (the caller uses a pod IP). */
  readonly host?: string;
  readonly namespace: string;
  /** The port the caller connects to (the Service port). */
  readonly port: number;
}

/** The outcome of scoping: a verdict, and whether the connection leaves through the passthrough cluster. */
export interface SidecarScopeVerdict extends Verdict {
  /** The host is outside the scope but ALLOW_ANY lets it out as plain text to the original address. */
  readonly passthrough: boolean;
}

function specOf(p: Manifest): SidecarSpec {
  return (p.spec ?? {}) as SidecarSpec;
}

function selectorOf(p: Manifest): Readonly<Record<string, string>> {
  return specOf(p).workloadSelector?.labels ?? {};
}

/** The Sidecar that configures a workload: its own (by selector), its namespace's, or the root namespace's. */
export function sidecarFor(manifests: readonly object[], workload: MeshWorkload, rootNamespace: string): Manifest | undefined {
  // Only the workload's namespace and the root namespace can apply.
  const all = sortedInNamespaces(manifests, 'Sidecar', ['networking.istio.io'], [workload.namespace, rootNamespace], 'age-then-name');
  const inNamespace = all.filter((s) => namespaceOf(s) === workload.namespace);
  return inNamespace.find((s) => Object.keys(selectorOf(s)).length > 0 && labelsInclude(workload.labels, selectorOf(s)))
    ?? inNamespace.find((s) => Object.keys(selectorOf(s)).length === 0)
    ?? all.find((s) => namespaceOf(s) === rootNamespace && Object.keys(selectorOf(s)).length === 0);
}

/**
 * Whether one `egress[].hosts` entry (`namespace/dnsName`) imports a host. The namespace part is `*` (any),
 * `.` (the workload's own namespace, also for the mesh default Sidecar of the root namespace), `~` (none) or a
 * name; the DNS part is `*`, an FQDN or `*.suffix`.
 */
export function sidecarHostMatches(entry: string, workloadNamespace: string, host: ScopedHost): boolean {
  if (!host.host) return false;
  const slash = entry.indexOf('/');
  const ns = slash >= 0 ? entry.slice(0, slash) : '*';
  const dns = slash >= 0 ? entry.slice(slash + 1) : entry;
  const nsOk = ns === '*' || (ns === '.' ? workloadNamespace : ns) === host.namespace;
  const name = host.host.toLowerCase();
  const pattern = dns.toLowerCase();
  const dnsOk = pattern === '*' || pattern === name || (pattern.startsWith('*.') && name.endsWith(pattern.slice(1)));
  return ns !== '~' && nsOk && dnsOk;
}

/** The egress listener that handles a port: the one bound to it, else the catch-all listener without a port. */
function listenerFor(listeners: readonly EgressListener[], port: number): number {
  const exact = listeners.findIndex((l) => l.port?.number === port);
  return exact >= 0 ? exact : listeners.findIndex((l) => !l.port?.number);
}

/** Decides whether a meshed caller's sidecar routes to a host, from the Sidecar resources of its cluster. */
export function evaluateSidecarScope(manifests: readonly object[], workload: MeshWorkload, target: ScopedHost, rootNamespace: string, meshPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY'): SidecarScopeVerdict {
  const sidecar = sidecarFor(manifests, workload, rootNamespace);
  const label = target.host ? `${target.host}:${target.port}` : `port ${target.port} (no Service: the caller uses the pod address)`;
  const ref = (rule?: string): DecidingObject | undefined => (sidecar ? { kind: 'Sidecar', namespace: namespaceOf(sidecar), name: nameOf(sidecar), rule } : undefined);
  const listeners = sidecar ? specOf(sidecar).egress ?? [] : [];
  let rule: string | undefined;
  if (target.host && listeners.length === 0) {
    return { allowed: true, passthrough: false, decidedBy: ref(), reason: `${label} is in the caller's registry (${sidecar ? 'its Sidecar has no egress listeners' : 'no Sidecar scopes it'})` };
  }
  if (target.host) {
    const i = listenerFor(listeners, target.port);
    rule = i >= 0 ? `egress[${i}].hosts` : 'egress';
    if (i >= 0 && (listeners[i].hosts ?? []).some((h) => sidecarHostMatches(h, workload.namespace, target))) {
      return { allowed: true, passthrough: false, decidedBy: ref(rule), reason: `${label} is imported by Sidecar ${namespaceOf(sidecar!)}/${nameOf(sidecar!)} ${rule}` };
    }
  }
  const mode = sidecar ? specOf(sidecar).outboundTrafficPolicy?.mode ?? meshPolicy : meshPolicy;
  const scope = sidecar ? `outside the egress scope of Sidecar ${namespaceOf(sidecar)}/${nameOf(sidecar)}` : 'not in the registry';
  if (mode === 'REGISTRY_ONLY') {
    return { allowed: false, passthrough: false, decidedBy: ref(rule ?? 'outboundTrafficPolicy'), reason: `${label} is ${scope} and outboundTrafficPolicy is REGISTRY_ONLY` };
  }
  return { allowed: true, passthrough: true, decidedBy: ref(rule), reason: `${label} is ${scope}; ALLOW_ANY passes it through as plain text to the original address` };
}
