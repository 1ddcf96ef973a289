/**
 * Access control without a mesh: the NetworkPolicy that admits an app's declared callers (and nothing else),
 * and the egress that opens the allow-listed pods' own namespace when `allow-same-namespace` is scoped.
 */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { IpBlock } from '../../core/cidr';
import { createLazyObject } from '../../core/l1';
import { ipBlockPeer, namespaceSelector } from './peers';

/** One admitted caller: pods of a namespace (all, or those with some labels), or addresses of other clusters. */
export interface AccessPeer {
  /** The caller's namespace. */
  readonly namespace: string;
  /** The caller's pod labels; none for every pod of the namespace. */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Pod ranges of the caller's other clusters whose traffic arrives by address (Submariner). */
  readonly remote: readonly IpBlock[];
  /** Container ports the caller may use. */
  readonly ports: ReadonlyArray<{ readonly port: number; readonly protocol: string }>;
}

/** What an app's allow-list policy renders from. */
export interface AppAccessIntent {
  /** The policy is `<app>-allow-from`. */
  readonly appName: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** Pod labels of the app. */
  readonly selector: Record<string, string>;
  /** The admitted callers, read at synthesis (callers are added after construction). */
  readonly peers: () => readonly AccessPeer[];
}

/** The ingress allow-list of an app: one rule per caller, on the ports that caller may use. */
export function renderAppAccessPolicy(scope: Construct, intent: AppAccessIntent): ApiObject {
  const metadata = { name: `${intent.appName}-allow-from`, namespace: intent.namespace, labels: intent.labels };
  return createLazyObject(scope, 'AllowFrom', k8s.KubeNetworkPolicy.GVK, k8s.toJson_KubeNetworkPolicyProps, metadata, ['spec'], () => ({
    spec: {
      podSelector: { matchLabels: intent.selector },
      policyTypes: ['Ingress'],
      ingress: intent.peers().map((p) => ({
        from: [
          { namespaceSelector: namespaceSelector(p.namespace), ...(p.podLabels ? { podSelector: { matchLabels: { ...p.podLabels } } } : {}) },
          ...p.remote.map(ipBlockPeer),
        ],
        ports: p.ports.map((x) => ({ protocol: x.protocol, port: k8s.IntOrString.fromNumber(x.port) })),
      })),
    },
  }));
}

/** Where the scoped same-namespace egress goes. */
export interface SameNamespaceScope {
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** Names of the apps with an allow-list, read at synthesis. */
  readonly allowListed: () => readonly string[];
}

/**
 * `allow-same-namespace` no longer selects allow-listed apps (so their ingress is only what they allow); this
 * policy gives those apps back their egress to the rest of the namespace.
 */
export function renderAllowListedEgress(scope: Construct, where: SameNamespaceScope): ApiObject {
  const metadata = { name: 'allow-same-namespace-egress', namespace: where.namespace, labels: where.labels };
  return createLazyObject(scope, 'AllowSameNamespaceEgress', k8s.KubeNetworkPolicy.GVK, k8s.toJson_KubeNetworkPolicyProps, metadata, ['spec'], () => ({
    spec: {
      podSelector: { matchExpressions: [{ key: APP_NAME, operator: 'In', values: [...where.allowListed()] }] },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: {} }] }],
    },
  }));
}


const APP_NAME = 'app.kubernetes.io/name';
