/**
 * Printing what a program run said, the same way for every command: problems one per line, errors first;
 * the program's own output passed through; a crash shown as the program printed it.
 */
import * as path from 'path';
import type { ReportedProblem } from '../outputs/report';
import { EXIT } from './errors';
import { ProgramRun } from './program';

/** Where a command writes: data to `out` (stdout), messages to `err` (stderr). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** The process's streams. */
export const STDIO: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** A path as the user reads it: relative to the working directory when below it, else absolute. */
export function shownPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(p) : rel;
}

/** Problems sorted errors first, one line each. */
export function problemLines(problems: readonly ReportedProblem[]): string[] {
  const rank = (p: ReportedProblem) => (p.severity === 'error' ? 0 : 1);
  return [...problems].sort((a, b) => rank(a) - rank(b)).map((p) => p.text);
}

/** Counts as `2 errors, 1 warning`. */
export function problemCounts(problems: readonly ReportedProblem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

/** The program's stderr without the lines already shown as problems (warnings). */
function otherStderr(run: ProgramRun): string {
  return run.stderr.split('\n').filter((l) => !l.startsWith('fleetplane warning: ')).join('\n').trim();
}

/**
 * Reports a failed run and returns the exit code: 1 when validation found errors (printed one per line, no
 * stack trace), 2 when the program failed otherwise (its output shown as it printed it).
 */
export function reportFailure(io: Io, command: string, run: ProgramRun, unchanged?: string): number {
  const errors = run.problems.filter((p) => p.severity === 'error');
  const kept = unchanged ? `; ${shownPath(unchanged)} was left unchanged` : '';
  if (errors.length > 0) {
    for (const line of problemLines(run.problems)) io.err(`${line}\n`);
    io.err(`fleetplane ${command}: ${problemCounts(run.problems)}${kept}. Each rule id is explained in docs/rules.md of the fleetplane package.\n`);
    return EXIT.FINDINGS;
  }
  if (run.stdout.trim()) io.err(`${run.stdout.trim()}\n`);
  if (otherStderr(run)) io.err(`${otherStderr(run)}\n`);
  io.err(`fleetplane ${command}: the program failed (exit code ${run.exitCode})${kept}.\n`);
  return EXIT.ERROR;
}

/** Passes on what a successful program printed: warnings and its own output (to stderr: stdout may carry data). */
export function forwardOutput(io: Io, run: ProgramRun, stdoutTo: 'out' | 'err'): void {
  if (run.stdout) io[stdoutTo](run.stdout.endsWith('\n') ? run.stdout : `${run.stdout}\n`);
  if (run.stderr.trim()) io.err(run.stderr.endsWith('\n') ? run.stderr : `${run.stderr}\n`);
}
