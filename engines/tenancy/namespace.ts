/** A tenant's Namespace with its Pod Security Admission and sidecar-injection labels. */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { LABEL_SKIP_AUTO_PROPAGATION } from '../../core/labels';
import { createObject } from '../../core/l1';
import { PodSecurityLevel } from '../../model/workload';

/** What a tenant's Namespace renders from. */
export interface NamespaceIntent {
  /** Namespace name. */
  readonly name: string;
  /** Labels of the tenant. */
  readonly labels: Record<string, string>;
  /** Extra labels the user asked for (the tenant's labels win). */
  readonly extraLabels?: Record<string, string>;
  /** The Pod Security level enforced. */
  readonly enforce: PodSecurityLevel;
  /** The Pod Security level audited and warned about. */
  readonly audit: PodSecurityLevel;
  /** In the mesh: sidecars are injected, by this Istio revision if one is set. */
  readonly sidecarInjection?: { readonly revision?: string };
  /** Written to the Karmada control plane, which copies namespaces to every member unless told not to. */
  readonly skipAutoPropagation: boolean;
}

/** The Namespace. */
export function renderNamespace(scope: Construct, intent: NamespaceIntent): ApiObject {
  const injection = intent.sidecarInjection;
  return createObject(scope, 'Namespace', k8s.KubeNamespace.GVK, k8s.toJson_KubeNamespaceProps, {
    metadata: {
      name: intent.name,
      labels: {
        ...(intent.extraLabels ?? {}),
        ...intent.labels,
        'pod-security.kubernetes.io/enforce': intent.enforce,
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': intent.audit,
        'pod-security.kubernetes.io/warn': intent.audit,
        ...(injection ? (injection.revision ? { 'istio.io/rev': injection.revision } : { 'istio-injection': 'enabled' }) : {}),
        // Karmada copies every namespace to every member; this tenant lives only on its own clusters.
        ...(intent.skipAutoPropagation ? { [LABEL_SKIP_AUTO_PROPAGATION]: 'true' } : {}),
      },
    },
  });
}
