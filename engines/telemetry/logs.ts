/**
 * One app's container logs as a filelog receiver of the node agent: the files of its pods under /var/log/pods,
 * the container runtime's line format, multiline records, exclusions, and the app's own line format.
 */
import { TelemetryLogSource, TelemetryLogWorkload } from '../../core/context';

/** One app's logs, resolved (see the platform context). */
export type LogSource = TelemetryLogSource;
/** A workload whose pods' logs are read. */
export type LogWorkload = TelemetryLogWorkload;

// Pod-name suffixes Kubernetes generates: ReplicaSet hash and pod suffix use the same vowel-free alphabet.
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';

/** The component id of an app's filelog receiver (namespaces and app names hold no `_`). */
export function logReceiverId(s: Pick<LogSource, 'namespace' | 'app'>): string {
  return `filelog/${s.namespace}_${s.app}`;
}

/** RE2 matching exactly the pod names of the workloads (a Deployment `web` never matches pods of `web-admin`). */
export function podNamePattern(workloads: readonly LogWorkload[]): string {
  const alternatives = workloads.map((w) => (w.kind === 'StatefulSet' ? `${w.name}-[0-9]+` : `${w.name}-${SAFE}{1,10}-${SAFE}{5}`));
  return `^(${alternatives.join('|')})$`;
}

/** An expression string literal (the collector's expressions unquote like JSON). */
function lit(s: string): string {
  return JSON.stringify(s);
}

/** The filelog receiver of one app. */
export function logReceiver(s: LogSource): Record<string, unknown> {
  const include = s.workloads.flatMap((w) => s.containers.map((c) => `/var/log/pods/${s.namespace}_${w.name}-*_*/${c}/*.log`));
  const operators: Record<string, unknown>[] = [
    // Docker, CRI-O and containerd lines; CRI partial lines are joined; k8s.* resource attributes from the path.
    { type: 'container', id: 'container' },
    // The include globs are prefixes: drop the files of other workloads whose names start with this one's.
    { type: 'filter', id: 'other-workloads', expr: `not (resource["k8s.pod.name"] matches ${lit(podNamePattern(s.workloads))})` },
  ];
  if (s.multilineStart) {
    operators.push({ type: 'recombine', id: 'multiline', combine_field: 'body', is_first_entry: `body matches ${lit(s.multilineStart)}`, source_identifier: 'attributes["log.file.path"]' });
  }
  s.exclude.forEach((pattern, i) => operators.push({ type: 'filter', id: `exclude-${i}`, expr: `body matches ${lit(pattern)}` }));
  const parser = parserOperator(s);
  if (parser) operators.push(parser);
  return { include, include_file_path: true, start_at: 'end', operators };
}

/** The json_parser or regex_parser of the app's format (none for plain lines). */
function parserOperator(s: LogSource): Record<string, unknown> | undefined {
  if (s.format === 'plain') return undefined;
  const base: Record<string, unknown> = s.format === 'json'
    ? { type: 'json_parser', id: 'app-format', parse_from: 'body', parse_to: 'attributes' }
    : { type: 'regex_parser', id: 'app-format', regex: s.pattern, parse_from: 'body', parse_to: 'attributes' };
  // A line that is not in the format (a stack trace, a startup banner) is kept as it is.
  base.on_error = 'send_quiet';
  if (s.timestampField) base.timestamp = { parse_from: `attributes.${s.timestampField}`, layout_type: 'gotime', layout: '2006-01-02T15:04:05.999999999Z07:00' };
  if (s.severityField) base.severity = { parse_from: `attributes.${s.severityField}` };
  return base;
}
