// One measurement, in its own process (started by bench/run.ts), printing one JSON line on stdout.
//
//   node --expose-gc .bench-build/measure.js synth <apps>   fleetplane, then the js-yaml floor and the
//                                                           cdk8s-plus baseline over the same object count
//   node --expose-gc .bench-build/measure.js pulumi <apps>  the same fleet through PlatformStack under mocks
//   node --cpu-prof .bench-build/measure.js fleet <apps>    fleetplane only (for CPU profiles)
//
// Each measurement runs in a fresh process so that peak RSS (`process.resourceUsage().maxRSS`) belongs to
// fleetplane alone: it is read right after fleetplane's synth, before anything else is allocated.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';

process.env.FLEETPLANE_QUIET = '1';

const CLUSTERS = 20;
const APPS_PER_TENANT = 50;

const gc = (): void => {
  const g = (global as any).gc;
  if (typeof g === 'function') {
    g();
    g();
  }
};
const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024); // maxRSS is in KiB
const rssMb = (): number => Math.round(process.memoryUsage().rss / 1048576);
const ms = (a: number, b: number): number => Math.round((b - a) * 10) / 10;

/**
 * CPU contention probe: the machine's CPU pressure (`/proc/pressure/cpu`, "some": time in which at least one
 * runnable task waited for a CPU) and this process's CPU time, so that a run disturbed by other work shows.
 */
interface Probe { wall: number; cpu: NodeJS.CpuUsage; psi: number | undefined }
function psiSomeUs(): number | undefined {
  try {
    const m = /some .*total=(\d+)/.exec(fs.readFileSync('/proc/pressure/cpu', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
const probe = (): Probe => ({ wall: performance.now(), cpu: process.cpuUsage(), psi: psiSomeUs() });
function since(p: Probe): { cpuMs: number; cpuPressurePct: number | undefined } {
  const wall = performance.now() - p.wall;
  const cpu = process.cpuUsage(p.cpu);
  const psi = psiSomeUs();
  return {
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    cpuPressurePct: psi !== undefined && p.psi !== undefined ? Math.round(((psi - p.psi) / 1000 / wall) * 1000) / 10 : undefined,
  };
}

/** Files of a synth output dir, in name order, with their documents parsed back (outside any timing). */
function readOutput(dir: string): Array<{ file: string; docs: any[] }> {
  // js-yaml is a devDependency of the bench only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require('js-yaml') as typeof import('js-yaml');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((file) => ({
    file,
    docs: yaml.loadAll(fs.readFileSync(path.join(dir, file), 'utf8')).filter((d) => d != null),
  }));
}

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

async function synth(apps: number, fleetOnly = false): Promise<Record<string, unknown>> {
  const bootMs = performance.now(); // node start → this line (node itself + this file)
  const l0 = performance.now();
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { App, Chart, Yaml } = require('cdk8s') as typeof import('cdk8s');
  const { buildFleet } = require('./fleet') as typeof import('./fleet');
  // The App class a user program would use: the library's own App subclass when it exports one (FleetApp),
  // else cdk8s' App. BENCH_APP=cdk8s forces cdk8s' App.
  const lib = require('fleetplane') as Record<string, any>;
  const FpApp: typeof App = process.env.BENCH_APP !== 'cdk8s' && typeof lib.FleetApp === 'function' ? lib.FleetApp : App;
  const l1 = performance.now();

  // ---- fleetplane: construct + app.synth() into a temp dir
  const outFp = tmp('fp-bench-fleet-');
  const pFp = probe();
  const t0 = performance.now();
  let app: InstanceType<typeof App> | undefined = new FpApp({ outdir: outFp });
  buildFleet(app, { clusters: CLUSTERS, apps, appsPerTenant: APPS_PER_TENANT });
  const t1 = performance.now();
  app.synth();
  const t2 = performance.now();
  const fpCpu = since(pFp);
  const fpPeak = peakRssMb();
  const fpRssAfter = rssMb();
  app = undefined;
  // Let queued tasks run, as they would after a user's synth (the library may hold the tree in a task-scoped
  // cache until then); otherwise the released app would stay reachable and weigh on what follows.
  await new Promise((r) => setImmediate(r));
  gc();
  const heapAfterReleaseMb = Math.round(process.memoryUsage().heapUsed / 1048576);
  if (fleetOnly) {
    const written = countWritten(outFp);
    fs.rmSync(outFp, { recursive: true, force: true });
    return { kind: 'fleet', apps, appClass: FpApp.name, constructMs: ms(t0, t1), synthMs: ms(t1, t2), totalMs: ms(t0, t2), peakRssMb: fpPeak, ...fpCpu, ...written };
  }
  gc();

  // ---- what was emitted (parsed back, not timed)
  let files = readOutput(outFp);
  const perFile = files.map((f) => ({ file: f.file, objects: f.docs.length }));
  const objects = perFile.reduce((s, f) => s + f.objects, 0);
  const bytes = files.reduce((s, f) => s + fs.statSync(path.join(outFp, f.file)).size, 0);
  const kinds: Record<string, number> = {};
  for (const f of files) for (const d of f.docs) kinds[d.kind] = (kinds[d.kind] ?? 0) + 1;
  files = [];
  gc();

  // ---- cdk8s-plus baseline: the same number of objects per file, as L2 Deployments exposed via Services.
  // It runs before the floor, so that the floor's parsed object list is not live while it runs.
  const kplus = require('cdk8s-plus-33') as typeof import('cdk8s-plus-33');
  const outBase = tmp('fp-bench-kplus-');
  const pBase = probe();
  const b0 = performance.now();
  let bapp: InstanceType<typeof App> | undefined = new App({ outdir: outBase });
  perFile.forEach((f, i) => {
    const chart = new Chart(bapp!, `chart${i}`);
    const pairs = Math.floor(f.objects / 2);
    for (let p = 0; p < pairs; p++) {
      const d = new kplus.Deployment(chart, `app${p}`, {
        containers: [{ image: `registry.example.com/c${i}/app${p}:1.0.${p}`, portNumber: 8080 }],
      });
      d.exposeViaService();
    }
    if (f.objects % 2 === 1) {
      new kplus.Deployment(chart, 'extra', { containers: [{ image: 'registry.example.com/extra:1.0.0', portNumber: 8080 }] });
    }
  });
  const b1 = performance.now();
  bapp.synth();
  const b2 = performance.now();
  const baseCpu = since(pBase);
  bapp = undefined;
  await new Promise((r) => setImmediate(r));
  gc();
  const baseObjects = readOutput(outBase).reduce((s, f) => s + f.docs.length, 0);
  const baseBytes = fs.readdirSync(outBase).reduce((s, f) => s + fs.statSync(path.join(outBase, f)).size, 0);

  // ---- the serialization floor: the same final object list (fleetplane's files parsed back, not timed),
  // dumped by js-yaml and written to disk
  files = readOutput(outFp);
  const yaml = require('js-yaml') as typeof import('js-yaml');
  const outFloor = tmp('fp-bench-floor-');
  const opts = { noRefs: true, lineWidth: -1 };
  const pFloor = probe();
  const y0 = performance.now();
  for (const f of files) {
    fs.writeFileSync(path.join(outFloor, f.file), f.docs.map((d) => yaml.dump(d, opts)).join('---\n'));
  }
  const y1 = performance.now();
  const floorCpu = since(pFloor);
  for (const f of files) {
    fs.writeFileSync(path.join(outFloor, f.file + '.json'), f.docs.map((d) => JSON.stringify(d)).join('\n'));
  }
  const y2 = performance.now();
  // For information: the serializer cdk8s itself uses (the `yaml` package via cdk8s' Yaml.stringify).
  for (const f of files) {
    fs.writeFileSync(path.join(outFloor, f.file + '.cdk8s'), Yaml.stringify(...f.docs));
  }
  const y3 = performance.now();
  files = [];


  for (const d of [outFp, outFloor, outBase]) fs.rmSync(d, { recursive: true, force: true });

  const fpTotal = t2 - t0;
  const baseTotal = b2 - b0;
  return {
    kind: 'synth',
    apps,
    clusters: CLUSTERS,
    tenants: Math.ceil(apps / APPS_PER_TENANT),
    appsPerTenant: APPS_PER_TENANT,
    node: { bootMs: ms(0, bootMs), loadMs: ms(l0, l1) },
    fleetplane: {
      appClass: FpApp.name,
      heapAfterReleaseMb,
      constructMs: ms(t0, t1), synthMs: ms(t1, t2), totalMs: ms(t0, t2), ...fpCpu, peakRssMb: fpPeak, rssAfterMb: fpRssAfter,
      objects, files: perFile.length, bytes, kinds, perFile,
      objectsPerSec: Math.round(objects / (fpTotal / 1000)), usPerObject: Math.round((fpTotal * 1000) / objects * 10) / 10,
    },
    floor: {
      jsYamlMs: ms(y0, y1), jsonMs: ms(y1, y2), cdk8sYamlMs: ms(y2, y3),
      jsYamlUsPerObject: Math.round(((y1 - y0) * 1000) / objects * 10) / 10,
      jsonUsPerObject: Math.round(((y2 - y1) * 1000) / objects * 10) / 10,
      cdk8sYamlUsPerObject: Math.round(((y3 - y2) * 1000) / objects * 10) / 10,
      jsYamlOptions: opts, jsYamlCpuMs: floorCpu.cpuMs, cpuPressurePct: floorCpu.cpuPressurePct,
    },
    cdk8sPlus: {
      objects: baseObjects, bytes: baseBytes, constructMs: ms(b0, b1), synthMs: ms(b1, b2), totalMs: ms(b0, b2), ...baseCpu,
      objectsPerSec: Math.round(baseObjects / (baseTotal / 1000)),
      usPerObject: Math.round((baseTotal * 1000) / baseObjects * 10) / 10,
      peakRssMbProcess: peakRssMb(),
    },
  };
}

/**
 * Objects and bytes written, without parsing (a fleet-only run may be too large to hold parsed): every document
 * the writer emits starts with its `apiVersion` line at column 0, and nothing nested does.
 */
function countWritten(dir: string): { objects: number; bytes: number; files: number } {
  let objects = 0;
  let bytes = 0;
  let files = 0;
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.yaml'))) {
    const text = fs.readFileSync(path.join(dir, f), 'latin1');
    bytes += text.length;
    files++;
    objects += (text.match(/^apiVersion: /gm) ?? []).length;
  }
  return { objects, bytes, files };
}

async function pulumiRun(apps: number): Promise<Record<string, unknown>> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const pulumi = require('@pulumi/pulumi') as typeof import('@pulumi/pulumi');
  let registered = 0;
  let k8s = 0;
  let last = 0;
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered++;
        if (args.type.startsWith('kubernetes:') && args.type !== 'pulumi:providers:kubernetes') k8s++;
        last = performance.now();
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    'fleetplane-bench',
    'bench',
  );
  // The adapter is loaded after setMocks, as Pulumi requires.
  const l0 = performance.now();
  const { PlatformStack, orderingDependencies } = require('fleetplane/pulumi') as typeof import('fleetplane/pulumi');
  const { synthesizeTargets } = require('fleetplane') as typeof import('fleetplane');
  const { App } = require('cdk8s') as typeof import('cdk8s');
  const { buildFleet } = require('./fleet') as typeof import('./fleet');
  const l1 = performance.now();

  const pAll = probe();
  const t0 = performance.now();
  const app = new App({ outdir: tmp('fp-bench-pulumi-') });
  buildFleet(app, { clusters: CLUSTERS, apps, appsPerTenant: APPS_PER_TENANT });
  const t1 = performance.now();
  const stack = new PlatformStack('bench', { app });
  const t2 = performance.now();
  const summary = await new Promise<Record<string, { objects: number }>>((resolve) => stack.summary.apply(resolve));
  const expected = Object.values(summary).reduce((s, t) => s + t.objects, 0);
  const deadline = Date.now() + 300_000;
  while (k8s < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  const t3 = last;
  const cpu = since(pAll);
  const peak = peakRssMb();
  // Breakdown of the synchronous part, measured again after the run (warm): the object lists, then the ordering.
  const s0 = performance.now();
  const outputs = synthesizeTargets(app);
  const s1 = performance.now();
  for (const o of outputs) orderingDependencies(`bench:${o.target.name}`, o.objects);
  const s2 = performance.now();
  // Let the components' output registrations finish (not timed), as the Pulumi runtime does before a program
  // ends; exiting earlier leaves those promises pending, which the runtime reports as leaks (exit status 1).
  await pulumi.runtime.disconnect();
  return {
    kind: 'pulumi',
    apps,
    loadMs: ms(l0, l1),
    constructMs: ms(t0, t1),
    stackCtorMs: ms(t1, t2),
    registerMs: ms(t1, t3),
    synthesizeTargetsMs: ms(s0, s1),
    orderingDependenciesMs: ms(s1, s2),
    totalMs: ms(t0, t3),
    expectedObjects: expected,
    k8sRegistrations: k8s,
    allRegistrations: registered,
    complete: k8s === expected,
    usPerObject: Math.round(((t3 - t1) * 1000) / Math.max(1, k8s) * 10) / 10,
    peakRssMb: peak,
    ...cpu,
  };
}

async function main(): Promise<void> {
  const [mode, n] = process.argv.slice(2);
  const apps = Number(n);
  if (!['synth', 'fleet', 'pulumi'].includes(mode) || !(apps > 0)) {
    console.error('usage: measure.js synth|fleet|pulumi <apps>');
    process.exit(2);
  }
  const result = mode === 'pulumi' ? await pulumiRun(apps) : await synth(apps, mode === 'fleet');
  process.stdout.write(`BENCH ${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
