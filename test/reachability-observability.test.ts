// The monitoring and telemetry paths are part of the reachability check: each member Prometheus scraping the
// apps of its cluster, the global tier reaching every member Prometheus across clusters (through Submariner),
// apps sending traces to their node agent, the agent to the gateway, and members' gateways to the global one.
import { App } from 'cdk8s';
import { evaluatePath } from '../analysis/reachability';
import { checkReachability, DeliveryMode } from '../index';
import { fleetNetworks, memberManifests } from '../outputs/reachability';
import { buildObservedShop } from '../examples/observed-shop/platform';
import { buildTracedShop } from '../examples/traced-shop/platform';

const rows = (entries: readonly any[], kind: string) => entries.filter((e) => e.kind === kind).map((e) => `${e.caller} -> ${e.callee} ${e.fromCluster}->${e.toCluster} ${e.allowed ? 'allowed' : 'BLOCKED'}`);

test('observed-shop: Prometheus scrapes every monitored app in its cluster, and the global tier reaches every member', () => {
  const app = new App();
  buildObservedShop(app);
  const report = checkReachability(app);
  const monitoring = rows(report.entries, 'monitoring');
  // Federation from bj-1 to the three members, the two remote ones through Submariner.
  expect(monitoring.filter((r) => r.startsWith('monitoring-global/prometheus'))).toEqual([
    'monitoring-global/prometheus -> monitoring/prometheus:9090 bj-1->bj-1 allowed',
    'monitoring-global/prometheus -> monitoring/prometheus:9090 bj-1->bj-2 allowed',
    'monitoring-global/prometheus -> monitoring/prometheus:9090 bj-1->sh-1 allowed',
  ]);
  // The meshed web is scraped on the sidecar's :15020, the plain apps on their metrics ports.
  expect(monitoring).toContain('monitoring/prometheus -> storefront/web:15020 bj-1->bj-1 allowed');
  expect(monitoring).toContain('monitoring/prometheus -> commerce/catalog:9102 sh-1->sh-1 allowed');
  expect(monitoring.every((r) => r.endsWith('allowed'))).toBe(true);
  expect(report.blocked).toEqual([]);
});

test.each([DeliveryMode.KARMADA, DeliveryMode.DIRECT])('traced-shop (%s): traces reach the agent, the agent the gateway, the gateways the global one', (delivery) => {
  const app = new App();
  buildTracedShop(app, { delivery });
  const telemetry = rows(checkReachability(app).entries, 'telemetry');
  expect(telemetry).toContain('telemetry/otel-agent -> telemetry/otel-gateway:4317 sh-1->sh-1 allowed');
  expect(telemetry).toContain('telemetry/otel-gateway -> telemetry-global/otel-global:4317 sh-1->bj-1 allowed');
  expect(telemetry.some((r) => / -> telemetry\/otel-agent:4317 /.test(r))).toBe(true);
  expect(telemetry.every((r) => r.endsWith('allowed'))).toBe(true);
});

test('the paths can fail: without allow-prometheus, default-deny blocks the scrape and is named', () => {
  const app = new App();
  const platform = buildObservedShop(app);
  const manifests = memberManifests(platform);
  manifests['sh-1'] = manifests['sh-1'].filter((o: any) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-prometheus' && o.metadata.namespace === 'commerce'));
  const result = evaluatePath(manifests, fleetNetworks(platform), {
    from: { cluster: 'sh-1', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' }, meshed: false },
    to: { cluster: 'sh-1', namespace: 'commerce', labels: { 'app.kubernetes.io/name': 'catalog' }, meshed: false, port: 9102 },
    mtls: false,
  });
  expect(result.allowed).toBe(false);
  expect(result.decidedBy).toEqual(expect.objectContaining({ kind: 'NetworkPolicy', namespace: 'commerce', name: 'default-deny' }));
});
