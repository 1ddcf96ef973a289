// Pruning a target's file with the generated command: every kind in the file is allowlisted, the selector keeps
// shared namespaces out, and kubectl's prune decision (objects of allowlisted kinds matching the selector that are
// no longer in the file) removes exactly what left the definition, never istio-system or the monitoring namespace.
import { App } from 'cdk8s';
import { DeliveryMode, DistributedPlatform, FederatedApp, GlobalTier, pruneCommands, synthesizeTargets } from '../index';

const CLUSTERS = [{ name: 'bj-1', region: 'cn-north', network: 'n1' }, { name: 'sh-1', region: 'cn-east', network: 'n2' }];

function platform(withCart: boolean, withMesh = true) {
  const app = new App();
  const p = new DistributedPlatform(app, 'shop', {
    clusters: CLUSTERS, delivery: DeliveryMode.DIRECT,
    mesh: withMesh ? { meshId: 'm', istioCni: true } : undefined,
    submariner: { broker: 'bj-1' },
    monitoring: { global: GlobalTier.hierarchical({ cluster: 'bj-1' }) },
  });
  const tenant = p.addTenant('shop');
  new FederatedApp(tenant, 'web', { image: 'registry.example.com/shop/web:1.0.0', port: 8080 });
  if (withCart) new FederatedApp(tenant, 'cart', { image: 'registry.example.com/shop/cart:1.0.0', port: 8080 });
  return synthesizeTargets(app);
}

/** Parses a kubectl label selector of `k=v` and `k!=v` terms. */
function matches(selector: string, labels: Record<string, string> = {}): boolean {
  return selector.split(',').every((term) => {
    const [k, v] = term.split(/!?=/);
    return term.includes('!=') ? labels[k] !== v : labels[k] === v;
  });
}

const gvk = (o: any) => (String(o.apiVersion).includes('/') ? `${o.apiVersion}/${o.kind}` : `core/${o.apiVersion}/${o.kind}`);
const key = (o: any) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** What `kubectl apply --prune` deletes: live objects of allowlisted kinds matching the selector, not in the file. */
function pruned(live: any[], next: any[], cmd: ReturnType<typeof pruneCommands>[number]): string[] {
  const kept = new Set(next.map(key));
  return live.filter((o) => cmd.allowlist.includes(gvk(o)) && matches(cmd.selector, o.metadata.labels) && !kept.has(key(o))).map(key).sort();
}

test('every kind of a target file is in its prune allowlist, and the command names file, selector and kinds', () => {
  const outputs = platform(true);
  for (const cmd of pruneCommands(outputs)) {
    const out = outputs.find((o) => `${o.platform}-${o.target.name}` === cmd.target)!;
    for (const o of out.objects) expect(cmd.allowlist).toContain(gvk(o));
    expect(cmd.command).toContain(`-f dist/${cmd.target}.k8s.yaml --prune -l 'fleetplane.io/platform=shop,fleetplane.io/ownership!=shared'`);
    for (const k of cmd.allowlist) expect(cmd.command).toContain(`--prune-allowlist=${k}`);
  }
});

test('removing an app prunes exactly its objects, RBAC, policies and custom resources included', () => {
  const before = platform(true);
  const after = platform(false);
  for (const cmd of pruneCommands(after, { previous: before })) {
    const live = before.find((o) => `${o.platform}-${o.target.name}` === cmd.target)!.objects;
    const next = after.find((o) => `${o.platform}-${o.target.name}` === cmd.target)!.objects;
    const gone = pruned(live, next, cmd);
    expect(gone.length).toBeGreaterThan(3);
    expect(gone.every((k) => k.endsWith('/shop/cart') || k.includes('/shop/cart-'))).toBe(true);
    expect(gone).toEqual(expect.arrayContaining(['v1/ServiceAccount/shop/cart', 'policy/v1/PodDisruptionBudget/shop/cart']));
  }
});

test('shared namespaces (istio-system, the member monitoring namespace) are never pruned, even when the mesh is dropped', () => {
  const before = platform(true, true);
  const after = platform(true, false);
  const shared = before.flatMap((o) => o.objects).filter((o) => o.kind === 'Namespace' && o.metadata.labels['fleetplane.io/ownership'] === 'shared').map((o) => o.metadata.name);
  expect([...new Set(shared)].sort()).toEqual(['istio-system', 'monitoring']);
  for (const cmd of pruneCommands(after, { previous: before })) {
    const live = before.find((o) => `${o.platform}-${o.target.name}` === cmd.target)!.objects;
    const next = after.find((o) => `${o.platform}-${o.target.name}` === cmd.target)!.objects;
    const gone = pruned(live, next, cmd);
    expect(gone.some((k) => k.includes('istio.io'))).toBe(true); // the mesh's own objects do go
    expect(gone).not.toContain('v1/Namespace//istio-system');
    expect(gone).not.toContain('v1/Namespace//monitoring');
  }
});

test('a kind whose last object left the target is still pruned when the previous output is given', () => {
  const before = platform(true, true);
  const after = platform(true, false);
  const [withPrev] = pruneCommands(after, { previous: before });
  const [withoutPrev] = pruneCommands(after);
  expect(withPrev.allowlist).toContain('security.istio.io/v1/PeerAuthentication');
  expect(withoutPrev.allowlist).not.toContain('security.istio.io/v1/PeerAuthentication');
});
