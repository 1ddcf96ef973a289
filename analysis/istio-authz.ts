/**
 * Istio AuthorizationPolicy evaluation on a workload's sidecar: CUSTOM, then DENY, then ALLOW. A request is
 * denied by any matching DENY policy; if any ALLOW policy applies to the workload the request must match one of
 * its rules (so an ALLOW policy without rules, `spec: {}`, denies everything, and `rules: [{}]` allows
 * everything). Requests without mutual TLS carry no principal and no namespace.
 */
import { nameOf, namespaceOf, sortedInNamespaces } from './manifests';
import { addressInBlock, addressOutsideBlocks, labelsInclude, PeerAddress } from './selectors';
import { DecidingObject, HttpRequest, Manifest, MeshWorkload, Verdict } from './types';

interface Source {
  readonly principals?: readonly string[];
  readonly notPrincipals?: readonly string[];
  readonly requestPrincipals?: readonly string[];
  readonly notRequestPrincipals?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly notNamespaces?: readonly string[];
  readonly ipBlocks?: readonly string[];
  readonly notIpBlocks?: readonly string[];
  readonly remoteIpBlocks?: readonly string[];
  readonly notRemoteIpBlocks?: readonly string[];
}

interface Operation {
  readonly hosts?: readonly string[];
  readonly notHosts?: readonly string[];
  readonly ports?: readonly string[];
  readonly notPorts?: readonly string[];
  readonly methods?: readonly string[];
  readonly notMethods?: readonly string[];
  readonly paths?: readonly string[];
  readonly notPaths?: readonly string[];
}

interface Condition {
  readonly key: string;
  readonly values?: readonly string[];
  readonly notValues?: readonly string[];
}

interface Rule {
  readonly from?: ReadonlyArray<{ readonly source?: Source }>;
  readonly to?: ReadonlyArray<{ readonly operation?: Operation }>;
  readonly when?: readonly Condition[];
}

interface AuthorizationPolicySpec {
  readonly selector?: { readonly matchLabels?: Readonly<Record<string, string>> };
  readonly targetRef?: unknown;
  readonly targetRefs?: readonly unknown[];
  readonly action?: string;
  readonly rules?: readonly Rule[];
}

/** A request as the destination sidecar sees it. */
export interface AuthzRequest {
  /** `<trust domain>/ns/<namespace>/sa/<service account>`; only with mutual TLS. */
  readonly principal?: string;
  /** The caller's namespace; only with mutual TLS. */
  readonly namespace?: string;
  /** The address of the direct peer (the caller, or the gateway in front of it). */
  readonly sourceAddress?: PeerAddress;
  /** Destination (container) port. */
  readonly port: number;
  /** Host the caller asked for, if known. */
  readonly host?: string;
  /** Absent for plain TCP: rules using HTTP-only fields then never match in ALLOW policies, and match in DENY ones. */
  readonly http?: HttpRequest;
}

/** Settings of the evaluation. */
export interface AuthzOptions {
  readonly rootNamespace: string;
  readonly customVerdict: 'allow' | 'deny';
}

/**
 * A field compared against an attribute the request may lack. `unknownAs` is the answer when the attribute
 * cannot be known from the model (HTTP fields on TCP, unknown condition keys): false in ALLOW policies, true in
 * DENY and CUSTOM ones, so the evaluation errs towards denying, as Istio does.
 */
type Tri = boolean | undefined;

/** Istio string matching: exact, prefix `abc*`, suffix `*abc`, presence `*`. */
export function istioStringMatch(pattern: string, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined || value === '') return false;
  const [p, v] = ignoreCase ? [pattern.toLowerCase(), value.toLowerCase()] : [pattern, value];
  if (p === '*') return true;
  if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  if (p.startsWith('*')) return v.endsWith(p.slice(1));
  return v === p;
}

/** Combines a positive and a negative list over one attribute; undefined when the attribute cannot be known. */
function listField(values: readonly string[] | undefined, notValues: readonly string[] | undefined, test: (v: string) => Tri): Tri {
  const results: Tri[] = [];
  if (values) {
    const hits = values.map(test);
    results.push(hits.includes(true) ? true : hits.includes(undefined) ? undefined : false);
  }
  if (notValues) {
    const hits = notValues.map(test);
    results.push(hits.includes(true) ? false : hits.includes(undefined) ? undefined : true);
  }
  return results.includes(false) ? false : results.includes(undefined) ? undefined : true;
}

function addressTest(address: PeerAddress | undefined): (block: string) => Tri {
  return (block) => (address ? (addressInBlock(address, block) ? true : addressOutsideBlocks(address, [block]) ? false : undefined) : undefined);
}

function sourceMatches(s: Source, req: AuthzRequest): Tri {
  return allOf([
    listField(s.principals, s.notPrincipals, (p) => istioStringMatch(p, req.principal)),
    listField(s.namespaces, s.notNamespaces, (n) => istioStringMatch(n, req.namespace)),
    listField(s.ipBlocks, s.notIpBlocks, addressTest(req.sourceAddress)),
    // No proxy in front of the caller: the remote address is the peer address.
    listField(s.remoteIpBlocks, s.notRemoteIpBlocks, addressTest(req.sourceAddress)),
    // The model has no JWTs: no request principal (an HTTP-only attribute).
    listField(s.requestPrincipals, s.notRequestPrincipals, () => (req.http ? false : undefined)),
  ]);
}

function operationMatches(o: Operation, req: AuthzRequest): Tri {
  const http = <T>(f: (h: HttpRequest) => T): T | undefined => (req.http ? f(req.http) : undefined);
  return allOf([
    listField(o.ports, o.notPorts, (p) => p === String(req.port)),
    listField(o.hosts, o.notHosts, (h) => http(() => (req.host === undefined ? undefined : istioStringMatch(h, req.host, true)))),
    listField(o.methods, o.notMethods, (m) => http((r) => istioStringMatch(m, r.method))),
    listField(o.paths, o.notPaths, (p) => http((r) => istioStringMatch(p, r.path))),
  ]);
}

/** The value of a `when` key, or undefined when the model cannot know it. */
function conditionValue(key: string, req: AuthzRequest): { known: boolean; value?: string } {
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (header) return req.http ? { known: true, value: req.http.headers?.[header[1]] ?? req.http.headers?.[header[1].toLowerCase()] } : { known: false };
  switch (key) {
    case 'source.principal': return { known: true, value: req.principal };
    case 'source.namespace': return { known: true, value: req.namespace };
    case 'destination.port': return { known: true, value: String(req.port) };
    default: return { known: false };
  }
}

function conditionMatches(c: Condition, req: AuthzRequest): Tri {
  if (c.key === 'source.ip' || c.key === 'remote.ip') return listField(c.values, c.notValues, addressTest(req.sourceAddress));
  const v = conditionValue(c.key, req);
  if (!v.known) return undefined;
  return listField(c.values, c.notValues, (pattern) => istioStringMatch(pattern, v.value));
}

/** AND over fields: any false is false, else any unknown is unknown. */
function allOf(results: readonly Tri[]): Tri {
  return results.includes(false) ? false : results.includes(undefined) ? undefined : true;
}

/** OR over list entries; a missing or empty list matches everything. */
function anyOf<T>(items: readonly T[] | undefined, test: (item: T) => Tri): Tri {
  if (!items || items.length === 0) return true;
  const results = items.map(test);
  return results.includes(true) ? true : results.includes(undefined) ? undefined : false;
}

/** Whether a rule matches the request; `unknownAs` settles attributes the model cannot know. */
export function authzRuleMatches(rule: Rule, req: AuthzRequest, unknownAs: boolean): boolean {
  const result = allOf([
    anyOf(rule.from, (f) => sourceMatches(f.source ?? {}, req)),
    anyOf(rule.to, (t) => operationMatches(t.operation ?? {}, req)),
    (rule.when ?? []).length === 0 ? true : allOf((rule.when ?? []).map((c) => conditionMatches(c, req))),
  ]);
  return result === undefined ? unknownAs : result;
}

function specOf(p: Manifest): AuthorizationPolicySpec {
  return (p.spec ?? {}) as AuthorizationPolicySpec;
}

/** AuthorizationPolicies that apply to a workload: its namespace's and the root namespace's (mesh-wide). */
export function authorizationPoliciesFor(manifests: readonly object[], workload: MeshWorkload, rootNamespace: string): Manifest[] {
  return sortedInNamespaces(manifests, 'AuthorizationPolicy', ['security.istio.io'], [workload.namespace, rootNamespace], 'age-then-name')
    // targetRef(s) attach policies to gateways and waypoints, not to sidecars.
    .filter((p) => !specOf(p).targetRef && !specOf(p).targetRefs)
    .filter((p) => labelsInclude(workload.labels, specOf(p).selector?.matchLabels));
}

function ref(p: Manifest, rule?: string): DecidingObject {
  return { kind: 'AuthorizationPolicy', namespace: namespaceOf(p), name: nameOf(p), rule };
}

function firstMatch(policies: readonly Manifest[], req: AuthzRequest, unknownAs: boolean): { policy: Manifest; rule: number } | undefined {
  for (const policy of policies) {
    const rules = specOf(policy).rules ?? [];
    const i = rules.findIndex((r) => authzRuleMatches(r, req, unknownAs));
    if (i >= 0) return { policy, rule: i };
  }
  return undefined;
}

/** The ALLOW policy to name when none admits: the most specific one (with a selector, then the namespace's). */
function blameAllow(policies: readonly Manifest[], workload: MeshWorkload): Manifest {
  const score = (p: Manifest) => (specOf(p).selector?.matchLabels ? 0 : 1) + (namespaceOf(p) === workload.namespace ? 0 : 2);
  return [...policies].sort((a, b) => score(a) - score(b))[0];
}

/** Decides a request on a meshed workload from the AuthorizationPolicies of its cluster. */
export function evaluateAuthorization(manifests: readonly object[], workload: MeshWorkload, req: AuthzRequest, options: AuthzOptions): Verdict {
  const policies = authorizationPoliciesFor(manifests, workload, options.rootNamespace);
  const of = (action: string) => policies.filter((p) => (specOf(p).action ?? 'ALLOW') === action);
  const custom = firstMatch(of('CUSTOM'), req, true);
  if (custom && options.customVerdict === 'deny') {
    return { allowed: false, decidedBy: ref(custom.policy, `rules[${custom.rule}]`), reason: `CUSTOM AuthorizationPolicy ${namespaceOf(custom.policy)}/${nameOf(custom.policy)} sends the request to its external authorizer, assumed to deny` };
  }
  const deny = firstMatch(of('DENY'), req, true);
  if (deny) return { allowed: false, decidedBy: ref(deny.policy, `rules[${deny.rule}]`), reason: `denied by DENY AuthorizationPolicy ${namespaceOf(deny.policy)}/${nameOf(deny.policy)} rules[${deny.rule}]` };
  const allows = of('ALLOW');
  if (allows.length === 0) return { allowed: true, reason: 'no ALLOW AuthorizationPolicy applies to the workload, so the request is allowed' };
  const allow = firstMatch(allows, req, false);
  if (allow) return { allowed: true, decidedBy: ref(allow.policy, `rules[${allow.rule}]`), reason: `admitted by ALLOW AuthorizationPolicy ${namespaceOf(allow.policy)}/${nameOf(allow.policy)} rules[${allow.rule}]` };
  const blamed = blameAllow(allows, workload);
  const identity = req.principal ? `principal ${req.principal}` : 'no mTLS identity';
  return {
    allowed: false,
    decidedBy: ref(blamed),
    reason: `ALLOW AuthorizationPolicies apply to the workload (${allows.map((p) => `${namespaceOf(p)}/${nameOf(p)}`).join(', ')}) and none matches the request (${identity}, port ${req.port}${req.http ? `, ${req.http.method} ${req.http.path}` : ', TCP'})`,
  };
}
