/**
 * The checks of a Tenant's props, one function per concern. Each takes the problem sink and the resolved
 * values, and reports in the order the rules are documented.
 */
import { ResolvedMesh } from '../../core/context';
import { checkKnownClusters, Fleet } from '../../core/fleet';
import { isDnsLabel, isDnsSubdomain, isExtendedResourceName, isQualifiedName } from '../../core/names';
import { ProblemSink } from '../../core/problems';
import { isQuantity, parseQuantity } from '../../core/quantity';
import { QUOTA_KEYS, quotaHard } from '../../engines/tenancy/quota';
import { ClusterSelector } from '../../model/cluster';
import { AlertRouting } from '../../model/monitoring';
import { ContainerLimits, FederatedQuota, MeshTelemetry, QuotaLimits } from '../../model/tenancy';
import { PodSecurityLevel, ResourceRange, ResourceRequirements } from '../../model/workload';

const RESERVED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'karmada-system', 'karmada-cluster'];

/** Rules 1 and 14: a DNS-1123 label, not reserved by Kubernetes or Karmada. */
export function checkNamespace(sink: ProblemSink, namespace: string): void {
  if (!isDnsLabel(namespace)) {
    sink.error('K1', 'namespace', namespace, 'a namespace name must be a DNS-1123 label (at most 63 lower-case alphanumerics or "-").', 'rename the tenant or set `namespace`.');
  }
  if (RESERVED_NAMESPACES.includes(namespace) || namespace.startsWith('karmada-es-')) {
    sink.error('K14', 'namespace', namespace, 'this namespace is reserved by Kubernetes or Karmada.', 'choose a namespace of your own.');
  }
}

/** Rule 13: the selector names known clusters and matches at least one. */
export function checkClusters(sink: ProblemSink, fleet: Fleet, selector: ClusterSelector, clusterNames: readonly string[]): void {
  checkKnownClusters(sink, fleet, 'clusters', Fleet.namesIn(selector));
  if (clusterNames.length === 0) {
    sink.error('FP-EMPTY-SELECTOR', 'clusters', selector, 'the selector matches no member cluster.', `select at least one of ${fleet.names.join(', ')}.`);
  }
}

/** Rule 6: a known Pod Security level, restricted unless a workload truly needs more. */
export function checkPodSecurity(sink: ProblemSink, level: PodSecurityLevel): void {
  if (!Object.values(PodSecurityLevel).includes(level)) {
    sink.error('K6', 'podSecurity', level, 'unknown Pod Security level.', 'use PodSecurityLevel.RESTRICTED, BASELINE or PRIVILEGED.');
  }
  if (level !== PodSecurityLevel.RESTRICTED) {
    sink.warn('K6', 'podSecurity', level, 'the namespace does not enforce the restricted Pod Security Standard.', 'keep PodSecurityLevel.RESTRICTED unless a workload truly needs more.');
  }
}

/** A tenant's mesh membership, resolved. */
export interface TenantMeshState {
  /** The `mesh` prop as given. */
  readonly requested?: boolean;
  /** Whether the tenant is in the mesh. */
  readonly meshed: boolean;
  readonly podSecurity: PodSecurityLevel;
  readonly clusterNames: readonly string[];
  readonly meshPrimaries: readonly string[];
}

/** Rules 35 and 39: the mesh exists, its sidecars pass Pod Security, and the tenant reaches a primary. */
export function checkTenantMesh(sink: ProblemSink, mesh: ResolvedMesh | undefined, t: TenantMeshState): void {
  if (t.requested && !mesh) sink.error('K35', 'mesh', true, 'the platform has no mesh.', 'declare `mesh` on the DistributedPlatform, or drop this prop.');
  if (t.meshed && mesh && !mesh.istioCni && t.podSecurity !== PodSecurityLevel.PRIVILEGED) {
    if (mesh.privilegedSidecarInit) {
      sink.warn('K35', 'podSecurity', t.podSecurity, `sidecar injection without Istio CNI needs a privileged init container (NET_ADMIN, NET_RAW, root), so the namespace enforces privileged and only audits/warns ${t.podSecurity}.`, 'install Istio CNI and set mesh.istioCni: true.');
    } else {
      sink.error('K35', 'podSecurity', t.podSecurity, `a meshed namespace enforcing ${t.podSecurity} Pod Security rejects the injected istio-init container (NET_ADMIN, NET_RAW, root) unless Istio CNI is installed.`, 'set mesh.istioCni: true (recommended), or mesh.privilegedSidecarInit: true to relax visibly, or mesh: false on this tenant.');
    }
  }
  if (t.meshed && mesh && t.meshPrimaries.length === 0) {
    sink.error('K39', 'clusters', t.clusterNames, 'the tenant is in the mesh but uses no primary mesh cluster, so its Istio configuration has nowhere to go.', `add a primary (${mesh.primaries.join(', ')}) or set mesh: false.`);
  }
}

/** Rule 45: alert routing needs monitoring, named receivers with a channel, and routes to existing receivers. */
export function checkAlerts(sink: ProblemSink, alerts: AlertRouting | undefined, monitored: boolean): void {
  if (!alerts) return;
  if (!monitored) sink.error('FP-MONITORING', 'alerts', alerts, 'the platform has no monitoring (no Alertmanager).', 'declare `monitoring` on the DistributedPlatform.');
  const names = new Set<string>();
  (alerts.receivers ?? []).forEach((r, i) => {
    const at = `alerts.receivers[${i}]`;
    if (typeof r?.name !== 'string' || r.name.length === 0) sink.error('K45', `${at}.name`, r?.name, 'a receiver needs a name.', 'use e.g. "oncall".');
    if (names.has(r?.name)) sink.error('K45', `${at}.name`, r.name, 'receiver names must be unique.', 'rename the receiver.');
    names.add(r?.name);
    if (!r?.webhookUrlSecret && !r?.slack && !r?.email) sink.error('K45', at, r, 'a receiver needs a webhook, Slack or email configuration.', 'set one of them.');
    for (const ref of [r?.webhookUrlSecret, r?.slack?.apiUrlSecret, r?.email?.authPasswordSecret]) {
      if (ref && (!isDnsSubdomain(ref.name) || !ref.key)) sink.error('K45', at, ref, 'a secret reference needs a valid Secret name and a key.', 'e.g. { name: "alerting", key: "slack-url" }.');
    }
    if (r?.email && !/^[^@\s]+@[^@\s]+$/.test(r.email.to ?? '')) sink.error('K45', `${at}.email.to`, r.email.to, 'not an email address.', 'use e.g. "oncall@example.com".');
  });
  for (const [prop, name] of [['alerts.defaultReceiver', alerts.defaultReceiver], ['alerts.criticalReceiver', alerts.criticalReceiver]] as const) {
    if (name !== undefined && !names.has(name)) sink.error('K45', prop, name, 'the route names a receiver that does not exist.', `use one of ${[...names].join(', ') || '(declare a receiver)'}.`);
  }
  const gb = alerts.groupBy ?? [];
  if (new Set(gb).size !== gb.length) sink.error('K45', 'alerts.groupBy', gb, 'groupBy has duplicates.', 'list each label once.');
  if (gb.includes('...') && gb.length > 1) sink.error('K45', 'alerts.groupBy', gb, '"..." must be the only groupBy value.', 'use ["..."] alone.');
}

/** Telemetry is a mesh feature, with a sampling percentage. */
export function checkTenantTelemetry(sink: ProblemSink, telemetry: MeshTelemetry | undefined, meshed: boolean): void {
  const ts = telemetry?.tracingSampling;
  if (ts !== undefined && !(ts >= 0 && ts <= 100)) sink.error('FP-TELEMETRY', 'telemetry.tracingSampling', ts, 'a sampling percentage is between 0 and 100.', 'use e.g. 1.');
  if (telemetry && !meshed) sink.error('FP-TELEMETRY', 'telemetry', telemetry, 'telemetry is configured through the Istio mesh, which this tenant is not in.', 'join the mesh or drop telemetry.');
}

/** Rule 8: known quota fields with valid amounts. */
export function checkQuota(sink: ProblemSink, prop: string, q: QuotaLimits | undefined): void {
  if (!q) return;
  for (const key of Object.keys(q)) {
    const v = (q as any)[key];
    if (key === 'extended') checkExtendedQuota(sink, `${prop}.extended`, v);
    else if (!(key in QUOTA_KEYS)) sink.error('K8', `${prop}.${key}`, v, 'unknown quota field.', `use one of ${[...Object.keys(QUOTA_KEYS), 'extended'].join(', ')}.`);
    else if (['pods', 'services', 'persistentVolumeClaims'].includes(key) ? !(Number.isInteger(v) && v >= 0) : !isQuantity(v)) {
      sink.error('K8', `${prop}.${key}`, v, 'not a valid quota amount.', 'use a Kubernetes quantity such as "40", "500m" or "128Gi" (counts are whole numbers).');
    }
  }
}

/**
 * Extended resources (rule 8): domain-prefixed names outside kubernetes.io, as Kubernetes' IsExtendedResourceName
 * requires, and whole amounts (extended resources cannot be split or overcommitted).
 */
function checkExtendedQuota(sink: ProblemSink, prop: string, extended: unknown): void {
  if (typeof extended !== 'object' || extended === null || Array.isArray(extended)) {
    sink.error('K8', prop, extended, 'extended resources are a map of resource name to amount.', "use e.g. { 'nvidia.com/gpu': 8 }.");
    return;
  }
  for (const [name, v] of Object.entries(extended)) {
    if (!isExtendedResourceName(name)) {
      sink.error('K8', `${prop}['${name}']`, name, 'not an extended resource name: it needs a domain prefix outside kubernetes.io (cpu, memory and storage have their own fields).', "use e.g. 'nvidia.com/gpu'.");
    }
    const amount = parseQuantity(v as string | number);
    if (amount === undefined || amount < 0 || !Number.isInteger(amount)) sink.error('K8', `${prop}['${name}']`, v, 'an extended resource quota is a whole number ≥ 0.', 'use e.g. 8.');
  }
}

/**
 * A fleet-wide quota: valid amounts, assignments only to the tenant's clusters and within the overall quota,
 * and per-cluster assignments when there is no Karmada to enforce the overall one.
 */
export function checkFederatedQuota(sink: ProblemSink, fq: FederatedQuota | undefined, fleet: Fleet, clusterNames: readonly string[], enforcedByKarmada: boolean): void {
  if (!fq) return;
  checkQuota(sink, 'federatedQuota.overall', fq.overall);
  for (const [cluster, q] of Object.entries(fq.perCluster ?? {})) {
    if (!fleet.has(cluster)) checkKnownClusters(sink, fleet, `federatedQuota.perCluster['${cluster}']`, [cluster]);
    else if (!clusterNames.includes(cluster)) sink.error('FP-TENANT-CLUSTERS', `federatedQuota.perCluster['${cluster}']`, cluster, 'the tenant does not use this cluster.', `assign quota only to ${clusterNames.join(', ')}.`);
    checkQuota(sink, `federatedQuota.perCluster['${cluster}']`, q);
    const overall = quotaHard(fq.overall ?? {});
    for (const [key, part] of Object.entries(quotaHard(q ?? {}))) {
      const total = overall[key];
      if (total !== undefined && (parseQuantity(part) ?? 0) > (parseQuantity(total) ?? Infinity)) {
        sink.error('K8', `federatedQuota.perCluster['${cluster}'].${quotaProp(key)}`, part, `a cluster's assignment exceeds the overall quota (${total}).`, 'lower the assignment or raise the overall quota.');
      }
    }
  }
  if (!enforcedByKarmada && !fq.perCluster) {
    sink.error('FP-DIRECT', 'federatedQuota', fq, 'a fleet-wide overall quota is enforced by Karmada; direct delivery has no Karmada.', 'give per-cluster assignments (perCluster) or use `quota`.');
  }
}

/** LimitRange: min ≤ defaultRequest ≤ default ≤ max, per resource (rule 8). */
export function checkLimitRange(sink: ProblemSink, defaults: ResourceRequirements, limits: ContainerLimits | undefined): void {
  for (const res of ['cpu', 'memory'] as const) {
    const range: ResourceRange | undefined = defaults[res];
    const chain: Array<[string, string | undefined]> = [
      [`containerLimits.min.${res}`, limits?.min?.[res]],
      [`defaults.resources.${res}.request`, range?.request],
      [`defaults.resources.${res}.limit`, range?.limit],
      [`containerLimits.max.${res}`, limits?.max?.[res]],
    ];
    const present = chain.filter(([, v]) => v !== undefined) as Array<[string, string]>;
    for (const [p, v] of present) if (!isQuantity(v)) sink.error('K8', p, v, 'not a Kubernetes quantity.', 'use e.g. "250m" or "128Mi".');
    for (let i = 1; i < present.length; i++) {
      const [pa, va] = present[i - 1];
      const [pb, vb] = present[i];
      if ((parseQuantity(va) ?? 0) > (parseQuantity(vb) ?? Infinity)) {
        sink.error('K8', pb, vb, `LimitRange must keep min ≤ defaultRequest ≤ default ≤ max, but ${pa} is ${va}.`, `make ${pb} at least ${va}.`);
      }
    }
  }
}

/** Rule 2: label keys are qualified names. */
export function checkLabelKeys(sink: ProblemSink, labels: Record<string, string> | undefined): void {
  for (const [k] of Object.entries(labels ?? {})) {
    if (!isQualifiedName(k)) sink.error('K2', 'labels', k, 'invalid label key.', 'use an optional DNS prefix and a name of at most 63 characters.');
  }
}

/** RBAC groups are non-empty names. */
export function checkGroups(sink: ProblemSink, groups: { adminGroups?: string[]; viewGroups?: string[] }): void {
  for (const prop of ['adminGroups', 'viewGroups'] as const) {
    (groups[prop] ?? []).forEach((g, i) => {
      if (typeof g !== 'string' || g.length === 0) sink.error('FP-RBAC', `${prop}[${i}]`, g, 'a group name must be a non-empty string.', 'name the group as your identity provider does.');
    });
  }
}

/** The prop of a ResourceQuota key: `cpu` for `requests.cpu`, `extended['nvidia.com/gpu']` for an extended one. */
function quotaProp(key: string): string {
  const scalar = Object.entries(QUOTA_KEYS).find(([, k]) => k === key);
  return scalar ? scalar[0] : `extended['${key.replace(/^requests\./, '')}']`;
}
