/**
 * Unified monitoring: the platform's Prometheus tiers, and per-application scraping, golden-signal recording
 * rules, SLO burn-rate alerts, workload alerts and Grafana dashboards, generated as PromQL that `promtool`
 * checks and unit-tests.
 */
import { Duration } from 'cdk8s';
import { ClusterSelector } from './cluster';
import { ResourceRequirements } from './workload';

/** How the fleet-wide (global) tier sees every member. */
export class GlobalTier {
  /**
   * Hierarchical federation: a global Prometheus scrapes each member's `/federate` for the recording-rule
   * series only, with `honor_labels`, each member at its own address.
   */
  public static hierarchical(props: GlobalTierProps): GlobalTier {
    return new GlobalTier('hierarchical', props);
  }

  /** Thanos: a sidecar next to every member Prometheus and a Thanos Query in the global cluster. */
  public static thanos(props: GlobalTierProps & { readonly image?: string }): GlobalTier {
    return new GlobalTier('thanos', props);
  }

  private constructor(
    /** Federation or Thanos. */
    public readonly kind: 'hierarchical' | 'thanos',
    /** Where the global tier lives and how it reaches members. */
    public readonly props: GlobalTierProps & { readonly image?: string },
  ) {}
}

/** Where the global tier lives and how it reaches each member. */
export interface GlobalTierProps {
  /** Cluster that hosts the global tier. */
  readonly cluster: string;
  /**
   * Namespace of the global tier.
   * @default 'monitoring-global'
   */
  readonly namespace?: string;
  /**
   * Address of one member's Prometheus (`host:port`); Thanos uses the same host on port 10901.
   * Each member must have its own address: never a round-robin (clusterset) name.
   * @default - the Submariner cluster-pinned name `<cluster>.prometheus-operated.<namespace>.svc.clusterset.local:9090`
   */
  readonly memberAddress?: (cluster: string) => string;
}

/** A receiver of alerts (AlertmanagerConfig). Secrets are referenced, never inlined. */
export interface AlertReceiver {
  /** Receiver name, unique in the tenant. */
  readonly name: string;
  /**
   * Webhook: the Secret key holding the URL.
   * @default - none
   */
  readonly webhookUrlSecret?: SecretKeyRef;
  /**
   * Slack: the Secret key holding the incoming-webhook URL, and the channel.
   * @default - none
   */
  readonly slack?: { readonly apiUrlSecret: SecretKeyRef; readonly channel: string };
  /**
   * Email: recipient, sender, smarthost, and the Secret key holding the SMTP password.
   * @default - none
   */
  readonly email?: { readonly to: string; readonly from: string; readonly smarthost: string; readonly authUsername?: string; readonly authPasswordSecret?: SecretKeyRef };
}

/** A key of a Secret in the same namespace. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** A tenant's alert routing. */
export interface AlertRouting {
  /** Receivers. */
  readonly receivers: AlertReceiver[];
  /** Receiver of the root route. */
  readonly defaultReceiver: string;
  /**
   * Critical alerts go here instead.
   * @default - the default receiver
   */
  readonly criticalReceiver?: string;
  /**
   * Labels to group by.
   * @default ['alertname', 'cluster', 'app']
   */
  readonly groupBy?: string[];
  /** @default Duration.minutes(4 * 60) */
  readonly repeatInterval?: Duration;
}

/** Platform monitoring. */
export interface MonitoringProps {
  /** The global tier. */
  readonly global: GlobalTier;
  /**
   * Clusters with a member Prometheus.
   * @default - every cloud cluster
   */
  readonly clusters?: ClusterSelector;
  /**
   * Namespace of each member's Prometheus.
   * @default 'monitoring'
   */
  readonly namespace?: string;
  /**
   * Labels every monitoring object carries and every Prometheus selects on (kube-prometheus-stack's
   * `release: <release>` convention).
   * @default { release: 'kube-prometheus-stack' }
   */
  readonly selectorLabels?: Record<string, string>;
  /**
   * Retention of member Prometheus data.
   * @default '15d'
   */
  readonly retention?: string;
  /**
   * Resources of each Prometheus.
   * @default - cpu 500m; memory 2Gi request, 4Gi limit
   */
  readonly resources?: ResourceRequirements;
  /**
   * Scrape and rule evaluation interval.
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;
  /**
   * Grafana sidecar label for dashboard ConfigMaps.
   * @default { grafana_dashboard: '1' }
   */
  readonly dashboardLabel?: Record<string, string>;
  /**
   * Base URL of the runbooks linked from alerts (`<base>#<anchor>`).
   * @default 'https://github.com/fleetplane/fleetplane/blob/main/docs/runbooks.md'
   */
  readonly runbookBaseUrl?: string;
}

/** Scraping of the application's own metrics. */
export interface AppMetrics {
  /**
   * Name of the app port serving metrics.
   * @default - the first port
   */
  readonly port?: string;
  /** @default '/metrics' */
  readonly path?: string;
  /** @default - the platform interval */
  readonly interval?: Duration;
  /** @default - Prometheus default (10s, at most the interval) */
  readonly scrapeTimeout?: Duration;
  /**
   * Scrape pods directly (PodMonitor) instead of through the Service.
   * @default false
   */
  readonly podMonitor?: boolean;
  /**
   * Request counter of the app's HTTP metrics (ignored for a MeshedService, which uses Istio's).
   * @default 'http_requests_total'
   */
  readonly requestsMetric?: string;
  /**
   * Label of the counter holding the HTTP status code.
   * @default 'code'
   */
  readonly statusLabel?: string;
  /**
   * Request-duration histogram, in seconds (without `_bucket`).
   * @default 'http_request_duration_seconds'
   */
  readonly durationMetric?: string;
}

/** Kinds of service-level objective. */
export enum SloKind {
  /** Share of requests that do not fail with a 5xx. */
  AVAILABILITY = 'availability',
  /** Share of requests faster than a threshold. */
  LATENCY = 'latency',
}

/** A service-level objective; becomes multi-window, multi-burn-rate alerts. */
export interface Slo {
  /** Name (a label value), e.g. `availability`. */
  readonly name: string;
  /** Availability or latency. */
  readonly kind: SloKind;
  /** Objective in percent, e.g. 99.9 (strictly between 0 and 100). */
  readonly objective: number;
  /**
   * Latency threshold; must be a bucket boundary of the duration histogram.
   * @default - required for latency SLOs
   */
  readonly latencyThreshold?: Duration;
}

/** Where request metrics of an app come from. */
export interface SignalSource {
  /** Selector of the request counter, e.g. `http_requests_total{namespace="shop",service="web"}`. */
  readonly requests: string;
  /** The same with only server errors. */
  readonly errors: string;
  /** Histogram buckets selector (with `_bucket`). */
  readonly buckets: string;
  /** Divide quantiles by this to get seconds (1000 for Istio's milliseconds). */
  readonly unitsPerSecond: number;
  /** Histogram count selector (`_count`). */
  readonly count: string;
  /** Bucket label value for a threshold in seconds. */
  readonly le: (seconds: number) => string;
}

/** Request metrics of an app: Istio's for a MeshedService, the app's own HTTP metrics otherwise. */
export function signalSource(namespace: string, app: string, meshed: boolean, m: AppMetrics | undefined): SignalSource {
  if (meshed) {
    const sel = `reporter="destination",destination_service_namespace="${namespace}",destination_service_name="${app}"`;
    return {
      requests: `istio_requests_total{${sel}}`,
      errors: `istio_requests_total{${sel},response_code=~"5.."}`,
      buckets: `istio_request_duration_milliseconds_bucket{${sel}}`,
      count: `istio_request_duration_milliseconds_count{${sel}}`,
      unitsPerSecond: 1000,
      le: (s) => formatNumber(s * 1000),
    };
  }
  const sel = `namespace="${namespace}",service="${app}"`;
  const requests = m?.requestsMetric ?? 'http_requests_total';
  const status = m?.statusLabel ?? 'code';
  const duration = m?.durationMetric ?? 'http_request_duration_seconds';
  return {
    requests: `${requests}{${sel}}`,
    errors: `${requests}{${sel},${status}=~"5.."}`,
    buckets: `${duration}_bucket{${sel}}`,
    count: `${duration}_count{${sel}}`,
    unitsPerSecond: 1,
    le: (s) => formatNumber(s),
  };
}

function formatNumber(n: number): string {
  return String(Number(n.toPrecision(12)));
}

/** A rule as in a Prometheus rule file. */
export interface RuleSpec {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** A rule group as in a Prometheus rule file (and a PrometheusRule's `spec.groups[]`). */
export interface RuleGroupSpec {
  readonly name: string;
  readonly interval?: string;
  readonly rules: RuleSpec[];
}

/** Burn-rate windows of the multi-window, multi-burn-rate alerts (Google SRE workbook, ch. 5). */
export const BURN_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

/** Record name prefix of per-app series; the federation `match[]` selects exactly these. */
export const APP_RECORD_PREFIX = 'app:';

/** Everything needed to generate one app's rules. */
export interface AppRuleInput {
  readonly namespace: string;
  readonly app: string;
  readonly source: SignalSource;
  readonly slos: readonly Slo[];
  readonly workloadKind: 'Deployment' | 'StatefulSet';
  /** Names of the workloads (stable and canary). */
  readonly workloads: readonly string[];
  /** A native HorizontalPodAutoscaler exists (direct mode): alert when it is pinned at its maximum. */
  readonly hpa: boolean;
  readonly runbookBaseUrl: string;
  readonly interval: string;
}

/** A PromQL duration string for a Duration (`30s`, `5m`, `2h`). */
export function promDuration(d: Duration): string {
  const ms = d.toMilliseconds();
  if (ms % 1000 !== 0) return `${ms}ms`;
  const s = ms / 1000;
  if (s % 86400 === 0) return `${s / 86400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** Golden signals, SLO and workload rules of one app, as rule groups. */
export function appRuleGroups(i: AppRuleInput): RuleGroupSpec[] {
  const labels = { namespace: i.namespace, app: i.app };
  const sel = `namespace="${i.namespace}",app="${i.app}"`;
  const rec = (record: string, expr: string): RuleSpec => ({ record, expr, labels });
  const red: RuleSpec[] = [
    rec('app:requests:rate5m', `sum(rate(${i.source.requests}[5m]))`),
    rec('app:request_errors:rate5m', `sum(rate(${i.source.errors}[5m]))`),
    rec('app:request_error_ratio:rate5m', `app:request_errors:rate5m{${sel}} / app:requests:rate5m{${sel}}`),
    // Buckets are recorded by `le`, so the global tier can still compute fleet-wide quantiles.
    rec('app_le:request_duration_buckets:rate5m', `sum by (le) (rate(${i.source.buckets}[5m]))`),
    ...[0.5, 0.9, 0.99].map((q) =>
      rec(`app:request_duration_seconds:p${Math.round(q * 100)}_5m`, `histogram_quantile(${q}, app_le:request_duration_buckets:rate5m{${sel}})${i.source.unitsPerSecond !== 1 ? ` / ${i.source.unitsPerSecond}` : ''}`),
    ),
  ];
  const groups: RuleGroupSpec[] = [{ name: `${i.namespace}-${i.app}.red`, interval: i.interval, rules: red }];

  for (const slo of i.slos) {
    const budget = formatNumber(1 - slo.objective / 100);
    const bad = (w: string) =>
      slo.kind === SloKind.AVAILABILITY
        ? `sum(rate(${i.source.errors}[${w}])) / sum(rate(${i.source.requests}[${w}]))`
        : `1 - (sum(rate(${withLe(i.source.buckets, i.source.le(slo.latencyThreshold!.toMilliseconds() / 1000))}[${w}])) / sum(rate(${i.source.count}[${w}])))`;
    const sloLabels = { ...labels, slo: slo.name };
    const ratio = (w: string) => `app:slo_error_ratio:rate${w}{${sel},slo="${slo.name}"}`;
    const burn = (long: string, short: string, factor: number) =>
      `(${ratio(long)} > ${factor} * ${budget} and ${ratio(short)} > ${factor} * ${budget})`;
    const title = `${pascal(i.app)}${pascal(slo.name)}`;
    const what = slo.kind === SloKind.AVAILABILITY ? 'error' : `slower than ${promDuration(slo.latencyThreshold!)}`;
    groups.push({
      name: `${i.namespace}-${i.app}.slo-${slo.name}`,
      interval: i.interval,
      rules: [
        ...BURN_WINDOWS.map((w) => ({ record: `app:slo_error_ratio:rate${w}`, expr: bad(w), labels: sloLabels })),
        {
          alert: `${title}ErrorBudgetBurnFast`,
          expr: `${burn('1h', '5m', 14.4)} or ${burn('6h', '30m', 6)}`,
          for: '2m',
          labels: { ...sloLabels, severity: 'critical' },
          annotations: {
            summary: `${i.app} in {{ $labels.namespace }} burns its ${slo.objective}% ${slo.name} error budget fast`,
            description: `The ${what} ratio would exhaust a 30-day error budget within 2 to 5 days.`,
            runbook_url: `${i.runbookBaseUrl}#error-budget-burn`,
          },
        },
        {
          alert: `${title}ErrorBudgetBurnSlow`,
          expr: `${burn('1d', '2h', 3)} or ${burn('3d', '6h', 1)}`,
          for: '15m',
          labels: { ...sloLabels, severity: 'warning' },
          annotations: {
            summary: `${i.app} in {{ $labels.namespace }} burns its ${slo.objective}% ${slo.name} error budget`,
            description: `The ${what} ratio would exhaust a 30-day error budget within 10 to 30 days.`,
            runbook_url: `${i.runbookBaseUrl}#error-budget-burn`,
          },
        },
      ],
    });
  }

  const podRegex = i.workloads.map((w) => `${w}-.*`).join('|');
  const workloadAlerts: RuleSpec[] = [
    {
      alert: `${pascal(i.app)}PodCrashLooping`,
      expr: `max_over_time(kube_pod_container_status_waiting_reason{namespace="${i.namespace}",pod=~"${podRegex}",reason="CrashLoopBackOff"}[5m]) >= 1`,
      for: '15m',
      labels: { ...labels, severity: 'warning' },
      annotations: {
        summary: `A pod of ${i.app} is crash-looping`,
        description: 'Pod {{ $labels.pod }} (container {{ $labels.container }}) has been in CrashLoopBackOff for 15 minutes.',
        runbook_url: `${i.runbookBaseUrl}#pod-crash-looping`,
      },
    },
    {
      alert: `${pascal(i.app)}ReplicasUnavailable`,
      expr:
        i.workloadKind === 'Deployment'
          ? `kube_deployment_status_replicas_unavailable{namespace="${i.namespace}",deployment=~"${i.workloads.join('|')}"} > 0`
          : `(kube_statefulset_status_replicas{namespace="${i.namespace}",statefulset=~"${i.workloads.join('|')}"} - kube_statefulset_status_replicas_ready{namespace="${i.namespace}",statefulset=~"${i.workloads.join('|')}"}) > 0`,
      for: '15m',
      labels: { ...labels, severity: 'warning' },
      annotations: {
        summary: `${i.app} has unavailable replicas`,
        description: `Some replicas of {{ $labels.namespace }}/${i.app} have been unavailable for 15 minutes.`,
        runbook_url: `${i.runbookBaseUrl}#replicas-unavailable`,
      },
    },
  ];
  if (i.hpa) {
    const hsel = `namespace="${i.namespace}",horizontalpodautoscaler="${i.app}"`;
    workloadAlerts.push({
      alert: `${pascal(i.app)}AutoscalerAtMaximum`,
      expr: `kube_horizontalpodautoscaler_status_current_replicas{${hsel}} >= kube_horizontalpodautoscaler_spec_max_replicas{${hsel}}`,
      for: '15m',
      labels: { ...labels, severity: 'warning' },
      annotations: {
        summary: `The autoscaler of ${i.app} is pinned at its maximum`,
        description: 'It has run at maxReplicas for 15 minutes; demand may exceed capacity.',
        runbook_url: `${i.runbookBaseUrl}#autoscaler-at-maximum`,
      },
    });
  }
  groups.push({ name: `${i.namespace}-${i.app}.workload`, rules: workloadAlerts });
  return groups;
}

/** Adds an `le` matcher to a selector `metric{...}`. */
function withLe(selector: string, le: string): string {
  return selector.replace(/\}$/, `,le="${le}"}`);
}

function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

/** Grafana dashboard (RED panels with a per-cluster breakdown) of one app, from its recorded series. */
export function appDashboard(namespace: string, app: string, slos: readonly Slo[]): Record<string, unknown> {
  const sel = `namespace="${namespace}",app="${app}"`;
  const panel = (id: number, title: string, expr: string, unit: string, x: number, y: number) => ({
    id,
    title,
    type: 'timeseries',
    datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { h: 8, w: 12, x, y },
    fieldConfig: { defaults: { unit }, overrides: [] },
    targets: [{ refId: 'A', expr, legendFormat: '{{cluster}}' }],
  });
  return {
    title: `${namespace} / ${app}`,
    uid: `fp-${namespace}-${app}`.slice(0, 40),
    tags: ['fleetplane', namespace],
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }] },
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

/** The operator's duration pattern (rule 41). */
export function isPromDuration(s: string): boolean {
  return /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/.test(s) && s !== '';
}
