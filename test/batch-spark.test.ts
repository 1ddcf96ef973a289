// BatchJob.spark: a Spark application as Spark on Kubernetes runs it with Volcano (Spark docs, "Using Volcano as
// Customized Scheduler for Spark on Kubernetes"): spark-submit in cluster mode in a one-task Volcano Job, a PodGroup
// template with the queue and the whole application reserved, pod templates that pass the tenant's Pod Security,
// the submitter's and driver's accounts and roles, and the API server egress of a default-deny tenant.
process.env.FLEETPLANE_QUIET = '1';

import * as path from 'path';
import { App } from 'cdk8s';
import * as jsyaml from 'js-yaml';
import { BatchJob, BatchQueue, DeliveryMode, DistributedPlatform, Placement, SparkJobOptions, Tenant, TenantProps } from '../index';
import { Output, all, readOutput, synth, tmpDir } from './support/synth';
import { SchemaValidator, formatIssues } from './support/schema-validator';
import { every, pick, synthError } from './support/fixtures';

const MODES = [DeliveryMode.KARMADA, DeliveryMode.DIRECT];
const SYSTEMS = ['karmada', 'volcano'];
const KUBE_API = { cidrs: ['10.0.0.10', '10.0.0.11'], port: 6443 };
const CP = 'ai-control-plane.k8s.yaml';

function platform(app: App, delivery: DeliveryMode, tenant: TenantProps = {}): Tenant {
  const p = new DistributedPlatform(app, 'ai', {
    delivery,
    clusters: [{ name: 'bj-1', labels: { pool: 'batch' } }, { name: 'sh-1', labels: { pool: 'batch' } }, { name: 'gz-1' }],
    defaults: { imageRegistry: 'harbor.example.com' },
  });
  return p.addTenant('analytics', tenant);
}

function sparkProgram(mode: DeliveryMode, options: Partial<SparkJobOptions> = {}, tenant: TenantProps = {}) {
  return (app: App) => {
    const t = platform(app, mode, tenant);
    BatchJob.spark(t, 'pi', {
      queue: new BatchQueue(t, 'etl'),
      image: 'apache/spark:3.5.1',
      executors: 4,
      mainClass: 'org.apache.spark.examples.SparkPi',
      jar: 'local:///opt/spark/examples/jars/spark-examples.jar',
      args: ['1000'],
      conf: { 'spark.sql.shuffle.partitions': '64', 'spark.eventLog.enabled': 'false' },
      driver: { cores: 1, memory: '2Gi', coresLimit: '1' },
      executor: { cores: 2, memory: '4Gi', memoryOverhead: '1Gi', coresLimit: '2' },
      kubeApi: KUBE_API,
      placement: mode === DeliveryMode.KARMADA ? Placement.where({ labels: { pool: 'batch' } }) : Placement.clusters('sh-1'),
      ...options,
    });
  };
}

/** The value of every `--conf key=value` of a command line, in order. */
function confOf(args: string[]): Array<[string, string]> {
  return args.flatMap((a, i) => (args[i - 1] === '--conf' ? [a.split(/=(.*)/s).slice(0, 2) as [string, string]] : []));
}

describe.each(MODES)('BatchJob.spark (%s mode)', (mode) => {
  let out: Output;
  let container: any;
  let pod: any;
  let config: Record<string, any>;
  beforeAll(() => {
    out = synth(sparkProgram(mode));
    const job = pick(out, 'Job', 'pi', { ns: 'analytics' });
    pod = job.spec.tasks[0].template.spec;
    container = pod.containers[0];
    const cm = pick(out, 'ConfigMap', 'pi-spark', { ns: 'analytics' });
    config = Object.fromEntries(Object.entries(cm.data).map(([k, v]) => [k, jsyaml.load(v as string)]));
  });

  test('the submitter runs spark-submit in cluster mode against the in-cluster API server, then the jar and its arguments', () => {
    expect(container.command).toEqual(['/opt/spark/bin/spark-submit']);
    expect(container.args.slice(0, 8)).toEqual([
      '--master', 'k8s://https://kubernetes.default.svc:443', '--deploy-mode', 'cluster', '--name', 'pi', '--class', 'org.apache.spark.examples.SparkPi',
    ]);
    expect(container.args.slice(-2)).toEqual(['local:///opt/spark/examples/jars/spark-examples.jar', '1000']);
    // Every argument between the class and the jar is a --conf pair.
    const confArgs = container.args.slice(8, -2);
    expect(confArgs.filter((_: string, i: number) => i % 2 === 0).every((a: string) => a === '--conf')).toBe(true);
  });

  test('the configuration: namespace, image with the platform registry, accounts, Volcano, templates, executors and resources', () => {
    expect(confOf(container.args)).toEqual([
      ['spark.kubernetes.namespace', 'analytics'],
      ['spark.kubernetes.container.image', 'harbor.example.com/apache/spark:3.5.1'],
      ['spark.kubernetes.authenticate.driver.serviceAccountName', 'pi-spark-driver'],
      ['spark.kubernetes.authenticate.executor.serviceAccountName', 'pi-spark-executor'],
      ['spark.kubernetes.scheduler.name', 'volcano'],
      ['spark.kubernetes.scheduler.volcano.podGroupTemplateFile', '/etc/fleetplane/spark/podgroup.yaml'],
      ['spark.kubernetes.driver.pod.featureSteps', 'org.apache.spark.deploy.k8s.features.VolcanoFeatureStep'],
      ['spark.kubernetes.executor.pod.featureSteps', 'org.apache.spark.deploy.k8s.features.VolcanoFeatureStep'],
      ['spark.kubernetes.driver.podTemplateFile', '/etc/fleetplane/spark/driver-pod.yaml'],
      ['spark.kubernetes.executor.podTemplateFile', '/etc/fleetplane/spark/executor-pod.yaml'],
      ['spark.kubernetes.driver.podTemplateContainerName', 'spark-kubernetes-driver'],
      ['spark.kubernetes.executor.podTemplateContainerName', 'spark-kubernetes-executor'],
      ['spark.kubernetes.submission.waitAppCompletion', 'true'],
      ['spark.executor.instances', '4'],
      ['spark.driver.cores', '1'],
      ['spark.driver.memory', '2048m'],
      ['spark.driver.memoryOverhead', '384m'],
      ['spark.kubernetes.driver.limit.cores', '1'],
      ['spark.executor.cores', '2'],
      ['spark.executor.memory', '4096m'],
      ['spark.executor.memoryOverhead', '1024m'],
      ['spark.kubernetes.executor.limit.cores', '2'],
      ['spark.eventLog.enabled', 'false'],
      ['spark.sql.shuffle.partitions', '64'],
    ]);
  });

  test('the submitter pod: its image, account and token, the templates mounted, no restart, outside the mesh', () => {
    expect(container.image).toBe('harbor.example.com/apache/spark:3.5.1');
    expect(pod.serviceAccountName).toBe('pi-spark-submit');
    expect(pod.automountServiceAccountToken).toBeUndefined();
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 185, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/fleetplane/spark', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'config', configMap: { name: 'pi-spark' } });
    const job = pick(out, 'Job', 'pi').spec;
    expect(job.tasks[0].template.metadata.labels).toMatchObject({ 'fleetplane.io/kube-api': 'true', 'sidecar.istio.io/inject': 'false' });
    expect(job.minAvailable).toBe(1);
    expect(job.queue).toBe('analytics-etl');
  });

  test('the PodGroup template: the queue, one member, and the driver and every executor reserved', () => {
    // driver 1 core, 2048 + 384 MiB; executors 4 × (2 cores, 4096 + 1024 MiB).
    expect(config['podgroup.yaml']).toEqual({
      apiVersion: 'scheduling.volcano.sh/v1beta1',
      kind: 'PodGroup',
      spec: { queue: 'analytics-etl', minMember: 1, minResources: { cpu: '9', memory: `${2432 + 4 * 5120}Mi` } },
    });
    const validator = SchemaValidator.load({ systems: SYSTEMS });
    expect(formatIssues(validator.validate({ ...config['podgroup.yaml'], metadata: { name: 'pi-podgroup', namespace: 'analytics' } }))).toBe('');
  });

  test('the pod templates pass restricted Pod Security and carry the job labels; only the driver calls the API server', () => {
    const validator = SchemaValidator.load({ systems: SYSTEMS });
    for (const role of ['driver', 'executor']) {
      const tpl = config[`${role}-pod.yaml`];
      expect(formatIssues(validator.validate({ ...tpl, metadata: { ...tpl.metadata, name: `pi-${role}`, namespace: 'analytics' } }))).toBe('');
      expect(tpl.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 185, runAsGroup: 185, fsGroup: 185, seccompProfile: { type: 'RuntimeDefault' } });
      expect(tpl.spec.containers[0]).toMatchObject({ name: `spark-kubernetes-${role}`, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true } });
      expect(tpl.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'pi', 'fleetplane.io/tenant': 'analytics', 'fleetplane.io/spark-role': role });
      expect(tpl.metadata.labels['fleetplane.io/kube-api']).toBe(role === 'driver' ? 'true' : undefined);
    }
  });

  test('accounts and roles: the submitter also creates the PodGroup; executors get no token', () => {
    expect(pick(out, 'ServiceAccount', 'pi-spark-executor').automountServiceAccountToken).toBe(false);
    expect(pick(out, 'ServiceAccount', 'pi-spark-driver').automountServiceAccountToken).toBeUndefined();
    const core = { apiGroups: [''], resources: ['pods', 'services', 'configmaps', 'persistentvolumeclaims'], verbs: ['create', 'get', 'list', 'watch', 'update', 'patch', 'delete', 'deletecollection'] };
    expect(pick(out, 'Role', 'pi-spark-driver').rules).toEqual([core]);
    expect(pick(out, 'Role', 'pi-spark-submit').rules).toEqual([core, { apiGroups: ['scheduling.volcano.sh'], resources: ['podgroups'], verbs: ['create', 'get', 'update', 'patch', 'delete'] }]);
    for (const name of ['pi-spark-submit', 'pi-spark-driver']) {
      expect(pick(out, 'RoleBinding', name)).toMatchObject({ roleRef: { kind: 'Role', name }, subjects: [{ kind: 'ServiceAccount', name, namespace: 'analytics' }] });
    }
  });

  test('the API server egress: the submitter and driver, to the declared endpoints only', () => {
    const np = pick(out, 'NetworkPolicy', 'pi-kube-api').spec;
    expect(np.podSelector.matchLabels).toMatchObject({ 'app.kubernetes.io/name': 'pi', 'fleetplane.io/kube-api': 'true' });
    expect(np.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.0.0.10/32' } }, { ipBlock: { cidr: '10.0.0.11/32' } }], ports: [{ protocol: 'TCP', port: 6443 }] }]);
    // The driver template and the submitter carry every label the policy selects.
    const driverLabels = config['driver-pod.yaml'].metadata.labels;
    const submitLabels = pick(out, 'Job', 'pi').spec.tasks[0].template.metadata.labels;
    for (const [k, v] of Object.entries(np.podSelector.matchLabels)) {
      expect(driverLabels[k]).toBe(v);
      expect(submitLabels[k]).toBe(v);
    }
  });

  test('placement: the support objects go to every candidate cluster, the job to one', () => {
    const support = ['ConfigMap', 'ServiceAccount', 'Role', 'RoleBinding', 'NetworkPolicy'];
    if (mode === DeliveryMode.KARMADA) {
      const policy = pick(out, 'PropagationPolicy', 'pi-spark', { file: CP }).spec;
      expect(policy.placement).toEqual({ clusterAffinity: { clusterNames: ['bj-1', 'sh-1'] }, replicaScheduling: { replicaSchedulingType: 'Duplicated' } });
      expect(policy.resourceSelectors.map((s: any) => s.kind)).toEqual(['ConfigMap', 'ServiceAccount', 'ServiceAccount', 'ServiceAccount', 'Role', 'RoleBinding', 'Role', 'RoleBinding', 'NetworkPolicy']);
      expect(pick(out, 'PropagationPolicy', 'pi').spec.placement.spreadConstraints).toEqual([{ spreadByField: 'cluster', minGroups: 1, maxGroups: 1 }]);
    } else {
      expect(every(out, 'PropagationPolicy', 'pi-spark')).toEqual([]);
      for (const kind of support) expect(out['ai-cluster-sh-1.k8s.yaml'].some((o) => o.kind === kind && o.metadata.name.startsWith('pi-'))).toBe(true);
    }
    // What the submitter mounts and runs as comes before it in the manifest.
    const file = mode === DeliveryMode.KARMADA ? CP : 'ai-cluster-sh-1.k8s.yaml';
    const order = out[file].map((o) => `${o.kind}/${o.metadata.name}`);
    expect(order.indexOf('ConfigMap/pi-spark')).toBeLessThan(order.indexOf('Job/pi'));
    expect(order.indexOf('RoleBinding/pi-spark-submit')).toBeLessThan(order.indexOf('Job/pi'));
  });

  test('every object validates strictly', () => {
    expect(formatIssues(SchemaValidator.load({ systems: SYSTEMS }).validateAll(all(out)))).toBe('');
  });
});

describe('BatchJob.spark defaults', () => {
  test('1 core and 1Gi heap with Spark\'s 384Mi overhead; no CPU limit conf; no egress policy without default-deny', () => {
    const out = synth(sparkProgram(DeliveryMode.DIRECT, { driver: undefined, executor: undefined, conf: undefined, args: undefined, kubeApi: undefined }, { defaultDenyNetwork: false }));
    const c = pick(out, 'Job', 'pi').spec.tasks[0].template.spec.containers[0];
    const conf = Object.fromEntries(confOf(c.args));
    expect(conf).toMatchObject({ 'spark.driver.cores': '1', 'spark.driver.memory': '1024m', 'spark.driver.memoryOverhead': '384m', 'spark.executor.memory': '1024m' });
    expect(conf['spark.kubernetes.driver.limit.cores']).toBeUndefined();
    expect(c.args[c.args.length - 1]).toBe('local:///opt/spark/examples/jars/spark-examples.jar');
    expect(every(out, 'NetworkPolicy', 'pi-kube-api')).toEqual([]);
    const cm = pick(out, 'ConfigMap', 'pi-spark');
    expect((jsyaml.load(cm.data['podgroup.yaml']) as any).spec.minResources).toEqual({ cpu: '5', memory: `${5 * 1408}Mi` });
  });

  test('a large heap takes 10 % overhead', () => {
    const out = synth(sparkProgram(DeliveryMode.DIRECT, { executor: { cores: 4, memory: '16Gi' } }));
    const conf = Object.fromEntries(confOf(pick(out, 'Job', 'pi').spec.tasks[0].template.spec.containers[0].args));
    expect(conf['spark.executor.memoryOverhead']).toBe('1638m');
  });
});

/** One Spark job in tenant analytics on sh-1: exactly one error, at the job. */
function sparkError(options: Partial<SparkJobOptions>, tenant: TenantProps = {}, platformDefaults?: any) {
  const { error } = synthError((app) => {
    if (platformDefaults) {
      const p = new DistributedPlatform(app, 'ai', { delivery: DeliveryMode.DIRECT, clusters: [{ name: 'sh-1' }], defaults: platformDefaults });
      const t = p.addTenant('analytics', tenant);
      BatchJob.spark(t, 'pi', { queue: new BatchQueue(t, 'etl'), image: 'apache/spark:3.5.1', executors: 2, mainClass: 'a.B', jar: 'local:///app.jar', kubeApi: KUBE_API, placement: Placement.clusters('sh-1'), ...options });
    } else sparkProgram(DeliveryMode.DIRECT, options, tenant)(app);
  });
  return error.problems.filter((p) => p.severity === 'error');
}

describe('bad Spark inputs', () => {
  test.each([
    ['no executors', { executors: 0 }, 'executors'],
    ['a main class that is not a Java class', { mainClass: 'org.example.Pi!' }, 'mainClass'],
    ['a jar on the submitter\'s disk', { jar: '/opt/app.jar' }, 'jar'],
    ['a file:// jar', { jar: 'file:///opt/app.jar' }, 'jar'],
    ['a key fleetplane sets', { conf: { 'spark.executor.instances': '10' } }, "conf['spark.executor.instances']"],
    ['dynamic allocation', { conf: { 'spark.dynamicAllocation.enabled': 'true' } }, "conf['spark.dynamicAllocation.enabled']"],
    ['a key outside spark.*', { conf: { 'hadoop.fs.defaultFS': 'x' } }, "conf['hadoop.fs.defaultFS']"],
    ['fractional cores', { executor: { cores: 1.5 } }, 'executor.cores'],
    ['a heap that is not a quantity', { driver: { memory: '2GB' } }, 'driver.memory'],
    ['a CPU limit below the cores', { executor: { cores: 4, coresLimit: '2' } }, 'executor.coresLimit'],
    ['no API server in a default-deny tenant', { kubeApi: undefined }, 'kubeApi'],
    ['0.0.0.0/0 as the API server', { kubeApi: { cidrs: ['0.0.0.0/0'], port: 443 } }, 'kubeApi.cidrs[0]'],
    ['an API server that is not an address', { kubeApi: { cidrs: ['kubernetes.default'], port: 443 } }, 'kubeApi.cidrs[0]'],
    ['a bad API server port', { kubeApi: { cidrs: ['10.0.0.1'], port: 0 } }, 'kubeApi.port'],
    ['a relative Spark home', { sparkHome: 'opt/spark' }, 'sparkHome'],
    ['a root user', { runAsUser: 0 }, 'runAsUser'],
  ] as Array<[string, Partial<SparkJobOptions>, string]>)('%s → FP-SPARK %s', (_title, options, prop) => {
    expect(sparkError(options)).toEqual([expect.objectContaining({ rule: 'FP-SPARK', path: 'ai/analytics/pi', prop })]);
  });

  test('a tenant quota on limits.cpu with neither a CPU limit nor a platform default limit → K8 at the driver and executors', () => {
    const errors = sparkError({ driver: { cores: 1 }, executor: { cores: 1 }, submitterResources: { cpu: { request: '100m', limit: '1' } } }, { quota: { limitsCpu: '64' } });
    expect(errors.map((e) => [e.rule, e.prop])).toEqual([['K8', 'driver'], ['K8', 'executor']]);
    expect(errors[0].message).toContain('limits.cpu');
  });

  test('cores above the platform default CPU limit without their own limit → K8: the pods would be rejected', () => {
    const errors = sparkError({ executor: { cores: 4 } }, {}, { resources: { cpu: { request: '500m', limit: '2' }, memory: { request: '1Gi', limit: '1Gi' } } });
    expect(errors.map((e) => [e.rule, e.prop])).toEqual([['K8', 'executor']]);
    expect(errors[0].value).toBe('cpu: request 4 > limit 2');
  });

  test('an application larger than the tenant quota everywhere → K8 at executors', () => {
    const errors = sparkError({ executors: 20, executor: { cores: 4, memory: '8Gi', coresLimit: '4' }, submitterResources: { cpu: { request: '500m', limit: '1' } } }, { quota: { cpu: '32', limitsCpu: '64' } });
    expect(errors).toEqual([expect.objectContaining({ rule: 'K8', prop: 'executors', value: 'sh-1: requests.cpu 81.5 > 32' })]);
  });
});

/** Runs an example's main.ts in-process (`fleetplane` maps to index.ts in jest), its output sent to a temp dir. */
function runExample(example: string): Output {
  const dir = tmpDir();
  const previous = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = dir;
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(__dirname, '..', 'examples', example, 'main.ts'));
    });
  } finally {
    if (previous === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = previous;
  }
  return readOutput(dir);
}

describe('example ai-training: the Spark job that builds the features', () => {
  let out: Output;
  beforeAll(() => {
    out = runExample('ai-training');
  });

  test('the submitter\'s whole command line', () => {
    const c = pick(out, 'Job', 'features', { ns: 'ml' }).spec.tasks[0].template.spec.containers[0];
    expect([...c.command, ...c.args].join(' ')).toBe([
      '/opt/spark/bin/spark-submit --master k8s://https://kubernetes.default.svc:443 --deploy-mode cluster --name features',
      '--class com.example.features.BuildFeatures',
      '--conf spark.kubernetes.namespace=ml',
      '--conf spark.kubernetes.container.image=registry.example.com/data/spark-volcano:3.5.1',
      '--conf spark.kubernetes.authenticate.driver.serviceAccountName=features-spark-driver',
      '--conf spark.kubernetes.authenticate.executor.serviceAccountName=features-spark-executor',
      '--conf spark.kubernetes.scheduler.name=volcano',
      '--conf spark.kubernetes.scheduler.volcano.podGroupTemplateFile=/etc/fleetplane/spark/podgroup.yaml',
      '--conf spark.kubernetes.driver.pod.featureSteps=org.apache.spark.deploy.k8s.features.VolcanoFeatureStep',
      '--conf spark.kubernetes.executor.pod.featureSteps=org.apache.spark.deploy.k8s.features.VolcanoFeatureStep',
      '--conf spark.kubernetes.driver.podTemplateFile=/etc/fleetplane/spark/driver-pod.yaml',
      '--conf spark.kubernetes.executor.podTemplateFile=/etc/fleetplane/spark/executor-pod.yaml',
      '--conf spark.kubernetes.driver.podTemplateContainerName=spark-kubernetes-driver',
      '--conf spark.kubernetes.executor.podTemplateContainerName=spark-kubernetes-executor',
      '--conf spark.kubernetes.submission.waitAppCompletion=true',
      '--conf spark.executor.instances=6',
      '--conf spark.driver.cores=1 --conf spark.driver.memory=4096m --conf spark.driver.memoryOverhead=409m --conf spark.kubernetes.driver.limit.cores=1',
      '--conf spark.executor.cores=4 --conf spark.executor.memory=12288m --conf spark.executor.memoryOverhead=1228m --conf spark.kubernetes.executor.limit.cores=4',
      '--conf spark.sql.shuffle.partitions=96',
      'local:///opt/app/features.jar s3a://datasets/raw/ s3a://datasets/features/',
    ].join(' '));
  });

  test('the PodGroup template reserves the driver and the six executors in the etl queue; the quota tracks GPUs', () => {
    const pg = jsyaml.load(pick(out, 'ConfigMap', 'features-spark').data['podgroup.yaml']) as any;
    expect(pg.spec).toEqual({ queue: 'ml-etl', minMember: 1, minResources: { cpu: '25', memory: `${4505 + 6 * 13516}Mi` } });
    expect(pick(out, 'ResourceQuota', 'tenant-quota').spec.hard).toMatchObject({ 'requests.nvidia.com/gpu': '16' });
    expect(pick(out, 'PropagationPolicy', 'features-spark').spec.placement.clusterAffinity).toEqual({ clusterNames: ['cpu-bj'] });
    expect(formatIssues(SchemaValidator.load({ systems: SYSTEMS }).validateAll(all(out)))).toBe('');
  });
});
