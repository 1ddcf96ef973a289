// Users' own objects placed like ours: FederatedApp.include() puts an object of a kind fleetplane does not
// know (an ExternalSecret) wherever the app goes: selected by the app's PropagationPolicy in karmada mode, copied
// to every member that runs the app in direct mode, validated strictly against its upstream schema.
import { ApiObject, App } from 'cdk8s';
import { Construct } from 'constructs';
import { DeliveryMode, DistributedPlatform, FederatedApp, Placement, PlatformValidationError } from '../index';
import { SchemaValidator, formatIssues } from './support/schema-validator';
import { all, synth } from './support/synth';

const CLUSTERS = [{ name: 'bj-1', region: 'cn-north' }, { name: 'bj-2', region: 'cn-north' }, { name: 'sh-1', region: 'cn-east' }];

function externalSecret(scope: Construct, namespace = 'shop'): ApiObject {
  return new ApiObject(scope, 'db', {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: 'web-db', namespace },
    spec: { secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' }, target: { name: 'web-db' }, data: [{ secretKey: 'password', remoteRef: { key: 'shop/web/db', property: 'password' } }] },
  });
}

function build(app: App, delivery: DeliveryMode, namespace = 'shop'): FederatedApp {
  const platform = new DistributedPlatform(app, 'prod', { clusters: CLUSTERS, delivery });
  const web = new FederatedApp(platform.addTenant('shop'), 'web', {
    image: 'registry.example.com/shop/web:1.0.0', port: 8080, placement: Placement.clusters('bj-1', 'sh-1'),
  });
  return web.include((scope) => externalSecret(scope, namespace));
}

test('karmada mode: the object is written once and selected by the app\'s PropagationPolicy', () => {
  const out = synth((app) => build(app, DeliveryMode.KARMADA));
  const secrets = all(out).filter((o) => o.kind === 'ExternalSecret');
  expect(secrets).toHaveLength(1);
  expect(secrets[0].metadata.labels).toMatchObject({ 'fleetplane.io/platform': 'prod', 'app.kubernetes.io/name': 'web' });
  const pp = all(out).find((o) => o.kind === 'PropagationPolicy' && o.metadata.name === 'web');
  expect(pp.spec.resourceSelectors).toContainEqual({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', name: 'web-db' });
  expect(pp.spec.placement.clusterAffinity.clusterNames).toEqual(['bj-1', 'sh-1']);
});

test('direct mode: every member that runs the app gets a copy, and no other', () => {
  const out = synth((app) => build(app, DeliveryMode.DIRECT));
  const files = Object.keys(out).filter((f) => out[f].some((o) => o.kind === 'ExternalSecret')).sort();
  expect(files).toEqual(['prod-cluster-bj-1.k8s.yaml', 'prod-cluster-sh-1.k8s.yaml']);
});

test.each([DeliveryMode.KARMADA, DeliveryMode.DIRECT])('the included object validates strictly against its upstream schema (%s mode)', (mode) => {
  const out = synth((app) => build(app, mode));
  const validator = SchemaValidator.load({ kubernetesVersion: 'v1.33.0', systems: ['karmada', 'external-secrets'] });
  expect(formatIssues(validator.validateAll(all(out)))).toBe('');
});

test('an object outside the app\'s namespace is a typed FP-INCLUDE error, the only one', () => {
  let error: unknown;
  try {
    synth((app) => build(app, DeliveryMode.KARMADA, 'other'));
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PlatformValidationError);
  expect((error as PlatformValidationError).errors).toEqual([expect.objectContaining({ rule: 'FP-INCLUDE', path: 'prod/shop/web', prop: 'include(0)' })]);
});
