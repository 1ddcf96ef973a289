/**
 * Karmada delivery: every object is written once to the Karmada API server, and a (Cluster)PropagationPolicy
 * places it on the member clusters. This file is the one place PropagationPolicies are written from a
 * placement request.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AppDeliveryInput, DeliveryEngine, PlacementRequest, ResourceSelector } from '../../core/delivery';
import { createLazyObject, createObject } from '../../core/l1';
import { ApplyTarget, DeliveryMode } from '../../core/target';
import * as policy from '../../imports/policy.karmada.io';
import { AppResources } from '../../model/app';
import { appPlacementRequest, renderControlPlaneApp, renderControlPlaneAutoscalers, renderOverridePolicy } from './app-karmada';

/** Karmada mode: one control-plane target, placement by policy. */
export class KarmadaDelivery implements DeliveryEngine {
  public readonly mode = DeliveryMode.KARMADA;

  constructor(private readonly controlPlane: () => ApplyTarget | undefined) {}

  public targetsFor(_clusters: readonly string[]): ApplyTarget[] {
    const cp = this.controlPlane();
    return cp ? [cp] : [];
  }

  public place(scope: Construct, id: string, request: PlacementRequest): ApiObject {
    return propagationPolicy(scope, id, request);
  }

  /**
   * The app once in the control plane with its fleet-wide replicas, then its PropagationPolicy,
   * OverridePolicy and FederatedHPA (in that order).
   * @internal
   */
  public deliverApp(app: AppDeliveryInput): Map<string, AppResources> {
    const resources = new Map<string, AppResources>();
    const target = this.controlPlane();
    if (!target) return resources;
    const scope = app.scopeFor(target);
    const rendered = renderControlPlaneApp(scope, app);
    const propagation = propagationPolicy(scope, 'PropagationPolicy', appPlacementRequest(app, rendered));
    const overridePolicy = renderOverridePolicy(scope, app, rendered);
    const autoscaling = renderControlPlaneAutoscalers(scope, app, rendered);
    resources.set(target.name, {
      workload: rendered.workload,
      canaryWorkload: rendered.canaryWorkload,
      ...rendered.common,
      propagationPolicy: propagation,
      overridePolicy,
      federatedHpa: autoscaling?.federatedHpa,
      cronFederatedHpa: autoscaling?.cronFederatedHpa,
      canaryFederatedHpa: autoscaling?.canaryFederatedHpa,
      canaryCronFederatedHpa: autoscaling?.canaryCronFederatedHpa,
    });
    return resources;
  }
}

/** The Karmada placement of a request: the full placement given, or the clusters by name. */
export function placementOf(r: PlacementRequest): Record<string, unknown> {
  if (r.placement) return r.placement;
  return {
    clusterAffinity: { clusterNames: [...(r.clusters ?? [])] },
    replicaScheduling: r.duplicated ? { replicaSchedulingType: policy.PropagationPolicySpecPlacementReplicaSchedulingReplicaSchedulingType.DUPLICATED } : undefined,
  };
}

/**
 * A PropagationPolicy (namespaced request) or ClusterPropagationPolicy (cluster-scoped request). Selectors
 * given as a function are evaluated at synthesis, for object sets that grow after construction.
 */
export function propagationPolicy(scope: Construct, id: string, r: PlacementRequest): ApiObject {
  const spec = (selectors: readonly ResourceSelector[]) => ({
    resourceSelectors: selectors.map((s) => ({ apiVersion: s.apiVersion, kind: s.kind, name: s.name })),
    ...(r.extra ?? {}),
    placement: placementOf(r) as any,
  });
  if (r.namespace === undefined) {
    return createObject(scope, id, policy.ClusterPropagationPolicy.GVK, policy.toJson_ClusterPropagationPolicyProps, {
      metadata: { name: r.name, labels: r.labels },
      spec: spec(typeof r.selectors === 'function' ? r.selectors() : r.selectors),
    });
  }
  const metadata = { name: r.name, namespace: r.namespace, labels: r.labels };
  const selectors = r.selectors;
  if (typeof selectors === 'function') {
    return createLazyObject(scope, id, policy.PropagationPolicy.GVK, policy.toJson_PropagationPolicyProps, metadata, ['spec'], () => ({ spec: spec(selectors()) }));
  }
  return createObject(scope, id, policy.PropagationPolicy.GVK, policy.toJson_PropagationPolicyProps, { metadata, spec: spec(selectors) });
}
