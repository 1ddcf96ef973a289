/**
 * `fleetplane/pulumi`: deploys a platform with `pulumi up`. Each synthesized object becomes its own
 * `@pulumi/kubernetes` resource (so `pulumi preview` shows per-object diffs), under one ComponentResource
 * per platform (`fleetplane:index:Platform`) and one per apply target (`fleetplane:index:Target`), with one
 * Kubernetes provider per target: the Karmada API server in karmada mode, each member in direct mode.
 *
 * `@pulumi/pulumi` and `@pulumi/kubernetes` are optional peer dependencies: only this entry point loads them.
 * @packageDocumentation
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { TargetOutput, synthesizeTargets } from './synthesize';
import { TargetKind } from '../core/target';
import { objectKey, orderingDependencies as orderingDependencies_, targetOrder } from './ordering';

/** How to reach one apply target. */
export interface TargetConnection {
  /**
   * A provider you created.
   * @default - one is created from `kubeconfig` / `context`
   */
  readonly provider?: k8s.Provider;
  /**
   * Kubeconfig contents for the target.
   * @default - Pulumi config `fleetplane:kubeconfig-<target>`, else the ambient kubeconfig
   */
  readonly kubeconfig?: pulumi.Input<string>;
  /**
   * Kubeconfig context for the target.
   * @default - Pulumi config `fleetplane:context-<target>`; for a member target in direct mode, the cluster name
   */
  readonly context?: pulumi.Input<string>;
}

/** Properties of a {@link PlatformStack}. */
export interface PlatformStackProps {
  /** The cdk8s App (or any construct of it) holding one or more DistributedPlatforms. */
  readonly app: App | IConstruct;
  /**
   * Connections per target name (`control-plane`, `cluster-<name>`), or per `<platform>/<target>` when the app
   * holds several platforms.
   * @default - from Pulumi config, see {@link TargetConnection}
   */
  readonly targets?: Record<string, TargetConnection>;
  /**
   * Extra ordering between targets: target → targets that must be applied first.
   * @default - in a platform with both, member targets before the control plane
   */
  readonly targetDependencies?: Record<string, string[]>;
}

/** What was registered for one target. */
export interface RegisteredTarget {
  /** The target's component. */
  readonly component: pulumi.ComponentResource;
  /** Its provider. */
  readonly provider: k8s.Provider;
  /** Resources by their stable resource name. */
  readonly resources: Readonly<Record<string, pulumi.CustomResource>>;
}

/** Stable Pulumi resource name of an object: stack component and target, kind, namespace and name. */
export function resourceName(target: string, obj: Record<string, any>): string {
  return `${target}:${objectKey(obj)}`;
}

/**
 * The ordering fleetplane needs inside one target (see outputs/ordering.ts), as Pulumi resource name → names
 * it must come after.
 */
export function orderingDependencies(target: string, objects: ReadonlyArray<Record<string, any>>): Map<string, string[]> {
  const byKey = orderingDependencies_(objects);
  return new Map([...byKey].map(([k, deps]) => [`${target}:${k}`, deps.map((d) => `${target}:${d}`)]));
}

/**
 * Deploys every apply target of the platforms in a cdk8s app as individual Kubernetes resources.
 *
 * @example
 * const app = new App();
 * buildShop(app);                       // the same definition `cdk8s synth` uses
 * new PlatformStack('shop', { app });
 */
export class PlatformStack extends pulumi.ComponentResource {
  /** Registered targets, by `<platform>/<target>`. */
  public readonly targets: Readonly<Record<string, RegisteredTarget>>;
  /** Per target: object count, count per kind, and the Services it exposes (`namespace/name:port`). */
  public readonly summary: pulumi.Output<Record<string, { objects: number; kinds: Record<string, number>; endpoints: string[] }>>;
  /** The ordering used, as resource name → names it depends on (for inspection and tests). */
  public readonly ordering: ReadonlyMap<string, readonly string[]>;

  constructor(name: string, props: PlatformStackProps, opts: pulumi.ComponentResourceOptions = {}) {
    super('fleetplane:index:Platform', name, {}, opts);
    const outputs = synthesizeTargets(props.app);
    const config = new pulumi.Config('fleetplane');
    const multi = new Set(outputs.map((o) => o.platform)).size > 1;
    const keyOf = (o: TargetOutput) => (multi ? `${o.platform}/${o.target.name}` : o.target.name);
    const fullKey = (o: TargetOutput) => `${o.platform}/${o.target.name}`;

    const targets: Record<string, RegisteredTarget> = {};
    const ordering = new Map<string, string[]>();
    const summary: Record<string, { objects: number; kinds: Record<string, number>; endpoints: string[] }> = {};

    // Targets are created in dependency order: members first when a platform also has a control plane.
    const order = targetOrder(outputs, (o) => o.target.kind);
    for (const out of order) {
      const key = keyOf(out);
      const conn = props.targets?.[key] ?? props.targets?.[fullKey(out)] ?? {};
      const after = [
        ...(props.targetDependencies?.[key] ?? []),
        ...(out.target.kind === TargetKind.CONTROL_PLANE
          ? outputs.filter((o) => o.platform === out.platform && o.target.kind === TargetKind.MEMBER).map(keyOf)
          : []),
      ];
      const dependsOn = after.map((k) => targets[k]?.component).filter((c): c is pulumi.ComponentResource => !!c);
      const component = new pulumi.ComponentResource('fleetplane:index:Target', `${name}-${fullKey(out).replace('/', '-')}`, {}, { parent: this, dependsOn });
      const provider =
        conn.provider ??
        new k8s.Provider(`${name}-${fullKey(out).replace('/', '-')}`, {
          kubeconfig: conn.kubeconfig ?? config.get(`kubeconfig-${out.target.name}`),
          context: conn.context ?? config.get(`context-${out.target.name}`) ?? out.target.cluster?.name,
        }, { parent: component });

      // Child names carry the component name: Pulumi URNs do not include parent names.
      const prefix = `${name}:${key}`;
      const deps = orderingDependencies(prefix, out.objects);
      const resources: Record<string, pulumi.CustomResource> = {};
      for (const obj of out.objects) {
        const rname = resourceName(prefix, obj);
        const after = (deps.get(rname) ?? []).map((d) => resources[d]).filter((r): r is pulumi.CustomResource => !!r);
        ordering.set(rname, deps.get(rname) ?? []);
        resources[rname] = createKubernetesResource(rname, obj, { parent: component, provider, dependsOn: after });
      }
      targets[key] = { component, provider, resources };
      const kinds: Record<string, number> = {};
      for (const o of out.objects) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
      summary[key] = {
        objects: out.objects.length,
        kinds,
        endpoints: out.objects
          .filter((o) => o.kind === 'Service')
          .flatMap((o) => (o.spec?.ports ?? []).map((p: any) => `${o.metadata.namespace}/${o.metadata.name}:${p.port}`)),
      };
    }
    this.targets = targets;
    this.ordering = ordering;
    this.summary = pulumi.output(summary);
    this.registerOutputs({ summary: this.summary });
  }
}

/**
 * Creates the typed `@pulumi/kubernetes` class for a built-in kind (so the provider's kind-specific await
 * logic applies) and a CustomResource for anything else.
 */
export function createKubernetesResource(name: string, obj: Record<string, any>, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
  const apiVersion = String(obj.apiVersion);
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const builtin = !group.includes('.') || (group.endsWith('.k8s.io') && !group.endsWith('.x-k8s.io'));
  if (builtin) {
    const moduleName = group.split('.')[0];
    const ctor = (k8s as any)[moduleName]?.[version]?.[obj.kind];
    if (typeof ctor === 'function') return new ctor(name, obj, opts);
  }
  return new k8s.apiextensions.CustomResource(name, obj as any, opts);
}
