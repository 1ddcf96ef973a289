/**
 * Helm output: one chart per apply target, so each cluster (or the Karmada control plane) installs exactly its
 * own objects with `helm install`, and Argo CD or Flux can render each chart where it belongs.
 *
 * Why not `cdk8s synth --format helm`: the cdk8s CLI puts every file into one chart, so in direct mode each
 * cluster would install every other cluster's objects too, and it leaves `{{ }}` in PrometheusRule annotations
 * and dashboards unescaped, which Helm then tries to execute (`undefined variable "$labels"`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { toYaml } from './yaml';
import { TargetOutput } from './synthesize';

/** Options of the charts. */
export interface HelmChartOptions {
  /**
   * Chart version (SemVer).
   * @default '0.1.0'
   */
  readonly version?: string;
  /**
   * appVersion of the charts.
   * @default - the chart version
   */
  readonly appVersion?: string;
}

/** One chart: its directory name and files (path relative to the chart directory → content). */
export interface HelmChart {
  readonly name: string;
  readonly files: Readonly<Record<string, string>>;
}

/**
 * Escapes text for a Helm template: every `{{` and `}}` becomes a template that prints it, so Prometheus
 * `{{ $labels.cluster }}` and Grafana `{{cluster}}` reach the cluster unchanged.
 */
export function escapeHelmTemplate(text: string): string {
  return text.replace(/\{\{|\}\}/g, (m) => (m === '{{' ? '{{ "{{" }}' : '{{ "}}" }}'));
}

/** The charts of synthesized targets, one per target, named `<platform>-<target>`. */
export function helmCharts(outputs: readonly TargetOutput[], options: HelmChartOptions = {}): HelmChart[] {
  const version = options.version ?? '0.1.0';
  return outputs.map((out) => {
    const name = `${out.platform}-${out.target.name}`;
    const chart = [
      'apiVersion: v2',
      `name: ${name}`,
      `description: "fleetplane: the objects of platform ${out.platform} for ${out.target.cluster ? `member cluster ${out.target.cluster.name}` : 'the Karmada control plane'}"`,
      'type: application',
      `version: ${JSON.stringify(version)}`,
      `appVersion: ${JSON.stringify(options.appVersion ?? version)}`,
      '',
    ].join('\n');
    return {
      name,
      files: {
        'Chart.yaml': chart,
        'values.yaml': '{}\n',
        [`templates/${name}.yaml`]: escapeHelmTemplate(toYaml(out.objects)),
      },
    };
  });
}

/** Writes the charts under `dir` (one subdirectory per target) and returns their directories. */
export function writeHelmCharts(outputs: readonly TargetOutput[], dir: string, options: HelmChartOptions = {}): string[] {
  const charts = helmCharts(outputs, options);
  for (const c of charts) {
    for (const [file, text] of Object.entries(c.files)) {
      const target = path.join(dir, c.name, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
    }
  }
  return charts.map((c) => path.join(dir, c.name));
}
