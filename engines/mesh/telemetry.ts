import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { createObject } from '../../core/l1';
import * as telemetry from '../../imports/telemetry.istio.io';
import { MeshTelemetry } from '../../model/tenancy';

/** The OpenTelemetry tracing provider of the mesh (platform telemetry), and its default sampling. */
export interface TracingProvider {
  /** Name of the mesh's extension provider. */
  readonly name: string;
  /** Percentage traced when the telemetry sets none. */
  readonly sampling: number;
}

/** Renders a Telemetry spec, or undefined when nothing is set. */
export function telemetrySpec(t: MeshTelemetry | undefined, provider?: TracingProvider): Record<string, unknown> | undefined {
  if (!provider && (!t || (t.tracingSampling === undefined && t.accessLogging === undefined))) return undefined;
  const tracing = provider
    ? [{ providers: [{ name: provider.name }], randomSamplingPercentage: t?.tracingSampling ?? provider.sampling }]
    : t?.tracingSampling !== undefined ? [{ randomSamplingPercentage: t.tracingSampling }] : undefined;
  return {
    tracing,
    accessLogging: t?.accessLogging !== undefined ? [{ providers: [{ name: 'envoy' }], disabled: !t.accessLogging }] : undefined,
  };
}

/** Where a Telemetry object goes and which workloads it applies to. */
export interface TelemetryTarget {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** Pod labels of the workloads; none for the whole namespace. */
  readonly selector?: Record<string, string>;
}

/** A Telemetry object, or undefined when nothing is set. */
export function renderTelemetry(scope: Construct, target: TelemetryTarget, t: MeshTelemetry | undefined, provider?: TracingProvider): ApiObject | undefined {
  const spec = telemetrySpec(t, provider);
  if (!spec) return undefined;
  return createObject(scope, 'Telemetry', telemetry.Telemetry.GVK, telemetry.toJson_TelemetryProps, {
    metadata: { name: target.name, namespace: target.namespace, labels: target.labels },
    spec: { ...(target.selector ? { selector: { matchLabels: target.selector } } : {}), ...(spec as any) },
  });
}
