/** An Istio subset name for a version: DNS-1123 label. */
export function subsetName(version: string): string {
  const s = version.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return /^[a-z0-9]/.test(s) ? s : `v${s}`.slice(0, 63);
}
