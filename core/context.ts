/**
 * What constructs read about their platform. Constructs depend on this interface, not on the
 * DistributedPlatform class, so the construct files import each other in one direction only.
 */
import { IConstruct } from 'constructs';
import { ClusterSelector } from '../model/cluster';
import { IngressGatewayProps, MtlsMode } from '../model/mesh';
import { PlatformDefaults } from '../model/platform';
import { DeclaredPath } from '../model/reachability';
import { RolloutGateProps, RolloutState } from '../model/rollout';
import { DeliveryEngine } from './delivery';
import { Fleet } from './fleet';
import { PlatformValidationError, Problem, Severity } from './problems';
import { ApplyTarget, DeliveryMode } from './target';

/** The mesh with every default resolved. */
export interface ResolvedMesh {
  readonly meshId: string;
  readonly clusterNames: readonly string[];
  readonly primaries: readonly string[];
  readonly trustDomain: string;
  readonly revision?: string;
  readonly istioCni: boolean;
  readonly privilegedSidecarInit: boolean;
  readonly mtls: MtlsMode;
  readonly defaultDeny: boolean;
  readonly ingressGateway: Required<IngressGatewayProps>;
  /** Network of each mesh cluster. */
  readonly networks: Readonly<Record<string, string>>;
  /** More than one network: east-west gateways are needed. */
  readonly multiNetwork: boolean;
  /**
   * The primary whose istiod each remote cluster uses (by remote name): the first primary on its network, else
   * the first primary. Remotes reach it through that primary's east-west gateway.
   */
  readonly istiodOf: Readonly<Record<string, string>>;
}

/** Defaults with every field resolved. */
export type ResolvedDefaults = Required<Omit<PlatformDefaults, 'imageRegistry'>> & Pick<PlatformDefaults, 'imageRegistry'>;

/** Something that reports problems to the platform at validation time (not part of the public API). */
export interface IProblemSource {
  _problems(): Problem[];
  /** Connections the construct declares, for the reachability check. */
  _declaredPaths?(): DeclaredPath[];
}

/** Submariner with defaults resolved: joined clusters and their cluster IDs. */
export interface ResolvedSubmariner {
  /** Cluster hosting the Submariner broker. */
  readonly broker: string;
  /** Cluster ID of every joined cluster, by cluster name. */
  readonly clusterIds: Readonly<Record<string, string>>;
  /** Globalnet: overlapping pod and service CIDRs are allowed. */
  readonly globalnet: boolean;
}

/** The monitoring tiers as the rest of the platform sees them. */
export interface MonitoringContext {
  /** Namespace of member Prometheus. */
  readonly namespace: string;
  /** Labels every monitoring object carries and every Prometheus selects. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Grafana sidecar dashboard label. */
  readonly dashboardLabel: Readonly<Record<string, string>>;
  /** Monitored member clusters. */
  readonly clusterNames: readonly string[];
  /** Evaluation interval. */
  readonly interval: string;
  /** Runbook base URL. */
  readonly runbookBaseUrl: string;
  /** kube-state-metrics is scraped in the members (installed or generated): apps get workload rules and panels. */
  readonly workloadSeries: boolean;
  /** node-exporter is scraped in the members. */
  readonly nodeSeries: boolean;
}

/** A workload whose pods' container logs are collected. */
export interface TelemetryLogWorkload {
  readonly name: string;
  readonly kind: 'Deployment' | 'StatefulSet';
}

/** One app's container logs, resolved, as the node agents collect them. */
export interface TelemetryLogSource {
  /** The tenant namespace. */
  readonly namespace: string;
  /** The app. */
  readonly app: string;
  /** The app's workloads (the stable one, then a canary). */
  readonly workloads: readonly TelemetryLogWorkload[];
  /** Containers whose logs are read. */
  readonly containers: readonly string[];
  /** json, regex or plain. */
  readonly format: 'json' | 'regex' | 'plain';
  /** The regex (RE2), for the regex format. */
  readonly pattern?: string;
  /** Parsed field holding the record's time (RFC 3339). */
  readonly timestampField?: string;
  /** Parsed field holding the record's severity. */
  readonly severityField?: string;
  /** RE2 matching the first line of a record. */
  readonly multilineStart?: string;
  /** RE2 patterns of dropped lines. */
  readonly exclude: readonly string[];
}

/** Platform telemetry as the rest of the platform sees it. */
export interface TelemetryContext {
  /** Namespace of each member's collectors. */
  readonly namespace: string;
  /** Clusters with collectors. */
  readonly clusterNames: readonly string[];
  /** A logs backend is configured. */
  readonly logs: boolean;
  /** A traces backend is configured. */
  readonly traces: boolean;
  /** The node agent's OTLP/HTTP URL (apps and their SDKs). */
  readonly agentHttpEndpoint: string;
  /** The node agent's Service host (Istio's tracing provider, on gRPC 4317). */
  readonly agentHost: string;
  /** Name of the Istio extension provider that sends spans to the agent. */
  readonly meshProvider: string;
  /** Istio sampling percentage in meshed tenants that set none. */
  readonly meshTracingSampling: number;
  /** A tenant whose records are routed to the backends. @internal */
  _addTenant(namespace: string): void;
  /** An app's container logs, collected in these clusters. @internal */
  _addLogSource(clusters: readonly string[], source: TelemetryLogSource): void;
}

/** The platform-wide rollout, checked. */
export interface ResolvedRollout {
  readonly waves: readonly (readonly string[])[];
  readonly gate?: RolloutGateProps | false;
  readonly state: RolloutState;
}

/** The platform as its constructs see it. DistributedPlatform implements it. */
export interface PlatformContext extends IConstruct {
  /** Platform name. */
  readonly platformName: string;
  /** Delivery mode. */
  readonly delivery: DeliveryMode;
  /** How objects reach the clusters in this mode. */
  readonly deliveryEngine: DeliveryEngine;
  /** The member-cluster inventory. */
  readonly fleet: Fleet;
  /** Resolved platform-wide defaults. */
  readonly defaults: ResolvedDefaults;
  /** Apply targets, control plane first. */
  readonly targets: readonly ApplyTarget[];
  /** The Karmada control-plane target (karmada mode only). */
  readonly controlPlane?: ApplyTarget;
  /** The mesh, if any. */
  readonly mesh?: ResolvedMesh;
  /** The monitoring tiers, if any. */
  readonly monitoring?: MonitoringContext;
  /** Submariner, if declared. */
  readonly submariner?: ResolvedSubmariner;
  /** Platform telemetry (logs and traces), if any. */
  readonly telemetry?: TelemetryContext;
  /** Platform-wide rollout waves and recorded promotions, if declared. */
  readonly rollout?: ResolvedRollout;
  /** Labels every object of the platform carries. */
  readonly labels: Record<string, string>;
  /** The direct-mode target of a member cluster. */
  memberTarget(cluster: string): ApplyTarget | undefined;
  /** Cluster names matched by a selector. */
  clusterNames(selector?: ClusterSelector): string[];
  /** Registers a construct whose problems are reported at validation. @internal */
  _register(source: IProblemSource): void;
  /** A tenant wrote objects into these targets (GitOps gives it a delivery unit in each). @internal */
  _addTenantUnits(namespace: string, targetNames: readonly string[]): void;
}

/** Marks the construct that provides the {@link PlatformContext} of everything below it. @internal */
export const PLATFORM_CONTEXT = Symbol.for('fleetplane.PlatformContext');

/** The platform a construct belongs to; a typed FP-SCOPE error when there is none. @internal */
export function platformOf(construct: IConstruct): PlatformContext {
  for (const scope of [...construct.node.scopes].reverse()) {
    if ((scope as unknown as Record<symbol, unknown>)[PLATFORM_CONTEXT] === true) return scope as unknown as PlatformContext;
  }
  throw new PlatformValidationError([
    {
      severity: Severity.ERROR,
      rule: 'FP-SCOPE',
      path: construct.node.path,
      prop: 'scope',
      value: construct.node.path,
      message: 'this construct must be created inside a DistributedPlatform (or one of its tenants).',
      fix: 'pass a DistributedPlatform or a Tenant as the scope.',
    },
  ]);
}
