import { PlatformConstruct, TENANT_SCOPE } from './private/platform-construct';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { ApiObject } from 'cdk8s';
import { createLazyObject, createObject, PlainApiObject } from '../core/l1';
import { Construct } from 'constructs';
import * as policy from '../imports/policy.karmada.io';
import * as security from '../imports/security.istio.io';
import * as telemetry from '../imports/telemetry.istio.io';
import { ClusterSelector } from '../model/cluster';
import { Fleet } from '../core/fleet';
import { LABEL_SKIP_AUTO_PROPAGATION, LABEL_TENANT } from '../core/labels';
import { isDnsLabel, isDnsSubdomain, isQualifiedName } from '../core/names';
import { isQuantity, parseQuantity } from '../core/quantity';
import { ApplyTarget } from '../core/target';
import { PodSecurityLevel, ResourceRange } from '../model/workload';
import { AlertRouting } from '../model/monitoring';
import { promDuration } from '../core/duration';
import { Duration } from 'cdk8s';
import { DeliveryMode } from '../core/target';
import { PlatformContext } from '../core/context';
import { telemetrySpec } from '../engines/mesh/telemetry';
import { QUOTA_KEYS, quotaHard } from '../engines/tenancy/quota';
import { QuotaLimits, FederatedQuota, ContainerLimits, MeshTelemetry, TenantResources } from '../model/tenancy';

/** Properties of a {@link Tenant}. */
export interface TenantProps {
  /**
   * Namespace name (DNS-1123 label).
   * @default - the construct id
   */
  readonly namespace?: string;
  /**
   * Clusters the tenant may use. Its namespace exists only there, and its apps may only be placed there.
   * @default - every member cluster
   */
  readonly clusters?: ClusterSelector;
  /**
   * Pod Security Standards level enforced on the namespace.
   * @default - the platform default (restricted)
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * ResourceQuota applied in every cluster of the tenant.
   * @default - no quota
   */
  readonly quota?: QuotaLimits;
  /**
   * Fleet-wide quota (karmada mode: FederatedResourceQuota; direct mode: its per-cluster assignments become
   * each cluster's ResourceQuota).
   * @default - none
   */
  readonly federatedQuota?: FederatedQuota;
  /**
   * LimitRange bounds; defaults come from the platform's default resources.
   * @default - defaults only
   */
  readonly containerLimits?: ContainerLimits;
  /**
   * Groups bound to the `admin` ClusterRole in the namespace.
   * @default - none
   */
  readonly adminGroups?: string[];
  /**
   * Groups bound to the `view` ClusterRole in the namespace.
   * @default - none
   */
  readonly viewGroups?: string[];
  /**
   * Emit default-deny NetworkPolicies plus allow-DNS and allow-same-namespace.
   * @default - the platform default (true)
   */
  readonly defaultDenyNetwork?: boolean;
  /**
   * Extra labels on the namespace.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Join the platform's Istio mesh (sidecar injection, STRICT mTLS, default-deny authorization).
   * @default - true when the platform has a mesh
   */
  readonly mesh?: boolean;
  /**
   * Where the tenant's alerts go (an AlertmanagerConfig in its namespace; needs platform monitoring).
   * @default - alerts reach the Alertmanager without a tenant route
   */
  readonly alerts?: AlertRouting;
  /**
   * Tracing and access logging for the tenant's meshed workloads.
   * @default - the mesh defaults
   */
  readonly telemetry?: MeshTelemetry;
}

/**
 * A team's slice of the platform: a namespace on the clusters it uses, with Pod Security Admission labels
 * (restricted by default), a ResourceQuota and LimitRange, default-deny networking with DNS and
 * same-namespace traffic allowed, and admin/view RBAC for the groups you name.
 */
export class Tenant extends PlatformConstruct {
  /** The platform. */
  /** @internal */
  public readonly [TENANT_SCOPE] = true;
  /** Namespace name. */
  public readonly namespace: string;
  /** Pod Security level enforced. */
  public readonly podSecurity: PodSecurityLevel;
  /** Names of the clusters the tenant uses, in inventory order. */
  public readonly clusterNames: readonly string[];
  /** The tenant's cluster selector. */
  public readonly clusterSelector: ClusterSelector;
  /** Whether the tenant is in the platform's mesh. */
  public readonly meshed: boolean;

  private readonly props: TenantProps;
  private readonly resourcesByTarget = new Map<string, TenantResources>();
  private readonly egress = new Map<string, ApiObject[]>();

  constructor(scope: Construct, id: string, props: TenantProps = {}) {
    super(scope, id);
    this.props = props ?? {};
    this.namespace = this.props.namespace ?? id;
    this.podSecurity = this.props.podSecurity ?? this.context.defaults.podSecurity;
    this.meshed = !!this.context.mesh && (this.props.mesh ?? true);
    this.clusterSelector = this.props.clusters ?? {};
    this.clusterNames = this.context.clusterNames(this.clusterSelector);
    this.sink.guard(() => {
      this.checkProps();
      for (const target of this.targets()) {
        this.resourcesByTarget.set(target.name, this.render(target));
      }
    });
  }

  /** The objects emitted into a target (`control-plane`, or `cluster-<name>` in direct mode). */
  public resourcesIn(target: string): TenantResources | undefined {
    return this.resourcesByTarget.get(target);
  }

  /** The platform. */
  public get platform(): PlatformContext {
    return this.context;
  }

  /** Labels every object of the tenant carries. */
  public get labels(): Record<string, string> {
    return { ...this.context.labels, [LABEL_TENANT]: this.namespace };
  }

  /** The tenant's clusters that are mesh primaries (where its Istio configuration goes). */
  public get meshPrimaries(): string[] {
    const m = this.context.mesh;
    return this.meshed && m ? this.clusterNames.filter((c) => m.primaries.includes(c)) : [];
  }

  /**
   * The Pod Security level enforced on the namespace: the tenant's level, or `privileged` when the mesh
   * explicitly accepts privileged sidecar init containers (no Istio CNI).
   */
  public get enforcedPodSecurity(): PodSecurityLevel {
    const m = this.context.mesh;
    if (this.meshed && m && !m.istioCni && m.privilegedSidecarInit) return PodSecurityLevel.PRIVILEGED;
    return this.podSecurity;
  }

  /** The tenant's ResourceQuota limits, if any. */
  public get quota(): QuotaLimits | undefined {
    return this.props.quota;
  }

  /** Whether default-deny NetworkPolicies are emitted in the namespace. */
  public get defaultDenyNetwork(): boolean {
    return this.props.defaultDenyNetwork ?? this.context.defaults.defaultDenyNetwork;
  }

  /**
   * Allows egress from pods of this tenant (all, or those matching `podSelector`) to pods of another namespace
   * or to an IP block, on the given ports, by a NetworkPolicy in every target of the tenant. Mesh constructs
   * call it to mirror `allowFrom` and external hosts, since the default-deny policy blocks egress too.
   * Idempotent per name.
   * @internal
   */
  public _allowEgress(name: string, podSelector: Record<string, string>, to: k8s.NetworkPolicyPeer, ports: Array<{ port: number; protocol: string }>): void {
    if (!this.defaultDenyNetwork) return;
    for (const target of this.targets()) {
      const list = this.egress.get(target.name) ?? [];
      if (list.some((o) => o.name === name)) continue;
      const scope = target._scopeFor(this, this.context);
      list.push(createObject(scope, `Egress-${name}`, k8s.KubeNetworkPolicy.GVK, k8s.toJson_KubeNetworkPolicyProps, {
        metadata: { name, namespace: this.namespace, labels: this.labels },
        spec: {
          podSelector: { matchLabels: Object.keys(podSelector).length ? podSelector : undefined },
          policyTypes: ['Egress'],
          egress: [{ to: [to], ports: ports.map((p) => ({ protocol: p.protocol, port: k8s.IntOrString.fromNumber(p.port) })) }],
        },
      }));
      this.egress.set(target.name, list);
    }
  }

  private egressObjects(target: ApplyTarget): ApiObject[] {
    return this.egress.get(target.name) ?? [];
  }

  /** The targets the tenant writes to. */
  private targets(): ApplyTarget[] {
    if (this.context.delivery === DeliveryMode.KARMADA) return this.context.controlPlane ? [this.context.controlPlane] : [];
    return this.clusterNames.map((c) => this.context.memberTarget(c)).filter((t): t is ApplyTarget => !!t);
  }

  private checkProps(): void {
    const { sink, props } = this;
    const fleet = this.context.fleet;
    if (!isDnsLabel(this.namespace)) {
      sink.error('K1', 'namespace', this.namespace, 'a namespace name must be a DNS-1123 label (at most 63 lower-case alphanumerics or "-").', 'rename the tenant or set `namespace`.');
    }
    if (['default', 'kube-system', 'kube-public', 'kube-node-lease', 'karmada-system', 'karmada-cluster'].includes(this.namespace) || this.namespace.startsWith('karmada-es-')) {
      sink.error('K14', 'namespace', this.namespace, 'this namespace is reserved by Kubernetes or Karmada.', 'choose a namespace of your own.');
    }
    for (const name of Fleet.namesIn(this.clusterSelector)) {
      if (!fleet.has(name)) sink.error('K13', 'clusters', name, `unknown cluster (known: ${fleet.names.join(', ')}).`, 'use a cluster declared on the platform.');
    }
    if (this.clusterNames.length === 0) {
      sink.error('FP-EMPTY-SELECTOR', 'clusters', this.clusterSelector, 'the selector matches no member cluster.', `select at least one of ${fleet.names.join(', ')}.`);
    }
    if (!Object.values(PodSecurityLevel).includes(this.podSecurity)) {
      sink.error('K6', 'podSecurity', this.podSecurity, 'unknown Pod Security level.', 'use PodSecurityLevel.RESTRICTED, BASELINE or PRIVILEGED.');
    }
    if (this.podSecurity !== PodSecurityLevel.RESTRICTED) {
      sink.warn('K6', 'podSecurity', this.podSecurity, 'the namespace does not enforce the restricted Pod Security Standard.', 'keep PodSecurityLevel.RESTRICTED unless a workload truly needs more.');
    }
    const mesh = this.context.mesh;
    if (this.props.mesh && !mesh) sink.error('K35', 'mesh', true, 'the platform has no mesh.', 'declare `mesh` on the DistributedPlatform, or drop this prop.');
    if (this.meshed && mesh && !mesh.istioCni && this.podSecurity !== PodSecurityLevel.PRIVILEGED) {
      if (mesh.privilegedSidecarInit) {
        sink.warn('K35', 'podSecurity', this.podSecurity, `sidecar injection without Istio CNI needs a privileged init container (NET_ADMIN, NET_RAW, root), so the namespace enforces privileged and only audits/warns ${this.podSecurity}.`, 'install Istio CNI and set mesh.istioCni: true.');
      } else {
        sink.error('K35', 'podSecurity', this.podSecurity, `a meshed namespace enforcing ${this.podSecurity} Pod Security rejects the injected istio-init container (NET_ADMIN, NET_RAW, root) unless Istio CNI is installed.`, 'set mesh.istioCni: true (recommended), or mesh.privilegedSidecarInit: true to relax visibly, or mesh: false on this tenant.');
      }
    }
    if (this.meshed && mesh && this.meshPrimaries.length === 0) {
      sink.error('K39', 'clusters', this.clusterNames, 'the tenant is in the mesh but uses no primary mesh cluster, so its Istio configuration has nowhere to go.', `add a primary (${mesh.primaries.join(', ')}) or set mesh: false.`);
    }
    const alerts = this.props.alerts;
    if (alerts) {
      if (!this.context.monitoring) sink.error('FP-MONITORING', 'alerts', alerts, 'the platform has no monitoring (no Alertmanager).', 'declare `monitoring` on the DistributedPlatform.');
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
    const ts = this.props.telemetry?.tracingSampling;
    if (ts !== undefined && !(ts >= 0 && ts <= 100)) sink.error('FP-TELEMETRY', 'telemetry.tracingSampling', ts, 'a sampling percentage is between 0 and 100.', 'use e.g. 1.');
    if (this.props.telemetry && !this.meshed) sink.error('FP-TELEMETRY', 'telemetry', this.props.telemetry, 'telemetry is configured through the Istio mesh, which this tenant is not in.', 'join the mesh or drop telemetry.');
    const checkQuota = (prop: string, q: QuotaLimits | undefined) => {
      if (!q) return;
      for (const key of Object.keys(q)) {
        const v = (q as any)[key];
        if (!(key in QUOTA_KEYS)) sink.error('K8', `${prop}.${key}`, v, 'unknown quota field.', `use one of ${Object.keys(QUOTA_KEYS).join(', ')}.`);
        else if (['pods', 'services', 'persistentVolumeClaims'].includes(key) ? !(Number.isInteger(v) && v >= 0) : !isQuantity(v)) {
          sink.error('K8', `${prop}.${key}`, v, 'not a valid quota amount.', 'use a Kubernetes quantity such as "40", "500m" or "128Gi" (counts are whole numbers).');
        }
      }
    };
    checkQuota('quota', props.quota);
    if (props.federatedQuota) {
      checkQuota('federatedQuota.overall', props.federatedQuota.overall);
      for (const [cluster, q] of Object.entries(props.federatedQuota.perCluster ?? {})) {
        if (!fleet.has(cluster)) sink.error('K13', `federatedQuota.perCluster['${cluster}']`, cluster, `unknown cluster (known: ${fleet.names.join(', ')}).`, 'use a cluster declared on the platform.');
        else if (!this.clusterNames.includes(cluster)) sink.error('FP-TENANT-CLUSTERS', `federatedQuota.perCluster['${cluster}']`, cluster, 'the tenant does not use this cluster.', `assign quota only to ${this.clusterNames.join(', ')}.`);
        checkQuota(`federatedQuota.perCluster['${cluster}']`, q);
        for (const [key, total] of Object.entries(props.federatedQuota.overall ?? {})) {
          const part = parseQuantity((q as any)[key]);
          const whole = parseQuantity(total as string);
          if (part !== undefined && whole !== undefined && part > whole) {
            sink.error('K8', `federatedQuota.perCluster['${cluster}'].${key}`, (q as any)[key], `a cluster's assignment exceeds the overall quota (${total}).`, 'lower the assignment or raise the overall quota.');
          }
        }
      }
      if (this.context.delivery === DeliveryMode.DIRECT && !props.federatedQuota.perCluster) {
        sink.error('FP-DIRECT', 'federatedQuota', props.federatedQuota, 'a fleet-wide overall quota is enforced by Karmada; direct delivery has no Karmada.', 'give per-cluster assignments (perCluster) or use `quota`.');
      }
    }
    // LimitRange: min ≤ defaultRequest ≤ default ≤ max, per resource (rule 8).
    const defaults = this.context.defaults.resources;
    for (const res of ['cpu', 'memory'] as const) {
      const range: ResourceRange | undefined = defaults[res];
      const chain: Array<[string, string | undefined]> = [
        [`containerLimits.min.${res}`, props.containerLimits?.min?.[res]],
        [`defaults.resources.${res}.request`, range?.request],
        [`defaults.resources.${res}.limit`, range?.limit],
        [`containerLimits.max.${res}`, props.containerLimits?.max?.[res]],
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
    for (const [k] of Object.entries(props.labels ?? {})) {
      if (!isQualifiedName(k)) sink.error('K2', 'labels', k, 'invalid label key.', 'use an optional DNS prefix and a name of at most 63 characters.');
    }
    for (const prop of ['adminGroups', 'viewGroups'] as const) {
      (props[prop] ?? []).forEach((g, i) => {
        if (typeof g !== 'string' || g.length === 0) sink.error('FP-RBAC', `${prop}[${i}]`, g, 'a group name must be a non-empty string.', 'name the group as your identity provider does.');
      });
    }
  }

  /** Validates rule 8 for the apps: containers must declare what the quota tracks unless the LimitRange defaults it. @internal */
  public _quotaTracks(): string[] {
    const hard = { ...quotaHard(this.props.quota ?? {}), ...quotaHard(this.props.federatedQuota?.overall ?? {}) };
    return Object.keys(hard).filter((k) => k.startsWith('requests.') || k.startsWith('limits.'));
  }

  private render(target: ApplyTarget): TenantResources {
    const scope = target._scopeFor(this, this.context);
    const ns = this.namespace;
    const labels = this.labels;
    const karmada = this.context.delivery === DeliveryMode.KARMADA;
    const level = this.podSecurity;
    const meta = (name: string) => ({ name, namespace: ns, labels });

    const namespace = createObject(scope, 'Namespace', k8s.KubeNamespace.GVK, k8s.toJson_KubeNamespaceProps, {
      metadata: {
        name: ns,
        labels: {
          ...(this.props.labels ?? {}),
          ...labels,
          'pod-security.kubernetes.io/enforce': this.enforcedPodSecurity,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': level,
          'pod-security.kubernetes.io/warn': level,
          ...(this.meshed ? (this.context.mesh!.revision ? { 'istio.io/rev': this.context.mesh!.revision } : { 'istio-injection': 'enabled' }) : {}),
          // Karmada copies every namespace to every member; this tenant lives only on its own clusters.
          ...(karmada ? { [LABEL_SKIP_AUTO_PROPAGATION]: 'true' } : {}),
        },
      },
    });

    const perCluster = target.cluster ? this.props.federatedQuota?.perCluster?.[target.cluster.name] : undefined;
    const quotaLimits = perCluster ?? this.props.quota;
    const resourceQuota = quotaLimits
      ? createObject(scope, 'ResourceQuota', k8s.KubeResourceQuota.GVK, k8s.toJson_KubeResourceQuotaProps, {
          metadata: meta('tenant-quota'),
          spec: { hard: mapQuantities(quotaHard(quotaLimits)) },
        })
      : undefined;

    const d = this.context.defaults.resources;
    const pick = (f: (r: ResourceRange | undefined) => string | undefined) => {
      const out: Record<string, k8s.Quantity> = {};
      const cpu = f(d.cpu);
      const memory = f(d.memory);
      if (cpu) out.cpu = k8s.Quantity.fromString(cpu);
      if (memory) out.memory = k8s.Quantity.fromString(memory);
      return Object.keys(out).length ? out : undefined;
    };
    const bound = (b: { cpu?: string; memory?: string } | undefined) => (b ? mapQuantities(b as Record<string, string>) : undefined);
    const limitRange = createObject(scope, 'LimitRange', k8s.KubeLimitRange.GVK, k8s.toJson_KubeLimitRangeProps, {
      metadata: meta('tenant-limits'),
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: pick((r) => r?.request),
            default: pick((r) => r?.limit),
            min: bound(this.props.containerLimits?.min),
            max: bound(this.props.containerLimits?.max),
          },
        ],
      },
    });

    const networkPolicies: ApiObject[] = [];
    if (this.props.defaultDenyNetwork ?? this.context.defaults.defaultDenyNetwork) {
      networkPolicies.push(
        createObject(scope, 'DefaultDeny', k8s.KubeNetworkPolicy.GVK, k8s.toJson_KubeNetworkPolicyProps, {
          metadata: meta('default-deny'),
          spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
        }),
        createObject(scope, 'AllowDns', k8s.KubeNetworkPolicy.GVK, k8s.toJson_KubeNetworkPolicyProps, {
          metadata: meta('allow-dns'),
          spec: {
            podSelector: {},
            policyTypes: ['Egress'],
            egress: [
              {
                to: [
                  {
                    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                    podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                  },
                ],
                ports: [
                  { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
                  { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
                ],
              },
            ],
          },
        }),
        createObject(scope, 'AllowSameNamespace', k8s.KubeNetworkPolicy.GVK, k8s.toJson_KubeNetworkPolicyProps, {
          metadata: meta('allow-same-namespace'),
          spec: {
            podSelector: {},
            policyTypes: ['Ingress', 'Egress'],
            ingress: [{ from: [{ podSelector: {} }] }],
            egress: [{ to: [{ podSelector: {} }] }],
          },
        }),
      );
    }

    const monitoring = this.context.monitoring;
    if (monitoring && networkPolicies.length > 0) {
      // Default-deny would also stop Prometheus from scraping the tenant's pods.
      networkPolicies.push(
        createObject(scope, 'AllowPrometheus', k8s.KubeNetworkPolicy.GVK, k8s.toJson_KubeNetworkPolicyProps, {
          metadata: meta('allow-prometheus'),
          spec: {
            podSelector: {},
            policyTypes: ['Ingress'],
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': monitoring.namespace } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }] }],
          },
        }),
      );
    }
    if (this.meshed && networkPolicies.length > 0) {
      // Rule 12: sidecars must reach istiod for configuration and certificates.
      networkPolicies.push(
        createObject(scope, 'AllowIstiod', k8s.KubeNetworkPolicy.GVK, k8s.toJson_KubeNetworkPolicyProps, {
          metadata: meta('allow-istiod'),
          spec: {
            podSelector: {},
            policyTypes: ['Egress'],
            egress: [{
              to: [
                { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } },
                // Remote clusters reach a primary's istiod through its east-west gateway, an address outside the cluster.
                ...(this.context.mesh!.primaries.length < this.context.mesh!.clusterNames.length ? [{ ipBlock: { cidr: '0.0.0.0/0' } }] : []),
              ],
              ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(15012) }],
            }],
          },
        }),
      );
    }

    const roleBindings: ApiObject[] = [];
    for (const [role, groups] of [['admin', this.props.adminGroups], ['view', this.props.viewGroups]] as const) {
      if (!groups || groups.length === 0) continue;
      roleBindings.push(
        createObject(scope, `RoleBinding-${role}`, k8s.KubeRoleBinding.GVK, k8s.toJson_KubeRoleBindingProps, {
          metadata: meta(`tenant-${role}`),
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
          subjects: [...groups].map((g) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: g })),
        }),
      );
    }

    const meshObjects: ApiObject[] = [];
    const mesh = this.context.mesh;
    const meshHere = this.meshed && mesh && (karmada || (target.cluster && this.meshPrimaries.includes(target.cluster.name)));
    if (meshHere) {
      meshObjects.push(createObject(scope, 'PeerAuthentication', security.PeerAuthentication.GVK, security.toJson_PeerAuthenticationProps, {
        metadata: meta('default'),
        spec: { mtls: { mode: mesh!.mtls as any } },
      }));
      if (mesh!.defaultDeny) {
        // An AuthorizationPolicy with an empty spec denies every request (rule 36): services open with allowFrom().
        meshObjects.push(new PlainApiObject(scope, 'DenyAll', { ...security.AuthorizationPolicy.GVK, metadata: meta('deny-all'), spec: {} }));
      }
      const tspec = telemetrySpec(this.props.telemetry);
      if (tspec) {
        meshObjects.push(createObject(scope, 'Telemetry', telemetry.Telemetry.GVK, telemetry.toJson_TelemetryProps, { metadata: meta('default'), spec: tspec as any }));
      }
    }

    const monitoredHere = monitoring && (karmada || (target.cluster && monitoring.clusterNames.includes(target.cluster.name)));
    const alertmanagerConfig = this.props.alerts && monitoredHere ? this.renderAlerts(scope, this.props.alerts) : undefined;

    if (!karmada) return { namespace, resourceQuota, limitRange, networkPolicies, roleBindings, meshObjects, alertmanagerConfig };

    const clusterNames = [...this.clusterNames];
    const namespacePolicy = createObject(scope, 'NamespacePolicy', policy.ClusterPropagationPolicy.GVK, policy.toJson_ClusterPropagationPolicyProps, {
      metadata: { name: `${ns}-namespace`, labels },
      spec: {
        resourceSelectors: [{ apiVersion: 'v1', kind: 'Namespace', name: ns }],
        placement: { clusterAffinity: { clusterNames } },
      },
    });
    const baselineObjects: ApiObject[] = [
      ...(resourceQuota ? [resourceQuota] : []),
      limitRange,
      ...networkPolicies,
      ...roleBindings,
    ];
    // Selectors are rendered at synthesis: egress policies are added later, by the services this tenant calls.
    const baselinePolicy = createLazyObject(scope, 'BaselinePolicy', policy.PropagationPolicy.GVK, policy.toJson_PropagationPolicyProps, meta('tenant-baseline'), ['spec'], () => ({
      spec: {
        resourceSelectors: [...baselineObjects, ...this.egressObjects(target)].map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.name })),
        placement: {
          clusterAffinity: { clusterNames },
          replicaScheduling: { replicaSchedulingType: policy.PropagationPolicySpecPlacementReplicaSchedulingReplicaSchedulingType.DUPLICATED },
        },
      },
    }));
    const fq = this.props.federatedQuota;
    const federatedQuota = fq
      ? createObject(scope, 'FederatedQuota', policy.FederatedResourceQuota.GVK, policy.toJson_FederatedResourceQuotaProps, {
          metadata: meta('tenant-fleet-quota'),
          spec: {
            overall: mapIntOrString(quotaHard(fq.overall)),
            staticAssignments: fq.perCluster
              ? Object.entries(fq.perCluster).map(([clusterName, q]) => ({ clusterName, hard: mapIntOrString(quotaHard(q)) }))
              : undefined,
          },
        })
      : undefined;
    const meshPolicy = meshObjects.length
      ? createObject(scope, 'MeshPolicy', policy.PropagationPolicy.GVK, policy.toJson_PropagationPolicyProps, {
          metadata: meta('tenant-mesh'),
          spec: {
            resourceSelectors: meshObjects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.name })),
            // Istio reads configuration only from primaries (rule 39).
            placement: {
              clusterAffinity: { clusterNames: this.meshPrimaries },
              replicaScheduling: { replicaSchedulingType: policy.PropagationPolicySpecPlacementReplicaSchedulingReplicaSchedulingType.DUPLICATED },
            },
          },
        })
      : undefined;
    const monitoringPolicy = alertmanagerConfig
      ? createObject(scope, 'MonitoringPolicy', policy.PropagationPolicy.GVK, policy.toJson_PropagationPolicyProps, {
          metadata: meta('tenant-monitoring'),
          spec: {
            resourceSelectors: [{ apiVersion: alertmanagerConfig.apiVersion, kind: alertmanagerConfig.kind, name: alertmanagerConfig.name }],
            placement: {
              clusterAffinity: { clusterNames: this.clusterNames.filter((c) => monitoring!.clusterNames.includes(c)) },
              replicaScheduling: { replicaSchedulingType: policy.PropagationPolicySpecPlacementReplicaSchedulingReplicaSchedulingType.DUPLICATED },
            },
          },
        })
      : undefined;
    return { namespace, resourceQuota, limitRange, networkPolicies, roleBindings, namespacePolicy, baselinePolicy, federatedQuota, meshObjects, meshPolicy, alertmanagerConfig, monitoringPolicy };
  }

  /** The tenant's alert route and receivers; secrets by reference only. */
  private renderAlerts(scope: Construct, a: AlertRouting): ApiObject {
    // Loaded only here: the Alertmanager bindings are large.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const servers = require('../imports/monitoring.coreos.com-servers') as typeof import('../imports/monitoring.coreos.com-servers');
    const mon = this.context.monitoring!;
    const eq = servers.AlertmanagerConfigSpecRouteMatchersMatchType.VALUE_EQUALS;
    return createObject(scope, 'AlertmanagerConfig', servers.AlertmanagerConfig.GVK, servers.toJson_AlertmanagerConfigProps, {
      metadata: { name: 'tenant-alerts', namespace: this.namespace, labels: { ...this.labels, ...mon.selectorLabels } },
      spec: {
        route: {
          receiver: a.defaultReceiver,
          groupBy: a.groupBy ?? ['alertname', 'cluster', 'app'],
          repeatInterval: promDuration(a.repeatInterval ?? Duration.hours(4)),
          routes: a.criticalReceiver ? [{ receiver: a.criticalReceiver, matchers: [{ name: 'severity', value: 'critical', matchType: eq }] }] : undefined,
        },
        receivers: a.receivers.map((r) => ({
          name: r.name,
          webhookConfigs: r.webhookUrlSecret ? [{ urlSecret: { name: r.webhookUrlSecret.name, key: r.webhookUrlSecret.key }, sendResolved: true }] : undefined,
          slackConfigs: r.slack ? [{ apiUrl: { name: r.slack.apiUrlSecret.name, key: r.slack.apiUrlSecret.key }, channel: r.slack.channel, sendResolved: true }] : undefined,
          emailConfigs: r.email
            ? [{
                to: r.email.to,
                from: r.email.from,
                smarthost: r.email.smarthost,
                authUsername: r.email.authUsername,
                authPassword: r.email.authPasswordSecret ? { name: r.email.authPasswordSecret.name, key: r.email.authPasswordSecret.key } : undefined,
              }]
            : undefined,
        })),
      },
    });
  }
}

function mapQuantities(m: Record<string, string>): Record<string, k8s.Quantity> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, k8s.Quantity.fromString(String(v))]));
}

function mapIntOrString(m: Record<string, string>): Record<string, any> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, policy.FederatedResourceQuotaSpecOverall.fromString(String(v))]));
}
