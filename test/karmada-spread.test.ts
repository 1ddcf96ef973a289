// Karmada reads an absent spread `maxGroups` as 0 and then selects no cluster at all (select_clusters_by_cluster.go
// takes min(clusters, maxGroups); karmada-io/karmada#4617), so a PropagationPolicy must always carry the bound.
// fleetplane's "no upper bound" is written as the number of distinct groups among the tenant's clusters.
import { App } from 'cdk8s';
import { Distribution, DistributedPlatform, FederatedApp, Placement, SpreadField, synthesizeTargets } from '../index';

const CLUSTERS = [
  { name: 'bj-1', region: 'cn-north', zones: ['a', 'b'], provider: 'huaweicloud' },
  { name: 'bj-2', region: 'cn-north', zones: ['c'], provider: 'huaweicloud' },
  { name: 'sh-1', region: 'cn-east', zones: ['d'], provider: 'alicloud' },
  { name: 'gz-1', region: 'cn-south', zones: ['e'], provider: 'alicloud', labels: { tier: 'edge' } },
];

function spreadOf(placement: Placement, tenantClusters?: string[]) {
  const app = new App();
  const p = new DistributedPlatform(app, 'p', { clusters: CLUSTERS });
  const t = p.addTenant('t', tenantClusters ? { clusters: { names: tenantClusters } } : {});
  new FederatedApp(t, 'web', { image: 'registry.example.com/web:1.0.0', port: 8080, replicas: 6, distribution: Distribution.aggregated(), placement });
  const pp = synthesizeTargets(app).flatMap((x) => x.objects).find((o) => o.kind === 'PropagationPolicy' && o.metadata.name === 'web');
  return pp!.spec.placement.spreadConstraints;
}

test('a region spread without maxGroups is bounded by the regions, and the added cluster constraint by the clusters', () => {
  expect(spreadOf(Placement.all().spread({ field: SpreadField.REGION, minGroups: 2 }))).toEqual([
    { spreadByField: 'region', minGroups: 2, maxGroups: 3 },
    { spreadByField: 'cluster', minGroups: 2, maxGroups: 4 },
  ]);
});

test('bounds count only the tenant\'s clusters; zones count every zone; explicit bounds are kept', () => {
  expect(spreadOf(Placement.all().spread({ field: SpreadField.REGION }), ['bj-1', 'bj-2', 'sh-1'])).toEqual([
    { spreadByField: 'region', minGroups: 1, maxGroups: 2 },
    { spreadByField: 'cluster', minGroups: 1, maxGroups: 3 },
  ]);
  expect(spreadOf(Placement.all().spread({ field: SpreadField.ZONE, minGroups: 1 }, { field: SpreadField.CLUSTER, minGroups: 1, maxGroups: 2 }))).toEqual([
    { spreadByField: 'zone', minGroups: 1, maxGroups: 5 },
    { spreadByField: 'cluster', minGroups: 1, maxGroups: 2 },
  ]);
});

test('every spread constraint of every emitted PropagationPolicy has 1 <= minGroups <= maxGroups', () => {
  for (const spread of [Placement.all().spread({ field: SpreadField.PROVIDER }), Placement.all().spread({ field: SpreadField.CLUSTER, minGroups: 2 })]) {
    for (const c of spreadOf(spread)) {
      expect(c.minGroups).toBeGreaterThanOrEqual(1);
      expect(c.maxGroups).toBeGreaterThanOrEqual(c.minGroups);
    }
  }
});
