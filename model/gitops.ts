import { Duration } from 'cdk8s';

/** The GitOps controller that applies the synthesized output from a repository. */
export enum GitOpsTool {
  /** Argo CD: Applications (or an ApplicationSet with RollingSync for rollout waves) and AppProjects. */
  ARGO_CD = 'argo-cd',
  /** Flux: a GitRepository or OCIRepository and one Kustomization per delivery unit. */
  FLUX = 'flux',
}

/** How the GitOps controller reaches one apply target. */
export interface GitOpsDestination {
  /**
   * Argo CD: the cluster's name as registered with `argocd cluster add <context> --name <name>`.
   * @default - the member cluster's name; `karmada` for the Karmada control plane
   */
  readonly name?: string;
  /**
   * Argo CD: the API server URL instead of a name (`https://kubernetes.default.svc` for the cluster Argo CD runs in).
   * @default - `name` is used
   */
  readonly server?: string;
  /**
   * Flux: the Secret in the Flux namespace holding the target's kubeconfig (`kubeConfig.secretRef`).
   * @default - `<name>-kubeconfig`
   */
  readonly kubeConfigSecret?: string;
  /**
   * Flux: the key of the kubeconfig in that Secret.
   * @default 'value'
   */
  readonly kubeConfigKey?: string;
}

/**
 * GitOps delivery of every apply target: where the synthesized output is committed, and which controller applies
 * it. The platform then writes `<platform>-gitops/` (for the management cluster running the controller, applied
 * once by hand and then from the repository by a root Application or Kustomization), and its targets one
 * directory per delivery unit: `<path>/<platform>-<target>/platform/` for cluster-scoped and shared objects
 * and `<path>/<platform>-<target>/tenant-<namespace>/` per tenant, so each tenant is applied by its own
 * Application or Kustomization, limited to its namespace. Use a FleetApp, which writes that layout.
 */
export interface GitOpsProps {
  /** The controller. */
  readonly tool: GitOpsTool;
  /**
   * The repository holding the output: an `https://`, `ssh://` or `git@host:` Git URL, or an `oci://` artifact
   * (Flux only: an OCIRepository).
   */
  readonly repository: string;
  /** Directory of the synthesized output in the repository (what `cdk8s synth` writes to), e.g. `deploy/prod`. */
  readonly path: string;
  /**
   * Branch, tag or commit (Git); tag (OCI). A 40-hex-digit value is a commit.
   * @default 'main' for Git, 'latest' for OCI
   */
  readonly revision?: string;
  /**
   * Namespace of the GitOps objects in the management cluster.
   * @default 'argocd' or 'flux-system'
   */
  readonly namespace?: string;
  /**
   * How the controller reaches each target, by target name (`control-plane`, `cluster-<name>`).
   * @default - see {@link GitOpsDestination}
   */
  readonly destinations?: Record<string, GitOpsDestination>;
  /**
   * Flux: how often sources and Kustomizations are reconciled.
   * @default Duration.minutes(5)
   */
  readonly interval?: Duration;
  /**
   * Flux: the Secret with the repository's credentials (`secretRef` of the source). Argo CD reads repository
   * credentials from its own repository Secrets instead.
   * @default - a public repository
   */
  readonly credentialsSecret?: string;
}
