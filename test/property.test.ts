// Property-based tests (fast-check): Karmada's static-weight division, the direct-mode replica split, schema
// validity of random valid programs in both delivery modes, deterministic synthesis, complete Karmada
// PropagationPolicies, and direct mode reproducing Karmada's split and overrides.
process.env.FLEETPLANE_QUIET = '1';

import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as fc from 'fast-check';
import {
  AutoscalingProps, DeliveryMode, DistributedPlatform, Distribution, EnvValue, FederatedApp, FederatedAppProps,
  OverrideValues, Placement, PlatformValidationError, Probe, Protocol, WorkloadKind, formatImage, parseImage,
} from '../index';
import { divideByWeight } from '../engines/delivery/webster';
import { Output, readOutput, tmpDir } from './support/synth';
import { SchemaValidator, formatIssues } from './support/schema-validator';

/**
 * Fast-check settings: a fixed seed for reproducibility, runs sized so the file stays well under a minute on
 * two cores. To explore further: FP_PROP_SEED=<n> (or `random`) and FP_PROP_RUNS=<multiplier>.
 */
const SEED = process.env.FP_PROP_SEED === 'random' ? Date.now() : Number(process.env.FP_PROP_SEED ?? 42);
const RUNS = Number(process.env.FP_PROP_RUNS ?? 1);
const cheap = (numRuns: number) => ({ seed: SEED, numRuns: Math.max(1, Math.round(numRuns * RUNS)) });
/** Present in about a third of the cases (fc.option would build a value five times out of six). */
const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
/** Present in half of the cases. */
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(fc.constant(undefined), arb);

// ---------------------------------------------------------------------------------------------
// Helpers

/** Synthesizes into a fresh temp dir, returns the raw file contents, and removes the dir. */
function synthRaw(build: (app: App) => void): Record<string, string> {
  const dir = tmpDir('fleetplane-prop-');
  try {
    const app = new App({ outdir: dir });
    build(app);
    app.synth();
    const files: Record<string, string> = {};
    for (const f of fs.readdirSync(dir).sort()) files[f] = fs.readFileSync(path.join(dir, f), 'utf8');
    return files;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Synthesizes into a fresh temp dir, returns the parsed files, and removes the dir. */
function synthParsed(build: (app: App) => void): Output {
  const dir = tmpDir('fleetplane-prop-');
  try {
    const app = new App({ outdir: dir });
    build(app);
    app.synth();
    return readOutput(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Re-throws a PlatformValidationError with every problem in the message, so fast-check shows them. */
function explain<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof PlatformValidationError) throw new Error(`library rejected a generated (valid) program:\n${e.message}`);
    throw e;
  }
}

const mapToObject = (m: Map<string, number>) => Object.fromEntries([...m.entries()]);

// ---------------------------------------------------------------------------------------------
// 1. divideByWeight

describe('divideByWeight (Karmada static weights, Webster / Sainte-Laguë)', () => {
  const clusterWeights = (minWeight: number) =>
    fc
      .uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'bj-1', 'sh-1', 'gz-2'), { minLength: 1, maxLength: 8 })
      .chain((names) => fc.tuple(...names.map((name) => fc.integer({ min: minWeight, max: 20 }).map((weight) => ({ name, weight })))));

  test('sums to total, only positive weights get replicas, deterministic and order-independent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), clusterWeights(0), (total, weights) => {
        const result = divideByWeight(total, weights);
        const sum = [...result.values()].reduce((a, b) => a + b, 0);
        const anyPositive = weights.some((w) => w.weight > 0);
        expect(sum).toBe(total > 0 && anyPositive ? total : 0);
        for (const [name, seats] of result) {
          expect(seats).toBeGreaterThan(0);
          expect(Number.isInteger(seats)).toBe(true);
          expect(weights.find((w) => w.name === name)!.weight).toBeGreaterThan(0);
        }
        // Deterministic, sorted by name, and independent of the order the clusters are listed in.
        expect([...divideByWeight(total, weights)]).toEqual([...result]);
        expect([...result.keys()]).toEqual([...result.keys()].sort());
        expect([...divideByWeight(total, [...weights].reverse())]).toEqual([...result]);
      }),
      cheap(300),
    );
  });

  test('the result is a Webster divisor apportionment: no seat can be moved to a cluster with a better claim', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), clusterWeights(1), (total, weights) => {
        const result = divideByWeight(total, weights);
        const seats = (n: string) => result.get(n) ?? 0;
        for (const i of weights) {
          const si = seats(i.name);
          if (si === 0) continue;
          for (const j of weights) {
            if (i === j) continue;
            const sj = seats(j.name);
            // w_i / (2 s_i - 1) >= w_j / (2 s_j + 1), cross-multiplied to stay in integers.
            expect(i.weight * (2 * sj + 1)).toBeGreaterThanOrEqual(j.weight * (2 * si - 1));
          }
        }
      }),
      cheap(300),
    );
  });

  test('matches a naive one-seat-at-a-time reference with the documented tie-break', () => {
    const reference = (total: number, weights: ReadonlyArray<{ name: string; weight: number }>) => {
      const parties = weights.filter((w) => w.weight > 0).map((w) => ({ ...w, seats: 0 }));
      for (let k = 0; k < total && parties.length > 0; k++) {
        let best = parties[0];
        for (const p of parties.slice(1)) {
          // Exact comparison of w_p/(2s_p+1) vs w_b/(2s_b+1) in integers.
          const lhs = p.weight * (2 * best.seats + 1);
          const rhs = best.weight * (2 * p.seats + 1);
          if (lhs > rhs || (lhs === rhs && (p.seats < best.seats || (p.seats === best.seats && p.name < best.name)))) best = p;
        }
        best.seats++;
      }
      return Object.fromEntries(parties.filter((p) => p.seats > 0).sort((a, b) => (a.name < b.name ? -1 : 1)).map((p) => [p.name, p.seats]));
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), clusterWeights(0), (total, weights) => {
        expect(mapToObject(divideByWeight(total, weights))).toEqual(reference(total, weights));
      }),
      cheap(300),
    );
  });

  test('weights equal to counts reproduce the counts exactly (Distribution.exact)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { minLength: 1, maxLength: 8 }).chain((names) =>
          fc.tuple(...names.map((name) => fc.integer({ min: 1, max: 60 }).map((weight) => ({ name, weight })))),
        ),
        (counts) => {
          const total = counts.reduce((a, c) => a + c.weight, 0);
          const expected = Object.fromEntries(counts.map((c) => [c.name, c.weight]));
          expect(mapToObject(divideByWeight(total, counts))).toEqual(expected);
        },
      ),
      cheap(300),
    );
  });

  test("Karmada's example: 9 replicas over weights a:1, b:3 gives a:2, b:7", () => {
    expect(mapToObject(divideByWeight(9, [{ name: 'a', weight: 1 }, { name: 'b', weight: 3 }]))).toEqual({ a: 2, b: 7 });
    expect(mapToObject(divideByWeight(9, [{ name: 'b', weight: 3 }, { name: 'a', weight: 1 }]))).toEqual({ a: 2, b: 7 });
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Direct mode splits weighted replicas exactly as divideByWeight

describe('direct mode: weighted split', () => {
  test('per-cluster Deployment replicas equal divideByWeight and sum to replicas', () => {
    const arb = fc.integer({ min: 2, max: 5 }).chain((n) => {
      const names = Array.from({ length: n }, (_, i) => `c${i}`);
      return fc.record({
        regions: fc.tuple(...names.map(() => fc.constantFrom('r1', 'r2', 'r3'))),
        replicas: fc.integer({ min: 1, max: 60 }),
        // A non-empty subset of the clusters carries a weight; the others get none (weight 0: left out).
        weights: fc
          .subarray(names, { minLength: 1 })
          .chain((sub) => fc.tuple(...sub.map((name) => fc.integer({ min: 1, max: 10 }).map((w) => [name, w] as const))))
          .map((entries) => Object.fromEntries(entries) as Record<string, number>),
        names: fc.constant(names),
      });
    });
    fc.assert(
      fc.property(arb, ({ names, regions, replicas, weights }) => {
        const out = explain(() =>
          synthParsed((app) => {
            const platform = new DistributedPlatform(app, 'fp', {
              delivery: DeliveryMode.DIRECT,
              clusters: names.map((name, i) => ({ name, region: regions[i] })),
            });
            const tenant = platform.addTenant('team');
            new FederatedApp(tenant, 'web', { image: 'registry.example.com/team/web:1.0.0', replicas, distribution: Distribution.weighted(weights) });
          }),
        );
        const expected = divideByWeight(replicas, names.map((name) => ({ name, weight: weights[name] ?? 0 })));
        let sum = 0;
        for (const name of names) {
          const file = `fp-cluster-${name}.k8s.yaml`;
          expect(out[file]).toBeDefined();
          const deployments = out[file].filter((o) => o.kind === 'Deployment' && o.metadata?.name === 'web');
          const want = expected.get(name) ?? 0;
          if (want === 0) {
            expect(deployments).toHaveLength(0);
          } else {
            expect(deployments).toHaveLength(1);
            expect(deployments[0].spec.replicas).toBe(want);
            sum += deployments[0].spec.replicas;
          }
        }
        expect(sum).toBe(replicas);
      }),
      cheap(50),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Random valid programs (properties 3-6). A program is plain data (printed by fast-check on failure) that
// buildProgram turns into constructs; the generators only produce definitions the library must accept.

interface ClusterSpec { name: string; region: string; zones: string[]; labels: Record<string, string> }
type EnvSpec =
  | { literal: string }
  | { secret: string; key: string }
  | { configMap: string; key: string }
  | { field: string };
type DistSpec =
  | { kind: 'duplicated' }
  | { kind: 'evenly' }
  | { kind: 'weighted'; weights: Record<string, number> }
  | { kind: 'exact'; counts: Record<string, number> };
interface OverrideSpec { tag?: string; env?: Record<string, string>; labels?: Record<string, string>; replicas?: number }
interface AppSpec {
  name: string;
  repository: string;
  digest?: string;
  registry?: string;
  tag: string;
  statefulSet: boolean;
  storage?: { size: string; storageClass?: string };
  ports: Array<{ name: string; port: number; protocol: Protocol; servicePort?: number }>;
  readinessOnFirstPort: boolean;
  env: Record<string, EnvSpec>;
  configMaps: Record<string, Record<string, string>>;
  secrets: string[];
  resources?: FederatedAppProps['resources'];
  /** Placement: every tenant cluster (undefined), these clusters, or the tenant clusters in these regions. */
  placement?: { names: string[] } | { regions: string[] };
  distribution: DistSpec;
  replicas?: number;
  autoscaling?: { min: number; max: number; cpu?: number; memory?: number; schedules: boolean };
  overrides: Record<string, OverrideSpec>;
  disruptionBudget?: FederatedAppProps['disruptionBudget'];
  topologySpread?: boolean;
  labels?: Record<string, string>;
}
interface ProgramSpec {
  clusters: ClusterSpec[];
  imageRegistry?: string;
  namespace: string;
  /** The tenant's clusters by name (undefined: every cluster). */
  tenantClusters?: string[];
  apps: AppSpec[];
}

const SECRETISH = /pass|secret|token|key|credential/i;
const envName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,11}$/).filter((n) => !SECRETISH.test(n));
const labelValue = fc.oneof(fc.constant(''), fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,10}[a-z0-9])?$/));
const labelMap = fc.dictionary(fc.constantFrom('team', 'cost-center', 'example.com/owner', 'tier'), labelValue, { maxKeys: 3 });
// Literal values YAML could misread if they were not quoted.
const tricky = fc.constantFrom('', 'true', 'no', 'null', '~', '0x1F', '1e3', '007', '- a', 'a: b', '#x', '"q"', "'", 'multi\nline', ' lead', 'ünï');
const textValue = fc.oneof(fc.string({ maxLength: 12 }), tricky);
const imageTag = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,15}$/), fc.constantFrom('1.0.0', 'v2', 'latest', '2024.01.02-rc_1'));
const CPU = ['50m', '100m', '250m', '500m', '1', '1500m', '2'];
const MEMORY = ['64Mi', '128Mi', '256Mi', '512Mi', '1Gi', '2Gi'];
const rangeOf = (list: string[]) =>
  fc.tuple(fc.nat(list.length - 1), fc.nat(list.length - 1), fc.constantFrom('both', 'request', 'limit')).map(([a, b, which]) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    return which === 'both' ? { request: list[lo], limit: list[hi] } : which === 'request' ? { request: list[lo] } : { limit: list[hi] };
  });

const ALNUM = [...'abcdefghijklmnopqrstuvwxyz0123456789'];
/** A DNS label: `first` character from `first`, then up to maxLength - 1 more, lengths spread up to the maximum. */
const dnsLabel = (first: string[], maxLength: number) =>
  fc
    .tuple(
      fc.constantFrom(...first),
      fc.string({ unit: fc.constantFrom(...ALNUM, '-'), maxLength: maxLength - 2, size: 'max' }),
      fc.constantFrom(...ALNUM),
      fc.boolean(),
    )
    .map(([a, middle, z, single]) => (single && middle.length === 0 ? a : `${a}${middle}${z}`));
// DNS-1123 labels of at most 48 characters (Karmada's limit), short ones more often.
const clusterName = fc.oneof(fc.constantFrom('c0', 'c1', 'c2', 'c3', 'bj-1'), dnsLabel(ALNUM, 48));
const clustersArb: fc.Arbitrary<ClusterSpec[]> = fc.uniqueArray(clusterName, { minLength: 1, maxLength: 4 }).chain((names) =>
  fc.tuple(
    ...names.map((name) =>
      fc.record({
        name: fc.constant(name),
        region: fc.constantFrom('eu', 'us', 'ap'),
        zones: fc.subarray(['z1', 'z2', 'z3']),
        labels: fc.dictionary(fc.constantFrom('env', 'tier'), fc.constantFrom('prod', 'dev', 'edge')),
      }),
    ),
  ),
);

/**
 * Longest StatefulSet app name: its headless Service `<name>-headless` must stay within 63 characters, and
 * longer names are rejected by the library (rule K1), so valid programs stay below it.
 */
const MAX_STATEFUL_SET_NAME = 54;

// Arbitraries that do not depend on the cluster names, built once (building some, e.g. stringMatching, is costly).
const portsArb = fc
  .uniqueArray(
    fc.record({
      name: fc.constantFrom('http', 'grpc', 'metrics', 'tcp-db', 'udp-dns', 'admin-api'),
      port: fc.integer({ min: 1, max: 65535 }),
      protocol: fc.constantFrom(Protocol.TCP, Protocol.UDP, Protocol.SCTP),
      servicePort: maybe(fc.integer({ min: 1, max: 65535 })),
    }),
    { maxLength: 3, selector: (p) => p.name },
  )
  .filter((ps) => {
    const pairs = ps.map((p) => `${p.port}/${p.protocol}`);
    const svc = ps.map((p) => `${p.servicePort ?? p.port}/${p.protocol}`);
    return new Set(pairs).size === pairs.length && new Set(svc).size === svc.length;
  });
const configMapKey = fc.stringMatching(/^[a-z][a-z0-9._-]{0,10}$/).filter((k) => !SECRETISH.test(k));
const digestArb = maybe(fc.stringMatching(/^[0-9a-f]{64}$/));
const storageArb = maybe(fc.record({ size: fc.constantFrom('1Gi', '10Gi', '500Mi'), storageClass: maybe(fc.constantFrom('ssd', 'standard')) }));
const resourcesArb = maybe(fc.record({ cpu: rangeOf(CPU), memory: rangeOf(MEMORY) }, { requiredKeys: [] }));

/** An app of a tenant using `clusters`; weights, counts and overrides name only clusters the app runs on. */
function appArb(name: string, clusters: ClusterSpec[]): fc.Arbitrary<AppSpec> {
  const regions = [...new Set(clusters.map((c) => c.region))];
  const placementArb: fc.Arbitrary<AppSpec['placement']> = fc.oneof(
    fc.constant(undefined),
    fc.subarray(clusters.map((c) => c.name), { minLength: 1 }).map((names) => ({ names })),
    fc.subarray(regions, { minLength: 1 }).map((rs) => ({ regions: rs })),
  );
  return placementArb.chain((placement) => {
    const usable = clusters
      .filter((c) => !placement || ('names' in placement ? placement.names.includes(c.name) : placement.regions.includes(c.region)))
      .map((c) => c.name);
    const subsetValues = (min: number, max: number, minLength: number) =>
      fc
        .subarray(usable, { minLength })
        .chain((sub) => fc.tuple(...sub.map((c) => fc.integer({ min, max }).map((v) => [c, v] as const))))
        .map((e) => Object.fromEntries(e) as Record<string, number>);
    const autoscalingArb = sometimes(
      fc
        .record({ min: fc.integer({ min: 1, max: 5 }), extra: fc.integer({ min: 0, max: 15 }), cpu: maybe(fc.integer({ min: 1, max: 100 })), memory: sometimes(fc.integer({ min: 1, max: 100 })), schedules: fc.boolean() })
        .map(({ min, extra, cpu, memory, schedules }) => ({ min, max: min + extra, cpu, memory, schedules })),
    );
    return autoscalingArb.chain((autoscaling) => {
      const distArb: fc.Arbitrary<DistSpec> = autoscaling
        ? fc.oneof(fc.constant({ kind: 'evenly' as const }), subsetValues(1, 10, 1).map((weights) => ({ kind: 'weighted' as const, weights })))
        : fc.oneof(
            fc.constant({ kind: 'duplicated' as const }),
            fc.constant({ kind: 'evenly' as const }),
            subsetValues(1, 10, 1).map((weights) => ({ kind: 'weighted' as const, weights })),
            subsetValues(0, 5, 1)
              .filter((counts) => Object.values(counts).some((c) => c > 0))
              .map((counts) => ({ kind: 'exact' as const, counts })),
          );
      return distArb.chain((distribution) => {
        const exactSum = distribution.kind === 'exact' ? Object.values(distribution.counts).reduce((a, b) => a + b, 0) : 0;
        const replicasArb: fc.Arbitrary<number | undefined> = autoscaling
          ? fc.constant(undefined)
          : distribution.kind === 'exact'
            ? fc.constantFrom(undefined, exactSum)
            : maybe(fc.integer({ min: 0, max: 12 }));
        const overrideArb: fc.Arbitrary<OverrideSpec> = fc.record(
          {
            tag: imageTag,
            env: fc.dictionary(envName, textValue, { maxKeys: 3 }),
            labels: labelMap,
            ...(autoscaling ? {} : { replicas: fc.integer({ min: 0, max: 6 }) }),
          },
          { requiredKeys: [] },
        );
        const configMapsArb = fc
          .subarray([`${name}-config`, `${name}-extra`])
          .chain((cms) =>
            fc.tuple(...cms.map((cm) => fc.dictionary(configMapKey, textValue, { maxKeys: 3 }).map((d) => [cm, d] as const))),
          )
          .map((e) => Object.fromEntries(e) as Record<string, Record<string, string>>);
        return configMapsArb.chain((configMaps) => {
          const cmNames = [...Object.keys(configMaps), 'shared-settings'];
          const envValueArb: fc.Arbitrary<EnvSpec> = fc.oneof(
            { weight: 4, arbitrary: textValue.map((literal) => ({ literal })) },
            { weight: 1, arbitrary: fc.record({ secret: fc.constantFrom('db-creds', `${name}-tls`), key: fc.constantFrom('password', 'token') }) },
            { weight: 1, arbitrary: fc.record({ configMap: fc.constantFrom(...cmNames), key: fc.constantFrom('a', 'b.yaml') }) },
            { weight: 1, arbitrary: fc.record({ field: fc.constantFrom('metadata.name', 'status.podIP') }) },
          );
          return fc.record({
            name: fc.constant(name),
            repository: fc.constantFrom('shop/web', 'team/api-server', 'app', 'org/sub/svc_x'),
            digest: digestArb,
            registry: fc.constantFrom(undefined, 'registry.example.com', 'localhost:5000'),
            tag: imageTag,
            statefulSet: name.length <= MAX_STATEFUL_SET_NAME ? fc.boolean() : fc.constant(false),
            storage: storageArb,
            ports: portsArb,
            readinessOnFirstPort: fc.boolean(),
            env: fc.dictionary(envName, envValueArb, { maxKeys: 4 }),
            configMaps: fc.constant(configMaps),
            secrets: fc.subarray(['db-creds', 'api-certs']),
            resources: resourcesArb,
            placement: fc.constant(placement),
            distribution: fc.constant(distribution),
            replicas: replicasArb,
            autoscaling: fc.constant(autoscaling),
            overrides: fc
              .subarray(usable)
              .chain((sub) => fc.tuple(...sub.map((c) => overrideArb.map((o) => [c, o] as const))))
              .map((e) => Object.fromEntries(e) as Record<string, OverrideSpec>),
            disruptionBudget: fc.constantFrom(undefined, false as const, { maxUnavailable: 1 }, { minAvailable: '50%' }, { maxUnavailable: '25%' }),
            topologySpread: maybe(fc.boolean()),
            labels: maybe(labelMap),
          });
        });
      });
    });
  });
}

// App names are DNS-1035 labels (they name the Service), short ones more often.
const appName = fc.oneof(fc.constantFrom('web', 'api', 'worker'), dnsLabel([...'abcdefghijklmnopqrstuvwxyz'], 63));
const programArb: fc.Arbitrary<ProgramSpec> = clustersArb.chain((clusters) =>
  fc
    .record({
      tenantClusters: maybe(fc.subarray(clusters.map((c) => c.name), { minLength: 1 })),
      names: fc.uniqueArray(appName, { minLength: 1, maxLength: 3 }).filter((ns) => !ns.some((n) => ns.includes(`${n}-headless`))),
    })
    .chain(({ tenantClusters, names }) =>
      fc.record({
        clusters: fc.constant(clusters),
        imageRegistry: fc.constantFrom(undefined, 'mirror.example.com'),
        namespace: fc
          .oneof(fc.constantFrom('shop', 'team-a'), dnsLabel(ALNUM, 63))
          .filter((n) => !['default', 'kube-system', 'kube-public', 'kube-node-lease', 'karmada-system', 'karmada-cluster'].includes(n) && !n.startsWith('karmada-es-')),
        tenantClusters: fc.constant(tenantClusters),
        apps: fc.tuple(...names.map((n) => appArb(n, clusters.filter((c) => !tenantClusters || tenantClusters.includes(c.name))))),
      }),
    ),
);
const tenantClusterNames = (spec: ProgramSpec) => spec.tenantClusters ?? spec.clusters.map((c) => c.name);
/** The clusters an app runs on: the tenant's clusters its placement selects. */
const appClusters = (spec: ProgramSpec, a: AppSpec) =>
  spec.clusters
    .filter((c) => tenantClusterNames(spec).includes(c.name))
    .filter((c) => !a.placement || ('names' in a.placement ? a.placement.names.includes(c.name) : a.placement.regions.includes(c.region)))
    .map((c) => c.name);

/** Evaluates a rendered Karmada ClusterAffinity against a cluster, as Karmada's ClusterMatches does. */
function affinityMatches(aff: any, c: ClusterSpec): boolean {
  if (aff.exclude?.includes(c.name)) return false;
  for (const [k, v] of Object.entries(aff.labelSelector?.matchLabels ?? {})) if (c.labels[k] !== v) return false;
  if (aff.labelSelector?.matchExpressions?.length) throw new Error('label matchExpressions not expected');
  for (const e of aff.fieldSelector?.matchExpressions ?? []) {
    const values: string[] = e.key === 'region' ? [c.region] : e.key === 'zone' ? c.zones : [];
    const hit = values.some((v) => e.values.includes(v));
    if (e.operator === 'In' ? !hit : hit) return false;
  }
  if (aff.clusterNames?.length && !aff.clusterNames.includes(c.name)) return false;
  return true;
}

function toEnvValue(e: EnvSpec): EnvValue {
  if ('literal' in e) return EnvValue.literal(e.literal);
  if ('secret' in e) return EnvValue.fromSecret(e.secret, e.key);
  if ('configMap' in e) return EnvValue.fromConfigMap(e.configMap, e.key);
  return EnvValue.fromField(e.field);
}

function toDistribution(d: DistSpec): Distribution {
  switch (d.kind) {
    case 'duplicated': return Distribution.duplicated();
    case 'evenly': return Distribution.evenly();
    case 'weighted': return Distribution.weighted(d.weights);
    case 'exact': return Distribution.exact(d.counts);
  }
}

function appProps(a: AppSpec, mode: DeliveryMode): FederatedAppProps {
  const autoscaling: AutoscalingProps | undefined = a.autoscaling && {
    minReplicas: a.autoscaling.min,
    maxReplicas: a.autoscaling.max,
    cpuUtilization: a.autoscaling.cpu,
    memoryUtilization: a.autoscaling.memory,
    schedules: a.autoscaling.schedules && mode === DeliveryMode.KARMADA
      ? [{ name: 'up', schedule: '0 8 * * 1-5', minReplicas: a.autoscaling.min, timeZone: 'Europe/Berlin' }]
      : undefined,
  };
  const overrides: Record<string, OverrideValues> = Object.fromEntries(
    Object.entries(a.overrides).map(([cluster, o]) => [
      cluster,
      { image: o.tag !== undefined ? { tag: o.tag } : undefined, env: o.env, labels: o.labels, replicas: o.replicas },
    ]),
  );
  return {
    image: `${a.registry ? `${a.registry}/` : ''}${a.repository}:${a.tag}${a.digest ? `@sha256:${a.digest}` : ''}`,
    kind: a.statefulSet ? WorkloadKind.STATEFUL_SET : WorkloadKind.DEPLOYMENT,
    storage: a.statefulSet && a.storage ? { mountPath: '/data', ...a.storage } : undefined,
    ports: a.ports.length ? a.ports : undefined,
    readiness: a.readinessOnFirstPort && a.ports.length ? Probe.tcp({ port: a.ports[0].name }) : undefined,
    env: Object.fromEntries(Object.entries(a.env).map(([k, v]) => [k, toEnvValue(v)])),
    configMaps: a.configMaps,
    secrets: a.secrets,
    resources: a.resources,
    placement: !a.placement ? undefined : 'names' in a.placement ? Placement.clusters(...a.placement.names) : Placement.where({ regions: a.placement.regions }),
    distribution: toDistribution(a.distribution),
    replicas: a.replicas,
    autoscaling,
    overrides,
    disruptionBudget: a.disruptionBudget,
    topologySpread: a.topologySpread,
    labels: a.labels,
  };
}

function buildProgram(spec: ProgramSpec, mode: DeliveryMode) {
  return (app: App) => {
    const platform = new DistributedPlatform(app, 'fp', {
      delivery: mode,
      clusters: spec.clusters.map((c) => ({ name: c.name, region: c.region, zones: c.zones, labels: c.labels })),
      defaults: { imageRegistry: spec.imageRegistry },
    });
    const tenant = platform.addTenant('tenant', { namespace: spec.namespace, clusters: spec.tenantClusters && { names: spec.tenantClusters } });
    for (const a of spec.apps) new FederatedApp(tenant, a.name, appProps(a, mode));
  };
}

const MODES = [DeliveryMode.KARMADA, DeliveryMode.DIRECT];
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

// ---------------------------------------------------------------------------------------------
// 3. Schema validity

describe('random valid programs', () => {
  let validator: SchemaValidator;
  beforeAll(() => {
    validator = SchemaValidator.load({ kubernetesVersion: 'v1.33.0', systems: ['karmada'] });
  });

  test('synthesize to schema-valid manifests in both delivery modes', () => {
    fc.assert(
      fc.property(programArb, (spec) => {
        for (const mode of MODES) {
          const out = explain(() => synthParsed(buildProgram(spec, mode)));
          const objs = Object.values(out).flat();
          expect(objs.length).toBeGreaterThan(0);
          const issues = validator.validateAll(objs);
          if (issues.length) throw new Error(`${mode} mode: ${issues.length} schema issue(s):\n${formatIssues(issues)}`);
          // The schemas do not carry the API server's name rules; check those too.
          for (const o of objs) {
            const name: string = o.metadata?.name;
            const id = `${mode} mode: ${o.kind} ${name}`;
            expect({ id, valid: DNS_SUBDOMAIN.test(name) && name.length <= 253 }).toEqual({ id, valid: true });
            if (o.kind === 'Service' || o.kind === 'Namespace') expect({ id, valid: DNS_LABEL.test(name) && name.length <= 63 }).toEqual({ id, valid: true });
          }
          // Nothing of the tenant reaches a cluster outside it (its namespace does not exist there).
          if (mode === DeliveryMode.DIRECT) {
            for (const c of spec.clusters) {
              const inTenant = tenantClusterNames(spec).includes(c.name);
              const mine = (out[`fp-cluster-${c.name}.k8s.yaml`] ?? []).filter((o) => o.metadata?.namespace === spec.namespace || (o.kind === 'Namespace' && o.metadata?.name === spec.namespace));
              expect({ cluster: c.name, inTenant, objects: mine.length > 0 }).toEqual({ cluster: c.name, inTenant, objects: inTenant });
              // Every app has its ServiceAccount in exactly the clusters it is placed on.
              for (const a of spec.apps) {
                const placed = appClusters(spec, a).includes(c.name);
                const sa = mine.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === a.name);
                expect({ app: a.name, cluster: c.name, placed, serviceAccount: sa }).toEqual({ app: a.name, cluster: c.name, placed, serviceAccount: placed });
              }
            }
          }
        }
      }),
      cheap(60),
    );
  });

  // -------------------------------------------------------------------------------------------
  // 4. Determinism

  test('synthesis is deterministic: the same program gives byte-identical files', () => {
    fc.assert(
      fc.property(programArb, fc.constantFrom(...MODES), (spec, mode) => {
        const first = explain(() => synthRaw(buildProgram(spec, mode)));
        const second = synthRaw(buildProgram(spec, mode));
        expect(Object.keys(second)).toEqual(Object.keys(first));
        for (const f of Object.keys(first)) expect(second[f]).toBe(first[f]);
      }),
      cheap(30),
    );
  });

  // -------------------------------------------------------------------------------------------
  // 5. Karmada PropagationPolicies are complete; autoscaled apps never pin replicas

  test('karmada mode: each PropagationPolicy selects the workload and all its dependencies; autoscaling leaves replicas alone', () => {
    fc.assert(
      fc.property(programArb, (spec) => {
        const out = explain(() => synthParsed(buildProgram(spec, DeliveryMode.KARMADA)));
        const objs = out['fp-control-plane.k8s.yaml'];
        expect(objs).toBeDefined();
        const one = (kind: string, name: string) => {
          const hits = objs.filter((o) => o.kind === kind && o.metadata?.name === name && o.metadata?.namespace === spec.namespace);
          expect(hits).toHaveLength(1);
          return hits[0];
        };
        for (const a of spec.apps) {
          const pp = one('PropagationPolicy', a.name);
          const selected = new Set<string>(
            (pp.spec.resourceSelectors as any[]).map((s) => `${s.apiVersion}|${s.kind}|${s.name}`),
          );
          const expectSelected = (apiVersion: string, kind: string, name: string) =>
            expect([...selected]).toContain(`${apiVersion}|${kind}|${name}`);
          const workloadKind = a.statefulSet ? 'StatefulSet' : 'Deployment';
          // The policy's cluster affinity reaches exactly the tenant clusters the placement selects.
          const reached = spec.clusters.filter((c) => affinityMatches(pp.spec.placement.clusterAffinity, c)).map((c) => c.name);
          expect({ app: a.name, reached }).toEqual({ app: a.name, reached: appClusters(spec, a) });
          expectSelected('apps/v1', workloadKind, a.name);
          if (a.ports.length) expectSelected('v1', 'Service', a.name);
          expectSelected('v1', 'ServiceAccount', a.name);
          const configMaps = new Set(Object.keys(a.configMaps));
          const secrets = new Set(a.secrets);
          for (const e of Object.values(a.env)) {
            if ('configMap' in e) configMaps.add(e.configMap);
            if ('secret' in e) secrets.add(e.secret);
          }
          for (const cm of configMaps) expectSelected('v1', 'ConfigMap', cm);
          for (const s of secrets) expectSelected('v1', 'Secret', s);

          if (a.autoscaling) {
            const workload = one(workloadKind, a.name);
            expect(workload.spec.replicas).toBeUndefined();
            const op = objs.find((o) => o.kind === 'OverridePolicy' && o.metadata?.name === a.name);
            for (const rule of op?.spec?.overrideRules ?? []) {
              for (const p of rule.overriders?.plaintext ?? []) expect(p.path).not.toBe('/spec/replicas');
            }
            const hpa = one('FederatedHPA', a.name);
            expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: workloadKind, name: a.name });
          }
        }
      }),
      cheap(60),
    );
  });

  // -------------------------------------------------------------------------------------------
  // 6. Direct mode reproduces Karmada: the member workload equals the control-plane workload with the
  //    replica split and the OverridePolicy applied as Karmada applies them.

  test('direct-mode workloads equal the Karmada template with the replica split and OverridePolicy applied', () => {
    fc.assert(
      fc.property(programArb, (spec) => {
        const karmada = explain(() => synthParsed(buildProgram(spec, DeliveryMode.KARMADA)))['fp-control-plane.k8s.yaml'];
        const direct = explain(() => synthParsed(buildProgram(spec, DeliveryMode.DIRECT)));
        for (const a of spec.apps) {
          if (a.autoscaling) continue; // the autoscaler, not the template, decides where and how many
          const kind = a.statefulSet ? 'StatefulSet' : 'Deployment';
          const template = karmada.find((o) => o.kind === kind && o.metadata.name === a.name);
          const op = karmada.find((o) => o.kind === 'OverridePolicy' && o.metadata.name === a.name);
          const clusters = appClusters(spec, a);
          const split = expectedSplit(a, clusters);
          for (const name of clusters) {
            const cluster = spec.clusters.find((c) => c.name === name)!;
            const got = (direct[`fp-cluster-${name}.k8s.yaml`] ?? []).filter((o) => o.kind === kind && o.metadata.name === a.name);
            const replicas = split.get(name) ?? 0;
            const id = `${a.name} in ${name}`;
            expect({ id, workloads: got.length }).toEqual({ id, workloads: replicas > 0 ? 1 : 0 });
            if (replicas === 0) continue;
            const want = structuredClone(template);
            if (a.distribution.kind !== 'duplicated') want.spec.replicas = replicas; // Karmada revises replicas first
            for (const rule of op?.spec.overrideRules ?? []) {
              if (affinityMatches(rule.targetCluster, cluster)) applyKarmadaOverriders(want, rule.overriders);
            }
            expect({ id, workload: got[0] }).toEqual({ id, workload: want });
          }
        }
      }),
      cheap(50),
    );
  });
});

/** Replicas per cluster as Karmada divides them (static weights; unmatched clusters get none; all 1 if none match). */
function expectedSplit(a: AppSpec, clusters: string[]): Map<string, number> {
  const d = a.distribution;
  if (d.kind === 'duplicated') return new Map(clusters.map((c) => [c, a.replicas ?? 1]));
  const total = d.kind === 'exact' ? Object.values(d.counts).reduce((x, y) => x + y, 0) : a.replicas ?? 1;
  const rules = d.kind === 'weighted' ? d.weights : d.kind === 'exact' ? d.counts : {};
  let weights = clusters.map((name) => ({ name, weight: rules[name] ?? 0 }));
  if (weights.every((w) => w.weight <= 0)) weights = clusters.map((name) => ({ name, weight: 1 }));
  return divideByWeight(total, weights);
}

/** Applies Karmada overriders in Karmada's order: image, command, args, labels, annotations, then plaintext. */
function applyKarmadaOverriders(obj: any, overriders: any): void {
  for (const o of overriders.imageOverrider ?? []) {
    const at = pointer(obj, o.predicate.path);
    const parts = parseImage(at.parent[at.key])!;
    const field = ({ Registry: 'registry', Repository: 'repository', Tag: 'tag' } as const)[o.component as 'Registry' | 'Repository' | 'Tag'];
    at.parent[at.key] = formatImage({ ...parts, [field]: o.value, ...(field === 'tag' ? { digest: '' } : {}) });
  }
  for (const o of overriders.labelsOverrider ?? []) obj.metadata.labels = { ...(obj.metadata.labels ?? {}), ...o.value };
  for (const o of overriders.annotationsOverrider ?? []) obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), ...o.value };
  for (const p of overriders.plaintext ?? []) {
    const at = pointer(obj, p.path);
    if (p.operator === 'remove') {
      if (Array.isArray(at.parent)) at.parent.splice(Number(at.key), 1);
      else delete at.parent[at.key];
    } else if (Array.isArray(at.parent) && p.operator === 'add') {
      at.parent.splice(at.key === '-' ? at.parent.length : Number(at.key), 0, structuredClone(p.value));
    } else {
      at.parent[at.key] = structuredClone(p.value);
    }
  }
}

/** Resolves an RFC 6901 pointer to its parent container and last key. */
function pointer(obj: any, path: string): { parent: any; key: string } {
  const segments = path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let parent = obj;
  for (const s of segments.slice(0, -1)) parent = parent[s];
  return { parent, key: segments[segments.length - 1] };
}
