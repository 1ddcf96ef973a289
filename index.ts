/**
 * fleetplane: typed infrastructure-as-code for distributed cloud-native platforms.
 * @packageDocumentation
 */
export * from './constructs/distributed-platform';
export * from './constructs/tenant';
export * from './constructs/federated-app';
export * from './constructs/meshed-service';
export * from './constructs/edge-node-group';
export * from './constructs/edge-app';
export * from './constructs/batch-queue';
export * from './constructs/batch-job';
export * from './constructs/cross-cluster-service';
export * from './constructs/multi-cluster-ingress';
export * from './lib/mesh';
export * from './lib/monitoring';
export type { FleetMonitoring, MonitoringResources } from './constructs/fleet-monitoring';
export * from './lib/fleet';
export * from './lib/placement';
export * from './lib/distribution';
export * from './lib/overrides';
export * from './lib/workload';
export * from './lib/problems';
export * from './lib/target';
export { parseImage, formatImage } from './lib/image';
export type { ImageParts } from './lib/image';
export * from './lib/output';
export * from './lib/fleet-app';
export { parseQuantity, isQuantity } from './lib/quantity';
