/**
 * Value types of the reachability model. The model reads synthesized manifests (plain JSON objects, grouped per
 * cluster) and decides whether one pod can open a connection to another, naming the object that decides.
 */

/** Kubernetes metadata, as far as the model reads it. */
export interface ManifestMetadata {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly creationTimestamp?: string;
}

/** A synthesized object, as far as the model reads it; `spec` is narrowed per kind by each evaluator. */
export interface Manifest {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ManifestMetadata;
  readonly spec?: unknown;
}

/** One requirement of a Kubernetes label selector. */
export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  readonly values?: readonly string[];
}

/** A Kubernetes label selector (`matchLabels` AND `matchExpressions`); `{}` selects everything. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/** The object that decided a hop: it blocks the connection, or it is the one that admits it. */
export interface DecidingObject {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** The rule inside the object, e.g. `ingress[0]`, `rules[2]`, `portLevelMtls[8080]`, `egress[0].hosts`. */
  readonly rule?: string;
  /** The cluster whose manifests hold the object. */
  readonly cluster?: string;
}

/** The outcome of one evaluator: allowed or not, who decided, and why in a sentence. */
export interface Verdict {
  readonly allowed: boolean;
  readonly decidedBy?: DecidingObject;
  readonly reason: string;
}

/** A meshed workload, as Istio policies select it. */
export interface MeshWorkload {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A container port of a pod, used to resolve named ports. */
export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: string;
}

/**
 * One end of a path: a pod, given by where it runs and its labels.
 */
export interface PodEndpoint {
  /** Cluster whose manifests describe the pod. */
  readonly cluster: string;
  readonly namespace: string;
  /** The pod's labels (its template's labels). */
  readonly labels: Readonly<Record<string, string>>;
  /** @default 'default' */
  readonly serviceAccount?: string;
  /** Whether an Istio sidecar runs in the pod. */
  readonly meshed: boolean;
  /**
   * The pod's IPv4 address, when known.
   * @default - any address of the cluster's pod CIDRs
   */
  readonly ip?: string;
  /**
   * The pod's container ports.
   * @default - read from the workload in the manifests whose pod template labels the pod carries
   */
  readonly containerPorts?: readonly ContainerPort[];
}

/** The destination of a path: a pod plus the port and protocol of the connection. */
export interface DestinationEndpoint extends PodEndpoint {
  /** The pod's port: a number, or the name of one of its container ports. */
  readonly port: number | string;
  /** @default 'TCP' */
  readonly protocol?: string;
  /**
   * The host name the caller uses, for Sidecar egress scoping and AuthorizationPolicy `hosts`.
   * @default - `<service>.<namespace>.svc.cluster.local` of a Service in the manifests selecting the pod
   */
  readonly host?: string;
}

/** An HTTP request on the connection; absent for plain TCP. */
export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A connection to evaluate. */
export interface ReachabilityPath {
  readonly from: PodEndpoint;
  readonly to: DestinationEndpoint;
  /** Whether the caller's sidecar originates mutual TLS (only honoured when both ends are meshed). */
  readonly mtls: boolean;
  readonly http?: HttpRequest;
}

/** The east-west gateway of a cluster: a LoadBalancer address outside the cluster and the pod behind it. */
export interface EastWestGateway {
  /** IPv4 address callers on other networks connect to. */
  readonly address: string;
  /** @default 15443 */
  readonly port?: number;
  /** @default 'istio-system' */
  readonly namespace?: string;
  /** Labels of the gateway pods. @default { istio: 'eastwestgateway' } */
  readonly labels?: Readonly<Record<string, string>>;
  /** IPv4 address of the gateway pod. @default - any address of the cluster's pod CIDRs */
  readonly podIp?: string;
  /**
   * Ranges the external address cannot be in when it is given as a CIDR (pod and Service ranges: a LoadBalancer
   * IP is neither).
   * @default - none
   */
  readonly notIn?: readonly string[];
}

/** How one cluster is wired. */
export interface ClusterNetwork {
  /** IPv4 pod CIDRs. */
  readonly podCidrs: readonly string[];
  /** Clusters on the same network reach each other's pods directly; others go through an east-west gateway. */
  readonly network: string;
  readonly eastWestGateway?: EastWestGateway;
}

/** Mesh settings the manifests do not carry. */
export interface MeshOptions {
  /** @default 'istio-system' */
  readonly rootNamespace?: string;
  /** @default 'cluster.local' */
  readonly trustDomain?: string;
  /** meshConfig.outboundTrafficPolicy.mode, used where no Sidecar sets one. @default 'ALLOW_ANY' */
  readonly outboundTrafficPolicy?: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  /**
   * What an external authorizer answers for requests a CUSTOM AuthorizationPolicy sends to it: the manifests
   * cannot tell.
   * @default 'allow'
   */
  readonly customVerdict?: 'allow' | 'deny';
  /** @default 'cluster.local' */
  readonly clusterDomain?: string;
}
