/**
 * FleetApp: a cdk8s App that writes its charts with js-yaml, the fastest YAML serializer on npm, instead of
 * cdk8s' writer (several times slower per object). `cdk8s synth` runs it unchanged; the file layout
 * (one `<chart>.k8s.yaml` per apply target) and the validation before writing are the same as App's.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps, Chart, Names, YamlOutputType } from 'cdk8s';
import { PlatformValidationError } from '../core/problems';
import { writeHelmCharts } from './helm';
import { CHECK_ENV, REPORT_FILE_ENV, SynthReport, VALIDATE_ONLY_ENV, collectPlatformFacts, reportedProblem } from './report';
import { checkReachability } from './reachability';
import type { ReachabilityReport } from '../model/reachability';
import { renderChart, synthesizeTargets } from './synthesize';
import { toYaml } from './yaml';

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

/** A cdk8s App whose synth writes YAML with js-yaml (or Helm charts). Use it in place of `App`. */
export class FleetApp extends App {
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
    if (this.format === 'helm') {
      // synthesizeTargets validates first and throws before anything is written.
      writeHelmCharts(synthesizeTargets(this), this.outdir, { version: this.chartVersion });
      return;
    }
    const charts = this.charts;
    const dependent = charts.some((c) => c.node.dependencies.length > 0 || c.node.children.some((x) => x instanceof Chart));
    if (!this.fast || dependent) return super.synth();
    // Validate everything first (the platform throws its typed error here), so nothing is written on failure.
    if (!validated) this.validateAll();
    const files = charts.map((chart) => ({ file: path.join(this.outdir, `${Names.toDnsLabel(chart)}${this.outputFileExtension}`), text: toYaml(renderChart(chart)) }));
    fs.mkdirSync(this.outdir, { recursive: true });
    for (const f of files) fs.writeFileSync(f.file, f.text);
  }
}

function writeReport(file: string, report: SynthReport): void {
  fs.writeFileSync(file, JSON.stringify(report));
}
