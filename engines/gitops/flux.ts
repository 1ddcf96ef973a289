/**
 * Flux delivery: the source (a GitRepository, or an OCIRepository for `oci://` artifacts) and one Kustomization
 * per delivery unit, applied to its target through `kubeConfig.secretRef`, pruned, and ordered with `dependsOn`
 * (each unit waits for the units holding what its objects need; the control plane waits for every member).
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { promDuration } from '../../core/duration';
import { createLazyObject, createObject } from '../../core/l1';
import * as kustomize from '../../imports/kustomize.toolkit.fluxcd.io';
import * as source from '../../imports/source.toolkit.fluxcd.io';
import { GitOpsIntent, GitOpsUnit } from './intent';

function meta(intent: GitOpsIntent, name: string) {
  return { name, namespace: intent.namespace, labels: intent.labels };
}

/** A Git ref from a revision: a 40-hex-digit commit, a `refs/...` name, or a branch. */
function gitRef(revision: string): source.GitRepositorySpecRef {
  if (/^[0-9a-f]{40}$/.test(revision)) return { commit: revision };
  if (revision.startsWith('refs/')) return { name: revision };
  return { branch: revision };
}

/** The source every Kustomization of the platform reads. */
export function renderFluxSource(scope: Construct, intent: GitOpsIntent): ApiObject {
  const interval = promDuration(intent.interval);
  const secretRef = intent.credentialsSecret ? { name: intent.credentialsSecret } : undefined;
  if (intent.oci) {
    return createObject(scope, 'OCIRepository', source.OciRepository.GVK, source.toJson_OciRepositoryProps, {
      metadata: meta(intent, intent.platform),
      spec: { url: intent.repository, ref: { tag: intent.revision }, interval, secretRef },
    });
  }
  return createObject(scope, 'GitRepository', source.GitRepository.GVK, source.toJson_GitRepositoryProps, {
    metadata: meta(intent, intent.platform),
    spec: { url: intent.repository, ref: gitRef(intent.revision), interval, secretRef },
  });
}

/**
 * The Kustomization that applies the GitOps objects themselves from their directory, in the management cluster
 * (as `flux bootstrap` does for flux-system): apply the file once, and later changes arrive from the repository.
 */
export function renderFluxRoot(scope: Construct, intent: GitOpsIntent): ApiObject {
  return createObject(scope, 'Root', kustomize.Kustomization.GVK, kustomize.toJson_KustomizationProps, {
    metadata: meta(intent, `${intent.platform}-gitops`),
    spec: {
      interval: promDuration(intent.interval),
      sourceRef: { kind: intent.oci ? kustomize.KustomizationSpecSourceRefKind.OCI_REPOSITORY : kustomize.KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: intent.platform },
      path: `./${intent.path ? `${intent.path}/` : ''}${intent.selfDirectory}`,
      prune: true,
    },
  });
}

/** Name of a unit's Kustomization, from its key. */
export type UnitName = (key: string) => string;

/**
 * One unit's Kustomization. Member units wait for their objects to be ready (`wait`), so the units after them
 * start on a working cluster; control-plane units do not: the Karmada API server runs no controller for the
 * templates, whose status only reflects the members.
 */
export function renderFluxKustomization(scope: Construct, intent: GitOpsIntent, unit: GitOpsUnit, controlPlane: boolean, nameOf: UnitName): ApiObject {
  return createLazyObject(scope, `Kustomization-${unit.key}`, kustomize.Kustomization.GVK, kustomize.toJson_KustomizationProps, meta(intent, unit.name), ['spec'], () => {
    const deps = intent.order().dependsOn.get(unit.key) ?? [];
    return {
      spec: {
        interval: promDuration(intent.interval),
        sourceRef: { kind: intent.oci ? kustomize.KustomizationSpecSourceRefKind.OCI_REPOSITORY : kustomize.KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: intent.platform },
        path: `./${unit.path}`,
        prune: true,
        wait: !controlPlane,
        kubeConfig: { secretRef: { name: unit.destination.kubeConfigSecret, key: unit.destination.kubeConfigKey } },
        dependsOn: deps.length ? deps.map((k) => ({ name: nameOf(k) })) : undefined,
      },
    };
  });
}
