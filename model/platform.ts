import { ClusterSelector } from './cluster';
import { PodSecurityLevel, ResourceRequirements } from './workload';

/** Platform-wide defaults that every construct reads; each can be overridden where it is used. */
export interface PlatformDefaults {
  /**
   * Pod Security Standards level of tenant namespaces and the security context of pods.
   * Relax it here, visibly, for the whole platform; or per tenant.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Container resources used when an app does not set them; also the tenant LimitRange defaults.
   * @default - cpu request 100m; memory request 128Mi, limit 256Mi
   */
  readonly resources?: ResourceRequirements;
  /**
   * Registry prepended to images that name none (e.g. `web:1.2` becomes `<registry>/web:1.2`).
   * @default - images are used as given
   */
  readonly imageRegistry?: string;
  /**
   * User and group id containers run as.
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * Mount container root filesystems read-only (a writable `/tmp` emptyDir is added).
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Spread each app's pods across zones and nodes inside every cluster.
   * @default true
   */
  readonly topologySpread?: boolean;
  /**
   * Give each app a PodDisruptionBudget (maxUnavailable 1).
   * @default true
   */
  readonly disruptionBudget?: boolean;
  /**
   * Emit default-deny NetworkPolicies (plus allow-DNS and allow-same-tenant) in tenant namespaces.
   * @default true
   */
  readonly defaultDenyNetwork?: boolean;
}

/** Submariner across the fleet. */
export interface SubmarinerProps {
  /** Cluster hosting the broker. */
  readonly broker: string;
  /**
   * Clusters joined to the broker.
   * @default - every cloud cluster
   */
  readonly clusters?: ClusterSelector;
  /**
   * Cluster IDs (DNS-1123 labels) by cluster name.
   * @default - the cluster names
   */
  readonly clusterIds?: Record<string, string>;
  /**
   * Globalnet: overlapping pod and service CIDRs are allowed.
   * @default false
   */
  readonly globalnet?: boolean;
}
