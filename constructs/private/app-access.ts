/**
 * Who may call an app when its tenant is not in the mesh: NetworkPolicies alone (the cdk8s-plus
 * `pod.connections.allowFrom` idea, across clusters). A FederatedApp creates one on its first `allowFrom`.
 * The callee's pods get an ingress allow-list; each caller's namespace gets the egress towards them; the
 * callee's tenant scopes `allow-same-namespace` so it no longer voids the list.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ipBlockExcept } from '../../core/cidr';
import { selectorOf } from '../../core/delivery';
import { DeclaredPath } from '../../model/reachability';
import { AccessPeer, renderAppAccessPolicy } from '../../engines/network/app-access';
import { callerEgress } from '../../engines/network/mesh-ingress';
import { localRanges } from './flat-network';
import { PlatformConstruct } from './platform-construct';
import { Tenant } from '../tenant';

/** An app as its allow-list needs it (FederatedApp; an interface, so this module does not import it). */
export interface AccessApp {
  readonly appName: string;
  readonly tenant: Tenant;
  readonly selectorLabels: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly ports: ReadonlyArray<{ readonly name: string; readonly port: number; readonly protocol: string }>;
  readonly node: Construct['node'];
  /** Clusters the app runs in. */
  readonly clusterNames: readonly string[];
}

/** A declared caller with the ports it may use. */
interface AccessCaller {
  readonly source: AccessApp | Tenant;
  readonly ports: ReadonlyArray<{ readonly name: string; readonly port: number; readonly protocol: string }>;
  readonly prop: string;
}

/** The allow-list of one app (private: users call `FederatedApp.allowFrom`). */
export class AppAccess extends PlatformConstruct {
  /** The NetworkPolicies holding the allow-list, one per target where the app runs. */
  public readonly networkPolicies: ApiObject[] = [];
  private readonly callers: AccessCaller[] = [];

  constructor(scope: Construct, id: string, private readonly app: AccessApp) {
    super(scope, id);
    app.tenant._restrictSameNamespace(app.appName);
    const clusters = app.clusterNames;
    for (const target of this.context.deliveryEngine.targetsFor(clusters)) {
      const where = target._scopeFor(this, this.context);
      const own = target.cluster ? [target.cluster.name] : clusters;
      const policy = renderAppAccessPolicy(new Construct(where, 'access'), {
        appName: app.appName, namespace: app.tenant.namespace, labels: app.labels, selector: app.selectorLabels,
        peers: () => this.callers.map((c) => this.peerOf(c, own)),
      });
      this.networkPolicies.push(policy);
      this.context.deliveryEngine.place(new Construct(where, 'access-placement'), 'PropagationPolicy', {
        name: `${app.appName}-allow-from`, namespace: app.tenant.namespace, labels: app.labels, selectors: [selectorOf(policy)], clusters, duplicated: true,
      });
    }
  }

  /** Admits a caller on some ports, and opens the caller's egress when its namespace denies it. */
  public add(source: AccessApp | Tenant, ports: AccessCaller['ports'], prop: string): void {
    this.callers.push({ source, ports, prop });
    const callerTenant = source instanceof Tenant ? source : source.tenant;
    // allow-same-namespace (and its scoped egress) already lets the namespace's own pods out.
    if (callerTenant === this.app.tenant) return;
    const rule = callerEgress({
      caller: source instanceof Tenant ? undefined : { name: source.appName, selector: source.selectorLabels },
      namespace: this.app.tenant.namespace, appName: this.app.appName, selector: this.app.selectorLabels, ports,
      remotePodCidrs: this.calleeRanges(source.clusterNames),
    });
    callerTenant._allowEgress(rule.name, rule.podSelector, rule.to, rule.ports);
  }

  /** The app's declared callers as paths: within each cluster where both run (Services are cluster-local). @internal */
  public _declaredPaths(): DeclaredPath[] {
    if (this.sink.hasErrors) return [];
    const app = this.app;
    const to = { name: `${app.tenant.namespace}/${app.appName}`, clusters: app.clusterNames, namespace: app.tenant.namespace, labels: app.selectorLabels, meshed: false };
    return this.callers.filter((c) => !(c.source instanceof Tenant)).flatMap((c) => {
      const from = c.source as AccessApp;
      const caller = { name: `${from.tenant.namespace}/${from.appName}`, clusters: from.clusterNames, namespace: from.tenant.namespace, labels: from.selectorLabels, meshed: false };
      return c.ports.map((p) => ({ kind: 'call' as const, declaredBy: app.node.path, prop: c.prop, from: caller, to: { ...to, port: p.port, protocol: p.protocol }, mtls: false, sameClusterOnly: true }));
    });
  }

  private peerOf(c: AccessCaller, own: readonly string[]): AccessPeer {
    const clusters = c.source.clusterNames;
    return {
      namespace: c.source instanceof Tenant ? c.source.namespace : c.source.tenant.namespace,
      podLabels: c.source instanceof Tenant ? undefined : c.source.selectorLabels,
      remote: this.callerRanges(own, clusters),
      ports: c.ports,
    };
  }

  /** Clusters joined to Submariner without Globalnet (which rewrites source addresses), among `clusters`. */
  private joined(clusters: readonly string[]): string[] {
    const sub = this.context.submariner;
    return !sub || sub.globalnet ? [] : clusters.filter((c) => sub.clusterIds[c] !== undefined);
  }

  /**
   * Pod ranges of callers in clusters where the app does not run: they reach it across clusters through
   * Submariner (a CrossClusterService), arriving by address. Lighthouse answers with a local endpoint where the
   * app runs, so callers in the app's own clusters stay local and are admitted by selectors.
   */
  private callerRanges(own: readonly string[], callerClusters: readonly string[]) {
    if (this.joined(own).length === 0) return [];
    const remote = this.joined(callerClusters.filter((c) => !this.app.clusterNames.includes(c)));
    const local = localRanges(this.context.fleet, own);
    return [...new Set(remote.map((c) => this.context.fleet.get(c)?.podCidr).filter((x): x is string => !!x))].sort().map((cidr) => ipBlockExcept(cidr, local));
  }

  /** What callers outside the app's clusters send to: the app clusters' pod and Service (exported ClusterIP) ranges. */
  private calleeRanges(callerClusters: readonly string[]) {
    const outside = this.joined(callerClusters.filter((c) => !this.app.clusterNames.includes(c)));
    if (outside.length === 0) return [];
    const local = localRanges(this.context.fleet, outside);
    return [...new Set(localRanges(this.context.fleet, this.joined(this.app.clusterNames)))].sort().map((cidr) => ipBlockExcept(cidr, local));
  }
}
