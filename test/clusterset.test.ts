// Every *.svc.clusterset.local name fleetplane writes must resolve on a real fleet: Lighthouse answers for a
// Service only where a ServiceExport of it exists, and a cluster-pinned name (`<cluster-id>.<svc>.<ns>...`)
// only for the cluster with that Submariner cluster ID. The test reads what each member cluster ends up with
// (control-plane objects expanded through their PropagationPolicies in karmada mode) and checks every name.
import { App } from 'cdk8s';
import {
  CrossClusterBackend, CrossClusterService, DeliveryMode, DistributedPlatform, EnvValue, FederatedApp, GlobalTier, LogsBackend, synthesizeTargets, TelemetryTier,
} from '../index';
import { expandToMembers } from '../outputs/placement-expansion';
import { TargetKind } from '../core/target';
import { buildObservedShop } from '../examples/observed-shop/platform';
import { buildTracedShop } from '../examples/traced-shop/platform';
import { problemsOf } from './support/fixtures';

type Obj = Record<string, any>;
const NAME = /\b(?:([a-z0-9-]+)\.)?([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.clusterset\.local\b/g;

/** The objects each member cluster ends up with, by cluster name. */
function perCluster(app: App, platform: DistributedPlatform): Record<string, Obj[]> {
  const out: Record<string, Obj[]> = Object.fromEntries(platform.fleet.names.map((n) => [n, [] as Obj[]]));
  for (const t of synthesizeTargets(app)) {
    if (t.target.kind === TargetKind.CONTROL_PLANE) {
      for (const [c, objs] of Object.entries(expandToMembers(t.objects, platform.fleet))) out[c].push(...objs);
    } else if (t.target.cluster) out[t.target.cluster.name].push(...t.objects);
  }
  return out;
}

interface Written { name: string; pinnedId?: string; service: string; namespace: string; writtenIn: string }

/** Every clusterset name in the objects, with the cluster whose manifests write it. */
function clustersetNames(members: Record<string, Obj[]>): Written[] {
  const out: Written[] = [];
  for (const [cluster, objects] of Object.entries(members)) {
    for (const m of JSON.stringify(objects).matchAll(NAME)) {
      // A three-label name is <svc>.<ns>.svc...; with four, the first label is the cluster ID.
      out.push({ name: m[0], pinnedId: m[1], service: m[2], namespace: m[3], writtenIn: cluster });
    }
  }
  return out;
}

/** Names that would not resolve: no ServiceExport in the serving cluster, or consumers outside Submariner. */
function unresolved(platform: DistributedPlatform, members: Record<string, Obj[]>): string[] {
  const ids = platform.submariner?.clusterIds ?? {};
  const exports = (cluster: string, w: Written) => members[cluster].some((o) => o.kind === 'ServiceExport' && o.metadata.name === w.service && o.metadata.namespace === w.namespace);
  const bad: string[] = [];
  for (const w of clustersetNames(members)) {
    if (ids[w.writtenIn] === undefined) bad.push(`${w.name} written in ${w.writtenIn}, which is not joined to Submariner`);
    const serving = w.pinnedId ? Object.keys(ids).filter((c) => ids[c] === w.pinnedId) : Object.keys(ids);
    if (!serving.some((c) => exports(c, w))) bad.push(`${w.name} (written in ${w.writtenIn}) has no ServiceExport in ${w.pinnedId ? `the cluster with ID ${w.pinnedId}` : 'any joined cluster'}`);
  }
  return bad;
}

const CLUSTERS = [
  { name: 'bj-1', region: 'cn-north', podCidr: '10.1.0.0/16', serviceCidr: '10.101.0.0/16' },
  { name: 'bj-2', region: 'cn-north', podCidr: '10.2.0.0/16', serviceCidr: '10.102.0.0/16' },
  { name: 'sh-1', region: 'cn-east', podCidr: '10.3.0.0/16', serviceCidr: '10.103.0.0/16' },
];

/** A fleet that writes clusterset names three ways: federation targets, Thanos endpoints and an app's env. */
function fleet(mode: DeliveryMode, tier: 'hierarchical' | 'thanos') {
  const app = new App();
  const platform = new DistributedPlatform(app, 'p', {
    delivery: mode,
    clusters: CLUSTERS,
    // Cluster IDs differ from the cluster names: pinned names must use the IDs.
    submariner: { broker: 'bj-1', clusterIds: { 'bj-1': 'north-1', 'bj-2': 'north-2', 'sh-1': 'east-1' } },
    monitoring: { global: tier === 'thanos' ? GlobalTier.thanos({ cluster: 'bj-1' }) : GlobalTier.hierarchical({ cluster: 'bj-1' }) },
    defaults: { imageRegistry: 'registry.example.com' },
  });
  const t = platform.addTenant('shop', { clusters: { names: ['bj-1', 'bj-2', 'sh-1'] } });
  const stock = new FederatedApp(t, 'stock', { image: 'shop/stock:1.0.0', port: 8080, replicas: 3 });
  const xcs = new CrossClusterService(t, 'stock-xcs', { app: stock, backend: CrossClusterBackend.SUBMARINER, consumers: { names: ['bj-1', 'bj-2', 'sh-1'] } });
  new FederatedApp(t, 'web', { image: 'shop/web:1.0.0', port: 8080, env: { STOCK_URL: EnvValue.literal(`http://${xcs.address}:8080`), STOCK_SH: EnvValue.literal(`http://${xcs.addressIn('sh-1')}:8080`) } });
  return { app, platform };
}

describe.each([DeliveryMode.KARMADA, DeliveryMode.DIRECT])('clusterset names resolve (%s mode)', (mode) => {
  test.each(['hierarchical', 'thanos'] as const)('%s global tier and a Submariner CrossClusterService: every name is exported where it is served', (tier) => {
    const { app, platform } = fleet(mode, tier);
    const members = perCluster(app, platform);
    const names = clustersetNames(members).map((w) => w.name);
    // The federation targets (or Thanos endpoints) name every member by its ID, and the app's env both forms.
    for (const id of ['north-1', 'north-2', 'east-1']) expect(names).toContain(`${id}.prometheus-operated.monitoring.svc.clusterset.local`);
    expect(names).toContain('stock.shop.svc.clusterset.local');
    expect(names).toContain('east-1.stock.shop.svc.clusterset.local');
    expect(unresolved(platform, members)).toEqual([]);
  });
});

test('the check itself fails when an export is missing (it can fail)', () => {
  const { app, platform } = fleet(DeliveryMode.DIRECT, 'hierarchical');
  const members = perCluster(app, platform);
  members['bj-2'] = members['bj-2'].filter((o) => !(o.kind === 'ServiceExport' && o.metadata.name === 'prometheus-operated'));
  expect(unresolved(platform, members)).toEqual(['north-2.prometheus-operated.monitoring.svc.clusterset.local (written in bj-1) has no ServiceExport in the cluster with ID north-2']);
});

test('observed-shop: the global tier\'s targets are exported by the members', () => {
  const app = new App();
  const platform = buildObservedShop(app);
  const members = perCluster(app, platform);
  expect(clustersetNames(members).map((w) => w.name).sort()).toEqual([
    'bj-1.prometheus-operated.monitoring.svc.clusterset.local',
    'bj-2.prometheus-operated.monitoring.svc.clusterset.local',
    'sh-1.prometheus-operated.monitoring.svc.clusterset.local',
  ]);
  expect(unresolved(platform, members)).toEqual([]);
});

test.each([DeliveryMode.KARMADA, DeliveryMode.DIRECT])('traced-shop (%s): the global Prometheus and OTLP gateway names are exported where they are served', (delivery) => {
  const app = new App();
  const platform = buildTracedShop(app, { delivery });
  const members = perCluster(app, platform);
  const names = [...new Set(clustersetNames(members).map((w) => w.name))];
  expect(names).toContain('otel-global-collector.telemetry-global.svc.clusterset.local');
  expect(names).toContain('sh-1.prometheus-operated.monitoring.svc.clusterset.local');
  expect(unresolved(platform, members)).toEqual([]);
});

test('a telemetry gateway tier without Submariner is refused, naming the direct tier as the other choice', () => {
  const problems = problemsOf((app) => {
    const p = new DistributedPlatform(app, 'p', { clusters: CLUSTERS, telemetry: { globalTier: TelemetryTier.gateway({ cluster: 'bj-1' }), backends: { logs: LogsBackend.loki('http://loki.example.com:3100') } } });
    return p;
  }).filter((x) => x.severity === 'error');
  expect(problems.map((x) => `${x.rule} ${x.prop}`)).toEqual(['FP-CLUSTERSET telemetry.globalTier']);
  expect(problems[0].fix).toContain('TelemetryTier.direct()');
});

test('a global tier on clusterset names without Submariner is refused, naming both choices', () => {
  const problems = problemsOf((app) => new DistributedPlatform(app, 'p', { clusters: CLUSTERS, monitoring: { global: GlobalTier.hierarchical({ cluster: 'bj-1' }) } }));
  expect(problems).toEqual([expect.objectContaining({ rule: 'FP-CLUSTERSET', prop: 'monitoring.global.memberAddress', value: 'bj-1.prometheus-operated.monitoring.svc.clusterset.local:9090' })]);
  expect(problems[0].fix).toMatch(/declare `submariner`.*or set monitoring\.global\.memberAddress/);
});
