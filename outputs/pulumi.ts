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
import * as path from 'path';
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { TargetOutput, synthesizeTargets } from './synthesize';
import { LABEL_OWNERSHIP } from '../core/labels';
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
  /**
   * Further namespaces fleetplane writes labels to but does not own. They are registered as `NamespacePatch`:
   * server-side applied, never created from scratch and never deleted by `pulumi destroy`. Namespaces labelled
   * `fleetplane.io/ownership: shared` (istio-system, created by the Istio installer; the member monitoring
   * namespace of kube-prometheus-stack) always are.
   * @default - only the namespaces labelled shared
   */
  readonly sharedNamespaces?: string[];
  /**
   * Names this component had before: every resource gets an alias to its old name, so renaming the component
   * (`new PlatformStack('shop', ...)` to `'prod-shop'`) keeps every Kubernetes object instead of replacing it.
   * @default - no aliases
   */
  readonly previousNames?: string[];
  /**
   * Render every target's manifests as YAML under `<directory>/<target>` instead of applying them (the
   * provider's `renderYamlToDirectory`), for a GitOps hand-off. Nothing reaches a cluster.
   * @default - apply to the clusters
   */
  readonly renderYamlToDirectory?: string;
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
  public readonly summary: pulumi.Output<Record<string, TargetSummary>>;
  /** The ordering used, as resource name → names it depends on (for inspection and tests). */
  public readonly ordering: ReadonlyMap<string, readonly string[]>;

  private readonly stackName: string;
  private readonly props: PlatformStackProps;
  private readonly config = new pulumi.Config('fleetplane');

  constructor(name: string, props: PlatformStackProps, opts: pulumi.ComponentResourceOptions = {}) {
    super('fleetplane:index:Platform', name, {}, { ...opts, aliases: [...(opts.aliases ?? []), ...(props.previousNames ?? []).map((n) => ({ name: n }))] });
    this.stackName = name;
    this.props = props;
    const outputs = synthesizeTargets(props.app);
    const multi = new Set(outputs.map((o) => o.platform)).size > 1;
    const keyOf = (o: TargetOutput) => (multi ? `${o.platform}/${o.target.name}` : o.target.name);
    const targets: Record<string, RegisteredTarget> = {};
    const ordering = new Map<string, string[]>();
    const summary: Record<string, TargetSummary> = {};
    // Targets are created in dependency order: members first when a platform also has a control plane.
    for (const out of targetOrder(outputs, (o) => o.target.kind)) {
      const key = keyOf(out);
      const after = [
        ...(props.targetDependencies?.[key] ?? []),
        ...(out.target.kind === TargetKind.CONTROL_PLANE
          ? outputs.filter((o) => o.platform === out.platform && o.target.kind === TargetKind.MEMBER).map(keyOf)
          : []),
      ];
      const dependsOn = after.map((k) => targets[k]?.component).filter((c): c is pulumi.ComponentResource => !!c);
      targets[key] = this.registerTarget(out, key, dependsOn, ordering);
      summary[key] = summarize(out);
    }
    this.targets = targets;
    this.ordering = ordering;
    this.summary = pulumi.output(summary);
    this.registerOutputs({ summary: this.summary });
  }

  /** One target: its component, its provider, and one resource per object in apply order. */
  private registerTarget(out: TargetOutput, key: string, dependsOn: pulumi.Resource[], ordering: Map<string, string[]>): RegisteredTarget {
    const fullKey = `${out.platform}-${out.target.name}`;
    const old = this.props.previousNames ?? [];
    const component = new pulumi.ComponentResource('fleetplane:index:Target', `${this.stackName}-${fullKey}`, {}, {
      parent: this, dependsOn, aliases: old.map((n) => ({ name: `${n}-${fullKey}` })),
    });
    const conn = this.props.targets?.[key] ?? this.props.targets?.[`${out.platform}/${out.target.name}`] ?? {};
    const provider = conn.provider ?? new k8s.Provider(`${this.stackName}-${fullKey}`, {
      kubeconfig: conn.kubeconfig ?? this.config.get(`kubeconfig-${out.target.name}`),
      context: conn.context ?? this.config.get(`context-${out.target.name}`) ?? out.target.cluster?.name,
      // The provider is replaced only when the cluster changes, not when credentials rotate.
      clusterIdentifier: `${out.platform}/${out.target.name}`,
      renderYamlToDirectory: this.props.renderYamlToDirectory ? path.join(this.props.renderYamlToDirectory, fullKey) : undefined,
    }, { parent: component, aliases: old.map((n) => ({ name: `${n}-${fullKey}` })) });
    // Child names carry the component name: Pulumi URNs do not include parent names.
    const prefix = `${this.stackName}:${key}`;
    const deps = orderingDependencies(prefix, out.objects);
    const shared = new Set(this.props.sharedNamespaces ?? []);
    const controlPlane = out.target.kind === TargetKind.CONTROL_PLANE;
    const resources: Record<string, pulumi.CustomResource> = {};
    for (const obj of out.objects) {
      const rname = resourceName(prefix, obj);
      const after = (deps.get(rname) ?? []).map((d) => resources[d]).filter((r): r is pulumi.CustomResource => !!r);
      ordering.set(rname, deps.get(rname) ?? []);
      const aliases = old.map((n) => ({ name: resourceName(`${n}:${key}`, obj) }));
      const input = controlPlane ? withSkipAwait(obj) : obj;
      const ropts = { parent: component, provider, dependsOn: after, aliases };
      const isShared = shared.has(obj.metadata?.name) || obj.metadata?.labels?.[LABEL_OWNERSHIP] === 'shared';
      resources[rname] = obj.kind === 'Namespace' && obj.apiVersion === 'v1' && isShared
        ? new k8s.core.v1.NamespacePatch(rname, input as any, ropts)
        : createKubernetesResource(rname, input, ropts);
    }
    return { component, provider, resources };
  }
}

/** Per target: object count, count per kind, and the Services it exposes (`namespace/name:port`). */
export interface TargetSummary {
  readonly objects: number;
  readonly kinds: Record<string, number>;
  readonly endpoints: string[];
}

function summarize(out: TargetOutput): TargetSummary {
  const kinds: Record<string, number> = {};
  for (const o of out.objects) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
  return {
    objects: out.objects.length,
    kinds,
    endpoints: out.objects
      .filter((o) => o.kind === 'Service')
      .flatMap((o) => (o.spec?.ports ?? []).map((p: any) => `${o.metadata.namespace}/${o.metadata.name}:${p.port}`)),
  };
}

/**
 * A Karmada API server runs no kube-controller-manager: no ReplicaSet, Pod or Endpoints ever appears there, so
 * Pulumi's await logic for Deployments, StatefulSets, Services and Jobs would wait until it times out
 * (karmada#301). Objects applied to the control plane are therefore not awaited; the members' are.
 */
export function withSkipAwait(obj: Record<string, any>): Record<string, any> {
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...(obj.metadata?.annotations ?? {}), 'pulumi.com/skipAwait': 'true' } } };
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
