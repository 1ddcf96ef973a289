#!/usr/bin/env node
/**
 * The `fleetplane` command. Each command is a thin layer over library functions (outputs/): it parses its
 * options, runs the user's program where needed, and maps the outcome to an exit code: 0 ok, 1 findings
 * (validation errors, differences), 2 usage or internal error. Command modules load only when chosen, so
 * `--help` and `diff` do not pay for the synthesis library.
 */
import { CommandSpec, ParsedArgs, commandHelp, parseArgs } from './args';
import { CliError, EXIT, UsageError } from './errors';
import { Io, STDIO } from './run-output';

interface CommandModule {
  readonly spec: CommandSpec;
  run(args: ParsedArgs, io: Io): Promise<number>;
}

/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, () => CommandModule> = {
  synth: () => require('./commands/synth'),
  validate: () => require('./commands/validate'),
  plan: () => require('./commands/plan'),
  diff: () => require('./commands/diff'),
  graph: () => require('./commands/graph'),
  check: () => require('./commands/check'),
  promote: () => require('./commands/promote'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

function version(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../../package.json') as { version: string }).version;
}

/** One line per command for the top-level help (kept here so `--help` loads no command module). */
const SUMMARIES: Record<keyof typeof COMMANDS, string> = {
  synth: 'Synthesize the manifests; replace the output directory only when the program succeeded',
  validate: 'Validate the platform definition and print every error and warning; write nothing',
  plan: 'Show what the next synth would change in the output directory',
  diff: 'Compare two output directories object by object',
  graph: 'Draw the platform topology as SVG or Mermaid',
  check: 'Check that every declared path connects, in every cluster pair, and print the matrix',
  promote: "Release an app's next rollout wave when its SLO gate passes",
};

/** The top-level help: every command with its summary. */
export function mainHelp(): string {
  const rows = Object.keys(COMMANDS).map((name) => [name, SUMMARIES[name]]);
  const width = Math.max(...rows.map(([n]) => n.length));
  return [
    'Usage: fleetplane <command> [options]',
    '',
    'Synthesize, validate, compare and draw fleetplane platforms. Run in the directory of cdk8s.yaml.',
    '',
    'Commands:',
    ...rows.map(([n, s]) => `  ${n.padEnd(width)}  ${s}`),
    '',
    'Run "fleetplane <command> --help" for the options of a command.',
    'Exit codes: 0 ok; 1 findings (validation errors, differences); 2 usage or internal error.',
    '',
  ].join('\n');
}

/** Runs the CLI with the given words and returns the exit code. */
export async function main(argv: readonly string[], io: Io = STDIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    if (name === 'help' && rest[0] && COMMANDS[rest[0]]) io.out(commandHelp(COMMANDS[rest[0]]().spec));
    else io.out(mainHelp());
    return name === undefined ? EXIT.ERROR : EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${version()}\n`);
    return EXIT.OK;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.err(`fleetplane: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}. Run "fleetplane --help".\n`);
    return EXIT.ERROR;
  }
  const command = load();
  try {
    const args = parseArgs(command.spec, rest);
    if (args.help) {
      io.out(commandHelp(command.spec));
      return EXIT.OK;
    }
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`fleetplane ${name}: ${e.message}\nRun "fleetplane ${name} --help" for usage.\n`);
      return EXIT.ERROR;
    }
    if (e instanceof CliError) {
      io.err(`fleetplane ${name}: ${e.message}\n`);
      return e.exitCode;
    }
    // Anything else is a bug in the CLI: show it whole, so it can be reported.
    io.err(`fleetplane ${name}: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.ERROR;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
