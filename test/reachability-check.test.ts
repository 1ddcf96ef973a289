// The public reachability check: every declared path of every example connects in every cluster pair, the
// undeclared sample is refused, and a blocked declared path (or a missing east-west gateway address) fails
// synthesis with an FP-REACH problem naming what blocks it.
process.env.FLEETPLANE_QUIET = '1';

import { App } from 'cdk8s';
import { checkReachability, synthesizeTargets, DeliveryMode, DistributedPlatform, FederatedApp, FleetApp, MeshedService, PlatformValidationError, ReachabilityReport } from '../index';
import { MemberClusterProps } from '../model/cluster';
import { tmpDir } from './support/synth';

/** Runs an example's main.ts without writing files and returns its app. */
function loadExample(name: string): App {
  let captured: App | undefined;
  jest.isolateModules(() => {
    // The example imports 'fleetplane' from this isolated registry: stub its FleetApp's synth there.
    const fp = require('fleetplane') as typeof import('../index');
    const spy = jest.spyOn(fp.FleetApp.prototype, 'synth').mockImplementation(function (this: FleetApp) {
      captured = this;
    });
    try {
      require(`../examples/${name}/main`);
    } finally {
      spy.mockRestore();
    }
  });
  return captured!;
}

const row = (e: ReachabilityReport['entries'][number]) => `${e.kind} ${e.caller} -> ${e.callee} ${e.fromCluster}->${e.toCluster}: ${e.allowed ? 'allowed' : 'denied'}`;

describe.each(['meshed-shop', 'observed-shop', 'multi-region-shop', 'direct-delivery'])('example %s', (example) => {
  test('every declared path connects in every cluster pair; the undeclared sample is refused', () => {
    const report = checkReachability(loadExample(example));
    expect(report.blocked.map(row)).toEqual([]);
    expect(report.leaks.map(row)).toEqual([]);
  });
});

describe('meshed-shop (two networks)', () => {
  let report: ReachabilityReport;
  beforeAll(() => {
    report = checkReachability(loadExample('meshed-shop'));
  });

  test('admits exactly the declared cross-cluster calls', () => {
    const cross = report.entries.filter((e) => e.kind === 'call' && e.fromCluster !== e.toCluster);
    expect(cross.map(row).sort()).toEqual([
      'call shop/frontend -> shop/cart:8080 bj-1->sh-1: allowed',
      'call shop/frontend -> shop/cart:8080 sh-1->bj-1: allowed',
    ]);
    // Across networks the caller's egress to the remote east-west gateway is opened by allow-east-west.
    expect(report.entries.find((e) => e.kind === 'undeclared')).toMatchObject({ caller: 'shop/cart', callee: 'shop/frontend:8080', allowed: false, expected: 'denied' });
  });

  test('every row names the deciding object', () => {
    for (const e of report.entries) expect(e.decidedBy?.name ?? e.reason).toBeTruthy();
    const call = report.entries.find((e) => e.kind === 'call' && e.fromCluster === 'bj-1' && e.toCluster === 'bj-1');
    expect(call?.decidedBy).toMatchObject({ kind: 'AuthorizationPolicy', namespace: 'shop', name: 'cart-allow' });
  });
});

const CLUSTERS: MemberClusterProps[] = [
  { name: 'bj-1', region: 'cn-north', zones: ['cn-north-1a'], network: 'net-north', podCidr: '10.1.0.0/16', eastWestGateway: { address: '198.51.100.1' } },
  { name: 'sh-1', region: 'cn-east', zones: ['cn-east-1a'], network: 'net-east', podCidr: '10.2.0.0/16', eastWestGateway: { address: '198.51.100.2' } },
];

function shop(app: App, clusters: MemberClusterProps[], wire: (cart: MeshedService, frontend: MeshedService, orders: MeshedService) => void): void {
  const platform = new DistributedPlatform(app, 'prod', { delivery: DeliveryMode.DIRECT, mesh: { meshId: 'm', istioCni: true }, clusters });
  const tenant = platform.addTenant('shop');
  const svc = (name: string, calls: MeshedService[] = []) => new MeshedService(tenant, `${name}-mesh`, { app: new FederatedApp(tenant, name, { image: `registry.example.com/shop/${name}:1.0.0`, port: 8080 }), calls });
  const cart = svc('cart');
  const orders = svc('orders');
  const frontend = svc('frontend', [orders]);
  wire(cart, frontend, orders);
}

/** The errors synthesis reports for a definition (none when it synthesizes). */
function problemsOf(build: (app: App) => void) {
  const app = new App({ outdir: tmpDir() });
  build(app);
  try {
    app.synth();
  } catch (e) {
    if (e instanceof PlatformValidationError) return e.errors;
    throw e;
  }
  return [];
}

describe('a blocked declared path fails synthesis', () => {
  test("a caller whose Sidecar scope leaves the callee out is stopped, and the problem names that Sidecar", () => {
    // frontend calls only orders, so its Sidecar egress does not list the cart that allows it.
    const errors = problemsOf((app) => shop(app, CLUSTERS, (cart, frontend, orders) => {
      cart.allowFrom(frontend);
      orders.allowFrom(frontend);
    }));
    expect(errors.length).toBe(4);
    expect(errors.every((p) => p.rule === 'FP-REACH' && p.path === 'prod/shop/cart-mesh' && p.prop === 'allowFrom(0)')).toBe(true);
    expect(errors[0].value).toBe('Sidecar shop/frontend in cluster bj-1');
    expect(errors[0].message).toContain('shop/frontend in bj-1 -> shop/cart:8080 in bj-1');
  });

  test('a call the callee does not allow is a warning naming its AuthorizationPolicy (the allow-list may refuse it on purpose)', () => {
    const app = new App({ outdir: tmpDir() });
    shop(app, CLUSTERS, () => undefined);
    const problems = (app.node.findChild('prod') as DistributedPlatform).problems();
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(problems.map((p) => `${p.severity} ${p.rule} ${p.path} ${p.prop} ${p.value}`)).toContain('warning FP-REACH prod/shop/frontend-mesh calls[0] AuthorizationPolicy shop/orders-allow in cluster bj-1');
  });

  test('the declared calls pass when the callee allows them', () => {
    expect(problemsOf((app) => shop(app, CLUSTERS, (_cart, frontend, orders) => orders.allowFrom(frontend)))).toEqual([]);
  });

  test('a cross-network call into a cluster without an east-west gateway address is a typed error naming the prop', () => {
    const clusters = [CLUSTERS[0], { ...CLUSTERS[1], eastWestGateway: undefined }];
    const errors = problemsOf((app) => shop(app, clusters, (_cart, frontend, orders) => orders.allowFrom(frontend)));
    expect(errors.map((p) => p.prop)).toEqual(['clusters[name=sh-1].eastWestGateway']);
    expect(errors[0]).toMatchObject({ rule: 'FP-REACH', path: 'prod/shop/orders-mesh' });
    expect(errors[0].fix).toContain('eastWestGateway: { address:');
  });
});

describe('a flat network (both clusters on one network)', () => {
  const FLAT = CLUSTERS.map((c) => ({ ...c, network: 'flat', eastWestGateway: undefined }));

  test('admits exactly the declared cross-cluster calls: callers are opened by pod CIDR on the mesh port', () => {
    const app = new App({ outdir: tmpDir() });
    shop(app, FLAT, (cart, frontend, orders) => {
      orders.allowFrom(frontend);
      cart.allowFrom(orders);
    });
    const report = checkReachability(app);
    expect(report.blocked.map(row)).toEqual([]);
    expect(report.leaks.map(row)).toEqual([]);
    const cross = report.entries.filter((e) => e.kind === 'call' && e.fromCluster !== e.toCluster).map(row).sort();
    expect(cross).toEqual([
      'call shop/frontend -> shop/orders:8080 bj-1->sh-1: allowed',
      'call shop/frontend -> shop/orders:8080 sh-1->bj-1: allowed',
      'call shop/orders -> shop/cart:8080 bj-1->sh-1: allowed',
      'call shop/orders -> shop/cart:8080 sh-1->bj-1: allowed',
    ]);
    expect(report.entries.filter((e) => e.kind === 'undeclared').every((e) => !e.allowed)).toBe(true);
  });

  test('a cross-cluster call into a cluster whose pod CIDR is unknown is a typed error naming podCidr', () => {
    const clusters = [FLAT[0], { ...FLAT[1], podCidr: undefined }];
    const errors = problemsOf((app) => shop(app, clusters, (_cart, frontend, orders) => orders.allowFrom(frontend)));
    expect(errors.length).toBeGreaterThan(0);
    expect([...new Set(errors.map((p) => p.prop))]).toEqual(['clusters[name=sh-1].podCidr']);
    expect(errors[0].fix).toContain("set podCidr: '<its pod CIDR>' on cluster sh-1");
  });
});

describe('cross-cluster names resolve', () => {
  test("observed-shop: every member the global tier reaches by its clusterset name exports prometheus-operated", () => {
    const outputs = synthesizeTargets(loadExample('observed-shop'));
    const text = JSON.stringify(outputs.map((o) => o.objects));
    const names = [...new Set(text.match(/[a-z0-9-]+\.prometheus-operated\.[a-z0-9-]+\.svc\.clusterset\.local/g) ?? [])];
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const [cluster, service, namespace] = name.split('.');
      const member = outputs.find((o) => o.target.cluster?.name === cluster);
      expect(member?.objects.filter((o) => o.kind === 'ServiceExport' && o.metadata.name === service && o.metadata.namespace === namespace)).toHaveLength(1);
    }
  });
});

test('verifyReachability: false skips the check at synthesis; checkReachability still finds the blocked path', () => {
  const build = (app: App, verify: boolean) => {
    const platform = new DistributedPlatform(app, 'prod', { delivery: DeliveryMode.DIRECT, mesh: { meshId: 'm', istioCni: true }, clusters: CLUSTERS, verifyReachability: verify });
    const tenant = platform.addTenant('shop');
    const svc = (name: string, calls: MeshedService[] = []) => new MeshedService(tenant, `${name}-mesh`, { app: new FederatedApp(tenant, name, { image: `registry.example.com/shop/${name}:1.0.0`, port: 8080 }), calls });
    const cart = svc('cart');
    const orders = svc('orders');
    const frontend = svc('frontend', [orders]);
    cart.allowFrom(frontend);
    orders.allowFrom(frontend);
    return platform;
  };
  const off = build(new App({ outdir: tmpDir() }), false);
  expect(off.problems().filter((p) => p.rule === 'FP-REACH' && p.severity === 'error')).toEqual([]);
  expect(checkReachability(off).blocked.length).toBe(4);
  const on = build(new App({ outdir: tmpDir() }), true);
  expect(on.problems().filter((p) => p.rule === 'FP-REACH' && p.severity === 'error').length).toBe(4);
});
