/**
 * An application as the workload engine sees it: every prop resolved (names, labels, image, defaults of the
 * platform and tenant), nothing left to look up.
 */
import { DisruptionBudgetProps, StorageProps, WorkloadKind } from '../../model/app';
import { AppPort, EnvValue, PodSecurityLevel, Probe, ResourceRequirements } from '../../model/workload';

/** A port with its name, protocol and Service port resolved. */
export type ResolvedPort = Required<Pick<AppPort, 'name' | 'port' | 'protocol' | 'servicePort'>>;

/** The canary version of an app, resolved. */
export interface CanaryIntent {
  /** Workload name, `<app>-<version>`. */
  readonly name: string;
  /** Image of the canary. */
  readonly image: string;
  /** Labels of the canary workload and its pods (the canary's version label). */
  readonly labels: Record<string, string>;
}

/** One application, resolved. */
export interface AppIntent {
  /** Name of the workload, Service and ServiceAccount. */
  readonly name: string;
  /** The tenant namespace. */
  readonly namespace: string;
  /** Deployment or StatefulSet. */
  readonly kind: WorkloadKind;
  /** Labels selecting the app's pods (every version). */
  readonly selectorLabels: Record<string, string>;
  /** Labels of every object of the app (the stable version's label). */
  readonly labels: Record<string, string>;
  /** Image of the main container. */
  readonly image: string;
  /** Name of the main container. */
  readonly containerName: string;
  /** Command of the main container, if set. */
  readonly command?: string[];
  /** Arguments of the main container, if set. */
  readonly args?: string[];
  /** Ports of the main container, all exposed by the Service. */
  readonly ports: readonly ResolvedPort[];
  /** Environment of the main container, in order. */
  readonly env: Readonly<Record<string, EnvValue>>;
  /** Resources of the main container; what it leaves out comes from `defaultResources`. */
  readonly resources?: ResourceRequirements;
  /** The platform's default resources. */
  readonly defaultResources?: ResourceRequirements;
  /** Probes of the main container. */
  readonly liveness?: Probe;
  readonly readiness?: Probe;
  readonly startup?: Probe;
  /** Pod Security Standards level of the tenant namespace. */
  readonly podSecurity: PodSecurityLevel;
  /** User (and group) the pods run as. */
  readonly runAsUser: number;
  /** Mount the root filesystem read-only (with a writable /tmp). */
  readonly readOnlyRootFilesystem: boolean;
  /** Spread pods over zones and nodes inside each cluster. */
  readonly topologySpread: boolean;
  /** Per-replica storage (StatefulSet). */
  readonly storage?: StorageProps;
  /** Annotations of the pod template. */
  readonly podAnnotations?: Record<string, string>;
  /** The canary, if the app has one. */
  readonly canary?: CanaryIntent;
  /** The disruption budget, or undefined for none. */
  readonly disruptionBudget?: DisruptionBudgetProps;
  /** ConfigMaps the app owns: name → data. */
  readonly configMaps: Readonly<Record<string, Record<string, string>>>;
  /**
   * The workload is the target of a Flagger Canary: its pods carry Flagger's selector label, and the Service is
   * the apex Flagger would write (selecting `<app>-primary`), so neither side rewrites the other's.
   * @default - not under Flagger
   */
  readonly flagger?: FlaggerTarget;
}

/** How the workload of an app under Flagger is written. */
export interface FlaggerTarget {
  /** Keep the member's replica count (Karmada's retain label), since Flagger scales the canary. */
  readonly retainReplicas: boolean;
}
