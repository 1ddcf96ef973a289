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

/** A path component of the distribution grammar: lower-case alphanumerics joined by ".", "_", "__" or dashes. */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** distribution/reference: the name (registry and repository) is at most 255 characters. */
const NAME_MAX = 255;

/**
 * Parses an image reference with the distribution grammar (`[host[:port]/]path[:tag][@digest]`); `undefined` when
 * it is not a valid reference, including a registry that is not a host with an optional numeric port.
 */
export function parseImage(image: string): ImageParts | undefined {
  if (typeof image !== 'string' || image.length === 0 || image.length > 4096) return undefined;
  const at = image.indexOf('@');
  const digest = at === -1 ? '' : image.slice(at + 1);
  const named = at === -1 ? image : image.slice(0, at);
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  const tag = hasTag ? named.slice(colon + 1) : '';
  const name = hasTag ? named.slice(0, colon) : named;
  const i = name.indexOf('/');
  const first = i === -1 ? '' : name.slice(0, i);
  const hasRegistry = i !== -1 && (/[.:]/.test(first) || first === 'localhost');
  const repository = hasRegistry ? name.slice(i + 1) : name;
  if (hasRegistry && !isRegistry(first)) return undefined;
  if (!REPOSITORY.test(repository) || name.length > NAME_MAX) return undefined;
  if ((hasTag && !TAG.test(tag)) || (at !== -1 && !DIGEST.test(digest))) return undefined;
  return { registry: hasRegistry ? first : '', repository, tag, digest };
}

/**
 * Tags that name a moving target rather than a build: two clusters pulling "the same" image at different times
 * may run different code, and a rollback to them rolls back nothing.
 */
export const MUTABLE_TAGS: readonly string[] = ['latest', 'main', 'master', 'stable', 'edge', 'nightly', 'dev', 'develop', 'head', 'snapshot'];

/** Why an image reference is not pinned (no tag, or a mutable tag without a digest); undefined when it is. */
export function mutableReason(p: ImageParts): string | undefined {
  if (p.digest) return undefined;
  if (!p.tag) return 'the image has no tag or digest, so every cluster may run a different "latest"';
  if (MUTABLE_TAGS.includes(p.tag.toLowerCase())) return `the tag "${p.tag}" is mutable, so every cluster may run a different image`;
  return undefined;
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
 * The image of a platform component: the user's own (the platform registry prepended when it names none), or
 * fleetplane's default moved to the platform registry, which mirrors quay.io and registry.k8s.io in an
 * air-gapped site.
 */
export function componentImage(own: string | undefined, fallback: string, registry: string | undefined): string {
  if (own !== undefined) return withRegistry(own, registry);
  return registry ? overrideImage(fallback, { registry }) : fallback;
}

const HOST_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
/** A registry host: DNS components, optionally a port (compiled once: every image of every app is checked). */
const REGISTRY_HOST = new RegExp(`^${HOST_COMPONENT}(?:\\.${HOST_COMPONENT})*(?::([0-9]{1,5}))?$`);
const REGISTRY_PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/**
 * Whether a registry is a host with an optional port and path, as the distribution reference grammar has it
 * (`registry.example.com`, `localhost:5000`, `registry.example.com:443/mirror`).
 */
export function isRegistry(registry: string): boolean {
  if (typeof registry !== 'string') return false;
  const [host, ...path] = registry.split('/');
  const m = REGISTRY_HOST.exec(host);
  const hostOk = !!m && (m[1] === undefined || (Number(m[1]) >= 1 && Number(m[1]) <= 65535));
  return hostOk && path.every((p) => REGISTRY_PATH_COMPONENT.test(p));
}
