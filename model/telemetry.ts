/**
 * Unified logs and traces: OpenTelemetry collectors in every member cluster (a node agent and a gateway), an
 * optional global gateway, the backends logs and traces go to, and what each app sends (`logs`, `tracing`).
 * Every record carries its tenant, and the exporting tier routes per tenant, so one tenant never reads another's.
 */
import { ApiObject } from 'cdk8s';
import { ClusterSelector } from './cluster';

/** Wire protocol of an OTLP endpoint. */
export enum OtlpProtocol {
  /** OTLP over gRPC (port 4317 by convention). */
  GRPC = 'grpc',
  /** OTLP over HTTP with protobuf bodies (port 4318 by convention). */
  HTTP = 'http',
}

/** How a backend is reached and how it tells tenants apart. */
export interface BackendOptions {
  /**
   * Wire protocol.
   * @default - the backend's usual one: HTTP for Loki, gRPC for Tempo, Jaeger and plain OTLP
   */
  readonly protocol?: OtlpProtocol;
  /**
   * Header that carries the tenant on every export (one exporter per tenant). Without one, the backend must enforce
   * the `tenant` resource attribute itself.
   * @default - `X-Scope-OrgID` for Loki and Tempo, `x-tenant` for Jaeger, none for plain OTLP
   */
  readonly tenantHeader?: string;
}

/** A backend as the exporters see it, resolved. */
export interface ResolvedBackend {
  /** `loki`, `tempo`, `jaeger` or `otlp`. */
  readonly kind: string;
  /** The endpoint as given (a URL with scheme). */
  readonly endpoint: string;
  readonly protocol: OtlpProtocol;
  /** Header carrying the tenant, if the backend reads one. */
  readonly tenantHeader?: string;
  /** Path appended to the endpoint for OTLP/HTTP (Loki serves OTLP under `/otlp`). */
  readonly pathPrefix?: string;
}

/** Where logs go. */
export class LogsBackend {
  /** Loki (3.x) through its native OTLP endpoint (`<url>/otlp`), one tenant per `X-Scope-OrgID`. */
  public static loki(url: string, options: BackendOptions = {}): LogsBackend {
    return new LogsBackend({ kind: 'loki', endpoint: url, protocol: options.protocol ?? OtlpProtocol.HTTP, tenantHeader: options.tenantHeader ?? 'X-Scope-OrgID', pathPrefix: '/otlp' });
  }

  /** Any OTLP endpoint that accepts logs. */
  public static otlp(endpoint: string, options: BackendOptions = {}): LogsBackend {
    return new LogsBackend({ kind: 'otlp', endpoint, protocol: options.protocol ?? OtlpProtocol.GRPC, tenantHeader: options.tenantHeader });
  }

  private constructor(
    /** The resolved backend. */
    public readonly backend: ResolvedBackend,
  ) {}
}

/** Where traces go. */
export class TracesBackend {
  /** Grafana Tempo's distributor (OTLP), one tenant per `X-Scope-OrgID`. */
  public static tempo(endpoint: string, options: BackendOptions = {}): TracesBackend {
    return new TracesBackend({ kind: 'tempo', endpoint, protocol: options.protocol ?? OtlpProtocol.GRPC, tenantHeader: options.tenantHeader ?? 'X-Scope-OrgID' });
  }

  /** Jaeger's collector (OTLP) with multi-tenancy enabled, one tenant per `x-tenant`. */
  public static jaeger(endpoint: string, options: BackendOptions = {}): TracesBackend {
    return new TracesBackend({ kind: 'jaeger', endpoint, protocol: options.protocol ?? OtlpProtocol.GRPC, tenantHeader: options.tenantHeader ?? 'x-tenant' });
  }

  /** Any OTLP endpoint that accepts traces. */
  public static otlp(endpoint: string, options: BackendOptions = {}): TracesBackend {
    return new TracesBackend({ kind: 'otlp', endpoint, protocol: options.protocol ?? OtlpProtocol.GRPC, tenantHeader: options.tenantHeader });
  }

  private constructor(
    /** The resolved backend. */
    public readonly backend: ResolvedBackend,
  ) {}
}

/** Where the global gateway lives. */
export interface TelemetryGatewayProps {
  /** Cluster that hosts the global gateway. */
  readonly cluster: string;
  /**
   * Namespace of the global gateway.
   * @default 'telemetry-global'
   */
  readonly namespace?: string;
  /**
   * Replicas of the global gateway.
   * @default 2
   */
  readonly replicas?: number;
}

/** Which tier exports to the backends. */
export class TelemetryTier {
  /**
   * A global gateway in one cluster: every member's gateway sends to it over its clusterset name
   * (`otel-global-collector.<namespace>.svc.clusterset.local`, exported with an mcs-api ServiceExport), and it
   * routes per tenant to the backends.
   */
  public static gateway(props: TelemetryGatewayProps): TelemetryTier {
    return new TelemetryTier('gateway', props);
  }

  /** No global tier: every member's gateway routes per tenant and exports straight to the backends. */
  public static direct(): TelemetryTier {
    return new TelemetryTier('direct');
  }

  private constructor(
    /** Global gateway or direct export. */
    public readonly kind: 'gateway' | 'direct',
    /** The global gateway (gateway tier only). */
    public readonly props?: TelemetryGatewayProps,
  ) {}
}

/** The backends of the platform. */
export interface TelemetryBackends {
  /**
   * Where logs go.
   * @default - no logs (apps may not declare `logs`)
   */
  readonly logs?: LogsBackend;
  /**
   * Where traces go.
   * @default - no traces (apps may not declare `tracing` without their own endpoint)
   */
  readonly traces?: TracesBackend;
}

/** Platform telemetry: OpenTelemetry collectors across the fleet. */
export interface TelemetryProps {
  /** Which tier exports to the backends. */
  readonly globalTier: TelemetryTier;
  /** Where logs and traces go (at least one). */
  readonly backends: TelemetryBackends;
  /**
   * Clusters with collectors.
   * @default - every cloud cluster
   */
  readonly clusters?: ClusterSelector;
  /**
   * Namespace of each member's collectors.
   * @default 'telemetry'
   */
  readonly namespace?: string;
  /**
   * Collector image (an otelcol-contrib or otelcol-k8s build: filelog, k8sattributes, routing and the OTLP exporters).
   * @default 'otel/opentelemetry-collector-contrib:0.158.0' (through the platform registry)
   */
  readonly image?: string;
  /**
   * Replicas of each member's gateway.
   * @default 2
   */
  readonly gatewayReplicas?: number;
  /**
   * Percentage of requests Istio traces in meshed tenants that set no `telemetry.tracingSampling` (0-100).
   * @default 1
   */
  readonly meshTracingSampling?: number;
}

/** How an app's log lines are parsed. */
export class LogFormat {
  /** Each line is a JSON object; its fields become log attributes. */
  public static json(options: { readonly timestampField?: string; readonly severityField?: string } = {}): LogFormat {
    return new LogFormat('json', undefined, options.timestampField, options.severityField);
  }

  /**
   * Each line matches a regular expression (Go RE2 syntax) with named groups, `(?P<name>...)` or `(?<name>...)`;
   * the groups become log attributes.
   */
  public static regex(pattern: string, options: { readonly timestampField?: string; readonly severityField?: string } = {}): LogFormat {
    return new LogFormat('regex', pattern, options.timestampField, options.severityField);
  }

  /** Lines are kept as they are (the body). */
  public static plain(): LogFormat {
    return new LogFormat('plain');
  }

  private constructor(
    /** json, regex or plain. */
    public readonly kind: 'json' | 'regex' | 'plain',
    /** The regex (regex only). */
    public readonly pattern?: string,
    /** Field holding the record's time (RFC 3339). */
    public readonly timestampField?: string,
    /** Field holding the record's severity. */
    public readonly severityField?: string,
  ) {}
}

/** An app's container logs, collected by each node's agent. */
export interface AppLogs {
  /**
   * Line format.
   * @default LogFormat.plain()
   */
  readonly format?: LogFormat;
  /**
   * Multiline records: a regex (RE2) matching the first line of each record; following lines are appended.
   * @default - every line is a record
   */
  readonly multilineStart?: string;
  /**
   * Regexes (RE2); lines matching any are dropped (health checks, noisy debug lines).
   * @default - none
   */
  readonly exclude?: string[];
  /**
   * Containers whose logs are collected.
   * @default - the main container
   */
  readonly containers?: string[];
}

/** Languages the OpenTelemetry operator auto-instruments. */
export enum InstrumentationLanguage {
  JAVA = 'java',
  NODEJS = 'nodejs',
  PYTHON = 'python',
  /** eBPF: needs a privileged sidecar, so the tenant must allow privileged pods, and `executable`. */
  GO = 'go',
  DOTNET = 'dotnet',
}

/** An app's traces. */
export interface AppTracing {
  /**
   * Percentage of root spans the app's SDK samples (0-100); child spans follow their parent's decision.
   * @default 10
   */
  readonly sampling?: number;
  /**
   * Inject the OpenTelemetry SDK into the app's pods (an Instrumentation and the operator's pod annotation).
   * @default - the app exports spans itself, to OTEL_EXPORTER_OTLP_ENDPOINT
   */
  readonly autoInstrumentation?: InstrumentationLanguage;
  /**
   * Path of the binary to instrument (Go only: `instrumentation.opentelemetry.io/otel-go-auto-target-exe`).
   * @default - required for Go
   */
  readonly executable?: string;
  /**
   * OTLP endpoint the app sends spans to (a URL), for a platform without telemetry.
   * @default - the node agent of the platform's telemetry
   */
  readonly endpoint?: string;
}

/** The telemetry objects of one member cluster's output. */
export interface TelemetryResources {
  /** The node agent (OpenTelemetryCollector, DaemonSet mode). */
  readonly agent: ApiObject;
  /** The member's gateway (OpenTelemetryCollector, Deployment mode). */
  readonly gateway: ApiObject;
  /** Everything, in manifest order. */
  readonly objects: ApiObject[];
}
