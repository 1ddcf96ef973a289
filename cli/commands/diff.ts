/** `fleetplane diff OLD NEW`: object-level diff of two output directories. */
import * as fs from 'fs';
import { diffOutputs, formatDiff, OutputDiff } from '../../outputs/diff';
import { readManifestDir } from '../../outputs/manifests';
import { CommandSpec, ParsedArgs } from '../args';
import { CliError, EXIT } from '../errors';
import { Io } from '../run-output';

export const FORMAT_OPTION = { name: 'format', alias: 'f', value: 'FORMAT', choices: ['text', 'json'], description: 'Output format (default text).' } as const;

export const spec: CommandSpec = {
  name: 'diff',
  summary: 'Compare two output directories object by object: added, removed and changed objects per file, with replica, image and placement changes summarized first.',
  positionals: ['OLD', 'NEW'],
  options: [FORMAT_OPTION],
  details: `
Objects are matched by API group, kind, namespace and name. Changed fields are shown as JSON paths
(list items that have a name, such as containers, ports and env, are matched by name).

Exit codes: 0 equal; 1 different; 2 usage error or unreadable directory.`,
};

/** Prints a diff in the chosen format and returns the exit code (0 equal, 1 different). */
export function printDiff(io: Io, d: OutputDiff, format: string | undefined): number {
  io.out(format === 'json' ? `${JSON.stringify(d, null, 2)}\n` : formatDiff(d));
  return d.equal ? EXIT.OK : EXIT.FINDINGS;
}

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const [before, after] = args.positionals;
  for (const dir of [before, after]) {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CliError(`${dir} is not a directory. Fix: pass two output directories, e.g. fleetplane diff dist-old dist.`);
  }
  return printDiff(io, diffOutputs(readManifestDir(before), readManifestDir(after)), args.options.format as string | undefined);
}
