/** Checks of the platform's `monitoring` prop, per concern. */
import { GlobalTier, MonitoringPrerequisites, MonitoringProps } from '../../model/monitoring';
import { parseImage } from '../../core/image';
import { ImageTagPolicy } from '../../model/platform';
import { checkImage } from './image-checks';
import { isPromDuration } from '../../core/duration';
import { Fleet } from '../../core/fleet';
import { isDnsLabel, isLabelValue, isQualifiedName } from '../../core/names';
import { ProblemSink } from '../../core/problems';
import { isQuantity } from '../../core/quantity';
import { checkKnownClusters } from './known-clusters';

/** The global tier is given and hosted on a declared cluster; returns whether it is given. */
export function checkGlobalTier(sink: ProblemSink, fleet: Fleet, global: GlobalTier | undefined, policy: ImageTagPolicy): global is GlobalTier {
  if (!(global instanceof GlobalTier)) {
    sink.error('FP-MONITORING', 'monitoring.global', global, 'the global tier is required.', 'use GlobalTier.hierarchical({ cluster }) or GlobalTier.thanos({ cluster }).');
    return false;
  }
  checkKnownClusters(sink, fleet, 'monitoring.global.cluster', [global.props?.cluster], 'host the global tier on a declared cluster.');
  if (global.props?.image !== undefined) checkImage(sink, 'monitoring.global.image', global.props.image, policy, 'quay.io/thanos/thanos:v0.39.2');
  return true;
}

/** Monitored clusters: known, and at least one. */
export function checkMonitoredClusters(sink: ProblemSink, fleet: Fleet, props: MonitoringProps, clusterNames: readonly string[]): void {
  checkKnownClusters(sink, fleet, 'monitoring.clusters', Fleet.namesIn(props.clusters));
  if (clusterNames.length === 0) sink.error('FP-EMPTY-SELECTOR', 'monitoring.clusters', props.clusters, 'no cluster is monitored.', 'select at least one cluster.');
}

/** Namespaces are DNS-1123 labels (rule 1); selector labels are valid and not empty (rules 2, 42). */
export function checkMonitoringNames(
  sink: ProblemSink,
  namespaces: Record<string, string>,
  labelSets: Record<string, Readonly<Record<string, string>>>,
): void {
  for (const [prop, ns] of Object.entries(namespaces)) {
    if (!isDnsLabel(ns)) sink.error('K1', prop, ns, 'not a valid namespace name.', 'use a DNS-1123 label.');
  }
  for (const [prop, labels] of Object.entries(labelSets)) {
    if (Object.keys(labels).length === 0) sink.error('K42', prop, labels, 'an empty selector label makes Prometheus or Grafana silently ignore the objects or select everything.', 'give at least one label, e.g. { release: "kube-prometheus-stack" }.');
    for (const [k, v] of Object.entries(labels)) {
      if (!isQualifiedName(k) || !isLabelValue(v)) sink.error('K2', prop, { [k]: v }, 'invalid label.', 'use a valid label key and value.');
    }
  }
}

/** Retention is a Prometheus duration (rule 41); resources are quantities (rule 8). */
export function checkMonitoringStorage(sink: ProblemSink, props: MonitoringProps): void {
  if (props.retention !== undefined && !isPromDuration(props.retention)) sink.error('K41', 'monitoring.retention', props.retention, 'not a Prometheus duration.', 'use e.g. "15d".');
  for (const [res, range] of Object.entries(props.resources ?? {})) {
    for (const [k, v] of Object.entries(range ?? {})) {
      if (!isQuantity(v as string)) sink.error('K8', `monitoring.resources.${res}.${k}`, v, 'not a Kubernetes quantity.', 'use e.g. "2Gi".');
    }
  }
}

/** Rule 44: each member at its own address, never a round-robin clusterset name. */
export function checkMemberAddresses(sink: ProblemSink, clusterNames: readonly string[], addressOf: (cluster: string) => string): void {
  const seen = new Map<string, string>();
  for (const c of clusterNames) {
    const addr = addressOf(c);
    if (typeof addr !== 'string' || !/^[A-Za-z0-9.-]+:\d+$/.test(addr)) {
      sink.error('K44', 'monitoring.global.memberAddress', addr, `the address of ${c} must be host:port.`, 'return e.g. "prometheus.bj-1.example.com:9090".');
      continue;
    }
    if (seen.has(addr)) sink.error('K44', 'monitoring.global.memberAddress', addr, `${c} and ${seen.get(addr)} have the same federation target, so one cluster's series would hide the other's.`, 'give every member its own address (cluster-pinned name or per-cluster load balancer).');
    if (/^prometheus-operated\.[^.]+\.svc\.clusterset\.local(:\d+)?$/.test(addr)) sink.error('K44', 'monitoring.global.memberAddress', addr, 'a clusterset name round-robins across clusters.', 'use the cluster-pinned name <cluster>.prometheus-operated.<ns>.svc.clusterset.local.');
    seen.set(addr, c);
  }
}

/** Prerequisites are one of the three kinds, with valid images and job names. */
export function checkPrerequisites(sink: ProblemSink, p: MonitoringPrerequisites | undefined): void {
  if (p === undefined) return;
  if (!(p instanceof MonitoringPrerequisites)) {
    sink.error('FP-MONITORING', 'monitoring.prerequisites', p, 'not a MonitoringPrerequisites.', 'use MonitoringPrerequisites.assumeInstalled(), .generate() or .none().');
    return;
  }
  for (const [k, v] of Object.entries({ kubeStateMetricsImage: p.generated?.kubeStateMetricsImage, nodeExporterImage: p.generated?.nodeExporterImage })) {
    if (v !== undefined && !parseImage(v)) sink.error('FP-IMAGE', `monitoring.prerequisites.${k}`, v, 'not a valid image reference.', 'use e.g. "registry.example.com/kube-state-metrics/kube-state-metrics:v2.13.0".');
  }
  for (const [k, v] of Object.entries({ kubeStateMetricsJob: p.installed?.kubeStateMetricsJob, nodeExporterJob: p.installed?.nodeExporterJob })) {
    if (v !== undefined && v !== false && !(typeof v === 'string' && v.length > 0 && !/["\\\n]/.test(v))) {
      sink.error('FP-MONITORING', `monitoring.prerequisites.${k}`, v, 'not a job label value the scrape alert can match.', 'use the job label of the exporter\'s targets, e.g. "kube-state-metrics".');
    }
  }
}
