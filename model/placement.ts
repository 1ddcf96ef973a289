/**
 * Where an application runs: a typed algebra over Karmada's Placement (clusterAffinity or ordered
 * clusterAffinities, tolerations, spread constraints).
 */
import { ClusterSelector, ClusterToleration } from './cluster';

/** Cluster fields Karmada can spread by. */
export enum SpreadField {
  CLUSTER = 'cluster',
  REGION = 'region',
  ZONE = 'zone',
  PROVIDER = 'provider',
}

/** Spread replicas or copies across groups of clusters. */
export interface SpreadConstraint {
  /**
   * Group clusters by this field. Exactly one of `field` and `label` is set.
   * @default - group by `label`
   */
  readonly field?: SpreadField;
  /**
   * Group clusters by the value of this cluster label.
   * @default - group by `field`
   */
  readonly label?: string;
  /**
   * At least this many groups.
   * @default 1
   */
  readonly minGroups?: number;
  /**
   * At most this many groups; 0 means no upper bound.
   * @default - no upper bound
   */
  readonly maxGroups?: number;
}

/** One group in an ordered list of fallback groups: the scheduler tries the groups in order. */
export interface FallbackGroup {
  /** Name of the group (1-32 characters, a valid label key, unique). */
  readonly name: string;
  /** Clusters of the group. */
  readonly clusters: ClusterSelector;
}

/**
 * Placement of a workload on member clusters. Build one with the static methods and refine it with
 * `tolerate` and `spread`; each call returns a new Placement.
 */
export class Placement {
  /** Every member cluster (that the tenant may use). */
  public static all(): Placement {
    return new Placement({ selector: {} });
  }

  /** Exactly these clusters. */
  public static clusters(...names: string[]): Placement {
    return new Placement({ selector: { names } });
  }

  /** Clusters matching a selector (labels, regions, zones, providers, exclusions). */
  public static where(selector: ClusterSelector): Placement {
    return new Placement({ selector });
  }

  /**
   * Ordered fallback groups (Karmada `clusterAffinities`): the first group that can hold the workload is
   * used; when it fails, Karmada moves the workload to the next one.
   */
  public static fallback(...groups: FallbackGroup[]): Placement {
    return new Placement({ groups });
  }

  /** The cluster selector, unless the placement uses fallback groups. */
  public readonly selector?: ClusterSelector;
  /** The ordered fallback groups, if any. */
  public readonly groups?: readonly FallbackGroup[];
  /** Tolerated cluster taints. */
  public readonly tolerations: readonly ClusterToleration[];
  /** Spread constraints. */
  public readonly spreadConstraints: readonly SpreadConstraint[];

  private constructor(parts: {
    selector?: ClusterSelector;
    groups?: readonly FallbackGroup[];
    tolerations?: readonly ClusterToleration[];
    spread?: readonly SpreadConstraint[];
  }) {
    this.selector = parts.selector;
    this.groups = parts.groups;
    this.tolerations = parts.tolerations ?? [];
    this.spreadConstraints = parts.spread ?? [];
  }

  /** Also tolerate these cluster taints. */
  public tolerate(...tolerations: ClusterToleration[]): Placement {
    return new Placement({ ...this.parts(), tolerations: [...this.tolerations, ...tolerations] });
  }

  /**
   * Spread across groups of clusters. When spreading by region, zone or provider, fleetplane adds the
   * `cluster` constraint Karmada requires beside them unless you give one.
   */
  public spread(...constraints: SpreadConstraint[]): Placement {
    return new Placement({ ...this.parts(), spread: [...this.spreadConstraints, ...constraints] });
  }

  /** Every selector of this placement (the single one, or each group's). */
  public get selectors(): ClusterSelector[] {
    return this.groups ? this.groups.map((g) => g.clusters) : [this.selector ?? {}];
  }

  private parts() {
    return { selector: this.selector, groups: this.groups, tolerations: this.tolerations, spread: this.spreadConstraints };
  }
}
