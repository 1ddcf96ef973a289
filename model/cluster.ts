/**
 * The member-cluster inventory of a platform, and the evaluation of cluster selectors against it
 * with Karmada's own semantics (`pkg/util/selector.go` ClusterMatches), so direct mode places exactly
 * where Karmada would.
 */
import { Duration } from 'cdk8s';

/** What a member cluster is for. */
export enum ClusterRole {
  /** A regular cloud or data-centre cluster. */
  CLOUD = 'cloud',
  /** A cluster hosting edge nodes (KubeEdge cloudcore). */
  EDGE = 'edge',
}

/** How Karmada reaches a member cluster. */
export enum SyncMode {
  /** The Karmada control plane applies to the member (needs its API endpoint and credentials). */
  PUSH = 'Push',
  /** karmada-agent inside the member pulls its work. */
  PULL = 'Pull',
}

/** Effect of a cluster taint, as for node taints. */
export enum TaintEffect {
  NO_SCHEDULE = 'NoSchedule',
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  NO_EXECUTE = 'NoExecute',
}

/** A taint on a member cluster; workloads must tolerate it to be placed there. */
export interface ClusterTaint {
  /** Taint key. */
  readonly key: string;
  /**
   * Taint value.
   * @default - no value
   */
  readonly value?: string;
  /** Taint effect. */
  readonly effect: TaintEffect;
}

/** A reference to a Secret on the Karmada control plane. */
export interface SecretReference {
  /** Namespace of the Secret (usually `karmada-cluster`). */
  readonly namespace: string;
  /** Name of the Secret. */
  readonly name: string;
}

/** How the cluster is registered with Karmada, for teams that keep the fleet itself as code. */
export interface ClusterRegistration {
  /** Push or Pull. */
  readonly syncMode: SyncMode;
  /**
   * API endpoint of the member, e.g. `https://10.0.0.1:6443`. Required for Push mode.
   * @default - none (Pull mode)
   */
  readonly apiEndpoint?: string;
  /**
   * Secret holding `token` and `caBundle` for the member. Required for Push mode.
   * @default - none (Pull mode)
   */
  readonly secretRef?: SecretReference;
  /**
   * Secret with the impersonator token.
   * @default - none
   */
  readonly impersonatorSecretRef?: SecretReference;
  /**
   * Skip TLS verification of the member API server. Never do this in production.
   * @default false
   */
  readonly insecureSkipTlsVerification?: boolean;
  /**
   * Proxy URL to reach the member.
   * @default - direct connection
   */
  readonly proxyUrl?: string;
}

/** Where callers on other networks reach a cluster's east-west gateway. */
export interface EastWestGatewayAddress {
  /** The gateway's external IPv4 address (its LoadBalancer IP), or an IPv4 CIDR holding its addresses. */
  readonly address: string;
}

/** One member cluster of the fleet. */
export interface MemberClusterProps {
  /** Cluster name as registered with Karmada: a DNS-1123 label of at most 48 characters. */
  readonly name: string;
  /**
   * Region, used by region selectors and by spreading by region.
   * @default - no region (the cluster is filtered out when a placement spreads by region)
   */
  readonly region?: string;
  /**
   * Failure zones.
   * @default - no zones
   */
  readonly zones?: string[];
  /**
   * Cloud provider, e.g. `huaweicloud`, `aws`, `onprem`.
   * @default - no provider
   */
  readonly provider?: string;
  /**
   * Labels on the Karmada Cluster object, matched by label selectors.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Taints that placements must tolerate.
   * @default - none
   */
  readonly taints?: ClusterTaint[];
  /**
   * Cloud or edge.
   * @default ClusterRole.CLOUD
   */
  readonly role?: ClusterRole;
  /**
   * Network name (Istio multi-network, Submariner). Clusters on the same network reach each other's pods.
   * @default - the cluster's own network, named after the cluster
   */
  readonly network?: string;
  /**
   * Pod CIDR (Submariner: must not overlap other clusters' unless Globalnet is on).
   * @default - unknown
   */
  readonly podCidr?: string;
  /**
   * Service CIDR (Submariner: must not overlap other clusters' unless Globalnet is on).
   * @default - unknown
   */
  readonly serviceCidr?: string;
  /**
   * The cluster's Istio east-west gateway (multi-network meshes): callers on other networks reach this
   * cluster's pods through it on 15443, so their tenants' NetworkPolicies open egress to this address.
   * @default - unknown: a declared cross-network call into this cluster is a typed FP-REACH error
   */
  readonly eastWestGateway?: EastWestGatewayAddress;
  /**
   * Emit a Karmada `Cluster` registration for this member.
   * @default - not registered as code (registered with `karmadactl join` or `register`)
   */
  readonly registration?: ClusterRegistration;
}

/** Selects member clusters. All given parts must match (AND), as in Karmada's ClusterAffinity. */
export interface ClusterSelector {
  /**
   * Only these clusters.
   * @default - any cluster
   */
  readonly names?: string[];
  /**
   * Never these clusters.
   * @default - none excluded
   */
  readonly exclude?: string[];
  /**
   * Clusters whose labels include all of these.
   * @default - any labels
   */
  readonly labels?: Record<string, string>;
  /**
   * Clusters in one of these regions.
   * @default - any region
   */
  readonly regions?: string[];
  /**
   * Clusters with at least one of these zones.
   * @default - any zone
   */
  readonly zones?: string[];
  /**
   * Clusters of one of these providers.
   * @default - any provider
   */
  readonly providers?: string[];
  /**
   * Clusters in none of these regions.
   * @default - none
   */
  readonly notRegions?: string[];
  /**
   * Clusters of none of these providers.
   * @default - none
   */
  readonly notProviders?: string[];
}

/** A toleration of a cluster taint. */
export interface ClusterToleration {
  /**
   * Taint key; empty with `exists` tolerates every taint.
   * @default - all keys
   */
  readonly key?: string;
  /**
   * Tolerate any value of the key.
   * @default false (the value must equal `value`)
   */
  readonly exists?: boolean;
  /**
   * Value to match.
   * @default - empty value
   */
  readonly value?: string;
  /**
   * Effect to tolerate.
   * @default - all effects
   */
  readonly effect?: TaintEffect;
  /**
   * For NoExecute: how long to stay after the taint appears.
   * @default - forever
   */
  readonly tolerationSeconds?: Duration;
}
