/**
 * The objects of an app that every target it reaches gets beside the workload: ServiceAccount, Service,
 * headless Service (StatefulSet), PodDisruptionBudget and the ConfigMaps it owns.
 */
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { Construct } from 'constructs';
import { AppCommonResources } from '../../core/delivery';
import { createObject } from '../../core/l1';
import { WorkloadKind } from '../../model/app';
import { LABEL_FLAGGER_SELECTOR } from '../../core/labels';
import { AppIntent } from './intent';

/** The common objects without monitoring and telemetry (their engines render those). */
export type AppObjects = Omit<AppCommonResources, 'monitoringObjects' | 'telemetryObjects'>;

/**
 * Creates the common objects in a scope, in this order: ServiceAccount, Service, headless Service,
 * PodDisruptionBudget, ConfigMaps (by name).
 * @param clusterReplicas replicas in the target; 0 means no pod runs there, so no disruption budget.
 */
export function renderAppObjects(scope: Construct, app: AppIntent, clusterReplicas: number | undefined): AppObjects {
  const meta = (name: string) => ({ name, namespace: app.namespace, labels: app.labels });
  const serviceAccount = createObject(scope, 'ServiceAccount', k8s.KubeServiceAccount.GVK, k8s.toJson_KubeServiceAccountProps, {
    metadata: meta(app.name),
    automountServiceAccountToken: false,
  });
  const { service, headlessService } = renderServices(scope, app);
  const disruptionBudget = app.disruptionBudget && clusterReplicas !== 0
    ? createObject(scope, 'DisruptionBudget', k8s.KubePodDisruptionBudget.GVK, k8s.toJson_KubePodDisruptionBudgetProps, {
        metadata: meta(app.name),
        spec: {
          selector: { matchLabels: app.selectorLabels },
          maxUnavailable: intOrString(app.disruptionBudget.maxUnavailable),
          minAvailable: intOrString(app.disruptionBudget.minAvailable),
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      })
    : undefined;
  const configMaps = Object.entries(app.configMaps)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, data]) =>
      createObject(scope, `ConfigMap-${name}`, k8s.KubeConfigMap.GVK, k8s.toJson_KubeConfigMapProps, { metadata: meta(name), data }),
    );
  return { service, headlessService, serviceAccount, disruptionBudget, configMaps };
}

/** The ClusterIP Service (when the app has ports) and, for a StatefulSet, its headless Service. */
function renderServices(scope: Construct, app: AppIntent): { service?: ApiObject; headlessService?: ApiObject } {
  const meta = (name: string) => ({ name, namespace: app.namespace, labels: app.labels });
  const servicePorts = app.ports.map((p) => ({ name: p.name, port: p.servicePort, targetPort: k8s.IntOrString.fromString(p.name), protocol: p.protocol }));
  // Under Flagger the Service is the apex Flagger reconciles: the same selector and port it writes, so the
  // controller and GitOps (or Karmada) never undo each other's changes.
  const selector = app.flagger ? { [LABEL_FLAGGER_SELECTOR]: `${app.name}-primary` } : app.selectorLabels;
  const service = app.ports.length
    ? createObject(scope, 'Service', k8s.KubeService.GVK, k8s.toJson_KubeServiceProps, {
        metadata: meta(app.name),
        spec: { type: 'ClusterIP', selector, ports: servicePorts },
      })
    : undefined;
  const headlessService = app.kind === WorkloadKind.STATEFUL_SET
    ? createObject(scope, 'HeadlessService', k8s.KubeService.GVK, k8s.toJson_KubeServiceProps, {
        metadata: meta(`${app.name}-headless`),
        spec: { clusterIp: 'None', selector: app.selectorLabels, ports: servicePorts.length ? servicePorts : undefined, publishNotReadyAddresses: true },
      })
    : undefined;
  return { service, headlessService };
}

function intOrString(v: number | string | undefined): k8s.IntOrString | undefined {
  return v === undefined ? undefined : typeof v === 'number' ? k8s.IntOrString.fromNumber(v) : k8s.IntOrString.fromString(v);
}
