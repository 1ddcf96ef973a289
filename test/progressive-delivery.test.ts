// Progressive delivery by Flagger with Istio: the Canary and MetricTemplates, the apex Service Flagger would write,
// gate queries that read only series the same output records (checked with promtool on good and bad traffic), and
// typed problems for what Flagger cannot promote.
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration } from 'cdk8s';
import * as YAML from 'yaml';
import {
  DeliveryMode, DistributedPlatform, Distribution, FederatedApp, FederatedAppProps, GitOpsTool, GlobalTier, MeshedService,
  MeshedServiceProps, Problem, ProgressiveDelivery, SloKind, Traffic, WorkloadKind, checkReachability,
} from '../index';
import { readManifestDir } from '../outputs/manifests';
import { problemsOf } from './support/fixtures';
import { promtool } from './support/promtool';
import { SchemaValidator, formatIssues } from './support/schema-validator';
import { Output, all, synth, tmpDir } from './support/synth';

const SYSTEMS = ['karmada', 'istio', 'prometheus-operator', 'flagger', 'argo-cd'];
const SLOS = [
  { name: 'availability', kind: SloKind.AVAILABILITY, objective: 99.9 },
  { name: 'latency', kind: SloKind.LATENCY, objective: 99, latencyThreshold: Duration.millis(500) },
];

interface Options {
  readonly delivery?: DeliveryMode;
  readonly app?: Partial<FederatedAppProps>;
  readonly mesh?: Partial<MeshedServiceProps>;
  readonly noMeshedService?: boolean;
}

/** A shop whose web app is canaried by Flagger, called by a cart; two networks with east-west gateways. */
function platform(app: App, o: Options = {}): DistributedPlatform {
  const p = new DistributedPlatform(app, 'shop', {
    delivery: o.delivery ?? DeliveryMode.KARMADA,
    clusters: [
      { name: 'bj-1', region: 'cn-north', network: 'net-north', eastWestGateway: { address: '198.51.100.10' } },
      { name: 'sh-1', region: 'cn-east', network: 'net-east', eastWestGateway: { address: '198.51.100.20' } },
    ],
    mesh: { meshId: 'shop-mesh', istioCni: true },
    submariner: { broker: 'bj-1' }, monitoring: { global: GlobalTier.hierarchical({ cluster: 'bj-1' }) },
  });
  const shop = p.addTenant('shop');
  const web = new FederatedApp(shop, 'web', {
    image: 'registry.example.com/shop/web:1.4.2',
    port: 8080,
    replicas: 4,
    distribution: Distribution.evenly(),
    metrics: { port: 'http' },
    slos: SLOS,
    progressive: ProgressiveDelivery.canary({ stepWeight: 10, maxWeight: 40, threshold: 3 }),
    ...o.app,
  });
  const cartApp = new FederatedApp(shop, 'cart', { image: 'registry.example.com/shop/cart:3.2.1', port: 8080, replicas: 2, distribution: Distribution.evenly() });
  if (o.noMeshedService) return p;
  const front = new MeshedService(shop, 'web-mesh', {
    app: web,
    ingress: { hosts: ['shop.example.com'], tlsSecret: 'shop-tls' },
    retries: { attempts: 2, perTryTimeout: Duration.millis(500), retryOn: ['5xx'] },
    timeout: Duration.seconds(3),
    outlierDetection: { consecutive5xxErrors: 3 },
    ...o.mesh,
  });
  const cart = new MeshedService(shop, 'cart-mesh', { app: cartApp, calls: [front] });
  front.allowFrom(cart, { methods: ['GET'] });
  return p;
}

const kinds = (out: Output, kind: string, file?: string) => (file ? out[file] ?? [] : all(out)).filter((o) => o.kind === kind);
const one = (out: Output, kind: string, name: string, file?: string) => {
  const hit = kinds(out, kind, file).filter((o) => o.metadata.name === name);
  if (hit.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${hit.length}`);
  return hit[0];
};

describe('karmada mode', () => {
  const out = synth((app) => platform(app));
  const cp = 'shop-control-plane.k8s.yaml';

  test('every object validates strictly, Canary and MetricTemplates included', () => {
    expect(kinds(out, 'Canary')).toHaveLength(1);
    expect(kinds(out, 'MetricTemplate')).toHaveLength(2);
    expect(formatIssues(SchemaValidator.load({ systems: SYSTEMS }).validateAll(all(out)))).toBe('');
  });

  test('Flagger writes the routes: no VirtualService or DestinationRule of ours for the app; the Canary carries its policy', () => {
    expect(kinds(out, 'VirtualService', cp).map((o) => o.metadata.name)).not.toContain('web');
    expect(kinds(out, 'DestinationRule', cp).map((o) => o.metadata.name)).not.toContain('web');
    const canary = one(out, 'Canary', 'web', cp);
    expect(canary.spec).toMatchObject({
      provider: 'istio',
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      service: {
        port: 8080, portName: 'http', targetPort: 'http', gateways: ['shop/web-ingress', 'mesh'], hosts: ['shop.example.com'],
        timeout: '3s', retries: { attempts: 2, perTryTimeout: '500ms', retryOn: '5xx' },
        trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' }, outlierDetection: { consecutive5xxErrors: 3 } },
      },
      analysis: { interval: '1m', threshold: 3, stepWeight: 10, maxWeight: 40 },
    });
    expect(canary.spec.autoscalerRef).toBeUndefined();
    expect(canary.spec.analysis.metrics).toEqual(SLOS.map((s) => ({ name: `${s.name}-burn-rate`, templateRef: { name: `web-${s.name}`, namespace: 'shop' }, thresholdRange: { max: 14.4 }, interval: '1m' })));
    // The ingress Gateway stays ours: the Canary binds to it.
    expect(one(out, 'Gateway', 'web-ingress', cp).spec.servers).toHaveLength(2);
  });

  test('the apex Service is exactly what Flagger writes, and the Deployment carries its selector label; Karmada keeps member replicas', () => {
    const svc = one(out, 'Service', 'web', cp);
    expect(svc.spec).toEqual({ type: 'ClusterIP', selector: { app: 'web-primary' }, ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }] });
    const dep = one(out, 'Deployment', 'web', cp);
    expect(dep.spec.selector.matchLabels.app).toBe('web');
    expect(dep.spec.template.metadata.labels.app).toBe('web');
    expect(dep.metadata.labels['resourcetemplate.karmada.io/retain-replicas']).toBe('true');
    // Policies select by labels Flagger keeps on the primary, so they cover both versions.
    const authz = one(out, 'AuthorizationPolicy', 'web-allow', cp);
    expect(authz.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/instance': 'shop-web', 'app.kubernetes.io/name': 'web' });
    const cart = one(out, 'Deployment', 'cart', cp);
    expect(cart.spec.selector.matchLabels.app).toBeUndefined();
    expect(cart.metadata.labels['resourcetemplate.karmada.io/retain-replicas']).toBeUndefined();
  });

  test('the Canary and its MetricTemplates go where the app runs (Flagger runs in each member)', () => {
    const pp = one(out, 'PropagationPolicy', 'web-canary', cp);
    expect(pp.spec.placement.clusterAffinity.clusterNames).toEqual(['bj-1', 'sh-1']);
    expect(pp.spec.resourceSelectors.map((s: any) => `${s.kind}/${s.name}`)).toEqual(['MetricTemplate/web-availability', 'MetricTemplate/web-latency', 'Canary/web']);
    for (const t of kinds(out, 'MetricTemplate', cp)) expect(t.spec.provider).toEqual({ type: 'prometheus', address: 'http://prometheus-operated.monitoring.svc:9090' });
  });

  test('callers see the primary and canary hosts Flagger routes to', () => {
    const sidecar = one(out, 'Sidecar', 'cart', cp);
    expect(sidecar.spec.egress[0].hosts).toEqual(expect.arrayContaining(['shop/web.shop.svc.cluster.local', 'shop/web-primary.shop.svc.cluster.local', 'shop/web-canary.shop.svc.cluster.local']));
  });

  test('every gate query reads only series recorded in the same output', () => {
    const rules = one(out, 'PrometheusRule', 'web', cp);
    const recorded = new Set(rules.spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.record).filter(Boolean)));
    for (const t of kinds(out, 'MetricTemplate', cp)) {
      const series = [...t.spec.query.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1]);
      expect(series.length).toBeGreaterThan(0);
      for (const s of series) expect(recorded).toContain(s);
    }
    // The fleet series follow the app's workloads, since Flagger's Services are the ones Istio reports.
    expect(rules.spec.groups[0].rules[0].expr).toContain('destination_workload=~"web|web-primary"');
  });

  test('the reachability check passes through Flagger\'s primary', () => {
    const app = new App({ outdir: tmpDir() });
    platform(app);
    const report = checkReachability(app);
    expect(report.blocked).toEqual([]);
    const toWeb = report.entries.filter((e) => e.callee === 'shop/web:8080' && e.expected === 'allowed');
    expect(toWeb.length).toBeGreaterThanOrEqual(8); // cart and the ingress gateway, in every pair of clusters
    expect(toWeb.every((e) => e.allowed)).toBe(true);
  });
});

describe('the gates, run by promtool on good and bad canaries', () => {
  const app = new App({ outdir: tmpDir() });
  const p = platform(app);
  const web = p.node.findAll().find((c): c is FederatedApp => c instanceof FederatedApp && c.appName === 'web')!;
  const dir = tmpDir('fp-canary-gates-');
  const counter = (perStep: number) => `0+${perStep}x80`;
  const sel = (workload: string) => `reporter="destination",destination_workload_namespace="shop",destination_workload="${workload}"`;
  /** 15 s samples of one workload: requests, 5xx, and requests slower than 500 ms, per step. */
  const traffic = (workload: string, total: number, errors: number, slow: number) => [
    { series: `istio_requests_total{${sel(workload)},response_code="200"}`, values: counter(total - errors) },
    { series: `istio_requests_total{${sel(workload)},response_code="503"}`, values: counter(errors) },
    { series: `istio_request_duration_milliseconds_bucket{${sel(workload)},le="500"}`, values: counter(total - slow) },
    { series: `istio_request_duration_milliseconds_bucket{${sel(workload)},le="+Inf"}`, values: counter(total) },
    { series: `istio_request_duration_milliseconds_count{${sel(workload)}}`, values: counter(total) },
  ];
  const gates = web._canaryGates();

  test('each gate crosses its threshold on a bad canary and stays under it on a healthy one (the primary is bad either way)', () => {
    fs.writeFileSync(path.join(dir, 'rules.yaml'), YAML.stringify({ groups: web.ruleGroups() }));
    const check = (name: string, canary: [number, number, number], expected: Record<string, 0 | 1>) => ({
      name,
      interval: '15s',
      // The primary fails badly in every case: the gate must read the canary's workload only.
      input_series: [...traffic('web', ...canary), ...traffic('web-primary', 400, 200, 200)],
      promql_expr_test: gates.map((g) => ({ expr: `(${g.query}) > bool ${g.maxBurnRate}`, eval_time: '10m', exp_samples: [{ labels: '{}', value: expected[g.slo] }] })),
    });
    const tests = [
      // 0.5 % errors and 5 % slow requests: burn rates 5 and 5, under 14.4.
      check('healthy canary', [200, 1, 10], { availability: 0, latency: 0 }),
      // 5 % errors: burn rate 50 on availability; latency still fine.
      check('failing canary', [200, 10, 10], { availability: 1, latency: 0 }),
      // 20 % slower than 500 ms: burn rate 20 on latency.
      check('slow canary', [200, 0, 40], { availability: 0, latency: 1 }),
    ];
    fs.writeFileSync(path.join(dir, 'gates.test.yaml'), YAML.stringify({ rule_files: ['rules.yaml'], evaluation_interval: '15s', tests }));
    const res = promtool(['test', 'rules', 'gates.test.yaml'], dir);
    expect(res.output).toContain('SUCCESS');
    expect(res.ok).toBe(true);
    expect(gates).toHaveLength(2);
  });

  test('the rule file passes promtool check rules', () => {
    fs.writeFileSync(path.join(dir, 'check.yaml'), YAML.stringify({ groups: web.ruleGroups() }));
    expect(promtool(['check', 'rules', 'check.yaml'], dir).ok).toBe(true);
  });
});

describe('direct mode', () => {
  const out = synth((app) => platform(app, { delivery: DeliveryMode.DIRECT, app: { replicas: undefined, autoscaling: { minReplicas: 4, maxReplicas: 12, cpuUtilization: 70 } } }));

  test('each member gets its Canary, handed the cluster\'s HorizontalPodAutoscaler; no Karmada retain label', () => {
    for (const c of ['bj-1', 'sh-1']) {
      const file = `shop-cluster-${c}.k8s.yaml`;
      const canary = one(out, 'Canary', 'web', file);
      expect(canary.spec.autoscalerRef).toEqual({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'web' });
      expect(one(out, 'HorizontalPodAutoscaler', 'web', file).spec.scaleTargetRef.name).toBe('web');
      expect(one(out, 'Deployment', 'web', file).metadata.labels['resourcetemplate.karmada.io/retain-replicas']).toBeUndefined();
    }
    expect(formatIssues(SchemaValidator.load({ systems: SYSTEMS }).validateAll(all(out)))).toBe('');
  });

  test('with Argo CD, the Application does not restore the replicas Flagger sets', () => {
    const dir = tmpDir();
    const { FleetApp } = require('../index');
    const app = new FleetApp({ outdir: dir });
    const p = new DistributedPlatform(app, 'gx', {
      delivery: DeliveryMode.DIRECT,
      clusters: [{ name: 'bj-1', region: 'cn-north' }],
      mesh: { meshId: 'm', istioCni: true },
      submariner: { broker: 'bj-1' }, monitoring: { global: GlobalTier.hierarchical({ cluster: 'bj-1' }) },
      gitops: { tool: GitOpsTool.ARGO_CD, repository: 'https://git.example.com/deploy.git', path: 'prod' },
    });
    const t = p.addTenant('shop');
    const web = new FederatedApp(t, 'web', { image: 'registry.example.com/web:1.0.0', port: 8080, replicas: 2, metrics: {}, slos: [SLOS[0]], progressive: ProgressiveDelivery.blueGreen({ iterations: 5 }) });
    new MeshedService(t, 'web-mesh', { app: web });
    app.synth();
    const gitops = readManifestDir(dir).find((f) => f.file === 'gx-gitops/gx-gitops.k8s.yaml')!.objects;
    const tenantApp = gitops.find((o) => o.kind === 'Application' && o.metadata.name === 'gx-cluster-bj-1-tenant-shop')!;
    expect(tenantApp.spec.ignoreDifferences).toEqual([{ group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web', jsonPointers: ['/spec/replicas'] }]);
    expect(tenantApp.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    const platformApp = gitops.find((o) => o.kind === 'Application' && o.metadata.name === 'gx-cluster-bj-1-platform')!;
    expect(platformApp.spec.ignoreDifferences).toBeUndefined();
    const canary = readManifestDir(dir).flatMap((f) => f.objects).find((o) => o.kind === 'Canary')!;
    expect(canary.spec.analysis).toMatchObject({ iterations: 5, threshold: 5 });
    expect(canary.spec.analysis.stepWeight).toBeUndefined();
    expect(formatIssues(SchemaValidator.load({ systems: SYSTEMS }).validateAll([...gitops]))).toBe('');
  });
});

describe('bad input is typed', () => {
  const problems = (o: Options, mutate?: (p: DistributedPlatform) => void) => problemsOf((app) => {
    const p = platform(app, o);
    mutate?.(p);
    return p;
  }).filter((p) => p.severity === 'error');
  const brief = (ps: Problem[]) => ps.map((p) => `${p.rule} ${p.path} ${p.prop}`);

  test('a canary without a mesh, without SLO metrics, as a StatefulSet, beside a static canary, autoscaled by Karmada', () => {
    expect(brief(problems({ app: { slos: undefined } }))).toContain('FP-PROGRESSIVE shop/shop/web slos');
    expect(brief(problems({ app: { kind: WorkloadKind.STATEFUL_SET } }))).toContain('FP-PROGRESSIVE shop/shop/web progressive');
    expect(brief(problems({ app: { canary: { version: 'v2' } } }))).toContain('FP-PROGRESSIVE shop/shop/web canary');
    const scaled = problems({ app: { replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 6, cpuUtilization: 70 } } });
    const p = scaled.find((x) => x.prop === 'autoscaling')!;
    expect(p).toMatchObject({ rule: 'FP-PROGRESSIVE', path: 'shop/shop/web', value: 'FederatedHPA' });
    expect(p.fix).toMatch(/fixed replicas|direct mode/);
    const unmeshed = problemsOf((app) => {
      const plat = new DistributedPlatform(app, 'nm', { clusters: [{ name: 'bj-1' }], submariner: { broker: 'bj-1' }, monitoring: { global: GlobalTier.hierarchical({ cluster: 'bj-1' }) } });
      new FederatedApp(plat.addTenant('t'), 'web', { image: 'r.example.com/web:1.0.0', port: 8080, metrics: {}, slos: [SLOS[0]], progressive: ProgressiveDelivery.canary() });
      return plat;
    });
    expect(unmeshed.find((x) => x.rule === 'FP-PROGRESSIVE')).toMatchObject({ path: 'nm/t/web', prop: 'progressive', value: 'canary' });
  });

  test('no MeshedService to route it; a MeshedService that splits or A/B-routes it itself', () => {
    expect(brief(problems({ noMeshedService: true }))).toEqual(['FP-PROGRESSIVE shop/shop/web progressive']);
    const split = brief(problems({ mesh: { traffic: Traffic.weighted({ '1.4.2': 100 }), routes: [{ name: 'beta', match: { headers: { beta: '1' } }, version: '1.4.2' }], fault: { abort: { httpStatus: 503, percent: 1 } } } }));
    expect(split).toEqual(expect.arrayContaining(['FP-PROGRESSIVE shop/shop/web-mesh traffic', 'FP-PROGRESSIVE shop/shop/web-mesh routes', 'FP-PROGRESSIVE shop/shop/web-mesh fault']));
  });

  test('the analysis itself: whole-minute intervals, steps within the promotion weight', () => {
    const ps = problems({ app: { progressive: ProgressiveDelivery.canary({ interval: Duration.seconds(90), stepWeight: 60, maxWeight: 50, maxBurnRate: 0 }) } });
    const props = ps.filter((p) => p.rule === 'FP-PROGRESSIVE').map((p) => p.prop);
    expect(props).toEqual(expect.arrayContaining(['progressive.interval', 'progressive.maxBurnRate', 'progressive.stepWeight']));
    expect(ps.find((p) => p.prop === 'progressive.stepWeight')!.message).toMatch(/exceeds the promotion weight \(50%\)/);
    expect(ps.some((p) => p.prop === 'progressive.interval')).toBe(true);
  });
});
