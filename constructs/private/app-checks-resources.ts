/** Checks of a FederatedApp's resources against Kubernetes quantities and the tenant quota (rule 8). */
import { ProblemSink } from '../../core/problems';
import { isQuantity, parseQuantity } from '../../core/quantity';
import { ResourceRequirements } from '../../model/workload';

/** Resource names, quantities, and requests within limits. */
export function checkResources(sink: ProblemSink, prop: string, r: ResourceRequirements | undefined): void {
  for (const [res, range] of Object.entries(r ?? {})) {
    if (!['cpu', 'memory', 'ephemeralStorage'].includes(res)) {
      sink.error('K8', `${prop}.${res}`, res, 'unknown resource.', 'use cpu, memory or ephemeralStorage.');
      continue;
    }
    for (const [k, v] of Object.entries(range ?? {})) {
      if (!isQuantity(v as string)) sink.error('K8', `${prop}.${res}.${k}`, v, 'not a Kubernetes quantity.', 'use e.g. "250m", "1", "512Mi".');
    }
    const req = parseQuantity((range as any)?.request);
    const lim = parseQuantity((range as any)?.limit);
    if (req !== undefined && lim !== undefined && req > lim) sink.error('K8', `${prop}.${res}.request`, (range as any).request, `the request exceeds the limit (${(range as any).limit}).`, 'lower the request or raise the limit.');
  }
}

/**
 * Every CPU and memory request or limit the tenant quota tracks is declared, by the app or the platform
 * default; otherwise the quota admission rejects the pods.
 * @param tracked quota keys such as `requests.cpu`.
 * @param effective the app's resources over the platform default.
 */
export function checkQuotaCoverage(sink: ProblemSink, tracked: readonly string[], effective: ResourceRequirements): void {
  for (const key of tracked) {
    const [kind, res] = key.split('.') as ['requests' | 'limits', string];
    const range = res === 'cpu' ? effective.cpu : res === 'memory' ? effective.memory : undefined;
    if (res !== 'cpu' && res !== 'memory') continue;
    const field = kind === 'requests' ? 'request' : 'limit';
    if (range?.[field] === undefined) {
      sink.error('K8', `resources.${res}.${field}`, undefined, `the tenant quota tracks ${key}, so every container must declare it, and neither the app nor the platform default does; pods would be rejected.`, `set resources.${res}.${field} on the app or in platform defaults.resources.`);
    }
  }
}
