// The progressive shop: delivered by Argo CD from Git, one directory per delivery unit; new versions roll out
// over the fleet in two waves (bj-1 first, then bj-2 and sh-1), each released by `fleetplane promote` once the
// SLO burn rates of the clusters already done pass the gate; and inside every cluster Flagger canaries the
// storefront on its own SLO series, promoting or rolling it back.
import { Duration } from 'cdk8s';
import {
  DistributedPlatform, Distribution, FederatedApp, FleetApp, GitOpsTool, GlobalTier, LocalityFailover, MeshedService,
  Probe, ProgressiveDelivery, RolloutState, SloKind,
} from 'fleetplane';

const app = new FleetApp();
const platform = new DistributedPlatform(app, 'progressive-shop', {
  clusters: [
    { name: 'bj-1', region: 'cn-north', zones: ['cn-north-1a'], network: 'net-north', podCidr: '10.1.0.0/16', eastWestGateway: { address: '198.51.100.10' } },
    { name: 'bj-2', region: 'cn-north', zones: ['cn-north-1b'], network: 'net-north', podCidr: '10.2.0.0/16', eastWestGateway: { address: '198.51.100.11' } },
    { name: 'sh-1', region: 'cn-east', zones: ['cn-east-2a'], network: 'net-east', podCidr: '10.3.0.0/16', eastWestGateway: { address: '198.51.100.20' } },
  ],
  mesh: { meshId: 'shop-mesh', istioCni: true },
  // The global Prometheus (which the wave gate queries) reaches each member's by its Lighthouse name.
  submariner: { broker: 'bj-1' },
  monitoring: { global: GlobalTier.hierarchical({ cluster: 'bj-1' }) },
  defaults: { imageRegistry: 'registry.example.com' },
  gitops: { tool: GitOpsTool.ARGO_CD, repository: 'https://git.example.com/platform/progressive-shop.git', path: 'deploy/dist', revision: 'main' },
  rollout: {
    waves: [['bj-1'], ['bj-2', 'sh-1']],
    gate: { window: Duration.hours(1), maxBurnRate: 2 },
    // `fleetplane promote shop/<app> --prometheus <global tier>` records each released wave here.
    state: RolloutState.fromFile('rollout.json'),
  },
});
const shop = platform.addTenant('shop', { quota: { cpu: '40', memory: '64Gi' } });

const slos = [
  { name: 'availability', kind: SloKind.AVAILABILITY, objective: 99.9 },
  { name: 'latency', kind: SloKind.LATENCY, objective: 99, latencyThreshold: Duration.millis(500) },
];

const frontendApp = new FederatedApp(shop, 'frontend', {
  image: 'shop/frontend:1.9.0',
  port: 8080,
  readiness: Probe.http('/healthz'),
  replicas: 6,
  distribution: Distribution.evenly(),
  metrics: { port: 'http' },
  slos,
  progressive: ProgressiveDelivery.canary({ interval: Duration.minutes(1), stepWeight: 10, maxWeight: 50, threshold: 5 }),
});
const cartApp = new FederatedApp(shop, 'cart', {
  image: 'shop/cart:3.2.1',
  port: 8080,
  readiness: Probe.http('/healthz'),
  replicas: 3,
  distribution: Distribution.evenly(),
  metrics: { port: 'http' },
  slos: [slos[0]],
});

const cart = new MeshedService(shop, 'cart-mesh', { app: cartApp, localityFailover: LocalityFailover.REGIONS, timeout: Duration.seconds(2) });
const frontend = new MeshedService(shop, 'frontend-mesh', {
  app: frontendApp,
  ingress: { hosts: ['shop.example.com'], tlsSecret: 'shop-tls' },
  retries: { attempts: 2, perTryTimeout: Duration.millis(500), retryOn: ['5xx', 'reset'] },
  timeout: Duration.seconds(5),
  localityFailover: LocalityFailover.REGIONS,
  calls: [cart],
});
cart.allowFrom(frontend, { methods: ['GET', 'POST', 'DELETE'] });

app.synth();
