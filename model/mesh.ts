/**
 * The platform's Istio mesh: topology (mesh ID, networks, primaries), injection and mTLS defaults, and the
 * Helm values each cluster's Istio install needs. Installing istiod, `cacerts` and remote secrets is not
 * configuration fleetplane can generate; the README lists the commands.
 */
import { ClusterSelector } from './cluster';

/** Peer authentication mode. */
export enum MtlsMode {
  /** Only mutual-TLS traffic is accepted. */
  STRICT = 'STRICT',
  /** Both plain-text and mutual-TLS traffic are accepted (migration only). */
  PERMISSIVE = 'PERMISSIVE',
}

/** Where the ingress gateway runs. */
export interface IngressGatewayProps {
  /**
   * Namespace of the ingress gateway workload (TLS secrets live there).
   * @default 'istio-system'
   */
  readonly namespace?: string;
  /**
   * Pod labels the Gateway selects.
   * @default { istio: 'ingressgateway' }
   */
  readonly labels?: Record<string, string>;
  /**
   * ServiceAccount of the gateway pods (its SPIFFE principal is allowed by `allowFrom(ingress)`).
   * @default 'istio-ingressgateway'
   */
  readonly serviceAccount?: string;
}

/** Istio across the fleet. */
export interface MeshProps {
  /** Mesh ID, identical in every cluster of the mesh. */
  readonly meshId: string;
  /**
   * Clusters in the mesh.
   * @default - every cloud cluster
   */
  readonly clusters?: ClusterSelector;
  /**
   * Primary clusters (running istiod and reading Istio configuration); the others are remotes.
   * @default - every mesh cluster (multi-primary)
   */
  readonly primaries?: string[];
  /**
   * Trust domain of workload identities (shared by all clusters, from a common root CA).
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
  /**
   * Istio revision: namespaces get `istio.io/rev=<revision>` instead of `istio-injection=enabled`.
   * @default - the default revision (`istio-injection=enabled`)
   */
  readonly revision?: string;
  /**
   * Istio CNI is installed, so sidecar injection needs no privileged init container and restricted tenants work.
   * @default false
   */
  readonly istioCni?: boolean;
  /**
   * Without Istio CNI: accept the privileged `istio-init` container by enforcing `privileged` Pod Security on
   * meshed tenants (audit and warn stay at the tenant level). A visible relaxation; prefer `istioCni`.
   * @default false
   */
  readonly privilegedSidecarInit?: boolean;
  /**
   * Mesh-wide and per-tenant mTLS mode.
   * @default MtlsMode.STRICT
   */
  readonly mtls?: MtlsMode;
  /**
   * Default-deny AuthorizationPolicy in every meshed tenant; services open up with `allowFrom`.
   * @default true
   */
  readonly defaultDeny?: boolean;
  /**
   * The ingress gateway.
   * @default - istio-system, `istio: ingressgateway`, ServiceAccount istio-ingressgateway
   */
  readonly ingressGateway?: IngressGatewayProps;
}

/** Helm values for one cluster's Istio install (`istio/istiod` chart; `istioctl install --set values.<...>`). */
export interface MeshInstallValues {
  readonly global: {
    readonly meshID: string;
    readonly multiCluster: { readonly clusterName: string };
    readonly network: string;
    /** On a remote: the address of its primary's east-west gateway, which exposes istiod. */
    readonly remotePilotAddress?: string;
  };
  readonly pilot?: { readonly cni: { readonly enabled: boolean } };
  readonly meshConfig: {
    readonly trustDomain: string;
    /** With platform telemetry: the OpenTelemetry tracing provider the tenants' Telemetry objects name. */
    readonly extensionProviders?: ReadonlyArray<{ readonly name: string; readonly opentelemetry: { readonly service: string; readonly port: number } }>;
  };
}
