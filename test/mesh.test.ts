// The Istio mesh, asserted by value (domain reference §2 and §8 rules 5, 12, 28-39): the platform's per-cluster
// mesh install objects, meshed tenants, MeshedService traffic management, locality, ingress, zero-trust access,
// egress scoping, config placement on primaries, bad inputs, and strict schema validation of everything emitted.
process.env.FLEETPLANE_QUIET = '1';

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration } from 'cdk8s';
import {
  DeliveryMode, DistributedPlatform, DistributedPlatformProps, FederatedApp, FederatedAppProps, LABEL_TRACK,
  LoadBalancer, LocalityFailover, MemberClusterProps, MeshCaller, MeshProps, MeshedService, MeshedServiceProps,
  MtlsMode, Placement, PodSecurityLevel, Problem, Severity, Tenant, TenantProps, Traffic,
} from '../index';
import { Output, all, synth } from './support/synth';
import { SchemaValidator, formatIssues } from './support/schema-validator';
import { pick, every, problemsOf, yamlFiles, synthError } from './support/fixtures';

// ---------------------------------------------------------------------------------------------------------
// Fixtures: three clusters on two networks; bj-1 and sh-1 are primaries, gz-1 is a remote.

const PLATFORM = 'prod';
const CP = `${PLATFORM}-control-plane.k8s.yaml`;
const fileOf = (cluster: string) => `${PLATFORM}-cluster-${cluster}.k8s.yaml`;
const MODES = [DeliveryMode.KARMADA, DeliveryMode.DIRECT];
const PRIMARIES = ['bj-1', 'sh-1'];
const REMOTE = 'gz-1';

const CLUSTERS: MemberClusterProps[] = [
  { name: 'bj-1', region: 'cn-north', zones: ['cn-north-1a'], provider: 'huaweicloud', network: 'net-north', podCidr: '10.1.0.0/16', eastWestGateway: { address: '198.51.100.1' } },
  { name: 'sh-1', region: 'cn-east', zones: ['cn-east-1a'], provider: 'alicloud', network: 'net-east', podCidr: '10.2.0.0/16', eastWestGateway: { address: '198.51.100.2' } },
  { name: 'gz-1', region: 'cn-south', zones: ['cn-south-1a'], provider: 'alicloud', network: 'net-east', podCidr: '10.3.0.0/16', eastWestGateway: { address: '198.51.100.3' } },
];
const FLAT: MemberClusterProps[] = CLUSTERS.map((c) => ({ ...c, network: 'flat' }));
const MESH: MeshProps = { meshId: 'shop-mesh', istioCni: true, primaries: PRIMARIES };

const image = (name: string) => `registry.example.com/shop/${name}:1.0.0`;
const sel = (app: string, ns = 'shop') => ({ 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': `${ns}-${app}` });
const fqdn = (app: string, ns = 'shop') => `${app}.${ns}.svc.cluster.local`;
const nsSel = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });
const EAST_WEST_PEER = { namespaceSelector: nsSel('istio-system'), podSelector: { matchLabels: { istio: 'eastwestgateway' } } };
// sh-1 and gz-1 share net-east: their pods reach each other directly, seen by address (pod CIDR).
// In cluster-name order (gz-1, sh-1): declaration order carries no meaning.
const NET_EAST_PODS = [{ ipBlock: { cidr: '10.3.0.0/16' } }, { ipBlock: { cidr: '10.2.0.0/16' } }];
/** The flat-network peers a policy written for `mode` lists (one karmada object covers net-east too; bj-1's own does not). */
const flatPeers = (mode: DeliveryMode, file?: string) => (mode === DeliveryMode.KARMADA || (file && !file.includes('bj-1')) ? NET_EAST_PODS : []);

function meshPlatform(app: App, delivery: DeliveryMode, props: Partial<DistributedPlatformProps> = {}): DistributedPlatform {
  return new DistributedPlatform(app, PLATFORM, { clusters: CLUSTERS, delivery, mesh: MESH, ...props });
}

/** The app `web`: version v1 with a canary v2, one `http` port. */
function webApp(tenant: Tenant, props: Partial<FederatedAppProps> = {}): FederatedApp {
  return new FederatedApp(tenant, 'web', { image: image('web'), version: 'v1', port: 8080, canary: { version: 'v2' }, ...props });
}

function plainApp(tenant: Tenant, name: string, props: Partial<FederatedAppProps> = {}): FederatedApp {
  return new FederatedApp(tenant, name, { image: image(name), version: 'v1', port: 8080, ...props });
}

/** Where a tenant's or service's objects for a primary are: the control plane, or bj-1's own output. */
const home = (mode: DeliveryMode) => (mode === DeliveryMode.KARMADA ? CP : fileOf('bj-1'));

const isIstio = (o: any) => /\.istio\.io\//.test(o.apiVersion);
const key = (o: { apiVersion: string; kind: string; name?: string; metadata?: { name: string } }) => `${o.apiVersion} ${o.kind} ${o.name ?? o.metadata!.name}`;
const selectorKeys = (pp: any) => pp.spec.resourceSelectors.map(key);

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-mesh-'));
}

const errorsOf = (problems: readonly Problem[]) => problems.filter((p) => p.severity === Severity.ERROR);
const warningsOf = (problems: readonly Problem[]) => problems.filter((p) => p.severity === Severity.WARNING);

// ---------------------------------------------------------------------------------------------------------
// 1. The platform mesh: per-cluster install objects and Helm values.

describe.each(MODES)('platform mesh (%s mode)', (mode) => {
  let out: Output;
  beforeAll(() => {
    out = synth((app) => {
      meshPlatform(app, mode);
    });
  });

  test('every mesh cluster has its own output, also in karmada mode', () => {
    const expected = CLUSTERS.map((c) => fileOf(c.name));
    if (mode === DeliveryMode.KARMADA) expected.push(CP);
    expect(Object.keys(out).sort()).toEqual(expected.sort());
  });

  test('istio-system is privileged and labelled with the cluster network, in each cluster output', () => {
    for (const c of CLUSTERS) {
      const ns = pick(out, 'Namespace', 'istio-system', { file: fileOf(c.name) });
      expect(ns.metadata.namespace).toBeUndefined();
      expect(ns.metadata.labels).toMatchObject({
        'pod-security.kubernetes.io/enforce': 'privileged',
        'topology.istio.io/network': c.network,
        'fleetplane.io/platform': PLATFORM,
      });
    }
    if (mode === DeliveryMode.KARMADA) expect(every(out, 'Namespace', 'istio-system', { file: CP })).toEqual([]);
  });

  test('a mesh-wide STRICT PeerAuthentication in istio-system on primaries only', () => {
    for (const c of PRIMARIES) {
      const pa = pick(out, 'PeerAuthentication', 'default', { file: fileOf(c), ns: 'istio-system' });
      expect(pa.apiVersion).toBe('security.istio.io/v1');
      expect(pa.spec).toEqual({ mtls: { mode: 'STRICT' } });
    }
    expect(out[fileOf(REMOTE)].filter((o) => o.kind === 'PeerAuthentication')).toEqual([]);
  });

  test('on a multi-network mesh every cluster gets the cross-network gateway', () => {
    for (const c of CLUSTERS) {
      const gw = pick(out, 'Gateway', 'cross-network-gateway', { file: fileOf(c.name), ns: 'istio-system' });
      expect(gw.apiVersion).toBe('networking.istio.io/v1');
      expect(gw.spec).toEqual({
        selector: { istio: 'eastwestgateway' },
        servers: [{ port: { number: 15443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts: ['*.local'] }],
      });
    }
  });

  test('on a single-network mesh there is no cross-network gateway', () => {
    const flat = synth((app) => {
      meshPlatform(app, mode, { clusters: FLAT });
    });
    expect(all(flat).filter((o) => o.kind === 'Gateway' && o.metadata.name === 'cross-network-gateway')).toEqual([]);
    for (const c of FLAT) {
      expect(pick(flat, 'Namespace', 'istio-system', { file: fileOf(c.name) }).metadata.labels['topology.istio.io/network']).toBe('flat');
    }
  });

  test('only the selected clusters are in the mesh', () => {
    const part = synth((app) => {
      meshPlatform(app, mode, { mesh: { ...MESH, clusters: { names: PRIMARIES } } });
    });
    for (const c of PRIMARIES) pick(part, 'Namespace', 'istio-system', { file: fileOf(c) });
    if (mode === DeliveryMode.KARMADA) expect(part[fileOf(REMOTE)]).toBeUndefined();
    else expect(every(part, 'Namespace', 'istio-system', { file: fileOf(REMOTE) })).toEqual([]);
  });
});

describe('mesh install values and mTLS mode', () => {
  test('meshInstallValues gives meshID, clusterName, network, CNI and trust domain per cluster', () => {
    const platform = meshPlatform(new App(), DeliveryMode.KARMADA, { mesh: { ...MESH, trustDomain: 'corp.example' } });
    for (const c of CLUSTERS) {
      expect(platform.meshInstallValues(c.name)).toEqual({
        // The remote gz-1 (net-east) takes its configuration from sh-1, the primary on its network.
        global: { meshID: 'shop-mesh', multiCluster: { clusterName: c.name }, network: c.network, remotePilotAddress: c.name === REMOTE ? '198.51.100.2' : undefined },
        pilot: { cni: { enabled: true } },
        meshConfig: { trustDomain: 'corp.example' },
      });
    }
    expect(platform.meshInstallValues('gz-9')).toBeUndefined();
  });

  test('a primary serving remotes exposes istiod on its east-west gateway (15012, 15017); other clusters do not', () => {
    for (const mode of MODES) {
      const out = synth((app) => { meshPlatform(app, mode); });
      const of = (c: string) => out[fileOf(c)].filter((o) => o.metadata.namespace === 'istio-system' && ['istiod-gateway', 'istiod-vs'].includes(o.metadata.name));
      expect(of('bj-1')).toEqual([]);
      expect(of(REMOTE)).toEqual([]);
      const [gateway, vs] = of('sh-1');
      expect(gateway.spec.servers.map((x: any) => [x.port.number, x.tls.mode])).toEqual([[15012, 'PASSTHROUGH'], [15017, 'PASSTHROUGH']]);
      expect(vs.spec.tls.map((r: any) => [r.match[0].port, r.route[0].destination.port.number, r.route[0].destination.host])).toEqual([
        [15012, 15012, 'istiod.istio-system.svc.cluster.local'], [15017, 443, 'istiod.istio-system.svc.cluster.local'],
      ]);
    }
  });

  test('remotes whose primary declares no single east-west gateway address are refused (rule 12), naming the prop', () => {
    for (const address of [undefined, '198.51.100.0/24']) {
      const clusters = CLUSTERS.map((c) => (c.name === 'sh-1' ? { ...c, eastWestGateway: address ? { address } : undefined } : c));
      const problems = meshPlatform(new App(), DeliveryMode.DIRECT, { clusters }).problems().filter((x) => x.severity === 'error');
      expect(problems.map((x) => `${x.rule} ${x.prop} ${x.value}`)).toEqual([`K12 clusters[name=sh-1].eastWestGateway ${address}`]);
      expect(problems[0].message).toContain('gz-1');
    }
  });

  test('without Istio CNI there are no pilot values; the network defaults to the cluster name', () => {
    const platform = new DistributedPlatform(new App(), PLATFORM, {
      clusters: [{ name: 'bj-1', region: 'cn-north' }, { name: 'sh-1', region: 'cn-east' }],
      mesh: { meshId: 'm1' },
    });
    expect(platform.meshInstallValues('sh-1')).toEqual({
      global: { meshID: 'm1', multiCluster: { clusterName: 'sh-1' }, network: 'sh-1' },
      meshConfig: { trustDomain: 'cluster.local' },
    });
    expect(platform.meshInstallValues('sh-1')!.pilot).toBeUndefined();
    expect(platform.mesh!.multiNetwork).toBe(true);
  });

  test('a platform without a mesh has no install values', () => {
    const platform = new DistributedPlatform(new App(), PLATFORM, { clusters: CLUSTERS });
    expect(platform.meshInstallValues('bj-1')).toBeUndefined();
  });

  test('mtls PERMISSIVE is a K35 warning and is written into the PeerAuthentications', () => {
    const app = new App({ outdir: tmpDir() });
    const platform = meshPlatform(app, DeliveryMode.KARMADA, { mesh: { ...MESH, mtls: MtlsMode.PERMISSIVE } });
    platform.addTenant('shop');
    const problems = platform.problems();
    expect(errorsOf(problems)).toEqual([]);
    expect(warningsOf(problems)).toEqual([
      expect.objectContaining({ rule: 'K35', path: PLATFORM, prop: 'mesh.mtls', value: 'PERMISSIVE' }),
    ]);
    const out = synth((a) => {
      meshPlatform(a, DeliveryMode.KARMADA, { mesh: { ...MESH, mtls: MtlsMode.PERMISSIVE } }).addTenant('shop');
    });
    expect(pick(out, 'PeerAuthentication', 'default', { file: fileOf('bj-1'), ns: 'istio-system' }).spec).toEqual({ mtls: { mode: 'PERMISSIVE' } });
    expect(pick(out, 'PeerAuthentication', 'default', { ns: 'shop' }).spec).toEqual({ mtls: { mode: 'PERMISSIVE' } });
  });

  test('mtls STRICT (the default) gives no warning', () => {
    const problems = problemsOf((app) => {
      const p = meshPlatform(app, DeliveryMode.KARMADA);
      p.addTenant('shop');
      return p;
    });
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// 2. Meshed tenants.

describe.each(MODES)('meshed tenant (%s mode)', (mode) => {
  let out: Output;
  beforeAll(() => {
    out = synth((app) => {
      const p = meshPlatform(app, mode);
      p.addTenant('shop');
      p.addTenant('legacy', { mesh: false });
    });
  });
  const tenantFiles = () => (mode === DeliveryMode.KARMADA ? [CP] : CLUSTERS.map((c) => fileOf(c.name)));

  test('the namespace has istio-injection=enabled and no revision label', () => {
    for (const f of tenantFiles()) {
      const labels = pick(out, 'Namespace', 'shop', { file: f }).metadata.labels;
      expect(labels['istio-injection']).toBe('enabled');
      expect(labels).not.toHaveProperty('istio.io/rev');
      expect(labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    }
  });

  test('STRICT PeerAuthentication, deny-all AuthorizationPolicy with an empty spec', () => {
    const pa = pick(out, 'PeerAuthentication', 'default', { file: home(mode), ns: 'shop' });
    expect(pa.apiVersion).toBe('security.istio.io/v1');
    expect(pa.spec).toEqual({ mtls: { mode: 'STRICT' } });
    const deny = pick(out, 'AuthorizationPolicy', 'deny-all', { file: home(mode), ns: 'shop' });
    expect(deny.apiVersion).toBe('security.istio.io/v1');
    expect(deny.spec).toEqual({});
  });

  test('allow-istiod NetworkPolicy opens egress to istiod on TCP 15012 (rule 12), wherever the tenant is', () => {
    for (const f of tenantFiles()) {
      // The remote gz-1's sidecars reach sh-1's istiod through sh-1's east-west gateway: that one address, never
      // 0.0.0.0/0 (in direct mode only gz-1's own policy; one karmada policy covers every tenant cluster).
      const remote = mode === DeliveryMode.KARMADA || f === fileOf(REMOTE);
      expect(pick(out, 'NetworkPolicy', 'allow-istiod', { file: f, ns: 'shop' }).spec).toEqual({
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: [
            { namespaceSelector: nsSel('istio-system'), podSelector: { matchLabels: { app: 'istiod' } } },
            ...(remote ? [{ ipBlock: { cidr: '198.51.100.2/32' } }] : []),
          ],
          ports: [{ protocol: 'TCP', port: 15012 }],
        }],
      });
      // The DNS allow rule is there too.
      pick(out, 'NetworkPolicy', 'allow-dns', { file: f, ns: 'shop' });
    }
  });

  if (mode === DeliveryMode.KARMADA) {
    test('tenant-mesh PropagationPolicy places the Istio objects on the tenant primaries', () => {
      const pp = pick(out, 'PropagationPolicy', 'tenant-mesh', { ns: 'shop' });
      expect(pp.spec.resourceSelectors).toEqual([
        { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', name: 'default' },
        { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', name: 'deny-all' },
      ]);
      expect(pp.spec.placement).toEqual({ clusterAffinity: { clusterNames: PRIMARIES }, replicaScheduling: { replicaSchedulingType: 'Duplicated' } });
      // allow-istiod is part of the baseline, on every tenant cluster.
      const baseline = pick(out, 'PropagationPolicy', 'tenant-baseline', { ns: 'shop' });
      expect(selectorKeys(baseline)).toContain('networking.k8s.io/v1 NetworkPolicy allow-istiod');
      expect(baseline.spec.placement.clusterAffinity.clusterNames).toEqual(CLUSTERS.map((c) => c.name).sort());
    });

    test('the tenant-mesh placement is the tenant primaries, not the mesh primaries', () => {
      const o = synth((app) => {
        meshPlatform(app, mode).addTenant('shop', { clusters: { names: ['sh-1', 'gz-1'] } });
      });
      expect(pick(o, 'PropagationPolicy', 'tenant-mesh', { ns: 'shop' }).spec.placement.clusterAffinity.clusterNames).toEqual(['sh-1']);
    });
  } else {
    test('the Istio objects are only in primary cluster outputs', () => {
      for (const c of PRIMARIES) {
        pick(out, 'PeerAuthentication', 'default', { file: fileOf(c), ns: 'shop' });
        pick(out, 'AuthorizationPolicy', 'deny-all', { file: fileOf(c), ns: 'shop' });
      }
      expect(out[fileOf(REMOTE)].filter((o) => isIstio(o) && o.metadata.namespace === 'shop')).toEqual([]);
      pick(out, 'Namespace', 'shop', { file: fileOf(REMOTE) });
      expect(all(out).filter((o) => o.kind === 'PropagationPolicy')).toEqual([]);
    });
  }

  test('mesh: false removes injection, PeerAuthentication, deny-all, allow-istiod and tenant-mesh', () => {
    for (const f of tenantFiles()) {
      const labels = pick(out, 'Namespace', 'legacy', { file: f }).metadata.labels;
      expect(labels).not.toHaveProperty('istio-injection');
      expect(labels).not.toHaveProperty('istio.io/rev');
    }
    const legacy = all(out).filter((o) => o.metadata.namespace === 'legacy');
    expect(legacy.filter(isIstio)).toEqual([]);
    expect(legacy.filter((o) => o.metadata.name === 'allow-istiod' || o.metadata.name === 'tenant-mesh')).toEqual([]);
    // It still has its default-deny baseline.
    expect(legacy.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny').length).toBeGreaterThan(0);
  });

  test('mesh.revision labels namespaces istio.io/rev instead of istio-injection (never both)', () => {
    const o = synth((app) => {
      meshPlatform(app, mode, { mesh: { ...MESH, revision: '1-24' } }).addTenant('shop');
    });
    for (const ns of every(o, 'Namespace', 'shop')) {
      expect(ns.metadata.labels['istio.io/rev']).toBe('1-24');
      expect(ns.metadata.labels).not.toHaveProperty('istio-injection');
    }
    expect(every(o, 'Namespace', 'shop').length).toBe(mode === DeliveryMode.KARMADA ? 1 : 3);
  });

  test('tenant telemetry becomes a Telemetry object placed with the mesh objects', () => {
    const o = synth((app) => {
      meshPlatform(app, mode).addTenant('shop', { telemetry: { tracingSampling: 5, accessLogging: true } });
    });
    const t = pick(o, 'Telemetry', 'default', { file: home(mode), ns: 'shop' });
    expect(t.apiVersion).toBe('telemetry.istio.io/v1');
    expect(t.spec).toEqual({ tracing: [{ randomSamplingPercentage: 5 }], accessLogging: [{ providers: [{ name: 'envoy' }], disabled: false }] });
    if (mode === DeliveryMode.KARMADA) {
      expect(selectorKeys(pick(o, 'PropagationPolicy', 'tenant-mesh', { ns: 'shop' }))).toContain('telemetry.istio.io/v1 Telemetry default');
    } else {
      expect(every(o, 'Telemetry', 'default', { file: fileOf(REMOTE) })).toEqual([]);
    }
  });
});

describe('Pod Security vs sidecars (rule K35)', () => {
  const noCni: MeshProps = { meshId: 'shop-mesh', primaries: PRIMARIES };

  test.each(MODES)('%s: a restricted meshed tenant without Istio CNI is an error on podSecurity', (mode) => {
    const { error, dir } = synthError((app) => {
      meshPlatform(app, mode, { mesh: noCni }).addTenant('shop');
    });
    expect(errorsOf(error.problems)).toEqual([
      expect.objectContaining({ rule: 'K35', path: `${PLATFORM}/shop`, prop: 'podSecurity', value: 'restricted' }),
    ]);
    expect(yamlFiles(dir)).toEqual([]);
  });

  test('a baseline meshed tenant without Istio CNI is an error too', () => {
    const problems = problemsOf((app) => {
      const p = meshPlatform(app, DeliveryMode.KARMADA, { mesh: noCni });
      p.addTenant('shop', { podSecurity: PodSecurityLevel.BASELINE });
      return p;
    });
    expect(errorsOf(problems)).toEqual([expect.objectContaining({ rule: 'K35', prop: 'podSecurity', value: 'baseline' })]);
  });

  test('mesh: false on the tenant avoids the error', () => {
    const problems = problemsOf((app) => {
      const p = meshPlatform(app, DeliveryMode.KARMADA, { mesh: noCni });
      p.addTenant('shop', { mesh: false });
      return p;
    });
    expect(errorsOf(problems)).toEqual([]);
  });

  test.each(MODES)('%s: privilegedSidecarInit enforces privileged, audits/warns restricted, and warns K35', (mode) => {
    const mesh = { ...noCni, privilegedSidecarInit: true };
    const problems = problemsOf((app) => {
      const p = meshPlatform(app, mode, { mesh });
      p.addTenant('shop');
      return p;
    });
    expect(errorsOf(problems)).toEqual([]);
    expect(warningsOf(problems)).toEqual([
      expect.objectContaining({ rule: 'K35', path: `${PLATFORM}/shop`, prop: 'podSecurity', value: 'restricted' }),
    ]);
    const out = synth((app) => {
      meshPlatform(app, mode, { mesh }).addTenant('shop');
    });
    const namespaces = every(out, 'Namespace', 'shop');
    expect(namespaces.length).toBeGreaterThan(0);
    for (const ns of namespaces) {
      expect(ns.metadata.labels).toMatchObject({
        'pod-security.kubernetes.io/enforce': 'privileged',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      });
    }
  });

  test.each(MODES)('%s: with Istio CNI the meshed namespace enforces restricted', (mode) => {
    const out = synth((app) => {
      meshPlatform(app, mode).addTenant('shop');
    });
    for (const ns of every(out, 'Namespace', 'shop')) {
      expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
      expect(ns.metadata.labels['istio-injection']).toBe('enabled');
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// 3. MeshedService traffic management.

describe.each(MODES)('MeshedService traffic (%s mode)', (mode) => {
  let out: Output;
  const H = fqdn('web');
  const dest = (subset: string) => ({ host: H, subset, port: { number: 80 } });
  beforeAll(() => {
    out = synth((app) => {
      const shop = meshPlatform(app, mode).addTenant('shop');
      const web = webApp(shop, { port: undefined, ports: [{ name: 'http', port: 8080, servicePort: 80 }] });
      new MeshedService(shop, 'web-mesh', {
        app: web,
        traffic: Traffic.canary(10),
        routes: [
          { name: 'beta-users', match: { headers: { 'x-beta': 'true' } }, version: 'v2' },
          { name: 'cookie-group', match: { cookie: { name: 'group', value: 'b.1' } }, version: 'v2' },
          { name: 'api-get', match: { uriPrefix: '/api', method: 'GET' }, version: 'v1' },
        ],
        retries: { attempts: 3, perTryTimeout: Duration.millis(500), retryOn: ['5xx', 'reset', 'connect-failure'] },
        timeout: Duration.seconds(3),
        fault: { delay: { fixed: Duration.millis(200), percent: 1 }, abort: { httpStatus: 503, percent: 0.5 } },
        mirror: { version: 'v2', percent: 5 },
        connectionPool: { maxConnections: 100, connectTimeout: Duration.seconds(2), http1MaxPendingRequests: 10, http2MaxRequests: 100, maxRequestsPerConnection: 5, maxRetries: 3 },
        loadBalancer: LoadBalancer.ROUND_ROBIN,
      });
    });
  });
  const vs = () => pick(out, 'VirtualService', 'web', { file: home(mode), ns: 'shop' });
  const dr = () => pick(out, 'DestinationRule', 'web', { file: home(mode), ns: 'shop' });

  test('A/B routes come before the default route', () => {
    expect(vs().apiVersion).toBe('networking.istio.io/v1');
    expect(vs().spec.hosts).toEqual([H]);
    expect(vs().spec.gateways).toBeUndefined();
    expect(vs().spec.http.map((r: any) => r.name)).toEqual(['beta-users', 'cookie-group', 'api-get', 'default']);
  });

  test('Traffic.canary(10) splits the default route 90/10 between the stable and canary subsets', () => {
    expect(vs().spec.http[3].route).toEqual([{ destination: dest('v1'), weight: 90 }, { destination: dest('v2'), weight: 10 }]);
  });

  test('a header route matches exactly; a URI/method route matches prefix and method', () => {
    const [beta, , api] = vs().spec.http;
    expect(beta.match).toEqual([{ headers: { 'x-beta': { exact: 'true' } } }]);
    expect(beta.route).toEqual([{ destination: dest('v2') }]);
    expect(api.match).toEqual([{ uri: { prefix: '/api' }, method: { exact: 'GET' } }]);
    expect(api.route).toEqual([{ destination: dest('v1') }]);
  });

  test('a cookie route is a regex on the cookie header that matches only that cookie', () => {
    const cookie = vs().spec.http[1];
    expect(Object.keys(cookie.match[0].headers)).toEqual(['cookie']);
    const regex = cookie.match[0].headers.cookie.regex;
    expect(regex).toBe('^(.*?;\\s*)?(group=b\\.1)(;.*)?$');
    const re = new RegExp(regex);
    expect(re.test('group=b.1')).toBe(true);
    expect(re.test('a=1; group=b.1; c=2')).toBe(true);
    expect(re.test('a=1;group=b.1')).toBe(true);
    expect(re.test('group=bx1')).toBe(false);
    expect(re.test('xgroup=b.1')).toBe(false);
    expect(re.test('group=b.10')).toBe(false);
    expect(cookie.route).toEqual([{ destination: dest('v2') }]);
  });

  test('retries (attempts, perTryTimeout, retryOn joined by commas) and timeout on every route', () => {
    for (const r of vs().spec.http) {
      expect(r.retries).toEqual({ attempts: 3, perTryTimeout: '500ms', retryOn: '5xx,reset,connect-failure' });
      expect(r.timeout).toBe('3s');
    }
  });

  test('fault delay/abort with percentages and mirroring with mirrorPercentage on the default route', () => {
    const d = vs().spec.http[3];
    expect(d.fault).toEqual({ delay: { fixedDelay: '200ms', percentage: { value: 1 } }, abort: { httpStatus: 503, percentage: { value: 0.5 } } });
    expect(d.mirror).toEqual({ host: H, subset: 'v2' });
    expect(d.mirrorPercentage).toEqual({ value: 5 });
  });

  test('DestinationRule: ISTIO_MUTUAL, connection pool, load balancer, no outlier detection by default', () => {
    expect(dr().apiVersion).toBe('networking.istio.io/v1');
    expect(dr().spec.host).toBe(H);
    expect(dr().spec.trafficPolicy).toEqual({
      tls: { mode: 'ISTIO_MUTUAL' },
      connectionPool: {
        tcp: { maxConnections: 100, connectTimeout: '2s' },
        http: { http1MaxPendingRequests: 10, http2MaxRequests: 100, maxRequestsPerConnection: 5, maxRetries: 3 },
      },
      loadBalancer: { simple: 'ROUND_ROBIN' },
    });
  });

  test('one subset per version, labelled by the app selector plus app.kubernetes.io/version', () => {
    expect(dr().spec.subsets).toEqual([
      { name: 'v1', labels: { ...sel('web'), 'app.kubernetes.io/version': 'v1' } },
      { name: 'v2', labels: { ...sel('web'), 'app.kubernetes.io/version': 'v2' } },
    ]);
  });

  test('the canary workload web-v2 has track=canary pods, a selector disjoint from the stable one, and both are Service endpoints', () => {
    const stable = every(out, 'Deployment', 'web', { ns: 'shop' });
    const canary = every(out, 'Deployment', 'web-v2', { ns: 'shop' });
    expect(stable.length).toBeGreaterThan(0);
    expect(canary.length).toBeGreaterThan(0);
    const subsets = dr().spec.subsets;
    for (const s of stable) {
      expect(s.spec.selector.matchLabels).toEqual({ ...sel('web'), [LABEL_TRACK]: 'stable' });
      expect(s.spec.template.metadata.labels).toMatchObject({ ...sel('web'), [LABEL_TRACK]: 'stable', 'app.kubernetes.io/version': 'v1' });
      expect(s.spec.template.metadata.labels).toMatchObject(subsets[0].labels);
    }
    for (const c of canary) {
      expect(c.spec.selector.matchLabels).toEqual({ ...sel('web'), [LABEL_TRACK]: 'canary' });
      expect(c.spec.template.metadata.labels).toMatchObject({ ...sel('web'), [LABEL_TRACK]: 'canary', 'app.kubernetes.io/version': 'v2' });
      expect(c.spec.template.metadata.labels).toMatchObject(subsets[1].labels);
      // Disjoint: no stable pod matches the canary selector and vice versa.
      expect(stable[0].spec.template.metadata.labels).not.toMatchObject(c.spec.selector.matchLabels);
      expect(c.spec.template.metadata.labels).not.toMatchObject(stable[0].spec.selector.matchLabels);
    }
    for (const svc of every(out, 'Service', 'web', { ns: 'shop' })) {
      expect(svc.spec.selector).toEqual(sel('web'));
      expect(stable[0].spec.template.metadata.labels).toMatchObject(svc.spec.selector);
      expect(canary[0].spec.template.metadata.labels).toMatchObject(svc.spec.selector);
    }
  });
});

describe('other traffic splits', () => {
  const H = fqdn('web');
  const dest = (subset: string) => ({ host: H, subset, port: { number: 8080 } });
  function defaultRoute(props: Partial<MeshedServiceProps>, appProps: Partial<FederatedAppProps> = {}): any {
    const out = synth((app) => {
      const shop = meshPlatform(app, DeliveryMode.KARMADA).addTenant('shop');
      new MeshedService(shop, 'web-mesh', { app: webApp(shop, appProps), ...props });
    });
    const http = pick(out, 'VirtualService', 'web').spec.http;
    expect(http[http.length - 1].name).toBe('default');
    return http[http.length - 1];
  }

  test('the default is everything to the stable subset, without a weight', () => {
    expect(defaultRoute({}).route).toEqual([{ destination: dest('v1') }]);
  });

  test('Traffic.blueGreen(v2) sends everything to v2', () => {
    expect(defaultRoute({ traffic: Traffic.blueGreen('v2') }).route).toEqual([{ destination: dest('v2') }]);
  });

  test('Traffic.weighted gives the weights per version', () => {
    expect(defaultRoute({ traffic: Traffic.weighted({ v1: 70, v2: 30 }) }).route).toEqual([
      { destination: dest('v1'), weight: 70 },
      { destination: dest('v2'), weight: 30 },
    ]);
  });

  test('a zero weight drops the destination', () => {
    expect(defaultRoute({ traffic: Traffic.weighted({ v1: 100, v2: 0 }) }).route).toEqual([{ destination: dest('v1') }]);
    expect(defaultRoute({ traffic: Traffic.canary(0) }).route).toEqual([{ destination: dest('v1') }]);
  });

  test('a version taken from the image tag is made a DNS-1123 subset name', () => {
    const out = synth((app) => {
      const shop = meshPlatform(app, DeliveryMode.KARMADA).addTenant('shop');
      new MeshedService(shop, 'cart-mesh', { app: new FederatedApp(shop, 'cart', { image: 'registry.example.com/shop/cart:3.2.1', port: 8080 }) });
    });
    expect(pick(out, 'DestinationRule', 'cart').spec).toEqual({
      host: fqdn('cart'),
      trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
      subsets: [{ name: '3-2-1', labels: { ...sel('cart'), 'app.kubernetes.io/version': '3.2.1' } }],
    });
    expect(pick(out, 'VirtualService', 'cart').spec.http).toEqual([
      { name: 'default', route: [{ destination: { host: fqdn('cart'), subset: '3-2-1', port: { number: 8080 } } }] },
    ]);
  });

  test('mirroring to another host', () => {
    const d = defaultRoute({ mirror: { host: 'shadow.shop.svc.cluster.local', percent: 2.5 } });
    expect(d.mirror).toEqual({ host: 'shadow.shop.svc.cluster.local' });
    expect(d.mirrorPercentage).toEqual({ value: 2.5 });
  });
});

// ---------------------------------------------------------------------------------------------------------
// 4. Locality.

describe('locality load balancing (rule 28)', () => {
  function drOf(props: Partial<MeshedServiceProps>, appProps: Partial<FederatedAppProps> = {}, mode = DeliveryMode.KARMADA): any {
    const out = synth((app) => {
      const shop = meshPlatform(app, mode).addTenant('shop');
      new MeshedService(shop, 'web-mesh', { app: webApp(shop, appProps), ...props });
    });
    return pick(out, 'DestinationRule', 'web', { file: home(mode) }).spec.trafficPolicy;
  }
  const OUTLIER_DEFAULTS = { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 };

  test.each(MODES)('%s: REGIONS gives cyclic failover over the sorted app regions plus outlier-detection defaults', (mode) => {
    expect(drOf({ localityFailover: LocalityFailover.REGIONS }, {}, mode)).toEqual({
      tls: { mode: 'ISTIO_MUTUAL' },
      outlierDetection: OUTLIER_DEFAULTS,
      loadBalancer: {
        localityLbSetting: {
          enabled: true,
          failover: [
            { from: 'cn-east', to: 'cn-north' },
            { from: 'cn-north', to: 'cn-south' },
            { from: 'cn-south', to: 'cn-east' },
          ],
        },
      },
    });
  });

  test('REGIONS uses only the regions the app runs in', () => {
    const tp = drOf({ localityFailover: LocalityFailover.REGIONS }, { placement: Placement.clusters('bj-1', 'sh-1') });
    expect(tp.loadBalancer.localityLbSetting.failover).toEqual([{ from: 'cn-east', to: 'cn-north' }, { from: 'cn-north', to: 'cn-east' }]);
  });

  test('given outlier-detection fields are kept, the rest defaulted', () => {
    const tp = drOf({ localityFailover: LocalityFailover.REGIONS, outlierDetection: { consecutive5xxErrors: 3, interval: Duration.seconds(5) } });
    expect(tp.outlierDetection).toEqual({ consecutive5xxErrors: 3, interval: '5s', baseEjectionTime: '30s', maxEjectionPercent: 50 });
  });

  test('PRIORITY gives failoverPriority on network, region, zone', () => {
    const tp = drOf({ localityFailover: LocalityFailover.PRIORITY, loadBalancer: LoadBalancer.LEAST_REQUEST });
    expect(tp.outlierDetection).toEqual(OUTLIER_DEFAULTS);
    expect(tp.loadBalancer).toEqual({
      simple: 'LEAST_REQUEST',
      localityLbSetting: { enabled: true, failoverPriority: ['topology.istio.io/network', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone'] },
    });
  });

  test('localityWeights gives distribute (no failover, no outlier detection added)', () => {
    const tp = drOf({ localityWeights: [{ from: 'cn-north/*', to: { 'cn-north/*': 80, 'cn-east/*': 20 } }] });
    expect(tp).toEqual({
      tls: { mode: 'ISTIO_MUTUAL' },
      loadBalancer: { localityLbSetting: { enabled: true, distribute: [{ from: 'cn-north/*', to: { 'cn-north/*': 80, 'cn-east/*': 20 } }] } },
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// 5. Ingress.

describe.each(MODES)('ingress through the gateway (%s mode)', (mode) => {
  let out: Output;
  beforeAll(() => {
    out = synth((app) => {
      const shop = meshPlatform(app, mode).addTenant('shop');
      new MeshedService(shop, 'web-mesh', { app: webApp(shop), ingress: { hosts: ['shop.example.com', '*.shop.example.com'], tlsSecret: 'shop-tls' } });
    });
  });
  const hosts = ['shop/shop.example.com', 'shop/*.shop.example.com'];

  test('Gateway <app>-ingress: HTTPS 443 with the credential and HTTP 80 redirecting', () => {
    const gw = pick(out, 'Gateway', 'web-ingress', { file: home(mode), ns: 'shop' });
    expect(gw.spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [
        { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts, tls: { mode: 'SIMPLE', credentialName: 'shop-tls' } },
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts, tls: { httpsRedirect: true } },
      ],
    });
  });

  test('the VirtualService binds the internal FQDN and the public hosts to mesh and the gateway', () => {
    const vs = pick(out, 'VirtualService', 'web', { file: home(mode), ns: 'shop' });
    expect(vs.spec.hosts).toEqual([fqdn('web'), 'shop.example.com', '*.shop.example.com']);
    expect(vs.spec.gateways).toEqual(['mesh', 'shop/web-ingress']);
  });

  test('the AuthorizationPolicy allows the ingress gateway principal; the NetworkPolicy its pods', () => {
    const ap = pick(out, 'AuthorizationPolicy', 'web-allow', { file: home(mode), ns: 'shop' });
    expect(ap.spec).toEqual({
      selector: { matchLabels: sel('web') },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/istio-system/sa/istio-ingressgateway'] } }], to: [{ operation: { ports: ['8080'] } }] }],
    });
    const np = pick(out, 'NetworkPolicy', 'web-mesh-ingress', { file: home(mode), ns: 'shop' });
    expect(np.spec.ingress[0].from).toEqual([
      { namespaceSelector: nsSel('istio-system'), podSelector: { matchLabels: { istio: 'ingressgateway' } } },
      EAST_WEST_PEER,
      ...flatPeers(mode),
    ]);
  });
});

describe('ingress variants', () => {
  function gatewayOf(props: Partial<MeshedServiceProps>, mesh: MeshProps = MESH): Output {
    return synth((app) => {
      const shop = meshPlatform(app, DeliveryMode.KARMADA, { mesh }).addTenant('shop');
      new MeshedService(shop, 'web-mesh', { app: webApp(shop), ...props });
    });
  }

  test('without tlsSecret only plain HTTP is served', () => {
    const out = gatewayOf({ ingress: { hosts: ['shop.example.com'] } });
    expect(pick(out, 'Gateway', 'web-ingress').spec.servers).toEqual([
      { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop/shop.example.com'] },
    ]);
  });

  test('httpsRedirect: false keeps plain HTTP next to HTTPS', () => {
    const out = gatewayOf({ ingress: { hosts: ['shop.example.com'], tlsSecret: 'shop-tls', httpsRedirect: false } });
    const servers = pick(out, 'Gateway', 'web-ingress').spec.servers;
    expect(servers.map((s: any) => s.port.number)).toEqual([443, 80]);
    expect(servers[1].tls).toBeUndefined();
  });

  test('a custom ingress gateway changes the selector, the principal and the NetworkPolicy peer', () => {
    const out = gatewayOf(
      { ingress: { hosts: ['shop.example.com'] } },
      { ...MESH, trustDomain: 'corp.example', ingressGateway: { namespace: 'edge', labels: { app: 'edge-gw' }, serviceAccount: 'edge-gw' } },
    );
    expect(pick(out, 'Gateway', 'web-ingress').spec.selector).toEqual({ app: 'edge-gw' });
    expect(pick(out, 'AuthorizationPolicy', 'web-allow').spec.rules[0].from).toEqual([{ source: { principals: ['corp.example/ns/edge/sa/edge-gw'] } }]);
    expect(pick(out, 'NetworkPolicy', 'web-mesh-ingress').spec.ingress[0].from[0]).toEqual({ namespaceSelector: nsSel('edge'), podSelector: { matchLabels: { app: 'edge-gw' } } });
  });

  test('allowFrom(MeshCaller.ingressGateway()) without an ingress allows the gateway once', () => {
    const out = synth((app) => {
      const shop = meshPlatform(app, DeliveryMode.KARMADA).addTenant('shop');
      new MeshedService(shop, 'web-mesh', { app: webApp(shop), ingress: { hosts: ['shop.example.com'] } }).allowFrom(MeshCaller.ingressGateway(), { paths: ['/public/*'] });
    });
    expect(pick(out, 'AuthorizationPolicy', 'web-allow').spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/istio-system/sa/istio-ingressgateway'] } }], to: [{ operation: { ports: ['8080'], paths: ['/public/*'] } }] },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// 6. Zero trust.

describe.each(MODES)('zero-trust access (%s mode)', (mode) => {
  let out: Output;
  let principal: string;
  beforeAll(() => {
    out = synth((app) => {
      const p = meshPlatform(app, mode);
      const shop = p.addTenant('shop');
      const ops = p.addTenant('ops');
      const frontend = new MeshedService(shop, 'frontend-mesh', { app: plainApp(shop, 'frontend') });
      const probe = new MeshedService(ops, 'probe-mesh', { app: plainApp(ops, 'probe') });
      const cart = new MeshedService(shop, 'cart-mesh', { app: plainApp(shop, 'cart') });
      cart.allowFrom(frontend, { methods: ['GET', 'POST'], paths: ['/cart/*'] });
      cart.allowFrom(ops);
      cart.allowFrom(probe, { methods: ['GET'] });
      principal = frontend.principal;
    });
  });

  test('the principal is <trustDomain>/ns/<ns>/sa/<app>', () => {
    expect(principal).toBe('cluster.local/ns/shop/sa/frontend');
  });

  test('allowFrom gives an ALLOW policy <app>-allow: principals with methods/paths, namespaces for a tenant, on the app port', () => {
    const ap = pick(out, 'AuthorizationPolicy', 'cart-allow', { file: home(mode), ns: 'shop' });
    expect(ap.apiVersion).toBe('security.istio.io/v1');
    expect(ap.spec).toEqual({
      selector: { matchLabels: sel('cart') },
      action: 'ALLOW',
      // Callers by construct path, whatever the order of the allowFrom calls.
      rules: [
        { from: [{ source: { namespaces: ['ops'] } }], to: [{ operation: { ports: ['8080'] } }] },
        { from: [{ source: { principals: ['cluster.local/ns/ops/sa/probe'] } }], to: [{ operation: { ports: ['8080'], methods: ['GET'] } }] },
        { from: [{ source: { principals: ['cluster.local/ns/shop/sa/frontend'] } }], to: [{ operation: { ports: ['8080'], methods: ['GET', 'POST'], paths: ['/cart/*'] } }] },
      ],
    });
  });

  test('the <app>-mesh-ingress NetworkPolicy mirrors the callers and allows the east-west gateway', () => {
    const np = pick(out, 'NetworkPolicy', 'cart-mesh-ingress', { file: home(mode), ns: 'shop' });
    expect(np.spec).toEqual({
      podSelector: { matchLabels: sel('cart') },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [
          { namespaceSelector: nsSel('ops') },
          { namespaceSelector: nsSel('ops'), podSelector: { matchLabels: sel('probe', 'ops') } },
          { namespaceSelector: nsSel('shop'), podSelector: { matchLabels: sel('frontend') } },
          EAST_WEST_PEER,
          ...flatPeers(mode),
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      }],
    });
  });

  test('a caller in another tenant gets an egress NetworkPolicy towards the callee; same-tenant callers do not', () => {
    const files = mode === DeliveryMode.KARMADA ? [CP] : CLUSTERS.map((c) => fileOf(c.name));
    for (const f of files) {
      expect(pick(out, 'NetworkPolicy', 'probe-to-shop-cart', { file: f, ns: 'ops' }).spec).toEqual({
        podSelector: { matchLabels: sel('probe', 'ops') },
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: nsSel('shop'), podSelector: { matchLabels: sel('cart') } }, ...NET_EAST_PODS], ports: [{ protocol: 'TCP', port: 8080 }] }],
      });
      expect(pick(out, 'NetworkPolicy', 'all-to-shop-cart', { file: f, ns: 'ops' }).spec).toEqual({
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: nsSel('shop'), podSelector: { matchLabels: sel('cart') } }, ...NET_EAST_PODS], ports: [{ protocol: 'TCP', port: 8080 }] }],
      });
      // A same-tenant caller is covered locally by allow-same-namespace; on the flat network it opens the peers' pod CIDRs only.
      expect(pick(out, 'NetworkPolicy', 'frontend-to-shop-cart', { file: f, ns: 'shop' }).spec.egress).toEqual([{ to: NET_EAST_PODS, ports: [{ protocol: 'TCP', port: 8080 }] }]);
    }
  });

  if (mode === DeliveryMode.KARMADA) {
    test("the caller tenant's tenant-baseline PropagationPolicy selects its egress policies", () => {
      const baseline = pick(out, 'PropagationPolicy', 'tenant-baseline', { ns: 'ops' });
      expect(selectorKeys(baseline)).toEqual(expect.arrayContaining([
        'networking.k8s.io/v1 NetworkPolicy probe-to-shop-cart',
        'networking.k8s.io/v1 NetworkPolicy all-to-shop-cart',
      ]));
      expect(selectorKeys(pick(out, 'PropagationPolicy', 'tenant-baseline', { ns: 'shop' }))).not.toContain('networking.k8s.io/v1 NetworkPolicy probe-to-shop-cart');
    });
  }

  test('a service nobody is allowed to call has an ALLOW policy without rules (deny-all stays in force)', () => {
    const ap = pick(out, 'AuthorizationPolicy', 'frontend-allow', { file: home(mode), ns: 'shop' });
    expect(ap.spec.rules).toEqual([]);
    expect(pick(out, 'NetworkPolicy', 'frontend-mesh-ingress', { file: home(mode), ns: 'shop' }).spec.ingress[0].from).toEqual([EAST_WEST_PEER]);
  });
});

describe('zero trust variants', () => {
  test('a single-network mesh does not open the east-west gateway', () => {
    const out = synth((app) => {
      const shop = meshPlatform(app, DeliveryMode.KARMADA, { clusters: FLAT }).addTenant('shop');
      const frontend = new MeshedService(shop, 'frontend-mesh', { app: plainApp(shop, 'frontend') });
      new MeshedService(shop, 'cart-mesh', { app: plainApp(shop, 'cart') }).allowFrom(frontend);
    });
    // One network: no east-west gateway; callers in the other clusters are admitted by their pod CIDRs.
    expect(pick(out, 'NetworkPolicy', 'cart-mesh-ingress').spec.ingress[0].from).toEqual([
      { namespaceSelector: nsSel('shop'), podSelector: { matchLabels: sel('frontend') } },
      { ipBlock: { cidr: '10.1.0.0/16' } }, ...NET_EAST_PODS,
    ]);
  });

  test('a custom trustDomain changes every principal', () => {
    let principal = '';
    const out = synth((app) => {
      const shop = meshPlatform(app, DeliveryMode.KARMADA, { mesh: { ...MESH, trustDomain: 'corp.example' } }).addTenant('shop');
      const frontend = new MeshedService(shop, 'frontend-mesh', { app: plainApp(shop, 'frontend') });
      new MeshedService(shop, 'cart-mesh', { app: plainApp(shop, 'cart'), ingress: { hosts: ['cart.example.com'] } }).allowFrom(frontend);
      principal = frontend.principal;
    });
    expect(principal).toBe('corp.example/ns/shop/sa/frontend');
    expect(pick(out, 'AuthorizationPolicy', 'cart-allow').spec.rules.map((r: any) => r.from[0].source.principals)).toEqual([
      // The ingress gateway first, then the services by construct path.
      ['corp.example/ns/istio-system/sa/istio-ingressgateway'],
      ['corp.example/ns/shop/sa/frontend'],
    ]);
  });

  test('without default-deny networking there is no mesh-ingress or egress NetworkPolicy', () => {
    const out = synth((app) => {
      const p = meshPlatform(app, DeliveryMode.KARMADA, { defaults: { defaultDenyNetwork: false } });
      const shop = p.addTenant('shop');
      const ops = p.addTenant('ops');
      const probe = new MeshedService(ops, 'probe-mesh', { app: plainApp(ops, 'probe') });
      new MeshedService(shop, 'cart-mesh', { app: plainApp(shop, 'cart'), externalHosts: [{ host: 'api.example.net', port: 443 }] }).allowFrom(probe);
    });
    expect(all(out).filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
    expect(pick(out, 'AuthorizationPolicy', 'cart-allow').spec.rules).toHaveLength(1);
    expect(selectorKeys(pick(out, 'PropagationPolicy', 'cart-mesh')).filter((k: string) => k.includes('NetworkPolicy'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// 7. Egress.

describe.each(MODES)('egress scoping (%s mode)', (mode) => {
  let out: Output;
  beforeAll(() => {
    out = synth((app) => {
      const p = meshPlatform(app, mode);
      const shop = p.addTenant('shop');
      const ops = p.addTenant('ops');
      const cart = new MeshedService(shop, 'cart-mesh', { app: plainApp(shop, 'cart') });
      const probe = new MeshedService(ops, 'probe-mesh', { app: plainApp(ops, 'probe') });
      new MeshedService(shop, 'web-mesh', {
        app: webApp(shop),
        calls: [cart, probe],
        externalHosts: [{ host: 'api.pay.example.net', port: 443 }, { host: 'hooks.example.org', port: 80, protocol: 'HTTP' }],
      });
    });
  });

  test('a Sidecar scopes egress to istio-system, the called services and the external hosts, REGISTRY_ONLY', () => {
    const sc = pick(out, 'Sidecar', 'web', { file: home(mode), ns: 'shop' });
    expect(sc.apiVersion).toBe('networking.istio.io/v1');
    expect(sc.spec).toEqual({
      workloadSelector: { labels: sel('web') },
      egress: [{ hosts: ['istio-system/*', `shop/${fqdn('cart')}`, `ops/${fqdn('probe', 'ops')}`, 'shop/api.pay.example.net', 'shop/hooks.example.org'] }],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    });
  });

  test('one ServiceEntry per external host: MESH_EXTERNAL, DNS, exported to the namespace only', () => {
    expect(pick(out, 'ServiceEntry', 'web-api-pay-example-net-443', { file: home(mode), ns: 'shop' }).spec).toEqual({
      hosts: ['api.pay.example.net'], location: 'MESH_EXTERNAL', resolution: 'DNS',
      ports: [{ number: 443, name: 'tls-443', protocol: 'TLS' }], exportTo: ['.'],
    });
    expect(pick(out, 'ServiceEntry', 'web-hooks-example-org-80', { file: home(mode), ns: 'shop' }).spec).toEqual({
      hosts: ['hooks.example.org'], location: 'MESH_EXTERNAL', resolution: 'DNS',
      ports: [{ number: 80, name: 'http-80', protocol: 'HTTP' }], exportTo: ['.'],
    });
  });

  test('an egress NetworkPolicy opens each external port from the app pods, wherever the tenant is', () => {
    const files = mode === DeliveryMode.KARMADA ? [CP] : CLUSTERS.map((c) => fileOf(c.name));
    for (const f of files) {
      expect(pick(out, 'NetworkPolicy', 'web-to-api-pay-example-net-443', { file: f, ns: 'shop' }).spec).toEqual({
        podSelector: { matchLabels: sel('web') },
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] }],
      });
      pick(out, 'NetworkPolicy', 'web-to-hooks-example-org-80', { file: f, ns: 'shop' });
    }
    if (mode === DeliveryMode.KARMADA) {
      expect(selectorKeys(pick(out, 'PropagationPolicy', 'tenant-baseline', { ns: 'shop' }))).toEqual(expect.arrayContaining([
        'networking.k8s.io/v1 NetworkPolicy web-to-api-pay-example-net-443',
        'networking.k8s.io/v1 NetworkPolicy web-to-hooks-example-org-80',
      ]));
    }
  });

  test('a service without calls or external hosts has no Sidecar and no ServiceEntry', () => {
    expect(every(out, 'Sidecar', 'cart')).toEqual([]);
    expect(all(out).filter((o) => o.kind === 'ServiceEntry' && !o.metadata.name.startsWith('web-'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// 8. Placement of the Istio configuration (rule 39).

describe.each(MODES)('config placement on primaries (%s mode)', (mode) => {
  let out: Output;
  const istioKinds = ['VirtualService', 'DestinationRule', 'Gateway', 'AuthorizationPolicy', 'Sidecar', 'ServiceEntry', 'Telemetry'];
  beforeAll(() => {
    out = synth((app) => {
      const p = meshPlatform(app, mode);
      const shop = p.addTenant('shop');
      const cart = new MeshedService(shop, 'cart-mesh', { app: plainApp(shop, 'cart') });
      new MeshedService(shop, 'web-mesh', {
        app: webApp(shop),
        ingress: { hosts: ['shop.example.com'], tlsSecret: 'shop-tls' },
        calls: [cart],
        externalHosts: [{ host: 'api.pay.example.net', port: 443 }],
        telemetry: { tracingSampling: 20 },
      });
      // A second tenant only on sh-1 and the remote: its primaries are sh-1 alone.
      const ops = p.addTenant('ops', { clusters: { names: ['sh-1', 'gz-1'] } });
      new MeshedService(ops, 'probe-mesh', { app: plainApp(ops, 'probe') });
    });
  });

  test('the service emits every kind of Istio object', () => {
    const kinds = all(out).filter((o) => isIstio(o) && o.metadata.labels['app.kubernetes.io/name'] === 'web').map((o) => o.kind);
    expect([...new Set(kinds)].sort()).toEqual([...istioKinds].sort());
    const tel = pick(out, 'Telemetry', 'web', { file: home(mode), ns: 'shop' });
    expect(tel.spec).toEqual({ selector: { matchLabels: sel('web') }, tracing: [{ randomSamplingPercentage: 20 }] });
  });

  if (mode === DeliveryMode.KARMADA) {
    test('<app>-mesh PropagationPolicy selects every Istio object of the service and places them on the tenant primaries', () => {
      const pp = pick(out, 'PropagationPolicy', 'web-mesh', { ns: 'shop' });
      const istio = out[CP].filter((o) => isIstio(o) && o.metadata.labels['app.kubernetes.io/name'] === 'web').map(key);
      expect(istio).toHaveLength(7);
      const selected = selectorKeys(pp);
      expect(selected.filter((k: string) => k.includes('.istio.io/')).sort()).toEqual(istio.sort());
      // Every selector names an object in the control plane.
      const cpKeys = out[CP].filter((o) => o.metadata.namespace === 'shop').map(key);
      for (const k of selected) expect(cpKeys).toContain(k);
      expect(pp.spec.placement).toEqual({ clusterAffinity: { clusterNames: PRIMARIES }, replicaScheduling: { replicaSchedulingType: 'Duplicated' } });
      expect(pick(out, 'PropagationPolicy', 'probe-mesh', { ns: 'ops' }).spec.placement.clusterAffinity.clusterNames).toEqual(['sh-1']);
    });

    test('every Istio object in the control plane is placed by exactly one PropagationPolicy', () => {
      const pps = out[CP].filter((o) => o.kind === 'PropagationPolicy');
      for (const o of out[CP].filter(isIstio)) {
        const placing = pps.filter((pp) => pp.metadata.namespace === o.metadata.namespace && selectorKeys(pp).includes(key(o)));
        expect(placing.map((pp) => pp.metadata.name)).toHaveLength(1);
      }
    });
  } else {
    test('each primary output gets the Istio objects; the remote gets none (but runs the workload)', () => {
      for (const c of PRIMARIES) {
        const kinds = out[fileOf(c)].filter((o) => isIstio(o) && o.metadata.namespace === 'shop' && o.metadata.labels['app.kubernetes.io/name'] === 'web').map((o) => o.kind);
        expect([...new Set(kinds)].sort()).toEqual([...istioKinds].sort());
        pick(out, 'VirtualService', 'cart', { file: fileOf(c), ns: 'shop' });
      }
      expect(out[fileOf(REMOTE)].filter((o) => isIstio(o) && o.metadata.namespace !== 'istio-system')).toEqual([]);
      pick(out, 'Deployment', 'web', { file: fileOf(REMOTE), ns: 'shop' });
      // The ops tenant uses sh-1 and gz-1: its configuration is on sh-1 only.
      pick(out, 'VirtualService', 'probe', { file: fileOf('sh-1'), ns: 'ops' });
      expect(every(out, 'VirtualService', 'probe', { file: fileOf('bj-1') })).toEqual([]);
      expect(all(out).filter((o) => o.kind === 'PropagationPolicy')).toEqual([]);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------
// 9. Bad inputs: one typed PlatformValidationError with rule and prop; nothing is written.

const SVC = `${PLATFORM}/shop/web-mesh`;
const TENANT_PATH = `${PLATFORM}/shop`;
const APP_PATH = `${PLATFORM}/shop/web`;

interface Variation {
  readonly app?: Partial<FederatedAppProps>;
  readonly platform?: Partial<DistributedPlatformProps>;
  readonly tenant?: TenantProps;
}

/** A meshed platform, tenant `shop`, app `web` (v1 + canary v2) and its MeshedService `web-mesh` with `props`. */
function service(props: Partial<MeshedServiceProps>, v: Variation = {}): (app: App, mode: DeliveryMode) => void {
  return (app, mode) => {
    const shop = meshPlatform(app, mode, v.platform).addTenant('shop', v.tenant ?? {});
    new MeshedService(shop, 'web-mesh', { app: webApp(shop, v.app), ...props });
  };
}

interface BadCase {
  readonly title: string;
  readonly build: (app: App, mode: DeliveryMode) => void;
  readonly rule: string;
  readonly path: string;
  readonly prop: string;
}

const badCases: BadCase[] = [
  // Traffic (rule 30, canary).
  { title: 'weights not summing to 100', build: service({ traffic: Traffic.weighted({ v1: 80, v2: 10 }) }), rule: 'K30', path: SVC, prop: 'traffic.weights' },
  { title: 'a weighted version the app does not run', build: service({ traffic: Traffic.weighted({ v1: 50, v3: 50 }) }), rule: 'K30', path: SVC, prop: "traffic.weights['v3']" },
  { title: 'blue/green to a version the app does not run', build: service({ traffic: Traffic.blueGreen('v9') }), rule: 'K30', path: SVC, prop: "traffic.weights['v9']" },
  { title: 'Traffic.canary on an app without canary', build: service({ traffic: Traffic.canary(10) }, { app: { canary: undefined } }), rule: 'FP-CANARY', path: SVC, prop: 'traffic' },
  { title: 'canary weight above 100', build: service({ traffic: Traffic.canary(120) }), rule: 'K30', path: SVC, prop: 'traffic.canaryWeight' },
  {
    title: 'duplicate route names',
    build: service({ routes: [
      { name: 'beta', match: { headers: { 'x-beta': '1' } }, version: 'v2' },
      { name: 'beta', match: { method: 'GET' }, version: 'v2' },
    ] }),
    rule: 'K30', path: SVC, prop: 'routes[1].name',
  },
  { title: 'a route named like the default split', build: service({ routes: [{ name: 'default', match: { method: 'GET' }, version: 'v2' }] }), rule: 'K30', path: SVC, prop: 'routes[0].name' },
  { title: 'a route without any match', build: service({ routes: [{ name: 'all', match: {}, version: 'v2' }] }), rule: 'K30', path: SVC, prop: 'routes[0].match' },
  { title: 'a route to an unknown version', build: service({ routes: [{ name: 'beta', match: { headers: { 'x-beta': '1' } }, version: 'v3' }] }), rule: 'K30', path: SVC, prop: 'routes[0].version' },
  { title: 'an upper-case header name', build: service({ routes: [{ name: 'beta', match: { headers: { 'X-Beta': '1' } }, version: 'v2' }] }), rule: 'K30', path: SVC, prop: 'routes[0].match.headers' },
  // Resilience (rule 30).
  { title: 'retries attempts 0 with perTryTimeout', build: service({ retries: { attempts: 0, perTryTimeout: Duration.seconds(1) } }), rule: 'K30', path: SVC, prop: 'retries' },
  { title: 'a bad retryOn token', build: service({ retries: { attempts: 2, retryOn: ['5xx', 'sometimes'] } }), rule: 'K30', path: SVC, prop: 'retries.retryOn' },
  { title: 'fault percent 150', build: service({ fault: { delay: { fixed: Duration.millis(100), percent: 150 } } }), rule: 'K30', path: SVC, prop: 'fault.delay.percent' },
  { title: 'abort percent between 0 and 0.0001', build: service({ fault: { abort: { httpStatus: 503, percent: 0.00001 } } }), rule: 'K30', path: SVC, prop: 'fault.abort.percent' },
  { title: 'fault with neither delay nor abort', build: service({ fault: {} }), rule: 'K30', path: SVC, prop: 'fault' },
  { title: 'mirror percent 101', build: service({ mirror: { version: 'v2', percent: 101 } }), rule: 'K30', path: SVC, prop: 'mirror.percent' },
  { title: 'mirror to an unknown version', build: service({ mirror: { version: 'v7', percent: 5 } }), rule: 'K30', path: SVC, prop: 'mirror.version' },
  // Locality (rule 28).
  { title: 'localityFailover with outlierDetection false', build: service({ localityFailover: LocalityFailover.PRIORITY, outlierDetection: false }), rule: 'K28', path: SVC, prop: 'outlierDetection' },
  { title: 'REGIONS failover with the app in one region', build: service({ localityFailover: LocalityFailover.REGIONS }, { app: { placement: Placement.clusters('bj-1') } }), rule: 'K28', path: SVC, prop: 'localityFailover' },
  { title: 'localityWeights summing to 90', build: service({ localityWeights: [{ from: 'cn-north/*', to: { 'cn-north/*': 70, 'cn-east/*': 20 } }] }), rule: 'K28', path: SVC, prop: 'localityWeights[0].to' },
  {
    title: 'failover together with localityWeights',
    build: service({ localityFailover: LocalityFailover.PRIORITY, localityWeights: [{ from: 'cn-north/*', to: { 'cn-north/*': 80, 'cn-east/*': 20 } }] }),
    rule: 'K28', path: SVC, prop: 'localityWeights',
  },
  // Ingress (rules 31, 33).
  { title: "ingress host '*'", build: service({ ingress: { hosts: ['*'] } }), rule: 'K31', path: SVC, prop: 'ingress.hosts[0]' },
  { title: 'ingress without hosts', build: service({ ingress: { hosts: [] } }), rule: 'K31', path: SVC, prop: 'ingress.hosts' },
  { title: 'httpsRedirect without tlsSecret', build: service({ ingress: { hosts: ['shop.example.com'], httpsRedirect: true } }), rule: 'K33', path: SVC, prop: 'ingress.httpsRedirect' },
  // Egress (rule 37).
  { title: "external host '*'", build: service({ externalHosts: [{ host: '*', port: 443 }] }), rule: 'K37', path: SVC, prop: 'externalHosts[0].host' },
  {
    title: 'duplicate external host and port',
    build: service({ externalHosts: [{ host: 'api.example.net', port: 443 }, { host: 'api.example.net', port: 443 }] }),
    rule: 'K37', path: SVC, prop: 'externalHosts[1].port',
  },
  { title: 'external port 0', build: service({ externalHosts: [{ host: 'api.example.net', port: 0 }] }), rule: 'K37', path: SVC, prop: 'externalHosts[0].port' },
  // Callers (rule 36).
  {
    title: 'allowFrom a service of another platform',
    build: (app, mode) => {
      const other = new DistributedPlatform(app, 'staging', { clusters: CLUSTERS, delivery: mode, mesh: MESH }).addTenant('shop');
      const foreign = new MeshedService(other, 'web-mesh', { app: webApp(other) });
      const shop = meshPlatform(app, mode).addTenant('shop');
      new MeshedService(shop, 'web-mesh', { app: webApp(shop) }).allowFrom(foreign);
    },
    rule: 'K36', path: SVC, prop: 'allowFrom(0)',
  },
  {
    title: 'allowFrom a tenant outside the mesh',
    build: (app, mode) => {
      const p = meshPlatform(app, mode);
      const legacy = p.addTenant('legacy', { mesh: false });
      const shop = p.addTenant('shop');
      new MeshedService(shop, 'web-mesh', { app: webApp(shop) }).allowFrom(legacy);
    },
    rule: 'K36', path: SVC, prop: 'allowFrom(0)',
  },
  {
    title: 'allowFrom with a lower-case method',
    build: (app, mode) => {
      const shop = meshPlatform(app, mode).addTenant('shop');
      const frontend = new MeshedService(shop, 'frontend-mesh', { app: plainApp(shop, 'frontend') });
      new MeshedService(shop, 'web-mesh', { app: webApp(shop) }).allowFrom(frontend, { methods: ['get'] });
    },
    rule: 'K36', path: SVC, prop: 'allowFrom(0).methods',
  },
  // Mesh wiring.
  { title: 'MeshedService on a platform without mesh', build: service({}, { platform: { mesh: undefined } }), rule: 'FP-MESH', path: SVC, prop: 'app' },
  { title: 'a port that does not exist', build: service({ port: 'grpc' }), rule: 'FP-MESH', path: SVC, prop: 'port' },
  {
    title: 'a MeshedService in a tenant outside the mesh',
    build: service({}, { tenant: { mesh: false } }),
    rule: 'FP-MESH', path: SVC, prop: 'scope',
  },
  {
    title: 'a tenant in the mesh using no primary',
    build: (app, mode) => { meshPlatform(app, mode).addTenant('shop', { clusters: { names: ['gz-1'] } }); },
    rule: 'K39', path: TENANT_PATH, prop: 'clusters',
  },
  {
    title: 'canary version equal to the stable version',
    build: service({ traffic: Traffic.canary(10) }, { app: { canary: { version: 'v1' } } }),
    rule: 'FP-CANARY', path: APP_PATH, prop: 'canary.version',
  },
  {
    title: 'mesh primary that is not a mesh cluster',
    build: (app, mode) => { meshPlatform(app, mode, { mesh: { ...MESH, clusters: { names: PRIMARIES }, primaries: ['bj-1', 'gz-1'] } }); },
    rule: 'K34', path: PLATFORM, prop: 'mesh.primaries[1]',
  },
  {
    title: 'restricted meshed tenant without Istio CNI',
    build: (app, mode) => { meshPlatform(app, mode, { mesh: { meshId: 'shop-mesh', primaries: PRIMARIES } }).addTenant('shop'); },
    rule: 'K35', path: TENANT_PATH, prop: 'podSecurity',
  },
];

describe.each(MODES)('bad mesh inputs (%s mode)', (mode) => {
  test.each(badCases)('$title → $rule $prop', ({ build, rule, path: at, prop }) => {
    const { error, dir } = synthError((app) => build(app, mode));
    expect(errorsOf(error.problems)).toEqual([expect.objectContaining({ rule, path: at, prop })]);
    expect(error.message).toContain(rule);
    expect(yamlFiles(dir)).toEqual([]);
  });
});

describe('mesh warnings', () => {
  test.each(MODES)('%s: a port without a protocol prefix is a K5 warning, not an error', (mode) => {
    let platform!: DistributedPlatform;
    const out = synth((app) => {
      platform = meshPlatform(app, mode);
      const shop = platform.addTenant('shop');
      new MeshedService(shop, 'web-mesh', { app: webApp(shop, { port: undefined, ports: [{ name: 'web', port: 8080 }, { name: 'http-admin', port: 9090 }] }) });
    });
    const problems = platform.problems();
    expect(errorsOf(problems)).toEqual([]);
    expect(warningsOf(problems)).toEqual([expect.objectContaining({ rule: 'K5', path: SVC, prop: 'app.ports', value: 'web' })]);
    pick(out, 'VirtualService', 'web', { file: home(mode) });
  });

  test('port names with a protocol prefix give no warning', () => {
    const problems = problemsOf((app) => {
      const platform = meshPlatform(app, DeliveryMode.KARMADA);
      const shop = platform.addTenant('shop');
      new MeshedService(shop, 'web-mesh', { app: webApp(shop, { port: undefined, ports: [{ name: 'http', port: 8080 }, { name: 'grpc-api', port: 9090 }, { name: 'tcp', port: 7000 }] }) });
      return platform;
    });
    expect(problems).toEqual([]);
  });

  test('port selects the routed port: VS uses its service port, the policies its container port', () => {
    const out = synth((app) => {
      const shop = meshPlatform(app, DeliveryMode.KARMADA).addTenant('shop');
      new MeshedService(shop, 'web-mesh', {
        app: webApp(shop, { port: undefined, ports: [{ name: 'http', port: 8080 }, { name: 'grpc-api', port: 9090, servicePort: 90 }] }),
        port: 'grpc-api',
        ingress: { hosts: ['shop.example.com'] },
      });
    });
    expect(pick(out, 'VirtualService', 'web').spec.http[0].route[0].destination.port).toEqual({ number: 90 });
    expect(pick(out, 'AuthorizationPolicy', 'web-allow').spec.rules[0].to).toEqual([{ operation: { ports: ['9090'] } }]);
    expect(pick(out, 'NetworkPolicy', 'web-mesh-ingress').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 9090 }]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// 10. Strict schema validation of a rich program.

function richProgram(mode: DeliveryMode): (app: App) => void {
  return (app) => {
    const p = meshPlatform(app, mode, { mesh: { ...MESH, trustDomain: 'corp.example' } });
    const shop = p.addTenant('shop', { telemetry: { tracingSampling: 5, accessLogging: true }, quota: { cpu: '40', memory: '64Gi' } });
    const ops = p.addTenant('ops', { clusters: { names: ['sh-1', 'gz-1'] } });
    p.addTenant('legacy', { mesh: false });
    const cart = new MeshedService(shop, 'cart-mesh', {
      app: plainApp(shop, 'cart', { replicas: 3 }),
      localityFailover: LocalityFailover.PRIORITY,
      loadBalancer: LoadBalancer.LEAST_REQUEST,
      connectionPool: { maxConnections: 200, connectTimeout: Duration.millis(1500), http1MaxPendingRequests: 50, http2MaxRequests: 1000, maxRequestsPerConnection: 10, maxRetries: 3 },
      outlierDetection: { consecutive5xxErrors: 3, interval: Duration.seconds(5), baseEjectionTime: Duration.minutes(1), maxEjectionPercent: 30 },
      telemetry: { tracingSampling: 50, accessLogging: false },
    });
    const probe = new MeshedService(ops, 'probe-mesh', {
      app: plainApp(ops, 'probe'),
      localityWeights: [{ from: 'cn-east/*', to: { 'cn-east/*': 80, 'cn-south/*': 20 } }],
    });
    const web = new MeshedService(shop, 'web-mesh', {
      app: webApp(shop, { canary: { version: 'v2', replicas: 2 }, replicas: 4 }),
      traffic: Traffic.canary(10),
      routes: [
        { name: 'beta-users', match: { headers: { 'x-beta': 'true' } }, version: 'v2' },
        { name: 'cookie', match: { cookie: { name: 'group', value: 'b' }, uriPrefix: '/shop', method: 'GET' }, version: 'v2' },
      ],
      retries: { attempts: 2, perTryTimeout: Duration.millis(500), retryOn: ['5xx', 'reset', '503'] },
      timeout: Duration.seconds(5),
      fault: { delay: { fixed: Duration.millis(100), percent: 0.5 }, abort: { httpStatus: 503, percent: 0.1 } },
      mirror: { version: 'v2', percent: 5 },
      localityFailover: LocalityFailover.REGIONS,
      ingress: { hosts: ['shop.example.com', '*.shop.example.com'], tlsSecret: 'shop-tls' },
      calls: [cart, probe],
      externalHosts: [{ host: 'api.pay.example.net', port: 443 }, { host: 'hooks.example.org', port: 80, protocol: 'HTTP' }, { host: 'grpc.example.org', port: 8443, protocol: 'GRPC' }],
    });
    new MeshedService(shop, 'blue-mesh', { app: plainApp(shop, 'blue', { canary: { version: 'v2' } }), traffic: Traffic.blueGreen('v2') });
    new MeshedService(shop, 'split-mesh', { app: plainApp(shop, 'split', { canary: { version: 'v2' } }), traffic: Traffic.weighted({ v1: 60, v2: 40 }), mirror: { host: 'shadow.example.org', percent: 1 } });
    cart.allowFrom(web, { methods: ['GET', 'POST', 'DELETE'], paths: ['/cart/*'] });
    cart.allowFrom(ops);
    probe.allowFrom(web, { methods: ['GET'] });
    probe.allowFrom(MeshCaller.ingressGateway());
  };
}

describe.each(MODES)('schema validation (%s mode)', (mode) => {
  test('every object of a rich meshed program validates strictly against the Kubernetes, Karmada and Istio schemas', () => {
    const out = synth(richProgram(mode));
    const objects = all(out);
    expect(objects.filter(isIstio).length).toBeGreaterThan(20);
    const kinds = new Set(objects.filter(isIstio).map((o) => o.kind));
    for (const k of ['VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry', 'Sidecar', 'PeerAuthentication', 'AuthorizationPolicy', 'Telemetry']) expect(kinds).toContain(k);
    const validator = SchemaValidator.load({ systems: ['karmada', 'istio'] });
    expect(formatIssues(validator.validateAll(objects))).toBe('');
  });

  test('the rich program has no problems and every object carries the platform label', () => {
    let problems: Problem[] = [];
    const out = synth((app) => {
      richProgram(mode)(app);
      const platform = app.node.children.find((c): c is DistributedPlatform => c instanceof DistributedPlatform)!;
      problems = platform.problems();
    });
    expect(problems).toEqual([]);
    for (const o of all(out)) expect(o.metadata.labels['fleetplane.io/platform']).toBe(PLATFORM);
  });
});

describe('regressions found in review', () => {
  const build = (delivery: DeliveryMode) => (app: App) => {
    const p = new DistributedPlatform(app, 'prod', {
      delivery,
      clusters: [{ name: 'bj-1', region: 'cn-north', eastWestGateway: { address: '198.51.100.1' } }, { name: 'gz-1', region: 'cn-south' }],
      mesh: { meshId: 'm', istioCni: true, primaries: ['bj-1'] },
    });
    const shop = p.addTenant('shop');
    new MeshedService(shop, 'web-mesh', { app: new FederatedApp(shop, 'web', { image: 'r.example.com/web:v1', port: 8080 }), ingress: { hosts: ['shop.example.com'] } });
  };

  test('the mesh-ingress NetworkPolicy follows the app to remote clusters (direct mode)', () => {
    const out = synth(build(DeliveryMode.DIRECT));
    for (const c of ['bj-1', 'gz-1']) {
      expect(out[`prod-cluster-${c}.k8s.yaml`].filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'web-mesh-ingress')).toHaveLength(1);
    }
    // The Istio configuration itself stays on the primary.
    expect(out['prod-cluster-gz-1.k8s.yaml'].some((o) => o.kind === 'VirtualService')).toBe(false);
  });

  test('karmada mode places the mesh-ingress NetworkPolicy where the app runs', () => {
    const out = synth(build(DeliveryMode.KARMADA));
    const pp = all(out).find((o) => o.kind === 'PropagationPolicy' && o.metadata.name === 'web-mesh-network');
    expect(pp.spec.resourceSelectors).toEqual([{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', name: 'web-mesh-ingress' }]);
    expect(pp.spec.placement.clusterAffinity.clusterNames).toEqual(['bj-1', 'gz-1']);
  });

  test('versions that map to the same subset name are an error (rule 32)', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'fp-')) });
    const p = new DistributedPlatform(app, 'prod', { clusters: [{ name: 'bj-1', region: 'r' }], mesh: { meshId: 'm', istioCni: true } });
    const shop = p.addTenant('shop');
    const web = new FederatedApp(shop, 'web', { image: 'r.example.com/web:v1.0', port: 8080, canary: { version: 'v1-0' } });
    new MeshedService(shop, 'web-mesh', { app: web, traffic: Traffic.canary(10) });
    expect(p.problems().filter((x) => x.severity === 'error').map((x) => `${x.rule} ${x.prop}`)).toEqual(['K32 app.versions']);
  });

  test('Istio durations below 1 ms are errors', () => {
    const p = new DistributedPlatform(new App(), 'prod', { clusters: [{ name: 'bj-1', region: 'r' }], mesh: { meshId: 'm', istioCni: true } });
    const shop = p.addTenant('shop');
    const web = new FederatedApp(shop, 'web', { image: 'r.example.com/web:v1', port: 8080 });
    new MeshedService(shop, 'web-mesh', {
      app: web,
      fault: { delay: { fixed: Duration.millis(0), percent: 1 } },
      connectionPool: { connectTimeout: Duration.millis(0) },
      outlierDetection: { interval: Duration.millis(0) },
    });
    expect(p.problems().filter((x) => x.severity === 'error').map((x) => x.prop).sort()).toEqual(['connectionPool.connectTimeout', 'fault.delay.fixed', 'outlierDetection.interval']);
  });
});
