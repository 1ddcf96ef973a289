import { PlatformConstruct } from './private/platform-construct';
import { ApiObject } from 'cdk8s';
import { isDnsSubdomain } from '../core/names';
import { DeliveryMode } from '../core/target';
import { CrossClusterBackend } from '../model/multicluster';
import { IngressRoute, renderMultiClusterIngress } from '../engines/multicluster/ingress';
import { CrossClusterService } from './cross-cluster-service';
import { Tenant } from './tenant';
import { checkShapes, listOf, objectOf } from '../core/input';

/** One host and path routed to a cross-cluster service. */
export interface MultiClusterIngressRule {
  /** Public host name. */
  readonly host: string;
  /**
   * Path prefix.
   * @default '/'
   */
  readonly path?: string;
  /** The backend, exposed with the Karmada MCS backend. */
  readonly service: CrossClusterService;
  /**
   * Port name of the app.
   * @default - the app's first port
   */
  readonly port?: string;
}

/** Properties of a {@link MultiClusterIngress}. */
export interface MultiClusterIngressProps {
  /** Routing rules. */
  readonly rules: MultiClusterIngressRule[];
  /**
   * TLS secret for the hosts.
   * @default - plain HTTP
   */
  readonly tlsSecret?: string;
  /**
   * Ingress class of the Karmada-aware ingress controller.
   * @default 'nginx'
   */
  readonly ingressClassName?: string;
}

/**
 * North-south traffic across clusters: a Karmada MultiClusterIngress (an IngressSpec served by the
 * multi-cluster-ingress-nginx controller on the host cluster) whose backends are reachable through Karmada MCS.
 */
export class MultiClusterIngress extends PlatformConstruct {
  /** The MultiClusterIngress object. */
  public readonly resource?: ApiObject;

  constructor(scope: Tenant, id: string, ingressProps: MultiClusterIngressProps) {
    super(scope, id);
    const props = checkShapes(this.sink, ingressProps, {
      rules: listOf(objectOf({ host: 'string', path: 'string', service: 'unknown', port: 'string' })), tlsSecret: 'string', ingressClassName: 'string',
    });
    const platform = this.context;
    if (platform.delivery !== DeliveryMode.KARMADA) this.sink.error('FP-DIRECT', 'scope', platform.delivery, 'MultiClusterIngress is served by Karmada\'s ingress controller; direct delivery has no Karmada.', 'use DeliveryMode.KARMADA, or a MeshedService ingress.');
    const rules = props?.rules ?? [];
    this.checkRules(scope, rules);
    if (props?.tlsSecret !== undefined && !isDnsSubdomain(props.tlsSecret)) this.sink.error('FP-MCI', 'tlsSecret', props.tlsSecret, 'not a valid Secret name.', 'use e.g. "shop-tls".');
    // A Karmada control-plane object: the ingress controller reads it from the Karmada API server.
    if (this.sink.hasErrors || !platform.controlPlane) return;
    this.resource = renderMultiClusterIngress(platform.controlPlane._scopeFor(this, platform), {
      name: id,
      namespace: scope.namespace,
      labels: scope.labels,
      ingressClassName: props.ingressClassName ?? 'nginx',
      tlsSecret: props.tlsSecret,
      routes: rules.map(routeOf),
    });
  }

  /** Valid hosts and paths, each routed to a Karmada MCS service of this tenant and one of its ports. */
  private checkRules(tenant: Tenant, rules: readonly MultiClusterIngressRule[]): void {
    const sink = this.sink;
    if (rules.length === 0) sink.error('FP-MCI', 'rules', rules, 'an ingress needs at least one rule.', 'add a rule.');
    rules.forEach((r, i) => {
      if (!isDnsSubdomain(r?.host) || !r.host.includes('.')) sink.error('K31', `rules[${i}].host`, r?.host, 'not a valid host name.', 'use e.g. "shop.example.com".');
      if (r?.service instanceof CrossClusterService && !r.service.address) sink.error('FP-MCI', `rules[${i}].service`, r.service.node.path, 'the cross-cluster service has no app to route to (see its own problems).', 'fix the cross-cluster service.');
      else if (!(r?.service instanceof CrossClusterService)) sink.error('FP-MCI', `rules[${i}].service`, r?.service, 'a rule routes to a CrossClusterService.', 'pass a CrossClusterService.');
      else {
        if (r.service.backend !== CrossClusterBackend.KARMADA_MCS) sink.error('FP-MCI', `rules[${i}].service`, r.service.backend, 'MultiClusterIngress backends must be reachable through Karmada MCS.', 'expose the service with CrossClusterBackend.KARMADA_MCS.');
        if (r.service.app.tenant !== tenant) sink.error('FP-MCI', `rules[${i}].service`, r.service.node.path, 'an ingress can only route to services in its own namespace.', 'create the ingress in the service\'s tenant.');
        if (r.port && !r.service.app.ports.some((p) => p.name === r.port)) sink.error('FP-MCI', `rules[${i}].port`, r.port, 'the app has no such port.', 'use a declared port name.');
      }
      if (r?.path !== undefined && !r.path.startsWith('/')) sink.error('FP-MCI', `rules[${i}].path`, r.path, 'paths start with "/".', 'use e.g. "/api".');
    });
  }
}

/** A rule's route: the app's named port, or its first. */
function routeOf(r: MultiClusterIngressRule): IngressRoute {
  const app = r.service.app;
  const port = r.port ? app.ports.find((p) => p.name === r.port)! : app.ports[0];
  return { host: r.host, path: r.path ?? '/', serviceName: app.appName, servicePort: port.servicePort };
}
