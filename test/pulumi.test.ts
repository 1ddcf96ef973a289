// The Pulumi adapter under pulumi.runtime.setMocks (the Pulumi CLI cannot run here): every synthesized
// object is registered once, as its own resource, with the right provider and parent, equal field for field to
// what `cdk8s synth` writes for the same definition, in a stable, ordered way.
import * as pulumi from '@pulumi/pulumi';
import { App } from 'cdk8s';
import * as path from 'path';

process.env.FLEETPLANE_QUIET = '1';

interface Registration { type: string; name: string; inputs: any; provider?: string }
const registrations: Registration[] = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registrations.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  },
  'fleetplane',
  'test',
);

// Loaded after setMocks, as Pulumi requires.
/* eslint-disable @typescript-eslint/no-require-imports */
const { PlatformStack, resourceName, withSkipAwait } = require('../outputs/pulumi') as typeof import('../outputs/pulumi');
const { DeliveryMode, synthesizeTargets } = require('../index') as typeof import('../index');
const { buildShop } = require('../examples/multi-region-shop/platform') as typeof import('../examples/multi-region-shop/platform');
const { FederatedApp } = require('../index') as typeof import('../index');

function promiseOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply(resolve));
}
async function settle(): Promise<void> {
  // Mocked registrations complete asynchronously.
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

async function deploy(stackName: string, build: (app: App) => void, extra: Partial<import('../outputs/pulumi').PlatformStackProps> = {}, opts: pulumi.ComponentResourceOptions = {}) {
  const start = registrations.length;
  const app = new App();
  build(app);
  const stack = new PlatformStack(stackName, { app, ...extra }, opts);
  await promiseOf(stack.summary);
  await settle();
  return { app, stack, regs: registrations.slice(start) };
}

const isK8s = (r: Registration) => r.type.startsWith('kubernetes:') && r.type !== 'pulumi:providers:kubernetes';

describe.each([DeliveryMode.KARMADA, DeliveryMode.DIRECT])('the shop in %s mode', (mode) => {
  let run: Awaited<ReturnType<typeof deploy>>;
  let expected: ReturnType<typeof synthesizeTargets>;
  beforeAll(async () => {
    run = await deploy(`shop-${mode}`, (app) => buildShop(app, mode));
    const again = new App();
    buildShop(again, mode);
    expected = synthesizeTargets(again);
  });

  test('every synthesized object is registered exactly once, as its own resource', () => {
    const objects = expected.flatMap((t) => t.objects);
    const k8sRegs = run.regs.filter(isK8s);
    expect(k8sRegs).toHaveLength(objects.length);
    const names = k8sRegs.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const t of expected) {
      for (const o of t.objects) expect(names).toContain(resourceName(`shop-${mode}:${t.target.name}`, o));
    }
  });

  test('the registered inputs equal the cdk8s synth output, field for field (plus skipAwait on the control plane)', () => {
    const byName = new Map(run.regs.filter(isK8s).map((r) => [r.name, r]));
    for (const t of expected) {
      for (const o of t.objects) {
        const reg = byName.get(resourceName(`shop-${mode}:${t.target.name}`, o))!;
        expect(reg.inputs).toEqual(t.target.kind === 'control-plane' ? withSkipAwait(o) : o);
        const group = String(o.apiVersion).includes('/') ? String(o.apiVersion) : `core/${o.apiVersion}`;
        expect(reg.type).toBe(`kubernetes:${group}:${o.kind}`);
      }
    }
  });

  test('one provider per apply target, and each object uses its target provider', () => {
    const providers = run.regs.filter((r) => r.type === 'pulumi:providers:kubernetes');
    expect(providers.map((p) => p.name).sort()).toEqual(expected.map((t) => `shop-${mode}-shop-${t.target.name}`).sort());
    for (const t of expected) {
      const provider = providers.find((p) => p.name === `shop-${mode}-shop-${t.target.name}`)!;
      if (t.target.cluster) expect(provider.inputs.context).toBe(t.target.cluster.name);
      const mine = run.regs.filter((r) => isK8s(r) && r.name.startsWith(`shop-${mode}:${t.target.name}:`));
      expect(mine.length).toBe(t.objects.length);
      for (const r of mine) expect(r.provider).toContain(`::${provider.name}::`);
    }
  });

  test('resources are parented: Platform → Target → object', async () => {
    // The mock monitor writes only the direct parent's type into a URN, so check each link.
    for (const target of Object.values(run.stack.targets)) {
      expect(await promiseOf(target.component.urn)).toContain('::fleetplane:index:Platform$fleetplane:index:Target::');
      for (const r of Object.values(target.resources)) expect(await promiseOf(r.urn)).toContain('::fleetplane:index:Target$kubernetes:');
      expect(await promiseOf(target.provider.urn)).toContain('::fleetplane:index:Target$pulumi:providers:kubernetes::');
    }
  });

  test('ordering: namespaces before their contents, selected objects before policies, OverridePolicy before PropagationPolicy, targets before autoscalers', () => {
    const prefix = mode === DeliveryMode.KARMADA ? `shop-${mode}:control-plane` : `shop-${mode}:cluster-bj-1`;
    const deps = (n: string) => run.stack.ordering.get(`${prefix}:${n}`) ?? [];
    const ns = `${prefix}:v1:Namespace:storefront`;
    expect(deps('apps/v1:Deployment:storefront/catalog')).toContain(ns);
    if (mode === DeliveryMode.KARMADA) {
      expect(deps('policy.karmada.io/v1alpha1:PropagationPolicy:storefront/web')).toEqual(expect.arrayContaining([
        ns, `${prefix}:apps/v1:Deployment:storefront/web`, `${prefix}:v1:Service:storefront/web`,
        `${prefix}:policy.karmada.io/v1alpha1:OverridePolicy:storefront/web`,
      ]));
      expect(deps('autoscaling.karmada.io/v1alpha1:FederatedHPA:storefront/web')).toContain(`${prefix}:apps/v1:Deployment:storefront/web`);
      expect(deps('autoscaling.karmada.io/v1alpha1:CronFederatedHPA:storefront/web')).toContain(`${prefix}:autoscaling.karmada.io/v1alpha1:FederatedHPA:storefront/web`);
      expect(deps('policy.karmada.io/v1alpha1:ClusterPropagationPolicy:storefront-namespace')).toContain(ns);
    } else {
      expect(deps('autoscaling/v2:HorizontalPodAutoscaler:storefront/web')).toContain(`${prefix}:apps/v1:Deployment:storefront/web`);
    }
  });

  test('outputs: per target object counts, kinds and exposed endpoints', async () => {
    const summary = await promiseOf(run.stack.summary);
    for (const t of expected) {
      expect(summary[t.target.name].objects).toBe(t.objects.length);
    }
    const first = summary[expected[0].target.name];
    expect(first.endpoints).toEqual(expect.arrayContaining(['storefront/catalog:8080', 'storefront/catalog:9090']));
  });
});

describe('Pulumi as an operator expects it', () => {
  test('control-plane objects are not awaited (a Karmada API server runs no pods); member objects are', async () => {
    const karmada = await deploy('await-k', (app) => buildShop(app, DeliveryMode.KARMADA));
    const direct = await deploy('await-d', (app) => buildShop(app, DeliveryMode.DIRECT));
    const deployments = (regs: Registration[]) => regs.filter((r) => r.type === 'kubernetes:apps/v1:Deployment');
    expect(deployments(karmada.regs).length).toBeGreaterThan(0);
    for (const r of deployments(karmada.regs)) expect(r.inputs.metadata.annotations['pulumi.com/skipAwait']).toBe('true');
    expect(deployments(direct.regs).length).toBeGreaterThan(0);
    for (const r of deployments(direct.regs)) expect(r.inputs.metadata.annotations?.['pulumi.com/skipAwait']).toBeUndefined();
  });

  test('istio-system is patched, never created or deleted: a NamespacePatch, while tenant namespaces are Namespaces', async () => {
    const { DistributedPlatform } = require('../index') as typeof import('../index');
    const run = await deploy('shared-ns', (app) => {
      const p = new DistributedPlatform(app, 'mesh', { clusters: [{ name: 'bj-1', region: 'cn-north' }], mesh: { meshId: 'm', istioCni: true } });
      p.addTenant('shop');
    });
    const patches = run.regs.filter((r) => r.type === 'kubernetes:core/v1:NamespacePatch');
    expect(patches.map((r) => r.inputs.metadata.name)).toEqual(['istio-system']);
    expect(patches[0].inputs.metadata.labels['topology.istio.io/network']).toBe('bj-1');
    const namespaces = run.regs.filter((r) => r.type === 'kubernetes:core/v1:Namespace').map((r) => r.inputs.metadata.name);
    expect(namespaces).toContain('shop');
    expect(namespaces).not.toContain('istio-system');
  });

  test('renaming the component keeps every resource: each child is aliased to its old name', async () => {
    const seen = new Map<string, string[]>();
    const record: pulumi.ResourceTransformation = (args) => {
      seen.set(args.name, (args.opts.aliases ?? []).map((a: any) => (typeof a === 'string' ? a : a.name)));
      return undefined;
    };
    const before = await deploy('shop', (app) => buildShop(app));
    const after = await deploy('prod-shop', (app) => buildShop(app), { previousNames: ['shop'] }, { transformations: [record] });
    const oldNames = before.regs.filter(isK8s).map((r) => r.name);
    const newNames = after.regs.filter(isK8s).map((r) => r.name);
    expect(newNames.length).toBe(oldNames.length);
    for (const n of newNames) expect(seen.get(n)).toEqual([n.replace(/^prod-shop:/, 'shop:')]);
    expect(oldNames.sort()).toEqual(newNames.map((n) => n.replace(/^prod-shop:/, 'shop:')).sort());
  });

  test('providers carry a clusterIdentifier (rotating credentials does not replace them) and can render YAML to a directory', async () => {
    const run = await deploy('render', (app) => buildShop(app, DeliveryMode.DIRECT), { renderYamlToDirectory: 'gitops-out' });
    const providers = run.regs.filter((r) => r.type === 'pulumi:providers:kubernetes');
    expect(providers.length).toBe(3);
    for (const p of providers) {
      expect(p.inputs.clusterIdentifier).toMatch(/^shop\/cluster-/);
      expect(p.inputs.renderYamlToDirectory).toMatch(/^gitops-out\/shop-cluster-/);
    }
  });
});

describe('stability', () => {
  const names = (regs: Registration[]) => regs.filter(isK8s).map((r) => r.name.replace(/^[^:]+:/, '')).sort();

  test('resource names are identical across two runs of the same program', async () => {
    const a = await deploy('run-a', (app) => buildShop(app));
    const b = await deploy('run-b', (app) => buildShop(app));
    expect(names(a.regs)).toEqual(names(b.regs));
    expect(names(a.regs).length).toBeGreaterThan(40);
  });

  test('renaming one app changes only that app\'s resources', async () => {
    const withExtra = (appName: string) => (app: App) => {
      const platform = buildShop(app);
      const tenant = platform.node.findAll().find((c) => (c as any).namespace === 'storefront') as any;
      new FederatedApp(tenant, appName, { image: 'registry.example.com/shop/search:1.0.0', port: 8080 });
    };
    const a = names((await deploy('rename-a', withExtra('search'))).regs);
    const b = names((await deploy('rename-b', withExtra('finder'))).regs);
    const onlyA = a.filter((n) => !b.includes(n));
    const onlyB = b.filter((n) => !a.includes(n));
    expect(onlyA.length).toBeGreaterThan(0);
    expect(onlyA.every((n) => n.endsWith('storefront/search'))).toBe(true);
    expect(onlyB.every((n) => n.endsWith('storefront/finder'))).toBe(true);
    expect(onlyB.length).toBe(onlyA.length);
  });
});

test('the pulumi-shop example program type-checks and its mocked run registers every object', async () => {
  const start = registrations.length;
  const program = require(path.join(__dirname, '..', 'examples', 'pulumi-shop', 'index.ts'));
  const summary = await promiseOf(program.summary as pulumi.Output<Record<string, { objects: number }>>);
  await settle();
  const app = new App();
  buildShop(app);
  const objects = synthesizeTargets(app).flatMap((t) => t.objects);
  expect(summary['control-plane'].objects).toBe(objects.length);
  expect(registrations.slice(start).filter(isK8s)).toHaveLength(objects.length);
});
