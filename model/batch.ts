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
  /** PyTorch distributed: MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK. @default - off */
  readonly pytorch?: { readonly master?: string; readonly worker?: string; readonly port?: number };
}
