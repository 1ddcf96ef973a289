/**
 * Egress scoping for one service: a ServiceEntry per external host and a Sidecar that limits the proxy to
 * istio-system, the services it calls and those hosts (REGISTRY_ONLY, so anything else is refused).
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { createObject } from '../../core/l1';
import * as networking from '../../imports/networking.istio.io';
import { ExternalHost } from '../../model/traffic';
import { subsetName } from './names';

/** A service this one calls. */
export interface Callee {
  /** The callee's namespace. */
  readonly namespace: string;
  /** The callee's in-mesh host. */
  readonly host: string;
}

/** What a service's egress scoping renders from. */
export interface EgressScopeIntent {
  /** Name of the app. */
  readonly name: string;
  /** Namespace of the app. */
  readonly namespace: string;
  /** Labels of every object. */
  readonly labels: Record<string, string>;
  /** Pod labels of the app. */
  readonly selector: Record<string, string>;
  /** Services the app calls. */
  readonly callees: readonly Callee[];
  /** Hosts outside the mesh the app calls. */
  readonly externalHosts: readonly ExternalHost[];
  /** Platform telemetry: the namespace of the node agent the app and its proxy send spans and logs to. */
  readonly telemetryNamespace?: string;
}

/** An egress opening the tenant's default-deny NetworkPolicy needs for an external host. */
export interface ExternalEgress {
  readonly name: string;
  readonly podSelector: Record<string, string>;
  readonly to: { readonly ipBlock: { readonly cidr: string } };
  readonly ports: Array<{ port: number; protocol: string }>;
}

/** One ServiceEntry per external host and port. */
export function renderServiceEntries(scope: Construct, intent: EgressScopeIntent): ApiObject[] {
  return intent.externalHosts.map((e) =>
    createObject(scope, `ServiceEntry-${e.host}-${e.port}`, networking.ServiceEntry.GVK, networking.toJson_ServiceEntryProps, {
      metadata: { name: `${intent.name}-${subsetName(e.host)}-${e.port}`.slice(0, 253), namespace: intent.namespace, labels: intent.labels },
      spec: {
        hosts: [e.host],
        location: 'MESH_EXTERNAL' as any,
        resolution: 'DNS' as any,
        ports: [{ number: e.port, name: `${(e.protocol ?? 'TLS').toLowerCase()}-${e.port}`, protocol: e.protocol ?? 'TLS' }],
        exportTo: ['.'],
      },
    }),
  );
}

/** The Sidecar scoping egress, when the app declares what it calls. */
export function renderSidecar(scope: Construct, intent: EgressScopeIntent): ApiObject | undefined {
  if (!intent.callees.length && !intent.externalHosts.length) return undefined;
  return createObject(scope, 'Sidecar', networking.Sidecar.GVK, networking.toJson_SidecarProps, {
    metadata: { name: intent.name, namespace: intent.namespace, labels: intent.labels },
    spec: {
      workloadSelector: { labels: intent.selector },
      egress: [{
        hosts: [
          'istio-system/*',
          ...(intent.telemetryNamespace ? [`${intent.telemetryNamespace}/*`] : []),
          ...intent.callees.map((c) => `${c.namespace}/${c.host}`),
          ...intent.externalHosts.map((e) => `${intent.namespace}/${e.host}`),
        ].filter((h, i, all) => all.indexOf(h) === i),
      }],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' as any },
    },
  });
}

/** External hosts: the tenant's default-deny policy blocks egress, so open the declared ports. */
export function externalEgress(intent: EgressScopeIntent): ExternalEgress[] {
  return intent.externalHosts.map((e) => ({
    name: `${intent.name}-to-${subsetName(e.host)}-${e.port}`.slice(0, 63).replace(/-+$/, ''),
    podSelector: intent.selector,
    to: { ipBlock: { cidr: '0.0.0.0/0' } },
    ports: [{ port: e.port, protocol: 'TCP' }],
  }));
}
