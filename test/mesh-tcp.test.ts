// TCP services: the split is a tcp route on the port (Istio ignores http routes there), HTTP-only features are refused,
// and a declared TCP caller connects.
process.env.FLEETPLANE_QUIET = '1';

import { App, Duration } from 'cdk8s';
import { checkReachability, DeliveryMode, DistributedPlatform, FederatedApp, MeshedService, PlatformValidationError, Traffic } from '../index';
import { synth } from './support/synth';

function build(app: App, extra: Record<string, unknown> = {}): void {
  const platform = new DistributedPlatform(app, 'prod', { delivery: DeliveryMode.DIRECT, mesh: { meshId: 'm', istioCni: true }, clusters: [{ name: 'bj-1', region: 'cn-north', zones: ['cn-north-1a'] }] });
  const shop = platform.addTenant('shop');
  const db = new FederatedApp(shop, 'db', { image: 'registry.example.com/shop/db:1.0.0', ports: [{ name: 'tcp-db', port: 5432 }], version: 'v1', canary: { version: 'v2', replicas: 1 } });
  const api = new FederatedApp(shop, 'api', { image: 'registry.example.com/shop/api:1.0.0', ports: [{ name: 'http', port: 8080 }] });
  const dbMesh = new MeshedService(shop, 'db-mesh', { app: db, traffic: Traffic.canary(20), ...extra });
  const apiMesh = new MeshedService(shop, 'api-mesh', { app: api, calls: [dbMesh] });
  dbMesh.allowFrom(apiMesh);
}

test('a TCP port gets a weighted tcp route, no http route', () => {
  const out = synth((app) => build(app));
  const vs = out['prod-cluster-bj-1.k8s.yaml'].find((o) => o.kind === 'VirtualService' && o.metadata.name === 'db');
  expect(vs.spec.http).toBeUndefined();
  expect(vs.spec.tcp).toEqual([{
    match: [{ port: 5432 }],
    route: [
      { destination: { host: 'db.shop.svc.cluster.local', subset: 'v1', port: { number: 5432 } }, weight: 80 },
      { destination: { host: 'db.shop.svc.cluster.local', subset: 'v2', port: { number: 5432 } }, weight: 20 },
    ],
  }]);
});

test('the declared TCP caller connects', () => {
  const app = new App();
  build(app);
  const report = checkReachability(app);
  expect(report.blocked).toEqual([]);
  expect(report.entries.find((e) => e.callee === 'shop/db:5432' && e.kind === 'call')).toMatchObject({ caller: 'shop/api', allowed: true });
});

test('HTTP-only features on a TCP port are refused (FP-MESH), naming the prop', () => {
  const app = new App();
  build(app, { retries: { attempts: 2 }, timeout: Duration.seconds(1) });
  let error: unknown;
  try {
    app.synth();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PlatformValidationError);
  const problems = (error as PlatformValidationError).errors.map((p) => `${p.rule} ${p.prop}`);
  expect(problems).toEqual(['FP-MESH retries', 'FP-MESH timeout']);
});
