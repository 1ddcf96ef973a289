/**
 * The reachability check: every connection the construct tree declares, evaluated for every pair of clusters
 * where both ends run, over the manifests each member cluster ends up with (in karmada mode, the control-plane
 * objects expanded to the members their PropagationPolicies place them on). A sample of undeclared calls
 * between meshed services is evaluated too; those must be refused.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { evaluatePath, FleetManifests, FleetNetworks, PathResult } from '../analysis/reachability';
import { ClusterNetwork } from '../analysis/types';
import { ResolvedMesh, ResolvedSubmariner } from '../core/context';
import { Fleet } from '../core/fleet';
import { Problem, Severity } from '../core/problems';
import { ApplyTarget, TargetKind } from '../core/target';
import { DeclaredPath, PathEndpoint, ReachabilityEntry, ReachabilityReport } from '../model/reachability';
import { expandToMembers } from './placement-expansion';
import { withFlaggerObjects } from './flagger-model';
import { renderObject } from './synthesize';

/** What the check reads from a platform. */
export interface ReachabilityOwner extends IConstruct {
  readonly platformName: string;
  readonly targets: readonly ApplyTarget[];
  readonly fleet: Fleet;
  readonly mesh?: ResolvedMesh;
  readonly submariner?: ResolvedSubmariner;
  /** @internal */
  _declaredPaths(): DeclaredPath[];
}

function isOwner(c: IConstruct): c is ReachabilityOwner {
  const x = c as Partial<ReachabilityOwner>;
  return typeof x.platformName === 'string' && Array.isArray(x.targets) && typeof x._declaredPaths === 'function';
}

/**
 * Kinds the check reads: policies, workloads and Services (the rest of the output cannot block a connection),
 * the Karmada policies that place them, and Flagger Canaries, for which the check adds the Deployment and
 * Services Flagger creates (flagger-model.ts).
 */
const READ_KINDS = new Set([
  'Namespace', 'NetworkPolicy', 'AuthorizationPolicy', 'PeerAuthentication', 'Sidecar',
  'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'Service',
  'PropagationPolicy', 'ClusterPropagationPolicy',
  'Canary',
]);

/** Renders only the objects of a chart the check reads (rendering the rest would double the cost of synthesis). */
function renderReadKinds(chart: Chart): Array<Record<string, any>> {
  return chart.node.findAll()
    .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart && READ_KINDS.has(x.kind))
    .map(renderObject);
}

/** Appends in a loop: `push(...items)` overflows the call stack past about 120,000 items (a large member). */
function append(into: object[] | undefined, items: readonly object[]): void {
  if (into) for (const o of items) into.push(o);
}

/** The objects each member cluster ends up with that the check reads, by cluster name. */
export function memberManifests(owner: ReachabilityOwner): Record<string, object[]> {
  const out: Record<string, object[]> = {};
  for (const c of owner.fleet.clusters) out[c.name] = [];
  for (const target of owner.targets) {
    const objects = renderReadKinds(target.chart);
    if (target.kind === TargetKind.CONTROL_PLANE) {
      for (const [cluster, placed] of Object.entries(expandToMembers(objects, owner.fleet))) append(out[cluster], placed);
    } else if (target.cluster) {
      append(out[target.cluster.name], objects);
    }
  }
  for (const cluster of Object.keys(out)) out[cluster] = withFlaggerObjects(out[cluster]);
  return out;
}

/** How each cluster is wired: its pod CIDR, its network, its east-west gateway when declared. */
export function fleetNetworks(owner: ReachabilityOwner): FleetNetworks {
  const out: Record<string, ClusterNetwork> = {};
  // A gateway declared as a range has its LoadBalancer IP outside every pod and Service range.
  const inCluster = owner.fleet.clusters.flatMap((c) => [c.podCidr, c.serviceCidr]).filter((x): x is string => !!x);
  for (const c of owner.fleet.clusters) {
    const gw = c.eastWestGateway?.address;
    out[c.name] = {
      podCidrs: c.podCidr ? [c.podCidr] : [],
      network: owner.mesh?.networks[c.name] ?? c.network ?? c.name,
      eastWestGateway: { address: gw ?? UNKNOWN_GATEWAY, ...(gw?.includes('/') ? { notIn: inCluster } : {}) },
    };
  }
  return out;
}

/**
 * Undeclared calls to evaluate: for each meshed service, up to two other meshed services that are not among its
 * callers, in one cluster where both run.
 */
function undeclaredSample(paths: readonly DeclaredPath[]): DeclaredPath[] {
  const services = new Map<string, { endpoint: PathEndpoint; port: number; declaredBy: string }>();
  const declared = new Set<string>();
  for (const p of paths) {
    if (p.kind !== 'call' && p.kind !== 'ingress') continue;
    services.set(p.to.name, { endpoint: p.to, port: p.to.port, declaredBy: p.declaredBy });
    declared.add(`${p.from.name}->${p.to.name}`);
  }
  const out: DeclaredPath[] = [];
  const all = [...services.values()];
  for (const callee of all) {
    // The first two undeclared callers, found without listing all of them (that was quadratic in the services).
    const callers: typeof all = [];
    for (let i = 0; i < all.length && callers.length < 2; i++) {
      const s = all[i];
      if (s !== callee && !declared.has(`${s.endpoint.name}->${callee.endpoint.name}`)) callers.push(s);
    }
    for (const caller of callers) {
      const cluster = caller.endpoint.clusters.find((c) => callee.endpoint.clusters.includes(c));
      if (!cluster) continue;
      const at = (e: PathEndpoint) => ({ ...e, clusters: [cluster] });
      out.push({ kind: 'undeclared', declaredBy: callee.declaredBy, prop: 'allowFrom', from: at(caller.endpoint), to: { ...at(callee.endpoint), port: callee.port }, mtls: true, http: { method: 'GET', path: '/' } });
    }
  }
  return out;
}

/**
 * Stands in for an east-west gateway whose address is not declared (TEST-NET-1, never routed), so a path
 * through it is evaluated, and blocked where a NetworkPolicy would need the real address.
 */
const UNKNOWN_GATEWAY = '192.0.2.255';

/**
 * The cluster prop whose absence leaves a blocked path without a fix in the policies: the east-west gateway
 * address of a cluster on another network, or the pod CIDR of a cluster whose pods are seen only by address.
 */
function missingProp(owner: ReachabilityOwner, result: PathResult, fromCluster: string, toCluster: string): { cluster: string; prop: string } | undefined {
  const blocking = result.hops.find((h) => !h.allowed);
  if (!blocking || (blocking.kind !== 'network-egress' && blocking.kind !== 'network-ingress')) return undefined;
  if (blocking.subject.includes(UNKNOWN_GATEWAY) && !owner.fleet.get(toCluster)?.eastWestGateway) return { cluster: toCluster, prop: 'eastWestGateway' };
  if (!blocking.subject.includes('at an unknown address')) return undefined;
  const seen = blocking.kind === 'network-egress' ? toCluster : fromCluster;
  return owner.fleet.get(seen)?.podCidr ? undefined : { cluster: seen, prop: 'podCidr' };
}

interface Evaluation {
  readonly owner: ReachabilityOwner;
  /**
   * Each cluster's objects. Every path reads the whole list of its clusters: the model indexes each list by kind
   * and namespace once (analysis/manifests.ts), so a hop reads only its namespaces' objects of its kind.
   */
  readonly manifests: FleetManifests;
  readonly networks: FleetNetworks;
  readonly trustDomain: string;
}

/**
 * Plain-text paths between clusters joined to Submariner (without Globalnet) are routed pod to pod through its
 * gateways, as on one network: the model sees the caller by its pod CIDR on the far side.
 */
function routedNetworks(ev: Evaluation, p: DeclaredPath, fromCluster: string, toCluster: string): FleetNetworks {
  const sub = ev.owner.submariner;
  if (p.mtls || fromCluster === toCluster || !sub || sub.globalnet || sub.clusterIds[fromCluster] === undefined || sub.clusterIds[toCluster] === undefined) return ev.networks;
  return { ...ev.networks, [toCluster]: { ...ev.networks[toCluster], network: ev.networks[fromCluster]?.network ?? fromCluster } };
}

function evaluatePair(ev: Evaluation, p: DeclaredPath, fromCluster: string, toCluster: string): ReachabilityEntry {
  const base = {
    kind: p.kind, declaredBy: p.declaredBy, prop: p.prop, caller: p.from.name, callee: `${p.to.name}:${p.to.port}`,
    fromCluster, toCluster, expected: p.kind === 'undeclared' ? 'denied' as const : 'allowed' as const, ...(p.oneSided ? { oneSided: true } : {}),
  };
  const end = (e: PathEndpoint, cluster: string) => ({ cluster, namespace: e.namespace, labels: e.labels, serviceAccount: e.serviceAccount, meshed: e.meshed });
  const result = evaluatePath(ev.manifests, routedNetworks(ev, p, fromCluster, toCluster), {
    from: end(p.from, fromCluster),
    to: { ...end(p.to, toCluster), port: p.to.port, protocol: p.to.protocol },
    mtls: p.mtls,
    http: p.http,
  }, { trustDomain: ev.trustDomain });
  const missing = missingProp(ev.owner, result, fromCluster, toCluster);
  if (missing) {
    const why = missing.prop === 'podCidr'
      ? `cluster ${missing.cluster} declares no pod CIDR, so no NetworkPolicy can admit its pods, which the other cluster sees only by address`
      : `cluster ${toCluster} is on another network and declares no east-west gateway address, so no NetworkPolicy opens egress towards it`;
    return { ...base, allowed: false, missing, decidedBy: result.decidedBy, reason: why };
  }
  return { ...base, allowed: result.allowed, decidedBy: result.decidedBy, reason: result.reason };
}

/** Evaluates every declared path (and the undeclared sample) of one platform. */
export function evaluateDeclaredPaths(owner: ReachabilityOwner): ReachabilityReport {
  const declared = owner._declaredPaths();
  const paths = [...declared, ...undeclaredSample(declared)];
  const ev: Evaluation = { owner, manifests: memberManifests(owner), networks: fleetNetworks(owner), trustDomain: owner.mesh?.trustDomain ?? 'cluster.local' };
  const entries: ReachabilityEntry[] = [];
  for (const p of paths) {
    for (const from of p.from.clusters) {
      for (const to of p.to.clusters) {
        if (p.sameClusterOnly && from !== to) continue;
        entries.push(evaluatePair(ev, p, from, to));
      }
    }
  }
  return reportOf(entries);
}

function reportOf(entries: ReachabilityEntry[]): ReachabilityReport {
  return {
    entries,
    blocked: entries.filter((e) => e.expected === 'allowed' && !e.allowed),
    leaks: entries.filter((e) => e.expected === 'denied' && e.allowed),
  };
}

/**
 * Checks that every connection the platform declares gets through the synthesized policies, in every pair of
 * clusters where both ends run: a meshed service's callers (`allowFrom`) and the services it `calls` (across
 * clusters this is also the locality-failover path), the ingress gateway to exposed services, and each meshed
 * pod's DNS and istiod connections. A sample of undeclared calls between meshed services must be refused.
 * Each row names the object that decides (the one that blocks, or the last one that admits).
 *
 * It renders the charts without running the platform's validation; `app.synth()` runs the same check and
 * fails with an `FP-REACH` problem per blocked declared path.
 *
 * @example
 * const report = checkReachability(app);
 * for (const e of report.blocked) console.log(`${e.caller} -> ${e.callee} (${e.fromCluster} -> ${e.toCluster}): ${e.reason}`);
 */
export function checkReachability(scope: App | IConstruct): ReachabilityReport {
  const owners = isOwner(scope) ? [scope] : scope.node.root.node.findAll().filter(isOwner);
  return reportOf(owners.flatMap((o) => [...evaluateDeclaredPaths(o).entries]));
}

/** One FP-REACH error per declared path (and cluster pair) that the manifests block. */
export function reachabilityProblems(report: ReachabilityReport): Problem[] {
  return report.blocked.map((e) => {
    const pair = `${e.caller} in ${e.fromCluster} -> ${e.callee} in ${e.toCluster}`;
    if (e.missing) {
      return {
        severity: Severity.ERROR, rule: 'FP-REACH', path: e.declaredBy, prop: `clusters[name=${e.missing.cluster}].${e.missing.prop}`, value: undefined,
        message: `the declared path ${pair} (${e.prop}) cannot be realised: ${e.reason}.`,
        fix: e.missing.prop === 'podCidr'
          ? `set podCidr: '<its pod CIDR>' on cluster ${e.missing.cluster}.`
          : `set ${e.missing.prop}: { address: '<its LoadBalancer IP or CIDR>' } on cluster ${e.missing.cluster}.`,
      };
    }
    const by = e.decidedBy ? `${e.decidedBy.kind} ${e.decidedBy.namespace}/${e.decidedBy.name}${e.decidedBy.cluster ? ` in cluster ${e.decidedBy.cluster}` : ''}` : 'no object';
    if (e.oneSided) {
      return {
        severity: Severity.WARNING, rule: 'FP-REACH', path: e.declaredBy, prop: e.prop, value: by,
        message: `${e.caller} calls ${e.callee}, which does not allow it: ${pair} is blocked by ${by}.`,
        fix: `call allowFrom(<the caller>) on the callee, or drop it from calls.`,
      };
    }
    return {
      severity: Severity.ERROR, rule: 'FP-REACH', path: e.declaredBy, prop: e.prop, value: by,
      message: `the declared path ${pair} is blocked by ${by}: ${e.reason}.`,
      fix: 'open the path where that object is declared (allowFrom, calls, the tenant\'s egress), or drop the declaration.',
    };
  });
}
