export function parseCidr(cidr: string): [number, number] | undefined {
  // The reachability check asks for the same few ranges millions of times at fleet scale.
  if (PARSED.has(cidr)) return PARSED.get(cidr);
  const range = parseUncached(cidr);
  if (PARSED.size >= 4096) PARSED.clear();
  PARSED.set(cidr, range);
  return range;
}

const PARSED = new Map<string, [number, number] | undefined>();

function parseUncached(cidr: string): [number, number] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr ?? '');
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const ip = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const size = 2 ** (32 - bits);
  const start = Math.floor(ip / size) * size;
  return [start, start + size - 1];
}

/** Whether two IPv4 CIDRs share an address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return !!x && !!y && x[0] <= y[1] && y[0] <= x[1];
}

/** A NetworkPolicy ipBlock. */
export interface IpBlock {
  readonly cidr: string;
  /** Ranges inside `cidr` that the block leaves out. */
  readonly except?: readonly string[];
}

/** Whether `inner` lies inside `outer` and is smaller. */
function strictlyInside(inner: string, outer: string): boolean {
  const i = parseCidr(inner);
  const o = parseCidr(outer);
  return !!i && !!o && o[0] <= i[0] && i[1] <= o[1] && (o[0] !== i[0] || o[1] !== i[1]);
}

/**
 * An ipBlock for `cidr` (or a single IPv4 address, as /32) that leaves out the local ranges it contains: pods
 * and Services of the policy's own cluster must be admitted by selectors, never by address, or a wide block (a
 * VPC range holding a gateway) would let every local pod through.
 */
export function ipBlockExcept(cidr: string, local: readonly string[]): IpBlock {
  const block = cidr.includes('/') ? cidr : `${cidr}/32`;
  const except = [...new Set(local)].filter((l) => strictlyInside(l, block)).sort();
  return except.length ? { cidr: block, except } : { cidr: block };
}
