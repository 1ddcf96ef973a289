import { PlatformConstruct } from './private/platform-construct';
import { ApiObject, Duration } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import * as policy from '../imports/policy.karmada.io';
import { createObject, PlainApiObject } from '../core/l1';
import { LABEL_NAME } from '../core/labels';
import { isDnsLabel, isEnvName } from '../core/names';
import { parseImage } from '../core/image';
import { Placement } from '../model/placement';
import { Distribution } from '../model/distribution';
import { checkPlacement, schedule, scopeToTenant } from '../engines/delivery/scheduling';
import { ResourceRequirements } from '../model/workload';
import { containerSecurityContext, podSecurityContext, renderResources } from '../core/pod';
import { BatchQueue } from './batch-queue';
import { DeliveryMode } from '../core/target';
import { platformOf } from '../core/context';
import { renderAffinity, renderClusterTolerations } from '../engines/delivery/placement';
import { Tenant } from './tenant';
import { BatchTask, LifecyclePolicy, JobPlugins, JobEvent, JobAction } from '../model/batch';

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

const POD_NAME_LIMIT = 63;
/** Volcano Job kind (built as plain JSON; see scripts/import-crds.sh). */
const VOLCANO_JOB = { apiVersion: 'batch.volcano.sh/v1alpha1', kind: 'Job' } as const;

/**
 * A Volcano Job: gang-scheduled tasks with replicas and pod templates, lifecycle policies, plugins and GPU
 * requests, in a tenant queue. Placed like any workload with Karmada (kept in one cluster), or in direct mode
 * into the one cluster its placement selects.
 */
export class BatchJob extends PlatformConstruct {
  /** A PyTorch-style job: one master and N workers with the pytorch, svc and env plugins. */
  public static pytorch(scope: Tenant, id: string, o: PyTorchJobOptions): BatchJob {
    const task = (name: string, replicas: number): BatchTask => ({
      name, replicas, image: o.image, command: o.command, args: o.args, resources: o.resources, gpus: o.gpusPerReplica,
    });
    return new BatchJob(scope, id, {
      queue: o.queue,
      placement: o.placement,
      tasks: [
        { ...task('master', 1), policies: [{ events: [JobEvent.TASK_COMPLETED], action: JobAction.COMPLETE_JOB }] },
        { ...task('worker', o.workers), policies: [{ events: [JobEvent.TASK_FAILED], action: JobAction.RESTART_JOB }] },
      ],
      plugins: { pytorch: { master: 'master', worker: 'worker', port: o.port ?? 23456 }, svc: true, env: true },
      policies: [{ events: [JobEvent.POD_EVICTED], action: JobAction.RESTART_JOB }],
    });
  }

  /** A Spark-style job: one driver and N executors gang-scheduled together. */
  public static spark(scope: Tenant, id: string, o: SparkJobOptions): BatchJob {
    return new BatchJob(scope, id, {
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
    });
  }

  /** Job name. */
  public readonly jobName: string;
  /** The Job object per target. */
  public readonly resources: ApiObject[] = [];

  constructor(scope: Tenant, id: string, props: BatchJobProps) {
    super(scope, id);
    this.jobName = props?.name ?? id;
    const sink = this.sink;
    if (!(scope instanceof Tenant)) {
      sink.error('FP-SCOPE', 'scope', id, 'a BatchJob must be created inside a Tenant.', 'pass the tenant as the scope.');
      return;
    }
    this.sink.guard(() => {
      this.check(scope, props);
      if (!sink.hasErrors) this.render(scope, props);
    });
  }

  /** @internal */

  private check(tenant: Tenant, props: BatchJobProps): void {
    const sink = this.sink;
    if (!isDnsLabel(this.jobName)) sink.error('K1', 'name', this.jobName, 'a job name must be a DNS-1123 label.', 'use e.g. "resnet".');
    const tasks = props.tasks ?? [];
    if (tasks.length === 0) sink.error('K47', 'tasks', tasks, 'a job needs at least one task.', 'add a task.');
    const names = new Set<string>();
    let total = 0;
    tasks.forEach((t, i) => {
      const at = `tasks[${i}]`;
      if (!isDnsLabel(t?.name)) sink.error('K47', `${at}.name`, t?.name, 'a task name must be a DNS-1123 label.', 'use e.g. "worker".');
      if (names.has(t?.name)) sink.error('K47', `${at}.name`, t.name, 'task names must be unique.', 'rename the task.');
      names.add(t?.name);
      if (!Number.isInteger(t?.replicas) || t.replicas < 0) sink.error('K47', `${at}.replicas`, t?.replicas, 'replicas must be a whole number ≥ 0.', 'use e.g. 2.');
      total += Number.isInteger(t?.replicas) && t.replicas > 0 ? t.replicas : 0;
      const podName = `${this.jobName}-${t?.name}-${Math.max(0, (t?.replicas ?? 1) - 1)}`;
      if (podName.length > POD_NAME_LIMIT) sink.error('K47', `${at}.name`, podName, `pod names <job>-<task>-<index> must be at most ${POD_NAME_LIMIT} characters.`, 'shorten the job or task name.');
      if (t?.minAvailable !== undefined && (!Number.isInteger(t.minAvailable) || t.minAvailable < 0 || t.minAvailable > t.replicas)) sink.error('K47', `${at}.minAvailable`, t.minAvailable, `a task's minAvailable must be between 0 and its replicas (${t.replicas}).`, 'lower minAvailable.');
      if (typeof t?.image !== 'string' || !parseImage(t.image)) sink.error('FP-IMAGE', `${at}.image`, t?.image, 'not a valid image reference.', 'use "registry.example.com/team/trainer:1.0".');
      if (t?.gpus !== undefined && (!Number.isInteger(t.gpus) || t.gpus < 0)) sink.error('K47', `${at}.gpus`, t.gpus, 'GPUs are a whole number ≥ 0.', 'use e.g. 1.');
      for (const n of Object.keys(t?.env ?? {})) if (!isEnvName(n)) sink.error('FP-ENV', `${at}.env['${n}']`, n, 'invalid variable name.', 'use letters, digits and "_".');
      this.checkPolicies(`${at}.policies`, t?.policies);
    });
    this.checkPolicies('policies', props.policies);
    const min = props.minAvailable ?? total;
    const replicasValid = tasks.every((t) => Number.isInteger(t?.replicas) && t.replicas >= 0);
    if (replicasValid && (!Number.isInteger(min) || min < 0 || min > total)) sink.error('K47', 'minAvailable', props.minAvailable, `minAvailable must be between 0 and the sum of task replicas (${total}); a larger gang can never start.`, `use at most ${total}.`);
    const py = props.plugins?.pytorch;
    if (py) {
      for (const role of [py.master ?? 'master', py.worker ?? 'worker']) {
        if (!names.has(role)) sink.error('K47', 'plugins.pytorch', role, `the pytorch plugin needs a task named "${role}".`, 'add the task or configure the plugin\'s task names.');
      }
      if (py.port !== undefined && (!Number.isInteger(py.port) || py.port < 1 || py.port > 65535)) sink.error('K47', 'plugins.pytorch.port', py.port, 'a port is 1-65535.', 'use e.g. 23456.');
    }
    if (props.maxRetry !== undefined && (!Number.isInteger(props.maxRetry) || props.maxRetry < 0)) sink.error('K47', 'maxRetry', props.maxRetry, 'maxRetry is a whole number ≥ 0.', 'use e.g. 3.');

    // The queue (rules 47, 48): a leaf queue of this tenant that exists where the job can run.
    const q = props.queue;
    if (!(q instanceof BatchQueue)) {
      sink.error('K47', 'queue', q, 'a job needs a BatchQueue.', 'create a BatchQueue in the tenant and pass it.');
      return;
    }
    if (!q.isLeaf) sink.error('K47', 'queue', q.queueName, 'jobs may only be submitted to leaf queues, and this queue has children.', 'submit to one of its child queues.');
    if (platformOf(q) !== this.context) sink.error('K47', 'queue', q.queueName, 'the queue belongs to another platform.', 'use a queue of this platform.');
    const placement = props.placement ?? Placement.all();
    const fleet = this.context.fleet;
    checkPlacement(sink, fleet, tenant.clusterNames, placement, Distribution.duplicated());
    const result = schedule(sink, fleet, tenant.clusterNames, placement, Distribution.duplicated(), undefined, false);
    const missing = result.candidates.filter((c) => !q.tenant.clusterNames.includes(c.name)).map((c) => c.name);
    if (missing.length) sink.error('K47', 'queue', q.queueName, `the queue does not exist on ${missing.join(', ')}, where the job may run.`, 'use a queue of a tenant that covers those clusters, or narrow the placement.');
    if (this.context.delivery === DeliveryMode.DIRECT && result.candidates.length > 1) {
      sink.error('FP-DIRECT', 'placement', result.candidates.map((c) => c.name), 'a gang-scheduled job runs in one cluster; in direct delivery fleetplane cannot pick it at run time.', 'select exactly one cluster, e.g. Placement.clusters("gpu-1").');
    }
    this.candidates = result.candidates.map((c) => c.name);
    this.placementUsed = placement;
  }

  private candidates: string[] = [];
  private placementUsed?: Placement;

  private checkPolicies(prop: string, policies: readonly LifecyclePolicy[] | undefined): void {
    const sink = this.sink;
    const seen = new Set<string>();
    (policies ?? []).forEach((p, i) => {
      const at = `${prop}[${i}]`;
      const events = p?.events ?? [];
      if (events.length > 0 && p.exitCode !== undefined) sink.error('K47', at, p, 'a policy reacts to events or to an exit code, not both.', 'split it into two policies.');
      if (events.length === 0 && p?.exitCode === undefined) sink.error('K47', at, p, 'a policy needs events or an exit code.', 'give events or exitCode.');
      if (p?.exitCode === 0) sink.error('K47', `${at}.exitCode`, 0, 'exit code 0 means success and cannot trigger a policy.', 'use a non-zero exit code.');
      if (events.includes(JobEvent.ANY) && events.length > 1) sink.error('K47', `${at}.events`, events, '"*" must stand alone.', 'use [JobEvent.ANY] alone.');
      for (const e of events) {
        if (!Object.values(JobEvent).includes(e)) sink.error('K47', `${at}.events`, e, 'unknown event.', 'use a JobEvent.');
        if (seen.has(e)) sink.error('K47', `${at}.events`, e, 'the same event appears in two policies.', 'keep one policy per event.');
        seen.add(e);
      }
      if (!Object.values(JobAction).includes(p?.action)) sink.error('K47', `${at}.action`, p?.action, 'unknown action.', 'use a JobAction.');
    });
  }

  private render(tenant: Tenant, props: BatchJobProps): void {
    const d = this.context.defaults;
    const labels = { ...tenant.labels, [LABEL_NAME]: this.jobName };
    const policyJson = (ps: readonly LifecyclePolicy[] | undefined) =>
      ps?.map((p) => ({
        events: p.events && p.events.length ? [...p.events] : undefined,
        exitCode: p.exitCode,
        action: p.action,
        timeout: p.timeout ? `${p.timeout.toSeconds()}s` : undefined,
      }));
    const plugins: Record<string, string[]> = {};
    const pl = props.plugins ?? {};
    if (pl.svc) plugins.svc = [];
    if (pl.ssh) plugins.ssh = [];
    if (pl.env) plugins.env = [];
    if (pl.pytorch) plugins.pytorch = [`--master=${pl.pytorch.master ?? 'master'}`, `--worker=${pl.pytorch.worker ?? 'worker'}`, `--port=${pl.pytorch.port ?? 23456}`];
    const tasks = props.tasks.map((t) => {
      const base = renderResources(t.resources, d.resources);
      const gpu: Record<string, k8s.Quantity> = t.gpus ? { 'nvidia.com/gpu': k8s.Quantity.fromNumber(t.gpus) } : {};
      const resources: k8s.ResourceRequirements = t.gpus
        ? { limits: { ...(base.limits ?? {}), ...gpu }, requests: { ...(base.requests ?? {}), ...gpu } }
        : base;
      const template = k8s.toJson_PodTemplateSpec({
        metadata: { labels: { ...labels, 'fleetplane.io/task': t.name } },
        spec: {
          restartPolicy: t.restartPolicy ?? 'OnFailure',
          automountServiceAccountToken: false,
          securityContext: podSecurityContext(tenant.podSecurity, d.runAsUser),
          containers: [{
            name: t.name,
            image: t.image,
            command: t.command,
            args: t.args,
            env: Object.keys(t.env ?? {}).length ? Object.entries(t.env!).map(([name, v]) => ({ name, ...v._source })) : undefined,
            resources,
            securityContext: containerSecurityContext(tenant.podSecurity, d.readOnlyRootFilesystem),
            volumeMounts: d.readOnlyRootFilesystem ? [{ name: 'tmp', mountPath: '/tmp' }] : undefined,
          }],
          volumes: d.readOnlyRootFilesystem ? [{ name: 'tmp', emptyDir: {} }] : undefined,
        },
      });
      return { name: t.name, replicas: t.replicas, minAvailable: t.minAvailable, policies: policyJson(t.policies), template };
    });
    const total = props.tasks.reduce((n, t) => n + t.replicas, 0);
    const spec = {
      schedulerName: 'volcano',
      queue: props.queue.queueName,
      minAvailable: props.minAvailable ?? total,
      maxRetry: props.maxRetry ?? 3,
      ttlSecondsAfterFinished: props.ttlAfterFinished?.toSeconds(),
      policies: policyJson(props.policies),
      plugins: Object.keys(plugins).length ? plugins : undefined,
      tasks,
    };
    const karmada = this.context.delivery === DeliveryMode.KARMADA;
    const targets = karmada ? [this.context.controlPlane!] : this.candidates.map((c) => this.context.memberTarget(c)!).filter(Boolean);
    for (const target of targets) {
      const s = target._scopeFor(this, this.context);
      this.resources.push(new PlainApiObject(s, 'Resource', { ...VOLCANO_JOB, metadata: { name: this.jobName, namespace: tenant.namespace, labels }, spec } as any));
      if (karmada) {
        const placement = this.placementUsed ?? Placement.all();
        createObject(s, 'PropagationPolicy', policy.PropagationPolicy.GVK, policy.toJson_PropagationPolicyProps, {
          metadata: { name: this.jobName, namespace: tenant.namespace, labels },
          spec: {
            resourceSelectors: [{ ...VOLCANO_JOB, name: this.jobName }],
            placement: {
              clusterAffinity: placement.groups ? undefined : renderAffinity(scopeToTenant(placement.selector ?? {}, this.context.fleet, tenant.clusterNames)) as any,
              clusterAffinities: placement.groups?.map((g) => ({ affinityName: g.name, ...renderAffinity(scopeToTenant(g.clusters, this.context.fleet, tenant.clusterNames)) })) as any,
              clusterTolerations: renderClusterTolerations(placement) as any,
              // The whole gang goes to one cluster: Karmada picks the best-scored candidate.
              spreadConstraints: [{ spreadByField: 'cluster' as any, minGroups: 1, maxGroups: 1 }],
              replicaScheduling: { replicaSchedulingType: policy.PropagationPolicySpecPlacementReplicaSchedulingReplicaSchedulingType.DUPLICATED },
            },
          },
        });
      }
    }
  }
}

