/**
 * The collector configurations: the node agent (OTLP from the node's pods and container log files, Kubernetes
 * metadata, the cluster, region and tenant), a member's gateway (forwarding to the global gateway, or exporting),
 * and the exporting tier's per-tenant routing. Component names and keys follow opentelemetry-collector-contrib.
 */
import { OtlpProtocol, ResolvedBackend } from '../../model/telemetry';
import { LogSource, logReceiver, logReceiverId } from './logs';

/** A pipeline as in `service.pipelines`. */
export interface PipelineConfig {
  readonly receivers: string[];
  readonly processors?: string[];
  readonly exporters: string[];
}

/** A collector configuration (`spec.config` of an OpenTelemetryCollector). */
export interface CollectorConfig {
  readonly receivers: Record<string, unknown>;
  readonly processors?: Record<string, unknown>;
  readonly exporters: Record<string, unknown>;
  readonly connectors?: Record<string, unknown>;
  readonly extensions?: Record<string, unknown>;
  readonly service: { readonly extensions?: string[]; readonly pipelines: Record<string, PipelineConfig>; readonly telemetry?: Record<string, unknown> };
}

/** The resource attribute every record carries: its tenant (the namespace it came from). */
export const TENANT_ATTRIBUTE = 'tenant';
/** Port of the collectors' own metrics. */
export const METRICS_PORT = 8888;

/** What gets exported, and the tenants routed. */
export interface ExportIntent {
  readonly tenants: readonly string[];
  readonly logs?: ResolvedBackend;
  readonly traces?: ResolvedBackend;
}

/** The node agent of one cluster. */
export interface AgentIntent {
  readonly cluster: string;
  readonly region?: string;
  /** `host:port` of the member's gateway (gRPC). */
  readonly gateway: string;
  readonly logs: boolean;
  readonly traces: boolean;
  readonly sources: readonly LogSource[];
}

const OTLP_RECEIVER = { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } };
const MEMORY_LIMITER = { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 };
const BATCH = { send_batch_size: 8192, timeout: '5s' };
const SERVICE_TELEMETRY = { metrics: { readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: METRICS_PORT } } } }] } };

/** Attributes a sender could set to pass for another pod or tenant: dropped, then derived from the connection. */
const SPOOFABLE = ['k8s.pod.uid', 'k8s.pod.name', 'k8s.pod.ip', 'k8s.namespace.name', TENANT_ATTRIBUTE, 'cluster', 'region'];

/** The node agent: every record gets its pod's metadata, `cluster`, `region` and `tenant`, then goes to the gateway. */
export function agentConfig(a: AgentIntent): CollectorConfig {
  const enrich = ['memory_limiter', 'k8sattributes', 'resource/identity', 'batch'];
  const fromPods = ['memory_limiter', 'resource/untrusted', 'k8sattributes', 'resource/identity', 'batch'];
  const receivers: Record<string, unknown> = { otlp: OTLP_RECEIVER };
  const pipelines: Record<string, PipelineConfig> = {};
  if (a.traces) pipelines.traces = { receivers: ['otlp'], processors: fromPods, exporters: ['otlp/gateway'] };
  if (a.logs) {
    pipelines['logs/otlp'] = { receivers: ['otlp'], processors: fromPods, exporters: ['otlp/gateway'] };
    if (a.sources.length) {
      for (const s of a.sources) receivers[logReceiverId(s)] = logReceiver(s);
      pipelines['logs/files'] = { receivers: a.sources.map(logReceiverId), processors: enrich, exporters: ['otlp/gateway'] };
    }
  }
  return {
    receivers,
    processors: {
      memory_limiter: MEMORY_LIMITER,
      'resource/untrusted': { attributes: SPOOFABLE.map((key) => ({ key, action: 'delete' })) },
      k8sattributes: {
        auth_type: 'serviceAccount',
        extract: {
          metadata: ['k8s.namespace.name', 'k8s.pod.name', 'k8s.pod.uid', 'k8s.deployment.name', 'k8s.statefulset.name', 'k8s.node.name'],
          labels: [{ tag_name: 'app', key: 'app.kubernetes.io/name', from: 'pod' }, { tag_name: 'version', key: 'app.kubernetes.io/version', from: 'pod' }],
        },
        // Log files name their pod (the container parser sets k8s.pod.uid); OTLP senders are known by their address.
        pod_association: [{ sources: [{ from: 'resource_attribute', name: 'k8s.pod.uid' }] }, { sources: [{ from: 'connection' }] }],
      },
      'resource/identity': {
        attributes: [
          { key: 'cluster', value: a.cluster, action: 'upsert' },
          ...(a.region ? [{ key: 'region', value: a.region, action: 'upsert' }] : []),
          { key: TENANT_ATTRIBUTE, from_attribute: 'k8s.namespace.name', action: 'upsert' },
          { key: 'service.name', from_attribute: 'app', action: 'insert' },
        ],
      },
      batch: BATCH,
    },
    exporters: { 'otlp/gateway': { endpoint: a.gateway, tls: { insecure: true } } },
    service: { pipelines, telemetry: SERVICE_TELEMETRY },
  };
}

/** A member's gateway in the gateway tier: everything goes on to the global gateway (`host:port`). */
export function forwardingGatewayConfig(globalGateway: string, signals: { logs: boolean; traces: boolean }): CollectorConfig {
  const pipelines: Record<string, PipelineConfig> = {};
  for (const signal of ['logs', 'traces'] as const) {
    if (signals[signal]) pipelines[signal] = { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlp/global'] };
  }
  return {
    receivers: { otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' } } } },
    processors: { memory_limiter: MEMORY_LIMITER, batch: BATCH },
    exporters: { 'otlp/global': { endpoint: globalGateway, tls: { insecure: true }, sending_queue: { enabled: true }, retry_on_failure: { enabled: true } } },
    service: { pipelines, telemetry: SERVICE_TELEMETRY },
  };
}

/** The exporting tier (a member's gateway in the direct tier, or the global gateway): per-tenant routing to the backends. */
export function exportingGatewayConfig(e: ExportIntent): CollectorConfig {
  const exporters: Record<string, unknown> = {};
  const connectors: Record<string, unknown> = {};
  const pipelines: Record<string, PipelineConfig> = {};
  for (const [signal, backend] of [['logs', e.logs], ['traces', e.traces]] as const) {
    if (!backend) continue;
    const processors = ['memory_limiter', 'batch'];
    if (e.tenants.length === 0) {
      // No tenant yet: nothing may leave (records of other namespaces are never exported).
      exporters.nop = {};
      pipelines[signal] = { receivers: ['otlp'], processors, exporters: ['nop'] };
      continue;
    }
    const router = `routing/${signal}`;
    connectors[router] = {
      table: e.tenants.map((t) => ({ context: 'resource', condition: `attributes["${TENANT_ATTRIBUTE}"] == "${t}"`, pipelines: [`${signal}/${t}`] })),
    };
    pipelines[`${signal}/in`] = { receivers: ['otlp'], processors, exporters: [router] };
    for (const t of e.tenants) {
      const id = exporterId(signal, backend, t);
      exporters[id] ??= exporterConfig(backend, t);
      pipelines[`${signal}/${t}`] = { receivers: [router], exporters: [id] };
    }
  }
  return {
    receivers: { otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' } } } },
    processors: { memory_limiter: MEMORY_LIMITER, batch: BATCH },
    exporters,
    ...(Object.keys(connectors).length ? { connectors } : {}),
    service: { pipelines, telemetry: SERVICE_TELEMETRY },
  };
}

/** One exporter per tenant when the backend reads the tenant from a header; one shared exporter otherwise. */
function exporterId(signal: string, b: ResolvedBackend, tenant: string): string {
  const type = b.protocol === OtlpProtocol.HTTP ? 'otlphttp' : 'otlp';
  return b.tenantHeader ? `${type}/${signal}-${tenant}` : `${type}/${signal}`;
}

/** An OTLP exporter to a backend; a plain `http://` endpoint means no TLS. */
function exporterConfig(b: ResolvedBackend, tenant: string): Record<string, unknown> {
  const headers = b.tenantHeader ? { headers: { [b.tenantHeader]: tenant } } : {};
  const plain = b.endpoint.startsWith('http://');
  const common = { ...headers, sending_queue: { enabled: true }, retry_on_failure: { enabled: true } };
  if (b.protocol === OtlpProtocol.HTTP) {
    return { endpoint: `${b.endpoint.replace(/\/+$/, '')}${b.pathPrefix ?? ''}`, ...common };
  }
  // gRPC takes host:port; the scheme only says whether TLS is used.
  return { endpoint: b.endpoint.replace(/^[a-z]+:\/\//, '').replace(/\/+$/, ''), tls: { insecure: plain }, ...common };
}
