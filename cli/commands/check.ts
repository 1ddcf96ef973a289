/** `fleetplane check`: the reachability matrix of the platform, from its synthesized manifests. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ReachabilityEntry } from '../../model/reachability';
import { CommandSpec, ParsedArgs } from '../args';
import { EXIT } from '../errors';
import { removeDir } from '../output-dir';
import { runProgram } from '../program';
import { readProject } from '../project';
import { Io, reportFailure } from '../run-output';
import { FORMAT_OPTION } from './diff';
import { APP_OPTION } from './synth';

export const spec: CommandSpec = {
  name: 'check',
  summary: 'Check that every declared path is admitted by the emitted policies, in every cluster pair, and print the matrix.',
  options: [APP_OPTION, FORMAT_OPTION],
  details: `
Every path the definition declares (allowFrom callers, calls, the ingress gateway, DNS, istiod) is evaluated over
the synthesized NetworkPolicies, AuthorizationPolicies, PeerAuthentications and Sidecars, for every pair of clusters
where both ends run; a sample of undeclared calls must be refused. Each row names the object that decides it.
Nothing is written.

Exit codes: 0 every declared path is admitted and no undeclared one; 1 a declared path is blocked (or an undeclared
one admitted), or the definition has other errors; 2 usage error, or the program failed otherwise.`,
};

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const project = readProject(process.cwd(), { app: args.options.app as string | undefined });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-check-'));
  try {
    const result = await runProgram(project, { outdir: scratch, validateOnly: true, check: true });
    const report = result.report?.reachability;
    if (!report) return reportFailure(io, 'check', result);
    if (args.options.format === 'json') io.out(`${JSON.stringify(report, null, 2)}\n`);
    else for (const line of matrixLines(report.entries)) io.out(`${line}\n`);
    const failing = report.blocked.length + report.leaks.length;
    if (args.options.format !== 'json') {
      io.out(`fleetplane check: ${report.entries.length} paths, ${report.blocked.length} declared blocked, ${report.leaks.length} undeclared admitted.\n`);
    }
    const otherErrors = result.problems.filter((p) => p.severity === 'error' && !p.text.includes('FP-REACH'));
    if (otherErrors.length > 0) return reportFailure(io, 'check', result);
    return failing > 0 ? EXIT.FINDINGS : EXIT.OK;
  } finally {
    removeDir(scratch);
  }
}

/** The matrix as an aligned text table, one row per path and cluster pair. */
export function matrixLines(entries: readonly ReachabilityEntry[]): string[] {
  const rows = entries.map((e) => [
    e.kind, e.caller, e.callee, `${e.fromCluster} -> ${e.toCluster}`,
    e.allowed === (e.expected === 'allowed') ? (e.allowed ? 'allowed' : 'denied') : e.allowed ? 'ADMITTED (undeclared)' : 'BLOCKED',
    e.decidedBy ? `${e.decidedBy.kind} ${e.decidedBy.namespace}/${e.decidedBy.name}${e.decidedBy.rule ? ` (${e.decidedBy.rule})` : ''}${e.decidedBy.cluster ? ` in ${e.decidedBy.cluster}` : ''}` : e.reason,
  ]);
  const head = ['PATH', 'CALLER', 'CALLEE', 'CLUSTERS', 'VERDICT', 'DECIDED BY'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
}
