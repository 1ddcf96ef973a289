/**
 * A platform's GitOps delivery: the `<platform>-gitops` chart with the objects that make Argo CD or Flux apply
 * every delivery unit of every apply target, in the apply ordering. Units are added as tenants are (each tenant
 * gets a unit in every target it writes to); their order is computed from the synthesized objects.
 */
import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ApplyTarget, TargetKind } from '../../core/target';
import { renderArgoApplication, renderArgoApplicationSet, renderArgoBootstrap, renderArgoTenantProject } from '../../engines/gitops/argo-cd';
import { renderFluxKustomization, renderFluxRoot, renderFluxSource } from '../../engines/gitops/flux';
import { GitOpsIntent, GitOpsUnit, ResolvedDestination, UnitOrder } from '../../engines/gitops/intent';
import { GitOpsProps, GitOpsTool } from '../../model/gitops';
import { LayoutTarget, PLATFORM_UNIT, partitionTarget, tenantUnit, unitDependencies, unitDirectory, unitKey, unitLayers } from '../../outputs/gitops-layout';
import { Manifest } from '../../outputs/ordering';
import { renderChart } from '../../outputs/synthesize';

/** What the GitOps delivery reads from its platform. */
export interface GitOpsHost {
  readonly platformName: string;
  readonly targets: readonly ApplyTarget[];
  readonly labels: Record<string, string>;
  /**
   * With rollout waves in direct mode: the wave (0 first) of a member target's cluster.
   * @default - no waves
   */
  readonly waveOf?: (target: ApplyTarget) => number | undefined;
}

/** The GitOps objects of one platform. @internal */
export class GitOpsDelivery {
  /** The chart of the GitOps objects (`<platform>-gitops.k8s.yaml`). */
  public readonly chart: Chart;
  private readonly intent: GitOpsIntent;
  private readonly units: GitOpsUnit[] = [];
  private readonly tenantUnits = new Map<string, string[]>();
  private cache?: { order: UnitOrder; rendered: Map<string, Manifest[]> };

  constructor(chart: Chart, private readonly host: GitOpsHost, private readonly props: GitOpsProps) {
    this.chart = chart;
    const oci = props.repository.startsWith('oci://');
    const path = (props.path ?? '').replace(/^\.\/?/, '').replace(/\/+$/, '');
    this.intent = {
      platform: host.platformName,
      repository: props.repository,
      oci: oci && props.tool === GitOpsTool.FLUX,
      revision: props.revision ?? (oci ? 'latest' : 'main'),
      namespace: props.namespace ?? (props.tool === GitOpsTool.FLUX ? 'flux-system' : 'argocd'),
      path,
      selfDirectory: chart.node.id,
      labels: host.labels,
      interval: props.interval ?? Duration.minutes(5),
      credentialsSecret: props.credentialsSecret,
      order: () => this.computed().order,
    };
    this.render();
  }

  /** Whether the units are the elements of one RollingSync ApplicationSet (Argo CD with direct-mode waves). */
  private get rolling(): boolean {
    return this.props.tool === GitOpsTool.ARGO_CD && this.host.targets.some((t) => this.host.waveOf?.(t) !== undefined);
  }

  private render(): void {
    const scope = new Construct(this.chart, 'delivery');
    for (const target of this.host.targets) this.units.push(this.unit(target, PLATFORM_UNIT));
    if (this.props.tool === GitOpsTool.FLUX) {
      renderFluxSource(scope, this.intent);
      renderFluxRoot(scope, this.intent);
    } else {
      renderArgoBootstrap(scope, this.intent, this.host.targets.map((t) => this.destination(t)));
      if (this.rolling) renderArgoApplicationSet(scope, this.intent, () => this.units, (u) => this.scaledIn(u));
    }
    for (const unit of [...this.units]) this.renderUnit(unit);
  }

  /** Adds a tenant's units in the targets it writes to (and its AppProject with Argo CD). */
  public addTenant(namespace: string, targetNames: readonly string[]): void {
    const targets = this.host.targets.filter((t) => targetNames.includes(t.name));
    if (targets.length === 0 || this.tenantUnits.has(namespace)) return;
    const added = targets.map((t) => this.unit(t, tenantUnit(namespace), namespace));
    this.units.push(...added);
    this.tenantUnits.set(namespace, targets.map((t) => t.name));
    if (this.props.tool === GitOpsTool.ARGO_CD) renderArgoTenantProject(new Construct(this.chart, `tenant-${namespace}`), this.intent, namespace, added);
    for (const unit of added) this.renderUnit(unit);
  }

  /** Tenant namespaces with a unit in a target: how FleetApp cuts the target into directories. */
  public tenantNamespaces(target: string): string[] {
    return [...this.tenantUnits].filter(([, targets]) => targets.includes(target)).map(([ns]) => ns);
  }

  private renderUnit(unit: GitOpsUnit): void {
    const scope = new Construct(this.chart, unit.key.replace('/', '.'));
    const target = this.host.targets.find((t) => t.name === unit.target)!;
    if (this.props.tool === GitOpsTool.FLUX) {
      renderFluxKustomization(scope, this.intent, unit, target.kind === TargetKind.CONTROL_PLANE, (key) => this.units.find((u) => u.key === key)!.name);
    } else if (!this.rolling) {
      renderArgoApplication(scope, this.intent, unit, () => this.scaledIn(unit));
    }
  }

  private unit(target: ApplyTarget, unit: string, tenantNamespace?: string): GitOpsUnit {
    const dir = unitDirectory(this.host.platformName, target.name, unit);
    return {
      key: unitKey(target.name, unit),
      name: `${this.host.platformName}-${target.name}-${unit}`,
      target: target.name,
      unit,
      path: this.intent.path ? `${this.intent.path}/${dir}` : dir,
      tenantNamespace,
      destination: this.destination(target),
    };
  }

  private destination(target: ApplyTarget): ResolvedDestination {
    const given = this.props.destinations?.[target.name] ?? {};
    const name = given.name ?? (target.kind === TargetKind.CONTROL_PLANE ? 'karmada' : target.cluster!.name);
    return {
      name: given.server ? undefined : name,
      server: given.server,
      kubeConfigSecret: given.kubeConfigSecret ?? `${name}-kubeconfig`,
      kubeConfigKey: given.kubeConfigKey ?? 'value',
    };
  }

  /** Deployments of a unit that a Flagger Canary of the same unit scales. */
  private scaledIn(unit: GitOpsUnit): Array<{ namespace: string; name: string }> {
    const objects = this.computed().rendered.get(unit.key) ?? [];
    const deployments = new Set(objects.filter((o) => o.kind === 'Deployment').map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`));
    return objects
      .filter((o) => o.kind === 'Canary' && String(o.apiVersion).startsWith('flagger.app/') && o.spec?.targetRef?.kind === 'Deployment')
      .map((o) => ({ namespace: o.metadata?.namespace, name: o.spec.targetRef.name }))
      .filter((d) => deployments.has(`${d.namespace}/${d.name}`));
  }

  /** The objects of every unit and the unit order, computed once per synthesis. */
  private computed(): { order: UnitOrder; rendered: Map<string, Manifest[]> } {
    if (this.cache) return this.cache;
    const layout: LayoutTarget[] = this.host.targets.map((t) => ({
      name: t.name,
      controlPlane: t.kind === TargetKind.CONTROL_PLANE,
      objects: renderChart(t.chart),
      tenantNamespaces: this.tenantNamespaces(t.name),
    }));
    const rendered = new Map<string, Manifest[]>();
    for (const t of layout) for (const [unit, objects] of partitionTarget(t.objects, t.tenantNamespaces)) rendered.set(unitKey(t.name, unit), objects);
    const dependsOn = unitDependencies(layout);
    const layers = unitLayers(dependsOn);
    this.cache = { order: { dependsOn, layers, steps: this.steps(layers) }, rendered };
    // One synthesis is synchronous: forget the result when it ends, so a changed tree is computed again.
    queueMicrotask(() => (this.cache = undefined));
    return this.cache;
  }

  /** RollingSync steps: the clusters' waves in order, each wave's units by layer. */
  private steps(layers: ReadonlyMap<string, number>): Map<string, number> | undefined {
    if (!this.rolling) return undefined;
    const depth = Math.max(0, ...layers.values()) + 1;
    const steps = new Map<string, number>();
    for (const u of this.units) {
      const target = this.host.targets.find((t) => t.name === u.target)!;
      steps.set(u.key, (this.host.waveOf?.(target) ?? 0) * depth + (layers.get(u.key) ?? 0));
    }
    return steps;
  }
}
