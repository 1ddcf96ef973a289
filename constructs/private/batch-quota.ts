/** What the pods of a batch job use, for the tenant quota checks (rule 8). */
import { sparkPodMemory, SparkPod } from '../../engines/batch/spark';
import { BatchTask } from '../../model/batch';
import { ResourceRequirements } from '../../model/workload';
import { admittedUsage, PodUsage, renderedOwn } from './quota-checks';

/**
 * The pods of each task; with `gang`, only those Volcano needs together: the task's minAvailable, which Volcano's
 * webhook defaults to all of its replicas.
 */
export function taskUsages(tasks: readonly BatchTask[], defaults: ResourceRequirements, gang: boolean): PodUsage[] {
  return tasks.flatMap((t, i) => {
    const count = gang ? t.minAvailable ?? t.replicas : t.replicas;
    if (!(count > 0)) return [];
    const gpus: Record<string, number> = t.gpus ? { 'nvidia.com/gpu': t.gpus } : {};
    return [{ prop: `tasks[${i}].resources`, count, usage: admittedUsage(renderedOwn(t.resources, defaults), defaults, gpus) }];
  });
}

/**
 * A Spark driver or its executors: Spark requests the cores and sets the memory request and limit to heap +
 * overhead; the CPU limit is the declared one or the LimitRange default.
 */
export function sparkUsage(prop: string, count: number, p: SparkPod, defaults: ResourceRequirements): PodUsage {
  const memory = `${sparkPodMemory(p)}`;
  const own: ResourceRequirements = { cpu: { request: String(p.cores), limit: p.coresLimit }, memory: { request: memory, limit: memory } };
  return { prop, count, usage: admittedUsage(own, defaults) };
}
