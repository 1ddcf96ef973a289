/** The props of a {@link FederatedApp}, in their own file: the construct file stays about behaviour. */
import { WorkloadKind, AutoscalingProps, FailoverProps, StorageProps, DisruptionBudgetProps, CanaryProps } from '../model/app';
import { Distribution } from '../model/distribution';
import { AppMetrics, Slo } from '../model/monitoring';
import { ClusterOverride, OverrideValues } from '../model/overrides';
import { Placement } from '../model/placement';
import { ProgressiveDelivery } from '../model/progressive';
import { RolloutProps } from '../model/rollout';
import { AppLogs, AppTracing } from '../model/telemetry';
import { AppPort, EnvValue, ResourceRequirements, Probe } from '../model/workload';

/** Properties of a FederatedApp. */
export interface FederatedAppProps {
  /** Image of the main container, e.g. `registry.example.com/shop/web:1.4.2`. */
  readonly image: string;
  /**
   * Object name (a DNS-1035 label: Service names are).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Workload kind.
   * @default WorkloadKind.DEPLOYMENT
   */
  readonly kind?: WorkloadKind;
  /**
   * Shorthand for one HTTP port named `http`.
   * @default - see `ports`
   */
  readonly port?: number;
  /**
   * Ports of the main container, all exposed by the Service.
   * @default - `port`, or no ports
   */
  readonly ports?: AppPort[];
  /**
   * Environment variables of the main container, in order.
   * @default - none
   */
  readonly env?: Record<string, EnvValue>;
  /**
   * Command (entrypoint).
   * @default - the image's
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * Resources of the main container.
   * @default - the platform default
   */
  readonly resources?: ResourceRequirements;
  /**
   * Liveness probe.
   * @default - none
   */
  readonly liveness?: Probe;
  /**
   * Readiness probe.
   * @default - none
   */
  readonly readiness?: Probe;
  /**
   * Startup probe.
   * @default - none
   */
  readonly startup?: Probe;
  /**
   * Replica count over the fleet (per cluster with duplicated distribution). Not with `autoscaling`.
   * @default 1, or the sum of Distribution.exact counts
   */
  readonly replicas?: number;
  /**
   * Where the app runs.
   * @default Placement.all() (every cluster of the tenant)
   */
  readonly placement?: Placement;
  /**
   * How replicas are spread over the selected clusters.
   * @default Distribution.duplicated(), or Distribution.evenly() with autoscaling
   */
  readonly distribution?: Distribution;
  /**
   * Per-cluster or per-label overrides: a list, or a map keyed by cluster name.
   * @default - none
   */
  readonly overrides?: ClusterOverride[] | Record<string, OverrideValues>;
  /**
   * Fleet-wide autoscaling; the autoscaler then owns the replica count.
   * @default - fixed replicas
   */
  readonly autoscaling?: AutoscalingProps;
  /**
   * Application failover (karmada mode).
   * @default - no failover
   */
  readonly failover?: FailoverProps;
  /**
   * ConfigMaps the app owns, by name: key → value. Never put secrets here.
   * @default - none
   */
  readonly configMaps?: Record<string, Record<string, string>>;
  /**
   * Existing Secrets the app depends on, by name (values are never part of the definition).
   * Secrets used in `env` are added automatically.
   * @default - none
   */
  readonly secrets?: string[];
  /**
   * Per-replica storage (StatefulSet only).
   * @default - none
   */
  readonly storage?: StorageProps;
  /**
   * Disruption budget, or false for none.
   * @default - maxUnavailable 1 (platform default)
   */
  readonly disruptionBudget?: DisruptionBudgetProps | false;
  /**
   * Spread pods across zones and nodes inside each cluster.
   * @default - the platform default (true)
   */
  readonly topologySpread?: boolean;
  /**
   * Name of the main container.
   * @default 'app'
   */
  readonly containerName?: string;
  /**
   * Version label (`app.kubernetes.io/version`).
   * @default - the image tag when it is a valid label value
   */
  readonly version?: string;
  /**
   * Scrape the app's metrics (needs platform monitoring): a ServiceMonitor on the named port, or for a meshed
   * tenant a PodMonitor on the sidecar's merged metrics. Golden-signal rules from its `signals` (HTTP, gRPC or
   * none), workload alerts, its own rules and panels, and a dashboard come with it.
   * @default - not scraped
   */
  readonly metrics?: AppMetrics;
  /**
   * Service-level objectives, alerted on with multi-window, multi-burn-rate rules.
   * @default - none
   */
  readonly slos?: Slo[];
  /**
   * A canary version running beside this one (its traffic share is set by a MeshedService).
   * @default - no canary
   */
  readonly canary?: CanaryProps;
  /**
   * Promote each new version progressively (Flagger with Istio, in every cluster that runs the app), gated on the
   * burn rate of the app's SLOs by the new version. Needs a meshed tenant, a MeshedService for the app, one
   * port, `metrics` and `slos`.
   * @default - a new version replaces the old one with a rolling update
   */
  readonly progressive?: ProgressiveDelivery;
  /**
   * Roll new versions out across clusters in waves (karmada mode): the later waves keep their version until
   * `fleetplane promote` finds the SLO burn rates of the clusters already done under the gate.
   * @default - the platform's `rollout`, restricted to the app's clusters; else every cluster at once
   */
  readonly rollout?: RolloutProps;
  /**
   * Extra labels on every object of the app.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Collect the app's container logs (needs platform telemetry with a logs backend): the line format, multiline
   * records and exclusions, parsed by each node's agent. Records carry the app, its tenant, cluster and region.
   * @default - not collected
   */
  readonly logs?: AppLogs;
  /**
   * Trace the app: spans go to the node agent (or `endpoint`), sampled parent-based; `autoInstrumentation` has
   * the OpenTelemetry operator inject the SDK of the app's language.
   * @default - not traced (meshed tenants still get the sidecars' spans)
   */
  readonly tracing?: AppTracing;
}
