import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { PodSecurityLevel, ResourceRange, ResourceRequirements } from '../model/workload';

/** Renders resource requirements, filling what the container leaves out from the platform default. */
export function renderResources(
  own: ResourceRequirements | undefined,
  fallback: ResourceRequirements | undefined,
): k8s.ResourceRequirements {
  const requests: Record<string, k8s.Quantity> = {};
  const limits: Record<string, k8s.Quantity> = {};
  const put = (key: string, range: ResourceRange | undefined) => {
    if (range?.request !== undefined) requests[key] = k8s.Quantity.fromString(range.request);
    if (range?.limit !== undefined) limits[key] = k8s.Quantity.fromString(range.limit);
  };
  put('cpu', own?.cpu ?? fallback?.cpu);
  put('memory', own?.memory ?? fallback?.memory);
  put('ephemeral-storage', own?.ephemeralStorage ?? fallback?.ephemeralStorage);
  return {
    requests: Object.keys(requests).length ? requests : undefined,
    limits: Object.keys(limits).length ? limits : undefined,
  };
}

/** Plain-JSON form of resource requirements, for overrides. */
export function resourcesToJson(r: ResourceRequirements): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  const put = (key: string, range: ResourceRange | undefined) => {
    if (range?.request !== undefined) (out.requests ??= {})[key] = range.request;
    if (range?.limit !== undefined) (out.limits ??= {})[key] = range.limit;
  };
  put('cpu', r.cpu);
  put('memory', r.memory);
  put('ephemeral-storage', r.ephemeralStorage);
  return out;
}

/** Pod-level security context for a level (restricted and baseline get the restricted settings). */
export function podSecurityContext(level: PodSecurityLevel, runAsUser: number): k8s.PodSecurityContext | undefined {
  if (level === PodSecurityLevel.PRIVILEGED) return undefined;
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup: runAsUser,
    fsGroup: runAsUser,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container security context for a level. */
export function containerSecurityContext(level: PodSecurityLevel, readOnlyRootFilesystem: boolean): k8s.SecurityContext | undefined {
  if (level === PodSecurityLevel.PRIVILEGED) return undefined;
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  };
}
