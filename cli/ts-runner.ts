/**
 * Runs a TypeScript program for the CLI's fast path (see fast-path.ts): `.ts` files are compiled to CommonJS
 * with esbuild's transform, cached by content, and everything else loads as Node loads it. The program runs
 * as the main module, as under tsx. When esbuild cannot compile a file to CommonJS (top-level await, for
 * instance), the runner exits with FALLBACK_EXIT_CODE and the CLI runs the `app` command as written.
 *
 * Compiling the JavaScript of the library and its dependencies is most of a synth's start-up (Node 20 has no
 * compile cache of its own), so the runner keeps V8's code cache of every `.js` module it loads.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import Module = require('module');

/** Exit code asking the CLI to run the program through its own command instead. */
export const FALLBACK_EXIT_CODE = 86;

interface Esbuild {
  readonly version: string;
  transformSync(code: string, options: Record<string, unknown>): { code: string };
}

/** The nearest tsconfig.json's text (esbuild reads its compilerOptions: decorators, class fields, JSX). */
function tsconfigText(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const f = path.join(d, 'tsconfig.json');
    if (fs.existsSync(f)) return fs.readFileSync(f, 'utf8');
    if (path.dirname(d) === d) return undefined;
  }
}

function cacheDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  const dir = path.join(os.tmpdir(), `fleetplane-ts-cache-${uid}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

interface CompilingModule {
  exports: unknown;
  require(id: string): unknown;
}

/** The `require` Node gives a module (the parts programs and libraries use). */
function requireFor(mod: CompilingModule): NodeJS.Require {
  const internals = Module as unknown as { _resolveFilename(r: string, m: unknown, main: boolean, o?: unknown): string; _resolveLookupPaths(r: string, m: unknown): string[] | null; _extensions: unknown; _cache: unknown };
  const require = ((id: string) => mod.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: unknown) => internals._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => internals._resolveLookupPaths(request, mod);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = internals._extensions as NodeJS.RequireExtensions;
  require.cache = internals._cache as NodeJS.Dict<NodeModule>;
  return require;
}

/**
 * Compiles `.js` modules with V8's code cache, kept per file (path, size and modification time) and Node
 * version. Files with a dynamic `import()` keep Node's own compile, which wires the ES module loader to it.
 */
function installCodeCache(dir: string): void {
  const proto = Module.prototype as unknown as { _compile(this: CompilingModule, content: string, filename: string): unknown };
  const original = proto._compile;
  const fresh: Array<[string, vm.Script]> = [];
  proto._compile = function compileWithCache(content, filename) {
    if (!filename.endsWith('.js') || /\bimport\s*\(/.test(content)) return original.call(this, content, filename);
    const stat = fs.statSync(filename);
    const file = path.join(dir, `${crypto.createHash('sha256').update(`${process.version}\0${filename}\0${stat.size}\0${stat.mtimeMs}`).digest('hex')}.v8`);
    const cachedData = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    const script = new vm.Script(Module.wrap(content.replace(/^#!.*/, '')), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) fresh.push([file, script]);
    const fn = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return fn.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };
  // Written at exit, when the cache also holds the functions the run compiled lazily.
  process.on('exit', () => {
    for (const [file, script] of fresh) {
      const tmp = `${file}.${process.pid}`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, file);
    }
  });
}

function installHook(esbuildPath: string, entry: string, dir: string): void {
  const tsconfig = tsconfigText(path.dirname(entry));
  let esbuild: Esbuild | undefined;
  const compile = (source: string, filename: string): string => {
    const key = crypto.createHash('sha256').update(`${esbuildPath}\0${tsconfig ?? ''}\0${filename}\0${source}`).digest('hex');
    const cached = path.join(dir, `${key}.js`);
    if (fs.existsSync(cached)) return fs.readFileSync(cached, 'utf8');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    esbuild ??= require(esbuildPath) as Esbuild;
    let code: string;
    try {
      code = esbuild.transformSync(source, {
        loader: 'ts', format: 'cjs', target: `node${process.versions.node.split('.')[0]}`, sourcefile: filename, sourcemap: 'inline', tsconfigRaw: tsconfig,
      }).code;
    } catch (e) {
      // esbuild's own compile error (it carries `errors`): let the real command run and report it.
      if (!Array.isArray((e as { errors?: unknown }).errors)) throw e;
      process.stderr.write(`fleetplane: the fast path cannot compile ${filename}; running the app command as written.\n`);
      process.exit(FALLBACK_EXIT_CODE);
    }
    const tmp = `${cached}.${process.pid}`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, cached); // atomic, so parallel runs never read half a file
    return code;
  };
  const extensions = (Module as unknown as { _extensions: Record<string, (m: Module, f: string) => void> })._extensions;
  extensions['.ts'] = extensions['.cts'] = (module, filename) => {
    (module as unknown as { _compile(code: string, file: string): void })._compile(compile(fs.readFileSync(filename, 'utf8'), filename), filename);
  };
}

function main(): void {
  const entry = process.env.FLEETPLANE_TS_ENTRY;
  const esbuildPath = process.env.FLEETPLANE_ESBUILD;
  if (!entry || !esbuildPath) {
    process.stderr.write('fleetplane ts-runner: FLEETPLANE_TS_ENTRY and FLEETPLANE_ESBUILD must be set (the CLI sets them).\n');
    process.exit(2);
  }
  const dir = cacheDir();
  installCodeCache(dir);
  installHook(esbuildPath, entry, dir);
  // No source maps: parsing the inline maps of cdk8s costs more than the program's own work, and a program
  // that crashes is run again under its app command, whose stack trace the CLI shows.
  process.argv[1] = entry;
  (Module as unknown as { runMain(): void }).runMain();
}

if (require.main === module) main();
