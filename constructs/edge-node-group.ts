import { PlatformConstruct } from './private/platform-construct';
import { STRING_MAP, checkShapes, listOf } from '../core/input';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterRole } from '../model/cluster';
import { isDnsLabel, isLabelValue, isQualifiedName } from '../core/names';
import { ProblemSink } from '../core/problems';
import { renderNodeGroup } from '../engines/edge/node-group';
import { checkKnownClusters } from './private/known-clusters';

/** Properties of an {@link EdgeNodeGroup}. */
export interface EdgeNodeGroupProps {
  /** The edge cluster (where cloudcore runs and the edge nodes are registered). */
  readonly cluster: string;
  /**
   * Nodes by name.
   * @default - none (use matchLabels)
   */
  readonly nodes?: string[];
  /**
   * Nodes by label (OR-ed with `nodes`).
   * @default - none (use nodes)
   */
  readonly matchLabels?: Record<string, string>;
  /**
   * Label member nodes `topology.kubernetes.io/zone=<group>`.
   * @default false
   */
  readonly topologyEnabled?: boolean;
  /**
   * NodeGroup name.
   * @default - the construct id
   */
  readonly name?: string;
}

/**
 * A KubeEdge NodeGroup: edge nodes picked by name or label, which EdgeApps target. Cluster-scoped, so it goes
 * to the edge cluster's own output in both delivery modes.
 */
export class EdgeNodeGroup extends PlatformConstruct {
  /** NodeGroup name. */
  public readonly groupName: string;
  /** The edge cluster. */
  public readonly cluster: string;
  /** Nodes by name. */
  public readonly nodes: readonly string[];
  /** Nodes by label. */
  public readonly matchLabels: Readonly<Record<string, string>>;
  /** The NodeGroup object. */
  public readonly resource?: ApiObject;

  constructor(scope: Construct, id: string, groupProps: EdgeNodeGroupProps) {
    super(scope, id);
    const props = checkShapes(this.sink, groupProps, { cluster: 'string', nodes: listOf('string'), matchLabels: STRING_MAP, topologyEnabled: 'boolean', name: 'string' });
    this.groupName = props?.name ?? id;
    this.cluster = props?.cluster;
    this.nodes = props?.nodes ?? [];
    this.matchLabels = props?.matchLabels ?? {};
    this.checkProps(props);
    const target = this.context.memberTarget(this.cluster);
    if (!this.sink.hasErrors && target) {
      this.resource = renderNodeGroup(new Construct(target.chart, `nodegroup-${this.groupName}`), {
        name: this.groupName,
        labels: this.context.labels,
        nodes: this.nodes,
        matchLabels: this.matchLabels,
        topologyEnabled: props.topologyEnabled,
      });
    }
  }

  private checkProps(props: EdgeNodeGroupProps): void {
    const sink = this.sink;
    const c = this.context.fleet.get(this.cluster);
    checkKnownClusters(sink, this.context.fleet, 'cluster', [this.cluster], 'name the edge cluster.');
    if (c && c.role !== ClusterRole.EDGE) sink.error('K46', 'cluster', this.cluster, 'node groups live on a cluster with role edge (where cloudcore runs).', 'declare the cluster with role: ClusterRole.EDGE.');
    if (!isDnsLabel(this.groupName)) sink.error('K1', 'name', this.groupName, 'a NodeGroup name must be a DNS-1123 label (it becomes a label value and a workload suffix).', 'use e.g. "store-berlin".');
    if (this.nodes.length === 0 && Object.keys(this.matchLabels).length === 0) sink.error('K46', 'nodes', props?.nodes, 'a node group needs nodes or matchLabels.', 'list nodes or give matchLabels.');
    for (const [k, v] of Object.entries(this.matchLabels)) {
      if (!isQualifiedName(k) || !isLabelValue(v)) sink.error('K2', 'matchLabels', { [k]: v }, 'invalid label.', 'use a valid label key and value.');
    }
    if (new Set(this.nodes).size !== this.nodes.length) sink.error('K46', 'nodes', this.nodes, 'a node is listed twice.', 'list each node once.');
  }

  /** @internal */
  protected override checkTree(sink: ProblemSink): void {
    // Rule 46: a node belongs to at most one NodeGroup.
    const others = this.context.node.findAll().filter((c): c is EdgeNodeGroup => c instanceof EdgeNodeGroup && c !== this && c.cluster === this.cluster);
    for (const o of others) {
      if (o.node.path > this.node.path) continue; // report each pair once
      const shared = this.nodes.filter((n) => o.nodes.includes(n));
      if (shared.length) sink.error('K46', 'nodes', shared, `these nodes are also in node group ${o.groupName}; a node can belong to only one NodeGroup.`, 'remove them from one of the groups.');
      const a = Object.entries(this.matchLabels);
      const b = Object.entries(o.matchLabels);
      const subset = (x: Array<[string, string]>, y: Array<[string, string]>) => x.length > 0 && x.every(([k, v]) => y.some(([k2, v2]) => k === k2 && v === v2));
      if (a.length && b.length && (subset(a, b) || subset(b, a))) {
        sink.error('K46', 'matchLabels', this.matchLabels, `a node matching ${o.groupName}'s labels can also match these, and a node can belong to only one NodeGroup.`, 'use labels that cannot match the same node (e.g. different values of one key).');
      }
    }
  }
}
