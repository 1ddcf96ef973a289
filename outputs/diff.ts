/**
 * Object-level diff of two synthesized outputs: per manifest file, the objects added, removed and changed,
 * each change as a JSON path with its old and new value. Replica, image and placement changes (what an
 * operator checks first in a review) are collected into a summary.
 */
import { Manifest, ManifestFile, manifestKey, manifestRef } from './manifests';

/** One changed field of an object. */
export interface FieldChange {
  /** JSON path from the object's root, e.g. `spec.template.spec.containers[0].image`. */
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly old?: unknown;
  readonly new?: unknown;
}

/** One object present on both sides with different content. */
export interface ObjectChange {
  /** `Kind namespace/name`. */
  readonly ref: string;
  readonly fields: readonly FieldChange[];
}

/** The differences in one manifest file. */
export interface FileDiff {
  readonly file: string;
  /** `added`/`removed`: the whole file is new or gone. */
  readonly status: 'added' | 'removed' | 'changed';
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly ObjectChange[];
}

/** What a summary line is about. */
export type SummaryTopic = 'replicas' | 'image' | 'placement';

/** A change worth reading first. */
export interface SummaryItem {
  readonly topic: SummaryTopic;
  readonly file: string;
  readonly ref: string;
  /** The changed field; absent when the whole object was added or removed. */
  readonly path?: string;
  readonly old?: unknown;
  readonly new?: unknown;
  /** One line for a reader. */
  readonly text: string;
}

/** The diff of two outputs. */
export interface OutputDiff {
  readonly equal: boolean;
  readonly summary: readonly SummaryItem[];
  /** Files with differences, by name. */
  readonly files: readonly FileDiff[];
  readonly totals: { readonly added: number; readonly removed: number; readonly changed: number };
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'EdgeApplication']);

/** Compares two outputs (as `readManifestDir` reads them) object by object. */
export function diffOutputs(before: readonly ManifestFile[], after: readonly ManifestFile[]): OutputDiff {
  const names = [...new Set([...before.map((f) => f.file), ...after.map((f) => f.file)])].sort();
  const files: FileDiff[] = [];
  for (const file of names) {
    const a = before.find((f) => f.file === file);
    const b = after.find((f) => f.file === file);
    const d = diffFile(file, a?.objects ?? [], b?.objects ?? [], !a ? 'added' : !b ? 'removed' : 'changed');
    if (d.added.length + d.removed.length + d.changed.length > 0 || !a || !b) files.push(d);
  }
  const summary = files.flatMap((f) => summarize(f, before.find((x) => x.file === f.file)?.objects ?? [], after.find((x) => x.file === f.file)?.objects ?? []));
  const totals = {
    added: files.reduce((n, f) => n + f.added.length, 0),
    removed: files.reduce((n, f) => n + f.removed.length, 0),
    changed: files.reduce((n, f) => n + f.changed.length, 0),
  };
  return { equal: files.length === 0, summary, files, totals };
}

function diffFile(file: string, before: readonly Manifest[], after: readonly Manifest[], status: FileDiff['status']): FileDiff {
  const old = new Map(before.map((o) => [manifestKey(o), o]));
  const now = new Map(after.map((o) => [manifestKey(o), o]));
  const added = after.filter((o) => !old.has(manifestKey(o))).map(manifestRef);
  const removed = before.filter((o) => !now.has(manifestKey(o))).map(manifestRef);
  const changed: ObjectChange[] = [];
  for (const o of after) {
    const prev = old.get(manifestKey(o));
    if (!prev) continue;
    const fields = diffValues(prev, o);
    if (fields.length > 0) changed.push({ ref: manifestRef(o), fields });
  }
  return { file, status, added, removed, changed };
}

/** The field changes between two JSON values, as JSON paths (`` for the root). */
export function diffValues(a: unknown, b: unknown, at = ''): FieldChange[] {
  if (deepEqual(a, b)) return [];
  if (isPlainObject(a) && isPlainObject(b)) {
    const out: FieldChange[] = [];
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const p = joinPath(at, k);
      if (!(k in b)) out.push({ path: p, change: 'removed', old: a[k] });
      else if (!(k in a)) out.push({ path: p, change: 'added', new: b[k] });
      else out.push(...diffValues(a[k], b[k], p));
    }
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].some((x) => typeof x === 'object' && x !== null)) return diffArrays(a, b, at);
  return [{ path: at, change: 'changed', old: a, new: b }];
}

/** Arrays of objects: matched by `name` when every element has a unique one (containers, ports, env), else by index. */
function diffArrays(a: unknown[], b: unknown[], at: string): FieldChange[] {
  const named = (xs: unknown[]) => xs.every((x) => isPlainObject(x) && typeof x.name === 'string') && new Set(xs.map((x) => (x as { name: string }).name)).size === xs.length;
  if (named(a) && named(b)) {
    const key = (x: unknown) => (x as { name: string }).name;
    const out: FieldChange[] = [];
    a.forEach((x, i) => {
      if (!b.some((y) => key(y) === key(x))) out.push({ path: `${at}[${i}]`, change: 'removed', old: x });
    });
    b.forEach((y, i) => {
      const j = a.findIndex((x) => key(x) === key(y));
      if (j < 0) out.push({ path: `${at}[${i}]`, change: 'added', new: y });
      else out.push(...diffValues(a[j], y, `${at}[${i}]`));
    });
    return out;
  }
  const out: FieldChange[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i >= b.length) out.push({ path: `${at}[${i}]`, change: 'removed', old: a[i] });
    else if (i >= a.length) out.push({ path: `${at}[${i}]`, change: 'added', new: b[i] });
    else out.push(...diffValues(a[i], b[i], `${at}[${i}]`));
  }
  return out;
}

function joinPath(at: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return at ? `${at}.${key}` : key;
  return `${at}[${JSON.stringify(key)}]`;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The summary topic of a changed field, if it is one an operator reads first. */
export function topicOf(path: string): SummaryTopic | undefined {
  const last = path.replace(/\[[^\]]*\]$/, '').split('.').pop() ?? '';
  if (/(^|\.)replicaScheduling(\.|\[|$)/.test(path) || /^(replicas|minReplicas|maxReplicas)$/.test(last)) return 'replicas';
  if (last === 'image' || /imageOverrider/.test(path)) return 'image';
  if (/^spec\.placement(\.|\[|$)/.test(path) || /(^|\.)clusterNames(\[|$)/.test(path) || /^spec\.(providerClusters|consumerClusters)/.test(path)) return 'placement';
  return undefined;
}

function summarize(f: FileDiff, before: readonly Manifest[], after: readonly Manifest[]): SummaryItem[] {
  const out: SummaryItem[] = [];
  for (const c of f.changed) {
    for (const field of c.fields) {
      const topic = topicOf(field.path);
      if (topic) out.push({ topic, file: f.file, ref: c.ref, path: field.path, old: field.old, new: field.new, text: `${c.ref}: ${field.path} ${show(field.old)} → ${show(field.new)}` });
    }
  }
  const workload = (objs: readonly Manifest[], ref: string) => objs.find((o) => manifestRef(o) === ref && WORKLOAD_KINDS.has(o.kind));
  for (const ref of f.added) {
    const o = workload(after, ref);
    if (o) out.push({ topic: 'replicas', file: f.file, ref, new: o.spec?.replicas, text: `${ref}: added${o.spec?.replicas !== undefined ? ` with ${o.spec.replicas} replicas` : ''}` });
  }
  for (const ref of f.removed) {
    const o = workload(before, ref);
    if (o) out.push({ topic: 'replicas', file: f.file, ref, old: o.spec?.replicas, text: `${ref}: removed${o.spec?.replicas !== undefined ? ` (had ${o.spec.replicas} replicas)` : ''}` });
  }
  return out;
}

/** A value on one line, shortened: `undefined` shows as `(none)`. */
function show(v: unknown): string {
  if (v === undefined) return '(none)';
  const s = JSON.stringify(v);
  return s.length > 100 ? `${s.slice(0, 97)}...` : s;
}

/** The diff as text: the summary first, then each file's added (+), removed (-) and changed (~) objects. */
export function formatDiff(d: OutputDiff): string {
  if (d.equal) return 'No differences.\n';
  const lines: string[] = [];
  if (d.summary.length > 0) {
    lines.push('Summary:');
    const order: SummaryTopic[] = ['replicas', 'image', 'placement'];
    for (const s of [...d.summary].sort((x, y) => order.indexOf(x.topic) - order.indexOf(y.topic))) lines.push(`  ${s.topic.padEnd(9)}  ${s.text}  [${s.file}]`);
    lines.push('');
  }
  for (const f of d.files) {
    const what = f.status === 'changed' ? '' : f.status === 'added' ? ' (new file)' : ' (file removed)';
    lines.push(`${f.file}${what}: ${f.added.length} added, ${f.removed.length} removed, ${f.changed.length} changed`);
    for (const r of f.added) lines.push(`  + ${r}`);
    for (const r of f.removed) lines.push(`  - ${r}`);
    for (const c of f.changed) {
      lines.push(`  ~ ${c.ref}`);
      for (const x of c.fields) {
        const text = x.change === 'added' ? `added ${show(x.new)}` : x.change === 'removed' ? `removed (was ${show(x.old)})` : `${show(x.old)} → ${show(x.new)}`;
        lines.push(`      ${x.path || '(object)'}: ${text}`);
      }
    }
  }
  lines.push('', `${d.totals.added} added, ${d.totals.removed} removed, ${d.totals.changed} changed in ${d.files.length} file(s).`);
  return `${lines.join('\n')}\n`;
}
