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

/** Serializes manifests as YAML documents: block style, keys in the order given, YAML 1.1-safe quoting. */
export function toYaml(objects: readonly unknown[]): string {
  return objects
    .map((o) =>
      // noCompatMode false (the default) quotes YAML 1.1 booleans such as "yes" and "on", which kubectl's
      // YAML 1.1 parser would otherwise read as booleans.
      jsyaml.dump(o, { noRefs: true, lineWidth: -1, sortKeys: false, quotingType: '"' }),
    )
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

  public override synth(): void {
    const charts = this.charts;
    const dependent = charts.some((c) => c.node.dependencies.length > 0 || c.node.children.some((x) => x instanceof Chart));
    if (!this.fast || dependent) return super.synth();
    // Validate everything first (the platform throws its typed error here), so nothing is written on failure.
    const errors: string[] = [];
    for (const c of this.node.findAll()) for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
    if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    const files = charts.map((chart) => ({ file: path.join(this.outdir, `${Names.toDnsLabel(chart)}${this.outputFileExtension}`), text: toYaml(renderChart(chart)) }));
    fs.mkdirSync(this.outdir, { recursive: true });
    for (const f of files) fs.writeFileSync(f.file, f.text);
  }
}
