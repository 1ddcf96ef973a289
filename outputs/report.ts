/**
 * The synthesis report: what a program tells the `fleetplane` CLI (or any tool that runs it) besides its
 * manifests. A tool sets `FLEETPLANE_REPORT_FILE` to a path outside the output directory; FleetApp then writes
 * this JSON there after validation: the problems when validation fails, and otherwise the facts a topology
 * picture needs and the manifests cannot carry (cluster regions, providers, networks and roles, and the
 * replica split the Karmada scheduler will make). `FLEETPLANE_VALIDATE_ONLY=1` makes FleetApp stop after
 * validation and write nothing but the report.
 */
import { IConstruct } from 'constructs';
import { PLATFORM_CONTEXT, PlatformContext } from '../core/context';
import { ClusterRole } from '../model/cluster';
import type { ReachabilityReport } from '../model/reachability';
import { Problem, formatProblem, showValue } from '../core/problems';

/** The environment variable naming the report file. */
export const REPORT_FILE_ENV = 'FLEETPLANE_REPORT_FILE';
/** The environment variable that makes FleetApp validate only. */
export const VALIDATE_ONLY_ENV = 'FLEETPLANE_VALIDATE_ONLY';
/** The environment variable that makes FleetApp add the reachability matrix to its report. */
export const CHECK_ENV = 'FLEETPLANE_CHECK';

/** A member cluster as the topology sees it. */
export interface ClusterFacts {
  readonly name: string;
  readonly region?: string;
  readonly zones?: readonly string[];
  readonly provider?: string;
  readonly network?: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** A KubeEdge (edge) cluster. */
  readonly edge: boolean;
}

/** Where an app runs and, when synthesis knows it, how many replicas each cluster gets. */
export interface AppFacts {
  /** The tenant's namespace. */
  readonly namespace: string;
  readonly name: string;
  /** Candidate clusters after placement. */
  readonly clusters: readonly string[];
  /** Replicas per cluster; absent when decided at run time (autoscaling, capacity-based division). */
  readonly replicas?: Readonly<Record<string, number>>;
  /** The rollout of its current version across waves (karmada mode), when it has waves. */
  readonly rollout?: RolloutFacts;
}

/** How far an app's current version is rolled out, and the gate before its next wave: what `fleetplane promote` reads. */
export interface RolloutFacts {
  /** `<namespace>/<app>`. */
  readonly app: string;
  readonly revision: string;
  readonly waves: readonly (readonly string[])[];
  readonly released: number;
  readonly suspended: readonly string[];
  readonly gates: ReadonlyArray<{ readonly slo: string; readonly query: string; readonly maxBurnRate: number }>;
  /** The file promotions are recorded in, when the platform reads one. */
  readonly stateFile?: string;
}

/** A cross-cluster service: who provides it, who consumes it, through which backend. */
export interface CrossClusterFacts {
  readonly namespace: string;
  readonly app: string;
  readonly backend: string;
  readonly address: string;
  readonly providers: readonly string[];
  readonly consumers: readonly string[];
}

/** The facts of one platform. */
export interface PlatformFacts {
  readonly name: string;
  readonly delivery: string;
  readonly clusters: readonly ClusterFacts[];
  readonly apps: readonly AppFacts[];
  readonly crossCluster: readonly CrossClusterFacts[];
}

/** A problem as the report carries it: the value rendered as text, and the whole one-line message. */
export interface ReportedProblem extends Omit<Problem, 'value'> {
  /** The offending value, rendered as in messages. */
  readonly value: string;
  /** The problem as one line: `[path] prop = value: message Fix: fix (severity rule)`. */
  readonly text: string;
}

/** The report file's content. */
export interface SynthReport {
  readonly version: 1;
  /** False when validation found errors (then `problems` lists them and nothing was written). */
  readonly ok: boolean;
  readonly problems: readonly ReportedProblem[];
  readonly platforms: readonly PlatformFacts[];
  /** With FLEETPLANE_CHECK=1: the reachability matrix (also when declared paths are blocked). */
  readonly reachability?: ReachabilityReport;
}

/** A problem in the report's form (its value may be any object; the report holds text). */
export function reportedProblem(p: Problem): ReportedProblem {
  return { ...p, value: showValue(p.value), text: formatProblem(p) };
}

/** What the facts read from a FederatedApp (its public getters). */
interface ScheduledApp extends IConstruct {
  readonly appName: string;
  readonly tenant: { readonly namespace: string };
  readonly scheduled: { readonly candidates: ReadonlyArray<{ readonly name: string }>; readonly replicas?: ReadonlyMap<string, number> };
  readonly rolloutStatus?: Omit<RolloutFacts, 'stateFile'>;
}

/** What the facts read from a CrossClusterService. */
interface CrossClusterLike extends IConstruct {
  readonly address: string;
  readonly backend: string;
  readonly providers: readonly string[];
  readonly consumers: readonly string[];
  readonly app: ScheduledApp;
}

function isPlatform(c: IConstruct): c is PlatformContext {
  return (c as unknown as Record<symbol, unknown>)[PLATFORM_CONTEXT] === true;
}

function isScheduledApp(c: IConstruct): c is ScheduledApp {
  const x = c as Partial<ScheduledApp>;
  return typeof x.appName === 'string' && typeof x.tenant?.namespace === 'string' && Array.isArray(x.scheduled?.candidates);
}

function isCrossCluster(c: IConstruct): c is CrossClusterLike {
  const x = c as Partial<CrossClusterLike>;
  return typeof x.address === 'string' && typeof x.backend === 'string' && Array.isArray(x.providers) && Array.isArray(x.consumers) && !!x.app && isScheduledApp(x.app);
}

/** The platform a construct belongs to (the nearest scope that is one). */
function platformOfConstruct(c: IConstruct): PlatformContext | undefined {
  return [...c.node.scopes].reverse().find(isPlatform);
}

/** Collects the topology facts of every platform in a construct tree (an App). */
export function collectPlatformFacts(root: IConstruct): PlatformFacts[] {
  const all = root.node.findAll();
  return all.filter(isPlatform).map((platform) => {
    const mine = all.filter((c) => c !== platform && platformOfConstruct(c) === platform);
    const networks = platform.mesh?.networks ?? {};
    return {
      name: platform.platformName,
      delivery: platform.delivery,
      clusters: platform.fleet.clusters.map((c) => ({
        name: c.name,
        region: c.region,
        zones: c.zones,
        provider: c.provider,
        network: c.network ?? networks[c.name],
        labels: c.labels,
        edge: c.role === ClusterRole.EDGE,
      })),
      apps: mine.filter(isScheduledApp).map((a) => ({
        namespace: a.tenant.namespace,
        name: a.appName,
        clusters: a.scheduled.candidates.map((c) => c.name),
        replicas: a.scheduled.replicas ? Object.fromEntries(a.scheduled.replicas) : undefined,
        rollout: a.rolloutStatus ? { ...a.rolloutStatus, stateFile: platform.rollout?.state.file } : undefined,
      })),
      crossCluster: mine.filter(isCrossCluster).map((x) => ({
        namespace: x.app.tenant.namespace,
        app: x.app.appName,
        backend: x.backend,
        address: x.address,
        providers: [...x.providers],
        consumers: [...x.consumers],
      })),
    };
  });
}
