// Unified observability: member Prometheus and the global tier, per-app scraping, golden-signal and SLO rules
// checked and unit-tested with the real promtool, Alertmanager routes and dashboards.
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration } from 'cdk8s';
import {
  DeliveryMode, DistributedPlatform, FederatedApp, GlobalTier, PlatformValidationError, SloKind, Tenant, WorkloadKind,
} from '../index';
import { buildObservedShop } from '../examples/observed-shop/platform';
import { SchemaValidator, formatIssues } from './support/schema-validator';
import { checkAndTest, ensurePromtool, promtool } from './support/promtool';
import { all, find, synth, tmpDir } from './support/synth';

process.env.FLEETPLANE_QUIET = '1';
const RESULTS = path.resolve(__dirname, '..', '.test-results');

// promtool is installed on first use when missing (Debian's prometheus package), which can take a minute.
beforeAll(() => ensurePromtool(), 300_000);

describe('observed shop: rules pass promtool', () => {
  let platform: DistributedPlatform;
  const out = synth((app) => {
    platform = buildObservedShop(app);
  });
  const apps = () => platform.node.findAll().filter((c): c is FederatedApp => c instanceof FederatedApp);

  test('every emitted PrometheusRule passes `promtool check rules`', () => {
    const rules = all(out).filter((o) => o.kind === 'PrometheusRule');
    // One per app, and the prerequisite alerts of each of the three members.
    expect(rules).toHaveLength(8);
    expect(rules.filter((r) => r.metadata.name === 'fleet-prerequisites')).toHaveLength(3);
    const dir = tmpDir('fp-rules-');
    let count = 0;
    for (const r of rules) {
      const file = path.join(dir, `${r.metadata.namespace}-${r.metadata.name}.yaml`);
      fs.writeFileSync(file, require('yaml').stringify(r.spec));
      const res = promtool(['check', 'rules', file]);
      expect(res.output).toContain('SUCCESS');
      expect(res.ok).toBe(true);
      count += r.spec.groups.reduce((n: number, g: any) => n + g.rules.length, 0);
    }
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.appendFileSync(path.join(RESULTS, 'promtool.txt'), `rules generated and checked: ${count}\n`);
  });

  test.each(['web', 'catalog', 'checkout', 'pricing', 'events'])('`promtool test rules`: the alerts of %s fire on bad series and stay silent on healthy ones', (name) => {
    const app = apps().find((a) => a.appName === name)!;
    const signals = app.metrics?.signals?.kind ?? 'http';
    const res = checkAndTest(tmpDir('fp-promtool-'), name, app.ruleGroups(), {
      namespace: app.tenant.namespace,
      app: app.appName,
      meshed: app.tenant.meshed,
      slos: app.slos,
      workloadKind: app.kind === WorkloadKind.STATEFUL_SET ? 'StatefulSet' : 'Deployment',
      workloads: [app.appName],
      signals,
      requestsMetric: app.metrics?.requestsMetric,
      statusLabel: app.metrics?.statusLabel,
      durationMetric: app.metrics?.durationMetric,
    });
    expect(res.check.output).toContain('SUCCESS');
    expect(res.test.output).toContain('SUCCESS');
    expect(res.test.ok).toBe(true);
    fs.appendFileSync(path.join(RESULTS, 'promtool.txt'), `promtool unit assertions for ${name}: ${res.assertions}\n`);
  });

  test('golden signals come from Istio for meshed apps and from the app\'s HTTP metrics otherwise', () => {
    const web = apps().find((a) => a.appName === 'web')!;
    const catalog = apps().find((a) => a.appName === 'catalog')!;
    expect(web.ruleGroups()[0].rules[0].expr).toContain('istio_requests_total{reporter="destination",destination_service_namespace="storefront",destination_service_name="web"}');
    expect(catalog.ruleGroups()[0].rules[0].expr).toContain('http_requests_total{namespace="commerce",service="catalog"}');
  });

  test('SLOs become multi-window, multi-burn-rate alerts with severity and runbook', () => {
    const groups = apps().find((a) => a.appName === 'checkout')!.ruleGroups();
    const slo = groups.find((g) => g.name === 'commerce-checkout.slo-availability')!;
    expect(slo.rules.filter((r) => r.record).map((r) => r.record)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d'].map((w) => `app:slo_error_ratio:rate${w}`));
    const fast = slo.rules.find((r) => r.alert === 'CheckoutAvailabilityErrorBudgetBurnFast')!;
    expect(fast.expr).toContain('app:slo_error_ratio:rate1h{namespace="commerce",app="checkout",slo="availability"} > 14.4 * 0.0005');
    expect(fast.expr).toContain('> 6 * 0.0005');
    expect(fast.labels).toMatchObject({ severity: 'critical', slo: 'availability' });
    expect(fast.annotations!.runbook_url).toMatch(/#error-budget-burn$/);
    const slowRule = slo.rules.find((r) => r.alert === 'CheckoutAvailabilityErrorBudgetBurnSlow')!;
    expect(slowRule.labels!.severity).toBe('warning');
    const latency = groups.find((g) => g.name === 'commerce-checkout.slo-latency')!;
    expect(latency.rules[0].expr).toContain('http_request_duration_seconds_bucket{namespace="commerce",service="checkout",le="0.5"}');
  });
});

describe('monitoring objects', () => {
  const out = synth((app) => buildObservedShop(app));

  test('a Prometheus per member with unique cluster external labels and fleetplane selectors (rules 42, 43)', () => {
    const proms = all(out).filter((o) => o.kind === 'Prometheus' && o.metadata.name === 'fleet');
    expect(proms.map((p) => p.spec.externalLabels.cluster).sort()).toEqual(['bj-1', 'bj-2', 'sh-1']);
    for (const p of proms) {
      expect(p.spec.serviceMonitorSelector).toEqual({ matchLabels: { release: 'kube-prometheus-stack' } });
      expect(p.spec.ruleSelector).toEqual({ matchLabels: { release: 'kube-prometheus-stack' } });
      expect(p.spec.serviceMonitorNamespaceSelector).toEqual({});
      expect(p.spec.externalLabels.region).toMatch(/^cn-/);
    }
    expect(find(out, 'Prometheus', 'fleet', 'observed-shop-cluster-sh-1.k8s.yaml').spec.externalLabels).toEqual({ cluster: 'sh-1', region: 'cn-east' });
  });

  test('the global tier federates each member at its own address, recording-rule series only (rule 44)', () => {
    const sc = find(out, 'ScrapeConfig', 'federate-members');
    expect(sc.metadata.namespace).toBe('monitoring-global');
    expect(sc.spec).toMatchObject({ metricsPath: '/federate', honorLabels: true, params: { 'match[]': ['{__name__=~"app:.*|app_le:.*"}'] } });
    expect(sc.spec.staticConfigs.map((s: any) => s.targets[0])).toEqual([
      'bj-1.prometheus-operated.monitoring.svc.clusterset.local:9090',
      'bj-2.prometheus-operated.monitoring.svc.clusterset.local:9090',
      'sh-1.prometheus-operated.monitoring.svc.clusterset.local:9090',
    ]);
    expect(find(out, 'Prometheus', 'global', 'observed-shop-cluster-bj-1.k8s.yaml').spec.scrapeConfigSelector).toEqual({ matchLabels: { release: 'kube-prometheus-stack' } });
  });

  test('per app: a ServiceMonitor on the named port, or a PodMonitor on the sidecar for meshed apps; both follow the app', () => {
    const sm = find(out, 'ServiceMonitor', 'catalog');
    expect(sm.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(sm.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '15s' }]);
    const svc = find(out, 'Service', 'catalog');
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) expect(svc.metadata.labels[k]).toBe(v);
    expect(svc.spec.ports.map((p: any) => p.name)).toContain('metrics');
    const pm = find(out, 'PodMonitor', 'web');
    expect(pm.spec.podMetricsEndpoints).toEqual([{ portNumber: 15020, path: '/stats/prometheus', interval: '30s' }]);
    expect(find(out, 'Deployment', 'web').spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080', 'prometheus.io/path': '/metrics' });
    const pp = find(out, 'PropagationPolicy', 'catalog');
    expect(pp.spec.resourceSelectors.map((s: any) => s.kind)).toEqual(expect.arrayContaining(['ServiceMonitor', 'PrometheusRule', 'ConfigMap']));
  });

  test('tenant alert routes with receivers by secret reference (rule 45); default-deny lets Prometheus scrape', () => {
    const amc = all(out).find((o) => o.kind === 'AlertmanagerConfig' && o.metadata.namespace === 'storefront');
    expect(amc.spec.route).toMatchObject({ receiver: 'storefront-slack', groupBy: ['alertname', 'cluster', 'app'], routes: [{ receiver: 'storefront-pager', matchers: [{ name: 'severity', value: 'critical', matchType: '=' }] }] });
    expect(amc.spec.receivers[0].slackConfigs[0].apiURL).toEqual({ name: 'alerting', key: 'slack-webhook-url' });
    expect(JSON.stringify(all(out).filter((o) => o.kind === 'AlertmanagerConfig'))).not.toMatch(/https?:\/\//);
    const np = all(out).find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-prometheus' && o.metadata.namespace === 'commerce');
    expect(np.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'monitoring' });
  });

  test('dashboards: per app and a fleet overview, as ConfigMaps with the Grafana sidecar label', () => {
    const dash = find(out, 'ConfigMap', 'web-dashboard');
    expect(dash.metadata.labels.grafana_dashboard).toBe('1');
    const model = JSON.parse(dash.data['storefront-web.json']);
    expect(model.panels.map((p: any) => p.title)).toEqual(expect.arrayContaining(['Requests per second, by cluster', 'Error ratio, by cluster', 'Latency p99, by cluster']));
    expect(model.panels[0].targets[0].expr).toContain('sum by (cluster)');
    const fleet = find(out, 'ConfigMap', 'fleet-overview-dashboard');
    expect(JSON.parse(fleet.data['fleet-overview.json']).title).toBe('observed-shop fleet overview');
  });

  test('every monitoring object validates strictly against the prometheus-operator schemas', () => {
    const v = SchemaValidator.load({ systems: ['karmada', 'istio', 'prometheus-operator'] });
    expect(formatIssues(v.validateAll(all(out)))).toBe('');
  });

  test('Thanos tier: sidecars on members and a Thanos Query over each member', () => {
    const t = synth((app) => {
      new DistributedPlatform(app, 'p', {
        clusters: [{ name: 'a', region: 'r1' }, { name: 'b', region: 'r2' }],
        monitoring: { global: GlobalTier.thanos({ cluster: 'a', memberAddress: (c) => `prom.${c}.example.com:9090` }) },
      });
    });
    expect(all(t).filter((o) => o.kind === 'Prometheus').every((p) => p.spec.thanos)).toBe(true);
    expect(find(t, 'Deployment', 'thanos-query').spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['--endpoint=prom.a.example.com:10901', '--endpoint=prom.b.example.com:10901', '--query.replica-label=prometheus_replica']));
    const v = SchemaValidator.load({ systems: ['karmada', 'istio', 'prometheus-operator'] });
    expect(formatIssues(v.validateAll(all(t)))).toBe('');
  });

  test('direct mode: the app\'s monitoring objects go to each cluster that runs it, with an autoscaler alert', () => {
    const d = synth((app) => {
      const p = new DistributedPlatform(app, 'p', { delivery: DeliveryMode.DIRECT, clusters: [{ name: 'a', region: 'r1' }, { name: 'b', region: 'r2' }], submariner: { broker: 'a' }, monitoring: { global: GlobalTier.hierarchical({ cluster: 'a' }) } });
      new FederatedApp(p.addTenant('t'), 'api', { image: 'r.example.com/api:1', port: 8080, autoscaling: { minReplicas: 2, maxReplicas: 6 }, metrics: {} });
    });
    for (const c of ['a', 'b']) {
      const rule = find(d, 'PrometheusRule', 'api', `p-cluster-${c}.k8s.yaml`);
      expect(rule.spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert)).filter(Boolean)).toContain('ApiAutoscalerAtMaximum');
      find(d, 'ServiceMonitor', 'api', `p-cluster-${c}.k8s.yaml`);
    }
  });
});

describe('monitoring validation', () => {
  const problems = (build: (app: App) => void) => {
    const app = new App({ outdir: tmpDir() });
    build(app);
    try {
      app.synth();
      return [];
    } catch (e) {
      if (!(e instanceof PlatformValidationError)) throw e;
      return e.errors.map((p) => `${p.rule} ${p.prop}`);
    }
  };
  const base = (app: App, monitoring: any = { global: GlobalTier.hierarchical({ cluster: 'a' }) }) =>
    new DistributedPlatform(app, 'p', { clusters: [{ name: 'a', region: 'r1' }, { name: 'b', region: 'r2' }], submariner: { broker: 'a' }, monitoring });

  test.each([
    ['metrics without platform monitoring', (app: App) => new FederatedApp(new DistributedPlatform(app, 'p', { clusters: [{ name: 'a' }] }).addTenant('t'), 'x', { image: 'r.io/x:1', port: 80, metrics: {} }), 'FP-MONITORING metrics'],
    ['ServiceMonitor port the Service does not have', (app: App) => new FederatedApp(base(app).addTenant('t'), 'x', { image: 'r.io/x:1', port: 80, metrics: { port: 'metrics' } }), 'K42 metrics.port'],
    ['SLO objective of 100', (app: App) => new FederatedApp(base(app).addTenant('t'), 'x', { image: 'r.io/x:1', port: 80, metrics: {}, slos: [{ name: 'availability', kind: SloKind.AVAILABILITY, objective: 100 }] }), 'FP-SLO slos[0].objective'],
    ['SLO objective of 0', (app: App) => new FederatedApp(base(app).addTenant('t'), 'x', { image: 'r.io/x:1', port: 80, metrics: {}, slos: [{ name: 'availability', kind: SloKind.AVAILABILITY, objective: 0 }] }), 'FP-SLO slos[0].objective'],
    ['latency SLO without threshold', (app: App) => new FederatedApp(base(app).addTenant('t'), 'x', { image: 'r.io/x:1', port: 80, metrics: {}, slos: [{ name: 'latency', kind: SloKind.LATENCY, objective: 99 }] }), 'FP-SLO slos[0].latencyThreshold'],
    ['duplicate SLO names', (app: App) => new FederatedApp(base(app).addTenant('t'), 'x', { image: 'r.io/x:1', port: 80, metrics: {}, slos: [{ name: 'a', kind: SloKind.AVAILABILITY, objective: 99 }, { name: 'a', kind: SloKind.AVAILABILITY, objective: 98 }] }), 'K40 slos[1].name'],
    ['scrape timeout above the interval', (app: App) => new FederatedApp(base(app).addTenant('t'), 'x', { image: 'r.io/x:1', port: 80, metrics: { interval: Duration.seconds(10), scrapeTimeout: Duration.seconds(20) } }), 'K41 metrics.scrapeTimeout'],
    ['invalid metric name', (app: App) => new FederatedApp(base(app).addTenant('t'), 'x', { image: 'r.io/x:1', port: 80, metrics: { requestsMetric: 'http-requests' } }), 'K40 metrics.requestsMetric'],
    ['two members at the same federation address', (app: App) => base(app, { global: GlobalTier.hierarchical({ cluster: 'a', memberAddress: () => 'prom.example.com:9090' }) }), 'K44 monitoring.global.memberAddress'],
    ['a round-robin clusterset address', (app: App) => base(app, { global: GlobalTier.hierarchical({ cluster: 'a', memberAddress: (c: string) => (c === 'a' ? 'prometheus-operated.monitoring.svc.clusterset.local:9090' : 'b.example.com:9090') }) }), 'K44 monitoring.global.memberAddress'],
    ['clusterset member names without Submariner', (app: App) => new DistributedPlatform(app, 'p', { clusters: [{ name: 'a', region: 'r1' }, { name: 'b', region: 'r2' }], monitoring: { global: GlobalTier.hierarchical({ cluster: 'a' }) } }), 'FP-CLUSTERSET monitoring.global.memberAddress'],
    ['Thanos endpoints at clusterset names without Submariner', (app: App) => new DistributedPlatform(app, 'p', { clusters: [{ name: 'a', region: 'r1' }, { name: 'b', region: 'r2' }], monitoring: { global: GlobalTier.thanos({ cluster: 'a' }) } }), 'FP-CLUSTERSET monitoring.global.memberAddress'],
    ['a monitored member not joined to Submariner', (app: App) => new DistributedPlatform(app, 'p', { clusters: [{ name: 'a', region: 'r1' }, { name: 'b', region: 'r2' }], submariner: { broker: 'a', clusters: { names: ['a'] } }, monitoring: { global: GlobalTier.hierarchical({ cluster: 'a' }) } }), 'FP-CLUSTERSET monitoring.global.memberAddress'],
    ['global tier on an unknown cluster', (app: App) => base(app, { global: GlobalTier.hierarchical({ cluster: 'zz' }) }), 'K13 monitoring.global.cluster'],
    ['empty selector label', (app: App) => base(app, { global: GlobalTier.hierarchical({ cluster: 'a' }), selectorLabels: {} }), 'K42 monitoring.selectorLabels'],
    ['bad retention', (app: App) => base(app, { global: GlobalTier.hierarchical({ cluster: 'a' }), retention: '15 days' }), 'K41 monitoring.retention'],
    ['alert route to an unknown receiver', (app: App) => base(app).addTenant('t', { alerts: { receivers: [{ name: 'x', webhookUrlSecret: { name: 's', key: 'url' } }], defaultReceiver: 'y' } }), 'K45 alerts.defaultReceiver'],
    ['duplicate receivers', (app: App) => base(app).addTenant('t', { alerts: { receivers: [{ name: 'x', webhookUrlSecret: { name: 's', key: 'u' } }, { name: 'x', webhookUrlSecret: { name: 's', key: 'v' } }], defaultReceiver: 'x' } }), 'K45 alerts.receivers[1].name'],
    ['duplicate groupBy labels', (app: App) => base(app).addTenant('t', { alerts: { receivers: [{ name: 'x', webhookUrlSecret: { name: 's', key: 'u' } }], defaultReceiver: 'x', groupBy: ['app', 'app'] } }), 'K45 alerts.groupBy'],
    ['metrics on an unmonitored cluster', (app: App) => new FederatedApp(new DistributedPlatform(app, 'p', { clusters: [{ name: 'a', region: 'r1' }, { name: 'b', region: 'r2' }], submariner: { broker: 'a' }, monitoring: { global: GlobalTier.hierarchical({ cluster: 'a' }), clusters: { names: ['a'] } } }).addTenant('t'), 'x', { image: 'r.io/x:1', port: 80, metrics: {} }), 'FP-MONITORING metrics'],
  ] as Array<[string, (app: App) => unknown, string]>)('%s', (_title, build, expected) => {
    expect(problems(build)).toEqual([expected]);
  });

  test('a tenant without monitoring cannot route alerts', () => {
    const p = new DistributedPlatform(new App(), 'p', { clusters: [{ name: 'a' }] });
    new Tenant(p, 't', { alerts: { receivers: [{ name: 'x', webhookUrlSecret: { name: 's', key: 'u' } }], defaultReceiver: 'x' } });
    expect(p.problems().map((x) => `${x.rule} ${x.prop}`)).toContain('FP-MONITORING alerts');
  });
});
