import { Slo } from '../../model/monitoring';

/** What the app sends to platform telemetry: its dashboard links to its logs and traces. */
export interface DashboardTelemetry {
  readonly logs: boolean;
  readonly traces: boolean;
}

/** A Grafana Explore URL of one query on a datasource variable. */
function exploreUrl(datasource: string, query: Record<string, unknown>): string {
  const panes = { a: { datasource, queries: [{ refId: 'A', datasource: { uid: datasource }, ...query }], range: { from: '${__from}', to: '${__to}' } } };
  return `/explore?schemaVersion=1&orgId=\${__org}&panes=${encodeURIComponent(JSON.stringify(panes))}`;
}

/** Data links of every panel (to the logs and traces of the clicked cluster), and the datasource variables they use. */
function telemetryLinks(namespace: string, app: string, t: DashboardTelemetry | undefined) {
  const links: Record<string, unknown>[] = [];
  const variables: Record<string, unknown>[] = [];
  if (t?.logs) {
    // Loki's OTLP ingestion indexes service.name and k8s.namespace.name; cluster is structured metadata.
    links.push({ title: 'Logs in ${__field.labels.cluster}', targetBlank: true, url: exploreUrl('${logs_datasource}', { expr: `{k8s_namespace_name="${namespace}", service_name="${app}"} | cluster="\${__field.labels.cluster}"` }) });
    variables.push({ name: 'logs_datasource', type: 'datasource', query: 'loki' });
  }
  if (t?.traces) {
    links.push({ title: 'Traces in ${__field.labels.cluster}', targetBlank: true, url: exploreUrl('${traces_datasource}', { queryType: 'traceql', query: `{ resource.service.name = "${app}" && resource.tenant = "${namespace}" && resource.cluster = "\${__field.labels.cluster}" }` }) });
    variables.push({ name: 'traces_datasource', type: 'datasource', query: 'tempo' });
  }
  return { links, variables };
}

/** Grafana dashboard (RED panels with a per-cluster breakdown) of one app, from its recorded series. */
export function appDashboard(namespace: string, app: string, slos: readonly Slo[], telemetry?: DashboardTelemetry): Record<string, unknown> {
  const sel = `namespace="${namespace}",app="${app}"`;
  const { links, variables } = telemetryLinks(namespace, app, telemetry);
  const panel = (id: number, title: string, expr: string, unit: string, x: number, y: number) => ({
    id,
    title,
    type: 'timeseries',
    datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { h: 8, w: 12, x, y },
    fieldConfig: { defaults: { unit, ...(links.length ? { links } : {}) }, overrides: [] },
    targets: [{ refId: 'A', expr, legendFormat: '{{cluster}}' }],
  });
  return {
    title: `${namespace} / ${app}`,
    uid: `fp-${namespace}-${app}`.slice(0, 40),
    tags: ['fleetplane', namespace],
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }, ...variables] },
    panels: [
      panel(1, 'Requests per second, by cluster', `sum by (cluster) (app:requests:rate5m{${sel}})`, 'reqps', 0, 0),
      panel(2, 'Error ratio, by cluster', `sum by (cluster) (app:request_errors:rate5m{${sel}}) / sum by (cluster) (app:requests:rate5m{${sel}})`, 'percentunit', 12, 0),
      panel(3, 'Latency p99, by cluster', `max by (cluster) (app:request_duration_seconds:p99_5m{${sel}})`, 's', 0, 8),
      panel(4, 'Latency p99, fleet (from buckets)', `histogram_quantile(0.99, sum by (le) (app_le:request_duration_buckets:rate5m{${sel}}))`, 's', 12, 8),
      ...slos.map((s, k) => panel(5 + k, `SLO ${s.name}: error ratio over 1h (objective ${s.objective}%)`, `max by (cluster) (app:slo_error_ratio:rate1h{${sel},slo="${s.name}"})`, 'percentunit', (k % 2) * 12, 16 + Math.floor(k / 2) * 8)),
    ],
  };
}

/** The fleet overview dashboard: every app's RED series side by side. */
export function fleetDashboard(platform: string): Record<string, unknown> {
  const panel = (id: number, title: string, expr: string, unit: string, x: number, y: number) => ({
    id, title, type: 'timeseries', datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { h: 9, w: 12, x, y }, fieldConfig: { defaults: { unit }, overrides: [] },
    targets: [{ refId: 'A', expr, legendFormat: '{{cluster}} {{namespace}}/{{app}}' }],
  });
  return {
    title: `${platform} fleet overview`,
    uid: `fp-fleet-${platform}`.slice(0, 40),
    tags: ['fleetplane'],
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }] },
    panels: [
      panel(1, 'Requests per second by app and cluster', 'sum by (cluster, namespace, app) (app:requests:rate5m)', 'reqps', 0, 0),
      panel(2, 'Error ratio by app and cluster', 'app:request_error_ratio:rate5m', 'percentunit', 12, 0),
      panel(3, 'Latency p99 by app and cluster', 'app:request_duration_seconds:p99_5m', 's', 0, 9),
      panel(4, 'Fastest-burning SLOs (1h error ratio)', 'topk(10, app:slo_error_ratio:rate1h)', 'percentunit', 12, 9),
    ],
  };
}
