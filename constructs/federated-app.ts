import { PlatformConstruct } from './private/platform-construct';
import { ApiObject, Duration } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import * as autoscaling from '../imports/autoscaling.karmada.io';
import * as policy from '../imports/policy.karmada.io';
import * as monitoring from '../imports/monitoring.coreos.com';
import { AppMetrics, Slo, SloKind } from '../model/monitoring';
import { appDashboard } from '../engines/monitoring/dashboards';
import { appRuleGroups, signalSource } from '../engines/monitoring/rules';
import { promDuration } from '../core/duration';
import { isCronExpression, isTimeZone } from '../core/cron';
import { Distribution, DistributionKind } from '../model/distribution';
import { divideByWeight } from '../engines/delivery/webster';
import { ClusterSelector } from '../model/cluster';
import { Fleet } from '../core/fleet';
import { parseImage } from '../core/image';
import { LABEL_INSTANCE, LABEL_NAME, LABEL_TRACK, LABEL_VERSION } from '../core/labels';
import { createObject, PlainApiObject } from '../core/l1';
import { isDns1035Label, isDnsSubdomain, isEnvName, isJsonPointer, isLabelValue, isPortName, isQualifiedName } from '../core/names';
import { ClusterOverride, OverrideValues } from '../model/overrides';
import { applyOverride, compileOverriders, normalizeOverrides } from '../engines/delivery/overrides';
import { overrideImage } from '../core/image';
import { Placement, SpreadField } from '../model/placement';
import { ProblemSink } from '../core/problems';
import { isQuantity, parseQuantity } from '../core/quantity';
import { ScheduleResult, checkPlacement, schedule, scopeToTenant } from '../engines/delivery/scheduling';
import { ApplyTarget } from '../core/target';
import { AppPort, EnvValue, Probe, Protocol, ResourceRequirements } from '../model/workload';
import { containerSecurityContext, podSecurityContext, renderResources } from '../core/pod';
import { DeliveryMode } from '../core/target';
import { Tenant } from './tenant';
import { PlatformContext } from '../core/context';
import { renderAffinity, renderClusterTolerations } from '../engines/delivery/placement';
import { WorkloadKind, AutoscalingProps, FailoverProps, StorageProps, DisruptionBudgetProps, CanaryProps, AppResources, PurgeMode, ScalingRules } from '../model/app';

/** Default bucket boundaries of Istio's request-duration histogram, in milliseconds. */
const ISTIO_BUCKETS_MS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

/** Properties of a {@link FederatedApp}. */
export interface FederatedAppProps {
  /** Image of the main container, e.g. `registry.example.com/shop/web:1.4.2`. */
  readonly image: string;
  /**
   * Object name (a DNS-1035 label: Service names are).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Workload kind.
   * @default WorkloadKind.DEPLOYMENT
   */
  readonly kind?: WorkloadKind;
  /**
   * Shorthand for one HTTP port named `http`.
   * @default - see `ports`
   */
  readonly port?: number;
  /**
   * Ports of the main container, all exposed by the Service.
   * @default - `port`, or no ports
   */
  readonly ports?: AppPort[];
  /**
   * Environment variables of the main container, in order.
   * @default - none
   */
  readonly env?: Record<string, EnvValue>;
  /**
   * Command (entrypoint).
   * @default - the image's
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * Resources of the main container.
   * @default - the platform default
   */
  readonly resources?: ResourceRequirements;
  /**
   * Liveness probe.
   * @default - none
   */
  readonly liveness?: Probe;
  /**
   * Readiness probe.
   * @default - none
   */
  readonly readiness?: Probe;
  /**
   * Startup probe.
   * @default - none
   */
  readonly startup?: Probe;
  /**
   * Replica count over the fleet (per cluster with duplicated distribution). Not with `autoscaling`.
   * @default 1, or the sum of Distribution.exact counts
   */
  readonly replicas?: number;
  /**
   * Where the app runs.
   * @default Placement.all() (every cluster of the tenant)
   */
  readonly placement?: Placement;
  /**
   * How replicas are spread over the selected clusters.
   * @default Distribution.duplicated(), or Distribution.evenly() with autoscaling
   */
  readonly distribution?: Distribution;
  /**
   * Per-cluster or per-label overrides: a list, or a map keyed by cluster name.
   * @default - none
   */
  readonly overrides?: ClusterOverride[] | Record<string, OverrideValues>;
  /**
   * Fleet-wide autoscaling; the autoscaler then owns the replica count.
   * @default - fixed replicas
   */
  readonly autoscaling?: AutoscalingProps;
  /**
   * Application failover (karmada mode).
   * @default - no failover
   */
  readonly failover?: FailoverProps;
  /**
   * ConfigMaps the app owns, by name: key → value. Never put secrets here.
   * @default - none
   */
  readonly configMaps?: Record<string, Record<string, string>>;
  /**
   * Existing Secrets the app depends on, by name (values are never part of the definition).
   * Secrets used in `env` are added automatically.
   * @default - none
   */
  readonly secrets?: string[];
  /**
   * Per-replica storage (StatefulSet only).
   * @default - none
   */
  readonly storage?: StorageProps;
  /**
   * Disruption budget, or false for none.
   * @default - maxUnavailable 1 (platform default)
   */
  readonly disruptionBudget?: DisruptionBudgetProps | false;
  /**
   * Spread pods across zones and nodes inside each cluster.
   * @default - the platform default (true)
   */
  readonly topologySpread?: boolean;
  /**
   * Name of the main container.
   * @default 'app'
   */
  readonly containerName?: string;
  /**
   * Version label (`app.kubernetes.io/version`).
   * @default - the image tag when it is a valid label value
   */
  readonly version?: string;
  /**
   * Scrape the app's metrics (needs platform monitoring): a ServiceMonitor on the named port, or for a meshed
   * tenant a PodMonitor on the sidecar's merged metrics. Golden-signal rules and a dashboard come with it.
   * @default - not scraped
   */
  readonly metrics?: AppMetrics;
  /**
   * Service-level objectives, alerted on with multi-window, multi-burn-rate rules.
   * @default - none
   */
  readonly slos?: Slo[];
  /**
   * A canary version running beside this one (its traffic share is set by a MeshedService).
   * @default - no canary
   */
  readonly canary?: CanaryProps;
  /**
   * Extra labels on every object of the app.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

const SECRET_NAME = /(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential)/i;

/**
 * One application placed across the fleet: the workload (Deployment or StatefulSet) with a restricted
 * security context, its Service, ServiceAccount, PodDisruptionBudget and ConfigMaps, and in karmada mode
 * the PropagationPolicy, OverridePolicy, FederatedHPA and CronFederatedHPA that place and tune it. In
 * direct mode the same definition is expanded per cluster, replicas split as Karmada would.
 */
export class FederatedApp extends PlatformConstruct {
  /** The tenant. */
  public readonly tenant: Tenant;
  /** The platform. */
  /** Object name. */
  public readonly appName: string;
  /** The platform. */
  public get platform(): PlatformContext {
    return this.context;
  }
  /** Workload kind. */
  public readonly kind: WorkloadKind;
  /** Placement. */
  public readonly placement: Placement;
  /** Distribution. */
  public readonly distribution: Distribution;
  /** The ports, with names resolved. */
  public readonly ports: ReadonlyArray<Required<Pick<AppPort, 'name' | 'port' | 'protocol' | 'servicePort'>>>;
  /** Scheduling on a healthy fleet: candidate clusters and, when known at synthesis, replicas per cluster. */
  public get scheduled(): ScheduleResult {
    return this._scheduled;
  }

  private _scheduled: ScheduleResult = { candidates: [] };
  private readonly props: FederatedAppProps;
  private readonly overrides: ClusterOverride[];
  private readonly resourcesByTarget = new Map<string, AppResources>();

  constructor(scope: Tenant, id: string, props: FederatedAppProps) {
    super(scope, id);
    this.props = props ?? ({} as FederatedAppProps);
    if (!(scope instanceof Tenant)) {
      this.sink.error('FP-SCOPE', 'scope', (scope as Construct)?.node?.path, 'a FederatedApp must be created inside a Tenant.', 'pass the tenant as the scope: new FederatedApp(tenant, "web", {...}).');
    }
    this.tenant = scope;
    this.appName = this.props.name ?? id;
    this.kind = this.props.kind ?? WorkloadKind.DEPLOYMENT;
    this.placement = this.props.placement ?? Placement.all();
    this.distribution = this.props.distribution ?? (this.props.autoscaling ? Distribution.evenly() : Distribution.duplicated());
    this.overrides = normalizeOverrides(this.props.overrides);
    this.ports = (this.props.ports ?? (this.props.port !== undefined ? [{ port: this.props.port }] : [])).map((p, i) => ({
      name: p?.name ?? (i === 0 ? 'http' : ''),
      port: p?.port,
      protocol: p?.protocol ?? Protocol.TCP,
      servicePort: p?.servicePort ?? p?.port,
    }));
    if (!(scope instanceof Tenant)) return;
    this.sink.guard(() => {
      this.checkProps();
      const fleet = this.context.fleet;
      const direct = this.context.delivery === DeliveryMode.DIRECT;
      checkPlacement(this.sink, fleet, this.tenant.clusterNames, this.placement, this.distribution);
      const scheduled = schedule(this.sink, fleet, this.tenant.clusterNames, this.placement, this.distribution, this.totalReplicas, direct);
      this._scheduled = scheduled;
      const mon = this.context.monitoring;
      const unmonitored = scheduled.candidates.filter((c) => mon && this.props.metrics && !mon.clusterNames.includes(c.name)).map((c) => c.name);
      if (unmonitored.length > 0) {
        this.sink.error('FP-MONITORING', 'metrics', unmonitored, `the app runs on ${unmonitored.join(', ')}, where the platform has no Prometheus; its monitoring objects would have no CRDs and no scraper there.`, 'add those clusters to monitoring.clusters, or place the app on monitored clusters.');
      }
      if (this.sink.hasErrors) return; // rendering a broken definition would only add noise (or fail)
      if (direct) {
        for (const c of scheduled.candidates) {
          const target = this.context.memberTarget(c.name);
          if (target) this.resourcesByTarget.set(target.name, this.renderMember(target, c.name));
        }
      } else if (this.context.controlPlane) {
        this.resourcesByTarget.set(this.context.controlPlane.name, this.renderControlPlane(this.context.controlPlane));
      }
    });
  }

  /** The objects emitted into a target: `control-plane`, or `cluster-<name>` in direct mode. */
  public resourcesIn(target: string): AppResources | undefined {
    return this.resourcesByTarget.get(target);
  }

  /** Names of the targets the app writes to. */
  public get targetNames(): string[] {
    return [...this.resourcesByTarget.keys()];
  }

  /** Replica count over the fleet, or undefined when an autoscaler owns it. */
  public get totalReplicas(): number | undefined {
    if (this.props.autoscaling) return undefined;
    if (this.distribution.kind === DistributionKind.EXACT) {
      return Object.values(this.distribution.counts ?? {}).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
    }
    return this.props.replicas ?? 1;
  }

  /** Labels selecting the app's pods. */
  public get selectorLabels(): Record<string, string> {
    return { [LABEL_NAME]: this.appName, [LABEL_INSTANCE]: `${this.tenant.namespace}-${this.appName}`.slice(0, 63).replace(/[-_.]+$/, '') };
  }

  /** Labels on every object of the app. */
  public get labels(): Record<string, string> {
    return this.labelsFor(this.stableVersion);
  }

  /** The version the main workload runs (`version`, else the image tag, else `stable`). */
  public get stableVersion(): string {
    const v = this.props.version ?? parseImage(this.image)?.tag;
    return v && isLabelValue(v) ? v : 'stable';
  }

  /** The canary's version, if the app has a canary. */
  public get canaryVersion(): string | undefined {
    return this.props.canary?.version;
  }

  /** Every version the app runs: the stable one, then the canary. */
  public get versions(): string[] {
    return this.canaryVersion !== undefined ? [this.stableVersion, this.canaryVersion] : [this.stableVersion];
  }

  /** Pod labels selecting one version of the app (for Istio subsets). */
  public versionLabels(version: string): Record<string, string> {
    return { ...this.selectorLabels, [LABEL_VERSION]: version };
  }

  private labelsFor(version: string): Record<string, string> {
    return { ...(this.props.labels ?? {}), ...this.tenant.labels, ...this.selectorLabels, [LABEL_VERSION]: version };
  }

  /** The main container image, with the platform registry applied to images that name none. */
  public get image(): string {
    const registry = this.context.defaults.imageRegistry;
    const parsed = parseImage(this.props.image);
    return registry && parsed && !parsed.registry ? `${registry}/${this.props.image}` : this.props.image;
  }

  /** Name of the canary workload. */
  public get canaryName(): string | undefined {
    return this.props.canary ? `${this.appName}-${this.props.canary.version}` : undefined;
  }

  private get canaryImage(): string {
    const c = this.props.canary!;
    return c.image ?? overrideImage(this.image, { tag: c.version });
  }

  // ---------------------------------------------------------------------------------------------
  // Checks

  private checkProps(): void {
    const { sink, props } = this;
    const fleet = this.context.fleet;
    if (!isDns1035Label(this.appName)) {
      sink.error('K1', 'name', this.appName, 'an app name must be a DNS-1035 label (lower-case letters, digits, "-", starting with a letter, at most 63 characters): it names the Service.', 'rename the app, e.g. "web".');
    }
    if (this.kind === WorkloadKind.STATEFUL_SET && typeof this.appName === 'string' && this.appName.length > 54) {
      sink.error('K1', 'name', this.appName, 'a StatefulSet also gets a headless Service "<name>-headless", which must stay within 63 characters.', 'use a name of at most 54 characters.');
    }
    if (!Object.values(WorkloadKind).includes(this.kind)) sink.error('FP-KIND', 'kind', this.kind, 'unknown workload kind.', 'use WorkloadKind.DEPLOYMENT or STATEFUL_SET.');
    if (typeof props.image !== 'string' || !parseImage(props.image)) {
      sink.error('FP-IMAGE', 'image', props.image, 'not a valid image reference.', 'use "registry.example.com/team/app:1.2.3".');
    } else if (!parseImage(props.image)!.tag && !parseImage(props.image)!.digest) {
      sink.warn('FP-IMAGE', 'image', props.image, 'the image has no tag or digest, so every cluster may run a different "latest".', 'pin a tag or digest.');
    }
    const containerName = props.containerName ?? 'app';
    if (!isDnsSubdomain(containerName) || containerName.length > 63 || containerName.includes('.')) sink.error('K1', 'containerName', containerName, 'a container name must be a DNS-1123 label.', 'use e.g. "app".');

    for (const [k, v] of Object.entries(props.labels ?? {})) {
      if (!isQualifiedName(k) || !isLabelValue(v)) sink.error('K2', 'labels', { [k]: v }, 'invalid label.', 'label keys are qualified names; values at most 63 alphanumerics, "-", "_" or ".".');
    }

    const canary = props.canary;
    if (canary) {
      if (typeof canary.version !== 'string' || !isDnsSubdomain(canary.version) || canary.version.includes('.') || !isLabelValue(canary.version)) {
        sink.error('FP-CANARY', 'canary.version', canary.version, 'a canary version must be a DNS-1123 label (it names the workload and the Istio subset).', 'use e.g. "v2".');
      } else if (`${this.appName}-${canary.version}`.length > (this.kind === WorkloadKind.STATEFUL_SET ? 54 : 63)) {
        sink.error('K1', 'canary.version', canary.version, `the canary workload name "${this.appName}-${canary.version}" is too long.`, 'shorten the app name or the version.');
      }
      if (canary.version === this.stableVersion) sink.error('FP-CANARY', 'canary.version', canary.version, 'the canary version equals the stable version.', 'give the canary its own version, or set `version` on the app.');
      if (canary.replicas !== undefined && (!Number.isInteger(canary.replicas) || canary.replicas < 1)) sink.error('FP-CANARY', 'canary.replicas', canary.replicas, 'a canary needs at least one replica.', 'use 1 or more.');
      if (canary.image !== undefined && !parseImage(canary.image)) sink.error('FP-IMAGE', 'canary.image', canary.image, 'not a valid image reference.', 'use "registry.example.com/team/app:2.0.0".');
      if (this.stableVersion === 'stable' && props.version === undefined) sink.warn('FP-CANARY', 'version', undefined, 'the stable version has no name (the image has no tag), so its subset is called "stable".', 'set `version` on the app, e.g. "v1".');
    }
    if (props.version !== undefined && (!isLabelValue(props.version) || props.version.length === 0)) sink.error('K2', 'version', props.version, 'the version is a label value.', 'use at most 63 alphanumerics, "-", "_" or ".".');

    const m = props.metrics;
    if (m || props.slos) {
      const mon = this.context.monitoring;
      if (!mon) sink.error('FP-MONITORING', props.metrics ? 'metrics' : 'slos', props.metrics ?? props.slos, 'the platform has no monitoring.', 'declare `monitoring` on the DistributedPlatform.');
      if (props.slos && !m) sink.error('FP-MONITORING', 'slos', props.slos, 'SLOs are computed from the app\'s request metrics, which are not scraped.', 'set `metrics` as well.');
      if (m) {
        const names = (props.ports ?? (props.port !== undefined ? [{ name: 'http' }] : [])).map((p, i) => p?.name ?? (i === 0 ? 'http' : ''));
        if (m.port !== undefined ? !names.includes(m.port) : names.length === 0) {
          sink.error('K42', 'metrics.port', m.port, m.port !== undefined ? `the app's Service has no port named "${m.port}", so the ServiceMonitor would select nothing.` : 'the app exposes no port to scrape.', `use one of: ${names.join(', ') || 'declare a port'}.`);
        }
        if (m.path !== undefined && !m.path.startsWith('/')) sink.error('FP-MONITORING', 'metrics.path', m.path, 'a metrics path starts with "/".', 'use e.g. "/metrics".');
        if (m.interval && m.scrapeTimeout && m.scrapeTimeout.toSeconds() > m.interval.toSeconds()) sink.error('K41', 'metrics.scrapeTimeout', promDuration(m.scrapeTimeout), `the scrape timeout exceeds the interval (${promDuration(m.interval)}).`, 'make scrapeTimeout at most the interval.');
        for (const [k, v] of Object.entries({ requestsMetric: m.requestsMetric, durationMetric: m.durationMetric, statusLabel: m.statusLabel })) {
          if (v !== undefined && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(v)) sink.error('K40', `metrics.${k}`, v, 'not a valid Prometheus metric or label name.', 'use letters, digits, "_" and ":".');
        }
      }
      const sloNames = new Set<string>();
      (props.slos ?? []).forEach((slo, i) => {
        const at = `slos[${i}]`;
        if (typeof slo?.name !== 'string' || !/^[a-z][a-z0-9-]{0,40}$/.test(slo.name)) sink.error('K40', `${at}.name`, slo?.name, 'an SLO name is a short lower-case identifier (letters, digits, "-").', 'use e.g. "availability".');
        if (sloNames.has(slo?.name)) sink.error('K40', `${at}.name`, slo.name, 'SLO names must be unique per app.', 'rename the SLO.');
        sloNames.add(slo?.name);
        if (!(typeof slo?.objective === 'number' && slo.objective > 0 && slo.objective < 100)) sink.error('FP-SLO', `${at}.objective`, slo?.objective, 'an objective is a percentage strictly between 0 and 100.', 'use e.g. 99.9.');
        if (!Object.values(SloKind).includes(slo?.kind)) sink.error('FP-SLO', `${at}.kind`, slo?.kind, 'unknown SLO kind.', 'use SloKind.AVAILABILITY or SloKind.LATENCY.');
        if (slo?.kind === SloKind.LATENCY && !(slo.latencyThreshold && slo.latencyThreshold.toMilliseconds() > 0)) sink.error('FP-SLO', `${at}.latencyThreshold`, undefined, 'a latency SLO needs a threshold.', 'set latencyThreshold, e.g. Duration.millis(300) (a bucket boundary of the histogram).');
        if (slo?.kind === SloKind.LATENCY && slo.latencyThreshold && this.tenant.meshed && !ISTIO_BUCKETS_MS.includes(slo.latencyThreshold.toMilliseconds())) {
          sink.error('FP-SLO', `${at}.latencyThreshold`, `${slo.latencyThreshold.toMilliseconds()}ms`, 'the threshold is not a bucket boundary of istio_request_duration_milliseconds, so the SLO could not be computed.', `use one of ${ISTIO_BUCKETS_MS.join(', ')} ms.`);
        }
      });
    }

    // Ports (rule 3).
    const names = new Set<string>();
    const pairs = new Set<string>();
    this.ports.forEach((p, i) => {
      const at = props.ports ? `ports[${i}]` : 'port';
      if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) sink.error('K3', `${at}.port`, p.port, 'a port must be a whole number from 1 to 65535.', 'use e.g. 8080.');
      if (!Number.isInteger(p.servicePort) || p.servicePort < 1 || p.servicePort > 65535) sink.error('K3', `${at}.servicePort`, p.servicePort, 'a port must be a whole number from 1 to 65535.', 'use e.g. 80.');
      if (!isPortName(p.name)) sink.error('K3', `${at}.name`, p.name, 'a port name must be an IANA service name: at most 15 lower-case letters, digits or "-", with a letter; every port of a multi-port app is named.', 'use e.g. "http" or "grpc-api".');
      if (names.has(p.name)) sink.error('K3', `${at}.name`, p.name, 'two ports have the same name.', 'give each port a unique name.');
      const pair = `${p.port}/${p.protocol}`;
      if (pairs.has(pair)) sink.error('K3', `${at}.port`, p.port, `port ${pair} is declared twice.`, 'declare each port and protocol once.');
      names.add(p.name);
      pairs.add(pair);
    });
    const servicePorts = new Set<string>();
    this.ports.forEach((p, i) => {
      const key = `${p.servicePort}/${p.protocol}`;
      if (servicePorts.has(key)) sink.error('K3', `ports[${i}].servicePort`, p.servicePort, `Service port ${key} is used twice.`, 'give each port a unique servicePort.');
      servicePorts.add(key);
    });
    for (const [prop, probe] of [['liveness', props.liveness], ['readiness', props.readiness], ['startup', props.startup]] as const) {
      const port = probe?.portName;
      if (port && !names.has(port)) sink.error('K3', prop, port, `the probe uses port "${port}", which the app does not declare.`, `declare the port or use one of: ${[...names].join(', ') || '(none)'}.`);
    }

    // Env: names valid; secrets only by reference (kubevela#6840).
    for (const [name, value] of Object.entries(props.env ?? {})) {
      if (!isEnvName(name)) sink.error('FP-ENV', `env['${name}']`, name, 'not a valid environment variable name.', 'use letters, digits, "_", "-" or ".", not starting with a digit.');
      if (!(value instanceof EnvValue)) {
        sink.error('FP-ENV', `env['${name}']`, value, 'env values are typed.', 'use EnvValue.literal(), fromConfigMap(), fromSecret() or fromField().');
      } else if (value.literalValue !== undefined && SECRET_NAME.test(name) && value.literalValue !== '') {
        sink.error('FP-ENV-SECRET', `env['${name}']`, '<redacted>', 'this looks like a secret inlined as a literal; it would be stored in plain text in Git and in every cluster.', `store it in a Secret and use EnvValue.fromSecret('<secret>', '${name.toLowerCase()}').`);
      }
    }
    for (const [cm, data] of Object.entries(props.configMaps ?? {})) {
      if (!isDnsSubdomain(cm)) sink.error('K1', `configMaps['${cm}']`, cm, 'a ConfigMap name must be a DNS-1123 subdomain.', 'use lower-case letters, digits, "-" and ".".');
      for (const key of Object.keys(data ?? {})) {
        if (!/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253) sink.error('FP-CONFIGMAP', `configMaps['${cm}']['${key}']`, key, 'not a valid ConfigMap key.', 'use letters, digits, "-", "_" and ".".');
        if (SECRET_NAME.test(key)) sink.error('FP-ENV-SECRET', `configMaps['${cm}']['${key}']`, '<redacted>', 'this looks like a secret stored in a ConfigMap, which is not encrypted and readable by every viewer.', 'store it in a Secret and reference it with EnvValue.fromSecret().');
      }
      const size = JSON.stringify(data ?? {}).length;
      if (size > 1024 * 1024) sink.error('K4', `configMaps['${cm}']`, `${size} bytes`, 'objects above 1 MiB are rejected by etcd.', 'split the data or mount it from elsewhere.');
      else if (size > 900 * 1024) sink.warn('K4', `configMaps['${cm}']`, `${size} bytes`, 'this ConfigMap is close to the 1 MiB etcd limit.', 'split the data.');
    }
    (props.secrets ?? []).forEach((s, i) => {
      if (!isDnsSubdomain(s)) sink.error('K1', `secrets[${i}]`, s, 'a Secret name must be a DNS-1123 subdomain.', 'use lower-case letters, digits, "-" and ".".');
    });

    // Resources (rule 8).
    this.checkResources('resources', props.resources);
    const tracked = this.tenant._quotaTracks();
    const effective = { ...this.context.defaults.resources, ...(props.resources ?? {}) } as ResourceRequirements;
    for (const key of tracked) {
      const [kind, res] = key.split('.') as ['requests' | 'limits', string];
      const range = res === 'cpu' ? effective.cpu : res === 'memory' ? effective.memory : undefined;
      if (res !== 'cpu' && res !== 'memory') continue;
      if ((kind === 'requests' ? range?.request : range?.limit) === undefined) {
        sink.error('K8', `resources.${res}.${kind === 'requests' ? 'request' : 'limit'}`, undefined, `the tenant quota tracks ${key}, so every container must declare it, and neither the app nor the platform default does; pods would be rejected.`, `set resources.${res}.${kind === 'requests' ? 'request' : 'limit'} on the app or in platform defaults.resources.`);
      }
    }

    // Replicas and autoscaling (rules 10, 20, 24, 25).
    if (props.replicas !== undefined && (!Number.isInteger(props.replicas) || props.replicas < 0)) sink.error('FP-REPLICAS', 'replicas', props.replicas, 'replicas must be a whole number ≥ 0.', 'use e.g. 3.');
    if (this.distribution.kind === DistributionKind.EXACT) {
      const total = this.totalReplicas ?? 0;
      if (props.replicas !== undefined && props.replicas !== total) sink.error('FP-REPLICAS', 'replicas', props.replicas, `Distribution.exact() counts sum to ${total}, which differs from replicas.`, 'drop replicas (the counts define it) or make them agree.');
      if (total <= 0) sink.error('FP-REPLICAS', 'distribution', this.distribution.counts, 'exact counts must give at least one replica.', 'give a positive count.');
      for (const name of Object.keys(this.distribution.counts ?? {})) {
        if (!this.tenant.clusterNames.includes(name) && fleet.has(name)) sink.error('FP-TENANT-CLUSTERS', `distribution.counts['${name}']`, name, 'the tenant does not use this cluster.', `use ${this.tenant.clusterNames.join(', ')}.`);
      }
    }
    const a = props.autoscaling;
    if (a) {
      if (props.replicas !== undefined) sink.error('K25', 'replicas', props.replicas, 'replicas and autoscaling both set the replica count and would fight over spec.replicas.', 'drop replicas; autoscaling.minReplicas sets the floor.');
      if (this.distribution.kind === DistributionKind.EXACT) sink.error('K25', 'distribution', 'exact', 'exact counts fix the replicas, which the autoscaler owns.', 'use Distribution.weighted() with autoscaling.');
      if (this.distribution.kind === DistributionKind.DUPLICATED) sink.error('K25', 'distribution', 'duplicated', 'a FederatedHPA scales the fleet-wide count; duplicating it multiplies it by the number of clusters.', 'use Distribution.evenly() or weighted().');
      if (!Number.isInteger(a.minReplicas) || a.minReplicas < 1) sink.error('K24', 'autoscaling.minReplicas', a.minReplicas, 'minReplicas must be a whole number ≥ 1 (no scale to zero).', 'use 1 or more.');
      if (!Number.isInteger(a.maxReplicas) || a.maxReplicas < Math.max(1, a.minReplicas)) sink.error('K24', 'autoscaling.maxReplicas', a.maxReplicas, `maxReplicas must be a whole number ≥ minReplicas (${a.minReplicas}).`, `use at least ${a.minReplicas}.`);
      for (const m of ['cpuUtilization', 'memoryUtilization'] as const) {
        const v = a[m];
        if (v !== undefined && (!Number.isInteger(v) || v < 1)) sink.error('K10', `autoscaling.${m}`, v, 'a utilization target is a whole percentage ≥ 1.', 'use e.g. 70.');
      }
      for (const dir of ['scaleUp', 'scaleDown'] as const) {
        const r = a[dir];
        const w = r?.stabilizationWindow?.toSeconds();
        if (w !== undefined && (w < 0 || w > 3600)) sink.error('K10', `autoscaling.${dir}.stabilizationWindow`, `${w}s`, 'the stabilization window must be 0-3600 seconds.', 'use at most Duration.hours(1).');
        (r?.policies ?? []).forEach((p, i) => {
          const s = p.period?.toSeconds();
          if (s === undefined || s < 1 || s > 1800) sink.error('K10', `autoscaling.${dir}.policies[${i}].period`, s, 'a policy period must be 1-1800 seconds.', 'use e.g. Duration.minutes(1).');
          if (!(p.value > 0)) sink.error('K10', `autoscaling.${dir}.policies[${i}].value`, p.value, 'a policy value must be > 0.', 'use e.g. 4.');
          if (p.type !== 'Pods' && p.type !== 'Percent') sink.error('K10', `autoscaling.${dir}.policies[${i}].type`, p.type, 'unknown policy type.', "use 'Pods' or 'Percent'.");
        });
      }
      const ruleNames = new Set<string>();
      (a.schedules ?? []).forEach((s, i) => {
        const at = `autoscaling.schedules[${i}]`;
        if (typeof s.name !== 'string' || s.name.length < 1 || s.name.length > 32) sink.error('K24', `${at}.name`, s.name, 'a schedule name must be 1-32 characters.', 'use a short name such as "weekday-up".');
        if (ruleNames.has(s.name)) sink.error('K24', `${at}.name`, s.name, 'schedule names must be unique.', 'rename the schedule.');
        ruleNames.add(s.name);
        if (!isCronExpression(s.schedule)) sink.error('K24', `${at}.schedule`, s.schedule, 'not a valid five-field cron expression.', 'use e.g. "0 8 * * 1-5".');
        if (s.timeZone !== undefined && !isTimeZone(s.timeZone)) sink.error('K24', `${at}.timeZone`, s.timeZone, 'not an IANA time zone name.', 'use e.g. "Europe/Berlin" or "Asia/Shanghai".');
        if (s.minReplicas === undefined && s.maxReplicas === undefined) sink.error('K24', at, s, 'a schedule on a FederatedHPA must change minReplicas or maxReplicas.', 'set minReplicas and/or maxReplicas.');
        for (const f of ['minReplicas', 'maxReplicas'] as const) {
          if (s[f] !== undefined && (!Number.isInteger(s[f]) || s[f]! < 1)) sink.error('K24', `${at}.${f}`, s[f], 'must be a whole number > 0.', 'use 1 or more.');
        }
        if (s.minReplicas !== undefined && s.maxReplicas === undefined && s.minReplicas > a.maxReplicas) sink.error('K24', `${at}.minReplicas`, s.minReplicas, `the scheduled minimum exceeds the autoscaler's maxReplicas (${a.maxReplicas}).`, 'also raise maxReplicas in the schedule, or lower minReplicas.');
        if (s.minReplicas !== undefined && s.maxReplicas !== undefined && s.minReplicas > s.maxReplicas) sink.error('K24', `${at}.minReplicas`, s.minReplicas, `minReplicas exceeds maxReplicas (${s.maxReplicas}).`, 'swap or fix the bounds.');
      });
      if ((a.schedules ?? []).length > 0 && this.context.delivery === DeliveryMode.DIRECT) {
        sink.error('FP-DIRECT', 'autoscaling.schedules', a.schedules!.map((s) => s.name), 'scheduled scaling is a Karmada CronFederatedHPA; direct delivery has no Karmada.', 'drop the schedules or use DeliveryMode.KARMADA.');
      }
    } else if (this.distribution.kind === DistributionKind.DUPLICATED && props.distribution === undefined && (this.totalReplicas ?? 0) >= 10 && this.tenant.clusterNames.length > 1) {
      sink.warn('K20', 'distribution', 'duplicated (default)', `every cluster runs all ${this.totalReplicas} replicas (Karmada's default is to duplicate).`, 'say Distribution.duplicated() explicitly, or divide with Distribution.weighted().');
    }

    // Failover (rule 21).
    const f = props.failover;
    if (f) {
      if (this.context.delivery === DeliveryMode.DIRECT) sink.error('FP-DIRECT', 'failover', f, 'application failover is performed by Karmada at run time; direct delivery has no Karmada.', 'drop failover or use DeliveryMode.KARMADA.');
      const tol = f.toleration?.toSeconds();
      if (tol !== undefined && tol < 0) sink.error('K21', 'failover.toleration', tol, 'the toleration must be ≥ 0 seconds.', 'use e.g. Duration.minutes(2).');
      const mode = f.purgeMode ?? PurgeMode.GRACEFULLY;
      if (!Object.values(PurgeMode).includes(mode)) sink.error('K21', 'failover.purgeMode', mode, 'unknown purge mode.', 'use PurgeMode.GRACEFULLY, DIRECTLY or NEVER.');
      if (f.gracePeriod !== undefined && mode !== PurgeMode.GRACEFULLY) sink.error('K21', 'failover.gracePeriod', f.gracePeriod.toSeconds(), 'a grace period only applies with PurgeMode.GRACEFULLY.', 'drop gracePeriod or use PurgeMode.GRACEFULLY.');
      if (f.gracePeriod !== undefined && !(f.gracePeriod.toSeconds() > 0)) sink.error('K21', 'failover.gracePeriod', f.gracePeriod.toSeconds(), 'the grace period must be > 0 seconds.', 'use e.g. Duration.minutes(10).');
    }

    // Storage.
    if (props.storage) {
      if (this.kind !== WorkloadKind.STATEFUL_SET) sink.error('FP-STORAGE', 'storage', props.storage, 'per-replica storage needs a StatefulSet.', 'set kind: WorkloadKind.STATEFUL_SET.');
      if (!isQuantity(props.storage.size)) sink.error('FP-STORAGE', 'storage.size', props.storage.size, 'not a Kubernetes quantity.', 'use e.g. "10Gi".');
      if (typeof props.storage.mountPath !== 'string' || !props.storage.mountPath.startsWith('/')) sink.error('FP-STORAGE', 'storage.mountPath', props.storage.mountPath, 'the mount path must be absolute.', 'use e.g. "/data".');
    }
    const pdb = props.disruptionBudget;
    if (pdb) {
      if ((pdb.maxUnavailable === undefined) === (pdb.minAvailable === undefined)) sink.error('K9', 'disruptionBudget', pdb, 'give exactly one of maxUnavailable and minAvailable.', 'e.g. { maxUnavailable: 1 }.');
      if (pdb.maxUnavailable === 0 || pdb.maxUnavailable === '0%') sink.warn('K9', 'disruptionBudget.maxUnavailable', 0, 'this budget allows no disruption and blocks node drains.', 'allow at least 1.');
      const perCluster = Math.min(...[...(this.scheduledPreview() ?? new Map()).values()]);
      if (typeof pdb.minAvailable === 'number' && Number.isFinite(perCluster) && pdb.minAvailable >= perCluster) {
        sink.warn('K9', 'disruptionBudget.minAvailable', pdb.minAvailable, `a cluster runs only ${perCluster} replica(s), so this budget allows no disruption there and blocks drains.`, 'lower minAvailable or use maxUnavailable.');
      }
    }

    // Overrides (rules 13, 23).
    const envTargets: Array<{ index: number; clusters: Set<string> }> = [];
    this.overrides.forEach((o, i) => {
      const at = `overrides[${i}]`;
      if (!o || typeof o !== 'object' || !o.clusters) {
        sink.error('FP-OVERRIDE', at, o, 'an override needs `clusters`.', 'e.g. { clusters: { names: ["sh-1"] }, image: { registry: "..." } }.');
        return;
      }
      for (const name of Fleet.namesIn(o.clusters)) {
        if (!fleet.has(name)) sink.error('K13', `${at}.clusters`, name, `unknown cluster (known: ${fleet.names.join(', ')}).`, 'use a cluster declared on the platform.');
      }
      const hits = fleet.select(o.clusters).filter((c) => this.tenant.clusterNames.includes(c.name));
      if (hits.length === 0) sink.warn('FP-OVERRIDE', `${at}.clusters`, o.clusters, 'this override matches no cluster the app can run on.', 'target a cluster of the placement.');
      if (o.replicas !== undefined && a) sink.error('K25', `${at}.replicas`, o.replicas, 'the autoscaler owns the replica count.', 'drop the replicas override.');
      if (o.replicas !== undefined && (!Number.isInteger(o.replicas) || o.replicas < 0)) sink.error('FP-REPLICAS', `${at}.replicas`, o.replicas, 'replicas must be a whole number ≥ 0.', 'use e.g. 2.');
      if (o.image) {
        for (const [k, v] of Object.entries(o.image)) {
          if (typeof v !== 'string' || v.length === 0) sink.error('FP-IMAGE', `${at}.image.${k}`, v, 'an image part must be a non-empty string.', 'e.g. { registry: "registry.cn.example.com" }.');
        }
        if (typeof props.image === 'string' && !parseImage(overrideImage(this.image, o.image))) sink.error('FP-IMAGE', `${at}.image`, o.image, 'the overridden image is not a valid reference.', 'check registry, repository and tag.');
      }
      for (const [k, v] of Object.entries({ ...(o.labels ?? {}) })) {
        if (!isQualifiedName(k) || !isLabelValue(v)) sink.error('K2', `${at}.labels`, { [k]: v }, 'invalid label.', 'label keys are qualified names; values at most 63 alphanumerics, "-", "_" or ".".');
      }
      for (const k of Object.keys(o.annotations ?? {})) {
        if (!isQualifiedName(k)) sink.error('K2', `${at}.annotations`, k, 'invalid annotation key.', 'use a qualified name.');
      }
      for (const [name, v] of Object.entries(o.env ?? {})) {
        if (!isEnvName(name)) sink.error('FP-ENV', `${at}.env['${name}']`, name, 'not a valid environment variable name.', 'use letters, digits and "_".');
        if (SECRET_NAME.test(name) && v) sink.error('FP-ENV-SECRET', `${at}.env['${name}']`, '<redacted>', 'this looks like a secret inlined as a literal.', 'use a Secret and EnvValue.fromSecret() in env.');
      }
      if (o.resources) this.checkResources(`${at}.resources`, o.resources);
      (o.jsonPatch ?? []).forEach((p, j) => {
        if (!['add', 'remove', 'replace'].includes(p?.op)) sink.error('K23', `${at}.jsonPatch[${j}].op`, p?.op, 'Karmada plaintext overriders support add, remove and replace.', 'use one of those.');
        if (!isJsonPointer(p?.path) || p?.path === '') sink.error('K23', `${at}.jsonPatch[${j}].path`, p?.path, 'not a valid RFC 6901 JSON pointer.', 'use e.g. "/spec/template/spec/nodeSelector" (escape "/" in keys as "~1").');
        if (p?.op === 'remove' && p.value !== undefined) sink.error('K23', `${at}.jsonPatch[${j}].value`, p.value, 'remove takes no value.', 'drop value.');
        if (p?.op !== 'remove' && p?.value === undefined) sink.error('K23', `${at}.jsonPatch[${j}].value`, undefined, `${p?.op} needs a value.`, 'give a value.');
      });
      if (o.env) {
        const clusters = new Set(hits.map((c) => c.name));
        for (const other of envTargets) {
          const both = [...clusters].filter((c) => other.clusters.has(c));
          if (both.length > 0) sink.error('FP-OVERRIDE', `${at}.env`, both, `overrides[${other.index}] also sets env for ${both.join(', ')}; each env override writes the whole merged list, so the later would drop the earlier's variables.`, 'merge the two env overrides, or make their clusters disjoint.');
        }
        envTargets.push({ index: i, clusters });
      }
    });
  }

  private scheduledPreview(): Map<string, number> | undefined {
    try {
      return schedule(new ProblemSink(''), this.context.fleet, this.tenant.clusterNames, this.placement, this.distribution, this.totalReplicas, true).replicas;
    } catch {
      return undefined;
    }
  }

  private checkResources(prop: string, r: ResourceRequirements | undefined): void {
    for (const [res, range] of Object.entries(r ?? {})) {
      if (!['cpu', 'memory', 'ephemeralStorage'].includes(res)) {
        this.sink.error('K8', `${prop}.${res}`, res, 'unknown resource.', 'use cpu, memory or ephemeralStorage.');
        continue;
      }
      for (const [k, v] of Object.entries(range ?? {})) {
        if (!isQuantity(v as string)) this.sink.error('K8', `${prop}.${res}.${k}`, v, 'not a Kubernetes quantity.', 'use e.g. "250m", "1", "512Mi".');
      }
      const req = parseQuantity((range as any)?.request);
      const lim = parseQuantity((range as any)?.limit);
      if (req !== undefined && lim !== undefined && req > lim) this.sink.error('K8', `${prop}.${res}.request`, (range as any).request, `the request exceeds the limit (${(range as any).limit}).`, 'lower the request or raise the limit.');
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering

  private get podSpecPath(): string {
    return '/spec/template/spec';
  }

  private get mainContainerName(): string {
    return this.props.containerName ?? 'app';
  }

  private renderEnv(): Array<Record<string, unknown>> {
    return Object.entries(this.props.env ?? {})
      .filter(([, v]) => v instanceof EnvValue)
      .map(([name, v]) => ({ name, ...k8s.toJson_EnvVar({ name, ...v._source }) }));
  }

  /** The workload as plain JSON (for one cluster in direct mode, with its replicas). */
  private renderWorkload(replicas: number | undefined, track: 'stable' | 'canary' = 'stable'): Record<string, any> {
    const canary = track === 'canary' ? this.props.canary : undefined;
    const version = canary ? canary.version : this.stableVersion;
    const d = this.context.defaults;
    const level = this.tenant.podSecurity;
    const readOnlyRoot = d.readOnlyRootFilesystem;
    const podSelector = { ...this.selectorLabels, [LABEL_TRACK]: track };
    const selector = this.selectorLabels;
    const env = this.renderEnv();
    const volumeMounts: k8s.VolumeMount[] = [];
    if (readOnlyRoot) volumeMounts.push({ name: 'tmp', mountPath: '/tmp' });
    if (this.props.storage) volumeMounts.push({ name: 'data', mountPath: this.props.storage.mountPath });
    const container: k8s.Container = {
      name: this.mainContainerName,
      image: canary ? this.canaryImage : this.image,
      command: this.props.command,
      args: this.props.args,
      ports: this.ports.length ? this.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })) : undefined,
      resources: renderResources(this.props.resources, d.resources),
      livenessProbe: this.props.liveness?._render(),
      readinessProbe: this.props.readiness?._render(),
      startupProbe: this.props.startup?._render(),
      securityContext: containerSecurityContext(level, readOnlyRoot),
      volumeMounts: volumeMounts.length ? volumeMounts : undefined,
    };
    const spread = this.props.topologySpread ?? d.topologySpread;
    const podSpec: k8s.PodSpec = {
      serviceAccountName: this.appName,
      automountServiceAccountToken: false,
      securityContext: podSecurityContext(level, d.runAsUser),
      containers: [container],
      volumes: readOnlyRoot ? [{ name: 'tmp', emptyDir: {} }] : undefined,
      topologySpreadConstraints: spread
        ? [
            { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
            { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
          ]
        : undefined,
    };
    const template: k8s.PodTemplateSpec = { metadata: { labels: { ...this.labelsFor(version), [LABEL_TRACK]: track }, annotations: this.podAnnotations() }, spec: podSpec };
    const metadata = { name: canary ? this.canaryName : this.appName, namespace: this.tenant.namespace, labels: this.labelsFor(version) };
    let json: Record<string, any>;
    if (this.kind === WorkloadKind.STATEFUL_SET) {
      const storage = this.props.storage;
      json = {
        ...k8s.KubeStatefulSet.GVK,
        ...k8s.toJson_KubeStatefulSetProps({
          metadata,
          spec: {
            replicas,
            serviceName: `${this.appName}-headless`,
            selector: { matchLabels: podSelector },
            template,
            volumeClaimTemplates: storage
              ? [{
                  metadata: { name: 'data', labels: this.labels },
                  spec: {
                    accessModes: ['ReadWriteOnce'],
                    storageClassName: storage.storageClass,
                    resources: { requests: { storage: k8s.Quantity.fromString(storage.size) } },
                  },
                }]
              : undefined,
          },
        }),
      };
    } else {
      json = { ...k8s.KubeDeployment.GVK, ...k8s.toJson_KubeDeploymentProps({ metadata, spec: { replicas, selector: { matchLabels: podSelector }, template } }) };
    }
    // The main container's env is kept as rendered JSON so overrides merge into exactly what is emitted.
    if (env.length) json.spec.template.spec.containers[0].env = env;
    return json;
  }

  private dependencies(): { configMaps: string[]; secrets: string[] } {
    const configMaps = new Set(Object.keys(this.props.configMaps ?? {}));
    const secrets = new Set(this.props.secrets ?? []);
    for (const v of Object.values(this.props.env ?? {})) {
      if (!(v instanceof EnvValue)) continue;
      if (v._refs.configMap) configMaps.add(v._refs.configMap);
      if (v._refs.secret) secrets.add(v._refs.secret);
    }
    return { configMaps: [...configMaps].sort(), secrets: [...secrets].sort() };
  }

  /** Objects every target of the app gets: Service, ServiceAccount, PDB, ConfigMaps. */
  private renderCommon(scope: Construct, clusterReplicas: number | undefined): Omit<AppResources, 'workload'> {
    const meta = (name: string) => ({ name, namespace: this.tenant.namespace, labels: this.labels });
    const serviceAccount = createObject(scope, 'ServiceAccount', k8s.KubeServiceAccount.GVK, k8s.toJson_KubeServiceAccountProps, {
      metadata: meta(this.appName),
      automountServiceAccountToken: false,
    });
    const servicePorts = this.ports.map((p) => ({ name: p.name, port: p.servicePort, targetPort: k8s.IntOrString.fromString(p.name), protocol: p.protocol }));
    const service = this.ports.length
      ? createObject(scope, 'Service', k8s.KubeService.GVK, k8s.toJson_KubeServiceProps, {
          metadata: meta(this.appName),
          spec: { type: 'ClusterIP', selector: this.selectorLabels, ports: servicePorts },
        })
      : undefined;
    const headlessService = this.kind === WorkloadKind.STATEFUL_SET
      ? createObject(scope, 'HeadlessService', k8s.KubeService.GVK, k8s.toJson_KubeServiceProps, {
          metadata: meta(`${this.appName}-headless`),
          spec: { clusterIp: 'None', selector: this.selectorLabels, ports: servicePorts.length ? servicePorts : undefined, publishNotReadyAddresses: true },
        })
      : undefined;
    const pdbProps = this.props.disruptionBudget;
    const wantPdb = pdbProps !== false && (pdbProps !== undefined || this.context.defaults.disruptionBudget);
    const budget = pdbProps || { maxUnavailable: 1 };
    const intOrString = (v: number | string | undefined) => (v === undefined ? undefined : typeof v === 'number' ? k8s.IntOrString.fromNumber(v) : k8s.IntOrString.fromString(v));
    const disruptionBudget = wantPdb && clusterReplicas !== 0
      ? createObject(scope, 'DisruptionBudget', k8s.KubePodDisruptionBudget.GVK, k8s.toJson_KubePodDisruptionBudgetProps, {
          metadata: meta(this.appName),
          spec: {
            selector: { matchLabels: this.selectorLabels },
            maxUnavailable: intOrString(budget.maxUnavailable),
            minAvailable: intOrString(budget.minAvailable),
            unhealthyPodEvictionPolicy: 'AlwaysAllow',
          },
        })
      : undefined;
    const configMaps = Object.entries(this.props.configMaps ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, data]) =>
        createObject(scope, `ConfigMap-${name}`, k8s.KubeConfigMap.GVK, k8s.toJson_KubeConfigMapProps, { metadata: meta(name), data }),
      );
    return { service, headlessService, serviceAccount, disruptionBudget, configMaps, monitoringObjects: this.renderMonitoring(scope, meta) };
  }

  private renderControlPlane(target: ApplyTarget): AppResources {
    const scope = target._scopeFor(this, this.context);
    const meta = (name: string) => ({ name, namespace: this.tenant.namespace, labels: this.labels });
    const workloadJson = this.renderWorkload(this.totalReplicas);
    const workload = new PlainApiObject(scope, 'Workload', workloadJson as any);
    const canaryWorkload = this.props.canary ? new PlainApiObject(scope, 'CanaryWorkload', this.renderWorkload(this.props.canary.replicas ?? 1, 'canary') as any) : undefined;
    const workloadSelectors = [
      { apiVersion: workloadJson.apiVersion, kind: workloadJson.kind, name: this.appName },
      ...(canaryWorkload ? [{ apiVersion: canaryWorkload.apiVersion, kind: canaryWorkload.kind, name: canaryWorkload.name }] : []),
    ];
    const common = this.renderCommon(scope, undefined);
    const deps = this.dependencies();
    const selectors = [
      ...workloadSelectors,
      ...[common.service, common.headlessService, common.serviceAccount, common.disruptionBudget]
        .filter((o): o is ApiObject => !!o)
        .map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.name })),
      ...deps.configMaps.map((name) => ({ apiVersion: 'v1', kind: 'ConfigMap', name })),
      ...deps.secrets.map((name) => ({ apiVersion: 'v1', kind: 'Secret', name })),
      // Monitoring objects follow the app's placement.
      ...(common.monitoringObjects ?? []).map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.name })),
    ];
    const f = this.props.failover;
    const propagationPolicy = createObject(scope, 'PropagationPolicy', policy.PropagationPolicy.GVK, policy.toJson_PropagationPolicyProps, {
      metadata: meta(this.appName),
      spec: {
        resourceSelectors: selectors,
        // Dependencies are selected explicitly above; propagateDeps also makes them follow failover.
        propagateDeps: true,
        placement: this.renderPlacement() as any,
        failover: f
          ? {
              application: {
                decisionConditions: { tolerationSeconds: (f.toleration ?? Duration.seconds(300)).toSeconds() },
                purgeMode: (f.purgeMode ?? PurgeMode.GRACEFULLY) as any,
                gracePeriodSeconds: (f.purgeMode ?? PurgeMode.GRACEFULLY) === PurgeMode.GRACEFULLY ? (f.gracePeriod ?? Duration.seconds(600)).toSeconds() : undefined,
              },
            }
          : undefined,
      },
    });

    let overridePolicy: ApiObject | undefined;
    if (this.overrides.some((o) => o && o.clusters)) {
      const container = workloadJson.spec.template.spec.containers[0];
      const ctx = { podSpecPath: this.podSpecPath, containerName: this.mainContainerName, image: container.image, env: container.env ?? [] };
      overridePolicy = createObject(scope, 'OverridePolicy', policy.OverridePolicy.GVK, policy.toJson_OverridePolicyProps, {
        metadata: meta(this.appName),
        spec: {
          resourceSelectors: workloadSelectors,
          overrideRules: this.overrides.filter((o) => o && o.clusters).map((o) => ({
            targetCluster: renderAffinity(o.clusters),
            overriders: compileOverriders(o, ctx) as any,
          })),
        },
      });
    }

    let federatedHpa: ApiObject | undefined;
    let cronFederatedHpa: ApiObject | undefined;
    const a = this.props.autoscaling;
    if (a) {
      federatedHpa = createObject(scope, 'FederatedHpa', autoscaling.FederatedHpa.GVK, autoscaling.toJson_FederatedHpaProps, {
        metadata: meta(this.appName),
        spec: {
          scaleTargetRef: { apiVersion: workloadJson.apiVersion, kind: workloadJson.kind, name: this.appName },
          minReplicas: a.minReplicas,
          maxReplicas: a.maxReplicas,
          metrics: renderMetrics(a) as any,
          behavior: renderBehavior(a) as any,
        },
      });
      if ((a.schedules ?? []).length > 0) {
        cronFederatedHpa = createObject(scope, 'CronFederatedHpa', autoscaling.CronFederatedHpa.GVK, autoscaling.toJson_CronFederatedHpaProps, {
          metadata: meta(this.appName),
          spec: {
            scaleTargetRef: { apiVersion: 'autoscaling.karmada.io/v1alpha1', kind: 'FederatedHPA', name: this.appName },
            rules: a.schedules!.map((s) => ({
              name: s.name,
              schedule: s.schedule,
              targetMinReplicas: s.minReplicas,
              targetMaxReplicas: s.maxReplicas,
              timeZone: s.timeZone,
            })),
          },
        });
      }
    }
    return { workload, canaryWorkload, ...common, propagationPolicy, overridePolicy, federatedHpa, cronFederatedHpa };
  }

  private renderMember(target: ApplyTarget, cluster: string): AppResources {
    const scope = target._scopeFor(this, this.context);
    const split = this.scheduled.replicas;
    const a = this.props.autoscaling;
    let hpaBounds: { min: number; max: number } | undefined;
    if (a) {
      // Karmada divides the fleet-wide bounds by weight; a per-cluster HPA gets its share (at least 1).
      const weights = this.memberWeights();
      const mins = divideByWeight(a.minReplicas, weights);
      const maxs = divideByWeight(a.maxReplicas, weights);
      const max = maxs.get(cluster) ?? 0;
      hpaBounds = max > 0 ? { min: Math.max(1, Math.min(max, mins.get(cluster) ?? 1)), max } : undefined;
    }
    const replicas = a ? undefined : split?.get(cluster) ?? 0;
    const runsHere = a ? hpaBounds !== undefined : replicas! > 0;
    let workload: ApiObject | undefined;
    let horizontalPodAutoscaler: ApiObject | undefined;
    const c = this.context.fleet.get(cluster)!;
    const overridden = (json: Record<string, any>) => {
      const matching = this.overrides.filter((o) => o && o.clusters && this.context.fleet.select(o.clusters).includes(c));
      matching.forEach((o) => {
        try {
          applyOverride(json, o);
        } catch (e) {
          this.sink.error('K23', `overrides[${this.overrides.indexOf(o)}].jsonPatch`, o.jsonPatch, `the patch does not apply to the rendered ${json.kind} in ${cluster}: ${(e as Error).message}.`, 'point the patch at an existing parent path (use "add" to create a member).');
        }
      });
      return json;
    };
    let canaryWorkload: ApiObject | undefined;
    const canaryReplicas = this.canarySplit?.get(cluster) ?? 0;
    if (canaryReplicas > 0) canaryWorkload = new PlainApiObject(scope, 'CanaryWorkload', overridden(this.renderWorkload(canaryReplicas, 'canary')) as any);
    if (runsHere) {
      const json = overridden(this.renderWorkload(replicas));
      workload = new PlainApiObject(scope, 'Workload', json as any);
      if (a && hpaBounds) {
        horizontalPodAutoscaler = createObject(scope, 'HorizontalPodAutoscaler', k8s.KubeHorizontalPodAutoscalerV2.GVK, k8s.toJson_KubeHorizontalPodAutoscalerV2Props, {
          metadata: { name: this.appName, namespace: this.tenant.namespace, labels: this.labels },
          spec: {
            scaleTargetRef: { apiVersion: json.apiVersion, kind: json.kind, name: this.appName },
            minReplicas: hpaBounds.min,
            maxReplicas: hpaBounds.max,
            metrics: renderMetrics(a) as any,
            behavior: renderBehavior(a) as any,
          },
        });
      }
    }
    const common = this.renderCommon(scope, runsHere || canaryReplicas > 0 ? replicas : 0);
    return { workload, canaryWorkload, ...common, horizontalPodAutoscaler };
  }

  /** Whether the app's pods carry sidecars (its tenant is in the mesh), so Istio metrics describe it. */
  private get meshed(): boolean {
    return this.tenant.meshed;
  }

  private get metricsPort() {
    const m = this.props.metrics;
    return m ? (m.port ? this.ports.find((p) => p.name === m.port) : this.ports[0]) : undefined;
  }

  /** Meshed pods: Istio merges the app's metrics into the sidecar's :15020 when told where they are. */
  private podAnnotations(): Record<string, string> | undefined {
    const port = this.metricsPort;
    if (!this.props.metrics || !this.meshed || !port) return undefined;
    return { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port.port), 'prometheus.io/path': this.props.metrics.path ?? '/metrics' };
  }

  /** ServiceMonitor/PodMonitor, PrometheusRule and dashboard, when the app has `metrics`. */
  private renderMonitoring(scope: Construct, meta: (name: string) => { name: string; namespace: string; labels: Record<string, string> }): ApiObject[] | undefined {
    const mon = this.context.monitoring;
    const m = this.props.metrics;
    const port = this.metricsPort;
    if (!mon || !m || !port) return undefined;
    const monMeta = (name: string) => ({ ...meta(name), labels: { ...meta(name).labels, ...mon.selectorLabels } });
    const interval = m.interval ? promDuration(m.interval) : mon.interval;
    const objects: ApiObject[] = [];
    if (this.meshed) {
      // STRICT mTLS rejects Prometheus' plain-text scrapes of the app port; the sidecar's :15020 serves the
      // app's metrics merged with Istio's outside the mTLS listener.
      objects.push(createObject(scope, 'PodMonitor', monitoring.PodMonitor.GVK, monitoring.toJson_PodMonitorProps, {
        metadata: monMeta(this.appName),
        spec: {
          selector: { matchLabels: this.selectorLabels },
          namespaceSelector: { matchNames: [this.tenant.namespace] },
          podMetricsEndpoints: [{ portNumber: 15020, path: '/stats/prometheus', interval, scrapeTimeout: m.scrapeTimeout ? promDuration(m.scrapeTimeout) : undefined }],
        },
      }));
    } else if (m.podMonitor) {
      objects.push(createObject(scope, 'PodMonitor', monitoring.PodMonitor.GVK, monitoring.toJson_PodMonitorProps, {
        metadata: monMeta(this.appName),
        spec: {
          selector: { matchLabels: this.selectorLabels },
          namespaceSelector: { matchNames: [this.tenant.namespace] },
          podMetricsEndpoints: [{ port: port.name, path: m.path ?? '/metrics', interval, scrapeTimeout: m.scrapeTimeout ? promDuration(m.scrapeTimeout) : undefined }],
        },
      }));
    } else {
      objects.push(createObject(scope, 'ServiceMonitor', monitoring.ServiceMonitor.GVK, monitoring.toJson_ServiceMonitorProps, {
        metadata: monMeta(this.appName),
        spec: {
          // Selects exactly this app's Service, scraping it by its named port.
          selector: { matchLabels: this.selectorLabels },
          namespaceSelector: { matchNames: [this.tenant.namespace] },
          endpoints: [{ port: port.name, path: m.path ?? '/metrics', interval, scrapeTimeout: m.scrapeTimeout ? promDuration(m.scrapeTimeout) : undefined }],
        },
      }));
    }
    objects.push(createObject(scope, 'PrometheusRule', monitoring.PrometheusRule.GVK, monitoring.toJson_PrometheusRuleProps, {
      metadata: monMeta(this.appName),
      spec: {
        groups: this.ruleGroups().map((g) => ({
          name: g.name,
          interval: g.interval,
          rules: g.rules.map((r) => ({ ...r, expr: monitoring.PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr) })),
        })),
      },
    }));
    objects.push(createObject(scope, 'Dashboard', k8s.KubeConfigMap.GVK, k8s.toJson_KubeConfigMapProps, {
      metadata: { ...meta(`${this.appName}-dashboard`), labels: { ...meta('').labels, ...mon.dashboardLabel } },
      data: { [`${this.tenant.namespace}-${this.appName}.json`]: JSON.stringify(appDashboard(this.tenant.namespace, this.appName, this.props.slos ?? []), null, 2) },
    }));
    return objects;
  }

  /** The app's metrics scraping, if any. */
  public get metrics(): AppMetrics | undefined {
    return this.props.metrics;
  }

  /** The app's SLOs. */
  public get slos(): readonly Slo[] {
    return this.props.slos ?? [];
  }

  /** The app's rule groups (golden signals, SLO burn rates, workload alerts), as in a rule file. */
  public ruleGroups() {
    const mon = this.context.monitoring;
    return appRuleGroups({
      namespace: this.tenant.namespace,
      app: this.appName,
      source: signalSource(this.tenant.namespace, this.appName, this.meshed, this.props.metrics),
      slos: this.props.slos ?? [],
      workloadKind: this.kind === WorkloadKind.STATEFUL_SET ? 'StatefulSet' : 'Deployment',
      workloads: [this.appName, ...(this.canaryName ? [this.canaryName] : [])],
      hpa: !!this.props.autoscaling && this.context.delivery === DeliveryMode.DIRECT,
      runbookBaseUrl: mon?.runbookBaseUrl ?? '',
      interval: mon?.interval ?? '30s',
    });
  }

  /** Canary replicas per cluster in direct mode, divided like the app's replicas. */
  private get canarySplit(): Map<string, number> | undefined {
    if (!this.props.canary) return undefined;
    return schedule(new ProblemSink(''), this.context.fleet, this.tenant.clusterNames, this.placement, this.distribution.kind === DistributionKind.EXACT ? Distribution.evenly() : this.distribution, this.props.canary.replicas ?? 1, true).replicas;
  }

  /** Per-candidate weights as Karmada derives them (max of matching rules; all 1 when none match). */
  private memberWeights(): Array<{ name: string; weight: number }> {
    const cands = this.scheduled.candidates;
    let w = cands.map((c) => ({ name: c.name, weight: Math.max(0, ...this.distribution.weights.filter((r) => this.context.fleet.select(r.clusters).includes(c)).map((r) => r.weight)) }));
    if (w.every((x) => x.weight <= 0)) w = cands.map((c) => ({ name: c.name, weight: 1 }));
    return w;
  }

  private scoped(selector: ClusterSelector): ClusterSelector {
    return scopeToTenant(selector, this.context.fleet, this.tenant.clusterNames);
  }

  private renderPlacement(): Record<string, unknown> {
    const p = this.placement;
    const spread = [...p.spreadConstraints];
    const needsCluster = spread.some((c) => c.field && c.field !== SpreadField.CLUSTER) && !spread.some((c) => c.field === SpreadField.CLUSTER);
    if (needsCluster) {
      // Karmada's webhook requires a `cluster` constraint beside region/zone/provider ones.
      spread.push({ field: SpreadField.CLUSTER, minGroups: Math.max(1, ...spread.map((c) => c.minGroups ?? 1)) });
    }
    const d = this.distribution;
    let replicaScheduling: Record<string, unknown>;
    switch (d.kind) {
      case DistributionKind.DUPLICATED:
        replicaScheduling = { replicaSchedulingType: 'Duplicated' };
        break;
      case DistributionKind.AGGREGATED:
        replicaScheduling = { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' };
        break;
      case DistributionKind.BY_CAPACITY:
        replicaScheduling = { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } };
        break;
      default: {
        const rules = d.weights.filter((w) => w.weight > 0);
        replicaScheduling = {
          replicaSchedulingType: 'Divided',
          replicaDivisionPreference: 'Weighted',
          weightPreference: rules.length ? { staticWeightList: rules.map((w) => ({ targetCluster: renderAffinity(w.clusters), weight: w.weight })) } : undefined,
        };
      }
    }
    return {
      clusterAffinity: p.groups ? undefined : renderAffinity(this.scoped(p.selector ?? {})),
      clusterAffinities: p.groups?.map((g) => ({ affinityName: g.name, ...renderAffinity(this.scoped(g.clusters)) })),
      clusterTolerations: renderClusterTolerations(p),
      spreadConstraints: spread.length
        ? spread.map((c) => ({ spreadByField: c.field, spreadByLabel: c.label, minGroups: c.minGroups ?? 1, maxGroups: c.maxGroups }))
        : undefined,
      replicaScheduling,
    };
  }
}

function renderMetrics(a: AutoscalingProps): Array<Record<string, unknown>> {
  const metrics: Array<Record<string, unknown>> = [];
  const cpu = a.cpuUtilization ?? (a.memoryUtilization === undefined ? 80 : undefined);
  if (cpu !== undefined) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } });
  if (a.memoryUtilization !== undefined) metrics.push({ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: a.memoryUtilization } } });
  return metrics;
}

function renderBehavior(a: AutoscalingProps): Record<string, unknown> | undefined {
  const rules = (r: ScalingRules | undefined) =>
    r && {
      stabilizationWindowSeconds: r.stabilizationWindow?.toSeconds(),
      selectPolicy: r.selectPolicy,
      policies: r.policies?.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.period.toSeconds() })),
    };
  if (!a.scaleUp && !a.scaleDown) return undefined;
  return { scaleUp: rules(a.scaleUp), scaleDown: rules(a.scaleDown) };
}

