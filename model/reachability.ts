/**
 * Value types of the reachability check: the paths a platform declares (who calls whom, on which port, in which
 * clusters) and the report that says, for each path and cluster pair, whether the synthesized manifests let it
 * through and which object decides.
 */

/** Why a path is expected to connect (or, for `undeclared`, expected to be refused). */
export type DeclaredPathKind = 'call' | 'ingress' | 'dns' | 'istiod' | 'monitoring' | 'telemetry' | 'undeclared';

/** One end of a declared path: a set of pods, present in some clusters. */
export interface PathEndpoint {
  /** A readable name, e.g. `shop/frontend` or `istio-system/istio-ingressgateway`. */
  readonly name: string;
  /** The clusters where the pods run. */
  readonly clusters: readonly string[];
  readonly namespace: string;
  /** The pods' selector labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** @default - read from the workload in the manifests */
  readonly serviceAccount?: string;
  /** Whether the connection leaves (or arrives at) an Istio sidecar. */
  readonly meshed: boolean;
}

/** A path the construct tree declares. */
export interface DeclaredPath {
  readonly kind: DeclaredPathKind;
  /** Construct path of what declares it, e.g. `prod/shop/cart-mesh`. */
  readonly declaredBy: string;
  /** The call that declares it, e.g. `allowFrom(0)` or `calls[1]`. */
  readonly prop: string;
  readonly from: PathEndpoint;
  readonly to: PathEndpoint & {
    /** Container port number of the destination. */
    readonly port: number;
    /** @default 'TCP' */
    readonly protocol?: string;
  };
  /** Whether the caller's sidecar originates mutual TLS. */
  readonly mtls: boolean;
  /** A request the path carries, when it is HTTP. */
  readonly http?: { readonly method: string; readonly path: string };
  /**
   * Only the clusters where both ends run and that pass this test; e.g. DNS and istiod paths stay in one
   * cluster.
   * @default - every cluster pair
   */
  readonly sameClusterOnly?: boolean;
  /**
   * The path is declared on one side only (a `calls` entry the callee does not allow): a block is reported as
   * a warning, since the callee's allow-list may refuse it on purpose.
   * @default false
   */
  readonly oneSided?: boolean;
}

/** The object that decides a path. */
export interface ReachabilityDecider {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** The rule inside the object, e.g. `ingress[0]`. */
  readonly rule?: string;
  /** The cluster whose manifests hold the object. */
  readonly cluster?: string;
}

/** One row of the reachability matrix: a path between two clusters. */
export interface ReachabilityEntry {
  readonly kind: DeclaredPathKind;
  readonly declaredBy: string;
  readonly prop: string;
  /** Caller name, e.g. `shop/frontend`. */
  readonly caller: string;
  /** Callee name and port, e.g. `shop/cart:8080`. */
  readonly callee: string;
  readonly fromCluster: string;
  readonly toCluster: string;
  /** `allowed` for declared paths, `denied` for the undeclared sample. */
  readonly expected: 'allowed' | 'denied';
  readonly allowed: boolean;
  /** The object that blocks the path, or the last one that admits it. */
  readonly decidedBy?: ReachabilityDecider;
  readonly reason: string;
  /** Declared on one side only (see {@link DeclaredPath.oneSided}): a block is a warning. */
  readonly oneSided?: boolean;
  /** A cluster prop that must be set before the path can be realised, e.g. `eastWestGateway`. */
  readonly missing?: { readonly cluster: string; readonly prop: string };
}

/** What {@link checkReachability} finds. */
export interface ReachabilityReport {
  /** Every evaluated path, declared paths first, in a stable order. */
  readonly entries: readonly ReachabilityEntry[];
  /** Declared paths that the manifests block. */
  readonly blocked: readonly ReachabilityEntry[];
  /** Undeclared paths that the manifests let through. */
  readonly leaks: readonly ReachabilityEntry[];
}
