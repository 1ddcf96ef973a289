import { PlatformConstruct } from './private/platform-construct';
import { ApiObject } from 'cdk8s';
import { selectorOf } from '../core/delivery';
import { LABEL_INSTANCE, LABEL_NAME } from '../core/labels';
import { isDns1035Label, isEnvName, isPortName } from '../core/names';
import { withRegistry } from '../core/image';
import { checkImage, checkImageOverride } from './private/image-checks';
import { ImageOverride } from '../model/overrides';
import { AppPort, EnvValue, Protocol, ResourceRequirements } from '../model/workload';
import { WorkloadKind } from '../model/app';
import { EdgePort, renderEdgeApplication } from '../engines/edge/application';
import { EdgeNodeGroup } from './edge-node-group';
import { Tenant } from './tenant';
import { admittedUsage, checkPodAdmission, checkQuotaFit, PodUsage, quotasOf, renderedOwn } from './private/quota-checks';
import { checkEnv } from './private/app-checks';
import { STRING_MAP, checkShapes, listOf, mapOf, objectOf } from '../core/input';
import { IMAGE_OVERRIDE, PORT, RESOURCES, STRINGS } from './private/prop-shapes';

/** What one node group runs differently. */
export interface NodeGroupTarget {
  /** The node group. */
  readonly group: EdgeNodeGroup;
  /**
   * Replicas in this group.
   * @default - the app's replicas
   */
  readonly replicas?: number;
  /**
   * Image changes (e.g. a registry cache at the site).
   * @default - unchanged
   */
  readonly image?: ImageOverride;
  /**
   * Environment variables to add or replace.
   * @default - unchanged
   */
  readonly env?: Record<string, string>;
  /**
   * Resources.
   * @default - unchanged
   */
  readonly resources?: ResourceRequirements;
}

/** Properties of an {@link EdgeApp}. */
export interface EdgeAppProps {
  /** Image of the main container. */
  readonly image: string;
  /** Node groups to run on, one copy per group. */
  readonly nodeGroups: NodeGroupTarget[];
  /**
   * Workload kind; node-group pinning only supports Deployments upstream.
   * @default WorkloadKind.DEPLOYMENT
   */
  readonly kind?: WorkloadKind;
  /**
   * Replicas per group.
   * @default 1
   */
  readonly replicas?: number;
  /** @default - no ports */
  readonly ports?: AppPort[];
  /** @default - none */
  readonly env?: Record<string, EnvValue>;
  /** @default - the platform default */
  readonly resources?: ResourceRequirements;
  /** @default - the image's */
  readonly command?: string[];
  /** @default - the image's */
  readonly args?: string[];
  /**
   * Object name.
   * @default - the construct id
   */
  readonly name?: string;
}

/**
 * An application on edge nodes: a KubeEdge EdgeApplication whose template (a Deployment and a Service whose
 * endpoints stay inside each group) is stamped out once per node group, with per-group overriders. Pods are
 * pinned to edge nodes and tolerate the unreachable/not-ready taints without a time limit, so they keep running
 * while the cloud link is down. Placed on the cluster that hosts the edge nodes.
 */
export class EdgeApp extends PlatformConstruct {
  /** Object name. */
  public readonly appName: string;
  /** The edge cluster. */
  public readonly cluster?: string;
  /** The EdgeApplication. */
  public readonly resource?: ApiObject;

  constructor(scope: Tenant, id: string, appProps: EdgeAppProps) {
    super(scope, id);
    const props = checkShapes(this.sink, appProps, {
      image: 'unknown', kind: 'string', replicas: 'number', ports: listOf(PORT), env: mapOf('unknown'), command: STRINGS, args: STRINGS, name: 'string', resources: RESOURCES,
      nodeGroups: listOf(objectOf({ group: 'unknown', replicas: 'number', image: IMAGE_OVERRIDE, env: STRING_MAP, resources: RESOURCES })),
    });
    this.appName = props?.name ?? id;
    const inTenant = this.checkTenantScope(scope, 'EdgeApp');
    this.checkProps(props);
    const groups = props?.nodeGroups ?? [];
    this.cluster = this.checkNodeGroups(groups);
    if (inTenant && this.cluster && !scope.clusterNames.includes(this.cluster)) {
      this.sink.error('FP-TENANT-CLUSTERS', 'nodeGroups', this.cluster, 'the tenant does not use the edge cluster, so its namespace does not exist there.', 'add the edge cluster to the tenant\'s clusters.');
    }
    const ports = this.resolvePorts(props?.ports ?? []);
    if (inTenant && this.cluster && scope.clusterNames.includes(this.cluster)) this.checkQuota(scope, this.cluster, props);
    if (this.sink.hasErrors || !inTenant || !this.cluster) return;
    this.resource = this.render(scope, this.cluster, props, ports);
  }

  private checkProps(props: EdgeAppProps): void {
    const sink = this.sink;
    if (!isDns1035Label(this.appName) || this.appName.length > 40) sink.error('K1', 'name', this.appName, 'an edge app name must be a DNS-1035 label of at most 40 characters (copies are named <name>-<nodegroup>).', 'use e.g. "video".');
    if ((props?.kind ?? WorkloadKind.DEPLOYMENT) !== WorkloadKind.DEPLOYMENT) {
      sink.error('K46', 'kind', props.kind, 'KubeEdge can pin only Deployments to node groups (it cannot override the node selector of other kinds).', 'use a Deployment, or a FederatedApp placed on the edge cluster.');
    }
    const policy = this.context.defaults.imageTagPolicy;
    const image = checkImage(sink, 'image', props?.image, policy, 'registry.example.com/team/app:1.0');
    (props.nodeGroups ?? []).forEach((g, i) => {
      if (g?.image) checkImageOverride(sink, `nodeGroups[${i}].image`, image ? props.image : undefined, g.image, policy);
    });
    if (props.replicas !== undefined && (!Number.isInteger(props.replicas) || props.replicas < 0)) sink.error('FP-REPLICAS', 'replicas', props.replicas, 'replicas must be a whole number ≥ 0.', 'use e.g. 2.');
    checkEnv(sink, props.env ?? {});
  }

  /** Rule 46: the node groups, each once, all on one cluster; returns that cluster. */
  private checkNodeGroups(groups: readonly NodeGroupTarget[]): string | undefined {
    const sink = this.sink;
    if (groups.length === 0) sink.error('K46', 'nodeGroups', groups, 'an edge app needs at least one node group.', 'list node groups.');
    groups.forEach((g, i) => {
      if (!(g?.group instanceof EdgeNodeGroup)) sink.error('K46', `nodeGroups[${i}].group`, g?.group, 'not a node group defined in the app model.', 'pass an EdgeNodeGroup.');
      if (g?.replicas !== undefined && (!Number.isInteger(g.replicas) || g.replicas < 0)) sink.error('FP-REPLICAS', `nodeGroups[${i}].replicas`, g.replicas, 'replicas must be a whole number ≥ 0.', 'use e.g. 2.');
      for (const n of Object.keys(g?.env ?? {})) if (!isEnvName(n)) sink.error('FP-ENV', `nodeGroups[${i}].env['${n}']`, n, 'invalid variable name.', 'use letters, digits and "_".');
    });
    const clusters = [...new Set(groups.filter((g) => g?.group instanceof EdgeNodeGroup).map((g) => g.group.cluster))];
    if (clusters.length > 1) sink.error('K46', 'nodeGroups', clusters, 'the node groups are on different clusters; an EdgeApplication lives on one cluster.', 'create one EdgeApp per edge cluster.');
    const names = groups.map((g) => g?.group?.groupName);
    if (new Set(names).size !== names.length) sink.error('K46', 'nodeGroups', names, 'a node group is listed twice.', 'list each group once.');
    return clusters[0];
  }

  /**
   * Rule 8: each group's pods keep requests within limits and declare what the tenant quota tracks on the edge
   * cluster (KubeEdge's resources overrider replaces, one by one, the requests and limits a group declares), and
   * every replica of every group fits in that quota.
   */
  private checkQuota(tenant: Tenant, cluster: string, props: EdgeAppProps): void {
    const { clusters, tracked } = quotasOf(tenant, [cluster]);
    if (!Array.isArray(props.nodeGroups)) return;
    const defaults = this.context.defaults.resources;
    const base = renderedOwn(props.resources, defaults);
    const pods: PodUsage[] = props.nodeGroups.map((g, i) => ({
      prop: g?.resources ? `nodeGroups[${i}].resources` : 'resources',
      count: g?.replicas ?? props.replicas ?? 1,
      usage: admittedUsage(g?.resources ? overlay(base, g.resources) : base, defaults),
    }));
    checkPodAdmission(this.sink, tracked, pods);
    if (tracked.length) checkQuotaFit(this.sink, 'nodeGroups', `the edge app's ${pods.reduce((n, p) => n + p.count, 0)} replicas`, pods, clusters);
  }

  /** Ports with defaults (the first is `http`), checked (rule 3). */
  private resolvePorts(ports: readonly AppPort[]): EdgePort[] {
    const resolved = ports.map((p, i) => ({ name: p.name ?? (i === 0 ? 'http' : ''), port: p.port, protocol: p.protocol ?? Protocol.TCP, servicePort: p.servicePort ?? p.port }));
    resolved.forEach((p, i) => {
      if (!isPortName(p.name)) this.sink.error('K3', `ports[${i}].name`, p.name, 'invalid port name.', 'use e.g. "http".');
      if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) this.sink.error('K3', `ports[${i}].port`, p.port, 'a port is 1-65535.', 'use e.g. 8080.');
    });
    return resolved;
  }

  /** The EdgeApplication where the edge cluster's objects go, placed on that cluster. */
  private render(tenant: Tenant, cluster: string, props: EdgeAppProps, ports: EdgePort[]): ApiObject | undefined {
    const [target] = this.context.deliveryEngine.targetsFor([cluster]);
    if (!target) return undefined;
    const ns = tenant.namespace;
    const selector = { [LABEL_NAME]: this.appName, [LABEL_INSTANCE]: `${ns}-${this.appName}`.slice(0, 63).replace(/[-_.]+$/, '') };
    const labels = { ...tenant.labels, ...selector };
    const scope = target._scopeFor(this, this.context);
    const resource = renderEdgeApplication(scope, {
      name: this.appName,
      namespace: ns,
      labels,
      selector,
      image: withRegistry(props.image, this.context.defaults.imageRegistry),
      command: props.command,
      args: props.args,
      ports,
      env: props.env ?? {},
      resources: props.resources,
      replicas: props.replicas ?? 1,
      podSecurity: tenant.podSecurity,
      defaults: this.context.defaults,
      groups: props.nodeGroups.map((g) => ({ group: g.group.groupName, replicas: g.replicas, image: g.image, env: g.env, resources: g.resources })),
    });
    this.context.deliveryEngine.place(scope, 'PropagationPolicy', { name: `${this.appName}-edge`, namespace: ns, labels, selectors: [selectorOf(resource)], clusters: [cluster] });
    return resource;
  }
}

/** A group's requests and limits over the app's, each one replacing its own. */
function overlay(base: ResourceRequirements, group: ResourceRequirements): ResourceRequirements {
  return { cpu: { ...base.cpu, ...group.cpu }, memory: { ...base.memory, ...group.memory } };
}
