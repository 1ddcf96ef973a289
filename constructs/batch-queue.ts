import { PlatformConstruct } from './private/platform-construct';
import { ApiObject } from 'cdk8s';
import * as scheduling from '../imports/scheduling.volcano.sh';
import * as policy from '../imports/policy.karmada.io';
import { createObject } from '../core/l1';
import { isDnsLabel } from '../core/names';
import { isQuantity, parseQuantity } from '../core/quantity';
import { DeliveryMode } from '../core/target';
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


  constructor(scope: Tenant, id: string, props: BatchQueueProps = {}) {
    super(scope, id);
    this.tenant = scope;
    this.parent = props.parent;
    this.queueName = props.name ?? `${scope.namespace}-${id}`;
    const sink = this.sink;
    if (!(scope instanceof Tenant)) sink.error('FP-SCOPE', 'scope', id, 'a BatchQueue must be created inside a Tenant.', 'pass the tenant as the scope.');
    if (!isDnsLabel(this.queueName)) sink.error('K1', 'name', this.queueName, 'a queue name must be a DNS-1123 label.', 'use e.g. "ml-training".');
    if (['default', 'root'].includes(this.queueName)) sink.error('K48', 'name', this.queueName, 'the default and root queues belong to Volcano.', 'choose another name.');
    const w = props.weight ?? 1;
    if (!Number.isInteger(w) || w < 1 || w > 65535) sink.error('K48', 'weight', w, 'a queue weight is a whole number from 1 to 65535.', 'use e.g. 4.');
    for (const [prop, m] of [['capability', props.capability], ['deserved', props.deserved], ['guarantee', props.guarantee]] as const) {
      for (const [k, v] of Object.entries(m ?? {})) if (!isQuantity(v)) sink.error('K48', `${prop}['${k}']`, v, 'not a Kubernetes quantity.', 'use e.g. "16" or "800Gi".');
    }
    // Rule 48: guarantee ≤ deserved ≤ capability, per resource.
    const le = (lowProp: string, low: Record<string, string> | undefined, highProp: string, high: Record<string, string> | undefined) => {
      for (const [k, v] of Object.entries(low ?? {})) {
        const hv = high?.[k];
        if (hv !== undefined && (parseQuantity(v) ?? 0) > (parseQuantity(hv) ?? Infinity)) sink.error('K48', `${lowProp}['${k}']`, v, `exceeds ${highProp} (${hv}).`, `keep guarantee ≤ deserved ≤ capability for ${k}.`);
      }
    };
    le('guarantee', props.guarantee, 'deserved', props.deserved);
    le('deserved', props.deserved, 'capability', props.capability);
    le('guarantee', props.guarantee, 'capability', props.capability);
    if (props.parent && !(props.parent instanceof BatchQueue)) sink.error('K48', 'parent', props.parent, 'the parent must be a BatchQueue.', 'pass a BatchQueue.');
    if (props.parent === this) sink.error('K48', 'parent', this.queueName, 'a queue cannot be its own parent.', 'pick another parent.');
    if (sink.hasErrors || !(scope instanceof Tenant)) return;

    const labels = scope.labels;
    const specFor = () => ({
      weight: w,
      reclaimable: props.reclaimable ?? true,
      parent: props.parent?.queueName,
      capability: quantityMap(props.capability),
      deserved: quantityMap(props.deserved),
      guarantee: props.guarantee ? { resource: quantityMap(props.guarantee) } : undefined,
    });
    const karmada = this.context.delivery === DeliveryMode.KARMADA;
    const targets = karmada ? [this.context.controlPlane!] : scope.clusterNames.map((c) => this.context.memberTarget(c)!).filter(Boolean);
    for (const target of targets) {
      const s = target._scopeFor(this, this.context);
      this.resources.push(createObject(s, 'Resource', scheduling.Queue.GVK, scheduling.toJson_QueueProps, { metadata: { name: this.queueName, labels }, spec: specFor() as any }));
      if (karmada) {
        createObject(s, 'ClusterPropagationPolicy', policy.ClusterPropagationPolicy.GVK, policy.toJson_ClusterPropagationPolicyProps, {
          metadata: { name: `queue-${this.queueName}`, labels },
          spec: {
            resourceSelectors: [{ apiVersion: scheduling.Queue.GVK.apiVersion, kind: 'Queue', name: this.queueName }],
            placement: { clusterAffinity: { clusterNames: [...scope.clusterNames] } },
          },
        });
      }
    }
  }

  /** Whether another queue has this one as its parent (then jobs may not target it). */
  public get isLeaf(): boolean {
    return !this.context.node.findAll().some((c) => c instanceof BatchQueue && c.parent === this);
  }

}

function quantityMap(m: Record<string, string> | undefined): Record<string, { value: string }> | undefined {
  if (!m || Object.keys(m).length === 0) return undefined;
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { value: v }]));
}
