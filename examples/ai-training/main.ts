// AI training: a PyTorch-style, gang-scheduled job (one master, four workers, a GPU each) in a tenant queue,
// placed by Karmada on one of the GPU clusters.
import { BatchJob, BatchQueue, DistributedPlatform, Placement, FleetApp } from 'fleetplane';

const app = new FleetApp();
const platform = new DistributedPlatform(app, 'ai', {
  clusters: [
    { name: 'gpu-bj', region: 'cn-north', provider: 'huaweicloud', labels: { accelerator: 'nvidia-a100' } },
    { name: 'gpu-sh', region: 'cn-east', provider: 'alicloud', labels: { accelerator: 'nvidia-a100' } },
    { name: 'cpu-bj', region: 'cn-north', provider: 'huaweicloud' },
  ],
});
const ml = platform.addTenant('ml', { quota: { cpu: '256', memory: '1Ti' } });

const research = new BatchQueue(ml, 'research', { weight: 1, capability: { cpu: '256', memory: '1Ti', 'nvidia.com/gpu': '32' } });
const training = new BatchQueue(ml, 'training', {
  parent: research,
  weight: 4,
  reclaimable: true,
  capability: { cpu: '128', memory: '512Gi', 'nvidia.com/gpu': '16' },
  deserved: { cpu: '64', memory: '256Gi', 'nvidia.com/gpu': '8' },
});

BatchJob.pytorch(ml, 'resnet', {
  queue: training,
  image: 'registry.example.com/ml/resnet-trainer:2.1.0',
  workers: 4,
  gpusPerReplica: 1,
  args: ['--epochs=90', '--batch-size=256'],
  resources: { cpu: { request: '8', limit: '8' }, memory: { request: '32Gi', limit: '32Gi' } },
  placement: Placement.where({ labels: { accelerator: 'nvidia-a100' } }),
});

app.synth();
