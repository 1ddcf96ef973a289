import { PlatformConstruct } from './private/platform-construct';
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import * as edge from '../imports/apps.kubeedge.io';
import * as policy from '../imports/policy.karmada.io';
import { createObject, PlainApiObject } from '../core/l1';
import { LABEL_INSTANCE, LABEL_NAME } from '../core/labels';
import { isDns1035Label, isEnvName, isPortName } from '../core/names';
import { ImageOverride } from '../model/overrides';
import { parseImage } from '../core/image';
import { AppPort, EnvValue, Protocol, ResourceRequirements } from '../model/workload';
import { containerSecurityContext, podSecurityContext, renderResources, resourcesToJson } from '../core/pod';
import { DeliveryMode } from '../core/target';
import { EdgeNodeGroup } from './edge-node-group';
import { WorkloadKind } from '../model/app';
import { Tenant } from './tenant';

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


  constructor(scope: Tenant, id: string, props: EdgeAppProps) {
    super(scope, id);
    this.appName = props?.name ?? id;
    const sink = this.sink;
    const tenant = scope;
    const groups = props?.nodeGroups ?? [];
    if (!(tenant instanceof Tenant)) sink.error('FP-SCOPE', 'scope', id, 'an EdgeApp must be created inside a Tenant.', 'pass the tenant as the scope.');
    if (!isDns1035Label(this.appName) || this.appName.length > 40) sink.error('K1', 'name', this.appName, 'an edge app name must be a DNS-1035 label of at most 40 characters (copies are named <name>-<nodegroup>).', 'use e.g. "video".');
    if ((props?.kind ?? WorkloadKind.DEPLOYMENT) !== WorkloadKind.DEPLOYMENT) {
      sink.error('K46', 'kind', props.kind, 'KubeEdge can pin only Deployments to node groups (it cannot override the node selector of other kinds).', 'use a Deployment, or a FederatedApp placed on the edge cluster.');
    }
    if (typeof props?.image !== 'string' || !parseImage(props.image)) sink.error('FP-IMAGE', 'image', props?.image, 'not a valid image reference.', 'use "registry.example.com/team/app:1.0".');
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
    this.cluster = clusters[0];
    if (tenant instanceof Tenant && this.cluster && !tenant.clusterNames.includes(this.cluster)) {
      sink.error('FP-TENANT-CLUSTERS', 'nodeGroups', this.cluster, 'the tenant does not use the edge cluster, so its namespace does not exist there.', 'add the edge cluster to the tenant\'s clusters.');
    }
    const ports = (props?.ports ?? []).map((p, i) => ({ name: p.name ?? (i === 0 ? 'http' : ''), port: p.port, protocol: p.protocol ?? Protocol.TCP, servicePort: p.servicePort ?? p.port }));
    ports.forEach((p, i) => {
      if (!isPortName(p.name)) sink.error('K3', `ports[${i}].name`, p.name, 'invalid port name.', 'use e.g. "http".');
      if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) sink.error('K3', `ports[${i}].port`, p.port, 'a port is 1-65535.', 'use e.g. 8080.');
    });
    if (sink.hasErrors || !(tenant instanceof Tenant) || !this.cluster) return;

    const ns = tenant.namespace;
    const selector = { [LABEL_NAME]: this.appName, [LABEL_INSTANCE]: `${ns}-${this.appName}`.slice(0, 63).replace(/[-_.]+$/, '') };
    const labels = { ...tenant.labels, ...selector };
    const d = this.context.defaults;
    const container: k8s.Container = {
      name: 'app',
      image: props.image,
      command: props.command,
      args: props.args,
      ports: ports.length ? ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })) : undefined,
      env: Object.entries(props.env ?? {}).map(([name, v]) => ({ name, ...v._source })),
      resources: renderResources(props.resources, d.resources),
      securityContext: containerSecurityContext(tenant.podSecurity, d.readOnlyRootFilesystem),
      volumeMounts: d.readOnlyRootFilesystem ? [{ name: 'tmp', mountPath: '/tmp' }] : undefined,
    };
    const deployment = {
      ...k8s.KubeDeployment.GVK,
      ...k8s.toJson_KubeDeploymentProps({
        metadata: { name: this.appName, namespace: ns, labels },
        spec: {
          replicas: props.replicas ?? 1,
          selector: { matchLabels: selector },
          template: {
            metadata: { labels },
            spec: {
              automountServiceAccountToken: false,
              securityContext: podSecurityContext(tenant.podSecurity, d.runAsUser),
              // Edge nodes only; stay through cloud-link outages (no tolerationSeconds).
              nodeSelector: { 'node-role.kubernetes.io/edge': '' },
              tolerations: [
                { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
                { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
              ],
              containers: [container],
              volumes: d.readOnlyRootFilesystem ? [{ name: 'tmp', emptyDir: {} }] : undefined,
            },
          },
        },
      }),
    };
    const service = ports.length
      ? {
          ...k8s.KubeService.GVK,
          ...k8s.toJson_KubeServiceProps({
            metadata: { name: this.appName, namespace: ns, labels, annotations: { 'apps.kubeedge.io/service-topology': 'range-nodegroup' } },
            spec: { selector, ports: ports.map((p) => ({ name: p.name, port: p.servicePort, targetPort: k8s.IntOrString.fromString(p.name), protocol: p.protocol })) },
          }),
        }
      : undefined;
    const spec = {
      workloadTemplate: { manifests: [deployment, ...(service ? [service] : [])] },
      workloadScope: {
        targetNodeGroups: groups.map((g) => ({
          name: g.group.groupName,
          overriders: {
            replicas: g.replicas,
            imageOverriders: g.image
              ? (Object.entries({ Registry: g.image.registry, Repository: g.image.repository, Tag: g.image.tag }).filter(([, v]) => v !== undefined)
                  .map(([component, value]) => ({ component, operator: 'replace', value, predicate: { path: '/spec/template/spec/containers/0/image' } })))
              : undefined,
            envOverriders: g.env ? [{ containerName: 'app', operator: 'replace', value: Object.entries(g.env).map(([name, value]) => ({ name, value })) }] : undefined,
            resourcesOverriders: g.resources ? [{ containerName: 'app', value: resourcesToJson(g.resources) }] : undefined,
          },
        })),
      },
    };
    const karmada = this.context.delivery === DeliveryMode.KARMADA;
    const target = karmada ? this.context.controlPlane : this.context.memberTarget(this.cluster);
    if (!target) return;
    const s = target._scopeFor(this, this.context);
    this.resource = new PlainApiObject(s, 'Resource', { ...edge.EdgeApplication.GVK, metadata: { name: this.appName, namespace: ns, labels }, spec } as any);
    if (karmada) {
      createObject(s, 'PropagationPolicy', policy.PropagationPolicy.GVK, policy.toJson_PropagationPolicyProps, {
        metadata: { name: `${this.appName}-edge`, namespace: ns, labels },
        spec: {
          resourceSelectors: [{ apiVersion: edge.EdgeApplication.GVK.apiVersion, kind: 'EdgeApplication', name: this.appName }],
          placement: { clusterAffinity: { clusterNames: [this.cluster] } },
        },
      });
    }
  }

}
