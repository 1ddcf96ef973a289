// A platform that uses every construct and most props at once, valid as given (karmada delivery): four clusters
// (one edge), a multi-network mesh, monitoring, Submariner, a meshed tenant with four apps, two meshed services, a
// cross-cluster service and an ingress, a batch tenant with a queue and three jobs, and an edge tenant. Suites
// change one site's props (or call a helper differently) and expect a typed problem.
import { App, Duration } from 'cdk8s';
import {
  BatchJob, BatchQueue, ClusterRole, CrossClusterBackend, CrossClusterService, DistributedPlatform, Distribution, EdgeApp, EdgeNodeGroup, EnvValue,
  FederatedApp, GlobalTier, JobAction, JobEvent, LocalityFailover, MeshCaller, MeshedService, MultiClusterIngress, Placement, Probe, PurgeMode,
  SloKind, Tenant, Traffic,
} from '../../index';

export type Props = Record<string, any>;

/** Every site whose props a case can change, with a valid value. */
export const SITES = {
  platform: (): Props => ({
    clusters: [
      { name: 'bj-1', region: 'cn-north', zones: ['cn-north-1a'], provider: 'huaweicloud', labels: { env: 'prod' }, network: 'net-north', eastWestGateway: { address: '198.51.100.10' }, podCidr: '10.1.0.0/16', serviceCidr: '10.101.0.0/16' },
      { name: 'bj-2', region: 'cn-north', zones: ['cn-north-1b'], provider: 'huaweicloud', labels: { env: 'prod' }, network: 'net-north', eastWestGateway: { address: '198.51.100.11' }, podCidr: '10.2.0.0/16', serviceCidr: '10.102.0.0/16' },
      { name: 'sh-1', region: 'cn-east', zones: ['cn-east-1a'], provider: 'alicloud', labels: { env: 'prod' }, network: 'net-east', eastWestGateway: { address: '198.51.100.20' }, podCidr: '10.3.0.0/16', serviceCidr: '10.103.0.0/16', taints: [{ key: 'dedicated', value: 'shop', effect: 'NoSchedule' }] },
      { name: 'edge-sz', region: 'cn-south', role: ClusterRole.EDGE, podCidr: '10.4.0.0/16', serviceCidr: '10.104.0.0/16' },
    ],
    mesh: { meshId: 'shop-mesh', istioCni: true, clusters: { names: ['bj-1', 'bj-2', 'sh-1'] }, trustDomain: 'cluster.local', ingressGateway: { namespace: 'istio-system' } },
    monitoring: { global: GlobalTier.hierarchical({ cluster: 'bj-1' }), clusters: { names: ['bj-1', 'bj-2', 'sh-1'] }, retention: '15d', interval: Duration.seconds(30) },
    submariner: { broker: 'bj-1', clusters: { names: ['bj-1', 'bj-2', 'sh-1', 'edge-sz'] } },
    defaults: { imageRegistry: 'registry.example.com', runAsUser: 10001, resources: { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '256Mi' } } },
  }),
  tenant: (): Props => ({
    quota: { cpu: '40', memory: '64Gi', pods: 100 }, containerLimits: { max: { cpu: '4', memory: '8Gi' } },
    adminGroups: ['shop-admins'], viewGroups: ['shop-devs'], labels: { team: 'shop' }, telemetry: { tracingSampling: 5, accessLogging: true },
    alerts: { receivers: [{ name: 'pager', webhookUrlSecret: { name: 'alerting', key: 'url' } }], defaultReceiver: 'pager', groupBy: ['alertname'], repeatInterval: Duration.hours(4) },
    clusters: { names: ['bj-1', 'bj-2', 'sh-1', 'edge-sz'] },
  }),
  web: (): Props => ({
    image: 'shop/web:1.2.3', version: 'v1', ports: [{ name: 'http', port: 8080 }], replicas: 4,
    placement: Placement.clusters('bj-1', 'bj-2', 'sh-1').tolerate({ key: 'dedicated', value: 'shop' }),
    distribution: Distribution.weighted({ 'bj-1': 2, 'bj-2': 1, 'sh-1': 1 }),
    env: { LOG_LEVEL: EnvValue.literal('info'), DB: EnvValue.fromSecret('db', 'url') },
    resources: { cpu: { request: '100m', limit: '1' }, memory: { request: '128Mi', limit: '256Mi' } },
    readiness: Probe.http('/healthz'), liveness: Probe.tcp(), command: ['/web'], args: ['--serve'],
    configMaps: { 'web-config': { 'app.yaml': 'a: 1' } }, secrets: ['db'], labels: { tier: 'front' },
    canary: { version: 'v2', image: 'shop/web:2.0.0', replicas: 1 },
    overrides: [{ clusters: { names: ['sh-1'] }, image: { tag: '1.2.4' }, env: { REGION: 'east' }, replicas: 2 }],
    metrics: { port: 'http', interval: Duration.seconds(15) },
    slos: [{ name: 'availability', kind: SloKind.AVAILABILITY, objective: 99.9 }, { name: 'latency', kind: SloKind.LATENCY, objective: 99, latencyThreshold: Duration.millis(250) }],
    disruptionBudget: { maxUnavailable: 1 },
  }),
  api: (): Props => ({ image: 'shop/api:3.0.0', ports: [{ name: 'http', port: 8080 }], replicas: 2, placement: Placement.clusters('bj-1', 'bj-2', 'sh-1') }),
  db: (): Props => ({
    image: 'shop/db:1.0.0', kind: 'StatefulSet', ports: [{ name: 'tcp-db', port: 5432 }], replicas: 1, storage: { size: '10Gi', mountPath: '/data' },
    failover: { purgeMode: PurgeMode.GRACEFULLY, gracePeriod: Duration.minutes(5) }, placement: Placement.clusters('bj-1'),
  }),
  scaled: (): Props => ({
    image: 'shop/scaled:1.0.0', port: 8080, placement: Placement.clusters('bj-1', 'bj-2'),
    autoscaling: {
      minReplicas: 2, maxReplicas: 6, cpuUtilization: 70, scaleUp: { policies: [{ type: 'Pods', value: 2, period: Duration.minutes(1) }] },
      schedules: [{ name: 'up', schedule: '0 8 * * 1-5', minReplicas: 4, timeZone: 'Asia/Shanghai' }],
    },
  }),
  webMesh: (): Props => ({
    traffic: Traffic.canary(10), routes: [{ name: 'beta', match: { headers: { 'x-beta': 'true' } }, version: 'v2' }],
    retries: { attempts: 2, perTryTimeout: Duration.millis(500), retryOn: ['5xx'] }, timeout: Duration.seconds(3),
    connectionPool: { maxConnections: 100, connectTimeout: Duration.seconds(1) }, outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10) },
    localityFailover: LocalityFailover.REGIONS, ingress: { hosts: ['shop.example.com'], tlsSecret: 'shop-tls' },
    externalHosts: [{ host: 'api.stripe.com', port: 443 }], telemetry: { tracingSampling: 10 },
    mirror: { version: 'v2', percent: 5 }, fault: { abort: { httpStatus: 503, percent: 1 } },
  }),
  apiMesh: (): Props => ({ timeout: Duration.seconds(2) }),
  allow: (): Props => ({ methods: ['GET'], paths: ['/api/*'] }),
  xcs: (): Props => ({ backend: CrossClusterBackend.KARMADA_MCS, consumers: { names: ['bj-1', 'sh-1'] }, providers: ['bj-2'] }),
  mci: (): Props => ({ rules: [{ host: 'api.example.com', path: '/', port: 'http' }], ingressClassName: 'nginx' }),
  queue: (): Props => ({ weight: 2, capability: { cpu: '100', memory: '200Gi' }, deserved: { cpu: '50' }, reclaimable: true }),
  job: (): Props => ({
    tasks: [{
      name: 'worker', replicas: 2, image: 'ml/train:1.0.0', minAvailable: 2, command: ['train'], env: { EPOCHS: EnvValue.literal('3') },
      policies: [{ events: [JobEvent.POD_FAILED], action: JobAction.RESTART_JOB }], resources: { cpu: { request: '1', limit: '1' }, memory: { request: '1Gi', limit: '1Gi' } },
    }],
    minAvailable: 2, maxRetry: 3, ttlAfterFinished: Duration.hours(1), plugins: { svc: true, env: true }, placement: Placement.clusters('bj-1', 'bj-2'),
    policies: [{ events: [JobEvent.POD_EVICTED], action: JobAction.RESTART_JOB, timeout: Duration.minutes(1) }],
  }),
  pytorch: (): Props => ({ image: 'ml/resnet:2.1.0', workers: 2, gpusPerReplica: 1, args: ['--epochs=1'], placement: Placement.clusters('bj-1') }),
  spark: (): Props => ({ image: 'ml/spark:3.5.0', executors: 2, mainClass: 'org.example.Main', jar: 'local:///app.jar', kubeApi: { cidrs: ['10.0.0.10'], port: 6443 }, placement: Placement.clusters('bj-2') }),
  nodeGroup: (): Props => ({ cluster: 'edge-sz', nodes: ['node-a1', 'node-a2'], topologyEnabled: true }),
  edge: (): Props => ({
    image: 'video/analytics:1.7.0', ports: [{ name: 'http', port: 8080 }], env: { FRAME_RATE: EnvValue.literal('15') },
    resources: { cpu: { request: '500m', limit: '2' }, memory: { request: '512Mi', limit: '1Gi' } }, replicas: 1,
  }),
  edgeTarget: (): Props => ({ replicas: 2, image: { registry: 'edge-cache.local:5000' }, env: { FRAME_RATE: '10' } }),
};

export type Site = keyof typeof SITES;

/** The construct path of each site's problems. */
export const PATHS: Record<Site, string> = {
  platform: 'prod', tenant: 'prod/shop', web: 'prod/shop/web', api: 'prod/shop/api', db: 'prod/shop/db', scaled: 'prod/shop/scaled',
  webMesh: 'prod/shop/web-mesh', apiMesh: 'prod/shop/api-mesh', allow: 'prod/shop/api-mesh', xcs: 'prod/shop/api-xcs', mci: 'prod/shop/edge-in',
  queue: 'prod/ml/q', job: 'prod/ml/train', pytorch: 'prod/ml/resnet', spark: 'prod/ml/etl', nodeGroup: 'prod/store-a', edge: 'prod/video/analytics',
  edgeTarget: 'prod/video/analytics',
};

/** What a program changes: props per site, as a patch merged over the valid props or a function of them. */
export type Changes = { readonly [S in Site]?: Props | ((p: Props) => any) };

/** The constructs of the world, for statements a case adds (an extra allowFrom call). */
export interface World {
  readonly platform: DistributedPlatform;
  readonly shop: Tenant;
  readonly webMesh: MeshedService;
  readonly apiMesh: MeshedService;
}

/** Builds the world with the changes, then runs `more` on it. */
export function world(app: App, changes: Changes = {}, more?: (w: World) => void): World {
  const get = (s: Site): any => {
    const valid = SITES[s]();
    const change = changes[s];
    return change === undefined ? valid : typeof change === 'function' ? change(valid) : { ...valid, ...change };
  };
  const platform = new DistributedPlatform(app, 'prod', get('platform'));
  const shop = platform.addTenant('shop', get('tenant'));
  const web = new FederatedApp(shop, 'web', get('web'));
  const api = new FederatedApp(shop, 'api', get('api'));
  new FederatedApp(shop, 'db', get('db'));
  new FederatedApp(shop, 'scaled', get('scaled'));
  const apiMesh = new MeshedService(shop, 'api-mesh', { app: api, ...get('apiMesh') });
  const webMesh = new MeshedService(shop, 'web-mesh', { app: web, calls: [apiMesh], ...get('webMesh') });
  apiMesh.allowFrom(webMesh, get('allow'));
  webMesh.allowFrom(MeshCaller.ingressGateway());
  const xcs = new CrossClusterService(shop, 'api-xcs', { app: api, ...get('xcs') });
  const mci = get('mci');
  const rules = Array.isArray(mci?.rules) ? mci.rules.map((r: any) => (r && typeof r === 'object' && !('service' in r) ? { ...r, service: xcs } : r)) : mci?.rules;
  new MultiClusterIngress(shop, 'edge-in', { ...mci, rules });
  const ml = platform.addTenant('ml', { mesh: false, clusters: { names: ['bj-1', 'bj-2'] } });
  const queue = new BatchQueue(ml, 'q', get('queue'));
  new BatchJob(ml, 'train', { queue, ...get('job') });
  BatchJob.pytorch(ml, 'resnet', { queue, ...get('pytorch') });
  BatchJob.spark(ml, 'etl', { queue, ...get('spark') });
  const group = new EdgeNodeGroup(platform, 'store-a', get('nodeGroup'));
  const video = platform.addTenant('video', { mesh: false, clusters: { names: ['edge-sz', 'bj-1'] } });
  const target = get('edgeTarget');
  const edge = get('edge');
  const nodeGroups = [target && typeof target === 'object' && !Array.isArray(target) ? { group, ...target } : target];
  new EdgeApp(video, 'analytics', 'nodeGroups' in edge ? edge : { ...edge, nodeGroups });
  const w = { platform, shop, webMesh, apiMesh };
  more?.(w);
  return w;
}
