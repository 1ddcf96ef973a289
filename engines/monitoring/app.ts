/**
 * Monitoring of one app: how Prometheus scrapes it (ServiceMonitor, or a PodMonitor for meshed pods and on
 * request), its rules (golden signals, SLO burn rates, workload alerts) and its Grafana dashboard.
 */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { promDuration } from '../../core/duration';
import { createObject } from '../../core/l1';
import * as monitoring from '../../imports/monitoring.coreos.com';
import { AppMetrics, RuleGroupSpec, Slo } from '../../model/monitoring';
import { DashboardPanel } from '../../model/monitoring-signals';
import { appDashboard, DashboardTelemetry } from './dashboards';

/** The scraped port of an app. */
export interface MetricsPort {
  readonly name: string;
  readonly port: number;
}

/** One app's monitoring, resolved. */
export interface AppMonitoringInput {
  /** App name. */
  readonly name: string;
  /** The tenant namespace. */
  readonly namespace: string;
  /** Labels of every object of the app. */
  readonly labels: Record<string, string>;
  /** Labels selecting the app's pods and Service. */
  readonly selectorLabels: Record<string, string>;
  /** Pods carry Istio sidecars (STRICT mTLS): scrape the sidecar's merged metrics. */
  readonly meshed: boolean;
  /** How the app is scraped. */
  readonly metrics: AppMetrics;
  /** The port scraped. */
  readonly port: MetricsPort;
  /** Labels every monitoring object carries so that the platform's Prometheus selects it. */
  readonly monitoringLabels: Readonly<Record<string, string>>;
  /** Grafana sidecar label of dashboard ConfigMaps. */
  readonly dashboardLabel: Readonly<Record<string, string>>;
  /** The platform's scrape interval (when `metrics.interval` is not set). */
  readonly interval: string;
  /** The app's rule groups. */
  readonly ruleGroups: readonly RuleGroupSpec[];
  /** The app's SLOs (a dashboard panel each). */
  readonly slos: readonly Slo[];
  /** The app has request signals (RED panels). */
  readonly requestSignals: boolean;
  /** kube-state-metrics is scraped (workload panels). */
  readonly workloadSeries: boolean;
  /** The app's own dashboard panels. */
  readonly panels: readonly DashboardPanel[];
  /** The app's logs and traces in platform telemetry: its dashboard links to them. */
  readonly telemetry?: DashboardTelemetry;
}

/**
 * Pod annotations of a meshed app: Istio merges the app's metrics into the sidecar's :15020 when told
 * where they are. Undefined when the pods are not meshed or not scraped.
 */
export function meshedScrapeAnnotations(metrics: AppMetrics | undefined, meshed: boolean, port: MetricsPort | undefined): Record<string, string> | undefined {
  if (!metrics || !meshed || !port) return undefined;
  return { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port.port), 'prometheus.io/path': metrics.path ?? '/metrics' };
}

/** Creates the scrape object, the PrometheusRule and the dashboard ConfigMap of one app, in that order. */
export function renderAppMonitoring(scope: Construct, m: AppMonitoringInput): ApiObject[] {
  const metadata = { name: m.name, namespace: m.namespace, labels: { ...m.labels, ...m.monitoringLabels } };
  return [
    renderScrape(scope, m, metadata),
    createObject(scope, 'PrometheusRule', monitoring.PrometheusRule.GVK, monitoring.toJson_PrometheusRuleProps, {
      metadata,
      spec: {
        groups: m.ruleGroups.map((g) => ({
          name: g.name,
          interval: g.interval,
          rules: g.rules.map(({ keep_firing_for: keepFiringFor, ...r }) => ({ ...r, keepFiringFor, expr: monitoring.PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr) })),
        })),
      },
    }),
    createObject(scope, 'Dashboard', k8s.KubeConfigMap.GVK, k8s.toJson_KubeConfigMapProps, {
      metadata: { name: `${m.name}-dashboard`, namespace: m.namespace, labels: { ...m.labels, ...m.dashboardLabel } },
      data: { [`${m.namespace}-${m.name}.json`]: JSON.stringify(appDashboard({ namespace: m.namespace, app: m.name, slos: m.slos, requestSignals: m.requestSignals, workloadSeries: m.workloadSeries, panels: m.panels, telemetry: m.telemetry }), null, 2) },
    }),
  ];
}

/** The ServiceMonitor or PodMonitor that scrapes the app. */
function renderScrape(scope: Construct, m: AppMonitoringInput, metadata: { name: string; namespace: string; labels: Record<string, string> }): ApiObject {
  const interval = m.metrics.interval ? promDuration(m.metrics.interval) : m.interval;
  const scrapeTimeout = m.metrics.scrapeTimeout ? promDuration(m.metrics.scrapeTimeout) : undefined;
  const path = m.metrics.path ?? '/metrics';
  const namespaceSelector = { matchNames: [m.namespace] };
  if (m.meshed) {
    // STRICT mTLS rejects Prometheus' plain-text scrapes of the app port; the sidecar's :15020 serves the
    // app's metrics merged with Istio's outside the mTLS listener.
    return createObject(scope, 'PodMonitor', monitoring.PodMonitor.GVK, monitoring.toJson_PodMonitorProps, {
      metadata,
      spec: {
        selector: { matchLabels: m.selectorLabels },
        namespaceSelector,
        podMetricsEndpoints: [{ portNumber: 15020, path: '/stats/prometheus', interval, scrapeTimeout }],
      },
    });
  }
  if (m.metrics.podMonitor) {
    return createObject(scope, 'PodMonitor', monitoring.PodMonitor.GVK, monitoring.toJson_PodMonitorProps, {
      metadata,
      spec: {
        selector: { matchLabels: m.selectorLabels },
        namespaceSelector,
        podMetricsEndpoints: [{
          port: m.port.name, path, interval, scrapeTimeout,
          // A PodMonitor's targets have no `service` label, which the golden-signal rules select on (as a
          // ServiceMonitor's have): set it to the app's name.
          relabelings: [{ targetLabel: 'service', replacement: m.name, action: monitoring.PodMonitorSpecPodMetricsEndpointsRelabelingsAction.REPLACE }],
        }],
      },
    });
  }
  return createObject(scope, 'ServiceMonitor', monitoring.ServiceMonitor.GVK, monitoring.toJson_ServiceMonitorProps, {
    metadata,
    spec: {
      // Selects exactly this app's Service, scraping it by its named port.
      selector: { matchLabels: m.selectorLabels },
      namespaceSelector,
      endpoints: [{ port: m.port.name, path, interval, scrapeTimeout }],
    },
  });
}
