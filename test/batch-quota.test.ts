// Quotas that admit what they govern (rule 8): extended resources in tenant quotas, and batch jobs and edge apps
// checked against what the quota tracks (every container declares it) and against its size (a gang or an edge
// app's replicas that cannot fit never all start). Also the framework plugins as Volcano implements them (K47).
process.env.FLEETPLANE_QUIET = '1';

import { App } from 'cdk8s';
import {
  BatchJob, BatchJobProps, BatchQueue, BatchTask, ClusterRole, DeliveryMode, DistributedPlatform, EdgeApp, EdgeAppProps, EdgeNodeGroup,
  EnvValue, PodSecurityLevel, Placement, Problem, Severity, Tenant, TenantProps,
} from '../index';
import { all, synth } from './support/synth';
import { SchemaValidator, formatIssues } from './support/schema-validator';
import { pick, synthError } from './support/fixtures';

const MODES = [DeliveryMode.KARMADA, DeliveryMode.DIRECT];
const IMAGE = 'registry.example.com/ml/trainer:1.0.0';
const errorsOf = (ps: readonly Problem[]) => ps.filter((p) => p.severity === Severity.ERROR);

function platform(app: App, delivery: DeliveryMode, tenant: TenantProps, defaults?: any): Tenant {
  const p = new DistributedPlatform(app, 'ai', {
    delivery,
    clusters: [{ name: 'gpu-1', labels: { gpu: 'a100' } }, { name: 'gpu-2', labels: { gpu: 'a100' } }, { name: 'edge-1', role: ClusterRole.EDGE }],
    defaults,
  });
  return p.addTenant('ml', tenant);
}

const TASK = (p: Partial<BatchTask> = {}): BatchTask => ({ name: 'worker', replicas: 4, image: IMAGE, resources: { cpu: { request: '4', limit: '4' }, memory: { request: '16Gi', limit: '16Gi' } }, ...p });

function jobProgram(mode: DeliveryMode, tenant: TenantProps, job: Partial<BatchJobProps> = {}, defaults?: any) {
  return (app: App) => {
    const t = platform(app, mode, tenant, defaults);
    new BatchJob(t, 'train', { queue: new BatchQueue(t, 'q'), tasks: [TASK({ gpus: 2 })], placement: mode === DeliveryMode.DIRECT ? Placement.clusters('gpu-1') : Placement.where({ labels: { gpu: 'a100' } }), ...job });
  };
}

describe.each(MODES)('extended resources in tenant quotas (%s mode)', (mode) => {
  test('quota.extended renders requests.<name>; a GPU gang that fits synthesizes and validates', () => {
    const out = synth(jobProgram(mode, { quota: { cpu: '64', memory: '256Gi', extended: { 'nvidia.com/gpu': 8, 'example.com/fpga': '2' } } }));
    const quotas = all(out).filter((o) => o.kind === 'ResourceQuota');
    expect(quotas.length).toBeGreaterThan(0);
    for (const q of quotas) expect(q.spec.hard).toEqual({ 'requests.cpu': '64', 'requests.memory': '256Gi', 'requests.example.com/fpga': '2', 'requests.nvidia.com/gpu': '8' });
    expect(formatIssues(SchemaValidator.load({ systems: ['karmada', 'volcano'] }).validateAll(all(out)))).toBe('');
  });

  test('a gang asking for more GPUs than the quota allows → K8 at tasks', () => {
    const { error } = synthError(jobProgram(mode, { quota: { extended: { 'nvidia.com/gpu': 6 } } }));
    expect(errorsOf(error.problems)).toEqual([expect.objectContaining({ rule: 'K8', path: 'ai/ml/train', prop: 'tasks' })]);
    expect(errorsOf(error.problems)[0].value).toContain('requests.nvidia.com/gpu 8 > 6');
  });
});

describe('extended resources in fleet quotas (karmada mode)', () => {
  test('the FederatedResourceQuota carries them overall and per cluster; an assignment above the total → K8', () => {
    const out = synth(jobProgram(DeliveryMode.KARMADA, { federatedQuota: { overall: { extended: { 'nvidia.com/gpu': 16 } }, perCluster: { 'gpu-1': { extended: { 'nvidia.com/gpu': 8 } } } } }));
    const frq = pick(out, 'FederatedResourceQuota', 'tenant-fleet-quota').spec;
    expect(frq.overall).toEqual({ 'requests.nvidia.com/gpu': '16' });
    expect(frq.staticAssignments).toEqual([{ clusterName: 'gpu-1', hard: { 'requests.nvidia.com/gpu': '8' } }]);
    const { error } = synthError(jobProgram(DeliveryMode.KARMADA, { federatedQuota: { overall: { extended: { 'nvidia.com/gpu': 4 } }, perCluster: { 'gpu-1': { extended: { 'nvidia.com/gpu': 8 } } } } }, { tasks: [TASK({ replicas: 1 })] }));
    expect(errorsOf(error.problems)).toEqual([expect.objectContaining({ rule: 'K8', prop: "federatedQuota.perCluster['gpu-1'].extended['nvidia.com/gpu']" })]);
  });
});

describe('bad extended quotas', () => {
  test.each([
    ['a native resource name', { cpu: 4 }, "quota.extended['cpu']"],
    ['a kubernetes.io resource', { 'kubernetes.io/foo': 1 }, "quota.extended['kubernetes.io/foo']"],
    ['a fraction of a GPU', { 'nvidia.com/gpu': 0.5 }, "quota.extended['nvidia.com/gpu']"],
    ['not a quantity', { 'nvidia.com/gpu': 'eight' }, "quota.extended['nvidia.com/gpu']"],
  ])('%s → K8 %s', (_t, extended, prop) => {
    const { error } = synthError((app) => platform(app, DeliveryMode.DIRECT, { quota: { extended: extended as any } }));
    expect(errorsOf(error.problems)).toEqual([expect.objectContaining({ rule: 'K8', path: 'ai/ml', prop })]);
  });
});

describe.each(MODES)('batch jobs against the tenant quota (%s mode)', (mode) => {
  test('a quota on limits.cpu and a task without a CPU limit (and no platform default) → K8 at the task', () => {
    const { error } = synthError(jobProgram(mode, { quota: { limitsCpu: '128' } }, { tasks: [TASK({ resources: { cpu: { request: '2' }, memory: { request: '1Gi', limit: '1Gi' } } })] }));
    expect(errorsOf(error.problems)).toEqual([expect.objectContaining({ rule: 'K8', path: 'ai/ml/train', prop: 'tasks[0].resources' })]);
    expect(errorsOf(error.problems)[0].message).toContain('limits.cpu');
  });

  test('the platform default limit fills it through the LimitRange: no error', () => {
    const defaults = { resources: { cpu: { request: '500m', limit: '4' }, memory: { request: '1Gi', limit: '1Gi' } } };
    const out = synth(jobProgram(mode, { quota: { limitsCpu: '128' } }, { tasks: [TASK({ resources: { cpu: { request: '2' } } })] }, defaults));
    expect(pick(out, 'Job', 'train').spec.tasks[0].template.spec.containers[0].resources.requests.cpu).toBe('2');
  });

  test('a request above the LimitRange default limit → K8: the API server rejects the pods', () => {
    const defaults = { resources: { cpu: { request: '500m', limit: '1' }, memory: { request: '1Gi', limit: '1Gi' } } };
    const { error } = synthError(jobProgram(mode, {}, { tasks: [TASK({ resources: { cpu: { request: '2' } } })] }, defaults));
    expect(errorsOf(error.problems)).toEqual([expect.objectContaining({ rule: 'K8', prop: 'tasks[0].resources', value: 'cpu: request 2 > limit 1' })]);
  });

  test('the gang is the tasks\' minAvailable: a gang that fits starts even when every replica would not', () => {
    const quota = { cpu: '10', memory: '64Gi' };
    expect(() => synth(jobProgram(mode, { quota }, { tasks: [TASK({ minAvailable: 2 })], minAvailable: 2 }))).not.toThrow();
    const { error } = synthError(jobProgram(mode, { quota }, { tasks: [TASK()] }));
    expect(errorsOf(error.problems)).toEqual([expect.objectContaining({ rule: 'K8', prop: 'tasks', value: mode === DeliveryMode.DIRECT ? 'gpu-1: requests.cpu 16 > 10' : 'gpu-1: requests.cpu 16 > 10; gpu-2: requests.cpu 16 > 10' })]);
  });

  test('the pods quota counts the gang', () => {
    const { error } = synthError(jobProgram(mode, { quota: { pods: 3 } }));
    expect(errorsOf(error.problems)[0].value).toContain('pods 4 > 3');
  });
});

describe('per-cluster quotas', () => {
  test('a gang that fits only some candidate clusters is a warning naming the others (karmada)', () => {
    const out = synth((app) => {
      jobProgram(DeliveryMode.KARMADA, { federatedQuota: { overall: { cpu: '100' }, perCluster: { 'gpu-1': { cpu: '8' }, 'gpu-2': { cpu: '64' } } } })(app);
      const problems = (app.node.findChild('ai') as DistributedPlatform).problems();
      expect(problems).toEqual([expect.objectContaining({ severity: Severity.WARNING, rule: 'K8', prop: 'tasks', value: 'gpu-1: requests.cpu 16 > 8' })]);
    });
    expect(pick(out, 'Job', 'train').spec.minAvailable).toBe(4);
  });

  test('in direct mode each cluster\'s assignment is its quota', () => {
    const { error } = synthError(jobProgram(DeliveryMode.DIRECT, { federatedQuota: { overall: { cpu: '100' }, perCluster: { 'gpu-1': { cpu: '8' }, 'gpu-2': { cpu: '64' } } } }));
    expect(errorsOf(error.problems)).toEqual([expect.objectContaining({ rule: 'K8', prop: 'tasks', value: 'gpu-1: requests.cpu 16 > 8' })]);
  });
});

function edgeProgram(mode: DeliveryMode, tenant: TenantProps, app2: Partial<EdgeAppProps> = {}) {
  return (app: App) => {
    const t = platform(app, mode, { clusters: { names: ['gpu-1', 'edge-1'] }, ...tenant });
    const p = t.node.scope as DistributedPlatform;
    const a = new EdgeNodeGroup(p, 'store-a', { cluster: 'edge-1', nodes: ['n1'] });
    const b = new EdgeNodeGroup(p, 'store-b', { cluster: 'edge-1', nodes: ['n2'] });
    new EdgeApp(t, 'video', { image: IMAGE, replicas: 2, resources: { cpu: { request: '1', limit: '1' }, memory: { request: '1Gi', limit: '1Gi' } }, nodeGroups: [{ group: a }, { group: b, replicas: 3 }], ...app2 });
  };
}

describe.each(MODES)('edge apps against the tenant quota (%s mode)', (mode) => {
  test('replicas of every group that fit synthesize', () => {
    expect(() => synth(edgeProgram(mode, { quota: { cpu: '5', limitsCpu: '5' } }))).not.toThrow();
  });

  test('replicas of every group above the quota → K8 at nodeGroups', () => {
    const { error } = synthError(edgeProgram(mode, { quota: { cpu: '4' } }));
    expect(errorsOf(error.problems)).toEqual([expect.objectContaining({ rule: 'K8', path: 'ai/ml/video', prop: 'nodeGroups', value: 'edge-1: requests.cpu 5 > 4' })]);
  });

  test('a quota on limits.cpu: a group that declares its own CPU limit passes, the groups without one → K8 at resources', () => {
    const { error } = synthError((app) => {
      const t = platform(app, mode, { clusters: { names: ['gpu-1', 'edge-1'] }, quota: { limitsCpu: '64' } });
      const p = t.node.scope as DistributedPlatform;
      const a = new EdgeNodeGroup(p, 'store-a', { cluster: 'edge-1', nodes: ['n1'] });
      const b = new EdgeNodeGroup(p, 'store-b', { cluster: 'edge-1', nodes: ['n2'] });
      // KubeEdge's resources overrider replaces the requests and limits a group declares, one by one.
      new EdgeApp(t, 'video', { image: IMAGE, resources: { cpu: { request: '1' } }, nodeGroups: [{ group: a, resources: { cpu: { limit: '2' } } }, { group: b }] });
    });
    expect(errorsOf(error.problems)).toEqual([expect.objectContaining({ rule: 'K8', prop: 'resources' })]);
    expect(errorsOf(error.problems)[0].message).toContain('limits.cpu');
  });
});

// ---------------------------------------------------------------------------------------------------------
// The framework plugins (Volcano pkg/controllers/job/plugins/distributed-framework).

function pluginError(job: Partial<BatchJobProps>, tenant: TenantProps = {}) {
  const { error } = synthError(jobProgram(DeliveryMode.DIRECT, tenant, job));
  return errorsOf(error.problems).map((p) => [p.rule, p.prop]);
}
const MASTER = TASK({ name: 'master', replicas: 1 });

describe('framework plugins', () => {
  test('pytorch without svc: MASTER_ADDR would not resolve → K47 plugins.svc', () => {
    expect(pluginError({ tasks: [MASTER, TASK()], plugins: { pytorch: {} } })).toEqual([['K47', 'plugins.svc']]);
  });

  test('pytorch with two masters → K47 at the master\'s replicas', () => {
    expect(pluginError({ tasks: [TASK({ name: 'master', replicas: 2 }), TASK()], plugins: { pytorch: {}, svc: true } })).toEqual([['K47', 'tasks[0].replicas']]);
  });

  test('pytorch: a hand-set RANK or WORLD_SIZE collides with the plugin\'s → K47 at the env', () => {
    expect(pluginError({ tasks: [MASTER, TASK({ env: { WORLD_SIZE: EnvValue.literal('4'), LR: EnvValue.literal('0.1') } })], plugins: { pytorch: {}, svc: true } })).toEqual([['K47', "tasks[1].env['WORLD_SIZE']"]]);
  });

  test('env plugin: a hand-set VC_TASK_INDEX → K47', () => {
    expect(pluginError({ tasks: [TASK({ env: { VC_TASK_INDEX: EnvValue.literal('0') } })], plugins: { env: true } })).toEqual([['K47', "tasks[0].env['VC_TASK_INDEX']"]]);
  });

  test('mpi: renders --master/--worker/--port; needs ssh and svc, and a port ≥ 1024 in a restricted tenant', () => {
    const out = synth(jobProgram(DeliveryMode.DIRECT, {}, { tasks: [MASTER, TASK()], plugins: { mpi: { port: 2222 }, ssh: true, svc: true } }));
    expect(pick(out, 'Job', 'train').spec.plugins).toEqual({ svc: [], ssh: [], mpi: ['--master=master', '--worker=worker', '--port=2222'] });
    expect(pluginError({ tasks: [MASTER, TASK()], plugins: { mpi: { port: 2222 }, svc: true } })).toEqual([['K47', 'plugins.ssh']]);
    expect(pluginError({ tasks: [MASTER, TASK()], plugins: { mpi: {}, ssh: true, svc: true } })).toEqual([['K47', 'plugins.mpi.port']]);
    expect(pluginError({ tasks: [MASTER, TASK({ name: 'w' })], plugins: { mpi: { port: 2222 }, ssh: true, svc: true } })).toEqual([['K47', 'plugins.mpi']]);
    expect(pluginError({ tasks: [TASK({ name: 'master', replicas: 1, env: { MPI_HOST: EnvValue.literal('x') } }), TASK()], plugins: { mpi: { port: 2222 }, ssh: true, svc: true } })).toEqual([['K47', "tasks[0].env['MPI_HOST']"]]);
  });

  test('mpi on port 22 is accepted in a privileged tenant', () => {
    const out = synth(jobProgram(DeliveryMode.DIRECT, { podSecurity: PodSecurityLevel.PRIVILEGED }, { tasks: [MASTER, TASK()], plugins: { mpi: {}, ssh: true, svc: true } }));
    expect(pick(out, 'Job', 'train').spec.plugins.mpi).toEqual(['--master=master', '--worker=worker', '--port=22']);
  });
});
