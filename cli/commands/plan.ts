/** `fleetplane plan`: what the next synth would change in the output directory. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diffOutputs } from '../../outputs/diff';
import { readManifestDir } from '../../outputs/manifests';
import { CommandSpec, ParsedArgs } from '../args';
import { EXIT } from '../errors';
import { removeDir } from '../output-dir';
import { runProgram } from '../program';
import { readProject } from '../project';
import { Io, forwardOutput, reportFailure, shownPath } from '../run-output';
import { FORMAT_OPTION, printDiff } from './diff';
import { APP_OPTION, OUTPUT_OPTION } from './synth';

export const spec: CommandSpec = {
  name: 'plan',
  summary: 'Show what the next synth would change: the diff between the output directory and a fresh synth into a temporary directory (the output directory is not touched).',
  options: [APP_OPTION, OUTPUT_OPTION, FORMAT_OPTION],
  details: `
Exit codes: 0 no changes; 1 changes; 2 usage error, or the program failed (validation errors are
printed one per line, as by synth).`,
};

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const project = readProject(process.cwd(), { app: args.options.app as string | undefined, output: args.options.output as string | undefined });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-plan-'));
  try {
    const result = await runProgram(project, { outdir: scratch });
    if (!result.ok) {
      reportFailure(io, 'plan', result);
      return EXIT.ERROR;
    }
    forwardOutput(io, result, 'err');
    if (!fs.existsSync(project.output)) io.err(`fleetplane plan: ${shownPath(project.output)} does not exist yet; everything is new.\n`);
    return printDiff(io, diffOutputs(readManifestDir(project.output), readManifestDir(scratch)), args.options.format as string | undefined);
  } finally {
    removeDir(scratch);
  }
}
