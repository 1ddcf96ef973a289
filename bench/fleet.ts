// Synthetic fleets for the benchmark, production-shaped: N clusters, tenants of K FederatedApps each (so the
// tenant count grows with the fleet). Every app uses the features that cost the most to render: weighted
// placement over three clusters, a per-cluster override, autoscaling (FederatedHPA), metrics with one
// availability SLO (recording rules + burn-rate alerts + dashboard), a canary version, and a MeshedService
// sending 10 % of its traffic to the canary. The platform has a mesh (Istio CNI), Submariner (clusters declare
// pod and service CIDRs) and a hierarchical global monitoring tier.
//
// Only the public API is used, imported by the package name as users and the examples do: at run time Node
// resolves `fleetplane` to this package's own `exports` (dist/index.js, the output of `npm run build`), and
// bench/tsconfig.json maps it to dist/index.d.ts for type checking. So the bench measures the compiled
// library, never a TypeScript transpiler.
import { App } from 'cdk8s';
import {
  DistributedPlatform, Distribution, FederatedApp, GlobalTier, MeshedService, Placement, SloKind, Traffic,
} from 'fleetplane';

/** Shape of a synthetic fleet. */
export interface FleetShape {
  /** Member clusters (c0 … c{N-1}, 4 per region, 2 networks). */
  readonly clusters: number;
  /** FederatedApps in the fleet. */
  readonly apps: number;
  /** FederatedApps per tenant (t0 … t{M-1}); the last tenant may have fewer. */
  readonly appsPerTenant: number;
}

/** What {@link buildFleet} created. */
export interface Fleet {
  readonly platform: DistributedPlatform;
  readonly apps: number;
}

/** Builds a synthetic platform named `bench` into `app`. Deterministic: the same shape gives the same output. */
export function buildFleet(app: App, shape: FleetShape): Fleet {
  const n = shape.clusters;
  const clusters = Array.from({ length: n }, (_, i) => ({
    name: `c${i}`,
    region: `r${Math.floor(i / 4)}`,
    zones: [`r${Math.floor(i / 4)}-z${i % 2}`],
    network: `n${i % 2}`,
    labels: { env: 'prod', tier: i % 5 === 0 ? 'primary' : 'edge' },
    podCidr: `10.${i}.0.0/16`,
    serviceCidr: `10.${100 + i}.0.0/16`,
  }));
  const platform = new DistributedPlatform(app, 'bench', {
    clusters,
    mesh: { meshId: 'bench-mesh', istioCni: true },
    submariner: { broker: 'c0' }, monitoring: { global: GlobalTier.hierarchical({ cluster: 'c0' }) },
  });
  let k = 0;
  const tenants = Math.max(1, Math.ceil(shape.apps / shape.appsPerTenant));
  for (let t = 0; t < tenants; t++) {
    const tenant = platform.addTenant(`t${t}`);
    for (let j = 0; j < shape.appsPerTenant && k < shape.apps; j++, k++) {
      // Three distinct clusters per app, rotating over the fleet, weighted 3:2:1.
      const a = `c${k % n}`;
      const b = `c${(k + 1) % n}`;
      const c = `c${(k + 7) % n}`;
      const fa = new FederatedApp(tenant, `app${j}`, {
        image: `registry.example.com/t${t}/app${j}:1.${j % 10}.${k}`,
        port: 8080,
        version: 'v1',
        canary: { version: 'v2', image: `registry.example.com/t${t}/app${j}:2.0.${k}` },
        placement: Placement.clusters(a, b, c),
        distribution: Distribution.weighted({ [a]: 3, [b]: 2, [c]: 1 }),
        overrides: { [b]: { image: { registry: 'mirror.example.com' } } },
        autoscaling: { minReplicas: 3, maxReplicas: 12, cpuUtilization: 70 },
        metrics: {},
        slos: [{ name: 'availability', kind: SloKind.AVAILABILITY, objective: 99.9 }],
      });
      new MeshedService(tenant, `app${j}-mesh`, { app: fa, traffic: Traffic.canary(10) });
    }
  }
  return { platform, apps: k };
}
