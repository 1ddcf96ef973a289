/** Volcano Job: gang-scheduled tasks with replicas and pod templates, lifecycle policies and plugins. */
import { ApiObject, Duration } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { ResolvedDefaults } from '../../core/context';
import { LABEL_NAME } from '../../core/labels';
import { PlainApiObject } from '../../core/l1';
import { containerSecurityContext, podSecurityContext, renderResources } from '../../core/pod';
import { BatchTask, JobPlugins, LifecyclePolicy } from '../../model/batch';
import { PodSecurityLevel } from '../../model/workload';

/** Volcano Job kind (built as plain JSON; see scripts/import-crds.sh). */
export const VOLCANO_JOB = { apiVersion: 'batch.volcano.sh/v1alpha1', kind: 'Job' } as const;

/** A task as the engine renders it: the task as declared, and what a helper adds to its pods. */
export interface VolcanoTaskIntent extends BatchTask {
  /** ServiceAccount the pods run as, with its token mounted (the Spark submitter calls the API server). */
  readonly serviceAccountName?: string;
  /** Further pod labels. */
  readonly podLabels?: Record<string, string>;
  /** A ConfigMap mounted read-only into the container. */
  readonly configMap?: { readonly name: string; readonly mountPath: string };
  /** The user the pods run as, when the image needs its own rather than the platform's. */
  readonly runAsUser?: number;
}

/** A batch job, resolved. */
export interface VolcanoJobIntent {
  /** Job name. */
  readonly name: string;
  /** The tenant namespace. */
  readonly namespace: string;
  /** The tenant's labels; the job name is added. */
  readonly tenantLabels: Record<string, string>;
  /** The Volcano queue. */
  readonly queue: string;
  /** The roles, each with replicas and a pod template. */
  readonly tasks: readonly VolcanoTaskIntent[];
  /** Gang size; the sum of the tasks' replicas when left out. */
  readonly minAvailable?: number;
  /** Job-level lifecycle policies. */
  readonly policies?: readonly LifecyclePolicy[];
  readonly plugins?: JobPlugins;
  readonly maxRetry: number;
  /** Time the finished job is kept; until deleted when left out. */
  readonly ttlAfterFinished?: Duration;
  /** The tenant's Pod Security level. */
  readonly podSecurity: PodSecurityLevel;
  /** Platform defaults the pod templates follow. */
  readonly defaults: Pick<ResolvedDefaults, 'resources' | 'runAsUser' | 'readOnlyRootFilesystem'>;
}

/** The labels of a job's objects. */
export function jobLabels(j: Pick<VolcanoJobIntent, 'name' | 'tenantLabels'>): Record<string, string> {
  return { ...j.tenantLabels, [LABEL_NAME]: j.name };
}

/** The Volcano Job object. */
export function renderVolcanoJob(scope: Construct, j: VolcanoJobIntent): ApiObject {
  const labels = jobLabels(j);
  const total = j.tasks.reduce((n, t) => n + t.replicas, 0);
  const plugins = pluginArgs(j.plugins ?? {});
  const spec = {
    schedulerName: 'volcano',
    queue: j.queue,
    minAvailable: j.minAvailable ?? total,
    maxRetry: j.maxRetry,
    ttlSecondsAfterFinished: j.ttlAfterFinished?.toSeconds(),
    policies: policyJson(j.policies),
    plugins: Object.keys(plugins).length ? plugins : undefined,
    tasks: j.tasks.map((t) => ({ name: t.name, replicas: t.replicas, minAvailable: t.minAvailable, policies: policyJson(t.policies), template: taskTemplate(j, labels, t) })),
  };
  return new PlainApiObject(scope, 'Resource', { ...VOLCANO_JOB, metadata: { name: j.name, namespace: j.namespace, labels }, spec } as any);
}

function policyJson(ps: readonly LifecyclePolicy[] | undefined) {
  return ps?.map((p) => ({
    events: p.events && p.events.length ? [...p.events] : undefined,
    exitCode: p.exitCode,
    action: p.action,
    timeout: p.timeout ? `${p.timeout.toSeconds()}s` : undefined,
  }));
}

/** Volcano job plugins and their arguments. */
function pluginArgs(pl: JobPlugins): Record<string, string[]> {
  const plugins: Record<string, string[]> = {};
  if (pl.svc) plugins.svc = [];
  if (pl.ssh) plugins.ssh = [];
  if (pl.env) plugins.env = [];
  if (pl.pytorch) plugins.pytorch = [`--master=${pl.pytorch.master ?? 'master'}`, `--worker=${pl.pytorch.worker ?? 'worker'}`, `--port=${pl.pytorch.port ?? 23456}`];
  if (pl.mpi) plugins.mpi = [`--master=${pl.mpi.master ?? 'master'}`, `--worker=${pl.mpi.worker ?? 'worker'}`, `--port=${pl.mpi.port ?? 22}`];
  return plugins;
}

/** A task's pod template: one container, GPUs added to both requests and limits. */
function taskTemplate(j: VolcanoJobIntent, labels: Record<string, string>, t: VolcanoTaskIntent) {
  const d = j.defaults;
  const base = renderResources(t.resources, d.resources);
  const gpu: Record<string, k8s.Quantity> = t.gpus ? { 'nvidia.com/gpu': k8s.Quantity.fromNumber(t.gpus) } : {};
  const resources: k8s.ResourceRequirements = t.gpus
    ? { limits: { ...(base.limits ?? {}), ...gpu }, requests: { ...(base.requests ?? {}), ...gpu } }
    : base;
  const tmp = d.readOnlyRootFilesystem ? [{ name: 'tmp', mountPath: '/tmp' }] : [];
  const cm = t.configMap ? [{ name: 'config', mountPath: t.configMap.mountPath, readOnly: true }] : [];
  const volumes = [
    ...(d.readOnlyRootFilesystem ? [{ name: 'tmp', emptyDir: {} }] : []),
    ...(t.configMap ? [{ name: 'config', configMap: { name: t.configMap.name } }] : []),
  ];
  return k8s.toJson_PodTemplateSpec({
    metadata: { labels: { ...labels, ...(t.podLabels ?? {}), 'fleetplane.io/task': t.name } },
    spec: {
      restartPolicy: t.restartPolicy ?? 'OnFailure',
      // Only pods that call the API server get a token.
      serviceAccountName: t.serviceAccountName,
      automountServiceAccountToken: t.serviceAccountName ? undefined : false,
      securityContext: podSecurityContext(j.podSecurity, t.runAsUser ?? d.runAsUser),
      containers: [{
        name: t.name,
        image: t.image,
        command: t.command,
        args: t.args,
        env: Object.keys(t.env ?? {}).length ? Object.entries(t.env!).map(([name, v]) => ({ name, ...v._source })) : undefined,
        resources,
        securityContext: containerSecurityContext(j.podSecurity, d.readOnlyRootFilesystem),
        volumeMounts: tmp.length + cm.length ? [...tmp, ...cm] : undefined,
      }],
      volumes: volumes.length ? volumes : undefined,
    },
  });
}
