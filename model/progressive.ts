import { Duration } from 'cdk8s';

/** What every analysis shares. */
export interface AnalysisProps {
  /**
   * How often the analysis checks the canary; also the window of the per-workload SLO series it reads.
   * Whole minutes.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
  /**
   * Failed checks before the canary is rolled back.
   * @default 5
   */
  readonly threshold?: number;
  /**
   * The highest burn rate of each SLO's error budget by the canary over one interval that passes a check. 14.4 is
   * the fast-burn factor of the SLO alerts: a canary burning faster would page.
   * @default 14.4
   */
  readonly maxBurnRate?: number;
}

/** A canary promoted in steps of traffic. */
export interface CanaryAnalysisProps extends AnalysisProps {
  /**
   * Traffic added to the canary at each passed check, in percent.
   * @default 10
   */
  readonly stepWeight?: number;
  /**
   * Traffic share at which the canary is promoted, in percent.
   * @default 50
   */
  readonly maxWeight?: number;
}

/** Blue/green: the new version is checked without traffic for some iterations, then takes all of it. */
export interface BlueGreenAnalysisProps extends AnalysisProps {
  /**
   * Passed checks before the switch.
   * @default 10
   */
  readonly iterations?: number;
}

/**
 * A new version promoted or rolled back by a controller (Flagger with Istio, in every cluster that runs the
 * app) on the app's SLO series: each check reads the burn rate of every SLO by the new version.
 */
export class ProgressiveDelivery {
  /** Traffic shifted to the new version in steps while its SLOs hold; rolled back after `threshold` failures. */
  public static canary(props: CanaryAnalysisProps = {}): ProgressiveDelivery {
    return new ProgressiveDelivery('canary', props);
  }

  /** The new version checked for `iterations` intervals before it takes all traffic at once. */
  public static blueGreen(props: BlueGreenAnalysisProps = {}): ProgressiveDelivery {
    return new ProgressiveDelivery('blue-green', props);
  }

  private constructor(
    /** Canary or blue/green. */
    public readonly strategy: 'canary' | 'blue-green',
    /** The analysis. */
    public readonly props: CanaryAnalysisProps & BlueGreenAnalysisProps,
  ) {}
}
