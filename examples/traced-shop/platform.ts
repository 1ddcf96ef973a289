// The traced shop: logs and traces from every app of two tenants across three clusters. Each member runs an
// OpenTelemetry node agent (container logs, OTLP, Kubernetes metadata, cluster, region and tenant) and a gateway;
// a global gateway in bj-1 routes every record by its tenant to Loki and Tempo, each tenant under its own
// X-Scope-OrgID. Istio's proxies in the meshed tenant send their spans to the agents too.
import { App } from 'cdk8s';
import {
  DeliveryMode, DistributedPlatform, Distribution, FederatedApp, GlobalTier, InstrumentationLanguage, LogFormat, LogsBackend,
  MeshedService, TelemetryTier, Traffic, TracesBackend,
} from 'fleetplane';

/** Options of the shop: the delivery mode and the exporting tier (the example uses Karmada and a global gateway). */
export interface TracedShopOptions {
  readonly delivery?: DeliveryMode;
  readonly globalGateway?: boolean;
}

export function buildTracedShop(app: App, options: TracedShopOptions = {}): DistributedPlatform {
  const platform = new DistributedPlatform(app, 'traced-shop', {
    delivery: options.delivery ?? DeliveryMode.KARMADA,
    clusters: [
      { name: 'bj-1', region: 'cn-north', zones: ['cn-north-1a'], provider: 'huaweicloud', podCidr: '10.16.0.0/16', serviceCidr: '10.116.0.0/16' },
      { name: 'bj-2', region: 'cn-north', zones: ['cn-north-1b'], provider: 'huaweicloud', podCidr: '10.17.0.0/16', serviceCidr: '10.117.0.0/16' },
      { name: 'sh-1', region: 'cn-east', zones: ['cn-east-2a'], provider: 'alicloud', podCidr: '10.32.0.0/16', serviceCidr: '10.132.0.0/16' },
    ],
    mesh: { meshId: 'shop-mesh', istioCni: true },
    // The global Prometheus and the global OTLP gateway are reached by cluster-pinned Lighthouse names.
    submariner: { broker: 'bj-1' },
    monitoring: { global: GlobalTier.hierarchical({ cluster: 'bj-1' }) },
    telemetry: {
      globalTier: options.globalGateway === false ? TelemetryTier.direct() : TelemetryTier.gateway({ cluster: 'bj-1' }),
      backends: {
        logs: LogsBackend.loki('http://loki-gateway.loki.svc.cluster.local:3100'),
        traces: TracesBackend.tempo('http://tempo-distributor.tempo.svc.cluster.local:4317'),
      },
      meshTracingSampling: 5,
    },
    defaults: { imageRegistry: 'registry.example.com' },
  });

  // A meshed tenant: the sidecars trace every request; the Java SDK is injected by the operator.
  const storefront = platform.addTenant('storefront');
  const web = new FederatedApp(storefront, 'web', {
    image: 'shop/web:1.4.2',
    ports: [{ name: 'http', port: 8080 }],
    replicas: 6,
    distribution: Distribution.weighted({ 'bj-1': 2, 'bj-2': 1, 'sh-1': 1 }),
    metrics: { port: 'http' },
    logs: { format: LogFormat.json({ timestampField: 'ts', severityField: 'level' }), exclude: ['"path":"/healthz"'] },
    tracing: { autoInstrumentation: InstrumentationLanguage.JAVA, sampling: 10 },
  });
  new MeshedService(storefront, 'web-mesh', { app: web, traffic: Traffic.stable(), ingress: { hosts: ['shop.example.com'], tlsSecret: 'shop-tls' } });

  // A tenant outside the mesh: a Python service with multiline tracebacks, and a Node.js service.
  const commerce = platform.addTenant('commerce', { mesh: false });
  new FederatedApp(commerce, 'catalog', {
    image: 'shop/catalog:2.0.1',
    ports: [{ name: 'http', port: 8080 }],
    replicas: 4,
    distribution: Distribution.evenly(),
    logs: {
      format: LogFormat.regex('^(?P<time>\\S+) (?P<level>[A-Z]+) (?P<logger>\\S+): (?P<message>.*)$', { severityField: 'level' }),
      multilineStart: '^\\d{4}-\\d{2}-\\d{2}T',
      exclude: ['GET /healthz'],
    },
    tracing: { autoInstrumentation: InstrumentationLanguage.PYTHON, sampling: 20 },
  });
  new FederatedApp(commerce, 'checkout', {
    image: 'shop/checkout:5.1.0',
    ports: [{ name: 'http', port: 8080 }],
    autoscaling: { minReplicas: 3, maxReplicas: 12 },
    logs: { format: LogFormat.plain() },
    // The app exports spans with its own SDK: it gets OTEL_* env pointing at the node agent.
    tracing: { sampling: 50 },
  });
  return platform;
}
