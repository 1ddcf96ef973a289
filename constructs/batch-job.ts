import { PlatformConstruct } from './private/platform-construct';
import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { platformOf } from '../core/context';
import { selectorOf } from '../core/delivery';
import { DeliveryMode } from '../core/target';
import { Placement } from '../model/placement';
import { Distribution } from '../model/distribution';
import { ResourceRequirements } from '../model/workload';
import { BatchTask, LifecyclePolicy, JobPlugins, JobEvent, JobAction, KubeApiEgress, SparkPodResources } from '../model/batch';
import { renderAffinity, renderClusterTolerations } from '../engines/delivery/placement';
import { checkPlacement, schedule, scopeToTenant } from '../engines/delivery/scheduling';
import { jobLabels, renderVolcanoJob, VolcanoTaskIntent } from '../engines/batch/job';
import { renderSparkSupport, SPARK_CONF_DIR, SparkAppIntent, sparkNames, sparkSubmitCommand, submitterLabels } from '../engines/batch/spark';
import { checkJob } from './private/batch-checks';
import { sparkUsage, taskUsages } from './private/batch-quota';
import { admittedUsage, checkPodAdmission, checkQuotaFit, PodUsage, quotasOf, renderedOwn } from './private/quota-checks';
import { checkSparkOptions } from './private/spark-checks';
import { BatchQueue } from './batch-queue';
import { Tenant } from './tenant';
import { STRING_MAP, Shape, checkShapes, listOf, objectOf } from '../core/input';
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

/**
 * Options of the Spark helper: a Spark application submitted with spark-submit in cluster mode and scheduled by
 * Volcano (Spark ≥ 3.3 with the volcano profile, "Using Volcano as Customized Scheduler for Spark on Kubernetes").
 */
export interface SparkJobOptions {
  readonly queue: BatchQueue;
  /**
   * Spark image for spark-submit, the driver and the executors; it must contain Spark built with `-Pvolcano`
   * (the VolcanoFeatureStep). The platform's default registry applies.
   */
  readonly image: string;
  /** Executors: a fixed number, all reserved together with the driver. */
  readonly executors: number;
  /** Main class. */
  readonly mainClass: string;
  /** Application jar: `local://` for a jar in the image, or a URL the driver fetches. */
  readonly jar: string;
  /** @default - none */
  readonly args?: string[];
  /**
   * Further Spark configuration (`--conf key=value`). The keys fleetplane sets, and those that would break the
   * reservation (dynamic allocation, request cores), are refused.
   * @default - none
   */
  readonly conf?: Record<string, string>;
  /** @default - 1 core, 1Gi heap and Spark's overhead */
  readonly driver?: SparkPodResources;
  /** Each executor. @default - 1 core, 1Gi heap and Spark's overhead */
  readonly executor?: SparkPodResources;
  /** The spark-submit pod. @default - the platform default */
  readonly submitterResources?: ResourceRequirements;
  /**
   * The Kubernetes API server endpoints the submitter and the driver call; required when the tenant denies egress
   * by default, and opened by a NetworkPolicy only to them.
   * @default - none: refused in a default-deny tenant
   */
  readonly kubeApi?: KubeApiEgress;
  /** Spark's home in the image. @default '/opt/spark' */
  readonly sparkHome?: string;
  /**
   * The user Spark's pods run as. Spark's images have a passwd entry for their own user only, and Hadoop's login
   * fails for a user without one.
   * @default 185 (the `spark` user of the apache/spark images)
   */
  readonly runAsUser?: number;
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

  /**
   * A Spark application: a one-task Volcano Job runs spark-submit in cluster mode with Volcano as the scheduler
   * and a PodGroup template (the queue, and the driver and every executor reserved together); beside it, a
   * ConfigMap with that template and the pod templates, the submitter's and driver's ServiceAccounts and Roles,
   * and the API server egress in a default-deny tenant.
   */
  public static spark(scope: Tenant, id: string, o: SparkJobOptions): BatchJob {
    return new BatchJob(scope, id, undefined as unknown as BatchJobProps, { options: o, shapes: SPARK_SHAPES, required: ['queue', 'image', 'executors', 'mainClass', 'jar'], build: sparkJob, spark: true });
  }

  /** Job name. */
  public readonly jobName: string;
  /** The Job object per target. */
  public readonly resources: ApiObject[] = [];
  /**
   * Jobs made by {@link BatchJob.spark}: per target, the ConfigMap of templates, the ServiceAccounts, Roles and
   * RoleBindings, and the API server egress policy.
   */
  public readonly sparkResources: ApiObject[] = [];

  /**
   * @param helper the options of `BatchJob.pytorch` or `spark`, checked on their own props before the job is built from them. @internal
   */
  constructor(scope: Tenant, id: string, jobProps: BatchJobProps, helper?: JobHelper) {
    super(scope, id);
    let sparkOptions: SparkJobOptions | undefined;
    if (helper) {
      const options = checkShapes(this.sink, helper.options, helper.shapes, helper.required);
      // A job built from malformed options would only repeat their problems on derived task props.
      if (this.sink.hasErrors) {
        this.jobName = id;
        this.checkTenantScope(scope, 'BatchJob');
        return;
      }
      jobProps = helper.build(options);
      if (helper.spark) sparkOptions = options;
    }
    const props = checkShapes(this.sink, jobProps, {
      queue: 'unknown', tasks: listOf(BATCH_TASK), minAvailable: 'number', policies: LIFECYCLE_POLICIES, maxRetry: 'number', ttlAfterFinished: Duration,
      plugins: objectOf({
        svc: 'boolean', ssh: 'boolean', env: 'boolean',
        pytorch: objectOf({ master: 'string', worker: 'string', port: 'number' }), mpi: objectOf({ master: 'string', worker: 'string', port: 'number' }),
      }),
      placement: PLACEMENT, name: 'string',
    });
    this.jobName = props?.name ?? id;
    if (!this.checkTenantScope(scope, 'BatchJob')) return;
    checkJob(this.sink, this.jobName, props, scope.podSecurity, this.context.defaults.imageTagPolicy);
    const spark = sparkOptions ? this.sparkApp(scope, sparkOptions) : undefined;
    const placement = props.placement ?? Placement.all();
    const candidates = this.checkQueue(scope, props.queue, placement);
    this.checkQuota(scope, props, candidates, spark);
    if (!this.sink.hasErrors) this.render(scope, props, placement, candidates, spark);
  }

  /** The Spark application of a job made by {@link BatchJob.spark}, checked and resolved. */
  private sparkApp(tenant: Tenant, o: SparkJobOptions): SparkAppIntent {
    const { driver, executor } = checkSparkOptions(this.sink, o, tenant.defaultDenyNetwork);
    return {
      name: this.jobName,
      namespace: tenant.namespace,
      labels: jobLabels({ name: this.jobName, tenantLabels: tenant.labels }),
      queue: o.queue?.queueName,
      image: typeof o.image === 'string' ? withRegistry(o.image, this.context.defaults.imageRegistry) : o.image,
      sparkHome: o.sparkHome ?? '/opt/spark',
      mainClass: o.mainClass,
      jar: o.jar,
      args: o.args ?? [],
      conf: o.conf ?? {},
      executors: o.executors,
      driver,
      executor,
      podSecurity: tenant.podSecurity,
      defaults: { readOnlyRootFilesystem: this.context.defaults.readOnlyRootFilesystem, runAsUser: o.runAsUser ?? 185 },
      kubeApi: tenant.defaultDenyNetwork ? o.kubeApi : undefined,
    };
  }

  /**
   * Rule 8: every pod keeps its requests within its limits, declares what the tenant quota tracks where the job
   * may run, and the pods that must run together (the gang; for Spark the submitter, the driver and every
   * executor) fit in that quota.
   */
  private checkQuota(tenant: Tenant, props: BatchJobProps, candidates: readonly string[], spark?: SparkAppIntent): void {
    if (!Array.isArray(props.tasks) || props.tasks.some((t) => typeof t !== 'object' || t === null)) return;
    const defaults = this.context.defaults.resources;
    const { clusters, tracked } = quotasOf(tenant, candidates);
    const pods: PodUsage[] = spark
      ? [
        { prop: 'submitterResources', count: 1, usage: admittedUsage(renderedOwn(props.tasks[0].resources, defaults), defaults) },
        sparkUsage('driver', 1, spark.driver, defaults),
        ...(Number.isInteger(spark.executors) && spark.executors > 0 ? [sparkUsage('executor', spark.executors, spark.executor, defaults)] : []),
      ]
      : taskUsages(props.tasks, defaults, true);
    checkPodAdmission(this.sink, tracked, pods);
    const what = spark ? `the Spark application's pods (submitter, driver and ${spark.executors} executors)` : `the gang's ${pods.reduce((n, p) => n + p.count, 0)} pods`;
    if (tracked.length) checkQuotaFit(this.sink, spark ? 'executors' : 'tasks', what, pods, clusters);
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
  private render(tenant: Tenant, props: BatchJobProps, placement: Placement, candidates: string[], spark?: SparkAppIntent): void {
    const tasks: VolcanoTaskIntent[] = props.tasks.map((t) => ({ ...t, image: withRegistry(t.image, this.context.defaults.imageRegistry) }));
    const intent = {
      name: this.jobName,
      namespace: tenant.namespace,
      tenantLabels: tenant.labels,
      queue: props.queue.queueName,
      tasks: spark ? [this.submitter(tasks[0], spark)] : tasks,
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
      // What the submitter mounts and runs as exists before its pod.
      if (spark) this.placeSpark(s, spark, candidates);
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

  /** The spark-submit task: its command line, its ServiceAccount and the templates mounted. */
  private submitter(task: VolcanoTaskIntent, spark: SparkAppIntent): VolcanoTaskIntent {
    const names = sparkNames(spark.name);
    return { ...task, ...sparkSubmitCommand(spark), serviceAccountName: names.submitter, runAsUser: spark.defaults.runAsUser, podLabels: submitterLabels(), configMap: { name: names.config, mountPath: SPARK_CONF_DIR } };
  }

  /**
   * The application's ConfigMap, accounts, roles and egress go to every cluster the job may run on: Karmada
   * schedules each object on its own, and wherever the job lands they must be there.
   */
  private placeSpark(scope: Construct, spark: SparkAppIntent, candidates: readonly string[]): void {
    const objects = renderSparkSupport(scope, spark);
    this.sparkResources.push(...objects);
    this.context.deliveryEngine.place(scope, 'SparkPolicy', {
      name: `${this.jobName}-spark`,
      namespace: spark.namespace,
      labels: spark.labels,
      selectors: objects.map(selectorOf),
      clusters: [...candidates],
      duplicated: true,
    });
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
  /** The options describe a Spark application, rendered beside the submitter job. */
  readonly spark?: boolean;
}

const PYTORCH_SHAPES = {
  queue: 'unknown', image: 'string', workers: 'number', gpusPerReplica: 'number', command: listOf('string'), args: listOf('string'), resources: RESOURCES,
  placement: PLACEMENT, port: 'number',
} as const;

const SPARK_POD = objectOf({ cores: 'number', coresLimit: 'string', memory: 'string', memoryOverhead: 'string' });

const SPARK_SHAPES = {
  queue: 'unknown', image: 'string', executors: 'number', mainClass: 'string', jar: 'string', args: listOf('string'), conf: STRING_MAP,
  driver: SPARK_POD, executor: SPARK_POD, submitterResources: RESOURCES, kubeApi: objectOf({ cidrs: listOf('string'), port: 'number' }, ['cidrs', 'port']),
  sparkHome: 'string', runAsUser: 'number', placement: PLACEMENT,
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

/** The submitter task of a Spark application; the constructor renders the application itself from the options. */
function sparkJob(o: SparkJobOptions): BatchJobProps {
  return {
    queue: o.queue,
    placement: o.placement,
    // spark-submit lives as long as the application; run again, it would start a second application.
    tasks: [{ name: 'submit', replicas: 1, image: o.image, resources: o.submitterResources, restartPolicy: 'Never', policies: [{ events: [JobEvent.TASK_COMPLETED], action: JobAction.COMPLETE_JOB }] }],
    maxRetry: 1,
  };
}
