/** Where the request signals of an app come from: its HTTP or gRPC metrics, or Istio's in a meshed tenant. */
import { AppMetrics } from '../../model/monitoring';
import { GrpcCode, MetricSignals, SignalKind } from '../../model/monitoring-signals';

/** Selectors of an app's request metrics. */
export interface SignalSource {
  /** Selector of the request counter, e.g. `http_requests_total{namespace="shop",service="web"}`. */
  readonly requests: string;
  /** The same with only server errors. */
  readonly errors: string;
  /** Histogram buckets selector (with `_bucket`). */
  readonly buckets: string;
  /** Divide quantiles by this to get seconds (1000 for Istio's milliseconds). */
  readonly unitsPerSecond: number;
  /** Histogram count selector (`_count`). */
  readonly count: string;
  /** Bucket label value for a threshold in seconds. */
  readonly le: (seconds: number) => string;
}

/** The codes gRPC gateways map to HTTP 5xx: the server's failures, not the caller's. */
export const GRPC_SERVER_ERRORS: readonly GrpcCode[] = [
  GrpcCode.UNKNOWN, GrpcCode.DEADLINE_EXCEEDED, GrpcCode.UNIMPLEMENTED, GrpcCode.INTERNAL, GrpcCode.UNAVAILABLE, GrpcCode.DATA_LOSS,
];

/** Istio's `grpc_response_status` is the numeric code. */
const GRPC_CODE_NUMBERS: Record<GrpcCode, number> = {
  [GrpcCode.OK]: 0, [GrpcCode.CANCELED]: 1, [GrpcCode.UNKNOWN]: 2, [GrpcCode.INVALID_ARGUMENT]: 3, [GrpcCode.DEADLINE_EXCEEDED]: 4,
  [GrpcCode.NOT_FOUND]: 5, [GrpcCode.ALREADY_EXISTS]: 6, [GrpcCode.PERMISSION_DENIED]: 7, [GrpcCode.RESOURCE_EXHAUSTED]: 8,
  [GrpcCode.FAILED_PRECONDITION]: 9, [GrpcCode.ABORTED]: 10, [GrpcCode.OUT_OF_RANGE]: 11, [GrpcCode.UNIMPLEMENTED]: 12,
  [GrpcCode.INTERNAL]: 13, [GrpcCode.UNAVAILABLE]: 14, [GrpcCode.DATA_LOSS]: 15, [GrpcCode.UNAUTHENTICATED]: 16,
};

/** The numeric code of a gRPC status, as Istio labels it. */
export function grpcCodeNumber(code: GrpcCode): number {
  return GRPC_CODE_NUMBERS[code];
}

/** The app's signals: `metrics.signals`, or HTTP with the (deprecated) metric names of `metrics`. */
export function resolveSignals(m: AppMetrics | undefined): MetricSignals {
  if (m?.signals) return m.signals;
  return MetricSignals.http({ requestsMetric: m?.requestsMetric, statusLabel: m?.statusLabel, durationMetric: m?.durationMetric });
}

/** Request metrics of an app; undefined when it has no request signals. */
export function signalSource(namespace: string, app: string, meshed: boolean, m: AppMetrics | undefined, workloads?: readonly string[]): SignalSource | undefined {
  const signals = resolveSignals(m);
  if (signals.kind === SignalKind.NONE) return undefined;
  if (meshed) return istioSource(namespace, app, signals, workloads);
  const sel = `namespace="${namespace}",service="${app}"`;
  if (signals.kind === SignalKind.GRPC) {
    const g = signals.grpc ?? {};
    const requests = g.requestsMetric ?? 'grpc_server_handled_total';
    const codes = g.errorCodes ?? GRPC_SERVER_ERRORS;
    return ownSource(sel, requests, `${g.codeLabel ?? 'grpc_code'}=~"${codes.join('|')}"`, g.durationMetric ?? 'grpc_server_handling_seconds');
  }
  const h = signals.http ?? {};
  return ownSource(sel, h.requestsMetric ?? 'http_requests_total', `${h.statusLabel ?? 'code'}=~"5.."`, h.durationMetric ?? 'http_request_duration_seconds');
}

/** Istio's metrics of the server side; gRPC calls are told apart by protocol and failed by `grpc_response_status`. */
function istioSource(namespace: string, app: string, signals: MetricSignals, workloads?: readonly string[]): SignalSource {
  const grpc = signals.kind === SignalKind.GRPC;
  // An app under Flagger is selected by its workloads: Flagger routes requests to its `<app>-primary` and
  // `<app>-canary` Services, so Istio reports those as the destination service, never `<app>`.
  const dest = workloads
    ? `destination_workload_namespace="${namespace}",destination_workload=~"${workloads.join('|')}"`
    : `destination_service_namespace="${namespace}",destination_service_name="${app}"`;
  const sel = `reporter="destination",${dest}${grpc ? ',request_protocol="grpc"' : ''}`;
  // A failed gRPC call is usually an HTTP/2 200: only grpc_response_status tells.
  const errorMatcher = grpc
    ? `grpc_response_status=~"${(signals.grpc?.errorCodes ?? GRPC_SERVER_ERRORS).map(grpcCodeNumber).join('|')}"`
    : 'response_code=~"5.."';
  return {
    requests: `istio_requests_total{${sel}}`,
    errors: `istio_requests_total{${sel},${errorMatcher}}`,
    buckets: `istio_request_duration_milliseconds_bucket{${sel}}`,
    count: `istio_request_duration_milliseconds_count{${sel}}`,
    unitsPerSecond: 1000,
    le: (s) => formatNumber(s * 1000),
  };
}

/** The app's own counter and seconds histogram. */
function ownSource(sel: string, requests: string, errorMatcher: string, duration: string): SignalSource {
  return {
    requests: `${requests}{${sel}}`,
    errors: `${requests}{${sel},${errorMatcher}}`,
    buckets: `${duration}_bucket{${sel}}`,
    count: `${duration}_count{${sel}}`,
    unitsPerSecond: 1,
    le: (s) => formatNumber(s),
  };
}

/** A number as PromQL and bucket labels print it (no float noise). */
export function formatNumber(n: number): string {
  return String(Number(n.toPrecision(12)));
}
