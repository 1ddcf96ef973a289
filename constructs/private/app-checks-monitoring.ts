/** Checks of a FederatedApp's metrics scraping and SLOs (rules 40-42). */
import { promDuration } from '../../core/duration';
import { ProblemSink } from '../../core/problems';
import { AppMetrics, Slo, SloKind } from '../../model/monitoring';
import { GrpcCode, MetricSignals, SignalKind } from '../../model/monitoring-signals';
import { checkOwnRules, checkPanels } from './app-checks-monitoring-rules';

/** Default bucket boundaries of Istio's request-duration histogram, in milliseconds. */
const ISTIO_BUCKETS_MS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

/** What the monitoring checks need to know about the app and platform. */
export interface MonitoringCheckContext {
  /** The platform has monitoring. */
  readonly monitored: boolean;
  /** Names of the app's ports. */
  readonly portNames: readonly string[];
  /** The app's pods carry sidecars, so latency comes from Istio's histogram. */
  readonly meshed: boolean;
  /** Record and alert names of the app's generated rules. */
  readonly generated: { readonly records: readonly string[]; readonly alerts: readonly string[] };
  /** kube-state-metrics is scraped in the members. */
  readonly workloadSeries: boolean;
  /** node-exporter is scraped in the members. */
  readonly nodeSeries: boolean;
}

/** Metrics and SLOs need platform monitoring; SLOs need metrics. */
export function checkMonitoring(sink: ProblemSink, metrics: AppMetrics | undefined, slos: Slo[] | undefined, ctx: MonitoringCheckContext): void {
  if (!metrics && !slos) return;
  if (!ctx.monitored) sink.error('FP-MONITORING', metrics ? 'metrics' : 'slos', metrics ?? slos, 'the platform has no monitoring.', 'declare `monitoring` on the DistributedPlatform.');
  if (slos && !metrics) sink.error('FP-MONITORING', 'slos', slos, 'SLOs are computed from the app\'s request metrics, which are not scraped.', 'set `metrics` as well.');
  if (metrics) {
    checkMetrics(sink, metrics, ctx.portNames);
    checkSignals(sink, metrics);
    checkOwnRules(sink, metrics.recordingRules, metrics.alertingRules, { generatedRecords: ctx.generated.records, generatedAlerts: ctx.generated.alerts, workloadSeries: ctx.workloadSeries, nodeSeries: ctx.nodeSeries });
    checkPanels(sink, metrics.panels);
  }
  if (slos && slos.length > 0 && metrics?.signals instanceof MetricSignals && metrics.signals.kind === SignalKind.NONE) {
    sink.error('FP-SLO', 'slos', slos.map((s) => s?.name), 'SLOs are computed from request signals, and `metrics.signals` is MetricSignals.none().', 'use MetricSignals.http() or MetricSignals.grpc(), or express the objective as your own metrics.alertingRules.');
  }
  checkSlos(sink, slos ?? [], ctx.meshed);
}

/** Signals are a MetricSignals, never beside the deprecated HTTP names, with valid metric names and codes. */
function checkSignals(sink: ProblemSink, m: AppMetrics): void {
  const signals: unknown = m.signals;
  if (signals === undefined) return;
  if (!(signals instanceof MetricSignals)) {
    sink.error('FP-INPUT', 'metrics.signals', signals, 'expected a MetricSignals.', 'use MetricSignals.http(), MetricSignals.grpc() or MetricSignals.none().');
    return;
  }
  const legacy = (['requestsMetric', 'statusLabel', 'durationMetric'] as const).filter((k) => m[k] !== undefined);
  if (legacy.length > 0) sink.error('FP-MONITORING', `metrics.${legacy[0]}`, m[legacy[0]], 'the HTTP metric names are set both here and through `signals`.', `move them into MetricSignals.http({ ${legacy.join(', ')} }).`);
  const names = { ...(signals.http ?? {}), ...(signals.grpc ?? {}) } as Record<string, unknown>;
  for (const k of ['requestsMetric', 'statusLabel', 'durationMetric', 'codeLabel']) {
    const v = names[k];
    if (v !== undefined && !(typeof v === 'string' && /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(v))) sink.error('K40', `metrics.signals.${k}`, v, 'not a valid Prometheus metric or label name.', 'use letters, digits, "_" and ":".');
  }
  const codes: unknown = signals.grpc?.errorCodes;
  if (codes !== undefined && !(Array.isArray(codes) && codes.length > 0 && codes.every((c) => Object.values(GrpcCode).includes(c)))) {
    sink.error('FP-MONITORING', 'metrics.signals.errorCodes', codes, 'error codes are a non-empty list of GrpcCode values.', 'use e.g. [GrpcCode.INTERNAL, GrpcCode.UNAVAILABLE], or leave the default.');
  }
}

/** The scraped port, path, timing and metric names (rules 40-42). */
function checkMetrics(sink: ProblemSink, m: AppMetrics, names: readonly string[]): void {
  if (m.port !== undefined ? !names.includes(m.port) : names.length === 0) {
    sink.error('K42', 'metrics.port', m.port, m.port !== undefined ? `the app's Service has no port named "${m.port}", so the ServiceMonitor would select nothing.` : 'the app exposes no port to scrape.', `use one of: ${names.join(', ') || 'declare a port'}.`);
  }
  if (m.path !== undefined && !m.path.startsWith('/')) sink.error('FP-MONITORING', 'metrics.path', m.path, 'a metrics path starts with "/".', 'use e.g. "/metrics".');
  if (m.interval && m.scrapeTimeout && m.scrapeTimeout.toSeconds() > m.interval.toSeconds()) sink.error('K41', 'metrics.scrapeTimeout', promDuration(m.scrapeTimeout), `the scrape timeout exceeds the interval (${promDuration(m.interval)}).`, 'make scrapeTimeout at most the interval.');
  for (const [k, v] of Object.entries({ requestsMetric: m.requestsMetric, durationMetric: m.durationMetric, statusLabel: m.statusLabel })) {
    if (v !== undefined && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(v)) sink.error('K40', `metrics.${k}`, v, 'not a valid Prometheus metric or label name.', 'use letters, digits, "_" and ":".');
  }
}

/** SLO names, objectives, kinds and latency thresholds. */
function checkSlos(sink: ProblemSink, slos: readonly Slo[], meshed: boolean): void {
  const sloNames = new Set<string>();
  slos.forEach((slo, i) => {
    const at = `slos[${i}]`;
    if (typeof slo?.name !== 'string' || !/^[a-z][a-z0-9-]{0,40}$/.test(slo.name)) sink.error('K40', `${at}.name`, slo?.name, 'an SLO name is a short lower-case identifier (letters, digits, "-").', 'use e.g. "availability".');
    if (sloNames.has(slo?.name)) sink.error('K40', `${at}.name`, slo.name, 'SLO names must be unique per app.', 'rename the SLO.');
    sloNames.add(slo?.name);
    if (!(typeof slo?.objective === 'number' && slo.objective > 0 && slo.objective < 100)) sink.error('FP-SLO', `${at}.objective`, slo?.objective, 'an objective is a percentage strictly between 0 and 100.', 'use e.g. 99.9.');
    if (!Object.values(SloKind).includes(slo?.kind)) sink.error('FP-SLO', `${at}.kind`, slo?.kind, 'unknown SLO kind.', 'use SloKind.AVAILABILITY or SloKind.LATENCY.');
    if (slo?.kind === SloKind.LATENCY && !(slo.latencyThreshold && slo.latencyThreshold.toMilliseconds() > 0)) sink.error('FP-SLO', `${at}.latencyThreshold`, undefined, 'a latency SLO needs a threshold.', 'set latencyThreshold, e.g. Duration.millis(300) (a bucket boundary of the histogram).');
    if (slo?.kind === SloKind.LATENCY && slo.latencyThreshold && meshed && !ISTIO_BUCKETS_MS.includes(slo.latencyThreshold.toMilliseconds())) {
      sink.error('FP-SLO', `${at}.latencyThreshold`, `${slo.latencyThreshold.toMilliseconds()}ms`, 'the threshold is not a bucket boundary of istio_request_duration_milliseconds, so the SLO could not be computed.', `use one of ${ISTIO_BUCKETS_MS.join(', ')} ms.`);
    }
  });
}

/** Clusters the app runs on must have the platform's Prometheus when it is scraped. */
export function checkAppOnMonitoredClusters(sink: ProblemSink, candidates: readonly string[], monitoredClusters: readonly string[]): void {
  const unmonitored = candidates.filter((c) => !monitoredClusters.includes(c));
  if (unmonitored.length > 0) {
    sink.error('FP-MONITORING', 'metrics', unmonitored, `the app runs on ${unmonitored.join(', ')}, where the platform has no Prometheus; its monitoring objects would have no CRDs and no scraper there.`, 'add those clusters to monitoring.clusters, or place the app on monitored clusters.');
  }
}
