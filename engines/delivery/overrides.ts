import { overrideImage } from '../../core/image';
import { JsonPatch } from 'cdk8s';
import { resourcesToJson } from '../../core/pod';
import { ClusterOverride, JsonPatchOperation, OverrideValues } from '../../model/overrides';

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

/** Applies one override in place to a rendered workload, with the semantics of its Karmada compilation. */
export function applyOverride(json: Record<string, any>, o: OverrideValues): void {
  applyOverrideValues(json, o);
  if (o.jsonPatch?.length) applyJsonPatch(json, o.jsonPatch);
}

/** Applies the typed values of an override (everything but its JSON patch) in place. */
export function applyOverrideValues(json: Record<string, any>, o: OverrideValues): void {
  const container = json.spec.template.spec.containers[0];
  if (o.image) container.image = overrideImage(container.image, o.image);
  if (o.labels) json.metadata.labels = { ...(json.metadata.labels ?? {}), ...o.labels };
  if (o.annotations) json.metadata.annotations = { ...(json.metadata.annotations ?? {}), ...o.annotations };
  if (o.replicas !== undefined) json.spec.replicas = o.replicas;
  if (o.command) container.command = [...o.command];
  if (o.args) container.args = [...o.args];
  if (o.resources) container.resources = resourcesToJson(o.resources);
  if (o.env) container.env = mergeEnv(container.env ?? [], o.env);
}

/**
 * Applies a user's JSON patch in place. Throws when an operation does not apply (its parent path is
 * missing); the workload is then left as it was.
 */
export function applyJsonPatch(json: Record<string, any>, ops: readonly JsonPatchOperation[]): void {
  const patched = JsonPatch.apply(structuredClone(json), ...ops.map((p) => (p.op === 'remove' ? JsonPatch.remove(p.path) : p.op === 'add' ? JsonPatch.add(p.path, p.value) : JsonPatch.replace(p.path, p.value))));
  for (const k of Object.keys(json)) delete json[k];
  Object.assign(json, patched);
}
