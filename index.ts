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
export * from './model/mesh';
export * from './model/monitoring';
export type { FleetMonitoring, MonitoringResources } from './constructs/fleet-monitoring';
export * from './model/cluster';
export * from './model/placement';
export * from './model/distribution';
export * from './model/overrides';
export * from './model/workload';
export * from './core/problems';
export * from './core/target';
export { parseImage, formatImage } from './core/image';
export type { ImageParts } from './core/image';
export * from './outputs/synthesize';
export * from './outputs/fleet-app';
export { parseQuantity, isQuantity } from './core/quantity';
