/**
 * Typed per-cluster overrides, compiled to compact Karmada OverridePolicy rules (karmada mode) or applied
 * in place at synthesis (direct mode). Both paths share one model, so they cannot drift apart.
 */
import { ClusterSelector } from './cluster';
import { ImageParts, formatImage, parseImage } from '../core/image';
import { ResourceRequirements, resourcesToJson } from './workload';

/** Changes to the image of the main container; unset parts stay as they are. */
export interface ImageOverride {
  /**
   * New registry host.
   * @default - unchanged
   */
  readonly registry?: string;
  /**
   * New repository.
   * @default - unchanged
   */
  readonly repository?: string;
  /**
   * New tag.
   * @default - unchanged
   */
  readonly tag?: string;
}

/** A raw JSON-patch operation (Karmada `plaintext` overrider): the escape hatch for anything untyped. */
export interface JsonPatchOperation {
  /** add, remove or replace. */
  readonly op: 'add' | 'remove' | 'replace';
  /** RFC 6901 pointer into the object, e.g. `/spec/template/spec/nodeSelector`. */
  readonly path: string;
  /**
   * Value for add and replace.
   * @default - none (remove)
   */
  readonly value?: unknown;
}

/** What to change for some clusters. */
export interface OverrideValues {
  /**
   * Image registry, repository or tag of the main container.
   * @default - unchanged
   */
  readonly image?: ImageOverride;
  /**
   * Replica count in these clusters (not with autoscaling, which owns the count).
   * @default - unchanged
   */
  readonly replicas?: number;
  /**
   * Environment variables of the main container to add or replace; the others are kept.
   * @default - unchanged
   */
  readonly env?: Record<string, string>;
  /**
   * Resources of the main container.
   * @default - unchanged
   */
  readonly resources?: ResourceRequirements;
  /**
   * Command of the main container (replaces it).
   * @default - unchanged
   */
  readonly command?: string[];
  /**
   * Arguments of the main container (replace them).
   * @default - unchanged
   */
  readonly args?: string[];
  /**
   * Labels to add to the workload.
   * @default - unchanged
   */
  readonly labels?: Record<string, string>;
  /**
   * Annotations to add to the workload.
   * @default - unchanged
   */
  readonly annotations?: Record<string, string>;
  /**
   * Raw JSON-patch operations on the workload, applied last.
   * @default - none
   */
  readonly jsonPatch?: JsonPatchOperation[];
}

/** Overrides for the clusters a selector matches. */
export interface ClusterOverride extends OverrideValues {
  /** The clusters, e.g. `{ names: ['sh-1'] }` or `{ labels: { tier: 'edge' } }`. */
  readonly clusters: ClusterSelector;
}

/** The main container and workload facts the compiler needs. */
export interface OverrideContext {
  /** JSON pointer of the pod spec inside the workload. */
  readonly podSpecPath: string;
  /** Name of the main container (index 0). */
  readonly containerName: string;
  /** Image of the main container as rendered. */
  readonly image: string;
  /** Env of the main container as rendered (name → EnvVar JSON), in order. */
  readonly env: ReadonlyArray<Record<string, unknown>>;
}

/** Normalises the two accepted forms (list, or a map keyed by cluster name) to a list. */
export function normalizeOverrides(o: ClusterOverride[] | Record<string, OverrideValues> | undefined): ClusterOverride[] {
  if (!o) return [];
  if (Array.isArray(o)) return o;
  return Object.entries(o).map(([name, values]) => ({ ...values, clusters: { names: [name] } }));
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

/** Env list after an override: existing variables replaced in place, new ones appended. */
export function mergeEnv(base: ReadonlyArray<Record<string, unknown>>, env: Record<string, string>): Array<Record<string, unknown>> {
  const out = base.map((e) => (e.name as string) in env ? { name: e.name, value: env[e.name as string] } : { ...e });
  for (const [name, value] of Object.entries(env)) {
    if (!base.some((e) => e.name === name)) out.push({ name, value });
  }
  return out;
}

/**
 * Compiles one override to Karmada overriders. Env is written as the whole merged list (computed at
 * synthesis), because Karmada has no env overrider and index-based patches on arrays are brittle.
 */
export function compileOverriders(o: OverrideValues, ctx: OverrideContext): Record<string, unknown> {
  const container = `${ctx.podSpecPath}/containers/0`;
  const overriders: Record<string, any> = {};
  if (o.image) {
    const parts: Array<[string, string | undefined]> = [['Registry', o.image.registry], ['Repository', o.image.repository], ['Tag', o.image.tag]];
    overriders.imageOverrider = parts
      .filter(([, v]) => v !== undefined)
      .map(([component, value]) => ({ predicate: { path: `${container}/image` }, component, operator: 'replace', value }));
  }
  if (o.labels) overriders.labelsOverrider = [{ operator: 'add', value: o.labels }];
  if (o.annotations) overriders.annotationsOverrider = [{ operator: 'add', value: o.annotations }];
  const plaintext: Array<Record<string, unknown>> = [];
  // `add` on an object member replaces it when present (RFC 6902), so these work whether or not it exists.
  if (o.replicas !== undefined) plaintext.push({ path: '/spec/replicas', operator: 'add', value: o.replicas });
  if (o.command) plaintext.push({ path: `${container}/command`, operator: 'add', value: o.command });
  if (o.args) plaintext.push({ path: `${container}/args`, operator: 'add', value: o.args });
  if (o.resources) plaintext.push({ path: `${container}/resources`, operator: 'add', value: resourcesToJson(o.resources) });
  if (o.env) plaintext.push({ path: `${container}/env`, operator: 'add', value: mergeEnv(ctx.env, o.env) });
  for (const p of o.jsonPatch ?? []) plaintext.push({ path: p.path, operator: p.op, value: p.op === 'remove' ? undefined : p.value });
  if (plaintext.length > 0) overriders.plaintext = plaintext;
  return overriders;
}
