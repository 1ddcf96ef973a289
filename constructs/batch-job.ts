import { PlatformConstruct } from './private/platform-construct';
import { ApiObject, Duration } from 'cdk8s';
import { platformOf } from '../core/context';
import { selectorOf } from '../core/delivery';
import { DeliveryMode } from '../core/target';
import { Placement } from '../model/placement';
import { Distribution } from '../model/distribution';
import { ResourceRequirements } from '../model/workload';
import { BatchTask, LifecyclePolicy, JobPlugins, JobEvent, JobAction } from '../model/batch';
import { renderAffinity, renderClusterTolerations } from '../engines/delivery/placement';
import { checkPlacement, schedule, scopeToTenant } from '../engines/delivery/scheduling';
import { jobLabels, renderVolcanoJob } from '../engines/batch/job';
import { checkJob } from './private/batch-checks';
import { BatchQueue } from './batch-queue';
import { Tenant } from './tenant';
import { Shape, checkShapes, listOf, objectOf } from '../core/input';
import { BATCH_TASK, LIFECYCLE_POLICIES, PLACEMENT, RESOURCES } from './private/prop-shapes';
import { withRegistry } from '../core/image';

/** Properties of a {@link BatchJob}. */
export interface BatchJobProps {
  /** The tenant queue (a leaf). */
  readonly queue: BatchQueue;
  /** The roles. */
  readonly tasks: BatchTask[];
  /**
   * Gang size: pods that must be schedulable together.
   * @default - the sum of the tasks' replicas
   */
  readonly minAvailable?: number;
  /** @default - none */
  readonly policies?: LifecyclePolicy[];
  /** @default - none */
  readonly plugins?: JobPlugins;
  /** @default 3 */
  readonly maxRetry?: number;
  /** @default - kept until deleted */
  readonly ttlAfterFinished?: Duration;
  /**
   * Clusters the job may run on; Karmada runs it in one of them (the gang stays in one cluster).
   * In direct mode it must select exactly one cluster.
   * @default Placement.all()
   */
  readonly placement?: Placement;
  /** @default - the construct id */
  readonly name?: string;
}

/** Options of the PyTorch-style master/worker helper. */
export interface PyTorchJobOptions {
  readonly queue: BatchQueue;
  readonly image: string;
  /** Worker replicas. */
  readonly workers: number;
  /** @default 0 */
  readonly gpusPerReplica?: number;
  /** @default - the image's */
  readonly command?: string[];
  /** @default - the image's */
  readonly args?: string[];
  /** @default - the platform default */
  readonly resources?: ResourceRequirements;
  /** @default Placement.all() */
  readonly placement?: Placement;
  /** @default 23456 */
  readonly port?: number;
}

/** Options of the Spark-style driver/executor helper. */
export interface SparkJobOptions {
  readonly queue: BatchQueue;
  readonly image: string;
  /** Executor replicas. */
  readonly executors: number;
  /** Main class. */
  readonly mainClass: string;
  /** Application jar (local path in the image). */
  readonly jar: string;
  /** @default - the platform default */
  readonly driverResources?: ResourceRequirements;
  /** @default - the platform default */
  readonly executorResources?: ResourceRequirements;
  /** @default Placement.all() */
  readonly placement?: Placement;
}

/**
 * A Volcano Job: gang-scheduled tasks with replicas and pod templates, lifecycle policies, plugins and GPU
 * requests, in a tenant queue. Placed like any workload with Karmada (kept in one cluster), or in direct mode
 * into the one cluster its placement selects.
 */
export class BatchJob extends PlatformConstruct {
  /** A PyTorch-style job: one master and N workers with the pytorch, svc and env plugins. */
  public static pytorch(scope: Tenant, id: string, o: PyTorchJobOptions): BatchJob {
    return new BatchJob(scope, id, undefined as unknown as BatchJobProps, { options: o, shapes: PYTORCH_SHAPES, required: ['queue', 'image', 'workers'], build: pytorchJob });
  }

  /** A Spark-style job: one driver and N executors gang-scheduled together. */
  public static spark(scope: Tenant, id: string, o: SparkJobOptions): BatchJob {
    return new BatchJob(scope, id, undefined as unknown as BatchJobProps, { options: o, shapes: SPARK_SHAPES, required: ['queue', 'image', 'executors', 'mainClass', 'jar'], build: sparkJob });
  }

  /** Job name. */
  public readonly jobName: string;
  /** The Job object per target. */
  public readonly resources: ApiObject[] = [];

  /**
   * @param helper the options of `BatchJob.pytorch` or `spark`, checked on their own props before the job is built from them. @internal
   */
  constructor(scope: Tenant, id: string, jobProps: BatchJobProps, helper?: JobHelper) {
    super(scope, id);
    if (helper) {
      const options = checkShapes(this.sink, helper.options, helper.shapes, helper.required);
      // A job built from malformed options would only repeat their problems on derived task props.
      if (this.sink.hasErrors) {
        this.jobName = id;
        this.checkTenantScope(scope, 'BatchJob');
        return;
      }
      jobProps = helper.build(options);
    }
    const props = checkShapes(this.sink, jobProps, {
      queue: 'unknown', tasks: listOf(BATCH_TASK), minAvailable: 'number', policies: LIFECYCLE_POLICIES, maxRetry: 'number', ttlAfterFinished: Duration,
      plugins: objectOf({ svc: 'boolean', ssh: 'boolean', env: 'boolean', pytorch: objectOf({ master: 'string', worker: 'string', port: 'number' }) }),
      placement: PLACEMENT, name: 'string',
    });
    this.jobName = props?.name ?? id;
    if (!this.checkTenantScope(scope, 'BatchJob')) return;
    checkJob(this.sink, this.jobName, props, this.context.defaults.imageTagPolicy);
    const placement = props.placement ?? Placement.all();
    const candidates = this.checkQueue(scope, props.queue, placement);
    if (!this.sink.hasErrors) this.render(scope, props, placement, candidates);
  }

  /**
   * The queue (rules 47, 48): a leaf queue of this platform that exists wherever the job may run; and the
   * placement. Returns the candidate clusters.
   */
  private checkQueue(tenant: Tenant, q: BatchQueue, placement: Placement): string[] {
    const sink = this.sink;
    if (!(q instanceof BatchQueue)) {
      sink.error('K47', 'queue', q, 'a job needs a BatchQueue.', 'create a BatchQueue in the tenant and pass it.');
      return [];
    }
    if (!q.isLeaf) sink.error('K47', 'queue', q.queueName, 'jobs may only be submitted to leaf queues, and this queue has children.', 'submit to one of its child queues.');
    if (platformOf(q) !== this.context) sink.error('K47', 'queue', q.queueName, 'the queue belongs to another platform.', 'use a queue of this platform.');
    const fleet = this.context.fleet;
    checkPlacement(sink, fleet, tenant.clusterNames, placement, Distribution.duplicated());
    const result = schedule(sink, fleet, tenant.clusterNames, placement, Distribution.duplicated(), undefined, false);
    const missing = result.candidates.filter((c) => !q.tenant.clusterNames.includes(c.name)).map((c) => c.name);
    if (missing.length) sink.error('K47', 'queue', q.queueName, `the queue does not exist on ${missing.join(', ')}, where the job may run.`, 'use a queue of a tenant that covers those clusters, or narrow the placement.');
    if (this.context.delivery === DeliveryMode.DIRECT && result.candidates.length > 1) {
      sink.error('FP-DIRECT', 'placement', result.candidates.map((c) => c.name), 'a gang-scheduled job runs in one cluster; in direct delivery fleetplane cannot pick it at run time.', 'select exactly one cluster, e.g. Placement.clusters("gpu-1").');
    }
    return result.candidates.map((c) => c.name);
  }

  /** The Job where the candidates' objects go, placed so that Karmada runs the whole gang in one cluster. */
  private render(tenant: Tenant, props: BatchJobProps, placement: Placement, candidates: string[]): void {
    const intent = {
      name: this.jobName,
      namespace: tenant.namespace,
      tenantLabels: tenant.labels,
      queue: props.queue.queueName,
      tasks: props.tasks.map((t) => ({ ...t, image: withRegistry(t.image, this.context.defaults.imageRegistry) })),
      minAvailable: props.minAvailable,
      policies: props.policies,
      plugins: props.plugins,
      maxRetry: props.maxRetry ?? 3,
      ttlAfterFinished: props.ttlAfterFinished,
      podSecurity: tenant.podSecurity,
      defaults: this.context.defaults,
    };
    const engine = this.context.deliveryEngine;
    for (const target of engine.targetsFor(candidates)) {
      const s = target._scopeFor(this, this.context);
      const job = renderVolcanoJob(s, intent);
      this.resources.push(job);
      engine.place(s, 'PropagationPolicy', {
        name: this.jobName,
        namespace: tenant.namespace,
        labels: jobLabels(intent),
        selectors: [selectorOf(job)],
        placement: this.gangPlacement(tenant, placement),
      });
    }
  }

  /** The Karmada placement of the job: its clusters, scoped to the tenant's, and the whole gang in one. */
  private gangPlacement(tenant: Tenant, placement: Placement): Record<string, unknown> {
    const fleet = this.context.fleet;
    return {
      clusterAffinity: placement.groups ? undefined : renderAffinity(scopeToTenant(placement.selector ?? {}, fleet, tenant.clusterNames)),
      clusterAffinities: placement.groups?.map((g) => ({ affinityName: g.name, ...renderAffinity(scopeToTenant(g.clusters, fleet, tenant.clusterNames)) })),
      clusterTolerations: renderClusterTolerations(placement),
      // The whole gang goes to one cluster: Karmada picks the best-scored candidate.
      spreadConstraints: [{ spreadByField: 'cluster', minGroups: 1, maxGroups: 1 }],
      replicaScheduling: { replicaSchedulingType: 'Duplicated' },
    };
  }
}

/** What `BatchJob.pytorch` and `spark` pass to the constructor. */
interface JobHelper {
  readonly options: any;
  readonly shapes: { readonly [prop: string]: Shape };
  readonly required: readonly string[];
  readonly build: (options: any) => BatchJobProps;
}

const PYTORCH_SHAPES = {
  queue: 'unknown', image: 'string', workers: 'number', gpusPerReplica: 'number', command: listOf('string'), args: listOf('string'), resources: RESOURCES,
  placement: PLACEMENT, port: 'number',
} as const;

const SPARK_SHAPES = {
  queue: 'unknown', image: 'string', executors: 'number', mainClass: 'string', jar: 'string', driverResources: RESOURCES, executorResources: RESOURCES,
  placement: PLACEMENT,
} as const;

function pytorchJob(o: PyTorchJobOptions): BatchJobProps {
  const task = (name: string, replicas: number): BatchTask => ({
    name, replicas, image: o.image, command: o.command, args: o.args, resources: o.resources, gpus: o.gpusPerReplica,
  });
  return {
    queue: o.queue,
    placement: o.placement,
    tasks: [
      { ...task('master', 1), policies: [{ events: [JobEvent.TASK_COMPLETED], action: JobAction.COMPLETE_JOB }] },
      { ...task('worker', o.workers), policies: [{ events: [JobEvent.TASK_FAILED], action: JobAction.RESTART_JOB }] },
    ],
    plugins: { pytorch: { master: 'master', worker: 'worker', port: o.port ?? 23456 }, svc: true, env: true },
    policies: [{ events: [JobEvent.POD_EVICTED], action: JobAction.RESTART_JOB }],
  };
}

function sparkJob(o: SparkJobOptions): BatchJobProps {
  return {
    queue: o.queue,
    placement: o.placement,
    tasks: [
      {
        name: 'driver', replicas: 1, image: o.image, resources: o.driverResources,
        args: ['driver', '--class', o.mainClass, o.jar],
        policies: [{ events: [JobEvent.TASK_COMPLETED], action: JobAction.COMPLETE_JOB }],
      },
      { name: 'executor', replicas: o.executors, image: o.image, resources: o.executorResources, args: ['executor'] },
    ],
    plugins: { svc: true, env: true },
    policies: [{ events: [JobEvent.POD_FAILED, JobEvent.POD_EVICTED], action: JobAction.RESTART_JOB }],
  };
}
