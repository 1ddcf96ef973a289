/**
 * Cross-cluster services: Karmada's MultiClusterService, and the mcs-api ServiceExport / ServiceImport that
 * Karmada (or Submariner's Lighthouse) turns into endpoints in other clusters.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PlacementRequest } from '../../core/delivery';
import { createObject } from '../../core/l1';
import * as mcs from '../../imports/multicluster.x-k8s.io';
import * as knet from '../../imports/networking.karmada.io';
import { Protocol } from '../../model/workload';

/** The Service made reachable: its name, namespace and labels. */
export interface ServiceIdentity {
  /** The Service's name, which every cross-cluster object of it shares. */
  readonly name: string;
  readonly namespace: string;
  /** The app's labels. */
  readonly labels: Record<string, string>;
}

/** A port of the Service. */
export interface ServicePort {
  /** Port name. */
  readonly name: string;
  /** Port number of the Service. */
  readonly servicePort: number;
  readonly protocol: Protocol;
}

/** A MultiClusterService, resolved. */
export interface MultiClusterServiceIntent extends ServiceIdentity {
  readonly ports: readonly ServicePort[];
  /** Clusters that serve it. */
  readonly providers: readonly string[];
  /** Clusters whose clients call it. */
  readonly consumers: readonly string[];
}

/** A Karmada MultiClusterService (CrossCluster) for consumers calling the native name. */
export function renderMultiClusterService(scope: Construct, s: MultiClusterServiceIntent): ApiObject {
  return createObject(scope, 'MultiClusterService', knet.MultiClusterService.GVK, knet.toJson_MultiClusterServiceProps, {
    // Rule 26: the MultiClusterService has the Service's name.
    metadata: identityMeta(s),
    spec: {
      types: ['CrossCluster'],
      ports: s.ports.map((p) => ({ name: p.name, port: p.servicePort })),
      providerClusters: s.providers.map((n) => ({ name: n })),
      consumerClusters: s.consumers.map((n) => ({ name: n })),
    },
  });
}

/** An mcs-api ServiceExport of the Service. */
export function renderServiceExport(scope: Construct, s: ServiceIdentity): ApiObject {
  return createObject(scope, 'ServiceExport', mcs.ServiceExport.GVK, mcs.toJson_ServiceExportProps, { metadata: identityMeta(s) });
}

/** An mcs-api ServiceImport (ClusterSetIP) of the Service. */
export function renderServiceImport(scope: Construct, s: ServiceIdentity & { readonly ports: readonly ServicePort[] }): ApiObject {
  return createObject(scope, 'ServiceImport', mcs.ServiceImport.GVK, mcs.toJson_ServiceImportProps, {
    metadata: identityMeta(s),
    spec: { type: mcs.ServiceImportSpecType.CLUSTER_SET_IP, ports: s.ports.map((p) => ({ name: p.name, port: p.servicePort, protocol: p.protocol })) },
  });
}

/** The placement of the mcs-api CRDs, which must be on the members before exports and imports. */
export function mcsCrdPlacement(labels: Record<string, string>, clusters: readonly string[]): PlacementRequest {
  return {
    name: 'fleetplane-mcs-crds',
    labels,
    selectors: ['serviceexports', 'serviceimports'].map((n) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: `${n}.multicluster.x-k8s.io` })),
    clusters,
  };
}

function identityMeta(s: ServiceIdentity) {
  return { name: s.name, namespace: s.namespace, labels: s.labels };
}
