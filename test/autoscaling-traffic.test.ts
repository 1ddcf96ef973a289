// Autoscaling follows traffic: with a canary, each version of an autoscaled app has its own autoscaler (a
// FederatedHPA in karmada mode, one HPA per member in direct mode) whose bounds follow the share of the traffic
// the version takes. Every workload is scaled by exactly one autoscaler and has no replica count.
process.env.FLEETPLANE_QUIET = '1';

import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import {
  AutoscalingProps, DeliveryMode, DistributedPlatform, FederatedApp, FederatedAppProps, GlobalTier, MemberClusterProps, MeshedService,
  MeshedServiceProps, Severity, Traffic,
} from '../index';
import { promtool } from './support/promtool';
import { tmpDir } from './support/synth';
import { Output, all, synth } from './support/synth';
import { every, pick, problemsOf } from './support/fixtures';
import { SchemaValidator, formatIssues } from './support/schema-validator';
import { buildTopology } from '../outputs/topology';

const PLATFORM = 'prod';
const CP = `${PLATFORM}-control-plane.k8s.yaml`;
const fileOf = (cluster: string) => `${PLATFORM}-cluster-${cluster}.k8s.yaml`;
const CLUSTERS: MemberClusterProps[] = [
  { name: 'bj-1', region: 'cn-north', zones: ['cn-north-1a'], network: 'flat' },
  { name: 'gz-1', region: 'cn-south', zones: ['cn-south-1a'], network: 'flat' },
  { name: 'sh-1', region: 'cn-east', zones: ['cn-east-1a'], network: 'flat' },
];
const SCALING: AutoscalingProps = { minReplicas: 4, maxReplicas: 20, cpuUtilization: 70 };
const WORKLOADS = new Set(['Deployment', 'StatefulSet']);
const AUTOSCALERS = new Set(['FederatedHPA', 'HorizontalPodAutoscaler']);

interface Case {
  readonly mode: DeliveryMode;
  readonly app?: Partial<FederatedAppProps>;
  /** The MeshedService, or undefined for none. */
  readonly mesh?: Partial<MeshedServiceProps>;
}

function program({ mode, app = {}, mesh }: Case): (a: App) => DistributedPlatform {
  return (a) => {
    const platform = new DistributedPlatform(a, PLATFORM, { clusters: CLUSTERS, delivery: mode, mesh: { meshId: 'shop-mesh', istioCni: true } });
    const shop = platform.addTenant('shop');
    const web = new FederatedApp(shop, 'web', {
      image: 'registry.example.com/shop/web:1.0.0', version: 'v1', port: 8080, canary: { version: 'v2' }, autoscaling: SCALING, ...app,
    });
    if (mesh) new MeshedService(shop, 'web-mesh', { app: web, ...mesh });
    return platform;
  };
}

const run = (c: Case): Output => synth((a) => void program(c)(a));
const bounds = (o: any) => ({ target: o.spec.scaleTargetRef.name, min: o.spec.minReplicas, max: o.spec.maxReplicas });

/** Every workload of every file is scaled by exactly one autoscaler of that file, and has no replica count. */
function expectOneAutoscalerPerWorkload(out: Output): void {
  for (const [file, objects] of Object.entries(out)) {
    const workloads = objects.filter((o) => WORKLOADS.has(o.kind) && o.metadata.namespace === 'shop');
    const targets = objects.filter((o) => AUTOSCALERS.has(o.kind)).map((o) => o.spec.scaleTargetRef.name).sort();
    expect({ file, targets }).toEqual({ file, targets: workloads.map((w) => w.metadata.name).sort() });
    for (const w of workloads) expect({ file, name: w.metadata.name, replicas: w.spec.replicas }).toEqual({ file, name: w.metadata.name, replicas: undefined });
  }
}

describe('karmada mode: a FederatedHPA per version, bounds by traffic share', () => {
  const fhpas = (out: Output) => out[CP].filter((o) => o.kind === 'FederatedHPA').map(bounds);

  test('blue/green to v2: v2 scales with the app bounds, the idle v1 is pinned at one warm replica', () => {
    const out = run({ mode: DeliveryMode.KARMADA, mesh: { traffic: Traffic.blueGreen('v2') } });
    expect(fhpas(out)).toEqual([{ target: 'web', min: 1, max: 1 }, { target: 'web-v2', min: 4, max: 20 }]);
    expectOneAutoscalerPerWorkload(out);
    const canary = pick(out, 'FederatedHPA', 'web-v2');
    expect(canary.metadata.labels['app.kubernetes.io/version']).toBe('v2');
    expect(canary.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-v2' });
  });

  test('a 10% canary: each version gets its share of the bounds, rounded up', () => {
    const out = run({ mode: DeliveryMode.KARMADA, mesh: { traffic: Traffic.canary(10) } });
    // stable: ceil(4 × 0.9) = 4, ceil(20 × 0.9) = 18; canary: ceil(0.4) = 1, ceil(2) = 2.
    expect(fhpas(out)).toEqual([{ target: 'web', min: 4, max: 18 }, { target: 'web-v2', min: 1, max: 2 }]);
    expectOneAutoscalerPerWorkload(out);
  });

  test('weighted 70/30 splits the bounds alike', () => {
    const out = run({ mode: DeliveryMode.KARMADA, mesh: { traffic: Traffic.weighted({ v1: 70, v2: 30 }) } });
    expect(fhpas(out)).toEqual([{ target: 'web', min: 3, max: 14 }, { target: 'web-v2', min: 2, max: 6 }]);
  });

  test('without a MeshedService the stable version takes the traffic', () => {
    const out = run({ mode: DeliveryMode.KARMADA });
    expect(fhpas(out)).toEqual([{ target: 'web', min: 4, max: 20 }, { target: 'web-v2', min: 1, max: 1 }]);
    expectOneAutoscalerPerWorkload(out);
  });

  test('a version that A/B routes reach keeps the app maximum; a mirror adds its percentage', () => {
    const routed = run({ mode: DeliveryMode.KARMADA, mesh: { routes: [{ name: 'beta', match: { headers: { 'x-beta': '1' } }, version: 'v2' }] } });
    expect(fhpas(routed)).toEqual([{ target: 'web', min: 4, max: 20 }, { target: 'web-v2', min: 1, max: 20 }]);
    const mirrored = run({ mode: DeliveryMode.KARMADA, mesh: { mirror: { version: 'v2', percent: 50 } } });
    expect(fhpas(mirrored)).toEqual([{ target: 'web', min: 4, max: 20 }, { target: 'web-v2', min: 2, max: 10 }]);
  });

  test('schedules: a CronFederatedHPA per version, its rules scaled like the bounds', () => {
    const out = run({
      mode: DeliveryMode.KARMADA,
      app: { autoscaling: { ...SCALING, schedules: [{ name: 'day', schedule: '0 8 * * *', minReplicas: 10, maxReplicas: 30 }] } },
      mesh: { traffic: Traffic.canary(20) },
    });
    const cron = (name: string) => pick(out, 'CronFederatedHPA', name).spec;
    expect(cron('web')).toEqual({
      scaleTargetRef: { apiVersion: 'autoscaling.karmada.io/v1alpha1', kind: 'FederatedHPA', name: 'web' },
      rules: [{ name: 'day', schedule: '0 8 * * *', targetMinReplicas: 8, targetMaxReplicas: 24 }],
    });
    expect(cron('web-v2')).toEqual({
      scaleTargetRef: { apiVersion: 'autoscaling.karmada.io/v1alpha1', kind: 'FederatedHPA', name: 'web-v2' },
      rules: [{ name: 'day', schedule: '0 8 * * *', targetMinReplicas: 2, targetMaxReplicas: 6 }],
    });
  });

  test('an app without a canary keeps one FederatedHPA with the full bounds', () => {
    const out = run({ mode: DeliveryMode.KARMADA, app: { canary: undefined }, mesh: {} });
    expect(fhpas(out)).toEqual([{ target: 'web', min: 4, max: 20 }]);
    expectOneAutoscalerPerWorkload(out);
  });

  test('a fixed-replica app keeps its canary count and has no autoscaler', () => {
    const out = run({ mode: DeliveryMode.KARMADA, app: { autoscaling: undefined, replicas: 3, canary: { version: 'v2', replicas: 2 } }, mesh: { traffic: Traffic.blueGreen('v2') } });
    expect(pick(out, 'Deployment', 'web-v2').spec.replicas).toBe(2);
    expect(all(out).filter((o) => AUTOSCALERS.has(o.kind))).toEqual([]);
  });
});

describe('direct mode: an HPA per version in every member, with the member share of the version bounds', () => {
  const hpas = (out: Output, cluster: string) => out[fileOf(cluster)].filter((o) => o.kind === 'HorizontalPodAutoscaler').map(bounds);

  test('blue/green to v2: v2 has the weighted share of the app bounds, v1 one warm replica per member', () => {
    const out = run({ mode: DeliveryMode.DIRECT, mesh: { traffic: Traffic.blueGreen('v2') } });
    // 20 over three equal weights is 7/7/6, 4 is 2/1/1 (ties to the first name).
    expect(hpas(out, 'bj-1')).toEqual([{ target: 'web-v2', min: 2, max: 7 }, { target: 'web', min: 1, max: 1 }]);
    expect(hpas(out, 'gz-1')).toEqual([{ target: 'web-v2', min: 1, max: 7 }, { target: 'web', min: 1, max: 1 }]);
    expect(hpas(out, 'sh-1')).toEqual([{ target: 'web-v2', min: 1, max: 6 }, { target: 'web', min: 1, max: 1 }]);
    expectOneAutoscalerPerWorkload(out);
    expect(out[CP] ?? []).toEqual(expect.not.arrayContaining([expect.objectContaining({ kind: 'FederatedHPA' })]));
  });

  test('a 10% canary: the stable version keeps most of each member, the canary at least one replica', () => {
    const out = run({ mode: DeliveryMode.DIRECT, mesh: { traffic: Traffic.canary(10) } });
    // stable fleet [4, 18]: max 6/6/6, min 2/1/1; canary fleet [1, 2]: max 1/1/0 → at least 1 each.
    expect(hpas(out, 'bj-1')).toEqual([{ target: 'web-v2', min: 1, max: 1 }, { target: 'web', min: 2, max: 6 }]);
    expect(hpas(out, 'gz-1')).toEqual([{ target: 'web-v2', min: 1, max: 1 }, { target: 'web', min: 1, max: 6 }]);
    expect(hpas(out, 'sh-1')).toEqual([{ target: 'web-v2', min: 1, max: 1 }, { target: 'web', min: 1, max: 6 }]);
    expectOneAutoscalerPerWorkload(out);
  });

  test('without a canary the HPAs are as before: the member share of the app bounds', () => {
    const out = run({ mode: DeliveryMode.DIRECT, app: { canary: undefined }, mesh: { traffic: Traffic.stable() } });
    expect(['bj-1', 'gz-1', 'sh-1'].map((c) => hpas(out, c))).toEqual([
      [{ target: 'web', min: 2, max: 7 }], [{ target: 'web', min: 1, max: 7 }], [{ target: 'web', min: 1, max: 6 }],
    ]);
    expectOneAutoscalerPerWorkload(out);
  });

  test('the canary runs only where the app runs (a weight of 0 keeps a member out)', () => {
    const out = run({ mode: DeliveryMode.DIRECT, app: { distribution: undefined, placement: undefined, autoscaling: { minReplicas: 1, maxReplicas: 2 } }, mesh: { traffic: Traffic.blueGreen('v2') } });
    // 2 over three clusters: bj-1 and gz-1 run the app, sh-1 does not.
    expect(every(out, 'Deployment', 'web-v2').length).toBe(2);
    expect(out[fileOf('sh-1')].filter((o) => WORKLOADS.has(o.kind) || AUTOSCALERS.has(o.kind))).toEqual([]);
    expectOneAutoscalerPerWorkload(out);
  });
});

describe('topology (fleetplane graph)', () => {
  test.each([DeliveryMode.KARMADA, DeliveryMode.DIRECT])('the autoscaled bounds of an app add up over its versions (%s mode)', (mode) => {
    const out = run({ mode, mesh: { traffic: Traffic.blueGreen('v2') } });
    const [platform] = buildTopology(Object.entries(out).map(([file, objects]) => ({ file, objects })));
    const web = platform.apps.find((a) => a.name === 'web')!;
    // karmada: v1 [1, 1] + v2 [4, 20]; direct: v1 one per member (3) + v2 [2+1+1, 7+7+6].
    expect(web.autoscaling).toEqual(mode === DeliveryMode.KARMADA ? { min: 5, max: 21 } : { min: 7, max: 23 });
  });
});

describe('direct mode: the autoscaler-at-maximum alert covers every version', () => {
  test('the active version at its maximum fires; the idle version held at min = max does not (promtool)', () => {
    const out = synth((a) => {
      const p = new DistributedPlatform(a, PLATFORM, {
        clusters: CLUSTERS, delivery: DeliveryMode.DIRECT, mesh: { meshId: 'shop-mesh', istioCni: true }, submariner: { broker: 'bj-1' }, monitoring: { global: GlobalTier.hierarchical({ cluster: 'bj-1' }) },
      });
      const shop = p.addTenant('shop');
      const web = new FederatedApp(shop, 'web', { image: 'registry.example.com/shop/web:1.0.0', version: 'v1', port: 8080, canary: { version: 'v2' }, autoscaling: SCALING, metrics: {} });
      new MeshedService(shop, 'web-mesh', { app: web, traffic: Traffic.blueGreen('v2') });
    });
    const rule = pick(out, 'PrometheusRule', 'web', { file: fileOf('bj-1') });
    const alert = rule.spec.groups.flatMap((g: any) => g.rules).find((r: any) => r.alert === 'WebAutoscalerAtMaximum');
    expect(alert.expr).toContain('horizontalpodautoscaler=~"web|web-v2"');
    const dir = tmpDir('fleetplane-hpa-alert-');
    fs.writeFileSync(path.join(dir, 'rules.yaml'), YAML.stringify({ groups: rule.spec.groups }));
    const hpa = (name: string, metric: string, values: string) => ({ series: `${metric}{namespace="shop",horizontalpodautoscaler="${name}"}`, values });
    fs.writeFileSync(path.join(dir, 'test.yaml'), YAML.stringify({
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: [
          // v1 takes no traffic: pinned at one replica (min = max = 1).
          hpa('web', 'kube_horizontalpodautoscaler_status_current_replicas', '1x30'),
          hpa('web', 'kube_horizontalpodautoscaler_spec_min_replicas', '1x30'),
          hpa('web', 'kube_horizontalpodautoscaler_spec_max_replicas', '1x30'),
          // v2 takes everything and has run at its maximum of 7 for 30 minutes.
          hpa('web-v2', 'kube_horizontalpodautoscaler_status_current_replicas', '7x30'),
          hpa('web-v2', 'kube_horizontalpodautoscaler_spec_min_replicas', '2x30'),
          hpa('web-v2', 'kube_horizontalpodautoscaler_spec_max_replicas', '7x30'),
        ],
        alert_rule_test: [{
          eval_time: '20m',
          alertname: 'WebAutoscalerAtMaximum',
          exp_alerts: [{ exp_labels: { ...alert.labels, namespace: 'shop', horizontalpodautoscaler: 'web-v2' }, exp_annotations: alert.annotations }],
        }],
      }],
    }));
    const checked = promtool(['check', 'rules', 'rules.yaml'], dir);
    expect(checked.output).toMatch(/SUCCESS/);
    const tested = promtool(['test', 'rules', 'test.yaml'], dir);
    expect(tested.output).toMatch(/SUCCESS/);
  });
});

describe('checks and schemas', () => {
  test('canary.replicas with autoscaling is K25 (the canary autoscaler owns the count)', () => {
    const problems = problemsOf(program({ mode: DeliveryMode.KARMADA, app: { canary: { version: 'v2', replicas: 2 } } }));
    expect(problems.filter((p) => p.severity === Severity.ERROR).map((p) => [p.rule, p.path, p.prop, p.value])).toEqual([['K25', 'prod/shop/web', 'canary.replicas', 2]]);
  });

  test.each([DeliveryMode.KARMADA, DeliveryMode.DIRECT])('every object validates strictly (%s mode)', (mode) => {
    const out = run({
      mode,
      app: mode === DeliveryMode.KARMADA ? { autoscaling: { ...SCALING, schedules: [{ name: 'day', schedule: '0 8 * * *', minReplicas: 8 }] } } : {},
      mesh: { traffic: Traffic.canary(25) },
    });
    const objects = all(out);
    const kinds = objects.map((o) => o.kind);
    const expected = mode === DeliveryMode.KARMADA ? ['FederatedHPA', 'CronFederatedHPA'] : ['HorizontalPodAutoscaler'];
    for (const k of expected) expect(kinds.filter((x) => x === k).length).toBeGreaterThanOrEqual(2);
    expect(formatIssues(SchemaValidator.load({ systems: ['karmada', 'istio'] }).validateAll(objects))).toBe('');
  });
});
