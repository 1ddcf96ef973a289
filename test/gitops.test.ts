// GitOps delivery: the Argo CD and Flux objects that apply every target from its repository, the one-directory-
// per-unit layout FleetApp writes for them, and their order, which must be the apply ordering of outputs/ordering.
import { App } from 'cdk8s';
import {
  DeliveryMode, DistributedPlatform, DistributedPlatformProps, Distribution, FederatedApp, FleetApp, GitOpsProps, GitOpsTool,
  GlobalTier, MeshedService, Problem, SloKind,
} from '../index';
import { PLATFORM_UNIT, partitionTarget, tenantUnit, unitDependencies, unitLayers, unitKey } from '../outputs/gitops-layout';
import { readManifestDir } from '../outputs/manifests';
import { objectKey, orderingDependencies } from '../outputs/ordering';
import { synthesizeTargets } from '../outputs/synthesize';
import { problemsOf } from './support/fixtures';
import { SchemaValidator, formatIssues } from './support/schema-validator';
import { tmpDir } from './support/synth';

const REPO = 'https://git.example.com/platform/deploy.git';
const SYSTEMS = ['karmada', 'istio', 'prometheus-operator', 'argo-cd', 'flux', 'flagger'];

interface Built {
  readonly app: FleetApp;
  readonly platform: DistributedPlatform;
  readonly dir: string;
}

/** A two-tenant platform (one meshed, monitored app) with GitOps; karmada mode has member targets too. */
function build(gitops: GitOpsProps, delivery = DeliveryMode.KARMADA, extra: Partial<DistributedPlatformProps> = {}): Built {
  const dir = tmpDir('fleetplane-gitops-');
  const app = new FleetApp({ outdir: dir });
  const platform = new DistributedPlatform(app, 'shop', {
    delivery,
    clusters: [
      { name: 'bj-1', region: 'cn-north', network: 'net-1' },
      { name: 'sh-1', region: 'cn-east', network: 'net-1' },
    ],
    mesh: { meshId: 'shop-mesh', istioCni: true },
    submariner: { broker: 'bj-1' }, monitoring: { global: GlobalTier.hierarchical({ cluster: 'bj-1' }) },
    gitops,
    ...extra,
  });
  const shop = platform.addTenant('shop', { quota: { cpu: '8', memory: '16Gi' } });
  const web = new FederatedApp(shop, 'web', {
    image: 'registry.example.com/shop/web:1.4.2',
    port: 8080,
    replicas: 4,
    distribution: Distribution.evenly(),
    metrics: { port: 'http' },
    slos: [{ name: 'availability', kind: SloKind.AVAILABILITY, objective: 99.9 }],
  });
  new MeshedService(shop, 'web-mesh', { app: web });
  const batch = platform.addTenant('batch', { clusters: { names: ['sh-1'] }, mesh: false });
  new FederatedApp(batch, 'worker', { image: 'registry.example.com/batch/worker:2.0.1', replicas: 1 });
  return { app, platform, dir };
}

function synthed(b: Built) {
  b.app.synth();
  const files = readManifestDir(b.dir);
  const byFile = new Map(files.map((f) => [f.file, f.objects]));
  const gitops = byFile.get('shop-gitops/shop-gitops.k8s.yaml') ?? [];
  return { files, byFile, gitops, targets: synthesizeTargets(b.app).filter((t) => t.platform === 'shop') };
}

const named = (objs: readonly any[], kind: string) => new Map(objs.filter((o) => o.kind === kind).map((o) => [o.metadata.name, o]));

describe('layout: one directory per delivery unit', () => {
  test('every object of every target is written exactly once, in its unit directory', () => {
    const b = build({ tool: GitOpsTool.ARGO_CD, repository: REPO, path: 'deploy/prod' });
    const { byFile, targets } = synthed(b);
    expect([...byFile.keys()]).toEqual([
      'shop-cluster-bj-1/platform/platform.k8s.yaml',
      'shop-cluster-sh-1/platform/platform.k8s.yaml',
      'shop-control-plane/platform/platform.k8s.yaml',
      'shop-control-plane/tenant-batch/tenant-batch.k8s.yaml',
      'shop-control-plane/tenant-shop/tenant-shop.k8s.yaml',
      'shop-gitops/shop-gitops.k8s.yaml',
    ]);
    for (const t of targets) {
      const written = [...byFile].filter(([f]) => f.startsWith(`shop-${t.target.name}/`)).flatMap(([, objs]) => objs);
      expect(written.map(objectKey).sort()).toEqual(t.objects.map(objectKey).sort());
      expect(written).toEqual(expect.arrayContaining(t.objects));
    }
    // A tenant's directory holds only objects of its namespace; cluster-scoped objects are in the platform unit.
    for (const [file, objs] of byFile) {
      const m = /\/tenant-([a-z0-9-]+)\//.exec(file);
      if (m) expect(objs.every((o) => o.metadata.namespace === m[1])).toBe(true);
      if (file.endsWith('/platform/platform.k8s.yaml')) expect(objs.filter((o) => ['shop', 'batch'].includes(o.metadata.namespace))).toEqual([]);
    }
  });

  test('the default layout is unchanged without gitops (one file per target)', () => {
    const dir = tmpDir();
    const app = new FleetApp({ outdir: dir });
    new DistributedPlatform(app, 'plain', { clusters: [{ name: 'bj-1' }] }).addTenant('t');
    app.synth();
    expect(readManifestDir(dir).map((f) => f.file)).toEqual(['plain-control-plane.k8s.yaml']);
  });
});

describe('Argo CD', () => {
  test('an AppProject per tenant limited to its namespace and destinations; an Application per unit; all valid', () => {
    const b = build({ tool: GitOpsTool.ARGO_CD, repository: REPO, path: 'deploy/prod', revision: 'release-1' });
    const { gitops } = synthed(b);
    expect(formatIssues(SchemaValidator.load({ systems: SYSTEMS }).validateAll([...gitops]))).toBe('');
    const projects = named(gitops, 'AppProject');
    expect([...projects.keys()]).toEqual(['shop', 'shop-shop', 'shop-batch']);
    expect(projects.get('shop-batch').spec).toEqual({
      description: 'fleetplane tenant batch of shop: its namespace only',
      sourceRepos: [REPO],
      destinations: [{ name: 'karmada', namespace: 'batch' }],
    });
    expect(projects.get('shop-shop').spec.clusterResourceWhitelist).toBeUndefined();
    expect(projects.get('shop').spec.clusterResourceWhitelist).toEqual([{ group: '*', kind: '*' }]);
    for (const p of projects.values()) expect(p.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');

    const apps = named(gitops, 'Application');
    expect([...apps.keys()].sort()).toEqual([
      'shop-cluster-bj-1-platform', 'shop-cluster-sh-1-platform', 'shop-control-plane-platform',
      'shop-control-plane-tenant-batch', 'shop-control-plane-tenant-shop', 'shop-gitops',
    ]);
    const tenantApp = apps.get('shop-control-plane-tenant-shop');
    expect(tenantApp.spec).toMatchObject({
      project: 'shop-shop',
      source: { repoURL: REPO, targetRevision: 'release-1', path: 'deploy/prod/shop-control-plane/tenant-shop' },
      destination: { name: 'karmada', namespace: 'shop' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
    expect(apps.get('shop-cluster-bj-1-platform').spec.destination).toEqual({ name: 'bj-1' });
    // The root Application applies the GitOps objects from their own directory (app of apps).
    expect(apps.get('shop-gitops').spec.source).toEqual({ repoURL: REPO, targetRevision: 'release-1', path: 'deploy/prod/shop-gitops' });
  });

  test('sync waves follow the apply ordering: every object after what it needs, members before the control plane', () => {
    const b = build({ tool: GitOpsTool.ARGO_CD, repository: REPO, path: 'deploy/prod' });
    const { gitops, targets } = synthed(b);
    const wave = new Map([...named(gitops, 'Application')].filter(([n]) => n !== 'shop-gitops').map(([n, a]) => [n, Number(a.metadata.annotations['argocd.argoproj.io/sync-wave'])]));
    const unitName = (target: string, o: any, tenants: string[]) => `shop-${target}-${o.metadata?.namespace && tenants.includes(o.metadata.namespace) ? tenantUnit(o.metadata.namespace) : PLATFORM_UNIT}`;
    let edges = 0;
    for (const t of targets) {
      const tenants = b.platform._gitopsLayout()!.get(t.target.chart.node.id)!.tenantNamespaces as string[];
      const byKey = new Map(t.objects.map((o) => [objectKey(o), o]));
      for (const [key, needs] of orderingDependencies(t.objects)) {
        for (const need of needs) {
          const from = unitName(t.target.name, byKey.get(key), tenants);
          const to = unitName(t.target.name, byKey.get(need), tenants);
          if (from === to) continue;
          edges++;
          expect(wave.get(from)).toBeGreaterThan(wave.get(to)!);
        }
      }
    }
    expect(edges).toBeGreaterThan(0); // tenant objects wait for their Namespace in the platform unit
    const members = [...wave].filter(([n]) => n.startsWith('shop-cluster-')).map(([, w]) => w);
    const controlPlane = [...wave].filter(([n]) => n.startsWith('shop-control-plane-')).map(([, w]) => w);
    expect(Math.min(...controlPlane)).toBeGreaterThan(Math.max(...members));
    expect(wave.get('shop-control-plane-tenant-shop')).toBeGreaterThan(wave.get('shop-control-plane-platform')!);
  });

  test('destinations by name or server URL', () => {
    const b = build({
      tool: GitOpsTool.ARGO_CD, repository: REPO, path: '',
      destinations: { 'control-plane': { server: 'https://karmada-apiserver.karmada-system.svc:5443' }, 'cluster-bj-1': { name: 'prod-bj-1' } },
    });
    const apps = named(synthed(b).gitops, 'Application');
    expect(apps.get('shop-control-plane-tenant-shop').spec.destination).toEqual({ server: 'https://karmada-apiserver.karmada-system.svc:5443', namespace: 'shop' });
    expect(apps.get('shop-cluster-bj-1-platform').spec.destination).toEqual({ name: 'prod-bj-1' });
    expect(apps.get('shop-cluster-bj-1-platform').spec.source.path).toBe('shop-cluster-bj-1/platform');
  });
});

describe('Flux', () => {
  test('a GitRepository and one Kustomization per unit with kubeConfig, prune and dependsOn equal to the unit order', () => {
    const b = build({ tool: GitOpsTool.FLUX, repository: REPO, path: 'deploy/prod' });
    const { gitops, targets } = synthed(b);
    expect(formatIssues(SchemaValidator.load({ systems: SYSTEMS }).validateAll([...gitops]))).toBe('');
    expect(named(gitops, 'GitRepository').get('shop').spec).toEqual({ url: REPO, ref: { branch: 'main' }, interval: '5m' });
    const ks = named(gitops, 'Kustomization');
    const layout = b.platform._gitopsLayout()!;
    const expected = unitDependencies(targets.map((t) => ({
      name: t.target.name, controlPlane: t.target.name === 'control-plane', objects: t.objects,
      tenantNamespaces: layout.get(t.target.chart.node.id)!.tenantNamespaces,
    })));
    for (const [key, deps] of expected) {
      const k = ks.get(`shop-${key.replace('/', '-')}`);
      expect(k.spec.prune).toBe(true);
      expect(k.spec.path).toBe(`./deploy/prod/shop-${key}`);
      expect(k.spec.kubeConfig.secretRef).toEqual({ name: key.startsWith('control-plane') ? 'karmada-kubeconfig' : `${key.split('/')[0].slice('cluster-'.length)}-kubeconfig`, key: 'value' });
      expect((k.spec.dependsOn ?? []).map((d: any) => d.name)).toEqual(deps.map((d) => `shop-${d.replace('/', '-')}`));
      expect(k.spec.wait).toBe(!key.startsWith('control-plane'));
    }
    // The control plane waits for every member unit; a tenant unit for its Namespace's unit.
    expect(ks.get('shop-control-plane-platform').spec.dependsOn.map((d: any) => d.name)).toEqual(['shop-cluster-bj-1-platform', 'shop-cluster-sh-1-platform']);
    expect(ks.get('shop-control-plane-tenant-shop').spec.dependsOn).toEqual([{ name: 'shop-control-plane-platform' }]);
    // The root Kustomization applies the GitOps objects themselves, in the management cluster.
    expect(ks.get('shop-gitops').spec).toEqual({ interval: '5m', path: './deploy/prod/shop-gitops', prune: true, sourceRef: { kind: 'GitRepository', name: 'shop' } });
  });

  test('direct mode: each member target is its own set of units; an OCI artifact becomes an OCIRepository', () => {
    const b = build({ tool: GitOpsTool.FLUX, repository: 'oci://registry.example.com/platform/shop-manifests', path: '', credentialsSecret: 'registry-auth' }, DeliveryMode.DIRECT);
    const { gitops } = synthed(b);
    expect(formatIssues(SchemaValidator.load({ systems: SYSTEMS }).validateAll([...gitops]))).toBe('');
    expect(named(gitops, 'OCIRepository').get('shop').spec).toEqual({ url: 'oci://registry.example.com/platform/shop-manifests', ref: { tag: 'latest' }, interval: '5m', secretRef: { name: 'registry-auth' } });
    const ks = named(gitops, 'Kustomization');
    expect([...ks.keys()].sort()).toEqual([
      'shop-cluster-bj-1-platform', 'shop-cluster-bj-1-tenant-shop', 'shop-cluster-sh-1-platform',
      'shop-cluster-sh-1-tenant-batch', 'shop-cluster-sh-1-tenant-shop', 'shop-gitops',
    ]);
    expect(ks.get('shop-cluster-sh-1-tenant-batch').spec.dependsOn).toEqual([{ name: 'shop-cluster-sh-1-platform' }]);
    expect(ks.get('shop-cluster-sh-1-tenant-batch').spec.sourceRef).toEqual({ kind: 'OCIRepository', name: 'shop' });
  });
});

describe('unit order (pure)', () => {
  test('a unit waits for the unit holding what its objects need; layers count from 0', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } };
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w', namespace: 'a' } };
    const pp = { apiVersion: 'policy.karmada.io/v1alpha1', kind: 'PropagationPolicy', metadata: { name: 'w', namespace: 'a' }, spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' }] } };
    expect([...partitionTarget([ns, dep, pp], ['a'])]).toEqual([[PLATFORM_UNIT, [ns]], [tenantUnit('a'), [dep, pp]]]);
    const deps = unitDependencies([
      { name: 'cluster-x', controlPlane: false, objects: [ns], tenantNamespaces: [] },
      { name: 'control-plane', controlPlane: true, objects: [ns, dep, pp], tenantNamespaces: ['a'] },
    ]);
    expect(deps.get(unitKey('control-plane', tenantUnit('a')))).toEqual([unitKey('control-plane', PLATFORM_UNIT)]);
    expect(deps.get(unitKey('control-plane', PLATFORM_UNIT))).toEqual([unitKey('cluster-x', PLATFORM_UNIT)]);
    expect([...unitLayers(deps)]).toEqual([['cluster-x/platform', 0], ['control-plane/platform', 1], ['control-plane/tenant-a', 2]]);
  });
});

describe('bad input', () => {
  const rules = (ps: Problem[]) => ps.filter((p) => p.rule === 'FP-GITOPS').map((p) => `${p.prop}=${JSON.stringify(p.value)}`);

  test('repository, path, revision, interval and destinations are checked together, with path, prop and fix', () => {
    const ps = problemsOf((app) => {
      const p = new DistributedPlatform(app, 'bad', {
        clusters: [{ name: 'bj-1' }],
        gitops: {
          tool: GitOpsTool.FLUX, repository: 'git.example.com/deploy', path: '../deploy', revision: 'main branch',
          destinations: { 'cluster-bj-9': { name: 'x' }, 'control-plane': { name: 'k', server: 'http://k' } },
        },
      });
      return p;
    });
    expect(rules(ps)).toEqual([
      'gitops="App"',
      'gitops.destinations.cluster-bj-9="cluster-bj-9"',
      'gitops.destinations.control-plane={"name":"k","server":"http://k"}',
      'gitops.destinations.control-plane.server="http://k"',
      'gitops.path="../deploy"',
      'gitops.repository="git.example.com/deploy"',
      'gitops.revision="main branch"',
    ]);
    const repo = ps.find((p) => p.prop === 'gitops.repository')!;
    expect(repo.path).toBe('bad');
    expect(repo.fix).toMatch(/https:\/\/git.example.com/);
  });

  test('a plain cdk8s App cannot write the layout: a typed problem, nothing written', () => {
    const dir = tmpDir();
    const app = new App({ outdir: dir });
    new DistributedPlatform(app, 'p', { clusters: [{ name: 'bj-1' }], gitops: { tool: GitOpsTool.ARGO_CD, repository: REPO, path: '' } });
    expect(() => app.synth()).toThrow(/FP-GITOPS/);
    expect(readManifestDir(dir)).toEqual([]);
  });
});
