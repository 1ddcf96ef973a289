// The Pulumi adapter creates its resources in batches after the constructor returns, so that a large fleet's
// registrations are not all in flight at once. These tests pin what that must not change: every object is
// registered exactly once, `targets` is complete whenever it is read, the control plane still waits for the
// members, and the process-wide stack trace limit is left as it was.
import * as pulumi from '@pulumi/pulumi';
import { App } from 'cdk8s';

process.env.FLEETPLANE_QUIET = '1';

interface Registration { type: string; name: string }
const registrations: Registration[] = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registrations.push({ type: args.type, name: args.name });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  },
  'fleetplane',
  'batching',
);

/* eslint-disable @typescript-eslint/no-require-imports */
const { PlatformStack } = require('../outputs/pulumi') as typeof import('../outputs/pulumi');
const { DistributedPlatform, FederatedApp, synthesizeTargets } = require('../index') as typeof import('../index');
const { buildShop } = require('../examples/multi-region-shop/platform') as typeof import('../examples/multi-region-shop/platform');

const isK8s = (r: Registration) => r.type.startsWith('kubernetes:') && r.type !== 'pulumi:providers:kubernetes';
const promiseOf = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

/** A meshed platform (member targets and a control plane) with `apps` apps: several batches of objects. */
function fleet(apps: number) {
  return (app: App) => {
    const platform = new DistributedPlatform(app, 'fleet', {
      clusters: [{ name: 'bj-1', region: 'cn-north' }, { name: 'sh-1', region: 'cn-east' }],
      mesh: { meshId: 'm', istioCni: true },
    });
    const tenant = platform.addTenant('shop');
    for (let i = 0; i < apps; i++) new FederatedApp(tenant, `app-${i}`, { image: `registry.example.com/shop/app-${i}:1.0.0`, port: 8080 });
  };
}

function objectCount(build: (app: App) => void): number {
  const app = new App();
  build(app);
  return synthesizeTargets(app).reduce((n, t) => n + t.objects.length, 0);
}

test('registrations of earlier batches complete while later resources are still to be created', async () => {
  const start = registrations.length;
  const seenAtCreation: number[] = [];
  const record: pulumi.ResourceTransformation = (args) => {
    if (args.type.startsWith('kubernetes:') && args.type !== 'pulumi:providers:kubernetes') {
      seenAtCreation.push(registrations.slice(start).filter(isK8s).length);
    }
    return undefined;
  };
  const app = new App();
  fleet(100)(app);
  const stack = new PlatformStack('batched', { app }, { transformations: [record] });
  expect(seenAtCreation).toEqual([]); // nothing is created inside the constructor
  await promiseOf(stack.summary);
  await settle();
  const expected = objectCount(fleet(100));
  expect(expected).toBeGreaterThan(400);
  expect(registrations.slice(start).filter(isK8s)).toHaveLength(expected);
  expect(seenAtCreation).toHaveLength(expected);
  // When the last resource is created, most of the others have already been registered: at most a few
  // batches are in flight at any time, not the whole fleet.
  expect(seenAtCreation[seenAtCreation.length - 1]).toBeGreaterThan(expected - 200);
});

test('reading targets right after the constructor gives every resource, each registered once', async () => {
  const start = registrations.length;
  const app = new App();
  fleet(20)(app);
  const stack = new PlatformStack('eager', { app });
  const resources = Object.values(stack.targets).flatMap((t) => Object.keys(t.resources));
  const expected = objectCount(fleet(20));
  expect(resources).toHaveLength(expected);
  expect(new Set(resources).size).toBe(expected);
  await promiseOf(stack.summary);
  await settle();
  const names = registrations.slice(start).filter(isK8s).map((r) => r.name);
  expect(names.sort()).toEqual([...resources].sort());
});

test('the control-plane component is registered only after every member object', async () => {
  const start = registrations.length;
  const app = new App();
  fleet(20)(app);
  const stack = new PlatformStack('order', { app });
  await promiseOf(stack.summary);
  await settle();
  const regs = registrations.slice(start);
  const targets = Object.keys(stack.targets);
  const members = targets.filter((t) => t !== 'control-plane');
  expect(members.length).toBeGreaterThan(0);
  const controlPlane = regs.findIndex((r) => r.type === 'fleetplane:index:Target' && r.name === 'order-fleet-control-plane');
  expect(controlPlane).toBeGreaterThan(0);
  const memberObjects = regs.map((r, i) => ({ r, i })).filter(({ r }) => isK8s(r) && members.some((m) => r.name.startsWith(`order:${m}:`)));
  expect(memberObjects.length).toBeGreaterThan(0);
  for (const { i } of memberObjects) expect(i).toBeLessThan(controlPlane);
});

test('the process-wide stack trace limit is restored, and a failing resource still reports its message', async () => {
  const before = Error.stackTraceLimit;
  const app = new App();
  buildShop(app);
  const stack = new PlatformStack('limit', { app });
  await promiseOf(stack.summary);
  expect(Error.stackTraceLimit).toBe(before);
  let refused: string | undefined;
  const failing: pulumi.ResourceTransformation = (args) => {
    if (args.type === 'kubernetes:apps/v1:Deployment' && !refused) {
      refused = args.name;
      throw new Error(`refusing ${args.name}`);
    }
    return undefined;
  };
  const app2 = new App();
  buildShop(app2);
  const bad = new PlatformStack('failing', { app: app2 }, { transformations: [failing] });
  expect(() => bad.targets).toThrow(/^refusing failing:control-plane:apps\/v1:Deployment:/);
  expect(Error.stackTraceLimit).toBe(before);
  // The rest is still created (the program fails on the error above in any case).
  expect(Object.keys(bad.targets['control-plane'].resources)).not.toContain(refused);
  await promiseOf(bad.summary);
  await settle();
});
