// AI training: a PyTorch-style, gang-scheduled job (one master, four workers, a GPU each) in a tenant queue,
// placed by Karmada on one of the GPU clusters; and the Spark job that prepares its data, submitted in cluster mode
// and scheduled by Volcano on the CPU cluster. The tenant quota also bounds the GPUs.
import { BatchJob, BatchQueue, DistributedPlatform, Placement, FleetApp } from 'fleetplane';

const app = new FleetApp();
const platform = new DistributedPlatform(app, 'ai', {
  clusters: [
    { name: 'gpu-bj', region: 'cn-north', provider: 'huaweicloud', labels: { accelerator: 'nvidia-a100' } },
    { name: 'gpu-sh', region: 'cn-east', provider: 'alicloud', labels: { accelerator: 'nvidia-a100' } },
    { name: 'cpu-bj', region: 'cn-north', provider: 'huaweicloud' },
  ],
});
const ml = platform.addTenant('ml', { quota: { cpu: '256', memory: '1Ti', extended: { 'nvidia.com/gpu': 16 } } });

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

const etl = new BatchQueue(ml, 'etl', { parent: research, weight: 1, capability: { cpu: '64', memory: '256Gi' } });

BatchJob.spark(ml, 'features', {
  queue: etl,
  // Spark 3.5 built with -Pvolcano; the jar is in the image.
  image: 'registry.example.com/data/spark-volcano:3.5.1',
  executors: 6,
  mainClass: 'com.example.features.BuildFeatures',
  jar: 'local:///opt/app/features.jar',
  args: ['s3a://datasets/raw/', 's3a://datasets/features/'],
  conf: { 'spark.sql.shuffle.partitions': '96' },
  driver: { cores: 1, memory: '4Gi', coresLimit: '1' },
  executor: { cores: 4, memory: '12Gi', coresLimit: '4' },
  submitterResources: { cpu: { request: '250m', limit: '1' }, memory: { request: '768Mi', limit: '768Mi' } },
  // The tenant denies egress by default: spark-submit and the driver reach cpu-bj's API server endpoints.
  kubeApi: { cidrs: ['172.16.0.10', '172.16.0.11', '172.16.0.12'], port: 6443 },
  placement: Placement.clusters('cpu-bj'),
});

app.synth();
