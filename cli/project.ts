/**
 * The project a command works on, read from `cdk8s.yaml` in the working directory as the cdk8s CLI reads it:
 * `app` is the shell command that runs the program, `output` the directory it writes to (default `dist`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CliError } from './errors';

/** What a command needs to run the program. */
export interface Project {
  /** The directory holding cdk8s.yaml (the working directory); the program runs there. */
  readonly dir: string;
  /** The shell command that runs the program. */
  readonly app: string;
  /** The output directory, absolute. */
  readonly output: string;
}

/** Reads cdk8s.yaml from `dir`; `--app` and `--output` win over its values. */
export function readProject(dir: string, overrides: { app?: string; output?: string } = {}): Project {
  const file = path.join(dir, 'cdk8s.yaml');
  const config = fs.existsSync(file) ? readConfig(file) : {};
  const app = overrides.app ?? config.app;
  if (typeof app !== 'string' || app.trim() === '') {
    const where = fs.existsSync(file) ? `${file} has no "app" command` : `no cdk8s.yaml in ${dir}`;
    throw new CliError(`${where}. Fix: run fleetplane in the directory of your cdk8s.yaml, or pass --app "node --import tsx main.ts".`);
  }
  const output = overrides.output ?? config.output ?? 'dist';
  if (typeof output !== 'string' || output.trim() === '') throw new CliError(`${file}: "output" must be a directory name.`);
  return { dir, app, output: path.resolve(dir, output) };
}

/** A top-level `key: value` line with a plain or quoted scalar (what every cdk8s.yaml has). */
const SIMPLE_LINE = /^([A-Za-z_][\w-]*):[ \t]*("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#&*!|>'"%@`{[][^#]*?)?(?:[ \t]+#.*)?[ \t]*$/;

/**
 * Reads cdk8s.yaml. Its usual shape (top-level scalars, lists of imports) is read line by line, which saves
 * loading a YAML parser on every synth; anything else is parsed by js-yaml.
 */
function readConfig(file: string): Record<string, unknown> {
  const text = fs.readFileSync(file, 'utf8');
  const simple: Record<string, unknown> = {};
  let plain = true;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(#.*)?$/.test(line) || /^\s+- /.test(line)) continue; // blank, comment, or an item of a list such as imports
    const m = SIMPLE_LINE.exec(line);
    if (!m) {
      plain = false;
      break;
    }
    const v = m[2];
    simple[m[1]] = v === undefined ? null : v.startsWith('"') ? JSON.parse(v) : v.startsWith("'") ? v.slice(1, -1).replace(/''/g, "'") : v;
  }
  if (plain) return simple;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require('js-yaml') as typeof import('js-yaml');
  const parsed = yaml.load(text, { filename: file });
  if (parsed !== undefined && parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) throw new CliError(`${file}: expected a mapping with "app" and "output".`);
  return (parsed ?? {}) as Record<string, unknown>;
}
