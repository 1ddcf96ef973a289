/**
 * Kubernetes and Karmada naming rules (domain reference §8 rules 1-3 and 13), as pure predicates.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Karmada limits member cluster names to 48 characters (cluster validation webhook). */
export const MAX_CLUSTER_NAME_LENGTH = 48;

/** A DNS-1123 label: lower-case alphanumerics and '-', at most 63 characters. */
export function isDnsLabel(name: string): boolean {
  return typeof name === 'string' && name.length <= 63 && DNS1123_LABEL.test(name);
}

/** A DNS-1123 subdomain: dot-separated labels, at most 253 characters. */
export function isDnsSubdomain(name: string): boolean {
  return typeof name === 'string' && name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

/** A DNS-1035 label (Service names): starts with a letter, at most 63 characters. */
export function isDns1035Label(name: string): boolean {
  return typeof name === 'string' && name.length <= 63 && DNS1035_LABEL.test(name);
}

/** A Karmada member cluster name: DNS-1123 label of at most 48 characters. */
export function isClusterName(name: string): boolean {
  return isDnsLabel(name) && name.length <= MAX_CLUSTER_NAME_LENGTH;
}

/** A label or annotation key: optional DNS subdomain prefix (≤253) + '/' + name (≤63). */
export function isQualifiedName(key: string): boolean {
  if (typeof key !== 'string' || key.length === 0) return false;
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/**
 * An extended resource name (Kubernetes IsExtendedResourceName): a qualified name with a domain prefix that is not
 * kubernetes.io (native resources), such as `nvidia.com/gpu`; `requests.` is reserved for quota keys.
 */
export function isExtendedResourceName(name: string): boolean {
  if (!isQualifiedName(name) || !name.includes('/') || name.startsWith('requests.')) return false;
  const prefix = name.split('/')[0];
  return prefix !== 'kubernetes.io' && !prefix.endsWith('.kubernetes.io');
}

/** A label value: empty, or at most 63 characters of alphanumerics and `-_.` with alphanumeric ends. */
export function isLabelValue(value: string): boolean {
  return typeof value === 'string' && (value === '' || (value.length <= 63 && LABEL_NAME.test(value)));
}

/** A container port name (IANA_SVC_NAME): at most 15 characters, at least one letter, no '--'. */
export function isPortName(name: string): boolean {
  return (
    typeof name === 'string' &&
    name.length <= 15 &&
    IANA_SVC_NAME.test(name) &&
    /[a-z]/.test(name) &&
    !name.includes('--')
  );
}

/** An environment variable name as Kubernetes accepts it (C identifier-like, any printable in 1.34+; be strict). */
export function isEnvName(name: string): boolean {
  return typeof name === 'string' && /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name);
}

/** Escapes one RFC 6901 JSON-pointer segment. */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A valid RFC 6901 JSON pointer (`/a/b~1c`), or the empty string for the whole document. */
export function isJsonPointer(pointer: string): boolean {
  return typeof pointer === 'string' && (pointer === '' || /^(\/([^~/]|~[01])*)+$/.test(pointer));
}
