/**
 * An app in Karmada mode: its objects are written once to the control plane; a PropagationPolicy places
 * them with the app's full placement and failover, an OverridePolicy tunes them per cluster, and a
 * FederatedHPA scales them over the fleet.
 */
import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { AppCommonResources, AppDeliveryInput, PlacementRequest, ResourceSelector, selectorOf } from '../../core/delivery';
import { PlainApiObject, createObject } from '../../core/l1';
import * as policy from '../../imports/policy.karmada.io';
import { FailoverProps, PurgeMode } from '../../model/app';
import { ClusterSelector, MemberClusterProps } from '../../model/cluster';
import { SpreadConstraint, SpreadField } from '../../model/placement';
import { DistributionKind } from '../../model/distribution';
import { renderFederatedAutoscaling, versionAutoscaling } from './autoscaling';
import { compileOverriders } from './overrides';
import { renderAffinity, renderClusterTolerations } from './placement';
import { scopeToTenant } from './scheduling';
import { karmadaSpreadConstraints } from './spread';

/** JSON pointer of the pod spec in a Deployment or StatefulSet. */
const POD_SPEC_PATH = '/spec/template/spec';

/** The app's objects in the control plane, before its policies. */
export interface ControlPlaneApp {
  /** The stable workload as rendered (overrides are compiled against it). */
  readonly workloadJson: Record<string, any>;
  readonly workload: ApiObject;
  /** The canary workload as rendered, when the app has a canary. */
  readonly canaryJson?: Record<string, any>;
  readonly canaryWorkload?: ApiObject;
  /** Selectors of the stable and canary workloads. */
  readonly workloadSelectors: ResourceSelector[];
  readonly common: AppCommonResources;
}

/** Creates the workloads (the fleet-wide replicas) and the common objects of an app in the control plane. */
export function renderControlPlaneApp(scope: Construct, app: AppDeliveryInput): ControlPlaneApp {
  const workloadJson = app.renderWorkload(app.replicas, 'stable');
  const workload = new PlainApiObject(scope, 'Workload', workloadJson as any);
  // An autoscaled app's canary has its own autoscaler, which owns its replicas.
  const canaryJson = app.canaryReplicas !== undefined ? app.renderWorkload(app.autoscaling ? undefined : app.canaryReplicas, 'canary') : undefined;
  const canaryWorkload = canaryJson ? new PlainApiObject(scope, 'CanaryWorkload', canaryJson as any) : undefined;
  const workloadSelectors = [
    { apiVersion: workloadJson.apiVersion, kind: workloadJson.kind, name: app.name },
    ...(canaryWorkload ? [selectorOf(canaryWorkload)] : []),
  ];
  const common = app.renderCommon(scope, undefined);
  return { workloadJson, workload, canaryJson, canaryWorkload, workloadSelectors, common };
}

/** The placement request of the app's PropagationPolicy: every object of the app and its dependencies. */
export function appPlacementRequest(app: AppDeliveryInput, rendered: ControlPlaneApp): PlacementRequest {
  const { common } = rendered;
  const selectors = [
    ...rendered.workloadSelectors,
    ...[common.service, common.headlessService, common.serviceAccount, common.disruptionBudget]
      .filter((o): o is ApiObject => !!o)
      .map(selectorOf),
    ...app.dependencies.configMaps.map((name) => ({ apiVersion: 'v1', kind: 'ConfigMap', name })),
    ...app.dependencies.secrets.map((name) => ({ apiVersion: 'v1', kind: 'Secret', name })),
    // Monitoring objects follow the app's placement.
    ...(common.monitoringObjects ?? []).map(selectorOf),
    ...(common.telemetryObjects ?? []).map(selectorOf),
  ];
  return {
    name: app.name,
    namespace: app.namespace,
    labels: app.labels,
    // Read at synthesis: users' own objects are included after the app is built.
    selectors: () => [...selectors, ...app.included()],
    placement: renderAppPlacement(app),
    extra: {
      // Dependencies are selected explicitly above; propagateDeps also makes them follow failover.
      propagateDeps: true,
      failover: app.failover ? renderFailover(app.failover) : undefined,
      // Rollout waves: the later waves keep their current version until promoted (their Works are not updated).
      suspension: app.suspendedClusters?.length ? { dispatchingOnClusters: { clusterNames: [...app.suspendedClusters] } } : undefined,
    },
  };
}

/** Application failover: move the app away from a cluster where it stays unhealthy. */
function renderFailover(f: FailoverProps): Record<string, unknown> {
  const purgeMode = f.purgeMode ?? PurgeMode.GRACEFULLY;
  return {
    application: {
      decisionConditions: { tolerationSeconds: (f.toleration ?? Duration.seconds(300)).toSeconds() },
      purgeMode,
      gracePeriodSeconds: purgeMode === PurgeMode.GRACEFULLY ? (f.gracePeriod ?? Duration.seconds(600)).toSeconds() : undefined,
    },
  };
}

/** The app's Karmada placement: affinity scoped to the tenant, tolerations, spreading and replica scheduling. */
export function renderAppPlacement(app: AppDeliveryInput): Record<string, unknown> {
  const p = app.placement;
  const scoped = (s: ClusterSelector) => scopeToTenant(s, app.fleet, app.tenantClusters);
  // Karmada's webhook requires a `cluster` constraint beside region/zone/provider ones.
  const spread = karmadaSpreadConstraints(p.spreadConstraints);
  return {
    clusterAffinity: p.groups ? undefined : renderAffinity(scoped(p.selector ?? {})),
    clusterAffinities: p.groups?.map((g) => ({ affinityName: g.name, ...renderAffinity(scoped(g.clusters)) })),
    clusterTolerations: renderClusterTolerations(p),
    spreadConstraints: spread.length
      ? spread.map((c) => ({ spreadByField: c.field, spreadByLabel: c.label, minGroups: c.minGroups ?? 1, maxGroups: c.maxGroups || groupCount(c, app) }))
      : undefined,
    replicaScheduling: renderReplicaScheduling(app),
  };
}

/**
 * "No upper bound" as Karmada needs it written: its scheduler reads an absent maxGroups as 0 and then selects
 * no group at all (select_clusters_by_cluster.go, karmada-io/karmada#4617), so the bound is the number of
 * distinct groups among the tenant's clusters, which no placement can exceed.
 */
function groupCount(c: SpreadConstraint, app: AppDeliveryInput): number {
  const clusters = app.tenantClusters.map((n) => app.fleet.get(n)).filter((x): x is MemberClusterProps => !!x);
  const values = clusters.flatMap((m): Array<string | undefined> => {
    if (c.label) return [m.labels?.[c.label]];
    if (c.field === SpreadField.REGION) return [m.region];
    if (c.field === SpreadField.ZONE) return m.zones ?? [];
    if (c.field === SpreadField.PROVIDER) return [m.provider];
    return [m.name];
  });
  return Math.max(1, new Set(values.filter((v) => v !== undefined)).size);
}

/** How Karmada divides the replicas: duplicated, aggregated, by capacity, or by static weights. */
function renderReplicaScheduling(app: AppDeliveryInput): Record<string, unknown> {
  const d = app.distribution;
  switch (d.kind) {
    case DistributionKind.DUPLICATED:
      return { replicaSchedulingType: 'Duplicated' };
    case DistributionKind.AGGREGATED:
      return { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' };
    case DistributionKind.BY_CAPACITY:
      return { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } };
    default: {
      const rules = d.weights.filter((w) => w.weight > 0);
      return {
        replicaSchedulingType: 'Divided',
        replicaDivisionPreference: 'Weighted',
        weightPreference: rules.length ? { staticWeightList: rules.map((w) => ({ targetCluster: renderAffinity(w.clusters), weight: w.weight })) } : undefined,
      };
    }
  }
}

/** The OverridePolicy of the app's workloads, when it has overrides. */
export function renderOverridePolicy(scope: Construct, app: AppDeliveryInput, rendered: ControlPlaneApp): ApiObject | undefined {
  const overrides = app.overrides.filter((o) => o && o.clusters);
  if (overrides.length === 0) return undefined;
  const container = rendered.workloadJson.spec.template.spec.containers[0];
  const ctx = { podSpecPath: POD_SPEC_PATH, containerName: container.name, image: container.image, env: container.env ?? [] };
  return createObject(scope, 'OverridePolicy', policy.OverridePolicy.GVK, policy.toJson_OverridePolicyProps, {
    metadata: { name: app.name, namespace: app.namespace, labels: app.labels },
    spec: {
      resourceSelectors: rendered.workloadSelectors,
      overrideRules: overrides.map((o) => ({
        targetCluster: renderAffinity(o.clusters),
        overriders: compileOverriders(o, ctx) as any,
      })),
    },
  });
}

/** The autoscalers of an app in the control plane: one FederatedHPA (and CronFederatedHPA) per version. */
export interface ControlPlaneAutoscalers {
  readonly federatedHpa: ApiObject;
  readonly cronFederatedHpa?: ApiObject;
  readonly canaryFederatedHpa?: ApiObject;
  readonly canaryCronFederatedHpa?: ApiObject;
}

/**
 * A FederatedHPA per version: each workload is scaled by exactly one autoscaler. With a canary, each version's
 * bounds follow the share of the traffic it takes (read at synthesis, when the MeshedService is known).
 */
export function renderControlPlaneAutoscalers(scope: Construct, app: AppDeliveryInput, rendered: ControlPlaneApp): ControlPlaneAutoscalers | undefined {
  const a = app.autoscaling;
  if (!a) return undefined;
  const targetOf = (json: Record<string, any>) => ({ apiVersion: json.apiVersion, kind: json.kind, name: json.metadata.name });
  const meta = { name: app.name, namespace: app.namespace, labels: app.labels };
  const canary = rendered.canaryJson;
  const stable = renderFederatedAutoscaling(scope, meta, targetOf(rendered.workloadJson), a, canary ? () => versionAutoscaling(a, app.trafficShare('stable')) : undefined);
  if (!canary) return stable;
  const canaryMeta = { name: canary.metadata.name, namespace: app.namespace, labels: { ...canary.metadata.labels } };
  const c = renderFederatedAutoscaling(scope, canaryMeta, targetOf(canary), a, () => versionAutoscaling(a, app.trafficShare('canary')), 'Canary');
  return { ...stable, canaryFederatedHpa: c.federatedHpa, canaryCronFederatedHpa: c.cronFederatedHpa };
}
