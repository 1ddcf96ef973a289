import { QuotaLimits } from '../../model/tenancy';

export const QUOTA_KEYS: Record<keyof QuotaLimits, string> = {
  cpu: 'requests.cpu',
  memory: 'requests.memory',
  limitsCpu: 'limits.cpu',
  limitsMemory: 'limits.memory',
  pods: 'pods',
  services: 'services',
  persistentVolumeClaims: 'persistentvolumeclaims',
  storage: 'requests.storage',
};

/** Renders quota limits as a ResourceQuota `hard` map. */
export function quotaHard(q: QuotaLimits): Record<string, string> {
  const hard: Record<string, string> = {};
  for (const [key, field] of Object.entries(QUOTA_KEYS)) {
    const v = (q as any)[key];
    if (v !== undefined) hard[field] = String(v);
  }
  return hard;
}
