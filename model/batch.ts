import { Duration } from 'cdk8s';
import { EnvValue, ResourceRequirements } from './workload';

/** Events a lifecycle policy reacts to. */
export enum JobEvent {
  ANY = '*',
  POD_FAILED = 'PodFailed',
  POD_EVICTED = 'PodEvicted',
  POD_PENDING = 'PodPending',
  UNKNOWN = 'Unknown',
  TASK_COMPLETED = 'TaskCompleted',
  TASK_FAILED = 'TaskFailed',
  JOB_UPDATED = 'JobUpdated',
}

/** What a lifecycle policy does. */
export enum JobAction {
  ABORT_JOB = 'AbortJob',
  RESTART_JOB = 'RestartJob',
  RESTART_TASK = 'RestartTask',
  RESTART_POD = 'RestartPod',
  RESTART_PARTITION = 'RestartPartition',
  TERMINATE_JOB = 'TerminateJob',
  COMPLETE_JOB = 'CompleteJob',
  RESUME_JOB = 'ResumeJob',
}

/** A reaction to events or to an exit code. Give `events` or `exitCode`, not both. */
export interface LifecyclePolicy {
  /**
   * Events.
   * @default - none (use exitCode)
   */
  readonly events?: JobEvent[];
  /**
   * A container exit code (not 0).
   * @default - none (use events)
   */
  readonly exitCode?: number;
  /** The action. */
  readonly action: JobAction;
  /**
   * Delay before the action.
   * @default - immediately
   */
  readonly timeout?: Duration;
}

/** One role of a batch job. */
export interface BatchTask {
  /** Task name (DNS-1123 label, unique in the job). */
  readonly name: string;
  /** Pod count. */
  readonly replicas: number;
  /** Image. */
  readonly image: string;
  /** @default - the image's */
  readonly command?: string[];
  /** @default - the image's */
  readonly args?: string[];
  /** @default - none */
  readonly env?: Record<string, EnvValue>;
  /** @default - the platform default */
  readonly resources?: ResourceRequirements;
  /**
   * GPUs per pod (`nvidia.com/gpu` request and limit).
   * @default 0
   */
  readonly gpus?: number;
  /**
   * Gang size of this task.
   * @default - all replicas
   */
  readonly minAvailable?: number;
  /** @default - none */
  readonly policies?: LifecyclePolicy[];
  /**
   * Pod restart policy.
   * @default 'OnFailure'
   */
  readonly restartPolicy?: 'OnFailure' | 'Never';
}

/** Volcano job plugins. */
export interface JobPlugins {
  /** Headless Service and host files so pods find each other. @default false */
  readonly svc?: boolean;
  /** SSH keys between pods (MPI). @default false */
  readonly ssh?: boolean;
  /** `VC_TASK_INDEX` environment. @default false */
  readonly env?: boolean;
  /**
   * PyTorch distributed: Volcano sets MASTER_ADDR (`<job>-<master>-0.<job>`, resolvable through the svc plugin's
   * headless Service), MASTER_PORT, WORLD_SIZE (master and worker replicas) and RANK (0 for the master, index + 1
   * for workers) in every container of those tasks, and opens the port. Needs `svc`, and exactly one master.
   * @default - off
   */
  readonly pytorch?: { readonly master?: string; readonly worker?: string; readonly port?: number };
  /**
   * MPI: Volcano sets MPI_HOST (the workers' host names, comma-separated) in the master's containers and opens the
   * sshd port in every container. Needs `ssh` (keys) and `svc` (host names); the image runs sshd on `port`.
   * @default - off
   */
  readonly mpi?: { readonly master?: string; readonly worker?: string; readonly port?: number };
}

/** Resources of a Spark driver or executor pod, in Spark's own terms. */
export interface SparkPodResources {
  /**
   * CPU cores (`spark.driver.cores`, `spark.executor.cores`): the pod's CPU request. A whole number.
   * @default 1
   */
  readonly cores?: number;
  /**
   * CPU limit of the pod, a quantity (`spark.kubernetes.driver.limit.cores`).
   * @default - none set by Spark: the tenant LimitRange's default (platform defaults.resources.cpu.limit)
   */
  readonly coresLimit?: string;
  /**
   * JVM heap (`spark.driver.memory`, `spark.executor.memory`), a Kubernetes quantity.
   * @default '1Gi'
   */
  readonly memory?: string;
  /**
   * Memory beyond the heap (`spark.driver.memoryOverhead`); the pod requests, and is limited to, heap + overhead.
   * @default - Spark's default: max(384Mi, 10 % of memory)
   */
  readonly memoryOverhead?: string;
}

/**
 * Where pods reach the Kubernetes API server. `kubernetes.default.svc` is a Service address that is translated to
 * the API server's own endpoints before NetworkPolicies apply, so egress is opened to those endpoints
 * (`kubectl get endpointslices -l kubernetes.io/service-name=kubernetes`), on their port.
 */
export interface KubeApiEgress {
  /** Endpoint addresses of the API server: IPv4 addresses or CIDRs. */
  readonly cidrs: string[];
  /** Their port: 6443 on kubeadm clusters, 443 on most managed ones. */
  readonly port: number;
}
