/** Checks of platform telemetry (the `telemetry` prop) and of an app's `logs` and `tracing`. */
import { TelemetryContext } from '../../core/context';
import { Fleet } from '../../core/fleet';
import { parseImage } from '../../core/image';
import { isDnsLabel } from '../../core/names';
import { ProblemSink } from '../../core/problems';
import { namedGroups, re2Problem } from '../../core/re2';
import { AppLogs, AppTracing, InstrumentationLanguage, LogFormat, LogsBackend, TelemetryProps, TelemetryTier, TracesBackend } from '../../model/telemetry';
import { PodSecurityLevel } from '../../model/workload';
import { checkKnownClusters } from './known-clusters';

/** An absolute http(s) URL with a host. */
function isEndpointUrl(v: unknown): boolean {
  return typeof v === 'string' && /^https?:\/\/[^/\s:]+(:\d{1,5})?(\/\S*)?$/.test(v);
}

/** The platform's telemetry prop; returns whether it can be rendered. */
export function checkTelemetry(sink: ProblemSink, fleet: Fleet, props: TelemetryProps, clusterNames: readonly string[]): void {
  const tier = props.globalTier;
  if (!(tier instanceof TelemetryTier)) {
    sink.error('FP-OTEL', 'telemetry.globalTier', tier, 'the tier that exports to the backends is required.', 'use TelemetryTier.gateway({ cluster }) or TelemetryTier.direct().');
  } else if (tier.kind === 'gateway') {
    checkKnownClusters(sink, fleet, 'telemetry.globalTier.cluster', [tier.props?.cluster as string], 'host the global gateway on a declared cluster.');
    checkNamespace(sink, 'telemetry.globalTier.namespace', tier.props?.namespace);
    checkReplicas(sink, 'telemetry.globalTier.replicas', tier.props?.replicas);
  }
  const b = props.backends ?? {};
  if (!b.logs && !b.traces) sink.error('FP-OTEL', 'telemetry.backends', props.backends, 'telemetry needs somewhere to send logs or traces.', 'set backends.logs (e.g. LogsBackend.loki(url)) and/or backends.traces (e.g. TracesBackend.tempo(url)).');
  if (b.logs !== undefined && !(b.logs instanceof LogsBackend)) sink.error('FP-OTEL', 'telemetry.backends.logs', b.logs, 'not a logs backend.', 'use LogsBackend.loki(url) or LogsBackend.otlp(url).');
  if (b.traces !== undefined && !(b.traces instanceof TracesBackend)) sink.error('FP-OTEL', 'telemetry.backends.traces', b.traces, 'not a traces backend.', 'use TracesBackend.tempo(url), .jaeger(url) or .otlp(url).');
  for (const [signal, backend] of [['logs', b.logs], ['traces', b.traces]] as const) {
    const endpoint = (backend as LogsBackend | TracesBackend | undefined)?.backend?.endpoint;
    if (backend instanceof Object && 'backend' in backend && !isEndpointUrl(endpoint)) {
      sink.error('FP-OTEL', `telemetry.backends.${signal}`, endpoint, 'a backend endpoint is an http:// or https:// URL with a host (and port).', 'e.g. "http://loki-gateway.loki.svc:3100" or "https://tempo.example.com:4317".');
    }
  }
  checkKnownClusters(sink, fleet, 'telemetry.clusters', Fleet.namesIn(props.clusters));
  if (clusterNames.length === 0) sink.error('FP-EMPTY-SELECTOR', 'telemetry.clusters', props.clusters, 'no cluster gets collectors.', 'select at least one cluster.');
  checkNamespace(sink, 'telemetry.namespace', props.namespace);
  checkReplicas(sink, 'telemetry.gatewayReplicas', props.gatewayReplicas);
  const s = props.meshTracingSampling;
  if (s !== undefined && !(typeof s === 'number' && s >= 0 && s <= 100)) sink.error('FP-OTEL', 'telemetry.meshTracingSampling', s, 'a sampling percentage is between 0 and 100.', 'use e.g. 1.');
  if (props.image !== undefined && !parseImage(props.image)) sink.error('FP-IMAGE', 'telemetry.image', props.image, 'not a valid image reference.', 'use e.g. "otel/opentelemetry-collector-contrib:0.158.0".');
  if (tier instanceof TelemetryTier && tier.kind === 'gateway' && (tier.props?.namespace ?? 'telemetry-global') === (props.namespace ?? 'telemetry')) {
    sink.error('FP-OTEL', 'telemetry.globalTier.namespace', tier.props?.namespace, 'the global gateway and the members\' collectors would share one namespace and its policies.', 'give the global gateway its own namespace.');
  }
}

function checkNamespace(sink: ProblemSink, prop: string, ns: unknown): void {
  if (ns !== undefined && !isDnsLabel(ns as string)) sink.error('K1', prop, ns, 'not a valid namespace name.', 'use a DNS-1123 label.');
}

function checkReplicas(sink: ProblemSink, prop: string, n: unknown): void {
  if (n !== undefined && !(Number.isInteger(n) && (n as number) >= 1)) sink.error('FP-OTEL', prop, n, 'replicas are a whole number of at least 1.', 'use e.g. 2.');
}

/** An RE2 pattern the collector compiles. */
function checkPattern(sink: ProblemSink, rule: string, prop: string, pattern: unknown): boolean {
  const problem = re2Problem(pattern);
  if (problem) sink.error(rule, prop, pattern, `the collector (Go RE2) cannot use this regular expression: ${problem}`, 'write it in RE2 syntax: no lookaround or backreferences; named groups as (?P<name>...).');
  return !problem;
}

/** What an app's telemetry checks need to know. */
export interface AppTelemetryFacts {
  readonly telemetry?: TelemetryContext;
  /** Clusters the app may run on. */
  readonly clusters: readonly string[];
  readonly containerName: string;
  readonly meshed: boolean;
  readonly podSecurity: PodSecurityLevel;
}

/** An app's `logs`: a backend to go to, collectors where it runs, and a format the collector can parse. */
export function checkAppLogs(sink: ProblemSink, logs: AppLogs, f: AppTelemetryFacts): void {
  if (!f.telemetry?.logs) {
    sink.error('FP-LOGS', 'logs', logs, 'logs are collected by platform telemetry with a logs backend, which this platform does not have.', 'set telemetry: { backends: { logs: LogsBackend.loki(url) }, ... } on the platform, or drop logs.');
    return;
  }
  const missing = f.clusters.filter((c) => !f.telemetry!.clusterNames.includes(c));
  if (missing.length) sink.error('FP-LOGS', 'logs', missing, `the app may run on clusters without collectors (${missing.join(', ')}), whose logs would be lost.`, 'add those clusters to telemetry.clusters, or narrow the placement.');
  const format = logs.format ?? LogFormat.plain();
  if (!(format instanceof LogFormat)) {
    sink.error('FP-LOGS', 'logs.format', format, 'not a log format.', 'use LogFormat.json(), LogFormat.regex(pattern) or LogFormat.plain().');
    return;
  }
  if (format.kind === 'regex' && checkPattern(sink, 'FP-LOGS', 'logs.format.pattern', format.pattern)) {
    const groups = namedGroups(format.pattern!);
    if (groups.length === 0) sink.error('FP-LOGS', 'logs.format.pattern', format.pattern, 'the regex_parser stores only named groups, and this pattern has none (the collector refuses it).', 'name the fields: (?P<level>\\w+) (?P<message>.*).');
    for (const [prop, field] of [['timestampField', format.timestampField], ['severityField', format.severityField]] as const) {
      if (field !== undefined && groups.length && !groups.includes(field)) sink.error('FP-LOGS', `logs.format.${prop}`, field, `the pattern has no group named "${field}" (groups: ${groups.join(', ')}).`, 'name a group of the pattern.');
    }
  }
  if (logs.multilineStart !== undefined) checkPattern(sink, 'FP-LOGS', 'logs.multilineStart', logs.multilineStart);
  (logs.exclude ?? []).forEach((p, i) => checkPattern(sink, 'FP-LOGS', `logs.exclude[${i}]`, p));
  const known = [f.containerName, ...(f.meshed ? ['istio-proxy'] : [])];
  (logs.containers ?? []).forEach((c, i) => {
    if (!known.includes(c)) sink.error('FP-LOGS', `logs.containers[${i}]`, c, `the app's pods have no container "${c}" (containers: ${known.join(', ')}).`, 'name a container of the app.');
  });
}

/** An app's `tracing`: an endpoint, a sampling percentage, and a language the operator instruments. */
export function checkAppTracing(sink: ProblemSink, tracing: AppTracing, f: AppTelemetryFacts): void {
  if (tracing.endpoint !== undefined) {
    if (!isEndpointUrl(tracing.endpoint)) sink.error('FP-TRACING', 'tracing.endpoint', tracing.endpoint, 'an OTLP endpoint is an http:// or https:// URL with a host.', 'e.g. "http://otel-collector.observability.svc:4318".');
  } else if (!f.telemetry?.traces) {
    sink.error('FP-TRACING', 'tracing', tracing, 'tracing has no endpoint: the platform has no telemetry with a traces backend.', 'set telemetry: { backends: { traces: TracesBackend.tempo(url) }, ... } on the platform, or tracing.endpoint.');
  } else {
    const missing = f.clusters.filter((c) => !f.telemetry!.clusterNames.includes(c));
    if (missing.length) sink.error('FP-TRACING', 'tracing', missing, `the app may run on clusters without collectors (${missing.join(', ')}), where its spans have nowhere to go.`, 'add those clusters to telemetry.clusters, or narrow the placement.');
  }
  const s = tracing.sampling;
  if (s !== undefined && !(typeof s === 'number' && s >= 0 && s <= 100)) sink.error('FP-TRACING', 'tracing.sampling', s, 'a sampling percentage is between 0 and 100.', 'use e.g. 10.');
  const lang = tracing.autoInstrumentation;
  if (lang === undefined) return;
  const languages = Object.values(InstrumentationLanguage) as string[];
  if (!languages.includes(lang)) {
    sink.error('FP-TRACING', 'tracing.autoInstrumentation', lang, `the OpenTelemetry operator does not instrument "${String(lang)}".`, `use one of InstrumentationLanguage.${languages.map((l) => l.toUpperCase()).join(', .')}.`);
    return;
  }
  if (lang === InstrumentationLanguage.GO) {
    if (!tracing.executable || !tracing.executable.startsWith('/')) sink.error('FP-TRACING', 'tracing.executable', tracing.executable, 'Go auto-instrumentation attaches to one binary, named by its absolute path.', 'set executable, e.g. "/app/server".');
    if (f.podSecurity !== PodSecurityLevel.PRIVILEGED) sink.error('K6', 'tracing.autoInstrumentation', lang, `Go auto-instrumentation injects a privileged eBPF sidecar, which the tenant's "${f.podSecurity}" Pod Security rejects.`, 'instrument the Go app with the SDK (no autoInstrumentation), or give the tenant podSecurity: PodSecurityLevel.PRIVILEGED.');
  } else if (tracing.executable !== undefined) {
    sink.error('FP-TRACING', 'tracing.executable', tracing.executable, 'only Go auto-instrumentation takes an executable.', 'drop executable.');
  }
}
