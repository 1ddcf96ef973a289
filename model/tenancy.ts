import { ApiObject } from 'cdk8s';

/** Hard limits of a namespace (a ResourceQuota). Quantities are Kubernetes quantities. */
export interface QuotaLimits {
  /**
   * Sum of CPU requests (`requests.cpu`).
   * @default - not limited
   */
  readonly cpu?: string;
  /**
   * Sum of memory requests (`requests.memory`).
   * @default - not limited
   */
  readonly memory?: string;
  /**
   * Sum of CPU limits (`limits.cpu`); every container then needs a CPU limit.
   * @default - not limited
   */
  readonly limitsCpu?: string;
  /**
   * Sum of memory limits (`limits.memory`).
   * @default - not limited
   */
  readonly limitsMemory?: string;
  /**
   * Number of pods.
   * @default - not limited
   */
  readonly pods?: number;
  /**
   * Number of Services.
   * @default - not limited
   */
  readonly services?: number;
  /**
   * Number of PersistentVolumeClaims.
   * @default - not limited
   */
  readonly persistentVolumeClaims?: number;
  /**
   * Sum of storage requests (`requests.storage`).
   * @default - not limited
   */
  readonly storage?: string;
  /**
   * Extended resources by name, e.g. `{ 'nvidia.com/gpu': 8 }`: the sum of their requests
   * (`requests.nvidia.com/gpu`; Kubernetes only quotas extended resources by request). Whole numbers.
   * @default - not limited
   */
  readonly extended?: Record<string, number | string>;
}

/** A fleet-wide quota (Karmada FederatedResourceQuota). */
export interface FederatedQuota {
  /** The total over all clusters. */
  readonly overall: QuotaLimits;
  /**
   * Static per-cluster assignments; Karmada creates a ResourceQuota with these limits in each named cluster.
   * @default - none
   */
  readonly perCluster?: Record<string, QuotaLimits>;
}

/** Minimum and maximum of container resources in the namespace (LimitRange). */
export interface ContainerLimits {
  /**
   * Smallest allowed request.
   * @default - none
   */
  readonly min?: { cpu?: string; memory?: string };
  /**
   * Largest allowed limit.
   * @default - none
   */
  readonly max?: { cpu?: string; memory?: string };
}

/** Tracing and access logging (Istio Telemetry). */
export interface MeshTelemetry {
  /**
   * Percentage of requests traced (0-100).
   * @default - the mesh default
   */
  readonly tracingSampling?: number;
  /**
   * Envoy access logs.
   * @default - the mesh default
   */
  readonly accessLogging?: boolean;
}

/** The L1 objects a tenant emits into one target. */
export interface TenantResources {
  readonly namespace: ApiObject;
  readonly resourceQuota?: ApiObject;
  readonly limitRange: ApiObject;
  readonly networkPolicies: ApiObject[];
  readonly roleBindings: ApiObject[];
  /** Karmada mode: places the namespace on the tenant's clusters. */
  readonly namespacePolicy?: ApiObject;
  /** Karmada mode: places the namespace baseline (quota, limits, policies, RBAC). */
  readonly baselinePolicy?: ApiObject;
  /** Karmada mode: the fleet-wide quota. */
  readonly federatedQuota?: ApiObject;
  /** Meshed tenants: STRICT PeerAuthentication, default-deny AuthorizationPolicy, Telemetry. */
  readonly meshObjects: ApiObject[];
  /** Karmada mode, meshed tenants: places the mesh objects on the tenant's primary clusters. */
  readonly meshPolicy?: ApiObject;
  /** With `alerts`: the tenant's AlertmanagerConfig. */
  readonly alertmanagerConfig?: ApiObject;
  /** Karmada mode, with `alerts`: places it on the tenant's monitored clusters. */
  readonly monitoringPolicy?: ApiObject;
}
