// The platform registry reaches every image fleetplane emits for an app that names none: the main workload, the
// canary version, edge apps and batch tasks; registries themselves follow the distribution grammar.
import { App } from 'cdk8s';
import {
  BatchJob, BatchQueue, ClusterRole, DeliveryMode, DistributedPlatform, EdgeApp, EdgeNodeGroup, FederatedApp, GlobalTier, LogsBackend, MonitoringPrerequisites,
  Placement, PlatformValidationError, TelemetryTier,
} from '../index';
import { all, synth } from './support/synth';

const REGISTRY = 'registry.internal.example.com:5000/mirror';

function images(objects: any[]): string[] {
  const out: string[] = [];
  const walk = (v: any) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (k === 'image' && typeof x === 'string' ? out.push(x) : walk(x));
  };
  walk(objects);
  return out;
}

test('every image of apps, canaries, edge apps and batch tasks comes from the declared registry', () => {
  const out = synth((app: App) => {
    const platform = new DistributedPlatform(app, 'prod', {
      clusters: [{ name: 'bj-1', region: 'cn-north' }, { name: 'edge-1', region: 'cn-north', role: ClusterRole.EDGE }],
      delivery: DeliveryMode.KARMADA,
      defaults: { imageRegistry: REGISTRY },
    });
    const tenant = platform.addTenant('shop');
    new FederatedApp(tenant, 'web', { image: 'shop/web:1.0.0', port: 8080, canary: { version: 'v2', image: 'shop/web:2.0.0-rc.1' } });
    const group = new EdgeNodeGroup(platform, 'store', { cluster: 'edge-1', nodes: ['n1'] });
    new EdgeApp(tenant, 'video', { image: 'shop/video:1.0.0', nodeGroups: [{ group }] });
    new BatchJob(tenant, 'train', { queue: new BatchQueue(tenant, 'q'), placement: undefined, tasks: [{ name: 'worker', replicas: 2, image: 'ml/trainer:3.1' }] });
  });
  const found = images(all(out));
  expect(found.sort()).toEqual([
    `${REGISTRY}/ml/trainer:3.1`, `${REGISTRY}/shop/video:1.0.0`, `${REGISTRY}/shop/web:1.0.0`, `${REGISTRY}/shop/web:2.0.0-rc.1`,
  ]);
});

test('an image that names its registry keeps it', () => {
  const out = synth((app: App) => {
    const platform = new DistributedPlatform(app, 'prod', { clusters: [{ name: 'bj-1', region: 'cn-north' }], defaults: { imageRegistry: REGISTRY } });
    new FederatedApp(platform.addTenant('shop'), 'web', { image: 'quay.io/shop/web:1.0.0', port: 8080 });
  });
  expect(images(all(out))).toEqual(['quay.io/shop/web:1.0.0']);
});

test.each([
  ['defaults.imageRegistry', { defaults: { imageRegistry: 'https://registry.example.com' } }, undefined],
  ['overrides[0].image.registry', {}, { 'bj-1': { image: { registry: 'registry example' } } }],
])('an invalid registry is FP-IMAGE on %s', (prop, platformProps, overrides) => {
  let error: unknown;
  try {
    synth((app: App) => {
      const platform = new DistributedPlatform(app, 'prod', { clusters: [{ name: 'bj-1', region: 'cn-north' }], ...platformProps });
      new FederatedApp(platform.addTenant('shop'), 'web', { image: 'registry.example.com/shop/web:1.0.0', port: 8080, overrides: overrides as any });
    });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PlatformValidationError);
  expect((error as PlatformValidationError).errors).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'FP-IMAGE', prop })]));
});

test('every image of the platform components fleetplane chooses comes from the declared registry too', () => {
  const out = synth((app: App) => {
    const platform = new DistributedPlatform(app, 'prod', {
      clusters: [
        { name: 'bj-1', region: 'cn-north', podCidr: '10.1.0.0/16', serviceCidr: '10.101.0.0/16' },
        { name: 'sh-1', region: 'cn-east', podCidr: '10.2.0.0/16', serviceCidr: '10.102.0.0/16' },
      ],
      defaults: { imageRegistry: REGISTRY },
      submariner: { broker: 'bj-1' },
      monitoring: { global: GlobalTier.thanos({ cluster: 'bj-1' }), prerequisites: MonitoringPrerequisites.generate() },
      telemetry: { globalTier: TelemetryTier.gateway({ cluster: 'bj-1' }), backends: { logs: LogsBackend.loki('http://loki.example.com:3100') } },
    });
    const ml = platform.addTenant('ml', { defaultDenyNetwork: false });
    BatchJob.spark(ml, 'etl', { queue: new BatchQueue(ml, 'q'), image: 'data/spark:3.5.1', executors: 2, mainClass: 'org.example.Main', jar: 'local:///app.jar', placement: Placement.clusters('bj-1') });
  });
  const found = [...new Set(images(all(out)))].sort();
  // Thanos (sidecar and query), kube-state-metrics, node-exporter, the collectors and Spark: all mirrored.
  expect(found.length).toBeGreaterThanOrEqual(5);
  expect(found.filter((i) => !i.startsWith(`${REGISTRY}/`))).toEqual([]);
});
