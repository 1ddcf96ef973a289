/**
 * The installation-level mesh objects of one mesh cluster, written to that member's own output in every
 * delivery mode: they differ per cluster.
 */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { createObject } from '../../core/l1';
import * as networking from '../../imports/networking.istio.io';
import * as security from '../../imports/security.istio.io';
import { MtlsMode } from '../../model/mesh';
import { LABEL_OWNERSHIP } from '../../core/labels';

/** One mesh cluster's part of the mesh, resolved. */
export interface MeshInstallIntent {
  /** The cluster's Istio network. */
  readonly network: string;
  /** The cluster runs istiod (a primary): it carries the mesh-wide PeerAuthentication. */
  readonly primary: boolean;
  /** Mesh-wide mTLS mode. */
  readonly mtls: MtlsMode;
  /** The mesh spans more than one network: the cross-network gateway is needed. */
  readonly multiNetwork: boolean;
  /** Remote clusters take their configuration from this primary: its east-west gateway exposes istiod. */
  readonly exposeIstiod?: boolean;
  /** Labels every platform object carries. */
  readonly labels: Record<string, string>;
}

/**
 * The istio-system namespace (privileged Pod Security, which Istio CNI and gateways need, and its network
 * label), the mesh-wide PeerAuthentication on primaries, and on a multi-network mesh the cross-network gateway.
 */
export function renderMeshInstall(scope: Construct, m: MeshInstallIntent): ApiObject[] {
  const objects = [
    createObject(scope, 'IstioSystem', k8s.KubeNamespace.GVK, k8s.toJson_KubeNamespaceProps, {
      metadata: {
        name: 'istio-system',
        labels: {
          ...m.labels,
          // Rule 7: istio-cni and the gateways need host access; say so explicitly.
          'pod-security.kubernetes.io/enforce': 'privileged',
          'topology.istio.io/network': m.network,
          // The Istio installer owns this namespace: prune and Pulumi only patch its labels.
          [LABEL_OWNERSHIP]: 'shared',
        },
      },
    }),
  ];
  if (m.primary) {
    objects.push(createObject(scope, 'MeshPeerAuthentication', security.PeerAuthentication.GVK, security.toJson_PeerAuthenticationProps, {
      metadata: { name: 'default', namespace: 'istio-system', labels: m.labels },
      spec: { mtls: { mode: m.mtls as any } },
    }));
  }
  if (m.multiNetwork) {
    objects.push(createObject(scope, 'CrossNetworkGateway', networking.Gateway.GVK, networking.toJson_GatewayProps, {
      metadata: { name: 'cross-network-gateway', namespace: 'istio-system', labels: m.labels },
      spec: {
        selector: { istio: 'eastwestgateway' },
        servers: [{ port: { number: 15443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' as any }, hosts: ['*.local'] }],
      },
    }));
  }
  if (m.exposeIstiod) objects.push(...renderIstiodExposure(scope, m.labels));
  return objects;
}

/**
 * Istio's `expose-istiod` configuration: the east-west gateway passes TLS on 15012 (xDS and certificates) and
 * 15017 (webhooks) through to istiod, so remote clusters reach it at `global.remotePilotAddress`.
 */
function renderIstiodExposure(scope: Construct, labels: Record<string, string>): ApiObject[] {
  const ports = [{ number: 15012, name: 'tls-istiod', target: 15012 }, { number: 15017, name: 'tls-istiodwebhook', target: 443 }];
  const gateway = createObject(scope, 'IstiodGateway', networking.Gateway.GVK, networking.toJson_GatewayProps, {
    metadata: { name: 'istiod-gateway', namespace: 'istio-system', labels },
    spec: {
      selector: { istio: 'eastwestgateway' },
      servers: ports.map((p) => ({ port: { number: p.number, name: p.name, protocol: 'tls' }, tls: { mode: 'PASSTHROUGH' as any }, hosts: ['*'] })),
    },
  });
  const virtualService = createObject(scope, 'IstiodVirtualService', networking.VirtualService.GVK, networking.toJson_VirtualServiceProps, {
    metadata: { name: 'istiod-vs', namespace: 'istio-system', labels },
    spec: {
      hosts: ['*'],
      gateways: ['istiod-gateway'],
      tls: ports.map((p) => ({
        match: [{ port: p.number, sniHosts: ['*'] }],
        route: [{ destination: { host: 'istiod.istio-system.svc.cluster.local', port: { number: p.target } } }],
      })),
    },
  });
  return [gateway, virtualService];
}
