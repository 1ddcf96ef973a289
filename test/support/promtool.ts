// Runs the real `promtool` (Debian's prometheus package) on generated rules, and builds rule unit tests that
// feed synthetic series to each generated alert: bad series must make it fire, healthy ones keep it silent.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { RuleGroupSpec, Slo, SloKind } from '../../index';

/** The command that installs promtool on Debian and Ubuntu (the `prometheus` package ships it). */
export const PROMTOOL_INSTALL = 'apt-get update && apt-get install -y --no-install-recommends prometheus';

let ensured = false;

/**
 * Makes sure promtool is on the PATH: as root with apt-get it installs Debian's `prometheus` package (what
 * `.ci/run` does); otherwise it fails with the one command to run.
 */
export function ensurePromtool(): void {
  if (ensured) return;
  const has = () => spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;
  if (!has()) {
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
    if (root && apt) {
      const r = spawnSync('sh', ['-c', `${PROMTOOL_INSTALL} >/dev/null 2>&1`], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      if (r.status !== 0 || !has()) throw new Error(`installing promtool failed; run as root: ${PROMTOOL_INSTALL}`);
    } else {
      throw new Error(`promtool is not installed; these tests run the real promtool. Run: sudo ${PROMTOOL_INSTALL}`);
    }
  }
  ensured = true;
}

export function promtool(args: string[], cwd?: string): { ok: boolean; output: string } {
  ensurePromtool();
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`promtool could not run (${r.error.message}); run: sudo ${PROMTOOL_INSTALL}`);
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/** What the generator needs to know about an app's metrics. */
export interface AppSignals {
  readonly namespace: string;
  readonly app: string;
  readonly meshed: boolean;
  readonly slos: readonly Slo[];
  readonly workloadKind: 'Deployment' | 'StatefulSet';
  readonly workloads: readonly string[];
  readonly requestsMetric?: string;
  readonly statusLabel?: string;
  readonly durationMetric?: string;
  /** Request signals of the app; `none` has no golden-signal rules to test. */
  readonly signals?: 'http' | 'grpc' | 'none';
  /** gRPC: the code label of the app's counter. */
  readonly codeLabel?: string;
  /** Workload rules exist (kube-state-metrics is scraped). */
  readonly workloadSeries?: boolean;
}

interface Traffic {
  readonly total: number; // requests per minute
  readonly errors: number; // 5xx per minute
  readonly slow: Record<string, number>; // per SLO name: requests per minute slower than its threshold
}

const MINUTE_SAMPLES = 240; // 4 hours of 1-minute samples

function series(sig: AppSignals, t: Traffic): Array<{ series: string; values: string }> {
  const out: Array<{ series: string; values: string }> = [];
  const counter = (perMin: number) => `0+${perMin}x${MINUTE_SAMPLES}`;
  const grpc = sig.signals === 'grpc';
  if (sig.meshed) {
    const sel = `reporter="destination",destination_service_namespace="${sig.namespace}",destination_service_name="${sig.app}"${grpc ? ',request_protocol="grpc"' : ''}`;
    if (grpc) {
      // Failed gRPC calls are HTTP/2 200s: only grpc_response_status (14 = Unavailable) tells them apart.
      // Half the good calls are client errors (5 = NotFound): not the server's failures, so not counted.
      const notFound = Math.floor((t.total - t.errors) / 2);
      out.push({ series: `istio_requests_total{${sel},response_code="200",grpc_response_status="0"}`, values: counter(t.total - t.errors - notFound) });
      out.push({ series: `istio_requests_total{${sel},response_code="200",grpc_response_status="5"}`, values: counter(notFound) });
      out.push({ series: `istio_requests_total{${sel},response_code="200",grpc_response_status="14"}`, values: counter(t.errors) });
    } else {
      out.push({ series: `istio_requests_total{${sel},response_code="200"}`, values: counter(t.total - t.errors) });
      out.push({ series: `istio_requests_total{${sel},response_code="503"}`, values: counter(t.errors) });
    }
    for (const slo of sig.slos.filter((s) => s.kind === SloKind.LATENCY)) {
      out.push({ series: `istio_request_duration_milliseconds_bucket{${sel},le="${slo.latencyThreshold!.toMilliseconds()}"}`, values: counter(t.total - (t.slow[slo.name] ?? 0)) });
    }
    out.push({ series: `istio_request_duration_milliseconds_bucket{${sel},le="+Inf"}`, values: counter(t.total) });
    out.push({ series: `istio_request_duration_milliseconds_count{${sel}}`, values: counter(t.total) });
  } else {
    const sel = `namespace="${sig.namespace}",service="${sig.app}"`;
    const req = sig.requestsMetric ?? (grpc ? 'grpc_server_handled_total' : 'http_requests_total');
    const status = grpc ? sig.codeLabel ?? 'grpc_code' : sig.statusLabel ?? 'code';
    const dur = sig.durationMetric ?? (grpc ? 'grpc_server_handling_seconds' : 'http_request_duration_seconds');
    const notFound = grpc ? Math.floor((t.total - t.errors) / 2) : 0;
    out.push({ series: `${req}{${sel},${status}="${grpc ? 'OK' : '200'}"}`, values: counter(t.total - t.errors - notFound) });
    if (grpc) out.push({ series: `${req}{${sel},${status}="NotFound"}`, values: counter(notFound) });
    out.push({ series: `${req}{${sel},${status}="${grpc ? 'Unavailable' : '500'}"}`, values: counter(t.errors) });
    for (const slo of sig.slos.filter((s) => s.kind === SloKind.LATENCY)) {
      out.push({ series: `${dur}_bucket{${sel},le="${slo.latencyThreshold!.toMilliseconds() / 1000}"}`, values: counter(t.total - (t.slow[slo.name] ?? 0)) });
    }
    out.push({ series: `${dur}_bucket{${sel},le="+Inf"}`, values: counter(t.total) });
    out.push({ series: `${dur}_count{${sel}}`, values: counter(t.total) });
  }
  return out;
}

function pascal(s: string): string {
  return s.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/** Expands `{{ $labels.x }}` the way Prometheus does for these simple templates. */
function expand(text: string, labels: Record<string, string>): string {
  return text.replace(/\{\{\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, k) => labels[k] ?? '');
}

function alertOf(groups: RuleGroupSpec[], name: string) {
  for (const g of groups) for (const r of g.rules) if (r.alert === name) return r;
  throw new Error(`no alert ${name}`);
}

function expected(groups: RuleGroupSpec[], name: string, seriesLabels: Record<string, string>) {
  const rule = alertOf(groups, name);
  const labels = { ...seriesLabels, ...(rule.labels ?? {}) };
  return {
    exp_labels: { alertname: name, ...labels },
    exp_annotations: Object.fromEntries(Object.entries(rule.annotations ?? {}).map(([k, v]) => [k, expand(v, labels)])),
  };
}

/** The test cases, as a promtool test file for the rule file `rulesFile`. Returns the file and a count of assertions. */
export function ruleUnitTests(sig: AppSignals, groups: RuleGroupSpec[], rulesFile: string): { yaml: string; assertions: number } {
  const id = { namespace: sig.namespace, app: sig.app };
  const budget = (slo: Slo) => 1 - slo.objective / 100;
  const sloAlerts = sig.slos.flatMap((s) => [`${pascal(sig.app)}${pascal(s.name)}ErrorBudgetBurnFast`, `${pascal(sig.app)}${pascal(s.name)}ErrorBudgetBurnSlow`]);
  const crash = `${pascal(sig.app)}PodCrashLooping`;
  const unavailable = `${pascal(sig.app)}ReplicasUnavailable`;
  const requests = sig.signals !== 'none';
  const workload = sig.workloadSeries !== false;
  const allAlerts = [...sloAlerts, ...(workload ? [crash, unavailable] : [])];
  const tests: any[] = [];
  let assertions = 0;
  const silent = (times: string[]) => times.flatMap((t) => allAlerts.map((a) => { assertions++; return { eval_time: t, alertname: a, exp_alerts: [] }; }));
  const sample = (record: string, value: number, evalTime = '10m', extra = '') => {
    const sel = `${record}{namespace="${sig.namespace}",app="${sig.app}"${extra}}`;
    return { expr: sel, eval_time: evalTime, exp_samples: [{ labels: sel, value }] };
  };

  // 1. Healthy traffic and workloads: every alert stays silent; the recording rules compute what they claim. A
  // crash-looping pod of another app whose name starts like this one's must not count.
  const total = 10000;
  const neighbour = sig.workloadKind === 'Deployment' ? `${sig.workloads[0]}-api-5d8f7c9b4-x2x7k` : `${sig.workloads[0]}-api-0`;
  const ownPod = sig.workloadKind === 'Deployment' ? `${sig.workloads[0]}-5d8f7c9b4-x2x7k` : `${sig.workloads[0]}-0`;
  const healthyExprs = [
    ...(requests ? [sample('app:requests:rate5m', 2), sample('app:request_error_ratio:rate5m', 0)] : []),
    ...(workload ? [sample('app:replicas_desired:sum', 3), sample('app:replicas_available:sum', 3), sample('app:container_restarts:increase1h', 60, '2h')] : []),
  ];
  assertions += healthyExprs.length;
  tests.push({
    name: `${sig.app}: healthy`,
    interval: '1m',
    input_series: [
      ...(requests ? series(sig, { total: 120, errors: 0, slow: {} }) : []),
      ...(workload ? workloadSeries(sig, ownPod, neighbour, 'healthy') : []),
    ],
    alert_rule_test: silent(['30m', '2h', '3h']),
    promql_expr_test: healthyExprs,
  });
  if (!requests) return workloadTests(sig, groups, rulesFile, tests, assertions, ownPod);

  // 2. The recording rules on known error traffic: 12 of 120 requests a minute fail.
  tests.push({
    name: `${sig.app}: recording rules`,
    interval: '1m',
    input_series: series(sig, { total: 120, errors: 12, slow: {} }),
    promql_expr_test: [
      { expr: `app:request_errors:rate5m{namespace="${sig.namespace}",app="${sig.app}"}`, eval_time: '10m', exp_samples: [{ labels: `app:request_errors:rate5m{namespace="${sig.namespace}",app="${sig.app}"}`, value: 0.2 }] },
      { expr: `app:request_error_ratio:rate5m{namespace="${sig.namespace}",app="${sig.app}"}`, eval_time: '10m', exp_samples: [{ labels: `app:request_error_ratio:rate5m{namespace="${sig.namespace}",app="${sig.app}"}`, value: 0.1 }] },
      ...sig.slos
        .filter((s) => s.kind === SloKind.AVAILABILITY)
        .map((s) => ({ expr: `app:slo_error_ratio:rate1h{namespace="${sig.namespace}",app="${sig.app}",slo="${s.name}"}`, eval_time: '2h', exp_samples: [{ labels: `app:slo_error_ratio:rate1h{namespace="${sig.namespace}",app="${sig.app}",slo="${s.name}"}`, value: 0.1 }] })),
    ],
  });
  assertions += 2 + sig.slos.filter((s) => s.kind === SloKind.AVAILABILITY).length;

  if (sig.slos.length > 0) {
    // 3. Fast burn: 20 times the error budget on every SLO; both windows of the fast alert agree within minutes.
    const fast: Traffic = {
      total,
      errors: Math.round(20 * total * Math.max(0, ...sig.slos.filter((s) => s.kind === SloKind.AVAILABILITY).map(budget))),
      slow: Object.fromEntries(sig.slos.filter((s) => s.kind === SloKind.LATENCY).map((s) => [s.name, Math.round(20 * total * budget(s))])),
    };
    tests.push({
      name: `${sig.app}: fast burn`,
      interval: '1m',
      input_series: series(sig, fast),
      alert_rule_test: sig.slos.map((s) => {
        assertions++;
        return { eval_time: '70m', alertname: `${pascal(sig.app)}${pascal(s.name)}ErrorBudgetBurnFast`, exp_alerts: [expected(groups, `${pascal(sig.app)}${pascal(s.name)}ErrorBudgetBurnFast`, { ...id, slo: s.name })] };
      }),
    });
    // 4. Slow burn: 4.5 times the budget fires the slow alert only (above 3x on 1d/2h, below 6x and 14.4x).
    for (const s of sig.slos) {
      const t: Traffic = s.kind === SloKind.AVAILABILITY
        ? { total, errors: Math.round(4.5 * total * budget(s)), slow: {} }
        : { total, errors: 0, slow: { [s.name]: Math.round(4.5 * total * budget(s)) } };
      const others = sig.slos.filter((o) => o !== s && o.kind === s.kind && budget(o) < budget(s) * 4.5 / 3);
      const fastName = `${pascal(sig.app)}${pascal(s.name)}ErrorBudgetBurnFast`;
      const slowName = `${pascal(sig.app)}${pascal(s.name)}ErrorBudgetBurnSlow`;
      tests.push({
        name: `${sig.app}: slow burn of ${s.name}`,
        interval: '1m',
        input_series: series(sig, t),
        alert_rule_test: [
          { eval_time: '3h', alertname: slowName, exp_alerts: [expected(groups, slowName, { ...id, slo: s.name })] },
          { eval_time: '3h', alertname: fastName, exp_alerts: [] },
        ],
      });
      assertions += 2;
      void others;
    }
  }

  return workloadTests(sig, groups, rulesFile, tests, assertions, ownPod);
}

/** kube-state-metrics series of the app's workload (3 replicas) and of a neighbour app named `<app>-api`. */
function workloadSeries(sig: AppSignals, pod: string, neighbour: string, state: 'healthy' | 'broken'): Array<{ series: string; values: string }> {
  const ns = `namespace="${sig.namespace}"`;
  const w = sig.workloads[0];
  const ready = state === 'healthy' ? 3 : 1;
  return [
    { series: `kube_pod_container_status_waiting_reason{${ns},pod="${pod}",container="app",reason="CrashLoopBackOff"}`, values: `${state === 'healthy' ? 0 : 1}x${MINUTE_SAMPLES}` },
    { series: `kube_pod_container_status_waiting_reason{${ns},pod="${neighbour}",container="app",reason="CrashLoopBackOff"}`, values: `1x${MINUTE_SAMPLES}` },
    // A restart a minute (60 an hour) here, five a minute in the neighbour, which must not count.
    { series: `kube_pod_container_status_restarts_total{${ns},pod="${pod}",container="app"}`, values: `0+1x${MINUTE_SAMPLES}` },
    { series: `kube_pod_container_status_restarts_total{${ns},pod="${neighbour}",container="app"}`, values: `0+5x${MINUTE_SAMPLES}` },
    ...(sig.workloadKind === 'Deployment'
      ? [
          { series: `kube_deployment_spec_replicas{${ns},deployment="${w}"}`, values: `3x${MINUTE_SAMPLES}` },
          { series: `kube_deployment_status_replicas_available{${ns},deployment="${w}"}`, values: `${ready}x${MINUTE_SAMPLES}` },
          { series: `kube_deployment_status_replicas_unavailable{${ns},deployment="${w}"}`, values: `${3 - ready}x${MINUTE_SAMPLES}` },
          { series: `kube_deployment_status_replicas_unavailable{${ns},deployment="${w}-api"}`, values: `2x${MINUTE_SAMPLES}` },
        ]
      : [
          { series: `kube_statefulset_replicas{${ns},statefulset="${w}"}`, values: `3x${MINUTE_SAMPLES}` },
          { series: `kube_statefulset_status_replicas{${ns},statefulset="${w}"}`, values: `3x${MINUTE_SAMPLES}` },
          { series: `kube_statefulset_status_replicas_ready{${ns},statefulset="${w}"}`, values: `${ready}x${MINUTE_SAMPLES}` },
        ]),
  ];
}

/** 5. A crash-looping pod and unavailable replicas fire after their 15 minutes. */
function workloadTests(sig: AppSignals, groups: RuleGroupSpec[], rulesFile: string, tests: any[], assertions: number, pod: string) {
  if (sig.workloadSeries === false) return { yaml: YAML.stringify({ rule_files: [rulesFile], evaluation_interval: '1m', tests }), assertions };
  const crash = `${pascal(sig.app)}PodCrashLooping`;
  const unavailable = `${pascal(sig.app)}ReplicasUnavailable`;
  tests.push({
    name: `${sig.app}: broken workload`,
    interval: '1m',
    input_series: workloadSeries(sig, pod, sig.workloadKind === 'Deployment' ? `${sig.workloads[0]}-api-5d8f7c9b4-x2x7k` : `${sig.workloads[0]}-api-0`, 'broken'),
    alert_rule_test: [
      { eval_time: '10m', alertname: crash, exp_alerts: [] },
      { eval_time: '30m', alertname: crash, exp_alerts: [expected(groups, crash, { namespace: sig.namespace, pod, container: 'app', reason: 'CrashLoopBackOff' })] },
      { eval_time: '10m', alertname: unavailable, exp_alerts: [] },
      {
        eval_time: '30m',
        alertname: unavailable,
        exp_alerts: [expected(groups, unavailable, sig.workloadKind === 'Deployment' ? { namespace: sig.namespace, deployment: sig.workloads[0] } : { namespace: sig.namespace, statefulset: sig.workloads[0] })],
      },
    ],
  });
  assertions += 4;
  return { yaml: YAML.stringify({ rule_files: [rulesFile], evaluation_interval: '1m', tests }), assertions };
}

/** Writes a rule file and its unit tests into `dir`, runs `promtool check rules` and `promtool test rules`. */
export function checkAndTest(dir: string, name: string, groups: RuleGroupSpec[], sig: AppSignals) {
  fs.mkdirSync(dir, { recursive: true });
  const rules = `${name}.rules.yaml`;
  fs.writeFileSync(path.join(dir, rules), YAML.stringify({ groups }));
  const tests = ruleUnitTests(sig, groups, rules);
  fs.writeFileSync(path.join(dir, `${name}.test.yaml`), tests.yaml);
  return {
    check: promtool(['check', 'rules', rules], dir),
    test: promtool(['test', 'rules', `${name}.test.yaml`], dir),
    assertions: tests.assertions,
    rules: groups.reduce((n, g) => n + g.rules.length, 0),
  };
}

/** Writes rule groups and hand-written promtool test cases into `dir`, then checks and runs them. */
export function checkAndTestCases(dir: string, name: string, groups: RuleGroupSpec[], tests: unknown[]) {
  fs.mkdirSync(dir, { recursive: true });
  const rules = `${name}.rules.yaml`;
  fs.writeFileSync(path.join(dir, rules), YAML.stringify({ groups }));
  fs.writeFileSync(path.join(dir, `${name}.test.yaml`), YAML.stringify({ rule_files: [rules], evaluation_interval: '1m', tests }));
  return { check: promtool(['check', 'rules', rules], dir), test: promtool(['test', 'rules', `${name}.test.yaml`], dir) };
}
