// Declaration order carries no meaning: the same clusters, tenants, apps, callers and weights declared in another
// order give the same objects with the same content (both delivery modes, with a mesh and monitoring). With only the
// clusters reordered, the files are byte-identical. The example: declaring the same clusters in another
// order changed the cluster lists of Karmada policies and the targets of the federation scrape config.
process.env.FLEETPLANE_QUIET = '1';

import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { DeliveryMode, DistributedPlatform, Distribution, FederatedApp, GlobalTier, MeshedService, Placement, SloKind, Tenant } from '../index';
import { tmpDir } from './support/synth';

interface Order {
  readonly clusters: boolean;
  readonly rest: boolean;
}

const CLUSTERS = [
  { name: 'bj-1', region: 'cn-north', zones: ['cn-north-1a'], provider: 'huaweicloud', network: 'north', podCidr: '10.1.0.0/16', eastWestGateway: { address: '198.51.100.10' } },
  { name: 'bj-2', region: 'cn-north', zones: ['cn-north-1b'], provider: 'huaweicloud', network: 'north', podCidr: '10.2.0.0/16', eastWestGateway: { address: '198.51.100.11' } },
  { name: 'sh-1', region: 'cn-east', zones: ['cn-east-1a'], provider: 'alicloud', network: 'east', podCidr: '10.3.0.0/16', eastWestGateway: { address: '198.51.100.20' } },
];
const APPS: Array<[string, string]> = [['shop', 'web'], ['shop', 'cart'], ['ops', 'tool']];
const CALLS: Array<[string, string]> = [['cart', 'web'], ['tool', 'web'], ['cart', 'tool']];

function build(delivery: DeliveryMode, order: Order): string {
  const dir = tmpDir('fleetplane-order-');
  const app = new App({ outdir: dir });
  const flip = <T>(xs: readonly T[], yes: boolean): T[] => (yes ? [...xs].reverse() : [...xs]);
  const platform = new DistributedPlatform(app, 'prod', {
    clusters: flip(CLUSTERS, order.clusters),
    delivery,
    mesh: { meshId: 'prod-mesh', istioCni: true },
    submariner: { broker: 'bj-1' },
    monitoring: { global: GlobalTier.hierarchical({ cluster: 'bj-1' }) },
    defaults: { imageRegistry: 'registry.example.com' },
  });
  const tenants: Record<string, Tenant> = {};
  for (const t of flip(['shop', 'ops'], order.rest)) {
    tenants[t] = platform.addTenant(t, {
      quota: { cpu: '10' },
      federatedQuota: { overall: { cpu: '30' }, perCluster: Object.fromEntries(flip(['bj-1', 'sh-1'], order.rest).map((c) => [c, { cpu: '10' }])) },
      alerts: { receivers: [{ name: 'pager', webhookUrlSecret: { name: 'alerting', key: 'url' } }], defaultReceiver: 'pager' },
    });
  }
  const apps: Record<string, FederatedApp> = {};
  for (const [t, a] of flip(APPS, order.rest)) {
    apps[a] = new FederatedApp(tenants[t], a, {
      image: `shop/${a}:1.0.0`, ports: [{ name: 'http', port: 8080 }], replicas: 7, metrics: { port: 'http' },
      slos: [{ name: 'availability', kind: SloKind.AVAILABILITY, objective: 99.9 }],
      placement: Placement.clusters(...flip(['bj-1', 'bj-2', 'sh-1'], order.rest)),
      distribution: Distribution.weighted(Object.fromEntries(flip<[string, number]>([['bj-1', 2], ['bj-2', 1], ['sh-1', 1]], order.rest))),
    });
  }
  const services: Record<string, MeshedService> = {};
  for (const [, a] of flip(APPS, order.rest)) services[a] = new MeshedService(apps[a].tenant, `${a}-mesh`, { app: apps[a] });
  for (const [callee, caller] of flip(CALLS, order.rest)) services[callee].allowFrom(services[caller]);
  app.synth();
  return dir;
}

function files(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

/** Canonical JSON: keys sorted, so two objects compare by content. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  return v;
}

/** Each file's objects by identity, with their content. */
function objects(dir: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [f, text] of Object.entries(files(dir))) {
    out[f] = {};
    for (const o of YAML.parseAllDocuments(text).map((d) => d.toJSON()).filter(Boolean)) {
      out[f][`${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`] = JSON.stringify(canonical(o));
    }
  }
  return out;
}

describe.each([DeliveryMode.KARMADA, DeliveryMode.DIRECT])('%s delivery', (delivery) => {
  const declared = build(delivery, { clusters: false, rest: false });

  test('clusters declared in another order: byte-identical files', () => {
    expect(files(build(delivery, { clusters: true, rest: false }))).toEqual(files(declared));
  });

  test('clusters, tenants, apps, callers, placements and weights in another order: the same objects, the same content', () => {
    const reordered = objects(build(delivery, { clusters: true, rest: true }));
    const original = objects(declared);
    expect(Object.keys(reordered)).toEqual(Object.keys(original));
    for (const f of Object.keys(original)) expect(reordered[f]).toEqual(original[f]);
    // Not vacuous: the policies, scrape configs and mesh objects the order used to change are in the output.
    const all = Object.values(original).flatMap((o) => Object.keys(o));
    if (delivery === DeliveryMode.KARMADA) expect(all).toEqual(expect.arrayContaining([expect.stringMatching(/ PropagationPolicy shop\/web$/), expect.stringMatching(/ FederatedResourceQuota /)]));
    expect(all).toEqual(expect.arrayContaining([expect.stringMatching(/ ScrapeConfig monitoring-global\/federate-members$/), expect.stringMatching(/ AuthorizationPolicy shop\/cart-allow$/), expect.stringMatching(/ NetworkPolicy shop\/allow-east-west$/)]));
  });
});

test('the cluster lists the order used to change are sorted', () => {
  const out = objects(build(DeliveryMode.KARMADA, { clusters: true, rest: true }))['prod-control-plane.k8s.yaml'];
  const policy = JSON.parse(Object.entries(out).find(([k]) => k.endsWith(' PropagationPolicy shop/web'))![1]);
  expect(policy.spec.placement.clusterAffinity.clusterNames).toEqual(['bj-1', 'bj-2', 'sh-1']);
  expect(policy.spec.placement.replicaScheduling.weightPreference.staticWeightList.map((w: any) => w.targetCluster.clusterNames[0])).toEqual(['bj-1', 'bj-2', 'sh-1']);
});
