/**
 * FleetApp: a cdk8s App that writes its charts with js-yaml, the fastest YAML serializer on npm, instead of
 * cdk8s' writer (several times slower per object). `cdk8s synth` runs it unchanged; the file layout
 * (one `<chart>.k8s.yaml` per apply target) and the validation before writing are the same as App's.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps, Chart, Names, YamlOutputType } from 'cdk8s';
import { renderChart } from './synthesize';
import * as jsyaml from 'js-yaml';
import { PlatformValidationError } from '../core/problems';
import { REPORT_FILE_ENV, SynthReport, VALIDATE_ONLY_ENV, collectPlatformFacts, reportedProblem } from './report';

/**
 * Plain scalars that a YAML 1.1 reader (kubectl's, PyYAML, Go's yaml.v2) resolves to something other than a
 * string, beyond what js-yaml's YAML 1.2 schema already quotes: integers and floats with `_` separators,
 * binary, old-style octal, sexagesimal (`1:20`), and the other 1.1 spellings of numbers, booleans and null.
 */
const YAML11_NON_STRINGS = [
  /^[-+]?0b[0-1_]+$/, // binary
  /^[-+]?0o?[0-7_]+$/, // octal, 1.1 and Go style
  /^[-+]?[0-9][0-9_]*$/, // decimal with separators (and leading zeros, which Go reads as a float)
  /^[-+]?0x[0-9a-fA-F_]+$/, // hex
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+$/, // sexagesimal int
  /^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?$/, // floats with separators; the 1.1 regex even matches "."
  /^[-+]?([0-9][0-9_]*)?(\.[0-9_]*)?[eE][-+]?[0-9]+$/, // exponents, with or without a dot or leading digits
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*$/, // sexagesimal float
  /^[-+]?\.(inf|Inf|INF)$/,
  /^\.(nan|NaN|NAN)$/,
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(~|null|Null|NULL)$/,
  /^(<<|=)$/, // merge and value keys
];

/** Whether a string must be quoted for YAML 1.1 readers to read it back as the same string. */
export function isYaml11Ambiguous(s: string): boolean {
  return YAML11_NON_STRINGS.some((re) => re.test(s));
}

/**
 * js-yaml quotes a string when an implicit type of the dump schema would resolve it. This type resolves every
 * YAML 1.1 non-string, so those strings are quoted; it never represents a value (its class is never used).
 */
class Yaml11Marker {}
const YAML11_SCHEMA = jsyaml.DEFAULT_SCHEMA.extend({
  implicit: [
    new jsyaml.Type('tag:fleetplane.io,2026:yaml11', {
      kind: 'scalar',
      resolve: (data: unknown) => typeof data === 'string' && isYaml11Ambiguous(data),
      construct: (data: unknown) => data,
      instanceOf: Yaml11Marker,
    }),
  ],
});

/**
 * Serializes manifests as YAML documents: block style, keys in the order given, and strings quoted wherever a
 * YAML 1.1 reader (kubectl) would otherwise read a number, boolean or null.
 */
export function toYaml(objects: readonly unknown[]): string {
  return objects
    .map((o) => jsyaml.dump(o, { noRefs: true, lineWidth: -1, sortKeys: false, quotingType: '"', schema: YAML11_SCHEMA }))
    .join('---\n');
}

/** A cdk8s App whose synth writes YAML with js-yaml. Use it in place of `App`. */
export class FleetApp extends App {
  private readonly fast: boolean;

  constructor(props: AppProps = {}) {
    super(props);
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
      if (reportFile && e instanceof PlatformValidationError) writeReport(reportFile, { version: 1, ok: false, problems: e.problems.map(reportedProblem), platforms: [] });
      throw e;
    }
    if (reportFile) writeReport(reportFile, { version: 1, ok: true, problems: [], platforms: collectPlatformFacts(this) });
    if (!validateOnly) this.synthCharts(true);
  }

  /** Runs every construct's validations; the platform throws its typed error here. */
  private validateAll(): void {
    const errors: string[] = [];
    for (const c of this.node.findAll()) for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
    if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }

  private synthCharts(validated: boolean): void {
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
