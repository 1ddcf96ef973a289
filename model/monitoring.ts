/**
 * Unified monitoring: the platform's Prometheus tiers, and per-application scraping, golden-signal recording
 * rules, SLO burn-rate alerts, workload alerts and Grafana dashboards, generated as PromQL that `promtool`
 * checks and unit-tests.
 */
import { ApiObject, Duration } from 'cdk8s';
import { ClusterSelector } from './cluster';
import { AlertingRule, DashboardPanel, MetricSignals, RecordingRule } from './monitoring-signals';
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
  /**
   * Where kube-state-metrics and node-exporter come from in every monitored member. The workload alerts and
   * panels of every app (crash loops, unavailable replicas, restarts) are computed from kube-state-metrics.
   * @default MonitoringPrerequisites.assumeInstalled() - kube-prometheus-stack's, with an alert when they are not scraped
   */
  readonly prerequisites?: MonitoringPrerequisites;
}

/** Options of installed prerequisites. */
export interface InstalledPrerequisitesProps {
  /**
   * `job` label of the kube-state-metrics target.
   * @default 'kube-state-metrics' (kube-prometheus-stack)
   */
  readonly kubeStateMetricsJob?: string;
  /**
   * `job` label of the node-exporter targets; `false` when the members run none.
   * @default 'node-exporter' (kube-prometheus-stack)
   */
  readonly nodeExporterJob?: string | false;
}

/** Options of generated prerequisites. */
export interface GeneratedPrerequisitesProps {
  /**
   * kube-state-metrics image; an image naming no registry gets the platform registry.
   * @default - registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.13.0, from the platform registry when `defaults.imageRegistry` is set
   */
  readonly kubeStateMetricsImage?: string;
  /**
   * Also run node-exporter on every node (a DaemonSet with host access in the privileged monitoring namespace).
   * @default true
   */
  readonly nodeExporter?: boolean;
  /**
   * node-exporter image; an image naming no registry gets the platform registry.
   * @default - quay.io/prometheus/node-exporter:v1.8.2, from the platform registry when `defaults.imageRegistry` is set
   */
  readonly nodeExporterImage?: string;
}

/** How kube-state-metrics and node-exporter get into the monitored members. */
export class MonitoringPrerequisites {
  /**
   * They are installed already (kube-prometheus-stack installs both). Every member gets alerts that fire when
   * they are not scraped, because the workload alerts would otherwise stay silent.
   */
  public static assumeInstalled(props: InstalledPrerequisitesProps = {}): MonitoringPrerequisites {
    return new MonitoringPrerequisites('installed', props, undefined);
  }

  /**
   * fleetplane generates them in every monitored member: kube-state-metrics (restricted security, read-only
   * RBAC) and node-exporter, each with its ServiceMonitor, plus the same scrape alerts.
   */
  public static generate(props: GeneratedPrerequisitesProps = {}): MonitoringPrerequisites {
    return new MonitoringPrerequisites('generated', undefined, props);
  }

  /** The members have no kube-state-metrics: apps get no workload alerts or panels. */
  public static none(): MonitoringPrerequisites {
    return new MonitoringPrerequisites('none', undefined, undefined);
  }

  private constructor(
    /** Installed, generated or none. */
    public readonly kind: 'installed' | 'generated' | 'none',
    /** Options of installed prerequisites. */
    public readonly installed: InstalledPrerequisitesProps | undefined,
    /** Options of generated prerequisites. */
    public readonly generated: GeneratedPrerequisitesProps | undefined,
  ) {}
}

/**
 * Scraping of the application's own metrics, and the monitoring built on them: golden signals from its request
 * signals, and its own recording rules, alerting rules and dashboard panels.
 */
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
   * The request signals golden signals and SLOs are computed from.
   * @default MetricSignals.http()
   */
  readonly signals?: MetricSignals;
  /**
   * The app's own recording rules, evaluated before its alerting rules.
   * @default - none
   */
  readonly recordingRules?: RecordingRule[];
  /**
   * The app's own alerting rules.
   * @default - none
   */
  readonly alertingRules?: AlertingRule[];
  /**
   * Panels added to the app's dashboard, below the generated ones.
   * @default - none
   */
  readonly panels?: DashboardPanel[];
  /**
   * Request counter of the app's HTTP metrics (ignored for a MeshedService, which uses Istio's).
   * @deprecated use `signals: MetricSignals.http({ requestsMetric })`
   * @default 'http_requests_total'
   */
  readonly requestsMetric?: string;
  /**
   * Label of the counter holding the HTTP status code.
   * @deprecated use `signals: MetricSignals.http({ statusLabel })`
   * @default 'code'
   */
  readonly statusLabel?: string;
  /**
   * Request-duration histogram, in seconds (without `_bucket`).
   * @deprecated use `signals: MetricSignals.http({ durationMetric })`
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

/** A rule as in a Prometheus rule file. */
export interface RuleSpec {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly keep_firing_for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** A rule group as in a Prometheus rule file (and a PrometheusRule's `spec.groups[]`). */
export interface RuleGroupSpec {
  readonly name: string;
  readonly interval?: string;
  readonly rules: RuleSpec[];
}

/** The objects of the monitoring tiers in one member cluster's output. */
export interface MonitoringResources {
  readonly prometheus?: ApiObject;
  readonly alertmanager?: ApiObject;
  readonly scrapeConfig?: ApiObject;
  readonly thanosQuery?: ApiObject;
  /** The ServiceExport of the member's `prometheus-operated`, when the global tier uses its clusterset name. */
  readonly serviceExport?: ApiObject;
  readonly objects: ApiObject[];
}
