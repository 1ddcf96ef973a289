/**
 * Label selectors (Kubernetes semantics) and IPv4 address ranges, shared by the evaluators.
 */
import { parseCidr } from '../core/cidr';
import { LabelSelector, LabelSelectorRequirement } from './types';

type Labels = Readonly<Record<string, string>>;

/** Whether one requirement holds: `NotIn` and `DoesNotExist` also hold when the key is absent. */
function requirementHolds(req: LabelSelectorRequirement, labels: Labels): boolean {
  const present = Object.prototype.hasOwnProperty.call(labels, req.key);
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In': return present && values.includes(labels[req.key]);
    case 'NotIn': return !present || !values.includes(labels[req.key]);
    case 'Exists': return present;
    case 'DoesNotExist': return !present;
    default: return false; // an unknown operator selects nothing, as the API server would reject it
  }
}

/** Whether a Kubernetes label selector selects the labels; `{}` selects everything. */
export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  const exact = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return exact && (selector.matchExpressions ?? []).every((r) => requirementHolds(r, labels));
}

/** Whether every label of `subset` is on `labels` with the same value (Istio workload selectors). */
export function labelsInclude(labels: Labels, subset: Labels | undefined): boolean {
  return Object.entries(subset ?? {}).every(([k, v]) => labels[k] === v);
}

/** An inclusive range of IPv4 addresses as 32-bit numbers. */
export interface AddressRange {
  readonly start: number;
  readonly end: number;
}

/** The range of an IPv4 CIDR, or of a bare address as a /32; undefined when it does not parse. */
export function rangeOf(cidrOrIp: string): AddressRange | undefined {
  const r = parseCidr(cidrOrIp.includes('/') ? cidrOrIp : `${cidrOrIp}/32`);
  return r ? { start: r[0], end: r[1] } : undefined;
}

/** Whether `inner` lies wholly inside `outer`. */
export function rangeWithin(inner: AddressRange, outer: AddressRange): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** Whether two ranges share an address. */
export function rangesIntersect(a: AddressRange, b: AddressRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/**
 * Where a peer may be: a known address, or every address of its cluster's pod CIDRs. A peer is only
 * treated as inside a block when all of its possible addresses are, so an `allowed` answer holds for any
 * address the pod may get.
 */
export interface PeerAddress {
  readonly ranges: readonly AddressRange[];
  /** How the address was found, for reasons: `10.0.1.7`, or `pod CIDR 10.1.0.0/16 of cluster b`. */
  readonly description: string;
}

/** The address of a pod: its IP when given, otherwise its cluster's pod CIDRs; undefined when neither is known. */
export function podAddress(ip: string | undefined, podCidrs: readonly string[] | undefined, cluster: string): PeerAddress | undefined {
  const source = ip ? [ip] : [...(podCidrs ?? [])];
  const ranges = source.map(rangeOf).filter((r): r is AddressRange => !!r);
  if (ranges.length === 0) return undefined;
  return { ranges, description: ip ? ip : `pod CIDR ${source.join(', ')} of cluster ${cluster}` };
}

/** Whether every possible address of the peer is inside `cidr` and outside every `except` block. */
export function addressInBlock(address: PeerAddress, cidr: string, except: readonly string[] = []): boolean {
  const block = rangeOf(cidr);
  if (!block) return false;
  const holes = except.map(rangeOf).filter((r): r is AddressRange => !!r);
  return address.ranges.every((r) => rangeWithin(r, block) && !holes.some((h) => rangesIntersect(r, h)));
}

/** Whether no possible address of the peer is inside any of the blocks. */
export function addressOutsideBlocks(address: PeerAddress, blocks: readonly string[]): boolean {
  const ranges = blocks.map(rangeOf).filter((r): r is AddressRange => !!r);
  return address.ranges.every((r) => !ranges.some((b) => rangesIntersect(r, b)));
}

/** The peer's possible addresses without those in `cidrs` (e.g. a gateway's range minus pod ranges). */
export function addressWithout(address: PeerAddress | undefined, cidrs: readonly string[]): PeerAddress | undefined {
  if (!address) return undefined;
  const holes = cidrs.map(rangeOf).filter((r): r is AddressRange => !!r).sort((a, b) => a.start - b.start);
  const ranges: AddressRange[] = [];
  for (const r of address.ranges) {
    let start = r.start;
    for (const h of holes) {
      if (h.end < start || h.start > r.end) continue;
      if (h.start > start) ranges.push({ start, end: h.start - 1 });
      start = Math.max(start, h.end + 1);
    }
    if (start <= r.end) ranges.push({ start, end: r.end });
  }
  return ranges.length ? { ranges, description: address.description } : undefined;
}
