/**
 * The value types of a platform topology (what `buildTopology` returns and the renderers draw).
 */
import { Manifest } from './manifests';

/** A member cluster. */
export interface TopologyCluster {
  readonly name: string;
  readonly region?: string;
  readonly provider?: string;
  readonly network?: string;
  readonly zones?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  /** A KubeEdge (edge) cluster. */
  readonly edge: boolean;
}

/** A tenant: its namespace and the clusters it exists on. */
export interface TopologyTenant {
  readonly namespace: string;
  readonly clusters: readonly string[];
}

/** An app (a workload with its canary, an edge app or a batch job). */
export interface TopologyApp {
  /** `app:<namespace>/<name>`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  /** Deployment, StatefulSet, EdgeApplication or Job (Volcano). */
  readonly kind: string;
  /** Clusters the app runs on (or may run on, when the split is decided at run time). */
  readonly clusters: readonly string[];
  /** Replicas per cluster, when known. */
  readonly replicas: Readonly<Record<string, number>>;
  /** Replicas over the fleet, when fixed. */
  readonly total?: number;
  /** Autoscaler bounds, when an autoscaler owns the count. */
  readonly autoscaling?: { readonly min?: number; readonly max?: number };
  /** Versions (app.kubernetes.io/version of each workload: stable first, then the canary). */
  readonly versions: readonly string[];
  /** Edge apps: replicas per node group. */
  readonly nodeGroups?: Readonly<Record<string, number>>;
}

/** Who may call whom: `allow` from an AuthorizationPolicy, `calls` from a Sidecar's egress. */
export interface TrafficEdge {
  /** An app id, `tenant:<namespace>`, `ingress` or `external:<host>`. */
  readonly from: string;
  readonly to: string;
  readonly kind: 'allow' | 'calls';
  /** e.g. the allowed methods. */
  readonly label?: string;
}

/** Locality failover of an app from one region to another (DestinationRule). */
export interface FailoverEdge {
  readonly app: string;
  readonly from: string;
  readonly to: string;
}

/** A service reachable across clusters. */
export interface CrossClusterLink {
  readonly app: string;
  readonly backend: string;
  readonly providers: readonly string[];
  readonly consumers: readonly string[];
}

/** A Prometheus (or Thanos Query) of the monitoring tiers. */
export interface MonitoringNode {
  readonly cluster: string;
  readonly tier: 'member' | 'global';
  readonly kind: 'prometheus' | 'thanos-query';
  /** Global tier: the member clusters it federates or queries. */
  readonly sources: readonly string[];
}

/** The topology of one platform. */
export interface PlatformTopology {
  readonly name: string;
  /** karmada or direct (unknown without the report and a control-plane file). */
  readonly delivery?: string;
  readonly clusters: readonly TopologyCluster[];
  readonly tenants: readonly TopologyTenant[];
  readonly apps: readonly TopologyApp[];
  readonly traffic: readonly TrafficEdge[];
  readonly failover: readonly FailoverEdge[];
  readonly crossCluster: readonly CrossClusterLink[];
  readonly monitoring: readonly MonitoringNode[];
}

/** An object with the apply target it was written for. */
export interface PlacedManifest {
  readonly object: Manifest;
  /** The member cluster whose file holds it, or undefined for the control plane. */
  readonly cluster?: string;
}

/** The id of an app in the topology. */
export function appId(namespace: string, name: string): string {
  return `app:${namespace}/${name}`;
}
