/** Checks of batch jobs and queues (rules 47, 48), per concern. */
import { isDnsLabel } from '../../core/names';
import { ImageTagPolicy } from '../../model/platform';
import { checkImage } from './image-checks';
import { checkEnv } from './app-checks';
import { ProblemSink } from '../../core/problems';
import { isQuantity, parseQuantity } from '../../core/quantity';
import { BatchTask, JobAction, JobEvent, JobPlugins, LifecyclePolicy } from '../../model/batch';
import { PodSecurityLevel } from '../../model/workload';

const POD_NAME_LIMIT = 63;

/** The job as a whole: name, tasks, lifecycle policies, gang size, plugins and retries. */
export function checkJob(sink: ProblemSink, jobName: string, props: { tasks?: BatchTask[]; policies?: LifecyclePolicy[]; minAvailable?: number; plugins?: JobPlugins; maxRetry?: number }, podSecurity: PodSecurityLevel, policy: ImageTagPolicy): void {
  if (!isDnsLabel(jobName)) sink.error('K1', 'name', jobName, 'a job name must be a DNS-1123 label.', 'use e.g. "resnet".');
  const tasks = props.tasks ?? [];
  checkTasks(sink, jobName, tasks, policy);
  checkPolicies(sink, 'policies', props.policies);
  checkGangSize(sink, tasks, props.minAvailable);
  checkPlugins(sink, tasks, props.plugins, podSecurity);
  if (props.maxRetry !== undefined && (!Number.isInteger(props.maxRetry) || props.maxRetry < 0)) sink.error('K47', 'maxRetry', props.maxRetry, 'maxRetry is a whole number ≥ 0.', 'use e.g. 3.');
}

/** Each task: a unique name, pod names within limits, replicas, image, GPUs, env and policies; returns the names. */
function checkTasks(sink: ProblemSink, jobName: string, tasks: readonly BatchTask[], policy: ImageTagPolicy): Set<string> {
  if (tasks.length === 0) sink.error('K47', 'tasks', tasks, 'a job needs at least one task.', 'add a task.');
  const names = new Set<string>();
  tasks.forEach((t, i) => {
    const at = `tasks[${i}]`;
    if (!isDnsLabel(t?.name)) sink.error('K47', `${at}.name`, t?.name, 'a task name must be a DNS-1123 label.', 'use e.g. "worker".');
    if (names.has(t?.name)) sink.error('K47', `${at}.name`, t.name, 'task names must be unique.', 'rename the task.');
    names.add(t?.name);
    if (!Number.isInteger(t?.replicas) || t.replicas < 0) sink.error('K47', `${at}.replicas`, t?.replicas, 'replicas must be a whole number ≥ 0.', 'use e.g. 2.');
    const podName = `${jobName}-${t?.name}-${Math.max(0, (t?.replicas ?? 1) - 1)}`;
    if (podName.length > POD_NAME_LIMIT) sink.error('K47', `${at}.name`, podName, `pod names <job>-<task>-<index> must be at most ${POD_NAME_LIMIT} characters.`, 'shorten the job or task name.');
    if (t?.minAvailable !== undefined && (!Number.isInteger(t.minAvailable) || t.minAvailable < 0 || t.minAvailable > t.replicas)) sink.error('K47', `${at}.minAvailable`, t.minAvailable, `a task's minAvailable must be between 0 and its replicas (${t.replicas}).`, 'lower minAvailable.');
    checkImage(sink, `${at}.image`, t?.image, policy, 'registry.example.com/team/trainer:1.0');
    if (t?.gpus !== undefined && (!Number.isInteger(t.gpus) || t.gpus < 0)) sink.error('K47', `${at}.gpus`, t.gpus, 'GPUs are a whole number ≥ 0.', 'use e.g. 1.');
    checkEnv(sink, t?.env ?? {}, `${at}.env`);
    checkPolicies(sink, `${at}.policies`, t?.policies);
  });
  return names;
}

/** Lifecycle policies: events or an exit code, each event in one policy, known events and actions. */
function checkPolicies(sink: ProblemSink, prop: string, policies: readonly LifecyclePolicy[] | undefined): void {
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

/** The gang fits in the tasks' replicas: a larger gang can never start. */
function checkGangSize(sink: ProblemSink, tasks: readonly BatchTask[], minAvailable: number | undefined): void {
  const total = tasks.reduce((n, t) => n + (Number.isInteger(t?.replicas) && t.replicas > 0 ? t.replicas : 0), 0);
  const min = minAvailable ?? total;
  const replicasValid = tasks.every((t) => Number.isInteger(t?.replicas) && t.replicas >= 0);
  if (replicasValid && tasks.length > 0 && total === 0) sink.error('K47', 'tasks', tasks.map((t) => `${t?.name}: 0`), 'no task has a replica, so the job would never run a pod.', 'give at least one task one replica or more.');
  if (replicasValid && (!Number.isInteger(min) || min < 0 || min > total)) sink.error('K47', 'minAvailable', minAvailable, `minAvailable must be between 0 and the sum of task replicas (${total}); a larger gang can never start.`, `use at most ${total}.`);
}

/** Variables a plugin sets in the containers of its tasks (Volcano pkg/controllers/job/plugins). */
const PLUGIN_ENV = {
  pytorch: { master: ['MASTER_ADDR', 'MASTER_PORT', 'WORLD_SIZE', 'RANK'], worker: ['MASTER_ADDR', 'MASTER_PORT', 'WORLD_SIZE', 'RANK'] },
  mpi: { master: ['MPI_HOST'], worker: [] as string[] },
};

/**
 * The framework plugins as Volcano implements them: their tasks exist, the plugins they build on are on, the
 * variables they inject are not also set by hand (Kubernetes keeps the last of two, the plugin's), and ports.
 */
function checkPlugins(sink: ProblemSink, tasks: readonly BatchTask[], plugins: JobPlugins | undefined, podSecurity: PodSecurityLevel): void {
  const byName = new Map(tasks.map((t, i) => [t?.name, { t, i }]));
  for (const kind of ['pytorch', 'mpi'] as const) {
    const p = plugins?.[kind];
    if (!p) continue;
    const at = `plugins.${kind}`;
    const roles = { master: p.master ?? 'master', worker: p.worker ?? 'worker' };
    for (const role of Object.values(roles)) {
      if (!byName.has(role)) sink.error('K47', at, role, `the ${kind} plugin needs a task named "${role}".`, 'add the task or configure the plugin\'s task names.');
    }
    if (p.port !== undefined && (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535)) sink.error('K47', `${at}.port`, p.port, 'a port is 1-65535.', `use e.g. ${kind === 'pytorch' ? 23456 : 2222}.`);
    // Both plugins address pods as <job>-<task>-<index>.<job>, a name only the svc plugin's headless Service resolves.
    if (!plugins?.svc) sink.error('K47', 'plugins.svc', plugins?.svc, `the ${kind} plugin addresses pods by the host names of the svc plugin's headless Service.`, 'set plugins.svc: true.');
    for (const [role, name] of Object.entries(roles) as Array<['master' | 'worker', string]>) {
      const task = byName.get(name);
      for (const v of PLUGIN_ENV[kind][role]) {
        if (task && task.t.env?.[v] !== undefined) sink.error('K47', `tasks[${task.i}].env['${v}']`, v, `the ${kind} plugin sets ${v} in this task; a value set here would be silently replaced.`, `drop ${v}; the plugin sets it.`);
      }
    }
    const master = byName.get(roles.master)?.t;
    if (kind === 'pytorch' && master && master.replicas !== 1) sink.error('K47', `tasks[${byName.get(roles.master)!.i}].replicas`, master.replicas, 'the pytorch plugin gives every master pod RANK 0 and points MASTER_ADDR at the first; a distributed run has exactly one master.', 'use one master replica.');
    if (kind === 'mpi') checkMpi(sink, plugins, p.port ?? 22, podSecurity);
  }
  if (plugins?.env) {
    tasks.forEach((t, i) => {
      for (const v of ['VC_TASK_INDEX', 'VK_TASK_INDEX']) if (t?.env?.[v] !== undefined) sink.error('K47', `tasks[${i}].env['${v}']`, v, `the env plugin sets ${v}; a value set here would be silently replaced.`, `drop ${v}.`);
    });
  }
}

/** MPI needs the ssh plugin's keys, and an sshd port the pods can bind. */
function checkMpi(sink: ProblemSink, plugins: JobPlugins, port: number, podSecurity: PodSecurityLevel): void {
  if (!plugins.ssh) sink.error('K47', 'plugins.ssh', plugins.ssh, 'mpirun starts the workers over ssh with the keys the ssh plugin creates.', 'set plugins.ssh: true.');
  if (podSecurity !== PodSecurityLevel.PRIVILEGED && port < 1024) {
    sink.error('K47', 'plugins.mpi.port', port, `sshd cannot listen on port ${port} in a ${podSecurity} namespace: its containers drop every capability, NET_BIND_SERVICE included, and run as non-root.`, 'run sshd on a port ≥ 1024 and set plugins.mpi.port to it (e.g. 2222).');
  }
}

/** A queue's own props: name, weight, quantities, and guarantee ≤ deserved ≤ capability. */
export function checkQueue(
  sink: ProblemSink,
  queueName: string,
  weight: number,
  props: { capability?: Record<string, string>; deserved?: Record<string, string>; guarantee?: Record<string, string> },
): void {
  if (!isDnsLabel(queueName)) sink.error('K1', 'name', queueName, 'a queue name must be a DNS-1123 label.', 'use e.g. "ml-training".');
  if (['default', 'root'].includes(queueName)) sink.error('K48', 'name', queueName, 'the default and root queues belong to Volcano.', 'choose another name.');
  if (!Number.isInteger(weight) || weight < 1 || weight > 65535) sink.error('K48', 'weight', weight, 'a queue weight is a whole number from 1 to 65535.', 'use e.g. 4.');
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
}
