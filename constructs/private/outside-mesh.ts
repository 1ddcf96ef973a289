/**
 * `MeshCaller.outsideMesh`: callers without a sidecar, admitted explicitly. Checked here (every range that
 * bounds them must be declared) and resolved to what the service's policies need.
 */
import { Construct } from 'constructs';
import { IpBlock, ipBlockExcept } from '../../core/cidr';
import { PlatformContext } from '../../core/context';
import { isDnsLabel } from '../../core/names';
import { ProblemSink } from '../../core/problems';
import { OutsideMeshCallers } from '../../model/traffic';
import { localRanges } from './flat-network';
import { checkKnownClusters } from './known-clusters';
import { Tenant } from '../tenant';

/** Outside-mesh callers resolved for one service. */
export interface ResolvedOutsideCallers {
  /** Namespaces of the service's own clusters (NetworkPolicy namespace selectors). */
  readonly namespaces: readonly string[];
  /** Pod ranges of the callers' clusters outside the mesh (NetworkPolicy ipBlocks). */
  readonly blocks: readonly IpBlock[];
  /** Every range a plain-text request may come from (AuthorizationPolicy ipBlocks). */
  readonly plainTextFrom: readonly string[];
  /** The tenants behind `namespaces`, whose default-deny egress must open towards the service. */
  readonly tenants: readonly Tenant[];
}

/** What the check needs about the service. */
export interface OutsideService {
  readonly context: PlatformContext;
  /** Clusters the service runs in. */
  readonly clusters: readonly string[];
  /** Every construct of the app tree, to find the calling tenants by namespace. */
  readonly root: Construct;
}

/** Checks the callers; undefined after reporting why they cannot be admitted. */
export function resolveOutsideMesh(sink: ProblemSink, at: string, callers: OutsideMeshCallers | undefined, svc: OutsideService): ResolvedOutsideCallers | undefined {
  const namespaces = callers?.namespaces ?? [];
  const clusters = callers?.clusters ?? [];
  if (!Array.isArray(namespaces) || !Array.isArray(clusters) || namespaces.length + clusters.length === 0) {
    sink.error('K36', at, callers, 'MeshCaller.outsideMesh needs the namespaces or clusters the plain-text callers are in.', 'pass { namespaces: [...] } and/or { clusters: [...] }.');
    return undefined;
  }
  const { context } = svc;
  const before = sink.problems.length;
  const tenants = namespaces.map((ns, i) => callingTenant(sink, `${at}.namespaces[${i}]`, ns, svc));
  checkKnownClusters(sink, context.fleet, `${at}.clusters`, clusters);
  const inMesh = clusters.filter((c) => context.mesh?.clusterNames.includes(c));
  if (inMesh.length) sink.error('K36', `${at}.clusters`, inMesh, 'these clusters are in the mesh: their pods call with sidecars and an identity.', 'name their MeshedServices or Tenants in allowFrom instead.');
  // Plain text carries no identity: the pod ranges are the boundary, so each one must be declared.
  const bounded = [...(namespaces.length ? svc.clusters : []), ...clusters.filter((c) => context.fleet.has(c) && !inMesh.includes(c))];
  for (const c of [...new Set(bounded)]) {
    if (!context.fleet.get(c)?.podCidr) sink.error('K36', `clusters[name=${c}].podCidr`, undefined, `plain-text callers (${at}) are admitted by their pod range, and cluster ${c} declares none.`, `set podCidr on cluster ${c}.`);
  }
  if (sink.problems.length > before) return undefined;
  const local = localRanges(context.fleet, svc.clusters);
  const cidrOf = (c: string) => context.fleet.get(c)!.podCidr!;
  return {
    namespaces,
    blocks: clusters.map(cidrOf).sort().map((cidr) => ipBlockExcept(cidr, local)),
    plainTextFrom: [...new Set(bounded.map(cidrOf))].sort(),
    tenants: tenants.filter((t): t is Tenant => !!t),
  };
}

/** The platform's tenant with this namespace, outside the mesh. */
function callingTenant(sink: ProblemSink, prop: string, ns: unknown, svc: OutsideService): Tenant | undefined {
  if (typeof ns !== 'string' || !isDnsLabel(ns)) {
    sink.error('K36', prop, ns, 'not a namespace name.', 'use a tenant namespace, e.g. "kiosk".');
    return undefined;
  }
  const tenant = svc.root.node.findAll().find((c): c is Tenant => c instanceof Tenant && c.namespace === ns && c.platform === svc.context);
  if (!tenant) {
    sink.error('K36', prop, ns, 'no tenant of this platform has this namespace (declare the tenant before allowing it).', 'name the namespace of a Tenant with `mesh: false`.');
  } else if (tenant.meshed) {
    sink.error('K36', prop, ns, 'this tenant is in the mesh: its pods call with an identity.', 'pass the Tenant itself to allowFrom.');
  }
  return tenant;
}
