/**
 * The rule catalog: every rule id that appears in a problem, with a title and what it guards against.
 * `K<n>` rules follow the numbered validation rules of the domain reference (Kubernetes, Karmada, Istio,
 * Prometheus, KubeEdge, Volcano, Submariner); `FP-*` rules are fleetplane's own. `docs/rules.md` is generated
 * from this list (`npm run docs`), and a test fails when a rule id used in the sources is missing here.
 */

/** One rule of the catalog. */
export interface RuleInfo {
  /** The id printed in problems, e.g. `K13`. */
  readonly id: string;
  /** A short title. */
  readonly title: string;
  /** What the rule checks and why it matters on a real cluster. */
  readonly description: string;
}

const K = (n: number, title: string, description: string): RuleInfo => ({ id: `K${n}`, title, description });
const FP = (name: string, title: string, description: string): RuleInfo => ({ id: `FP-${name}`, title, description });

/** Every rule, `K` rules by number, then fleetplane's own by name. */
export const RULES: readonly RuleInfo[] = [
  K(1, 'Object names', 'Names are DNS-1123 subdomains or labels (namespaces, containers, ports) or DNS-1035 labels (Services); the API server rejects others.'),
  K(2, 'Labels', 'Label keys are qualified names and values at most 63 alphanumerics, "-", "_" or "."; the API server rejects others.'),
  K(3, 'Ports', 'Port numbers 1-65535, IANA port names, no repeated name or port/protocol pair, every port of a multi-port Service named.'),
  K(4, 'Object size', 'Objects above 1 MiB are rejected by etcd; near the limit is a warning.'),
  K(5, 'Istio port protocol', 'Meshed Service ports need a protocol prefix (http, grpc, tcp, ...) or Istio treats them as opaque TCP.'),
  K(6, 'Pod Security', 'Restricted Pod Security is the default; pods must satisfy what their namespace enforces, or PSA rejects them.'),
  K(7, 'Infrastructure namespaces', 'Namespaces hosting privileged infrastructure (istio-system with CNI, node-exporter) are labelled privileged explicitly.'),
  K(8, 'Quantities and quotas', 'Resources are Kubernetes quantities, requests ≤ limits; a quota tracking requests or limits needs every container (apps, batch jobs, edge apps) to declare them; extended resources are quota\'d by request with domain-prefixed names and whole amounts; pods that must run together (a gang, a Spark application, an edge app\'s replicas) fit in the quota where they may run; LimitRange min ≤ defaultRequest ≤ default ≤ max.'),
  K(9, 'Disruption budgets', 'minAvailable and maxUnavailable are exclusive; a budget allowing no disruption blocks node drains.'),
  K(10, 'Autoscaler behaviour', 'Utilization targets ≥ 1 %, stabilization windows 0-3600 s, policy periods 1-1800 s and values > 0.'),
  K(11, 'Topology spread', 'maxSkew ≥ 1; minDomains only with DoNotSchedule; the selector matches the pods.'),
  K(12, 'Network policy completeness', 'Default-deny egress comes with DNS, and meshed pods with istiod on 15012.'),
  K(13, 'Known clusters', 'Every cluster name used anywhere names a declared cluster; names are DNS-1123 labels of at most 48 characters.'),
  K(14, 'Resource selectors and reserved namespaces', 'Policies select at least one object; Kubernetes and Karmada namespaces are reserved.'),
  K(15, 'Cluster affinity', 'clusterAffinity and clusterAffinities are exclusive; fallback group names are 1-32 characters, label keys, unique.'),
  K(16, 'Spread constraints', 'Each spread field once, with a cluster constraint beside region/zone/provider ones; 0 ≤ minGroups ≤ maxGroups.'),
  K(17, 'Spread inputs', 'Spreading by region, zone or provider needs those fields on every candidate cluster and enough distinct values.'),
  K(18, 'Field selectors', 'Field selectors use provider, region or zone with In or NotIn and at least one value.'),
  K(19, 'Static weights', 'Weights are whole numbers ≥ 1; dynamic and static weights are exclusive; a weight should select a cluster.'),
  K(20, 'Replica scheduling', 'Without a division preference Karmada duplicates replicas to every cluster; say so explicitly for large counts.'),
  K(21, 'Application failover', 'Failover needs propagateDeps; the grace period only with PurgeMode.GRACEFULLY and > 0; toleration ≥ 0.'),
  K(22, 'Preemption and suspension', 'Preemption needs named selectors; suspension of all dispatching excludes per-cluster suspension.'),
  K(23, 'Overriders', 'Override paths are RFC 6901 pointers; add and replace take a value, remove none; a patch must apply to the rendered object.'),
  K(24, 'FederatedHPA and CronFederatedHPA', '1 ≤ minReplicas ≤ maxReplicas; cron rules named 1-32 characters, unique, with valid cron expressions and IANA time zones.'),
  K(25, 'Autoscaler ownership', 'A workload scaled by a FederatedHPA gets no fixed replicas or replica overrides and is divided, not duplicated.'),
  K(26, 'MultiClusterService', 'Named like its Service, one immutable type, DNS-1123 port names; needs the MultiClusterService feature gate.'),
  K(27, 'Cross-kind placement', 'Custom resources need their CRDs on every member they are placed on, applied first.'),
  K(28, 'Locality failover', 'Locality failover needs outlier detection on the same traffic policy; distribute and failover are exclusive; distribute weights sum to 100.'),
  K(29, 'Locality inputs', 'Locality load balancing needs region and zone labels on the nodes and network labels for network priority.'),
  K(30, 'VirtualService routes', 'Route weights ≥ 0 summing to 100, subsets that exist, valid fault and mirror percentages.'),
  K(31, 'Hosts', 'Fully qualified hosts, no duplicates, no "*" on mesh-bound VirtualServices.'),
  K(32, 'Subsets', 'Subset names are unique DNS-1123 labels and select the target workload\'s pods.'),
  K(33, 'Gateway servers', 'Unique port names; HTTPS servers need TLS with a Secret in the gateway\'s namespace.'),
  K(34, 'Cross-network mesh', 'A multi-network mesh needs the cross-network gateway on 15443, consistent network labels, one mesh ID and primaries.'),
  K(35, 'Sidecar injection', 'istio-injection or istio.io/rev, never both; STRICT mTLS is the default; restricted namespaces need Istio CNI for sidecars.'),
  K(36, 'AuthorizationPolicy', 'Principals are SPIFFE identities of real ServiceAccounts; callers carry mTLS identities; an empty spec denies all.'),
  K(37, 'ServiceEntry', 'Hosts non-empty and not "*", ports 1-65535 and unique.'),
  K(38, 'Sidecar egress', 'Egress hosts are ns/dnsName of known services; at most one selector-less Sidecar per namespace.'),
  K(39, 'Istio configuration placement', 'Istio configuration goes to every primary the tenant uses, not only where the workload runs.'),
  K(40, 'Prometheus rules', 'Unique group names, one of record/alert, valid PromQL and record names.'),
  K(41, 'Prometheus durations', 'Durations follow the operator regex; scrapeTimeout ≤ interval.'),
  K(42, 'Monitoring selectors', 'Monitoring objects carry the label their Prometheus selects and point at existing ports; otherwise they are silently ignored.'),
  K(43, 'Member Prometheus identity', 'Every member Prometheus has a unique cluster external label, or federated series collide.'),
  K(44, 'Federation', 'Federation scrapes /federate with honorLabels and a bounded match[], one per-cluster address per member.'),
  K(45, 'Alertmanager routes', 'Routes name existing receivers; receiver names unique; groupBy without duplicates.'),
  K(46, 'Edge applications and node groups', 'Node groups live on edge clusters, a node in at most one group; node-group pinning only for Deployments.'),
  K(47, 'Volcano jobs', 'Unique task names, pod names ≤ 63 characters, gang sizes within replicas, leaf queues present where the job runs, valid policies and plugins; the pytorch and mpi plugins have their tasks, the svc (and for mpi ssh) plugin, one pytorch master, a bindable sshd port, and no hand-set copy of the variables they inject.'),
  K(48, 'Volcano queues', 'Weights 1-65535; guarantee ≤ deserved ≤ capability per resource.'),
  K(49, 'Cross-cluster services', 'One flow per service, providers that run the app, consumers with the namespace, Submariner cluster IDs and non-overlapping CIDRs.'),
  FP('ACCESS', 'Access without a mesh', 'FederatedApp.allowFrom names apps or tenants of the same platform, in a tenant outside the mesh, on ports the app has; its NetworkPolicies then admit exactly those callers.'),
  FP('CANARY', 'Canary versions', 'A canary has its own version (a DNS-1123 label) and at least one replica.'),
  FP('CLUSTERS', 'Cluster inventory', 'A platform declares at least one cluster, each an object with a known role and unique zones.'),
  FP('CLUSTERSET', 'Cross-cluster names resolve', 'Every *.svc.clusterset.local name fleetplane writes needs a cross-cluster DNS backend (Submariner Lighthouse) joining both ends, and a ServiceExport in the cluster that serves it.'),
  FP('COLLISION', 'Object collisions', 'Two constructs may not emit the same object into one target; names are readable, not hashed.'),
  FP('CONFIGMAP', 'ConfigMap keys', 'ConfigMap keys are letters, digits, "-", "_" and ".".'),
  FP('DELIVERY', 'Delivery mode', 'The delivery mode is DeliveryMode.KARMADA or DeliveryMode.DIRECT.'),
  FP('DIRECT', 'Direct-mode limits', 'What only Karmada decides at run time (failover, dynamic weights, cron scaling, fleet quotas, MCS) is refused in direct delivery.'),
  FP('DUPLICATE', 'Duplicate ids', 'Construct ids are unique in their scope, and platform names in the app; the constructs library would otherwise stop the program at the first clash.'),
  FP('EMPTY-SELECTOR', 'Empty selectors', 'A cluster selector must match at least one cluster.'),
  FP('ENV', 'Environment variables', 'Valid variable names and typed values (EnvValue).'),
  FP('ENV-SECRET', 'Secrets inlined', 'Secret-looking values are never inlined in env or ConfigMaps; reference a Secret instead.'),
  FP('GITOPS', 'GitOps delivery', 'The repository, path, revision and destinations the GitOps objects point at are well formed and name real apply targets; the per-target directory layout is written by FleetApp.'),
  FP('IMAGE', 'Image references', 'Every image (apps, canaries, overrides, edge apps and node groups, batch tasks, Thanos) follows the distribution grammar ([host[:port]/]path[:tag][@digest]) and registries are host[:port]; an untagged image or a mutable tag (latest, main, master, stable, ...) without a digest is a warning, an error under defaults.imageTagPolicy REJECT_MUTABLE, and REQUIRE_DIGEST asks for a digest everywhere.'),
  FP('INPUT', 'Malformed input', 'Props of the wrong JavaScript type (at any depth, and what helpers such as Placement.clusters() or Probe.http() were given), misspelled props and missing required parts are reported on the real prop, never a bare TypeError, and never ignored.'),
  FP('INCLUDE', 'Objects placed with an app', 'Objects given to FederatedApp.include() are cdk8s ApiObjects in the app\'s namespace, so the app\'s placement can carry them.'),
  FP('KIND', 'Workload kind', 'The workload kind is a Deployment or a StatefulSet.'),
  FP('LABELS', 'Platform labels', 'Every emitted object carries the platform label, so prune and selectors work.'),
  FP('MCI', 'MultiClusterIngress', 'Ingress rules route to Karmada MCS services of the same tenant on declared ports.'),
  FP('MESH', 'Mesh membership', 'Meshed services need a platform mesh, a meshed tenant and an app with ports.'),
  FP('MONITORING', 'Monitoring prerequisites', 'Metrics, SLOs and alerts need platform monitoring on every cluster the app runs on.'),
  FP('OTEL', 'Platform telemetry', 'OpenTelemetry collectors need a tier that exports (a global gateway on a declared cluster, or direct), at least one backend with an http(s) endpoint, valid namespaces, replicas and sampling; the global gateway admits its members by their pod CIDRs.'),
  FP('LOGS', 'App logs', 'Logs need platform telemetry with a logs backend and collectors on every cluster the app may run on; regular expressions (format, multiline, exclusions) compile in Go RE2, and a regex format has named groups (the collector stores only those); named containers exist.'),
  FP('TRACING', 'App tracing', 'Tracing needs an endpoint (platform telemetry with a traces backend, or tracing.endpoint), a sampling percentage between 0 and 100, and a language the OpenTelemetry operator instruments (Go also needs the executable and privileged pods).'),
  FP('OVERRIDE', 'Overrides', 'Overrides name clusters; env overrides of one cluster are merged in one place.'),
  FP('PROGRESSIVE', 'Progressive delivery', 'A canary or blue/green promoted by Flagger needs a meshed Deployment with one port, a MeshedService to route it (without its own splits), and SLO metrics to gate on; Karmada cannot autoscale the primary that Flagger creates.'),
  FP('RBAC', 'Tenant RBAC', 'Group names are non-empty strings.'),
  FP('REACH', 'Declared paths connect', 'Every connection the tree declares (allowFrom callers, calls, the ingress gateway, DNS, istiod) gets through the synthesized NetworkPolicies, Sidecars, PeerAuthentications and AuthorizationPolicies in every pair of clusters where both ends run; a cross-network path needs the target cluster\'s east-west gateway address.'),
  FP('REGISTRATION', 'Cluster registration', 'Push clusters need an API endpoint and a Secret; registrations exist only in karmada mode.'),
  FP('REPLICAS', 'Replica counts', 'Replicas are whole numbers ≥ 0 and agree with exact distributions.'),
  FP('ROLLOUT', 'Rollout waves', 'Waves name each cluster of the placement exactly once; the gate between waves reads SLO burn rates, so it needs SLOs; direct-mode waves are rolled out by Argo CD RollingSync.'),
  FP('SCOPE', 'Construct scope', 'Constructs live inside a DistributedPlatform, tenant constructs inside a Tenant.'),
  FP('SLO', 'Service-level objectives', 'Objectives strictly between 0 and 100, known kinds, latency thresholds on histogram bucket boundaries.'),
  FP('SPARK', 'Spark applications', 'A Spark job has executors, a Java main class, a jar in the image or at a URL, Spark configuration that leaves fleetplane\'s keys alone, whole cores with a CPU limit at least as large, and, in a default-deny tenant, the API server endpoints its submitter and driver call.'),
  FP('STORAGE', 'Per-replica storage', 'Storage needs a StatefulSet, a quantity and an absolute mount path.'),
  FP('TELEMETRY', 'Mesh telemetry', 'Tracing and access logs are configured through the mesh, with sampling between 0 and 100.'),
  FP('TENANT-CLUSTERS', 'Tenant clusters', 'Objects of a tenant go only to clusters the tenant uses (where its namespace exists).'),
  FP('TOLERATION', 'Cluster tolerations', 'A toleration with `exists` sets no value.'),
  FP('XCS', 'Cross-cluster service inputs', 'A cross-cluster service exposes an app of its own tenant that has ports, through a known backend.'),
];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

/** The catalog entry of a rule id, if it has one. */
export function ruleInfo(id: string): RuleInfo | undefined {
  return BY_ID.get(id);
}

/** The anchor of a rule in docs/rules.md (GitHub-style heading anchor). */
export function ruleAnchor(id: string): string {
  const r = BY_ID.get(id);
  return r ? `${r.id}-${r.title}`.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-') : id.toLowerCase();
}

/** docs/rules.md, generated from the catalog. */
export function rulesMarkdown(): string {
  const lines = [
    '# fleetplane rules',
    '',
    'Every problem fleetplane reports names a rule id. `K<n>` rules follow the numbered validation rules for',
    'Kubernetes, Karmada, Istio, Prometheus, KubeEdge, Volcano and Submariner; `FP-*` rules are fleetplane\'s own.',
    'Generated from `core/rules.ts` by `npm run docs`; do not edit by hand.',
    '',
    '| Rule | Title |',
    '| --- | --- |',
    ...RULES.map((r) => `| [${r.id}](#${ruleAnchor(r.id)}) | ${r.title} |`),
    '',
  ];
  for (const r of RULES) lines.push(`## ${r.id} ${r.title}`, '', r.description, '');
  return lines.join('\n');
}
