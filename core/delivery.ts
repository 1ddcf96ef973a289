/**
 * The delivery seam: how objects written once by a construct reach the member clusters. One implementation
 * per delivery mode lives in engines/delivery/; constructs ask the platform's engine where objects go. They read
 * the mode only for checks (FP-DIRECT: what only Karmada can do at run time is refused in direct mode).
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AppResources, AutoscalingProps, FailoverProps } from '../model/app';
import { MemberClusterProps } from '../model/cluster';
import { Distribution } from '../model/distribution';
import { ClusterOverride } from '../model/overrides';
import { Placement } from '../model/placement';
import { Fleet } from './fleet';
import { ProblemSink } from './problems';
import { ApplyTarget, DeliveryMode } from './target';

/** An object a PropagationPolicy selects. */
export interface ResourceSelector {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

/** A request to place objects on clusters. */
export interface PlacementRequest {
  /** Name of the policy object (Karmada mode). */
  readonly name: string;
  /** Namespace of the placed objects; none for cluster-scoped ones (a ClusterPropagationPolicy). */
  readonly namespace?: string;
  /** Labels of the policy object. */
  readonly labels: Record<string, string>;
  /** What is placed: objects, or a function evaluated at synthesis for sets that grow after construction. */
  readonly selectors: readonly ResourceSelector[] | (() => readonly ResourceSelector[]);
  /** Clusters that receive the objects, or a full Karmada placement rendered by the delivery engine. */
  readonly clusters?: readonly string[];
  /** A rendered Karmada placement, used instead of `clusters`. */
  readonly placement?: Record<string, unknown>;
  /** Write `replicaScheduling: Duplicated` explicitly (Karmada's default when left out). @default false */
  readonly duplicated?: boolean;
  /** Further spec fields (propagateDeps, failover). */
  readonly extra?: Record<string, unknown>;
}

/** How objects reach clusters in one delivery mode. */
export interface DeliveryEngine {
  /** The mode this engine implements. */
  readonly mode: DeliveryMode;
  /**
   * The apply targets that carry objects meant for these clusters: the Karmada control plane once, or each
   * member's own target (clusters without one are skipped).
   */
  targetsFor(clusters: readonly string[]): ApplyTarget[];
  /**
   * Places objects written to a target onto clusters: in Karmada mode a (Cluster)PropagationPolicy created in
   * `scope`; in direct mode nothing, since the objects were written to each member's target.
   */
  place(scope: Construct, id: string, request: PlacementRequest): ApiObject | undefined;
  /**
   * Delivers one app: creates its objects in every target it reaches, with the replicas, autoscaling,
   * overrides and policies of this mode.
   * @returns the objects per target name.
   * @internal
   */
  deliverApp(input: AppDeliveryInput): Map<string, AppResources>;
}

/** The outcome of scheduling on a healthy fleet. */
export interface ScheduleResult {
  /** Candidate clusters after affinity, exclusions and taints (first feasible fallback group). */
  readonly candidates: MemberClusterProps[];
  /** Replicas per cluster (only clusters that get at least one), or undefined when decided at run time. */
  readonly replicas?: Map<string, number>;
}

/** Which version of an app a workload runs. */
export type AppTrack = 'stable' | 'canary';

/** The load one version of an app takes, as its MeshedService routes it. */
export interface TrafficShare {
  /** Percent of the requests it serves (its split weight, plus what is mirrored to it), 0-100. */
  readonly percent: number;
  /** A/B routes also send it requests, a share unknown at synthesis. */
  readonly routed: boolean;
}

/** The objects of an app that every target it reaches gets, whatever the mode. */
export type AppCommonResources = Pick<AppResources, 'service' | 'headlessService' | 'serviceAccount' | 'disruptionBudget' | 'configMaps' | 'monitoringObjects' | 'telemetryObjects'>;

/**
 * One app to deliver. The delivery engine decides where the app goes, with how many replicas and how it is
 * tuned per cluster; the workload and the common objects are rendered by the two callbacks, which the
 * construct binds to the workload and monitoring engines (engines never import each other).
 * @internal
 */
export interface AppDeliveryInput {
  /** Name of the workload, and of the app's policies and autoscalers. */
  readonly name: string;
  /** The tenant namespace. */
  readonly namespace: string;
  /** Labels of the app's policies and autoscalers. */
  readonly labels: Record<string, string>;
  /** The member-cluster inventory. */
  readonly fleet: Fleet;
  /** Clusters the tenant uses (its namespace exists only there). */
  readonly tenantClusters: readonly string[];
  /** Where the app runs. */
  readonly placement: Placement;
  /** How replicas are spread over the selected clusters. */
  readonly distribution: Distribution;
  /** Scheduling on a healthy fleet: candidates, and replicas per cluster when known at synthesis. */
  readonly scheduled: ScheduleResult;
  /** Replicas over the fleet; undefined when an autoscaler owns them. */
  readonly replicas?: number;
  /** Canary replicas over the fleet; undefined when the app has no canary. */
  readonly canaryReplicas?: number;
  /** Fleet-wide autoscaling, if any. */
  readonly autoscaling?: AutoscalingProps;
  /**
   * The load a version takes, read at synthesis (a MeshedService routing the app is created after it): each
   * version of an autoscaled app with a canary has its own autoscaler, with bounds following its share.
   */
  trafficShare(track: AppTrack): TrafficShare;
  /** Application failover, if any. */
  readonly failover?: FailoverProps;
  /** Per-cluster overrides, normalized to a list. */
  readonly overrides: readonly ClusterOverride[];
  /** ConfigMaps and Secrets the app depends on, by name, sorted: they follow the app's placement. */
  readonly dependencies: { readonly configMaps: readonly string[]; readonly secrets: readonly string[] };
  /**
   * Clusters that do not get the app's current version yet (later rollout waves): Karmada suspends dispatching
   * to them.
   * @default - none
   */
  readonly suspendedClusters?: readonly string[];
  /** Receives problems found while delivering (an override's JSON patch that does not apply). */
  readonly sink: ProblemSink;
  /** Selectors of the user's own objects placed with the app (`FederatedApp.include`), read at synthesis. */
  included(): readonly ResourceSelector[];
  /** The scope inside a target's chart where the app's objects are created. */
  scopeFor(target: ApplyTarget): Construct;
  /** The workload as plain JSON with these replicas (undefined: the autoscaler sets them). */
  renderWorkload(replicas: number | undefined, track: AppTrack): Record<string, any>;
  /** Creates the common objects in a scope; `clusterReplicas` 0 means no pod runs there. */
  renderCommon(scope: Construct, clusterReplicas: number | undefined): AppCommonResources;
}

/** The selector of an object, for a placement request. */
export function selectorOf(o: { apiVersion: string; kind: string; name: string }): ResourceSelector {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.name };
}
