/**
 * Progressive delivery of one service by Flagger with Istio: a MetricTemplate per SLO gate, querying the
 * member's Prometheus for the burn rate of the new version, and the Canary that shifts traffic (or switches it,
 * blue/green) while every gate holds and rolls back after `threshold` failed checks. Flagger writes the
 * VirtualService and DestinationRules itself, with the service's retries, timeout and traffic policy given here.
 */
import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { promDuration } from '../../core/duration';
import { createObject } from '../../core/l1';
import * as flagger from '../../imports/flagger.app';
import * as networking from '../../imports/networking.istio.io';
import { routePolicy, trafficPolicy, RoutingIntent } from './routing';

/** One gate of the analysis: a query returning a burn rate, and its maximum. */
export interface CanaryGateIntent {
  /** The SLO it reads (names the MetricTemplate `<app>-<slo>`). */
  readonly slo: string;
  readonly query: string;
  readonly maxBurnRate: number;
}

/** A service promoted by Flagger, resolved. */
export interface CanaryIntent extends Pick<RoutingIntent, 'retries' | 'timeout' | 'localityFailover' | 'outlierDetection' | 'connectionPool' | 'loadBalancer' | 'localityWeights' | 'regions'> {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly strategy: 'canary' | 'blue-green';
  readonly interval: Duration;
  readonly threshold: number;
  readonly stepWeight: number;
  readonly maxWeight: number;
  readonly iterations: number;
  /** Service port, and the container port name it targets. */
  readonly port: number;
  readonly portName: string;
  /** Gateways (`<ns>/<name>`) and public hosts, when the service is exposed. */
  readonly gateways?: readonly string[];
  readonly hosts?: readonly string[];
  /** The per-cluster HorizontalPodAutoscaler Flagger hands over to the primary, if any. */
  readonly autoscaler?: string;
  /** The member Prometheus the gates query. */
  readonly prometheusAddress: string;
  readonly gates: readonly CanaryGateIntent[];
}

/** Name of a gate's MetricTemplate. */
export function metricTemplateName(intent: Pick<CanaryIntent, 'name'>, slo: string): string {
  return `${intent.name}-${slo}`;
}

/** The MetricTemplates (one per gate), then the Canary. */
export function renderCanary(scope: Construct, intent: CanaryIntent): { canary: ApiObject; metricTemplates: ApiObject[] } {
  const metadata = (name: string) => ({ name, namespace: intent.namespace, labels: intent.labels });
  const metricTemplates = intent.gates.map((g) =>
    createObject(scope, `MetricTemplate-${g.slo}`, flagger.MetricTemplate.GVK, flagger.toJson_MetricTemplateProps, {
      metadata: metadata(metricTemplateName(intent, g.slo)),
      spec: { provider: { type: flagger.MetricTemplateSpecProviderType.PROMETHEUS, address: intent.prometheusAddress }, query: g.query },
    }),
  );
  const interval = promDuration(intent.interval);
  const policy = routePolicy(intent) as { timeout?: string; retries?: { attempts: number; perTryTimeout?: string; retryOn?: string } };
  // Flagger copies this into the DestinationRules it writes: wire field names, as the Istio binding renders them.
  const tp = networking.toJson_DestinationRuleSpecTrafficPolicy(trafficPolicy(intent) as networking.DestinationRuleSpecTrafficPolicy)!;
  // Flagger's schema wants an algorithm beside locality settings: Istio's default, spelled out.
  if (tp.loadBalancer && !tp.loadBalancer.simple && !tp.loadBalancer.consistentHash) tp.loadBalancer = { simple: 'LEAST_REQUEST', ...tp.loadBalancer };
  const withPolicy = (props: flagger.CanaryProps | undefined) => {
    const json = flagger.toJson_CanaryProps(props)!;
    json.spec.service.trafficPolicy = tp;
    return json;
  };
  const canary = createObject(scope, 'Canary', flagger.Canary.GVK, withPolicy, {
    metadata: metadata(intent.name),
    spec: {
      provider: flagger.CanarySpecProvider.ISTIO,
      targetRef: { apiVersion: 'apps/v1', kind: flagger.CanarySpecTargetRefKind.DEPLOYMENT, name: intent.name },
      autoscalerRef: intent.autoscaler ? { apiVersion: 'autoscaling/v2', kind: flagger.CanarySpecAutoscalerRefKind.HORIZONTAL_POD_AUTOSCALER, name: intent.autoscaler } : undefined,
      progressDeadlineSeconds: 600,
      service: {
        port: intent.port,
        portName: intent.portName,
        targetPort: intent.portName,
        gateways: intent.gateways ? [...intent.gateways, 'mesh'] : undefined,
        hosts: intent.hosts ? [...intent.hosts] : undefined,
        timeout: policy.timeout,
        retries: policy.retries,
      },
      analysis: {
        interval,
        threshold: intent.threshold,
        ...(intent.strategy === 'canary' ? { stepWeight: intent.stepWeight, maxWeight: intent.maxWeight } : { iterations: intent.iterations }),
        metrics: intent.gates.map((g) => ({
          name: `${g.slo}-burn-rate`,
          templateRef: { name: metricTemplateName(intent, g.slo), namespace: intent.namespace },
          thresholdRange: { max: g.maxBurnRate },
          interval,
        })),
      },
    },
  });
  return { canary, metricTemplates };
}
