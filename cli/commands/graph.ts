/** `fleetplane graph`: a picture of the platform topology, as SVG or Mermaid. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readManifestDir } from '../../outputs/manifests';
import type { PlatformFacts } from '../../outputs/report';
import { buildTopology } from '../../outputs/topology';
import type { ClusterGrouping } from '../../outputs/topology-diagram';
import { renderTopologyMermaid } from '../../outputs/topology-mermaid';
import { CommandSpec, ParsedArgs } from '../args';
import { CliError, EXIT, UsageError } from '../errors';
import { removeDir } from '../output-dir';
import { runProgram } from '../program';
import { readProject } from '../project';
import { Io, forwardOutput, reportFailure } from '../run-output';
import { APP_OPTION } from './synth';

export const spec: CommandSpec = {
  name: 'graph',
  summary: 'Draw the platform topology: clusters grouped by region, tenants, apps with their replicas per cluster, traffic, failover, cross-cluster services and monitoring tiers.',
  options: [
    { name: 'output', alias: 'o', value: 'FILE', description: 'Write the picture to FILE (default: standard output).' },
    { name: 'format', alias: 'f', value: 'FORMAT', choices: ['svg', 'mermaid'], description: 'Picture format (default: mermaid for .mmd and .md files, else svg).' },
    { name: 'group-by', alias: 'g', value: 'KEY', choices: ['region', 'provider', 'network'], description: 'How clusters are grouped (default region).' },
    { name: 'from', value: 'DIR', description: 'Draw an existing output directory instead of synthesizing (cluster regions and run-time replica splits are then unknown).' },
    APP_OPTION,
  ],
  details: `
The picture is derived from the synthesized manifests. The program also reports, through
FLEETPLANE_REPORT_FILE, what manifests cannot carry: each cluster's region, provider, network and role,
and the replica split the Karmada scheduler will make. The output directory is not touched.

Exit codes: 0 drawn; 2 usage error, or the program failed (validation errors are printed one per line).`,
};

function formatOf(args: ParsedArgs): 'svg' | 'mermaid' {
  const format = args.options.format as 'svg' | 'mermaid' | undefined;
  if (format) return format;
  const out = args.options.output as string | undefined;
  return out && /\.(mmd|mermaid|md)$/.test(out) ? 'mermaid' : 'svg';
}

/** Manifests and facts: from a fresh synth into a temporary directory, or from `--from DIR`. */
async function inputs(args: ParsedArgs, io: Io): Promise<{ dir: string; facts: PlatformFacts[]; cleanup?: string } | number> {
  const from = args.options.from as string | undefined;
  if (from) {
    if (args.options.app) throw new UsageError('--from and --app exclude each other', 'graph');
    if (!fs.existsSync(from) || !fs.statSync(from).isDirectory()) throw new CliError(`${from} is not a directory.`);
    return { dir: from, facts: [] };
  }
  const project = readProject(process.cwd(), { app: args.options.app as string | undefined });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-graph-'));
  const result = await runProgram(project, { outdir: scratch });
  if (!result.ok) {
    removeDir(scratch);
    reportFailure(io, 'graph', result);
    return EXIT.ERROR;
  }
  forwardOutput(io, result, 'err');
  return { dir: scratch, facts: [...(result.report?.platforms ?? [])], cleanup: scratch };
}

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const format = formatOf(args);
  const input = await inputs(args, io);
  if (typeof input === 'number') return input;
  try {
    const topology = buildTopology(readManifestDir(input.dir), input.facts);
    if (topology.length === 0) throw new CliError(`no fleetplane objects (label fleetplane.io/platform) in ${input.dir}.`);
    const groupBy = args.options['group-by'] as ClusterGrouping | undefined;
    // The SVG renderer loads elkjs; Mermaid needs no layout.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const text = format === 'mermaid' ? renderTopologyMermaid(topology, { groupBy }) : await (require('../../outputs/topology-svg') as typeof import('../../outputs/topology-svg')).renderTopologySvg(topology, { groupBy });
    const output = args.options.output as string | undefined;
    if (output) {
      fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
      fs.writeFileSync(output, text);
      io.err(`fleetplane graph: ${format} written to ${output}\n`);
    } else io.out(text);
    return EXIT.OK;
  } finally {
    removeDir(input.cleanup);
  }
}
