// The multi-region shop: three clusters in two regions, two tenants, four apps that together use
// weighted, exact, aggregated and duplicated replicas, per-cluster overrides, FederatedHPA with a
// business-hours schedule, and application failover.
import { App, Duration } from 'cdk8s';
import {
  DeliveryMode, DistributedPlatform, Distribution, EnvValue, FederatedApp, Placement, Probe, PurgeMode,
  SpreadField, SyncMode, TaintEffect, WorkloadKind,
} from 'fleetplane';

/** Builds the shop platform into an app; `delivery` picks Karmada or direct per-cluster output. */
export function buildShop(app: App, delivery: DeliveryMode = DeliveryMode.KARMADA): DistributedPlatform {
  const platform = new DistributedPlatform(app, 'shop', {
    delivery,
    clusters: [
      {
        name: 'bj-1', region: 'cn-north', zones: ['cn-north-1a', 'cn-north-1b'], provider: 'huaweicloud',
        labels: { env: 'prod', tier: 'primary' },
        registration: delivery === DeliveryMode.KARMADA
          ? { syncMode: SyncMode.PUSH, apiEndpoint: 'https://bj-1.k8s.example.com:6443', secretRef: { namespace: 'karmada-cluster', name: 'bj-1' } }
          : undefined,
      },
      { name: 'bj-2', region: 'cn-north', zones: ['cn-north-1c'], provider: 'huaweicloud', labels: { env: 'prod', tier: 'primary' } },
      {
        name: 'sh-1', region: 'cn-east', zones: ['cn-east-2a'], provider: 'alicloud', labels: { env: 'prod', tier: 'dr' },
        taints: [{ key: 'dedicated', value: 'dr', effect: TaintEffect.NO_SCHEDULE }],
      },
    ],
    defaults: { imageRegistry: 'registry.example.com' },
  });

  const storefront = platform.addTenant('storefront', {
    quota: { cpu: '40', memory: '128Gi', pods: 200 },
    federatedQuota: delivery === DeliveryMode.KARMADA
      ? { overall: { cpu: '60', memory: '192Gi' }, perCluster: { 'sh-1': { cpu: '20', memory: '64Gi' } } }
      : undefined,
    adminGroups: ['storefront-admins'],
    viewGroups: ['storefront-devs'],
  });
  const payments = platform.addTenant('payments', {
    clusters: { regions: ['cn-north'] },
    quota: { cpu: '16', memory: '32Gi' },
    adminGroups: ['payments-admins'],
  });
  const drTolerance = { key: 'dedicated', value: 'dr', effect: TaintEffect.NO_SCHEDULE };

  // Web: 12 replicas split 2:1:1, a Shanghai mirror registry, autoscaling handled per cluster in direct mode.
  new FederatedApp(storefront, 'web', {
    image: 'shop/web:1.4.2',
    port: 8080,
    env: { LOG_LEVEL: EnvValue.literal('info'), SESSION_KEY: EnvValue.fromSecret('web-session', 'key') },
    readiness: Probe.http('/healthz'),
    liveness: Probe.http('/livez', { period: Duration.seconds(20) }),
    placement: Placement.where({ labels: { env: 'prod' } }).tolerate(drTolerance),
    distribution: Distribution.weighted({ 'bj-1': 2, 'bj-2': 1, 'sh-1': 1 }),
    autoscaling: {
      minReplicas: 6, maxReplicas: 30, cpuUtilization: 70,
      scaleDown: { stabilizationWindow: Duration.minutes(5), policies: [{ type: 'Percent', value: 50, period: Duration.minutes(1) }] },
      schedules: delivery === DeliveryMode.KARMADA
        ? [
            { name: 'weekday-up', schedule: '0 8 * * 1-5', minReplicas: 12, timeZone: 'Asia/Shanghai' },
            { name: 'weekday-down', schedule: '0 20 * * 1-5', minReplicas: 6, timeZone: 'Asia/Shanghai' },
          ]
        : undefined,
    },
    overrides: [
      { clusters: { names: ['sh-1'] }, image: { registry: 'registry.cn-shanghai.example.com' }, env: { LOG_LEVEL: 'warn', REGION_HINT: 'east' } },
      { clusters: { regions: ['cn-north'] }, labels: { 'shop.example.com/region': 'north' } },
    ],
  });

  // Catalog: exact per-cluster counts that Karmada keeps (karmada#5158).
  new FederatedApp(storefront, 'catalog', {
    image: 'shop/catalog:2.0.1',
    ports: [{ name: 'http', port: 8080 }, { name: 'grpc', port: 9090 }],
    configMaps: { 'catalog-config': { 'catalog.yaml': 'pageSize: 50\ncache: redis\n' } },
    env: { CONFIG_PATH: EnvValue.literal('/etc/catalog/catalog.yaml'), PAGE_SIZE: EnvValue.fromConfigMap('catalog-config', 'catalog.yaml') },
    placement: Placement.clusters('bj-1', 'bj-2', 'sh-1').tolerate(drTolerance),
    distribution: Distribution.exact({ 'bj-1': 4, 'bj-2': 2, 'sh-1': 1 }),
    resources: { cpu: { request: '250m', limit: '1' }, memory: { request: '256Mi', limit: '512Mi' } },
  });

  // Cache: a full copy in every cluster, in both regions.
  new FederatedApp(storefront, 'cache', {
    image: 'shop/cache:7.2.4',
    ports: [{ name: 'tcp-redis', port: 6379 }],
    placement: Placement.all().tolerate(drTolerance).spread({ field: SpreadField.REGION, minGroups: 2 }),
    distribution: Distribution.duplicated(),
    replicas: 2,
  });

  // Ledger: stateful, Beijing first with failover; aggregated in Karmada, exact per cluster in direct mode.
  new FederatedApp(payments, 'ledger', {
    image: 'payments/ledger:3.1.0',
    kind: WorkloadKind.STATEFUL_SET,
    port: 8443,
    storage: { size: '20Gi', mountPath: '/data', storageClass: 'ssd' },
    secrets: ['ledger-db'],
    env: { DB_PASSWORD: EnvValue.fromSecret('ledger-db', 'password') },
    replicas: 3,
    placement: delivery === DeliveryMode.KARMADA
      ? Placement.fallback({ name: 'primary', clusters: { names: ['bj-1'] } }, { name: 'backup', clusters: { names: ['bj-2'] } })
      : Placement.clusters('bj-1'),
    distribution: delivery === DeliveryMode.KARMADA ? Distribution.aggregated() : Distribution.duplicated(),
    failover: delivery === DeliveryMode.KARMADA
      ? { toleration: Duration.minutes(2), purgeMode: PurgeMode.GRACEFULLY, gracePeriod: Duration.minutes(10) }
      : undefined,
    disruptionBudget: { maxUnavailable: 1 },
  });
  return platform;
}
