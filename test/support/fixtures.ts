// Helpers the suites share: picking objects from an output, running a program that must fail, and collecting
// the problems of a program without synthesizing it.
import * as fs from 'fs';
import { App } from 'cdk8s';
import { DistributedPlatform, PlatformValidationError, Problem } from '../../index';
import { Output, all, tmpDir } from './synth';

/** Exactly one object of a kind and name (optionally in one file and namespace). */
export function pick(out: Output, kind: string, name: string, opts: { file?: string; ns?: string } = {}): any {
  const objs = every(out, kind, name, opts);
  if (objs.length !== 1) throw new Error(`expected one ${kind} ${opts.ns ?? ''}/${name}${opts.file ? ` in ${opts.file}` : ''}, found ${objs.length}`);
  return objs[0];
}

/** Every object of a kind and name (optionally in one file and namespace). */
export function every(out: Output, kind: string, name: string, opts: { file?: string; ns?: string } = {}): any[] {
  return (opts.file ? out[opts.file] ?? [] : all(out)).filter(
    (o) => o.kind === kind && o.metadata?.name === name && (opts.ns === undefined || o.metadata.namespace === opts.ns),
  );
}

export function yamlFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')) : [];
}

/** Builds a program and returns every problem `problems()` reports, without synthesizing. */
export function problemsOf(build: (app: App) => DistributedPlatform): Problem[] {
  return build(new App({ outdir: tmpDir() })).problems();
}

/** Builds a program, synthesizes it, and returns the error synthesis threw (or fails the test). */
export function synthError(build: (app: App) => void): { error: PlatformValidationError; dir: string } {
  const dir = tmpDir();
  const app = new App({ outdir: dir });
  build(app);
  let thrown: unknown;
  try {
    app.synth();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error('expected app.synth() to throw a PlatformValidationError, but it succeeded');
  if (!(thrown instanceof PlatformValidationError)) {
    throw new Error(`expected a PlatformValidationError, got ${(thrown as Error)?.name}: ${(thrown as Error)?.message ?? thrown}`);
  }
  return { error: thrown, dir };
}
