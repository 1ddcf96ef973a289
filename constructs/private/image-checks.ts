/**
 * One check for every image reference that enters the platform (apps, canaries, overrides, edge apps and their
 * node-group overrides, batch tasks, the Thanos image): the distribution grammar, and the platform's tag policy.
 */
import { ImageParts, isRegistry, mutableReason, overrideImage, parseImage } from '../../core/image';
import { ImageOverride } from '../../model/overrides';
import { ProblemSink } from '../../core/problems';
import { ImageTagPolicy } from '../../model/platform';

/**
 * Reports an invalid reference (error) and an unpinned one (a warning, or an error under a strict policy);
 * returns the parts of a valid reference.
 */
export function checkImage(sink: ProblemSink, prop: string, image: unknown, policy: ImageTagPolicy, example = 'registry.example.com/team/app:1.2.3'): ImageParts | undefined {
  const parsed = typeof image === 'string' ? parseImage(image) : undefined;
  if (!parsed) {
    sink.error('FP-IMAGE', prop, image, 'not a valid image reference ([host[:port]/]path[:tag][@digest]: lower-case path components, a tag of at most 128 word characters, "." or "-").', `use e.g. "${example}".`);
    return undefined;
  }
  if (policy === ImageTagPolicy.REQUIRE_DIGEST && !parsed.digest) {
    sink.error('FP-IMAGE', prop, image, 'the platform requires images pinned by digest (defaults.imageTagPolicy is REQUIRE_DIGEST).', 'append the digest, e.g. "...@sha256:<64 hex digits>".');
    return parsed;
  }
  const reason = mutableReason(parsed);
  if (reason && policy === ImageTagPolicy.REJECT_MUTABLE) {
    sink.error('FP-IMAGE', prop, image, `${reason} (defaults.imageTagPolicy is REJECT_MUTABLE).`, 'pin a version tag or a digest.');
  } else if (reason) {
    sink.warn('FP-IMAGE', prop, image, `${reason}.`, 'pin a version tag or a digest (defaults.imageTagPolicy: ImageTagPolicy.REJECT_MUTABLE makes this an error).');
  }
  return parsed;
}

/** An image override (registry, repository, tag): each part, and the image it yields from a valid image. */
export function checkImageOverride(sink: ProblemSink, prop: string, image: string | undefined, o: ImageOverride, policy: ImageTagPolicy): void {
  for (const [k, v] of Object.entries(o)) {
    if (typeof v !== 'string' || v.length === 0) sink.error('FP-IMAGE', `${prop}.${k}`, v, 'an image part must be a non-empty string.', 'e.g. { registry: "registry.cn.example.com" }.');
  }
  if (typeof o.registry === 'string' && o.registry.length > 0 && !isRegistry(o.registry)) {
    sink.error('FP-IMAGE', `${prop}.registry`, o.registry, 'not a registry host (host[:port], optionally with a path).', 'use e.g. "registry.cn.example.com" or "localhost:5000".');
  }
  const partsOk = !sink.problems.some((p) => p.prop.startsWith(`${prop}.`));
  if (partsOk && image !== undefined && parseImage(image)) checkImage(sink, prop, overrideImage(image, o), policy);
}
