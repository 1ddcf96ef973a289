/**
 * Container image references split the way Karmada's image overrider splits them
 * (`pkg/util/imageparser`): the first path component is the registry only when it contains "." or ":"
 * or is "localhost".
 */

import { ImageOverride } from '../model/overrides';

/** The parts of an image reference. */
export interface ImageParts {
  /** Registry host, e.g. `registry.example.com:5000`; empty for Docker Hub short names. */
  readonly registry: string;
  /** Repository, e.g. `shop/web`. */
  readonly repository: string;
  /** Tag, e.g. `1.4.2`; empty when a digest or nothing is given. */
  readonly tag: string;
  /** Digest, e.g. `sha256:...`; empty when a tag or nothing is given. */
  readonly digest: string;
}

const REFERENCE = /^(?:([^/]+)\/)?([a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$/;

/** Parses an image reference; `undefined` when it is not a valid reference. */
export function parseImage(image: string): ImageParts | undefined {
  if (typeof image !== 'string' || image.length === 0 || image.length > 4096) return undefined;
  const i = image.indexOf('/');
  const first = i === -1 ? '' : image.slice(0, i);
  const hasRegistry = i !== -1 && (/[.:]/.test(first) || first === 'localhost');
  const rest = hasRegistry ? image.slice(i + 1) : image;
  const m = REFERENCE.exec(rest);
  if (!m || m[1] !== undefined && !hasRegistry && false) return undefined;
  const repository = m[1] !== undefined ? `${m[1]}/${m[2]}` : m[2];
  if (!/^[a-z0-9]/.test(repository) || /[A-Z]/.test(repository)) return undefined;
  return { registry: hasRegistry ? first : '', repository, tag: m[3] ?? '', digest: m[4] ?? '' };
}

/** Joins image parts back into a reference. */
export function formatImage(p: ImageParts): string {
  const name = p.registry ? `${p.registry}/${p.repository}` : p.repository;
  if (p.digest) return `${name}@${p.digest}`;
  return p.tag ? `${name}:${p.tag}` : name;
}

/** Applies an image override to an image reference. */
export function overrideImage(image: string, o: ImageOverride): string {
  const p = parseImage(image);
  if (!p) return image;
  const next: ImageParts = {
    registry: o.registry ?? p.registry,
    repository: o.repository ?? p.repository,
    tag: o.tag ?? p.tag,
    digest: o.tag !== undefined ? '' : p.digest,
  };
  return formatImage(next);
}

/**
 * An image with the platform registry prepended when it names none (`web:1.2` becomes `<registry>/web:1.2`);
 * images that name a registry, and invalid references, are returned as given.
 */
export function withRegistry(image: string, registry: string | undefined): string {
  const parsed = registry ? parseImage(image) : undefined;
  return registry && parsed && !parsed.registry ? `${registry}/${image}` : image;
}

/**
 * Whether a registry is a host with an optional port and path, as the distribution reference grammar has it
 * (`registry.example.com`, `localhost:5000`, `registry.example.com:443/mirror`).
 */
export function isRegistry(registry: string): boolean {
  if (typeof registry !== 'string') return false;
  const [host, ...path] = registry.split('/');
  const component = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
  const hostOk = new RegExp(`^${component}(?:\\.${component})*(?::[0-9]+)?$`).test(host);
  return hostOk && path.every((p) => /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(p));
}
