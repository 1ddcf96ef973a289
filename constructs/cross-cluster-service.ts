import { PlatformConstruct } from './private/platform-construct';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as mcs from '../imports/multicluster.x-k8s.io';
import * as knet from '../imports/networking.karmada.io';
import * as policy from '../imports/policy.karmada.io';
import { ClusterSelector } from '../model/cluster';
import { Fleet } from '../core/fleet';
import { createObject } from '../core/l1';
import { ProblemSink } from '../core/problems';
import { ApplyTarget } from '../core/target';
import { DeliveryMode } from '../core/target';
import { FederatedApp } from './federated-app';
import { MeshedService } from './meshed-service';
import { Tenant } from './tenant';
import { CrossClusterBackend } from '../model/multicluster';

/** Properties of a {@link CrossClusterService}. */
export interface CrossClusterServiceProps {
  /** The application whose Service is exposed. */
  readonly app: FederatedApp;
  /** The backend, chosen explicitly. */
  readonly backend: CrossClusterBackend;
  /** Clusters whose clients call the service. */
  readonly consumers: ClusterSelector;
  /**
   * Clusters that serve it.
   * @default - every cluster the app runs on
   */
  readonly providers?: string[];
}

/**
 * Makes an application's Service reachable from other clusters, with one API over the three mechanisms users
 * confuse: Karmada MCS (MultiClusterService, or ServiceExport/ServiceImport), Submariner and the Istio mesh.
 * `address` tells consumers the name to call.
 */
export class CrossClusterService extends PlatformConstruct {
  /** The DNS name consumers call. */
  public readonly address: string;
  /** Provider clusters. */
  public readonly providers: readonly string[];
  /** Consumer clusters. */
  public readonly consumers: readonly string[];
  /** The backend. */
  public readonly backend: CrossClusterBackend;
  /** The application. */
  public readonly app: FederatedApp;
  /** Emitted objects. */
  public readonly resources: ApiObject[] = [];

  constructor(scope: Tenant, id: string, props: CrossClusterServiceProps) {
    super(scope, id);
    this.app = props?.app;
    this.backend = props?.backend;
    const sink = this.sink;
    const fleet = this.context.fleet;
    if (!(this.app instanceof FederatedApp)) {
      sink.error('FP-XCS', 'app', this.app, 'a cross-cluster service needs the FederatedApp it exposes.', 'pass app: <FederatedApp>.');
      this.address = '';
      this.providers = [];
      this.consumers = [];
      return;
    }
    const ns = this.app.tenant.namespace;
    const svc = this.app.appName;
    this.providers = props.providers ?? this.app.scheduled.candidates.map((c) => c.name);
    this.consumers = fleet.select(props.consumers).map((c) => c.name);
    this.address = {
      [CrossClusterBackend.KARMADA_MCS]: `${svc}.${ns}.svc.cluster.local`,
      [CrossClusterBackend.KARMADA_IMPORT]: `derived-${svc}.${ns}.svc.cluster.local`,
      [CrossClusterBackend.SUBMARINER]: `${svc}.${ns}.svc.clusterset.local`,
      [CrossClusterBackend.ISTIO]: `${svc}.${ns}.svc.cluster.local`,
    }[this.backend] ?? '';
    this.check(scope, props);
    if (!sink.hasErrors) this.render(scope);
  }

  /** The cluster-pinned Submariner name of one provider's copy. */
  public addressIn(cluster: string): string | undefined {
    const id = this.context.submariner?.clusterIds[cluster];
    return this.backend === CrossClusterBackend.SUBMARINER && id && this.providers.includes(cluster) ? `${id}.${this.app.appName}.${this.app.tenant.namespace}.svc.clusterset.local` : undefined;
  }

  /** @internal */
  protected override checkTree(sink: ProblemSink): void {
    // Rule 49: one flow per service.
    const others = this.context.node.findAll().filter((c): c is CrossClusterService => c instanceof CrossClusterService && c !== this && c.app === this.app && c.backend !== this.backend);
    for (const o of others) {
      if (o.node.path < this.node.path) continue;
      sink.error('K49', 'backend', [this.backend, o.backend], `${o.node.path} exposes the same service through ${o.backend}; mixing flows gives two different names and double routing.`, 'pick one backend per service.');
    }
  }

  private check(tenant: Tenant, props: CrossClusterServiceProps): void {
    const sink = this.sink;
    const fleet = this.context.fleet;
    const app = this.app;
    if (!Object.values(CrossClusterBackend).includes(this.backend)) sink.error('FP-XCS', 'backend', this.backend, 'unknown backend.', 'use CrossClusterBackend.KARMADA_MCS, KARMADA_IMPORT, SUBMARINER or ISTIO.');
    if (app.tenant !== tenant) sink.error('FP-XCS', 'app', app.node.path, 'the app belongs to another tenant.', 'create the cross-cluster service in the app\'s tenant.');
    if (app.ports.length === 0) sink.error('FP-XCS', 'app', app.appName, 'the app exposes no port.', 'declare a port on the app.');
    for (const [prop, names] of [['consumers', Fleet.namesIn(props.consumers)], ['providers', props.providers ?? []]] as const) {
      for (const n of names) if (!fleet.has(n)) sink.error('K13', prop, n, `unknown cluster (known: ${fleet.names.join(', ')}).`, 'use a declared cluster.');
    }
    if (this.consumers.length === 0) sink.error('FP-EMPTY-SELECTOR', 'consumers', props.consumers, 'no consumer cluster selected.', 'select the clusters whose clients call the service.');
    const notRunning = this.providers.filter((p) => !app.scheduled.candidates.some((c) => c.name === p));
    if (notRunning.length) sink.error('K49', 'providers', notRunning, 'the app does not run on these clusters, so they have no Service to export.', 'list clusters the app is placed on.');
    const noNamespace = this.consumers.filter((c) => !tenant.clusterNames.includes(c));
    if (noNamespace.length) sink.error('K49', 'consumers', noNamespace, 'the tenant namespace does not exist on these consumer clusters.', 'add them to the tenant\'s clusters.');
    const karmadaOnly = this.backend === CrossClusterBackend.KARMADA_MCS || this.backend === CrossClusterBackend.KARMADA_IMPORT;
    if (karmadaOnly && this.context.delivery === DeliveryMode.DIRECT) {
      sink.error('FP-DIRECT', 'backend', this.backend, 'Karmada collects and distributes the endpoints at run time; direct delivery has no Karmada.', 'use CrossClusterBackend.SUBMARINER or ISTIO, or DeliveryMode.KARMADA.');
    }
    if (this.backend === CrossClusterBackend.KARMADA_MCS) {
      sink.warn('K26', 'backend', this.backend, 'MultiClusterService needs the Karmada feature gate MultiClusterService (alpha, off by default) and pod connectivity between clusters; its type cannot change later.', 'enable the gate on karmada-controller-manager, or use another backend.');
      for (const p of app.ports) if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p.name)) sink.error('K26', 'app.ports', p.name, 'MultiClusterService port names are DNS-1123 labels.', 'rename the port.');
    }
    if (this.backend === CrossClusterBackend.SUBMARINER) {
      const sub = this.context.submariner;
      if (!sub) sink.error('K49', 'backend', this.backend, 'the platform declares no Submariner.', 'declare `submariner` on the DistributedPlatform (broker, cluster IDs, CIDRs).');
      else {
        for (const [prop, list] of [['providers', this.providers], ['consumers', this.consumers]] as const) {
          const outside = list.filter((c) => fleet.has(c) && !(c in sub.clusterIds));
          if (outside.length) sink.error('K49', prop, outside, 'these clusters are not joined to Submariner.', 'join them (submariner.clusters) or pick other clusters.');
        }
      }
    }
    if (this.backend === CrossClusterBackend.ISTIO) {
      const meshed = this.context.node.findAll().some((c) => c instanceof MeshedService && c.app === app);
      if (!this.context.mesh) sink.error('K49', 'backend', this.backend, 'the platform has no Istio mesh.', 'declare `mesh` on the platform.');
      else {
        if (!meshed) sink.error('K49', 'backend', this.backend, 'the app has no MeshedService, so the mesh does not route to it.', 'create a MeshedService for the app.');
        const outside = [...this.providers, ...this.consumers].filter((c) => !this.context.mesh!.clusterNames.includes(c));
        if (outside.length) sink.error('K49', 'consumers', [...new Set(outside)], 'these clusters are not in the mesh.', 'add them to mesh.clusters.');
      }
    }
  }

  private render(tenant: Tenant): void {
    const app = this.app;
    const ns = tenant.namespace;
    const name = app.appName;
    const labels = app.labels;
    const meta = (n: string) => ({ name: n, namespace: ns, labels });
    const karmada = this.context.delivery === DeliveryMode.KARMADA;
    const pp = (scope: Construct, id: string, n: string, selectors: ApiObject[], clusters: readonly string[]) =>
      createObject(scope, id, policy.PropagationPolicy.GVK, policy.toJson_PropagationPolicyProps, {
        metadata: meta(n),
        spec: {
          resourceSelectors: selectors.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.name })),
          placement: { clusterAffinity: { clusterNames: [...clusters] } },
        },
      });
    switch (this.backend) {
      case CrossClusterBackend.KARMADA_MCS: {
        const s = this.scope(this.context.controlPlane!);
        this.resources.push(createObject(s, 'MultiClusterService', knet.MultiClusterService.GVK, knet.toJson_MultiClusterServiceProps, {
          // Rule 26: the MultiClusterService has the Service's name.
          metadata: meta(name),
          spec: {
            types: ['CrossCluster'],
            ports: app.ports.map((p) => ({ name: p.name, port: p.servicePort })),
            providerClusters: this.providers.map((n) => ({ name: n })),
            consumerClusters: this.consumers.map((n) => ({ name: n })),
          },
        }));
        return;
      }
      case CrossClusterBackend.KARMADA_IMPORT: {
        const s = this.scope(this.context.controlPlane!);
        this.ensureMcsCrds();
        const exp = createObject(s, 'ServiceExport', mcs.ServiceExport.GVK, mcs.toJson_ServiceExportProps, { metadata: meta(name) });
        const imp = createObject(s, 'ServiceImport', mcs.ServiceImport.GVK, mcs.toJson_ServiceImportProps, {
          metadata: meta(name),
          spec: { type: mcs.ServiceImportSpecType.CLUSTER_SET_IP, ports: app.ports.map((p) => ({ name: p.name, port: p.servicePort, protocol: p.protocol })) },
        });
        this.resources.push(exp, imp, pp(s, 'ExportPolicy', `${name}-export`, [exp], this.providers), pp(s, 'ImportPolicy', `${name}-import`, [imp], this.consumers));
        return;
      }
      case CrossClusterBackend.SUBMARINER: {
        if (karmada) {
          const s = this.scope(this.context.controlPlane!);
          const exp = createObject(s, 'ServiceExport', mcs.ServiceExport.GVK, mcs.toJson_ServiceExportProps, { metadata: meta(name) });
          this.resources.push(exp, pp(s, 'ExportPolicy', `${name}-export`, [exp], this.providers));
        } else {
          for (const c of this.providers) {
            const t = this.context.memberTarget(c);
            if (t) this.resources.push(createObject(this.scope(t), 'ServiceExport', mcs.ServiceExport.GVK, mcs.toJson_ServiceExportProps, { metadata: meta(name) }));
          }
        }
        return;
      }
      default:
        // Istio: the mesh's east-west gateways already carry the traffic; nothing more to emit.
        return;
    }
  }

  private scope(target: ApplyTarget): Construct {
    return target._scopeFor(this, this.context);
  }

  /** The mcs-api CRDs must be on the members before exports and imports (karmada MCS flow, step 1). */
  private ensureMcsCrds(): void {
    const cp = this.context.controlPlane!;
    const id = 'mcs-crds';
    if (cp.chart.node.tryFindChild(id)) return;
    createObject(new Construct(cp.chart, id), 'Resource', policy.ClusterPropagationPolicy.GVK, policy.toJson_ClusterPropagationPolicyProps, {
      metadata: { name: 'fleetplane-mcs-crds', labels: this.context.labels },
      spec: {
        resourceSelectors: ['serviceexports', 'serviceimports'].map((n) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: `${n}.multicluster.x-k8s.io` })),
        placement: { clusterAffinity: { clusterNames: this.context.fleet.names } },
      },
    });
  }
}
