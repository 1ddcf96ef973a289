/**
 * Checks of an app's own recording rules, alerting rules and dashboard panels (rules 40, 41): name and label
 * grammar, no clash with the generated rules, durations, and a PromQL sanity check at synthesis (the tests run
 * promtool on the result).
 */
import { Duration } from 'cdk8s';
import { ProblemSink } from '../../core/problems';
import { AlertingRule, AlertSeverity, DashboardPanel, PanelType, PanelUnit, RecordingRule } from '../../model/monitoring-signals';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const ALERT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Names the generated rules already use, and what the members scrape. */
export interface OwnRulesContext {
  readonly generatedRecords: readonly string[];
  readonly generatedAlerts: readonly string[];
  /** kube-state-metrics is scraped (`kube_*` series exist). */
  readonly workloadSeries: boolean;
  /** node-exporter is scraped (`node_*` series exist). */
  readonly nodeSeries: boolean;
}

/**
 * Why a PromQL expression cannot parse, from a cheap scan: empty, an unterminated string, or unbalanced
 * brackets outside strings. Undefined when it looks well-formed.
 */
export function promQlProblem(expr: unknown): string | undefined {
  if (typeof expr !== 'string' || expr.trim() === '') return 'an expression is a non-empty PromQL string.';
  const open: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let k = 0; k < expr.length; k++) {
    const c = expr[k];
    if (c === '"' || c === "'" || c === '`') {
      const end = stringEnd(expr, k);
      if (end < 0) return `the string starting at character ${k + 1} is not terminated.`;
      k = end;
    } else if (c === '#') {
      while (k < expr.length && expr[k] !== '\n') k++; // a comment runs to the end of the line
    } else if ('([{'.includes(c)) {
      open.push(c);
    } else if (c in pairs && open.pop() !== pairs[c]) {
      return `"${c}" at character ${k + 1} closes nothing or the wrong bracket.`;
    }
  }
  return open.length > 0 ? `"${open[open.length - 1]}" is never closed.` : undefined;
}

/** Index of the quote closing the string that starts at `start`; -1 when unterminated. Backquoted strings have no escapes. */
function stringEnd(s: string, start: number): number {
  const q = s[start];
  for (let k = start + 1; k < s.length; k++) {
    if (s[k] === '\\' && q !== '`') k++;
    else if (s[k] === q) return k;
  }
  return -1;
}

/** The app's recording and alerting rules. */
export function checkOwnRules(sink: ProblemSink, records: unknown, alerts: unknown, ctx: OwnRulesContext): void {
  const recs = listOf(sink, 'metrics.recordingRules', records) as RecordingRule[];
  const alts = listOf(sink, 'metrics.alertingRules', alerts) as AlertingRule[];
  const seen = new Set<string>();
  recs.forEach((r, i) => {
    const at = `metrics.recordingRules[${i}]`;
    if (!isObject(sink, at, r)) return;
    nameOnce(sink, `${at}.record`, r.record, METRIC_NAME, 'a record name is a metric name: letters, digits, "_" and ":" (level:metric:operations).', ctx.generatedRecords, seen);
    checkExpr(sink, at, r.expr, ctx);
    checkLabels(sink, `${at}.labels`, r.labels, ['namespace', 'app']);
  });
  seen.clear();
  alts.forEach((a, i) => {
    const at = `metrics.alertingRules[${i}]`;
    if (!isObject(sink, at, a)) return;
    nameOnce(sink, `${at}.alert`, a.alert, ALERT_NAME, 'an alert name starts with a letter and has letters, digits and "_" (e.g. KafkaUnderReplicatedPartitions).', ctx.generatedAlerts, seen);
    checkExpr(sink, at, a.expr, ctx);
    checkAlertText(sink, at, a);
    checkLabels(sink, `${at}.labels`, a.labels, ['namespace', 'app', 'severity', 'alertname']);
    checkLabels(sink, `${at}.annotations`, a.annotations, ['summary', 'description', 'runbook_url'], true);
    if (a.severity !== undefined && !Object.values(AlertSeverity).includes(a.severity)) sink.error('K40', `${at}.severity`, a.severity, 'unknown severity.', 'use AlertSeverity.CRITICAL, WARNING or INFO.');
    for (const k of ['for', 'keepFiringFor'] as const) {
      const d = a[k];
      if (d !== undefined && !(d instanceof Duration && Number.isInteger(d.toMilliseconds({ integral: false })) && d.toMilliseconds() >= 0)) {
        sink.error('K41', `${at}.${k}`, d, 'not a whole number of milliseconds as a Duration.', 'use e.g. Duration.minutes(10).');
      }
    }
  });
}

/** The app's own dashboard panels. */
export function checkPanels(sink: ProblemSink, panels: unknown): void {
  (listOf(sink, 'metrics.panels', panels) as DashboardPanel[]).forEach((p, i) => {
    const at = `metrics.panels[${i}]`;
    if (!isObject(sink, at, p)) return;
    if (typeof p.title !== 'string' || p.title.trim() === '') sink.error('FP-MONITORING', `${at}.title`, p.title, 'a panel needs a title.', 'set title, e.g. "Under-replicated partitions".');
    if (!Array.isArray(p.expressions) || p.expressions.length === 0 || p.expressions.length > 26) {
      sink.error('FP-MONITORING', `${at}.expressions`, p.expressions, 'a panel has 1 to 26 queries (refId A-Z).', 'give at least one PromQL expression.');
    } else {
      p.expressions.forEach((e, j) => {
        const why = promQlProblem(e);
        if (why) sink.error('FP-MONITORING', `${at}.expressions[${j}]`, e, `not PromQL: ${why}`, 'fix the expression (Grafana would show a parse error).');
      });
    }
    if (p.type !== undefined && !Object.values(PanelType).includes(p.type)) sink.error('FP-MONITORING', `${at}.type`, p.type, 'unknown panel type.', 'use PanelType.TIMESERIES or PanelType.STAT.');
    if (p.unit !== undefined && !(p.unit instanceof PanelUnit)) sink.error('FP-INPUT', `${at}.unit`, p.unit, 'expected a PanelUnit.', 'use e.g. PanelUnit.BYTES or PanelUnit.of("decbytes").');
    if (p.legend !== undefined && typeof p.legend !== 'string') sink.error('FP-INPUT', `${at}.legend`, p.legend, 'a legend is a string.', 'use e.g. "{{cluster}} {{pod}}".');
  });
}

function listOf(sink: ProblemSink, prop: string, v: unknown): unknown[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  sink.error('FP-INPUT', prop, v, 'expected a list.', 'pass an array.');
  return [];
}

function isObject(sink: ProblemSink, at: string, v: unknown): boolean {
  if (v && typeof v === 'object') return true;
  sink.error('FP-INPUT', at, v, 'expected an object.', 'pass an object literal.');
  return false;
}

/** A valid name, used once in the app and by no generated rule. */
function nameOnce(sink: ProblemSink, prop: string, name: unknown, grammar: RegExp, why: string, generated: readonly string[], seen: Set<string>): void {
  if (typeof name !== 'string' || !grammar.test(name)) {
    sink.error('K40', prop, name, why, 'rename it.');
    return;
  }
  if (generated.includes(name)) sink.error('K40', prop, name, 'the generated rules of the app already use this name; the series would mix.', 'choose another name.');
  else if (seen.has(name)) sink.error('K40', prop, name, 'used twice in the app.', 'give each rule its own name.');
  seen.add(name);
}

/** The expression scans as PromQL; `kube_*` and `node_*` series need their exporter. */
function checkExpr(sink: ProblemSink, at: string, expr: unknown, ctx: OwnRulesContext): void {
  const why = promQlProblem(expr);
  if (why) {
    sink.error('K40', `${at}.expr`, expr, `not PromQL: ${why}`, 'fix the expression (promtool check rules shows the parser\'s view).');
    return;
  }
  const uses = (prefix: string) => new RegExp(`(^|[^a-zA-Z0-9_:"])${prefix}[a-zA-Z0-9_:]*`).test(expr as string);
  if (!ctx.workloadSeries && uses('kube_')) {
    sink.warn('FP-MONITORING', `${at}.expr`, expr, 'reads kube-state-metrics series, but monitoring.prerequisites is none: the rule sees no data.', 'use MonitoringPrerequisites.assumeInstalled() or .generate().');
  }
  if (!ctx.nodeSeries && uses('node_')) {
    sink.warn('FP-MONITORING', `${at}.expr`, expr, 'reads node-exporter series, but the members scrape no node-exporter: the rule sees no data.', 'enable node-exporter in monitoring.prerequisites.');
  }
}

/** Summary required; templates balanced. */
function checkAlertText(sink: ProblemSink, at: string, a: AlertingRule): void {
  if (typeof a.summary !== 'string' || a.summary.trim() === '') sink.error('K40', `${at}.summary`, a.summary, 'an alert needs a summary for the receiver to show.', 'set summary, e.g. "{{ $labels.pod }} lags behind".');
  const texts: Record<string, unknown> = { summary: a.summary, description: a.description, runbookUrl: a.runbookUrl, ...Object.fromEntries(Object.entries(a.annotations ?? {}).map(([k, v]) => [`annotations.${k}`, v])) };
  for (const [k, v] of Object.entries(texts)) {
    if (v === undefined || (k === 'summary' && typeof v !== 'string')) continue;
    if (typeof v !== 'string') sink.error('FP-INPUT', `${at}.${k}`, v, 'expected a string.', 'pass text.');
    else if (v.split('{{').length !== v.split('}}').length) sink.error('K40', `${at}.${k}`, v, 'unbalanced "{{" and "}}": the template would not parse.', 'close every {{ ... }}.');
  }
}

/** Label (or annotation) names are Prometheus label names, not reserved, values strings. */
function checkLabels(sink: ProblemSink, prop: string, labels: unknown, reserved: readonly string[], annotations = false): void {
  if (labels === undefined) return;
  if (!labels || typeof labels !== 'object' || Array.isArray(labels)) {
    sink.error('FP-INPUT', prop, labels, 'expected an object of strings.', 'pass e.g. { team: "storage" }.');
    return;
  }
  for (const [k, v] of Object.entries(labels)) {
    if (!LABEL_NAME.test(k) || k.startsWith('__')) sink.error('K40', prop, k, 'not a Prometheus label name (names starting with "__" are reserved).', 'use letters, digits and "_".');
    else if (reserved.includes(k)) sink.error('K40', prop, k, annotations ? `"${k}" is set from its own prop.` : `"${k}" is set by fleetplane (the tenant's alert routes and the dashboards rely on it).`, annotations ? 'use the summary, description or runbookUrl prop.' : 'use another label name, or the severity prop.');
    if (typeof v !== 'string') sink.error('FP-INPUT', `${prop}.${k}`, v, 'a value is a string.', 'quote the value.');
  }
}
