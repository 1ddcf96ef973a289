// Monitoring beyond HTTP: apps choose their request signals (HTTP, gRPC, none), add their own recording rules,
// alerting rules and dashboard panels; kube-state-metrics and node-exporter are a declared platform prerequisite.
// Rules run through the real promtool (check rules, and unit tests that must fire on bad series and stay silent
// on good ones); every object validates strictly.
import { App, Duration } from 'cdk8s';
import {
  AlertSeverity, DistributedPlatform, FederatedApp, GlobalTier, GrpcCode, MetricSignals, MonitoringPrerequisites,
  PanelType, PanelUnit, SloKind, WorkloadKind,
} from '../index';
import type { MonitoringProps } from '../index';
import { SchemaValidator, formatIssues } from './support/schema-validator';
import { checkAndTest, checkAndTestCases, ensurePromtool } from './support/promtool';
import { problemsOf } from './support/fixtures';
import { all, find, synth, tmpDir } from './support/synth';

process.env.FLEETPLANE_QUIET = '1';
beforeAll(() => ensurePromtool(), 300_000);

const KAFKA_URP = 'kafka_server_replicamanager_underreplicatedpartitions';

/** A two-cluster platform with a Kafka (signals none), a gRPC ledger and an HTTP api. */
function build(app: App, monitoring: Partial<MonitoringProps> = {}, mesh = false): DistributedPlatform {
  const platform = new DistributedPlatform(app, 'p', {
    clusters: [{ name: 'a', region: 'r1' }, { name: 'b', region: 'r2' }],
    submariner: { broker: 'a' }, monitoring: { global: GlobalTier.hierarchical({ cluster: 'a' }), ...monitoring },
    defaults: { imageRegistry: 'registry.example.com' },
    ...(mesh ? { mesh: { meshId: 'm', istioCni: true } } : {}),
  });
  const streaming = platform.addTenant('streaming', { mesh: false });
  new FederatedApp(streaming, 'kafka', {
    image: 'streaming/kafka:3.7.0',
    kind: WorkloadKind.STATEFUL_SET,
    ports: [{ name: 'tcp-broker', port: 9092 }, { name: 'metrics', port: 9404 }],
    replicas: 3,
    metrics: {
      port: 'metrics',
      signals: MetricSignals.none(),
      recordingRules: [{ record: 'app:kafka_under_replicated_partitions:sum', expr: `sum(${KAFKA_URP}{namespace="streaming",service="kafka"})` }],
      alertingRules: [{
        alert: 'KafkaUnderReplicatedPartitions',
        expr: 'app:kafka_under_replicated_partitions:sum{namespace="streaming",app="kafka"} > 0',
        for: Duration.minutes(10),
        severity: AlertSeverity.CRITICAL,
        summary: 'Kafka has {{ $value }} under-replicated partitions',
        runbookUrl: 'https://runbooks.example.com/kafka#urp',
        labels: { team: 'streaming' },
      }],
      panels: [
        { title: 'Under-replicated partitions', expressions: ['sum by (cluster) (app:kafka_under_replicated_partitions:sum{namespace="streaming",app="kafka"})'], type: PanelType.STAT },
        { title: 'Bytes in per second', expressions: ['sum by (cluster) (rate(kafka_server_brokertopicmetrics_bytesin_total[5m]))'], unit: PanelUnit.BYTES_PER_SECOND, legend: '{{cluster}} in' },
      ],
    },
  });
  const rpc = platform.addTenant('rpc', mesh ? {} : { mesh: false });
  new FederatedApp(rpc, 'ledger', {
    image: 'rpc/ledger:2.3.0',
    ports: [{ name: 'grpc', port: 9090 }, { name: 'http-metrics', port: 9091 }],
    replicas: 2,
    metrics: { port: 'http-metrics', signals: MetricSignals.grpc() },
    slos: [
      { name: 'availability', kind: SloKind.AVAILABILITY, objective: 99.9 },
      { name: 'latency', kind: SloKind.LATENCY, objective: 99, latencyThreshold: Duration.millis(250) },
    ],
  });
  return platform;
}

const apps = (p: DistributedPlatform) => p.node.findAll().filter((c): c is FederatedApp => c instanceof FederatedApp);
const appNamed = (p: DistributedPlatform, name: string) => apps(p).find((a) => a.appName === name)!;
const validator = () => SchemaValidator.load({ systems: ['karmada', 'istio', 'prometheus-operator'] });

describe('gRPC signals', () => {
  test('own metrics: grpc_server_handled_total by grpc_code, server errors only; the handling-time histogram for latency', () => {
    let platform!: DistributedPlatform;
    synth((app) => { platform = build(app); });
    const groups = appNamed(platform, 'ledger').ruleGroups();
    const red = groups.find((g) => g.name === 'rpc-ledger.red')!;
    expect(red.rules[0].expr).toBe('sum(rate(grpc_server_handled_total{namespace="rpc",service="ledger"}[5m]))');
    expect(red.rules[1].expr).toBe('sum(rate(grpc_server_handled_total{namespace="rpc",service="ledger",grpc_code=~"Unknown|DeadlineExceeded|Unimplemented|Internal|Unavailable|DataLoss"}[5m]))');
    expect(red.rules[3].expr).toContain('grpc_server_handling_seconds_bucket{namespace="rpc",service="ledger"}');
    const latency = groups.find((g) => g.name === 'rpc-ledger.slo-latency')!;
    expect(latency.rules[0].expr).toContain('grpc_server_handling_seconds_bucket{namespace="rpc",service="ledger",le="0.25"}');
  });

  test('own metrics: promtool check and unit tests (client errors such as NotFound do not burn the budget)', () => {
    let platform!: DistributedPlatform;
    synth((app) => { platform = build(app); });
    const ledger = appNamed(platform, 'ledger');
    const res = checkAndTest(tmpDir('fp-grpc-'), 'ledger', ledger.ruleGroups(), {
      namespace: 'rpc', app: 'ledger', meshed: false, slos: ledger.slos, workloadKind: 'Deployment', workloads: ['ledger'], signals: 'grpc',
    });
    expect(res.check.output).toContain('SUCCESS');
    expect(res.test.output).toContain('SUCCESS');
    expect(res.test.ok).toBe(true);
    expect(res.assertions).toBeGreaterThan(20);
  });

  test('meshed: Istio\'s gRPC calls by grpc_response_status number; promtool check and unit tests', () => {
    let platform!: DistributedPlatform;
    synth((app) => { platform = build(app, {}, true); });
    const ledger = appNamed(platform, 'ledger');
    expect(ledger.tenant.meshed).toBe(true);
    const red = ledger.ruleGroups()[0];
    expect(red.rules[1].expr).toBe('sum(rate(istio_requests_total{reporter="destination",destination_service_namespace="rpc",destination_service_name="ledger",request_protocol="grpc",grpc_response_status=~"2|4|12|13|14|15"}[5m]))');
    const res = checkAndTest(tmpDir('fp-grpc-mesh-'), 'ledger', ledger.ruleGroups(), {
      namespace: 'rpc', app: 'ledger', meshed: true, slos: ledger.slos, workloadKind: 'Deployment', workloads: ['ledger'], signals: 'grpc',
    });
    expect(res.test.output).toContain('SUCCESS');
    expect(res.test.ok).toBe(true);
  });

  test('custom metric names and error codes', () => {
    let platform!: DistributedPlatform;
    synth((app) => {
      platform = build(app);
      new FederatedApp(appNamed(platform, 'ledger').tenant, 'quotes', {
        image: 'rpc/quotes:1.0.0', port: 9090, replicas: 2,
        metrics: { signals: MetricSignals.grpc({ requestsMetric: 'rpc_server_calls_total', codeLabel: 'status', durationMetric: 'rpc_server_duration_seconds', errorCodes: [GrpcCode.INTERNAL, GrpcCode.UNAVAILABLE] }) },
      });
    });
    const red = appNamed(platform, 'quotes').ruleGroups()[0];
    expect(red.rules[1].expr).toBe('sum(rate(rpc_server_calls_total{namespace="rpc",service="quotes",status=~"Internal|Unavailable"}[5m]))');
    expect(red.rules[3].expr).toContain('rpc_server_duration_seconds_bucket');
  });
});

describe('signals none and the app\'s own rules and panels (Kafka)', () => {
  let platform!: DistributedPlatform;
  const out = synth((app) => { platform = build(app); });

  test('no golden-signal or SLO groups: workload rules, then the app\'s own group with records before alerts', () => {
    const rule = find(out, 'PrometheusRule', 'kafka');
    expect(rule.spec.groups.map((g: any) => g.name)).toEqual(['streaming-kafka.workload', 'streaming-kafka.custom']);
    const custom = rule.spec.groups[1];
    expect(custom.rules[0]).toEqual({
      record: 'app:kafka_under_replicated_partitions:sum',
      expr: `sum(${KAFKA_URP}{namespace="streaming",service="kafka"})`,
      labels: { namespace: 'streaming', app: 'kafka' },
    });
    expect(custom.rules[1]).toEqual({
      alert: 'KafkaUnderReplicatedPartitions',
      expr: 'app:kafka_under_replicated_partitions:sum{namespace="streaming",app="kafka"} > 0',
      for: '10m',
      labels: { team: 'streaming', namespace: 'streaming', app: 'kafka', severity: 'critical' },
      annotations: { summary: 'Kafka has {{ $value }} under-replicated partitions', runbook_url: 'https://runbooks.example.com/kafka#urp' },
    });
    // A StatefulSet's pods are <name>-<ordinal>.
    const crash = rule.spec.groups[0].rules.find((r: any) => r.alert === 'KafkaPodCrashLooping');
    expect(crash.expr).toContain('pod=~"(kafka)-[0-9]+"');
  });

  test('the dashboard has the workload panels and the app\'s own panels, no empty HTTP panels', () => {
    const model = JSON.parse(find(out, 'ConfigMap', 'kafka-dashboard').data['streaming-kafka.json']);
    expect(model.panels.map((p: any) => p.title)).toEqual([
      'Replicas available and desired, by cluster', 'Container restarts in the last hour, by cluster', 'Under-replicated partitions', 'Bytes in per second',
    ]);
    expect(model.panels.map((p: any) => [p.id, p.gridPos.x, p.gridPos.y])).toEqual([[1, 0, 0], [2, 12, 0], [3, 0, 8], [4, 12, 8]]);
    expect(model.panels[2]).toMatchObject({ type: 'stat', fieldConfig: { defaults: { unit: 'short' } }, options: { reduceOptions: { calcs: ['lastNotNull'] } } });
    expect(model.panels[3]).toMatchObject({ type: 'timeseries', fieldConfig: { defaults: { unit: 'Bps' } }, targets: [{ refId: 'A', legendFormat: '{{cluster}} in' }] });
    expect(JSON.stringify(model)).not.toContain('app:requests');
  });

  test('an HTTP app\'s dashboard keeps its RED panels first, then SLOs, then the workload panels', () => {
    const model = JSON.parse(find(out, 'ConfigMap', 'ledger-dashboard').data['rpc-ledger.json']);
    expect(model.panels.map((p: any) => p.title)).toEqual([
      'Requests per second, by cluster', 'Error ratio, by cluster', 'Latency p99, by cluster', 'Latency p99, fleet (from buckets)',
      'SLO availability: error ratio over 1h (objective 99.9%)', 'SLO latency: error ratio over 1h (objective 99%)',
      'Replicas available and desired, by cluster', 'Container restarts in the last hour, by cluster',
    ]);
    expect(model.panels[6].targets.map((t: any) => t.expr)).toEqual([
      'sum by (cluster) (app:replicas_available:sum{namespace="rpc",app="ledger"})', 'sum by (cluster) (app:replicas_desired:sum{namespace="rpc",app="ledger"})',
    ]);
  });

  test('promtool: the workload rules of a StatefulSet fire on a broken workload, not on a neighbour\'s pods', () => {
    const kafka = appNamed(platform, 'kafka');
    const res = checkAndTest(tmpDir('fp-kafka-'), 'kafka', kafka.ruleGroups(), {
      namespace: 'streaming', app: 'kafka', meshed: false, slos: [], workloadKind: 'StatefulSet', workloads: ['kafka'], signals: 'none',
    });
    expect(res.check.output).toContain('SUCCESS');
    expect(res.test.output).toContain('SUCCESS');
    expect(res.test.ok).toBe(true);
  });

  test('promtool: the app\'s own alert fires on under-replicated partitions and stays silent on a healthy cluster', () => {
    const groups = appNamed(platform, 'kafka').ruleGroups();
    const urp = (values: string[]) => values.map((v, k) => ({ series: `${KAFKA_URP}{namespace="streaming",service="kafka",pod="kafka-${k}"}`, values: v }));
    const labels = { namespace: 'streaming', app: 'kafka', team: 'streaming', severity: 'critical' };
    const res = checkAndTestCases(tmpDir('fp-kafka-own-'), 'kafka-own', groups, [
      {
        name: 'healthy',
        interval: '1m',
        input_series: urp(['0x60', '0x60', '0x60']),
        alert_rule_test: [{ eval_time: '30m', alertname: 'KafkaUnderReplicatedPartitions', exp_alerts: [] }],
        promql_expr_test: [{ expr: 'app:kafka_under_replicated_partitions:sum', eval_time: '5m', exp_samples: [{ labels: 'app:kafka_under_replicated_partitions:sum{namespace="streaming",app="kafka"}', value: 0 }] }],
      },
      {
        name: 'two partitions under-replicated on one broker',
        interval: '1m',
        input_series: urp(['0x60', '2x60', '0x60']),
        alert_rule_test: [
          { eval_time: '5m', alertname: 'KafkaUnderReplicatedPartitions', exp_alerts: [] },
          {
            eval_time: '15m',
            alertname: 'KafkaUnderReplicatedPartitions',
            exp_alerts: [{ exp_labels: { alertname: 'KafkaUnderReplicatedPartitions', ...labels }, exp_annotations: { summary: 'Kafka has 2 under-replicated partitions', runbook_url: 'https://runbooks.example.com/kafka#urp' } }],
          },
        ],
        promql_expr_test: [{ expr: 'app:kafka_under_replicated_partitions:sum', eval_time: '5m', exp_samples: [{ labels: 'app:kafka_under_replicated_partitions:sum{namespace="streaming",app="kafka"}', value: 2 }] }],
      },
    ]);
    expect(res.check.output).toContain('SUCCESS');
    expect(res.test.output).toContain('SUCCESS');
    expect(res.test.ok).toBe(true);
  });

  test('every object validates strictly', () => {
    expect(formatIssues(validator().validateAll(all(out)))).toBe('');
  });
});

describe('kube-state-metrics and node-exporter prerequisites', () => {
  test('assumed installed (the default): no exporters, but every member alerts when they are not scraped', () => {
    const out = synth((app) => build(app));
    expect(all(out).filter((o) => o.metadata?.name === 'kube-state-metrics' || o.kind === 'DaemonSet')).toEqual([]);
    for (const c of ['a', 'b']) {
      const rule = find(out, 'PrometheusRule', 'fleet-prerequisites', `p-cluster-${c}.k8s.yaml`);
      expect(rule.metadata.namespace).toBe('monitoring');
      expect(rule.metadata.labels.release).toBe('kube-prometheus-stack');
      expect(rule.spec.groups[0].rules.map((r: any) => [r.alert, r.expr])).toEqual([
        ['KubeStateMetricsNotScraped', 'absent(up{job="kube-state-metrics"} == 1)'],
        ['NodeExporterNotScraped', 'absent(up{job="node-exporter"} == 1)'],
      ]);
    }
  });

  test('custom job names, and no node-exporter', () => {
    const out = synth((app) => build(app, { prerequisites: MonitoringPrerequisites.assumeInstalled({ kubeStateMetricsJob: 'ksm', nodeExporterJob: false }) }));
    const rule = find(out, 'PrometheusRule', 'fleet-prerequisites', 'p-cluster-a.k8s.yaml');
    expect(rule.spec.groups[0].rules.map((r: any) => r.expr)).toEqual(['absent(up{job="ksm"} == 1)']);
  });

  test('promtool: the scrape alerts fire when the exporter is missing or down, and stay silent while it is up', () => {
    const out = synth((app) => build(app));
    const groups = find(out, 'PrometheusRule', 'fleet-prerequisites', 'p-cluster-a.k8s.yaml').spec.groups;
    const fired = (alertname: string) => [{
      exp_labels: { alertname, namespace: 'monitoring', severity: 'warning' },
      exp_annotations: groups[0].rules.find((r: any) => r.alert === alertname).annotations,
    }];
    const ksmUp = (v: string) => ({ series: 'up{job="kube-state-metrics",instance="10.0.0.5:8080"}', values: v });
    const neUp = (v: string) => ({ series: 'up{job="node-exporter",instance="10.0.1.1:9100"}', values: v });
    const res = checkAndTestCases(tmpDir('fp-prereq-'), 'prereq', groups, [
      {
        name: 'both scraped',
        interval: '1m',
        input_series: [ksmUp('1x60'), neUp('1x60')],
        alert_rule_test: [{ eval_time: '30m', alertname: 'KubeStateMetricsNotScraped', exp_alerts: [] }, { eval_time: '30m', alertname: 'NodeExporterNotScraped', exp_alerts: [] }],
      },
      {
        name: 'kube-state-metrics never installed, node-exporter down',
        interval: '1m',
        input_series: [neUp('0x60')],
        alert_rule_test: [
          { eval_time: '10m', alertname: 'KubeStateMetricsNotScraped', exp_alerts: [] },
          { eval_time: '30m', alertname: 'KubeStateMetricsNotScraped', exp_alerts: fired('KubeStateMetricsNotScraped') },
          { eval_time: '30m', alertname: 'NodeExporterNotScraped', exp_alerts: fired('NodeExporterNotScraped') },
        ],
      },
    ]);
    expect(res.check.output).toContain('SUCCESS');
    expect(res.test.output).toContain('SUCCESS');
    expect(res.test.ok).toBe(true);
  });

  describe('generated', () => {
    const out = synth((app) => build(app, { prerequisites: MonitoringPrerequisites.generate() }));
    const file = 'p-cluster-b.k8s.yaml';

    test('kube-state-metrics in every member: restricted security, platform registry, read-only RBAC without Secrets', () => {
      for (const f of ['p-cluster-a.k8s.yaml', file]) find(out, 'Deployment', 'kube-state-metrics', f);
      const d = find(out, 'Deployment', 'kube-state-metrics', file);
      expect(d.metadata.namespace).toBe('monitoring');
      const pod = d.spec.template.spec;
      expect(pod.containers[0].image).toBe('registry.example.com/kube-state-metrics/kube-state-metrics:v2.13.0');
      expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(pod.containers[0].resources.limits).toEqual({ cpu: '100m', memory: '250Mi' });
      const role = find(out, 'ClusterRole', 'fleet-kube-state-metrics', file);
      const resources = role.rules.flatMap((r: any) => r.resources);
      expect(resources).toEqual(expect.arrayContaining(['deployments', 'statefulsets', 'pods', 'horizontalpodautoscalers']));
      expect(resources).not.toContain('secrets');
      expect(role.rules.every((r: any) => r.verbs.join() === 'list,watch')).toBe(true);
      // The collectors match the RBAC: kube-state-metrics would log forbidden errors otherwise.
      const flag = pod.containers[0].args.find((a: string) => a.startsWith('--resources='));
      expect(flag.slice('--resources='.length).split(',').sort()).toEqual([...resources].sort());
      expect(find(out, 'ClusterRoleBinding', 'fleet-kube-state-metrics', file).subjects).toEqual([{ kind: 'ServiceAccount', name: 'kube-state-metrics', namespace: 'monitoring' }]);
    });

    test('node-exporter on every node, with host access only where it needs it, in the privileged monitoring namespace', () => {
      const ds = find(out, 'DaemonSet', 'node-exporter', file);
      const pod = ds.spec.template.spec;
      expect(pod).toMatchObject({ hostNetwork: true, hostPID: true, automountServiceAccountToken: false, tolerations: [{ operator: 'Exists' }] });
      expect(pod.containers[0].image).toBe('registry.example.com/prometheus/node-exporter:v1.8.2');
      expect(pod.containers[0].volumeMounts.every((m: any) => m.readOnly)).toBe(true);
      expect(pod.containers[0].securityContext.privileged).toBeUndefined();
      expect(find(out, 'Namespace', 'monitoring', file).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    });

    test('ServiceMonitors the member Prometheus selects; job names match the scrape alerts', () => {
      const ksm = find(out, 'ServiceMonitor', 'kube-state-metrics', file);
      expect(ksm.metadata.labels.release).toBe('kube-prometheus-stack');
      // Without honorLabels the namespace of every series would become exported_namespace and no app rule would match.
      expect(ksm.spec.endpoints).toEqual([{ port: 'http-metrics', interval: '30s', honorLabels: true }]);
      const svc = find(out, 'Service', 'kube-state-metrics', file);
      expect(svc.spec.selector).toEqual(ksm.spec.selector.matchLabels);
      // Prometheus-operator names the job after the Service.
      const alerts = find(out, 'PrometheusRule', 'fleet-prerequisites', file).spec.groups[0].rules.map((r: any) => r.expr);
      expect(alerts).toEqual(['absent(up{job="kube-state-metrics"} == 1)', 'absent(up{job="node-exporter"} == 1)']);
      expect(find(out, 'Service', 'node-exporter', file).metadata.name).toBe('node-exporter');
    });

    test('an image of your own, without node-exporter', () => {
      const o = synth((app) => build(app, { prerequisites: MonitoringPrerequisites.generate({ kubeStateMetricsImage: 'mirror.example.com/ksm:v2.13.0', nodeExporter: false }) }));
      expect(find(o, 'Deployment', 'kube-state-metrics', file).spec.template.spec.containers[0].image).toBe('mirror.example.com/ksm:v2.13.0');
      expect(all(o).filter((x) => x.kind === 'DaemonSet')).toEqual([]);
    });

    test('every object validates strictly (Kubernetes and prometheus-operator schemas)', () => {
      const objects = all(out);
      expect(formatIssues(validator().validateAll(objects))).toBe('');
      expect(objects.filter((o) => o.metadata?.labels?.['app.kubernetes.io/part-of'] === 'fleetplane-monitoring')).toHaveLength(2 * (6 + 4));
    });
  });

  test('none: no workload rules or panels, no scrape alerts; rules reading kube_* series are a warning', () => {
    let platform!: DistributedPlatform;
    const out = synth((app) => {
      platform = build(app, { prerequisites: MonitoringPrerequisites.none() });
    });
    expect(all(out).filter((o) => o.metadata?.name === 'fleet-prerequisites')).toEqual([]);
    expect(find(out, 'PrometheusRule', 'ledger').spec.groups.map((g: any) => g.name)).toEqual(['rpc-ledger.red', 'rpc-ledger.slo-availability', 'rpc-ledger.slo-latency']);
    const model = JSON.parse(find(out, 'ConfigMap', 'kafka-dashboard').data['streaming-kafka.json']);
    expect(model.panels.map((p: any) => p.title)).toEqual(['Under-replicated partitions', 'Bytes in per second']);
    const p = new DistributedPlatform(new App({ outdir: tmpDir() }), 'q', {
      clusters: [{ name: 'a' }], submariner: { broker: 'a' }, monitoring: { global: GlobalTier.hierarchical({ cluster: 'a' }), prerequisites: MonitoringPrerequisites.none() },
    });
    new FederatedApp(p.addTenant('t'), 'x', { image: 'r.io/x:1', port: 80, metrics: { alertingRules: [{ alert: 'XRestarts', expr: 'increase(kube_pod_container_status_restarts_total{namespace="t"}[1h]) > 3', summary: 'x restarts' }] } });
    expect(p.problems().map((x) => `${x.severity} ${x.rule} ${x.prop}`)).toEqual(['warning FP-MONITORING metrics.alertingRules[0].expr']);
    void platform;
  });
});

describe('validation of signals, rules and panels', () => {
  const errors = (metrics: any, slos?: any[], monitoring: Partial<MonitoringProps> = {}) =>
    problemsOf((app) => {
      const p = new DistributedPlatform(app, 'p', { clusters: [{ name: 'a' }], submariner: { broker: 'a' }, monitoring: { global: GlobalTier.hierarchical({ cluster: 'a' }), ...monitoring } });
      new FederatedApp(p.addTenant('t'), 'x', { image: 'r.io/x:1', port: 80, metrics, slos });
      return p;
    }).map((x) => `${x.rule} ${x.prop}`);
  const rec = (r: any) => ({ recordingRules: [{ record: 'app:x:sum', expr: 'sum(up)', ...r }] });
  const alert = (a: any) => ({ alertingRules: [{ alert: 'XDown', expr: 'up == 0', summary: 'x is down', ...a }] });

  test.each([
    ['an SLO on an app without request signals', { signals: MetricSignals.none() }, [{ name: 'availability', kind: SloKind.AVAILABILITY, objective: 99 }], 'FP-SLO slos'],
    ['signals that are not a MetricSignals', { signals: 'grpc' }, undefined, 'FP-INPUT metrics.signals'],
    ['HTTP names both beside and inside signals', { signals: MetricSignals.http(), requestsMetric: 'reqs_total' }, undefined, 'FP-MONITORING metrics.requestsMetric'],
    ['an invalid gRPC metric name', { signals: MetricSignals.grpc({ requestsMetric: 'grpc-handled' }) }, undefined, 'K40 metrics.signals.requestsMetric'],
    ['no gRPC error codes', { signals: MetricSignals.grpc({ errorCodes: [] }) }, undefined, 'FP-MONITORING metrics.signals.errorCodes'],
    ['a record name with a dash', rec({ record: 'app:x-y:sum' }), undefined, 'K40 metrics.recordingRules[0].record'],
    ['a record name of the generated rules', rec({ record: 'app:requests:rate5m' }), undefined, 'K40 metrics.recordingRules[0].record'],
    ['unbalanced brackets', rec({ expr: 'sum(rate(x[5m])' }), undefined, 'K40 metrics.recordingRules[0].expr'],
    ['a closing brace that closes a parenthesis', rec({ expr: 'sum(x})' }), undefined, 'K40 metrics.recordingRules[0].expr'],
    ['an unterminated string', rec({ expr: 'x{job="a}' }), undefined, 'K40 metrics.recordingRules[0].expr'],
    ['an empty expression', rec({ expr: ' ' }), undefined, 'K40 metrics.recordingRules[0].expr'],
    ['a reserved label on a record', rec({ labels: { namespace: 'other' } }), undefined, 'K40 metrics.recordingRules[0].labels'],
    ['a label name with a dash', alert({ labels: { 'team-name': 'a' } }), undefined, 'K40 metrics.alertingRules[0].labels'],
    ['the severity as a label', alert({ labels: { severity: 'page' } }), undefined, 'K40 metrics.alertingRules[0].labels'],
    ['an alert name with a space', alert({ alert: 'X down' }), undefined, 'K40 metrics.alertingRules[0].alert'],
    ['an alert name of the generated rules', alert({ alert: 'XPodCrashLooping' }), undefined, 'K40 metrics.alertingRules[0].alert'],
    ['an unknown severity', alert({ severity: 'page' }), undefined, 'K40 metrics.alertingRules[0].severity'],
    ['a fractional-millisecond for', alert({ for: Duration.millis(1.5) }), undefined, 'K41 metrics.alertingRules[0].for'],
    ['for as a string', alert({ for: '5m' }), undefined, 'K41 metrics.alertingRules[0].for'],
    ['no summary', alert({ summary: '' }), undefined, 'K40 metrics.alertingRules[0].summary'],
    ['an unclosed template', alert({ description: 'pod {{ $labels.pod is down' }), undefined, 'K40 metrics.alertingRules[0].description'],
    ['summary as an annotation', alert({ annotations: { summary: 'x' } }), undefined, 'K40 metrics.alertingRules[0].annotations'],
    ['a panel without expressions', { panels: [{ title: 'x', expressions: [] }] }, undefined, 'FP-MONITORING metrics.panels[0].expressions'],
    ['a panel with a broken expression', { panels: [{ title: 'x', expressions: ['rate(x[5m]'] }] }, undefined, 'FP-MONITORING metrics.panels[0].expressions[0]'],
    ['a panel without a title', { panels: [{ title: '', expressions: ['up'] }] }, undefined, 'FP-MONITORING metrics.panels[0].title'],
    ['a panel unit as a string', { panels: [{ title: 'x', expressions: ['up'], unit: 'bytes' }] }, undefined, 'FP-INPUT metrics.panels[0].unit'],
  ] as Array<[string, any, any[] | undefined, string]>)('%s', (_title, metrics, slos, expected) => {
    expect(errors(metrics, slos)).toEqual([expected]);
  });

  test('two rules with one name, reported together with every other problem', () => {
    expect(errors({
      recordingRules: [{ record: 'app:a:sum', expr: 'sum(a)' }, { record: 'app:a:sum', expr: 'sum(b)' }],
      alertingRules: [{ alert: 'A', expr: 'a > 0', summary: 's' }, { alert: 'A', expr: 'a > 1', summary: 's', severity: 'page' }],
    })).toEqual(['K40 metrics.alertingRules[1].alert', 'K40 metrics.alertingRules[1].severity', 'K40 metrics.recordingRules[1].record']);
  });

  test('strings, comments and escapes do not confuse the bracket scan', () => {
    expect(errors(rec({ expr: 'sum(x{path=~"/a(b|c"}) # a comment with ( and {\n + count(y{q=\'}\\\'\'})' }))).toEqual([]);
  });

  test('prerequisites: a bad image and a bad job name', () => {
    expect(errors({}, undefined, { prerequisites: MonitoringPrerequisites.generate({ kubeStateMetricsImage: 'Bad Image' }) })).toEqual(['FP-IMAGE monitoring.prerequisites.kubeStateMetricsImage']);
    expect(errors({}, undefined, { prerequisites: MonitoringPrerequisites.assumeInstalled({ kubeStateMetricsJob: '' }) })).toEqual(['FP-MONITORING monitoring.prerequisites.kubeStateMetricsJob']);
    expect(errors({}, undefined, { prerequisites: 'generate' as any })).toEqual(['FP-INPUT monitoring.prerequisites']);
  });
});

test('a PodMonitor sets the service label the golden-signal rules select on, and validates strictly', () => {
  const out = synth((app) => {
    const p = new DistributedPlatform(app, 'p', { clusters: [{ name: 'a' }], submariner: { broker: 'a' }, monitoring: { global: GlobalTier.hierarchical({ cluster: 'a' }) } });
    new FederatedApp(p.addTenant('t'), 'api', { image: 'r.io/api:1', port: 8080, metrics: { podMonitor: true, signals: MetricSignals.grpc() } });
  });
  const pm = find(out, 'PodMonitor', 'api');
  expect(pm.spec.podMetricsEndpoints[0].relabelings).toEqual([{ targetLabel: 'service', replacement: 'api', action: 'replace' }]);
  expect(find(out, 'PrometheusRule', 'api').spec.groups[0].rules[0].expr).toContain('{namespace="t",service="api"}');
  expect(formatIssues(validator().validateAll(all(out)))).toBe('');
});
