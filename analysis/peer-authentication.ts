/**
 * Istio PeerAuthentication: the mutual TLS mode a workload's sidecar accepts on a port. The most specific
 * policy wins (workload selector, then namespace, then mesh-wide in the root namespace); UNSET inherits from
 * the next level; port-level settings override the workload policy's mode for that port.
 */
import { nameOf, namespaceOf, sortedInNamespaces } from './manifests';
import { labelsInclude } from './selectors';
import { DecidingObject, Manifest, MeshWorkload, Verdict } from './types';

/** A resolved mTLS mode. */
export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

interface PeerAuthenticationSpec {
  readonly selector?: { readonly matchLabels?: Readonly<Record<string, string>> };
  readonly mtls?: { readonly mode?: string };
  readonly portLevelMtls?: Readonly<Record<string, { readonly mode?: string }>>;
}

/** The mode a workload accepts on a port, and the policy (and level) it comes from. */
export interface MtlsResolution {
  readonly mode: MtlsMode;
  readonly decidedBy?: DecidingObject;
  readonly source: string;
}

function specOf(p: Manifest): PeerAuthenticationSpec {
  return (p.spec ?? {}) as PeerAuthenticationSpec;
}

function hasSelector(p: Manifest): boolean {
  return Object.keys(specOf(p).selector?.matchLabels ?? {}).length > 0;
}

/** A mode that decides (not UNSET, not missing). */
function decisive(mode: string | undefined): MtlsMode | undefined {
  return mode === 'STRICT' || mode === 'PERMISSIVE' || mode === 'DISABLE' ? mode : undefined;
}

/** The PeerAuthentications that apply to a workload, one per level. */
export interface PeerAuthenticationLevels {
  readonly workload?: Manifest;
  readonly namespace?: Manifest;
  readonly mesh?: Manifest;
}

/** The workload-, namespace- and mesh-level PeerAuthentications that apply to a workload (oldest wins ties). */
export function peerAuthenticationsFor(manifests: readonly object[], workload: MeshWorkload, rootNamespace: string): PeerAuthenticationLevels {
  // Only the workload's namespace and the root namespace can apply.
  const all = sortedInNamespaces(manifests, 'PeerAuthentication', ['security.istio.io'], [workload.namespace, rootNamespace], 'age-then-name');
  return {
    // Policies with a selector in the root namespace are ignored by Istio.
    workload: all.find((p) => namespaceOf(p) === workload.namespace && workload.namespace !== rootNamespace && hasSelector(p) && labelsInclude(workload.labels, specOf(p).selector?.matchLabels)),
    namespace: all.find((p) => namespaceOf(p) === workload.namespace && !hasSelector(p)),
    mesh: all.find((p) => namespaceOf(p) === rootNamespace && !hasSelector(p)),
  };
}

/** The mTLS mode a workload's sidecar applies to inbound connections on a (container) port. */
export function resolveMtlsMode(manifests: readonly object[], workload: MeshWorkload, port: number, rootNamespace: string): MtlsResolution {
  const levels = peerAuthenticationsFor(manifests, workload, rootNamespace);
  const ref = (p: Manifest, rule?: string): DecidingObject => ({ kind: 'PeerAuthentication', namespace: namespaceOf(p), name: nameOf(p), rule });
  const chain: Array<[Manifest | undefined, string | undefined, string, string | undefined]> = [
    // Port-level settings count only on policies with a selector (Istio rejects them elsewhere).
    [levels.workload, levels.workload && specOf(levels.workload).portLevelMtls?.[String(port)]?.mode, 'port level', `portLevelMtls[${port}]`],
    [levels.workload, levels.workload && specOf(levels.workload).mtls?.mode, 'workload level', 'mtls'],
    [levels.namespace, levels.namespace && specOf(levels.namespace).mtls?.mode, 'namespace level', 'mtls'],
    [levels.mesh, levels.mesh && specOf(levels.mesh).mtls?.mode, 'mesh level', 'mtls'],
  ];
  for (const [policy, mode, source, rule] of chain) {
    const m = decisive(mode);
    if (policy && m) return { mode: m, decidedBy: ref(policy, rule), source: `${source} PeerAuthentication ${namespaceOf(policy)}/${nameOf(policy)}` };
  }
  return { mode: 'PERMISSIVE', source: 'the Istio default (no PeerAuthentication sets a mode)' };
}

/**
 * Whether a meshed destination accepts the connection on a port: STRICT refuses plain text. Under DISABLE the
 * connection carries no peer identity: with auto mTLS, clients send plain text to such workloads.
 */
export function evaluatePeerAuthentication(manifests: readonly object[], workload: MeshWorkload, port: number, mtls: boolean, rootNamespace: string): Verdict & { readonly mode: MtlsMode } {
  const r = resolveMtlsMode(manifests, workload, port, rootNamespace);
  if (!mtls && r.mode === 'STRICT') {
    return { allowed: false, mode: r.mode, decidedBy: r.decidedBy, reason: `port ${port} requires mutual TLS (STRICT, from the ${r.source}); a plain-text caller is refused` };
  }
  const transport = mtls && r.mode !== 'DISABLE' ? 'mutual TLS' : 'plain text';
  return { allowed: true, mode: r.mode, decidedBy: r.decidedBy, reason: `port ${port} is ${r.mode} (from the ${r.source}); the connection arrives as ${transport}` };
}
