/**
 * What an app's monitoring is built from: its request signals (HTTP, gRPC or none), and the recording rules,
 * alerting rules and dashboard panels the app adds to the generated ones.
 */
import { Duration } from 'cdk8s';

/** Kinds of request signals. */
export enum SignalKind {
  /** HTTP requests with a status code. */
  HTTP = 'http',
  /** gRPC calls with a status code. */
  GRPC = 'grpc',
  /** No request signals (a broker, a storage node, a batch worker). */
  NONE = 'none',
}

/** gRPC status codes, as the Go and Java servers label them (`grpc_code`); Istio labels them by number. */
export enum GrpcCode {
  OK = 'OK',
  CANCELED = 'Canceled',
  UNKNOWN = 'Unknown',
  INVALID_ARGUMENT = 'InvalidArgument',
  DEADLINE_EXCEEDED = 'DeadlineExceeded',
  NOT_FOUND = 'NotFound',
  ALREADY_EXISTS = 'AlreadyExists',
  PERMISSION_DENIED = 'PermissionDenied',
  RESOURCE_EXHAUSTED = 'ResourceExhausted',
  FAILED_PRECONDITION = 'FailedPrecondition',
  ABORTED = 'Aborted',
  OUT_OF_RANGE = 'OutOfRange',
  UNIMPLEMENTED = 'Unimplemented',
  INTERNAL = 'Internal',
  UNAVAILABLE = 'Unavailable',
  DATA_LOSS = 'DataLoss',
  UNAUTHENTICATED = 'Unauthenticated',
}

/** HTTP request metrics of the app (ignored in a meshed tenant, where Istio's are used). */
export interface HttpSignalProps {
  /**
   * Request counter.
   * @default 'http_requests_total'
   */
  readonly requestsMetric?: string;
  /**
   * Label of the counter holding the HTTP status code.
   * @default 'code'
   */
  readonly statusLabel?: string;
  /**
   * Request-duration histogram, in seconds (without `_bucket`).
   * @default 'http_request_duration_seconds'
   */
  readonly durationMetric?: string;
}

/**
 * gRPC server metrics of the app (go-grpc-middleware / grpc-java conventions). In a meshed tenant Istio's
 * `istio_requests_total` with its `grpc_response_status` label is used instead, and only `errorCodes` applies.
 */
export interface GrpcSignalProps {
  /**
   * Counter of handled calls.
   * @default 'grpc_server_handled_total'
   */
  readonly requestsMetric?: string;
  /**
   * Label of the counter holding the status code name.
   * @default 'grpc_code'
   */
  readonly codeLabel?: string;
  /**
   * Handling-time histogram, in seconds (without `_bucket`); go-grpc-middleware needs its histogram enabled.
   * @default 'grpc_server_handling_seconds'
   */
  readonly durationMetric?: string;
  /**
   * Codes counted as server errors (availability SLOs and the error ratio).
   * @default - the codes gRPC gateways map to HTTP 5xx: Unknown, DeadlineExceeded, Unimplemented, Internal, Unavailable, DataLoss
   */
  readonly errorCodes?: GrpcCode[];
}

/** The request signals of an app: golden-signal rules, SLOs and the RED dashboard panels come from them. */
export class MetricSignals {
  /** HTTP requests (the default): the app's own metrics, or Istio's in a meshed tenant. */
  public static http(props: HttpSignalProps = {}): MetricSignals {
    return new MetricSignals(SignalKind.HTTP, props, undefined);
  }

  /** gRPC calls: the app's `grpc_server_*` metrics, or Istio's `grpc_response_status` in a meshed tenant. */
  public static grpc(props: GrpcSignalProps = {}): MetricSignals {
    return new MetricSignals(SignalKind.GRPC, undefined, props);
  }

  /**
   * No request signals (Kafka, HDFS, a queue worker): no golden-signal rules, no SLOs, no RED panels. The app is
   * still scraped, gets its workload alerts, and adds its own rules and panels.
   */
  public static none(): MetricSignals {
    return new MetricSignals(SignalKind.NONE, undefined, undefined);
  }

  private constructor(
    /** HTTP, gRPC or none. */
    public readonly kind: SignalKind,
    /** The HTTP metric names, for `http`. */
    public readonly http: HttpSignalProps | undefined,
    /** The gRPC metric names, for `grpc`. */
    public readonly grpc: GrpcSignalProps | undefined,
  ) {}
}

/** Severity label of an alert; the tenant's `alerts.criticalReceiver` gets the critical ones. */
export enum AlertSeverity {
  CRITICAL = 'critical',
  WARNING = 'warning',
  INFO = 'info',
}

/**
 * A recording rule of the app. It gets the app's `namespace` and `app` labels. Records named `app:…` are
 * federated to the global tier with the generated ones.
 */
export interface RecordingRule {
  /** Name of the recorded series, `level:metric:operations`, e.g. `app:kafka_under_replicated_partitions:max`. */
  readonly record: string;
  /** PromQL. */
  readonly expr: string;
  /**
   * Extra labels (not `namespace` or `app`, which are the app's).
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** An alerting rule of the app. It gets the app's `namespace` and `app` labels, so the tenant's receivers get it. */
export interface AlertingRule {
  /** Alert name, e.g. `KafkaUnderReplicatedPartitions` (letters, digits and `_`, starting with a letter). */
  readonly alert: string;
  /** PromQL; the alert fires for every series it returns. */
  readonly expr: string;
  /**
   * How long the condition must hold before the alert fires.
   * @default - fires on the first evaluation
   */
  readonly for?: Duration;
  /**
   * How long the alert keeps firing after the condition cleared.
   * @default - stops at once
   */
  readonly keepFiringFor?: Duration;
  /** @default AlertSeverity.WARNING */
  readonly severity?: AlertSeverity;
  /** One-line summary (the `summary` annotation); may use `{{ $labels.x }}` and `{{ $value }}`. */
  readonly summary: string;
  /**
   * What it means and what to look at (the `description` annotation).
   * @default - none
   */
  readonly description?: string;
  /**
   * Runbook link (the `runbook_url` annotation).
   * @default - none
   */
  readonly runbookUrl?: string;
  /**
   * Extra labels (not `namespace`, `app` or `severity`).
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Extra annotations.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/** Grafana panel kinds. */
export enum PanelType {
  /** A graph over time. */
  TIMESERIES = 'timeseries',
  /** One big number (the last value). */
  STAT = 'stat',
}

/** A Grafana unit. */
export class PanelUnit {
  public static readonly SHORT = new PanelUnit('short');
  public static readonly PERCENT_UNIT = new PanelUnit('percentunit');
  public static readonly SECONDS = new PanelUnit('s');
  public static readonly MILLISECONDS = new PanelUnit('ms');
  public static readonly BYTES = new PanelUnit('bytes');
  public static readonly BYTES_PER_SECOND = new PanelUnit('Bps');
  public static readonly REQUESTS_PER_SECOND = new PanelUnit('reqps');
  public static readonly OPS_PER_SECOND = new PanelUnit('ops');

  /** Any other Grafana unit id, e.g. `decbytes`. */
  public static of(id: string): PanelUnit {
    return new PanelUnit(id);
  }

  private constructor(
    /** The Grafana unit id. */
    public readonly id: string,
  ) {}
}

/** A panel the app adds to its dashboard, below the generated ones. */
export interface DashboardPanel {
  /** Title. */
  readonly title: string;
  /** PromQL expressions, one query each (at most 26). */
  readonly expressions: string[];
  /** @default PanelType.TIMESERIES */
  readonly type?: PanelType;
  /** @default PanelUnit.SHORT */
  readonly unit?: PanelUnit;
  /**
   * Legend of every query.
   * @default '{{cluster}}'
   */
  readonly legend?: string;
}
