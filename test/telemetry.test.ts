// Platform telemetry: the collectors of the traced shop in both delivery modes and both tiers, validated strictly;
// every collector configuration checked for what the collector refuses; the tenant routing, the Istio tracing
// provider, the per-app logs and tracing, the network paths, and the collectors' alerts under promtool.
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { App } from 'cdk8s';
import { DeliveryMode, DistributedPlatform } from '../index';
import { buildTracedShop } from '../examples/traced-shop/platform';
import { podNamePattern } from '../engines/telemetry/logs';
import { telemetryRuleGroups } from '../engines/telemetry/alerts';
import { re2ToRegExp } from '../core/re2';
import { SchemaValidator, formatIssues } from './support/schema-validator';
import { collectorConfigProblems } from './support/otel-config';
import { pick, every } from './support/fixtures';
import { promtool } from './support/promtool';
import { Output, all, synth, tmpDir } from './support/synth';

const SYSTEMS = ['karmada', 'istio', 'prometheus-operator', 'opentelemetry'];
const validator = () => SchemaValidator.load({ kubernetesVersion: 'v1.33.0', systems: SYSTEMS });

let platform: DistributedPlatform;
const build = (options: Parameters<typeof buildTracedShop>[1]) => synth((app: App) => { platform = buildTracedShop(app, options); });
const file = (cluster: string) => `traced-shop-cluster-${cluster}.k8s.yaml`;
const collector = (out: Output, name: string, cluster: string, ns = 'telemetry') => pick(out, 'OpenTelemetryCollector', name, { file: file(cluster), ns });

describe.each([
  ['karmada delivery, global gateway', DeliveryMode.KARMADA, true],
  ['direct delivery, direct export', DeliveryMode.DIRECT, false],
] as const)('traced shop: %s', (_title, delivery, globalGateway) => {
  let out: Output;
  beforeAll(() => {
    out = build({ delivery, globalGateway });
  });

  test('every object validates strictly, OpenTelemetryCollector at v1beta1 and Instrumentation at v1alpha1', () => {
    const objects = all(out);
    expect(formatIssues(validator().validateAll(objects))).toBe('');
    const collectors = objects.filter((o) => o.kind === 'OpenTelemetryCollector');
    expect(collectors.length).toBe(globalGateway ? 7 : 6);
    for (const c of collectors) expect(c.apiVersion).toBe('opentelemetry.io/v1beta1');
    expect(objects.filter((o) => o.kind === 'Instrumentation').every((o) => o.apiVersion === 'opentelemetry.io/v1alpha1')).toBe(true);
    fs.mkdirSync(path.join(__dirname, '..', '.test-results'), { recursive: true });
    fs.appendFileSync(path.join(__dirname, '..', '.test-results', 'validated-objects.txt'), `traced-shop (${delivery}) ${objects.length}\n`);
  });

  test('every collector configuration is one the collector starts with', () => {
    for (const c of all(out).filter((o) => o.kind === 'OpenTelemetryCollector')) {
      expect({ collector: `${c.metadata.namespace}/${c.metadata.name}`, problems: collectorConfigProblems(c.spec.config) }).toEqual({ collector: `${c.metadata.namespace}/${c.metadata.name}`, problems: [] });
    }
  });

  test.each(['bj-1', 'bj-2', 'sh-1'])('the agent in %s: DaemonSet, filelog per app, k8sattributes, cluster/region equal to the Prometheus external labels, tenant from the namespace', (cluster) => {
    const agent = collector(out, 'otel-agent', cluster);
    expect(agent.spec.mode).toBe('daemonset');
    const cfg = agent.spec.config;
    expect(Object.keys(cfg.receivers).sort()).toEqual(['filelog/commerce_catalog', 'filelog/commerce_checkout', 'filelog/storefront_web', 'otlp']);
    expect(cfg.service.pipelines['logs/files'].processors).toEqual(['memory_limiter', 'k8sattributes', 'resource/identity', 'batch']);
    // OTLP senders cannot choose their tenant: spoofable attributes are dropped before k8sattributes derives them.
    for (const p of ['traces', 'logs/otlp']) expect(cfg.service.pipelines[p].processors.slice(1, 3)).toEqual(['resource/untrusted', 'k8sattributes']);
    expect(cfg.processors['resource/untrusted'].attributes.map((a: any) => a.key)).toEqual(expect.arrayContaining(['tenant', 'k8s.namespace.name', 'k8s.pod.uid']));
    const identity = Object.fromEntries(cfg.processors['resource/identity'].attributes.map((a: any) => [a.key, a.value ?? `from:${a.from_attribute}`]));
    const prometheus = pick(out, 'Prometheus', 'fleet', { file: file(cluster) });
    expect({ cluster: identity.cluster, region: identity.region }).toEqual(prometheus.spec.externalLabels);
    expect(identity.tenant).toBe('from:k8s.namespace.name');
    expect(cfg.exporters['otlp/gateway'].endpoint).toBe('otel-gateway-collector.telemetry.svc.cluster.local:4317');
    // Container logs: read-only hostPath, the namespace says privileged (rule 7), RBAC for k8sattributes.
    expect(agent.spec.volumeMounts).toEqual([{ name: 'varlogpods', mountPath: '/var/log/pods', readOnly: true }]);
    expect(pick(out, 'Namespace', 'telemetry', { file: file(cluster) }).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    const role = pick(out, 'ClusterRole', 'telemetry-otel-agent', { file: file(cluster) });
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(agent.spec.serviceAccount).toBe('otel-agent');
    // Through the platform registry.
    expect(agent.spec.image).toBe('registry.example.com/otel/opentelemetry-collector-contrib:0.158.0');
  });

  test('the exporting tier routes every tenant to its own Loki and Tempo exporters (X-Scope-OrgID), and nothing else', () => {
    const exporting = globalGateway ? [collector(out, 'otel-global', 'bj-1', 'telemetry-global')] : ['bj-1', 'bj-2', 'sh-1'].map((c) => collector(out, 'otel-gateway', c));
    for (const gw of exporting) {
      const cfg = gw.spec.config;
      for (const signal of ['logs', 'traces']) {
        expect(cfg.connectors[`routing/${signal}`].table).toEqual([
          { context: 'resource', condition: 'attributes["tenant"] == "commerce"', pipelines: [`${signal}/commerce`] },
          { context: 'resource', condition: 'attributes["tenant"] == "storefront"', pipelines: [`${signal}/storefront`] },
        ]);
        expect(cfg.connectors[`routing/${signal}`].default_pipelines).toBeUndefined();
      }
      expect(cfg.service.pipelines['logs/storefront']).toEqual({ receivers: ['routing/logs'], exporters: ['otlphttp/logs-storefront'] });
      expect(cfg.exporters['otlphttp/logs-storefront']).toMatchObject({ endpoint: 'http://loki-gateway.loki.svc.cluster.local:3100/otlp', headers: { 'X-Scope-OrgID': 'storefront' } });
      expect(cfg.exporters['otlphttp/logs-commerce'].headers).toEqual({ 'X-Scope-OrgID': 'commerce' });
      expect(cfg.exporters['otlp/traces-commerce']).toMatchObject({ endpoint: 'tempo-distributor.tempo.svc.cluster.local:4317', tls: { insecure: true }, headers: { 'X-Scope-OrgID': 'commerce' } });
    }
  });

  test('Istio: each tenant Telemetry names the provider meshInstallValues declares, pointing at the node agent', () => {
    const tel = every(out, 'Telemetry', 'default', { ns: 'storefront' });
    expect(tel.length).toBeGreaterThan(0);
    for (const t of tel) expect(t.spec.tracing).toEqual([{ providers: [{ name: 'otel-tracing' }], randomSamplingPercentage: 5 }]);
    for (const c of ['bj-1', 'bj-2', 'sh-1']) {
      expect(platform.meshInstallValues(c)!.meshConfig.extensionProviders).toEqual([{ name: 'otel-tracing', opentelemetry: { service: 'otel-agent-collector.telemetry.svc.cluster.local', port: 4317 } }]);
    }
    // The REGISTRY_ONLY Sidecar of a meshed service still sees the agent.
    for (const s of every(out, 'Sidecar', 'web', { ns: 'storefront' })) expect(s.spec.egress[0].hosts).toContain('telemetry/*');
    expect(every(out, 'Telemetry', 'default', { ns: 'commerce' })).toEqual([]);
  });

  test('auto-instrumentation: an Instrumentation per app, the operator annotation on its pods, placed with the app', () => {
    const inst = every(out, 'Instrumentation', 'web', { ns: 'storefront' })[0];
    expect(inst.spec).toMatchObject({
      exporter: { endpoint: 'http://otel-agent-collector.telemetry.svc.cluster.local:4318' },
      sampler: { type: 'parentbased_traceidratio', argument: '0.1' },
      initContainerSecurityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false },
    });
    const web = every(out, 'Deployment', 'web', { ns: 'storefront' })[0];
    expect(web.spec.template.metadata.annotations).toMatchObject({ 'instrumentation.opentelemetry.io/inject-java': 'web', 'instrumentation.opentelemetry.io/container-names': 'app' });
    const catalog = every(out, 'Deployment', 'catalog', { ns: 'commerce' })[0];
    expect(catalog.spec.template.metadata.annotations['instrumentation.opentelemetry.io/inject-python']).toBe('catalog');
    if (delivery === DeliveryMode.KARMADA) {
      const pp = pick(out, 'PropagationPolicy', 'web', { ns: 'storefront' });
      expect(pp.spec.resourceSelectors).toContainEqual({ apiVersion: 'opentelemetry.io/v1alpha1', kind: 'Instrumentation', name: 'web' });
    }
    // An app with its own SDK gets OTEL_* env instead, and no Instrumentation.
    const checkout = every(out, 'Deployment', 'checkout', { ns: 'commerce' })[0];
    const env = Object.fromEntries(checkout.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-agent-collector.telemetry.svc.cluster.local:4318', OTEL_TRACES_SAMPLER_ARG: '0.5', OTEL_SERVICE_NAME: 'checkout' });
    expect(every(out, 'Instrumentation', 'checkout')).toEqual([]);
  });

  test('network: tenants keep default-deny and may reach only the agent; the collectors deny by default and open their paths', () => {
    for (const ns of ['storefront', 'commerce']) {
      expect(every(out, 'NetworkPolicy', 'default-deny', { ns }).length).toBeGreaterThan(0);
      for (const p of every(out, 'NetworkPolicy', 'allow-telemetry', { ns })) {
        expect(p.spec.egress).toEqual([{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'telemetry' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'otel-agent-collector' } } }], ports: [{ protocol: 'TCP', port: 4317 }, { protocol: 'TCP', port: 4318 }] }]);
      }
    }
    const policy = (name: string, cluster = 'bj-2', ns = 'telemetry') => pick(out, 'NetworkPolicy', name, { file: file(cluster), ns });
    expect(policy('default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(policy('otel-gateway-ingress').spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'otel-agent-collector' } } }]);
    expect(policy('otel-gateway-egress').spec.egress[0].ports.map((p: any) => p.port)).toEqual(globalGateway ? [4317] : [3100, 4317]);
    if (globalGateway) {
      expect(policy('otel-global-ingress', 'bj-1', 'telemetry-global').spec.ingress[0].from).toEqual(['10.16.0.0/16', '10.17.0.0/16', '10.32.0.0/16'].map((cidr) => ({ ipBlock: { cidr } })));
    }
  });

  test(globalGateway ? 'members forward to the global gateway by a clusterset name whose ServiceExport is emitted' : 'no global gateway', () => {
    const members = ['bj-1', 'bj-2', 'sh-1'].map((c) => collector(out, 'otel-gateway', c));
    if (!globalGateway) {
      expect(every(out, 'OpenTelemetryCollector', 'otel-global')).toEqual([]);
      return;
    }
    for (const m of members) {
      expect(Object.keys(m.spec.config.exporters)).toEqual(['otlp/global']);
      expect(m.spec.config.exporters['otlp/global'].endpoint).toBe('otel-global-collector.telemetry-global.svc.clusterset.local:4317');
    }
    const exp = pick(out, 'ServiceExport', 'otel-global-collector', { file: file('bj-1'), ns: 'telemetry-global' });
    expect(exp.metadata.namespace).toBe('telemetry-global');
  });
});

describe('filelog parsing', () => {
  test('the pod-name filter keeps the app\'s pods only (a Deployment web never reads web-admin)', () => {
    const re = re2ToRegExp(podNamePattern([{ name: 'web', kind: 'Deployment' }, { name: 'web-v2', kind: 'Deployment' }]));
    expect(['web-7d9f8c6b5-x2bqz', 'web-v2-5d4c9b8f7-bcdfg'].every((p) => re.test(p))).toBe(true);
    expect(['web-admin-7d9f8c6b5-x2bqz', 'web-7d9f8c6b5', 'webx-7d9f8c6b5-x2bqz'].some((p) => re.test(p))).toBe(false);
    const sts = re2ToRegExp(podNamePattern([{ name: 'db', kind: 'StatefulSet' }]));
    expect([sts.test('db-0'), sts.test('db-12'), sts.test('db-x')]).toEqual([true, true, false]);
  });

  test('the catalog receiver: container parser, pod filter, recombine, exclusion, then the regex parser with severity', () => {
    const out = build({});
    const cfg = collector(out, 'otel-agent', 'sh-1').spec.config;
    const r = cfg.receivers['filelog/commerce_catalog'];
    expect(r.include).toEqual(['/var/log/pods/commerce_catalog-*_*/app/*.log']);
    expect(r.operators.map((o: any) => o.type)).toEqual(['container', 'filter', 'recombine', 'filter', 'regex_parser']);
    expect(r.operators[2]).toMatchObject({ combine_field: 'body', is_first_entry: 'body matches "^\\\\d{4}-\\\\d{2}-\\\\d{2}T"' });
    expect(r.operators[4]).toMatchObject({ regex: '^(?P<time>\\S+) (?P<level>[A-Z]+) (?P<logger>\\S+): (?P<message>.*)$', severity: { parse_from: 'attributes.level' } });
    const web = cfg.receivers['filelog/storefront_web'].operators;
    expect(web.at(-1)).toMatchObject({ type: 'json_parser', timestamp: { parse_from: 'attributes.ts' }, severity: { parse_from: 'attributes.level' } });
  });
});

describe('the configuration check catches what the collector refuses', () => {
  const good = () => YAML.parse(YAML.stringify(collector(build({}), 'otel-global', 'bj-1', 'telemetry-global').spec.config));
  test('an undefined exporter, an unused processor, a half-used connector, a bad filelog regex', () => {
    const cfg = good();
    cfg.service.pipelines['logs/commerce'].exporters = ['otlphttp/logs-nobody'];
    cfg.processors['resource/extra'] = { attributes: [] };
    delete cfg.service.pipelines['traces/in'];
    expect(collectorConfigProblems(cfg)).toEqual(expect.arrayContaining([
      'service.pipelines.logs/commerce: references exporter "otlphttp/logs-nobody" which is not configured',
      'processors.resource/extra: configured but used in no pipeline',
      'exporters.otlphttp/logs-commerce: configured but used in no pipeline',
      'connectors.routing/traces: not used as an exporter in any pipeline',
    ]));
    const agent = YAML.parse(YAML.stringify(collector(build({}), 'otel-agent', 'bj-1').spec.config));
    agent.receivers['filelog/commerce_catalog'].operators[4].regex = '^(?<=x)(\\w+)$';
    agent.receivers['filelog/commerce_catalog'].operators[1].expr = 'body matches "(a"';
    const problems = collectorConfigProblems(agent);
    expect(problems.some((p) => p.includes('operators[4].regex') && p.includes('lookahead and lookbehind'))).toBe(true);
    expect(problems.some((p) => p.includes('operators[1]') && p.includes('does not compile'))).toBe(true);
  });
});

describe('collector alerts pass promtool', () => {
  test('rules check, and export failures fire while healthy collectors stay silent', () => {
    const dir = tmpDir('fp-otel-promtool-');
    const rules = path.join(dir, 'rules.yaml');
    fs.writeFileSync(rules, YAML.stringify({ groups: telemetryRuleGroups('telemetry', 'https://runbooks.example.com', '30s') }));
    const check = promtool(['check', 'rules', rules]);
    expect(check.output).toContain('SUCCESS');
    expect(check.ok).toBe(true);
    const series = (name: string, pod: string, values: string) => ({ series: `${name}{namespace="telemetry",pod="${pod}",exporter="otlp/global"}`, values });
    fs.writeFileSync(path.join(dir, 'test.yaml'), YAML.stringify({
      rule_files: ['rules.yaml'],
      evaluation_interval: '30s',
      tests: [{
        interval: '1m',
        input_series: [
          series('otelcol_exporter_send_failed_spans_total', 'broken', '0+10x30'),
          series('otelcol_exporter_send_failed_log_records_total', 'healthy', '0+0x30'),
          series('otelcol_exporter_enqueue_failed_log_records_total', 'broken', '0+5x30'),
          series('otelcol_exporter_queue_size', 'broken', '900+0x30'),
          series('otelcol_exporter_queue_capacity', 'broken', '1000+0x30'),
        ],
        alert_rule_test: [
          { eval_time: '20m', alertname: 'TelemetryExportFailing', exp_alerts: [{ exp_labels: { severity: 'warning', namespace: 'telemetry', pod: 'broken', exporter: 'otlp/global' }, exp_annotations: { summary: 'A collector keeps failing to export logs or spans (exporter otlp/global).', description: 'A collector keeps failing to export logs or spans (exporter otlp/global). Collector broken in telemetry.', runbook_url: 'https://runbooks.example.com#telemetry-export-failing' } }] },
          { eval_time: '20m', alertname: 'TelemetryDataDropped', exp_alerts: [{ exp_labels: { severity: 'critical', namespace: 'telemetry', pod: 'broken', exporter: 'otlp/global' }, exp_annotations: { summary: 'A collector drops logs or spans: the sending queue of exporter otlp/global is full.', description: 'A collector drops logs or spans: the sending queue of exporter otlp/global is full. Collector broken in telemetry.', runbook_url: 'https://runbooks.example.com#telemetry-data-dropped' } }] },
          { eval_time: '20m', alertname: 'TelemetryDataRefused', exp_alerts: [] },
          { eval_time: '5m', alertname: 'TelemetryExportFailing', exp_alerts: [] },
        ],
      }],
    }));
    const res = promtool(['test', 'rules', 'test.yaml'], dir);
    expect(res.output).toContain('SUCCESS');
  });

  test('the collectors are scraped and alerted on where a member Prometheus runs', () => {
    const out = build({});
    const rule = pick(out, 'PrometheusRule', 'otel-collectors', { file: file('sh-1'), ns: 'telemetry' });
    expect(rule.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(rule.spec.groups[0].rules.map((r: any) => r.alert)).toEqual(['TelemetryExportFailing', 'TelemetryDataDropped', 'TelemetryDataRefused', 'TelemetryExportQueueFilling']);
    const pm = pick(out, 'PodMonitor', 'otel-collectors', { file: file('sh-1'), ns: 'telemetry' });
    expect(pm.spec.podMetricsEndpoints[0].portNumber).toBe(8888);
    expect(pick(out, 'NetworkPolicy', 'allow-prometheus', { file: file('sh-1'), ns: 'telemetry' }).spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8888 }]);
  });
});

describe('operations: the app dashboard links to its logs and traces', () => {
  test('every panel of web\'s dashboard has Grafana data links to Loki and Tempo for the clicked cluster', () => {
    const out = build({});
    const cm = every(out, 'ConfigMap', 'web-dashboard', { ns: 'storefront' })[0];
    const dashboard = JSON.parse(Object.values<string>(cm.data)[0]);
    expect(dashboard.templating.list.map((v: any) => v.query)).toEqual(['prometheus', 'loki', 'tempo']);
    for (const panel of dashboard.panels) {
      const [logs, traces] = panel.fieldConfig.defaults.links;
      expect(logs.title).toBe('Logs in ${__field.labels.cluster}');
      const logsPane = JSON.parse(decodeURIComponent(logs.url.split('panes=')[1])).a;
      expect(logsPane.datasource).toBe('${logs_datasource}');
      expect(logsPane.queries[0].expr).toBe('{k8s_namespace_name="storefront", service_name="web"} | cluster="${__field.labels.cluster}"');
      const tracesPane = JSON.parse(decodeURIComponent(traces.url.split('panes=')[1])).a;
      expect(tracesPane.queries[0]).toMatchObject({ queryType: 'traceql', query: '{ resource.service.name = "web" && resource.tenant = "storefront" && resource.cluster = "${__field.labels.cluster}" }' });
    }
  });
});
