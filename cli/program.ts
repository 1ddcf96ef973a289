/**
 * Runs the user's program (cdk8s.yaml `app`) once, into a directory the CLI chooses, and reports how it went:
 * its problems (read from the report FleetApp writes, or from the PlatformValidationError text a plain App
 * prints), its other output, and the topology facts. The program never writes into the real output here.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ReportedProblem, SynthReport } from '../outputs/report';
import { fastCommand } from './fast-path';
import { Project } from './project';
import { FALLBACK_EXIT_CODE } from './ts-runner';

/** How a run went. */
export interface ProgramRun {
  /** The program exited 0. */
  readonly ok: boolean;
  readonly exitCode: number | null;
  /** Validation problems (errors and warnings) found by the run. */
  readonly problems: readonly ReportedProblem[];
  /** The report FleetApp wrote (absent for programs on a plain cdk8s App). */
  readonly report?: SynthReport;
  /** The program's standard error and output, as written. */
  readonly stderr: string;
  readonly stdout: string;
  /** How it was run: `fast` (the CLI's TypeScript runner) or `shell` (the app command). */
  readonly mode: 'fast' | 'shell';
}

/** Options of one run. */
export interface RunOptions {
  /** Where the program writes its manifests (CDK8S_OUTDIR). */
  readonly outdir: string;
  /** Stop after validation (FleetApp writes nothing then). */
  readonly validateOnly?: boolean;
  /** Show every warning even if FLEETPLANE_QUIET is set in the environment. */
  readonly warnings?: boolean;
  /** Also run the reachability check and put its matrix in the report (FLEETPLANE_CHECK=1). */
  readonly check?: boolean;
}

/** Runs the program of a project. */
export async function runProgram(project: Project, options: RunOptions): Promise<ProgramRun> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-run-'));
  try {
    const reportFile = path.join(scratch, 'report.json');
    const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_OUTDIR: options.outdir, FLEETPLANE_REPORT_FILE: reportFile, CDK8S_CHECK_UPGRADE: 'false' };
    if (options.validateOnly) env.FLEETPLANE_VALIDATE_ONLY = '1';
    if (options.check) env.FLEETPLANE_CHECK = '1';
    if (options.warnings) delete env.FLEETPLANE_QUIET;
    const fast = fastCommand(project.app, project.dir);
    let mode: ProgramRun['mode'] = 'fast';
    let run = fast ? await spawnAndCollect(process.execPath, [path.join(__dirname, 'ts-runner.js')], project.dir, { ...env, FLEETPLANE_TS_ENTRY: fast.entry, FLEETPLANE_ESBUILD: fast.esbuild }) : undefined;
    // The fast path must never change the outcome: anything but success or validation errors (an ES-module-only
    // dependency, a syntax esbuild rejects) is run again through the app command as written.
    if (!run || !(run.code === 0 || (run.code !== FALLBACK_EXIT_CODE && hasValidationErrors(run.stderr, reportFile)))) {
      fs.rmSync(options.outdir, { recursive: true, force: true });
      fs.rmSync(reportFile, { force: true });
      fs.mkdirSync(options.outdir, { recursive: true });
      const shell = process.platform === 'win32' ? ['cmd.exe', '/d', '/s', '/c'] : ['/bin/sh', '-c'];
      run = await spawnAndCollect(shell[0], [...shell.slice(1), project.app], project.dir, env);
      mode = 'shell';
    }
    const report = fs.existsSync(reportFile) ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as SynthReport) : undefined;
    const problems = report && !report.ok ? report.problems : problemsFromText(run.stderr);
    return { ok: run.code === 0, exitCode: run.code, problems, report, stderr: run.stderr, stdout: run.stdout, mode };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Whether a failed run stopped on validation errors (then the fast path's answer is the answer). */
function hasValidationErrors(stderr: string, reportFile: string): boolean {
  if (fs.existsSync(reportFile)) return (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as SynthReport).ok === false;
  return problemsFromText(stderr).some((p) => p.severity === 'error');
}

function spawnAndCollect(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['inherit', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : null), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

const PROBLEM_LINE = /^\s*(?:- |fleetplane warning: )(\[[^\]]*\] .* \((error|warning) ([A-Z0-9-]+)\))\s*$/;

/**
 * Problems from a program's standard error: the lines of a PlatformValidationError (`  - [path] ...`) and the
 * warnings the platform prints (`fleetplane warning: [path] ...`). For programs without FleetApp's report.
 */
export function problemsFromText(stderr: string): ReportedProblem[] {
  const seen = new Set<string>();
  const out: ReportedProblem[] = [];
  for (const line of stderr.split('\n')) {
    const m = PROBLEM_LINE.exec(line);
    if (!m || seen.has(m[1])) continue;
    seen.add(m[1]);
    const path = /^\[([^\]]*)\]/.exec(m[1])?.[1] ?? '';
    out.push({ severity: m[2] as ReportedProblem['severity'], rule: m[3], path, prop: '', value: '', message: '', fix: '', text: m[1] });
  }
  return out;
}
