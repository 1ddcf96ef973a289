/**
 * FleetApp: a cdk8s App that writes its charts with fleetplane's own YAML emitter (outputs/yaml-writer.ts: what
 * js-yaml writes, byte for byte, several times faster) instead of cdk8s' writer (slower still). `cdk8s synth`
 * runs it unchanged; the file layout (one `<chart>.k8s.yaml` per apply target) and the validation before
 * writing are the same as App's.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps, Chart, Names, YamlOutputType } from 'cdk8s';
import { PlatformValidationError } from '../core/problems';
import { writeHelmCharts } from './helm';
import { CHECK_ENV, REPORT_FILE_ENV, SynthReport, VALIDATE_ONLY_ENV, collectPlatformFacts, reportedProblem } from './report';
import { checkReachability } from './reachability';
import type { ReachabilityReport } from '../model/reachability';
import { FLEET_APP, isGitOpsLayoutOwner, layoutFiles } from './gitops-layout';
import { renderChart, synthesizeTargets, withRenderSession } from './synthesize';
import { toYamlDocument } from './yaml';

/** Properties of a {@link FleetApp}. */
export interface FleetAppProps extends AppProps {
  /**
   * What synth writes: plain manifests (one file per apply target), or one Helm chart per apply target.
   * @default - the environment variable FLEETPLANE_FORMAT (`yaml` or `helm`), else `yaml`
   */
  readonly format?: 'yaml' | 'helm';
  /**
   * Chart version, with `format: 'helm'`.
   * @default - the environment variable FLEETPLANE_CHART_VERSION, else '0.1.0'
   */
  readonly chartVersion?: string;
}

/** A cdk8s App whose synth writes YAML with a fast emitter (or Helm charts). Use it in place of `App`. */
export class FleetApp extends App {
  /** @internal */
  public readonly [FLEET_APP] = true;
  private readonly fast: boolean;
  private readonly format: 'yaml' | 'helm';
  private readonly chartVersion?: string;

  constructor(props: FleetAppProps = {}) {
    super(props);
    const format = props.format ?? process.env.FLEETPLANE_FORMAT ?? 'yaml';
    if (format !== 'yaml' && format !== 'helm') throw new Error(`FleetApp: unknown format "${format}"; use "yaml" or "helm" (FLEETPLANE_FORMAT).`);
    this.format = format;
    this.chartVersion = props.chartVersion ?? process.env.FLEETPLANE_CHART_VERSION;
    // The fast writer covers the default layout; anything else takes cdk8s' own path.
    this.fast = (props.yamlOutputType ?? YamlOutputType.FILE_PER_CHART) === YamlOutputType.FILE_PER_CHART && !props.recordConstructMetadata;
  }

  /**
   * Validates, then writes one file per chart. When a tool set `FLEETPLANE_REPORT_FILE`, the report (problems
   * or topology facts) is written there; with `FLEETPLANE_VALIDATE_ONLY=1` nothing else is written.
   */
  public override synth(): void {
    withRenderSession(() => this.synthOnce());
  }

  private synthOnce(): void {
    const reportFile = process.env[REPORT_FILE_ENV];
    const validateOnly = process.env[VALIDATE_ONLY_ENV] === '1';
    if (!reportFile && !validateOnly) return this.synthCharts(false);
    try {
      this.validateAll();
    } catch (e) {
      // Recorded for the tool, then thrown on unchanged: the program fails as it would without a tool.
      if (reportFile && e instanceof PlatformValidationError) writeReport(reportFile, { version: 1, ok: false, problems: e.problems.map(reportedProblem), platforms: [], reachability: this.reachabilityFor(e) });
      throw e;
    }
    if (reportFile) writeReport(reportFile, { version: 1, ok: true, problems: [], platforms: collectPlatformFacts(this), reachability: this.reachabilityFor() });
    if (!validateOnly) this.synthCharts(true);
  }

  /**
   * The reachability matrix when a tool asked for it (FLEETPLANE_CHECK=1): on a valid tree, or on one whose only
   * errors are blocked paths (the matrix then shows which); never on a tree with other errors.
   */
  private reachabilityFor(error?: PlatformValidationError): ReachabilityReport | undefined {
    if (process.env[CHECK_ENV] !== '1') return undefined;
    if (error && error.errors.some((p) => p.rule !== 'FP-REACH')) return undefined;
    return checkReachability(this);
  }

  /** Runs every construct's validations; the platform throws its typed error here. */
  private validateAll(): void {
    const errors: string[] = [];
    for (const c of this.node.findAll()) for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
    if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }

  private synthCharts(validated: boolean): void {
    const layout = this.gitopsLayout();
    if (layout.size > 0 && (this.format === 'helm' || !this.fast)) {
      throw new Error('FleetApp: a platform with `gitops` is written as one directory per delivery unit, in plain YAML; use format "yaml" and the default yamlOutputType.');
    }
    if (this.format === 'helm') {
      // synthesizeTargets validates first and throws before anything is written.
      writeHelmCharts(synthesizeTargets(this), this.outdir, { version: this.chartVersion });
      return;
    }
    const charts = this.charts;
    const dependent = charts.some((c) => c.node.dependencies.length > 0 || c.node.children.some((x) => x instanceof Chart));
    if ((!this.fast || dependent) && layout.size === 0) return super.synth();
    // Validate everything first (the platform throws its typed error here), so nothing is written on failure.
    if (!validated) this.validateAll();
    // Every object is rendered before the first file is written (a JSON patch may still fail here); the YAML is
    // then written file by file, in chunks, so no file's whole text is ever held.
    const files: Array<{ file: string; objects: ReadonlyArray<Record<string, any>> }> = [];
    for (const chart of charts) {
      const unitLayout = layout.get(chart);
      if (!unitLayout) {
        files.push({ file: path.join(this.outdir, `${Names.toDnsLabel(chart)}${this.outputFileExtension}`), objects: renderChart(chart) });
        continue;
      }
      const { platform, target, tenantNamespaces } = unitLayout;
      if (target === undefined) {
        files.push({ file: path.join(this.outdir, chart.node.id, `${chart.node.id}${this.outputFileExtension}`), objects: renderChart(chart) });
        continue;
      }
      for (const [file, objects] of layoutFiles(platform, target, renderChart(chart), tenantNamespaces)) files.push({ file: path.join(this.outdir, file), objects });
    }
    for (const f of files) {
      fs.mkdirSync(path.dirname(f.file), { recursive: true });
      writeYamlFile(f.file, f.objects);
    }
  }

  /** Charts of platforms with `gitops`, written one directory per delivery unit. */
  private gitopsLayout(): Map<Chart, { platform: string; target?: string; tenantNamespaces: readonly string[] }> {
    const out = new Map<Chart, { platform: string; target?: string; tenantNamespaces: readonly string[] }>();
    for (const c of this.node.findAll()) {
      if (!isGitOpsLayoutOwner(c)) continue;
      for (const [chartId, t] of c._gitopsLayout()!) {
        const chart = this.charts.find((x) => x.node.id === chartId);
        if (chart) out.set(chart, { platform: c.platformName, target: t.target, tenantNamespaces: t.tenantNamespaces });
      }
    }
    return out;
  }
}

/** Bytes of YAML gathered before each write: few system calls, and a bounded string per file. */
const WRITE_CHUNK = 1 << 20;

/** Writes the objects as YAML documents, the same bytes as `toYaml(objects)`, without building the whole text. */
function writeYamlFile(file: string, objects: ReadonlyArray<Record<string, any>>): void {
  const fd = fs.openSync(file, 'w');
  try {
    let chunk = '';
    objects.forEach((o, i) => {
      chunk += (i > 0 ? '---\n' : '') + toYamlDocument(o);
      if (chunk.length >= WRITE_CHUNK) {
        fs.writeSync(fd, chunk);
        chunk = '';
      }
    });
    if (chunk.length > 0 || objects.length === 0) fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
}

function writeReport(file: string, report: SynthReport): void {
  fs.writeFileSync(file, JSON.stringify(report));
}
