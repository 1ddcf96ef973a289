import { Duration, ApiObject } from 'cdk8s';

/** The kind of workload. */
export enum WorkloadKind {
  /** Stateless replicas. */
  DEPLOYMENT = 'Deployment',
  /** Replicas with stable identity and per-replica storage. */
  STATEFUL_SET = 'StatefulSet',
}

/** What Karmada does with the old copy after application failover. */
export enum PurgeMode {
  /** Delete the old copy once the new one is healthy, after a grace period. */
  GRACEFULLY = 'Gracefully',
  /** Delete the old copy at once. */
  DIRECTLY = 'Directly',
  /** Keep the old copy. */
  NEVER = 'Never',
}

/** Application failover: move the app away from a cluster where it stays unhealthy. */
export interface FailoverProps {
  /**
   * How long the app may be unhealthy before it is moved.
   * @default Duration.seconds(300)
   */
  readonly toleration?: Duration;
  /**
   * What happens to the old copy.
   * @default PurgeMode.GRACEFULLY
   */
  readonly purgeMode?: PurgeMode;
  /**
   * With PurgeMode.GRACEFULLY: the longest wait before the old copy is deleted.
   * @default Duration.seconds(600)
   */
  readonly gracePeriod?: Duration;
}

/** One scaling policy of a direction. */
export interface ScalingPolicy {
  /** Pods or Percent. */
  readonly type: 'Pods' | 'Percent';
  /** Amount per period (> 0). */
  readonly value: number;
  /** Period (1-1800 s). */
  readonly period: Duration;
}

/** Scaling behaviour in one direction. */
export interface ScalingRules {
  /**
   * Stabilization window (0-3600 s).
   * @default - Kubernetes default (0 up, 300 s down)
   */
  readonly stabilizationWindow?: Duration;
  /**
   * Policies.
   * @default - Kubernetes defaults
   */
  readonly policies?: ScalingPolicy[];
  /**
   * Which policy wins.
   * @default 'Max'
   */
  readonly selectPolicy?: 'Max' | 'Min' | 'Disabled';
}

/** A scheduled change of the autoscaler's bounds (CronFederatedHPA rule). */
export interface ScalingSchedule {
  /** Rule name (1-32 characters, unique). */
  readonly name: string;
  /** Cron expression, e.g. `0 8 * * 1-5`. */
  readonly schedule: string;
  /**
   * New minimum.
   * @default - unchanged
   */
  readonly minReplicas?: number;
  /**
   * New maximum.
   * @default - unchanged
   */
  readonly maxReplicas?: number;
  /**
   * IANA time zone of the schedule.
   * @default - UTC
   */
  readonly timeZone?: string;
}

/** Fleet-wide autoscaling (Karmada FederatedHPA; a per-cluster HPA in direct mode). */
export interface AutoscalingProps {
  /** Lower bound of replicas over the fleet (≥ 1). */
  readonly minReplicas: number;
  /** Upper bound of replicas over the fleet. */
  readonly maxReplicas: number;
  /**
   * Target average CPU utilization, percent of requests.
   * @default 80 when no memory target is given
   */
  readonly cpuUtilization?: number;
  /**
   * Target average memory utilization, percent of requests.
   * @default - no memory target
   */
  readonly memoryUtilization?: number;
  /**
   * Scale-up behaviour.
   * @default - Kubernetes defaults
   */
  readonly scaleUp?: ScalingRules;
  /**
   * Scale-down behaviour.
   * @default - Kubernetes defaults
   */
  readonly scaleDown?: ScalingRules;
  /**
   * Scheduled bound changes (karmada mode only).
   * @default - none
   */
  readonly schedules?: ScalingSchedule[];
}

/** Persistent storage per replica (StatefulSet volume claim template). */
export interface StorageProps {
  /** Size, e.g. `10Gi`. */
  readonly size: string;
  /** Where to mount it in the main container. */
  readonly mountPath: string;
  /**
   * Storage class.
   * @default - the cluster default
   */
  readonly storageClass?: string;
}

/** A budget of voluntary disruptions. Give one of the two. */
export interface DisruptionBudgetProps {
  /**
   * Pods that may be down at once (number or percentage).
   * @default 1
   */
  readonly maxUnavailable?: number | string;
  /**
   * Pods that must stay up (number or percentage).
   * @default - use maxUnavailable
   */
  readonly minAvailable?: number | string;
}

/** A second version of the app running beside the stable one, for canary and blue/green traffic. */
export interface CanaryProps {
  /** Version name (a DNS-1123 label such as `v2`); the workload is `<app>-<version>`. */
  readonly version: string;
  /**
   * Image of the canary.
   * @default - the app image with the tag replaced by `version`
   */
  readonly image?: string;
  /**
   * Canary replica count over the fleet, divided like the app's replicas.
   * @default 1
   */
  readonly replicas?: number;
}

/** The objects an app emits into one target. Every one is an ApiObject: use `addJsonPatch` for escape hatches. */
export interface AppResources {
  readonly workload?: ApiObject;
  readonly canaryWorkload?: ApiObject;
  readonly service?: ApiObject;
  readonly headlessService?: ApiObject;
  readonly serviceAccount: ApiObject;
  readonly disruptionBudget?: ApiObject;
  readonly configMaps: ApiObject[];
  /** With `metrics`: ServiceMonitor or PodMonitor, PrometheusRule and dashboard ConfigMap. */
  readonly monitoringObjects?: ApiObject[];
  /** With `tracing.autoInstrumentation`: the Instrumentation the operator injects the SDK from. */
  readonly telemetryObjects?: ApiObject[];
  readonly propagationPolicy?: ApiObject;
  readonly overridePolicy?: ApiObject;
  readonly federatedHpa?: ApiObject;
  readonly cronFederatedHpa?: ApiObject;
  readonly horizontalPodAutoscaler?: ApiObject;
  /** An autoscaled app's canary: its own FederatedHPA (karmada mode), bounds following its traffic share. */
  readonly canaryFederatedHpa?: ApiObject;
  /** An autoscaled app's canary: its CronFederatedHPA, when the app has schedules. */
  readonly canaryCronFederatedHpa?: ApiObject;
  /** An autoscaled app's canary: its HorizontalPodAutoscaler in this member (direct mode). */
  readonly canaryHorizontalPodAutoscaler?: ApiObject;
}
