/**
 * Direct delivery: no Karmada. Objects are written to each member cluster's own target, so placing them
 * needs no policy object.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DeliveryEngine, PlacementRequest } from '../../core/delivery';
import { ApplyTarget, DeliveryMode } from '../../core/target';

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
}
