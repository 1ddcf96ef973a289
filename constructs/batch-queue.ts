import { PlatformConstruct } from './private/platform-construct';
import { STRING_MAP, checkShapes } from '../core/input';
import { ApiObject } from 'cdk8s';
import { selectorOf } from '../core/delivery';
import { renderQueue } from '../engines/batch/queue';
import { checkQueue } from './private/batch-checks';
import { Tenant } from './tenant';

/** Properties of a {@link BatchQueue}. */
export interface BatchQueueProps {
  /**
   * Share under Volcano's proportion plugin (1-65535).
   * @default 1
   */
  readonly weight?: number;
  /**
   * Hard upper bound per resource, e.g. `{ cpu: '200', memory: '800Gi', 'nvidia.com/gpu': '16' }`.
   * @default - unbounded
   */
  readonly capability?: Record<string, string>;
  /**
   * Fair share per resource (capacity plugin); at most `capability`.
   * @default - none
   */
  readonly deserved?: Record<string, string>;
  /**
   * Reserved amount per resource; at most `deserved`.
   * @default - none
   */
  readonly guarantee?: Record<string, string>;
  /**
   * Whether other queues may reclaim its over-use.
   * @default true
   */
  readonly reclaimable?: boolean;
  /**
   * Parent queue in the hierarchy.
   * @default - `root`
   */
  readonly parent?: BatchQueue;
  /**
   * Queue name (cluster-wide).
   * @default - `<tenant namespace>-<id>`
   */
  readonly name?: string;
}

/**
 * A Volcano Queue for a tenant's batch jobs. Queues are cluster-scoped and must exist wherever the jobs can
 * run, so it is placed on every cluster of the tenant (a ClusterPropagationPolicy in karmada mode).
 */
export class BatchQueue extends PlatformConstruct {
  /** Queue name. */
  public readonly queueName: string;
  /** The tenant. */
  public readonly tenant: Tenant;
  /** The parent queue. */
  public readonly parent?: BatchQueue;
  /** The Queue object per target. */
  public readonly resources: ApiObject[] = [];

  constructor(scope: Tenant, id: string, queueProps: BatchQueueProps = {}) {
    super(scope, id);
    const props = checkShapes(this.sink, queueProps, {
      weight: 'number', capability: STRING_MAP, deserved: STRING_MAP, guarantee: STRING_MAP, reclaimable: 'boolean', parent: 'unknown', name: 'string',
    });
    this.tenant = scope;
    this.parent = props.parent;
    this.queueName = props.name ?? `${scope.namespace}-${id}`;
    const inTenant = this.checkTenantScope(scope, 'BatchQueue');
    const weight = props.weight ?? 1;
    checkQueue(this.sink, this.queueName, weight, props);
    if (props.parent && !(props.parent instanceof BatchQueue)) this.sink.error('K48', 'parent', props.parent, 'the parent must be a BatchQueue.', 'pass a BatchQueue.');
    if (props.parent === this) this.sink.error('K48', 'parent', this.queueName, 'a queue cannot be its own parent.', 'pick another parent.');
    if (this.sink.hasErrors || !inTenant) return;
    this.render(scope, props, weight);
  }

  /** Whether another queue has this one as its parent (then jobs may not target it). */
  public get isLeaf(): boolean {
    return !this.context.node.findAll().some((c) => c instanceof BatchQueue && c.parent === this);
  }

  /** The Queue wherever the tenant's objects go, placed on every cluster of the tenant. */
  private render(tenant: Tenant, props: BatchQueueProps, weight: number): void {
    const labels = tenant.labels;
    const engine = this.context.deliveryEngine;
    for (const target of engine.targetsFor(tenant.clusterNames)) {
      const s = target._scopeFor(this, this.context);
      const queue = renderQueue(s, {
        name: this.queueName,
        labels,
        weight,
        reclaimable: props.reclaimable ?? true,
        parent: props.parent?.queueName,
        capability: props.capability,
        deserved: props.deserved,
        guarantee: props.guarantee,
      });
      this.resources.push(queue);
      engine.place(s, 'ClusterPropagationPolicy', { name: `queue-${this.queueName}`, labels, selectors: [selectorOf(queue)], clusters: tenant.clusterNames });
    }
  }
}
