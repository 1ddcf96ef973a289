/**
 * Operations of the collectors: Prometheus scrapes their own metrics (PodMonitor on :8888) and alerts when
 * exports fail, when data is dropped (a full sending queue) or refused (the memory limiter), and when a sending
 * queue fills up.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { createObject } from '../../core/l1';
import * as monitoring from '../../imports/monitoring.coreos.com';
import { RuleGroupSpec } from '../../model/monitoring';
import { METRICS_PORT } from './config';

/** Where the collectors' monitoring goes. */
export interface TelemetryAlertsIntent {
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** Labels the platform's Prometheus selects. */
  readonly monitoringLabels: Readonly<Record<string, string>>;
  readonly interval: string;
  readonly runbookBaseUrl: string;
}

const SIGNALS = '(log_records|spans)';

/** The collectors' alert rules, as in a rule file. */
export function telemetryRuleGroups(namespace: string, runbookBaseUrl: string, interval: string): RuleGroupSpec[] {
  const sel = (metric: string) => `{__name__=~"otelcol_${metric}_${SIGNALS}_total",namespace="${namespace}"}`;
  const by = 'sum by (namespace, pod, exporter)';
  const rule = (alert: string, expr: string, severity: string, forTime: string, summary: string, anchor: string) => ({
    alert, expr, for: forTime, labels: { severity },
    annotations: { summary, description: `${summary} Collector {{ $labels.pod }} in {{ $labels.namespace }}.`, runbook_url: `${runbookBaseUrl}#${anchor}` },
  });
  return [{
    name: 'telemetry-collectors',
    interval,
    rules: [
      rule('TelemetryExportFailing', `${by} (rate(${sel('exporter_send_failed')}[5m])) > 0`, 'warning', '10m',
        'A collector keeps failing to export logs or spans (exporter {{ $labels.exporter }}).', 'telemetry-export-failing'),
      rule('TelemetryDataDropped', `${by} (rate(${sel('exporter_enqueue_failed')}[5m])) > 0`, 'critical', '5m',
        'A collector drops logs or spans: the sending queue of exporter {{ $labels.exporter }} is full.', 'telemetry-data-dropped'),
      rule('TelemetryDataRefused', `sum by (namespace, pod, receiver) (rate(${sel('receiver_refused')}[5m])) > 0`, 'warning', '5m',
        'A collector refuses incoming logs or spans (memory limit reached).', 'telemetry-data-dropped'),
      rule('TelemetryExportQueueFilling', `max by (namespace, pod, exporter) (otelcol_exporter_queue_size{namespace="${namespace}"} / otelcol_exporter_queue_capacity{namespace="${namespace}"}) > 0.8`, 'warning', '10m',
        'The sending queue of exporter {{ $labels.exporter }} is over 80% full: its backend is slow or unreachable.', 'telemetry-export-failing'),
    ],
  }];
}

/** The PodMonitor of the collectors in a namespace and their PrometheusRule. */
export function renderTelemetryMonitoring(scope: Construct, t: TelemetryAlertsIntent): ApiObject[] {
  const metadata = { name: 'otel-collectors', namespace: t.namespace, labels: { ...t.labels, ...t.monitoringLabels } };
  return [
    createObject(scope, 'CollectorPodMonitor', monitoring.PodMonitor.GVK, monitoring.toJson_PodMonitorProps, {
      metadata,
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/component': 'opentelemetry-collector' } },
        namespaceSelector: { matchNames: [t.namespace] },
        podMetricsEndpoints: [{ portNumber: METRICS_PORT, path: '/metrics', interval: t.interval }],
      },
    }),
    createObject(scope, 'CollectorRules', monitoring.PrometheusRule.GVK, monitoring.toJson_PrometheusRuleProps, {
      metadata,
      spec: {
        groups: telemetryRuleGroups(t.namespace, t.runbookBaseUrl, t.interval).map((g) => ({
          name: g.name,
          interval: g.interval,
          rules: g.rules.map((r) => ({ ...r, expr: monitoring.PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr) })),
        })),
      },
    }),
  ];
}
