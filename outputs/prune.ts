/**
 * Applying a target's file with pruning, so objects removed from the definition are deleted from the cluster.
 *
 * `kubectl apply --prune -l <selector>` alone prunes only a fixed default list of kinds (no RBAC,
 * NetworkPolicies, PDBs, HPAs, ServiceAccounts, quotas, or any custom resource), so fleetplane gives each target
 * an explicit prune allowlist: the kinds in the file, plus the kinds of the previous output when you pass it (a
 * kind whose last object was removed must still be pruned). Objects labelled `fleetplane.io/ownership=shared`
 * (namespaces an installer owns, such as istio-system) are excluded by the selector, so a prune never deletes
 * them. kubectl's ApplySets (KEP-3659) would track kinds by themselves, but kubectl refuses `--selector` with
 * `--applyset`, so shared namespaces could not be kept out; the allowlist works with every kubectl.
 */
import { LABEL_OWNERSHIP, LABEL_PLATFORM } from '../core/labels';
import { TargetOutput } from './synthesize';

/** How to apply one target's file with pruning. */
export interface PruneCommand {
  /** `<platform>-<target>`. */
  readonly target: string;
  /** The file `cdk8s synth` writes for the target. */
  readonly file: string;
  /** The label selector of prunable objects: this platform's, minus shared ones. */
  readonly selector: string;
  /** `group/version/Kind` of every kind in the file (core kinds as `core/v1/Kind`), sorted. */
  readonly allowlist: readonly string[];
  /** The command. */
  readonly command: string;
}

/** Options of {@link pruneCommands}. */
export interface PruneOptions {
  /**
   * Directory of the synthesized files.
   * @default 'dist'
   */
  readonly dir?: string;
  /**
   * The previously applied output, so kinds that disappeared from a target are still pruned.
   * @default - only the current kinds
   */
  readonly previous?: readonly TargetOutput[];
}

/** The prune-enabled apply command of every target. */
export function pruneCommands(outputs: readonly TargetOutput[], options: PruneOptions = {}): PruneCommand[] {
  const dir = options.dir ?? 'dist';
  return outputs.map((out) => {
    const target = `${out.platform}-${out.target.name}`;
    const file = `${dir}/${target}.k8s.yaml`;
    const selector = `${LABEL_PLATFORM}=${out.platform},${LABEL_OWNERSHIP}!=shared`;
    const before = options.previous?.find((p) => p.platform === out.platform && p.target.name === out.target.name)?.objects ?? [];
    const allowlist = [...new Set([...out.objects, ...before].map((o) => gvk(o)))].sort();
    const command = `kubectl apply --server-side -f ${file} --prune -l '${selector}' ${allowlist.map((k) => `--prune-allowlist=${k}`).join(' ')}`;
    return { target, file, selector, allowlist, command };
  });
}

/** `group/version/Kind` as kubectl's --prune-allowlist spells it. */
function gvk(o: Record<string, any>): string {
  const apiVersion = String(o.apiVersion);
  return apiVersion.includes('/') ? `${apiVersion}/${o.kind}` : `core/${apiVersion}/${o.kind}`;
}
