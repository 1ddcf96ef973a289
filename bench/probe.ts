// A quick probe used during development (see BENCHMARKS.md, History): construct and synth one fleet with cdk8s' App.
// The real benchmark is `npm run bench` (bench/run.ts).
import { App } from 'cdk8s';
import { DistributedPlatform, Distribution, FederatedApp, GlobalTier, MeshedService, Placement, SloKind, Traffic } from '../index';
const N = Number(process.argv[2] ?? 1000);
const t0 = Date.now();
process.env.FLEETPLANE_QUIET = '1';
const app = new App({ outdir: require('os').tmpdir() + '/fp-bench-out' });
const clusters = Array.from({ length: 20 }, (_, i) => ({ name: `c${i}`, region: `r${i % 4}`, zones: [`z${i}`], network: `n${i % 2}` }));
const p = new DistributedPlatform(app, 'bench', { clusters, mesh: { meshId: 'm', istioCni: true }, submariner: { broker: 'c0' }, monitoring: { global: GlobalTier.hierarchical({ cluster: 'c0' }) } });
const tenants = Array.from({ length: 10 }, (_, i) => p.addTenant(`t${i}`));
for (let k = 0; k < N; k++) {
  const t = tenants[k % 10];
  const a = new FederatedApp(t, `app${k}`, {
    image: `r.example.com/app${k}:1.0.${k}`, port: 8080, version: 'v1',
    placement: Placement.where({ regions: ['r0', 'r1'] }),
    distribution: Distribution.weighted({ c0: 2, c1: 1 }),
    overrides: [{ clusters: { names: ['c1'] }, image: { registry: 'mirror.example.com' } }],
    autoscaling: { minReplicas: 2, maxReplicas: 10 },
    metrics: {}, slos: [{ name: 'availability', kind: SloKind.AVAILABILITY, objective: 99.9 }],
  });
  new MeshedService(t, `app${k}-mesh`, { app: a, traffic: Traffic.stable() });
}
const t1 = Date.now();
app.synth();
const t2 = Date.now();
console.log(`N=${N} construct ${t1 - t0}ms synth ${t2 - t1}ms rss ${Math.round(process.memoryUsage().rss / 1e6)}MB`);
