/**
 * A small command-line parser: `--flag value`, `--flag=value`, boolean switches, short aliases and
 * positionals. No dependency, so `fleetplane --help` starts in a few tens of milliseconds.
 */
import { UsageError } from './errors';

/** One option of a command. */
export interface OptionSpec {
  /** Long name without dashes, e.g. `output`. */
  readonly name: string;
  /** One-letter alias without the dash, e.g. `o`. */
  readonly alias?: string;
  /** Placeholder of the value (e.g. `DIR`); absent for a switch. */
  readonly value?: string;
  /** Allowed values, checked when given. */
  readonly choices?: readonly string[];
  /** One line of help. */
  readonly description: string;
}

/** A command's syntax, for parsing and for its help text. */
export interface CommandSpec {
  readonly name: string;
  /** One line: what the command does. */
  readonly summary: string;
  /** Positional arguments, e.g. `['OLD', 'NEW']`; all required. */
  readonly positionals?: readonly string[];
  readonly options: readonly OptionSpec[];
  /** Paragraphs after the options: exit codes, examples. */
  readonly details?: string;
}

/** The parsed command line. */
export interface ParsedArgs {
  readonly options: Readonly<Record<string, string | true | undefined>>;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

const HELP: OptionSpec = { name: 'help', alias: 'h', description: 'Show this help.' };

/** Parses `argv` (the words after the command name) against a command's spec. */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options: Record<string, string | true> = {};
  const positionals: string[] = [];
  const all = [...spec.options, HELP];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      positionals.push(word);
      continue;
    }
    const [flag, inline] = word.startsWith('--') ? splitOnce(word.slice(2), '=') : [word.slice(1), undefined];
    const opt = all.find((o) => (word.startsWith('--') ? o.name === flag : o.alias === flag));
    if (!opt) throw new UsageError(`unknown option ${word}`, spec.name);
    if (!opt.value) {
      if (inline !== undefined) throw new UsageError(`--${opt.name} takes no value`, spec.name);
      options[opt.name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('-') && value !== '-')) throw new UsageError(`--${opt.name} needs a value (${opt.value})`, spec.name);
    if (opt.choices && !opt.choices.includes(value)) throw new UsageError(`--${opt.name} must be one of ${opt.choices.join(', ')} (got "${value}")`, spec.name);
    options[opt.name] = value;
  }
  const help = options.help === true;
  const wanted = spec.positionals ?? [];
  if (!help && positionals.length !== wanted.length) {
    const what = wanted.length === 0 ? 'no arguments' : `${wanted.length} argument(s): ${wanted.join(' ')}`;
    throw new UsageError(`expected ${what}, got ${positionals.length === 0 ? 'none' : positionals.map((p) => `"${p}"`).join(' ')}`, spec.name);
  }
  return { options, positionals, help };
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const at = s.indexOf(sep);
  return at < 0 ? [s, undefined] : [s.slice(0, at), s.slice(at + 1)];
}

/** The help text of a command. */
export function commandHelp(spec: CommandSpec): string {
  const usage = [`fleetplane ${spec.name}`, ...(spec.positionals ?? []), spec.options.length > 0 ? '[options]' : ''].filter(Boolean).join(' ');
  const rows = [...spec.options, HELP].map((o) => [`${o.alias ? `-${o.alias}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`, o.description + (o.choices ? ` (${o.choices.join(' | ')})` : '')]);
  const width = Math.max(...rows.map(([l]) => l.length));
  return [
    `Usage: ${usage}`,
    '',
    spec.summary,
    '',
    'Options:',
    ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`),
    ...(spec.details ? ['', spec.details.trim()] : []),
    '',
  ].join('\n');
}
