// Callers outside the mesh: an edge cluster that reaches a meshed service through Submariner, and a tenant with
// `mesh: false` in the service's own clusters. Without an explicit opt-in STRICT mTLS, the deny-all policy and
// the NetworkPolicies refuse them, so fleetplane refuses the definition; with MeshCaller.outsideMesh the port
// accepts plain text from exactly those ranges, and the rest of the workload stays STRICT.
import { App } from 'cdk8s';
import { evaluatePath } from '../analysis/reachability';
import { CrossClusterBackend, CrossClusterService, DeliveryMode, DistributedPlatform, FederatedApp, MeshCaller, MeshedService, Placement } from '../index';
import { fleetNetworks, memberManifests } from '../outputs/reachability';
import { all, synth } from './support/synth';
import { problemsOf } from './support/fixtures';
import { SchemaValidator, formatIssues } from './support/schema-validator';

const CLUSTERS = [
  { name: 'bj-1', region: 'cn-north', podCidr: '10.1.0.0/16', serviceCidr: '10.101.0.0/16' },
  { name: 'edge-1', region: 'cn-north', podCidr: '10.9.0.0/16', serviceCidr: '10.109.0.0/16' },
];

function build(mode: DeliveryMode, admit: boolean) {
  return (app: App) => {
    const p = new DistributedPlatform(app, 'p', {
      delivery: mode, clusters: CLUSTERS,
      mesh: { meshId: 'm', istioCni: true, clusters: { names: ['bj-1'] } },
      submariner: { broker: 'bj-1' },
    });
    const shop = p.addTenant('shop');
    const kiosk = p.addTenant('kiosk', { mesh: false, clusters: { names: ['bj-1'] } });
    new FederatedApp(kiosk, 'till', { image: 'r.example.com/till:1.0.0', port: 8080 });
    const stock = new FederatedApp(shop, 'stock', { image: 'r.example.com/stock:1.0.0', port: 8080, placement: Placement.clusters('bj-1') });
    const svc = new MeshedService(shop, 'stock-mesh', { app: stock });
    new CrossClusterService(shop, 'stock-xcs', { app: stock, backend: CrossClusterBackend.SUBMARINER, consumers: { names: ['bj-1', 'edge-1'] }, providers: ['bj-1'] });
    if (admit) svc.allowFrom(MeshCaller.outsideMesh({ namespaces: ['kiosk'], clusters: ['edge-1'] }), { methods: ['GET'] });
    return p;
  };
}

test('a meshed service exported to a cluster outside the mesh, without the opt-in, is refused naming the fix', () => {
  const problems = problemsOf(build(DeliveryMode.DIRECT, false)).filter((x) => x.severity === 'error');
  expect(problems.map((x) => `${x.rule} ${x.prop} ${JSON.stringify(x.value)}`)).toEqual(['K49 consumers ["edge-1"]']);
  expect(problems[0].fix).toContain("stock-mesh.allowFrom(MeshCaller.outsideMesh({ clusters: ['edge-1'] }))");
});

test('a tenant outside the mesh passed as a caller is refused, naming the opt-in', () => {
  const problems = problemsOf((a) => {
    const p = build(DeliveryMode.DIRECT, true)(a);
    const svc = p.node.findAll().find((c): c is MeshedService => c instanceof MeshedService)!;
    svc.allowFrom(p.node.findAll().find((c: any) => c.namespace === 'kiosk') as any);
    return p;
  }).filter((x) => x.severity === 'error');
  expect(problems.map((x) => x.fix)).toEqual(["put the tenant in the mesh, or admit it as plain text: allowFrom(MeshCaller.outsideMesh({ namespaces: ['kiosk'] }))."]);
});

describe.each([DeliveryMode.KARMADA, DeliveryMode.DIRECT])('MeshCaller.outsideMesh (%s mode)', (mode) => {
  test('PERMISSIVE on the service port only, plain text admitted from the callers\' ranges only, NetworkPolicies to match', () => {
    const objects = all(synth(build(mode, true)));
    const pa = objects.find((o) => o.kind === 'PeerAuthentication' && o.metadata.name === 'stock-outside-mesh');
    expect(pa.spec).toEqual({ selector: { matchLabels: { 'app.kubernetes.io/instance': 'shop-stock', 'app.kubernetes.io/name': 'stock' } }, portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } });
    const authz = objects.find((o) => o.kind === 'AuthorizationPolicy' && o.metadata.name === 'stock-allow');
    expect(authz.spec.rules).toContainEqual({ from: [{ source: { ipBlocks: ['10.1.0.0/16', '10.9.0.0/16'], notPrincipals: ['*'] } }], to: [{ operation: { ports: ['8080'], methods: ['GET'] } }] });
    const np = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'stock-mesh-ingress');
    expect(np.spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kiosk' } } },
      { ipBlock: { cidr: '10.9.0.0/16' } },
    ]);
    // The kiosk tenant's default-deny egress opens towards the service.
    expect(objects.some((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'kiosk' && o.metadata.name === 'all-to-shop-stock')).toBe(true);
    const v = SchemaValidator.load({ kubernetesVersion: 'v1.33.0', systems: ['karmada', 'istio', 'submariner'] });
    expect(formatIssues(v.validateAll(objects))).toBe('');
  });

  test('as the cluster decides: the kiosk till (plain text) gets in; a meshed pod without the right identity does not', () => {
    const app = new App();
    const p = build(mode, true)(app);
    const manifests = memberManifests(p);
    const networks = fleetNetworks(p);
    const till = { cluster: 'bj-1', namespace: 'kiosk', labels: { 'app.kubernetes.io/name': 'till' }, meshed: false };
    const stock = { cluster: 'bj-1', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'stock' }, meshed: true, port: 8080 };
    expect(evaluatePath(manifests, networks, { from: till, to: stock, mtls: false, http: { method: 'GET', path: '/' } }).allowed).toBe(true);
    expect(evaluatePath(manifests, networks, { from: till, to: stock, mtls: false, http: { method: 'DELETE', path: '/' } }).allowed).toBe(false);
    const other = { cluster: 'bj-1', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'stock' }, meshed: true };
    expect(evaluatePath(manifests, networks, { from: other, to: stock, mtls: true, http: { method: 'GET', path: '/' } }).allowed).toBe(false);
  });
});

test('outsideMesh input is checked: ranges must be declared, clusters outside the mesh, namespaces of plain tenants', () => {
  const problems = problemsOf((a) => {
    const p = new DistributedPlatform(a, 'p', { clusters: [{ name: 'bj-1', region: 'r' }, { name: 'edge-1', region: 'r' }], mesh: { meshId: 'm', istioCni: true, clusters: { names: ['bj-1'] } } });
    const shop = p.addTenant('shop');
    p.addTenant('meshed2');
    const svc = new MeshedService(shop, 'web-mesh', { app: new FederatedApp(shop, 'web', { image: 'r.example.com/web:1', port: 8080 }) });
    svc.allowFrom(MeshCaller.outsideMesh({}));
    svc.allowFrom(MeshCaller.outsideMesh({ clusters: ['edge-1', 'bj-1', 'zz'] }));
    svc.allowFrom(MeshCaller.outsideMesh({ namespaces: ['nope', 'meshed2', 'Bad_NS'] }));
    return p;
  }).filter((x) => x.severity === 'error');
  expect(problems.map((x) => `${x.rule} ${x.prop}`).sort()).toEqual([
    'K13 allowFrom(1).clusters',
    'K36 allowFrom(0)',
    'K36 allowFrom(1).clusters',
    'K36 allowFrom(2).namespaces[0]',
    'K36 allowFrom(2).namespaces[1]',
    'K36 allowFrom(2).namespaces[2]',
    'K36 clusters[name=bj-1].podCidr',
    // Once for the cluster named as a caller, once as a cluster of the service (web runs there too).
    'K36 clusters[name=edge-1].podCidr',
    'K36 clusters[name=edge-1].podCidr',
  ]);
});
