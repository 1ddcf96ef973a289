/** Checks of a FederatedApp's per-cluster overrides (rules 2, 13, 23, 25). */
import { checkKnownClusters, Fleet } from '../../core/fleet';
import { ImageTagPolicy } from '../../model/platform';
import { checkImageOverride } from './image-checks';
import { isEnvName, isJsonPointer, isLabelValue, isQualifiedName } from '../../core/names';
import { ProblemSink } from '../../core/problems';
import { ClusterOverride, JsonPatchOperation } from '../../model/overrides';
import { checkResources } from './app-checks-resources';
import { SECRET_NAME } from './app-checks';

/** What the override checks need to know about the app. */
export interface OverrideCheckContext {
  readonly fleet: Fleet;
  /** Clusters the tenant uses. */
  readonly tenantClusters: readonly string[];
  /** An autoscaler owns the replica count. */
  readonly autoscaled: boolean;
  /** The app's image as rendered; undefined when the image prop is not a string. */
  readonly image?: string;
  readonly imageTagPolicy: ImageTagPolicy;
}

/** Every override: its clusters, values and JSON patch; env overrides of one cluster must not overlap. */
export function checkOverrides(sink: ProblemSink, overrides: readonly ClusterOverride[], ctx: OverrideCheckContext): void {
  const envTargets: Array<{ index: number; clusters: Set<string> }> = [];
  overrides.forEach((o, i) => {
    const at = `overrides[${i}]`;
    if (!o || typeof o !== 'object' || !o.clusters) {
      sink.error('FP-OVERRIDE', at, o, 'an override needs `clusters`.', 'e.g. { clusters: { names: ["sh-1"] }, image: { registry: "..." } }.');
      return;
    }
    checkKnownClusters(sink, ctx.fleet, `${at}.clusters`, Fleet.namesIn(o.clusters));
    const hits = ctx.fleet.select(o.clusters).filter((c) => ctx.tenantClusters.includes(c.name));
    if (hits.length === 0) sink.warn('FP-OVERRIDE', `${at}.clusters`, o.clusters, 'this override matches no cluster the app can run on.', 'target a cluster of the placement.');
    checkOverrideValues(sink, at, o, ctx);
    (o.jsonPatch ?? []).forEach((p, j) => checkPatchOperation(sink, `${at}.jsonPatch[${j}]`, p));
    if (o.env) {
      const clusters = new Set(hits.map((c) => c.name));
      for (const other of envTargets) {
        const both = [...clusters].filter((c) => other.clusters.has(c));
        if (both.length > 0) sink.error('FP-OVERRIDE', `${at}.env`, both, `overrides[${other.index}] also sets env for ${both.join(', ')}; each env override writes the whole merged list, so the later would drop the earlier's variables.`, 'merge the two env overrides, or make their clusters disjoint.');
      }
      envTargets.push({ index: i, clusters });
    }
  });
}

/** Replicas, image, labels, annotations, env and resources of one override. */
function checkOverrideValues(sink: ProblemSink, at: string, o: ClusterOverride, ctx: OverrideCheckContext): void {
  if (o.replicas !== undefined && ctx.autoscaled) sink.error('K25', `${at}.replicas`, o.replicas, 'the autoscaler owns the replica count.', 'drop the replicas override.');
  if (o.replicas !== undefined && (!Number.isInteger(o.replicas) || o.replicas < 0)) sink.error('FP-REPLICAS', `${at}.replicas`, o.replicas, 'replicas must be a whole number ≥ 0.', 'use e.g. 2.');
  if (o.image) checkImageOverride(sink, `${at}.image`, ctx.image, o.image, ctx.imageTagPolicy);
  for (const [k, v] of Object.entries({ ...(o.labels ?? {}) })) {
    if (!isQualifiedName(k) || !isLabelValue(v)) sink.error('K2', `${at}.labels`, { [k]: v }, 'invalid label.', 'label keys are qualified names; values at most 63 alphanumerics, "-", "_" or ".".');
  }
  for (const k of Object.keys(o.annotations ?? {})) {
    if (!isQualifiedName(k)) sink.error('K2', `${at}.annotations`, k, 'invalid annotation key.', 'use a qualified name.');
  }
  for (const [name, v] of Object.entries(o.env ?? {})) {
    if (!isEnvName(name)) sink.error('FP-ENV', `${at}.env['${name}']`, name, 'not a valid environment variable name.', 'use letters, digits and "_".');
    if (SECRET_NAME.test(name) && v) sink.error('FP-ENV-SECRET', `${at}.env['${name}']`, '<redacted>', 'this looks like a secret inlined as a literal.', 'use a Secret and EnvValue.fromSecret() in env.');
  }
  if (o.resources) checkResources(sink, `${at}.resources`, o.resources);
}

/** One JSON patch operation (rule 23): what Karmada's plaintext overrider accepts. */
function checkPatchOperation(sink: ProblemSink, at: string, p: JsonPatchOperation): void {
  if (!['add', 'remove', 'replace'].includes(p?.op)) sink.error('K23', `${at}.op`, p?.op, 'Karmada plaintext overriders support add, remove and replace.', 'use one of those.');
  if (!isJsonPointer(p?.path) || p?.path === '') sink.error('K23', `${at}.path`, p?.path, 'not a valid RFC 6901 JSON pointer.', 'use e.g. "/spec/template/spec/nodeSelector" (escape "/" in keys as "~1").');
  if (p?.op === 'remove' && p.value !== undefined) sink.error('K23', `${at}.value`, p.value, 'remove takes no value.', 'drop value.');
  if (p?.op !== 'remove' && p?.value === undefined) sink.error('K23', `${at}.value`, undefined, `${p?.op} needs a value.`, 'give a value.');
}
