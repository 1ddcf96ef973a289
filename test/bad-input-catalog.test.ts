// The bad-input catalog: one valid platform that uses every construct (test/support/world.ts), changed in one place
// per case, over every construct and helper. Each case must fail synthesis with the typed PlatformValidationError
// (never a TypeError, RangeError or a library Error), naming the expected rule, construct path and prop, with a
// fix, a catalogued rule id, and no file written. Programs with several mistakes report them all together.
process.env.FLEETPLANE_QUIET = '1';

import { App, Duration } from 'cdk8s';
import {
  Distribution, EnvValue, FederatedApp, GlobalTier, ImageTagPolicy, Placement, PlatformValidationError, Probe, Problem, Severity, Traffic,
} from '../index';
import { ruleInfo } from '../core/rules';
import { tmpDir } from './support/synth';
import { yamlFiles } from './support/fixtures';
import { Changes, PATHS, Props, SITES, Site, World, world } from './support/world';

interface Case {
  readonly category: string;
  readonly title: string;
  readonly changes: Changes;
  readonly more?: (w: World) => void;
  readonly rule: string;
  readonly path: string;
  readonly prop: string;
}

const cases: Case[] = [];
let category = '';
const any = (v: unknown): any => v;

/** A case: `changes` to one site (a patch of its props, or a function of them), and the problem it must give. */
function bad(site: Site, change: Props | ((p: Props) => any), rule: string, prop: string, title?: string, more?: (w: World) => void): void {
  cases.push({ category, title: `${site}: ${title ?? label(change).slice(0, 100)}`, changes: { [site]: change }, more, rule, path: PATHS[site], prop });
}
/** A wrong JavaScript shape: FP-INPUT on the prop. */
const shape = (site: Site, change: Props | ((p: Props) => any), prop: string, title?: string) => bad(site, change, 'FP-INPUT', prop, title);
/** A strict image-tag policy on the platform, and a change elsewhere. */
function strict(site: Site, change: Props | ((p: Props) => any), prop: string, policy = ImageTagPolicy.REJECT_MUTABLE): void {
  const withPolicy = (p: Props) => ({ ...p, defaults: { ...p.defaults, imageTagPolicy: policy } });
  const apply = (p: Props) => (typeof change === 'function' ? change(p) : { ...p, ...change });
  const changes: Changes = site === 'platform' ? { platform: (p) => apply(withPolicy(p)) } : { platform: withPolicy, [site]: change };
  cases.push({ category, title: `${site} under ${policy}: ${label(change).slice(0, 100)}`, changes, rule: 'FP-IMAGE', path: PATHS[site], prop });
}
/** Sets one nested value of a site's props (a copy). */
function at(path: Array<string | number>, value: unknown): (p: Props) => Props {
  const shown = value === undefined ? 'undefined' : typeof value === 'object' && value !== null && Object.getPrototypeOf(value) !== Object.prototype && !Array.isArray(value) ? (value as object).constructor.name : JSON.stringify(value);
  return Object.assign((p: Props) => {
    const copy = structuredCloneLike(p);
    let o: any = copy;
    for (const k of path.slice(0, -1)) o = o[k];
    if (value === undefined) delete o[path[path.length - 1]];
    else o[path[path.length - 1]] = value;
    return copy;
  }, { label: `${path.join('.')} = ${shown}` });
}

/** The last case's problem is reported by another construct (the platform's FleetMonitoring). */
function reportedBy(path: string): void {
  cases[cases.length - 1] = { ...cases[cases.length - 1], path };
}
const label = (change: unknown): string =>
  (change as { label?: string }).label ?? (typeof change === 'function' ? change.toString().replace(/\s+/g, ' ') : JSON.stringify(change, (_k, v) => (v === undefined ? '<unset>' : typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v)) ?? 'undefined');
function structuredCloneLike(v: any): any {
  if (Array.isArray(v)) return v.map(structuredCloneLike);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, structuredCloneLike(x)]));
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
category = 'wrong JavaScript type of a top-level prop';
shape('platform', { clusters: 'bj-1' }, 'clusters');
shape('platform', { delivery: 42 }, 'delivery');
shape('platform', { name: 42 }, 'name');
shape('platform', { verifyReachability: 'yes' }, 'verifyReachability');
shape('platform', { defaults: 'strict' }, 'defaults');
shape('platform', { mesh: true }, 'mesh');
shape('platform', { submariner: 'bj-1' }, 'submariner');
shape('platform', { monitoring: [] }, 'monitoring');
shape('tenant', { namespace: 42 }, 'namespace');
shape('tenant', { clusters: 'bj-1' }, 'clusters');
shape('tenant', { podSecurity: 1 }, 'podSecurity');
shape('tenant', { quota: 'lots' }, 'quota');
shape('tenant', { federatedQuota: 10 }, 'federatedQuota');
shape('tenant', { containerLimits: '4' }, 'containerLimits');
shape('tenant', { adminGroups: 'admins' }, 'adminGroups');
shape('tenant', { viewGroups: {} }, 'viewGroups');
shape('tenant', { defaultDenyNetwork: 'no' }, 'defaultDenyNetwork');
shape('tenant', { labels: 'team' }, 'labels');
shape('tenant', { mesh: 'yes' }, 'mesh');
shape('tenant', { alerts: 'pager' }, 'alerts');
shape('tenant', { telemetry: 5 }, 'telemetry');
shape('web', { name: 42 }, 'name');
shape('web', { kind: 1 }, 'kind');
shape('web', { port: '8080', ports: undefined }, 'port');
shape('web', { ports: {} }, 'ports');
shape('web', { env: [] }, 'env');
shape('web', { command: 'serve' }, 'command');
shape('web', { args: '--serve' }, 'args');
shape('web', { resources: '1' }, 'resources');
shape('web', { liveness: '/healthz' }, 'liveness');
shape('web', { readiness: { path: '/healthz' } }, 'readiness');
shape('web', { startup: true }, 'startup');
shape('web', { replicas: '4' }, 'replicas');
shape('web', { placement: 'all' }, 'placement');
shape('web', { distribution: { kind: 'weighted' } }, 'distribution');
shape('web', { overrides: 'sh-1' }, 'overrides');
shape('scaled', { autoscaling: 6 }, 'autoscaling');
shape('db', { failover: true }, 'failover');
shape('web', { configMaps: ['web-config'] }, 'configMaps');
shape('web', { secrets: 'db' }, 'secrets');
shape('db', { storage: '10Gi' }, 'storage');
shape('web', { disruptionBudget: 1 }, 'disruptionBudget');
shape('web', { topologySpread: 'yes' }, 'topologySpread');
shape('web', { containerName: 7 }, 'containerName');
shape('web', { version: 2 }, 'version');
shape('web', { metrics: true }, 'metrics');
shape('web', { slos: 'availability' }, 'slos');
shape('web', { canary: 'v2' }, 'canary');
shape('web', { labels: ['tier'] }, 'labels');
shape('webMesh', { port: 80 }, 'port');
shape('webMesh', { traffic: 'canary' }, 'traffic');
shape('webMesh', { routes: {} }, 'routes');
shape('webMesh', { retries: 3 }, 'retries');
shape('webMesh', { timeout: 3000 }, 'timeout');
shape('webMesh', { fault: 'abort' }, 'fault');
shape('webMesh', { mirror: 'v2' }, 'mirror');
shape('webMesh', { connectionPool: 100 }, 'connectionPool');
shape('webMesh', { outlierDetection: 'on' }, 'outlierDetection');
shape('webMesh', { loadBalancer: 1 }, 'loadBalancer');
shape('webMesh', { localityFailover: true }, 'localityFailover');
shape('webMesh', { localityFailover: undefined, localityWeights: {} }, 'localityWeights');
shape('webMesh', { ingress: 'shop.example.com' }, 'ingress');
shape('webMesh', { calls: 'api' }, 'calls');
shape('webMesh', { externalHosts: 'api.stripe.com' }, 'externalHosts');
shape('webMesh', { telemetry: 10 }, 'telemetry');
shape('apiMesh', { timeout: '2s' }, 'timeout');
shape('xcs', { backend: 1 }, 'backend');
shape('xcs', { consumers: ['bj-1'] }, 'consumers');
shape('xcs', { providers: 'bj-2' }, 'providers');
shape('mci', { rules: 'api.example.com' }, 'rules');
shape('mci', { tlsSecret: 1 }, 'tlsSecret');
shape('mci', { ingressClassName: {} }, 'ingressClassName');
shape('queue', { weight: '2' }, 'weight');
shape('queue', { capability: ['cpu'] }, 'capability');
shape('queue', { guarantee: 'x' }, 'guarantee');
shape('queue', { reclaimable: 'yes' }, 'reclaimable');
shape('queue', { name: 5 }, 'name');
shape('job', { minAvailable: '2' }, 'minAvailable');
shape('job', { maxRetry: '3' }, 'maxRetry');
shape('job', { ttlAfterFinished: 3600 }, 'ttlAfterFinished');
shape('job', { plugins: 'svc' }, 'plugins');
shape('job', { placement: { names: ['bj-1'] } }, 'placement');
shape('job', { name: 7 }, 'name');
shape('job', { policies: { action: 'RestartJob' } }, 'policies');
shape('pytorch', { workers: '4' }, 'workers');
shape('pytorch', { image: 42 }, 'image');
shape('pytorch', { gpusPerReplica: 'one' }, 'gpusPerReplica');
shape('pytorch', { args: '--epochs=1' }, 'args');
shape('pytorch', { port: '23456' }, 'port');
shape('pytorch', { placement: 'gpu' }, 'placement');
shape('spark', { executors: '2' }, 'executors');
shape('spark', { mainClass: 1 }, 'mainClass');
shape('spark', { jar: {} }, 'jar');
shape('spark', { driverResources: 'big' }, 'driverResources');
shape('nodeGroup', { cluster: 42 }, 'cluster');
shape('nodeGroup', { nodes: 'node-a1' }, 'nodes');
shape('nodeGroup', { matchLabels: ['store'] }, 'matchLabels');
shape('nodeGroup', { topologyEnabled: 'yes' }, 'topologyEnabled');
shape('nodeGroup', { name: 1 }, 'name');
shape('edge', { kind: 3 }, 'kind');
shape('edge', { replicas: '1' }, 'replicas');
shape('edge', { ports: 'http' }, 'ports');
shape('edge', { env: 'FRAME_RATE=15' }, 'env');
shape('edge', { resources: '1' }, 'resources');
shape('edge', { command: 'run' }, 'command');
shape('edge', { args: '-v' }, 'args');
shape('edge', { name: 5 }, 'name');
shape('edge', { nodeGroups: { group: 'store-a' } }, 'nodeGroups');

// ---------------------------------------------------------------------------------------------------------------
category = 'props that are not an object';
shape('web', () => 'web', 'props');
shape('tenant', () => 42, 'props');
shape('queue', () => 'q', 'props');
shape('nodeGroup', () => ['edge-sz'], 'props');

// ---------------------------------------------------------------------------------------------------------------
category = 'wrong JavaScript type of a nested prop';
shape('platform', at(['clusters', 0, 'zones'], 'cn-north-1a'), 'clusters[0].zones');
shape('platform', at(['clusters', 1, 'labels'], ['env']), 'clusters[1].labels');
shape('platform', at(['clusters', 2, 'taints'], { key: 'dedicated' }), 'clusters[2].taints');
shape('platform', at(['clusters', 2, 'taints', 0, 'key'], 7), 'clusters[2].taints[0].key');
shape('platform', at(['clusters', 0, 'eastWestGateway'], '198.51.100.10'), 'clusters[0].eastWestGateway');
shape('platform', at(['clusters', 0, 'registration'], { syncMode: 'Pull', secretRef: 'secret' }), 'clusters[0].registration.secretRef');
shape('platform', at(['clusters', 3, 'podCidr'], 10), 'clusters[3].podCidr');
shape('platform', at(['clusters', 0, 'name'], 12), 'clusters[0].name');
shape('platform', at(['defaults', 'runAsUser'], '10001'), 'defaults.runAsUser');
shape('platform', at(['defaults', 'resources', 'cpu'], '100m'), 'defaults.resources.cpu');
shape('platform', at(['defaults', 'imageRegistry'], 5000), 'defaults.imageRegistry');
shape('platform', at(['mesh', 'primaries'], 'bj-1'), 'mesh.primaries');
shape('platform', at(['mesh', 'clusters', 'names'], 'bj-1'), 'mesh.clusters.names');
shape('platform', at(['mesh', 'ingressGateway', 'labels'], ['istio']), 'mesh.ingressGateway.labels');
shape('platform', at(['mesh', 'istioCni'], 'true'), 'mesh.istioCni');
shape('platform', at(['monitoring', 'interval'], 30), 'monitoring.interval');
shape('platform', at(['monitoring', 'selectorLabels'], { release: 1 }), "monitoring.selectorLabels['release']");
shape('platform', at(['monitoring', 'clusters'], ['bj-1']), 'monitoring.clusters');
shape('platform', at(['submariner', 'clusterIds'], ['a']), 'submariner.clusterIds');
shape('platform', at(['submariner', 'globalnet'], 'true'), 'submariner.globalnet');
shape('tenant', at(['alerts', 'receivers'], { name: 'pager' }), 'alerts.receivers');
shape('tenant', at(['alerts', 'repeatInterval'], '4h'), 'alerts.repeatInterval');
shape('tenant', at(['alerts', 'receivers', 0, 'slack'], 'https://hooks.slack.com/x'), 'alerts.receivers[0].slack');
shape('tenant', at(['alerts', 'groupBy'], 'alertname'), 'alerts.groupBy');
shape('tenant', at(['telemetry', 'accessLogging'], 'on'), 'telemetry.accessLogging');
shape('tenant', { federatedQuota: { overall: { cpu: '30' }, perCluster: 'bj-1' } }, 'federatedQuota.perCluster');
shape('tenant', at(['containerLimits', 'max', 'cpu'], 4), 'containerLimits.max.cpu');
shape('tenant', at(['labels', 'team'], 7), "labels['team']");
shape('tenant', at(['clusters', 'names', 1], 2), 'clusters.names[1]');
shape('web', at(['ports', 0, 'port'], '8080'), 'ports[0].port');
shape('web', at(['ports', 0, 'protocol'], 6), 'ports[0].protocol');
shape('web', at(['resources', 'cpu', 'limit'], 1), 'resources.cpu.limit');
shape('web', at(['metrics', 'interval'], 15), 'metrics.interval');
shape('web', at(['metrics', 'scrapeTimeout'], '10s'), 'metrics.scrapeTimeout');
shape('web', at(['slos', 1, 'latencyThreshold'], 250), 'slos[1].latencyThreshold');
shape('web', at(['slos', 0, 'objective'], '99.9'), 'slos[0].objective');
shape('web', at(['canary', 'replicas'], '1'), 'canary.replicas');
shape('web', at(['canary', 'image'], 42), 'canary.image');
shape('web', at(['configMaps', 'web-config', 'app.yaml'], 1), "configMaps['web-config']['app.yaml']");
shape('web', { disruptionBudget: { maxUnavailable: true } }, 'disruptionBudget.maxUnavailable');
shape('web', at(['overrides', 0, 'replicas'], '2'), 'overrides[0].replicas');
shape('web', at(['overrides', 0, 'clusters'], 'sh-1'), 'overrides[0].clusters');
shape('web', at(['overrides', 0, 'env', 'REGION'], 1), "overrides[0].env['REGION']");
shape('web', { overrides: { 'sh-1': { replicas: 'x' } } }, "overrides['sh-1'].replicas");
shape('web', at(['overrides', 0, 'jsonPatch'], { op: 'add' }), 'overrides[0].jsonPatch');
shape('web', at(['overrides', 0, 'image'], 'shop/web:1.2.4'), 'overrides[0].image');
shape('scaled', at(['autoscaling', 'schedules'], { name: 'up' }), 'autoscaling.schedules');
shape('scaled', at(['autoscaling', 'schedules', 0, 'minReplicas'], '4'), 'autoscaling.schedules[0].minReplicas');
shape('scaled', at(['autoscaling', 'scaleUp', 'policies', 0, 'period'], 60), 'autoscaling.scaleUp.policies[0].period');
shape('scaled', at(['autoscaling', 'cpuUtilization'], '70%'), 'autoscaling.cpuUtilization');
shape('db', at(['failover', 'gracePeriod'], 300), 'failover.gracePeriod');
shape('db', at(['storage', 'size'], 10), 'storage.size');
shape('webMesh', at(['routes', 0, 'match', 'headers'], ['x-beta']), 'routes[0].match.headers');
shape('webMesh', at(['retries', 'perTryTimeout'], 500), 'retries.perTryTimeout');
shape('webMesh', at(['retries', 'retryOn'], '5xx'), 'retries.retryOn');
shape('webMesh', at(['fault', 'abort', 'httpStatus'], '503'), 'fault.abort.httpStatus');
shape('webMesh', at(['connectionPool', 'connectTimeout'], 1000), 'connectionPool.connectTimeout');
shape('webMesh', at(['outlierDetection', 'interval'], 10), 'outlierDetection.interval');
shape('webMesh', at(['ingress', 'hosts'], 'shop.example.com'), 'ingress.hosts');
shape('webMesh', at(['externalHosts', 0, 'port'], '443'), 'externalHosts[0].port');
shape('webMesh', { localityFailover: undefined, localityWeights: [{ from: 'cn-north/*', to: { 'cn-east/*': '100' } }] }, "localityWeights[0].to['cn-east/*']");
shape('webMesh', at(['mirror', 'percent'], '5'), 'mirror.percent');
shape('allow', { methods: 'GET' }, 'allowFrom(0).methods');
shape('allow', { paths: {} }, 'allowFrom(0).paths');
shape('allow', () => 'GET', 'allowFrom(0)');
shape('xcs', { consumers: { names: 'bj-1' } }, 'consumers.names');
shape('mci', at(['rules', 0, 'path'], 1), 'rules[0].path');
shape('mci', at(['rules', 0, 'port'], 8080), 'rules[0].port');
shape('queue', at(['deserved', 'cpu'], 50), "deserved['cpu']");
shape('job', at(['tasks', 0, 'replicas'], '2'), 'tasks[0].replicas');
shape('job', at(['tasks', 0, 'command'], 'train'), 'tasks[0].command');
shape('job', at(['tasks', 0, 'resources', 'cpu'], '1'), 'tasks[0].resources.cpu');
shape('job', at(['tasks', 0, 'policies'], { action: 'RestartJob' }), 'tasks[0].policies');
shape('job', at(['tasks', 0, 'gpus'], '1'), 'tasks[0].gpus');
shape('job', at(['plugins', 'svc'], 'yes'), 'plugins.svc');
shape('job', at(['policies', 0, 'timeout'], 60), 'policies[0].timeout');
shape('edgeTarget', { replicas: 'two' }, 'nodeGroups[0].replicas');
shape('edgeTarget', { image: 'edge-cache.local:5000/video/analytics:1.7.0' }, 'nodeGroups[0].image');
shape('edgeTarget', { env: { FRAME_RATE: 10 } }, "nodeGroups[0].env['FRAME_RATE']");
shape('edgeTarget', { resources: { memory: '1Gi' } }, 'nodeGroups[0].resources.memory');
shape('edge', at(['ports', 0, 'port'], '8080'), 'ports[0].port');

// ---------------------------------------------------------------------------------------------------------------
category = 'a required part missing (the whole value is refused, never half-used)';
shape('platform', at(['mesh', 'meshId'], undefined), 'mesh.meshId');
shape('platform', at(['monitoring', 'global'], undefined), 'monitoring.global');
shape('platform', at(['submariner', 'broker'], undefined), 'submariner.broker');
shape('platform', at(['clusters', 0, 'eastWestGateway'], {}), 'clusters[0].eastWestGateway.address');
shape('tenant', at(['alerts', 'defaultReceiver'], undefined), 'alerts.defaultReceiver');
shape('tenant', at(['alerts', 'receivers'], undefined), 'alerts.receivers');
shape('tenant', at(['alerts', 'receivers', 0], { name: 'pager', email: { to: 'oncall@example.com', from: 'alerts@example.com' } }), 'alerts.receivers[0].email.smarthost');
shape('tenant', at(['alerts', 'receivers', 0], { name: 'pager', slack: { channel: '#shop' } }), 'alerts.receivers[0].slack.apiUrlSecret');
shape('tenant', { federatedQuota: { perCluster: { 'bj-1': { cpu: '1' } } } }, 'federatedQuota.overall');
shape('webMesh', { fault: { delay: { percent: 1 } } }, 'fault.delay.fixed');
shape('webMesh', { ingress: { tlsSecret: 'shop-tls' } }, 'ingress.hosts');
shape('xcs', { consumers: undefined }, 'consumers');
shape('pytorch', { workers: undefined }, 'workers');
shape('pytorch', { image: undefined }, 'image');
shape('spark', { jar: undefined }, 'jar');
shape('spark', { mainClass: undefined }, 'mainClass');

// ---------------------------------------------------------------------------------------------------------------
category = 'a misspelled prop (it would be ignored)';
shape('web', { replicas: undefined, replica: 3 }, 'replica');
shape('web', { imagePullPolicy: 'Always' }, 'imagePullPolicy');
shape('tenant', { quota: undefined, quotas: { cpu: '40' } }, 'quotas');
shape('platform', { deliveryMode: 'direct' }, 'deliveryMode');
shape('platform', at(['clusters', 0, 'regoin'], 'cn-north'), 'clusters[0].regoin');
shape('platform', at(['mesh', 'mtlsMode'], 'STRICT'), 'mesh.mtlsMode');
shape('webMesh', { retry: { attempts: 2 } }, 'retry');
shape('scaled', at(['autoscaling', 'maxReplica'], 8), 'autoscaling.maxReplica');
shape('queue', { weigth: 2 }, 'weigth');
shape('nodeGroup', { node: ['node-a3'] }, 'node');
shape('xcs', { consumer: { names: ['bj-1'] } }, 'consumer');
shape('job', at(['tasks', 0, 'replica'], 2), 'tasks[0].replica');
shape('pytorch', { worker: 3 }, 'worker');
shape('edge', { nodeGroup: [] }, 'nodeGroup');
shape('mci', { rule: [] }, 'rule');

// ---------------------------------------------------------------------------------------------------------------
category = 'helpers given the wrong thing (they never throw; the prop that uses them reports it)';
shape('web', { placement: Placement.clusters(any(42)) }, 'placement.names[0]', 'Placement.clusters(42)');
shape('web', { placement: Placement.clusters('bj-1', any(null)) }, 'placement.names[1]', 'Placement.clusters("bj-1", null)');
shape('web', { placement: Placement.where(any(null)) }, 'placement.selector', 'Placement.where(null)');
shape('web', { placement: Placement.where(any({ regions: 'cn-north' })) }, 'placement.regions', 'Placement.where({ regions: "cn-north" })');
shape('web', { placement: Placement.where(any({ labels: { env: 1 } })) }, "placement.labels['env']", 'Placement.where({ labels: { env: 1 } })');
shape('web', { placement: Placement.fallback(any(null)) }, 'placement.groups[0]', 'Placement.fallback(null)');
shape('web', { placement: Placement.fallback(any({ name: 'a' })) }, 'placement.groups[0].clusters', 'Placement.fallback({ name }) without clusters');
shape('web', { placement: Placement.fallback(any({ name: 1, clusters: {} })) }, 'placement.groups[0].name', 'Placement.fallback({ name: 1 })');
shape('web', { placement: Placement.all().tolerate(any('dedicated')) }, 'placement.tolerations[0]', 'Placement.all().tolerate("dedicated")');
shape('web', { placement: Placement.all().tolerate(any({ key: 'a', tolerationSeconds: 30 })) }, 'placement.tolerations[0].tolerationSeconds', 'tolerate({ tolerationSeconds: 30 })');
shape('web', { placement: Placement.all().spread(any('region')) }, 'placement.spread[0]', 'Placement.all().spread("region")');
shape('web', { placement: Placement.all().spread(any({ field: 'region', minGroups: '2' })) }, 'placement.spread[0].minGroups', 'spread({ minGroups: "2" })');
shape('web', { distribution: Distribution.weighted(any(null)) }, 'distribution.weights', 'Distribution.weighted(null)');
shape('web', { distribution: Distribution.weighted(any({ 'bj-1': '2' })) }, 'distribution.weights[0].weight', 'Distribution.weighted({ "bj-1": "2" })');
shape('web', { distribution: Distribution.weighted(any([{ weight: 1 }])) }, 'distribution.weights[0].clusters', 'Distribution.weighted([{ weight: 1 }])');
shape('web', { distribution: Distribution.weighted(any([{ clusters: 'bj-1', weight: 1 }])) }, 'distribution.weights[0].clusters', 'Distribution.weighted([{ clusters: "bj-1" }])');
shape('web', { distribution: Distribution.exact(any(null)) }, 'distribution.counts', 'Distribution.exact(null)');
shape('web', { distribution: Distribution.exact(any({ 'bj-1': 'two' })) }, "distribution.counts['bj-1']", 'Distribution.exact({ "bj-1": "two" })');
shape('webMesh', { traffic: Traffic.canary(any('10')) }, 'traffic.canaryWeight', 'Traffic.canary("10")');
shape('webMesh', { traffic: Traffic.weighted(any({ v1: '90', v2: '10' })) }, "traffic.weights['v1']", 'Traffic.weighted({ v1: "90" })');
shape('web', { readiness: Probe.http(any(42)) }, 'readiness.path', 'Probe.http(42)');
shape('web', { readiness: Probe.http('/healthz', any({ period: 10 })) }, 'readiness.period', 'Probe.http(path, { period: 10 })');
shape('web', { readiness: Probe.http('/healthz', any({ port: {} })) }, 'readiness.port', 'Probe.http(path, { port: {} })');
shape('web', { liveness: Probe.tcp(any({ timeout: '1s' })) }, 'liveness.timeout', 'Probe.tcp({ timeout: "1s" })');
shape('web', { readiness: Probe.exec(any('check')) }, 'readiness.command', 'Probe.exec("check")');
shape('web', { readiness: Probe.http('/healthz', any(null)) }, 'readiness.options', 'Probe.http(path, null)');
shape('web', { startup: Probe.http('/healthz', any({ failureThreshold: '3' })) }, 'startup.failureThreshold', 'Probe.http(path, { failureThreshold: "3" })');
bad('web', { env: { DB: EnvValue.fromSecret(any(42), 'url') } }, 'FP-ENV', "env['DB'].name", 'EnvValue.fromSecret(42, key)');
bad('web', { env: { DB: EnvValue.fromSecret('db', any(null)) } }, 'FP-ENV', "env['DB'].key", 'EnvValue.fromSecret(name, null)');
bad('web', { env: { CFG: EnvValue.fromConfigMap('Bad_Name', 'k') } }, 'FP-ENV', "env['CFG'].name", 'EnvValue.fromConfigMap("Bad_Name")');
bad('web', { env: { POD: EnvValue.fromField(any(42)) } }, 'FP-ENV', "env['POD'].fieldPath", 'EnvValue.fromField(42)');
bad('web', { env: { POD: EnvValue.fromField('nonsense') } }, 'FP-ENV', "env['POD'].fieldPath", 'EnvValue.fromField("nonsense")');
bad('web', { env: { DB: EnvValue.fromSecret('db', 'url', any({ optional: 'yes' })) } }, 'FP-ENV', "env['DB'].optional", 'EnvValue.fromSecret(.., { optional: "yes" })');
bad('web', { env: { PORT: EnvValue.literal(any(8080)) } }, 'FP-ENV', "env['PORT']", 'EnvValue.literal(8080)');
shape('platform', at(['monitoring', 'global'], GlobalTier.hierarchical(any(null))), 'monitoring.global.props', 'GlobalTier.hierarchical(null)');
shape('platform', at(['monitoring', 'global'], GlobalTier.hierarchical(any({ cluster: 1 }))), 'monitoring.global.cluster', 'GlobalTier.hierarchical({ cluster: 1 })');
shape('platform', at(['monitoring', 'global'], GlobalTier.thanos(any({ cluster: 'bj-1', image: 42 }))), 'monitoring.global.image', 'GlobalTier.thanos({ image: 42 })');
shape('platform', at(['monitoring', 'global'], GlobalTier.hierarchical(any({ cluster: 'bj-1', memberAddress: 'x' }))), 'monitoring.global.memberAddress', 'GlobalTier.hierarchical({ memberAddress: "x" })');
bad('webMesh', {}, 'K36', 'allowFrom(1)', 'allowFrom("ingress")', (w) => w.webMesh.allowFrom(any('ingress')));
bad('webMesh', {}, 'K36', 'allowFrom(1)', 'allowFrom(undefined)', (w) => w.webMesh.allowFrom(any(undefined)));
bad('apiMesh', {}, 'FP-INPUT', 'allowFrom(1).methods', 'allowFrom(service, { methods: "GET" })', (w) => w.apiMesh.allowFrom(w.webMesh, any({ methods: 'GET' })));

// ---------------------------------------------------------------------------------------------------------------
category = 'image references outside the distribution grammar';
bad('web', { image: 'registry.example.com:99999/shop/web:1.0.0' }, 'FP-IMAGE', 'image', 'registry port above 65535');
bad('web', { image: 'registry..example.com/shop/web:1.0.0' }, 'FP-IMAGE', 'image', 'empty registry host label');
bad('web', { image: 'localhost:abc/web:1.0.0' }, 'FP-IMAGE', 'image', 'non-numeric registry port');
bad('web', { image: 'shop/web:' }, 'FP-IMAGE', 'image', 'empty tag');
bad('web', { image: 'shop/web:-rc1' }, 'FP-IMAGE', 'image', 'tag starting with "-"');
bad('web', { image: `shop/web:${'v'.repeat(129)}` }, 'FP-IMAGE', 'image', 'tag of 129 characters');
bad('web', { image: 'shop/web@sha256:abc' }, 'FP-IMAGE', 'image', 'digest too short');
bad('web', { image: 'shop//web:1.0.0' }, 'FP-IMAGE', 'image', 'empty path component');
bad('web', { image: 'sh!op/web:1.0.0' }, 'FP-IMAGE', 'image', '"!" in the first path component');
bad('web', { image: `shop/${'w'.repeat(252)}:1.0.0` }, 'FP-IMAGE', 'image', 'name above 255 characters');
bad('web', { image: 'shop/web_:1.0.0' }, 'FP-IMAGE', 'image', 'path component ending in a separator');
bad('web', { image: 'https://registry.example.com/shop/web:1.0.0' }, 'FP-IMAGE', 'image', 'a URL, not a reference');
bad('web', { image: '' }, 'FP-IMAGE', 'image', 'empty image');
bad('web', at(['canary', 'image'], 'shop/web:2.0.0 '), 'FP-IMAGE', 'canary.image', 'canary image with a trailing space');
bad('web', at(['canary', 'image'], 'SHOP/web:2.0.0'), 'FP-IMAGE', 'canary.image', 'canary image in upper case');
bad('web', at(['overrides', 0, 'image'], { tag: 'bad tag' }), 'FP-IMAGE', 'overrides[0].image', 'override tag with a space');
bad('web', at(['overrides', 0, 'image'], { registry: 'reg istry' }), 'FP-IMAGE', 'overrides[0].image.registry', 'override registry with a space');
bad('web', at(['overrides', 0, 'image'], { repository: 'Shop/Web' }), 'FP-IMAGE', 'overrides[0].image', 'override repository in upper case');
bad('web', at(['overrides', 0, 'image'], { tag: '' }), 'FP-IMAGE', 'overrides[0].image.tag', 'empty override tag');
bad('edge', { image: 'video/analytics:' }, 'FP-IMAGE', 'image', 'edge image with an empty tag');
bad('edgeTarget', { image: { registry: 'edge cache' } }, 'FP-IMAGE', 'nodeGroups[0].image.registry', 'node-group registry with a space');
bad('edgeTarget', { image: { registry: 'edge-cache.local:70000' } }, 'FP-IMAGE', 'nodeGroups[0].image.registry', 'node-group registry port above 65535');
bad('edgeTarget', { image: { tag: '' } }, 'FP-IMAGE', 'nodeGroups[0].image.tag', 'empty node-group tag');
bad('job', at(['tasks', 0, 'image'], 'ml/train:1.0.0@sha256:xyz'), 'FP-IMAGE', 'tasks[0].image', 'task digest not hex');
bad('pytorch', { image: 'ml/ResNet:2.1.0' }, 'FP-IMAGE', 'tasks[0].image', 'pytorch image in upper case (reported on the task it builds)');
bad('platform', at(['monitoring', 'global'], GlobalTier.thanos({ cluster: 'bj-1', image: 'quay.io/thanos/thanos:' })), 'FP-IMAGE', 'monitoring.global.image', 'Thanos image with an empty tag');
reportedBy('prod/monitoring');
bad('platform', at(['defaults', 'imageRegistry'], 'registry.example.com:0'), 'FP-IMAGE', 'defaults.imageRegistry', 'registry port 0');
bad('platform', at(['defaults', 'imageRegistry'], 'https://registry.example.com'), 'FP-IMAGE', 'defaults.imageRegistry', 'registry given as a URL');

// ---------------------------------------------------------------------------------------------------------------
category = 'mutable image tags under the strict switch (defaults.imageTagPolicy)';
strict('web', { image: 'shop/web:latest' }, 'image');
strict('web', { image: 'shop/web' }, 'image');
strict('web', { image: 'shop/web:main' }, 'image');
strict('web', { image: 'shop/web:master' }, 'image');
strict('web', { image: 'shop/web:stable' }, 'image');
strict('web', { image: 'shop/web:Latest' }, 'image');
strict('web', at(['canary', 'image'], 'shop/web:nightly'), 'canary.image');
strict('web', at(['canary'], { version: 'latest', replicas: 1 }), 'canary.version');
strict('web', at(['overrides', 0, 'image'], { tag: 'latest' }), 'overrides[0].image');
strict('edge', { image: 'video/analytics:edge' }, 'image');
strict('edgeTarget', { image: { tag: 'dev' } }, 'nodeGroups[0].image');
strict('job', at(['tasks', 0, 'image'], 'ml/train:develop'), 'tasks[0].image');
strict('pytorch', { image: 'ml/resnet:latest' }, 'tasks[0].image');
strict('platform', at(['monitoring', 'global'], GlobalTier.thanos({ cluster: 'bj-1', image: 'quay.io/thanos/thanos:main' })), 'monitoring.global.image');
reportedBy('prod/monitoring');
strict('web', {}, 'image', ImageTagPolicy.REQUIRE_DIGEST);
bad('platform', at(['defaults', 'imageTagPolicy'], 'strict'), 'FP-IMAGE', 'defaults.imageTagPolicy', 'unknown policy "strict"');

// ---------------------------------------------------------------------------------------------------------------
category = 'values refused where they were accepted silently';
bad('edge', { replicas: -1 }, 'FP-REPLICAS', 'replicas');
bad('edge', { replicas: 1.5 }, 'FP-REPLICAS', 'replicas');
bad('edge', { env: { FRAME_RATE: '15' } }, 'FP-ENV', "env['FRAME_RATE']", 'edge env value not typed');
bad('edge', { env: { FRAME_RATE: null } }, 'FP-ENV', "env['FRAME_RATE']", 'edge env value null');
bad('edge', { env: { '1BAD': EnvValue.literal('x') } }, 'FP-ENV', "env['1BAD']", 'edge env name starting with a digit');
bad('job', at(['tasks', 0, 'env', 'EPOCHS'], 3), 'FP-ENV', "tasks[0].env['EPOCHS']", 'task env value a number');
bad('job', at(['tasks', 0, 'env', 'EPOCHS'], null), 'FP-ENV', "tasks[0].env['EPOCHS']", 'task env value null');
bad('job', at(['tasks', 0, 'env', 'EPOCHS'], EnvValue.literal(any(3))), 'FP-ENV', "tasks[0].env['EPOCHS']", 'task env literal a number');
bad('job', at(['tasks', 0, 'env'], { API_TOKEN: EnvValue.literal('s3cr3t') }), 'FP-ENV-SECRET', "tasks[0].env['API_TOKEN']", 'task env secret inlined');
bad('webMesh', at(['outlierDetection', 'consecutive5xxErrors'], -1), 'FP-MESH', 'outlierDetection.consecutive5xxErrors');
bad('webMesh', at(['outlierDetection', 'consecutive5xxErrors'], 2.5), 'FP-MESH', 'outlierDetection.consecutive5xxErrors');
bad('web', { ports: [{ name: 'http', port: 8080 }, null] }, 'FP-INPUT', 'ports[1]', 'a null port');
bad('web', { port: NaN, ports: undefined }, 'FP-INPUT', 'port', 'port NaN');
bad('web', { replicas: NaN }, 'FP-INPUT', 'replicas', 'replicas NaN');

// ---------------------------------------------------------------------------------------------------------------
category = 'values outside a rule of the platform';
bad('platform', { name: 'Prod_1' }, 'K1', 'name');
bad('platform', { delivery: 'push' }, 'FP-DELIVERY', 'delivery');
bad('platform', { clusters: [] }, 'FP-CLUSTERS', 'clusters');
bad('platform', at(['clusters', 3, 'role'], 'fog'), 'FP-CLUSTERS', 'clusters[3].role');
bad('platform', at(['clusters', 0, 'zones'], ['cn-north-1a', 'cn-north-1a']), 'FP-CLUSTERS', 'clusters[0].zones');
bad('platform', at(['clusters', 0, 'labels'], { 'bad key!': 'x' }), 'K2', 'clusters[0].labels');
bad('platform', at(['clusters', 0, 'labels'], { env: 'not ok' }), 'K2', "clusters[0].labels['env']");
bad('platform', at(['clusters', 2, 'taints', 0, 'key'], 'bad key'), 'K2', 'clusters[2].taints[0].key');
bad('platform', at(['defaults', 'podSecurity'], 'open'), 'K6', 'defaults.podSecurity');
bad('platform', at(['defaults', 'runAsUser'], 0), 'K6', 'defaults.runAsUser');
bad('platform', at(['defaults', 'resources', 'cpu', 'request'], 'lots'), 'K8', 'defaults.resources.cpu.request');
bad('platform', at(['mesh', 'meshId'], 'Mesh_1'), 'K34', 'mesh.meshId');
bad('platform', at(['mesh', 'primaries'], ['gz-9']), 'K34', 'mesh.primaries[0]');
bad('platform', at(['mesh', 'trustDomain'], 'Bad_Domain'), 'K36', 'mesh.trustDomain');
bad('platform', at(['mesh', 'revision'], '1.30'), 'K35', 'mesh.revision');
bad('platform', at(['mesh', 'mtls'], 'OFF'), 'K35', 'mesh.mtls');
bad('platform', at(['mesh', 'clusters'], { names: ['bj-1', 'gz-9'] }), 'K13', 'mesh.clusters');
bad('platform', at(['submariner', 'broker'], 'gz-9'), 'K13', 'submariner.broker');
bad('platform', at(['submariner', 'clusterIds'], { 'bj-1': 'BJ' }), 'K49', "submariner.clusterIds['bj-1']");
bad('platform', at(['clusters', 0, 'podCidr'], '10.1.0.0/33'), 'K49', "clusters['bj-1'].podCidr");
bad('platform', at(['clusters', 1, 'podCidr'], '10.1.128.0/17'), 'K49', "clusters['bj-2'].podCidr");
bad('platform', at(['monitoring', 'global'], GlobalTier.hierarchical({ cluster: 'gz-9' })), 'K13', 'monitoring.global.cluster');
reportedBy('prod/monitoring');
bad('tenant', { podSecurity: 'strict' }, 'K6', 'podSecurity');
bad('tenant', at(['alerts', 'receivers', 0], { name: 'pager' }), 'K45', 'alerts.receivers[0]');
bad('tenant', at(['alerts', 'criticalReceiver'], 'nobody'), 'K45', 'alerts.criticalReceiver');
bad('tenant', at(['alerts', 'groupBy'], ['alertname', 'alertname']), 'K45', 'alerts.groupBy');
bad('tenant', at(['telemetry', 'tracingSampling'], 150), 'FP-TELEMETRY', 'telemetry.tracingSampling');
bad('tenant', { adminGroups: [''] }, 'FP-RBAC', 'adminGroups[0]');
bad('tenant', { viewGroups: [42] }, 'FP-RBAC', 'viewGroups[0]');
bad('tenant', { labels: { 'bad key!': 'x' } }, 'K2', 'labels');
bad('tenant', { quota: { cpus: '1' } }, 'K8', 'quota.cpus');
bad('tenant', { quota: { pods: -1 } }, 'K8', 'quota.pods');
bad('tenant', at(['containerLimits', 'max', 'cpu'], 'x'), 'K8', 'containerLimits.max.cpu');
bad('web', { containerName: 'App' }, 'K1', 'containerName');
bad('web', { version: 'v 1' }, 'K2', 'version');
bad('web', { labels: { tier: 'front end' } }, 'K2', 'labels');
bad('web', { configMaps: { Bad_Name: { a: 'b' } } }, 'K1', "configMaps['Bad_Name']");
bad('web', { configMaps: { 'web-config': { 'bad key': 'x' } } }, 'FP-CONFIGMAP', "configMaps['web-config']['bad key']");
bad('db', at(['storage', 'mountPath'], 'data'), 'FP-STORAGE', 'storage.mountPath');
bad('web', at(['canary', 'version'], 'V2'), 'FP-CANARY', 'canary.version');
bad('web', at(['canary', 'replicas'], 0), 'FP-CANARY', 'canary.replicas');
bad('web', at(['slos', 0, 'objective'], 100), 'FP-SLO', 'slos[0].objective');
bad('web', at(['slos', 0, 'kind'], 'speed'), 'FP-SLO', 'slos[0].kind');
bad('web', { disruptionBudget: { maxUnavailable: 1, minAvailable: 1 } }, 'K9', 'disruptionBudget');
bad('web', { kind: 'DaemonSet' }, 'FP-KIND', 'kind');
bad('api', { replicas: -1 }, 'FP-REPLICAS', 'replicas');
bad('api', { ports: [] }, 'FP-XCS', 'app', 'no port left for the cross-cluster service');
reportedBy('prod/shop/api-xcs');
bad('api', { placement: Placement.clusters('bj-1', 'gz-9') }, 'K13', 'placement.names[1]', 'placement naming an unknown cluster, with a mesh and a cross-cluster service on the app');
bad('webMesh', { traffic: Traffic.weighted({ v1: 50, v3: 50 }) }, 'K30', "traffic.weights['v3']");
bad('webMesh', at(['routes', 0, 'version'], 'v9'), 'K30', 'routes[0].version');
bad('webMesh', at(['routes', 0, 'match'], {}), 'K30', 'routes[0].match');
bad('webMesh', at(['retries', 'attempts'], -1), 'K30', 'retries.attempts');
bad('webMesh', at(['retries', 'retryOn'], ['sometimes']), 'K30', 'retries.retryOn');
bad('webMesh', { fault: {} }, 'K30', 'fault');
bad('webMesh', at(['fault', 'abort', 'httpStatus'], 700), 'K30', 'fault.abort.httpStatus');
bad('webMesh', at(['mirror', 'percent'], 150), 'K30', 'mirror.percent');
bad('webMesh', { mirror: { host: 'not a host', percent: 5 } }, 'K31', 'mirror.host');
bad('webMesh', at(['connectionPool', 'maxConnections'], -5), 'FP-MESH', 'connectionPool.maxConnections');
bad('webMesh', { loadBalancer: 'FASTEST' }, 'FP-MESH', 'loadBalancer');
bad('webMesh', { localityFailover: 'sideways' }, 'K28', 'localityFailover');
bad('webMesh', { localityWeights: [{ from: 'cn-north/*', to: { 'cn-east/*': 100 } }] }, 'K28', 'localityWeights');
bad('webMesh', at(['ingress', 'hosts'], ['*']), 'K31', 'ingress.hosts[0]');
bad('webMesh', at(['ingress', 'tlsSecret'], 'Bad_Secret'), 'K33', 'ingress.tlsSecret');
bad('webMesh', { ingress: { hosts: ['shop.example.com'], httpsRedirect: true } }, 'K33', 'ingress.httpsRedirect');
bad('webMesh', at(['externalHosts', 0, 'port'], 70000), 'K37', 'externalHosts[0].port');
bad('webMesh', at(['externalHosts', 0, 'host'], '*'), 'K37', 'externalHosts[0].host');
bad('webMesh', { calls: ['api'] }, 'K38', 'calls[0]');
bad('webMesh', at(['telemetry', 'tracingSampling'], -1), 'FP-TELEMETRY', 'telemetry.tracingSampling');
bad('webMesh', { port: 'grpc' }, 'FP-MESH', 'port');
bad('allow', { methods: ['get'] }, 'K36', 'allowFrom(0).methods');
bad('allow', { paths: ['api/*'] }, 'K36', 'allowFrom(0).paths');
bad('xcs', { backend: 'dns' }, 'FP-XCS', 'backend');
bad('xcs', { consumers: { names: ['gz-9'] } }, 'K13', 'consumers');
bad('xcs', { providers: ['edge-sz'] }, 'K49', 'providers');
bad('mci', at(['rules', 0, 'host'], 'not_a_host'), 'K31', 'rules[0].host');
bad('mci', at(['rules', 0, 'path'], 'api'), 'FP-MCI', 'rules[0].path');
bad('mci', at(['rules', 0, 'port'], 'grpc'), 'FP-MCI', 'rules[0].port');
bad('mci', { tlsSecret: 'Bad_Secret' }, 'FP-MCI', 'tlsSecret');
bad('mci', { rules: [] }, 'FP-MCI', 'rules');
bad('queue', { weight: 0 }, 'K48', 'weight');
bad('queue', { weight: 70000 }, 'K48', 'weight');
bad('queue', { deserved: { cpu: '500' } }, 'K48', "deserved['cpu']");
bad('queue', { parent: 'root' }, 'K48', 'parent');
bad('job', { tasks: [] }, 'K47', 'tasks');
bad('job', at(['tasks', 0, 'name'], 'Worker'), 'K47', 'tasks[0].name');
bad('job', at(['tasks', 0, 'minAvailable'], 5), 'K47', 'tasks[0].minAvailable');
bad('job', at(['tasks', 0, 'gpus'], -1), 'K47', 'tasks[0].gpus');
bad('job', at(['policies', 0], { events: ['PodEvicted'], exitCode: 3, action: 'RestartJob' }), 'K47', 'policies[0]');
bad('job', at(['policies', 0, 'action'], 'Explode'), 'K47', 'policies[0].action');
bad('job', at(['policies', 0, 'events'], ['Boom']), 'K47', 'policies[0].events');
bad('job', { name: 'Train_1' }, 'K1', 'name');
bad('job', { queue: 'q' }, 'K47', 'queue');
bad('pytorch', { workers: -1 }, 'K47', 'tasks[1].replicas');
bad('nodeGroup', { cluster: 'bj-1' }, 'K46', 'cluster');
bad('nodeGroup', { cluster: 'gz-9' }, 'K13', 'cluster');
bad('nodeGroup', { name: 'Store_A' }, 'K1', 'name');
bad('nodeGroup', { nodes: [] }, 'K46', 'nodes');
bad('nodeGroup', { nodes: ['node-a1', 'node-a1'] }, 'K46', 'nodes');
bad('nodeGroup', { matchLabels: { 'bad key!': 'x' } }, 'K2', 'matchLabels');
bad('edge', { kind: 'StatefulSet' }, 'K46', 'kind');
bad('edge', { nodeGroups: [] }, 'K46', 'nodeGroups');
bad('edge', { nodeGroups: [{ group: 'store-a' }] }, 'K46', 'nodeGroups[0].group');
bad('edge', { name: 'Analytics' }, 'K1', 'name');
bad('edge', at(['ports', 0, 'port'], 0), 'K3', 'ports[0].port');

// ---------------------------------------------------------------------------------------------------------------
// Running the cases.

function run(changes: Changes, more?: (w: World) => void): { error: PlatformValidationError; dir: string } {
  const dir = tmpDir('fleetplane-catalog-');
  let thrown: unknown;
  try {
    // Building the program is inside the guard too: a TypeError while constructing counts as a crash.
    const app = new App({ outdir: dir });
    world(app, changes, more);
    app.synth();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error('silently accepted: synthesis succeeded');
  if (!(thrown instanceof PlatformValidationError)) throw new Error(`crash: ${(thrown as Error)?.name}: ${(thrown as Error)?.message}`);
  return { error: thrown, dir };
}

const errorsOf = (e: PlatformValidationError): Problem[] => e.problems.filter((p) => p.severity === Severity.ERROR);

test('the valid world synthesizes with no error (each case changes one thing in it)', () => {
  const dir = tmpDir('fleetplane-catalog-');
  const app = new App({ outdir: dir });
  const { platform } = world(app);
  expect(platform.problems().filter((p) => p.severity === Severity.ERROR)).toEqual([]);
  app.synth();
  expect(yamlFiles(dir).length).toBeGreaterThan(0);
});

describe('the catalog', () => {
  test('has at least 250 distinct cases over every construct and helper', () => {
    expect(cases.length).toBeGreaterThanOrEqual(250);
    expect(new Set(cases.map((c) => c.title)).size).toBe(cases.length);
    const sites = new Set(cases.flatMap((c) => Object.keys(c.changes)));
    for (const site of Object.keys(SITES)) expect(sites).toContain(site);
  });

  test.each(cases.map((c) => [`${c.category} — ${c.title} → ${c.rule} ${c.prop}`, c] as const))('%s', (_name, c) => {
    const { error, dir } = run(c.changes, c.more);
    const errors = errorsOf(error);
    expect(errors).toEqual(expect.arrayContaining([expect.objectContaining({ rule: c.rule, path: c.path, prop: c.prop })]));
    for (const p of error.problems) {
      expect(ruleInfo(p.rule)).toBeDefined();
      expect(p.fix.length).toBeGreaterThan(0);
      expect(p.message).not.toMatch(/TypeError|undefined is not|Cannot read properties/);
    }
    expect(yamlFiles(dir)).toEqual([]);
  });
});

describe('several mistakes in one program are reported together', () => {
  test('a wrong shape in every construct at once', () => {
    const { error, dir } = run({
      platform: at(['clusters', 0, 'zones'], 'cn-north-1a'), tenant: { labels: 'team' }, web: { replicas: '4' }, webMesh: { timeout: 3000 },
      xcs: { providers: 'bj-2' }, mci: { tlsSecret: 1 }, queue: { weight: '2' }, job: { maxRetry: '3' }, pytorch: { workers: '4' },
      spark: { jar: {} }, nodeGroup: { nodes: 'node-a1' }, edge: { replicas: '1' },
    });
    const found = errorsOf(error).filter((p) => p.rule === 'FP-INPUT').map((p) => `${p.path} ${p.prop}`);
    expect(found).toEqual(expect.arrayContaining([
      'prod clusters[0].zones', 'prod/shop labels', 'prod/shop/web replicas', 'prod/shop/web-mesh timeout', 'prod/shop/api-xcs providers',
      'prod/shop/edge-in tlsSecret', 'prod/ml/q weight', 'prod/ml/train maxRetry', 'prod/ml/resnet workers', 'prod/ml/etl jar',
      'prod/store-a nodes', 'prod/video/analytics replicas',
    ]));
    expect(yamlFiles(dir)).toEqual([]);
  });

  test('shape, rule, image and helper mistakes in one app, each once', () => {
    const { error } = run({
      web: { name: 'Web', replicas: 'x', image: 'shop/web:', ports: [{ name: 'http', port: 70000 }], placement: Placement.clusters(any(42)), readiness: Probe.http('/healthz', any({ period: 5 })) },
    });
    const web = errorsOf(error).filter((p) => p.path === 'prod/shop/web').map((p) => `${p.rule} ${p.prop}`);
    expect(web).toEqual(expect.arrayContaining(['K1 name', 'FP-INPUT replicas', 'FP-IMAGE image', 'K3 ports[0].port', 'FP-INPUT placement.names[0]', 'FP-INPUT readiness.period']));
    // One bad value is one problem: the shape problem is not repeated by the rule that reads the same prop.
    expect(web.filter((p) => p.endsWith(' replicas'))).toEqual(['FP-INPUT replicas']);
  });

  test('errors of the platform, a tenant, a mesh service, a batch job and an edge app, with warnings beside them', () => {
    const { error } = run({
      platform: (p) => ({ ...p, name: 'Prod_1', defaults: { ...p.defaults, imageTagPolicy: ImageTagPolicy.REJECT_MUTABLE } }),
      tenant: { podSecurity: 'strict' }, web: { image: 'shop/web:latest' }, webMesh: { loadBalancer: 'FASTEST' },
      job: at(['tasks', 0, 'gpus'], -1), edge: { kind: 'StatefulSet' }, nodeGroup: { name: 'Store_A' },
    });
    const errors = errorsOf(error).map((p) => `${p.rule} ${p.path.replace(/^Prod_1/, 'prod')} ${p.prop}`);
    expect(errors).toEqual(expect.arrayContaining([
      'K1 prod name', 'K6 prod/shop podSecurity', 'FP-IMAGE prod/shop/web image', 'FP-MESH prod/shop/web-mesh loadBalancer',
      'K47 prod/ml/train tasks[0].gpus', 'K46 prod/video/analytics kind', 'K1 prod/store-a name',
    ]));
    expect(error.message).toContain(`${errorsOf(error).length} error(s)`);
  });

  test('misspelled props in three constructs and a duplicate id', () => {
    const { error } = run({ web: { replica: 3 }, tenant: { quotas: {} }, queue: { weigth: 2 } }, (w) => {
      new FederatedApp(w.shop, 'web', { image: 'shop/web:1.2.3', port: 8080 });
    });
    const errors = errorsOf(error);
    expect(errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ rule: 'FP-INPUT', path: 'prod/shop/web', prop: 'replica', message: expect.stringContaining('did you mean "replicas"') }),
      expect.objectContaining({ rule: 'FP-INPUT', path: 'prod/shop', prop: 'quotas', message: expect.stringContaining('did you mean "quota"') }),
      expect.objectContaining({ rule: 'FP-INPUT', path: 'prod/ml/q', prop: 'weigth', message: expect.stringContaining('did you mean "weight"') }),
      expect.objectContaining({ rule: 'FP-DUPLICATE', path: 'prod/shop', prop: 'id', value: 'web' }),
    ]));
  });
});

describe('the tag policy', () => {
  test('by default a mutable tag anywhere is a warning, and the program still synthesizes', () => {
    const dir = tmpDir('fleetplane-catalog-');
    const app = new App({ outdir: dir });
    const { platform } = world(app, {
      web: { image: 'shop/web:main' }, edge: { image: 'video/analytics' }, job: at(['tasks', 0, 'image'], 'ml/train:nightly'),
    });
    const warnings = platform.problems().filter((p) => p.rule === 'FP-IMAGE');
    expect(warnings.map((p) => `${p.severity} ${p.path} ${p.prop}`)).toEqual(expect.arrayContaining([
      'warning prod/shop/web image', 'warning prod/video/analytics image', 'warning prod/ml/train tasks[0].image',
    ]));
    expect(warnings.every((p) => p.fix.includes('REJECT_MUTABLE'))).toBe(true);
    app.synth();
    expect(yamlFiles(dir).length).toBeGreaterThan(0);
  });

  test('a digest pins a mutable tag, even under the strict switch', () => {
    const app = new App({ outdir: tmpDir('fleetplane-catalog-') });
    const { platform } = world(app, {
      platform: (p) => ({ ...p, defaults: { ...p.defaults, imageTagPolicy: ImageTagPolicy.REJECT_MUTABLE } }),
      web: { image: `shop/web:latest@sha256:${'a'.repeat(64)}` },
    });
    expect(platform.problems().filter((p) => p.path === 'prod/shop/web' && p.rule === 'FP-IMAGE')).toEqual([]);
  });

  test('Durations are cdk8s Durations: Duration.seconds(30) passes where 30 does not', () => {
    const app = new App({ outdir: tmpDir('fleetplane-catalog-') });
    const { platform } = world(app, { webMesh: { timeout: Duration.seconds(30) } });
    expect(platform.problems().filter((p) => p.severity === Severity.ERROR)).toEqual([]);
  });
});
