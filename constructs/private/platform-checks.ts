/**
 * Checks of a DistributedPlatform's own props: its name and delivery mode, the member clusters and their
 * Karmada registrations, and the platform-wide defaults (resolved here).
 */
import { ClusterRegistration, ClusterRole, MemberClusterProps, SyncMode } from '../../model/cluster';
import { ImageTagPolicy, PlatformDefaults } from '../../model/platform';
import { PodSecurityLevel, ResourceRequirements } from '../../model/workload';
import { ResolvedDefaults } from '../../core/context';
import { isClusterName, isDnsLabel, isLabelValue, isQualifiedName } from '../../core/names';
import { ProblemSink } from '../../core/problems';
import { isQuantity } from '../../core/quantity';
import { DeliveryMode } from '../../core/target';
import { isRegistry } from '../../core/image';

const DEFAULT_RESOURCES: ResourceRequirements = {
  cpu: { request: '100m' },
  memory: { request: '128Mi', limit: '256Mi' },
};

/** The platform name (it prefixes file names and labels) and the delivery mode. */
export function checkPlatformIdentity(sink: ProblemSink, name: string, delivery: DeliveryMode): void {
  if (!isDnsLabel(name) || name.length > 40) {
    sink.error('K1', 'name', name, 'the platform name must be a DNS-1123 label of at most 40 characters (it prefixes file names and labels).', 'use lower-case letters, digits and "-", e.g. "prod".');
  }
  if (!Object.values(DeliveryMode).includes(delivery)) {
    sink.error('FP-DELIVERY', 'delivery', delivery, 'unknown delivery mode.', 'use DeliveryMode.KARMADA or DeliveryMode.DIRECT.');
  }
}

/** The declared clusters as a list (empty when missing), reporting a platform without clusters. */
export function clusterList(sink: ProblemSink, clusters: MemberClusterProps[] | undefined): MemberClusterProps[] {
  const list = Array.isArray(clusters) ? clusters : [];
  if (list.length === 0) {
    sink.error('FP-CLUSTERS', 'clusters', clusters, 'a platform needs at least one member cluster.', 'declare clusters: [{ name: "bj-1", region: "cn-north" }, ...].');
  }
  return list;
}

/** Every declared cluster: names (rule 13), labels and taints (rule 2), role, zones, registration. */
export function checkClusters(sink: ProblemSink, clusters: readonly MemberClusterProps[]): void {
  const seen = new Set<string>();
  clusters.forEach((c, i) => {
    const at = `clusters[${i}]`;
    if (!c || typeof c !== 'object') {
      sink.error('FP-CLUSTERS', at, c, 'a cluster must be an object.', 'use { name: "bj-1", region: "cn-north" }.');
      return;
    }
    if (!isClusterName(c.name)) {
      sink.error('K13', `${at}.name`, c.name, 'a member cluster name must be a DNS-1123 label of at most 48 characters (Karmada limit).', 'use lower-case letters, digits and "-", at most 48 characters.');
    }
    if (seen.has(c.name)) sink.error('K13', `${at}.name`, c.name, 'two clusters have the same name.', 'give every cluster a unique name.');
    seen.add(c.name);
    checkClusterShape(sink, at, c);
    if (c.registration) checkRegistration(sink, `${at}.registration`, c.registration);
  });
}

function checkClusterShape(sink: ProblemSink, at: string, c: MemberClusterProps): void {
  for (const [k, v] of Object.entries(c.labels ?? {})) {
    if (!isQualifiedName(k)) sink.error('K2', `${at}.labels`, k, 'invalid label key.', 'use an optional DNS prefix and a name of at most 63 alphanumerics, "-", "_" or ".".');
    if (!isLabelValue(v)) sink.error('K2', `${at}.labels['${k}']`, v, 'invalid label value.', 'use at most 63 alphanumerics, "-", "_" or "." with alphanumeric ends.');
  }
  if (c.role !== undefined && !Object.values(ClusterRole).includes(c.role)) {
    sink.error('FP-CLUSTERS', `${at}.role`, c.role, 'unknown cluster role.', 'use ClusterRole.CLOUD or ClusterRole.EDGE.');
  }
  if (c.zones && (!Array.isArray(c.zones) || new Set(c.zones).size !== c.zones.length)) {
    sink.error('FP-CLUSTERS', `${at}.zones`, c.zones, 'zones must be a list without duplicates.', 'list each zone once.');
  }
  (c.taints ?? []).forEach((t, j) => {
    if (!isQualifiedName(t?.key)) sink.error('K2', `${at}.taints[${j}].key`, t?.key, 'invalid taint key.', 'use a label-style key, e.g. "dedicated".');
  });
}

function checkRegistration(sink: ProblemSink, at: string, r: ClusterRegistration): void {
  if (!Object.values(SyncMode).includes(r.syncMode)) sink.error('FP-REGISTRATION', `${at}.syncMode`, r.syncMode, 'unknown sync mode.', 'use SyncMode.PUSH or SyncMode.PULL.');
  if (r.syncMode === SyncMode.PUSH && (!r.apiEndpoint || !r.secretRef)) {
    sink.error('FP-REGISTRATION', at, r, 'a Push-mode cluster needs apiEndpoint and secretRef: Karmada applies to it directly.', 'set apiEndpoint and secretRef, or use SyncMode.PULL with karmada-agent.');
  }
  if (r.insecureSkipTlsVerification) sink.warn('FP-REGISTRATION', `${at}.insecureSkipTlsVerification`, true, 'TLS verification of the member API server is disabled.', 'provide the caBundle in the secret instead.');
}

/**
 * The clusters with a Karmada registration; reports them (and returns none) in direct mode, where
 * registrations do not exist.
 */
export function clustersToRegister(sink: ProblemSink, clusters: readonly MemberClusterProps[], delivery: DeliveryMode): MemberClusterProps[] {
  const withRegistration = clusters.filter((c) => c?.registration);
  if (withRegistration.length > 0 && delivery === DeliveryMode.DIRECT) {
    sink.error('FP-REGISTRATION', 'clusters[].registration', withRegistration.map((c) => c.name), 'Karmada Cluster registrations only exist in karmada delivery mode.', 'remove `registration` or use DeliveryMode.KARMADA.');
    return [];
  }
  return withRegistration;
}

/** Platform-wide defaults with every field resolved; reports bad Pod Security, user ids and quantities. */
export function resolveDefaults(sink: ProblemSink, d: PlatformDefaults | undefined): ResolvedDefaults {
  const resolved: ResolvedDefaults = {
    podSecurity: d?.podSecurity ?? PodSecurityLevel.RESTRICTED,
    resources: d?.resources ?? DEFAULT_RESOURCES,
    imageRegistry: d?.imageRegistry,
    imageTagPolicy: d?.imageTagPolicy ?? ImageTagPolicy.WARN_MUTABLE,
    runAsUser: d?.runAsUser ?? 10001,
    readOnlyRootFilesystem: d?.readOnlyRootFilesystem ?? true,
    topologySpread: d?.topologySpread ?? true,
    disruptionBudget: d?.disruptionBudget ?? true,
    defaultDenyNetwork: d?.defaultDenyNetwork ?? true,
  };
  if (!Object.values(PodSecurityLevel).includes(resolved.podSecurity)) {
    sink.error('K6', 'defaults.podSecurity', resolved.podSecurity, 'unknown Pod Security level.', 'use PodSecurityLevel.RESTRICTED, BASELINE or PRIVILEGED.');
  }
  if (!Object.values(ImageTagPolicy).includes(resolved.imageTagPolicy)) {
    sink.error('FP-IMAGE', 'defaults.imageTagPolicy', resolved.imageTagPolicy, 'unknown image tag policy.', 'use ImageTagPolicy.WARN_MUTABLE, REJECT_MUTABLE or REQUIRE_DIGEST.');
  }
  if (resolved.imageRegistry !== undefined && !isRegistry(resolved.imageRegistry)) {
    sink.error('FP-IMAGE', 'defaults.imageRegistry', resolved.imageRegistry, 'not a registry host (host[:port], optionally with a path), so the images it is prepended to would be invalid.', 'use e.g. "registry.example.com" or "registry.example.com:5000/mirror".');
  }
  if (!Number.isInteger(resolved.runAsUser) || resolved.runAsUser <= 0) {
    sink.error('K6', 'defaults.runAsUser', resolved.runAsUser, 'containers must run as a non-root user id (> 0).', 'use a positive uid such as 10001.');
  }
  for (const [res, range] of Object.entries(resolved.resources)) {
    for (const [k, v] of Object.entries(range ?? {})) {
      if (!isQuantity(v as string)) sink.error('K8', `defaults.resources.${res}.${k}`, v, 'not a Kubernetes quantity.', 'use e.g. "250m", "1", "128Mi".');
    }
  }
  return resolved;
}
