/**
 * Traffic in the topology, read from the Istio objects: who may call an app (AuthorizationPolicy ALLOW rules:
 * SPIFFE principals of apps' service accounts, whole namespaces, the ingress gateway), whom an app calls
 * (Sidecar egress hosts), and where an app fails over to (DestinationRule locality failover).
 */
import { Manifest } from './manifests';
import type { FailoverEdge, PlacedManifest, TopologyApp, TrafficEdge } from './topology-model';

const LABEL_INSTANCE = 'app.kubernetes.io/instance';

/** Maps the objects that name an app (pod labels, service accounts, service hosts) back to the app. */
class AppIndex {
  private readonly byInstance = new Map<string, string>();
  private readonly byServiceAccount = new Map<string, string>();
  private readonly byService = new Map<string, string>();

  constructor(placed: readonly PlacedManifest[], apps: readonly TopologyApp[]) {
    const appOf = (o: Manifest) => apps.find((a) => a.namespace === o.metadata?.namespace && a.name === (o.metadata?.labels?.['app.kubernetes.io/name'] ?? o.metadata?.name));
    for (const { object: o } of placed) {
      const app = appOf(o);
      if (!app) continue;
      const instance = o.metadata?.labels?.[LABEL_INSTANCE];
      if (instance) this.byInstance.set(`${app.namespace}/${instance}`, app.id);
      const sa = o.spec?.template?.spec?.serviceAccountName;
      if (typeof sa === 'string') this.byServiceAccount.set(`${app.namespace}/${sa}`, app.id);
      if (o.kind === 'Service') this.byService.set(`${app.namespace}/${o.metadata.name}`, app.id);
    }
  }

  /** The app whose pods a selector's labels pick. */
  public bySelector(namespace: string, labels: Record<string, string> | undefined): string | undefined {
    const instance = labels?.[LABEL_INSTANCE];
    return instance ? this.byInstance.get(`${namespace}/${instance}`) : undefined;
  }

  /** The endpoint of a SPIFFE principal (`<trust domain>/ns/<ns>/sa/<sa>`): an app, the ingress gateway or a tenant. */
  public byPrincipal(principal: string): string | undefined {
    const m = /(?:^|\/)ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
    if (!m) return undefined;
    if (m[1] === 'istio-system') return 'ingress';
    return this.byServiceAccount.get(`${m[1]}/${m[2]}`) ?? (m[2] === '*' ? `tenant:${m[1]}` : undefined);
  }

  /** The app behind a mesh host (`<svc>.<ns>.svc.cluster.local` or `.clusterset.local`, or `<svc>.<ns>`). */
  public byHost(host: string, fromNamespace?: string): string | undefined {
    const m = /^([a-z0-9-]+)(?:\.([a-z0-9-]+))?(?:\.svc(?:\.cluster\.local|\.clusterset\.local)?)?$/.exec(host);
    if (!m) return undefined;
    return this.byService.get(`${m[2] ?? fromNamespace}/${m[1]}`);
  }
}

/** Traffic edges and failover of one platform's objects. */
export function trafficOf(placed: readonly PlacedManifest[], apps: readonly TopologyApp[]): { edges: TrafficEdge[]; failover: FailoverEdge[] } {
  const index = new AppIndex(placed, apps);
  const edges = new Map<string, TrafficEdge>();
  const add = (e: TrafficEdge) => {
    const key = `${e.kind} ${e.from} ${e.to}`;
    if (!edges.has(key)) edges.set(key, e);
  };
  const failover = new Map<string, FailoverEdge>();
  for (const { object: o } of placed) {
    const ns = o.metadata?.namespace as string | undefined;
    if (!ns) continue;
    if (o.kind === 'AuthorizationPolicy' && (o.spec?.action ?? 'ALLOW') === 'ALLOW') allowEdges(o, ns, index).forEach(add);
    if (o.kind === 'Sidecar') callEdges(o, ns, index).forEach(add);
    if (o.kind === 'DestinationRule') {
      const app = index.byHost(String(o.spec?.host ?? ''), ns);
      for (const f of o.spec?.trafficPolicy?.loadBalancer?.localityLbSetting?.failover ?? []) {
        if (app && f.from && f.to) failover.set(`${app} ${f.from} ${f.to}`, { app, from: f.from, to: f.to });
      }
    }
  }
  return { edges: [...edges.values()], failover: [...failover.values()] };
}

function allowEdges(o: Manifest, ns: string, index: AppIndex): TrafficEdge[] {
  const to = index.bySelector(ns, o.spec?.selector?.matchLabels) ?? (o.spec?.selector ? undefined : `tenant:${ns}`);
  if (!to) return [];
  const out: TrafficEdge[] = [];
  for (const rule of o.spec?.rules ?? []) {
    const methods = [...new Set((rule.to ?? []).flatMap((t: Manifest) => t.operation?.methods ?? []))] as string[];
    for (const from of rule.from ?? []) {
      const sources = [
        ...(from.source?.principals ?? []).map((p: string) => index.byPrincipal(p)),
        ...(from.source?.namespaces ?? []).map((n: string) => `tenant:${n}`),
      ].filter((x): x is string => typeof x === 'string');
      for (const source of sources) out.push({ from: source, to, kind: 'allow', label: methods.length > 0 ? methods.join(' ') : undefined });
    }
  }
  return out;
}

function callEdges(o: Manifest, ns: string, index: AppIndex): TrafficEdge[] {
  const from = index.bySelector(ns, o.spec?.workloadSelector?.labels);
  if (!from) return [];
  const out: TrafficEdge[] = [];
  for (const egress of o.spec?.egress ?? []) {
    for (const entry of egress.hosts ?? []) {
      const [hostNs, host] = String(entry).includes('/') ? String(entry).split('/', 2) : ['*', String(entry)];
      if (hostNs === 'istio-system' || host === '*' || host.startsWith('*.')) continue;
      const app = index.byHost(host, hostNs === '.' || hostNs === '*' ? ns : hostNs);
      out.push({ from, to: app ?? `external:${host}`, kind: 'calls' });
    }
  }
  return out;
}
