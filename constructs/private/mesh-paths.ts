/**
 * The connections a meshed service declares, for the reachability check: its callers (allowFrom), the services
 * it calls, the ingress gateway when it is exposed, and its pods' DNS and istiod connections.
 */
import { DeclaredPath, PathEndpoint } from '../../model/reachability';

/** A meshed service as the paths need it. */
export interface MeshedEndpoint extends PathEndpoint {
  /** Container port of the routed port. */
  readonly port?: number;
  /** The routed port carries opaque TCP: its paths carry no HTTP request. */
  readonly tcp?: boolean;
}

/** A declared caller with the first request its allow-list admits. */
export interface DeclaredCaller {
  readonly endpoint: PathEndpoint;
  readonly prop: string;
  readonly methods?: readonly string[];
  readonly paths?: readonly string[];
}

/** What {@link meshPaths} derives from. */
export interface MeshPathIntent {
  readonly declaredBy: string;
  readonly service: MeshedEndpoint;
  readonly callers: readonly DeclaredCaller[];
  /** Services this one calls (`calls`), with the index in the prop. */
  readonly calls: ReadonlyArray<{ readonly endpoint: MeshedEndpoint; readonly declaredBy: string; readonly allowed: boolean; readonly index: number }>;
  /** Clusters whose istiod the pods use (the primaries among the app's clusters). */
  readonly istiodClusters: readonly string[];
}

/** A concrete path that an allow-list admits: `*` in a path becomes a segment. */
function requestOf(caller: { methods?: readonly string[]; paths?: readonly string[] }): { method: string; path: string } {
  const path = caller.paths?.[0] ?? '/';
  return { method: caller.methods?.[0] ?? 'GET', path: path.replace(/\*/g, 'x') };
}

/** Every path the service declares. */
export function meshPaths(intent: MeshPathIntent): DeclaredPath[] {
  const { service, declaredBy } = intent;
  const out: DeclaredPath[] = [];
  if (service.port !== undefined) {
    const to = { ...service, port: service.port };
    for (const c of intent.callers) out.push({ kind: c.endpoint.namespace === 'istio-system' ? 'ingress' : 'call', declaredBy, prop: c.prop, from: c.endpoint, to, mtls: true, http: service.tcp ? undefined : requestOf(c) });
  }
  for (const call of intent.calls) {
    // A call the callee allows is already a path of the callee (its allowFrom).
    if (call.allowed || call.endpoint.port === undefined) continue;
    out.push({ kind: 'call', declaredBy, prop: `calls[${call.index}]`, from: service, to: { ...call.endpoint, port: call.endpoint.port }, mtls: true, http: call.endpoint.tcp ? undefined : { method: 'GET', path: '/' }, oneSided: true });
  }
  const pod = { ...service, meshed: false };
  const dns = { name: 'kube-system/kube-dns', clusters: service.clusters, namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, meshed: false, port: 53, protocol: 'UDP' };
  out.push({ kind: 'dns', declaredBy, prop: 'app', from: pod, to: dns, mtls: false, sameClusterOnly: true });
  if (intent.istiodClusters.length > 0) {
    const istiod = { name: 'istio-system/istiod', clusters: intent.istiodClusters, namespace: 'istio-system', labels: { app: 'istiod' }, meshed: false, port: 15012 };
    out.push({ kind: 'istiod', declaredBy, prop: 'app', from: { ...pod, clusters: service.clusters.filter((c) => intent.istiodClusters.includes(c)) }, to: istiod, mtls: false, sameClusterOnly: true });
  }
  return out;
}
