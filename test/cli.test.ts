// The `fleetplane` command as users run it: the bin of the packed tarball (npm pack, unpacked) in a child process, on the
// examples and on tiny programs written to temporary directories. Exit codes, atomic synth, stale files,
// validation, diff and plan, and the topology picture rendered in real headless Chromium.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from './support/chromium';

const ROOT = path.resolve(__dirname, '..');
const BUILT_BIN = path.join(ROOT, 'dist', 'cli', 'main.js');
/** The bin as users get it: from the packed tarball (set in beforeAll); its dependencies resolve from this repository. */
let BIN = BUILT_BIN;

/** Packs the package, unpacks the tarball and returns the path of its `bin` entry. */
function binFromTarball(): string {
  const dir = tmp('pack');
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }));
  execFileSync('tar', ['-xzf', path.join(dir, packed[0].filename), '-C', dir]);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'package', 'node_modules'), 'dir');
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package', 'package.json'), 'utf8'));
  return path.join(dir, 'package', pkg.bin.fleetplane);
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function fleetplane(args: string[], cwd: string, env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Builds dist/ when the compiled CLI is missing or older than a source it is compiled from. */
function ensureBuilt(): void {
  const newest = (dir: string): number => fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })
    .reduce((t, e) => Math.max(t, e.isDirectory() ? newest(path.join(dir, e.name)) : e.name.endsWith('.ts') ? fs.statSync(path.join(ROOT, dir, e.name)).mtimeMs : 0), 0);
  const built = fs.existsSync(BUILT_BIN) ? fs.statSync(BUILT_BIN).mtimeMs : 0;
  if (built > Math.max(newest('cli'), newest('outputs'))) return;
  const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsc failed:\n${r.stdout}${r.stderr}`);
}

const made: string[] = [];
function tmp(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fleetplane-cli-${prefix}-`));
  made.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A tiny project of its own (cdk8s.yaml, main.ts) whose definition the environment changes: REPLICAS, the
 * CLUSTERS of a direct-mode platform (one output file each), BAD=1 for a validation error, CRASH=1 for a
 * TypeError. It loads fleetplane from dist/ and tsx/esbuild from the repository's node_modules.
 */
function tinyProject(): string {
  return projectWith([
    `import { DeliveryMode, DistributedPlatform, FederatedApp, FleetApp, Placement } from ${JSON.stringify(path.join(ROOT, 'dist', 'index'))};`,
    '',
    'const clusters = (process.env.CLUSTERS ?? "bj-1,sh-1").split(",").map((name) => ({ name, region: name.startsWith("bj") ? "cn-north" : "cn-east" }));',
    'const app = new FleetApp();',
    'const platform = new DistributedPlatform(app, "tiny", { clusters, delivery: DeliveryMode.DIRECT });',
    'const shop = platform.addTenant("shop");',
    'new FederatedApp(shop, "web", {',
    '  image: "registry.example.com/shop/web:1.0.0",',
    '  port: 8080,',
    '  replicas: Number(process.env.REPLICAS ?? 2),',
    '  placement: process.env.BAD ? Placement.clusters("bj-9") : Placement.all(),',
    '});',
    'if (process.env.CRASH) throw new TypeError("boom");',
    'app.synth();',
    '',
  ]);
}

/** A project of its own (cdk8s.yaml, main.ts with these lines) that loads fleetplane from dist/ and tsx from this repository. */
function projectWith(main: string[]): string {
  const dir = tmp('tiny');
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\napp: node --import tsx main.ts\noutput: dist\n');
  fs.writeFileSync(path.join(dir, 'main.ts'), main.join('\n'));
  return dir;
}

function files(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

beforeAll(() => {
  ensureBuilt();
  BIN = binFromTarball();
}, 300_000);

describe('help and usage', () => {
  test.each(['synth', 'validate', 'plan', 'diff', 'graph'])('fleetplane %s --help prints its usage and exits 0', (cmd) => {
    const r = fleetplane([cmd, '--help'], ROOT);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Usage: fleetplane ${cmd}`);
    expect(r.stdout).toContain('Exit codes:');
  });

  test('fleetplane --help lists every command with its summary', () => {
    const r = fleetplane(['--help'], ROOT);
    expect(r.status).toBe(0);
    for (const cmd of ['synth', 'validate', 'plan', 'diff', 'graph', 'check']) expect(r.stdout).toMatch(new RegExp(`^  ${cmd} +[A-Z]`, 'm'));
    expect(r.stdout).not.toContain('undefined');
  });

  test('usage errors exit 2 with a clear message', () => {
    expect(fleetplane([], ROOT).status).toBe(2);
    const unknown = fleetplane(['deploy'], ROOT);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "deploy"');
    const option = fleetplane(['synth', '--fast'], ROOT);
    expect(option.status).toBe(2);
    expect(option.stderr).toContain('fleetplane synth: unknown option --fast');
    const missing = fleetplane(['diff', 'only-one'], ROOT);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('expected 2 argument(s): OLD NEW');
    const choice = fleetplane(['graph', '--format', 'png'], ROOT);
    expect(choice.status).toBe(2);
    expect(choice.stderr).toContain('--format must be one of svg, mermaid');
    const itself = fleetplane(['synth', '--output', '.'], tinyProject());
    expect(itself.status).toBe(2);
    expect(itself.stderr).toContain('holds the project itself');
    const noProject = fleetplane(['synth'], tmp('empty'));
    expect(noProject.status).toBe(2);
    expect(noProject.stderr).toContain('no cdk8s.yaml');
  });
});

describe('synth', () => {
  test('writes what the program writes under tsx, byte for byte (examples/multi-region-shop)', () => {
    const example = path.join(ROOT, 'examples', 'multi-region-shop');
    const viaCli = tmp('shop');
    const r = fleetplane(['synth', '--output', viaCli], example);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/shop-control-plane\.k8s\.yaml\s+\d+ objects/);
    const viaTsx = tmp('tsx');
    const direct = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: example, env: { ...process.env, CDK8S_OUTDIR: viaTsx }, encoding: 'utf8' });
    expect(direct.status).toBe(0);
    expect(files(viaCli)).toEqual(files(viaTsx));
  });

  test('a failing program exits non-zero, prints its problems one per line, and leaves the previous output untouched', () => {
    const dir = tinyProject();
    expect(fleetplane(['synth'], dir).status).toBe(0);
    const before = files(path.join(dir, 'dist'));
    expect(Object.keys(before)).toEqual(['tiny-cluster-bj-1.k8s.yaml', 'tiny-cluster-sh-1.k8s.yaml']);

    const bad = fleetplane(['synth'], dir, { BAD: '1', REPLICAS: '5' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('[tiny/shop/web] placement.names[0] = "bj-9": unknown cluster (known: bj-1, sh-1). Fix: use a cluster declared on the platform, or declare it. (error K13)');
    expect(bad.stderr).toContain('dist was left unchanged');
    expect(bad.stderr).not.toMatch(/^\s+at /m); // no stack trace
    expect(files(path.join(dir, 'dist'))).toEqual(before);

    const crash = fleetplane(['synth'], dir, { CRASH: '1', REPLICAS: '5' });
    expect(crash.status).toBe(2);
    expect(crash.stderr).toContain('TypeError: boom');
    expect(crash.stderr).toContain('main.ts:13'); // the program's own line, through source maps
    expect(crash.stderr).toContain('fleetplane synth: the program failed (exit code 1); dist was left unchanged.');
    expect(files(path.join(dir, 'dist'))).toEqual(before);
    // No staging directory is left behind.
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.dist'))).toEqual([]);
  });

  test('on success the files of targets that no longer exist are gone', () => {
    const dir = tinyProject();
    expect(fleetplane(['synth'], dir, { CLUSTERS: 'bj-1,sh-1' }).status).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'dist')).sort()).toEqual(['tiny-cluster-bj-1.k8s.yaml', 'tiny-cluster-sh-1.k8s.yaml']);
    const r = fleetplane(['synth'], dir, { CLUSTERS: 'bj-1' });
    expect(r.status).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'dist'))).toEqual(['tiny-cluster-bj-1.k8s.yaml']);
  });

  test('the app command runs through the shell when it is not a plain TypeScript runner', () => {
    const dir = tinyProject();
    const r = fleetplane(['synth', '--app', 'true && node --import tsx main.ts', '--output', 'out'], dir);
    expect(r.status).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'out')).sort()).toEqual(['tiny-cluster-bj-1.k8s.yaml', 'tiny-cluster-sh-1.k8s.yaml']);
  });
});

describe('validate', () => {
  test('exit 0 without errors, 1 with errors (each printed), and nothing written', () => {
    const dir = tinyProject();
    const ok = fleetplane(['validate'], dir);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('fleetplane validate: 0 errors, 0 warnings.');
    const bad = fleetplane(['validate'], dir, { BAD: '1' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('(error K13)');
    expect(bad.stderr).toContain('(error FP-EMPTY-SELECTOR)');
    expect(bad.stderr).toContain('fleetplane validate: 2 errors, 0 warnings.');
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  test('the examples validate cleanly', () => {
    const r = fleetplane(['validate'], path.join(ROOT, 'examples', 'meshed-shop'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/0 errors/);
  });
});

describe('diff and plan', () => {
  let dir: string;
  let three: string;
  let five: string;
  beforeAll(() => {
    dir = tinyProject();
    three = path.join(dir, 'three');
    five = path.join(dir, 'five');
    expect(fleetplane(['synth', '-o', three], dir, { REPLICAS: '3' }).status).toBe(0);
    expect(fleetplane(['synth', '-o', five], dir, { REPLICAS: '5' }).status).toBe(0);
  });

  test('equal outputs: exit 0', () => {
    const r = fleetplane(['diff', three, three], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('No differences.\n');
  });

  test('different outputs: exit 1, replica changes summarized first, fields as JSON paths', () => {
    const r = fleetplane(['diff', three, five], dir);
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Summary:');
    expect(lines[1]).toMatch(/^ {2}replicas +Deployment shop\/web: spec\.replicas \d → \d {2}\[tiny-cluster-/);
    expect(r.stdout).toContain('~ Deployment shop/web');
    expect(r.stdout).toContain("spec.replicas: 3 → 5");
  });

  test('--format json', () => {
    const r = fleetplane(['diff', three, five, '--format', 'json'], dir);
    expect(r.status).toBe(1);
    const d = JSON.parse(r.stdout);
    expect(d.equal).toBe(false);
    expect(d.summary.map((s: { topic: string; ref: string }) => `${s.topic} ${s.ref}`)).toContain('replicas Deployment shop/web');
    expect(d.files.map((f: { file: string }) => f.file)).toEqual(['tiny-cluster-bj-1.k8s.yaml', 'tiny-cluster-sh-1.k8s.yaml']);
  });

  test('a missing directory is an error (exit 2)', () => {
    const r = fleetplane(['diff', three, path.join(dir, 'nowhere')], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not a directory');
  });

  test('plan: the diff against a fresh synth, the output directory untouched', () => {
    expect(fleetplane(['synth'], dir, { REPLICAS: '3' }).status).toBe(0);
    const before = files(path.join(dir, 'dist'));
    const same = fleetplane(['plan'], dir, { REPLICAS: '3' });
    expect(same.status).toBe(0);
    const changed = fleetplane(['plan'], dir, { REPLICAS: '5' });
    expect(changed.status).toBe(1);
    expect(changed.stdout).toContain('replicas');
    expect(files(path.join(dir, 'dist'))).toEqual(before);
    const broken = fleetplane(['plan'], dir, { BAD: '1' });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain('(error K13)');
  });
});

describe('graph', () => {
  const example = path.join(ROOT, 'examples', 'meshed-shop');
  const NAMES = ['bj-1', 'sh-1', 'frontend', 'cart', 'tenant shop', 'region cn-north', 'region cn-east', 'ingress gateway', 'api.payments.example.net'];
  let svgFile: string;
  beforeAll(() => {
    svgFile = path.join(tmp('graph'), 'topology.svg');
    const r = fleetplane(['graph', '--output', svgFile], example);
    expect(r.stderr).toContain('svg written to');
    expect(r.status).toBe(0);
  });

  test('the SVG is self-contained: no script, no external reference', () => {
    const svg = fs.readFileSync(svgFile, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toMatch(/<script|<image|href="http|@import|url\(http/);
    for (const name of NAMES) expect(svg).toContain(name);
    expect(svg).toContain('failover: cart, frontend');
    expect(svg).toContain('allow GET POST DELETE');
    expect(svg).toContain('Legend');
  });

  test('headless Chromium loads it and shows every cluster and app name; the screenshot is not blank', () => {
    const svg = fs.readFileSync(svgFile, 'utf8');
    const dir = path.dirname(svgFile);
    const [width, height] = [Number(/width="(\d+)"/.exec(svg)![1]), Number(/height="(\d+)"/.exec(svg)![1])];
    // The page checks every text is laid out with a real size, and writes what it saw into the DOM.
    const page = path.join(dir, 'page.html');
    fs.writeFileSync(page, [
      '<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0}</style></head><body>',
      svg,
      '<pre id="result"></pre><script>',
      'const texts = [...document.querySelectorAll("svg text")];',
      'const sized = texts.filter((t) => t.getBBox().width > 0 && t.getBBox().height > 0);',
      'document.getElementById("result").textContent = JSON.stringify({ texts: texts.length, sized: sized.length, seen: texts.map((t) => t.textContent) });',
      '</script></body></html>',
    ].join('\n'));
    const dom = chromium(['--dump-dom', `file://${page}`]);
    expect(dom.status).toBe(0);
    const result = JSON.parse(/<pre id="result">([^<]*)<\/pre>/.exec(dom.stdout)![1].replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
    expect(result.texts).toBeGreaterThan(20);
    expect(result.sized).toBe(result.texts);
    const seen = (result.seen as string[]).join('\n');
    for (const name of NAMES) expect(seen).toContain(name);

    const shot = path.join(dir, 'topology.png');
    const blank = path.join(dir, 'blank.png');
    fs.writeFileSync(path.join(dir, 'blank.html'), '<!doctype html><html><body></body></html>');
    expect(chromium([`--screenshot=${shot}`, `--window-size=${width},${height}`, `file://${svgFile}`]).status).toBe(0);
    expect(chromium([`--screenshot=${blank}`, `--window-size=${width},${height}`, `file://${path.join(dir, 'blank.html')}`]).status).toBe(0);
    const png = fs.readFileSync(shot);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(width); // IHDR: the picture's own size
    expect(png.length).toBeGreaterThan(20_000);
    expect(png.length).toBeGreaterThan(5 * fs.statSync(blank).size);
  });

  test('Mermaid for READMEs', () => {
    const r = fleetplane(['graph', '--format', 'mermaid'], example);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^%% fleetplane topology: meshed-shop/);
    expect(r.stdout).toContain('flowchart LR');
    for (const name of NAMES) expect(r.stdout).toContain(name);
    expect(r.stdout).toMatch(/p0_app_shop_frontend -->\|"×4"\| p0_cluster_bj_1/);
  });

  test('--from draws an existing output directory; a failing program exits 2', () => {
    const dir = tinyProject();
    expect(fleetplane(['synth'], dir).status).toBe(0);
    const from = fleetplane(['graph', '--from', 'dist', '--format', 'mermaid'], dir);
    expect(from.status).toBe(0);
    expect(from.stdout).toContain("bj-1 ×2");
    const bad = fleetplane(['graph'], dir, { BAD: '1' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('(error K13)');
  });
});

describe('fleetplane check', () => {
  beforeAll(() => {
    ensureBuilt();
    if (BIN === BUILT_BIN) BIN = binFromTarball();
  }, 300_000);

  test('meshed-shop: every declared path admitted in every cluster pair, the matrix printed, exit 0', () => {
    const r = fleetplane(['check'], path.join(ROOT, 'examples', 'meshed-shop'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^PATH\s+CALLER\s+CALLEE\s+CLUSTERS\s+VERDICT\s+DECIDED BY/m);
    expect(r.stdout).toMatch(/call\s+shop\/frontend\s+shop\/cart:8080\s+bj-1 -> sh-1\s+allowed\s+AuthorizationPolicy shop\/cart-allow/);
    expect(r.stdout).toMatch(/undeclared\s+shop\/cart\s+shop\/frontend:8080\s+bj-1 -> bj-1\s+denied/);
    expect(r.stdout).toMatch(/fleetplane check: \d+ paths, 0 declared blocked, 0 undeclared admitted\./);
    const json = JSON.parse(fleetplane(['check', '--format', 'json'], path.join(ROOT, 'examples', 'meshed-shop')).stdout);
    expect(json.blocked).toEqual([]);
    expect(json.entries.length).toBeGreaterThan(10);
  });

  test('a declared path the policies block: the row says BLOCKED with the blocking object, exit 1', () => {
    const dir = projectWith([
      `import { DeliveryMode, DistributedPlatform, FederatedApp, FleetApp, MeshedService } from ${JSON.stringify(path.join(ROOT, 'dist', 'index'))};`,
      'const app = new FleetApp();',
      'const platform = new DistributedPlatform(app, "prod", { delivery: DeliveryMode.DIRECT, mesh: { meshId: "m", istioCni: true }, clusters: [{ name: "bj-1", region: "cn-north" }] });',
      'const tenant = platform.addTenant("shop");',
      'const svc = (name: string, calls: MeshedService[] = []) => new MeshedService(tenant, `${name}-mesh`, { app: new FederatedApp(tenant, name, { image: `registry.example.com/shop/${name}:1.0.0`, port: 8080 }), calls });',
      'const cart = svc("cart"); const orders = svc("orders"); const frontend = svc("frontend", [orders]);',
      '// frontend may call cart, but its Sidecar egress lists only orders: the declared path is blocked.',
      'cart.allowFrom(frontend); orders.allowFrom(frontend);',
      'app.synth();',
    ]);
    const r = fleetplane(['check'], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/call\s+shop\/frontend\s+shop\/cart:8080\s+bj-1 -> bj-1\s+BLOCKED\s+Sidecar shop\/frontend \(egress\[0\]\.hosts\) in bj-1/);
    expect(r.stdout).toMatch(/1 declared blocked/);
  });

  test('--help documents the exit codes', () => {
    const r = fleetplane(['check', '--help'], ROOT);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Exit codes: 0 every declared path is admitted');
  });
});
