// Explicit assertions of the rules fleetplane implements (domain reference §1, §7, §8), one behaviour per
// test, on small programs. Snapshots live in examples.test.ts; here every rule is asserted by value.
import { App, Duration } from 'cdk8s';
import {
  DeliveryMode, DistributedPlatform, Distribution, EnvValue, FederatedApp, FederatedAppProps, Placement,
  PlatformValidationError, PodSecurityLevel, Severity, SpreadField, SyncMode, TaintEffect, Tenant, TenantProps,
  parseImage,
} from '../index';
import { applyOverride } from '../engines/delivery/overrides';
import { divideByWeight } from '../engines/delivery/webster';
import { all, find, synth } from './support/synth';

process.env.FLEETPLANE_QUIET = '1';

const CLUSTERS = [
  { name: 'bj-1', region: 'cn-north', zones: ['cn-north-1a'], provider: 'huaweicloud', labels: { env: 'prod' } },
  { name: 'bj-2', region: 'cn-north', zones: ['cn-north-1b'], provider: 'huaweicloud', labels: { env: 'prod' } },
  { name: 'sh-1', region: 'cn-east', zones: ['cn-east-1a'], provider: 'alicloud', labels: { env: 'staging' } },
];

function platformWith(app: App, delivery = DeliveryMode.KARMADA, tenant: TenantProps = {}) {
  const platform = new DistributedPlatform(app, 'prod', { clusters: CLUSTERS, delivery });
  return { platform, tenant: platform.addTenant('shop', tenant) };
}

function oneApp(props: Partial<FederatedAppProps>, delivery = DeliveryMode.KARMADA, tenant: TenantProps = {}) {
  return synth((app) => {
    const { tenant: t } = platformWith(app, delivery, tenant);
    new FederatedApp(t, 'web', { image: 'registry.example.com/shop/web:1.0.0', port: 8080, ...props });
  });
}

function problemsOf(build: (app: App) => void) {
  const app = new App({ outdir: require('os').tmpdir() });
  build(app);
  try {
    app.synth();
    return [];
  } catch (e) {
    if (!(e instanceof PlatformValidationError)) throw e;
    return e.problems;
  }
}

describe('delivery modes and output layout', () => {
  test('karmada mode writes one control-plane file; direct mode one file per member', () => {
    expect(Object.keys(oneApp({}))).toEqual(['prod-control-plane.k8s.yaml']);
    expect(Object.keys(oneApp({}, DeliveryMode.DIRECT))).toEqual([
      'prod-cluster-bj-1.k8s.yaml', 'prod-cluster-bj-2.k8s.yaml', 'prod-cluster-sh-1.k8s.yaml',
    ]);
  });

  test('Karmada Cluster registrations are cluster-scoped and carry provider, region, zones and taints', () => {
    const out = synth((app) => {
      new DistributedPlatform(app, 'prod', {
        clusters: [{
          name: 'bj-1', region: 'cn-north', zones: ['a'], provider: 'huaweicloud',
          taints: [{ key: 'dedicated', value: 'gpu', effect: TaintEffect.NO_SCHEDULE }],
          registration: { syncMode: SyncMode.PULL },
        }],
      });
    });
    const c = find(out, 'Cluster', 'bj-1');
    expect(c.metadata.namespace).toBeUndefined();
    expect(c.spec).toEqual({ syncMode: 'Pull', provider: 'huaweicloud', region: 'cn-north', zones: ['a'], taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
  });
});

describe('Tenant', () => {
  const out = oneApp({}, DeliveryMode.KARMADA, {
    quota: { cpu: '10', memory: '20Gi', pods: 50 }, adminGroups: ['admins'], viewGroups: ['devs'],
    clusters: { names: ['bj-1', 'bj-2'] },
    federatedQuota: { overall: { cpu: '20' }, perCluster: { 'bj-1': { cpu: '12' } } },
  });

  test('namespace enforces restricted Pod Security and is not auto-propagated everywhere', () => {
    const ns = find(out, 'Namespace', 'shop');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'namespace.karmada.io/skip-auto-propagation': 'true',
      'fleetplane.io/tenant': 'shop',
    });
  });

  test('the namespace is placed on exactly the tenant clusters by a ClusterPropagationPolicy', () => {
    const cpp = find(out, 'ClusterPropagationPolicy', 'shop-namespace');
    expect(cpp.metadata.namespace).toBeUndefined();
    expect(cpp.spec.resourceSelectors).toEqual([{ apiVersion: 'v1', kind: 'Namespace', name: 'shop' }]);
    expect(cpp.spec.placement.clusterAffinity.clusterNames).toEqual(['bj-1', 'bj-2']);
  });

  test('quota, LimitRange defaults, default-deny + DNS + same-namespace policies, admin/view bindings', () => {
    expect(find(out, 'ResourceQuota', 'tenant-quota').spec.hard).toEqual({ 'requests.cpu': '10', 'requests.memory': '20Gi', pods: '50' });
    expect(find(out, 'LimitRange', 'tenant-limits').spec.limits[0]).toEqual({ type: 'Container', default: { memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } });
    expect(find(out, 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = find(out, 'NetworkPolicy', 'allow-dns').spec.egress[0];
    expect(dns.ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    expect(dns.to[0].podSelector.matchLabels).toEqual({ 'k8s-app': 'kube-dns' });
    expect(find(out, 'NetworkPolicy', 'allow-same-namespace').spec.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
    expect(find(out, 'RoleBinding', 'tenant-admin').roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' });
    expect(find(out, 'RoleBinding', 'tenant-view').subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' }]);
  });

  test('the baseline objects are duplicated to the tenant clusters by one PropagationPolicy', () => {
    const pp = find(out, 'PropagationPolicy', 'tenant-baseline');
    expect(pp.spec.placement.replicaScheduling).toEqual({ replicaSchedulingType: 'Duplicated' });
    expect(pp.spec.resourceSelectors.map((s: any) => `${s.kind}/${s.name}`)).toEqual([
      'ResourceQuota/tenant-quota', 'LimitRange/tenant-limits', 'NetworkPolicy/default-deny', 'NetworkPolicy/allow-dns',
      'NetworkPolicy/allow-same-namespace', 'RoleBinding/tenant-admin', 'RoleBinding/tenant-view',
    ]);
  });

  test('a fleet-wide quota becomes a FederatedResourceQuota with static assignments', () => {
    expect(find(out, 'FederatedResourceQuota', 'tenant-fleet-quota').spec).toEqual({
      overall: { 'requests.cpu': '20' }, staticAssignments: [{ clusterName: 'bj-1', hard: { 'requests.cpu': '12' } }],
    });
  });

  test('direct mode writes the tenant baseline into each of its clusters only, per-cluster quota applied', () => {
    const d = oneApp({ placement: Placement.clusters('bj-1') }, DeliveryMode.DIRECT, {
      clusters: { names: ['bj-1', 'bj-2'] }, quota: { cpu: '10' }, federatedQuota: { overall: { cpu: '20' }, perCluster: { 'bj-1': { cpu: '12' } } },
    });
    // Every member keeps its (possibly empty) file, so a GitOps sync of sh-1 prunes what left it.
    expect(d['prod-cluster-sh-1.k8s.yaml']).toEqual([]);
    expect(find(d, 'ResourceQuota', 'tenant-quota', 'prod-cluster-bj-1.k8s.yaml').spec.hard).toEqual({ 'requests.cpu': '12' });
    expect(find(d, 'ResourceQuota', 'tenant-quota', 'prod-cluster-bj-2.k8s.yaml').spec.hard).toEqual({ 'requests.cpu': '10' });
    expect(find(d, 'Namespace', 'shop', 'prod-cluster-bj-2.k8s.yaml').metadata.labels['namespace.karmada.io/skip-auto-propagation']).toBeUndefined();
  });

  test('relaxing Pod Security is visible: a warning, and pods lose the restricted context only when privileged', () => {
    const problems = new DistributedPlatform(new App(), 'p', { clusters: CLUSTERS, defaults: { podSecurity: PodSecurityLevel.BASELINE } });
    const t = new Tenant(problems, 'shop', {});
    expect(t.podSecurity).toBe('baseline');
    expect(problems.problems().some((p) => p.rule === 'K6' && p.severity === Severity.WARNING)).toBe(true);
  });
});

describe('FederatedApp workload', () => {
  const out = oneApp({
    env: { MODE: EnvValue.literal('a'), TOKEN: EnvValue.fromSecret('web-secrets', 'token'), CFG: EnvValue.fromConfigMap('web-config', 'k') },
    configMaps: { 'web-config': { k: 'v' } },
    readiness: undefined,
  });
  const dep = find(out, 'Deployment', 'web');
  const pod = dep.spec.template.spec;

  test('restricted security context by default (rule 6)', () => {
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
  });

  test('secrets are referenced, never inlined; no Secret object is emitted', () => {
    expect(pod.containers[0].env).toEqual([
      { name: 'MODE', value: 'a' },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'web-secrets', key: 'token' } } },
      { name: 'CFG', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'k' } } },
    ]);
    expect(all(out).filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('selector labels match the pod labels, Service targets the named port, topology spread by zone and host', () => {
    expect(dep.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'shop-web', 'fleetplane.io/track': 'stable' });
    for (const [k, v] of Object.entries(dep.spec.selector.matchLabels)) expect(dep.spec.template.metadata.labels[k]).toBe(v);
    const svc = find(out, 'Service', 'web');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
    // The Service (and PDB) select every version of the app; each workload selects its own track.
    expect(svc.spec.selector).toEqual({ 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'shop-web' });
    expect(pod.topologySpreadConstraints.map((t: any) => t.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    expect(dep.metadata.labels['app.kubernetes.io/version']).toBe('1.0.0');
  });

  test('PodDisruptionBudget defaults to maxUnavailable 1', () => {
    expect(find(out, 'PodDisruptionBudget', 'web').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'shop-web' } }, maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  test('the PropagationPolicy selects every dependency explicitly (not propagateDeps alone)', () => {
    const pp = find(out, 'PropagationPolicy', 'web');
    expect(pp.spec.propagateDeps).toBe(true);
    expect(pp.spec.resourceSelectors.map((s: any) => `${s.apiVersion}/${s.kind}/${s.name}`)).toEqual([
      'apps/v1/Deployment/web', 'v1/Service/web', 'v1/ServiceAccount/web', 'policy/v1/PodDisruptionBudget/web',
      'v1/ConfigMap/web-config', 'v1/Secret/web-secrets',
    ]);
  });

  test('StatefulSet with per-replica storage and a headless Service', () => {
    const s = oneApp({ kind: 'StatefulSet' as any, storage: { size: '5Gi', mountPath: '/data' } });
    const sts = find(s, 'StatefulSet', 'web');
    expect(sts.spec.serviceName).toBe('web-headless');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('5Gi');
    expect(find(s, 'Service', 'web-headless').spec.clusterIP).toBe('None');
  });

  test('platform image registry is prepended to images without one', () => {
    const s = synth((app) => {
      const p = new DistributedPlatform(app, 'prod', { clusters: CLUSTERS, defaults: { imageRegistry: 'mirror.example.com' } });
      new FederatedApp(p.addTenant('shop'), 'web', { image: 'shop/web:1.0' });
    });
    expect(find(s, 'Deployment', 'web').spec.template.spec.containers[0].image).toBe('mirror.example.com/shop/web:1.0');
  });
});

describe('placement and replicas (karmada mode)', () => {
  test('duplicated is rendered explicitly', () => {
    const pp = find(oneApp({ replicas: 3 }), 'PropagationPolicy', 'web');
    expect(pp.spec.placement.replicaScheduling).toEqual({ replicaSchedulingType: 'Duplicated' });
  });

  test('static weights become a Weighted staticWeightList', () => {
    const pp = find(oneApp({ replicas: 6, distribution: Distribution.weighted({ 'bj-1': 2, 'sh-1': 1 }) }), 'PropagationPolicy', 'web');
    expect(pp.spec.placement.replicaScheduling).toEqual({
      replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted',
      weightPreference: { staticWeightList: [{ targetCluster: { clusterNames: ['bj-1'] }, weight: 2 }, { targetCluster: { clusterNames: ['sh-1'] }, weight: 1 }] },
    });
  });

  test('exact per-cluster counts become weights equal to the counts with replicas = their sum', () => {
    const out = oneApp({ distribution: Distribution.exact({ 'bj-1': 5, 'bj-2': 2 }) });
    expect(find(out, 'Deployment', 'web').spec.replicas).toBe(7);
    expect(find(out, 'PropagationPolicy', 'web').spec.placement.replicaScheduling.weightPreference.staticWeightList.map((w: any) => w.weight)).toEqual([5, 2]);
    expect(divideByWeight(7, [{ name: 'bj-1', weight: 5 }, { name: 'bj-2', weight: 2 }])).toEqual(new Map([['bj-1', 5], ['bj-2', 2]]));
  });

  test('dynamic weights and aggregated division', () => {
    expect(find(oneApp({ distribution: Distribution.byCapacity() }), 'PropagationPolicy', 'web').spec.placement.replicaScheduling)
      .toEqual({ replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } });
    expect(find(oneApp({ distribution: Distribution.aggregated() }), 'PropagationPolicy', 'web').spec.placement.replicaScheduling)
      .toEqual({ replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' });
  });

  test('selectors, exclusions, field selectors, tolerations and ordered fallback groups', () => {
    const pp = find(oneApp({
      placement: Placement.where({ labels: { env: 'prod' }, regions: ['cn-north'], exclude: ['bj-2'] })
        .tolerate({ key: 'dedicated', exists: true, effect: TaintEffect.NO_SCHEDULE, tolerationSeconds: Duration.seconds(30) }),
    }), 'PropagationPolicy', 'web');
    expect(pp.spec.placement.clusterAffinity).toEqual({
      exclude: ['bj-2'], labelSelector: { matchLabels: { env: 'prod' } },
      fieldSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: ['cn-north'] }] },
    });
    expect(pp.spec.placement.clusterTolerations).toEqual([{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 30 }]);
    const fb = find(oneApp({ placement: Placement.fallback({ name: 'north', clusters: { regions: ['cn-north'] } }, { name: 'east', clusters: { names: ['sh-1'] } }) }), 'PropagationPolicy', 'web');
    expect(fb.spec.placement.clusterAffinity).toBeUndefined();
    expect(fb.spec.placement.clusterAffinities.map((a: any) => a.affinityName)).toEqual(['north', 'east']);
  });

  test('spreading by region adds the cluster constraint Karmada requires (rule 16)', () => {
    const pp = find(oneApp({ placement: Placement.all().spread({ field: SpreadField.REGION, minGroups: 2, maxGroups: 2 }) }), 'PropagationPolicy', 'web');
    expect(pp.spec.placement.spreadConstraints).toEqual([
      { spreadByField: 'region', minGroups: 2, maxGroups: 2 },
      // Karmada reads an absent maxGroups as 0 (no cluster at all): the bound is the tenant's cluster count.
      { spreadByField: 'cluster', minGroups: 2, maxGroups: 3 },
    ]);
  });

  test('autoscaling: FederatedHPA and CronFederatedHPA, and no replica count anywhere', () => {
    const out = oneApp({
      autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 60, memoryUtilization: 70, schedules: [{ name: 'up', schedule: '0 8 * * 1-5', minReplicas: 4, timeZone: 'Europe/Berlin' }] },
      overrides: [{ clusters: { names: ['bj-1'] }, image: { tag: '1.0.1' } }],
    });
    expect(find(out, 'Deployment', 'web').spec.replicas).toBeUndefined();
    expect(JSON.stringify(find(out, 'OverridePolicy', 'web'))).not.toContain('replicas');
    const fhpa = find(out, 'FederatedHPA', 'web');
    expect(fhpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 10, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } });
    expect(fhpa.spec.metrics.map((m: any) => m.resource.name)).toEqual(['cpu', 'memory']);
    expect(find(out, 'CronFederatedHPA', 'web').spec.scaleTargetRef).toEqual({ apiVersion: 'autoscaling.karmada.io/v1alpha1', kind: 'FederatedHPA', name: 'web' });
    expect(find(out, 'PropagationPolicy', 'web').spec.placement.replicaScheduling.replicaSchedulingType).toBe('Divided');
  });

  test('failover: decision conditions, purge mode and grace period, with propagateDeps (rule 21)', () => {
    const pp = find(oneApp({ failover: { toleration: Duration.minutes(2), gracePeriod: Duration.minutes(5) } }), 'PropagationPolicy', 'web');
    expect(pp.spec.failover).toEqual({ application: { decisionConditions: { tolerationSeconds: 120 }, purgeMode: 'Gracefully', gracePeriodSeconds: 300 } });
    expect(pp.spec.propagateDeps).toBe(true);
  });
});

describe('overrides', () => {
  const overrides = [
    { clusters: { names: ['sh-1'] }, image: { registry: 'mirror.cn', tag: '2.0' }, env: { MODE: 'east', EXTRA: '1' }, replicas: 1 },
    { clusters: { regions: ['cn-north'] }, labels: { zone: 'north' }, annotations: { 'a.example.com/x': 'y' }, args: ['--north'], resources: { cpu: { request: '1' } } },
    { clusters: { names: ['bj-1'] }, jsonPatch: [{ op: 'add' as const, path: '/spec/template/spec/nodeSelector', value: { disk: 'ssd' } }] },
  ];
  const props = { replicas: 2, env: { MODE: EnvValue.literal('base'), KEEP: EnvValue.literal('k') }, overrides };

  test('compile to one compact OverridePolicy, one rule per override (no object per cluster pair)', () => {
    const out = oneApp(props);
    expect(all(out).filter((o) => o.kind === 'OverridePolicy')).toHaveLength(1);
    const op = find(out, 'OverridePolicy', 'web');
    expect(op.spec.resourceSelectors).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }]);
    expect(op.spec.overrideRules).toHaveLength(3);
    const [sh, north, bj] = op.spec.overrideRules;
    expect(sh.overriders.imageOverrider.map((i: any) => `${i.component}=${i.value}`)).toEqual(['Registry=mirror.cn', 'Tag=2.0']);
    // env: one variable replaced in place, one added, the others kept.
    expect(sh.overriders.plaintext).toContainEqual({ path: '/spec/template/spec/containers/0/env', operator: 'add', value: [{ name: 'MODE', value: 'east' }, { name: 'KEEP', value: 'k' }, { name: 'EXTRA', value: '1' }] });
    expect(sh.overriders.plaintext).toContainEqual({ path: '/spec/replicas', operator: 'add', value: 1 });
    expect(north.targetCluster.fieldSelector.matchExpressions).toEqual([{ key: 'region', operator: 'In', values: ['cn-north'] }]);
    expect(north.overriders.labelsOverrider).toEqual([{ operator: 'add', value: { zone: 'north' } }]);
    expect(bj.overriders.plaintext).toEqual([{ path: '/spec/template/spec/nodeSelector', operator: 'add', value: { disk: 'ssd' } }]);
  });

  test('direct mode applies the same overrides in place per cluster', () => {
    const out = oneApp(props, DeliveryMode.DIRECT);
    const sh = find(out, 'Deployment', 'web', 'prod-cluster-sh-1.k8s.yaml');
    expect(sh.spec.replicas).toBe(1);
    expect(sh.spec.template.spec.containers[0].image).toBe('mirror.cn/shop/web:2.0');
    expect(sh.spec.template.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'east' }, { name: 'KEEP', value: 'k' }, { name: 'EXTRA', value: '1' }]);
    const bj = find(out, 'Deployment', 'web', 'prod-cluster-bj-1.k8s.yaml');
    expect(bj.spec.template.spec.nodeSelector).toEqual({ disk: 'ssd' });
    expect(bj.metadata.labels.zone).toBe('north');
    expect(bj.metadata.annotations).toEqual({ 'a.example.com/x': 'y' });
    expect(bj.spec.template.spec.containers[0].args).toEqual(['--north']);
    expect(bj.spec.template.spec.containers[0].image).toBe('registry.example.com/shop/web:1.0.0');
    expect(find(out, 'Deployment', 'web', 'prod-cluster-bj-2.k8s.yaml').spec.template.spec.nodeSelector).toBeUndefined();
  });

  test('direct mode equals the karmada template with the compiled overriders applied', () => {
    const karmada = oneApp(props);
    const direct = oneApp(props, DeliveryMode.DIRECT);
    const template = find(karmada, 'Deployment', 'web');
    for (const cluster of ['bj-1', 'bj-2', 'sh-1']) {
      const expected = JSON.parse(JSON.stringify(template));
      expected.spec.replicas = 2; // duplicated
      for (const o of overrides.filter((o) => (o.clusters as any).names?.includes(cluster) || ((o.clusters as any).regions?.includes('cn-north') && cluster.startsWith('bj')))) {
        applyOverride(expected, o);
      }
      expect(find(direct, 'Deployment', 'web', `prod-cluster-${cluster}.k8s.yaml`)).toEqual(expected);
    }
  });
});

describe('direct mode', () => {
  test('weighted replicas are divided exactly as Karmada divides them (Webster, remainders included)', () => {
    const out = oneApp({ replicas: 10, distribution: Distribution.weighted({ 'bj-1': 3, 'bj-2': 2, 'sh-1': 2 }) }, DeliveryMode.DIRECT);
    const got = ['bj-1', 'bj-2', 'sh-1'].map((c) => find(out, 'Deployment', 'web', `prod-cluster-${c}.k8s.yaml`).spec.replicas);
    expect(got).toEqual([...divideByWeight(10, [{ name: 'bj-1', weight: 3 }, { name: 'bj-2', weight: 2 }, { name: 'sh-1', weight: 2 }]).values()]);
    expect(got).toEqual([4, 3, 3]);
  });

  test('clusters whose share is zero get no workload, as Karmada drops them', () => {
    const out = oneApp({ replicas: 1, distribution: Distribution.weighted({ 'bj-1': 1, 'bj-2': 1 }), placement: Placement.clusters('bj-1', 'bj-2') }, DeliveryMode.DIRECT);
    expect(all(out).filter((o) => o.kind === 'Deployment')).toHaveLength(1);
    expect(find(out, 'Deployment', 'web', 'prod-cluster-bj-1.k8s.yaml').spec.replicas).toBe(1);
  });

  test('autoscaling becomes a per-cluster HorizontalPodAutoscaler with its weighted share of the bounds', () => {
    const out = oneApp({ autoscaling: { minReplicas: 3, maxReplicas: 9 }, placement: Placement.clusters('bj-1', 'bj-2', 'sh-1') }, DeliveryMode.DIRECT);
    for (const c of ['bj-1', 'bj-2', 'sh-1']) {
      const hpa = find(out, 'HorizontalPodAutoscaler', 'web', `prod-cluster-${c}.k8s.yaml`);
      expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([1, 3]);
      expect(find(out, 'Deployment', 'web', `prod-cluster-${c}.k8s.yaml`).spec.replicas).toBeUndefined();
    }
  });

  test('taints exclude clusters the placement does not tolerate', () => {
    const out = synth((app) => {
      const p = new DistributedPlatform(app, 'prod', { delivery: DeliveryMode.DIRECT, clusters: [
        { name: 'a', region: 'r' }, { name: 'b', region: 'r', taints: [{ key: 'gpu', effect: TaintEffect.NO_SCHEDULE }] },
      ] });
      new FederatedApp(p.addTenant('shop'), 'web', { image: 'x.io/web:1' });
    });
    expect(all(out).filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name)).toEqual(['web']);
    expect(out['prod-cluster-b.k8s.yaml'].some((o) => o.kind === 'Deployment')).toBe(false);
  });

  test('run-time decisions are synth errors that say so', () => {
    const problems = problemsOf((app) => {
      const { tenant } = platformWith(app, DeliveryMode.DIRECT);
      new FederatedApp(tenant, 'web', { image: 'x.io/web:1', distribution: Distribution.aggregated() });
    });
    expect(problems.find((p) => p.rule === 'FP-DIRECT')?.message).toMatch(/decided by Karmada at run time/);
  });
});

describe('validation behaviour', () => {
  test('all problems of the whole tree are reported together and nothing is written', () => {
    const dir = require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'fp-'));
    const app = new App({ outdir: dir });
    const { tenant } = platformWith(app);
    new FederatedApp(tenant, 'a', { image: 'x.io/a:1', replicas: -1 });
    new FederatedApp(tenant, 'b', { image: 'x.io/b:1', placement: Placement.clusters('nope') });
    let error: unknown;
    try { app.synth(); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(PlatformValidationError);
    const e = error as PlatformValidationError;
    expect(e.errors.map((p) => `${p.path} ${p.rule} ${p.prop}`)).toEqual(expect.arrayContaining([
      'prod/shop/a FP-REPLICAS replicas', 'prod/shop/b K13 placement.names[0]',
    ]));
    expect(require('fs').readdirSync(dir)).toEqual([]);
  });

  test('image references are split as Karmada splits them', () => {
    expect(parseImage('nginx:1.25')).toEqual({ registry: '', repository: 'nginx', tag: '1.25', digest: '' });
    expect(parseImage('localhost/app:1')).toMatchObject({ registry: 'localhost', repository: 'app' });
    expect(parseImage('registry.example.com:5000/team/app:2')).toMatchObject({ registry: 'registry.example.com:5000', repository: 'team/app', tag: '2' });
    expect(parseImage('team/app')).toMatchObject({ registry: '', repository: 'team/app', tag: '' });
    expect(parseImage('Not Valid')).toBeUndefined();
  });
});

describe('spread inputs (rule 17)', () => {
  const tainted = [
    { name: 'a', region: 'r1' }, { name: 'b', region: 'r1' },
    { name: 'c', taints: [{ key: 'gpu', effect: TaintEffect.NO_SCHEDULE }] },
  ];
  const spreadProblems = (placement: Placement) => problemsOf((app) => {
    const p = new DistributedPlatform(app, 'prod', { clusters: tainted });
    new FederatedApp(p.addTenant('shop'), 'web', { image: 'x.io/web:1', placement });
  }).filter((p) => p.rule === 'K17');

  test('untolerated clusters are neither required to have the field nor counted as groups', () => {
    const problems = spreadProblems(Placement.all().spread({ field: SpreadField.REGION, minGroups: 2 }));
    expect(problems.map((p) => p.prop)).toEqual(['placement.spread[0].minGroups']);
  });

  test('each fallback group must offer minGroups distinct values on its own', () => {
    const problems = spreadProblems(
      Placement.fallback({ name: 'x', clusters: { names: ['a'] } }, { name: 'y', clusters: { names: ['b'] } }).spread({ field: SpreadField.REGION, minGroups: 2 }),
    );
    expect(problems).toHaveLength(1);
  });
});
