/**
 * The checks of a MeshedService's props, one function per concern. Each takes the problem sink and the
 * resolved values, and reports in the order the rules are documented.
 */
import { Duration } from 'cdk8s';
import { isDnsLabel, isDnsSubdomain } from '../../core/names';
import { ProblemSink } from '../../core/problems';
import { subsetName } from '../../engines/mesh/names';
import { MeshTelemetry } from '../../model/tenancy';
import {
  AllowOptions, ConnectionPool, ExternalHost, FaultInjection, HttpRoute, IngressProps, LoadBalancer, LocalityFailover,
  LocalityWeights, MirrorPolicy, OutlierDetection, RetryPolicy, Traffic,
} from '../../model/traffic';

const RETRY_ON = new Set([
  '5xx', 'gateway-error', 'reset', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure', 'cancelled', 'deadline-exceeded',
  'internal', 'resource-exhausted', 'unavailable', 'reset-before-request',
]);
const PROTOCOL_PREFIXES = ['http', 'http2', 'https', 'grpc', 'grpc-web', 'tcp', 'tls', 'mongo', 'redis', 'mysql', 'udp'];

/** The versions an app runs, as the mesh checks see them. */
export interface AppVersions {
  readonly versions: readonly string[];
  readonly stableVersion: string;
  readonly canaryVersion?: string;
}

/** The port the routes target must exist; rule 5: Istio detects the protocol from the port name. */
export function checkPorts(sink: ProblemSink, ports: ReadonlyArray<{ name: string }>, requested: string | undefined, found: boolean): void {
  if (!found) {
    sink.error('FP-MESH', 'port', requested, requested ? `the app has no port named "${requested}".` : 'the app exposes no port to route to.', `use one of: ${ports.map((p) => p.name).join(', ') || 'declare a port on the app'}.`);
  }
  // Rule 5: Istio detects the protocol from the port name (or appProtocol), else treats it as TCP.
  for (const p of ports) {
    if (!PROTOCOL_PREFIXES.some((pre) => p.name === pre || p.name.startsWith(`${pre}-`))) {
      sink.warn('K5', 'app.ports', p.name, `the port name has no protocol prefix, so Istio treats it as plain TCP (no HTTP routing, retries or metrics).`, 'name it e.g. "http", "http-web" or "grpc-api".');
    }
  }
}

/** Port name prefixes of opaque TCP protocols: Istio routes such ports with `tcp` routes only. */
const TCP_PREFIXES = ['tcp', 'tls', 'mongo', 'redis', 'mysql'];

/** Whether a port name declares an opaque TCP protocol. */
export function isTcpPortName(name: string | undefined): boolean {
  return !!name && TCP_PREFIXES.some((pre) => name === pre || name.startsWith(`${pre}-`));
}

/** HTTP-only features on a TCP port would be ignored by Istio: refuse them rather than emit dead configuration. */
export function checkTcpRouting(sink: ProblemSink, port: string, http: Record<string, unknown>): void {
  for (const [prop, value] of Object.entries(http)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    sink.error('FP-MESH', prop, port, `the routed port "${port}" carries opaque TCP, where Istio applies only tcp routes, so ${prop} would be ignored.`, `drop ${prop}, or route an HTTP port (named http, http-<x> or grpc).`);
  }
}

/** Rule 32: subset names are unique DNS labels. */
export function checkSubsets(sink: ProblemSink, versions: readonly string[]): void {
  const distinct = [...new Set(versions)];
  const subsets = distinct.map(subsetName);
  if (new Set(subsets).size !== subsets.length) {
    sink.error('K32', 'app.versions', versions, `the versions ${versions.join(' and ')} map to the same subset name "${subsets[0]}".`, 'give the canary a version that differs in more than case and punctuation, e.g. "v2".');
  }
}

/** Rule 30: Istio durations are at least 1 ms. */
export function checkDurations(sink: ProblemSink, fault: FaultInjection | undefined, pool: ConnectionPool | undefined, od: OutlierDetection | false | undefined): void {
  const ms = (prop: string, d: Duration | undefined) => {
    if (d !== undefined && !(d.toMilliseconds() >= 1)) sink.error('K30', prop, `${d.toMilliseconds()}ms`, 'Istio durations are at least 1 ms.', 'use e.g. Duration.millis(100).');
  };
  ms('fault.delay.fixed', fault?.delay?.fixed);
  ms('connectionPool.connectTimeout', pool?.connectTimeout);
  if (od) {
    ms('outlierDetection.interval', od.interval);
    ms('outlierDetection.baseEjectionTime', od.baseEjectionTime);
  }
}

/** Rule 30: a canary needs a canary version; weights name running versions and sum to 100. */
export function checkTraffic(sink: ProblemSink, traffic: Traffic, app: AppVersions): void {
  const versions = app.versions;
  if (traffic.kind === 'canary') {
    const w = traffic.canaryWeight;
    if (app.canaryVersion === undefined) sink.error('FP-CANARY', 'traffic', 'canary', 'the app runs no canary version.', 'set `canary: { version: "v2" }` on the FederatedApp.');
    if (w === undefined || !Number.isInteger(w) || w < 0 || w > 100) sink.error('K30', 'traffic.canaryWeight', w, 'the canary weight is a whole percentage from 0 to 100.', 'use e.g. 10.');
    return;
  }
  const weights = traffic._resolve(app);
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  for (const [v, w] of Object.entries(weights)) {
    if (!versions.includes(v)) sink.error('K30', `traffic.weights['${v}']`, v, `the app does not run version "${v}" (it runs ${versions.join(', ')}), so its subset would not exist and requests would fail with 503.`, `route to ${versions.join(' or ')}, or add a canary.`);
    if (!Number.isInteger(w) || w < 0) sink.error('K30', `traffic.weights['${v}']`, w, 'a route weight is a whole number ≥ 0.', 'use e.g. 90.');
  }
  if (sum !== 100) sink.error('K30', 'traffic.weights', weights, `route weights sum to ${sum}, not 100.`, 'make the weights add up to 100.');
}

/** Rule 30: A/B routes have unique DNS-label names, a running version and something to match. */
export function checkRoutes(sink: ProblemSink, routes: readonly HttpRoute[], versions: readonly string[]): void {
  const routeNames = new Set<string>(['default']);
  routes.forEach((r, i) => {
    const at = `routes[${i}]`;
    if (typeof r?.name !== 'string' || !isDnsLabel(r.name)) sink.error('K30', `${at}.name`, r?.name, 'a route name must be a DNS-1123 label.', 'use e.g. "beta-users".');
    if (routeNames.has(r?.name)) sink.error('K30', `${at}.name`, r?.name, 'route names must be unique ("default" is taken by the split).', 'rename the route.');
    routeNames.add(r?.name);
    if (!versions.includes(r?.version)) sink.error('K30', `${at}.version`, r?.version, `the app does not run version "${r?.version}" (it runs ${versions.join(', ')}).`, `use ${versions.join(' or ')}.`);
    const m = r?.match ?? {};
    if (!m.headers && !m.cookie && !m.uriPrefix && !m.method) sink.error('K30', `${at}.match`, m, 'a route must match something, or it would take all traffic before the split.', 'match a header, cookie, URI prefix or method.');
    for (const h of Object.keys(m.headers ?? {})) {
      if (!/^[a-z0-9-]+$/.test(h)) sink.error('K30', `${at}.match.headers`, h, 'header names are lower-case letters, digits and "-".', 'use e.g. "x-canary".');
    }
    if (m.cookie && !/^[A-Za-z0-9_.-]+$/.test(m.cookie.name ?? '')) sink.error('K30', `${at}.match.cookie.name`, m.cookie.name, 'invalid cookie name.', 'use letters, digits, "_", "-" or ".".');
  });
}

/** Rule 30: retries and the timeout. */
export function checkRetries(sink: ProblemSink, r: RetryPolicy | undefined, timeout: Duration | undefined): void {
  if (r) {
    if (!Number.isInteger(r.attempts) || r.attempts < 0) sink.error('K30', 'retries.attempts', r.attempts, 'attempts is a whole number ≥ 0.', 'use e.g. 2.');
    if (r.attempts === 0 && (r.perTryTimeout || r.retryOn)) sink.error('K30', 'retries', r, 'other retry settings are an error when attempts is 0.', 'drop them or raise attempts.');
    for (const t of r.retryOn ?? []) {
      if (!RETRY_ON.has(t) && !/^[1-5][0-9][0-9]$/.test(t)) sink.error('K30', 'retries.retryOn', t, 'unknown retry condition.', `use one of ${[...RETRY_ON].join(', ')} or a status code.`);
    }
    if (r.perTryTimeout && r.perTryTimeout.toMilliseconds() < 1) sink.error('K30', 'retries.perTryTimeout', r.perTryTimeout.toMilliseconds(), 'durations are at least 1 ms.', 'use e.g. Duration.seconds(1).');
  }
  if (timeout && timeout.toMilliseconds() < 1) sink.error('K30', 'timeout', timeout.toMilliseconds(), 'durations are at least 1 ms.', 'use e.g. Duration.seconds(3).');
}

function checkPercent(sink: ProblemSink, prop: string, v: number | undefined): void {
  if (v === undefined || !(v === 0 || (v >= 0.0001 && v <= 100))) sink.error('K30', prop, v, 'a percentage is 0 or between 0.0001 and 100.', 'use e.g. 5.');
}

/** Rule 30: fault injection has a delay or an abort, with percentages and an HTTP status. */
export function checkFault(sink: ProblemSink, f: FaultInjection | undefined): void {
  if (!f) return;
  if (!f.delay && !f.abort) sink.error('K30', 'fault', f, 'fault injection needs a delay or an abort.', 'give delay and/or abort.');
  if (f.delay) checkPercent(sink, 'fault.delay.percent', f.delay.percent);
  if (f.abort) {
    checkPercent(sink, 'fault.abort.percent', f.abort.percent);
    if (!Number.isInteger(f.abort.httpStatus) || f.abort.httpStatus < 200 || f.abort.httpStatus > 599) sink.error('K30', 'fault.abort.httpStatus', f.abort.httpStatus, 'an abort status is an HTTP status from 200 to 599.', 'use e.g. 503.');
  }
}

/** Rules 30 and 31: a mirror goes to a running version or a valid host. */
export function checkMirror(sink: ProblemSink, mirror: MirrorPolicy | undefined, versions: readonly string[]): void {
  if (!mirror) return;
  if (!(mirror.percent >= 0 && mirror.percent <= 100)) sink.error('K30', 'mirror.percent', mirror.percent, 'a mirror percentage is between 0 and 100.', 'use e.g. 5.');
  if (mirror.version === undefined && mirror.host === undefined) sink.error('K30', 'mirror', mirror, 'a mirror needs a version or a host.', 'give version or host.');
  if (mirror.version !== undefined && mirror.host === undefined && !versions.includes(mirror.version)) sink.error('K30', 'mirror.version', mirror.version, `the app does not run version "${mirror.version}".`, `use ${versions.join(' or ')}.`);
  if (mirror.host !== undefined && !isHost(mirror.host)) sink.error('K31', 'mirror.host', mirror.host, 'not a valid host name.', 'use a fully qualified name such as "shadow.shop.svc.cluster.local".');
}

/** Connection-pool limits, outlier ejection and the load balancer. */
export function checkTrafficPolicy(sink: ProblemSink, pool: ConnectionPool | undefined, od: OutlierDetection | false | undefined, lb: LoadBalancer | undefined): void {
  for (const [k, v] of Object.entries(pool ?? {})) {
    if (v instanceof Duration) continue;
    if (!Number.isInteger(v) || (v as number) < 0) sink.error('FP-MESH', `connectionPool.${k}`, v, 'connection-pool limits are whole numbers ≥ 0.', 'use e.g. 100.');
  }
  if (od) {
    const c = od.consecutive5xxErrors;
    if (c !== undefined && !(Number.isInteger(c) && c >= 0)) sink.error('FP-MESH', 'outlierDetection.consecutive5xxErrors', c, 'a count of errors is a whole number ≥ 0.', 'use e.g. 5.');
    const m = od.maxEjectionPercent;
    if (m !== undefined && !(m >= 0 && m <= 100)) sink.error('FP-MESH', 'outlierDetection.maxEjectionPercent', m, 'a percentage from 0 to 100.', 'use e.g. 50.');
  }
  if (lb !== undefined && !Object.values(LoadBalancer).includes(lb)) sink.error('FP-MESH', 'loadBalancer', lb, 'unknown load balancer.', 'use LoadBalancer.LEAST_REQUEST, ROUND_ROBIN, RANDOM or PASSTHROUGH.');
}

/** Locality (rule 28): failover needs outlier detection (and two regions), and excludes weights. */
export function checkLocality(sink: ProblemSink, failover: LocalityFailover | undefined, od: OutlierDetection | false | undefined, weights: readonly LocalityWeights[] | undefined, regions: readonly string[]): void {
  if (failover !== undefined) {
    if (!Object.values(LocalityFailover).includes(failover)) sink.error('K28', 'localityFailover', failover, 'unknown failover mode.', 'use LocalityFailover.REGIONS or PRIORITY.');
    if (od === false) sink.error('K28', 'outlierDetection', false, 'locality failover never triggers without outlier detection.', 'keep outlier detection (fleetplane adds defaults).');
    if (failover === LocalityFailover.REGIONS && regions.length < 2) {
      sink.error('K28', 'localityFailover', regions, 'region failover needs the app in at least two regions.', 'place the app in a second region, or use LocalityFailover.PRIORITY.');
    }
    if (weights) sink.error('K28', 'localityWeights', weights, '`distribute` and `failover` are exclusive.', 'use one of localityWeights and localityFailover.');
  }
  (weights ?? []).forEach((d, i) => {
    const sum = Object.values(d.to ?? {}).reduce((a, b) => a + b, 0);
    for (const [loc, w] of Object.entries(d.to ?? {})) {
      if (!Number.isInteger(w) || w < 1 || w > 100) sink.error('K28', `localityWeights[${i}].to['${loc}']`, w, 'a locality weight is a whole number from 1 to 100.', 'use e.g. 80.');
    }
    if (sum !== 100) sink.error('K28', `localityWeights[${i}].to`, d.to, `locality weights sum to ${sum}, not 100.`, 'make them add up to 100.');
    if (typeof d.from !== 'string' || d.from.length === 0) sink.error('K28', `localityWeights[${i}].from`, d.from, 'give the origin locality.', 'use e.g. "cn-north/*".');
  });
}

/** Ingress (rules 31, 33): valid distinct public hosts; HTTPS redirect needs a certificate. */
export function checkIngress(sink: ProblemSink, ing: IngressProps | undefined): void {
  if (!ing) return;
  if (!Array.isArray(ing.hosts) || ing.hosts.length === 0) sink.error('K31', 'ingress.hosts', ing.hosts, 'an ingress needs at least one host.', 'e.g. ["shop.example.com"].');
  (ing.hosts ?? []).forEach((h, i) => {
    if (h === '*' || !isHost(h.replace(/^\*\./, 'wildcard.'))) sink.error('K31', `ingress.hosts[${i}]`, h, 'not a valid public host name ("*" alone is not allowed).', 'use e.g. "shop.example.com" or "*.example.com".');
  });
  if (new Set(ing.hosts ?? []).size !== (ing.hosts ?? []).length) sink.error('K31', 'ingress.hosts', ing.hosts, 'duplicate hosts.', 'list each host once.');
  if (ing.tlsSecret !== undefined && !isDnsSubdomain(ing.tlsSecret)) sink.error('K33', 'ingress.tlsSecret', ing.tlsSecret, 'not a valid Secret name.', 'use e.g. "shop-tls".');
  if (ing.httpsRedirect && !ing.tlsSecret) sink.error('K33', 'ingress.httpsRedirect', true, 'redirecting to HTTPS needs a TLS certificate.', 'set tlsSecret.');
}

/** Egress (rules 37, 38): callees are services; external hosts are valid, with each host and port once. */
export function checkEgress(sink: ProblemSink, calls: readonly unknown[], isService: (c: unknown) => boolean, externals: readonly ExternalHost[]): void {
  calls.forEach((c, i) => {
    if (!isService(c)) sink.error('K38', `calls[${i}]`, c, 'calls lists MeshedServices.', 'pass the MeshedService of the callee.');
  });
  const portsSeen = new Map<string, Set<number>>();
  externals.forEach((e, i) => {
    const at = `externalHosts[${i}]`;
    if (e?.host === '*' || !isHost(e?.host)) sink.error('K37', `${at}.host`, e?.host, 'not a valid host ("*" is not allowed).', 'use e.g. "api.stripe.com".');
    if (!Number.isInteger(e?.port) || e.port < 1 || e.port > 65535) sink.error('K37', `${at}.port`, e?.port, 'a port is a whole number from 1 to 65535.', 'use e.g. 443.');
    const seen = portsSeen.get(e?.host) ?? new Set<number>();
    if (seen.has(e?.port)) sink.error('K37', `${at}.port`, e.port, 'this host and port are declared twice.', 'declare each once.');
    seen.add(e?.port);
    portsSeen.set(e?.host, seen);
  });
}

/** A sampling percentage between 0 and 100. */
export function checkServiceTelemetry(sink: ProblemSink, telemetry: MeshTelemetry | undefined): void {
  const ts = telemetry?.tracingSampling;
  if (ts !== undefined && !(ts >= 0 && ts <= 100)) sink.error('FP-TELEMETRY', 'telemetry.tracingSampling', ts, 'a sampling percentage is between 0 and 100.', 'use e.g. 10.');
}

/** Rule 36: allowed methods are upper-case words and paths start with "/". */
export function checkAllowOptions(sink: ProblemSink, at: string, options: AllowOptions): void {
  for (const m of options.methods ?? []) {
    if (!/^[A-Z]+$/.test(m)) sink.error('K36', `${at}.methods`, m, 'HTTP methods are upper-case words.', 'use e.g. "GET".');
  }
  for (const p of options.paths ?? []) {
    if (typeof p !== 'string' || !p.startsWith('/')) sink.error('K36', `${at}.paths`, p, 'paths start with "/".', 'use e.g. "/api/*".');
  }
}

function isHost(h: string): boolean {
  return typeof h === 'string' && isDnsSubdomain(h) && h.includes('.');
}

/** A MeshedService of a port-less app only calls: settings of the service side would configure nothing. */
export function checkCallerOnly(sink: ProblemSink, props: Record<string, unknown>): void {
  const serviceSide = ['traffic', 'routes', 'retries', 'timeout', 'fault', 'mirror', 'connectionPool', 'outlierDetection', 'loadBalancer', 'localityFailover', 'localityWeights', 'ingress'];
  for (const prop of serviceSide.filter((k) => props[k] !== undefined)) {
    sink.error('FP-MESH', prop, props[prop], 'the app exposes no port, so this MeshedService only calls others and has no routes or traffic policy to configure.', `drop ${prop}, or declare a port on the app.`);
  }
}
