/** How a service is made reachable across clusters. */
export enum CrossClusterBackend {
  /** Karmada MultiClusterService (CrossCluster): consumers use the native name. Karmada mode. */
  KARMADA_MCS = 'karmada-mcs',
  /** Karmada with mcs-api ServiceExport/ServiceImport: consumers use `derived-<svc>`. Karmada mode. */
  KARMADA_IMPORT = 'karmada-import',
  /** Submariner Lighthouse: ServiceExports in the providers; consumers use `<svc>.<ns>.svc.clusterset.local`. */
  SUBMARINER = 'submariner',
  /** The Istio mesh: reachable through the east-west gateways under the native name. Needs a MeshedService. */
  ISTIO = 'istio',
}
