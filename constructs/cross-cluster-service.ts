import { PlatformConstruct } from './private/platform-construct';
import { checkShapes, listOf } from '../core/input';
import { SELECTOR } from './private/prop-shapes';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterSelector } from '../model/cluster';
import { CrossClusterBackend } from '../model/multicluster';
import { selectorOf } from '../core/delivery';
import { Fleet } from '../core/fleet';
import { ProblemSink } from '../core/problems';
import { ApplyTarget, DeliveryMode } from '../core/target';
import {
  mcsCrdPlacement, renderMultiClusterService, renderServiceExport, renderServiceImport, ServiceIdentity,
} from '../engines/multicluster/services';
import { FederatedApp } from './federated-app';
import { MeshedService } from './meshed-service';
import { checkKnownClusters } from './private/known-clusters';
import { Tenant } from './tenant';

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

  constructor(scope: Tenant, id: string, given: CrossClusterServiceProps) {
    super(scope, id);
    const props = checkShapes(this.sink, given, { app: 'unknown', backend: 'string', consumers: SELECTOR, providers: listOf('string') }, ['consumers']);
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
    this.checkPlainTextConsumers(sink);
  }

  /** The app and both ends: known clusters, where the app runs and where the tenant's namespace exists. */
  private check(tenant: Tenant, props: CrossClusterServiceProps): void {
    const sink = this.sink;
    const fleet = this.context.fleet;
    const app = this.app;
    if (!Object.values(CrossClusterBackend).includes(this.backend)) sink.error('FP-XCS', 'backend', this.backend, 'unknown backend.', 'use CrossClusterBackend.KARMADA_MCS, KARMADA_IMPORT, SUBMARINER or ISTIO.');
    if (app.tenant !== tenant) sink.error('FP-XCS', 'app', app.node.path, 'the app belongs to another tenant.', 'create the cross-cluster service in the app\'s tenant.');
    if (app.ports.length === 0) sink.error('FP-XCS', 'app', app.appName, 'the app exposes no port.', 'declare a port on the app.');
    checkKnownClusters(sink, fleet, 'consumers', Fleet.namesIn(props.consumers), 'use a declared cluster.');
    checkKnownClusters(sink, fleet, 'providers', props.providers ?? [], 'use a declared cluster.');
    if (this.consumers.length === 0) sink.error('FP-EMPTY-SELECTOR', 'consumers', props.consumers, 'no consumer cluster selected.', 'select the clusters whose clients call the service.');
    const notRunning = this.providers.filter((p) => !app.scheduled.candidates.some((c) => c.name === p));
    if (notRunning.length) sink.error('K49', 'providers', notRunning, 'the app does not run on these clusters, so they have no Service to export.', 'list clusters the app is placed on.');
    const noNamespace = this.consumers.filter((c) => !tenant.clusterNames.includes(c));
    if (noNamespace.length) sink.error('K49', 'consumers', noNamespace, 'the tenant namespace does not exist on these consumer clusters.', 'add them to the tenant\'s clusters.');
    this.checkBackend();
  }

  /** What each backend needs: Karmada, MCS port names, Submariner joins, the mesh. */
  private checkBackend(): void {
    const sink = this.sink;
    const karmadaOnly = this.backend === CrossClusterBackend.KARMADA_MCS || this.backend === CrossClusterBackend.KARMADA_IMPORT;
    if (karmadaOnly && this.context.delivery === DeliveryMode.DIRECT) {
      sink.error('FP-DIRECT', 'backend', this.backend, 'Karmada collects and distributes the endpoints at run time; direct delivery has no Karmada.', 'use CrossClusterBackend.SUBMARINER or ISTIO, or DeliveryMode.KARMADA.');
    }
    if (this.backend === CrossClusterBackend.KARMADA_MCS) {
      sink.warn('K26', 'backend', this.backend, 'MultiClusterService needs the Karmada feature gate MultiClusterService (alpha, off by default) and pod connectivity between clusters; its type cannot change later.', 'enable the gate on karmada-controller-manager, or use another backend.');
      for (const p of this.app.ports) if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p.name)) sink.error('K26', 'app.ports', p.name, 'MultiClusterService port names are DNS-1123 labels.', 'rename the port.');
    }
    if (this.backend === CrossClusterBackend.SUBMARINER) this.checkSubmariner();
    if (this.backend === CrossClusterBackend.ISTIO) this.checkMesh();
  }

  /**
   * A meshed app exported through Submariner to clusters outside the mesh: their pods call without a sidecar,
   * and STRICT mTLS plus the tenant's deny-all refuse them unless the service admits them explicitly.
   */
  private checkPlainTextConsumers(sink: ProblemSink): void {
    const mesh = this.context.mesh;
    if (this.backend !== CrossClusterBackend.SUBMARINER || !mesh || !this.app?.tenant?.meshed) return;
    const services = this.context.node.findAll().filter((c): c is MeshedService => c instanceof MeshedService && c.app === this.app);
    const admitted = new Set(services.flatMap((s) => s._outsideMeshClusters()));
    const refused = this.consumers.filter((c) => !mesh.clusterNames.includes(c) && !admitted.has(c));
    if (refused.length === 0) return;
    const svc = services[0]?.node.id ?? '<its MeshedService>';
    sink.error('K49', 'consumers', refused, 'the app is in the mesh and these consumer clusters are not: their calls arrive as plain text without an identity, which STRICT mTLS and the tenant\'s deny-all policy refuse.',
      `admit them: ${svc}.allowFrom(MeshCaller.outsideMesh({ clusters: [${refused.map((c) => `'${c}'`).join(', ')}] })), or add the clusters to the mesh.`);
  }

  private checkSubmariner(): void {
    const sub = this.context.submariner;
    if (!sub) {
      this.sink.error('K49', 'backend', this.backend, 'the platform declares no Submariner.', 'declare `submariner` on the DistributedPlatform (broker, cluster IDs, CIDRs).');
      return;
    }
    for (const [prop, list] of [['providers', this.providers], ['consumers', this.consumers]] as const) {
      const outside = list.filter((c) => this.context.fleet.has(c) && !(c in sub.clusterIds));
      if (outside.length) this.sink.error('K49', prop, outside, 'these clusters are not joined to Submariner.', 'join them (submariner.clusters) or pick other clusters.');
    }
  }

  private checkMesh(): void {
    const meshed = this.context.node.findAll().some((c) => c instanceof MeshedService && c.app === this.app);
    const mesh = this.context.mesh;
    if (!mesh) {
      this.sink.error('K49', 'backend', this.backend, 'the platform has no Istio mesh.', 'declare `mesh` on the platform.');
      return;
    }
    if (!meshed) this.sink.error('K49', 'backend', this.backend, 'the app has no MeshedService, so the mesh does not route to it.', 'create a MeshedService for the app.');
    const outside = [...this.providers, ...this.consumers].filter((c) => !mesh.clusterNames.includes(c));
    if (outside.length) this.sink.error('K49', 'consumers', [...new Set(outside)], 'these clusters are not in the mesh.', 'add them to mesh.clusters.');
  }

  private render(tenant: Tenant): void {
    const svc: ServiceIdentity = { name: this.app.appName, namespace: tenant.namespace, labels: this.app.labels };
    switch (this.backend) {
      case CrossClusterBackend.KARMADA_MCS:
        return this.renderMultiClusterService(svc);
      case CrossClusterBackend.KARMADA_IMPORT:
        return this.renderExportAndImport(svc);
      case CrossClusterBackend.SUBMARINER:
        return this.renderExports(svc);
      default:
        // Istio: the mesh's east-west gateways already carry the traffic; nothing more to emit.
        return;
    }
  }

  /** Karmada MCS (karmada mode only): a control-plane object that Karmada acts on itself, never placed. */
  private renderMultiClusterService(svc: ServiceIdentity): void {
    const cp = this.context.controlPlane;
    if (!cp) return;
    this.resources.push(renderMultiClusterService(this.scope(cp), { ...svc, ports: this.app.ports, providers: this.providers, consumers: this.consumers }));
  }

  /** Karmada with mcs-api (karmada mode only): the export placed on the providers, the import on the consumers. */
  private renderExportAndImport(svc: ServiceIdentity): void {
    const engine = this.context.deliveryEngine;
    for (const target of engine.targetsFor(this.providers)) {
      const s = this.scope(target);
      this.ensureMcsCrds(target);
      const exp = renderServiceExport(s, svc);
      const imp = renderServiceImport(s, { ...svc, ports: this.app.ports });
      const exportPolicy = engine.place(s, 'ExportPolicy', { ...svc, name: `${svc.name}-export`, selectors: [selectorOf(exp)], clusters: this.providers });
      const importPolicy = engine.place(s, 'ImportPolicy', { ...svc, name: `${svc.name}-import`, selectors: [selectorOf(imp)], clusters: this.consumers });
      this.resources.push(exp, imp, ...present(exportPolicy, importPolicy));
    }
  }

  /** Submariner: a ServiceExport wherever the providers' objects go, placed on the providers. */
  private renderExports(svc: ServiceIdentity): void {
    const engine = this.context.deliveryEngine;
    for (const target of engine.targetsFor(this.providers)) {
      const s = this.scope(target);
      const exp = renderServiceExport(s, svc);
      const policy = engine.place(s, 'ExportPolicy', { ...svc, name: `${svc.name}-export`, selectors: [selectorOf(exp)], clusters: this.providers });
      this.resources.push(exp, ...present(policy));
    }
  }

  private scope(target: ApplyTarget): Construct {
    return target._scopeFor(this, this.context);
  }

  /** The mcs-api CRDs must be on the members before exports and imports (karmada MCS flow, step 1). */
  private ensureMcsCrds(target: ApplyTarget): void {
    const id = 'mcs-crds';
    if (target.chart.node.tryFindChild(id)) return;
    this.context.deliveryEngine.place(new Construct(target.chart, id), 'Resource', mcsCrdPlacement(this.context.labels, this.context.fleet.names));
  }
}

/** The objects that exist (policies are not written in direct mode). */
function present(...objects: Array<ApiObject | undefined>): ApiObject[] {
  return objects.filter((o): o is ApiObject => o !== undefined);
}
