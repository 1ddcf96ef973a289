/**
 * GitOps delivery as the engines see it: the repository, and the delivery units (one directory of one apply
 * target each) with where they are applied. The order between units is computed from the synthesized objects,
 * so it is read when the app is synthesized.
 */
import { Duration } from 'cdk8s';

/** Where a unit is applied, resolved. */
export interface ResolvedDestination {
  /** Argo CD cluster name (when no server). */
  readonly name?: string;
  /** Argo CD API server URL. */
  readonly server?: string;
  /** Flux kubeconfig Secret. */
  readonly kubeConfigSecret: string;
  /** Key of the kubeconfig in that Secret. */
  readonly kubeConfigKey: string;
}

/** One delivery unit: a directory of one target. */
export interface GitOpsUnit {
  /** `<target>/<unit>`: what the order maps refer to. */
  readonly key: string;
  /** Name of the Application or Kustomization: `<platform>-<target>-<unit>`. */
  readonly name: string;
  /** Target name. */
  readonly target: string;
  /** Unit name (`platform`, `tenant-<namespace>`). */
  readonly unit: string;
  /** Directory in the repository. */
  readonly path: string;
  /** The tenant namespace, for a tenant's unit. */
  readonly tenantNamespace?: string;
  /** Where it is applied. */
  readonly destination: ResolvedDestination;
}

/** The order of the units, computed at synthesis. */
export interface UnitOrder {
  /** Units each unit waits for (Flux dependsOn), by key. */
  readonly dependsOn: ReadonlyMap<string, readonly string[]>;
  /** Layer of each unit (Argo CD sync wave), by key. */
  readonly layers: ReadonlyMap<string, number>;
  /**
   * With rollout waves in direct mode: the RollingSync step of each unit (its cluster's wave, then its layer).
   * @default - no waves
   */
  readonly steps?: ReadonlyMap<string, number>;
}

/** GitOps delivery of one platform, resolved. */
export interface GitOpsIntent {
  readonly platform: string;
  /** Repository URL. */
  readonly repository: string;
  /** An OCI artifact rather than a Git repository. */
  readonly oci: boolean;
  /** Branch, tag or commit. */
  readonly revision: string;
  /** Namespace of the GitOps objects. */
  readonly namespace: string;
  /** Directory of the output in the repository (no leading or trailing slash). */
  readonly path: string;
  /** Directory holding the GitOps objects themselves, in `path`. */
  readonly selfDirectory: string;
  /** Labels of every object. */
  readonly labels: Record<string, string>;
  /** Flux reconcile interval. */
  readonly interval: Duration;
  /** Flux repository credentials. */
  readonly credentialsSecret?: string;
  /** The unit order, read at synthesis. */
  readonly order: () => UnitOrder;
}
