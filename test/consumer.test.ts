// The package as a user gets it: the packed tarball installed into a fresh project that already has an older
// cdk8s 2.70.x and constructs 10.x. Exactly one copy of cdk8s is installed, a platform synthesizes, and
// `fleetplane/pulumi` resolves under the node10, node16 and bundler module resolutions.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const OLD_CDK8S = '2.70.100';
const OLD_CONSTRUCTS = '10.3.0';

let project: string;
let tarball: string;

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
}

beforeAll(() => {
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-pack-'));
  const packed = JSON.parse(run(NPM, ['pack', '--json', '--pack-destination', packDir], ROOT));
  tarball = path.join(packDir, packed[0].filename);
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-consumer-'));
  const devVersions = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).devDependencies;
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({
    name: 'my-platform', version: '1.0.0', private: true,
    dependencies: {
      cdk8s: OLD_CDK8S, constructs: OLD_CONSTRUCTS, fleetplane: `file:${tarball}`,
      '@pulumi/pulumi': devVersions['@pulumi/pulumi'], '@pulumi/kubernetes': devVersions['@pulumi/kubernetes'],
      typescript: devVersions.typescript, '@types/node': devVersions['@types/node'], tsx: devVersions.tsx,
    },
  }, null, 2));
  run(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], project);
  fs.writeFileSync(path.join(project, 'main.ts'), [
    "import { App } from 'cdk8s';",
    "import { DistributedPlatform, FederatedApp, FleetApp, Placement } from 'fleetplane';",
    "import type { PlatformStackProps } from 'fleetplane/pulumi';",
    'const app = new FleetApp({ outdir: process.argv[2] });',
    "const platform = new DistributedPlatform(app, 'prod', { clusters: [{ name: 'bj-1', region: 'cn-north' }, { name: 'sh-1', region: 'cn-east' }] });",
    "new FederatedApp(platform.addTenant('shop'), 'web', { image: 'registry.example.com/shop/web:1.0.0', port: 8080, placement: Placement.all() });",
    'export const props: PlatformStackProps = { app: app as App };',
    'app.synth();',
  ].join('\n'));
}, 600_000);

test('the tarball holds the built library, its declarations, the rule catalog, LICENSE and CHANGELOG, and nothing else', () => {
  const files = run('tar', ['-tzf', tarball], ROOT).trim().split('\n').map((f) => f.replace(/^package\//, ''));
  for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/outputs/pulumi.d.ts', 'docs/rules.md', 'LICENSE', 'CHANGELOG.md', 'README.md', 'package.json']) expect(files).toContain(f);
  expect(files.filter((f) => f.startsWith('test/') || f.startsWith('dist/test/') || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
});

test('exactly one copy of cdk8s and of constructs: the project\'s own, older ones', () => {
  const copies = (name: string) => run('find', ['.', '-name', 'package.json', '-path', `*/node_modules/${name}/package.json`], project).trim().split('\n').filter(Boolean);
  expect(copies('cdk8s')).toEqual(['./node_modules/cdk8s/package.json']);
  expect(copies('constructs')).toEqual(['./node_modules/constructs/package.json']);
  expect(JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'cdk8s', 'package.json'), 'utf8')).version).toBe(OLD_CDK8S);
});

test.each([
  ['node10', { module: 'commonjs', moduleResolution: 'node' }],
  ['node16', { module: 'node16', moduleResolution: 'node16' }],
  ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
])('the program and fleetplane/pulumi type-check under moduleResolution %s', (_name, options) => {
  fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...options, target: 'es2022', strict: true, esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ['node'] }, files: ['main.ts'] }));
  expect(() => run(process.execPath, [path.join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], project)).not.toThrow();
});

test('the program synthesizes a platform with the project\'s cdk8s', () => {
  fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022', strict: true, esModuleInterop: true, skipLibCheck: true, outDir: 'out', types: ['node'] }, files: ['main.ts'] }));
  run(process.execPath, [path.join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], project);
  const out = path.join(project, 'dist');
  run(process.execPath, [path.join(project, 'out', 'main.js'), out], project);
  expect(fs.readdirSync(out)).toEqual(['prod-control-plane.k8s.yaml']);
  const text = fs.readFileSync(path.join(out, 'prod-control-plane.k8s.yaml'), 'utf8');
  expect(text).toContain('kind: PropagationPolicy');
  expect(text).toContain('image: registry.example.com/shop/web:1.0.0');
});

test('the fleetplane bin from the tarball: synth writes the output, validate and check pass, and a failing program leaves the output untouched', () => {
  const bin = path.join(project, 'node_modules', '.bin', 'fleetplane');
  fs.writeFileSync(path.join(project, 'cdk8s.yaml'), 'language: typescript\napp: node --import tsx cli-main.ts\noutput: manifests\n');
  const program = (image: string) => [
    "import { DistributedPlatform, FederatedApp, FleetApp } from 'fleetplane';",
    'const app = new FleetApp();',
    "const platform = new DistributedPlatform(app, 'prod', { clusters: [{ name: 'bj-1', region: 'cn-north' }] });",
    `new FederatedApp(platform.addTenant('shop'), 'web', { image: ${JSON.stringify(image)}, port: 8080 });`,
    'app.synth();',
  ].join('\n');
  fs.writeFileSync(path.join(project, 'cli-main.ts'), program('registry.example.com/shop/web:1.0.0'));
  run(bin, ['synth'], project);
  const file = path.join(project, 'manifests', 'prod-control-plane.k8s.yaml');
  const good = fs.readFileSync(file, 'utf8');
  expect(good).toContain('image: registry.example.com/shop/web:1.0.0');
  // validate and check from the same bin: a valid definition exits 0.
  expect(run(bin, ['validate'], project)).toContain('fleetplane validate: 0 errors');
  expect(run(bin, ['check'], project)).toContain('0 declared blocked');
  fs.writeFileSync(path.join(project, 'cli-main.ts'), program('not an image'));
  let status = 0;
  let stderr = '';
  try {
    run(bin, ['synth'], project);
  } catch (e) {
    status = (e as { status: number }).status;
    stderr = String((e as { stderr: string }).stderr);
  }
  expect(status).toBe(1);
  expect(stderr).toContain('FP-IMAGE');
  expect(fs.readFileSync(file, 'utf8')).toBe(good);
});
