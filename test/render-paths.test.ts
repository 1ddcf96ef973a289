// Objects render through a fast path (bodies sanitized once, no token walk). These tests hold it to cdk8s' own
// rendering of the same objects, and check that the escape hatch (JSON patches) and later metadata changes
// still reach the manifest, on objects fixed at construction and on objects rendered at synthesis.
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, JsonPatch } from 'cdk8s';
import { FleetApp, synthesizeTargets } from '../index';
import { buildShop } from '../examples/multi-region-shop/platform';
import { buildObservedShop } from '../examples/observed-shop/platform';
import { buildTracedShop } from '../examples/traced-shop/platform';
import { tmpDir } from './support/synth';

process.env.FLEETPLANE_QUIET = '1';

const objectsOf = (app: App) => app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);

/** cdk8s' own rendering: token resolution, sanitizing and key sorting of the props the object holds. */
const cdk8sRender = (o: ApiObject) => ApiObject.prototype.toJson.call(o);

test.each([
  ['multi-region-shop', (app: App) => buildShop(app)],
  ['observed-shop', buildObservedShop],
  ['traced-shop', (app: App) => buildTracedShop(app)],
])('%s: every object renders exactly as cdk8s renders it', (_name, build) => {
  const app = new App();
  build(app);
  synthesizeTargets(app); // validation runs first, as in a synth
  const objects = objectsOf(app);
  expect(objects.length).toBeGreaterThan(40);
  const lazy = objects.filter((o) => o.kind === 'PropagationPolicy' || o.kind === 'AuthorizationPolicy');
  expect(lazy.length).toBeGreaterThan(0);
  for (const o of objects) expect(JSON.stringify(o.toJson())).toBe(JSON.stringify(cdk8sRender(o)));
});

test('JSON patches and later labels reach objects fixed at construction and objects rendered at synthesis', () => {
  const dir = tmpDir();
  const app = new FleetApp({ outdir: dir });
  buildShop(app);
  const objects = objectsOf(app);
  const deployment = objects.find((o) => o.kind === 'Deployment')!;
  const propagation = objects.find((o) => o.kind === 'PropagationPolicy')!;
  deployment.addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 7));
  propagation.addJsonPatch(JsonPatch.add('/spec/priority', 5));
  propagation.metadata.addLabel('team', 'payments');
  app.synth();
  const text = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
  expect(text).toContain('minReadySeconds: 7');
  expect(text).toContain('priority: 5');
  expect(propagation.toJson().metadata.labels.team).toBe('payments');
  // The patched objects keep the rest of their body.
  expect(deployment.toJson().spec.template.spec.containers.length).toBeGreaterThan(0);
  expect(propagation.toJson().spec.resourceSelectors.length).toBeGreaterThan(0);
});

test('a rendering is a fresh top-level object: changing it does not change the next rendering', () => {
  const app = new App();
  buildShop(app);
  synthesizeTargets(app);
  const deployment = objectsOf(app).find((o) => o.kind === 'Deployment')!;
  const first = deployment.toJson();
  first.metadata.name = 'changed';
  first.extra = true;
  const second = deployment.toJson();
  expect(second.metadata.name).not.toBe('changed');
  expect(second.extra).toBeUndefined();
});

test('objects keep cdk8s order in a chart, with and without dependencies between them', () => {
  const app = new App();
  buildShop(app);
  const target = synthesizeTargets(app)[0];
  const chart = target.target.chart;
  const names = (objs: ReadonlyArray<Record<string, any>>) => objs.map((o) => `${o.kind}/${o.metadata?.name}`);
  expect(names(target.objects)).toEqual(names(chart.toJson()));
  const inChart = objectsOf(app).filter((o) => o.chart === chart);
  inChart[0].node.addDependency(inChart[inChart.length - 1]);
  const reordered = synthesizeTargets(app).find((t) => t.target.chart === chart)!.objects;
  expect(names(reordered)).toEqual(names(chart.toJson()));
  expect(names(reordered).indexOf(names([inChart[inChart.length - 1].toJson()])[0])).toBeLessThan(names(reordered).indexOf(names([inChart[0].toJson()])[0]));
});
