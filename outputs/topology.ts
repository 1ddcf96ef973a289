/**
 * The topology of a synthesized platform, derived from its manifests: clusters, tenants, apps with their
 * replica split per cluster, traffic edges (Istio AuthorizationPolicies and Sidecars), locality failover
 * (DestinationRules), cross-cluster services and monitoring tiers. What the manifests cannot carry (a
 * cluster's region, provider, network and role, and the split Karmada will make at run time) comes from the
 * program's report (`PlatformFacts`) when there is one; without it the picture has what the files show.
 */
import { Manifest, ManifestFile } from './manifests';
import { PlatformFacts } from './report';
import {
  CrossClusterLink, MonitoringNode, PlacedManifest, PlatformTopology, TopologyApp, TopologyCluster, TopologyTenant, appId,
} from './topology-model';
import { trafficOf } from './topology-traffic';

export type {
  CrossClusterLink, FailoverEdge, MonitoringNode, PlacedManifest, PlatformTopology, TopologyApp, TopologyCluster, TopologyTenant, TrafficEdge,
} from './topology-model';
export { appId } from './topology-model';

const LABEL_PLATFORM = 'fleetplane.io/platform';
const LABEL_TENANT = 'fleetplane.io/tenant';
const LABEL_NAME = 'app.kubernetes.io/name';
const LABEL_VERSION = 'app.kubernetes.io/version';

/** Builds the topology of every platform found in an output (and the program's facts, if any). */
export function buildTopology(files: readonly ManifestFile[], facts: readonly PlatformFacts[] = []): PlatformTopology[] {
  const byPlatform = new Map<string, PlacedManifest[]>();
  for (const f of files) {
    for (const object of f.objects) {
      const platform = object.metadata?.labels?.[LABEL_PLATFORM];
      if (typeof platform !== 'string') continue;
      const m = new RegExp(`^${escapeRegExp(platform)}-cluster-(.+)\\.k8s\\.ya?ml$`).exec(f.file);
      if (!byPlatform.has(platform)) byPlatform.set(platform, []);
      byPlatform.get(platform)!.push({ object, cluster: m?.[1] });
    }
  }
  const names = [...new Set([...facts.map((p) => p.name), ...byPlatform.keys()])];
  return names.map((name) => platformTopology(name, byPlatform.get(name) ?? [], facts.find((p) => p.name === name)));
}

function platformTopology(name: string, placed: readonly PlacedManifest[], facts: PlatformFacts | undefined): PlatformTopology {
  const apps = appsOf(placed, facts);
  const traffic = trafficOf(placed, apps);
  const clusters = clustersOf(placed, facts, apps);
  const hasControlPlane = placed.some((p) => p.cluster === undefined);
  const direct = !hasControlPlane && placed.some((p) => p.cluster !== undefined && p.object.metadata?.labels?.[LABEL_TENANT]);
  return {
    name,
    delivery: facts?.delivery ?? (hasControlPlane ? 'karmada' : direct ? 'direct' : undefined),
    clusters,
    tenants: tenantsOf(placed),
    apps,
    traffic: traffic.edges,
    failover: traffic.failover,
    crossCluster: crossClusterOf(placed, facts, apps),
    monitoring: monitoringOf(placed),
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Clusters a PropagationPolicy that selects an object (by kind and name) places it on: the names it lists, or
 * the known clusters its label selector matches.
 */
export function placementClusters(placed: readonly PlacedManifest[], kind: string, name: string, namespace?: string, clusters: readonly TopologyCluster[] = []): string[] | undefined {
  const policy = placed.find(({ object: o }) => /PropagationPolicy$/.test(o.kind) && (namespace === undefined || o.kind === 'ClusterPropagationPolicy' || o.metadata?.namespace === namespace)
    && (o.spec?.resourceSelectors ?? []).some((s: Manifest) => s.kind === kind && s.name === name));
  const affinity = policy?.object.spec?.placement?.clusterAffinity;
  if (Array.isArray(affinity?.clusterNames)) return affinity.clusterNames;
  const match = affinity?.labelSelector?.matchLabels as Record<string, string> | undefined;
  if (!match || affinity.labelSelector.matchExpressions || clusters.every((c) => !c.labels)) return undefined;
  return clusters.filter((c) => Object.entries(match).every(([k, v]) => c.labels?.[k] === v)).map((c) => c.name);
}

function clustersOf(placed: readonly PlacedManifest[], facts: PlatformFacts | undefined, apps: readonly TopologyApp[]): TopologyCluster[] {
  if (facts) return facts.clusters.map((c) => ({ ...c }));
  const seen = new Map<string, { region?: string; provider?: string; network?: string; zones?: string[]; edge: boolean }>();
  const add = (n: string, extra: Partial<TopologyCluster> = {}) => seen.set(n, { ...(seen.get(n) ?? { edge: false }), ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)) });
  for (const { object: o, cluster } of placed) {
    if (cluster) add(cluster);
    if (o.kind === 'Cluster' && o.apiVersion?.startsWith('cluster.karmada.io')) add(o.metadata.name, { region: o.spec?.region, provider: o.spec?.provider, zones: o.spec?.zones });
    if (o.kind === 'Namespace' && o.metadata?.name === 'istio-system' && cluster) add(cluster, { network: o.metadata.labels?.['topology.istio.io/network'] });
    if (o.kind === 'NodeGroup' && cluster) add(cluster, { edge: true });
    if (o.kind === 'Prometheus' && cluster && o.spec?.externalLabels?.region) add(cluster, { region: o.spec.externalLabels.region });
    for (const n of o.spec?.placement?.clusterAffinity?.clusterNames ?? []) add(n);
  }
  for (const a of apps) for (const c of a.clusters) add(c);
  return [...seen].map(([name, c]) => ({ name, ...c }));
}

function tenantsOf(placed: readonly PlacedManifest[]): TopologyTenant[] {
  const out = new Map<string, Set<string>>();
  for (const { object: o, cluster } of placed) {
    if (o.kind !== 'Namespace' || typeof o.metadata?.labels?.[LABEL_TENANT] !== 'string') continue;
    const ns = o.metadata.name as string;
    if (!out.has(ns)) out.set(ns, new Set(placementClusters(placed, 'Namespace', ns) ?? []));
    if (cluster) out.get(ns)!.add(cluster);
  }
  return [...out].map(([namespace, clusters]) => ({ namespace, clusters: [...clusters] }));
}

interface AppDraft {
  namespace: string;
  name: string;
  kind: string;
  replicas: Record<string, number>;
  clusters: Set<string>;
  total?: number;
  autoscaling?: { min?: number; max?: number };
  versions: string[];
  /** Names of the app's workloads (one per version). */
  workloads: Set<string>;
  nodeGroups?: Record<string, number>;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet']);

function isAppWorkload(o: Manifest): boolean {
  const tenant = o.metadata?.labels?.[LABEL_TENANT];
  if (typeof tenant !== 'string' || typeof o.metadata?.namespace !== 'string') return false;
  return (WORKLOADS.has(o.kind) && o.apiVersion === 'apps/v1') || o.kind === 'EdgeApplication' || (o.kind === 'Job' && String(o.apiVersion).startsWith('batch.volcano.sh'));
}

function appsOf(placed: readonly PlacedManifest[], facts: PlatformFacts | undefined): TopologyApp[] {
  const drafts = new Map<string, AppDraft>();
  for (const { object: o, cluster } of placed) {
    if (!isAppWorkload(o)) continue;
    const name = (o.metadata.labels?.[LABEL_NAME] ?? o.metadata.name) as string;
    const id = appId(o.metadata.namespace, name);
    const d = drafts.get(id) ?? { namespace: o.metadata.namespace, name, kind: o.kind, replicas: {}, clusters: new Set<string>(), versions: [], workloads: new Set<string>() };
    drafts.set(id, d);
    addWorkload(d, o, cluster, placed, facts?.clusters ?? []);
  }
  // Autoscalers: one FederatedHPA per version in karmada mode; in direct mode one HPA per version and cluster.
  // The bounds of all of them add up.
  for (const { object: o } of placed) {
    if (!/^(HorizontalPodAutoscaler|FederatedHPA)$/.test(o.kind)) continue;
    const d = [...drafts.values()].find((x) => x.namespace === o.metadata?.namespace && x.workloads.has(o.spec?.scaleTargetRef?.name));
    if (d) d.autoscaling = { min: (d.autoscaling?.min ?? 0) + (o.spec.minReplicas ?? 1), max: (d.autoscaling?.max ?? 0) + (o.spec.maxReplicas ?? 0) };
  }
  return [...drafts].map(([id, d]) => finishApp(id, d, facts));
}

function addWorkload(d: AppDraft, o: Manifest, cluster: string | undefined, placed: readonly PlacedManifest[], known: readonly TopologyCluster[]): void {
  const version = o.metadata.labels?.[LABEL_VERSION];
  if (version && !d.versions.includes(version)) d.versions.push(version);
  d.workloads.add(o.metadata.name);
  const replicas = o.kind === 'Job' ? (o.spec?.tasks ?? []).reduce((n: number, t: Manifest) => n + (t.replicas ?? 0), 0) : o.spec?.replicas;
  if (typeof replicas === 'number') d.total = (d.total ?? 0) + replicas;
  if (cluster) {
    d.clusters.add(cluster);
    if (typeof replicas === 'number') d.replicas[cluster] = (d.replicas[cluster] ?? 0) + replicas;
    return;
  }
  const named = placementClusters(placed, o.kind, o.metadata.name, o.metadata.namespace, known) ?? [];
  named.forEach((c) => d.clusters.add(c));
  if (o.kind === 'EdgeApplication') {
    d.nodeGroups = Object.fromEntries((o.spec?.workloadScope?.targetNodeGroups ?? []).map((g: Manifest) => [g.name, g.overriders?.replicas ?? 0]));
    const groups = Object.values(d.nodeGroups);
    d.total = groups.reduce((a, b) => a + b, 0);
    named.forEach((c) => (d.replicas[c] = d.total!));
    return;
  }
  // A Duplicated policy that names its clusters puts the full count on each.
  const policy = placed.find(({ object: p }) => p.kind === 'PropagationPolicy' && (p.spec?.resourceSelectors ?? []).some((s: Manifest) => s.kind === o.kind && s.name === o.metadata.name));
  const duplicated = policy?.object.spec?.placement?.replicaScheduling?.replicaSchedulingType === 'Duplicated' && !policy.object.spec.placement.spreadConstraints;
  if (duplicated && typeof replicas === 'number') named.forEach((c) => (d.replicas[c] = (d.replicas[c] ?? 0) + replicas));
}

function finishApp(id: string, d: AppDraft, facts: PlatformFacts | undefined): TopologyApp {
  const known = facts?.apps.find((a) => a.namespace === d.namespace && a.name === d.name);
  const clusters = known && known.clusters.length > 0 && Object.keys(d.replicas).length === 0 ? [...known.clusters] : [...d.clusters];
  const replicas = Object.keys(d.replicas).length > 0 ? d.replicas : { ...(known?.replicas ?? {}) };
  for (const c of Object.keys(replicas)) if (!clusters.includes(c)) clusters.push(c);
  // A duplicated workload's count is per cluster; a canary adds its own replicas to the split's.
  const split = Object.values(replicas).reduce((a, b) => a + b, 0);
  const total = d.total === undefined && split === 0 ? undefined : Math.max(split, d.total ?? 0);
  return {
    id,
    namespace: d.namespace,
    name: d.name,
    kind: d.kind,
    clusters,
    replicas,
    total: d.autoscaling ? undefined : total,
    autoscaling: d.autoscaling,
    versions: d.versions,
    nodeGroups: d.nodeGroups,
  };
}

function crossClusterOf(placed: readonly PlacedManifest[], facts: PlatformFacts | undefined, apps: readonly TopologyApp[]): CrossClusterLink[] {
  if (facts && facts.crossCluster.length > 0) {
    return facts.crossCluster.map((x) => ({ app: appId(x.namespace, x.app), backend: x.backend, providers: x.providers, consumers: x.consumers }));
  }
  const out: CrossClusterLink[] = [];
  for (const { object: o } of placed) {
    const app = apps.find((a) => a.namespace === o.metadata?.namespace && a.name === o.metadata?.name);
    if (!app) continue;
    if (o.kind === 'MultiClusterService') {
      const names = (xs: Manifest[] | undefined) => (xs ?? []).map((x) => x.name as string);
      out.push({ app: app.id, backend: 'karmada-mcs', providers: names(o.spec?.providerClusters), consumers: names(o.spec?.consumerClusters) });
    } else if (o.kind === 'ServiceExport' && !out.some((x) => x.app === app.id)) {
      out.push({ app: app.id, backend: 'service-export', providers: app.clusters, consumers: [] });
    }
  }
  return out;
}

function monitoringOf(placed: readonly PlacedManifest[]): MonitoringNode[] {
  const out: MonitoringNode[] = [];
  for (const { object: o, cluster } of placed) {
    if (!cluster) continue;
    if (o.kind === 'Prometheus') {
      const global = o.spec?.externalLabels?.tier === 'global';
      const scrape = placed.find((p) => p.cluster === cluster && p.object.kind === 'ScrapeConfig' && p.object.metadata?.namespace === o.metadata?.namespace);
      const sources = global ? (scrape?.object.spec?.staticConfigs ?? []).map((s: Manifest) => s.labels?.federated_from).filter((x: unknown): x is string => typeof x === 'string') : [];
      out.push({ cluster, tier: global ? 'global' : 'member', kind: 'prometheus', sources });
    } else if (o.kind === 'Deployment' && o.metadata?.labels?.[LABEL_NAME] === 'thanos-query') {
      const members = placed.filter((p) => p.object.kind === 'Prometheus' && p.object.spec?.thanos && p.cluster).map((p) => p.cluster!);
      out.push({ cluster, tier: 'global', kind: 'thanos-query', sources: [...new Set(members)] });
    }
  }
  return out;
}
