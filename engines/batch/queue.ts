/** Volcano Queue: a cluster-scoped share of batch capacity, in a hierarchy of queues. */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { createObject } from '../../core/l1';
import * as scheduling from '../../imports/scheduling.volcano.sh';

/** A queue, resolved. */
export interface QueueIntent {
  /** Queue name (cluster-wide). */
  readonly name: string;
  /** The tenant's labels. */
  readonly labels: Record<string, string>;
  /** Share under Volcano's proportion plugin. */
  readonly weight: number;
  /** Whether other queues may reclaim its over-use. */
  readonly reclaimable: boolean;
  /** Parent queue name. */
  readonly parent?: string;
  /** Hard upper bound per resource. */
  readonly capability?: Record<string, string>;
  /** Fair share per resource. */
  readonly deserved?: Record<string, string>;
  /** Reserved amount per resource. */
  readonly guarantee?: Record<string, string>;
}

/** The Queue object. */
export function renderQueue(scope: Construct, q: QueueIntent): ApiObject {
  const spec = {
    weight: q.weight,
    reclaimable: q.reclaimable,
    parent: q.parent,
    capability: quantityMap(q.capability),
    deserved: quantityMap(q.deserved),
    guarantee: q.guarantee ? { resource: quantityMap(q.guarantee) } : undefined,
  };
  return createObject(scope, 'Resource', scheduling.Queue.GVK, scheduling.toJson_QueueProps, { metadata: { name: q.name, labels: q.labels }, spec: spec as any });
}

function quantityMap(m: Record<string, string> | undefined): Record<string, { value: string }> | undefined {
  if (!m || Object.keys(m).length === 0) return undefined;
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { value: v }]));
}
