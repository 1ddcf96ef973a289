/**
 * What Flagger creates in a cluster for each of its Canaries, for the checks that read a cluster's objects
 * (reachability): the `<target>-primary` Deployment (the target's pods with Flagger's selector label rewritten
 * to `<target>-primary`), and the `<target>-primary` and `<target>-canary` Services its routes lead to. Without
 * them the apex Service, which selects the primary, would front no pod of the output.
 */
import { LABEL_FLAGGER_SELECTOR } from '../core/labels';

type Manifest = Record<string, any>;

/** The cluster's objects plus those Flagger derives from its Canaries (targets missing from the cluster are skipped). */
export function withFlaggerObjects(objects: readonly Manifest[]): Manifest[] {
  const out = [...objects];
  for (const canary of objects.filter((o) => o.kind === 'Canary' && String(o.apiVersion).startsWith('flagger.app/'))) {
    const ns = canary.metadata?.namespace;
    const name = canary.spec?.targetRef?.name;
    const target = objects.find((o) => o.kind === 'Deployment' && o.metadata?.namespace === ns && o.metadata?.name === name);
    const apex = objects.find((o) => o.kind === 'Service' && o.metadata?.namespace === ns && o.metadata?.name === (canary.spec?.service?.name ?? name));
    const value = target?.spec?.selector?.matchLabels?.[LABEL_FLAGGER_SELECTOR];
    if (!target || !apex || value === undefined) continue;
    const primary = `${value}-primary`;
    const relabel = (labels: Record<string, string> | undefined) => ({ ...(labels ?? {}), [LABEL_FLAGGER_SELECTOR]: primary });
    out.push({
      ...target,
      metadata: { ...target.metadata, name: `${name}-primary`, labels: relabel(target.metadata?.labels) },
      spec: {
        ...target.spec,
        selector: { matchLabels: relabel(target.spec.selector.matchLabels) },
        template: { ...target.spec.template, metadata: { ...target.spec.template?.metadata, labels: relabel(target.spec.template?.metadata?.labels) } },
      },
    });
    for (const [suffix, selected] of [['primary', primary], ['canary', value]] as const) {
      out.push({ ...apex, metadata: { ...apex.metadata, name: `${name}-${suffix}` }, spec: { ...apex.spec, selector: { [LABEL_FLAGGER_SELECTOR]: selected } } });
    }
  }
  return out;
}
