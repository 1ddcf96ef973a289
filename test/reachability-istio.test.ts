// The Istio part of the reachability model, on Istio's documented examples: the PeerAuthentication reference,
// the AuthorizationPolicy reference and the authz-deny / authz-tcp tasks, and the Sidecar reference.
import { evaluatePath, reachabilityMatrix } from '../analysis/reachability';
import { HttpRequest, MeshOptions } from '../analysis/types';

const NETWORKS = { c1: { podCidrs: ['10.0.0.0/16'], network: 'n1' } };
const obj = (apiVersion: string, kind: string, namespace: string, name: string, spec: object) => ({ apiVersion, kind, metadata: { name, namespace }, spec });
const pa = (namespace: string, name: string, spec: object) => obj('security.istio.io/v1', 'PeerAuthentication', namespace, name, spec);
const authz = (namespace: string, name: string, spec: object) => obj('security.istio.io/v1', 'AuthorizationPolicy', namespace, name, spec);
const sidecar = (namespace: string, name: string, spec: object) => obj('networking.istio.io/v1', 'Sidecar', namespace, name, spec);
const service = (namespace: string, name: string, app: string, ports: number[]) => obj('v1', 'Service', namespace, name, { selector: { app }, ports: ports.map((port) => ({ port, targetPort: port })) });

interface Caller { readonly namespace: string; readonly app: string; readonly meshed?: boolean; readonly ip?: string }
const caller = (c: Caller) => ({ cluster: 'c1', namespace: c.namespace, labels: { app: c.app }, serviceAccount: c.app, meshed: c.meshed ?? true, ip: c.ip });
const SLEEP = { namespace: 'foo', app: 'sleep' };
const LEGACY = { namespace: 'legacy', app: 'sleep', meshed: false };

/** One call into workload `app` of `namespace` on `port`; mTLS whenever both ends are meshed, as auto mTLS does. */
function call(objects: object[], from: Caller, to: { namespace: string; app: string; port: number }, http?: HttpRequest, options?: MeshOptions) {
  const target = { cluster: 'c1', namespace: to.namespace, labels: { app: to.app }, meshed: true, port: to.port };
  return evaluatePath({ c1: objects }, NETWORKS, { from: caller(from), to: target, mtls: from.meshed ?? true, http }, options);
}
const GET = (path: string): HttpRequest => ({ method: 'GET', path });
const POST = (path: string): HttpRequest => ({ method: 'POST', path });
const httpbin = { namespace: 'foo', app: 'httpbin', port: 8000 };
const base = [service('foo', 'httpbin', 'httpbin', [8000]), service('foo', 'finance', 'finance', [8080, 9090]), service('foo', 'tcp-echo', 'tcp-echo', [9000, 9001])];

describe('PeerAuthentication (Istio reference examples)', () => {
  test('namespace foo STRICT: plain text is refused, mutual TLS is accepted', () => {
    const objects = [...base, pa('foo', 'default', { mtls: { mode: 'STRICT' } })];
    const plain = call(objects, LEGACY, httpbin);
    expect(plain.allowed).toBe(false);
    expect(plain.decidedBy).toEqual({ kind: 'PeerAuthentication', namespace: 'foo', name: 'default', rule: 'mtls', cluster: 'c1' });
    expect(call(objects, SLEEP, httpbin).allowed).toBe(true);
  });

  test('namespace PERMISSIVE, workload finance STRICT', () => {
    const objects = [...base, pa('foo', 'default', { mtls: { mode: 'PERMISSIVE' } }), pa('foo', 'finance', { selector: { matchLabels: { app: 'finance' } }, mtls: { mode: 'STRICT' } })];
    expect(call(objects, LEGACY, httpbin).allowed).toBe(true);
    expect(call(objects, LEGACY, { namespace: 'foo', app: 'finance', port: 8080 }).decidedBy).toMatchObject({ name: 'finance', rule: 'mtls' });
  });

  test('finance STRICT but port 8080 DISABLE (portLevelMtls)', () => {
    const objects = [...base, pa('foo', 'default', { selector: { matchLabels: { app: 'finance' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { 8080: { mode: 'DISABLE' } } })];
    const on8080 = call(objects, LEGACY, { namespace: 'foo', app: 'finance', port: 8080 });
    expect(on8080.allowed).toBe(true);
    expect(on8080.hops.find((h) => h.kind === 'peer-authentication')?.decidedBy).toMatchObject({ rule: 'portLevelMtls[8080]' });
    expect(call(objects, LEGACY, { namespace: 'foo', app: 'finance', port: 9090 }).allowed).toBe(false);
  });

  test('UNSET inherits from the namespace (or mesh) and port 8080 overrides it', () => {
    const objects = [
      ...base,
      pa('foo', 'ns-strict', { mtls: { mode: 'STRICT' } }),
      pa('foo', 'default', { selector: { matchLabels: { app: 'finance' } }, mtls: { mode: 'UNSET' }, portLevelMtls: { 8080: { mode: 'DISABLE' } } }),
    ];
    expect(call(objects, LEGACY, { namespace: 'foo', app: 'finance', port: 8080 }).allowed).toBe(true);
    expect(call(objects, LEGACY, { namespace: 'foo', app: 'finance', port: 9090 }).decidedBy).toMatchObject({ name: 'ns-strict' });
  });

  test('mesh-wide STRICT in the root namespace; a namespace policy overrides it; root policies with a selector are ignored', () => {
    const mesh = pa('istio-system', 'default', { mtls: { mode: 'STRICT' } });
    expect(call([...base, mesh], LEGACY, httpbin).decidedBy).toMatchObject({ namespace: 'istio-system', name: 'default' });
    expect(call([...base, mesh, pa('foo', 'default', { mtls: { mode: 'PERMISSIVE' } })], LEGACY, httpbin).allowed).toBe(true);
    const ignored = pa('istio-system', 'httpbin-permissive', { selector: { matchLabels: { app: 'httpbin' } }, mtls: { mode: 'PERMISSIVE' } });
    expect(call([...base, mesh, ignored], LEGACY, httpbin).allowed).toBe(false);
    expect(call([...base, pa('istio-config', 'default', { mtls: { mode: 'STRICT' } })], LEGACY, httpbin, undefined, { rootNamespace: 'istio-config' }).allowed).toBe(false);
  });

  test('DISABLE: the connection arrives without a peer identity, so principal rules no longer match', () => {
    const objects = [...base, pa('foo', 'default', { mtls: { mode: 'DISABLE' } }), authz('foo', 'httpbin', { rules: [{ from: [{ source: { principals: ['cluster.local/ns/foo/sa/sleep'] } }] }] })];
    expect(call(objects, SLEEP, httpbin).allowed).toBe(false);
  });
});

describe('AuthorizationPolicy (Istio reference and tasks)', () => {
  const reference = authz('foo', 'httpbin', {
    action: 'ALLOW',
    rules: [{
      from: [{ source: { principals: ['cluster.local/ns/default/sa/sleep'] } }, { source: { namespaces: ['test'] } }],
      to: [{ operation: { methods: ['GET'], paths: ['/info*'] } }, { operation: { methods: ['POST'], paths: ['/data'] } }],
    }],
  });

  test('reference example: principal sleep or namespace test, GET /info* or POST /data', () => {
    const objects = [...base, reference];
    const sleepInDefault = { namespace: 'default', app: 'sleep' };
    const ok = call(objects, sleepInDefault, httpbin, GET('/info/version'));
    expect(ok.allowed).toBe(true);
    expect(ok.decidedBy).toEqual({ kind: 'AuthorizationPolicy', namespace: 'foo', name: 'httpbin', rule: 'rules[0]', cluster: 'c1' });
    expect(call(objects, sleepInDefault, httpbin, POST('/data')).allowed).toBe(true);
    expect(call(objects, sleepInDefault, httpbin, POST('/info')).allowed).toBe(false);
    expect(call(objects, { namespace: 'test', app: 'anything' }, httpbin, GET('/info')).allowed).toBe(true);
    expect(call(objects, { namespace: 'other', app: 'sleep' }, httpbin, GET('/info')).decidedBy).toMatchObject({ name: 'httpbin', rule: undefined });
    // Requests without mutual TLS have no principal and no namespace.
    expect(call(objects, { namespace: 'test', app: 'anything', meshed: false }, httpbin, GET('/info')).allowed).toBe(false);
  });

  test("reference example with `when: request.auth.claims[iss]`: JWT claims are unknown to the model, so the ALLOW rule does not match", () => {
    const withJwt = authz('foo', 'httpbin', { rules: [{ from: [{ source: { namespaces: ['test'] } }], when: [{ key: 'request.auth.claims[iss]', values: ['https://accounts.google.com'] }] }] });
    expect(call([...base, withJwt], { namespace: 'test', app: 'a' }, httpbin, GET('/')).allowed).toBe(false);
  });

  test('allow-nothing (`spec: {}`) denies every request; `rules: [{}]` allows every request; deny-all wins over allow-all', () => {
    const nothing = authz('foo', 'allow-nothing', {});
    expect(call([...base, nothing], SLEEP, httpbin, GET('/')).decidedBy).toMatchObject({ name: 'allow-nothing' });
    const all = authz('foo', 'allow-all', { rules: [{}] });
    expect(call([...base, nothing, all], SLEEP, httpbin, GET('/')).allowed).toBe(true);
    const denyAll = authz('foo', 'deny-all', { action: 'DENY', rules: [{}] });
    expect(call([...base, all, denyAll], SLEEP, httpbin, GET('/')).decidedBy).toMatchObject({ name: 'deny-all', rule: 'rules[0]' });
    // A DENY policy without rules matches nothing.
    expect(call([...base, authz('foo', 'deny-none', { action: 'DENY' })], SLEEP, httpbin, GET('/')).allowed).toBe(true);
  });

  test('a root-namespace policy applies mesh-wide; with a selector it applies to matching workloads in every namespace', () => {
    expect(call([...base, authz('istio-system', 'allow-nothing', {})], SLEEP, httpbin, GET('/')).decidedBy).toMatchObject({ namespace: 'istio-system' });
    const denyHttpbin = authz('istio-system', 'deny-httpbin', { selector: { matchLabels: { app: 'httpbin' } }, action: 'DENY', rules: [{}] });
    expect(call([...base, denyHttpbin], SLEEP, httpbin, GET('/')).allowed).toBe(false);
    expect(call([...base, denyHttpbin], SLEEP, { namespace: 'foo', app: 'finance', port: 8080 }, GET('/')).allowed).toBe(true);
  });

  test('authz-deny task: deny-method-get denies GET and lets POST through; DENY wins over allow-path-ip', () => {
    const denyGet = authz('foo', 'deny-method-get', { selector: { matchLabels: { app: 'httpbin' } }, action: 'DENY', rules: [{ to: [{ operation: { methods: ['GET'] } }] }] });
    expect(call([...base, denyGet], SLEEP, httpbin, GET('/get')).decidedBy).toMatchObject({ name: 'deny-method-get' });
    expect(call([...base, denyGet], SLEEP, httpbin, POST('/post')).allowed).toBe(true);
    const allowIp = authz('foo', 'allow-path-ip', { selector: { matchLabels: { app: 'httpbin' } }, action: 'ALLOW', rules: [{ to: [{ operation: { paths: ['/ip'] } }] }] });
    expect(call([...base, allowIp], SLEEP, httpbin, GET('/ip')).allowed).toBe(true);
    expect(call([...base, allowIp], SLEEP, httpbin, GET('/get')).allowed).toBe(false);
    expect(call([...base, allowIp, denyGet], SLEEP, httpbin, GET('/ip')).allowed).toBe(false);
  });

  test('authz-tcp task: ports on TCP; HTTP-only fields make an ALLOW rule fail and a DENY rule match', () => {
    const echo = (port: number) => ({ namespace: 'foo', app: 'tcp-echo', port });
    const tcpPolicy = authz('foo', 'tcp-policy', { selector: { matchLabels: { app: 'tcp-echo' } }, action: 'ALLOW', rules: [{ to: [{ operation: { ports: ['9000', '9001'] } }] }] });
    expect(call([...base, tcpPolicy], SLEEP, echo(9000)).allowed).toBe(true);
    expect(call([...base, tcpPolicy], SLEEP, echo(9001)).allowed).toBe(true);
    expect(call([...base, tcpPolicy], SLEEP, echo(9002)).allowed).toBe(false);
    const allowGet = authz('foo', 'tcp-policy', { selector: { matchLabels: { app: 'tcp-echo' } }, action: 'ALLOW', rules: [{ to: [{ operation: { methods: ['GET'], ports: ['9000'] } }] }] });
    expect(call([...base, allowGet], SLEEP, echo(9000)).allowed).toBe(false);
    const denyGet = authz('foo', 'tcp-policy', { selector: { matchLabels: { app: 'tcp-echo' } }, action: 'DENY', rules: [{ to: [{ operation: { methods: ['GET'], ports: ['9000'] } }] }] });
    expect(call([...base, denyGet], SLEEP, echo(9000)).allowed).toBe(false);
    expect(call([...base, denyGet], SLEEP, echo(9001)).allowed).toBe(true);
  });

  test('notNamespaces: a DENY for sources outside foo also denies plain text, which has no namespace', () => {
    const deny = authz('foo', 'only-foo', { action: 'DENY', rules: [{ from: [{ source: { notNamespaces: ['foo'] } }] }] });
    expect(call([...base, deny], SLEEP, httpbin, GET('/')).allowed).toBe(true);
    expect(call([...base, deny], { namespace: 'foo', app: 'sleep', meshed: false }, httpbin, GET('/')).allowed).toBe(false);
    expect(call([...base, deny], { namespace: 'bar', app: 'sleep' }, httpbin, GET('/')).allowed).toBe(false);
  });

  test('paths: exact, prefix /api/*, suffix *.html, presence *', () => {
    const rule = (paths: string[]) => [...base, authz('foo', 'paths', { rules: [{ to: [{ operation: { paths } }] }] })];
    expect(call(rule(['/data']), SLEEP, httpbin, GET('/data')).allowed).toBe(true);
    expect(call(rule(['/data']), SLEEP, httpbin, GET('/data/x')).allowed).toBe(false);
    expect(call(rule(['/api/*']), SLEEP, httpbin, GET('/api/v1/users')).allowed).toBe(true);
    expect(call(rule(['/api/*']), SLEEP, httpbin, GET('/apis')).allowed).toBe(false);
    expect(call(rule(['*.html']), SLEEP, httpbin, GET('/index.html')).allowed).toBe(true);
    expect(call(rule(['*']), SLEEP, httpbin, GET('/anything')).allowed).toBe(true);
    expect(call([...base, authz('foo', 'not-admin', { rules: [{ to: [{ operation: { notPaths: ['/admin*'] } }] }] })], SLEEP, httpbin, GET('/admin/x')).allowed).toBe(false);
  });

  test('ipBlocks, when conditions and notPrincipals', () => {
    const byIp = [...base, authz('foo', 'office', { rules: [{ from: [{ source: { ipBlocks: ['10.0.5.0/24'] } }] }] })];
    expect(call(byIp, { ...SLEEP, ip: '10.0.5.7' }, httpbin, GET('/')).allowed).toBe(true);
    // Without a known address the caller may be anywhere in the pod CIDR.
    expect(call(byIp, SLEEP, httpbin, GET('/')).allowed).toBe(false);
    const header = [...base, authz('foo', 'token', { rules: [{ when: [{ key: 'request.headers[x-token]', values: ['admin'] }, { key: 'source.namespace', values: ['foo'] }] }] })];
    expect(call(header, SLEEP, httpbin, { method: 'GET', path: '/', headers: { 'x-token': 'admin' } }).allowed).toBe(true);
    expect(call(header, SLEEP, httpbin, GET('/')).allowed).toBe(false);
    const requireMtls = [...base, authz('foo', 'require-mtls', { action: 'DENY', rules: [{ from: [{ source: { notPrincipals: ['*'] } }] }] })];
    expect(call(requireMtls, SLEEP, httpbin).allowed).toBe(true);
    expect(call(requireMtls, LEGACY, httpbin).decidedBy).toMatchObject({ name: 'require-mtls' });
  });

  test('CUSTOM goes first; its external answer is an option (assumed to allow by default)', () => {
    const custom = authz('foo', 'ext-authz', { action: 'CUSTOM', provider: { name: 'opa' }, rules: [{ to: [{ operation: { paths: ['/headers'] } }] }] });
    expect(call([...base, custom], SLEEP, httpbin, GET('/headers')).allowed).toBe(true);
    expect(call([...base, custom], SLEEP, httpbin, GET('/headers'), { customVerdict: 'deny' }).decidedBy).toMatchObject({ name: 'ext-authz' });
    expect(call([...base, custom], SLEEP, httpbin, GET('/ip'), { customVerdict: 'deny' }).allowed).toBe(true);
  });
});

describe('Sidecar egress scoping (Istio Sidecar reference)', () => {
  const api = { namespace: 'prod-apis', app: 'api', port: 9080 };
  const objects = [service('prod-apis', 'api', 'api', [9080, 8080]), service('prod-eu', 'shop', 'shop', [9080]), service('foo', 'httpbin', 'httpbin', [8000])];
  const us1 = { namespace: 'prod-us1', app: 'web' };

  test('mesh default in the root namespace: ./* and istio-system/* (`.` is the workload\'s namespace)', () => {
    const root = sidecar('istio-config', 'default', { egress: [{ hosts: ['./*', 'istio-system/*'] }] });
    const options: MeshOptions = { rootNamespace: 'istio-config', outboundTrafficPolicy: 'REGISTRY_ONLY' };
    expect(call([...objects, root], SLEEP, httpbin, undefined, options).allowed).toBe(true);
    const blocked = call([...objects, root], SLEEP, api, undefined, options);
    expect(blocked.decidedBy).toEqual({ kind: 'Sidecar', namespace: 'istio-config', name: 'default', rule: 'egress[0].hosts', cluster: 'c1' });
  });

  test('namespace default in prod-us1 imports prod-us1/*, prod-apis/*, istio-system/*', () => {
    const ns = sidecar('prod-us1', 'default', { egress: [{ hosts: ['prod-us1/*', 'prod-apis/*', 'istio-system/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
    expect(call([...objects, ns], us1, api).allowed).toBe(true);
    expect(call([...objects, ns], us1, { namespace: 'prod-eu', app: 'shop', port: 9080 }).decidedBy).toMatchObject({ kind: 'Sidecar', name: 'default' });
    // A workload's own Sidecar wins over the namespace default.
    const own = sidecar('prod-us1', 'web', { workloadSelector: { labels: { app: 'web' } }, egress: [{ hosts: ['*/shop.prod-eu.svc.cluster.local'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
    expect(call([...objects, ns, own], us1, { namespace: 'prod-eu', app: 'shop', port: 9080 }).allowed).toBe(true);
    expect(call([...objects, ns, own], us1, api).allowed).toBe(false);
  });

  test('a listener bound to a port scopes that port; the listener without a port catches the others', () => {
    const ports = sidecar('prod-us1', 'default', {
      egress: [{ port: { number: 9080, protocol: 'HTTP', name: 'egresshttp' }, hosts: ['prod-apis/*'] }, { hosts: ['istio-system/*'] }],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    });
    expect(call([...objects, ports], us1, api).allowed).toBe(true);
    expect(call([...objects, ports], us1, { ...api, port: 8080 }).decidedBy).toMatchObject({ rule: 'egress[1].hosts' });
  });

  test('~/* imports nothing; ALLOW_ANY passes out-of-scope hosts through as plain text, which STRICT refuses', () => {
    const none = sidecar('foo', 'default', { egress: [{ hosts: ['~/*'] }] });
    const passthrough = call([...objects, none], SLEEP, httpbin);
    expect(passthrough.allowed).toBe(true);
    expect(passthrough.hops[0].reason).toContain('ALLOW_ANY passes it through as plain text');
    const strict = call([...objects, none, pa('foo', 'default', { mtls: { mode: 'STRICT' } })], SLEEP, httpbin);
    expect(strict.decidedBy).toMatchObject({ kind: 'PeerAuthentication', name: 'default' });
  });

  test('fleetplane\'s own shape: a workload Sidecar with REGISTRY_ONLY reaches only the listed hosts', () => {
    const own = sidecar('foo', 'sleep', {
      workloadSelector: { labels: { app: 'sleep' } },
      egress: [{ hosts: ['istio-system/*', 'prod-apis/api.prod-apis.svc.cluster.local'] }],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    });
    const matrix = reachabilityMatrix({ c1: [...objects, own] }, NETWORKS, [
      { from: caller(SLEEP), to: { cluster: 'c1', namespace: 'prod-apis', labels: { app: 'api' }, meshed: true, port: 9080 }, mtls: true },
      { from: caller(SLEEP), to: { cluster: 'c1', namespace: 'foo', labels: { app: 'httpbin' }, meshed: true, port: 8000 }, mtls: true },
    ]);
    expect(matrix.map((e) => [e.label, e.result.allowed])).toEqual([
      ['c1/foo/sleep -> c1/prod-apis/api:9080', true],
      ['c1/foo/sleep -> c1/foo/httpbin:8000', false],
    ]);
  });
});
