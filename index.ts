/**
 * fleetplane: typed infrastructure-as-code for distributed cloud-native platforms.
 *
 * The public API, listed name by name: constructs, the value types their props use, the validation error,
 * and the outputs. Everything else (engines, bindings, helpers) is internal and may change.
 * @packageDocumentation
 */

// Constructs
export { DistributedPlatform, appOf } from './constructs/distributed-platform';
export type { DistributedPlatformProps } from './constructs/distributed-platform';
export { Tenant } from './constructs/tenant';
export type { TenantProps } from './constructs/tenant';
export { FederatedApp } from './constructs/federated-app';
export type { FederatedAppProps } from './constructs/federated-app-props';
export { MeshedService } from './constructs/meshed-service';
export type { MeshedServiceProps } from './constructs/meshed-service';
export type { FleetMonitoring } from './constructs/fleet-monitoring';
export type { FleetTelemetry } from './constructs/fleet-telemetry';
export { EdgeNodeGroup } from './constructs/edge-node-group';
export type { EdgeNodeGroupProps } from './constructs/edge-node-group';
export { EdgeApp } from './constructs/edge-app';
export type { EdgeAppProps, NodeGroupTarget } from './constructs/edge-app';
export { BatchQueue } from './constructs/batch-queue';
export type { BatchQueueProps } from './constructs/batch-queue';
export { BatchJob } from './constructs/batch-job';
export type { BatchJobProps, PyTorchJobOptions, SparkJobOptions } from './constructs/batch-job';
export { CrossClusterService } from './constructs/cross-cluster-service';
export type { CrossClusterServiceProps } from './constructs/cross-cluster-service';
export { MultiClusterIngress } from './constructs/multi-cluster-ingress';
export type { MultiClusterIngressProps, MultiClusterIngressRule } from './constructs/multi-cluster-ingress';

// Value types of the props
export { ClusterRole, SyncMode, TaintEffect } from './model/cluster';
export type { ClusterRegistration, ClusterSelector, ClusterTaint, EastWestGatewayAddress, ClusterToleration, MemberClusterProps, SecretReference } from './model/cluster';
export type { PlatformDefaults, SubmarinerProps } from './model/platform';
export { GitOpsTool } from './model/gitops';
export { ProgressiveDelivery } from './model/progressive';
export { RolloutState } from './model/rollout';
export type { PlatformRolloutProps, RolloutGateProps, RolloutProps, RolloutStateEntry } from './model/rollout';
export type { RolloutStatus } from './constructs/private/app-rollout';
export type { AnalysisProps, BlueGreenAnalysisProps, CanaryAnalysisProps } from './model/progressive';
export type { GitOpsDestination, GitOpsProps } from './model/gitops';
export { ImageTagPolicy } from './model/platform';
export { Placement, SpreadField } from './model/placement';
export type { FallbackGroup, SpreadConstraint } from './model/placement';
export { Distribution, DistributionKind } from './model/distribution';
export type { WeightRule } from './model/distribution';
export type { ClusterOverride, ImageOverride, JsonPatchOperation, OverrideValues } from './model/overrides';
export { EnvValue, PodSecurityLevel, Probe, Protocol } from './model/workload';
export type { AppPort, PortProbeOptions, ProbeOptions, ResourceRange, ResourceRequirements } from './model/workload';
export { PurgeMode, WorkloadKind } from './model/app';
export type {
  AppResources, AutoscalingProps, CanaryProps, DisruptionBudgetProps, FailoverProps, ScalingPolicy, ScalingRules,
  ScalingSchedule, StorageProps,
} from './model/app';
export type { ContainerLimits, FederatedQuota, MeshTelemetry, QuotaLimits, TenantResources } from './model/tenancy';
export { MtlsMode } from './model/mesh';
export type { IngressGatewayProps, MeshInstallValues, MeshProps } from './model/mesh';
export { LoadBalancer, LocalityFailover, MeshCaller, Traffic } from './model/traffic';
export type { AllowFromOptions } from './constructs/private/app-checks-access';
export type {
  AllowOptions, ConnectionPool, ExternalHost, FaultInjection, HttpRoute, IngressProps, LocalityWeights, MeshResources,
  MirrorPolicy, OutlierDetection, RetryPolicy, RouteMatch,
} from './model/traffic';
export { GlobalTier, MonitoringPrerequisites, SloKind } from './model/monitoring';
export { InstrumentationLanguage, LogFormat, LogsBackend, OtlpProtocol, TelemetryTier, TracesBackend } from './model/telemetry';
export type {
  AppLogs, AppTracing, BackendOptions, ResolvedBackend, TelemetryBackends, TelemetryGatewayProps, TelemetryProps, TelemetryResources,
} from './model/telemetry';
export type {
  AlertReceiver, AlertRouting, AppMetrics, GlobalTierProps, MonitoringProps, MonitoringResources, RuleGroupSpec, RuleSpec,
  SecretKeyRef, Slo,
} from './model/monitoring';
export type { GeneratedPrerequisitesProps, InstalledPrerequisitesProps } from './model/monitoring';
export { AlertSeverity, GrpcCode, MetricSignals, PanelType, PanelUnit, SignalKind } from './model/monitoring-signals';
export type { AlertingRule, DashboardPanel, GrpcSignalProps, HttpSignalProps, RecordingRule } from './model/monitoring-signals';
export { JobAction, JobEvent } from './model/batch';
export type { BatchTask, JobPlugins, LifecyclePolicy } from './model/batch';
export type { KubeApiEgress, SparkPodResources } from './model/batch';
export { CrossClusterBackend } from './model/multicluster';

// The platform as constructs see it, apply targets and labels
export type { MonitoringContext, PlatformContext, ResolvedDefaults, ResolvedMesh, ResolvedSubmariner, TelemetryContext, TelemetryLogSource, TelemetryLogWorkload } from './core/context';
export { ApplyTarget, DeliveryMode, TargetKind } from './core/target';
export { LABEL_TRACK } from './core/labels';
export type { Fleet } from './core/fleet';

// Problems
export { PlatformValidationError, Severity, formatProblem } from './core/problems';
export type { Problem } from './core/problems';

// Images and quantities
export { MUTABLE_TAGS, formatImage, parseImage } from './core/image';
export { isQuantity, parseQuantity } from './core/quantity';
export type { ImageParts } from './core/image';

// Outputs
export { FleetApp } from './outputs/fleet-app';
export type { FleetAppProps } from './outputs/fleet-app';
export { toYaml } from './outputs/yaml';
export { escapeHelmTemplate, helmCharts, writeHelmCharts } from './outputs/helm';
export type { HelmChart, HelmChartOptions } from './outputs/helm';
export { synthesizeTargets } from './outputs/synthesize';
export { checkReachability } from './outputs/reachability';
export type { DeclaredPathKind, ReachabilityDecider, ReachabilityEntry, ReachabilityReport } from './model/reachability';
export { pruneCommands } from './outputs/prune';
export { diffOutputs, diffValues, formatDiff } from './outputs/diff';
export type { FieldChange, FileDiff, ObjectChange, OutputDiff, SummaryItem, SummaryTopic } from './outputs/diff';
export { parseManifests, readManifestDir } from './outputs/manifests';
export type { Manifest, ManifestFile } from './outputs/manifests';
export { buildTopology } from './outputs/topology';
export type {
  CrossClusterLink, FailoverEdge, MonitoringNode, PlatformTopology, TopologyApp, TopologyCluster, TopologyTenant, TrafficEdge,
} from './outputs/topology';
export { renderTopologySvg } from './outputs/topology-svg';
export { renderTopologyMermaid } from './outputs/topology-mermaid';
export { collectPlatformFacts } from './outputs/report';
export type { AppFacts, ClusterFacts, CrossClusterFacts, PlatformFacts, ReportedProblem, RolloutFacts, SynthReport } from './outputs/report';
export type { PruneCommand, PruneOptions } from './outputs/prune';
export type { TargetOutput } from './outputs/synthesize';
