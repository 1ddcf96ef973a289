/**
 * Reading a synthesized output directory back: one entry per manifest file (`<chart>.k8s.yaml`, as
 * `cdk8s synth` and FleetApp write them), its objects in file order. What `diffOutputs` compares and what the
 * topology is derived from.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as jsyaml from 'js-yaml';
import { manifestFiles } from './manifest-files';

/** A Kubernetes object as read from a manifest file. */
export type Manifest = Record<string, any>;

/** The objects of one manifest file. */
export interface ManifestFile {
  /** File name, relative to the output directory. */
  readonly file: string;
  readonly objects: readonly Manifest[];
}

/** Parses the YAML documents of one manifest file (empty documents are skipped). */
export function parseManifests(text: string, file = '<text>'): Manifest[] {
  const docs = jsyaml.loadAll(text, undefined, { filename: file });
  return docs.filter((d): d is Manifest => d !== null && typeof d === 'object' && !Array.isArray(d));
}

/**
 * Reads every `.yaml`/`.yml` file of an output directory, sorted by name. A directory that does not exist
 * reads as empty (nothing synthesized yet).
 */
export function readManifestDir(dir: string): ManifestFile[] {
  if (!fs.existsSync(dir)) return [];
  if (!fs.statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory.`);
  return manifestFiles(dir).map((file) => ({ file, objects: parseManifests(fs.readFileSync(path.join(dir, file), 'utf8'), file) }));
}


/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → `` for the core group). */
export function apiGroup(apiVersion: unknown): string {
  const v = String(apiVersion ?? '');
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

/** Identity of an object within an output: group, kind, namespace and name (the version may change). */
export function manifestKey(o: Manifest): string {
  return `${apiGroup(o.apiVersion)}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

/** How an object is named to a reader: `Deployment shop/web`, or `Namespace shop` when cluster-scoped. */
export function manifestRef(o: Manifest): string {
  const ns = o.metadata?.namespace;
  return `${o.kind} ${ns ? `${ns}/` : ''}${o.metadata?.name ?? '?'}`;
}
