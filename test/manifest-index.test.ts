// The model indexes each manifest list once (by kind and namespace) and caches what it derives from it. These
// tests hold the cached answers to what a scan of the list gives, including after the list grows.
import { namespaceLabels, objectsInNamespaces, sortedInNamespaces } from '../analysis/manifests';

const np = (ns: string, name: string) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace: ns, name } });

test('objects of a kind in namespaces, in list order, only of the asked API groups', () => {
  const list: object[] = [np('a', 'z'), np('b', 'y'), { apiVersion: 'other.io/v1', kind: 'NetworkPolicy', metadata: { namespace: 'a', name: 'x' } }, np('a', 'w')];
  expect(objectsInNamespaces(list, 'NetworkPolicy', ['networking.k8s.io'], ['a']).map((o) => o.metadata?.name)).toEqual(['z', 'w']);
  expect(objectsInNamespaces(list, 'NetworkPolicy', ['networking.k8s.io'], ['a', 'b', 'a']).map((o) => o.metadata?.name)).toEqual(['z', 'w', 'y']);
  expect(objectsInNamespaces(list, 'Service', [''], ['a'])).toEqual([]);
});

test('a list that grows after a lookup is indexed again, sorted answers included', () => {
  const list: object[] = [np('a', 'm')];
  expect(sortedInNamespaces(list, 'NetworkPolicy', ['networking.k8s.io'], ['a'], 'name').map((o) => o.metadata?.name)).toEqual(['m']);
  list.push(np('a', 'b'));
  expect(sortedInNamespaces(list, 'NetworkPolicy', ['networking.k8s.io'], ['a'], 'name').map((o) => o.metadata?.name)).toEqual(['b', 'm']);
});

test('namespace labels come from the core-group Namespace only, plus the name label', () => {
  const list: object[] = [
    { apiVersion: 'example.io/v1', kind: 'Namespace', metadata: { name: 'shop', labels: { fake: 'yes' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'payments' } } },
  ];
  expect(namespaceLabels(list, 'shop')).toEqual({ team: 'payments', 'kubernetes.io/metadata.name': 'shop' });
  expect(namespaceLabels(list, 'other')).toEqual({ 'kubernetes.io/metadata.name': 'other' });
});
