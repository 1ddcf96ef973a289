// FleetApp writes YAML with js-yaml: the files must read back (as YAML 1.1, like kubectl) as exactly the
// objects cdk8s renders, keep strings that YAML 1.1 would retype as strings, and fail before writing.
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { DistributedPlatform, FederatedApp, FleetApp, PlatformValidationError, synthesizeTargets, toYaml } from '../index';
import { buildShop } from '../examples/multi-region-shop/platform';
import { readOutput, tmpDir } from './support/synth';

process.env.FLEETPLANE_QUIET = '1';

test('the files hold exactly the rendered objects, read as YAML 1.1', () => {
  const dir = tmpDir();
  const app = new FleetApp({ outdir: dir });
  buildShop(app);
  app.synth();
  const again = new App();
  buildShop(again);
  const expected = synthesizeTargets(again);
  for (const t of expected) {
    const file = path.join(dir, `shop-${t.target.name}.k8s.yaml`);
    const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1' }).map((d) => d.toJSON());
    expect(docs).toEqual(t.objects);
  }
});

test('strings that YAML 1.1 would read as booleans, numbers or null stay strings', () => {
  const tricky = ['yes', 'no', 'on', 'off', 'y', 'n', 'true', 'null', '~', '0755', '1e3', '0x1F', '12:30', '.inf', '', ' leading', 'a: b', '#c', '- d', '*e', '&f', 'multi\nline'];
  const text = toYaml([{ data: Object.fromEntries(tricky.map((v, i) => [`k${i}`, v])) }]);
  expect(YAML.parse(text, { version: '1.1' }).data).toEqual(Object.fromEntries(tricky.map((v, i) => [`k${i}`, v])));
  expect(YAML.parse(text, { version: '1.2' }).data).toEqual(Object.fromEntries(tricky.map((v, i) => [`k${i}`, v])));
});

test('one file per apply target, byte-identical across runs', () => {
  const run = () => {
    const dir = tmpDir();
    const app = new FleetApp({ outdir: dir });
    buildShop(app);
    app.synth();
    return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
  };
  const a = run();
  expect(Object.keys(a)).toEqual(['shop-control-plane.k8s.yaml']);
  expect(run()).toEqual(a);
  expect(Object.keys(readOutput(tmpDir())).length).toBe(0);
});

test('a definition with errors throws the typed error and writes nothing', () => {
  const dir = path.join(tmpDir(), 'out');
  const app = new FleetApp({ outdir: dir });
  const p = new DistributedPlatform(app, 'p', { clusters: [{ name: 'a' }] });
  new FederatedApp(p.addTenant('t'), 'web', { image: 'r.example.com/web:1', replicas: -1 });
  expect(() => app.synth()).toThrow(PlatformValidationError);
  expect(fs.existsSync(dir)).toBe(false);
});

test('a tree changed and synthesized again in the same task is validated again', () => {
  const app = new App({ outdir: tmpDir() });
  const p = new DistributedPlatform(app, 'p', { clusters: [{ name: 'a' }] });
  const t = p.addTenant('t');
  new FederatedApp(t, 'web', { image: 'r.example.com/web:1' });
  app.synth();
  new FederatedApp(t, 'api', { image: 'r.example.com/api:1', replicas: -1 });
  expect(() => app.synth()).toThrow(PlatformValidationError);
});
