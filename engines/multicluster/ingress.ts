/** North-south traffic across clusters: Karmada's MultiClusterIngress (an IngressSpec). */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { createObject } from '../../core/l1';
import * as knet from '../../imports/networking.karmada.io';

/** One host and path routed to a Service port. */
export interface IngressRoute {
  /** Public host name. */
  readonly host: string;
  /** Path prefix. */
  readonly path: string;
  /** The backend Service (reachable through Karmada MCS). */
  readonly serviceName: string;
  /** The backend Service's port number. */
  readonly servicePort: number;
}

/** A multi-cluster ingress, resolved. */
export interface MultiClusterIngressIntent {
  /** Object name. */
  readonly name: string;
  /** The tenant namespace. */
  readonly namespace: string;
  /** The tenant's labels. */
  readonly labels: Record<string, string>;
  /** Ingress class of the Karmada-aware ingress controller. */
  readonly ingressClassName: string;
  /** TLS secret for every host. */
  readonly tlsSecret?: string;
  readonly routes: readonly IngressRoute[];
}

/** The MultiClusterIngress: one rule per host (in first-seen order), its paths as Prefix routes. */
export function renderMultiClusterIngress(scope: Construct, i: MultiClusterIngressIntent): ApiObject {
  const hosts = [...new Set(i.routes.map((r) => r.host))];
  const spec: k8s.IngressSpec = {
    ingressClassName: i.ingressClassName,
    tls: i.tlsSecret ? [{ hosts, secretName: i.tlsSecret }] : undefined,
    rules: hosts.map((host) => ({
      host,
      http: {
        paths: i.routes.filter((r) => r.host === host).map((r) => ({ path: r.path, pathType: 'Prefix', backend: { service: { name: r.serviceName, port: { number: r.servicePort } } } })),
      },
    })),
  };
  return createObject(scope, 'Resource', knet.MultiClusterIngress.GVK, knet.toJson_MultiClusterIngressProps, {
    metadata: { name: i.name, namespace: i.namespace, labels: i.labels },
    spec: k8s.toJson_IngressSpec(spec) as any,
  });
}
