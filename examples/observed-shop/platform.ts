// The observed shop: HTTP and gRPC apps with SLOs across three clusters, an event log without request signals
// that brings its own rules and panels, Prometheus in every member, and a global Prometheus that federates the
// recorded golden signals of the whole fleet (hierarchical tier).
import { App, Duration } from 'cdk8s';
import {
  AlertSeverity, DistributedPlatform, Distribution, FederatedApp, GlobalTier, MeshedService, MetricSignals,
  MonitoringPrerequisites, PanelType, PanelUnit, SloKind, Traffic, WorkloadKind,
} from 'fleetplane';

export function buildObservedShop(app: App): DistributedPlatform {
  const platform = new DistributedPlatform(app, 'observed-shop', {
    clusters: [
      { name: 'bj-1', region: 'cn-north', zones: ['cn-north-1a'], provider: 'huaweicloud', podCidr: '10.11.0.0/16', serviceCidr: '10.111.0.0/16' },
      { name: 'bj-2', region: 'cn-north', zones: ['cn-north-1b'], provider: 'huaweicloud', podCidr: '10.12.0.0/16', serviceCidr: '10.112.0.0/16' },
      { name: 'sh-1', region: 'cn-east', zones: ['cn-east-2a'], provider: 'alicloud', podCidr: '10.13.0.0/16', serviceCidr: '10.113.0.0/16' },
    ],
    // The global Prometheus reaches each member's by its cluster-pinned Lighthouse name.
    submariner: { broker: 'bj-1' },
    mesh: { meshId: 'shop-mesh', istioCni: true },
    monitoring: {
      global: GlobalTier.hierarchical({ cluster: 'bj-1' }),
      selectorLabels: { release: 'kube-prometheus-stack' },
      retention: '15d',
      // kube-prometheus-stack runs kube-state-metrics and node-exporter; every member alerts if they are not scraped.
      prerequisites: MonitoringPrerequisites.assumeInstalled(),
    },
    defaults: { imageRegistry: 'registry.example.com' },
  });

  // A meshed tenant: golden signals come from Istio's request metrics.
  const storefront = platform.addTenant('storefront', {
    alerts: {
      receivers: [
        { name: 'storefront-slack', slack: { apiUrlSecret: { name: 'alerting', key: 'slack-webhook-url' }, channel: '#storefront-alerts' } },
        { name: 'storefront-pager', webhookUrlSecret: { name: 'alerting', key: 'pager-webhook-url' } },
      ],
      defaultReceiver: 'storefront-slack',
      criticalReceiver: 'storefront-pager',
    },
  });
  const web = new FederatedApp(storefront, 'web', {
    image: 'shop/web:1.4.2',
    ports: [{ name: 'http', port: 8080 }],
    replicas: 6,
    distribution: Distribution.weighted({ 'bj-1': 2, 'bj-2': 1, 'sh-1': 1 }),
    metrics: { port: 'http' },
    slos: [
      { name: 'availability', kind: SloKind.AVAILABILITY, objective: 99.9 },
      { name: 'latency', kind: SloKind.LATENCY, objective: 99, latencyThreshold: Duration.millis(250) },
    ],
  });
  new MeshedService(storefront, 'web-mesh', { app: web, traffic: Traffic.stable(), ingress: { hosts: ['shop.example.com'], tlsSecret: 'shop-tls' } });

  // A tenant outside the mesh: golden signals come from the apps' own HTTP metrics.
  const commerce = platform.addTenant('commerce', {
    mesh: false,
    alerts: {
      receivers: [{ name: 'commerce-email', email: { to: 'commerce-oncall@example.com', from: 'alerts@example.com', smarthost: 'smtp.example.com:587', authUsername: 'alerts', authPasswordSecret: { name: 'alerting', key: 'smtp-password' } } }],
      defaultReceiver: 'commerce-email',
    },
  });
  new FederatedApp(commerce, 'catalog', {
    image: 'shop/catalog:2.0.1',
    ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9102 }],
    replicas: 4,
    distribution: Distribution.evenly(),
    metrics: { port: 'metrics', interval: Duration.seconds(15) },
    slos: [{ name: 'availability', kind: SloKind.AVAILABILITY, objective: 99.5 }],
  });
  new FederatedApp(commerce, 'checkout', {
    image: 'shop/checkout:5.1.0',
    ports: [{ name: 'http', port: 8080 }],
    autoscaling: { minReplicas: 3, maxReplicas: 12 },
    metrics: { port: 'http' },
    slos: [
      { name: 'availability', kind: SloKind.AVAILABILITY, objective: 99.95 },
      { name: 'latency', kind: SloKind.LATENCY, objective: 99, latencyThreshold: Duration.millis(500) },
    ],
  });
  // A gRPC service: golden signals from grpc_server_handled_total, server-side codes only.
  new FederatedApp(commerce, 'pricing', {
    image: 'shop/pricing:1.2.0',
    ports: [{ name: 'grpc', port: 9090 }, { name: 'metrics', port: 9102 }],
    replicas: 3,
    distribution: Distribution.evenly(),
    metrics: { port: 'metrics', signals: MetricSignals.grpc() },
    slos: [{ name: 'availability', kind: SloKind.AVAILABILITY, objective: 99.9 }],
  });

  // An event log (Kafka) has no request signals: its own rules and panels, beside the workload ones.
  new FederatedApp(commerce, 'events', {
    image: 'shop/events-kafka:3.7.1',
    kind: WorkloadKind.STATEFUL_SET,
    ports: [{ name: 'tcp-broker', port: 9092 }, { name: 'metrics', port: 9404 }],
    replicas: 3,
    distribution: Distribution.duplicated(),
    metrics: {
      port: 'metrics',
      signals: MetricSignals.none(),
      recordingRules: [{
        record: 'app:kafka_under_replicated_partitions:sum',
        expr: 'sum(kafka_server_replicamanager_underreplicatedpartitions{namespace="commerce",service="events"})',
      }],
      alertingRules: [{
        alert: 'EventsUnderReplicatedPartitions',
        expr: 'app:kafka_under_replicated_partitions:sum{namespace="commerce",app="events"} > 0',
        for: Duration.minutes(10),
        severity: AlertSeverity.CRITICAL,
        summary: 'The event log has {{ $value }} under-replicated partitions',
        description: 'A broker is down or lagging; another failure could lose acknowledged events.',
      }],
      panels: [
        { title: 'Under-replicated partitions, by cluster', expressions: ['sum by (cluster) (app:kafka_under_replicated_partitions:sum{namespace="commerce",app="events"})'], type: PanelType.STAT },
        { title: 'Bytes in per second', expressions: ['sum(rate(kafka_server_brokertopicmetrics_bytesin_total{namespace="commerce",service="events"}[5m]))'], unit: PanelUnit.BYTES_PER_SECOND, legend: 'in' },
      ],
    },
  });
  return platform;
}
