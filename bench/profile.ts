// CPU profile of one fleetplane synth, summarized by self time per function (file:function).
//
//   npm run bench:profile            # 1,000 apps
//   npm run bench:profile -- 5000    # another size
//
// Runs `node --cpu-prof .bench-build/measure.js fleet <apps>` (fleetplane only: construct + app.synth()),
// then aggregates the .cpuprofile's samples by function name + script URL. Writes the profile and the summary
// to .bench-results/profile-<apps>/.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile { nodes: CpuNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

export interface ProfileRow { fn: string; selfMs: number; selfPct: number; totalMs: number; totalPct: number }

const ROOT = path.resolve(__dirname, '..');

function shortUrl(url: string): string {
  if (!url) return '(native)';
  let u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) return u.slice(nm + 'node_modules/'.length);
  if (u.startsWith(ROOT + '/')) u = u.slice(ROOT.length + 1);
  return u;
}

/** Self and total (inclusive, counted once per stack) time per function+url. */
export function summarize(profile: CpuProfile): { rows: ProfileRow[]; totalMs: number; byFile: Array<{ file: string; selfMs: number; selfPct: number }> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = profile.timeDeltas.reduce((a, b) => a + Math.max(0, b), 0);
  const key = (n: CpuNode) => {
    const name = n.callFrame.functionName || '(anonymous)';
    const file = shortUrl(n.callFrame.url);
    return n.callFrame.url ? `${file}:${name}` : name;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const fileSelf = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    self.set(key(n), (self.get(key(n)) ?? 0) + us);
    const f = n.callFrame.url ? shortUrl(n.callFrame.url) : `(${n.callFrame.functionName || 'native'})`;
    fileSelf.set(f, (fileSelf.get(f) ?? 0) + us);
    // inclusive time: every distinct function on the stack gets the sample once
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur)!);
      if (!seen.has(k)) {
        seen.add(k);
        total.set(k, (total.get(k) ?? 0) + us);
      }
    }
  }
  const pct = (us: number) => Math.round((us / totalUs) * 1000) / 10;
  const rows = [...self.entries()]
    .map(([fn, us]) => ({ fn, selfMs: Math.round(us / 1000), selfPct: pct(us), totalMs: Math.round((total.get(fn) ?? 0) / 1000), totalPct: pct(total.get(fn) ?? 0) }))
    .sort((a, b) => b.selfMs - a.selfMs);
  const byFile = [...fileSelf.entries()].map(([file, us]) => ({ file, selfMs: Math.round(us / 1000), selfPct: pct(us) })).sort((a, b) => b.selfMs - a.selfMs);
  return { rows, totalMs: Math.round(totalUs / 1000), byFile };
}

/** Inclusive time of the functions that matter for "where does synth go", sorted. */
export function inclusive(profile: CpuProfile, top = 25): ProfileRow[] {
  return summarize(profile).rows.sort((a, b) => b.totalMs - a.totalMs).slice(0, top);
}

function main(): void {
  const apps = Number(process.argv[2] ?? 1000);
  const dir = path.join(ROOT, '.bench-results', `profile-${apps}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-name=synth.cpuprofile',
    path.join(__dirname, 'measure.js'), 'fleet', String(apps)], { encoding: 'utf8', cwd: ROOT });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH '));
  console.log(`profiled: ${line?.slice(6)}`);
  const profile = JSON.parse(fs.readFileSync(path.join(dir, 'synth.cpuprofile'), 'utf8')) as CpuProfile;
  const { rows, totalMs, byFile } = summarize(profile);
  const out: string[] = [];
  out.push(`CPU profile of ${apps} apps (construct + synth + module load), ${totalMs} ms sampled`);
  out.push('');
  out.push('Top 15 by self time:');
  out.push('| # | function (file:function) | self ms | self % | total ms | total % |');
  out.push('| ---: | --- | ---: | ---: | ---: | ---: |');
  rows.slice(0, 15).forEach((x, i) => out.push(`| ${i + 1} | \`${x.fn}\` | ${x.selfMs} | ${x.selfPct} | ${x.totalMs} | ${x.totalPct} |`));
  out.push('');
  out.push('Top 25 by inclusive time:');
  out.push('| function | total ms | total % | self % |');
  out.push('| --- | ---: | ---: | ---: |');
  for (const x of [...rows].sort((a, b) => b.totalMs - a.totalMs).slice(0, 25)) out.push(`| \`${x.fn}\` | ${x.totalMs} | ${x.totalPct} | ${x.selfPct} |`);
  out.push('');
  out.push('Self time by file (top 15):');
  out.push('| file | self ms | self % |');
  out.push('| --- | ---: | ---: |');
  for (const f of byFile.slice(0, 15)) out.push(`| \`${f.file}\` | ${f.selfMs} | ${f.selfPct} |`);
  const text = out.join('\n');
  fs.writeFileSync(path.join(dir, 'summary.md'), text + '\n');
  console.log(text);
  console.log(`\nprofile: ${path.relative(ROOT, path.join(dir, 'synth.cpuprofile'))} (open in Chrome DevTools › Performance)`);
}

if (require.main === module) main();
