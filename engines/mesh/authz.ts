/**
 * Zero-trust access to one service: an ALLOW AuthorizationPolicy with one rule per allowed caller, which
 * the namespace's deny-all policy leaves as the only way in.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { createLazyObject, createObject } from '../../core/l1';
import * as security from '../../imports/security.istio.io';

/** A caller allowed to reach the service. */
export interface AllowedCaller {
  /** The caller's SPIFFE principal; without one, every workload of `namespace` is allowed. */
  readonly principal?: string;
  /** The caller's namespace. */
  readonly namespace: string;
  /** Only these HTTP methods. @default - all */
  readonly methods?: string[];
  /** Only these paths. @default - all */
  readonly paths?: string[];
  /**
   * Plain-text callers (no sidecar, no principal), admitted from these address ranges only.
   * @default - the caller has a principal or a namespace
   */
  readonly plainTextFrom?: readonly string[];
}

/** What a service's AuthorizationPolicy renders from. */
export interface AuthorizationIntent {
  /** Name of the app: the policy is `<name>-allow`. */
  readonly name: string;
  /** Namespace of the app. */
  readonly namespace: string;
  /** Labels of the policy. */
  readonly labels: Record<string, string>;
  /** Pod labels of the app. */
  readonly selector: Record<string, string>;
  /** The port the callers may reach. */
  readonly port: number;
  /** The allowed callers, read at synthesis (callers are added after construction). */
  readonly callers: () => readonly AllowedCaller[];
}

/** The ALLOW AuthorizationPolicy, rendered at synthesis. */
export function renderAuthorizationPolicy(scope: Construct, intent: AuthorizationIntent): ApiObject {
  const metadata = { name: `${intent.name}-allow`, namespace: intent.namespace, labels: intent.labels };
  return createLazyObject(scope, 'AuthorizationPolicy', security.AuthorizationPolicy.GVK, security.toJson_AuthorizationPolicyProps, metadata, ['spec'], () => ({
    spec: {
      selector: { matchLabels: intent.selector },
      action: 'ALLOW' as any,
      rules: intent.callers().map((c) => ({
        from: [{ source: sourceOf(c) }],
        to: [{ operation: { ports: [String(intent.port)], methods: c.methods, paths: c.paths } }],
      })),
    },
  }));
}

function sourceOf(c: AllowedCaller) {
  // `notPrincipals: ['*']` matches only requests without a peer identity: meshed pods in these ranges stay out.
  if (c.plainTextFrom) return { ipBlocks: [...c.plainTextFrom], notPrincipals: ['*'] };
  return c.principal !== undefined ? { principals: [c.principal] } : { namespaces: [c.namespace] };
}

/** A port-level PERMISSIVE PeerAuthentication: the service's port accepts plain text, the rest stays as is. */
export function renderPlainTextPort(scope: Construct, intent: { name: string; namespace: string; labels: Record<string, string>; selector: Record<string, string>; port: number }): ApiObject {
  return createObject(scope, 'OutsideMeshPeerAuthentication', security.PeerAuthentication.GVK, security.toJson_PeerAuthenticationProps, {
    metadata: { name: `${intent.name}-outside-mesh`, namespace: intent.namespace, labels: intent.labels },
    spec: {
      selector: { matchLabels: intent.selector },
      portLevelMtls: { [String(intent.port)]: { mode: 'PERMISSIVE' as any } },
    },
  });
}

/** The SPIFFE principal of a workload's ServiceAccount. */
export function spiffePrincipal(trustDomain: string, namespace: string, serviceAccount: string): string {
  return `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}
