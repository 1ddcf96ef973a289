/**
 * How replicas are distributed over the selected clusters, and Karmada's static-weight division
 * reproduced exactly for direct mode.
 */
import { ClusterSelector } from './cluster';

/** Kinds of replica distribution. */
export enum DistributionKind {
  /** Every selected cluster runs the full replica count (Karmada `Duplicated`). */
  DUPLICATED = 'duplicated',
  /** Replicas divided by static weights (Karmada `Divided` + `Weighted` + `staticWeightList`). */
  WEIGHTED = 'weighted',
  /** Replicas divided by available capacity (Karmada `dynamicWeight: AvailableReplicas`). */
  BY_CAPACITY = 'by-capacity',
  /** Replicas packed into as few clusters as fit (Karmada `Aggregated`). */
  AGGREGATED = 'aggregated',
  /** Explicit per-cluster replica counts (compiled to exact static weights). */
  EXACT = 'exact',
}

/** A weight for the clusters a selector matches. A cluster matched by several rules takes the largest weight. */
export interface WeightRule {
  /** The clusters. */
  readonly clusters: ClusterSelector;
  /** Positive integer weight. */
  readonly weight: number;
}

/** How the replica count of an application is spread over its clusters. */
export class Distribution {
  /** Every cluster runs all replicas. Karmada's behaviour when no replica scheduling is given. */
  public static duplicated(): Distribution {
    return new Distribution(DistributionKind.DUPLICATED);
  }

  /**
   * Divide by static weights: `{ 'bj-1': 2, 'sh-1': 1 }` by cluster name, or weight rules over selectors.
   * With no weights every selected cluster gets weight 1 (an even split).
   */
  public static weighted(weights: Record<string, number> | WeightRule[] = []): Distribution {
    // Helpers never throw (one program reports all its problems): what is not a map or a list is kept as given
    // and reported on the app's `distribution.weights`.
    const rules = Array.isArray(weights) || !isMap(weights)
      ? weights
      : byName(weights).map(([name, weight]) => ({ clusters: { names: [name] }, weight }));
    return new Distribution(DistributionKind.WEIGHTED, rules as WeightRule[]);
  }

  /** Divide evenly over the selected clusters (weighted with equal weights). */
  public static evenly(): Distribution {
    return Distribution.weighted([]);
  }

  /** Divide by each cluster's available capacity; decided by Karmada at run time. */
  public static byCapacity(): Distribution {
    return new Distribution(DistributionKind.BY_CAPACITY);
  }

  /** Pack replicas into as few clusters as have capacity; decided by Karmada at run time. */
  public static aggregated(): Distribution {
    return new Distribution(DistributionKind.AGGREGATED);
  }

  /** Exactly these replica counts per cluster; the app's replica count is their sum. */
  public static exact(counts: Record<string, number>): Distribution {
    const rules = isMap(counts) ? byName(counts).map(([name, weight]) => ({ clusters: { names: [name] }, weight })) : [];
    return new Distribution(DistributionKind.EXACT, rules, counts);
  }

  private constructor(
    /** The kind of distribution. */
    public readonly kind: DistributionKind,
    /** Weight rules (weighted and exact). */
    public readonly weights: readonly WeightRule[] = [],
    /** Per-cluster counts (exact). */
    public readonly counts?: Readonly<Record<string, number>>,
  ) {}

  /** Whether Karmada divides the replica count (everything but duplicated). */
  public get divided(): boolean {
    return this.kind !== DistributionKind.DUPLICATED;
  }

  /** Whether the split is only known at run time (capacity-aware). */
  public get decidedAtRuntime(): boolean {
    return this.kind === DistributionKind.BY_CAPACITY || this.kind === DistributionKind.AGGREGATED;
  }
}

function isMap(v: unknown): v is Record<string, number> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A map's entries sorted by cluster name: the order a map was written in carries no meaning. */
function byName(m: Record<string, number>): Array<[string, number]> {
  return Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
