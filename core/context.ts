/**
 * What constructs read about their platform. Constructs depend on this interface, not on the
 * DistributedPlatform class, so the construct files import each other in one direction only.
 */
import { IConstruct } from 'constructs';
import { ClusterSelector } from '../model/cluster';
import { IngressGatewayProps, MtlsMode } from '../model/mesh';
import { PlatformDefaults } from '../model/platform';
import { DeclaredPath } from '../model/reachability';
import { RolloutGateProps, RolloutState } from '../model/rollout';
import { DeliveryEngine } from './delivery';
import { Fleet } from './fleet';
import { PlatformValidationError, Problem, Severity } from './problems';
import { ApplyTarget, DeliveryMode } from './target';

/** The mesh with every default resolved. */
export interface ResolvedMesh {
  readonly meshId: string;
  readonly clusterNames: readonly string[];
  readonly primaries: readonly string[];
  readonly trustDomain: string;
  readonly revision?: string;
  readonly istioCni: boolean;
  readonly privilegedSidecarInit: boolean;
  readonly mtls: MtlsMode;
  readonly defaultDeny: boolean;
  readonly ingressGateway: Required<IngressGatewayProps>;
  /** Network of each mesh cluster. */
  readonly networks: Readonly<Record<string, string>>;
  /** More than one network: east-west gateways are needed. */
  readonly multiNetwork: boolean;
}

/** Defaults with every field resolved. */
export type ResolvedDefaults = Required<Omit<PlatformDefaults, 'imageRegistry'>> & Pick<PlatformDefaults, 'imageRegistry'>;

/** Something that reports problems to the platform at validation time (not part of the public API). */
export interface IProblemSource {
  _problems(): Problem[];
  /** Connections the construct declares, for the reachability check. */
  _declaredPaths?(): DeclaredPath[];
}

/** Submariner with defaults resolved: joined clusters and their cluster IDs. */
export interface ResolvedSubmariner {
  /** Cluster hosting the Submariner broker. */
  readonly broker: string;
  /** Cluster ID of every joined cluster, by cluster name. */
  readonly clusterIds: Readonly<Record<string, string>>;
  /** Globalnet: overlapping pod and service CIDRs are allowed. */
  readonly globalnet: boolean;
}

/** The monitoring tiers as the rest of the platform sees them. */
export interface MonitoringContext {
  /** Namespace of member Prometheus. */
  readonly namespace: string;
  /** Labels every monitoring object carries and every Prometheus selects. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Grafana sidecar dashboard label. */
  readonly dashboardLabel: Readonly<Record<string, string>>;
  /** Monitored member clusters. */
  readonly clusterNames: readonly string[];
  /** Evaluation interval. */
  readonly interval: string;
  /** Runbook base URL. */
  readonly runbookBaseUrl: string;
}

/** The platform-wide rollout, checked. */
export interface ResolvedRollout {
  readonly waves: readonly (readonly string[])[];
  readonly gate?: RolloutGateProps | false;
  readonly state: RolloutState;
}

/** The platform as its constructs see it. DistributedPlatform implements it. */
export interface PlatformContext extends IConstruct {
  /** Platform name. */
  readonly platformName: string;
  /** Delivery mode. */
  readonly delivery: DeliveryMode;
  /** How objects reach the clusters in this mode. */
  readonly deliveryEngine: DeliveryEngine;
  /** The member-cluster inventory. */
  readonly fleet: Fleet;
  /** Resolved platform-wide defaults. */
  readonly defaults: ResolvedDefaults;
  /** Apply targets, control plane first. */
  readonly targets: readonly ApplyTarget[];
  /** The Karmada control-plane target (karmada mode only). */
  readonly controlPlane?: ApplyTarget;
  /** The mesh, if any. */
  readonly mesh?: ResolvedMesh;
  /** The monitoring tiers, if any. */
  readonly monitoring?: MonitoringContext;
  /** Submariner, if declared. */
  readonly submariner?: ResolvedSubmariner;
  /** Platform-wide rollout waves and recorded promotions, if declared. */
  readonly rollout?: ResolvedRollout;
  /** Labels every object of the platform carries. */
  readonly labels: Record<string, string>;
  /** The direct-mode target of a member cluster. */
  memberTarget(cluster: string): ApplyTarget | undefined;
  /** Cluster names matched by a selector. */
  clusterNames(selector?: ClusterSelector): string[];
  /** Registers a construct whose problems are reported at validation. @internal */
  _register(source: IProblemSource): void;
  /** A tenant wrote objects into these targets (GitOps gives it a delivery unit in each). @internal */
  _addTenantUnits(namespace: string, targetNames: readonly string[]): void;
}

/** Marks the construct that provides the {@link PlatformContext} of everything below it. @internal */
export const PLATFORM_CONTEXT = Symbol.for('fleetplane.PlatformContext');

/** The platform a construct belongs to; a typed FP-SCOPE error when there is none. @internal */
export function platformOf(construct: IConstruct): PlatformContext {
  for (const scope of [...construct.node.scopes].reverse()) {
    if ((scope as unknown as Record<symbol, unknown>)[PLATFORM_CONTEXT] === true) return scope as unknown as PlatformContext;
  }
  throw new PlatformValidationError([
    {
      severity: Severity.ERROR,
      rule: 'FP-SCOPE',
      path: construct.node.path,
      prop: 'scope',
      value: construct.node.path,
      message: 'this construct must be created inside a DistributedPlatform (or one of its tenants).',
      fix: 'pass a DistributedPlatform or a Tenant as the scope.',
    },
  ]);
}
