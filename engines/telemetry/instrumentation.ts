/**
 * One app's traces: the OpenTelemetry operator injects the SDK of its language (an Instrumentation in the
 * tenant namespace, selected by the pod annotation), or the app exports spans itself, told where by OTEL_* env.
 * Either way spans go to the node agent's OTLP/HTTP port, sampled parent-based (a sidecar's decision wins).
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { createObject } from '../../core/l1';
import { InstrumentationLanguage } from '../../model/telemetry';
import { otel } from './collectors';

/** One app's tracing, resolved. */
export interface AppTracingIntent {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** OTLP/HTTP endpoint (a URL). */
  readonly endpoint: string;
  /** Percentage of root spans sampled. */
  readonly sampling: number;
  readonly language?: InstrumentationLanguage;
  /** The main container (the one instrumented). */
  readonly container: string;
  /** Go: the binary to instrument. */
  readonly executable?: string;
}

/** The sampler argument: a ratio with no float noise. */
function ratio(percent: number): string {
  return String(Math.round(percent * 1e4) / 1e6);
}

/** The Instrumentation the app's pods are injected from. */
export function renderInstrumentation(scope: Construct, t: AppTracingIntent): ApiObject {
  const o = otel();
  return createObject(scope, 'Instrumentation', o.Instrumentation.GVK, o.toJson_InstrumentationProps, {
    metadata: { name: t.name, namespace: t.namespace, labels: t.labels },
    spec: {
      exporter: { endpoint: t.endpoint },
      propagators: [o.InstrumentationSpecPropagators.TRACECONTEXT, o.InstrumentationSpecPropagators.BAGGAGE],
      sampler: { type: o.InstrumentationSpecSamplerType.PARENTBASED_UNDERSCORE_TRACEIDRATIO, argument: ratio(t.sampling) },
      // The injected init container copies the SDK: it must pass the tenant's restricted Pod Security too.
      initContainerSecurityContext: {
        runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
      },
    },
  });
}

/** Pod annotations that make the operator inject the SDK from the app's Instrumentation into its main container. */
export function instrumentationAnnotations(t: AppTracingIntent): Record<string, string> {
  if (!t.language) return {};
  return {
    [`instrumentation.opentelemetry.io/inject-${t.language}`]: t.name,
    'instrumentation.opentelemetry.io/container-names': t.container,
    ...(t.language === InstrumentationLanguage.GO && t.executable ? { 'instrumentation.opentelemetry.io/otel-go-auto-target-exe': t.executable } : {}),
  };
}

/** Environment of an app that exports spans with its own SDK. */
export function tracingEnv(t: AppTracingIntent): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: t.name,
    OTEL_EXPORTER_OTLP_ENDPOINT: t.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: ratio(t.sampling),
    OTEL_PROPAGATORS: 'tracecontext,baggage',
  };
}
