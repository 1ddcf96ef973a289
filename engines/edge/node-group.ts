/** KubeEdge NodeGroup: edge nodes picked by name or label, which EdgeApplications target. Cluster-scoped. */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { createObject } from '../../core/l1';
import * as edge from '../../imports/apps.kubeedge.io';

/** A node group, resolved. */
export interface NodeGroupIntent {
  readonly name: string;
  /** Labels every platform object carries. */
  readonly labels: Record<string, string>;
  /** Nodes by name. */
  readonly nodes: readonly string[];
  /** Nodes by label (OR-ed with `nodes`). */
  readonly matchLabels: Readonly<Record<string, string>>;
  /** Label member nodes `topology.kubernetes.io/zone=<group>`. */
  readonly topologyEnabled?: boolean;
}

/** The NodeGroup object. */
export function renderNodeGroup(scope: Construct, g: NodeGroupIntent): ApiObject {
  return createObject(scope, 'Resource', edge.NodeGroup.GVK, edge.toJson_NodeGroupProps, {
    metadata: { name: g.name, labels: g.labels },
    spec: { nodes: g.nodes.length ? [...g.nodes] : undefined, matchLabels: Object.keys(g.matchLabels).length ? { ...g.matchLabels } : undefined, topologyEnabled: g.topologyEnabled },
  });
}
