import { MeshTelemetry } from '../../model/tenancy';

/** Renders a Telemetry spec, or undefined when nothing is set. */
export function telemetrySpec(t: MeshTelemetry | undefined): Record<string, unknown> | undefined {
  if (!t || (t.tracingSampling === undefined && t.accessLogging === undefined)) return undefined;
  return {
    tracing: t.tracingSampling !== undefined ? [{ randomSamplingPercentage: t.tracingSampling }] : undefined,
    accessLogging: t.accessLogging !== undefined ? [{ providers: [{ name: 'envoy' }], disabled: !t.accessLogging }] : undefined,
  };
}
