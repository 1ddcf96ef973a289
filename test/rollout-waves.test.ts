// Rollout waves across clusters: which clusters get a new version at each wave (Karmada suspension), the gate
// queries (promtool on good and bad series), `fleetplane promote` against a Prometheus API, RollingSync in direct
// mode, and typed problems for waves that cannot work.
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { App, Duration } from 'cdk8s';
import * as YAML from 'yaml';
import {
  DeliveryMode, DistributedPlatform, DistributedPlatformProps, Distribution, FederatedApp, FederatedAppProps, FleetApp, GitOpsTool,
  GlobalTier, Placement, RolloutState, SloKind,
} from '../index';
import { run as promote } from '../cli/commands/promote';
import { readManifestDir } from '../outputs/manifests';
import { problemsOf } from './support/fixtures';
import { promtool } from './support/promtool';
import { SchemaValidator, formatIssues } from './support/schema-validator';
import { Output, all, synth, tmpDir } from './support/synth';

const ROOT = path.resolve(__dirname, '..');
const CLUSTERS = [{ name: 'bj-1', region: 'cn-north' }, { name: 'bj-2', region: 'cn-north' }, { name: 'sh-1', region: 'cn-east' }];
const SLO = { name: 'availability', kind: SloKind.AVAILABILITY, objective: 99.9 };

function build(app: App, platformProps: Partial<DistributedPlatformProps> = {}, appProps: Partial<FederatedAppProps> = {}): DistributedPlatform {
  const p = new DistributedPlatform(app, 'shop', { clusters: CLUSTERS, submariner: { broker: 'bj-1' }, monitoring: { global: GlobalTier.hierarchical({ cluster: 'bj-1' }) }, ...platformProps });
  const shop = p.addTenant('shop');
  new FederatedApp(shop, 'web', { image: 'registry.example.com/shop/web:1.4.2', port: 8080, replicas: 6, distribution: Distribution.evenly(), metrics: { port: 'http' }, slos: [SLO], ...appProps });
  return p;
}

const webOf = (p: DistributedPlatform) => p.node.findAll().find((c): c is FederatedApp => c instanceof FederatedApp && c.appName === 'web')!;
const policy = (out: Output) => all(out).find((o) => o.kind === 'PropagationPolicy' && o.metadata.name === 'web');
/** The clusters that get the template's current version: placed, and not suspended. */
const receiving = (out: Output) => {
  const pp = policy(out);
  const suspended: string[] = pp.spec.suspension?.dispatchingOnClusters?.clusterNames ?? [];
  return ['bj-1', 'bj-2', 'sh-1'].filter((c) => !suspended.includes(c));
};

describe('karmada mode: Karmada holds the later waves back', () => {
  const waves = [['bj-1'], ['bj-2', 'sh-1']];
  let revision = '';

  test('a new version reaches the first wave only; the policy validates strictly', () => {
    const app = new App({ outdir: tmpDir() });
    const p = build(app, { rollout: { waves } });
    app.synth();
    const out = synth((a) => build(a, { rollout: { waves } }));
    revision = webOf(p).rolloutStatus!.revision;
    expect(policy(out).spec.suspension).toEqual({ dispatchingOnClusters: { clusterNames: ['bj-2', 'sh-1'] } });
    expect(receiving(out)).toEqual(['bj-1']);
    expect(formatIssues(SchemaValidator.load({ systems: ['karmada', 'prometheus-operator'] }).validateAll(all(out)))).toBe('');
  });

  test('per recorded wave, exactly the clusters of the released waves receive the version', () => {
    const at = (released: number, rev = revision) => receiving(synth((a) => build(a, { rollout: { waves: [['bj-1'], ['bj-2'], ['sh-1']], state: RolloutState.of({ 'shop/web': { revision: rev, released } }) } })));
    const three = new App({ outdir: tmpDir() });
    const rev3 = webOf(build(three, { rollout: { waves: [['bj-1'], ['bj-2'], ['sh-1']] } })).rolloutStatus!.revision;
    expect(rev3).toBe(revision); // the revision is the version's, not the waves'
    expect(at(1)).toEqual(['bj-1']);
    expect(at(2)).toEqual(['bj-1', 'bj-2']);
    expect(at(3)).toEqual(['bj-1', 'bj-2', 'sh-1']);
    expect(policy(synth((a) => build(a, { rollout: { waves, state: RolloutState.of({ 'shop/web': { revision, released: 2 } }) } }))).spec.suspension).toBeUndefined();
    // A promotion recorded for another version does not carry over: a new image starts at the first wave again.
    expect(at(3, 'a-previous-0')).toEqual(['bj-1']);
    const bumped = new App({ outdir: tmpDir() });
    const next = webOf(build(bumped, { rollout: { waves } }, { image: 'registry.example.com/shop/web:1.5.0' })).rolloutStatus!;
    expect(next.revision).not.toBe(revision);
  });

  test('an app\'s own waves, and the platform\'s restricted to the app\'s clusters', () => {
    const own = synth((a) => build(a, {}, { rollout: { waves: [['sh-1'], ['bj-1', 'bj-2']] } }));
    expect(receiving(own)).toEqual(['sh-1']);
    const narrow = synth((a) => build(a, { rollout: { waves: [['bj-1'], ['bj-2'], ['sh-1']] } }, { placement: Placement.clusters('bj-2', 'sh-1') }));
    expect(policy(narrow).spec.suspension).toEqual({ dispatchingOnClusters: { clusterNames: ['sh-1'] } });
  });
});

describe('the wave gate', () => {
  const app = new App({ outdir: tmpDir() });
  const web = webOf(build(app, { rollout: { waves: [['bj-1', 'bj-2'], ['sh-1']], gate: { window: Duration.hours(1), maxBurnRate: 2 } } }));
  const status = web.rolloutStatus!;

  test('reads the recorded SLO series of the clusters already rolled out, over the gate\'s window', () => {
    expect(status.gates).toEqual([{
      slo: 'availability',
      query: 'max by (cluster) (app:slo_error_ratio:rate1h{namespace="shop",app="web",slo="availability",cluster=~"bj-1|bj-2"}) / 0.001',
      maxBurnRate: 2,
    }]);
    const recorded = web.ruleGroups().flatMap((g) => g.rules.map((r) => r.record)).filter(Boolean);
    expect(recorded).toContain('app:slo_error_ratio:rate1h');
  });

  test('promtool: a cluster burning its budget crosses the gate, a healthy one stays under it', () => {
    const dir = tmpDir('fp-wave-gate-');
    const series = (cluster: string, ratio: number) => ({ series: `app:slo_error_ratio:rate1h{namespace="shop",app="web",slo="availability",cluster="${cluster}"}`, values: `${ratio}x30` });
    fs.writeFileSync(path.join(dir, 'empty.yaml'), YAML.stringify({ groups: [] }));
    fs.writeFileSync(path.join(dir, 'gate.test.yaml'), YAML.stringify({
      rule_files: ['empty.yaml'],
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        // Federated from the members (each with its cluster label); sh-1, not yet rolled out, is ignored.
        input_series: [series('bj-1', 0.0005), series('bj-2', 0.004), series('sh-1', 0.5)],
        promql_expr_test: [{
          expr: `(${status.gates[0].query}) > bool ${status.gates[0].maxBurnRate}`,
          eval_time: '10m',
          exp_samples: [{ labels: '{cluster="bj-1"}', value: 0 }, { labels: '{cluster="bj-2"}', value: 1 }],
        }],
      }],
    }));
    const res = promtool(['test', 'rules', 'gate.test.yaml'], dir);
    expect(res.output).toContain('SUCCESS');
  });
});

describe('fleetplane promote', () => {
  let server: http.Server;
  let url = '';
  const burn: Record<string, number> = {};
  const queries: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const q = new URL(req.url!, 'http://x').searchParams.get('query') ?? '';
      queries.push(q);
      const clusters = /cluster=~"([^"]*)"/.exec(q)?.[1].split('|') ?? [];
      const result = clusters.filter((c) => burn[c] !== undefined).map((c) => ({ metric: { cluster: c }, value: [1700000000, String(burn[c])] }));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  /** A project whose program reads its rollout state from rollout.json. */
  function project(): string {
    const dir = tmpDir('fp-promote-');
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\napp: node --import tsx main.ts\noutput: dist\n');
    fs.writeFileSync(path.join(dir, 'main.ts'), [
      `import { DistributedPlatform, Distribution, FederatedApp, FleetApp, GlobalTier, RolloutState, SloKind } from ${JSON.stringify(path.join(ROOT, 'index'))};`,
      'const app = new FleetApp();',
      `const p = new DistributedPlatform(app, 'shop', { clusters: ${JSON.stringify(CLUSTERS)}, submariner: { broker: 'bj-1' }, monitoring: { global: GlobalTier.hierarchical({ cluster: 'bj-1' }) },`,
      "  rollout: { waves: [['bj-1'], ['bj-2'], ['sh-1']], state: RolloutState.fromFile('rollout.json') } });",
      "new FederatedApp(p.addTenant('shop'), 'web', { image: 'registry.example.com/shop/web:1.4.2', port: 8080, replicas: 3, distribution: Distribution.evenly(), metrics: {}, slos: [{ name: 'availability', kind: SloKind.AVAILABILITY, objective: 99.9 }] });",
      'app.synth();',
    ].join('\n'));
    return dir;
  }

  async function promoteIn(dir: string, args: string[]): Promise<{ code: number; out: string }> {
    const cwd = process.cwd();
    let out = '';
    process.chdir(dir);
    try {
      const options = Object.fromEntries(args.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=') as [string, string]));
      const code = await promote({ positionals: ['shop/web'], options, help: false }, { out: (s: string) => (out += s), err: (s: string) => (out += s) });
      return { code, out };
    } finally {
      process.chdir(cwd);
    }
  }

  test('releases the next wave when every cluster already done is under the gate, and holds it otherwise', async () => {
    const dir = project();
    burn['bj-1'] = 0.4;
    let r = await promoteIn(dir, [`--prometheus=${url}`]);
    expect(r.out).toContain('wave 2 of 3 released (bj-2)');
    expect(r.code).toBe(0);
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'rollout.json'), 'utf8'));
    expect(state.apps['shop/web'].released).toBe(2);
    expect(queries.at(-1)).toContain('cluster=~"bj-1"');

    // bj-2 has no data yet: the gate holds (absence of evidence is not health).
    r = await promoteIn(dir, [`--prometheus=${url}`]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/bj-2\s+no data\s+2\s+HOLD/);
    expect(queries.at(-1)).toContain('cluster=~"bj-1|bj-2"');

    burn['bj-2'] = 3.5; // burning its budget 3.5 times too fast
    r = await promoteIn(dir, [`--prometheus=${url}`]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/bj-2\s+3.5\s+2\s+HOLD/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'rollout.json'), 'utf8')).apps['shop/web'].released).toBe(2);

    burn['bj-2'] = 1.2;
    r = await promoteIn(dir, [`--prometheus=${url}`]);
    expect(r.code).toBe(0);
    r = await promoteIn(dir, [`--prometheus=${url}`]);
    expect(r.out).toContain('out on every wave');
    expect(r.code).toBe(0);
  }, 180_000);

  test('the synthesized policy follows the recorded state', () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, 'rollout.json'), JSON.stringify({ version: 1, apps: { 'shop/web': { revision: 'stale', released: 3 } } }));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const app = new App({ outdir: tmpDir() });
      const p = build(app, { rollout: { waves: [['bj-1'], ['bj-2'], ['sh-1']], state: RolloutState.fromFile('rollout.json') } }, { replicas: 3 });
      expect(webOf(p).rolloutStatus!.released).toBe(1);
      expect(RolloutState.fromFile('missing.json').apps).toEqual({});
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('direct mode: Argo CD RollingSync, one step per wave and layer', () => {
  test('the clusters\' Applications are ApplicationSet elements labelled by step; steps follow the waves', () => {
    const dir = tmpDir();
    const app = new FleetApp({ outdir: dir });
    build(app, {
      delivery: DeliveryMode.DIRECT,
      rollout: { waves: [['bj-1'], ['bj-2', 'sh-1']] },
      gitops: { tool: GitOpsTool.ARGO_CD, repository: 'https://git.example.com/deploy.git', path: 'prod' },
    });
    app.synth();
    const gitops = readManifestDir(dir).find((f) => f.file === 'shop-gitops/shop-gitops.k8s.yaml')!.objects;
    expect(gitops.filter((o) => o.kind === 'Application').map((o) => o.metadata.name)).toEqual(['shop-gitops']);
    const set = gitops.find((o) => o.kind === 'ApplicationSet')!;
    expect(formatIssues(SchemaValidator.load({ systems: ['argo-cd'] }).validateAll([...gitops]))).toBe('');
    const elements = set.spec.generators[0].list.elements as Array<Record<string, string>>;
    const step = (name: string) => Number(elements.find((e) => e.name === name)!.step);
    expect(elements.find((e) => e.name === 'shop-cluster-sh-1-tenant-shop')).toEqual({
      name: 'shop-cluster-sh-1-tenant-shop', path: 'prod/shop-cluster-sh-1/tenant-shop', project: 'shop-shop', namespace: 'shop',
      cluster: 'sh-1', server: '', step: expect.any(String), ignoredDeployments: '',
    });
    // Inside a cluster the tenant waits for its namespace; every unit of wave 1 before any of wave 2.
    expect(step('shop-cluster-bj-1-tenant-shop')).toBeGreaterThan(step('shop-cluster-bj-1-platform'));
    expect(step('shop-cluster-bj-2-platform')).toBeGreaterThan(step('shop-cluster-bj-1-tenant-shop'));
    expect(step('shop-cluster-sh-1-platform')).toBe(step('shop-cluster-bj-2-platform'));
    expect(set.spec.strategy.type).toBe('RollingSync');
    expect(set.spec.strategy.rollingSync.steps.map((s: any) => s.matchExpressions[0].values[0])).toEqual([...new Set(elements.map((e) => e.step))].sort());
    expect(set.spec.template.metadata.labels['fleetplane.io/rollout-step']).toBe('{{.step}}');
  });
});

describe('bad input is typed', () => {
  const errors = (platformProps: Partial<DistributedPlatformProps>, appProps: Partial<FederatedAppProps> = {}) =>
    problemsOf((app) => build(app, platformProps, appProps)).filter((p) => p.rule === 'FP-ROLLOUT').map((p) => `${p.severity} ${p.path} ${p.prop}=${JSON.stringify(p.value)}`);

  test('a wave naming a cluster outside the placement, a cluster in two waves, a cluster in no wave', () => {
    expect(errors({}, { placement: Placement.clusters('bj-1', 'bj-2'), rollout: { waves: [['bj-1'], ['sh-1', 'bj-1']] } })).toEqual([
      'error shop/shop/web rollout.waves=["bj-2"]',
      'error shop/shop/web rollout.waves[1][0]="sh-1"',
      'error shop/shop/web rollout.waves[1][1]="bj-1"',
    ]);
    expect(errors({ rollout: { waves: [['bj-1'], ['bj-9']] } })).toEqual([
      'error shop rollout.waves=["bj-2","sh-1"]',
      'error shop rollout.waves[1][0]="bj-9"',
    ]);
  });

  test('a gate on an app without SLOs; a window the rules do not record', () => {
    expect(errors({}, { slos: undefined, rollout: { waves: [['bj-1'], ['bj-2', 'sh-1']] } })).toEqual(['error shop/shop/web rollout.gate="SLO burn rate"']);
    expect(errors({}, { slos: undefined, rollout: { waves: [['bj-1'], ['bj-2', 'sh-1']], gate: false } })).toEqual([]);
    expect(errors({}, { rollout: { waves: [['bj-1'], ['bj-2', 'sh-1']], gate: { window: Duration.minutes(45) } } })).toEqual(['error shop/shop/web rollout.gate.window="45m"']);
    // Platform waves over an app without SLOs: promoted unchecked, said so.
    expect(errors({ rollout: { waves: [['bj-1'], ['bj-2', 'sh-1']] } }, { slos: undefined })).toEqual(['warning shop/shop/web slos=undefined']);
  });

  test('direct mode: waves are the platform\'s, rolled out by Argo CD', () => {
    expect(errors({ delivery: DeliveryMode.DIRECT }, { rollout: { waves: [['bj-1'], ['bj-2', 'sh-1']] } })).toEqual(['error shop/shop/web rollout.waves=[["bj-1"],["bj-2","sh-1"]]'.replace('rollout.waves', 'rollout')]);
    expect(errors({ delivery: DeliveryMode.DIRECT, rollout: { waves: [['bj-1'], ['bj-2', 'sh-1']] } })).toEqual(['error shop rollout="no gitops"']);
  });
});
