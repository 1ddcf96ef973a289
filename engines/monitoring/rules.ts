import { promDuration } from '../../core/duration';
import { Slo, RuleGroupSpec, RuleSpec, SloKind } from '../../model/monitoring';
import { AlertingRule, AlertSeverity, RecordingRule } from '../../model/monitoring-signals';
import { formatNumber, SignalSource } from './signals';

/** Burn-rate windows of the multi-window, multi-burn-rate alerts (Google SRE workbook, ch. 5). */
export const BURN_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

/** Record name prefix of per-app series; the federation `match[]` selects exactly these. */
export const APP_RECORD_PREFIX = 'app:';

/** Everything needed to generate one app's rules. */
export interface AppRuleInput {
  readonly namespace: string;
  readonly app: string;
  /** The request signals; undefined for `MetricSignals.none()` (no golden signals, no SLOs). */
  readonly source: SignalSource | undefined;
  readonly slos: readonly Slo[];
  readonly workloadKind: 'Deployment' | 'StatefulSet';
  /** Names of the workloads (stable and canary). */
  readonly workloads: readonly string[];
  /** A native HorizontalPodAutoscaler exists (direct mode): alert when it is pinned at its maximum. */
  readonly hpa: boolean;
  readonly runbookBaseUrl: string;
  readonly interval: string;
  /** kube-state-metrics is scraped in the members, so the workload rules can be computed. */
  readonly workloadSeries: boolean;
  /** The app's own recording rules. */
  readonly recordingRules: readonly RecordingRule[];
  /** The app's own alerting rules. */
  readonly alertingRules: readonly AlertingRule[];
  /**
   * A progressive delivery gates on each SLO per workload over this window (the analysis interval).
   * @default - no canary rules
   */
  readonly canaryWindow?: string;
}

/** Golden signals, SLO, workload and the app's own rules, as rule groups; each group only when it has rules. */
export function appRuleGroups(i: AppRuleInput): RuleGroupSpec[] {
  const source = i.source;
  return [
    ...(source ? [redGroup(i, source), ...i.slos.map((slo) => sloGroup(i, source, slo))] : []),
    ...(source && i.canaryWindow ? [canaryGroup(i, source, i.canaryWindow)] : []),
    ...(i.workloadSeries ? [workloadGroup(i)] : []),
    ...(i.recordingRules.length + i.alertingRules.length > 0 ? [ownGroup(i)] : []),
  ];
}

/** Per-workload SLO error ratios: what a canary analysis compares (the canary workload against its budget). */
export const WORKLOAD_SLO_RECORD = 'app_workload:slo_error_ratio:rate';

/** The bad-request ratio of an SLO over a window, summed by `by` (nothing: over the whole app). */
function badRatio(source: SignalSource, slo: Slo, w: string, by?: string): string {
  const sum = by ? `sum by (${by}) ` : 'sum';
  return slo.kind === SloKind.AVAILABILITY
    ? `${sum}(rate(${source.errors}[${w}])) / ${sum}(rate(${source.requests}[${w}]))`
    : `1 - (${sum}(rate(${withLe(source.buckets, source.le(slo.latencyThreshold!.toMilliseconds() / 1000))}[${w}])) / ${sum}(rate(${source.count}[${w}])))`;
}

/** Each SLO's error ratio per workload (`destination_workload`) over the analysis window. */
function canaryGroup(i: AppRuleInput, source: SignalSource, window: string): RuleGroupSpec {
  return {
    name: `${i.namespace}-${i.app}.canary`,
    interval: i.interval,
    rules: i.slos.map((slo) => ({ record: `${WORKLOAD_SLO_RECORD}${window}`, expr: badRatio(source, slo, window, 'destination_workload'), labels: { ...appLabels(i), slo: slo.name } })),
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
function redGroup(i: AppRuleInput, source: SignalSource): RuleGroupSpec {
  const labels = appLabels(i);
  const sel = appSelector(i);
  const rec = (record: string, expr: string): RuleSpec => ({ record, expr, labels });
  const red: RuleSpec[] = [
    rec('app:requests:rate5m', `sum(rate(${source.requests}[5m]))`),
    rec('app:request_errors:rate5m', `sum(rate(${source.errors}[5m]))`),
    rec('app:request_error_ratio:rate5m', `app:request_errors:rate5m{${sel}} / app:requests:rate5m{${sel}}`),
    // Buckets are recorded by `le`, so the global tier can still compute fleet-wide quantiles.
    rec('app_le:request_duration_buckets:rate5m', `sum by (le) (rate(${source.buckets}[5m]))`),
    ...[0.5, 0.9, 0.99].map((q) =>
      rec(`app:request_duration_seconds:p${Math.round(q * 100)}_5m`, `histogram_quantile(${q}, app_le:request_duration_buckets:rate5m{${sel}})${source.unitsPerSecond !== 1 ? ` / ${source.unitsPerSecond}` : ''}`),
    ),
  ];
  return { name: `${i.namespace}-${i.app}.red`, interval: i.interval, rules: red };
}

/** One SLO: its error ratio over every burn window, and the fast and slow burn-rate alerts. */
function sloGroup(i: AppRuleInput, source: SignalSource, slo: Slo): RuleGroupSpec {
  const sel = appSelector(i);
  const budget = formatNumber(1 - slo.objective / 100);
  const bad = (w: string) => badRatio(source, slo, w);
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
  const rules = [...workloadRecords(i), crashLoopAlert(i), unavailableAlert(i)];
  if (i.hpa) rules.push(autoscalerAtMaximumAlert(i));
  return { name: `${i.namespace}-${i.app}.workload`, rules };
}

/**
 * The pods of the app's workloads, and no other app's: `web-.*` would also match the pods of `web-api`. A
 * Deployment's pods are `<name>-<pod-template-hash>-<5 chars>`, a StatefulSet's `<name>-<ordinal>`.
 */
function podRegex(i: AppRuleInput): string {
  const suffix = i.workloadKind === 'Deployment' ? '-[a-z0-9]{1,10}-[a-z0-9]{5}' : '-[0-9]+';
  return `(${i.workloads.join('|')})${suffix}`;
}

/** Replicas and restarts per app, recorded under `app:` so the global tier gets them for the dashboard. */
function workloadRecords(i: AppRuleInput): RuleSpec[] {
  const labels = appLabels(i);
  const ns = `namespace="${i.namespace}"`;
  const names = i.workloads.join('|');
  const [desired, ready] = i.workloadKind === 'Deployment'
    ? [`kube_deployment_spec_replicas{${ns},deployment=~"${names}"}`, `kube_deployment_status_replicas_available{${ns},deployment=~"${names}"}`]
    : [`kube_statefulset_replicas{${ns},statefulset=~"${names}"}`, `kube_statefulset_status_replicas_ready{${ns},statefulset=~"${names}"}`];
  return [
    { record: 'app:replicas_desired:sum', expr: `sum(${desired})`, labels },
    { record: 'app:replicas_available:sum', expr: `sum(${ready})`, labels },
    { record: 'app:container_restarts:increase1h', expr: `sum(increase(kube_pod_container_status_restarts_total{${ns},pod=~"${podRegex(i)}"}[1h]))`, labels },
  ];
}

function crashLoopAlert(i: AppRuleInput): RuleSpec {
  return {
    alert: `${pascal(i.app)}PodCrashLooping`,
    expr: `max_over_time(kube_pod_container_status_waiting_reason{namespace="${i.namespace}",pod=~"${podRegex(i)}",reason="CrashLoopBackOff"}[5m]) >= 1`,
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

/**
 * A native HorizontalPodAutoscaler pinned at its maximum (direct mode). With a canary each version has its own
 * HPA, named like its workload; a version taking no traffic is held at min = max, which is not an alert.
 */
function autoscalerAtMaximumAlert(i: AppRuleInput): RuleSpec {
  const versioned = i.workloads.length > 1;
  const hsel = `namespace="${i.namespace}",horizontalpodautoscaler${versioned ? `=~"${i.workloads.join('|')}"` : `="${i.app}"`}`;
  const atMax = `kube_horizontalpodautoscaler_status_current_replicas{${hsel}} >= kube_horizontalpodautoscaler_spec_max_replicas{${hsel}}`;
  return {
    alert: `${pascal(i.app)}AutoscalerAtMaximum`,
    expr: versioned ? `(${atMax}) and (kube_horizontalpodautoscaler_spec_max_replicas{${hsel}} > kube_horizontalpodautoscaler_spec_min_replicas{${hsel}})` : atMax,
    for: '15m',
    labels: { ...appLabels(i), severity: 'warning' },
    annotations: {
      summary: `The autoscaler of ${i.app} is pinned at its maximum`,
      description: 'It has run at maxReplicas for 15 minutes; demand may exceed capacity.',
      runbook_url: `${i.runbookBaseUrl}#autoscaler-at-maximum`,
    },
  };
}

/** The app's own rules: recording rules first, so its alerts may use them in the same evaluation. */
function ownGroup(i: AppRuleInput): RuleGroupSpec {
  const labels = appLabels(i);
  const records: RuleSpec[] = i.recordingRules.map((r) => ({ record: r.record, expr: r.expr, labels: { ...(r.labels ?? {}), ...labels } }));
  const alerts: RuleSpec[] = i.alertingRules.map((a) => ({
    alert: a.alert,
    expr: a.expr,
    for: a.for ? promDuration(a.for) : undefined,
    keep_firing_for: a.keepFiringFor ? promDuration(a.keepFiringFor) : undefined,
    labels: { ...(a.labels ?? {}), ...labels, severity: a.severity ?? AlertSeverity.WARNING },
    annotations: {
      ...(a.annotations ?? {}),
      summary: a.summary,
      ...(a.description !== undefined ? { description: a.description } : {}),
      ...(a.runbookUrl !== undefined ? { runbook_url: a.runbookUrl } : {}),
    },
  }));
  return { name: `${i.namespace}-${i.app}.custom`, interval: i.interval, rules: [...records, ...alerts] };
}

/** Names of the generated records and alerts of an app, which its own rules must not reuse. */
export function generatedRuleNames(app: string, slos: readonly Slo[]): { records: string[]; alerts: string[] } {
  const title = pascal(app);
  return {
    records: [
      'app:requests:rate5m', 'app:request_errors:rate5m', 'app:request_error_ratio:rate5m', 'app_le:request_duration_buckets:rate5m',
      ...[50, 90, 99].map((q) => `app:request_duration_seconds:p${q}_5m`), ...BURN_WINDOWS.map((w) => `app:slo_error_ratio:rate${w}`),
      'app:replicas_desired:sum', 'app:replicas_available:sum', 'app:container_restarts:increase1h',
    ],
    alerts: [
      ...slos.flatMap((s) => (typeof s?.name === 'string' ? [`${title}${pascal(s.name)}ErrorBudgetBurnFast`, `${title}${pascal(s.name)}ErrorBudgetBurnSlow`] : [])),
      `${title}PodCrashLooping`, `${title}ReplicasUnavailable`, `${title}AutoscalerAtMaximum`,
    ],
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
