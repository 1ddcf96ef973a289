// Video analytics at the edge: a KubeEdge cluster with two node groups (stores), an analytics app on both
// with per-store overrides, and a cloud aggregator that the edge reaches across clusters through Submariner.
import {
  ClusterRole, CrossClusterBackend, CrossClusterService, DistributedPlatform, Distribution, EdgeApp, EdgeNodeGroup,
  EnvValue, FederatedApp, Placement, FleetApp,
} from 'fleetplane';

const app = new FleetApp();
const platform = new DistributedPlatform(app, 'edge-video', {
  clusters: [
    { name: 'cloud-1', region: 'cn-south', zones: ['cn-south-1a'], provider: 'huaweicloud', podCidr: '10.10.0.0/16', serviceCidr: '10.96.0.0/16' },
    { name: 'edge-sz', region: 'cn-south', role: ClusterRole.EDGE, podCidr: '10.20.0.0/16', serviceCidr: '10.97.0.0/16' },
  ],
  submariner: { broker: 'cloud-1', clusters: { names: ['cloud-1', 'edge-sz'] } },
});

const storeA = new EdgeNodeGroup(platform, 'store-a', { cluster: 'edge-sz', nodes: ['edge-node-a1', 'edge-node-a2'], topologyEnabled: true });
const storeB = new EdgeNodeGroup(platform, 'store-b', { cluster: 'edge-sz', matchLabels: { 'example.com/store': 'b' } });

const video = platform.addTenant('video', { quota: { cpu: '64', memory: '128Gi' } });

// The aggregator runs in the cloud and is exported to the edge cluster.
const aggregator = new FederatedApp(video, 'aggregator', {
  image: 'registry.example.com/video/aggregator:3.0.1',
  ports: [{ name: 'grpc', port: 9000 }],
  replicas: 2,
  placement: Placement.clusters('cloud-1'),
  distribution: Distribution.duplicated(),
});
const upstream = new CrossClusterService(video, 'aggregator-xcs', {
  app: aggregator,
  backend: CrossClusterBackend.SUBMARINER,
  consumers: { names: ['edge-sz'] },
});

new EdgeApp(video, 'analytics', {
  image: 'registry.example.com/video/analytics:1.7.0',
  ports: [{ name: 'http', port: 8080 }],
  env: { AGGREGATOR: EnvValue.literal(upstream.address), FRAME_RATE: EnvValue.literal('15') },
  resources: { cpu: { request: '500m', limit: '2' }, memory: { request: '512Mi', limit: '1Gi' } },
  nodeGroups: [
    { group: storeA, replicas: 2, image: { registry: 'edge-cache.store-a.local:5000' } },
    { group: storeB, replicas: 1, env: { FRAME_RATE: '10' } },
  ],
});

app.synth();
