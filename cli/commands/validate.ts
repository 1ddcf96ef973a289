/** `fleetplane validate`: run the program's validation only and print every problem. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CommandSpec, ParsedArgs } from '../args';
import { EXIT } from '../errors';
import { removeDir } from '../output-dir';
import { runProgram } from '../program';
import { readProject } from '../project';
import { Io, problemCounts, problemLines, reportFailure } from '../run-output';
import { APP_OPTION } from './synth';

export const spec: CommandSpec = {
  name: 'validate',
  summary: 'Validate the platform definition without writing any manifest, and print every error and warning.',
  options: [APP_OPTION],
  details: `
FleetApp programs stop after validation (FLEETPLANE_VALIDATE_ONLY=1); a program on a plain cdk8s App
synthesizes into a temporary directory that is then discarded. The output directory is never touched.

Exit codes: 0 no errors (warnings may be printed); 1 validation errors; 2 usage error, or the program failed otherwise.`,
};

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const project = readProject(process.cwd(), { app: args.options.app as string | undefined });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-validate-'));
  try {
    const result = await runProgram(project, { outdir: scratch, validateOnly: true, warnings: true });
    if (!result.ok) return reportFailure(io, 'validate', result);
    for (const line of problemLines(result.problems)) io.out(`${line}\n`);
    io.out(`fleetplane validate: ${problemCounts(result.problems)}.\n`);
    return EXIT.OK;
  } finally {
    removeDir(scratch);
  }
}
