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
    const rules = Array.isArray(weights)
      ? weights
      : Object.entries(weights).map(([name, weight]) => ({ clusters: { names: [name] }, weight }));
    return new Distribution(DistributionKind.WEIGHTED, rules);
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
    const rules = Object.entries(counts).map(([name, weight]) => ({ clusters: { names: [name] }, weight }));
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

/** A cluster and its weight, for {@link divideByWeight}. */
export interface ClusterWeight {
  readonly name: string;
  readonly weight: number;
}

/**
 * Karmada's static-weight division (`pkg/util/helper/webstermethod.go`, Karmada ≥ 1.16): replicas are
 * handed out one at a time, each to the cluster with the highest `weight / (2 * seats + 1)` (Webster /
 * Sainte-Laguë); on an exact tie the cluster with fewer seats wins, then the name. Karmada orders names
 * by a bit of the FNV hash of the workload's UID; with no UID (as at synthesis) it sorts them ascending,
 * which is what this function does. Clusters that get no replica are left out, as Karmada drops them.
 *
 * @returns replicas per cluster name, for clusters with at least one replica, sorted by name.
 */
export function divideByWeight(total: number, weights: readonly ClusterWeight[]): Map<string, number> {
  const parties = weights.filter((w) => w.weight > 0).map((w) => ({ name: w.name, votes: w.weight, seats: 0 }));
  const result = new Map<string, number>();
  if (parties.length === 0 || total <= 0) return result;
  const before = (a: (typeof parties)[number], b: (typeof parties)[number]): boolean => {
    const pa = a.votes / (2 * a.seats + 1);
    const pb = b.votes / (2 * b.seats + 1);
    if (pa !== pb) return pa > pb;
    if (a.seats !== b.seats) return a.seats < b.seats;
    return a.name < b.name;
  };
  // A binary heap keeps this O(total · log clusters) for large replica counts.
  const heap = [...parties];
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j], heap[i]]);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < heap.length && before(heap[l], heap[best])) best = l;
      if (r < heap.length && before(heap[r], heap[best])) best = r;
      if (best === i) return;
      swap(i, best);
      i = best;
    }
  };
  for (let i = Math.floor(heap.length / 2) - 1; i >= 0; i--) down(i);
  for (let seat = 0; seat < total; seat++) {
    heap[0].seats++;
    down(0);
  }
  for (const p of [...parties].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (p.seats > 0) result.set(p.name, p.seats);
  }
  return result;
}
