import { Duration, ApiObject } from 'cdk8s';

/** How requests are split across the versions of the app. */
export class Traffic {
  /** Everything to the stable version. */
  public static stable(): Traffic {
    return new Traffic('stable', {});
  }

  /** `weight` percent to the app's canary version, the rest to the stable version. */
  public static canary(weight: number): Traffic {
    return new Traffic('canary', {}, weight);
  }

  /** Explicit percentages per version; they must sum to 100. */
  public static weighted(weights: Record<string, number>): Traffic {
    return new Traffic('weighted', { ...weights });
  }

  /** Blue/green: all traffic to one version (switch by changing it). */
  public static blueGreen(activeVersion: string): Traffic {
    return new Traffic('blue-green', { [activeVersion]: 100 });
  }

  private constructor(
    /** The kind of split. */
    public readonly kind: 'stable' | 'canary' | 'weighted' | 'blue-green',
    /** Weights by version (weighted and blue/green). */
    public readonly weights: Readonly<Record<string, number>>,
    /** Canary percentage. */
    public readonly canaryWeight?: number,
  ) {}

  /** Weights by version for an app. @internal */
  public _resolve(app: { readonly stableVersion: string; readonly canaryVersion?: string }): Record<string, number> {
    switch (this.kind) {
      case 'stable':
        return { [app.stableVersion]: 100 };
      case 'canary':
        return { [app.stableVersion]: 100 - (this.canaryWeight ?? 0), [app.canaryVersion ?? '(no canary)']: this.canaryWeight ?? 0 };
      default:
        return { ...this.weights };
    }
  }
}

/** Which requests a route matches (all given parts must match). */
export interface RouteMatch {
  /**
   * Exact header values.
   * @default - any headers
   */
  readonly headers?: Record<string, string>;
  /**
   * A cookie with this exact value.
   * @default - any cookies
   */
  readonly cookie?: { readonly name: string; readonly value: string };
  /**
   * URI prefix.
   * @default - any path
   */
  readonly uriPrefix?: string;
  /**
   * HTTP method.
   * @default - any method
   */
  readonly method?: string;
}

/** A route sending matching requests to one version (A/B testing). */
export interface HttpRoute {
  /** Route name, unique within the service. */
  readonly name: string;
  /** What the route matches. */
  readonly match: RouteMatch;
  /** The version that serves it. */
  readonly version: string;
}

/** Retries of failed requests. */
export interface RetryPolicy {
  /** Attempts (0 disables retries). */
  readonly attempts: number;
  /**
   * Timeout of each attempt.
   * @default - the route timeout
   */
  readonly perTryTimeout?: Duration;
  /**
   * Conditions to retry on, e.g. `5xx`, `reset`, `connect-failure`, `retriable-4xx`.
   * @default - Istio's: connect-failure, refused-stream, unavailable, cancelled
   */
  readonly retryOn?: string[];
}

/** Fault injection for testing resilience. */
export interface FaultInjection {
  /**
   * Delay a percentage of requests.
   * @default - no delay
   */
  readonly delay?: { readonly fixed: Duration; readonly percent: number };
  /**
   * Abort a percentage of requests with an HTTP status.
   * @default - no abort
   */
  readonly abort?: { readonly httpStatus: number; readonly percent: number };
}

/** Copy a percentage of live traffic to another version or host (responses are discarded). */
export interface MirrorPolicy {
  /**
   * Version of this app to mirror to.
   * @default - `host` must be given
   */
  readonly version?: string;
  /**
   * Another host to mirror to.
   * @default - this app's host
   */
  readonly host?: string;
  /** Percentage of requests mirrored (0-100). */
  readonly percent: number;
}

/** Circuit-breaker limits. */
export interface ConnectionPool {
  /** @default - unlimited */
  readonly maxConnections?: number;
  /** @default - Istio default (10 s) */
  readonly connectTimeout?: Duration;
  /** @default - unlimited */
  readonly http1MaxPendingRequests?: number;
  /** @default - unlimited */
  readonly http2MaxRequests?: number;
  /** @default - unlimited */
  readonly maxRequestsPerConnection?: number;
  /** @default - unlimited */
  readonly maxRetries?: number;
}

/** Ejection of failing endpoints (also what makes locality failover fire). */
export interface OutlierDetection {
  /** @default 5 */
  readonly consecutive5xxErrors?: number;
  /** @default Duration.seconds(10) */
  readonly interval?: Duration;
  /** @default Duration.seconds(30) */
  readonly baseEjectionTime?: Duration;
  /** @default 50 */
  readonly maxEjectionPercent?: number;
}

/** Load-balancing algorithm. */
export enum LoadBalancer {
  ROUND_ROBIN = 'ROUND_ROBIN',
  LEAST_REQUEST = 'LEAST_REQUEST',
  RANDOM = 'RANDOM',
  PASSTHROUGH = 'PASSTHROUGH',
}

/** How traffic fails over between localities. */
export enum LocalityFailover {
  /** Region to region, in the order of the app's regions (`failover` pairs). */
  REGIONS = 'regions',
  /** Prefer the same network, then region, then zone (`failoverPriority`). */
  PRIORITY = 'priority',
}

/** Locality-weighted distribution from one locality (`region/zone/*`). */
export interface LocalityWeights {
  /** Origin locality, e.g. `cn-north/*`. */
  readonly from: string;
  /** Destination localities and weights, summing to 100. */
  readonly to: Record<string, number>;
}

/** North-south exposure through the ingress gateway. */
export interface IngressProps {
  /** Public host names. */
  readonly hosts: string[];
  /**
   * Secret with the TLS certificate, in the ingress gateway's namespace.
   * @default - plain HTTP only
   */
  readonly tlsSecret?: string;
  /**
   * Redirect HTTP to HTTPS (with `tlsSecret`).
   * @default true
   */
  readonly httpsRedirect?: boolean;
}

/** An external host the service calls (a ServiceEntry). */
export interface ExternalHost {
  /** Host name, e.g. `api.stripe.com`. */
  readonly host: string;
  /** Port. */
  readonly port: number;
  /**
   * Protocol.
   * @default 'TLS'
   */
  readonly protocol?: 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'GRPC';
}

/** Restrictions on what an allowed caller may do. */
export interface AllowOptions {
  /**
   * Allowed HTTP methods.
   * @default - any
   */
  readonly methods?: string[];
  /**
   * Allowed paths (prefix with `*` suffix, e.g. `/api/*`).
   * @default - any
   */
  readonly paths?: string[];
}

/** Who calls a meshed service without a sidecar. */
export interface OutsideMeshCallers {
  /**
   * Namespaces outside the mesh (tenants with `mesh: false`) whose pods call from the service's own clusters.
   * @default - none
   */
  readonly namespaces?: string[];
  /**
   * Clusters outside the mesh (an edge site reaching the service through Submariner): their pods are admitted
   * by the cluster's declared `podCidr`.
   * @default - none
   */
  readonly clusters?: string[];
}

/** Callers that are neither a MeshedService nor a Tenant. */
export class MeshCaller {
  /** The mesh's ingress gateway. */
  public static ingressGateway(): MeshCaller {
    return new MeshCaller('ingress-gateway');
  }

  /**
   * Callers without a sidecar, admitted explicitly: the service's port accepts plain text (a port-level
   * PERMISSIVE PeerAuthentication; the rest of the workload stays STRICT), its AuthorizationPolicy admits
   * requests without a principal from those callers' pod ranges only, and its NetworkPolicy admits their
   * namespaces (same cluster) or pod CIDRs (other clusters). Plain-text callers have no identity: the pod ranges
   * are the boundary, so every range involved must be declared (`podCidr` on the clusters).
   */
  public static outsideMesh(callers: OutsideMeshCallers): MeshCaller {
    return new MeshCaller('outside-mesh', callers);
  }

  private constructor(public readonly kind: 'ingress-gateway' | 'outside-mesh', public readonly outside?: OutsideMeshCallers) {}
}

/** The objects a MeshedService emits into one target. */
export interface MeshResources {
  /** Absent for a caller-only service (an app without ports), or under progressive delivery (Flagger writes it). */
  readonly virtualService?: ApiObject;
  /** Absent for a caller-only service, or under progressive delivery (Flagger writes it). */
  readonly destinationRule?: ApiObject;
  /** With progressive delivery: the Flagger Canary, in the targets of the clusters that run the app. */
  readonly canary?: ApiObject;
  /** With progressive delivery: one Flagger MetricTemplate per SLO gate. */
  readonly metricTemplates?: ApiObject[];
  /** Karmada mode, with progressive delivery: places the Canary and MetricTemplates where the app runs. */
  readonly canaryPropagationPolicy?: ApiObject;
  readonly gateway?: ApiObject;
  /** Absent for a caller-only service. */
  readonly authorizationPolicy?: ApiObject;
  readonly sidecar?: ApiObject;
  readonly serviceEntries: ApiObject[];
  readonly telemetry?: ApiObject;
  /** Karmada mode: places the Istio objects on the tenant's primary clusters. */
  readonly propagationPolicy?: ApiObject;
}
