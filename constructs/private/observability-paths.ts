/**
 * The connections monitoring and telemetry need, for the reachability check: each member Prometheus scraping the
 * apps of its cluster, the global tier reaching every member Prometheus (across clusters, through Submariner),
 * apps sending OTLP to their cluster's node agent, the agent to the gateway, and members' gateways to the global
 * gateway. None of them is meshed: Prometheus and the collectors run without sidecars, and a meshed app is
 * scraped on the sidecar's :15020, which the sidecar does not intercept.
 */
import { DeclaredPath, PathEndpoint } from '../../model/reachability';

const PROMETHEUS = { 'app.kubernetes.io/name': 'prometheus' };

function pods(namespace: string, name: string, labels: Record<string, string>, clusters: readonly string[]): PathEndpoint {
  return { name: `${namespace}/${name}`, clusters, namespace, labels, meshed: false };
}

/** What an app's paths need. */
export interface ObservedApp {
  readonly declaredBy: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly clusters: readonly string[];
}

/** A member Prometheus scrapes the app where both run: the metrics port, or :15020 for a meshed app. */
export function scrapePaths(app: ObservedApp, scrape: { namespace: string; clusters: readonly string[]; port: number }): DeclaredPath[] {
  const clusters = app.clusters.filter((c) => scrape.clusters.includes(c));
  if (clusters.length === 0) return [];
  return [{
    kind: 'monitoring', declaredBy: app.declaredBy, prop: 'metrics', mtls: false, sameClusterOnly: true,
    from: pods(scrape.namespace, 'prometheus', PROMETHEUS, clusters),
    to: { ...pods(app.namespace, app.name, app.labels, clusters), port: scrape.port },
  }];
}

/** The app's pods send OTLP traces to the node agent of their cluster. */
export function otlpPaths(app: ObservedApp, agent: { namespace: string; labels: Record<string, string>; clusters: readonly string[] }): DeclaredPath[] {
  const clusters = app.clusters.filter((c) => agent.clusters.includes(c));
  if (clusters.length === 0) return [];
  return [{
    kind: 'telemetry', declaredBy: app.declaredBy, prop: 'tracing', mtls: false, sameClusterOnly: true,
    from: pods(app.namespace, app.name, app.labels, clusters),
    to: { ...pods(agent.namespace, 'otel-agent', agent.labels, clusters), port: 4317 },
  }];
}

/** The global tier reaches each member's Prometheus: `/federate` on 9090, or the Thanos sidecar's gRPC on 10901. */
export function federationPaths(declaredBy: string, global: { namespace: string; cluster: string; thanos: boolean }, members: { namespace: string; clusters: readonly string[] }): DeclaredPath[] {
  const from = global.thanos
    ? pods(global.namespace, 'thanos-query', { 'app.kubernetes.io/name': 'thanos-query', 'app.kubernetes.io/instance': 'global' }, [global.cluster])
    : pods(global.namespace, 'prometheus', PROMETHEUS, [global.cluster]);
  return [{
    kind: 'monitoring', declaredBy, prop: 'monitoring.global', mtls: false, from,
    to: { ...pods(members.namespace, 'prometheus', PROMETHEUS, members.clusters), port: global.thanos ? 10901 : 9090 },
  }];
}

/** The collector paths: agent to gateway in each member, and (gateway tier) each gateway to the global gateway. */
export function collectorPaths(declaredBy: string, t: { namespace: string; clusters: readonly string[]; labelOf: (collector: string) => Record<string, string>; global?: { namespace: string; cluster: string } }): DeclaredPath[] {
  const agent = pods(t.namespace, 'otel-agent', t.labelOf('agent'), t.clusters);
  const gateway = pods(t.namespace, 'otel-gateway', t.labelOf('gateway'), t.clusters);
  const out: DeclaredPath[] = [{ kind: 'telemetry', declaredBy, prop: 'telemetry', mtls: false, sameClusterOnly: true, from: agent, to: { ...gateway, port: 4317 } }];
  if (t.global) {
    const global = pods(t.global.namespace, 'otel-global', t.labelOf('global'), [t.global.cluster]);
    out.push({ kind: 'telemetry', declaredBy, prop: 'telemetry.globalTier', mtls: false, from: gateway, to: { ...global, port: 4317 } });
  }
  return out;
}
