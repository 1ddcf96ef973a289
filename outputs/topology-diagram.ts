/**
 * The topology as a diagram, before any drawing: nested boxes (platform, tenants with their apps, cluster
 * groups with their clusters and monitoring tiers) and typed edges (placement with the replica count,
 * allowed and declared calls, failover, cross-cluster services, federation). The SVG and Mermaid renderers
 * draw the same diagram, so both pictures say the same thing.
 */
import type { PlatformTopology, TopologyApp, TopologyCluster } from './topology-model';

/** How clusters are grouped in the picture. */
export type ClusterGrouping = 'region' | 'provider' | 'network';

/** What a box is. */
export type DiagramNodeKind = 'platform' | 'tenant' | 'group' | 'cluster' | 'app' | 'ingress' | 'external' | 'monitor';

/** A box; boxes with children are drawn as frames around them. */
export interface DiagramNode {
  readonly id: string;
  readonly kind: DiagramNodeKind;
  /** First line, in bold. */
  readonly title: string;
  /** Further lines. */
  readonly lines: readonly string[];
  /** Index of the tenant's color (apps and tenants). */
  readonly color?: number;
  /** An edge cluster (drawn dashed and marked). */
  readonly edge?: boolean;
  readonly children: readonly DiagramNode[];
}

/** What an edge means. */
export type DiagramEdgeKind = 'placement' | 'allow' | 'calls' | 'failover' | 'xcs' | 'federate';

/** An arrow between two boxes. */
export interface DiagramEdge {
  readonly id: string;
  readonly kind: DiagramEdgeKind;
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  /** Drawn with arrow heads at both ends (failover in both directions). */
  readonly both?: boolean;
}

/** A whole picture. */
export interface Diagram {
  readonly title: string;
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  /** Tenant names in color order, for the legend. */
  readonly tenants: readonly string[];
}

/** What each edge kind means, for legends. */
export const EDGE_MEANING: Readonly<Record<DiagramEdgeKind, string>> = {
  placement: 'placement: replicas of the app in the cluster',
  allow: 'allowed caller (AuthorizationPolicy)',
  calls: 'declared call (Sidecar egress)',
  failover: 'locality failover (DestinationRule)',
  xcs: 'cross-cluster service to consumers',
  federate: 'monitoring: federation / query',
};

/** Builds the diagram of one or more platforms. */
export function topologyDiagram(platforms: readonly PlatformTopology[], grouping: ClusterGrouping = 'region'): Diagram {
  const tenants = [...new Set(platforms.flatMap((p) => [...p.tenants.map((t) => t.namespace), ...p.apps.map((a) => a.namespace)]))];
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  platforms.forEach((p, i) => {
    const built = platformDiagram(p, `p${i}`, grouping, tenants);
    nodes.push(built.node);
    edges.push(...built.edges);
  });
  const title = platforms.length === 1 ? `${platforms[0].name}${platforms[0].delivery ? ` (${platforms[0].delivery} delivery)` : ''}` : platforms.map((p) => p.name).join(', ');
  return { title: `fleetplane topology: ${title}`, nodes, edges, tenants };
}

function appLines(a: TopologyApp): string[] {
  const count = a.autoscaling ? `autoscaled ${a.autoscaling.min ?? '?'}–${a.autoscaling.max ?? '?'}` : a.total !== undefined ? `${a.total} replica${a.total === 1 ? '' : 's'}` : '';
  const lines = [[a.kind, count].filter(Boolean).join(' · ')];
  const split = a.clusters.filter((c) => a.replicas[c] !== undefined).map((c) => `${c} ×${a.replicas[c]}`);
  if (split.length > 0) lines.push(split.join(' · '));
  else if (a.clusters.length > 0) lines.push(`on ${a.clusters.join(', ')} (split at run time)`);
  if (a.versions.length > 0) lines.push(`${a.versions.length > 1 ? 'versions' : 'version'} ${a.versions.join(', ')}`);
  if (a.nodeGroups) lines.push(Object.entries(a.nodeGroups).map(([g, n]) => `${g} ×${n}`).join(' · '));
  return lines;
}

function clusterLines(c: TopologyCluster, grouping: ClusterGrouping): string[] {
  const facts = [grouping !== 'region' ? c.region : undefined, grouping !== 'provider' ? c.provider : undefined, grouping !== 'network' && c.network && c.network !== c.name ? `network ${c.network}` : undefined];
  const line = facts.filter(Boolean).join(' · ');
  return line ? [line] : [];
}

function platformDiagram(p: PlatformTopology, prefix: string, grouping: ClusterGrouping, tenants: readonly string[]): { node: DiagramNode; edges: DiagramEdge[] } {
  const id = (kind: string, name: string) => `${prefix}:${kind}:${name}`;
  const endpoint = (ref: string) => (ref.startsWith('app:') ? id('app', ref.slice(4)) : ref.startsWith('tenant:') ? id('tenant', ref.slice(7)) : ref.startsWith('external:') ? id('external', ref.slice(9)) : id('ingress', 'gateway'));
  const clusterId = (name: string) => id('cluster', name);
  const tenantNodes: DiagramNode[] = [...new Set([...p.tenants.map((t) => t.namespace), ...p.apps.map((a) => a.namespace)])].map((ns) => {
    const t = p.tenants.find((x) => x.namespace === ns);
    return {
      id: id('tenant', ns), kind: 'tenant', title: `tenant ${ns}`, lines: t && t.clusters.length > 0 ? [`on ${t.clusters.join(', ')}`] : [], color: tenants.indexOf(ns), children: p.apps.filter((a) => a.namespace === ns).map((a) => ({
        id: id('app', `${a.namespace}/${a.name}`), kind: 'app', title: a.name, lines: appLines(a), color: tenants.indexOf(ns), children: [],
      })),
    };
  });
  const extras: DiagramNode[] = [];
  const refs = new Set(p.traffic.flatMap((e) => [e.from, e.to]));
  if (refs.has('ingress')) extras.push({ id: id('ingress', 'gateway'), kind: 'ingress', title: 'ingress gateway', lines: ['istio-ingressgateway'], children: [] });
  for (const r of [...refs].filter((x) => x.startsWith('external:'))) extras.push({ id: endpoint(r), kind: 'external', title: r.slice(9), lines: ['external host'], children: [] });
  const groups = clusterGroups(p, grouping, id);
  const edges = [
    ...placementEdges(p, id, clusterId),
    ...p.traffic.map((e, i): DiagramEdge => ({ id: id('traffic', String(i)), kind: e.kind, from: endpoint(e.from), to: endpoint(e.to), label: e.kind === 'allow' ? (e.label ? `allow ${e.label}` : 'allow') : 'calls' })),
    ...failoverEdges(p, grouping, id, clusterId),
    ...p.crossCluster.flatMap((x, i) => x.consumers.map((c, j): DiagramEdge => ({ id: id('xcs', `${i}-${j}`), kind: 'xcs', from: endpoint(x.app), to: clusterId(c), label: `xcs ${x.backend}` }))),
    ...p.monitoring.filter((m) => m.tier === 'global').flatMap((m, i) => m.sources.map((s): DiagramEdge => ({
      id: id('federate', `${i}-${s}`), kind: 'federate', from: id('monitor', `${s}/member`), to: id('monitor', `${m.cluster}/global`), label: m.kind === 'thanos-query' ? 'query' : 'federate',
    }))),
  ].filter((e) => e.from !== e.to);
  const title = `platform ${p.name}`;
  return { node: { id: id('platform', p.name), kind: 'platform', title, lines: p.delivery ? [`${p.delivery} delivery`] : [], children: [...extras, ...tenantNodes, ...groups] }, edges };
}

function clusterGroups(p: PlatformTopology, grouping: ClusterGrouping, id: (kind: string, name: string) => string): DiagramNode[] {
  const keyOf = (c: TopologyCluster) => (grouping === 'region' ? c.region : grouping === 'provider' ? c.provider : c.network) ?? '(none)';
  const keys = [...new Set(p.clusters.map(keyOf))];
  return keys.map((key) => ({
    id: id('group', key), kind: 'group', title: `${grouping} ${key}`, lines: [], children: p.clusters.filter((c) => keyOf(c) === key).map((c): DiagramNode => ({
      id: id('cluster', c.name), kind: 'cluster', title: c.edge ? `${c.name} (edge)` : c.name, lines: clusterLines(c, grouping), edge: c.edge,
      children: p.monitoring.filter((m) => m.cluster === c.name).map((m) => ({
        id: id('monitor', `${c.name}/${m.tier}`), kind: 'monitor', title: m.kind === 'thanos-query' ? 'Thanos Query' : 'Prometheus', lines: [m.tier === 'global' ? 'global tier' : 'member tier'], children: [],
      })),
    })),
  }));
}

function placementEdges(p: PlatformTopology, id: (kind: string, name: string) => string, clusterId: (name: string) => string): DiagramEdge[] {
  return p.apps.flatMap((a) => a.clusters.map((c): DiagramEdge => {
    const n = a.replicas[c];
    return { id: id('placement', `${a.namespace}/${a.name}@${c}`), kind: 'placement', from: id('app', `${a.namespace}/${a.name}`), to: clusterId(c), label: n !== undefined ? `×${n}` : undefined };
  }));
}

/** Failover between regions: one edge per pair of regions (both ways when both are declared), naming the apps. */
function failoverEdges(p: PlatformTopology, grouping: ClusterGrouping, id: (kind: string, name: string) => string, clusterId: (name: string) => string): DiagramEdge[] {
  const pairs = new Map<string, { from: string; to: string; apps: Set<string>; both: boolean }>();
  for (const f of p.failover) {
    const reverse = pairs.get(`${f.to}\0${f.from}`);
    const name = f.app.replace(/^app:[^/]+\//, '');
    if (reverse) {
      reverse.both = true;
      reverse.apps.add(name);
      continue;
    }
    const key = `${f.from}\0${f.to}`;
    if (!pairs.has(key)) pairs.set(key, { from: f.from, to: f.to, apps: new Set(), both: false });
    pairs.get(key)!.apps.add(name);
  }
  const regionNode = (region: string) => {
    if (grouping === 'region') return p.clusters.some((c) => c.region === region) ? id('group', region) : undefined;
    const c = p.clusters.find((x) => x.region === region);
    return c ? clusterId(c.name) : undefined;
  };
  return [...pairs.values()].flatMap((x, i) => {
    const from = regionNode(x.from);
    const to = regionNode(x.to);
    return from && to ? [{ id: id('failover', String(i)), kind: 'failover' as const, from, to, label: `failover: ${[...x.apps].sort().join(', ')}`, both: x.both }] : [];
  });
}
