// Edge, batch and cross-cluster networking, asserted by value (domain reference §1.6-1.7, §4, §5, §6 and §8 rules
// 13, 26, 46-49): KubeEdge NodeGroups and EdgeApplications, Volcano Queues and Jobs (with the PyTorch and Spark
// helpers), CrossClusterService over its four backends, Submariner on the platform, MultiClusterIngress, bad
// inputs, both examples, and strict schema validation of everything emitted, in both delivery modes.
process.env.FLEETPLANE_QUIET = '1';

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration } from 'cdk8s';
import {
  BatchJob, BatchJobProps, BatchQueue, BatchQueueProps, BatchTask, ClusterRole, CrossClusterBackend, CrossClusterService,
  CrossClusterServiceProps, DeliveryMode, DistributedPlatform, DistributedPlatformProps, EdgeApp, EdgeAppProps,
  EdgeNodeGroup, EnvValue, FederatedApp, FederatedAppProps, JobAction, JobEvent, MemberClusterProps, MeshedService,
  MultiClusterIngress, Placement, Problem, Severity, SubmarinerProps, Tenant, TenantProps,
  WorkloadKind, TaintEffect,
} from '../index';
import { cidrsOverlap } from '../core/cidr';
import { Output, all, readOutput, synth } from './support/synth';
import { SchemaValidator, formatIssues } from './support/schema-validator';
import { synthError, yamlFiles, pick, every, problemsOf } from './support/fixtures';

// ---------------------------------------------------------------------------------------------------------
// Fixtures: three cloud clusters (two with GPUs) and two edge clusters; Submariner joins every cluster but
// edge-2; bj-1 has its own Submariner cluster ID.

const PLATFORM = 'prod';
const CP = `${PLATFORM}-control-plane.k8s.yaml`;
const fileOf = (cluster: string) => `${PLATFORM}-cluster-${cluster}.k8s.yaml`;
const MODES = [DeliveryMode.KARMADA, DeliveryMode.DIRECT];
const GPU = { accelerator: 'nvidia-a100' };

const CLUSTERS: MemberClusterProps[] = [
  { name: 'bj-1', region: 'cn-north', zones: ['cn-north-1a'], provider: 'huaweicloud', labels: GPU, podCidr: '10.1.0.0/16', serviceCidr: '10.101.0.0/16' },
  { name: 'sh-1', region: 'cn-east', zones: ['cn-east-1a'], provider: 'alicloud', labels: GPU, podCidr: '10.2.0.0/16', serviceCidr: '10.102.0.0/16' },
  { name: 'gz-1', region: 'cn-south', zones: ['cn-south-1a'], provider: 'alicloud', podCidr: '10.3.0.0/16', serviceCidr: '10.103.0.0/16' },
  { name: 'edge-1', region: 'cn-south', role: ClusterRole.EDGE, podCidr: '10.4.0.0/16', serviceCidr: '10.104.0.0/16' },
  { name: 'edge-2', region: 'cn-east', role: ClusterRole.EDGE, podCidr: '10.5.0.0/16', serviceCidr: '10.105.0.0/16' },
];
const CLOUD = ['bj-1', 'sh-1', 'gz-1'];
const EDGE = ['edge-1', 'edge-2'];
const SUBMARINER: SubmarinerProps = { broker: 'bj-1', clusters: { names: ['bj-1', 'sh-1', 'gz-1', 'edge-1'] }, clusterIds: { 'bj-1': 'beijing' } };
const MESH = { meshId: 'prod-mesh', istioCni: true };

const image = (name: string) => `registry.example.com/team/${name}:1.0.0`;

function platform(app: App, delivery: DeliveryMode, props: Partial<DistributedPlatformProps> = {}): DistributedPlatform {
  return new DistributedPlatform(app, PLATFORM, { clusters: CLUSTERS, delivery, submariner: SUBMARINER, ...props });
}

/** Files that hold an object of a kind and name. */
function filesWith(out: Output, kind: string, name: string): string[] {
  return Object.keys(out).filter((f) => out[f].some((o) => o.kind === kind && o.metadata?.name === name)).sort();
}

const ofKind = (out: Output, kind: string) => all(out).filter((o) => o.kind === kind);
const selector = (apiVersion: string, kind: string, name: string) => ({ apiVersion, kind, name });

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-ebn-'));
}

const errorsOf = (problems: readonly Problem[]) => problems.filter((p) => p.severity === Severity.ERROR);
const warningsOf = (problems: readonly Problem[]) => problems.filter((p) => p.severity === Severity.WARNING);

/** A bad input: what to build, and the one error (rule, construct path, prop) it must give. */
interface BadCase {
  readonly title: string;
  readonly build: (app: App, mode: DeliveryMode) => void;
  readonly rule: string;
  readonly path: string;
  readonly prop: string;
}

/** Runs a table of bad inputs in both modes: exactly the one expected error, and nothing written. */
function badInputs(name: string, cases: BadCase[], modes: DeliveryMode[] = MODES): void {
  describe.each(modes)(`${name} (%s mode)`, (mode) => {
    test.each(cases)('$title → $rule $prop', ({ build, rule, path: at, prop }) => {
      const { error, dir } = synthError((app) => build(app, mode));
      expect(errorsOf(error.problems)).toEqual([expect.objectContaining({ rule, path: at, prop })]);
      expect(error.message).toContain(rule);
      expect(yamlFiles(dir)).toEqual([]);
    });
  });
}

const RESTRICTED_POD = {
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  fsGroup: 10001,
  seccompProfile: { type: 'RuntimeDefault' },
};
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
};

// ---------------------------------------------------------------------------------------------------------
// 1. EdgeNodeGroup: cluster-scoped KubeEdge NodeGroups in the edge cluster's own output.

function edgeGroups(p: DistributedPlatform) {
  return {
    storeA: new EdgeNodeGroup(p, 'store-a', { cluster: 'edge-1', nodes: ['edge-node-a1', 'edge-node-a2'], topologyEnabled: true }),
    storeB: new EdgeNodeGroup(p, 'store-b', { cluster: 'edge-1', matchLabels: { 'example.com/store': 'b' } }),
    storeC: new EdgeNodeGroup(p, 'store-c', { cluster: 'edge-2', nodes: ['edge-node-a1'], matchLabels: { 'example.com/store': 'c' }, name: 'depot-c' }),
  };
}

describe.each(MODES)('EdgeNodeGroup (%s mode)', (mode) => {
  let out: Output;
  let groups: ReturnType<typeof edgeGroups>;
  beforeAll(() => {
    out = synth((app) => {
      groups = edgeGroups(platform(app, mode));
    });
  });

  test('edge clusters get their own output in both modes', () => {
    const expected = mode === DeliveryMode.KARMADA ? [CP, ...EDGE.map(fileOf)] : CLUSTERS.map((c) => fileOf(c.name));
    expect(Object.keys(out).sort()).toEqual(expected.sort());
  });

  test('a NodeGroup by node names, with topologyEnabled, cluster-scoped in the edge cluster output', () => {
    const ng = pick(out, 'NodeGroup', 'store-a', { file: fileOf('edge-1') });
    expect(ng.apiVersion).toBe('apps.kubeedge.io/v1alpha1');
    expect(ng.metadata.namespace).toBeUndefined();
    expect(ng.metadata.labels['fleetplane.io/platform']).toBe(PLATFORM);
    expect(ng.spec).toEqual({ nodes: ['edge-node-a1', 'edge-node-a2'], topologyEnabled: true });
    expect(filesWith(out, 'NodeGroup', 'store-a')).toEqual([fileOf('edge-1')]);
  });

  test('a NodeGroup by labels has matchLabels only', () => {
    const ng = pick(out, 'NodeGroup', 'store-b', { file: fileOf('edge-1') });
    expect(ng.metadata.namespace).toBeUndefined();
    expect(ng.spec).toEqual({ matchLabels: { 'example.com/store': 'b' } });
  });

  test('name overrides the construct id; nodes and labels together; each group goes to its own edge cluster', () => {
    const ng = pick(out, 'NodeGroup', 'depot-c', { file: fileOf('edge-2') });
    expect(ng.spec).toEqual({ nodes: ['edge-node-a1'], matchLabels: { 'example.com/store': 'c' } });
    expect(groups.storeC.groupName).toBe('depot-c');
    expect(groups.storeC.cluster).toBe('edge-2');
    expect(every(out, 'NodeGroup', 'store-c')).toEqual([]);
    expect(ofKind(out, 'NodeGroup')).toHaveLength(3);
    expect(out[fileOf('edge-2')].filter((o) => o.kind === 'NodeGroup').map((o) => o.metadata.name)).toEqual(['depot-c']);
  });

  test('no NodeGroup on the control plane or on cloud clusters', () => {
    for (const f of Object.keys(out).filter((x) => !EDGE.map(fileOf).includes(x))) {
      expect(out[f].filter((o) => o.kind === 'NodeGroup')).toEqual([]);
    }
  });

  test('the construct exposes its resource, nodes and labels', () => {
    expect(groups.storeA.resource).toBeDefined();
    expect(groups.storeA.nodes).toEqual(['edge-node-a1', 'edge-node-a2']);
    expect(groups.storeB.matchLabels).toEqual({ 'example.com/store': 'b' });
  });
});

describe('EdgeNodeGroup non-overlap', () => {
  test('label sets with different values of one key, and the same node name on two edge clusters, are fine', () => {
    const problems = problemsOf((app) => {
      const p = platform(app, DeliveryMode.KARMADA);
      new EdgeNodeGroup(p, 'a', { cluster: 'edge-1', matchLabels: { site: 'a', tier: 'gold' } });
      new EdgeNodeGroup(p, 'b', { cluster: 'edge-1', matchLabels: { site: 'b', tier: 'gold' } });
      new EdgeNodeGroup(p, 'c', { cluster: 'edge-1', nodes: ['n1'] });
      new EdgeNodeGroup(p, 'd', { cluster: 'edge-2', nodes: ['n1'] });
      return p;
    });
    expect(problems).toEqual([]);
  });
});

const groupCase = (props: any, extra?: (p: DistributedPlatform) => void) => (app: App, mode: DeliveryMode) => {
  const p = platform(app, mode);
  new EdgeNodeGroup(p, 'store-a', { cluster: 'edge-1', nodes: ['n1'], ...props });
  extra?.(p);
};

badInputs('bad EdgeNodeGroup inputs', [
  { title: 'a cloud cluster', build: groupCase({ cluster: 'bj-1' }), rule: 'K46', path: 'prod/store-a', prop: 'cluster' },
  { title: 'an unknown cluster', build: groupCase({ cluster: 'edge-9' }), rule: 'K13', path: 'prod/store-a', prop: 'cluster' },
  { title: 'neither nodes nor matchLabels', build: groupCase({ nodes: undefined }), rule: 'K46', path: 'prod/store-a', prop: 'nodes' },
  { title: 'empty nodes and empty matchLabels', build: groupCase({ nodes: [], matchLabels: {} }), rule: 'K46', path: 'prod/store-a', prop: 'nodes' },
  { title: 'a node listed twice', build: groupCase({ nodes: ['n1', 'n2', 'n1'] }), rule: 'K46', path: 'prod/store-a', prop: 'nodes' },
  {
    title: 'a node in two groups of one cluster',
    build: groupCase({ nodes: ['n1', 'n2'] }, (p) => new EdgeNodeGroup(p, 'store-b', { cluster: 'edge-1', nodes: ['n2', 'n3'] })),
    rule: 'K46', path: 'prod/store-b', prop: 'nodes',
  },
  {
    title: 'matchLabels that are a subset of another group\'s',
    build: groupCase({ nodes: undefined, matchLabels: { site: 'a' } }, (p) => new EdgeNodeGroup(p, 'store-b', { cluster: 'edge-1', matchLabels: { site: 'a', tier: 'gold' } })),
    rule: 'K46', path: 'prod/store-b', prop: 'matchLabels',
  },
  {
    title: 'identical matchLabels in two groups',
    build: groupCase({ nodes: undefined, matchLabels: { site: 'a' } }, (p) => new EdgeNodeGroup(p, 'store-b', { cluster: 'edge-1', matchLabels: { site: 'a' } })),
    rule: 'K46', path: 'prod/store-b', prop: 'matchLabels',
  },
  { title: 'an invalid label key', build: groupCase({ nodes: undefined, matchLabels: { 'bad key': 'a' } }), rule: 'K2', path: 'prod/store-a', prop: 'matchLabels' },
  { title: 'an upper-case name', build: groupCase({ name: 'Store-A' }), rule: 'K1', path: 'prod/store-a', prop: 'name' },
]);

// ---------------------------------------------------------------------------------------------------------
// 2. EdgeApp: a KubeEdge EdgeApplication stamped out per node group.

function edgeProgram(mode: DeliveryMode, appProps: Partial<EdgeAppProps> = {}) {
  return (app: App) => {
    const p = platform(app, mode);
    const { storeA, storeB } = edgeGroups(p);
    const retail = p.addTenant('retail');
    new EdgeApp(retail, 'cam', {
      image: image('cam'),
      ports: [{ port: 8080 }, { name: 'metrics', port: 9090, servicePort: 90 }],
      env: { MODE: EnvValue.literal('edge') },
      nodeGroups: [
        {
          group: storeA,
          replicas: 2,
          image: { registry: 'edge-cache.store-a.local:5000', tag: '1.0.1' },
          env: { FRAME_RATE: '10', MODE: 'store' },
          resources: { cpu: { request: '500m', limit: '1' }, memory: { request: '256Mi', limit: '512Mi' } },
        },
        { group: storeB },
      ],
      ...appProps,
    });
  };
}

describe.each(MODES)('EdgeApp (%s mode)', (mode) => {
  let out: Output;
  let ea: any;
  const home = mode === DeliveryMode.KARMADA ? CP : fileOf('edge-1');
  beforeAll(() => {
    out = synth(edgeProgram(mode));
    ea = pick(out, 'EdgeApplication', 'cam', { ns: 'retail' });
  });

  test('the EdgeApplication is in the tenant namespace, on the control plane (karmada) or in the edge cluster (direct)', () => {
    expect(ea.apiVersion).toBe('apps.kubeedge.io/v1alpha1');
    expect(filesWith(out, 'EdgeApplication', 'cam')).toEqual([home]);
    expect(ea.metadata.labels).toMatchObject({ 'fleetplane.io/platform': PLATFORM, 'fleetplane.io/tenant': 'retail', 'app.kubernetes.io/name': 'cam' });
  });

  test('karmada: a PropagationPolicy <app>-edge to the edge cluster; direct: no policy', () => {
    const pps = every(out, 'PropagationPolicy', 'cam-edge');
    if (mode === DeliveryMode.KARMADA) {
      expect(pps).toHaveLength(1);
      expect(pps[0].metadata.namespace).toBe('retail');
      expect(pps[0].spec).toEqual({
        resourceSelectors: [selector('apps.kubeedge.io/v1alpha1', 'EdgeApplication', 'cam')],
        placement: { clusterAffinity: { clusterNames: ['edge-1'] } },
      });
    } else {
      expect(ofKind(out, 'PropagationPolicy')).toEqual([]);
    }
  });

  test('the template holds a Deployment and a Service, and nothing is rendered outside the EdgeApplication', () => {
    expect(ea.spec.workloadTemplate.manifests.map((m: any) => `${m.apiVersion} ${m.kind} ${m.metadata.namespace}/${m.metadata.name}`)).toEqual([
      'apps/v1 Deployment retail/cam',
      'v1 Service retail/cam',
    ]);
    expect(every(out, 'Deployment', 'cam')).toEqual([]);
    expect(every(out, 'Service', 'cam')).toEqual([]);
  });

  test('the Deployment is pinned to edge nodes and tolerates unreachable/not-ready forever', () => {
    const d = ea.spec.workloadTemplate.manifests[0];
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'cam', 'app.kubernetes.io/instance': 'retail-cam' });
    expect(d.spec.template.metadata.labels).toMatchObject(d.spec.selector.matchLabels);
    const pod = d.spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'node-role.kubernetes.io/edge': '' });
    expect(pod.tolerations).toEqual([
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    ]);
    for (const t of pod.tolerations) expect(t).not.toHaveProperty('tolerationSeconds');
  });

  test('restricted pod security in the template', () => {
    const pod = ea.spec.workloadTemplate.manifests[0].spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual(RESTRICTED_POD);
    expect(pod.containers).toHaveLength(1);
    const c = pod.containers[0];
    expect(c.name).toBe('app');
    expect(c.image).toBe(image('cam'));
    expect(c.securityContext).toEqual(RESTRICTED_CONTAINER);
    expect(c.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ]);
    expect(c.env).toEqual([{ name: 'MODE', value: 'edge' }]);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
  });

  test('the Service keeps endpoints inside each node group', () => {
    const svc = ea.spec.workloadTemplate.manifests[1];
    expect(svc.metadata.annotations).toEqual({ 'apps.kubeedge.io/service-topology': 'range-nodegroup' });
    expect(svc.spec.selector).toEqual({ 'app.kubernetes.io/name': 'cam', 'app.kubernetes.io/instance': 'retail-cam' });
    expect(svc.spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
      { name: 'metrics', port: 90, targetPort: 'metrics', protocol: 'TCP' },
    ]);
  });

  test('one targetNodeGroups entry per group with replicas, image, env and resources overriders', () => {
    const imagePath = { path: '/spec/template/spec/containers/0/image' };
    expect(ea.spec.workloadScope).toEqual({
      targetNodeGroups: [
        {
          name: 'store-a',
          overriders: {
            replicas: 2,
            imageOverriders: [
              { component: 'Registry', operator: 'replace', value: 'edge-cache.store-a.local:5000', predicate: imagePath },
              { component: 'Tag', operator: 'replace', value: '1.0.1', predicate: imagePath },
            ],
            envOverriders: [{ containerName: 'app', operator: 'replace', value: [{ name: 'FRAME_RATE', value: '10' }, { name: 'MODE', value: 'store' }] }],
            resourcesOverriders: [{ containerName: 'app', value: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } } }],
          },
        },
        { name: 'store-b', overriders: {} },
      ],
    });
  });

  test('the node groups are still emitted next to the app', () => {
    expect(filesWith(out, 'NodeGroup', 'store-a')).toEqual([fileOf('edge-1')]);
  });
});

describe.each(MODES)('EdgeApp variants (%s mode)', (mode) => {
  test('without ports there is no Service in the template; replicas apply to every group', () => {
    let ea!: EdgeApp;
    const out = synth((app) => {
      const p = platform(app, mode);
      const { storeA } = edgeGroups(p);
      ea = new EdgeApp(p.addTenant('retail'), 'sensor', { image: image('sensor'), replicas: 3, nodeGroups: [{ group: storeA }], command: ['/sensor'], args: ['--once'] });
    });
    const obj = pick(out, 'EdgeApplication', 'sensor');
    expect(obj.spec.workloadTemplate.manifests.map((m: any) => m.kind)).toEqual(['Deployment']);
    const d = obj.spec.workloadTemplate.manifests[0];
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers[0].command).toEqual(['/sensor']);
    expect(d.spec.template.spec.containers[0].args).toEqual(['--once']);
    expect(d.spec.template.spec.containers[0].ports).toBeUndefined();
    expect(obj.spec.workloadScope.targetNodeGroups).toEqual([{ name: 'store-a', overriders: {} }]);
    expect(ea.cluster).toBe('edge-1');
    expect(ea.appName).toBe('sensor');
    expect(ea.resource).toBeDefined();
  });

  test('a tenant limited to the edge cluster (and a cloud cluster) works', () => {
    const out = synth((app) => {
      const p = platform(app, mode);
      const { storeB } = edgeGroups(p);
      new EdgeApp(p.addTenant('retail', { clusters: { names: ['bj-1', 'edge-1'] } }), 'cam', { image: image('cam'), nodeGroups: [{ group: storeB, replicas: 0 }] });
    });
    expect(pick(out, 'EdgeApplication', 'cam').spec.workloadScope.targetNodeGroups).toEqual([{ name: 'store-b', overriders: { replicas: 0 } }]);
  });
});

const edgeCase = (appProps: Partial<EdgeAppProps> | ((g: ReturnType<typeof edgeGroups>) => Partial<EdgeAppProps>), tenant: TenantProps = {}) =>
  (app: App, mode: DeliveryMode) => {
    const p = platform(app, mode);
    const groups = edgeGroups(p);
    const props = typeof appProps === 'function' ? appProps(groups) : appProps;
    new EdgeApp(p.addTenant('retail', tenant), 'cam', { image: image('cam'), nodeGroups: [{ group: groups.storeA }], ...props });
  };
const CAM = 'prod/retail/cam';

badInputs('bad EdgeApp inputs', [
  { title: 'a StatefulSet', build: edgeCase({ kind: WorkloadKind.STATEFUL_SET }), rule: 'K46', path: CAM, prop: 'kind' },
  { title: 'node groups on two edge clusters', build: edgeCase((g) => ({ nodeGroups: [{ group: g.storeA }, { group: g.storeC }] })), rule: 'K46', path: CAM, prop: 'nodeGroups' },
  { title: 'a group that is not an EdgeNodeGroup', build: edgeCase({ nodeGroups: [{ group: { groupName: 'store-x', cluster: 'edge-1' } as any }] }), rule: 'K46', path: CAM, prop: 'nodeGroups[0].group' },
  { title: 'no node groups', build: edgeCase({ nodeGroups: [] }), rule: 'K46', path: CAM, prop: 'nodeGroups' },
  { title: 'the same group twice', build: edgeCase((g) => ({ nodeGroups: [{ group: g.storeA }, { group: g.storeA, replicas: 2 }] })), rule: 'K46', path: CAM, prop: 'nodeGroups' },
  { title: 'a tenant that does not use the edge cluster', build: edgeCase({}, { clusters: { names: ['bj-1', 'sh-1'] } }), rule: 'FP-TENANT-CLUSTERS', path: CAM, prop: 'nodeGroups' },
  { title: 'negative group replicas', build: edgeCase((g) => ({ nodeGroups: [{ group: g.storeA, replicas: -1 }] })), rule: 'FP-REPLICAS', path: CAM, prop: 'nodeGroups[0].replicas' },
  { title: 'an invalid image', build: edgeCase({ image: 'Not An Image' }), rule: 'FP-IMAGE', path: CAM, prop: 'image' },
]);

// ---------------------------------------------------------------------------------------------------------
// 3. BatchQueue: cluster-scoped Volcano Queues on every cluster of the tenant.

const ML_CLUSTERS = ['bj-1', 'sh-1'];

function queueProgram(mode: DeliveryMode) {
  return (app: App) => {
    const p = platform(app, mode);
    const ml = p.addTenant('ml', { clusters: { names: ML_CLUSTERS } });
    const research = new BatchQueue(ml, 'research', { capability: { cpu: '256', memory: '1Ti', 'nvidia.com/gpu': '32' } });
    new BatchQueue(ml, 'training', {
      parent: research,
      weight: 4,
      reclaimable: false,
      capability: { cpu: '128', memory: '512Gi', 'nvidia.com/gpu': '16' },
      deserved: { cpu: '64', memory: '256Gi', 'nvidia.com/gpu': '8' },
      guarantee: { cpu: '16', 'nvidia.com/gpu': '2' },
    });
    new BatchQueue(ml, 'adhoc', { name: 'ml-adhoc-jobs' });
  };
}

describe.each(MODES)('BatchQueue (%s mode)', (mode) => {
  let out: Output;
  beforeAll(() => {
    out = synth(queueProgram(mode));
  });
  const queueFiles = () => (mode === DeliveryMode.KARMADA ? [CP] : ML_CLUSTERS.map(fileOf));

  test('a cluster-scoped Queue named <namespace>-<id> with weight, capability, deserved, guarantee, reclaimable and parent', () => {
    for (const f of queueFiles()) {
      const q = pick(out, 'Queue', 'ml-training', { file: f });
      expect(q.apiVersion).toBe('scheduling.volcano.sh/v1beta1');
      expect(q.metadata.namespace).toBeUndefined();
      expect(q.metadata.labels).toMatchObject({ 'fleetplane.io/platform': PLATFORM, 'fleetplane.io/tenant': 'ml' });
      expect(q.spec).toEqual({
        weight: 4,
        reclaimable: false,
        parent: 'ml-research',
        capability: { cpu: '128', memory: '512Gi', 'nvidia.com/gpu': '16' },
        deserved: { cpu: '64', memory: '256Gi', 'nvidia.com/gpu': '8' },
        guarantee: { resource: { cpu: '16', 'nvidia.com/gpu': '2' } },
      });
    }
  });

  test('defaults: weight 1, reclaimable, no parent; name overrides', () => {
    for (const f of queueFiles()) {
      expect(pick(out, 'Queue', 'ml-research', { file: f }).spec).toEqual({ weight: 1, reclaimable: true, capability: { cpu: '256', memory: '1Ti', 'nvidia.com/gpu': '32' } });
      expect(pick(out, 'Queue', 'ml-adhoc-jobs', { file: f }).spec).toEqual({ weight: 1, reclaimable: true });
    }
  });

  test('the queues are exactly where the tenant is', () => {
    for (const name of ['ml-research', 'ml-training', 'ml-adhoc-jobs']) expect(filesWith(out, 'Queue', name)).toEqual(queueFiles().sort());
  });

  test('karmada: a ClusterPropagationPolicy queue-<name> to the tenant clusters; direct: none', () => {
    if (mode === DeliveryMode.KARMADA) {
      for (const name of ['ml-research', 'ml-training', 'ml-adhoc-jobs']) {
        const cpp = pick(out, 'ClusterPropagationPolicy', `queue-${name}`, { file: CP });
        expect(cpp.metadata.namespace).toBeUndefined();
        expect(cpp.spec).toEqual({
          resourceSelectors: [selector('scheduling.volcano.sh/v1beta1', 'Queue', name)],
          placement: { clusterAffinity: { clusterNames: ML_CLUSTERS } },
        });
      }
    } else {
      expect(ofKind(out, 'ClusterPropagationPolicy')).toEqual([]);
    }
  });

  test('isLeaf: a queue with children is not a leaf', () => {
    const app = new App({ outdir: tmpDir() });
    const p = platform(app, mode);
    const ml = p.addTenant('ml');
    const parent = new BatchQueue(ml, 'parent');
    const child = new BatchQueue(ml, 'child', { parent });
    expect(parent.isLeaf).toBe(false);
    expect(child.isLeaf).toBe(true);
    expect(child.parent).toBe(parent);
    expect(child.queueName).toBe('ml-child');
    expect(child.resources).toHaveLength(mode === DeliveryMode.KARMADA ? 1 : p.fleet.names.length);
  });
});

const queueCase = (props: BatchQueueProps) => (app: App, mode: DeliveryMode) => {
  new BatchQueue(platform(app, mode).addTenant('ml'), 'q', props);
};
const Q = 'prod/ml/q';

badInputs('bad BatchQueue inputs', [
  { title: 'weight 0', build: queueCase({ weight: 0 }), rule: 'K48', path: Q, prop: 'weight' },
  { title: 'weight 70000', build: queueCase({ weight: 70000 }), rule: 'K48', path: Q, prop: 'weight' },
  { title: 'weight 1.5', build: queueCase({ weight: 1.5 }), rule: 'K48', path: Q, prop: 'weight' },
  { title: 'guarantee above deserved', build: queueCase({ deserved: { cpu: '8' }, guarantee: { cpu: '9' } }), rule: 'K48', path: Q, prop: "guarantee['cpu']" },
  { title: 'guarantee above deserved in another unit', build: queueCase({ deserved: { memory: '1Gi' }, guarantee: { memory: '2000Mi' } }), rule: 'K48', path: Q, prop: "guarantee['memory']" },
  { title: 'deserved above capability', build: queueCase({ capability: { 'nvidia.com/gpu': '8' }, deserved: { 'nvidia.com/gpu': '16' } }), rule: 'K48', path: Q, prop: "deserved['nvidia.com/gpu']" },
  { title: 'guarantee above capability without deserved', build: queueCase({ capability: { cpu: '500m' }, guarantee: { cpu: '1' } }), rule: 'K48', path: Q, prop: "guarantee['cpu']" },
  { title: 'the name default', build: queueCase({ name: 'default' }), rule: 'K48', path: Q, prop: 'name' },
  { title: 'the name root', build: queueCase({ name: 'root' }), rule: 'K48', path: Q, prop: 'name' },
  { title: 'a bad quantity', build: queueCase({ capability: { memory: 'lots' } }), rule: 'K48', path: Q, prop: "capability['memory']" },
  { title: 'a name that is not a DNS label', build: queueCase({ name: 'ML_Queue' }), rule: 'K1', path: Q, prop: 'name' },
]);

describe('BatchQueue limits that hold', () => {
  test('guarantee = deserved = capability, weight 65535, and other resources are not compared', () => {
    const problems = problemsOf((app) => {
      const p = platform(app, DeliveryMode.KARMADA);
      new BatchQueue(p.addTenant('ml'), 'q', { weight: 65535, capability: { cpu: '8' }, deserved: { cpu: '8', memory: '1Ti' }, guarantee: { cpu: '8000m', 'nvidia.com/gpu': '4' } });
      return p;
    });
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// 4. BatchJob: Volcano Jobs, placed by Karmada in one cluster or written into the one selected cluster.

const JOB_TASKS: BatchTask[] = [
  {
    name: 'loader',
    replicas: 1,
    image: image('loader'),
    command: ['/loader'],
    env: { SOURCE: EnvValue.literal('s3://bucket/in') },
    restartPolicy: 'Never',
    policies: [{ exitCode: 3, action: JobAction.RESTART_TASK }],
  },
  {
    name: 'trainer',
    replicas: 3,
    minAvailable: 2,
    image: image('trainer'),
    args: ['--epochs=3'],
    gpus: 2,
    resources: { cpu: { request: '4', limit: '4' }, memory: { request: '16Gi', limit: '16Gi' } },
  },
];

function jobProgram(mode: DeliveryMode, jobProps: Partial<BatchJobProps> = {}) {
  return (app: App) => {
    const p = platform(app, mode);
    const ml = p.addTenant('ml', { clusters: { names: ML_CLUSTERS } });
    const queue = new BatchQueue(ml, 'training');
    new BatchJob(ml, 'etl', {
      queue,
      tasks: JOB_TASKS,
      maxRetry: 5,
      ttlAfterFinished: Duration.hours(1),
      policies: [
        { events: [JobEvent.POD_EVICTED, JobEvent.POD_FAILED], action: JobAction.RESTART_JOB, timeout: Duration.minutes(2) },
        { events: [JobEvent.TASK_COMPLETED], action: JobAction.COMPLETE_JOB },
      ],
      plugins: { svc: true, ssh: true, env: true },
      placement: mode === DeliveryMode.KARMADA ? Placement.where({ labels: GPU }) : Placement.clusters('sh-1'),
      ...jobProps,
    });
  };
}

describe.each(MODES)('BatchJob (%s mode)', (mode) => {
  let out: Output;
  let job: any;
  const home = mode === DeliveryMode.KARMADA ? CP : fileOf('sh-1');
  beforeAll(() => {
    out = synth(jobProgram(mode));
    job = pick(out, 'Job', 'etl', { ns: 'ml' });
  });

  test('a batch.volcano.sh/v1alpha1 Job in the tenant namespace, on the control plane or in the one selected cluster', () => {
    expect(job.apiVersion).toBe('batch.volcano.sh/v1alpha1');
    expect(filesWith(out, 'Job', 'etl')).toEqual([home]);
    expect(job.metadata.labels).toMatchObject({ 'fleetplane.io/platform': PLATFORM, 'fleetplane.io/tenant': 'ml', 'app.kubernetes.io/name': 'etl' });
  });

  test('job fields: scheduler, queue, minAvailable = sum of replicas, maxRetry, ttl, policies, plugins', () => {
    const { tasks, ...rest } = job.spec;
    expect(rest).toEqual({
      schedulerName: 'volcano',
      queue: 'ml-training',
      minAvailable: 4,
      maxRetry: 5,
      ttlSecondsAfterFinished: 3600,
      policies: [
        { events: ['PodEvicted', 'PodFailed'], action: 'RestartJob', timeout: '120s' },
        { events: ['TaskCompleted'], action: 'CompleteJob' },
      ],
      plugins: { svc: [], ssh: [], env: [] },
    });
    expect(tasks.map((t: any) => [t.name, t.replicas, t.minAvailable])).toEqual([['loader', 1, undefined], ['trainer', 3, 2]]);
  });

  test('task templates: restart policy, exit-code policy, env, command and restricted pod security', () => {
    const loader = job.spec.tasks[0];
    expect(loader.policies).toEqual([{ exitCode: 3, action: 'RestartTask' }]);
    expect(loader.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'etl', 'fleetplane.io/task': 'loader' });
    const pod = loader.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual(RESTRICTED_POD);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(pod.containers).toEqual([{
      name: 'loader',
      image: image('loader'),
      command: ['/loader'],
      env: [{ name: 'SOURCE', value: 's3://bucket/in' }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      securityContext: RESTRICTED_CONTAINER,
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    }]);
  });

  test('GPUs are requested and limited as nvidia.com/gpu; the default restart policy is OnFailure', () => {
    const trainer = job.spec.tasks[1];
    expect(trainer.policies).toBeUndefined();
    const pod = trainer.template.spec;
    expect(pod.restartPolicy).toBe('OnFailure');
    expect(pod.securityContext).toEqual(RESTRICTED_POD);
    const c = pod.containers[0];
    expect(c.args).toEqual(['--epochs=3']);
    expect(c.securityContext).toEqual(RESTRICTED_CONTAINER);
    expect(String(c.resources.requests['nvidia.com/gpu'])).toBe('2');
    expect(String(c.resources.limits['nvidia.com/gpu'])).toBe('2');
    expect(c.resources.requests).toMatchObject({ cpu: '4', memory: '16Gi' });
    expect(c.resources.limits).toMatchObject({ cpu: '4', memory: '16Gi' });
    expect(job.spec.tasks[0].template.spec.containers[0].resources.requests).not.toHaveProperty('nvidia.com/gpu');
  });

  test('karmada: a Duplicated PropagationPolicy keeping the gang in one cluster, with the placement affinity; direct: none', () => {
    if (mode === DeliveryMode.KARMADA) {
      const pp = pick(out, 'PropagationPolicy', 'etl', { file: CP, ns: 'ml' });
      expect(pp.spec.resourceSelectors).toEqual([selector('batch.volcano.sh/v1alpha1', 'Job', 'etl')]);
      expect(pp.spec.placement.replicaScheduling).toEqual({ replicaSchedulingType: 'Duplicated' });
      expect(pp.spec.placement.spreadConstraints).toEqual([{ spreadByField: 'cluster', minGroups: 1, maxGroups: 1 }]);
      // The tenant uses bj-1 and sh-1 only, so the affinity is scoped to them.
      expect(pp.spec.placement.clusterAffinity).toEqual({ clusterNames: ML_CLUSTERS, labelSelector: { matchLabels: GPU } });
      expect(pp.spec.placement.clusterAffinities).toBeUndefined();
    } else {
      expect(ofKind(out, 'PropagationPolicy')).toEqual([]);
      expect(every(out, 'Job', 'etl', { file: fileOf('bj-1') })).toEqual([]);
    }
  });

  test('an explicit minAvailable and the defaults (maxRetry 3, no ttl, no policies, no plugins)', () => {
    const o = synth(jobProgram(mode, { minAvailable: 2, maxRetry: undefined, ttlAfterFinished: undefined, policies: undefined, plugins: undefined }));
    const spec = pick(o, 'Job', 'etl').spec;
    expect(spec.minAvailable).toBe(2);
    expect(spec.maxRetry).toBe(3);
    expect(spec).not.toHaveProperty('ttlSecondsAfterFinished');
    expect(spec).not.toHaveProperty('policies');
    expect(spec).not.toHaveProperty('plugins');
  });
});

describe('BatchJob placement in karmada mode', () => {
  test('fallback groups become clusterAffinities scoped to the tenant', () => {
    const out = synth(jobProgram(DeliveryMode.KARMADA, {
      placement: Placement.fallback({ name: 'primary', clusters: { names: ['bj-1'] } }, { name: 'backup', clusters: { labels: GPU } }),
    }));
    const placement = pick(out, 'PropagationPolicy', 'etl').spec.placement;
    expect(placement.clusterAffinity).toBeUndefined();
    expect(placement.clusterAffinities).toEqual([
      { affinityName: 'primary', clusterNames: ['bj-1'] },
      { affinityName: 'backup', clusterNames: ML_CLUSTERS, labelSelector: { matchLabels: GPU } },
    ]);
    expect(placement.spreadConstraints).toEqual([{ spreadByField: 'cluster', minGroups: 1, maxGroups: 1 }]);
  });

  test('the default placement (all clusters of a tenant that uses every cluster) gives an unrestricted affinity', () => {
    const out = synth((app) => {
      const p = platform(app, DeliveryMode.KARMADA);
      const ml = p.addTenant('ml');
      new BatchJob(ml, 'etl', { queue: new BatchQueue(ml, 'q'), tasks: [{ name: 'w', replicas: 2, image: image('w') }] });
    });
    const placement = pick(out, 'PropagationPolicy', 'etl').spec.placement;
    expect(placement.clusterAffinity ?? {}).toEqual({});
    expect(pick(out, 'Job', 'etl').spec.minAvailable).toBe(2);
  });
});

describe.each(MODES)('BatchJob helpers (%s mode)', (mode) => {
  const where = mode === DeliveryMode.KARMADA ? Placement.where({ labels: GPU }) : Placement.clusters('bj-1');
  let out: Output;
  beforeAll(() => {
    out = synth((app) => {
      const p = platform(app, mode);
      const ml = p.addTenant('ml', { clusters: { names: ML_CLUSTERS } });
      const queue = new BatchQueue(ml, 'training');
      BatchJob.pytorch(ml, 'resnet', {
        queue,
        image: image('resnet'),
        workers: 4,
        gpusPerReplica: 1,
        args: ['--epochs=90'],
        resources: { cpu: { request: '8', limit: '8' }, memory: { request: '32Gi', limit: '32Gi' } },
        placement: where,
      });
      BatchJob.pytorch(ml, 'bert', { queue, image: image('bert'), workers: 2, port: 29500, placement: where });
      BatchJob.spark(ml, 'pi', {
        queue,
        image: image('spark'),
        executors: 3,
        mainClass: 'org.apache.spark.examples.SparkPi',
        jar: 'local:///opt/spark/examples/jars/spark-examples.jar',
        driver: { cores: 1, coresLimit: '1', memory: '2Gi' },
        kubeApi: { cidrs: ['10.0.0.10'], port: 6443 },
        placement: where,
      });
    });
  });

  test('pytorch: master(1) and worker(N), the pytorch/svc/env plugins, gang of all pods', () => {
    const spec = pick(out, 'Job', 'resnet').spec;
    expect(spec.tasks.map((t: any) => [t.name, t.replicas])).toEqual([['master', 1], ['worker', 4]]);
    expect(spec.plugins).toEqual({ pytorch: ['--master=master', '--worker=worker', '--port=23456'], svc: [], env: [] });
    expect(spec.minAvailable).toBe(5);
    expect(spec.queue).toBe('ml-training');
    expect(spec.schedulerName).toBe('volcano');
    expect(spec.policies).toEqual([{ events: ['PodEvicted'], action: 'RestartJob' }]);
    expect(spec.tasks[0].policies).toEqual([{ events: ['TaskCompleted'], action: 'CompleteJob' }]);
    expect(spec.tasks[1].policies).toEqual([{ events: ['TaskFailed'], action: 'RestartJob' }]);
    for (const t of spec.tasks) {
      const c = t.template.spec.containers[0];
      expect(c.image).toBe(image('resnet'));
      expect(c.args).toEqual(['--epochs=90']);
      expect(String(c.resources.limits['nvidia.com/gpu'])).toBe('1');
      expect(String(c.resources.requests['nvidia.com/gpu'])).toBe('1');
      expect(c.resources.requests).toMatchObject({ cpu: '8', memory: '32Gi' });
    }
  });

  test('pytorch: the port option; no GPUs by default', () => {
    const spec = pick(out, 'Job', 'bert').spec;
    expect(spec.plugins.pytorch).toEqual(['--master=master', '--worker=worker', '--port=29500']);
    expect(spec.minAvailable).toBe(3);
    for (const t of spec.tasks) {
      const r = t.template.spec.containers[0].resources;
      expect(r.requests).not.toHaveProperty('nvidia.com/gpu');
      expect(r.limits ?? {}).not.toHaveProperty('nvidia.com/gpu');
    }
  });

  test('spark: one spark-submit task in cluster mode with the main class and jar (test/batch-spark.test.ts has the rest)', () => {
    const spec = pick(out, 'Job', 'pi').spec;
    expect(spec.tasks.map((t: any) => [t.name, t.replicas])).toEqual([['submit', 1]]);
    const c = spec.tasks[0].template.spec.containers[0];
    expect(c.command).toEqual(['/opt/spark/bin/spark-submit']);
    expect(c.args.slice(0, 8)).toEqual(['--master', 'k8s://https://kubernetes.default.svc:443', '--deploy-mode', 'cluster', '--name', 'pi', '--class', 'org.apache.spark.examples.SparkPi']);
    expect(c.args).toContain('spark.driver.memory=2048m');
    expect(c.args[c.args.length - 1]).toBe('local:///opt/spark/examples/jars/spark-examples.jar');
    expect(spec.minAvailable).toBe(1);
    expect(spec.plugins).toBeUndefined();
  });

  test('every job is placed like the others', () => {
    const expected = mode === DeliveryMode.KARMADA ? [CP] : [fileOf('bj-1')];
    for (const name of ['resnet', 'bert', 'pi']) expect(filesWith(out, 'Job', name)).toEqual(expected);
  });
});

const TASK = (props: Partial<BatchTask> = {}): BatchTask => ({ name: 'worker', replicas: 2, image: image('worker'), ...props });

/** A job in tenant ml (bj-1, sh-1) placed on bj-1, so that each case gives exactly its own error in both modes. */
const jobCase = (props: Partial<BatchJobProps> | ((ml: Tenant, q: BatchQueue) => Partial<BatchJobProps>), tenant: TenantProps = { clusters: { names: ML_CLUSTERS } }) =>
  (app: App, mode: DeliveryMode) => {
    const ml = platform(app, mode).addTenant('ml', tenant);
    const queue = new BatchQueue(ml, 'training');
    const extra = typeof props === 'function' ? props(ml, queue) : props;
    new BatchJob(ml, 'etl', { queue, tasks: [TASK()], placement: Placement.clusters('bj-1'), ...extra });
  };
const JOB = 'prod/ml/etl';

badInputs('bad BatchJob inputs', [
  { title: 'minAvailable above the sum of replicas', build: jobCase({ tasks: [TASK(), TASK({ name: 'ps', replicas: 1 })], minAvailable: 4 }), rule: 'K47', path: JOB, prop: 'minAvailable' },
  { title: 'task minAvailable above its replicas', build: jobCase({ tasks: [TASK({ minAvailable: 3 })] }), rule: 'K47', path: JOB, prop: 'tasks[0].minAvailable' },
  { title: 'duplicate task names', build: jobCase({ tasks: [TASK(), TASK()] }), rule: 'K47', path: JOB, prop: 'tasks[1].name' },
  { title: 'a task name that is not a DNS label', build: jobCase({ tasks: [TASK({ name: 'Worker' })] }), rule: 'K47', path: JOB, prop: 'tasks[0].name' },
  {
    title: 'a pod name <job>-<task>-<index> over 63 characters',
    // 'j' x 40 + '-' + 't' x 22 + '-9' = 65 characters.
    build: jobCase({ name: 'j'.repeat(40), tasks: [TASK({ name: 't'.repeat(22), replicas: 10 })] }),
    rule: 'K47', path: JOB, prop: 'tasks[0].name',
  },
  {
    title: 'a policy with both events and exitCode',
    build: jobCase({ policies: [{ events: [JobEvent.POD_FAILED], exitCode: 2, action: JobAction.RESTART_JOB }] }),
    rule: 'K47', path: JOB, prop: 'policies[0]',
  },
  { title: 'a policy with neither events nor exitCode', build: jobCase({ policies: [{ action: JobAction.RESTART_JOB }] }), rule: 'K47', path: JOB, prop: 'policies[0]' },
  { title: 'exitCode 0', build: jobCase({ policies: [{ exitCode: 0, action: JobAction.RESTART_JOB }] }), rule: 'K47', path: JOB, prop: 'policies[0].exitCode' },
  {
    title: "'*' together with other events",
    build: jobCase({ policies: [{ events: [JobEvent.ANY, JobEvent.POD_FAILED], action: JobAction.ABORT_JOB }] }),
    rule: 'K47', path: JOB, prop: 'policies[0].events',
  },
  {
    title: 'the same event in two policies',
    build: jobCase({ policies: [{ events: [JobEvent.POD_FAILED], action: JobAction.RESTART_JOB }, { events: [JobEvent.POD_FAILED], action: JobAction.ABORT_JOB }] }),
    rule: 'K47', path: JOB, prop: 'policies[1].events',
  },
  {
    title: 'the same event in two task policies',
    build: jobCase({ tasks: [TASK({ policies: [{ events: [JobEvent.TASK_FAILED], action: JobAction.RESTART_TASK }, { events: [JobEvent.TASK_FAILED], action: JobAction.ABORT_JOB }] })] }),
    rule: 'K47', path: JOB, prop: 'tasks[0].policies[1].events',
  },
  { title: 'an unknown action', build: jobCase({ policies: [{ events: [JobEvent.POD_FAILED], action: 'Reboot' as JobAction }] }), rule: 'K47', path: JOB, prop: 'policies[0].action' },
  {
    title: 'the pytorch plugin without a worker task',
    build: jobCase({ tasks: [TASK({ name: 'master', replicas: 1 })], plugins: { pytorch: {}, svc: true } }),
    rule: 'K47', path: JOB, prop: 'plugins.pytorch',
  },
  {
    title: 'the pytorch plugin without its configured master task',
    build: jobCase({ tasks: [TASK({ name: 'master', replicas: 1 }), TASK()], plugins: { pytorch: { master: 'chief' }, svc: true } }),
    rule: 'K47', path: JOB, prop: 'plugins.pytorch',
  },
  {
    title: 'a queue that is another queue\'s parent',
    build: jobCase((ml, q) => ({ queue: (new BatchQueue(ml, 'child', { parent: q }), q) })),
    rule: 'K47', path: JOB, prop: 'queue',
  },
  {
    title: 'a queue of a tenant that does not cover the job\'s clusters',
    build: (app, mode) => {
      const p = platform(app, mode);
      const small = p.addTenant('small', { clusters: { names: ['sh-1'] } });
      const ml = p.addTenant('ml', { clusters: { names: ML_CLUSTERS } });
      new BatchJob(ml, 'etl', { queue: new BatchQueue(small, 'q'), tasks: [TASK()], placement: Placement.clusters('bj-1') });
    },
    rule: 'K47', path: JOB, prop: 'queue',
  },
  { title: 'no tasks', build: jobCase({ tasks: [] }), rule: 'K47', path: JOB, prop: 'tasks' },
  { title: 'fractional GPUs', build: jobCase({ tasks: [TASK({ gpus: 0.5 })] }), rule: 'K47', path: JOB, prop: 'tasks[0].gpus' },
  { title: 'negative maxRetry', build: jobCase({ maxRetry: -1 }), rule: 'K47', path: JOB, prop: 'maxRetry' },
  { title: 'an unknown placement cluster', build: jobCase({ placement: Placement.clusters('bj-1', 'xx-9') }), rule: 'K13', path: JOB, prop: 'placement.names[1]' },
  { title: 'a placement selecting no cluster', build: jobCase({ placement: Placement.where({ labels: { accelerator: 'tpu' } }) }), rule: 'FP-EMPTY-SELECTOR', path: JOB, prop: 'placement' },
]);

badInputs('BatchJob in direct mode', [
  { title: 'a placement selecting two clusters', build: jobCase({ placement: Placement.where({ labels: GPU }) }), rule: 'FP-DIRECT', path: JOB, prop: 'placement' },
  { title: 'the default placement', build: jobCase({ placement: undefined }), rule: 'FP-DIRECT', path: JOB, prop: 'placement' },
], [DeliveryMode.DIRECT]);

describe('BatchJob pod name limit', () => {
  test('exactly 63 characters is fine; the index is the last replica', () => {
    // 'j' x 40 + '-' + 't' x 20 + '-' + '9' = 63.
    const problems = problemsOf((app) => {
      const p = platform(app, DeliveryMode.KARMADA);
      const ml = p.addTenant('ml');
      new BatchJob(ml, 'j'.repeat(40), { queue: new BatchQueue(ml, 'q'), tasks: [TASK({ name: 't'.repeat(20), replicas: 10 })] });
      return p;
    });
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// 5. CrossClusterService: Karmada MCS, Karmada import, Submariner and Istio.

const webProps = (props: Partial<FederatedAppProps> = {}): FederatedAppProps => ({
  image: image('web'),
  ports: [{ name: 'http', port: 8080, servicePort: 80 }, { name: 'grpc', port: 9090 }],
  placement: Placement.clusters('bj-1', 'sh-1'),
  ...props,
});

function xcs(backend: CrossClusterBackend, props: Partial<CrossClusterServiceProps> = {}, platformProps: Partial<DistributedPlatformProps> = {}) {
  const result: { service?: CrossClusterService; platform?: DistributedPlatform } = {};
  const build = (mode: DeliveryMode) => (app: App) => {
    const p = platform(app, mode, platformProps);
    const shop = p.addTenant('shop');
    const web = new FederatedApp(shop, 'web', webProps());
    result.platform = p;
    result.service = new CrossClusterService(shop, 'web-xcs', { app: web, backend, consumers: { names: ['gz-1', 'edge-1'] }, ...props });
  };
  return { build, result };
}

describe('CrossClusterService with KARMADA_MCS (karmada mode)', () => {
  const { build, result } = xcs(CrossClusterBackend.KARMADA_MCS);
  let out: Output;
  beforeAll(() => {
    out = synth(build(DeliveryMode.KARMADA));
  });

  test('a MultiClusterService named like the Service, CrossCluster, ports by name, providers and consumers', () => {
    const mcs = pick(out, 'MultiClusterService', 'web', { file: CP, ns: 'shop' });
    expect(mcs.apiVersion).toBe('networking.karmada.io/v1alpha1');
    expect(mcs.spec).toEqual({
      types: ['CrossCluster'],
      ports: [{ name: 'http', port: 80 }, { name: 'grpc', port: 9090 }],
      providerClusters: [{ name: 'bj-1' }, { name: 'sh-1' }],
      // Sorted by name: declaration order carries no meaning.
      consumerClusters: [{ name: 'edge-1' }, { name: 'gz-1' }],
    });
    // Rule 26: a Service of that name exists in the same namespace.
    pick(out, 'Service', 'web', { file: CP, ns: 'shop' });
  });

  test('no export, import or extra policy', () => {
    for (const k of ['ServiceExport', 'ServiceImport']) expect(ofKind(out, k)).toEqual([]);
    expect(every(out, 'ClusterPropagationPolicy', 'fleetplane-mcs-crds')).toEqual([]);
    expect(every(out, 'PropagationPolicy', 'web-export')).toEqual([]);
  });

  test('the native address, providers defaulting to where the app runs, and a K26 feature-gate warning', () => {
    const s = result.service!;
    expect(s.address).toBe('web.shop.svc.cluster.local');
    expect(s.providers).toEqual(['bj-1', 'sh-1']);
    expect(s.consumers).toEqual(['edge-1', 'gz-1']);
    expect(s.addressIn('bj-1')).toBeUndefined();
    const problems = result.platform!.problems();
    expect(errorsOf(problems)).toEqual([]);
    expect(warningsOf(problems)).toEqual([expect.objectContaining({ rule: 'K26', path: 'prod/shop/web-xcs', prop: 'backend', value: 'karmada-mcs' })]);
  });

  test('explicit providers', () => {
    const o = synth(xcs(CrossClusterBackend.KARMADA_MCS, { providers: ['sh-1'] }).build(DeliveryMode.KARMADA));
    expect(pick(o, 'MultiClusterService', 'web').spec.providerClusters).toEqual([{ name: 'sh-1' }]);
  });
});

describe('CrossClusterService with KARMADA_IMPORT (karmada mode)', () => {
  let out: Output;
  const services: Record<string, CrossClusterService> = {};
  beforeAll(() => {
    out = synth((app) => {
      const p = platform(app, DeliveryMode.KARMADA);
      const shop = p.addTenant('shop');
      const web = new FederatedApp(shop, 'web', webProps());
      const api = new FederatedApp(shop, 'api', webProps({ ports: [{ name: 'http', port: 8081 }, { name: 'dns', port: 5353, protocol: 'UDP' as any }], placement: Placement.clusters('gz-1') }));
      services.web = new CrossClusterService(shop, 'web-xcs', { app: web, backend: CrossClusterBackend.KARMADA_IMPORT, consumers: { names: ['gz-1'] } });
      services.api = new CrossClusterService(shop, 'api-xcs', { app: api, backend: CrossClusterBackend.KARMADA_IMPORT, consumers: { regions: ['cn-north', 'cn-east'] } });
    });
  });

  test('a ServiceExport and a ServiceImport (ClusterSetIP, ports) named like the Service', () => {
    const exp = pick(out, 'ServiceExport', 'web', { file: CP, ns: 'shop' });
    expect(exp.apiVersion).toBe('multicluster.x-k8s.io/v1alpha1');
    expect(exp.spec).toBeUndefined();
    const imp = pick(out, 'ServiceImport', 'web', { file: CP, ns: 'shop' });
    expect(imp.apiVersion).toBe('multicluster.x-k8s.io/v1alpha1');
    expect(imp.spec).toEqual({ type: 'ClusterSetIP', ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'grpc', port: 9090, protocol: 'TCP' }] });
    expect(pick(out, 'ServiceImport', 'api').spec.ports).toEqual([{ name: 'http', port: 8081, protocol: 'TCP' }, { name: 'dns', port: 5353, protocol: 'UDP' }]);
  });

  test('the export goes to the providers, the import to the consumers', () => {
    const exp = pick(out, 'PropagationPolicy', 'web-export', { file: CP, ns: 'shop' });
    expect(exp.spec).toEqual({
      resourceSelectors: [selector('multicluster.x-k8s.io/v1alpha1', 'ServiceExport', 'web')],
      placement: { clusterAffinity: { clusterNames: ['bj-1', 'sh-1'] } },
    });
    const imp = pick(out, 'PropagationPolicy', 'web-import', { file: CP, ns: 'shop' });
    expect(imp.spec).toEqual({
      resourceSelectors: [selector('multicluster.x-k8s.io/v1alpha1', 'ServiceImport', 'web')],
      placement: { clusterAffinity: { clusterNames: ['gz-1'] } },
    });
    expect(pick(out, 'PropagationPolicy', 'api-export').spec.placement.clusterAffinity.clusterNames).toEqual(['gz-1']);
    // Consumers selected by region resolve to cluster names.
    expect(pick(out, 'PropagationPolicy', 'api-import').spec.placement.clusterAffinity.clusterNames).toEqual(['bj-1', 'edge-2', 'sh-1']);
  });

  test('the mcs-api CRDs are propagated once by a ClusterPropagationPolicy, even with two services', () => {
    const cpps = every(out, 'ClusterPropagationPolicy', 'fleetplane-mcs-crds');
    expect(cpps).toHaveLength(1);
    expect(cpps[0].metadata.namespace).toBeUndefined();
    expect(cpps[0].metadata.labels['fleetplane.io/platform']).toBe(PLATFORM);
    expect(cpps[0].spec).toEqual({
      resourceSelectors: [
        selector('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'serviceexports.multicluster.x-k8s.io'),
        selector('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'serviceimports.multicluster.x-k8s.io'),
      ],
      placement: { clusterAffinity: { clusterNames: CLUSTERS.map((c) => c.name).sort() } },
    });
  });

  test('consumers call derived-<svc>', () => {
    expect(services.web.address).toBe('derived-web.shop.svc.cluster.local');
    expect(services.api.address).toBe('derived-api.shop.svc.cluster.local');
    expect(services.web.addressIn('bj-1')).toBeUndefined();
  });
});

describe.each(MODES)('CrossClusterService with SUBMARINER (%s mode)', (mode) => {
  const { build, result } = xcs(CrossClusterBackend.SUBMARINER, { consumers: { names: ['gz-1', 'edge-1'] } });
  let out: Output;
  beforeAll(() => {
    out = synth(build(mode));
  });

  test('karmada: one ServiceExport on the control plane with a PropagationPolicy to the providers', () => {
    if (mode !== DeliveryMode.KARMADA) return;
    const exp = pick(out, 'ServiceExport', 'web', { file: CP, ns: 'shop' });
    expect(exp.apiVersion).toBe('multicluster.x-k8s.io/v1alpha1');
    expect(pick(out, 'PropagationPolicy', 'web-export', { file: CP, ns: 'shop' }).spec).toEqual({
      resourceSelectors: [selector('multicluster.x-k8s.io/v1alpha1', 'ServiceExport', 'web')],
      placement: { clusterAffinity: { clusterNames: ['bj-1', 'sh-1'] } },
    });
    expect(ofKind(out, 'ServiceExport')).toHaveLength(1);
  });

  test('direct: a ServiceExport next to the Service in each provider output, and only there', () => {
    if (mode !== DeliveryMode.DIRECT) return;
    expect(filesWith(out, 'ServiceExport', 'web')).toEqual([fileOf('bj-1'), fileOf('sh-1')]);
    for (const c of ['bj-1', 'sh-1']) {
      expect(pick(out, 'ServiceExport', 'web', { file: fileOf(c), ns: 'shop' }).apiVersion).toBe('multicluster.x-k8s.io/v1alpha1');
      pick(out, 'Service', 'web', { file: fileOf(c), ns: 'shop' });
    }
    expect(ofKind(out, 'PropagationPolicy')).toEqual([]);
  });

  test('no ServiceImport, MultiClusterService or CRD policy (Lighthouse creates imports itself)', () => {
    for (const k of ['ServiceImport', 'MultiClusterService']) expect(ofKind(out, k)).toEqual([]);
    expect(every(out, 'ClusterPropagationPolicy', 'fleetplane-mcs-crds')).toEqual([]);
  });

  test('clusterset.local addresses, per-cluster addresses with the Submariner cluster IDs', () => {
    const s = result.service!;
    expect(s.address).toBe('web.shop.svc.clusterset.local');
    expect(s.addressIn('bj-1')).toBe('beijing.web.shop.svc.clusterset.local');
    expect(s.addressIn('sh-1')).toBe('sh-1.web.shop.svc.clusterset.local');
    expect(s.addressIn('edge-2')).toBeUndefined();
    expect(result.platform!.problems()).toEqual([]);
  });
});

describe.each(MODES)('CrossClusterService with ISTIO (%s mode)', (mode) => {
  const program = (withXcs: boolean) => (app: App) => {
    const p = platform(app, mode, { mesh: MESH });
    const shop = p.addTenant('shop');
    const web = new FederatedApp(shop, 'web', webProps());
    new MeshedService(shop, 'web-mesh', { app: web });
    if (withXcs) {
      const s = new CrossClusterService(shop, 'web-xcs', { app: web, backend: CrossClusterBackend.ISTIO, consumers: { names: ['gz-1'] } });
      expect(s.address).toBe('web.shop.svc.cluster.local');
      expect(s.addressIn('bj-1')).toBeUndefined();
      expect(s.resources).toEqual([]);
      expect(p.problems()).toEqual([]);
    }
  };

  test('emits nothing: the output is the same as without the CrossClusterService', () => {
    expect(synth(program(true))).toEqual(synth(program(false)));
  });
});

const XCS = 'prod/shop/web-xcs';
const xcsCase = (backend: CrossClusterBackend, props: Partial<CrossClusterServiceProps> = {}, platformProps: Partial<DistributedPlatformProps> = {}, tenant: TenantProps = {}) =>
  (app: App, mode: DeliveryMode) => {
    const p = platform(app, mode, platformProps);
    const shop = p.addTenant('shop', tenant);
    new CrossClusterService(shop, 'web-xcs', { app: new FederatedApp(shop, 'web', webProps()), backend, consumers: { names: ['gz-1'] }, ...props });
  };

badInputs('bad CrossClusterService inputs', [
  { title: 'submariner without platform submariner', build: xcsCase(CrossClusterBackend.SUBMARINER, {}, { submariner: undefined }), rule: 'K49', path: XCS, prop: 'backend' },
  { title: 'submariner consumers not joined to Submariner', build: xcsCase(CrossClusterBackend.SUBMARINER, { consumers: { names: ['gz-1', 'edge-2'] } }), rule: 'K49', path: XCS, prop: 'consumers' },
  { title: 'providers where the app does not run', build: xcsCase(CrossClusterBackend.SUBMARINER, { providers: ['bj-1', 'gz-1'] }), rule: 'K49', path: XCS, prop: 'providers' },
  {
    title: 'a consumer cluster without the tenant namespace',
    build: xcsCase(CrossClusterBackend.SUBMARINER, {}, {}, { clusters: { names: ['bj-1', 'sh-1'] } }),
    rule: 'K49', path: XCS, prop: 'consumers',
  },
  { title: 'istio without a MeshedService', build: xcsCase(CrossClusterBackend.ISTIO, {}, { mesh: MESH }), rule: 'K49', path: XCS, prop: 'backend' },
  { title: 'istio without a mesh', build: xcsCase(CrossClusterBackend.ISTIO), rule: 'K49', path: XCS, prop: 'backend' },
  {
    title: 'two CrossClusterServices for one app with different backends',
    build: (app, mode) => {
      const p = platform(app, mode, { mesh: MESH });
      const shop = p.addTenant('shop');
      const web = new FederatedApp(shop, 'web', webProps());
      new MeshedService(shop, 'web-mesh', { app: web });
      new CrossClusterService(shop, 'web-b', { app: web, backend: CrossClusterBackend.SUBMARINER, consumers: { names: ['gz-1'] } });
      new CrossClusterService(shop, 'web-a', { app: web, backend: CrossClusterBackend.ISTIO, consumers: { names: ['gz-1'] } });
    },
    rule: 'K49', path: 'prod/shop/web-a', prop: 'backend',
  },
  { title: 'an unknown consumer cluster', build: xcsCase(CrossClusterBackend.SUBMARINER, { consumers: { names: ['gz-1', 'gz-9'] } }), rule: 'K13', path: XCS, prop: 'consumers' },
  { title: 'a selector matching no consumer', build: xcsCase(CrossClusterBackend.SUBMARINER, { consumers: { regions: ['eu-west'] } }), rule: 'FP-EMPTY-SELECTOR', path: XCS, prop: 'consumers' },
  {
    title: 'an app of another tenant',
    build: (app, mode) => {
      const p = platform(app, mode);
      const other = p.addTenant('other');
      const shop = p.addTenant('shop');
      new CrossClusterService(shop, 'web-xcs', { app: new FederatedApp(other, 'web', webProps()), backend: CrossClusterBackend.SUBMARINER, consumers: { names: ['gz-1'] } });
    },
    rule: 'FP-XCS', path: XCS, prop: 'app',
  },
  { title: 'an app without ports', build: (app, mode) => {
    const shop = platform(app, mode).addTenant('shop');
    new CrossClusterService(shop, 'web-xcs', { app: new FederatedApp(shop, 'web', webProps({ ports: undefined })), backend: CrossClusterBackend.SUBMARINER, consumers: { names: ['gz-1'] } });
  }, rule: 'FP-XCS', path: XCS, prop: 'app' },
]);

badInputs('Karmada-only backends in direct mode', [
  { title: 'KARMADA_MCS', build: xcsCase(CrossClusterBackend.KARMADA_MCS), rule: 'FP-DIRECT', path: XCS, prop: 'backend' },
  { title: 'KARMADA_IMPORT', build: xcsCase(CrossClusterBackend.KARMADA_IMPORT), rule: 'FP-DIRECT', path: XCS, prop: 'backend' },
], [DeliveryMode.DIRECT]);

describe('bad MultiClusterService port names', () => {
  test('a port name that is not a DNS label is K26 on the service (and K3 on the app)', () => {
    const { error, dir } = synthError((app) => {
      const shop = platform(app, DeliveryMode.KARMADA).addTenant('shop');
      new CrossClusterService(shop, 'web-xcs', { app: new FederatedApp(shop, 'web', webProps({ ports: [{ name: 'HTTP', port: 8080 }] })), backend: CrossClusterBackend.KARMADA_MCS, consumers: { names: ['gz-1'] } });
    });
    expect(errorsOf(error.problems)).toEqual([
      expect.objectContaining({ rule: 'K3', path: 'prod/shop/web', prop: 'ports[0].name' }),
      expect.objectContaining({ rule: 'K26', path: XCS, prop: 'app.ports', value: 'HTTP' }),
    ]);
    expect(yamlFiles(dir)).toEqual([]);
  });
});

describe('BatchJob negative replicas', () => {
  test.each(MODES)('%s: replicas -1 is K47 on the task', (mode) => {
    const { error, dir } = synthError((app) => jobCase({ tasks: [TASK({ replicas: -1 })] })(app, mode));
    expect(errorsOf(error.problems)).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'K47', path: JOB, prop: 'tasks[0].replicas', value: -1 })]));
    expect(yamlFiles(dir)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// 6. Submariner on the platform: cluster IDs and CIDRs.

describe('platform submariner', () => {
  test('resolved: broker, joined clusters (default: cloud clusters) with IDs defaulting to the names, globalnet off', () => {
    const p = new DistributedPlatform(new App(), PLATFORM, { clusters: CLUSTERS, submariner: { broker: 'bj-1', clusterIds: { 'sh-1': 'shanghai' } } });
    expect(p.submariner).toEqual({ broker: 'bj-1', clusterIds: { 'bj-1': 'bj-1', 'sh-1': 'shanghai', 'gz-1': 'gz-1' }, globalnet: false });
    expect(p.problems()).toEqual([]);
  });

  test('explicit clusters include edge clusters; no submariner means undefined', () => {
    const p = new DistributedPlatform(new App(), PLATFORM, { clusters: CLUSTERS, submariner: SUBMARINER });
    expect(Object.keys(p.submariner!.clusterIds)).toEqual(['bj-1', 'edge-1', 'gz-1', 'sh-1']);
    expect(new DistributedPlatform(new App(), PLATFORM, { clusters: CLUSTERS }).submariner).toBeUndefined();
  });

  test('overlapping CIDRs are fine with globalnet', () => {
    const overlapping = CLUSTERS.map((c) => ({ ...c, podCidr: '10.0.0.0/16', serviceCidr: '10.96.0.0/16' }));
    const p = new DistributedPlatform(new App(), PLATFORM, { clusters: overlapping, submariner: { ...SUBMARINER, globalnet: true } });
    expect(p.problems()).toEqual([]);
    expect(p.submariner!.globalnet).toBe(true);
  });

  test('overlapping CIDRs are fine on clusters that are not joined', () => {
    const clusters = CLUSTERS.map((c) => (c.name === 'edge-2' ? { ...c, podCidr: '10.1.0.0/16' } : c));
    expect(new DistributedPlatform(new App(), PLATFORM, { clusters, submariner: SUBMARINER }).problems()).toEqual([]);
  });

  test('cidrsOverlap', () => {
    expect(cidrsOverlap('10.0.0.0/8', '10.20.0.0/16')).toBe(true);
    expect(cidrsOverlap('10.20.0.0/16', '10.0.0.0/8')).toBe(true);
    expect(cidrsOverlap('10.1.0.0/16', '10.2.0.0/16')).toBe(false);
    expect(cidrsOverlap('192.168.0.0/24', '192.168.0.255/32')).toBe(true);
    expect(cidrsOverlap('192.168.0.0/24', '192.168.1.0/32')).toBe(false);
    expect(cidrsOverlap('0.0.0.0/0', '172.16.0.0/12')).toBe(true);
    expect(cidrsOverlap('10.1.0.0/16', 'garbage')).toBe(false);
    expect(cidrsOverlap('300.1.0.0/16', '10.1.0.0/16')).toBe(false);
  });
});

const withClusters = (patch: Record<string, Partial<MemberClusterProps>>) => CLUSTERS.map((c) => ({ ...c, ...(patch[c.name] ?? {}) }));
const subCase = (submariner: Partial<SubmarinerProps>, clusters: MemberClusterProps[] = CLUSTERS) => (app: App, mode: DeliveryMode) => {
  platform(app, mode, { clusters, submariner: { ...SUBMARINER, ...submariner } });
};

badInputs('bad submariner inputs', [
  { title: 'a cluster ID that is not a DNS label', build: subCase({ clusterIds: { 'bj-1': 'Bei_Jing' } }), rule: 'K49', path: PLATFORM, prop: "submariner.clusterIds['bj-1']" },
  { title: 'two clusters with one cluster ID', build: subCase({ clusterIds: { 'bj-1': 'sh-1' } }), rule: 'K49', path: PLATFORM, prop: "submariner.clusterIds['sh-1']" },
  { title: 'overlapping pod CIDRs', build: subCase({}, withClusters({ 'gz-1': { podCidr: '10.1.128.0/17' } })), rule: 'K49', path: PLATFORM, prop: "clusters['gz-1'].podCidr" },
  { title: 'overlapping service CIDRs', build: subCase({}, withClusters({ 'sh-1': { serviceCidr: '10.101.0.0/24' } })), rule: 'K49', path: PLATFORM, prop: "clusters['sh-1'].serviceCidr" },
  { title: 'a service CIDR overlapping another cluster\'s pod CIDR', build: subCase({}, withClusters({ 'edge-1': { serviceCidr: '10.1.200.0/24' } })), rule: 'K49', path: PLATFORM, prop: "clusters['edge-1'].serviceCidr" },
  { title: 'an invalid CIDR', build: subCase({}, withClusters({ 'sh-1': { podCidr: '10.2.0.0/33' } })), rule: 'K49', path: PLATFORM, prop: "clusters['sh-1'].podCidr" },
  { title: 'a CIDR that is not a CIDR', build: subCase({}, withClusters({ 'sh-1': { serviceCidr: '10.102.0.0' } })), rule: 'K49', path: PLATFORM, prop: "clusters['sh-1'].serviceCidr" },
  { title: 'an unknown broker cluster', build: subCase({ broker: 'hk-1' }), rule: 'K13', path: PLATFORM, prop: 'submariner.broker' },
  { title: 'clusterIds for a cluster that is not joined', build: subCase({ clusterIds: { 'edge-2': 'edge-two' } }), rule: 'K13', path: PLATFORM, prop: "submariner.clusterIds['edge-2']" },
  { title: 'clusterIds for an unknown cluster', build: subCase({ clusterIds: { 'hk-1': 'hk' } }), rule: 'K13', path: PLATFORM, prop: "submariner.clusterIds['hk-1']" },
]);

// ---------------------------------------------------------------------------------------------------------
// 7. MultiClusterIngress (karmada only).

function mciProgram(mode: DeliveryMode, opts: { backend?: CrossClusterBackend; tlsSecret?: string } = {}) {
  return (app: App) => {
    const p = platform(app, mode);
    const shop = p.addTenant('shop');
    const web = new FederatedApp(shop, 'web', webProps());
    const api = new FederatedApp(shop, 'api', webProps({ ports: [{ name: 'http', port: 8081 }] }));
    const webXcs = new CrossClusterService(shop, 'web-xcs', { app: web, backend: opts.backend ?? CrossClusterBackend.KARMADA_MCS, consumers: { names: ['gz-1'] } });
    const apiXcs = new CrossClusterService(shop, 'api-xcs', { app: api, backend: CrossClusterBackend.KARMADA_MCS, consumers: { names: ['gz-1'] } });
    new MultiClusterIngress(shop, 'storefront', {
      rules: [
        { host: 'shop.example.com', service: webXcs },
        { host: 'shop.example.com', path: '/api', service: apiXcs },
        { host: 'grpc.shop.example.com', service: webXcs, port: 'grpc' },
      ],
      tlsSecret: opts.tlsSecret,
    });
  };
}

describe('MultiClusterIngress (karmada mode)', () => {
  test('an IngressSpec with hosts, paths, backend services and port numbers, and the TLS secret', () => {
    const out = synth(mciProgram(DeliveryMode.KARMADA, { tlsSecret: 'shop-tls' }));
    const mci = pick(out, 'MultiClusterIngress', 'storefront', { file: CP, ns: 'shop' });
    expect(mci.apiVersion).toBe('networking.karmada.io/v1alpha1');
    expect(mci.metadata.labels).toMatchObject({ 'fleetplane.io/platform': PLATFORM, 'fleetplane.io/tenant': 'shop' });
    expect(mci.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.example.com', 'grpc.shop.example.com'], secretName: 'shop-tls' }],
      rules: [
        {
          host: 'shop.example.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
              { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8081 } } } },
            ],
          },
        },
        { host: 'grpc.shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 9090 } } } }] } },
      ],
    });
  });

  test('plain HTTP without a TLS secret; the ingress class can be set', () => {
    const out = synth(mciProgram(DeliveryMode.KARMADA));
    expect(pick(out, 'MultiClusterIngress', 'storefront').spec.tls).toBeUndefined();
    const custom = synth((app) => {
      const shop = platform(app, DeliveryMode.KARMADA).addTenant('shop');
      const web = new CrossClusterService(shop, 'web-xcs', { app: new FederatedApp(shop, 'web', webProps()), backend: CrossClusterBackend.KARMADA_MCS, consumers: { names: ['gz-1'] } });
      new MultiClusterIngress(shop, 'edge', { rules: [{ host: 'a.example.com', service: web }], ingressClassName: 'karmada-nginx' });
    });
    expect(pick(custom, 'MultiClusterIngress', 'edge').spec.ingressClassName).toBe('karmada-nginx');
  });
});

describe('bad MultiClusterIngress inputs', () => {
  test('direct mode is FP-DIRECT (the Karmada MCS backend is too)', () => {
    const { error, dir } = synthError(mciProgram(DeliveryMode.DIRECT));
    expect(errorsOf(error.problems)).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'FP-DIRECT', path: 'prod/shop/storefront', prop: 'scope' })]));
    expect(errorsOf(error.problems).filter((p) => p.path === 'prod/shop/storefront')).toHaveLength(1);
    expect(errorsOf(error.problems).every((p) => p.rule === 'FP-DIRECT')).toBe(true);
    expect(yamlFiles(dir)).toEqual([]);
  });

  test('a direct-mode ingress alone is FP-DIRECT', () => {
    const { error } = synthError((app) => {
      const shop = platform(app, DeliveryMode.DIRECT).addTenant('shop');
      const web = new CrossClusterService(shop, 'web-xcs', { app: new FederatedApp(shop, 'web', webProps()), backend: CrossClusterBackend.SUBMARINER, consumers: { names: ['gz-1'] } });
      new MultiClusterIngress(shop, 'storefront', { rules: [{ host: 'shop.example.com', service: web }] });
    });
    expect(errorsOf(error.problems)).toHaveLength(2);
    expect(errorsOf(error.problems)).toEqual(expect.arrayContaining([
      expect.objectContaining({ rule: 'FP-DIRECT', path: 'prod/shop/storefront', prop: 'scope' }),
      expect.objectContaining({ rule: 'FP-MCI', path: 'prod/shop/storefront', prop: 'rules[0].service' }),
    ]));
  });

  const mciCase = (build: (shop: Tenant, web: CrossClusterService) => void) => (app: App) => {
    const shop = platform(app, DeliveryMode.KARMADA).addTenant('shop');
    build(shop, new CrossClusterService(shop, 'web-xcs', { app: new FederatedApp(shop, 'web', webProps()), backend: CrossClusterBackend.KARMADA_MCS, consumers: { names: ['gz-1'] } }));
  };
  test('a backend not using KARMADA_MCS is FP-MCI on every rule routing to it', () => {
    const { error, dir } = synthError(mciProgram(DeliveryMode.KARMADA, { backend: CrossClusterBackend.SUBMARINER }));
    expect(errorsOf(error.problems)).toEqual([
      expect.objectContaining({ rule: 'FP-MCI', path: 'prod/shop/storefront', prop: 'rules[0].service', value: 'submariner' }),
      expect.objectContaining({ rule: 'FP-MCI', path: 'prod/shop/storefront', prop: 'rules[2].service', value: 'submariner' }),
    ]);
    expect(yamlFiles(dir)).toEqual([]);
  });

  test.each<[string, (app: App) => void, string, string]>([
    ['no rules', mciCase((shop) => new MultiClusterIngress(shop, 'storefront', { rules: [] })), 'FP-MCI', 'rules'],
    ['an unknown port', mciCase((shop, web) => new MultiClusterIngress(shop, 'storefront', { rules: [{ host: 'shop.example.com', service: web, port: 'admin' }] })), 'FP-MCI', 'rules[0].port'],
    ['a path without a leading slash', mciCase((shop, web) => new MultiClusterIngress(shop, 'storefront', { rules: [{ host: 'shop.example.com', service: web, path: 'api' }] })), 'FP-MCI', 'rules[0].path'],
    ['a host without a dot', mciCase((shop, web) => new MultiClusterIngress(shop, 'storefront', { rules: [{ host: 'localhost', service: web }] })), 'K31', 'rules[0].host'],
    ['a bad TLS secret name', mciCase((shop, web) => new MultiClusterIngress(shop, 'storefront', { rules: [{ host: 'shop.example.com', service: web }], tlsSecret: 'Shop TLS' })), 'FP-MCI', 'tlsSecret'],
  ])('%s → %s %s', (_title, build, rule, prop) => {
    const { error, dir } = synthError(build);
    const own = errorsOf(error.problems).filter((p) => p.path === 'prod/shop/storefront');
    expect(own).toEqual([expect.objectContaining({ rule, prop })]);
    // The K26 warning of the MCS backend is the only other problem.
    expect(errorsOf(error.problems)).toEqual(own);
    expect(yamlFiles(dir)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// 8. The examples, and strict schema validation of a rich program in both modes.

const ROOT = path.resolve(__dirname, '..');
const SYSTEMS = ['karmada', 'kubeedge', 'volcano', 'istio'];

/**
 * Runs an example's main.ts in-process against the sources (`fleetplane` maps to index.ts in jest). The
 * example creates `new App()` and calls `app.synth()` at import; CDK8S_OUTDIR sends its output to a temp dir.
 */
function runExample(example: string): Output {
  const dir = tmpDir();
  const previous = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = dir;
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(ROOT, 'examples', example, 'main.ts'));
    });
  } finally {
    if (previous === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = previous;
  }
  return readOutput(dir);
}

describe('example edge-video', () => {
  let out: Output;
  beforeAll(() => {
    out = runExample('edge-video');
  });

  test('the control plane and the edge cluster output', () => {
    expect(Object.keys(out).sort()).toEqual(['edge-video-cluster-edge-sz.k8s.yaml', 'edge-video-control-plane.k8s.yaml']);
  });

  test('the node groups in the edge cluster, the EdgeApplication on the control plane, the aggregator exported over Submariner', () => {
    const edgeFile = 'edge-video-cluster-edge-sz.k8s.yaml';
    const cpFile = 'edge-video-control-plane.k8s.yaml';
    expect(pick(out, 'NodeGroup', 'store-a', { file: edgeFile }).spec).toEqual({ nodes: ['edge-node-a1', 'edge-node-a2'], topologyEnabled: true });
    expect(pick(out, 'NodeGroup', 'store-b', { file: edgeFile }).spec).toEqual({ matchLabels: { 'example.com/store': 'b' } });
    const ea = pick(out, 'EdgeApplication', 'analytics', { file: cpFile, ns: 'video' });
    expect(ea.spec.workloadScope.targetNodeGroups.map((g: any) => [g.name, g.overriders.replicas])).toEqual([['store-a', 2], ['store-b', 1]]);
    expect(ea.spec.workloadTemplate.manifests[0].spec.template.spec.containers[0].env).toEqual([
      { name: 'AGGREGATOR', value: 'aggregator.video.svc.clusterset.local' },
      { name: 'FRAME_RATE', value: '15' },
    ]);
    expect(pick(out, 'PropagationPolicy', 'analytics-edge', { file: cpFile }).spec.placement).toEqual({ clusterAffinity: { clusterNames: ['edge-sz'] } });
    pick(out, 'ServiceExport', 'aggregator', { file: cpFile, ns: 'video' });
    expect(pick(out, 'PropagationPolicy', 'aggregator-export', { file: cpFile }).spec.placement).toEqual({ clusterAffinity: { clusterNames: ['cloud-1'] } });
  });

  test('every object validates strictly', () => {
    const validator = SchemaValidator.load({ systems: SYSTEMS });
    expect(formatIssues(validator.validateAll(all(out)))).toBe('');
  });
});

describe('example ai-training', () => {
  let out: Output;
  beforeAll(() => {
    out = runExample('ai-training');
  });

  test('one control-plane output with the queues, the job and its policy', () => {
    expect(Object.keys(out)).toEqual(['ai-control-plane.k8s.yaml']);
    expect(pick(out, 'Queue', 'ml-training').spec).toMatchObject({ parent: 'ml-research', weight: 4, reclaimable: true });
    const job = pick(out, 'Job', 'resnet', { ns: 'ml' });
    expect(job.spec.tasks.map((t: any) => [t.name, t.replicas])).toEqual([['master', 1], ['worker', 4]]);
    expect(job.spec.minAvailable).toBe(5);
    expect(job.spec.queue).toBe('ml-training');
    const placement = pick(out, 'PropagationPolicy', 'resnet').spec.placement;
    expect(placement.clusterAffinity).toEqual({ labelSelector: { matchLabels: { accelerator: 'nvidia-a100' } } });
    expect(placement.spreadConstraints).toEqual([{ spreadByField: 'cluster', minGroups: 1, maxGroups: 1 }]);
    expect(pick(out, 'ClusterPropagationPolicy', 'queue-ml-training').spec.placement).toEqual({ clusterAffinity: { clusterNames: ['cpu-bj', 'gpu-bj', 'gpu-sh'] } });
  });

  test('every object validates strictly', () => {
    const validator = SchemaValidator.load({ systems: SYSTEMS });
    expect(formatIssues(validator.validateAll(all(out)))).toBe('');
  });
});

describe('the examples rebuilt in direct mode', () => {
  test('edge-video: node groups and the EdgeApplication in the edge output, the ServiceExport in the cloud output', () => {
    const out = synth((app) => {
      const p = new DistributedPlatform(app, 'edge-video', {
        delivery: DeliveryMode.DIRECT,
        clusters: [
          { name: 'cloud-1', region: 'cn-south', zones: ['cn-south-1a'], provider: 'huaweicloud', podCidr: '10.10.0.0/16', serviceCidr: '10.96.0.0/16' },
          { name: 'edge-sz', region: 'cn-south', role: ClusterRole.EDGE, podCidr: '10.20.0.0/16', serviceCidr: '10.97.0.0/16' },
        ],
        submariner: { broker: 'cloud-1', clusters: { names: ['cloud-1', 'edge-sz'] } },
      });
      const storeA = new EdgeNodeGroup(p, 'store-a', { cluster: 'edge-sz', nodes: ['edge-node-a1', 'edge-node-a2'], topologyEnabled: true });
      const storeB = new EdgeNodeGroup(p, 'store-b', { cluster: 'edge-sz', matchLabels: { 'example.com/store': 'b' } });
      const video = p.addTenant('video', { quota: { cpu: '64', memory: '128Gi' } });
      const aggregator = new FederatedApp(video, 'aggregator', { image: 'registry.example.com/video/aggregator:3.0.1', ports: [{ name: 'grpc', port: 9000 }], replicas: 2, placement: Placement.clusters('cloud-1') });
      const upstream = new CrossClusterService(video, 'aggregator-xcs', { app: aggregator, backend: CrossClusterBackend.SUBMARINER, consumers: { names: ['edge-sz'] } });
      new EdgeApp(video, 'analytics', {
        image: 'registry.example.com/video/analytics:1.7.0',
        ports: [{ name: 'http', port: 8080 }],
        env: { AGGREGATOR: EnvValue.literal(upstream.address) },
        nodeGroups: [{ group: storeA, replicas: 2, image: { registry: 'edge-cache.store-a.local:5000' } }, { group: storeB, env: { FRAME_RATE: '10' } }],
      });
    });
    expect(Object.keys(out).sort()).toEqual(['edge-video-cluster-cloud-1.k8s.yaml', 'edge-video-cluster-edge-sz.k8s.yaml']);
    expect(filesWith(out, 'EdgeApplication', 'analytics')).toEqual(['edge-video-cluster-edge-sz.k8s.yaml']);
    expect(filesWith(out, 'NodeGroup', 'store-b')).toEqual(['edge-video-cluster-edge-sz.k8s.yaml']);
    expect(filesWith(out, 'ServiceExport', 'aggregator')).toEqual(['edge-video-cluster-cloud-1.k8s.yaml']);
    expect(formatIssues(SchemaValidator.load({ systems: SYSTEMS }).validateAll(all(out)))).toBe('');
  });

  test('ai-training: the queues on every cluster, the job on the one GPU cluster selected', () => {
    const out = synth((app) => {
      const p = new DistributedPlatform(app, 'ai', {
        delivery: DeliveryMode.DIRECT,
        clusters: [
          { name: 'gpu-bj', region: 'cn-north', provider: 'huaweicloud', labels: { accelerator: 'nvidia-a100' } },
          { name: 'gpu-sh', region: 'cn-east', provider: 'alicloud', labels: { accelerator: 'nvidia-a100' } },
          { name: 'cpu-bj', region: 'cn-north', provider: 'huaweicloud' },
        ],
      });
      const ml = p.addTenant('ml', { quota: { cpu: '256', memory: '1Ti' } });
      const research = new BatchQueue(ml, 'research', { capability: { cpu: '256', memory: '1Ti', 'nvidia.com/gpu': '32' } });
      const training = new BatchQueue(ml, 'training', { parent: research, weight: 4, capability: { cpu: '128', memory: '512Gi', 'nvidia.com/gpu': '16' }, deserved: { cpu: '64', memory: '256Gi', 'nvidia.com/gpu': '8' } });
      BatchJob.pytorch(ml, 'resnet', {
        queue: training,
        image: 'registry.example.com/ml/resnet-trainer:2.1.0',
        workers: 4,
        gpusPerReplica: 1,
        resources: { cpu: { request: '8', limit: '8' }, memory: { request: '32Gi', limit: '32Gi' } },
        placement: Placement.clusters('gpu-sh'),
      });
    });
    expect(filesWith(out, 'Queue', 'ml-training')).toEqual(['ai-cluster-cpu-bj.k8s.yaml', 'ai-cluster-gpu-bj.k8s.yaml', 'ai-cluster-gpu-sh.k8s.yaml']);
    expect(filesWith(out, 'Job', 'resnet')).toEqual(['ai-cluster-gpu-sh.k8s.yaml']);
    expect(formatIssues(SchemaValidator.load({ systems: SYSTEMS }).validateAll(all(out)))).toBe('');
  });
});

/** Everything of this file in one program (karmada-only constructs in karmada mode). */
function richProgram(mode: DeliveryMode): (app: App) => void {
  const karmada = mode === DeliveryMode.KARMADA;
  return (app) => {
    const p = platform(app, mode, { mesh: MESH });
    const { storeA, storeB, storeC } = edgeGroups(p);
    const retail = p.addTenant('retail', { quota: { cpu: '32', memory: '64Gi' } });
    const shop = p.addTenant('shop');
    const ml = p.addTenant('ml', { clusters: { names: ML_CLUSTERS } });

    new EdgeApp(retail, 'cam', {
      image: image('cam'),
      ports: [{ port: 8080 }, { name: 'metrics', port: 9090 }],
      env: { MODE: EnvValue.literal('edge') },
      resources: { cpu: { request: '250m', limit: '1' }, memory: { request: '256Mi', limit: '512Mi' } },
      nodeGroups: [
        { group: storeA, replicas: 2, image: { registry: 'edge-cache.local:5000', repository: 'team/cam-edge', tag: '1.0.1' }, env: { FRAME_RATE: '10' }, resources: { cpu: { request: '500m', limit: '2' } } },
        { group: storeB },
      ],
    });
    new EdgeApp(retail, 'sensor', { image: image('sensor'), nodeGroups: [{ group: storeC, replicas: 1 }] });

    const research = new BatchQueue(ml, 'research', { weight: 2, capability: { cpu: '256', memory: '1Ti', 'nvidia.com/gpu': '32' } });
    const training = new BatchQueue(ml, 'training', {
      parent: research, weight: 4, reclaimable: false,
      capability: { cpu: '128', memory: '512Gi', 'nvidia.com/gpu': '16' },
      deserved: { cpu: '64', memory: '256Gi', 'nvidia.com/gpu': '8' },
      guarantee: { cpu: '16', memory: '64Gi', 'nvidia.com/gpu': '2' },
    });
    const where = karmada ? Placement.where({ labels: GPU }) : Placement.clusters('bj-1');
    BatchJob.pytorch(ml, 'resnet', { queue: training, image: image('resnet'), workers: 4, gpusPerReplica: 1, args: ['--epochs=90'], placement: where });
    BatchJob.spark(ml, 'pi', { queue: training, image: image('spark'), executors: 3, mainClass: 'org.example.Pi', jar: 'local:///opt/app.jar', kubeApi: { cidrs: ['10.0.0.10'], port: 6443 }, placement: where });
    new BatchJob(ml, 'etl', { queue: training, tasks: JOB_TASKS, maxRetry: 5, ttlAfterFinished: Duration.hours(1), plugins: { svc: true, ssh: true, env: true }, policies: [{ events: [JobEvent.ANY], action: JobAction.ABORT_JOB, timeout: Duration.seconds(30) }], placement: karmada ? Placement.fallback({ name: 'primary', clusters: { names: ['bj-1'] } }, { name: 'backup', clusters: { names: ['sh-1'] } }) : Placement.clusters('sh-1') });

    const web = new FederatedApp(shop, 'web', webProps());
    const api = new FederatedApp(shop, 'api', webProps({ ports: [{ name: 'http', port: 8081 }], placement: Placement.clusters('gz-1') }));
    const cart = new FederatedApp(shop, 'cart', webProps({ ports: [{ name: 'http', port: 8082 }] }));
    const search = new FederatedApp(shop, 'search', webProps({ ports: [{ name: 'http', port: 8083 }], placement: Placement.clusters('sh-1') }));
    new MeshedService(shop, 'cart-mesh', { app: cart });
    new CrossClusterService(shop, 'cart-xcs', { app: cart, backend: CrossClusterBackend.ISTIO, consumers: { names: ['gz-1'] } });
    // edge-1 is outside the mesh: a consumer there needs the service's explicit MeshCaller.outsideMesh opt-in.
    new CrossClusterService(shop, 'search-xcs', { app: search, backend: CrossClusterBackend.SUBMARINER, consumers: { names: ['bj-1', 'gz-1'] } });
    if (karmada) {
      const webXcs = new CrossClusterService(shop, 'web-xcs', { app: web, backend: CrossClusterBackend.KARMADA_MCS, consumers: { names: ['gz-1'] } });
      new CrossClusterService(shop, 'api-xcs', { app: api, backend: CrossClusterBackend.KARMADA_IMPORT, consumers: { names: ['bj-1', 'sh-1'] } });
      new MultiClusterIngress(shop, 'storefront', { rules: [{ host: 'shop.example.com', service: webXcs }, { host: 'grpc.shop.example.com', service: webXcs, port: 'grpc' }], tlsSecret: 'shop-tls' });
    } else {
      new CrossClusterService(shop, 'web-xcs', { app: web, backend: CrossClusterBackend.SUBMARINER, consumers: { names: ['gz-1'] } });
    }
  };
}

describe.each(MODES)('schema validation (%s mode)', (mode) => {
  let out: Output;
  let problems: Problem[] = [];
  beforeAll(() => {
    out = synth((app) => {
      richProgram(mode)(app);
      problems = app.node.children.find((c): c is DistributedPlatform => c instanceof DistributedPlatform)!.problems();
    });
  });

  test('the rich program has no errors; its only warning is the MCS feature gate (karmada)', () => {
    expect(errorsOf(problems)).toEqual([]);
    expect(warningsOf(problems).map((p) => `${p.rule} ${p.path}`)).toEqual(mode === DeliveryMode.KARMADA ? ['K26 prod/shop/web-xcs'] : []);
  });

  test('it emits every kind of this file', () => {
    const kinds = new Set(all(out).map((o) => o.kind));
    const expected = ['NodeGroup', 'EdgeApplication', 'Queue', 'Job', 'ServiceExport'];
    if (mode === DeliveryMode.KARMADA) expected.push('MultiClusterService', 'ServiceImport', 'MultiClusterIngress', 'ClusterPropagationPolicy', 'PropagationPolicy');
    for (const k of expected) expect(kinds).toContain(k);
  });

  test('every object validates strictly against the Kubernetes, Karmada, KubeEdge, Volcano and Istio schemas', () => {
    const objects = all(out);
    expect(objects.length).toBeGreaterThan(50);
    const validator = SchemaValidator.load({ systems: SYSTEMS });
    expect(formatIssues(validator.validateAll(objects))).toBe('');
  });

  test('the EdgeApplication templates validate as Deployments and Services too', () => {
    const manifests = ofKind(out, 'EdgeApplication').flatMap((o) => o.spec.workloadTemplate.manifests);
    expect(manifests.length).toBe(3);
    const validator = SchemaValidator.load({ systems: SYSTEMS });
    expect(formatIssues(validator.validateAll(manifests))).toBe('');
  });

  test('the Volcano task templates validate as pod templates', () => {
    const validator = SchemaValidator.load({ systems: SYSTEMS });
    // resnet: master and worker; pi: the spark-submit task; etl: loader and trainer.
    const pods = ofKind(out, 'Job').flatMap((j) => j.spec.tasks.map((t: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `${j.metadata.name}-${t.name}-0`, namespace: j.metadata.namespace }, spec: t.template.spec })));
    expect(pods.length).toBe(5);
    expect(formatIssues(validator.validateAll(pods))).toBe('');
  });

  test('every object carries the platform label; cluster-scoped kinds have no namespace', () => {
    for (const o of all(out)) {
      expect(o.metadata.labels['fleetplane.io/platform']).toBe(PLATFORM);
      if (['NodeGroup', 'Queue', 'ClusterPropagationPolicy', 'Namespace'].includes(o.kind)) expect(o.metadata.namespace).toBeUndefined();
    }
  });
});

describe('regressions found in review', () => {
  const errorsOf = (p: DistributedPlatform) => p.problems().filter((x) => x.severity === 'error').map((x) => `${x.rule} ${x.prop}`);

  test('a BatchJob placement keeps its cluster tolerations in karmada mode', () => {
    const out = synth((app) => {
      const p = new DistributedPlatform(app, 'prod', { clusters: [{ name: 'gpu-1', region: 'r', taints: [{ key: 'gpu', effect: TaintEffect.NO_SCHEDULE }] }, { name: 'cpu-1', region: 'r' }] });
      const t = p.addTenant('ml');
      new BatchJob(t, 'job', { queue: new BatchQueue(t, 'q'), tasks: [{ name: 'w', replicas: 1, image: 'r.example.com/x:1' }], placement: Placement.clusters('gpu-1').tolerate({ key: 'gpu', exists: true }) });
    });
    const pp = all(out).find((o) => o.kind === 'PropagationPolicy' && o.metadata.name === 'job');
    expect(pp.spec.placement.clusterTolerations).toEqual([{ key: 'gpu', operator: 'Exists' }]);
  });

  test('Submariner: unknown clusters and malformed CIDRs are reported, with Globalnet too', () => {
    const p = new DistributedPlatform(new App(), 'prod', {
      clusters: [{ name: 'bj-1', podCidr: 'garbage' }],
      submariner: { broker: 'bj-1', globalnet: true, clusters: { names: ['bj-1', 'nope'] } },
    });
    expect(errorsOf(p).sort()).toEqual(["K13 submariner.clusters", "K49 clusters['bj-1'].podCidr"]);
  });

  test('an unknown provider is reported under providers, and addressIn answers only for providers', () => {
    const p = new DistributedPlatform(new App(), 'prod', {
      clusters: [{ name: 'bj-1', region: 'r' }, { name: 'edge-1', region: 'r' }],
      submariner: { broker: 'bj-1' },
    });
    const t = p.addTenant('shop');
    const web = new FederatedApp(t, 'web', { image: 'r.example.com/web:1', port: 8080, placement: Placement.clusters('bj-1') });
    const x = new CrossClusterService(t, 'web-xcs', { app: web, backend: CrossClusterBackend.SUBMARINER, consumers: { names: ['edge-1'] } });
    expect(x.addressIn('bj-1')).toBe('bj-1.web.shop.svc.clusterset.local');
    expect(x.addressIn('edge-1')).toBeUndefined();
    new CrossClusterService(t, 'web-xcs2', { app: web, backend: CrossClusterBackend.SUBMARINER, consumers: { names: ['edge-1'] }, providers: ['nope'] });
    expect(errorsOf(p)).toContain('K13 providers');
    expect(errorsOf(p)).not.toContain('K13 consumers');
  });

  test('a negative task replica count is one error, not two', () => {
    const p = new DistributedPlatform(new App(), 'prod', { clusters: [{ name: 'a' }] });
    const t = p.addTenant('ml');
    new BatchJob(t, 'job', { queue: new BatchQueue(t, 'q'), tasks: [{ name: 'w', replicas: -1, image: 'r.example.com/x:1' }], placement: Placement.clusters('a') });
    expect(errorsOf(p)).toEqual(['K47 tasks[0].replicas']);
  });

  test('node group names are DNS labels (no dots)', () => {
    const p = new DistributedPlatform(new App(), 'prod', { clusters: [{ name: 'e', role: ClusterRole.EDGE }] });
    new EdgeNodeGroup(p, 'store.a', { cluster: 'e', nodes: ['n1'] });
    expect(errorsOf(p)).toEqual(['K1 name']);
  });
});
