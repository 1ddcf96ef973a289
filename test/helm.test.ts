// Helm output: one chart per apply target, `{{ }}` escaped, and for every example `helm lint` passes and
// `helm template` renders exactly the objects of the plain synth.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { escapeHelmTemplate } from '../outputs/helm';
import { helm } from './support/helm';
import { readOutput, tmpDir } from './support/synth';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
// A platform with `gitops` is written as plain YAML, one directory per delivery unit (FleetApp refuses Helm for it).
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples'))
  .filter((e) => fs.existsSync(path.join(ROOT, 'examples', e, 'cdk8s.yaml')) && !/\bgitops:/.test(fs.readFileSync(path.join(ROOT, 'examples', e, 'main.ts'), 'utf8')))
  .sort();

const keyOf = (o: any) => `${o.apiVersion}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
const sorted = (objects: any[]) => [...objects].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));

function synth(example: string, env: Record<string, string> = {}): string {
  const dir = tmpDir(`fleetplane-helm-${example}-`);
  execFileSync(CLI, ['synth', '--output', dir], {
    cwd: path.join(ROOT, 'examples', example),
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', FLEETPLANE_QUIET: '1', ...env },
    stdio: 'pipe',
  });
  return dir;
}

test('escapeHelmTemplate turns every {{ and }} into a template that prints it', () => {
  expect(escapeHelmTemplate('summary: {{ $labels.cluster }} at {{$value}}')).toBe('summary: {{ "{{" }} $labels.cluster {{ "}}" }} at {{ "{{" }}$value{{ "}}" }}');
  expect(escapeHelmTemplate('no braces')).toBe('no braces');
});

describe.each(EXAMPLES)('example %s as Helm charts', (example) => {
  let charts: string;
  let plain: ReturnType<typeof readOutput>;
  beforeAll(() => {
    charts = synth(example, { FLEETPLANE_FORMAT: 'helm', FLEETPLANE_CHART_VERSION: '1.2.3' });
    plain = readOutput(synth(example));
  });

  test('one chart per apply target, named after the target file', () => {
    const names = fs.readdirSync(charts).sort();
    expect(names).toEqual(Object.keys(plain).map((f) => f.replace(/\.k8s\.yaml$/, '')).sort());
    for (const n of names) expect(YAML.parse(fs.readFileSync(path.join(charts, n, 'Chart.yaml'), 'utf8'))).toMatchObject({ apiVersion: 'v2', name: n, version: '1.2.3' });
  });

  test('helm lint passes and helm template renders exactly the plain synth objects', () => {
    for (const name of fs.readdirSync(charts)) {
      const chart = path.join(charts, name);
      const lint = helm(['lint', '--strict', chart]);
      expect(lint.output).toContain('1 chart(s) linted, 0 chart(s) failed');
      expect(lint.ok).toBe(true);
      const rendered = helm(['template', name, chart]);
      expect(rendered.ok).toBe(true);
      // Helm reorders objects by kind (its install order); the set must be the same, field for field.
      const objects = YAML.parseAllDocuments(rendered.stdout).map((d) => d.toJSON()).filter((x) => x);
      expect(sorted(objects)).toEqual(sorted(plain[`${name}.k8s.yaml`]));
    }
  });
});
