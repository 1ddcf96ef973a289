#!/usr/bin/env bash
# Regenerates the typed L1 bindings in imports/ from the upstream schemas in ../shared/crds.
# Only the kinds fleetplane emits are imported (one module per API group), so user programs load
# small modules. Never edit imports/ by hand: change this script and run `npm run import`.
set -euo pipefail
cd "$(dirname "$0")/.."
CRDS="${FLEETPLANE_CRDS:-../shared/crds}"
OUT=imports
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export CDK8S_CHECK_UPGRADE=false

# module (API group) -> "<system>/<file> ..." (one multi-document YAML per group, or cdk8s import overwrites the module)
declare -A GROUPS_=(
  [policy.karmada.io]="karmada/policy.karmada.io_propagationpolicies.yaml karmada/policy.karmada.io_clusterpropagationpolicies.yaml karmada/policy.karmada.io_overridepolicies.yaml karmada/policy.karmada.io_federatedresourcequotas.yaml"
  [autoscaling.karmada.io]="karmada/autoscaling.karmada.io_federatedhpas.yaml karmada/autoscaling.karmada.io_cronfederatedhpas.yaml"
  [networking.istio.io]="istio/networking.istio.io_virtualservices.yaml istio/networking.istio.io_destinationrules.yaml istio/networking.istio.io_gateways.yaml istio/networking.istio.io_serviceentries.yaml istio/networking.istio.io_sidecars.yaml"
  [security.istio.io]="istio/security.istio.io_peerauthentications.yaml istio/security.istio.io_authorizationpolicies.yaml"
  [telemetry.istio.io]="istio/telemetry.istio.io_telemetries.yaml"
  [networking.karmada.io]="karmada/networking.karmada.io_multiclusterservices.yaml karmada/networking.karmada.io_multiclusteringresses.yaml"
  [multicluster.x-k8s.io]="karmada/multicluster.x-k8s.io_serviceexports.yaml karmada/multicluster.x-k8s.io_serviceimports.yaml"
  [apps.kubeedge.io]="kubeedge/apps_v1alpha1_nodegroup.yaml kubeedge/apps_v1alpha1_edgeapplication.yaml"
  [scheduling.volcano.sh]="volcano/scheduling.volcano.sh_queues.yaml"
  # Volcano Jobs are built as plain JSON from typed props (their pod templates come from the Kubernetes
  # bindings), so the 500 KB batch.volcano.sh module is not generated; the tests validate Jobs against the CRD.
  # Per-app monitoring objects, loaded with every program: small.
  [monitoring.coreos.com]="prometheus-operator/monitoring.coreos.com_servicemonitors.yaml prometheus-operator/monitoring.coreos.com_podmonitors.yaml prometheus-operator/monitoring.coreos.com_prometheusrules.yaml"
  # The servers (several MB of schema): a module of their own, loaded only by platforms with monitoring.
  # GitOps delivery objects (the gitops chart of a platform with `gitops`). The ApplicationSet CRD (1.4 MB: the
  # Application template inlined 24 times) is not generated: fleetplane writes its one ApplicationSet as plain
  # JSON from typed props, and the tests validate it against the CRD.
  [argoproj.io]="argo-cd/argoproj.io_applications.yaml argo-cd/argoproj.io_appprojects.yaml"
  [kustomize.toolkit.fluxcd.io]="flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml"
  [source.toolkit.fluxcd.io]="flux/source.toolkit.fluxcd.io_gitrepositories.yaml flux/source.toolkit.fluxcd.io_ocirepositories.yaml"
  # Progressive delivery: Flagger's Canary and the MetricTemplates its analysis reads.
  [flagger.app]="flagger/flagger.app_canaries.yaml flagger/flagger.app_metrictemplates.yaml"
  [monitoring.coreos.com-servers]="prometheus-operator/monitoring.coreos.com_prometheuses.yaml prometheus-operator/monitoring.coreos.com_alertmanagers.yaml prometheus-operator/monitoring.coreos.com_scrapeconfigs.yaml prometheus-operator/monitoring.coreos.com_alertmanagerconfigs.yaml"
  # OpenTelemetry operator: the collectors of platform telemetry and the per-app Instrumentation (loaded only by
  # platforms with telemetry).
  [opentelemetry.io]="opentelemetry/opentelemetry.io_opentelemetrycollectors.yaml opentelemetry/opentelemetry.io_instrumentations.yaml"
)
# Versions to generate per system: Istio serves v1alpha3/v1beta1 aliases that fleetplane never emits.
declare -A VERSIONS_=([karmada]="v1alpha1" [istio]="v1" [prometheus-operator]="v1 v1alpha1" [kubeedge]="v1alpha1" [volcano]="v1beta1 v1alpha1" [opentelemetry]="--first v1beta1 v1alpha1" [argo-cd]="v1alpha1" [flux]="v1" [flagger]="v1beta1")
# OpenTelemetry: OpenTelemetryCollector is stored as v1beta1 (v1alpha1 is deprecated), Instrumentation only has
# v1alpha1; `--first` keeps, per CRD, the first listed version it serves.
for group in "${!GROUPS_[@]}"; do
  for f in ${GROUPS_[$group]}; do
    cat "$CRDS/$f"
    printf '\n---\n'
  done | node scripts/keep-crd-versions.js ${VERSIONS_[${GROUPS_[$group]%%/*}]} > "$TMP/$group.yaml"
done

# cluster.karmada.io Cluster is served by an aggregated API server, not a CRD: its schema exists only in
# karmada's OpenAPI v2 document. Wrap that definition into a transient CRD so cdk8s import can generate it.
node scripts/openapi-to-crd.js "$CRDS/karmada/openapi/swagger.json" \
  com.github.karmada-io.karmada.pkg.apis.cluster.v1alpha1.Cluster cluster.karmada.io v1alpha1 Cluster clusters Cluster \
  > "$TMP/cluster.karmada.io.yaml"

rm -rf "$OUT"
mkdir -p "$OUT"
for spec in "$TMP"/*.yaml; do
  # NAME:=FILE names the module after the file, so one API group can be split across modules.
  name=$(basename "$spec" .yaml)
  npx --no-install cdk8s import "$name:=$spec" --language typescript --output "$TMP/out" --no-save >/dev/null
  mv "$TMP/out/$name"-*.ts "$OUT/$name.ts"
done
# The generated converters drop undefined values by rebuilding the object once per key with reduce and spread,
# quadratic in the keys of each object and a new object per key: every manifest pays it at construction. The
# same filter as one loop gives the same object (same keys, same order).
node scripts/linear-converters.js "$OUT"/*.ts
ls "$OUT"
