/**
 * Unified monitoring: the platform's Prometheus tiers, and per-application scraping, golden-signal recording
 * rules, SLO burn-rate alerts, workload alerts and Grafana dashboards, generated as PromQL that `promtool`
 * checks and unit-tests.
 */
import { ApiObject, Duration } from 'cdk8s';
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
