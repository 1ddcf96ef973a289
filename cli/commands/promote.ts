/** `fleetplane promote`: release an app's next rollout wave once the clusters already done pass the SLO gate. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { RolloutFacts } from '../../outputs/report';
import { CommandSpec, ParsedArgs } from '../args';
import { CliError, EXIT, UsageError } from '../errors';
import { removeDir } from '../output-dir';
import { runProgram } from '../program';
import { readProject } from '../project';
import { Io, reportFailure } from '../run-output';
import { APP_OPTION } from './synth';

export const spec: CommandSpec = {
  name: 'promote',
  summary: "Release an app's next rollout wave when the SLO burn rates of the clusters already rolled out pass its gate.",
  positionals: ['NAMESPACE/APP'],
  options: [
    APP_OPTION,
    { name: 'prometheus', alias: 'p', value: 'URL', description: 'The global tier\'s Prometheus (or Thanos Query) API, e.g. http://prometheus.example.com:9090.' },
    { name: 'state', alias: 's', value: 'FILE', description: 'The rollout state file (default: the one the program reads, RolloutState.fromFile).' },
  ],
  details: `
Runs the program (writing nothing), finds the app's rollout (its waves, the wave its current version has reached, and
the gate of the next one), queries the burn rate of every SLO of the app in each cluster already rolled out, and,
when each is present and at most the gate's maximum, records the next wave as released in the state file. Run
\`fleetplane synth\` and commit: the app's PropagationPolicy then stops holding those clusters back.

Exit codes: 0 promoted (or every wave already out); 1 the gate holds the wave back (a burn rate above its maximum, or
no data for a cluster), or the definition has errors; 2 usage error, or Prometheus or the program failed.`,
};

/** One gate reading: an SLO in one cluster. */
export interface GateReading {
  readonly slo: string;
  readonly cluster: string;
  readonly burnRate?: number;
  readonly maxBurnRate: number;
  readonly pass: boolean;
}

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const target = args.positionals[0];
  if (!target || !/^[a-z0-9-]+\/[a-z0-9-]+$/.test(target)) throw new UsageError('name the app as NAMESPACE/APP, e.g. shop/web.', 'promote');
  const project = readProject(process.cwd(), { app: args.options.app as string | undefined });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-promote-'));
  try {
    const result = await runProgram(project, { outdir: scratch, validateOnly: true });
    if (!result.ok || !result.report) return reportFailure(io, 'promote', result);
    const rollouts = result.report.platforms.flatMap((p) => p.apps.map((a) => a.rollout)).filter((r): r is RolloutFacts => !!r);
    const rollout = rollouts.find((r) => r.app === target);
    if (!rollout) throw new CliError(`${target} has no rollout waves (apps with waves: ${rollouts.map((r) => r.app).join(', ') || 'none'}). Fix: set \`rollout\` on the app or the platform (karmada mode).`);
    if (rollout.released >= rollout.waves.length) {
      io.out(`${target}: revision ${rollout.revision} is out on every wave (${rollout.waves.length}); nothing to promote.\n`);
      return EXIT.OK;
    }
    const stateFile = stateFileOf(args, rollout, project.dir);
    const readings = rollout.gates.length ? await readGates(rollout, requiredOption(args, 'prometheus')) : [];
    for (const line of readingLines(readings)) io.out(`${line}\n`);
    if (readings.some((r) => !r.pass)) {
      io.out(`fleetplane promote: ${target} stays at wave ${rollout.released} of ${rollout.waves.length}: the gate holds.\n`);
      return EXIT.FINDINGS;
    }
    writeState(stateFile, rollout);
    const next = rollout.waves[rollout.released];
    io.out(`fleetplane promote: ${target} revision ${rollout.revision}: wave ${rollout.released + 1} of ${rollout.waves.length} released (${next.join(', ')}) in ${path.relative(process.cwd(), stateFile) || stateFile}. Run \`fleetplane synth\` and commit.\n`);
    return EXIT.OK;
  } finally {
    removeDir(scratch);
  }
}

function requiredOption(args: ParsedArgs, name: string): string {
  const v = args.options[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required: the gate reads the SLO burn rates from Prometheus.`, 'promote');
  return v;
}

function stateFileOf(args: ParsedArgs, rollout: RolloutFacts, dir: string): string {
  const given = (args.options.state as string | undefined) ?? rollout.stateFile;
  if (!given) throw new CliError('the platform records no rollout state file. Fix: pass `rollout: { state: RolloutState.fromFile("rollout.json") }` to the DistributedPlatform (or --state FILE).');
  return path.resolve(dir, given);
}

/** Queries every gate and judges each cluster already rolled out. */
export async function readGates(rollout: RolloutFacts, prometheus: string): Promise<GateReading[]> {
  const done = rollout.waves.slice(0, rollout.released).flat();
  const readings: GateReading[] = [];
  for (const gate of rollout.gates) {
    const values = await instantQuery(prometheus, gate.query);
    for (const cluster of done) {
      const burnRate = values.get(cluster);
      readings.push({ slo: gate.slo, cluster, burnRate, maxBurnRate: gate.maxBurnRate, pass: burnRate !== undefined && Number.isFinite(burnRate) && burnRate <= gate.maxBurnRate });
    }
  }
  return readings;
}

/** An instant query's samples by their `cluster` label. */
async function instantQuery(prometheus: string, query: string): Promise<Map<string, number>> {
  const url = `${prometheus.replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent(query)}`;
  let body: any;
  try {
    const res = await fetch(url);
    body = await res.json();
    if (!res.ok || body?.status !== 'success') throw new Error(body?.error ?? `HTTP ${res.status}`);
  } catch (e) {
    throw new CliError(`Prometheus at ${prometheus} did not answer the gate query (${(e as Error).message}). Fix: pass the global tier's API with --prometheus.`);
  }
  const out = new Map<string, number>();
  for (const s of body.data?.result ?? []) if (s.metric?.cluster) out.set(s.metric.cluster, Number(s.value?.[1]));
  return out;
}

function readingLines(readings: readonly GateReading[]): string[] {
  if (!readings.length) return ['(no gate: the next wave is released unchecked)'];
  const rows = readings.map((r) => [r.slo, r.cluster, r.burnRate === undefined ? 'no data' : String(Number(r.burnRate.toFixed(3))), String(r.maxBurnRate), r.pass ? 'pass' : 'HOLD']);
  const head = ['SLO', 'CLUSTER', 'BURN RATE', 'MAX', 'VERDICT'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
}

/** Records the next wave as released for the app's revision, keeping every other entry. */
function writeState(file: string, rollout: RolloutFacts): void {
  const json = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  const apps = { ...(json.apps ?? {}), [rollout.app]: { revision: rollout.revision, released: rollout.released + 1 } };
  const sorted = Object.fromEntries(Object.keys(apps).sort().map((k) => [k, apps[k]]));
  fs.writeFileSync(file, `${JSON.stringify({ version: 1, apps: sorted }, null, 2)}\n`);
}
