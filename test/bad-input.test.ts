// Bad-input programs: each is a small platform definition that is wrong in exactly one way. Synthesis must
// fail with one typed PlatformValidationError naming the rule, the construct path and the prop, and must
// write nothing.
process.env.FLEETPLANE_QUIET = '1';

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration } from 'cdk8s';
import {
  DeliveryMode, DistributedPlatform, DistributedPlatformProps, Distribution, EnvValue, FederatedApp, FederatedAppProps,
  MemberClusterProps, Placement, PlatformValidationError, Probe, Problem, PurgeMode, Severity, SpreadField, SyncMode,
  TenantProps, WorkloadKind,
} from '../index';
import { yamlFiles, synthError } from './support/fixtures';

// ---------------------------------------------------------------------------------------------------------
// A valid baseline, and builders that change one thing in it.

const IMAGE = 'registry.example.com/shop/web:1.2.3';
const PLATFORM = 'prod';
const TENANT = 'shop';
const APP_PATH = `${PLATFORM}/${TENANT}/web`;
const TENANT_PATH = `${PLATFORM}/${TENANT}`;

/** Three clusters in two regions, every field a check may read set. */
function clusters(): MemberClusterProps[] {
  return [
    { name: 'bj-1', region: 'cn-north', zones: ['cn-north-1a'], provider: 'huaweicloud', labels: { env: 'prod' } },
    { name: 'bj-2', region: 'cn-north', zones: ['cn-north-1b'], provider: 'huaweicloud', labels: { env: 'prod' } },
    { name: 'sh-1', region: 'cn-east', zones: ['cn-east-1a'], provider: 'alicloud', labels: { env: 'prod' } },
  ];
}

interface Variation {
  readonly platform?: Partial<DistributedPlatformProps>;
  readonly tenant?: TenantProps;
}

function platformIn(app: App, props: Partial<DistributedPlatformProps> = {}): DistributedPlatform {
  return new DistributedPlatform(app, PLATFORM, { clusters: clusters(), ...props });
}

/** A program with only a platform. */
function platformOnly(props: Partial<DistributedPlatformProps>): (app: App) => void {
  return (app) => {
    platformIn(app, props);
  };
}

/** A program with a platform and one tenant (no apps). */
function tenantOnly(props: TenantProps, platform: Partial<DistributedPlatformProps> = {}): (app: App) => void {
  return (app) => {
    platformIn(app, platform).addTenant(TENANT, props);
  };
}

/** A program with a platform, a tenant and one app `web` (a tagged image and one port unless changed). */
function webApp(props: Partial<FederatedAppProps> = {}, v: Variation = {}): (app: App) => void {
  return (app) => {
    const tenant = platformIn(app, v.platform).addTenant(TENANT, v.tenant ?? {});
    new FederatedApp(tenant, 'web', { image: IMAGE, port: 8080, ...props });
  };
}

const DIRECT: Variation = { platform: { delivery: DeliveryMode.DIRECT } };
const AUTOSCALING = { minReplicas: 2, maxReplicas: 6 };

// ---------------------------------------------------------------------------------------------------------
// Running a program.

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-bad-'));
}

function errorsOf(e: PlatformValidationError): Problem[] {
  return e.problems.filter((p) => p.severity === Severity.ERROR);
}

// ---------------------------------------------------------------------------------------------------------
// The table.

interface BadCase {
  /** What is wrong. */
  readonly title: string;
  /** The program. */
  readonly build: (app: App) => void;
  readonly rule: string;
  readonly path: string;
  readonly prop: string;
  /** A fragment of the problem's message. */
  readonly message: string;
  /** How many errors the one mistake produces. @default 1 */
  readonly count?: number;
}

const cases: BadCase[] = [
  // --- platform and clusters -------------------------------------------------------------------------
  {
    title: 'cluster name longer than 48 characters',
    build: platformOnly({ clusters: [...clusters(), { name: 'c'.repeat(49), region: 'cn-south' }] }),
    rule: 'K13', path: PLATFORM, prop: 'clusters[3].name', message: 'at most 48 characters',
  },
  {
    title: 'cluster name not a DNS-1123 label',
    build: platformOnly({ clusters: [...clusters(), { name: 'GZ_1', region: 'cn-south' }] }),
    rule: 'K13', path: PLATFORM, prop: 'clusters[3].name', message: 'DNS-1123 label',
  },
  {
    title: 'duplicate cluster names',
    build: platformOnly({ clusters: [...clusters(), { name: 'bj-1', region: 'cn-south' }] }),
    rule: 'K13', path: PLATFORM, prop: 'clusters[3].name', message: 'same name',
  },
  {
    title: 'Push registration without apiEndpoint',
    build: platformOnly({
      clusters: [
        { ...clusters()[0], registration: { syncMode: SyncMode.PUSH, secretRef: { namespace: 'karmada-cluster', name: 'bj-1' } } },
        ...clusters().slice(1),
      ],
    }),
    rule: 'FP-REGISTRATION', path: PLATFORM, prop: 'clusters[0].registration', message: 'apiEndpoint',
  },
  {
    title: 'cluster registration in direct delivery mode',
    build: platformOnly({
      delivery: DeliveryMode.DIRECT,
      clusters: [{ ...clusters()[0], registration: { syncMode: SyncMode.PULL } }, ...clusters().slice(1)],
    }),
    rule: 'FP-REGISTRATION', path: PLATFORM, prop: 'clusters[].registration', message: 'karmada delivery mode',
  },

  // --- tenants ------------------------------------------------------------------------------------------
  {
    title: 'tenant namespace not a DNS-1123 label',
    build: tenantOnly({ namespace: 'Shop_Team' }),
    rule: 'K1', path: TENANT_PATH, prop: 'namespace', message: 'DNS-1123 label',
  },
  {
    title: 'tenant namespace reserved (kube-system)',
    build: tenantOnly({ namespace: 'kube-system' }),
    rule: 'K14', path: TENANT_PATH, prop: 'namespace', message: 'reserved',
  },
  {
    title: 'tenant clusters select an unknown cluster',
    build: tenantOnly({ clusters: { names: ['bj-1', 'gz-9'] } }),
    rule: 'K13', path: TENANT_PATH, prop: 'clusters', message: 'unknown cluster',
  },
  {
    title: 'quota with an invalid quantity',
    build: tenantOnly({ quota: { cpu: 'lots', memory: '64Gi' } }),
    rule: 'K8', path: TENANT_PATH, prop: 'quota.cpu', message: 'not a valid quota amount',
  },
  {
    title: 'LimitRange order violated (max memory below the default limit 256Mi)',
    build: tenantOnly({ containerLimits: { max: { memory: '128Mi' } } }),
    rule: 'K8', path: TENANT_PATH, prop: 'containerLimits.max.memory', message: 'min ≤ defaultRequest ≤ default ≤ max',
  },
  {
    title: 'federatedQuota perCluster exceeds overall',
    build: tenantOnly({ federatedQuota: { overall: { cpu: '10' }, perCluster: { 'bj-1': { cpu: '20' } } } }),
    rule: 'K8', path: TENANT_PATH, prop: "federatedQuota.perCluster['bj-1'].cpu", message: 'exceeds the overall quota',
  },

  // --- apps: identity, image, ports, env, config -------------------------------------------------------
  {
    title: 'app name with upper-case letters',
    build: webApp({ name: 'Web' }),
    rule: 'K1', path: APP_PATH, prop: 'name', message: 'DNS-1035 label',
  },
  {
    title: 'invalid image reference',
    build: webApp({ image: 'registry.example.com/Shop/Web:1.2.3' }),
    rule: 'FP-IMAGE', path: APP_PATH, prop: 'image', message: 'not a valid image reference',
  },
  {
    title: 'duplicate port names',
    build: webApp({ port: undefined, ports: [{ name: 'http', port: 8080 }, { name: 'http', port: 9090 }] }),
    rule: 'K3', path: APP_PATH, prop: 'ports[1].name', message: 'same name',
  },
  {
    title: 'port out of range',
    build: webApp({ port: undefined, ports: [{ name: 'http', port: 70000, servicePort: 80 }] }),
    rule: 'K3', path: APP_PATH, prop: 'ports[0].port', message: '1 to 65535',
  },
  {
    title: 'probe on an undeclared port',
    build: webApp({ readiness: Probe.http('/healthz', { port: 'metrics' }) }),
    rule: 'K3', path: APP_PATH, prop: 'readiness', message: 'does not declare',
  },
  {
    title: 'literal env var that looks like a secret',
    build: webApp({ env: { LOG_LEVEL: EnvValue.literal('info'), DB_PASSWORD: EnvValue.literal('hunter2') } }),
    rule: 'FP-ENV-SECRET', path: APP_PATH, prop: "env['DB_PASSWORD']", message: 'secret inlined as a literal',
  },
  {
    title: 'ConfigMap key that looks like a secret',
    build: webApp({ configMaps: { 'web-config': { 'app.yaml': 'debug: false\n', password: 'hunter2' } } }),
    rule: 'FP-ENV-SECRET', path: APP_PATH, prop: "configMaps['web-config']['password']", message: 'secret stored in a ConfigMap',
  },
  {
    title: 'storage on a Deployment',
    build: webApp({ storage: { size: '10Gi', mountPath: '/data' } }),
    rule: 'FP-STORAGE', path: APP_PATH, prop: 'storage', message: 'StatefulSet',
  },
  {
    title: 'StatefulSet name too long for its headless Service',
    build: webApp({ name: 'a'.repeat(55), kind: WorkloadKind.STATEFUL_SET }),
    rule: 'K1', path: APP_PATH, prop: 'name', message: 'headless Service',
  },
  {
    title: 'quota tracks limits.cpu but neither the app nor the platform default sets a cpu limit',
    build: webApp({}, { tenant: { quota: { limitsCpu: '10' } } }),
    rule: 'K8', path: APP_PATH, prop: 'resources.cpu.limit', message: 'tracks limits.cpu',
  },
  {
    title: 'two apps with the same name in a tenant',
    build: (app) => {
      const tenant = platformIn(app).addTenant(TENANT);
      new FederatedApp(tenant, 'a', { image: IMAGE, port: 8080, name: 'web' });
      new FederatedApp(tenant, 'b', { image: IMAGE, port: 8080, name: 'web' });
    },
    // Every object the second app emits (Deployment, Service, ServiceAccount, PDB, PropagationPolicy) collides.
    rule: 'FP-COLLISION', path: PLATFORM, prop: 'control-plane', message: 'two constructs emit the same object', count: 5,
  },

  // --- placement and distribution -----------------------------------------------------------------------
  {
    title: 'placement names an unknown cluster',
    build: webApp({ placement: Placement.clusters('bj-1', 'gz-9') }),
    rule: 'K13', path: APP_PATH, prop: 'placement.names[1]', message: 'unknown cluster',
  },
  {
    title: 'static weight 0 in Distribution.weighted',
    build: webApp({ replicas: 3, distribution: Distribution.weighted({ 'bj-1': 2, 'bj-2': 0, 'sh-1': 1 }) }),
    rule: 'K19', path: APP_PATH, prop: 'distribution.weights[1]', message: 'whole number ≥ 1',
  },
  {
    title: 'placement selects clusters outside the tenant',
    build: webApp({ placement: Placement.clusters('bj-1', 'sh-1') }, { tenant: { clusters: { regions: ['cn-north'] } } }),
    rule: 'FP-TENANT-CLUSTERS', path: APP_PATH, prop: 'placement', message: 'outside the tenant',
  },
  {
    title: 'spread by region where a candidate cluster has no region',
    build: (app) => {
      const [bj1, bj2, sh1] = clusters();
      const platform = new DistributedPlatform(app, PLATFORM, { clusters: [bj1, bj2, { ...sh1, region: undefined }] });
      new FederatedApp(platform.addTenant(TENANT), 'web', {
        image: IMAGE, port: 8080, placement: Placement.all().spread({ field: SpreadField.REGION }),
      });
    },
    rule: 'K17', path: APP_PATH, prop: 'placement.spread[0]', message: 'sh-1 have no region',
  },
  {
    title: 'spread minGroups greater than the distinct regions',
    build: webApp({ placement: Placement.all().spread({ field: SpreadField.REGION, minGroups: 3 }) }),
    rule: 'K17', path: APP_PATH, prop: 'placement.spread[0].minGroups', message: 'at most 2 distinct region',
  },
  {
    title: 'the same spread field twice',
    build: webApp({ placement: Placement.all().spread({ field: SpreadField.REGION }, { field: SpreadField.REGION }) }),
    rule: 'K16', path: APP_PATH, prop: 'placement.spread[1]', message: 'only once',
  },
  {
    title: 'duplicate fallback group names',
    build: webApp({
      placement: Placement.fallback({ name: 'primary', clusters: { names: ['bj-1'] } }, { name: 'primary', clusters: { names: ['bj-2'] } }),
    }),
    rule: 'K15', path: APP_PATH, prop: 'placement.groups[1].name', message: 'unique',
  },
  {
    title: 'Distribution.byCapacity() in direct mode',
    build: webApp({ replicas: 3, distribution: Distribution.byCapacity() }, DIRECT),
    rule: 'FP-DIRECT', path: APP_PATH, prop: 'distribution', message: 'direct delivery has no Karmada',
  },

  // --- replicas and autoscaling -------------------------------------------------------------------------
  {
    title: 'replicas and autoscaling both set',
    build: webApp({ replicas: 3, autoscaling: AUTOSCALING }),
    rule: 'K25', path: APP_PATH, prop: 'replicas', message: 'would fight over spec.replicas',
  },
  {
    title: 'autoscaling minReplicas 0',
    build: webApp({ autoscaling: { minReplicas: 0, maxReplicas: 6 } }),
    rule: 'K24', path: APP_PATH, prop: 'autoscaling.minReplicas', message: '≥ 1',
  },
  {
    title: 'autoscaling maxReplicas below minReplicas',
    build: webApp({ autoscaling: { minReplicas: 5, maxReplicas: 3 } }),
    rule: 'K24', path: APP_PATH, prop: 'autoscaling.maxReplicas', message: '≥ minReplicas (5)',
  },
  {
    title: 'bad cron schedule',
    build: webApp({ autoscaling: { ...AUTOSCALING, schedules: [{ name: 'up', schedule: '0 25 * * *', minReplicas: 4 }] } }),
    rule: 'K24', path: APP_PATH, prop: 'autoscaling.schedules[0].schedule', message: 'cron expression',
  },
  {
    title: 'bad schedule time zone',
    build: webApp({
      autoscaling: { ...AUTOSCALING, schedules: [{ name: 'up', schedule: '0 8 * * 1-5', minReplicas: 4, timeZone: 'Mars/Olympus_Mons' }] },
    }),
    rule: 'K24', path: APP_PATH, prop: 'autoscaling.schedules[0].timeZone', message: 'IANA time zone',
  },
  {
    title: 'duplicate schedule names',
    build: webApp({
      autoscaling: {
        ...AUTOSCALING,
        schedules: [
          { name: 'weekday', schedule: '0 8 * * 1-5', minReplicas: 4 },
          { name: 'weekday', schedule: '0 20 * * 1-5', minReplicas: 2 },
        ],
      },
    }),
    rule: 'K24', path: APP_PATH, prop: 'autoscaling.schedules[1].name', message: 'unique',
  },

  // --- failover -----------------------------------------------------------------------------------------
  {
    title: 'failover gracePeriod with PurgeMode.DIRECTLY',
    build: webApp({ failover: { purgeMode: PurgeMode.DIRECTLY, gracePeriod: Duration.minutes(5) } }),
    rule: 'K21', path: APP_PATH, prop: 'failover.gracePeriod', message: 'PurgeMode.GRACEFULLY',
  },
  {
    title: 'failover in direct mode',
    build: webApp({ failover: { toleration: Duration.minutes(2) } }, DIRECT),
    rule: 'FP-DIRECT', path: APP_PATH, prop: 'failover', message: 'direct delivery has no Karmada',
  },

  // --- overrides ----------------------------------------------------------------------------------------
  {
    title: 'override targeting an unknown cluster',
    build: webApp({ overrides: [{ clusters: { names: ['gz-9'] }, image: { tag: '1.2.4' } }] }),
    rule: 'K13', path: APP_PATH, prop: 'overrides[0].clusters', message: 'unknown cluster',
  },
  {
    title: 'override jsonPatch with an invalid pointer',
    build: webApp({
      overrides: [{ clusters: { names: ['bj-1'] }, jsonPatch: [{ op: 'add', path: 'spec/template/spec/nodeSelector', value: { disk: 'ssd' } }] }],
    }),
    rule: 'K23', path: APP_PATH, prop: 'overrides[0].jsonPatch[0].path', message: 'RFC 6901',
  },
  {
    title: 'override replicas with autoscaling',
    build: webApp({ autoscaling: AUTOSCALING, overrides: [{ clusters: { names: ['bj-1'] }, replicas: 4 }] }),
    rule: 'K25', path: APP_PATH, prop: 'overrides[0].replicas', message: 'autoscaler owns',
  },
  {
    title: 'two env overrides overlapping the same cluster',
    build: webApp({
      env: { LOG_LEVEL: EnvValue.literal('info') },
      overrides: [
        { clusters: { names: ['bj-1'] }, env: { LOG_LEVEL: 'warn' } },
        { clusters: { regions: ['cn-north'] }, env: { REGION_HINT: 'north' } },
      ],
    }),
    rule: 'FP-OVERRIDE', path: APP_PATH, prop: 'overrides[1].env', message: 'also sets env for bj-1',
  },

  // --- more of the same kinds of mistakes ---------------------------------------------------------------
  {
    title: 'tenant namespace reserved by Karmada (karmada-es-*)',
    build: tenantOnly({ namespace: 'karmada-es-bj-1' }),
    rule: 'K14', path: TENANT_PATH, prop: 'namespace', message: 'reserved',
  },
  {
    title: 'federatedQuota assigned to a cluster the tenant does not use',
    build: tenantOnly({ clusters: { regions: ['cn-north'] }, federatedQuota: { overall: { cpu: '10' }, perCluster: { 'sh-1': { cpu: '2' } } } }),
    rule: 'FP-TENANT-CLUSTERS', path: TENANT_PATH, prop: "federatedQuota.perCluster['sh-1']", message: 'does not use this cluster',
  },
  {
    title: 'federatedQuota without per-cluster assignments in direct mode',
    build: tenantOnly({ federatedQuota: { overall: { cpu: '10' } } }, { delivery: DeliveryMode.DIRECT }),
    rule: 'FP-DIRECT', path: TENANT_PATH, prop: 'federatedQuota', message: 'direct delivery has no Karmada',
  },
  {
    title: 'container name not a DNS-1123 label',
    build: webApp({ containerName: 'Main' }),
    rule: 'K1', path: APP_PATH, prop: 'containerName', message: 'DNS-1123 label',
  },
  {
    title: 'probe on the default "http" port of an app without ports',
    build: webApp({ port: undefined, readiness: Probe.http('/healthz') }),
    rule: 'K3', path: APP_PATH, prop: 'readiness', message: 'does not declare',
  },
  {
    title: 'resource request above its limit',
    build: webApp({ resources: { cpu: { request: '2', limit: '500m' } } }),
    rule: 'K8', path: APP_PATH, prop: 'resources.cpu.request', message: 'exceeds the limit',
  },
  {
    title: 'disruption budget with neither maxUnavailable nor minAvailable',
    build: webApp({ disruptionBudget: {} }),
    rule: 'K9', path: APP_PATH, prop: 'disruptionBudget', message: 'exactly one of maxUnavailable and minAvailable',
  },
  {
    title: 'exact counts that give no replica',
    build: webApp({ distribution: Distribution.exact({ 'bj-1': 0, 'bj-2': 0 }) }),
    rule: 'FP-REPLICAS', path: APP_PATH, prop: 'distribution', message: 'at least one replica',
  },
  {
    title: 'six-field (seconds) cron schedule',
    build: webApp({ autoscaling: { ...AUTOSCALING, schedules: [{ name: 'up', schedule: '0 0 8 * * *', minReplicas: 4 }] } }),
    rule: 'K24', path: APP_PATH, prop: 'autoscaling.schedules[0].schedule', message: 'cron expression',
  },
  {
    title: 'scaling schedules in direct mode',
    build: webApp({ autoscaling: { ...AUTOSCALING, schedules: [{ name: 'up', schedule: '0 8 * * 1-5', minReplicas: 4 }] } }, DIRECT),
    rule: 'FP-DIRECT', path: APP_PATH, prop: 'autoscaling.schedules', message: 'direct delivery has no Karmada',
  },
  {
    title: 'failover grace period of 0 seconds',
    build: webApp({ failover: { purgeMode: PurgeMode.GRACEFULLY, gracePeriod: Duration.seconds(0) } }),
    rule: 'K21', path: APP_PATH, prop: 'failover.gracePeriod', message: '> 0 seconds',
  },
  {
    title: 'override (map form) keyed by an unknown cluster',
    build: webApp({ overrides: { 'gz-9': { image: { tag: '1.2.4' } } } }),
    rule: 'K13', path: APP_PATH, prop: 'overrides[0].clusters', message: 'unknown cluster',
  },
  {
    title: 'override env var that looks like a secret',
    build: webApp({ overrides: [{ clusters: { names: ['bj-1'] }, env: { DB_PASSWORD: 'hunter2' } }] }),
    rule: 'FP-ENV-SECRET', path: APP_PATH, prop: "overrides[0].env['DB_PASSWORD']", message: 'secret inlined as a literal',
  },
  {
    title: 'two env overrides overlapping the same cluster (direct mode)',
    build: webApp({
      overrides: [
        { clusters: { names: ['bj-1'] }, env: { LOG_LEVEL: 'warn' } },
        { clusters: { names: ['bj-1', 'bj-2'] }, env: { REGION_HINT: 'north' } },
      ],
    }, DIRECT),
    rule: 'FP-OVERRIDE', path: APP_PATH, prop: 'overrides[1].env', message: 'also sets env for bj-1',
  },
];

// ---------------------------------------------------------------------------------------------------------
// Tests.

describe('baselines are valid (so each bad program is wrong in one way only)', () => {
  const baselines: Array<[string, (app: App) => void]> = [
    ['platform only', platformOnly({})],
    ['tenant', tenantOnly({ quota: { cpu: '10', memory: '64Gi' } })],
    ['karmada app', webApp({ readiness: Probe.http('/healthz'), env: { LOG_LEVEL: EnvValue.literal('info') } })],
    ['direct app', webApp({ replicas: 3, distribution: Distribution.weighted({ 'bj-1': 2, 'sh-1': 1 }) }, DIRECT)],
    ['autoscaled app with schedules and overrides', webApp({
      autoscaling: { ...AUTOSCALING, schedules: [{ name: 'up', schedule: '0 8 * * 1-5', minReplicas: 4, timeZone: 'Asia/Shanghai' }] },
      overrides: [{ clusters: { names: ['bj-1'] }, env: { LOG_LEVEL: 'warn' } }],
    })],
    ['stateful app with storage and failover', webApp({
      kind: WorkloadKind.STATEFUL_SET, storage: { size: '10Gi', mountPath: '/data' },
      failover: { purgeMode: PurgeMode.GRACEFULLY, gracePeriod: Duration.minutes(5) },
    })],
    ['spread by region', webApp({ placement: Placement.all().spread({ field: SpreadField.REGION, minGroups: 2 }) })],
  ];
  test.each(baselines)('%s synthesizes', (_title, build) => {
    const dir = tmpDir();
    const app = new App({ outdir: dir });
    build(app);
    app.synth();
    expect(yamlFiles(dir).length).toBeGreaterThan(0);
  });
});

describe('bad input is rejected with a PlatformValidationError and nothing is written', () => {
  test('the table has at least 28 programs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(28);
  });

  test.each(cases)('$title → $rule $prop', ({ build, rule, path: at, prop, message, count }) => {
    const { error, dir } = synthError(build);
    const errors = errorsOf(error);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ severity: Severity.ERROR, rule, path: at, prop, message: expect.stringContaining(message) }),
      ]),
    );
    // Wrong in one way: that one mistake is the only error reported.
    expect(errors.map((p) => `${p.rule} ${p.prop}`)).toEqual(expect.arrayContaining([`${rule} ${prop}`]));
    expect(errors.every((p) => p.rule === rule)).toBe(true);
    expect(errors).toHaveLength(count ?? 1);
    // Every problem tells how to fix it.
    for (const p of errors) expect(p.fix.length).toBeGreaterThan(0);
    expect(yamlFiles(dir)).toEqual([]);
  });
});

describe('error reporting', () => {
  test('three different errors are reported together in one PlatformValidationError', () => {
    const { error, dir } = synthError((app) => {
      // 1. platform: duplicate cluster name
      const platform = platformIn(app, { clusters: [...clusters(), { name: 'sh-1', region: 'cn-south' }] });
      // 2. tenant: reserved namespace
      const tenant = platform.addTenant(TENANT, { namespace: 'kube-system' });
      // 3. app: port out of range
      new FederatedApp(tenant, 'web', { image: IMAGE, ports: [{ name: 'http', port: 0, servicePort: 80 }] });
    });
    const errors = errorsOf(error);
    expect(errors).toHaveLength(3);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'K13', path: PLATFORM, prop: 'clusters[3].name' }),
        expect.objectContaining({ rule: 'K14', path: TENANT_PATH, prop: 'namespace' }),
        expect.objectContaining({ rule: 'K3', path: APP_PATH, prop: 'ports[0].port' }),
      ]),
    );
    expect(error.message).toContain('3 error(s)');
    expect(yamlFiles(dir)).toEqual([]);
  });

  test('the message names the construct path, the prop, the bad value and the fix', () => {
    const { error } = synthError(webApp({ port: undefined, ports: [{ name: 'http', port: 70000, servicePort: 80 }] }));
    expect(error.name).toBe('PlatformValidationError');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain(APP_PATH);
    expect(error.message).toContain('ports[0].port');
    expect(error.message).toContain('70000');
    expect(error.message).toContain('Fix:');
    expect(error.message).toContain('K3');
    // The line reads: [path] prop = value: message Fix: fix (severity rule)
    expect(error.message).toMatch(/\[prod\/shop\/web\] ports\[0\]\.port = 70000: .+ Fix: .+ \(error K3\)/);
  });

  test('a secret inlined as a literal is not echoed in the error', () => {
    const { error } = synthError(webApp({ env: { API_TOKEN: EnvValue.literal('s3cr3t-value-42') } }));
    expect(errorsOf(error)).toEqual([expect.objectContaining({ rule: 'FP-ENV-SECRET', prop: "env['API_TOKEN']" })]);
    expect(error.message).not.toContain('s3cr3t-value-42');
    expect(JSON.stringify(error.problems)).not.toContain('s3cr3t-value-42');
  });
});

describe('JavaScript callers', () => {
  // Props a JavaScript caller can get wrong that the types would have caught: still one typed error.
  const jsCases: Array<{ title: string; build: (app: App) => void; rule: string; path: string; prop: string }> = [
    {
      title: 'undefined DistributedPlatform props',
      build: (app) => { new DistributedPlatform(app, PLATFORM, undefined as any); },
      rule: 'FP-CLUSTERS', path: PLATFORM, prop: 'clusters',
    },
    {
      title: 'a cluster without a name',
      build: platformOnly({ clusters: [...clusters(), {} as any] }),
      rule: 'K13', path: PLATFORM, prop: 'clusters[3].name',
    },
    {
      title: 'an unknown sync mode',
      build: platformOnly({ clusters: [{ ...clusters()[0], registration: { syncMode: 'push' as any } }, ...clusters().slice(1)] }),
      rule: 'FP-REGISTRATION', path: PLATFORM, prop: 'clusters[0].registration.syncMode',
    },
    {
      title: 'a number as image',
      build: webApp({ image: 42 as any }),
      rule: 'FP-IMAGE', path: APP_PATH, prop: 'image',
    },
    {
      title: 'a plain string as env value',
      build: webApp({ env: { LOG_LEVEL: 'info' as any } }),
      rule: 'FP-ENV', path: APP_PATH, prop: "env['LOG_LEVEL']",
    },
    {
      title: 'an override without clusters (direct mode)',
      build: webApp({ overrides: [{ image: { tag: '1.2.4' } } as any] }, DIRECT),
      rule: 'FP-OVERRIDE', path: APP_PATH, prop: 'overrides[0]',
    },
  ];
  test.each(jsCases)('$title → $rule $prop', ({ build, rule, path: at, prop }) => {
    const { error, dir } = synthError(build);
    expect(errorsOf(error)).toEqual([expect.objectContaining({ rule, path: at, prop })]);
    expect(yamlFiles(dir)).toEqual([]);
  });

  test('undefined FederatedApp props give a PlatformValidationError, never a TypeError', () => {
    const { error, dir } = synthError((app) => {
      const tenant = platformIn(app).addTenant(TENANT);
      new FederatedApp(tenant, 'web', undefined as any);
    });
    expect(errorsOf(error)).toEqual([expect.objectContaining({ rule: 'FP-IMAGE', path: APP_PATH, prop: 'image', value: undefined })]);
    expect(yamlFiles(dir)).toEqual([]);
  });

  test('undefined FederatedApp props in direct mode give a PlatformValidationError, never a TypeError', () => {
    const { error, dir } = synthError((app) => {
      const tenant = platformIn(app, { delivery: DeliveryMode.DIRECT }).addTenant(TENANT);
      new FederatedApp(tenant, 'web', undefined as any);
    });
    expect(errorsOf(error)).toEqual([expect.objectContaining({ rule: 'FP-IMAGE', path: APP_PATH, prop: 'image' })]);
    expect(yamlFiles(dir)).toEqual([]);
  });
});

describe('construct scope', () => {
  test.each([
    ['FederatedApp', 'a FederatedApp'],
    ['EdgeApp', 'an EdgeApp'],
    ['BatchQueue', 'a BatchQueue'],
  ])('%s created outside a tenant is FP-SCOPE', (kind, phrase) => {
    const api = require('../index');
    const { error } = synthError((app) => {
      const platform = platformIn(app);
      platform.addTenant(TENANT);
      new api[kind](platform, 'x', { image: IMAGE, nodeGroups: [] });
    });
    const scope = errorsOf(error).filter((p) => p.rule === 'FP-SCOPE');
    expect(scope).toEqual([expect.objectContaining({ path: `${PLATFORM}/x`, prop: 'scope' })]);
    expect(scope[0].message).toBe(`${phrase} must be created inside a Tenant.`);
  });
});

describe('props of the wrong JavaScript shape are one FP-INPUT problem on the real prop, never a TypeError', () => {
  const { BatchJob, BatchQueue, EdgeApp, MultiClusterIngress } = require('../index');
  test.each([
    ['ports as a string', webApp({ ports: 'http' as any }), 'ports'],
    ['slos as an object', webApp({ slos: {} as any }), 'slos'],
    ['env as a string', webApp({ env: 'LOG=1' as any }), 'env'],
    ['a plain-object placement', webApp({ placement: { names: ['bj-1'] } as any }), 'placement'],
    ['a string distribution', webApp({ distribution: 'evenly' as any }), 'distribution'],
  ])('FederatedApp: %s', (_title, build, prop) => {
    const { error } = synthError(build);
    const input = errorsOf(error).filter((p) => p.rule === 'FP-INPUT');
    expect(input).toEqual([expect.objectContaining({ path: APP_PATH, prop })]);
  });

  test.each([
    ['BatchJob tasks as an object', (app: App) => {
      const tenant = platformIn(app).addTenant(TENANT);
      new BatchJob(tenant, 'train', { queue: new BatchQueue(tenant, 'q'), tasks: {} as any });
    }, 'tasks', `${TENANT_PATH}/train`],
    ['EdgeApp nodeGroups as a string', (app: App) => {
      const tenant = platformIn(app).addTenant(TENANT);
      new EdgeApp(tenant, 'video', { image: IMAGE, nodeGroups: 'all' as any });
    }, 'nodeGroups', `${TENANT_PATH}/video`],
    ['MultiClusterIngress rules as an object', (app: App) => {
      const tenant = platformIn(app).addTenant(TENANT);
      new MultiClusterIngress(tenant, 'edge', { rules: { host: 'shop.example.com' } as any });
    }, 'rules', `${TENANT_PATH}/edge`],
  ])('%s', (_title, build, prop, at) => {
    const { error } = synthError(build);
    expect(errorsOf(error).filter((p) => p.rule === 'FP-INPUT')).toEqual([expect.objectContaining({ path: at, prop })]);
  });
});

describe('accepted silently before, refused or warned now', () => {
  const { BatchJob, BatchQueue } = require('../index');
  test.each([
    ['a numeric env literal (schema-invalid output)', webApp({ env: { PORT: EnvValue.literal(123 as any) } }), 'FP-ENV', "env['PORT']"],
    ['a negative maxUnavailable', webApp({ disruptionBudget: { maxUnavailable: -1 } }), 'K9', 'disruptionBudget.maxUnavailable'],
    ['a budget over 100%', webApp({ disruptionBudget: { maxUnavailable: '150%' } }), 'K9', 'disruptionBudget.maxUnavailable'],
    ['exact counts naming a cluster outside the placement', webApp({ placement: Placement.clusters('bj-1'), distribution: Distribution.exact({ 'bj-1': 2, 'bj-2': 3 }) }), 'FP-REPLICAS', "distribution.counts['bj-2']"],
  ])('%s', (_title, build, rule, prop) => {
    const { error } = synthError(build);
    expect(errorsOf(error)).toEqual([expect.objectContaining({ rule, prop })]);
  });

  test('a batch job whose tasks have no replica at all', () => {
    const { error } = synthError((app: App) => {
      const tenant = platformIn(app).addTenant(TENANT);
      new BatchJob(tenant, 'train', { queue: new BatchQueue(tenant, 'q'), tasks: [{ name: 'worker', replicas: 0, image: IMAGE }] });
    });
    expect(errorsOf(error)).toEqual([expect.objectContaining({ rule: 'K47', prop: 'tasks' })]);
  });

  test('a :latest image warns (mutable tag), and still synthesizes', () => {
    const app = new App({ outdir: require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'fp-latest-')) });
    webApp({ image: 'registry.example.com/shop/web:latest' })(app);
    const platform = app.node.findAll().find((c) => c instanceof DistributedPlatform) as DistributedPlatform;
    expect(platform.problems()).toEqual([expect.objectContaining({ severity: Severity.WARNING, rule: 'FP-IMAGE', prop: 'image' })]);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('duplicate ids and names are typed problems, reported with the rest', () => {
  test('two apps with one id in a tenant: FP-DUPLICATE on the tenant, and the other errors still reported', () => {
    const { error, dir } = synthError((app) => {
      const tenant = platformIn(app).addTenant(TENANT);
      new FederatedApp(tenant, 'web', { image: IMAGE, port: 8080 });
      new FederatedApp(tenant, 'web', { image: IMAGE, port: 70000 });
    });
    expect(errorsOf(error)).toEqual(expect.arrayContaining([
      expect.objectContaining({ rule: 'FP-DUPLICATE', path: TENANT_PATH, prop: 'id', value: 'web' }),
      expect.objectContaining({ rule: 'K3', path: `${TENANT_PATH}/web~2`, prop: 'port.port' }),
    ]));
    expect(yamlFiles(dir)).toEqual([]);
  });

  test('two tenants with one id', () => {
    const { error } = synthError((app) => {
      const platform = platformIn(app);
      platform.addTenant(TENANT);
      platform.addTenant(TENANT);
    });
    expect(errorsOf(error)).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'FP-DUPLICATE', path: PLATFORM, prop: 'id', value: TENANT })]));
  });

  test('two platforms with one name: FP-DUPLICATE on name, never the constructs library\'s plain Error', () => {
    const { error } = synthError((app) => {
      platformIn(app);
      new DistributedPlatform(app, 'other', { name: PLATFORM, clusters: clusters() });
    });
    expect(errorsOf(error)).toEqual([expect.objectContaining({ rule: 'FP-DUPLICATE', path: 'other', prop: 'name', value: PLATFORM })]);
  });

  test('two platforms with one construct id', () => {
    const { error } = synthError((app) => {
      platformIn(app);
      new DistributedPlatform(app, PLATFORM, { name: 'second', clusters: clusters() });
    });
    expect(errorsOf(error)).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'FP-DUPLICATE', path: '', prop: 'id', value: PLATFORM })]));
  });
});
