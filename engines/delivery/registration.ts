/** Karmada `Cluster` registrations: how the Karmada control plane reaches a member (Push or Pull). */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { createObject } from '../../core/l1';
import * as karmadaCluster from '../../imports/cluster.karmada.io';
import { MemberClusterProps } from '../../model/cluster';

/**
 * The Karmada `Cluster` object of a member cluster with a `registration`: sync mode, endpoint and secrets,
 * and the cluster's provider, region, zones and taints for Karmada's scheduler.
 */
export function renderClusterRegistration(scope: Construct, c: MemberClusterProps, platformLabels: Record<string, string>): ApiObject {
  const r = c.registration!;
  return createObject(scope, 'Resource', karmadaCluster.Cluster.GVK, karmadaCluster.toJson_ClusterProps, {
    metadata: { name: c.name, labels: { ...(c.labels ?? {}), ...platformLabels } },
    spec: {
      syncMode: r.syncMode,
      apiEndpoint: r.apiEndpoint,
      secretRef: r.secretRef,
      impersonatorSecretRef: r.impersonatorSecretRef,
      insecureSkipTlsVerification: r.insecureSkipTlsVerification,
      proxyUrl: r.proxyUrl,
      provider: c.provider,
      region: c.region,
      zones: c.zones,
      taints: c.taints?.map((t) => ({ key: t.key, value: t.value, effect: t.effect as any })),
    },
  });
}
