import * as fs from 'fs';
import { Duration } from 'cdk8s';

/** The gate between two waves: the SLO burn rates of the app in the clusters already rolled out. */
export interface RolloutGateProps {
  /**
   * The window the burn rate is measured over: one of the SLO rules' windows (5m, 30m, 1h, 2h, 6h, 1d, 3d). Wait
   * at least this long after a wave before promoting the next.
   * @default Duration.hours(1)
   */
  readonly window?: Duration;
  /**
   * The highest burn rate of each SLO's error budget, in every cluster already rolled out, that lets the next wave
   * go. 1 spends the budget exactly as fast as the objective allows.
   * @default 2
   */
  readonly maxBurnRate?: number;
}

/** A rollout across clusters in waves: a new version reaches the clusters of one wave at a time. */
export interface RolloutProps {
  /**
   * The waves, in order, as cluster names; every cluster the app runs on exactly once, e.g.
   * `[['bj-1'], ['bj-2', 'sh-1']]`.
   */
  readonly waves: string[][];
  /**
   * The gate `fleetplane promote` checks before releasing the next wave, or false for none.
   * @default - a burn-rate gate on every SLO of the app (the app needs `slos`)
   */
  readonly gate?: RolloutGateProps | false;
}

/** The platform-wide rollout: default waves, and where promotions are recorded. */
export interface PlatformRolloutProps {
  /**
   * Default waves over the fleet (each app uses them restricted to its clusters); every cluster exactly once.
   * @default - only apps with their own `rollout` roll out in waves
   */
  readonly waves?: string[][];
  /**
   * The gate of the default waves, or false for none.
   * @default - a burn-rate gate on every SLO of each app
   */
  readonly gate?: RolloutGateProps | false;
  /**
   * How far each app's current version has been promoted (`fleetplane promote` writes it).
   * @default - no promotion recorded: every new version stops after the first wave
   */
  readonly state?: RolloutState;
}

/** How far one app's version has been promoted. */
export interface RolloutStateEntry {
  /** The version (revision fingerprint of its workload and ConfigMaps) the promotion applies to. */
  readonly revision: string;
  /** Waves released, from 1 (the first wave only) to the number of waves. */
  readonly released: number;
}

/**
 * Promotions recorded for a platform's apps, keyed `<namespace>/<app>`. A version with no entry, or an entry for
 * another revision, is released to the first wave only: changing the image starts a new rollout by itself.
 */
export class RolloutState {
  /** The state in a JSON file (`{ "version": 1, "apps": { "shop/web": { "revision": "...", "released": 2 } } }`); a missing file is empty. */
  public static fromFile(file: string): RolloutState {
    if (!fs.existsSync(file)) return new RolloutState({}, file);
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { apps?: Record<string, RolloutStateEntry> };
    return new RolloutState(json.apps ?? {}, file);
  }

  /** A state given in code. */
  public static of(apps: Record<string, RolloutStateEntry>): RolloutState {
    return new RolloutState({ ...apps });
  }

  private constructor(
    /** The entries, by `<namespace>/<app>`. */
    public readonly apps: Readonly<Record<string, RolloutStateEntry>>,
    /** The file it was read from, if any. */
    public readonly file?: string,
  ) {}

  /** Waves released for an app's revision, or undefined when this revision was never promoted. */
  public released(app: string, revision: string): number | undefined {
    const e = this.apps[app];
    return e && e.revision === revision && Number.isInteger(e.released) ? e.released : undefined;
  }
}
