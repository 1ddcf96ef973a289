/**
 * The fast path for TypeScript programs. `node --import tsx main.ts` spends about a second of a two-second
 * synth in tsx's loader hooks (a module-loading thread and a check of every file loaded, fleetplane's and
 * cdk8s' JavaScript included). When `app` is one of the usual TypeScript runners on one `.ts` file, the CLI
 * runs the program with its own runner instead: only `.ts` files are compiled, with the esbuild that tsx
 * brings, and the result is cached by content. Anything else (other commands, shell syntax, an ES module
 * package, tsconfig path mapping) runs through the shell exactly as written, and so does a program the fast
 * path ran that failed for any reason but validation errors. `FLEETPLANE_NO_FAST_PATH=1` turns it off.
 */
import * as fs from 'fs';
import * as path from 'path';

/** How to run the program without the shell. */
export interface FastCommand {
  /** The TypeScript entry file, absolute. */
  readonly entry: string;
  /** esbuild's package entry, resolved from the project. */
  readonly esbuild: string;
}

const TS_RUNNERS: readonly RegExp[] = [
  /^node (?:--import[= ]tsx|--loader[= ]tsx|--require[= ]tsx\/cjs|-r tsx\/cjs) (\S+\.c?ts)$/,
  /^(?:npx |npx --no-install )?tsx (\S+\.c?ts)$/,
  /^(?:npx |npx --no-install )?ts-node (\S+\.c?ts)$/,
];

/** The fast command for `app` run in `dir`, or undefined when the program must run as written. */
export function fastCommand(app: string, dir: string): FastCommand | undefined {
  if (process.env.FLEETPLANE_NO_FAST_PATH === '1') return undefined;
  const normalized = app.trim().replace(/\s+/g, ' ');
  const file = TS_RUNNERS.map((re) => re.exec(normalized)?.[1]).find((f) => f !== undefined);
  if (!file) return undefined;
  const entry = path.resolve(dir, file);
  if (!fs.existsSync(entry) || isEsmPackage(path.dirname(entry)) || usesPathMapping(path.dirname(entry))) return undefined;
  const esbuild = resolveEsbuild(dir);
  return esbuild ? { entry, esbuild } : undefined;
}

/** Whether the nearest package.json declares `"type": "module"` (then `.ts` files are ES modules). */
function isEsmPackage(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    const pkg = path.join(d, 'package.json');
    if (fs.existsSync(pkg)) return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { type?: string }).type === 'module';
    if (path.dirname(d) === d) return false;
  }
}

/** Whether the nearest tsconfig.json maps module paths (tsx resolves `paths` and `baseUrl`; a transform does not). */
function usesPathMapping(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    const f = path.join(d, 'tsconfig.json');
    if (fs.existsSync(f)) return /"(paths|baseUrl)"\s*:/.test(fs.readFileSync(f, 'utf8'));
    if (path.dirname(d) === d) return false;
  }
}

/** esbuild as the project has it: its own dependency, or the one tsx depends on. */
function resolveEsbuild(dir: string): string | undefined {
  const attempts: Array<() => string> = [
    () => require.resolve('esbuild', { paths: [dir] }),
    () => require.resolve('esbuild', { paths: [path.dirname(require.resolve('tsx/package.json', { paths: [dir] }))] }),
  ];
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch (e) {
      // Not installed that way: try the next place (MODULE_NOT_FOUND is the only expected failure).
      if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    }
  }
  return undefined;
}
