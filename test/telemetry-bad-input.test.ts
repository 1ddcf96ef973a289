// Bad telemetry input: each program is wrong in one way (or several, reported together). Synthesis fails with one
// typed PlatformValidationError whose problems name the construct path, the prop, the bad value and the fix.
process.env.FLEETPLANE_QUIET = '1';

import { App } from 'cdk8s';
import {
  DistributedPlatform, DistributedPlatformProps, FederatedApp, FederatedAppProps, InstrumentationLanguage, LogFormat, LogsBackend,
  PodSecurityLevel, Problem, TelemetryTier, TracesBackend,
} from '../index';
import { re2Problem, namedGroups } from '../core/re2';
import { synthError, yamlFiles } from './support/fixtures';

const clusters = [{ name: 'bj-1', region: 'cn-north' }, { name: 'sh-1', region: 'cn-east' }];
const telemetry = { globalTier: TelemetryTier.direct(), backends: { logs: LogsBackend.loki('http://loki:3100'), traces: TracesBackend.tempo('http://tempo:4317') } };

function errorsOf(platform: Partial<DistributedPlatformProps>, app: Partial<FederatedAppProps> = {}, podSecurity?: PodSecurityLevel): Problem[] {
  const { error, dir } = synthError((a: App) => {
    const p = new DistributedPlatform(a, 'prod', { clusters, ...platform });
    const shop = p.addTenant('shop', { podSecurity });
    new FederatedApp(shop, 'web', { image: 'registry.example.com/shop/web:1.2.3', port: 8080, ...app });
  });
  expect(yamlFiles(dir)).toEqual([]);
  return error.errors;
}

const one = (problems: Problem[], prop: string) => {
  const hit = problems.filter((p) => p.prop === prop);
  expect(hit).toHaveLength(1);
  expect(hit[0].fix.length).toBeGreaterThan(10);
  return hit[0];
};

describe('app tracing and logs', () => {
  test('tracing without an endpoint (no platform telemetry) names the prop and how to give one', () => {
    const p = one(errorsOf({}, { tracing: { sampling: 10 } }), 'tracing');
    expect(p).toMatchObject({ rule: 'FP-TRACING', path: 'prod/shop/web', value: { sampling: 10 } });
    expect(p.message).toContain('no endpoint');
    expect(p.fix).toContain('TracesBackend');
  });

  test('tracing with its own endpoint needs no platform telemetry, but the endpoint must be a URL', () => {
    expect(one(errorsOf({}, { tracing: { endpoint: 'otel-collector:4318' } }), 'tracing.endpoint')).toMatchObject({ rule: 'FP-TRACING', value: 'otel-collector:4318' });
  });

  test('auto-instrumentation for an unknown language', () => {
    const p = one(errorsOf({ telemetry }, { tracing: { autoInstrumentation: 'ruby' as InstrumentationLanguage } }), 'tracing.autoInstrumentation');
    expect(p).toMatchObject({ rule: 'FP-TRACING', value: 'ruby', path: 'prod/shop/web' });
    expect(p.fix).toContain('InstrumentationLanguage.JAVA');
  });

  test('Go auto-instrumentation needs the executable and privileged pods; every problem is reported together', () => {
    const problems = errorsOf({ telemetry }, { tracing: { autoInstrumentation: InstrumentationLanguage.GO, sampling: 150 } });
    expect(one(problems, 'tracing.executable').rule).toBe('FP-TRACING');
    expect(one(problems, 'tracing.autoInstrumentation')).toMatchObject({ rule: 'K6', value: 'go' });
    expect(one(problems, 'tracing.sampling')).toMatchObject({ rule: 'FP-TRACING', value: 150 });
    expect(errorsOf({ telemetry }, { tracing: { autoInstrumentation: InstrumentationLanguage.GO, executable: '/app/server' } }).filter((p) => p.prop.startsWith('tracing'))).toHaveLength(1);
  });

  test('a log regex that does not compile in RE2', () => {
    const p = one(errorsOf({ telemetry }, { logs: { format: LogFormat.regex('^(?P<level>\\w+ (?P<msg>.*)$') } }), 'logs.format.pattern');
    expect(p).toMatchObject({ rule: 'FP-LOGS', value: '^(?P<level>\\w+ (?P<msg>.*)$', path: 'prod/shop/web' });
    expect(p.message).toContain('does not compile');
  });

  test('a log regex with features RE2 lacks (lookahead, backreferences)', () => {
    expect(one(errorsOf({ telemetry }, { logs: { format: LogFormat.regex('^(?P<a>x)(?=y)') } }), 'logs.format.pattern').message).toContain('lookahead and lookbehind');
    expect(one(errorsOf({ telemetry }, { logs: { exclude: ['(a)\\1'] } }), 'logs.exclude[0]').message).toContain('backreferences');
  });

  test('a log regex with no named groups', () => {
    const p = one(errorsOf({ telemetry }, { logs: { format: LogFormat.regex('^(\\S+) (\\w+) (.*)$') } }), 'logs.format.pattern');
    expect(p.message).toContain('no');
    expect(p.fix).toContain('(?P<level>');
  });

  test('a severity field that is not a group, a multiline regex that does not compile, an unknown container', () => {
    const problems = errorsOf({ telemetry }, { logs: { format: LogFormat.regex('^(?P<lvl>\\w+) (?P<msg>.*)$', { severityField: 'level' }), multilineStart: '[', containers: ['sidecar'] } });
    expect(one(problems, 'logs.format.severityField').value).toBe('level');
    expect(one(problems, 'logs.multilineStart').value).toBe('[');
    expect(one(problems, 'logs.containers[0]').value).toBe('sidecar');
  });

  test('logs on a platform whose telemetry has no logs backend', () => {
    const p = one(errorsOf({ telemetry: { globalTier: TelemetryTier.direct(), backends: { traces: TracesBackend.jaeger('http://jaeger:4317') } } }, { logs: {} }), 'logs');
    expect(p.rule).toBe('FP-LOGS');
  });

  test('logs where the app may run on clusters without collectors', () => {
    const p = one(errorsOf({ telemetry: { ...telemetry, clusters: { names: ['bj-1'] } } }, { logs: {} }), 'logs');
    expect(p.value).toEqual(['sh-1']);
  });
});

describe('platform telemetry', () => {
  test('no backend, an unknown global cluster, an endpoint without scheme, bad replicas and sampling: all reported', () => {
    const problems = errorsOf({ telemetry: { globalTier: TelemetryTier.gateway({ cluster: 'gz-9', replicas: 0 }), backends: {}, meshTracingSampling: -1 } });
    expect(one(problems, 'telemetry.backends').rule).toBe('FP-OTEL');
    expect(one(problems, 'telemetry.globalTier.cluster')).toMatchObject({ rule: 'K13', value: 'gz-9', path: 'prod/telemetry' });
    expect(one(problems, 'telemetry.globalTier.replicas').value).toBe(0);
    expect(one(problems, 'telemetry.meshTracingSampling').value).toBe(-1);
    const bad = errorsOf({ telemetry: { globalTier: TelemetryTier.direct(), backends: { logs: LogsBackend.loki('loki:3100') } } });
    expect(one(bad, 'telemetry.backends.logs')).toMatchObject({ rule: 'FP-OTEL', value: 'loki:3100' });
  });

  test('a missing tier is a typed problem, never a TypeError', () => {
    const p = one(errorsOf({ telemetry: { backends: telemetry.backends } as any }), 'telemetry.globalTier');
    expect(p.fix).toContain('TelemetryTier.gateway');
  });
});

describe('RE2 checks', () => {
  test.each([
    ['(?P<name>\\w+)', undefined],
    ['(?i)^error', undefined],
    ['[[:alpha:]]+\\z', undefined],
    ['\\pL+', undefined],
    ['a(?!b)', 'lookahead'],
    ['(?<=a)b', 'lookbehind'],
    ['(a)\\1', 'backreferences'],
    ['a++', 'possessive'],
    ['(?>a)', 'atomic'],
    ['(', 'does not compile'],
  ])('%s', (pattern, problem) => {
    const p = re2Problem(pattern);
    if (problem === undefined) expect(p).toBeUndefined();
    else expect(p).toContain(problem);
  });

  test('named groups in both Go spellings', () => {
    expect(namedGroups('(?P<a>x)(?<b>y)(z)\\(?P<c>')).toEqual(['a', 'b']);
  });
});
