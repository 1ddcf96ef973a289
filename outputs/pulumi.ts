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
 * The constructor synthesizes the app and fixes names and ordering; the resources themselves are created in
 * batches on the following turns of the event loop, so that each batch is serialized and handed to the engine
 * before the next is built, instead of every registration of a large fleet being in flight at once.
 * `summary` resolves once all of them are created, which also keeps the program running until then.
 *
 * @example
 * const app = new App();
 * buildShop(app);                       // the same definition `cdk8s synth` uses
 * new PlatformStack('shop', { app });
 */
export class PlatformStack extends pulumi.ComponentResource {
  /**
   * Per target: object count, count per kind, and the Services it exposes (`namespace/name:port`). Resolves
   * once every resource has been created.
   */
  public readonly summary: pulumi.Output<Record<string, TargetSummary>>;
  /** The ordering used, as resource name → names it depends on (for inspection and tests). */
  public readonly ordering: ReadonlyMap<string, readonly string[]>;

  private readonly stackName: string;
  private readonly props: PlatformStackProps;
  private readonly config = new pulumi.Config('fleetplane');
  private readonly shared: ReadonlySet<string>;
  private readonly registered: Record<string, RegisteredTarget> = {};
  private readonly queue = new RegistrationQueue<Step>((step) => this.register(step), REGISTRATION_BATCH);

  constructor(name: string, props: PlatformStackProps, opts: pulumi.ComponentResourceOptions = {}) {
    super('fleetplane:index:Platform', name, {}, { ...opts, aliases: [...(opts.aliases ?? []), ...(props.previousNames ?? []).map((n) => ({ name: n }))] });
    this.stackName = name;
    this.props = props;
    this.shared = new Set(props.sharedNamespaces ?? []);
    const outputs = synthesizeTargets(props.app);
    const multi = new Set(outputs.map((o) => o.platform)).size > 1;
    const keyOf = (o: TargetOutput) => (multi ? `${o.platform}/${o.target.name}` : o.target.name);
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
      this.enqueueTarget(out, key, after, ordering);
      summary[key] = summarize(out);
    }
    this.ordering = ordering;
    this.summary = pulumi.output(this.queue.run().then(() => summary));
    this.registerOutputs({ summary: this.summary });
  }

  /**
   * Registered targets, by `<platform>/<target>`. Reading this before every batch is created creates the
   * remaining resources at once, so the maps are always complete.
   */
  public get targets(): Readonly<Record<string, RegisteredTarget>> {
    this.queue.flush();
    return this.registered;
  }

  /** Queues one target: its component and provider, then one resource per object in apply order. */
  private enqueueTarget(out: TargetOutput, key: string, after: string[], ordering: Map<string, string[]>): void {
    const prefix = `${this.stackName}:${key}`;
    const deps = orderingDependencies(prefix, out.objects);
    for (const obj of out.objects) {
      const rname = resourceName(prefix, obj);
      ordering.set(rname, deps.get(rname) ?? []);
    }
    const target: PendingTarget = { out, key, after, prefix, deps, controlPlane: out.target.kind === TargetKind.CONTROL_PLANE };
    this.queue.push({ target });
    for (const obj of out.objects) this.queue.push({ target, obj });
  }

  /** One step: a target's component and provider, or one object's resource. */
  private register({ target, obj }: Step): void {
    if (!obj) {
      target.created = this.createTarget(target);
      this.registered[target.key] = target.created;
      return;
    }
    const { component, provider, resources } = target.created!;
    // Child names carry the component name: Pulumi URNs do not include parent names.
    const rname = resourceName(target.prefix, obj);
    const ropts: pulumi.CustomResourceOptions = { parent: component, provider };
    const deps = target.deps.get(rname);
    if (deps) ropts.dependsOn = deps.map((d) => resources[d]).filter((r) => !!r);
    const old = this.props.previousNames;
    if (old?.length) ropts.aliases = old.map((n) => ({ name: resourceName(`${n}:${target.key}`, obj) }));
    const input = target.controlPlane ? withSkipAwait(obj) : obj;
    const isShared = this.shared.has(obj.metadata?.name) || obj.metadata?.labels?.[LABEL_OWNERSHIP] === 'shared';
    const Kind = obj.kind === 'Namespace' && obj.apiVersion === 'v1' && isShared ? k8s.core.v1.NamespacePatch : kubernetesClass(obj);
    resources[rname] = new Kind(rname, input as any, ropts);
  }

  /** A target's component, after the targets it depends on (created by then), and its provider. */
  private createTarget({ out, key, after }: PendingTarget): CreatedTarget {
    const fullKey = `${out.platform}-${out.target.name}`;
    const old = this.props.previousNames ?? [];
    const dependsOn = after.map((k) => this.registered[k]?.component).filter((c): c is pulumi.ComponentResource => !!c);
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
    return { component, provider, resources: {} };
  }
}

interface CreatedTarget extends RegisteredTarget {
  readonly resources: Record<string, pulumi.CustomResource>;
}

/** A target whose resources are being created. */
interface PendingTarget {
  readonly out: TargetOutput;
  readonly key: string;
  /** Targets whose components this target's component depends on. */
  readonly after: readonly string[];
  /** Prefix of its resource names. */
  readonly prefix: string;
  /** Resource name → names of the resources it depends on. */
  readonly deps: ReadonlyMap<string, readonly string[]>;
  readonly controlPlane: boolean;
  created?: CreatedTarget;
}

/** Creates a target (its component and provider) when `obj` is absent, else the resource of `obj`. */
interface Step {
  readonly target: PendingTarget;
  readonly obj?: Record<string, any>;
}

/**
 * Resources created per turn of the event loop. Under mocks, a batch's whole registration round trip completes
 * before the next batch is built; with an engine, its serialization does. A batch small enough for its
 * short-lived registration objects to die young keeps garbage collection cheap; measured at 300 apps, 25 to 50
 * were the fastest and 250 a third slower.
 */
const REGISTRATION_BATCH = 32;

/** Items handled in order, one batch per turn of the event loop, or all at once on demand. */
class RegistrationQueue<T> {
  private items: T[] = [];
  private next = 0;

  constructor(private readonly handle: (item: T) => void, private readonly batchSize: number) {}

  push(item: T): void {
    this.items.push(item);
  }

  /** Handles the items from the next turn on; resolves when all are handled. */
  run(): Promise<void> {
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.runBatch();
      if (this.next < this.items.length) return this.run();
      this.items = []; // releases the synthesized objects
      this.next = 0;
      return undefined;
    });
  }

  /** Handles every remaining item now. */
  flush(): void {
    while (this.next < this.items.length) this.runBatch();
  }

  /**
   * One batch, with V8 capturing no stack frames for the Errors created meanwhile. The Pulumi SDK creates about
   * 25 Errors per resource only to keep their stacks as debugging context on its internal promises (printed
   * when `PULUMI_DEBUG_PROMISE_LEAKS` is set, which keeps them here); formatting those stacks was more than
   * half of the cost of creating a resource, and holding them a quarter of its memory. Resource source
   * positions are unaffected (the SDK captures them with its own limit); the process-wide limit is restored
   * before anything else runs; an error thrown while creating a resource keeps its message.
   */
  private runBatch(): void {
    const end = Math.min(this.next + this.batchSize, this.items.length);
    const limit = Error.stackTraceLimit;
    if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
    try {
      while (this.next < end) this.handle(this.items[this.next++]);
    } finally {
      Error.stackTraceLimit = limit;
    }
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
  const Kind = kubernetesClass(obj);
  return new Kind(name, obj, opts);
}

type KubernetesClass = new (name: string, args: any, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** The typed class of a built-in kind, else CustomResource. */
function kubernetesClass(obj: Record<string, any>): KubernetesClass {
  const apiVersion = String(obj.apiVersion);
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const builtin = !group.includes('.') || (group.endsWith('.k8s.io') && !group.endsWith('.x-k8s.io'));
  const typed = builtin ? (k8s as any)[group.split('.')[0]]?.[version]?.[obj.kind] : undefined;
  return typeof typed === 'function' ? typed : k8s.apiextensions.CustomResource;
}
