/**
 * The JavaScript shapes of the value types props are made of (selectors, resources, probes, placements, ...),
 * checked where props enter (core/input.ts, FP-INPUT). Each construct composes its own props' shape from these.
 */
import { MetricSignals } from '../../model/monitoring-signals';
import { MonitoringPrerequisites } from '../../model/monitoring';
import { ProgressiveDelivery } from '../../model/progressive';
import { Duration } from 'cdk8s';
import { InstanceShape, ObjectShape, STRING_MAP, Shape, listOf, mapOf, objectOf, oneOf } from '../../core/input';
import { Distribution } from '../../model/distribution';
import { GlobalTier } from '../../model/monitoring';
import { Placement } from '../../model/placement';
import { Traffic } from '../../model/traffic';
import { Probe } from '../../model/workload';

const STRINGS = listOf('string');

/** A cluster selector. */
export const SELECTOR = objectOf({
  names: STRINGS, exclude: STRINGS, labels: STRING_MAP, regions: STRINGS, zones: STRINGS, providers: STRINGS, notRegions: STRINGS, notProviders: STRINGS,
});

const SECRET_REF = objectOf({ namespace: 'string', name: 'string' });

/** One member cluster. */
export const CLUSTER = objectOf({
  name: 'string', region: 'string', zones: STRINGS, provider: 'string', labels: STRING_MAP,
  taints: listOf(objectOf({ key: 'string', value: 'string', effect: 'string' })),
  role: 'string', network: 'string', podCidr: 'string', serviceCidr: 'string',
  eastWestGateway: objectOf({ address: 'string' }, ['address']),
  registration: objectOf({
    syncMode: 'string', apiEndpoint: 'string', secretRef: SECRET_REF, impersonatorSecretRef: SECRET_REF, insecureSkipTlsVerification: 'boolean', proxyUrl: 'string',
  }),
});

const RANGE = objectOf({ request: 'string', limit: 'string' });
/** Container resources. */
export const RESOURCES = objectOf({ cpu: RANGE, memory: RANGE, ephemeralStorage: RANGE });

/** A cluster toleration. */
export const TOLERATION = objectOf({ key: 'string', exists: 'boolean', value: 'string', effect: 'string', tolerationSeconds: Duration });

/** A Placement, and what its static methods were given. */
export const PLACEMENT: InstanceShape = {
  instance: Placement,
  view: (p: Placement) => ({
    ...(p.groups === undefined && !isPlainObject(p.selector) ? { selector: p.selector } : p.selector),
    groups: p.groups,
    tolerations: p.tolerations,
    spread: p.spreadConstraints,
  }),
  fields: {
    ...SELECTOR.fields,
    selector: 'object',
    groups: listOf(objectOf({ name: 'string', clusters: SELECTOR }, ['clusters'])),
    tolerations: listOf(TOLERATION),
    spread: listOf(objectOf({ field: 'string', label: 'string', minGroups: 'number', maxGroups: 'number' })),
  },
};

/** A Distribution, and what its static methods were given. */
export const DISTRIBUTION: InstanceShape = {
  instance: Distribution,
  view: (d: Distribution) => ({ weights: d.weights, counts: d.counts }),
  fields: { weights: listOf(objectOf({ clusters: SELECTOR, weight: 'number' }, ['clusters'])), counts: mapOf('number') },
};

/** A Traffic split, and what its static methods were given. */
export const TRAFFIC: InstanceShape = {
  instance: Traffic,
  view: (t: Traffic) => ({ weights: t.weights, canaryWeight: t.canaryWeight }),
  fields: { weights: mapOf('number'), canaryWeight: 'number' },
};

const PORT_REF = oneOf('a port name or number', 'string', 'number');

/** A Probe, and what its static methods were given (path, command, port, timings). */
export const PROBE: InstanceShape = {
  instance: Probe,
  view: (p: Probe) => p._input(),
  fields: { options: 'object', path: 'string', command: STRINGS, port: PORT_REF, initialDelay: Duration, period: Duration, timeout: Duration, failureThreshold: 'number' },
};

/** Environment variables: typed values (anything else is FP-ENV, with the fix). */
export const ENV: Shape = 'object';

/** A global monitoring tier, and the props its static methods were given. */
export const GLOBAL_TIER: InstanceShape = {
  instance: GlobalTier,
  view: (g: GlobalTier) => (isPlainObject(g.props) ? g.props : { props: g.props }),
  fields: { props: 'object', cluster: 'string', namespace: 'string', memberAddress: 'function', image: 'string' },
};

/** An image override (registry, repository, tag). */
export const IMAGE_OVERRIDE = objectOf({ registry: 'string', repository: 'string', tag: 'string' });

const OVERRIDE_VALUE_FIELDS: ObjectShape['fields'] = {
  image: IMAGE_OVERRIDE, replicas: 'number', env: STRING_MAP, resources: RESOURCES, command: STRINGS, args: STRINGS, labels: STRING_MAP,
  annotations: STRING_MAP, jsonPatch: listOf(objectOf({ op: 'string', path: 'string', value: oneOf('any value', 'string', 'number', 'boolean', 'object') })),
};

/** Overrides: a list with cluster selectors, or a map by cluster name. */
export const OVERRIDES = oneOf(
  'a list of overrides ({ clusters, ... }) or a map of override values by cluster name',
  listOf(objectOf({ clusters: SELECTOR, ...OVERRIDE_VALUE_FIELDS })),
  mapOf(objectOf(OVERRIDE_VALUE_FIELDS)),
);

/** A list of strings. */
export { STRINGS };

/** An app port. */
export const PORT = objectOf({ port: 'number', name: 'string', protocol: 'string', servicePort: 'number' });

/** Lifecycle policies of a Volcano job or task. */
export const LIFECYCLE_POLICIES = listOf(objectOf({ events: STRINGS, exitCode: 'number', action: 'string', timeout: Duration }));

function isPlainObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const PERCENT_OR_COUNT = oneOf('a count or a percentage string', 'number', 'string');
const SCALING_RULES = objectOf({
  stabilizationWindow: Duration, selectPolicy: 'string',
  policies: listOf(objectOf({ type: 'string', value: 'number', period: Duration })),
});

/** FederatedApp props; the image has its own rule (FP-IMAGE), env values theirs (FP-ENV). */
export const APP_SHAPES = {
  image: 'unknown', name: 'string', kind: 'string', port: 'number', ports: listOf(PORT), env: mapOf('unknown'), command: STRINGS, args: STRINGS,
  resources: RESOURCES, liveness: PROBE, readiness: PROBE, startup: PROBE, replicas: 'number', placement: PLACEMENT, distribution: DISTRIBUTION,
  overrides: OVERRIDES,
  autoscaling: objectOf({
    minReplicas: 'number', maxReplicas: 'number', cpuUtilization: 'number', memoryUtilization: 'number', scaleUp: SCALING_RULES, scaleDown: SCALING_RULES,
    schedules: listOf(objectOf({ name: 'string', schedule: 'string', minReplicas: 'number', maxReplicas: 'number', timeZone: 'string' })),
  }),
  failover: objectOf({ toleration: Duration, purgeMode: 'string', gracePeriod: Duration }),
  configMaps: mapOf(STRING_MAP), secrets: STRINGS, storage: objectOf({ size: 'string', mountPath: 'string', storageClass: 'string' }),
  disruptionBudget: oneOf('a disruption budget or false', 'boolean', objectOf({ maxUnavailable: PERCENT_OR_COUNT, minAvailable: PERCENT_OR_COUNT })),
  topologySpread: 'boolean', containerName: 'string', version: 'string',
  metrics: objectOf({
    port: 'string', path: 'string', interval: Duration, scrapeTimeout: Duration, podMonitor: 'boolean', requestsMetric: 'string', statusLabel: 'string', durationMetric: 'string',
    // Signals, the app's own rules and panels have their own checks (FP-MONITORING, K40, K41).
    signals: MetricSignals, recordingRules: listOf('object'), alertingRules: listOf('object'), panels: listOf('object'),
  }),
  slos: listOf(objectOf({ name: 'string', kind: 'string', objective: 'number', latencyThreshold: Duration })),
  canary: objectOf({ version: 'string', image: 'string', replicas: 'number' }),
  labels: STRING_MAP,
  // Logs, tracing and rollout waves have their own checks (FP-LOGS, FP-TRACING, FP-ROLLOUT).
  logs: 'object', tracing: 'object', progressive: ProgressiveDelivery, rollout: 'object',
} as const;

const QUOTA = mapOf('unknown');
const SECRET_KEY = objectOf({ name: 'string', key: 'string' });

/** Tenant props; quota amounts and RBAC group names have their own rules (K8, FP-RBAC). */
export const TENANT_SHAPES = {
  namespace: 'string', clusters: SELECTOR, podSecurity: 'string', quota: QUOTA,
  federatedQuota: objectOf({ overall: QUOTA, perCluster: mapOf(QUOTA) }, ['overall']),
  containerLimits: objectOf({ min: objectOf({ cpu: 'string', memory: 'string' }), max: objectOf({ cpu: 'string', memory: 'string' }) }),
  adminGroups: listOf('unknown'), viewGroups: listOf('unknown'), defaultDenyNetwork: 'boolean', labels: STRING_MAP, mesh: 'boolean',
  alerts: objectOf({
    receivers: listOf(objectOf({
      name: 'string', webhookUrlSecret: SECRET_KEY,
      slack: objectOf({ apiUrlSecret: SECRET_KEY, channel: 'string' }, ['apiUrlSecret', 'channel']),
      email: objectOf({ to: 'string', from: 'string', smarthost: 'string', authUsername: 'string', authPasswordSecret: SECRET_KEY }, ['to', 'from', 'smarthost']),
    })),
    defaultReceiver: 'string', criticalReceiver: 'string', groupBy: STRINGS, repeatInterval: Duration,
  }, ['receivers', 'defaultReceiver']),
  telemetry: objectOf({ tracingSampling: 'number', accessLogging: 'boolean' }),
} as const;

/** DistributedPlatform props. */
export const PLATFORM_SHAPES = {
  clusters: listOf(CLUSTER), delivery: 'string', name: 'string', verifyReachability: 'boolean',
  defaults: objectOf({
    podSecurity: 'string', resources: RESOURCES, imageRegistry: 'string', imageTagPolicy: 'string', runAsUser: 'number', readOnlyRootFilesystem: 'boolean',
    topologySpread: 'boolean', disruptionBudget: 'boolean', defaultDenyNetwork: 'boolean',
  }),
  mesh: objectOf({
    meshId: 'string', clusters: SELECTOR, primaries: STRINGS, trustDomain: 'string', revision: 'string', istioCni: 'boolean', privilegedSidecarInit: 'boolean',
    mtls: 'string', defaultDeny: 'boolean', ingressGateway: objectOf({ namespace: 'string', labels: STRING_MAP, serviceAccount: 'string' }),
  }, ['meshId']),
  submariner: objectOf({ broker: 'string', clusters: SELECTOR, clusterIds: STRING_MAP, globalnet: 'boolean' }, ['broker']),
  monitoring: objectOf({
    global: GLOBAL_TIER, clusters: SELECTOR, namespace: 'string', selectorLabels: STRING_MAP, retention: 'string', resources: RESOURCES, interval: Duration,
    dashboardLabel: STRING_MAP, runbookBaseUrl: 'string', prerequisites: MonitoringPrerequisites,
  }, ['global']),
  // Telemetry, GitOps and rollout waves have their own checks (FP-OTEL, FP-GITOPS, FP-ROLLOUT).
  telemetry: 'object', gitops: 'object', rollout: 'object',
} as const;

/** MeshedService props; the app and the callees have their own rules (FP-MESH, K38). */
export const MESHED_SERVICE_SHAPES = {
  app: 'unknown', port: 'string', traffic: TRAFFIC,
  routes: listOf(objectOf({ name: 'string', version: 'string', match: objectOf({ headers: STRING_MAP, cookie: objectOf({ name: 'string', value: 'string' }), uriPrefix: 'string', method: 'string' }) })),
  retries: objectOf({ attempts: 'number', perTryTimeout: Duration, retryOn: STRINGS }),
  timeout: Duration,
  fault: objectOf({ delay: objectOf({ fixed: Duration, percent: 'number' }, ['fixed']), abort: objectOf({ httpStatus: 'number', percent: 'number' }) }),
  mirror: objectOf({ version: 'string', host: 'string', percent: 'number' }),
  connectionPool: objectOf({
    maxConnections: 'number', connectTimeout: Duration, http1MaxPendingRequests: 'number', http2MaxRequests: 'number', maxRequestsPerConnection: 'number', maxRetries: 'number',
  }),
  outlierDetection: oneOf('outlier detection settings or false', 'boolean', objectOf({ consecutive5xxErrors: 'number', interval: Duration, baseEjectionTime: Duration, maxEjectionPercent: 'number' })),
  loadBalancer: 'string', localityFailover: 'string',
  localityWeights: listOf(objectOf({ from: 'string', to: mapOf('number') })),
  ingress: objectOf({ hosts: STRINGS, tlsSecret: 'string', httpsRedirect: 'boolean' }, ['hosts']),
  calls: listOf('unknown'),
  externalHosts: listOf(objectOf({ host: 'string', port: 'number', protocol: 'string' })),
  telemetry: objectOf({ tracingSampling: 'number', accessLogging: 'boolean' }),
} as const;

/** The options of `MeshedService.allowFrom`. */
export const ALLOW_OPTIONS = objectOf({ methods: STRINGS, paths: STRINGS });

/** A batch task. */
export const BATCH_TASK = objectOf({
  name: 'string', replicas: 'number', image: 'unknown', command: STRINGS, args: STRINGS, env: mapOf('unknown'), resources: RESOURCES, gpus: 'number',
  minAvailable: 'number', policies: LIFECYCLE_POLICIES, restartPolicy: 'string',
});
