/**
 * The Istio objects of a meshed tenant namespace: mutual TLS, deny-by-default authorization and the
 * tenant's telemetry.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { createObject, PlainApiObject } from '../../core/l1';
import * as security from '../../imports/security.istio.io';
import { MtlsMode } from '../../model/mesh';
import { MeshTelemetry } from '../../model/tenancy';
import { TracingProvider, renderTelemetry } from './telemetry';

/** What a tenant's mesh objects render from. */
export interface TenantMeshIntent {
  /** The tenant's namespace. */
  readonly namespace: string;
  /** Labels of every object. */
  readonly labels: Record<string, string>;
  /** The mesh's mutual TLS mode. */
  readonly mtls: MtlsMode;
  /** Deny every request unless a service allows it. */
  readonly defaultDeny: boolean;
  /** Tracing and access logging for the namespace. */
  readonly telemetry?: MeshTelemetry;
  /** Platform telemetry: the proxies send spans to this provider. */
  readonly tracingProvider?: TracingProvider;
}

/** PeerAuthentication, the deny-all AuthorizationPolicy and Telemetry, as configured. */
export function renderTenantMesh(scope: Construct, intent: TenantMeshIntent): ApiObject[] {
  const meta = (name: string) => ({ name, namespace: intent.namespace, labels: intent.labels });
  const objects: ApiObject[] = [];
  objects.push(createObject(scope, 'PeerAuthentication', security.PeerAuthentication.GVK, security.toJson_PeerAuthenticationProps, {
    metadata: meta('default'),
    spec: { mtls: { mode: intent.mtls as any } },
  }));
  if (intent.defaultDeny) {
    // An AuthorizationPolicy with an empty spec denies every request (rule 36): services open with allowFrom().
    objects.push(new PlainApiObject(scope, 'DenyAll', { ...security.AuthorizationPolicy.GVK, metadata: meta('deny-all'), spec: {} }));
  }
  const telemetry = renderTelemetry(scope, { name: 'default', namespace: intent.namespace, labels: intent.labels }, intent.telemetry, intent.tracingProvider);
  if (telemetry) objects.push(telemetry);
  return objects;
}
