// Wide ipBlocks never admit the policy's own cluster by address: an east-west gateway declared as a VPC range,
// or a peer's pod range, that holds the local pod or Service range gets it as `except`, so local pods of other
// namespaces are still judged by selectors. The reachability model shows the difference on the emitted policy.
import { App } from 'cdk8s';
import { DeliveryMode, DistributedPlatform, FederatedApp, MeshedService } from '../index';
import { ipBlockExcept } from '../core/cidr';
import { evaluateNetworkPolicies } from '../analysis/network-policy';
import { podAddress } from '../analysis/selectors';
import { synth } from './support/synth';

test('ipBlockExcept leaves out the local ranges a block holds, and only those', () => {
  expect(ipBlockExcept('10.0.0.0/8', ['10.1.0.0/16', '10.101.0.0/16', '172.16.0.0/12'])).toEqual({ cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.101.0.0/16'] });
  expect(ipBlockExcept('198.51.100.7', ['10.1.0.0/16'])).toEqual({ cidr: '198.51.100.7/32' });
  // A peer's own range is admitted whole: equal is not inside.
  expect(ipBlockExcept('10.2.0.0/16', ['10.2.0.0/16'])).toEqual({ cidr: '10.2.0.0/16' });
});

function build(mode: DeliveryMode, network: 'flat' | 'split') {
  return (app: App) => {
    const p = new DistributedPlatform(app, 'p', {
      delivery: mode,
      mesh: { meshId: 'm', istioCni: true },
      clusters: network === 'split'
        ? [
          // bj-1's gateway is declared as its VPC range, which also holds sh-1's pod and Service ranges.
          { name: 'bj-1', region: 'north', network: 'n1', podCidr: '172.16.0.0/16', serviceCidr: '172.17.0.0/16', eastWestGateway: { address: '10.0.0.0/8' } },
          { name: 'sh-1', region: 'east', network: 'n2', podCidr: '10.2.0.0/16', serviceCidr: '10.102.0.0/16', eastWestGateway: { address: '198.51.100.2' } },
        ]
        : [
          // A peer range that holds the other cluster's ranges (a /8 handed to bj-1 by a careless IPAM export).
          { name: 'bj-1', region: 'north', network: 'flat', podCidr: '10.0.0.0/8' },
          { name: 'sh-1', region: 'east', network: 'flat', podCidr: '10.2.0.0/16', serviceCidr: '10.102.0.0/16' },
        ],
    });
    const shop = p.addTenant('shop');
    const cart = new MeshedService(shop, 'cart-mesh', { app: new FederatedApp(shop, 'cart', { image: 'r.example.com/cart:1.0.0', port: 8080 }) });
    cart.allowFrom(new MeshedService(shop, 'web-mesh', { app: new FederatedApp(shop, 'web', { image: 'r.example.com/web:1.0.0', port: 8080 }) }));
  };
}

test('direct mode: the east-west egress of sh-1 leaves sh-1\'s own ranges out of bj-1\'s gateway range', () => {
  const out = synth(build(DeliveryMode.DIRECT, 'split'));
  const egress = out['p-cluster-sh-1.k8s.yaml'].find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-east-west');
  expect(egress.spec.egress[0].to).toEqual([
    { ipBlock: { cidr: '10.0.0.0/8', except: ['10.102.0.0/16', '10.2.0.0/16'] } },
    { ipBlock: { cidr: '198.51.100.2/32' } },
  ]);
  // bj-1's own policy has nothing of its own inside those blocks.
  const bj = out['p-cluster-bj-1.k8s.yaml'].find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-east-west');
  expect(bj.spec.egress[0].to).toEqual([{ ipBlock: { cidr: '10.0.0.0/8' } }, { ipBlock: { cidr: '198.51.100.2/32' } }]);
  // As the cluster decides it: a local sh-1 pod in another namespace is not admitted through the gateway block.
  const local = { address: podAddress('10.2.3.4', ['10.2.0.0/16'], 'sh-1'), description: 'a local pod by address' };
  const verdict = evaluateNetworkPolicies([egress], 'Egress', { namespace: 'shop', labels: {} }, local, { port: 15443, protocol: 'TCP', destinationPorts: [] });
  expect(verdict.allowed).toBe(false);
  const remote = { address: podAddress('10.9.0.1', undefined, 'bj-1'), description: 'bj-1 gateway' };
  expect(evaluateNetworkPolicies([egress], 'Egress', { namespace: 'shop', labels: {} }, remote, { port: 15443, protocol: 'TCP', destinationPorts: [] }).allowed).toBe(true);
});

test('flat network: overlapping pod or Service ranges of one network are refused, naming the cluster prop', () => {
  const app = new App();
  build(DeliveryMode.DIRECT, 'flat')(app);
  const platform = app.node.findAll().find((c): c is DistributedPlatform => c instanceof DistributedPlatform)!;
  const problems = platform.problems().filter((p) => p.severity === 'error');
  expect(problems.map((p) => `${p.rule} ${p.prop} ${p.value}`)).toEqual([
    'FP-MESH clusters[name=sh-1].podCidr 10.2.0.0/16',
    'FP-MESH clusters[name=sh-1].serviceCidr 10.102.0.0/16',
  ]);
});
