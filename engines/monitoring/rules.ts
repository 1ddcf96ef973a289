import { promDuration } from '../../core/duration';
import { AppMetrics, Slo, RuleGroupSpec, RuleSpec, SloKind } from '../../model/monitoring';

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

/**
 * Request metrics of an app: Istio's for a MeshedService, the app's own HTTP metrics otherwise. An app under
 * Flagger (`workloads`) is selected by its workloads: Flagger routes requests to its `<app>-primary` and
 * `<app>-canary` Services, so Istio reports those as the destination service, never `<app>`.
 */
export function signalSource(namespace: string, app: string, meshed: boolean, m: AppMetrics | undefined, workloads?: readonly string[]): SignalSource {
  if (meshed) {
    const sel = workloads
      ? `reporter="destination",destination_workload_namespace="${namespace}",destination_workload=~"${workloads.join('|')}"`
      : `reporter="destination",destination_service_namespace="${namespace}",destination_service_name="${app}"`;
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
  /**
   * A progressive delivery gates on each SLO per workload over this window (the analysis interval).
   * @default - no canary rules
   */
  readonly canaryWindow?: string;
}

/** Golden signals, SLO and workload rules of one app, as rule groups. */
export function appRuleGroups(i: AppRuleInput): RuleGroupSpec[] {
  return [redGroup(i), ...i.slos.map((slo) => sloGroup(i, slo)), ...(i.canaryWindow ? [canaryGroup(i, i.canaryWindow)] : []), workloadGroup(i)];
}

/** Per-workload SLO error ratios: what a canary analysis compares (the canary workload against its budget). */
export const WORKLOAD_SLO_RECORD = 'app_workload:slo_error_ratio:rate';

/** The bad-request ratio of an SLO over a window, summed by `by` (nothing: over the whole app). */
function badRatio(i: AppRuleInput, slo: Slo, w: string, by?: string): string {
  const sum = by ? `sum by (${by}) ` : 'sum';
  return slo.kind === SloKind.AVAILABILITY
    ? `${sum}(rate(${i.source.errors}[${w}])) / ${sum}(rate(${i.source.requests}[${w}]))`
    : `1 - (${sum}(rate(${withLe(i.source.buckets, i.source.le(slo.latencyThreshold!.toMilliseconds() / 1000))}[${w}])) / ${sum}(rate(${i.source.count}[${w}])))`;
}

/** Each SLO's error ratio per workload (`destination_workload`) over the analysis window. */
function canaryGroup(i: AppRuleInput, window: string): RuleGroupSpec {
  return {
    name: `${i.namespace}-${i.app}.canary`,
    interval: i.interval,
    rules: i.slos.map((slo) => ({ record: `${WORKLOAD_SLO_RECORD}${window}`, expr: badRatio(i, slo, window, 'destination_workload'), labels: { ...appLabels(i), slo: slo.name } })),
  };
}

/** A gate: a PromQL query returning a burn rate, and the highest burn rate that passes. */
export interface BurnRateGate {
  readonly slo: string;
  readonly query: string;
  readonly maxBurnRate: number;
}

/**
 * The canary gate of one SLO: the burn rate of the canary workload's error budget over the analysis window, read
 * from the app's recorded per-workload series (so the canary is judged by the definition the alerts use).
 */
export function canaryGate(namespace: string, app: string, slo: Slo, window: string, workload: string, maxBurnRate: number): BurnRateGate {
  const budget = formatNumber(1 - slo.objective / 100);
  return {
    slo: slo.name,
    query: `max(${WORKLOAD_SLO_RECORD}${window}{namespace="${namespace}",app="${app}",slo="${slo.name}",destination_workload="${workload}"}) / ${budget}`,
    maxBurnRate,
  };
}

/**
 * The gate of a rollout wave for one SLO: the burn rate in each cluster already rolled out over `window`, read by
 * the global tier from the members' recorded SLO series (each carries its member's `cluster` external label).
 */
export function waveGate(namespace: string, app: string, slo: Slo, window: string, clusters: readonly string[], maxBurnRate: number): BurnRateGate {
  const budget = formatNumber(1 - slo.objective / 100);
  return {
    slo: slo.name,
    query: `max by (cluster) (app:slo_error_ratio:rate${window}{namespace="${namespace}",app="${app}",slo="${slo.name}",cluster=~"${clusters.join('|')}"}) / ${budget}`,
    maxBurnRate,
  };
}

/** Labels of every rule of the app. */
function appLabels(i: AppRuleInput): Record<string, string> {
  return { namespace: i.namespace, app: i.app };
}

/** Selector of the app's recorded series. */
function appSelector(i: AppRuleInput): string {
  return `namespace="${i.namespace}",app="${i.app}"`;
}

/** Request rate, errors and duration (RED), recorded per app. */
function redGroup(i: AppRuleInput): RuleGroupSpec {
  const labels = appLabels(i);
  const sel = appSelector(i);
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
  return { name: `${i.namespace}-${i.app}.red`, interval: i.interval, rules: red };
}

/** One SLO: its error ratio over every burn window, and the fast and slow burn-rate alerts. */
function sloGroup(i: AppRuleInput, slo: Slo): RuleGroupSpec {
  const sel = appSelector(i);
  const budget = formatNumber(1 - slo.objective / 100);
  const bad = (w: string) => badRatio(i, slo, w);
  const sloLabels = { ...appLabels(i), slo: slo.name };
  const ratio = (w: string) => `app:slo_error_ratio:rate${w}{${sel},slo="${slo.name}"}`;
  const burn = (long: string, short: string, factor: number) =>
    `(${ratio(long)} > ${factor} * ${budget} and ${ratio(short)} > ${factor} * ${budget})`;
  const title = `${pascal(i.app)}${pascal(slo.name)}`;
  const what = slo.kind === SloKind.AVAILABILITY ? 'error' : `slower than ${promDuration(slo.latencyThreshold!)}`;
  return {
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
  };
}

/** Alerts on the workloads themselves: crash loops, unavailable replicas, an autoscaler at its maximum. */
function workloadGroup(i: AppRuleInput): RuleGroupSpec {
  const rules = [crashLoopAlert(i), unavailableAlert(i)];
  if (i.hpa) rules.push(autoscalerAtMaximumAlert(i));
  return { name: `${i.namespace}-${i.app}.workload`, rules };
}

function crashLoopAlert(i: AppRuleInput): RuleSpec {
  const podRegex = i.workloads.map((w) => `${w}-.*`).join('|');
  return {
    alert: `${pascal(i.app)}PodCrashLooping`,
    expr: `max_over_time(kube_pod_container_status_waiting_reason{namespace="${i.namespace}",pod=~"${podRegex}",reason="CrashLoopBackOff"}[5m]) >= 1`,
    for: '15m',
    labels: { ...appLabels(i), severity: 'warning' },
    annotations: {
      summary: `A pod of ${i.app} is crash-looping`,
      description: 'Pod {{ $labels.pod }} (container {{ $labels.container }}) has been in CrashLoopBackOff for 15 minutes.',
      runbook_url: `${i.runbookBaseUrl}#pod-crash-looping`,
    },
  };
}

function unavailableAlert(i: AppRuleInput): RuleSpec {
  return {
    alert: `${pascal(i.app)}ReplicasUnavailable`,
    expr:
      i.workloadKind === 'Deployment'
        ? `kube_deployment_status_replicas_unavailable{namespace="${i.namespace}",deployment=~"${i.workloads.join('|')}"} > 0`
        : `(kube_statefulset_status_replicas{namespace="${i.namespace}",statefulset=~"${i.workloads.join('|')}"} - kube_statefulset_status_replicas_ready{namespace="${i.namespace}",statefulset=~"${i.workloads.join('|')}"}) > 0`,
    for: '15m',
    labels: { ...appLabels(i), severity: 'warning' },
    annotations: {
      summary: `${i.app} has unavailable replicas`,
      description: `Some replicas of {{ $labels.namespace }}/${i.app} have been unavailable for 15 minutes.`,
      runbook_url: `${i.runbookBaseUrl}#replicas-unavailable`,
    },
  };
}

/** A native HorizontalPodAutoscaler pinned at its maximum (direct mode). */
function autoscalerAtMaximumAlert(i: AppRuleInput): RuleSpec {
  const hsel = `namespace="${i.namespace}",horizontalpodautoscaler="${i.app}"`;
  return {
    alert: `${pascal(i.app)}AutoscalerAtMaximum`,
    expr: `kube_horizontalpodautoscaler_status_current_replicas{${hsel}} >= kube_horizontalpodautoscaler_spec_max_replicas{${hsel}}`,
    for: '15m',
    labels: { ...appLabels(i), severity: 'warning' },
    annotations: {
      summary: `The autoscaler of ${i.app} is pinned at its maximum`,
      description: 'It has run at maxReplicas for 15 minutes; demand may exceed capacity.',
      runbook_url: `${i.runbookBaseUrl}#autoscaler-at-maximum`,
    },
  };
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
