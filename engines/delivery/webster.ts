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
