/**
 * Direct delivery: no Karmada. Objects are written to each member cluster's own target, so placing them
 * needs no policy object.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AppDeliveryInput, DeliveryEngine, PlacementRequest } from '../../core/delivery';
import { ApplyTarget, DeliveryMode } from '../../core/target';
import { AppResources } from '../../model/app';
import { renderMemberApp } from './app-direct';

/** Direct mode: one target per member cluster. */
export class DirectDelivery implements DeliveryEngine {
  public readonly mode = DeliveryMode.DIRECT;

  constructor(private readonly memberTarget: (cluster: string) => ApplyTarget | undefined) {}

  public targetsFor(clusters: readonly string[]): ApplyTarget[] {
    return clusters.map((c) => this.memberTarget(c)).filter((t): t is ApplyTarget => !!t);
  }

  public place(_scope: Construct, _id: string, _request: PlacementRequest): ApiObject | undefined {
    return undefined;
  }

  /**
   * The app in each candidate cluster's own target, with that cluster's replicas and overrides.
   * @internal
   */
  public deliverApp(app: AppDeliveryInput): Map<string, AppResources> {
    const resources = new Map<string, AppResources>();
    for (const c of app.scheduled.candidates) {
      const target = this.memberTarget(c.name);
      if (target) resources.set(target.name, renderMemberApp(app.scopeFor(target), app, c.name));
    }
    return resources;
  }
}
