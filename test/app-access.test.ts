// Access control without a mesh (a finance PaaS requirement): "payments may call ledger, ledger may not call
// payments, reports may call nobody". NetworkPolicies alone must realise it, and allow-same-namespace must not
// void the allow-lists. The reachability model decides every pair from the synthesized manifests, in each cluster.
import { App } from 'cdk8s';
import { evaluatePath } from '../analysis/reachability';
import { checkReachability, DeliveryMode, DistributedPlatform, FederatedApp, MeshedService, Tenant } from '../index';
import { fleetNetworks, memberManifests } from '../outputs/reachability';
import { all, synth } from './support/synth';
import { problemsOf } from './support/fixtures';
import { SchemaValidator, formatIssues } from './support/schema-validator';

const CLUSTERS = [{ name: 'bj-1', region: 'cn-north', podCidr: '10.1.0.0/16' }, { name: 'sh-1', region: 'cn-east', podCidr: '10.2.0.0/16' }];

interface Finance { platform: DistributedPlatform; finance: Tenant; ledger: FederatedApp; payments: FederatedApp; reports: FederatedApp; audit: FederatedApp }

function finance(app: App, mode: DeliveryMode): Finance {
  const platform = new DistributedPlatform(app, 'paas', { delivery: mode, clusters: CLUSTERS, defaults: { imageRegistry: 'registry.example.com' } });
  const fin = platform.addTenant('finance');
  const ops = platform.addTenant('ops');
  const mk = (t: Tenant, name: string) => new FederatedApp(t, name, { image: `fin/${name}:1.0.0`, ports: [{ name: 'http', port: 8080 }, { name: 'admin', port: 9000 }] });
  const ledger = mk(fin, 'ledger');
  const payments = mk(fin, 'payments');
  const reports = mk(fin, 'reports');
  const audit = mk(ops, 'audit');
  ledger.allowFrom(payments, { ports: ['http'] });
  // Another tenant's app, on the admin port only.
  ledger.allowFrom(audit, { ports: ['admin'] });
  // payments takes calls from its own namespace's gateway only: ledger and reports are not on its list.
  payments.allowFrom(new FederatedApp(fin, 'gateway', { image: 'fin/gateway:1.0.0', port: 8080 }));
  return { platform, finance: fin, ledger, payments, reports, audit };
}

describe.each([DeliveryMode.DIRECT, DeliveryMode.KARMADA])('allowFrom without a mesh (%s mode)', (mode) => {
  const app = new App();
  const f = finance(app, mode);
  const manifests = memberManifests(f.platform);
  const networks = fleetNetworks(f.platform);
  const pod = (cluster: string, ns: string, name: string) => ({ cluster, namespace: ns, labels: { 'app.kubernetes.io/name': name }, meshed: false });
  const allowed = (from: [string, string], to: [string, string], port: number, clusters = ['bj-1', 'sh-1']) =>
    clusters.map((c) => evaluatePath(manifests, networks, { from: pod(c, ...from), to: { ...pod(c, ...to), port }, mtls: false }).allowed);

  test('declared callers get through on their ports only; nobody else does, in every cluster', () => {
    expect(allowed(['finance', 'payments'], ['finance', 'ledger'], 8080)).toEqual([true, true]);
    expect(allowed(['finance', 'payments'], ['finance', 'ledger'], 9000)).toEqual([false, false]);
    expect(allowed(['ops', 'audit'], ['finance', 'ledger'], 9000)).toEqual([true, true]);
    expect(allowed(['ops', 'audit'], ['finance', 'ledger'], 8080)).toEqual([false, false]);
    // Same namespace, undeclared: allow-same-namespace no longer admits them.
    expect(allowed(['finance', 'reports'], ['finance', 'ledger'], 8080)).toEqual([false, false]);
    expect(allowed(['finance', 'ledger'], ['finance', 'payments'], 8080)).toEqual([false, false]);
    expect(allowed(['finance', 'gateway'], ['finance', 'payments'], 8080)).toEqual([true, true]);
    // Apps without a list still take calls from their namespace, and the allow-listed ones can still call out.
    expect(allowed(['finance', 'ledger'], ['finance', 'reports'], 8080)).toEqual([true, true]);
    expect(allowed(['finance', 'payments'], ['finance', 'reports'], 8080)).toEqual([true, true]);
    expect(allowed(['ops', 'audit'], ['finance', 'reports'], 8080)).toEqual([false, false]);
  });

  test('the emitted policies: the allow-list, the scoped same-namespace pair, the caller tenant\'s egress', () => {
    const objects = all(synth((a) => { finance(a, mode); }));
    const np = (name: string, ns = 'finance') => objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name && o.metadata.namespace === ns);
    expect(np('ledger-allow-from').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'finance-ledger', 'app.kubernetes.io/name': 'ledger' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'finance' } }, podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'finance-payments', 'app.kubernetes.io/name': 'payments' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } }, podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'ops-audit', 'app.kubernetes.io/name': 'audit' } } }], ports: [{ port: 9000, protocol: 'TCP' }] },
      ],
    });
    expect(np('allow-same-namespace').spec.podSelector).toEqual({ matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'NotIn', values: ['ledger', 'payments'] }] });
    expect(np('allow-same-namespace-egress').spec).toEqual({
      podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['ledger', 'payments'] }] },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: {} }] }],
    });
    expect(np('allow-same-namespace', 'ops').spec.podSelector).toEqual({});
    expect(np('audit-to-finance-ledger', 'ops').spec.egress[0].ports).toEqual([{ port: 9000, protocol: 'TCP' }]);
    const v = SchemaValidator.load({ kubernetesVersion: 'v1.33.0', systems: ['karmada'] });
    expect(formatIssues(v.validateAll(objects))).toBe('');
  });

  test('the reachability check evaluates the declared calls in every cluster where both run, and passes', () => {
    const report = checkReachability(app);
    const calls = report.entries.filter((e) => e.kind === 'call' && e.callee.startsWith('finance/ledger'));
    expect(calls.map((e) => `${e.caller} ${e.callee} ${e.fromCluster} ${e.allowed}`).sort()).toEqual([
      'finance/payments finance/ledger:8080 bj-1 true', 'finance/payments finance/ledger:8080 sh-1 true',
      'ops/audit finance/ledger:9000 bj-1 true', 'ops/audit finance/ledger:9000 sh-1 true',
    ]);
    expect(report.blocked).toEqual([]);
    expect(report.leaks).toEqual([]);
  });
});

test('a tenant without allow-lists keeps its policies unchanged', () => {
  const objects = all(synth((a) => {
    const p = new DistributedPlatform(a, 'paas', { clusters: CLUSTERS });
    new FederatedApp(p.addTenant('t'), 'web', { image: 'registry.example.com/web:1.0.0', port: 8080 });
  }));
  expect(objects.find((o) => o.metadata.name === 'allow-same-namespace').spec.podSelector).toEqual({});
  expect(objects.some((o) => o.metadata.name === 'allow-same-namespace-egress')).toBe(false);
});

test('bad allowFrom input is a typed FP-ACCESS problem naming the call', () => {
  const problems = problemsOf((a) => {
    const p = new DistributedPlatform(a, 'paas', { clusters: CLUSTERS, mesh: { meshId: 'm', istioCni: true } });
    const plain = p.addTenant('plain', { mesh: false });
    const meshed = p.addTenant('meshed');
    const web = new FederatedApp(plain, 'web', { image: 'registry.example.com/web:1.0.0', port: 8080 });
    web.allowFrom('payments' as any);
    web.allowFrom(plain, { ports: ['grpc'] });
    web.allowFrom(plain, { ports: [] });
    new FederatedApp(plain, 'worker', { image: 'registry.example.com/worker:1.0.0' }).allowFrom(web);
    const api = new FederatedApp(meshed, 'api', { image: 'registry.example.com/api:1.0.0', port: 8080 });
    new MeshedService(meshed, 'api-mesh', { app: api });
    api.allowFrom(web);
    const other = new DistributedPlatform(a, 'other', { clusters: CLUSTERS });
    web.allowFrom(new FederatedApp(other.addTenant('x'), 'y', { image: 'registry.example.com/y:1.0.0', port: 80 }));
    return p;
  });
  expect(problems.filter((x) => x.severity === 'error').map((x) => `${x.rule} ${x.path} ${x.prop}`)).toEqual([
    'FP-ACCESS paas/meshed/api allowFrom(0)',
    'FP-ACCESS paas/plain/web allowFrom(0)',
    'FP-ACCESS paas/plain/web allowFrom(1).ports',
    'FP-ACCESS paas/plain/web allowFrom(2).ports',
    'FP-ACCESS paas/plain/web allowFrom(3)',
    'FP-ACCESS paas/plain/worker allowFrom(0)',
  ]);
});
