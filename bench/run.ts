// The benchmark (`npm run bench`): see BENCHMARKS.md for what is measured and the latest figures.
//
//   npm run bench                                  # build, compile the bench, run everything (about 8-9 min on 2 cores)
//   node .bench-build/run.js --sizes 100,1000      # after a build: other sizes
//   node .bench-build/run.js --skip pulumi,startup # skip parts (synth, pulumi, startup)
//   node .bench-build/run.js --app cdk8s           # synthesize the fleet with cdk8s' App even if FleetApp exists
//   node .bench-build/run.js --repeat 1000:5       # runs per size (default 100:3,1000:3,5000:3,10000:2)
//   node .bench-build/run.js --full 5000:2         # of which with baseline + floor (default 100:3,1000:3,5000:1,10000:0)
//   node .bench-build/run.js --update-md           # also replace the results block of BENCHMARKS.md
//
// Every measurement of a fleet runs in a fresh child process (bench/measure.ts), so peak RSS is per size.
// The bench loads the compiled library (dist/, by package self-reference `fleetplane`), not the sources, so no
// TypeScript transpiler runs inside the timings. Results: printed as Markdown, and written to
// .bench-results/results.json and .bench-results/table.md (not committed; BENCHMARKS.md holds the figures).
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, '.bench-results');
const EXAMPLE = path.join(ROOT, 'examples', 'multi-region-shop');

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SIZES = (arg('sizes') ?? '100,1000,5000,10000').split(',').map(Number);
// Runs per size, each in a fresh process. The first `full` runs of a size also time the cdk8s-plus baseline and
// the js-yaml floor in the same process; the others time fleetplane only (the 5,000-app baseline alone takes
// about a minute, so it runs once to keep the whole bench under ~10 minutes). Reported: the fleetplane run with
// the median total over all runs of the size, and the median per-object cost of baseline and floor.
const sizeMap = (s: string) => new Map(s.split(',').map((x) => x.split(':').map(Number) as [number, number]));
const REPEAT = sizeMap(arg('repeat') ?? '100:3,1000:3,5000:3,10000:2');
const FULL = sizeMap(arg('full') ?? '100:3,1000:3,5000:1,10000:0');
const PULUMI_APPS = Number(arg('pulumi-apps') ?? 1000);
// Pulumi runs, each in a fresh process: one run moved by a third from the next on this machine.
const PULUMI_RUNS = Math.max(1, Number(arg('pulumi-runs') ?? 3));
const SKIP = new Set((arg('skip') ?? '').split(',').filter(Boolean));
const STARTUP_RUNS = Number(arg('startup-runs') ?? 3);
// Which App the fleet is synthesized with: `auto` (default) uses the library's FleetApp when it exports one,
// else cdk8s' App; `cdk8s` forces cdk8s' App.
const APP = arg('app') ?? process.env.BENCH_APP ?? 'auto';

const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function machine(): Record<string, unknown> {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model;
  let nproc = os.cpus().length;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    /* keep os.cpus() */
  }
  let commit = 'unknown';
  let dirty = false;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    dirty = execFileSync('git', ['status', '--porcelain', '--', 'lib', 'constructs', 'index.ts'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
  } catch {
    /* not a git checkout */
  }
  const dep = (name: string) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return undefined;
    }
  };
  return {
    nproc,
    model,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    commit: dirty ? `${commit} + uncommitted changes in lib/constructs` : commit,
    versions: { cdk8s: dep('cdk8s'), 'cdk8s-plus-33': dep('cdk8s-plus-33'), 'cdk8s-cli': dep('cdk8s-cli'), yaml: dep('yaml'), 'js-yaml': dep('js-yaml'), '@pulumi/pulumi': dep('@pulumi/pulumi'), tsx: dep('tsx') },
  };
}

/** Runs one measurement child and returns its BENCH record. */
function child(mode: string, apps: number): any {
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, 'measure.js'), mode, String(apps)], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 20 * 60 * 1000,
    env: { ...process.env, FLEETPLANE_QUIET: '1', BENCH_APP: APP },
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('BENCH '));
  if (r.status !== 0 || !line) {
    throw new Error(`measure.js ${mode} ${apps} failed (status ${r.status}, signal ${r.signal}):\n${r.stderr}`);
  }
  const rec = JSON.parse(line.slice(6));
  rec.childWallMs = round(performance.now() - started);
  return rec;
}

/** Median wall time of a command over `runs` runs (after one unmeasured warm-up run when `warm`). */
function timeCommand(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; runs: number }): { medianMs: number; runsMs: number[] } {
  const runsMs: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, encoding: 'utf8', timeout: 120_000 });
    const t1 = performance.now();
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
    runsMs.push(round(t1 - t0));
  }
  return { medianMs: median(runsMs), runsMs };
}

function startup(): Record<string, unknown> {
  const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-bench-startup-'));
  const env = { CDK8S_CHECK_UPGRADE: 'false', CDK8S_OUTDIR: out };
  const runs = STARTUP_RUNS;
  // What a user runs: `cdk8s synth` in the example directory (as `npm run synth` does, without the build).
  // The output goes to a temp dir so that the example's dist/ is left alone.
  const cdk8sSynth = timeCommand(bin('cdk8s'), ['synth', '--no-check-upgrade', '--output', out], { cwd: EXAMPLE, env, runs });
  const npxSynth = timeCommand('npx', ['cdk8s', 'synth', '--no-check-upgrade', '--output', out], { cwd: EXAMPLE, env, runs });
  // The fleetplane CLI's atomic synth of the same example (the installed bin is dist/cli/main.js).
  const fleetplaneSynth = timeCommand(process.execPath, [path.join(ROOT, 'dist', 'cli', 'main.js'), 'synth', '--output', out], { cwd: EXAMPLE, env: { CDK8S_CHECK_UPGRADE: 'false' }, runs });
  const files = fs.readdirSync(out).filter((f) => f.endsWith('.yaml'));
  // Breakdown, each the median of the same number of runs.
  const breakdown = {
    nodeBoot: timeCommand(process.execPath, ['-e', '0'], { cwd: EXAMPLE, runs }),
    cdk8sCliVersion: timeCommand(bin('cdk8s'), ['--version'], { cwd: EXAMPLE, env, runs }),
    requireFleetplane: timeCommand(process.execPath, ['-e', "require('fleetplane')"], { cwd: EXAMPLE, runs }),
    requireCdk8sPlus: timeCommand(process.execPath, ['-e', "require('cdk8s-plus-33')"], { cwd: EXAMPLE, runs }),
    appViaNpxTsx: timeCommand('npx', ['tsx', 'main.ts'], { cwd: EXAMPLE, env, runs }),
    appViaLocalTsx: timeCommand(bin('tsx'), ['main.ts'], { cwd: EXAMPLE, env, runs }),
  };
  fs.rmSync(out, { recursive: true, force: true });
  const app = fs.readFileSync(path.join(EXAMPLE, 'cdk8s.yaml'), 'utf8').match(/^app:\s*(.*)$/m)?.[1];
  return { example: 'examples/multi-region-shop', app, files, runs, cdk8sSynth, npxSynth, fleetplaneSynth, breakdown };
}

interface Verdict { target: string; limit: string; measured: string; pass: boolean; margin: string }

/** min / median / max of a list, formatted. */
function spread(xs: number[], d = 1): string {
  const ok = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  if (!ok.length) return '–';
  const s = [...ok].sort((a, b) => a - b);
  const f = (x: number) => round(x, d).toLocaleString('en-US');
  return ok.length === 1 ? f(s[0]) : `${f(s[0])} / ${f(median(s))} / ${f(s[s.length - 1])}`;
}

/** Per-run figures of one size: wall and CPU per object of fleetplane, and of the baseline and floor where timed. */
function perRun(s: any): { fpUs: number[]; fpCpuUs: number[]; baseUs: number[]; baseCpuUs: number[]; floorUs: number[]; floorCpuUs: number[]; rss: number[] } {
  const o = s.fleetplane.objects;
  const full = s.runs.filter((r: any) => r.mode === 'synth');
  return {
    fpUs: s.runs.map((r: any) => (r.fleetplaneMs * 1000) / o),
    fpCpuUs: s.runs.map((r: any) => (r.cpuMs * 1000) / o),
    baseUs: full.map((r: any) => r.cdk8sPlusUsPerObject),
    baseCpuUs: full.map((r: any) => r.cdk8sPlusCpuUsPerObject),
    floorUs: full.map((r: any) => (r.jsYamlMs * 1000) / o),
    floorCpuUs: full.map((r: any) => (r.jsYamlCpuMs * 1000) / o),
    rss: s.runs.map((r: any) => r.peakRssMb),
  };
}

function verdicts(synth: any[], pulumi: any): Verdict[] {
  const v: Verdict[] = [];
  const at = (n: number) => synth.find((s) => s.apps === n);
  const pct = (measured: number, limit: number) => {
    const d = ((measured - limit) / limit) * 100;
    return measured <= limit ? `${round(-d, 0)}% under` : `${round(d, 0)}% over (${round(measured / limit, 2)}x the limit)`;
  };
  const push = (target: string, limit: number, unit: string, measured: number, range: string) =>
    v.push({ target, limit: `≤ ${limit}${unit}`, measured: `${round(measured, 2)}${unit} (${range})`, pass: measured <= limit, margin: pct(measured, limit) });
  for (const s of synth.filter((x) => x.apps === 1000 || x.apps === 5000)) {
    const r = perRun(s);
    const ratio = (a: number[], b: number[]) => a.map((x) => x / median(b));
    push(`${s.apps} apps: per object vs cdk8s-plus, wall`, 0.4, 'x', median(r.fpUs) / median(r.baseUs), spread(ratio(r.fpUs, r.baseUs), 2));
    push(`${s.apps} apps: per object vs cdk8s-plus, CPU`, 0.4, 'x', median(r.fpCpuUs) / median(r.baseCpuUs), spread(ratio(r.fpCpuUs, r.baseCpuUs), 2));
    push(`${s.apps} apps: per object vs js-yaml floor, wall`, 2, 'x', median(r.fpUs) / median(r.floorUs), spread(ratio(r.fpUs, r.floorUs), 2));
    push(`${s.apps} apps: per object vs js-yaml floor, CPU`, 2, 'x', median(r.fpCpuUs) / median(r.floorCpuUs), spread(ratio(r.fpCpuUs, r.floorCpuUs), 2));
  }
  const k1 = at(1000);
  const k10 = at(10000);
  if (k1 && k10) {
    const a = perRun(k1);
    const b = perRun(k10);
    const g = median(b.fpUs) / median(a.fpUs);
    push('linear: per-object cost at 10,000 / at 1,000 (wall)', 1.1, 'x', g, `CPU ${round(median(b.fpCpuUs) / median(a.fpCpuUs), 2)}x`);
    push('10,000 apps: peak RSS', 1024, ' MB', median(b.rss), spread(b.rss, 0));
  }
  if (pulumi) {
    const runs: any[] = pulumi.runs ?? [pulumi];
    push(`Pulumi, ${pulumi.apps} apps: ms per resource`, 1, ' ms', pulumi.usPerObject / 1000, `${spread(runs.map((r) => r.usPerObject / 1000), 2)} over ${runs.length} runs; ${pulumi.k8sRegistrations} resources for ${pulumi.expectedObjects} objects`);
    push(`Pulumi, ${pulumi.apps} apps: peak RSS`, 1536, ' MB', median(runs.map((r) => r.peakRssMb)), spread(runs.map((r) => r.peakRssMb), 0));
  }
  return v;
}

function markdown(m: any, synth: any[], pulumi: any, st: any, v: Verdict[]): string {
  const L: string[] = [];
  const f = (x: number, d = 1) => (x === undefined || !Number.isFinite(x) ? '–' : round(x, d).toLocaleString('en-US'));
  L.push(`Machine: ${m.nproc} cores, ${m.model}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; commit ${m.commit}; load average at start ${m.loadStart}, at end ${m.loadEnd}.`);
  L.push('');
  if (synth.length) {
    L.push(`**Synthesis to files** (20 clusters, tenants of ${synth[0].appsPerTenant ?? 50} apps; fleet synthesized with \`${synth[0].fleetplane.appClass}\`; one fresh process per run; times in ms unless noted)`);
    L.push('');
    L.push('| apps | objects | YAML MB | construct | synth | total | objects/s | peak RSS MB | fleetplane µs/obj | cdk8s-plus µs/obj (construct + synth) | js-yaml floor µs/obj | JSON.stringify µs/obj | cdk8s `Yaml.stringify` µs/obj | fleetplane / cdk8s-plus | fleetplane / floor |');
    L.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const s of synth) {
      const fp = s.fleetplane;
      const nFull = s.runs.filter((r: any) => r.mode === 'synth').length;
      L.push(`| ${f(s.apps, 0)} (${s.runs.length} runs${nFull < s.runs.length ? `, ${nFull} with baseline` : ''}) | ${f(fp.objects, 0)} | ${f(fp.bytes / 1e6)} | ${f(fp.constructMs, 0)} | ${f(fp.synthMs, 0)} | ${f(fp.totalMs, 0)} | ${f(fp.objectsPerSec, 0)} | ${fp.peakRssMb} | ${f(fp.usPerObject)} | ${f(s.cdk8sPlus.usPerObject)} (${f(s.cdk8sPlus.constructMs, 0)} + ${f(s.cdk8sPlus.synthMs, 0)} ms) | ${f(s.floor.jsYamlUsPerObject)} | ${f(s.floor.jsonUsPerObject)} | ${f(s.floor.cdk8sYamlUsPerObject)} | ${f(fp.usPerObject / s.cdk8sPlus.usPerObject, 2)}x | ${f(fp.usPerObject / s.floor.jsYamlUsPerObject, 2)}x |`);
    }
    L.push('');
    L.push(`Fleetplane total per run (ms): ${synth.map((s) => `${s.apps} apps ${s.runs.map((r: any) => f(r.fleetplaneMs, 0)).join(' / ')}`).join('; ')}. cdk8s-plus total per run (ms): ${synth.map((s) => `${s.apps} apps ${s.runs.filter((r: any) => r.cdk8sPlusMs !== undefined).map((r: any) => f(r.cdk8sPlusMs, 0)).join(' / ')}`).join('; ')}. CPU time of the reported runs (ms, all threads): ${synth.map((s) => `${s.apps} apps ${f(s.fleetplane.cpuMs, 0)}`).join('; ')}. Machine CPU pressure during them ("some", % of wall): ${synth.map((s) => `${s.apps} apps ${s.fleetplane.cpuPressurePct ?? '–'}%`).join('; ')}.`);
    L.push('');
    L.push('Spread over the runs of each size, min / median / max (per object: fleetplane over all runs, cdk8s-plus and the floor over the runs that timed them):');
    L.push('');
    L.push('| apps | runs | construct ms | synth ms | total ms | fleetplane µs/obj | fleetplane CPU µs/obj | cdk8s-plus µs/obj | cdk8s-plus CPU µs/obj | js-yaml µs/obj | js-yaml CPU µs/obj | peak RSS MB |');
    L.push('| ---: | ---: | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const s of synth) {
      const r = perRun(s);
      L.push(`| ${f(s.apps, 0)} | ${s.runs.length} | ${spread(s.runs.map((x: any) => x.constructMs), 0)} | ${spread(s.runs.map((x: any) => x.synthMs), 0)} | ${spread(s.runs.map((x: any) => x.fleetplaneMs), 0)} | ${spread(r.fpUs)} | ${spread(r.fpCpuUs)} | ${spread(r.baseUs)} | ${spread(r.baseCpuUs)} | ${spread(r.floorUs)} | ${spread(r.floorCpuUs)} | ${spread(r.rss, 0)} |`);
    }
    L.push('');
    L.push('CPU-time view of the same runs (user + system CPU of the process, all threads; less sensitive to other load on the machine than wall time):');
    L.push('');
    L.push('| apps | fleetplane CPU ms | fleetplane CPU µs/obj | cdk8s-plus CPU µs/obj | js-yaml CPU µs/obj | fleetplane / cdk8s-plus | fleetplane / floor | CPU pressure during fleetplane / cdk8s-plus / floor |');
    L.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const s of synth) {
      const fo = s.fleetplane.objects;
      const a = (s.fleetplane.cpuMs * 1000) / fo;
      const b = (s.cdk8sPlus.cpuMs * 1000) / s.cdk8sPlus.objects;
      const c = (s.floor.jsYamlCpuMs * 1000) / fo;
      L.push(`| ${f(s.apps, 0)} | ${f(s.fleetplane.cpuMs, 0)} | ${f(a)} | ${f(b)} | ${f(c)} | ${f(a / b, 2)}x | ${f(a / c, 2)}x | ${s.fleetplane.cpuPressurePct ?? '–'}% / ${s.cdk8sPlus.cpuPressurePct ?? '–'}% / ${s.floor.cpuPressurePct ?? '–'}% |`);
    }
    L.push('');
    L.push(`Output size per object: fleetplane ${synth.map((s) => `${f(s.fleetplane.bytes / s.fleetplane.objects / 1024, 2)} KiB`).join(' / ')}, the cdk8s-plus baseline ${synth.map((s) => (s.cdk8sPlus.bytes ? `${f(s.cdk8sPlus.bytes / s.cdk8sPlus.objects / 1024, 2)} KiB` : '–')).join(' / ')} (per size above), so per byte written fleetplane's advantage is larger than per object.`);
    const k1 = synth.find((s) => s.apps === 1000);
    const k5 = synth.find((s) => s.apps === 5000);
    if (k1 && k5) {
      L.push('');
      L.push(`Growth 1,000 → 5,000 apps: objects ${f(k5.fleetplane.objects / k1.fleetplane.objects, 2)}x; fleetplane time ${f(k5.fleetplane.totalMs / k1.fleetplane.totalMs, 2)}x (construct ${f(k5.fleetplane.constructMs / k1.fleetplane.constructMs, 2)}x, synth ${f(k5.fleetplane.synthMs / k1.fleetplane.synthMs, 2)}x); peak RSS ${f(k5.fleetplane.peakRssMb / k1.fleetplane.peakRssMb, 2)}x; cdk8s-plus time ${f(k5.cdk8sPlus.totalMs / k1.cdk8sPlus.totalMs, 2)}x; js-yaml floor ${f(k5.floor.jsYamlMs / k1.floor.jsYamlMs, 2)}x.`);
    }
  }
  if (pulumi) {
    L.push('');
    L.push(`**Pulumi adapter under mocks** (${f(pulumi.apps, 0)} apps, ${f(pulumi.expectedObjects, 0)} objects): construct ${f(pulumi.constructMs, 0)} ms; \`new PlatformStack\` (synchronous part) ${f(pulumi.stackCtorMs, 0)} ms (measured again afterwards: \`synthesizeTargets\` ${f(pulumi.synthesizeTargetsMs, 0)} ms, \`orderingDependencies\` over all targets ${f(pulumi.orderingDependenciesMs, 0)} ms); until every object was registered ${f(pulumi.registerMs, 0)} ms after construction (${f(pulumi.usPerObject)} µs/object); total ${f(pulumi.totalMs, 0)} ms; ${pulumi.k8sRegistrations} Kubernetes resources + ${pulumi.allRegistrations - pulumi.k8sRegistrations} components/providers registered${pulumi.complete ? '' : ' (INCOMPLETE)'}; peak RSS ${pulumi.peakRssMb} MB. Every run (µs/object, peak RSS MB): ${(pulumi.runs ?? [pulumi]).map((r: any) => `${f(r.usPerObject)}, ${r.peakRssMb}`).join('; ')}.`);
  }
  if (st) {
    const b = st.breakdown;
    L.push('');
    L.push(`**Start-up**: \`cdk8s synth\` of ${st.example} (app: \`${st.app}\`), median of ${st.runs}: **${f(st.cdk8sSynth.medianMs, 0)} ms** (runs ${st.cdk8sSynth.runsMs.map((x: number) => f(x, 0)).join(', ')}); via \`npx cdk8s synth\`: ${f(st.npxSynth.medianMs, 0)} ms; \`fleetplane synth\` (atomic, fast path): **${f(st.fleetplaneSynth.medianMs, 0)} ms** (runs ${st.fleetplaneSynth.runsMs.map((x: number) => f(x, 0)).join(', ')}).`);
    L.push(`Breakdown (medians): node boot ${f(b.nodeBoot.medianMs, 0)} ms; \`cdk8s --version\` ${f(b.cdk8sCliVersion.medianMs, 0)} ms; \`require('fleetplane')\` ${f(b.requireFleetplane.medianMs, 0)} ms (of which \`require('cdk8s-plus-33')\` alone ${f(b.requireCdk8sPlus.medianMs, 0)} ms); the app via \`npx tsx main.ts\` ${f(b.appViaNpxTsx.medianMs, 0)} ms, via \`node_modules/.bin/tsx main.ts\` ${f(b.appViaLocalTsx.medianMs, 0)} ms.`);
  }
  if (v.length) {
    L.push('');
    L.push('| target | limit | measured | verdict |');
    L.push('| --- | ---: | ---: | --- |');
    for (const x of v) L.push(`| ${x.target} | ${x.limit} | ${x.measured} | ${x.pass ? 'PASS' : 'MISS'}: ${x.margin} |`);
  }
  return L.join('\n');
}

function main(): void {
  fs.mkdirSync(OUT, { recursive: true });
  const m: any = machine();
  m.loadStart = os.loadavg().map((x) => round(x, 2)).join(' ');
  const started = performance.now();
  const log = (s: string) => process.stderr.write(`[bench ${round((performance.now() - started) / 1000, 0)}s] ${s}\n`);

  const synth: any[] = [];
  if (!SKIP.has('synth')) {
    for (const n of SIZES) {
      const runs: any[] = [];
      const total = Math.max(1, REPEAT.get(n) ?? 1);
      const full = Math.max(0, Math.min(total, FULL.get(n) ?? total));
      for (let i = 0; i < total; i++) {
        const mode = i < full ? 'synth' : 'fleet';
        log(`${mode === 'synth' ? 'synth + baseline + floor' : 'synth (fleetplane only)'}, ${n} apps, run ${i + 1}/${total} …`);
        const r = child(mode, n);
        const fp = mode === 'synth' ? r.fleetplane : r;
        log(`  fleetplane ${fp.totalMs} ms (construct ${fp.constructMs} + synth ${fp.synthMs}; peak ${fp.peakRssMb} MB; CPU pressure ${fp.cpuPressurePct}%)` +
          (mode === 'synth' ? `; ${r.fleetplane.objects} objects, ${r.fleetplane.usPerObject} µs/obj; cdk8s-plus ${r.cdk8sPlus.totalMs} ms; js-yaml ${r.floor.jsYamlMs} ms` : ''));
        runs.push({ mode, fp, rec: r });
      }
      const fulls = runs.filter((r) => r.mode === 'synth').map((r) => r.rec);
      const byTotal = [...runs].sort((a, b) => a.fp.totalMs - b.fp.totalMs);
      const med = byTotal[(byTotal.length - 1) >> 1].fp;
      const medianBy = (xs: any[], key: (x: any) => number) => [...xs].sort((a, b) => key(a) - key(b))[(xs.length - 1) >> 1];
      // Without a full run (10,000 apps: cdk8s' own App.synth overflows the call stack there), the fleetplane-only
      // record stands in, with its object count from the written files and no baseline or floor.
      const ref = fulls[0] ?? { apps: n, clusters: 20, appsPerTenant: 50, fleetplane: { ...runs[0].fp }, cdk8sPlus: {}, floor: {} };
      const objects = ref.fleetplane.objects;
      const chosen = {
        ...ref,
        fleetplane: {
          ...ref.fleetplane,
          constructMs: med.constructMs, synthMs: med.synthMs, totalMs: med.totalMs, cpuMs: med.cpuMs,
          cpuPressurePct: med.cpuPressurePct, peakRssMb: med.peakRssMb,
          usPerObject: round((med.totalMs * 1000) / objects), objectsPerSec: Math.round(objects / (med.totalMs / 1000)),
        },
        cdk8sPlus: fulls.length ? medianBy(fulls.map((r) => r.cdk8sPlus), (x) => x.usPerObject) : {},
        floor: fulls.length ? medianBy(fulls.map((r) => r.floor), (x) => x.jsYamlUsPerObject) : {},
        runs: runs.map((r) => ({
          mode: r.mode, fleetplaneMs: r.fp.totalMs, constructMs: r.fp.constructMs, synthMs: r.fp.synthMs, cpuMs: r.fp.cpuMs,
          peakRssMb: r.fp.peakRssMb, cpuPressurePct: r.fp.cpuPressurePct,
          cdk8sPlusMs: r.mode === 'synth' ? r.rec.cdk8sPlus.totalMs : undefined, jsYamlMs: r.mode === 'synth' ? r.rec.floor.jsYamlMs : undefined,
          cdk8sPlusUsPerObject: r.mode === 'synth' ? r.rec.cdk8sPlus.usPerObject : undefined,
          cdk8sPlusCpuUsPerObject: r.mode === 'synth' ? (r.rec.cdk8sPlus.cpuMs * 1000) / r.rec.cdk8sPlus.objects : undefined,
          jsYamlCpuMs: r.mode === 'synth' ? r.rec.floor.jsYamlCpuMs : undefined,
        })),
      };
      synth.push(chosen);
    }
  }
  let pulumi: any;
  if (!SKIP.has('pulumi')) {
    const runs: any[] = [];
    for (let i = 0; i < PULUMI_RUNS; i++) {
      log(`pulumi ${PULUMI_APPS} apps, run ${i + 1}/${PULUMI_RUNS} …`);
      runs.push(child('pulumi', PULUMI_APPS));
      log(`  ${runs[i].usPerObject} µs/object, peak ${runs[i].peakRssMb} MB`);
    }
    // The run with the median time per resource is reported; every run's figures go with it.
    pulumi = { ...[...runs].sort((a, b) => a.usPerObject - b.usPerObject)[(runs.length - 1) >> 1], runs: runs.map((r) => ({ usPerObject: r.usPerObject, peakRssMb: r.peakRssMb, registerMs: r.registerMs, cpuPressurePct: r.cpuPressurePct })) };
    log(`  registered ${pulumi.k8sRegistrations}/${pulumi.expectedObjects} in ${pulumi.registerMs} ms`);
  }
  let st: any;
  if (!SKIP.has('startup')) {
    log('start-up (cdk8s synth of the default example) …');
    st = startup();
    log(`  cdk8s synth median ${st.cdk8sSynth.medianMs} ms`);
  }
  m.loadEnd = os.loadavg().map((x) => round(x, 2)).join(' ');
  m.benchWallS = round((performance.now() - started) / 1000, 0);
  const v = verdicts(synth, pulumi);
  const md = markdown(m, synth, pulumi, st, v);
  fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({ date: new Date().toISOString(), machine: m, synth, pulumi, startup: st, verdicts: v }, null, 2) + '\n');
  fs.writeFileSync(path.join(OUT, 'table.md'), md + '\n');
  console.log(md);
  if (process.argv.includes('--update-md')) {
    const file = path.join(ROOT, 'BENCHMARKS.md');
    const begin = '<!-- bench:results:begin -->';
    const end = '<!-- bench:results:end -->';
    const doc = fs.readFileSync(file, 'utf8');
    const i = doc.indexOf(begin);
    const j = doc.indexOf(end);
    if (i < 0 || j < i) throw new Error(`BENCHMARKS.md has no ${begin} … ${end} block`);
    const block = `${begin}\n_Generated by \`npm run bench -- --update-md\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, in ${m.benchWallS} s._\n\n${md}\n`;
    fs.writeFileSync(file, doc.slice(0, i) + block + doc.slice(j));
    log('updated the results block of BENCHMARKS.md');
  }
  log(`done in ${m.benchWallS} s; wrote ${path.relative(ROOT, path.join(OUT, 'results.json'))} and table.md`);
}

main();
