import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';

/** Synthesized output: file name → objects, in file order. */
export type Output = Record<string, any[]>;

/** Reads every YAML file of an output directory, and those of its subdirectories (the GitOps layout) by relative path. */
export function readOutput(dir: string, sub = ''): Output {
  const out: Output = {};
  for (const f of fs.readdirSync(path.join(dir, sub)).sort()) {
    const rel = sub ? `${sub}/${f}` : f;
    if (fs.statSync(path.join(dir, rel)).isDirectory()) Object.assign(out, readOutput(dir, rel));
    else if (f.endsWith('.yaml')) out[rel] = YAML.parseAllDocuments(fs.readFileSync(path.join(dir, rel), 'utf8')).map((d) => d.toJSON()).filter((x) => x);
  }
  return out;
}

/** A fresh temporary directory. */
export function tmpDir(prefix = 'fleetplane-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Builds an app with `build`, synthesizes it with cdk8s into a temp dir, and returns the parsed files. */
export function synth(build: (app: App) => void): Output {
  const dir = tmpDir();
  const app = new App({ outdir: dir });
  build(app);
  app.synth();
  return readOutput(dir);
}

/** All objects of an output. */
export function all(out: Output): any[] {
  return Object.values(out).flat();
}

/** Finds one object by kind and name (and file, optionally). */
export function find(out: Output, kind: string, name: string, file?: string): any {
  const objs = file ? out[file] ?? [] : all(out);
  const hit = objs.filter((o) => o.kind === kind && o.metadata?.name === name);
  if (hit.length !== 1) throw new Error(`expected one ${kind} ${name}${file ? ` in ${file}` : ''}, found ${hit.length}`);
  return hit[0];
}
