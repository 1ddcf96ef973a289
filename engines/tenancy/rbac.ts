/** A tenant's RoleBindings: the groups named for the built-in `admin` and `view` ClusterRoles. */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { createObject } from '../../core/l1';

/** What a tenant's RoleBindings render from. */
export interface RbacIntent {
  /** The tenant's namespace. */
  readonly namespace: string;
  /** Labels of every binding. */
  readonly labels: Record<string, string>;
  /** Groups bound to `admin`. */
  readonly adminGroups?: readonly string[];
  /** Groups bound to `view`. */
  readonly viewGroups?: readonly string[];
}

/** One RoleBinding per role that has groups (`tenant-admin`, `tenant-view`). */
export function renderRoleBindings(scope: Construct, intent: RbacIntent): ApiObject[] {
  const bindings: ApiObject[] = [];
  for (const [role, groups] of [['admin', intent.adminGroups], ['view', intent.viewGroups]] as const) {
    if (!groups || groups.length === 0) continue;
    bindings.push(
      createObject(scope, `RoleBinding-${role}`, k8s.KubeRoleBinding.GVK, k8s.toJson_KubeRoleBindingProps, {
        metadata: { name: `tenant-${role}`, namespace: intent.namespace, labels: intent.labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: [...groups].map((g) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: g })),
      }),
    );
  }
  return bindings;
}
