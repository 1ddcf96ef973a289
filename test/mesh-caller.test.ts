// A port-less app (a queue worker) can be a mesh caller: its MeshedService scopes its sidecar egress and is
// named in the callee's allowFrom, with no routes or authorization of its own. The reachability check proves the
// worker's calls get through in every cluster pair, and that the worker itself admits nothing.
import { App, Duration } from 'cdk8s';
import { checkReachability, DeliveryMode, DistributedPlatform, FederatedApp, MeshedService, Traffic } from '../index';
import { all, synth } from './support/synth';
import { problemsOf } from './support/fixtures';

const CLUSTERS = [
  { name: 'bj-1', region: 'cn-north', network: 'n1', podCidr: '10.1.0.0/16', eastWestGateway: { address: '198.51.100.1' } },
  { name: 'sh-1', region: 'cn-east', network: 'n2', podCidr: '10.2.0.0/16', eastWestGateway: { address: '198.51.100.2' } },
];

function build(mode: DeliveryMode, workerProps: Record<string, unknown> = {}, allowWorker = false) {
  return (app: App) => {
    const p = new DistributedPlatform(app, 'p', { delivery: mode, clusters: CLUSTERS, mesh: { meshId: 'm', istioCni: true } });
    const shop = p.addTenant('shop');
    const cart = new MeshedService(shop, 'cart-mesh', { app: new FederatedApp(shop, 'cart', { image: 'r.example.com/cart:1.0.0', port: 8080 }) });
    const worker = new MeshedService(shop, 'worker-mesh', { app: new FederatedApp(shop, 'worker', { image: 'r.example.com/worker:1.0.0', replicas: 2 }), calls: [cart], ...workerProps });
    cart.allowFrom(worker, { methods: ['POST'], paths: ['/orders'] });
    if (allowWorker) worker.allowFrom(cart);
    return p;
  };
}

describe.each([DeliveryMode.KARMADA, DeliveryMode.DIRECT])('a port-less caller (%s mode)', (mode) => {
  test('gets a Sidecar egress scope and no routing, authorization or ingress policy', () => {
    const objects = all(synth(build(mode)));
    const of = (kind: string, name: string) => objects.filter((o) => o.kind === kind && o.metadata.name === name);
    expect(of('VirtualService', 'worker')).toEqual([]);
    expect(of('DestinationRule', 'worker')).toEqual([]);
    expect(of('AuthorizationPolicy', 'worker-allow')).toEqual([]);
    expect(of('NetworkPolicy', 'worker-mesh-ingress')).toEqual([]);
    const sidecar = of('Sidecar', 'worker')[0];
    expect(sidecar.spec.egress[0].hosts).toContain('shop/cart.shop.svc.cluster.local');
    // The callee's authorization names the worker's principal.
    const authz = of('AuthorizationPolicy', 'cart-allow')[0];
    expect(JSON.stringify(authz.spec.rules)).toContain('cluster.local/ns/shop/sa/worker');
  });

  test('its call reaches the callee in every cluster pair, and nothing reaches it', () => {
    const app = new App();
    build(mode)(app);
    const report = checkReachability(app);
    const calls = report.entries.filter((e) => e.caller === 'shop/worker' && e.callee === 'shop/cart:8080');
    expect(calls.map((e) => `${e.fromCluster}->${e.toCluster} ${e.allowed}`).sort()).toEqual(['bj-1->bj-1 true', 'bj-1->sh-1 true', 'sh-1->bj-1 true', 'sh-1->sh-1 true']);
    expect(report.blocked).toEqual([]);
    expect(report.leaks).toEqual([]);
  });
});

test('service-side settings and allowFrom on a port-less service are refused, each naming the prop', () => {
  const problems = problemsOf(build(DeliveryMode.DIRECT, { traffic: Traffic.stable(), timeout: Duration.seconds(2), ingress: { hosts: ['w.example.com'] } }, true));
  expect(problems.filter((p) => p.severity === 'error').map((p) => `${p.rule} ${p.path} ${p.prop}`)).toEqual([
    'FP-MESH p/shop/worker-mesh allowFrom(0)',
    'FP-MESH p/shop/worker-mesh ingress',
    'FP-MESH p/shop/worker-mesh timeout',
    'FP-MESH p/shop/worker-mesh traffic',
  ]);
});
