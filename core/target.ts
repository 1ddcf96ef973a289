/**
 * Apply targets: where synthesized objects are applied. In karmada mode there is one, the Karmada API
 * server; in direct mode one per member cluster. Each target is one cdk8s Chart, so `cdk8s synth` writes one
 * file per target.
 */
import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { MemberClusterProps } from '../model/cluster';

/** Kind of apply target. */
export enum TargetKind {
  /** The Karmada API server. */
  CONTROL_PLANE = 'control-plane',
  /** One member cluster, applied directly. */
  MEMBER = 'member',
}

/** One apply target and its chart. */
export class ApplyTarget {
  constructor(
    /** Target name, e.g. `control-plane` or `cluster-bj-1`. */
    public readonly name: string,
    /** Control plane or member. */
    public readonly kind: TargetKind,
    /** The chart holding the target's objects. */
    public readonly chart: Chart,
    /** The member cluster, for member targets. */
    public readonly cluster?: MemberClusterProps,
  ) {}

  /**
   * The scope inside this target's chart that mirrors a construct's path below the platform, so the L1
   * objects of `prod/shop/web` live at `<chart>/shop/web/...`.
   * @internal
   */
  public _scopeFor(construct: IConstruct, platform: IConstruct): Construct {
    const rel = construct.node.scopes.slice(platform.node.scopes.length).map((c) => c.node.id);
    let scope: Construct = this.chart;
    for (const id of rel) {
      scope = (scope.node.tryFindChild(id) as Construct | undefined) ?? new Construct(scope, id);
    }
    return scope;
  }
}

/** How the platform is delivered to its clusters. */
export enum DeliveryMode {
  /** One apply target, the Karmada API server; placement becomes Karmada policies. */
  KARMADA = 'karmada',
  /** One output per member cluster; fleetplane expands placement itself. */
  DIRECT = 'direct',
}
