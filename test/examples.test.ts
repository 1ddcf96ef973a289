// Every example is synthesized by the real cdk8s CLI, as a user runs it, and every object it writes is
// validated strictly against the upstream schemas in ../shared/crds (unknown fields are errors).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SchemaValidator, formatIssues } from './support/schema-validator';
import { Output, all, readOutput, tmpDir } from './support/synth';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');

function cdk8sSynth(example: string): { dir: string; out: Output } {
  const dir = tmpDir(`fleetplane-${example}-`);
  execFileSync(CLI, ['synth', '--output', dir], {
    cwd: path.join(ROOT, 'examples', example),
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', FLEETPLANE_QUIET: '1' },
    stdio: 'pipe',
  });
  return { dir, out: readOutput(dir) };
}

const EXAMPLES: Record<string, string[]> = {
  'multi-region-shop': ['shop-control-plane.k8s.yaml'],
  'direct-delivery': ['shop-cluster-bj-1.k8s.yaml', 'shop-cluster-bj-2.k8s.yaml', 'shop-cluster-sh-1.k8s.yaml'],
  'meshed-shop': ['meshed-shop-cluster-bj-1.k8s.yaml', 'meshed-shop-cluster-sh-1.k8s.yaml', 'meshed-shop-control-plane.k8s.yaml'],
  'observed-shop': ['observed-shop-cluster-bj-1.k8s.yaml', 'observed-shop-cluster-bj-2.k8s.yaml', 'observed-shop-cluster-sh-1.k8s.yaml', 'observed-shop-control-plane.k8s.yaml'],
  'edge-video': ['edge-video-cluster-edge-sz.k8s.yaml', 'edge-video-control-plane.k8s.yaml'],
  'ai-training': ['ai-control-plane.k8s.yaml'],
  'traced-shop': ['traced-shop-cluster-bj-1.k8s.yaml', 'traced-shop-cluster-bj-2.k8s.yaml', 'traced-shop-cluster-sh-1.k8s.yaml', 'traced-shop-control-plane.k8s.yaml'],
  // GitOps layout: one directory per delivery unit, and the Argo CD objects in their own.
  'progressive-shop': [
    'progressive-shop-cluster-bj-1/platform/platform.k8s.yaml', 'progressive-shop-cluster-bj-2/platform/platform.k8s.yaml',
    'progressive-shop-cluster-sh-1/platform/platform.k8s.yaml', 'progressive-shop-control-plane/platform/platform.k8s.yaml',
    'progressive-shop-control-plane/tenant-shop/tenant-shop.k8s.yaml', 'progressive-shop-gitops/progressive-shop-gitops.k8s.yaml',
  ],
};
const PLATFORM: Record<string, string> = { 'multi-region-shop': 'shop', 'direct-delivery': 'shop', 'meshed-shop': 'meshed-shop', 'observed-shop': 'observed-shop', 'edge-video': 'edge-video', 'ai-training': 'ai', 'traced-shop': 'traced-shop', 'progressive-shop': 'progressive-shop' };

describe.each(Object.keys(EXAMPLES))('example %s', (example) => {
  let first: { dir: string; out: Output };
  beforeAll(() => {
    first = cdk8sSynth(example);
  });

  test('cdk8s synth writes one file per apply target', () => {
    expect(Object.keys(first.out).sort()).toEqual([...EXAMPLES[example]].sort());
  });

  test('every object validates strictly against the upstream schemas', () => {
    const validator = SchemaValidator.load({ kubernetesVersion: 'v1.33.0', systems: ['karmada', 'istio', 'prometheus-operator', 'kubeedge', 'volcano', 'opentelemetry', 'flagger', 'argo-cd'] });
    const objects = all(first.out);
    expect(objects.length).toBeGreaterThan(10);
    const issues = validator.validateAll(objects);
    expect(formatIssues(issues)).toBe('');
    // Recorded for the closing note and BENCHMARKS: how many objects each example proves.
    fs.appendFileSync(path.join(ROOT, '.test-results', 'validated-objects.txt'), `${example} ${objects.length}\n`);
  });

  test('every object carries the platform labels; cluster-scoped objects have no namespace', () => {
    for (const o of all(first.out)) {
      expect(o.metadata.labels['fleetplane.io/platform']).toBe(PLATFORM[example]);
      expect(o.metadata.labels['app.kubernetes.io/managed-by']).toBe('fleetplane');
      if (['Namespace', 'Cluster', 'ClusterPropagationPolicy', 'ClusterRole', 'ClusterRoleBinding', 'NodeGroup', 'Queue'].includes(o.kind)) expect(o.metadata.namespace).toBeUndefined();
      else expect(o.metadata.namespace).toEqual(expect.any(String));
    }
  });

  test('names are readable (no hashes) and unique per target', () => {
    for (const objs of Object.values(first.out)) {
      const keys = objs.map((o) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
      expect(new Set(keys).size).toBe(keys.length);
      for (const o of objs) expect(o.metadata.name).not.toMatch(/-c8[0-9a-f]{6}$/);
    }
  });

  test('synthesis is deterministic: a second CLI run gives byte-identical files', () => {
    const second = cdk8sSynth(example);
    for (const f of EXAMPLES[example]) {
      expect(fs.readFileSync(path.join(second.dir, f), 'utf8')).toBe(fs.readFileSync(path.join(first.dir, f), 'utf8'));
    }
  });

  test('output matches the reviewed snapshot', () => {
    expect(first.out).toMatchSnapshot();
  });
});

beforeAll(() => fs.mkdirSync(path.join(ROOT, '.test-results'), { recursive: true }));
