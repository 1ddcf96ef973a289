// The reachability model on fleetplane's own synthesized output (direct delivery, two clusters on two networks):
// declared callers get through every check, undeclared ones are stopped by a named object.
process.env.FLEETPLANE_QUIET = '1';

import { App } from 'cdk8s';
import { evaluatePath, FleetNetworks, reachabilityMatrix } from '../analysis/reachability';
import { DeliveryMode, DistributedPlatform, FederatedApp, MeshedService } from '../index';
import { synth } from './support/synth';

const NETWORKS: FleetNetworks = {
  'bj-1': { podCidrs: ['10.1.0.0/16'], network: 'net-north', eastWestGateway: { address: '198.51.100.1' } },
  'sh-1': { podCidrs: ['10.2.0.0/16'], network: 'net-east', eastWestGateway: { address: '198.51.100.2' } },
};

function build(app: App): void {
  const platform = new DistributedPlatform(app, 'prod', {
    delivery: DeliveryMode.DIRECT,
    mesh: { meshId: 'shop-mesh', istioCni: true, primaries: ['bj-1', 'sh-1'] },
    clusters: [
      { name: 'bj-1', region: 'cn-north', zones: ['cn-north-1a'], network: 'net-north', podCidr: '10.1.0.0/16', eastWestGateway: { address: '198.51.100.1' } },
      { name: 'sh-1', region: 'cn-east', zones: ['cn-east-1a'], network: 'net-east', podCidr: '10.2.0.0/16', eastWestGateway: { address: '198.51.100.2' } },
    ],
  });
  const shop = platform.addTenant('shop');
  const image = (n: string) => `registry.example.com/shop/${n}:1.0.0`;
  const cart = new MeshedService(shop, 'cart-mesh', { app: new FederatedApp(shop, 'cart', { image: image('cart'), port: 8080 }) });
  const frontend = new MeshedService(shop, 'frontend-mesh', { app: new FederatedApp(shop, 'frontend', { image: image('frontend'), port: 8080 }), calls: [cart] });
  cart.allowFrom(frontend, { methods: ['GET'], paths: ['/cart/*'] });
}

// Endpoints name pods by their selector labels; the model completes them from the Deployments.
const app = (cluster: string, name: string) => ({ cluster, namespace: 'shop', labels: { 'app.kubernetes.io/name': name }, meshed: true });

describe('reachability of a synthesized platform', () => {
  let manifests: Record<string, object[]>;
  beforeAll(() => {
    const out = synth(build);
    manifests = { 'bj-1': out['prod-cluster-bj-1.k8s.yaml'], 'sh-1': out['prod-cluster-sh-1.k8s.yaml'] };
  });

  test('a declared caller in the same cluster gets through; the AuthorizationPolicy of the callee admits it', () => {
    const result = evaluatePath(manifests, NETWORKS, { from: app('bj-1', 'frontend'), to: { ...app('bj-1', 'cart'), port: 'http' }, mtls: true, http: { method: 'GET', path: '/cart/42' } });
    expect(result.allowed).toBe(true);
    expect(result.decidedBy).toEqual({ kind: 'AuthorizationPolicy', namespace: 'shop', name: 'cart-allow', rule: 'rules[0]', cluster: 'bj-1' });
    expect(result.hops.map((h) => h.kind)).toEqual(['sidecar-egress', 'network-egress', 'network-ingress', 'peer-authentication', 'authorization']);
    expect(result.hops[0].decidedBy).toMatchObject({ kind: 'Sidecar', name: 'frontend', rule: 'egress[0].hosts' });
  });

  test('a method the callee did not allow is stopped by its ALLOW policy', () => {
    const result = evaluatePath(manifests, NETWORKS, { from: app('bj-1', 'frontend'), to: { ...app('bj-1', 'cart'), port: 8080 }, mtls: true, http: { method: 'DELETE', path: '/cart/42' } });
    expect(result.allowed).toBe(false);
    expect(result.decidedBy).toMatchObject({ kind: 'AuthorizationPolicy', name: 'cart-allow', cluster: 'bj-1' });
  });

  test("an undeclared caller is stopped by the callee's ALLOW policies (its own, listing no caller, and the tenant deny-all)", () => {
    const result = evaluatePath(manifests, NETWORKS, { from: app('bj-1', 'cart'), to: { ...app('bj-1', 'frontend'), port: 8080 }, mtls: true, http: { method: 'GET', path: '/' } });
    expect(result.allowed).toBe(false);
    expect(result.decidedBy).toMatchObject({ kind: 'AuthorizationPolicy', name: 'frontend-allow', cluster: 'bj-1' });
    expect(result.hops.find((h) => h.kind === 'authorization')?.reason).toContain('shop/deny-all');
  });

  test('a plain-text caller is refused by the tenant PeerAuthentication (STRICT)', () => {
    const result = evaluatePath(manifests, NETWORKS, { from: app('bj-1', 'frontend'), to: { ...app('bj-1', 'cart'), port: 8080 }, mtls: false });
    expect(result.decidedBy).toMatchObject({ kind: 'PeerAuthentication', namespace: 'shop', name: 'default' });
  });

  test('across networks the caller sends to the remote east-west gateway on 15443, which its tenant opens (allow-east-west)', () => {
    const [entry] = reachabilityMatrix(manifests, NETWORKS, [{ from: app('sh-1', 'frontend'), to: { ...app('bj-1', 'cart'), port: 8080 }, mtls: true, http: { method: 'GET', path: '/cart/1' } }]);
    expect(entry.label).toBe('sh-1/shop/frontend -> bj-1/shop/cart:8080');
    // The callee's side admits the gateway (its mesh-ingress policy lists the east-west gateway peer) ...
    const intoCart = entry.result.hops.filter((h) => h.kind === 'network-ingress' && h.subject.endsWith('bj-1/shop/cart:8080'));
    expect(intoCart.map((h) => h.decidedBy?.name)).toEqual(['cart-mesh-ingress']);
    // ... and the caller's tenant opens egress to the declared gateway address on 15443.
    const toGateway = entry.result.hops.find((h) => h.kind === 'network-egress' && h.subject.includes('east-west gateway 198.51.100.1'));
    expect(toGateway?.decidedBy).toMatchObject({ kind: 'NetworkPolicy', namespace: 'shop', name: 'allow-east-west', cluster: 'sh-1' });
    expect(entry.result.allowed).toBe(true);
  });
});
