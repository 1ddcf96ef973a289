/**
 * KubeEdge EdgeApplication: one workload template (a Deployment and a Service whose endpoints stay inside each
 * node group) stamped out once per node group, with per-group overriders.
 */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { ResolvedDefaults } from '../../core/context';
import { PlainApiObject } from '../../core/l1';
import { containerSecurityContext, podSecurityContext, renderResources, resourcesToJson } from '../../core/pod';
import * as edge from '../../imports/apps.kubeedge.io';
import { ImageOverride } from '../../model/overrides';
import { EnvValue, PodSecurityLevel, Protocol, ResourceRequirements } from '../../model/workload';

/** A port of an edge app, with defaults resolved. */
export interface EdgePort {
  /** Port name (the Service's targetPort). */
  readonly name: string;
  /** Container port. */
  readonly port: number;
  readonly protocol: Protocol;
  /** Port of the Service. */
  readonly servicePort: number;
}

/** What one node group runs differently. */
export interface NodeGroupOverride {
  /** The NodeGroup name. */
  readonly group: string;
  /** Replicas in this group, instead of the template's. */
  readonly replicas?: number;
  /** Image parts replaced in this group (e.g. a registry cache at the site). */
  readonly image?: ImageOverride;
  /** Environment variables added or replaced in this group. */
  readonly env?: Record<string, string>;
  /** Container resources in this group. */
  readonly resources?: ResourceRequirements;
}

/** An edge app, resolved. */
export interface EdgeApplicationIntent {
  /** Name of the EdgeApplication and of its Deployment and Service. */
  readonly name: string;
  /** The tenant namespace. */
  readonly namespace: string;
  /** Labels of every object. */
  readonly labels: Record<string, string>;
  /** Labels that select the app's pods. */
  readonly selector: Record<string, string>;
  /** Image of the main container. */
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  /** Ports; none means no Service. */
  readonly ports: readonly EdgePort[];
  readonly env: Record<string, EnvValue>;
  /** Container resources; the platform default fills what is left out. */
  readonly resources?: ResourceRequirements;
  /** Replicas per group, unless a group overrides it. */
  readonly replicas: number;
  /** The tenant's Pod Security level. */
  readonly podSecurity: PodSecurityLevel;
  /** Platform defaults the pod template follows. */
  readonly defaults: Pick<ResolvedDefaults, 'resources' | 'runAsUser' | 'readOnlyRootFilesystem'>;
  /** The node groups, one copy each. */
  readonly groups: readonly NodeGroupOverride[];
}

/** The EdgeApplication object. */
export function renderEdgeApplication(scope: Construct, a: EdgeApplicationIntent): ApiObject {
  const service = a.ports.length ? edgeService(a) : undefined;
  const spec = {
    workloadTemplate: { manifests: [edgeDeployment(a), ...(service ? [service] : [])] },
    workloadScope: { targetNodeGroups: a.groups.map((g) => ({ name: g.group, overriders: groupOverriders(g) })) },
  };
  return new PlainApiObject(scope, 'Resource', { ...edge.EdgeApplication.GVK, metadata: { name: a.name, namespace: a.namespace, labels: a.labels }, spec } as any);
}

function edgeDeployment(a: EdgeApplicationIntent): Record<string, unknown> {
  const d = a.defaults;
  const container: k8s.Container = {
    name: 'app',
    image: a.image,
    command: a.command,
    args: a.args,
    ports: a.ports.length ? a.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })) : undefined,
    env: Object.entries(a.env).map(([name, v]) => ({ name, ...v._source })),
    resources: renderResources(a.resources, d.resources),
    securityContext: containerSecurityContext(a.podSecurity, d.readOnlyRootFilesystem),
    volumeMounts: d.readOnlyRootFilesystem ? [{ name: 'tmp', mountPath: '/tmp' }] : undefined,
  };
  return {
    ...k8s.KubeDeployment.GVK,
    ...k8s.toJson_KubeDeploymentProps({
      metadata: { name: a.name, namespace: a.namespace, labels: a.labels },
      spec: {
        replicas: a.replicas,
        selector: { matchLabels: a.selector },
        template: {
          metadata: { labels: a.labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: podSecurityContext(a.podSecurity, d.runAsUser),
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
}

/** A Service whose endpoints stay inside each node group. */
function edgeService(a: EdgeApplicationIntent): Record<string, unknown> {
  return {
    ...k8s.KubeService.GVK,
    ...k8s.toJson_KubeServiceProps({
      metadata: { name: a.name, namespace: a.namespace, labels: a.labels, annotations: { 'apps.kubeedge.io/service-topology': 'range-nodegroup' } },
      spec: { selector: a.selector, ports: a.ports.map((p) => ({ name: p.name, port: p.servicePort, targetPort: k8s.IntOrString.fromString(p.name), protocol: p.protocol })) },
    }),
  };
}

function groupOverriders(g: NodeGroupOverride): Record<string, unknown> {
  return {
    replicas: g.replicas,
    imageOverriders: g.image
      ? (Object.entries({ Registry: g.image.registry, Repository: g.image.repository, Tag: g.image.tag }).filter(([, v]) => v !== undefined)
          .map(([component, value]) => ({ component, operator: 'replace', value, predicate: { path: '/spec/template/spec/containers/0/image' } })))
      : undefined,
    envOverriders: g.env ? [{ containerName: 'app', operator: 'replace', value: Object.entries(g.env).map(([name, value]) => ({ name, value })) }] : undefined,
    resourcesOverriders: g.resources ? [{ containerName: 'app', value: resourcesToJson(g.resources) }] : undefined,
  };
}
