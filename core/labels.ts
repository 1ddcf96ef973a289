/**
 * Standard labels. Every object fleetplane writes carries the platform label, so
 * `kubectl apply --prune -l fleetplane.io/platform=<name>` and monitoring selectors work.
 */

export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
export const LABEL_VERSION = 'app.kubernetes.io/version';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_PLATFORM = 'fleetplane.io/platform';
export const LABEL_TENANT = 'fleetplane.io/tenant';
export const MANAGED_BY = 'fleetplane';

/** Karmada: a namespace with this label is not copied to every member automatically. */
export const LABEL_SKIP_AUTO_PROPAGATION = 'namespace.karmada.io/skip-auto-propagation';

/** Platform-level labels. */
export function platformLabels(platform: string): Record<string, string> {
  return { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_PART_OF]: platform, [LABEL_PLATFORM]: platform };
}

/** Label that keeps the selectors of the stable and canary workloads apart. */
export const LABEL_TRACK = 'fleetplane.io/track';

/**
 * Marks objects fleetplane writes to but does not own (`shared`), such as the istio-system namespace that the
 * Istio installer creates: prune selectors and Pulumi leave them alone.
 */
export const LABEL_OWNERSHIP = 'fleetplane.io/ownership';

/**
 * The pod label Flagger selects a target by (the first of its default `-selector-labels`): Flagger rewrites it to
 * `<app>-primary` on the primary it creates and leaves every other label, so fleetplane's policies, which select
 * by the `app.kubernetes.io` labels, cover both the primary and the canary pods.
 */
export const LABEL_FLAGGER_SELECTOR = 'app';

/** Karmada keeps the member's replica count of a Deployment labelled so (Flagger scales the canary to zero). */
export const LABEL_KARMADA_RETAIN_REPLICAS = 'resourcetemplate.karmada.io/retain-replicas';
