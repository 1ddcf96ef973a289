// The NetworkPolicy part of the reachability model, on the truth tables of the upstream e2e suite
// (kubernetes/kubernetes test/e2e/network/netpol/network_policy.go): each test is named after the upstream case it
// mirrors and builds the same policy on the same pods (namespaces x, y, z; pods a, b, c; loopback ignored).
import * as fs from 'fs';
import * as path from 'path';
import { evaluatePath } from '../analysis/reachability';
import { mismatches, netpol, NETWORKS, podIp, Reachability, twoClusters, world } from './support/reachability';

const NS = 'kubernetes.io/metadata.name';
const podA = { matchLabels: { pod: 'a' } };
const tcp = (port: number | string) => ({ protocol: 'TCP', port });

describe('NetworkPolicy between server and client (upstream netpol e2e)', () => {
  test("should support a 'default-deny-ingress' policy", () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b'];
    const m = world(pods, [netpol('x', 'deny-ingress', {}, { ingress: [] })]);
    const r = new Reachability(pods, true).expectPeer({}, { namespace: 'x' }, false);
    expect(mismatches(m, r, 80)).toEqual([]);
  });

  test("should support a 'default-deny-all' policy (deny-all-tcp-allow-dns)", () => {
    // The older variant of the case allows DNS egress (UDP 53) while denying everything else.
    const pods = ['x/a', 'x/b', 'y/a'];
    const policy = netpol('x', 'deny-all-tcp-allow-dns', {}, { ingress: [], egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }] });
    const m = world(pods, [policy]);
    const r = new Reachability(pods, true).expectPeer({}, { namespace: 'x' }, false).expectPeer({ namespace: 'x' }, {}, false);
    expect(mismatches(m, r, 80)).toEqual([]);
    const dns = { cluster: 'c1', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, meshed: false, port: 53, protocol: 'UDP', ip: '10.0.9.9' };
    const from = { cluster: 'c1', namespace: 'x', labels: { pod: 'a' }, meshed: false };
    expect(evaluatePath(m, { c1: { podCidrs: ['10.0.0.0/16'], network: 'n' } }, { from, to: dns, mtls: false }).allowed).toBe(true);
    const blocked = evaluatePath(m, { c1: { podCidrs: ['10.0.0.0/16'], network: 'n' } }, { from, to: { ...dns, protocol: 'TCP' }, mtls: false });
    expect(blocked.allowed).toBe(false);
    expect(blocked.decidedBy).toEqual({ kind: 'NetworkPolicy', namespace: 'x', name: 'deny-all-tcp-allow-dns', cluster: 'c1', rule: undefined });
  });

  test('should enforce policy to allow traffic from pods within server namespace based on PodSelector', () => {
    const pods = ['x/a', 'x/b', 'x/c', 'y/a'];
    const m = world(pods, [netpol('x', 'x-a-allows-x-b', podA, { ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] })]);
    const r = new Reachability(pods, true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true);
    expect(mismatches(m, r, 80)).toEqual([]);
  });

  test('should enforce policy to allow ingress traffic for a target', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const m = world(pods, [
      netpol('x', 'deny-all', {}, { ingress: [] }),
      netpol('x', 'allow-all-to-a', podA, { ingress: [{ from: [{ podSelector: {}, namespaceSelector: {} }] }] }),
    ]);
    const r = new Reachability(pods, true).expectAllIngress('x/a', true).expectAllIngress('x/b', false);
    expect(mismatches(m, r, 80)).toEqual([]);
  });

  test('should enforce policy to allow ingress traffic from pods in all namespaces', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const m = world(pods, [netpol('x', 'allow-from-another-ns', podA, { ingress: [{ from: [{ namespaceSelector: { matchLabels: {} } }] }] })]);
    expect(mismatches(m, new Reachability(pods, true), 80)).toEqual([]);
  });

  test('should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const m = world(pods, [netpol('x', 'allow-client-a-via-ns-selector', podA, { ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NS]: 'y' } } }] }] })]);
    const r = new Reachability(pods, true).expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false).expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
    expect(mismatches(m, r, 80)).toEqual([]);
  });

  test('should enforce policy based on PodSelector with MatchExpressions', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const from = [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } }];
    const m = world(pods, [netpol('x', 'x-a-allows-x-b', podA, { ingress: [{ from }] })]);
    const r = new Reachability(pods, true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true);
    expect(mismatches(m, r, 80)).toEqual([]);
  });

  test('should enforce policy based on NamespaceSelector with MatchExpressions', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const from = [{ namespaceSelector: { matchExpressions: [{ key: NS, operator: 'In', values: ['y'] }] } }];
    const m = world(pods, [netpol('x', 'allow-ns-y-match-selector', podA, { ingress: [{ from }] })]);
    const r = new Reachability(pods, true).expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false).expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
    expect(mismatches(m, r, 80)).toEqual([]);
  });

  test('should enforce policy based on PodSelector or NamespaceSelector', () => {
    // Two peers: OR.
    const pods = ['x/a', 'x/b', 'x/c', 'y/a'];
    const from = [{ namespaceSelector: { matchExpressions: [{ key: NS, operator: 'NotIn', values: ['x'] }] } }, { podSelector: { matchLabels: { pod: 'b' } } }];
    const m = world(pods, [netpol('x', 'allow-ns-y-match-selector', podA, { ingress: [{ from }] })]);
    const r = new Reachability(pods, true).expect('x/a', 'x/a', false).expect('x/c', 'x/a', false);
    expect(mismatches(m, r, 80)).toEqual([]);
  });

  test('should enforce policy based on PodSelector and NamespaceSelector', () => {
    // One peer with both selectors: AND.
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'z/b'];
    const from = [{ namespaceSelector: { matchExpressions: [{ key: NS, operator: 'NotIn', values: ['x'] }] }, podSelector: { matchLabels: { pod: 'b' } } }];
    const m = world(pods, [netpol('x', 'allow-ns-y-podselector-and-nsselector', podA, { ingress: [{ from }] })]);
    const r = new Reachability(pods, true).expectAllIngress('x/a', false).expect('y/b', 'x/a', true).expect('z/b', 'x/a', true);
    expect(mismatches(m, r, 80)).toEqual([]);
  });

  test('should enforce policy based on Multiple PodSelectors and NamespaceSelectors', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'y/c'];
    const from = [{
      namespaceSelector: { matchExpressions: [{ key: NS, operator: 'NotIn', values: ['x'] }] },
      podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] },
    }];
    const m = world(pods, [netpol('x', 'allow-ns-y-z-pod-b-c', podA, { ingress: [{ from }] })]);
    const r = new Reachability(pods, true).expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false).expect('y/a', 'x/a', false);
    expect(mismatches(m, r, 80)).toEqual([]);
  });

  test('should enforce policy based on any PodSelectors', () => {
    const pods = ['x/a', 'x/b', 'x/c'];
    const from = [{ podSelector: { matchLabels: { pod: 'b' } } }, { podSelector: { matchLabels: { pod: 'c' } } }];
    const m = world(pods, [netpol('x', 'allow-ns-x-pod-b-c', podA, { ingress: [{ from }] })]);
    const r = new Reachability(pods, true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true).expect('x/c', 'x/a', true);
    expect(mismatches(m, r, 80)).toEqual([]);
  });

  test('should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'];
    const from = [{ namespaceSelector: { matchLabels: { [NS]: 'y' } }, podSelector: podA }];
    const m = world(pods, [netpol('x', 'allow-ns-y-pod-a-via-namespace-pod-selector', podA, { ingress: [{ from }] })]);
    const r = new Reachability(pods, true).expectAllIngress('x/a', false).expect('y/a', 'x/a', true);
    expect(mismatches(m, r, 80)).toEqual([]);
    expect(mismatches(m, r, 80, 'UDP')).toEqual([]); // the UDP variant of the case
  });

  test('should enforce policy based on Ports', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'];
    const m = world(pods, [netpol('x', 'allow-client-a-via-ns-selector', podA, { ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NS]: 'y' } } }], ports: [tcp(81)] }] })]);
    const r = new Reachability(pods, true).expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false)
      .expectPeer({ namespace: 'y' }, { namespace: 'x', pod: 'a' }, true).expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
    expect(mismatches(m, r, 81)).toEqual([]);
  });

  test('should enforce multiple, stacked policies with overlapping podSelectors', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'];
    const fromY = [{ namespaceSelector: { matchLabels: { [NS]: 'y' } } }];
    const only81 = netpol('x', 'allow-client-a-via-ns-selector', podA, { ingress: [{ from: fromY, ports: [tcp(81)] }] });
    const allow = new Reachability(pods, true).expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false)
      .expectPeer({ namespace: 'y' }, { namespace: 'x', pod: 'a' }, true).expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
    expect(mismatches(world(pods, [only81]), allow, 81)).toEqual([]);
    expect(mismatches(world(pods, [only81]), new Reachability(pods, true).expectAllIngress('x/a', false), 80)).toEqual([]);
    // Policies are additive: a second policy opens port 80 too.
    const also80 = netpol('x', 'allow-client-a-via-ns-selector-80', podA, { ingress: [{ from: fromY, ports: [tcp(80)] }] });
    expect(mismatches(world(pods, [only81, also80]), allow, 80)).toEqual([]);
  });

  test('should support allow-all policy', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const m = world(pods, [netpol('x', 'allow-all', { matchLabels: {} }, { ingress: [{}] })]);
    expect(mismatches(m, new Reachability(pods, true), 80)).toEqual([]);
    expect(mismatches(m, new Reachability(pods, true), 81)).toEqual([]);
  });

  test('should allow ingress access on one named port', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const m = world(pods, [netpol('x', 'allow-all', { matchLabels: {} }, { ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] })]);
    expect(mismatches(m, new Reachability(pods, true), 81)).toEqual([]);
    expect(mismatches(m, new Reachability(pods, true).expectPeer({}, { namespace: 'x' }, false), 80)).toEqual([]);
  });

  test('should allow ingress access from namespace on one named port', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const rule = { from: [{ namespaceSelector: { matchLabels: { [NS]: 'y' } } }], ports: [tcp('serve-80-tcp')] };
    const m = world(pods, [netpol('x', 'allow-client-a-via-ns-selector-80', podA, { ingress: [rule] })]);
    const r = new Reachability(pods, true).expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false).expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
    expect(mismatches(m, r, 80)).toEqual([]);
    expect(mismatches(m, new Reachability(pods, true).expectAllIngress('x/a', false), 81)).toEqual([]);
  });

  test('should allow egress access on one named port', () => {
    // The named port resolves against the destination pod's container ports.
    const pods = ['x/a', 'y/a'];
    const m = world(pods, [netpol('x', 'allow-egress', { matchLabels: {} }, { egress: [{ ports: [{ port: 'serve-80-tcp' }] }] })]);
    expect(mismatches(m, new Reachability(pods, true), 80)).toEqual([]);
    expect(mismatches(m, new Reachability(pods, true).expectPeer({ namespace: 'x' }, {}, false), 81)).toEqual([]);
  });

  test('should allow ingress access from updated namespace', () => {
    const pods = ['x/a', 'y/a'];
    const policy = netpol('x', 'allow-client-a-via-ns-selector', podA, { ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns2: 'updated' } } }] }] });
    expect(mismatches(world(pods, [policy]), new Reachability(pods, true).expectAllIngress('x/a', false), 80)).toEqual([]);
    const labelled = world(pods, [policy]);
    const objects = labelled.c1.map((o) => ((o as { kind: string; metadata: { name: string } }).kind === 'Namespace' && (o as { metadata: { name: string } }).metadata.name === 'y'
      ? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'y', labels: { ns2: 'updated' } } } : o));
    expect(mismatches({ c1: objects }, new Reachability(pods, true).expectAllIngress('x/a', false).expectPeer({ namespace: 'y' }, {}, true), 80)).toEqual([]);
  });

  test('should allow ingress access from updated pod', () => {
    const pods = ['x/a', 'x/b'];
    const policy = netpol('x', 'allow-client-a-via-pod-selector', podA, { ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b', pod2: 'updated' } } }] }] });
    expect(mismatches(world(pods, [policy]), new Reachability(pods, true).expectAllIngress('x/a', false), 80)).toEqual([]);
    const updated = world(pods, [policy], { 'x/b': { pod2: 'updated' } });
    expect(mismatches(updated, new Reachability(pods, true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true), 80)).toEqual([]);
  });

  test('should deny ingress from pods on other namespaces', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const m = world(pods, [netpol('x', 'deny-empty-policy', {}, { ingress: [{ from: [{ podSelector: { matchLabels: {} } }] }] })]);
    const r = new Reachability(pods, true).expectPeer({ namespace: 'y' }, { namespace: 'x' }, false).expectPeer({ namespace: 'z' }, { namespace: 'x' }, false);
    expect(mismatches(m, r, 80)).toEqual([]);
  });

  test('should deny ingress access to updated pod', () => {
    const pods = ['x/a', 'y/a'];
    const policy = netpol('x', 'deny-ingress-via-label-selector', { matchLabels: { target: 'isolated' } }, { ingress: [] });
    expect(mismatches(world(pods, [policy]), new Reachability(pods, true), 80)).toEqual([]);
    expect(mismatches(world(pods, [policy], { 'x/a': { target: 'isolated' } }), new Reachability(pods, true).expectAllIngress('x/a', false), 80)).toEqual([]);
  });

  test('should deny egress from pods based on PodSelector (an Egress-only policy does not isolate ingress)', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const m = world(pods, [netpol('x', 'deny-egress-pod-a', podA, { egress: [] })]);
    // x/a still receives from everyone: only policyType Egress selects it.
    expect(mismatches(m, new Reachability(pods, true).expectAllEgress('x/a', false), 80)).toEqual([]);
  });

  test('should deny egress from all pods in a namespace', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const m = world(pods, [netpol('x', 'deny-egress-ns-x', {}, { egress: [] })]);
    expect(mismatches(m, new Reachability(pods, true).expectPeer({ namespace: 'x' }, {}, false), 80)).toEqual([]);
  });

  test('should work with Ingress, Egress specified together', () => {
    const pods = ['x/a', 'x/b', 'x/c', 'y/a'];
    const m = world(pods, [netpol('x', 'allow-client-a-via-pod-selector', podA, { ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }], egress: [{ ports: [{ port: 80 }] }] })]);
    expect(mismatches(m, new Reachability(pods, true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true), 80)).toEqual([]);
    const r81 = new Reachability(pods, true).expectAllIngress('x/a', false).expectAllEgress('x/a', false).expect('x/b', 'x/a', true);
    expect(mismatches(m, r81, 81)).toEqual([]);
  });

  test('should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)', () => {
    const pods = ['x/a', 'y/a', 'y/b'];
    const toYa = [{ namespaceSelector: { matchLabels: { [NS]: 'y' } }, podSelector: podA }];
    const fromXa = [{ namespaceSelector: { matchLabels: { [NS]: 'x' } }, podSelector: podA }];
    const m = world(pods, [
      netpol('x', 'allow-to-ns-y-pod-a', podA, { egress: [{ to: toYa }] }),
      netpol('y', 'allow-from-xa-on-ya-match-selector', podA, { ingress: [{ from: fromXa }] }),
      netpol('y', 'allow-from-xa-on-yb-match-selector', { matchLabels: { pod: 'b' } }, { ingress: [{ from: fromXa }] }),
    ]);
    const r = new Reachability(pods, true).expectPeer({ namespace: 'x', pod: 'a' }, {}, false).expectPeer({}, { namespace: 'y', pod: 'a' }, false)
      .expectPeer({ namespace: 'x', pod: 'a' }, { namespace: 'y', pod: 'a' }, true).expectPeer({}, { namespace: 'y', pod: 'b' }, false);
    expect(mismatches(m, r, 80)).toEqual([]);
  });

  test('should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector', () => {
    const pods = ['x/a', 'y/a', 'y/b'];
    const m = world(pods, [netpol('x', 'allow-to-ns-y-pod-a', podA, { egress: [{ to: [{ namespaceSelector: { matchLabels: { [NS]: 'y' } }, podSelector: podA }] }] })]);
    expect(mismatches(m, new Reachability(pods, true).expectAllEgress('x/a', false).expect('x/a', 'y/a', true), 80)).toEqual([]);
  });

  test('should enforce ingress policy allowing any port traffic to a server on a specific protocol', () => {
    const pods = ['x/a', 'y/a'];
    const m = world(pods, [netpol('x', 'allow-ingress-by-proto', podA, { ingress: [{ ports: [{ protocol: 'TCP' }] }] })]);
    expect(mismatches(m, new Reachability(pods, true), 80, 'TCP')).toEqual([]);
    expect(mismatches(m, new Reachability(pods, true).expectPeer({}, { namespace: 'x', pod: 'a' }, false), 80, 'UDP')).toEqual([]);
  });

  test('should enforce multiple ingress policies with ingress allow-all policy taking precedence', () => {
    const pods = ['x/a', 'y/a'];
    const only80 = netpol('x', 'allow-ingress-port-80', { matchLabels: {} }, { ingress: [{ ports: [{ port: 80 }] }] });
    expect(mismatches(world(pods, [only80]), new Reachability(pods, true).expectPeer({}, { namespace: 'x' }, false), 81)).toEqual([]);
    const all = netpol('x', 'allow-ingress', { matchLabels: {} }, { ingress: [{}] });
    expect(mismatches(world(pods, [only80, all]), new Reachability(pods, true), 81)).toEqual([]);
  });

  test('should enforce multiple egress policies with egress allow-all policy taking precedence', () => {
    const pods = ['x/a', 'y/a'];
    const only80 = netpol('x', 'allow-egress-port-80', { matchLabels: {} }, { egress: [{ ports: [{ port: 80 }] }] });
    expect(mismatches(world(pods, [only80]), new Reachability(pods, true).expectPeer({ namespace: 'x' }, {}, false), 81)).toEqual([]);
    const all = netpol('x', 'allow-egress', { matchLabels: {} }, { egress: [{}] });
    expect(mismatches(world(pods, [only80, all]), new Reachability(pods, true), 81)).toEqual([]);
  });

  test('should stop enforcing policies after they are deleted', () => {
    const pods = ['x/a', 'y/a'];
    const denyAll = netpol('x', 'deny-all', {}, { ingress: [], egress: [] });
    expect(mismatches(world(pods, [denyAll]), new Reachability(pods, true).expectPeer({ namespace: 'x' }, {}, false).expectPeer({}, { namespace: 'x' }, false), 80)).toEqual([]);
    expect(mismatches(world(pods, []), new Reachability(pods, true), 80)).toEqual([]);
  });

  test('should allow egress access to server in CIDR block', () => {
    const pods = ['x/a', 'y/a', 'y/b'];
    const m = world(pods, [netpol('x', 'allow-client-a-via-cidr-egress-rule', podA, { egress: [{ to: [{ ipBlock: { cidr: `${podIp('y/b')}/32` } }] }] })]);
    expect(mismatches(m, new Reachability(pods, true).expectAllEgress('x/a', false).expect('x/a', 'y/b', true), 80)).toEqual([]);
  });

  test('should enforce except clause while egress access to server in CIDR block', () => {
    // makeLargeCIDRForIP: the /4 around the pod's address, except the pod itself.
    const pods = ['x/a', 'x/b', 'x/c'];
    const m = world(pods, [netpol('x', 'allow-client-a-via-cidr-egress-rule', podA, { egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/4', except: [`${podIp('x/b')}/32`] } }] }] })]);
    expect(mismatches(m, new Reachability(pods, true).expect('x/a', 'x/b', false), 80)).toEqual([]);
  });

  test('should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed', () => {
    const pods = ['x/a', 'x/b', 'x/c'];
    const large = netpol('x', 'allow-client-a-via-cidr-egress-rule', podA, { egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/4', except: [`${podIp('x/b')}/32`] } }] }] });
    expect(mismatches(world(pods, [large]), new Reachability(pods, true).expect('x/a', 'x/b', false), 80)).toEqual([]);
    // The upstream case replaces the policy (same name) with one allowing only x/b's address.
    const only = netpol('x', 'allow-client-a-via-cidr-egress-rule', podA, { egress: [{ to: [{ ipBlock: { cidr: `${podIp('x/b')}/32` } }] }] });
    expect(mismatches(world(pods, [only]), new Reachability(pods, true).expectAllEgress('x/a', false).expect('x/a', 'x/b', true), 80)).toEqual([]);
  });

  test('should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const allowEgress = netpol('x', 'allow-egress-for-target', podA, { egress: [{}] });
    expect(mismatches(world(pods, [allowEgress]), new Reachability(pods, true), 80)).toEqual([]);
    const denyIngress = netpol('x', 'deny-ingress-via-label-selector', podA, { ingress: [] });
    expect(mismatches(world(pods, [allowEgress, denyIngress]), new Reachability(pods, true).expectAllIngress('x/a', false), 80)).toEqual([]);
  });

  test("should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP", () => {
    const pods = ['x/a', 'y/a'];
    const m = world(pods, [
      netpol('x', 'deny-ingress', {}, { ingress: [] }),
      netpol('x', 'allow-only-sctp-ingress-on-port-81', podA, { ingress: [{ ports: [{ port: 81, protocol: 'SCTP' }] }] }),
    ]);
    expect(mismatches(m, new Reachability(pods, true).expectPeer({}, { namespace: 'x' }, false), 81)).toEqual([]);
  });

  test("should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP", () => {
    const pods = ['x/a', 'y/a'];
    const m = world(pods, [netpol('x', 'allow-only-sctp-ingress-on-port-80', podA, { ingress: [{ ports: [{ port: 80, protocol: 'SCTP' }] }] })]);
    expect(mismatches(m, new Reachability(pods, true).expectAllIngress('x/a', false), 81)).toEqual([]);
  });

  test('should not allow access by TCP when a policy specifies only UDP', () => {
    const pods = ['x/a', 'y/a'];
    const m = world(pods, [netpol('x', 'allow-only-udp-ingress-on-port-81', podA, { ingress: [{ ports: [{ port: 81, protocol: 'UDP' }] }] })]);
    expect(mismatches(m, new Reachability(pods, true).expectAllIngress('x/a', false), 81)).toEqual([]);
  });

  test('should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const m = world(pods, [netpol('x', 'allow-client-a-via-ns-selector-for-immutable-ns-label', podA, { ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NS]: 'y' } } }] }] })]);
    const r = new Reachability(pods, true).expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false).expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
    expect(mismatches(m, r, 80)).toEqual([]);
  });

  test('should enforce policy based on NamespaceSelector with MatchExpressions using default ns label', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const to = [{ namespaceSelector: { matchExpressions: [{ key: NS, operator: 'NotIn', values: ['y'] }] } }];
    const m = world(pods, [netpol('x', 'allow-ns-y-match-selector-for-immutable-ns-label', podA, { egress: [{ to }] })]);
    expect(mismatches(m, new Reachability(pods, true).expectPeer({ namespace: 'x', pod: 'a' }, { namespace: 'y' }, false), 80)).toEqual([]);
  });
});

describe('NetworkPolicy details the e2e suite does not probe', () => {
  test('endPort ranges (docs "Targeting a range of ports"; upstream e2e only validates the field)', () => {
    const pods = ['x/a', 'y/a'];
    const m = world(pods, [netpol('x', 'range', podA, { ingress: [{ ports: [{ protocol: 'TCP', port: 80, endPort: 81 }] }] })]);
    expect(mismatches(m, new Reachability(pods, true), 80)).toEqual([]);
    expect(mismatches(m, new Reachability(pods, true), 81)).toEqual([]);
    const narrow = world(pods, [netpol('x', 'range', podA, { ingress: [{ ports: [{ protocol: 'TCP', port: 32000, endPort: 32768 }] }] })]);
    expect(mismatches(narrow, new Reachability(pods, true).expectAllIngress('x/a', false), 80)).toEqual([]);
  });

  test('matchExpressions Exists and DoesNotExist', () => {
    const pods = ['x/a', 'x/b', 'x/c'];
    const from = [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }, { key: 'blocked', operator: 'DoesNotExist' }] } }];
    const m = world(pods, [netpol('x', 'tiered', podA, { ingress: [{ from }] })], { 'x/b': { tier: 'web' }, 'x/c': { tier: 'web', blocked: 'yes' } });
    expect(mismatches(m, new Reachability(pods, true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true), 80)).toEqual([]);
  });

  test('policyTypes default: Ingress always, Egress only when the policy has egress rules', () => {
    const pods = ['x/a', 'y/a'];
    const raw = (name: string, spec: object) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'x' }, spec });
    // No policyTypes, no rules: isolates ingress only.
    expect(mismatches(world(pods, [raw('bare', { podSelector: {} })]), new Reachability(pods, true).expectPeer({}, { namespace: 'x' }, false), 80)).toEqual([]);
    // No policyTypes, egress rules present: isolates both directions.
    const withEgress = raw('egress-80', { podSelector: {}, egress: [{ ports: [{ port: 81 }] }] });
    const r = new Reachability(pods, true).expectPeer({}, { namespace: 'x' }, false).expectPeer({ namespace: 'x' }, {}, false);
    expect(mismatches(world(pods, [withEgress]), r, 80)).toEqual([]);
  });

  test('a blocked connection names the isolating policy and the near miss', () => {
    const m = world(['x/a', 'y/a'], [netpol('x', 'web', podA, { ingress: [{ from: [{ namespaceSelector: {} }], ports: [tcp(8080)] }] })]);
    const from = { cluster: 'c1', namespace: 'y', labels: { pod: 'a' }, meshed: false };
    const result = evaluatePath(m, NETWORKS, { from, to: { cluster: 'c1', namespace: 'x', labels: { pod: 'a' }, meshed: false, port: 80 }, mtls: false });
    expect(result.allowed).toBe(false);
    expect(result.decidedBy).toEqual({ kind: 'NetworkPolicy', namespace: 'x', name: 'web', cluster: 'c1', rule: undefined });
    expect(result.reason).toContain('web ingress[0] admits the peer but not TCP/80');
    const ok = evaluatePath(m, NETWORKS, { from, to: { cluster: 'c1', namespace: 'x', labels: { pod: 'a' }, meshed: false, port: 8080 }, mtls: false });
    expect(ok.decidedBy).toEqual({ kind: 'NetworkPolicy', namespace: 'x', name: 'web', cluster: 'c1', rule: 'ingress[0]' });
  });

  test('a named destination port that the pod does not have blocks the path', () => {
    const m = world(['x/a', 'y/a'], []);
    const result = evaluatePath(m, NETWORKS, {
      from: { cluster: 'c1', namespace: 'y', labels: { pod: 'a' }, meshed: false },
      to: { cluster: 'c1', namespace: 'x', labels: { pod: 'a' }, meshed: false, port: 'metrics' },
      mtls: false,
    });
    expect(result.allowed).toBe(false);
    expect(result.reason).toContain('no container port named "metrics"');
  });
});

describe('NetworkPolicy across clusters: a remote pod is an address in its cluster\'s pod CIDR', () => {
  const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const np = (namespace: string, name: string, spec: object) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
  const web = { cluster: 'east', namespace: 'shop', labels: { app: 'web' }, meshed: false };
  const api = { cluster: 'west', namespace: 'shop', labels: { app: 'api' }, meshed: false, port: 8080 };
  const denyAll = np('shop', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  const egressToShop = np('shop', 'to-api', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { [NS]: 'shop' } } }] }] });

  test('same network: selectors never match a pod of another cluster, an ipBlock covering its pod CIDR does', () => {
    const bySelector = np('shop', 'from-shop', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NS]: 'shop' } } }] }] });
    const networks = twoClusters(true);
    const blocked = evaluatePath({ east: [ns('shop')], west: [ns('shop'), bySelector] }, networks, { from: web, to: api, mtls: false });
    expect(blocked.allowed).toBe(false);
    expect(blocked.decidedBy).toMatchObject({ kind: 'NetworkPolicy', name: 'from-shop', cluster: 'west' });
    expect(blocked.reason).toContain('only ipBlock peers can match it');
    const byBlock = np('shop', 'from-east', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.1.0.0/16' } }] }] });
    expect(evaluatePath({ east: [], west: [byBlock] }, networks, { from: web, to: api, mtls: false }).allowed).toBe(true);
  });

  test('an ipBlock covering only part of the remote pod CIDR admits a known pod address, not an unknown one', () => {
    const part = np('shop', 'from-east-half', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.1.0.0/17' } }] }] });
    const networks = twoClusters(true);
    expect(evaluatePath({ west: [part] }, networks, { from: web, to: api, mtls: false }).allowed).toBe(false);
    expect(evaluatePath({ west: [part] }, networks, { from: { ...web, ip: '10.1.3.4' }, to: api, mtls: false }).allowed).toBe(true);
    const except = np('shop', 'from-east-but', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.1.0.0/16', except: ['10.1.3.0/24'] } }] }] });
    expect(evaluatePath({ west: [except] }, networks, { from: { ...web, ip: '10.1.3.4' }, to: api, mtls: false }).allowed).toBe(false);
  });

  test('egress is decided in the source cluster: a namespaceSelector towards the destination does not reach another cluster', () => {
    const networks = twoClusters(true);
    const result = evaluatePath({ east: [ns('shop'), denyAll, egressToShop] }, networks, { from: web, to: api, mtls: false });
    expect(result.allowed).toBe(false);
    expect(result.hops[0]).toMatchObject({ kind: 'network-egress', cluster: 'east', allowed: false });
    const toWest = np('shop', 'to-west', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.2.0.0/16' } }], ports: [{ port: 8080 }] }] });
    expect(evaluatePath({ east: [denyAll, toWest] }, networks, { from: web, to: api, mtls: false }).allowed).toBe(true);
  });

  test('another network: the path goes through the east-west gateway on 15443, each hop with its own policies', () => {
    const gateway = { address: '203.0.113.10' };
    const networks = twoClusters(false, gateway);
    const meshedWeb = { ...web, meshed: true };
    const meshedApi = { ...api, meshed: true };
    const toGateway = np('shop', 'to-gateway', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '203.0.113.10/32' } }], ports: [{ port: 15443 }] }] });
    const fromGateway = np('shop', 'from-gateway', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NS]: 'istio-system' } }, podSelector: { matchLabels: { istio: 'eastwestgateway' } } }] }] });
    // Without a Service the caller's sidecar would not know the host and would pass the connection through as plain text.
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] } };
    const manifests = { east: [ns('shop'), denyAll, toGateway, service], west: [ns('shop'), ns('istio-system'), fromGateway, service] };
    const ok = evaluatePath(manifests, networks, { from: meshedWeb, to: meshedApi, mtls: true });
    expect(ok.allowed).toBe(true);
    expect(ok.hops.map((h) => `${h.kind}@${h.cluster}`)).toEqual([
      'sidecar-egress@east', 'route@west', 'network-egress@east', 'network-ingress@west', 'network-egress@west', 'network-ingress@west', 'peer-authentication@west', 'authorization@west',
    ]);
    const plain = evaluatePath(manifests, networks, { from: meshedWeb, to: meshedApi, mtls: false });
    expect(plain.allowed).toBe(false);
    expect(plain.reason).toContain('routes only mutual TLS');
    const noGatewayPolicy = evaluatePath({ ...manifests, east: [ns('shop'), denyAll, egressToShop] }, networks, { from: meshedWeb, to: meshedApi, mtls: true });
    expect(noGatewayPolicy.decidedBy).toMatchObject({ kind: 'NetworkPolicy', name: 'default-deny', cluster: 'east' });
    const onlyCallers = np('shop', 'from-shop', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NS]: 'shop' } } }] }] });
    const gatewayBlocked = evaluatePath({ ...manifests, west: [ns('shop'), onlyCallers] }, networks, { from: meshedWeb, to: meshedApi, mtls: true });
    expect(gatewayBlocked.decidedBy).toMatchObject({ kind: 'NetworkPolicy', name: 'from-shop', cluster: 'west' });
    expect(evaluatePath(manifests, twoClusters(false), { from: meshedWeb, to: meshedApi, mtls: true }).reason).toContain('has no east-west gateway');
  });
});

test('analysis/ reads manifests with core/ and model/ only (never constructs/, engines/ or outputs/)', () => {
  const dir = path.join(__dirname, '..', 'analysis');
  const bad = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/from '([^']+)'/g)]
    .map((m) => m[1]).filter((spec) => !/^\.\/[\w-]+$|^\.\.\/(core|model)\//.test(spec)).map((spec) => `${f} -> ${spec}`));
  expect(bad).toEqual([]);
});
