/** `fleetplane synth`: run the program into a fresh directory and swap it in only when it succeeded. */
import * as fs from 'fs';
import * as path from 'path';
import { manifestFiles } from '../../outputs/manifest-files';
import { CommandSpec, ParsedArgs } from '../args';
import { CliError, EXIT } from '../errors';
import { replaceDirectory, removeDir, stagingDirFor } from '../output-dir';
import { runProgram } from '../program';
import { readProject } from '../project';
import { Io, forwardOutput, reportFailure, shownPath } from '../run-output';

export const APP_OPTION = { name: 'app', alias: 'a', value: 'CMD', description: 'The command that runs the program (default: "app" of cdk8s.yaml).' } as const;
export const OUTPUT_OPTION = { name: 'output', alias: 'o', value: 'DIR', description: 'The output directory (default: "output" of cdk8s.yaml, else dist).' } as const;

export const spec: CommandSpec = {
  name: 'synth',
  summary: 'Synthesize the manifests: run the program of cdk8s.yaml into a fresh directory, and replace the output directory only when it succeeded.',
  options: [APP_OPTION, OUTPUT_OPTION],
  details: `
The program runs with CDK8S_OUTDIR set to a new directory beside the output directory. On success that
directory replaces the output directory whole (files of targets that no longer exist are gone). On failure
the problems are printed one per line and the previous output is left as it was.

Exit codes: 0 written; 1 validation errors; 2 usage error, or the program failed otherwise.`,
};

/** Manifest files of a directory with their object counts. */
export function describeFiles(dir: string): Array<{ file: string; objects: number }> {
  return manifestFiles(dir).map((file) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    return { file, objects: text.trim() === '' ? 0 : text.split(/^---$/m).filter((d) => d.trim() !== '').length };
  });
}

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const started = Date.now();
  const project = readProject(process.cwd(), { app: args.options.app as string | undefined, output: args.options.output as string | undefined });
  const inside = path.relative(project.output, project.dir);
  if (!inside.startsWith('..') && !path.isAbsolute(inside)) {
    throw new CliError(`the output directory ${project.output} holds the project itself; synth replaces the output directory whole. Fix: use a directory of its own, e.g. --output dist.`);
  }
  const staging = stagingDirFor(project.output);
  try {
    const result = await runProgram(project, { outdir: staging });
    if (!result.ok) return reportFailure(io, 'synth', result, project.output);
    const files = describeFiles(staging);
    if (files.length === 0) {
      forwardOutput(io, result, 'out');
      throw new CliError(`the program exited 0 but wrote no manifest into CDK8S_OUTDIR (does it call app.synth()?); ${shownPath(project.output)} was left unchanged.`);
    }
    replaceDirectory(staging, project.output);
    forwardOutput(io, result, 'out');
    const where = shownPath(project.output);
    for (const f of files) io.out(`  ${path.join(where, f.file)}  ${f.objects} objects\n`);
    io.out(`fleetplane synth: ${files.length} file${files.length === 1 ? '' : 's'} written to ${where} in ${((Date.now() - started) / 1000).toFixed(2)} s\n`);
    return EXIT.OK;
  } finally {
    removeDir(fs.existsSync(staging) ? staging : undefined);
  }
}
