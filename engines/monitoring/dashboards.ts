import { Slo } from '../../model/monitoring';
import { DashboardPanel, PanelType, PanelUnit } from '../../model/monitoring-signals';

/** What an app's dashboard shows. */
export interface AppDashboardInput {
  readonly namespace: string;
  readonly app: string;
  /** The app has request signals: RED panels, and one per SLO. */
  readonly requestSignals: boolean;
  readonly slos: readonly Slo[];
  /** kube-state-metrics is scraped: replica and restart panels. */
  readonly workloadSeries: boolean;
  /** The app's own panels, last. */
  readonly panels: readonly DashboardPanel[];
  /** The app's logs and traces in platform telemetry: every panel links to them. */
  readonly telemetry?: DashboardTelemetry;
}

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

/** A panel before layout. */
interface PanelSpec {
  readonly title: string;
  readonly targets: ReadonlyArray<{ readonly expr: string; readonly legend: string }>;
  readonly unit: string;
  readonly type: PanelType;
}

/**
 * Grafana dashboard of one app, by cluster, from its recorded series: RED and SLO panels when it has request
 * signals, replicas and restarts when kube-state-metrics is scraped, then its own panels; two per row.
 */
export function appDashboard(d: AppDashboardInput): Record<string, unknown> {
  const sel = `namespace="${d.namespace}",app="${d.app}"`;
  const { links, variables } = telemetryLinks(d.namespace, d.app, d.telemetry);
  const one = (title: string, expr: string, unit: string): PanelSpec => ({ title, targets: [{ expr, legend: '{{cluster}}' }], unit, type: PanelType.TIMESERIES });
  const specs: PanelSpec[] = [
    ...(d.requestSignals ? [
      one('Requests per second, by cluster', `sum by (cluster) (app:requests:rate5m{${sel}})`, 'reqps'),
      one('Error ratio, by cluster', `sum by (cluster) (app:request_errors:rate5m{${sel}}) / sum by (cluster) (app:requests:rate5m{${sel}})`, 'percentunit'),
      one('Latency p99, by cluster', `max by (cluster) (app:request_duration_seconds:p99_5m{${sel}})`, 's'),
      one('Latency p99, fleet (from buckets)', `histogram_quantile(0.99, sum by (le) (app_le:request_duration_buckets:rate5m{${sel}}))`, 's'),
      ...d.slos.map((s) => one(`SLO ${s.name}: error ratio over 1h (objective ${s.objective}%)`, `max by (cluster) (app:slo_error_ratio:rate1h{${sel},slo="${s.name}"})`, 'percentunit')),
    ] : []),
    ...(d.workloadSeries ? [
      {
        title: 'Replicas available and desired, by cluster',
        targets: [
          { expr: `sum by (cluster) (app:replicas_available:sum{${sel}})`, legend: '{{cluster}} available' },
          { expr: `sum by (cluster) (app:replicas_desired:sum{${sel}})`, legend: '{{cluster}} desired' },
        ],
        unit: 'short',
        type: PanelType.TIMESERIES,
      },
      one('Container restarts in the last hour, by cluster', `sum by (cluster) (app:container_restarts:increase1h{${sel}})`, 'short'),
    ] : []),
    ...d.panels.map((p) => ({
      title: p.title,
      targets: p.expressions.map((expr) => ({ expr, legend: p.legend ?? '{{cluster}}' })),
      unit: (p.unit ?? PanelUnit.SHORT).id,
      type: p.type ?? PanelType.TIMESERIES,
    })),
  ];
  return {
    title: `${d.namespace} / ${d.app}`,
    uid: `fp-${d.namespace}-${d.app}`.slice(0, 40),
    tags: ['fleetplane', d.namespace],
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }, ...variables] },
    panels: specs.map((p, k) => renderPanel(p, k, links)),
  };
}

/** The k-th panel, two per row. */
function renderPanel(p: PanelSpec, k: number, links: readonly Record<string, unknown>[]): Record<string, unknown> {
  return {
    id: k + 1,
    title: p.title,
    type: p.type,
    datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { h: 8, w: 12, x: (k % 2) * 12, y: Math.floor(k / 2) * 8 },
    fieldConfig: { defaults: { unit: p.unit, ...(links.length ? { links } : {}) }, overrides: [] },
    // A stat panel shows the last value, not the mean Grafana would otherwise reduce to.
    ...(p.type === PanelType.STAT ? { options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false } } } : {}),
    targets: p.targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), expr: t.expr, legendFormat: t.legend })),
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
