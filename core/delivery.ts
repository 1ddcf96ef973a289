/**
 * The delivery seam: how objects written once by a construct reach the member clusters. One implementation
 * per delivery mode lives in engines/delivery/; constructs ask the platform's engine and never branch on the
 * mode themselves.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { MemberClusterProps } from '../model/cluster';
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
}

/** The outcome of scheduling on a healthy fleet. */
export interface ScheduleResult {
  /** Candidate clusters after affinity, exclusions and taints (first feasible fallback group). */
  readonly candidates: MemberClusterProps[];
  /** Replicas per cluster (only clusters that get at least one), or undefined when decided at run time. */
  readonly replicas?: Map<string, number>;
}

/** The selector of an object, for a placement request. */
export function selectorOf(o: { apiVersion: string; kind: string; name: string }): ResourceSelector {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.name };
}
