// The meshed shop: a storefront across two regions on two networks, a 10% canary of v2 (and an A/B route for
// beta users), locality failover between the regions, an HTTPS ingress gateway, and an allow-list in which
// only the frontend may call the cart service.
import { Duration } from 'cdk8s';
import {
  DistributedPlatform, Distribution, FederatedApp, FleetApp, LocalityFailover, MeshedService, Placement, Probe, Traffic,
} from 'fleetplane';

const app = new FleetApp();
const platform = new DistributedPlatform(app, 'meshed-shop', {
  clusters: [
    { name: 'bj-1', region: 'cn-north', zones: ['cn-north-1a', 'cn-north-1b'], provider: 'huaweicloud', network: 'net-north',
      // Callers on the other network reach this cluster's pods through its east-west gateway.
      eastWestGateway: { address: '198.51.100.10' } },
    { name: 'sh-1', region: 'cn-east', zones: ['cn-east-2a'], provider: 'alicloud', network: 'net-east', eastWestGateway: { address: '198.51.100.20' } },
  ],
  mesh: { meshId: 'shop-mesh', istioCni: true },
  defaults: { imageRegistry: 'registry.example.com' },
});
const shop = platform.addTenant('shop', { quota: { cpu: '40', memory: '64Gi' }, telemetry: { tracingSampling: 5, accessLogging: true } });

const frontendApp = new FederatedApp(shop, 'frontend', {
  image: 'shop/frontend:1.8.0',
  version: 'v1',
  canary: { version: 'v2', image: 'shop/frontend:2.0.0-rc.1', replicas: 2 },
  ports: [{ name: 'http', port: 8080 }],
  readiness: Probe.http('/healthz'),
  replicas: 8,
  placement: Placement.all(),
  distribution: Distribution.evenly(),
});
const cartApp = new FederatedApp(shop, 'cart', {
  image: 'shop/cart:3.2.1',
  ports: [{ name: 'http', port: 8080 }],
  readiness: Probe.http('/healthz'),
  replicas: 4,
  distribution: Distribution.evenly(),
});

const cart = new MeshedService(shop, 'cart-mesh', {
  app: cartApp,
  localityFailover: LocalityFailover.REGIONS,
  connectionPool: { maxConnections: 200, http2MaxRequests: 1000, maxRetries: 3 },
  timeout: Duration.seconds(2),
  retries: { attempts: 2, perTryTimeout: Duration.millis(500), retryOn: ['5xx', 'reset', 'connect-failure'] },
});

const frontend = new MeshedService(shop, 'frontend-mesh', {
  app: frontendApp,
  traffic: Traffic.canary(10),
  routes: [{ name: 'beta-users', match: { headers: { 'x-beta': 'true' } }, version: 'v2' }],
  localityFailover: LocalityFailover.REGIONS,
  ingress: { hosts: ['shop.example.com'], tlsSecret: 'shop-tls' },
  calls: [cart],
  externalHosts: [{ host: 'api.payments.example.net', port: 443 }],
  timeout: Duration.seconds(5),
});

// Zero trust: the cart answers only the frontend. The frontend is reachable from the ingress gateway,
// which fleetplane allows because the service has an ingress.
cart.allowFrom(frontend, { methods: ['GET', 'POST', 'DELETE'], paths: ['/cart/*'] });

app.synth();
