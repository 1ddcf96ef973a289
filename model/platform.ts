import { ClusterSelector } from './cluster';
import { PodSecurityLevel, ResourceRequirements } from './workload';

/** How strictly image references must be pinned. */
export enum ImageTagPolicy {
  /** Images without a tag, or with a mutable tag (`latest`, `main`, `master`, `stable`, ...), are warnings. */
  WARN_MUTABLE = 'warn-mutable',
  /** Images without a tag, or with a mutable tag and no digest, are errors. */
  REJECT_MUTABLE = 'reject-mutable',
  /** Every image is pinned by digest (`@sha256:...`); anything else is an error. */
  REQUIRE_DIGEST = 'require-digest',
}

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
   * How strictly images must be pinned, for every image the platform runs: apps, canaries, overrides, edge apps
   * and their node-group overrides, batch tasks and the Thanos image. The strict setting makes mutable tags
   * (`latest`, `main`, `master`, `stable`, `edge`, `nightly`, `dev`, `develop`, `head`, `snapshot`) and untagged
   * images errors instead of warnings.
   * @default ImageTagPolicy.WARN_MUTABLE
   */
  readonly imageTagPolicy?: ImageTagPolicy;
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
