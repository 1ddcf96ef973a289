// Spread constraints in direct mode, as Karmada's scheduler applies them (pkg/scheduler/core/spreadconstraint):
// cluster minGroups enforced, a single feasible set of regions computed, region maxGroups honoured, fallback
// groups tried in order, and a refusal with a reason only where Karmada's choice depends on run-time scores.
// Cases named `Test...` are ported from the upstream tests of the same name.
process.env.FLEETPLANE_QUIET = '1';

import { App } from 'cdk8s';
import {
  DeliveryMode, DistributedPlatform, Distribution, FederatedApp, MemberClusterProps, Placement, Problem, Severity, SpreadConstraint, SpreadField,
} from '../index';
import { findFeasibleGroupSets } from '../engines/delivery/spread';
import { Output, synth } from './support/synth';
import { problemsOf } from './support/fixtures';

const cluster = (name: string, region: string, provider = 'P1'): MemberClusterProps => ({ name, region, provider, zones: ['Z1'] });
/** select_clusters_test.go generateClusterInfo: member1-4 over regions R1 and R2. */
const MEMBERS4 = [cluster('member1', 'R1'), cluster('member2', 'R1'), cluster('member3', 'R1', 'P2'), cluster('member4', 'R2', 'P2')];
/** select_clusters_by_region_test.go: R1 with member1-2, R2 with member3-5. */
const REGIONS2 = [cluster('member1', 'R1'), cluster('member2', 'R1'), cluster('member3', 'R2'), cluster('member4', 'R2'), cluster('member5', 'R2')];

interface Program {
  readonly clusters: MemberClusterProps[];
  readonly placement: Placement;
  readonly distribution?: Distribution;
  readonly mode?: DeliveryMode;
}

let lastApp: FederatedApp | undefined;
function build({ clusters, placement, distribution = Distribution.duplicated(), mode = DeliveryMode.DIRECT }: Program): (app: App) => DistributedPlatform {
  return (app) => {
    const platform = new DistributedPlatform(app, 'prod', { clusters, delivery: mode });
    lastApp = new FederatedApp(platform.addTenant('shop'), 'web', { image: 'registry.example.com/shop/web:1.0.0', replicas: 2, placement, distribution });
    return platform;
  };
}

const errors = (p: Program) => problemsOf(build(p)).filter((x) => x.severity === Severity.ERROR);
const brief = (ps: readonly Problem[]) => ps.map((p) => ({ rule: p.rule, prop: p.prop, value: p.value }));
/** Clusters whose output has the app's Deployment, and its replicas there. */
const placed = (out: Output) => Object.fromEntries(Object.entries(out).flatMap(([file, objs]) => {
  const d = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web');
  return d ? [[file.replace(/^prod-cluster-|\.k8s\.yaml$/g, ''), d.spec.replicas]] : [];
}));
const spreadBy = (...c: SpreadConstraint[]) => Placement.all().spread(...c);

describe('spread by cluster (select_clusters_by_cluster.go)', () => {
  test('TestSelectBestClusters: exceeded the number of available clusters → K17 naming minGroups and the available count', () => {
    const errs = errors({ clusters: MEMBERS4, placement: spreadBy({ field: SpreadField.CLUSTER, minGroups: 7, maxGroups: 7 }) });
    expect(brief(errs)).toEqual([{ rule: 'K17', prop: 'placement.spread[0].minGroups', value: 7 }]);
    expect(errs[0].message).toMatch(/at least 7 feasible clusters but only 4 are available \(member1, member2, member3, member4\)/);
    expect(errs[0].fix).toMatch(/lower minGroups to at most 4/);
  });

  test('Karmada mode reports the same unschedulable spread (its scheduler would fail at run time)', () => {
    const errs = errors({ clusters: MEMBERS4, placement: spreadBy({ field: SpreadField.CLUSTER, minGroups: 5 }), mode: DeliveryMode.KARMADA });
    expect(brief(errs)).toEqual([{ rule: 'K17', prop: 'placement.spread[0].minGroups', value: 5 }]);
  });

  test('taints and affinity shrink the feasible clusters that minGroups counts', () => {
    const errs = errors({ clusters: MEMBERS4, placement: Placement.where({ regions: ['R1'] }).spread({ field: SpreadField.CLUSTER, minGroups: 4 }) });
    expect(errs[0].message).toMatch(/only 3 are available \(member1, member2, member3\)/);
  });

  test('TestSelectBestClusters: select clusters by cluster score → refused with the reason (2 of 4 by score)', () => {
    const errs = errors({ clusters: MEMBERS4, placement: spreadBy({ field: SpreadField.CLUSTER, minGroups: 1, maxGroups: 2 }) });
    expect(brief(errs)).toEqual([{ rule: 'FP-DIRECT', prop: 'placement.spread[0].maxGroups', value: 2 }]);
    expect(errs[0].message).toMatch(/Karmada picks 2 of the 4 feasible clusters .* by score and available capacity at run time/);
  });

  test('every feasible cluster is selected anyway (maxGroups ≥ clusters, or none): computed, duplicated on each', () => {
    for (const c of [{ minGroups: 4, maxGroups: 4 }, { minGroups: 2, maxGroups: 6 }, { minGroups: 3 }]) {
      const out = synth(build({ clusters: MEMBERS4, placement: spreadBy({ field: SpreadField.CLUSTER, ...c }) }));
      expect(placed(out)).toEqual({ member1: 2, member2: 2, member3: 2, member4: 2 });
    }
  });

  test('TestSelectBestClusters: ignore ... when scheduling strategy is static weight: no selection, all candidates kept', () => {
    const problems = problemsOf(build({
      clusters: MEMBERS4, placement: spreadBy({ field: SpreadField.CLUSTER, minGroups: 5, maxGroups: 5 }), distribution: Distribution.weighted({ member1: 2 }),
    }));
    expect(problems.filter((p) => p.severity === Severity.ERROR)).toEqual([]);
    expect(problems.map((p) => [p.rule, p.severity])).toEqual([['K16', Severity.WARNING]]);
    expect(lastApp!.scheduled.candidates.map((c) => c.name)).toEqual(['member1', 'member2', 'member3', 'member4']);
  });

  test('a zone spread selects by its cluster constraint (Karmada selects by cluster and region only)', () => {
    const errs = errors({ clusters: MEMBERS4, placement: spreadBy({ field: SpreadField.ZONE, minGroups: 1 }, { field: SpreadField.CLUSTER, minGroups: 1, maxGroups: 3 }) });
    expect(brief(errs)).toEqual([{ rule: 'FP-DIRECT', prop: 'placement.spread[1].maxGroups', value: 3 }]);
  });

  test('a spread by label alone fails in Karmada ("just support cluster and region spread constraint") → K16', () => {
    const clusters = MEMBERS4.map((c) => ({ ...c, labels: { rack: c.name } }));
    expect(brief(errors({ clusters, placement: spreadBy({ label: 'rack', minGroups: 2 }) }))).toEqual([{ rule: 'K16', prop: 'placement.spread', value: [{ label: 'rack', minGroups: 2 }] }]);
    const withCluster = synth(build({ clusters, placement: spreadBy({ label: 'rack', minGroups: 2 }, { field: SpreadField.CLUSTER, minGroups: 2 }) }));
    expect(Object.keys(placed(withCluster))).toHaveLength(4);
  });
});

describe('spread by region (select_clusters_by_region.go, select_groups.go)', () => {
  test('Test_selectBestClustersByRegion: select cluster from the region with enough clusters → only R2 can hold 3 clusters', () => {
    const placement = spreadBy({ field: SpreadField.REGION, minGroups: 1, maxGroups: 1 }, { field: SpreadField.CLUSTER, minGroups: 3, maxGroups: 3 });
    expect(placed(synth(build({ clusters: REGIONS2, placement })))).toEqual({ member3: 2, member4: 2, member5: 2 });
  });

  test('Test_selectBestClustersByRegion: select cluster from the region with the higher score → refused, both region sets named', () => {
    const placement = spreadBy({ field: SpreadField.REGION, minGroups: 1, maxGroups: 1 }, { field: SpreadField.CLUSTER, minGroups: 2, maxGroups: 2 });
    const errs = errors({ clusters: REGIONS2, placement });
    expect(brief(errs)).toEqual([{ rule: 'FP-DIRECT', prop: 'placement.spread[0]', value: { field: SpreadField.REGION, minGroups: 1, maxGroups: 1 } }]);
    expect(errs[0].message).toMatch(/one of 2 sets of regions \(\[R1\] \[R2\]\)/);
  });

  test('Test_selectBestClustersByRegion: no enough region → K17', () => {
    const placement = spreadBy({ field: SpreadField.REGION, minGroups: 3, maxGroups: 3 }, { field: SpreadField.CLUSTER, minGroups: 3, maxGroups: 3 });
    expect(brief(errors({ clusters: REGIONS2, placement }))).toEqual([{ rule: 'K17', prop: 'placement.spread[0].minGroups', value: 3 }]);
  });

  test('region maxGroups limits the regions: with at most one region, only R1 holds the 3 clusters needed', () => {
    const clusters = [cluster('a1', 'R1'), cluster('a2', 'R1'), cluster('a3', 'R1'), cluster('b1', 'R2'), cluster('c1', 'R3')];
    const placement = spreadBy({ field: SpreadField.REGION, maxGroups: 1 }, { field: SpreadField.CLUSTER, minGroups: 3 });
    expect(placed(synth(build({ clusters, placement })))).toEqual({ a1: 2, a2: 2, a3: 2 });
  });

  test('every region needed (minGroups = regions): all clusters of all regions, the added cluster constraint unbounded', () => {
    const placement = spreadBy({ field: SpreadField.REGION, minGroups: 2 });
    expect(placed(synth(build({ clusters: REGIONS2, placement })))).toEqual({ member1: 2, member2: 2, member3: 2, member4: 2, member5: 2 });
  });

  test('no set of at most maxGroups regions holds the clusters needed → K17 on the cluster minGroups', () => {
    const placement = spreadBy({ field: SpreadField.REGION, maxGroups: 1 }, { field: SpreadField.CLUSTER, minGroups: 4 });
    const errs = errors({ clusters: REGIONS2, placement });
    expect(brief(errs)).toEqual([{ rule: 'K17', prop: 'placement.spread[1].minGroups', value: 4 }]);
    expect(errs[0].message).toMatch(/clusters per region: R1 \(2\), R2 \(3\)/);
  });

  test('a cluster maxGroups below the clusters of the chosen regions is picked by score → refused', () => {
    const placement = spreadBy({ field: SpreadField.REGION, minGroups: 2 }, { field: SpreadField.CLUSTER, minGroups: 2, maxGroups: 3 });
    expect(brief(errors({ clusters: REGIONS2, placement }))).toEqual([{ rule: 'FP-DIRECT', prop: 'placement.spread[1].maxGroups', value: 3 }]);
  });
});

describe('fallback groups (Karmada tries the next clusterAffinity when scheduling fails)', () => {
  const placement = Placement.fallback({ name: 'small', clusters: { regions: ['R1'] } }, { name: 'big', clusters: { regions: ['R2'] } })
    .spread({ field: SpreadField.CLUSTER, minGroups: 3 });

  test('the first group cannot hold minGroups clusters: the next one is used', () => {
    expect(placed(synth(build({ clusters: REGIONS2, placement })))).toEqual({ member3: 2, member4: 2, member5: 2 });
  });

  test('karmada mode: the candidates are the group Karmada schedules on, the policy is unchanged', () => {
    const out = synth(build({ clusters: REGIONS2, placement, mode: DeliveryMode.KARMADA }));
    expect(lastApp!.scheduled.candidates.map((c) => c.name)).toEqual(['member3', 'member4', 'member5']);
    const pp = out['prod-control-plane.k8s.yaml'].find((o) => o.kind === 'PropagationPolicy' && o.metadata.name === 'web');
    // "No upper bound" is written as the tenant's cluster count: Karmada reads an absent maxGroups as 0.
    expect(pp.spec.placement.spreadConstraints).toEqual([{ spreadByField: 'cluster', minGroups: 3, maxGroups: 5 }]);
    expect(pp.spec.placement.clusterAffinities.map((a: any) => a.affinityName)).toEqual(['small', 'big']);
  });

  test('no group can: one K17 per group, each named', () => {
    const groups = Placement.fallback({ name: 'small', clusters: { regions: ['R1'] } }, { name: 'big', clusters: { regions: ['R2'] } });
    const errs = errors({ clusters: REGIONS2, placement: groups.spread({ field: SpreadField.CLUSTER, minGroups: 4 }) });
    expect(errs.map((e) => e.message.split(':')[0]).sort()).toEqual(['fallback group "big"', 'fallback group "small"']);
    expect(errs.every((e) => e.rule === 'K17' && e.prop === 'placement.spread[0].minGroups')).toBe(true);
  });
});

describe('TestSelectGroups (select_groups.go findFeasiblePaths): the feasible region sets', () => {
  const g = (name: string, value: number) => ({ name, value });
  test.each([
    ['empty groups', [], 2, 3, 1, []],
    ['no enough groups', [g('R1', 1)], 2, 3, 1, []],
    ['no enough value', [g('R1', 1), g('R2', 2)], 2, 3, 4, []],
    ['select one group', [g('R1', 1)], 1, 3, 1, [['R1']]],
  ] as Array<[string, Array<{ name: string; value: number }>, number, number, number, string[][]]>)('%s', (_name, groups, min, max, target, expected) => {
    expect(findFeasibleGroupSets(groups, min, max, target)).toEqual(expected);
  });

  test('select groups that are chosen earlier: upstream picks [R1 R4] by score among the feasible sets', () => {
    const sets = findFeasibleGroupSets([g('R1', 1), g('R2', 2), g('R3', 3), g('R4', 4)], 1, 2, 5);
    expect(sets).toEqual([['R1', 'R4'], ['R2', 'R3'], ['R2', 'R4'], ['R3', 'R4']]);
    expect(sets).toContainEqual(['R1', 'R4']);
  });

  test('select groups with greater value: upstream picks [R3 R1] among the feasible sets', () => {
    const sets = findFeasibleGroupSets([g('R4', 1), g('R3', 3), g('R1', 3), g('R2', 4)], 1, 2, 5);
    expect(sets).toContainEqual(['R1', 'R3']);
    expect(sets.every((s) => s.length <= 2)).toBe(true);
  });

  test('when every group is needed the search stops after the first complete set', () => {
    expect(findFeasibleGroupSets([g('A', 1), g('B', 1), g('C', 1)], 3, Infinity, 2)).toEqual([['A', 'B', 'C']]);
  });
});
