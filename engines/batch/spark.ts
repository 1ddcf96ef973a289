/**
 * A Spark application on Kubernetes with Volcano as its scheduler (Spark ≥ 3.3 built with `-Pvolcano`, "Using
 * Volcano as Customized Scheduler for Spark on Kubernetes"): spark-submit runs in cluster mode in a submitter pod
 * (a one-task Volcano Job), creates the driver, which creates the executors. Spark's VolcanoFeatureStep puts the
 * driver and executors into one PodGroup made from a template: the tenant queue, and minResources reserving the
 * whole application so the queue admits it only when the driver and every executor fit.
 *
 * Beside the Job go a ConfigMap with the PodGroup and pod templates (the pod templates make Spark's pods pass the
 * tenant's Pod Security level), the ServiceAccounts and Roles of the submitter and the driver, and, in a
 * default-deny tenant, the egress of the submitter and driver to the API server.
 */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import * as jsyaml from 'js-yaml';
import { ResolvedDefaults } from '../../core/context';
import { createObject } from '../../core/l1';
import { containerSecurityContext, podSecurityContext } from '../../core/pod';
import { KubeApiEgress } from '../../model/batch';
import { PodSecurityLevel } from '../../model/workload';

/** Where the submitter finds the templates. */
export const SPARK_CONF_DIR = '/etc/fleetplane/spark';
/** The in-cluster API server, as spark-submit addresses it. */
export const SPARK_MASTER = 'k8s://https://kubernetes.default.svc:443';
/** Spark's Volcano feature step (in Spark builds with the volcano profile). */
export const VOLCANO_FEATURE_STEP = 'org.apache.spark.deploy.k8s.features.VolcanoFeatureStep';
/** The label of the pods that call the API server (the submitter and the driver). */
export const LABEL_KUBE_API = 'fleetplane.io/kube-api';
const LABEL_SPARK_ROLE = 'fleetplane.io/spark-role';
const MIB = 2 ** 20;

/** A driver or executor pod, resolved: whole cores, heap and overhead in MiB. */
export interface SparkPod {
  readonly cores: number;
  readonly coresLimit?: string;
  readonly memoryMiB: number;
  readonly overheadMiB: number;
}

/** A Spark application, resolved. */
export interface SparkAppIntent {
  /** The job name: the Spark application name and the prefix of every object. */
  readonly name: string;
  readonly namespace: string;
  /** The job's labels. */
  readonly labels: Record<string, string>;
  readonly queue: string;
  /** The Spark image, with the platform registry applied. */
  readonly image: string;
  /** Spark's home in the image. */
  readonly sparkHome: string;
  readonly mainClass: string;
  readonly jar: string;
  readonly args: readonly string[];
  /** The user's further configuration. */
  readonly conf: Readonly<Record<string, string>>;
  readonly executors: number;
  readonly driver: SparkPod;
  readonly executor: SparkPod;
  readonly podSecurity: PodSecurityLevel;
  readonly defaults: Pick<ResolvedDefaults, 'runAsUser' | 'readOnlyRootFilesystem'>;
  /** Egress to the API server, rendered when the tenant is default-deny. */
  readonly kubeApi?: KubeApiEgress;
}

/** The pod of a driver or an executor: heap, cores and overhead as Spark derives them when left out. */
export function resolveSparkPod(r: { cores?: number; coresLimit?: string; memory?: number; memoryOverhead?: number } = {}): SparkPod {
  const memoryMiB = Math.ceil((r.memory ?? 2 ** 30) / MIB);
  // Spark's default overhead: 10 % of the heap, at least 384 MiB (MEMORY_OVERHEAD_MIN_MIB).
  const overheadMiB = r.memoryOverhead !== undefined ? Math.ceil(r.memoryOverhead / MIB) : Math.max(384, Math.floor(memoryMiB * 0.1));
  return { cores: r.cores ?? 1, coresLimit: r.coresLimit, memoryMiB, overheadMiB };
}

/** Memory of a driver or executor pod (request and limit): heap + overhead, in bytes. */
export function sparkPodMemory(p: SparkPod): number {
  return (p.memoryMiB + p.overheadMiB) * MIB;
}

/** Object names of an application. */
export function sparkNames(job: string) {
  return { config: `${job}-spark`, submitter: `${job}-spark-submit`, driver: `${job}-spark-driver`, executor: `${job}-spark-executor`, kubeApi: `${job}-kube-api` };
}

/** Configuration keys fleetplane sets, in the order it sets them (users may not set them again). */
export const SPARK_MANAGED_CONF = [
  'spark.kubernetes.namespace', 'spark.kubernetes.container.image', 'spark.kubernetes.authenticate.driver.serviceAccountName',
  'spark.kubernetes.authenticate.executor.serviceAccountName', 'spark.kubernetes.scheduler.name', 'spark.kubernetes.scheduler.volcano.podGroupTemplateFile',
  'spark.kubernetes.driver.pod.featureSteps', 'spark.kubernetes.executor.pod.featureSteps', 'spark.kubernetes.driver.podTemplateFile',
  'spark.kubernetes.executor.podTemplateFile', 'spark.kubernetes.driver.podTemplateContainerName', 'spark.kubernetes.executor.podTemplateContainerName',
  'spark.kubernetes.submission.waitAppCompletion', 'spark.executor.instances', 'spark.driver.cores', 'spark.driver.memory', 'spark.driver.memoryOverhead',
  'spark.kubernetes.driver.limit.cores', 'spark.executor.cores', 'spark.executor.memory', 'spark.executor.memoryOverhead', 'spark.kubernetes.executor.limit.cores',
] as const;

/** The configuration spark-submit gets, in a fixed order: fleetplane's keys, then the user's sorted by key. */
export function sparkConf(a: SparkAppIntent): Array<[string, string]> {
  const n = sparkNames(a.name);
  const pod = (role: 'driver' | 'executor', p: SparkPod): Array<[string, string | undefined]> => [
    [`spark.${role}.cores`, String(p.cores)],
    [`spark.${role}.memory`, `${p.memoryMiB}m`],
    [`spark.${role}.memoryOverhead`, `${p.overheadMiB}m`],
    [`spark.kubernetes.${role}.limit.cores`, p.coresLimit],
  ];
  const own: Array<[string, string | undefined]> = [
    ['spark.kubernetes.namespace', a.namespace],
    ['spark.kubernetes.container.image', a.image],
    ['spark.kubernetes.authenticate.driver.serviceAccountName', n.driver],
    ['spark.kubernetes.authenticate.executor.serviceAccountName', n.executor],
    ['spark.kubernetes.scheduler.name', 'volcano'],
    ['spark.kubernetes.scheduler.volcano.podGroupTemplateFile', `${SPARK_CONF_DIR}/podgroup.yaml`],
    ['spark.kubernetes.driver.pod.featureSteps', VOLCANO_FEATURE_STEP],
    ['spark.kubernetes.executor.pod.featureSteps', VOLCANO_FEATURE_STEP],
    ['spark.kubernetes.driver.podTemplateFile', `${SPARK_CONF_DIR}/driver-pod.yaml`],
    ['spark.kubernetes.executor.podTemplateFile', `${SPARK_CONF_DIR}/executor-pod.yaml`],
    ['spark.kubernetes.driver.podTemplateContainerName', 'spark-kubernetes-driver'],
    ['spark.kubernetes.executor.podTemplateContainerName', 'spark-kubernetes-executor'],
    // The submitter lives as long as the application, so the Volcano Job reports the application's end.
    ['spark.kubernetes.submission.waitAppCompletion', 'true'],
    ['spark.executor.instances', String(a.executors)],
    ...pod('driver', a.driver),
    ...pod('executor', a.executor),
  ];
  const user = Object.entries(a.conf).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return [...own.filter((e): e is [string, string] => e[1] !== undefined), ...user];
}

/** The submitter's command line: spark-submit in cluster mode with every `--conf`, the jar and its arguments. */
export function sparkSubmitCommand(a: SparkAppIntent): { command: string[]; args: string[] } {
  return {
    command: [`${a.sparkHome}/bin/spark-submit`],
    args: [
      '--master', SPARK_MASTER,
      '--deploy-mode', 'cluster',
      '--name', a.name,
      '--class', a.mainClass,
      ...sparkConf(a).flatMap(([k, v]) => ['--conf', `${k}=${v}`]),
      a.jar,
      ...a.args,
    ],
  };
}

/** Labels of the submitter pod: it calls the API server, and stays out of the mesh. */
export function submitterLabels(): Record<string, string> {
  return { [LABEL_KUBE_API]: 'true', ...NO_SIDECAR };
}

// Spark's pods talk to each other directly, with their own ports; the tenant's mesh default-deny would refuse
// that traffic, and a sidecar would keep the submitter's pod from ever completing.
const NO_SIDECAR = { 'sidecar.istio.io/inject': 'false' };

/** The PodGroup template: the queue, one member (the driver starts first), and the whole application reserved. */
export function podGroupTemplate(a: SparkAppIntent): Record<string, unknown> {
  const cpu = a.driver.cores + a.executors * a.executor.cores;
  const memoryMiB = (sparkPodMemory(a.driver) + a.executors * sparkPodMemory(a.executor)) / MIB;
  return {
    apiVersion: 'scheduling.volcano.sh/v1beta1',
    kind: 'PodGroup',
    // minMember 1: the driver is alone until it creates the executors; minResources makes the queue wait until
    // the executors fit too, so a driver never holds resources for executors that cannot start.
    spec: { queue: a.queue, minMember: 1, minResources: { cpu: String(cpu), memory: `${memoryMiB}Mi` } },
  };
}

/** A pod template of the driver or the executors: the labels and the security context Spark does not set. */
export function sparkPodTemplate(a: SparkAppIntent, role: 'driver' | 'executor'): Record<string, unknown> {
  const d = a.defaults;
  const labels = { ...a.labels, [LABEL_SPARK_ROLE]: role, ...(role === 'driver' ? { [LABEL_KUBE_API]: 'true' } : {}), ...NO_SIDECAR };
  const pod = {
    metadata: { labels },
    spec: {
      securityContext: podSecurityContext(a.podSecurity, d.runAsUser),
      containers: [{
        name: `spark-kubernetes-${role}`,
        securityContext: containerSecurityContext(a.podSecurity, d.readOnlyRootFilesystem),
        volumeMounts: d.readOnlyRootFilesystem ? [{ name: 'tmp', mountPath: '/tmp' }] : undefined,
      }],
      volumes: d.readOnlyRootFilesystem ? [{ name: 'tmp', emptyDir: {} }] : undefined,
    },
  };
  return { apiVersion: 'v1', kind: 'Pod', ...k8s.toJson_PodTemplateSpec(pod as k8s.PodTemplateSpec) };
}

/** ConfigMap, ServiceAccounts, Roles, RoleBindings and (with `kubeApi`) the API server egress, in that order. */
export function renderSparkSupport(scope: Construct, a: SparkAppIntent): ApiObject[] {
  const n = sparkNames(a.name);
  const meta = (name: string) => ({ name, namespace: a.namespace, labels: a.labels });
  const yaml = (o: unknown) => jsyaml.dump(o, { noRefs: true, lineWidth: -1 });
  const objects = [
    createObject(scope, 'SparkConfig', k8s.KubeConfigMap.GVK, k8s.toJson_KubeConfigMapProps, {
      metadata: meta(n.config),
      data: { 'podgroup.yaml': yaml(podGroupTemplate(a)), 'driver-pod.yaml': yaml(sparkPodTemplate(a, 'driver')), 'executor-pod.yaml': yaml(sparkPodTemplate(a, 'executor')) },
    }),
    ...[n.submitter, n.driver, n.executor].map((name) => createObject(scope, `ServiceAccount-${name}`, k8s.KubeServiceAccount.GVK, k8s.toJson_KubeServiceAccountProps, {
      metadata: meta(name),
      // Executors never call the API server.
      automountServiceAccountToken: name === n.executor ? false : undefined,
    })),
    ...sparkRbac(scope, a),
  ];
  if (a.kubeApi) objects.push(kubeApiEgress(scope, a, a.kubeApi));
  return objects;
}

// The driver creates, watches and deletes its executors, their Services, ConfigMaps and volume claims
// (deleted by label, hence deletecollection); spark-submit does the same for the driver and creates the PodGroup.
const POD_VERBS = ['create', 'get', 'list', 'watch', 'update', 'patch', 'delete', 'deletecollection'];
const POD_RULE: k8s.PolicyRule = { apiGroups: [''], resources: ['pods', 'services', 'configmaps', 'persistentvolumeclaims'], verbs: POD_VERBS };
const PODGROUP_RULE: k8s.PolicyRule = { apiGroups: ['scheduling.volcano.sh'], resources: ['podgroups'], verbs: ['create', 'get', 'update', 'patch', 'delete'] };

function sparkRbac(scope: Construct, a: SparkAppIntent): ApiObject[] {
  const n = sparkNames(a.name);
  return ([[n.submitter, [POD_RULE, PODGROUP_RULE]], [n.driver, [POD_RULE]]] as const).flatMap(([name, rules]) => [
    createObject(scope, `Role-${name}`, k8s.KubeRole.GVK, k8s.toJson_KubeRoleProps, { metadata: { name, namespace: a.namespace, labels: a.labels }, rules: [...rules] }),
    createObject(scope, `RoleBinding-${name}`, k8s.KubeRoleBinding.GVK, k8s.toJson_KubeRoleBindingProps, {
      metadata: { name, namespace: a.namespace, labels: a.labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: a.namespace }],
    }),
  ]);
}

/** Egress of the submitter and the driver to the declared API server endpoints. */
function kubeApiEgress(scope: Construct, a: SparkAppIntent, api: KubeApiEgress): ApiObject {
  return createObject(scope, 'KubeApiEgress', k8s.KubeNetworkPolicy.GVK, k8s.toJson_KubeNetworkPolicyProps, {
    metadata: { name: sparkNames(a.name).kubeApi, namespace: a.namespace, labels: a.labels },
    spec: {
      podSelector: { matchLabels: { ...a.labels, [LABEL_KUBE_API]: 'true' } },
      policyTypes: ['Egress'],
      egress: [{
        to: api.cidrs.map((c) => ({ ipBlock: { cidr: c.includes('/') ? c : `${c}/32` } })),
        ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(api.port) }],
      }],
    },
  });
}
