/**
 * The workload of an app (Deployment or StatefulSet) as plain JSON: the delivery engine sets its replicas
 * per target and applies overrides to exactly what is emitted.
 */
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { AppTrack } from '../../core/delivery';
import { LABEL_FLAGGER_SELECTOR, LABEL_KARMADA_RETAIN_REPLICAS, LABEL_TRACK } from '../../core/labels';
import { containerSecurityContext, podSecurityContext, renderResources } from '../../core/pod';
import { WorkloadKind } from '../../model/app';
import { EnvValue } from '../../model/workload';
import { AppIntent } from './intent';

/** JSON pointer of the pod spec inside the workload, for overrides. */
export const POD_SPEC_PATH = '/spec/template/spec';

/** The workload of one track of the app as plain JSON, with these replicas (undefined: the autoscaler's). */
export function renderAppWorkload(app: AppIntent, replicas: number | undefined, track: AppTrack = 'stable'): Record<string, any> {
  const canary = track === 'canary' ? app.canary : undefined;
  const labels = canary ? canary.labels : app.labels;
  const flagger: Record<string, string> = app.flagger ? { [LABEL_FLAGGER_SELECTOR]: app.name } : {};
  const podSelector = { ...app.selectorLabels, ...flagger, [LABEL_TRACK]: track };
  const template: k8s.PodTemplateSpec = {
    metadata: { labels: { ...labels, ...flagger, [LABEL_TRACK]: track }, annotations: app.podAnnotations },
    spec: renderPodSpec(app, canary ? canary.image : app.image),
  };
  const retain: Record<string, string> = app.flagger?.retainReplicas ? { [LABEL_KARMADA_RETAIN_REPLICAS]: 'true' } : {};
  const metadata = { name: canary ? canary.name : app.name, namespace: app.namespace, labels: { ...labels, ...retain } };
  const json: Record<string, any> = app.kind === WorkloadKind.STATEFUL_SET
    ? {
        ...k8s.KubeStatefulSet.GVK,
        ...k8s.toJson_KubeStatefulSetProps({
          metadata,
          spec: {
            replicas,
            serviceName: `${app.name}-headless`,
            selector: { matchLabels: podSelector },
            template,
            volumeClaimTemplates: renderVolumeClaimTemplates(app),
          },
        }),
      }
    : { ...k8s.KubeDeployment.GVK, ...k8s.toJson_KubeDeploymentProps({ metadata, spec: { replicas, selector: { matchLabels: podSelector }, template } }) };
  // The main container's env is kept as rendered JSON so overrides merge into exactly what is emitted.
  const env = renderEnv(app.env);
  if (env.length) json.spec.template.spec.containers[0].env = env;
  return json;
}

/** The environment of the main container, as EnvVar JSON in declaration order (untyped values are left out). */
export function renderEnv(env: Readonly<Record<string, EnvValue>>): Array<Record<string, unknown>> {
  return Object.entries(env)
    .filter(([, v]) => v instanceof EnvValue)
    .map(([name, v]) => ({ name, ...k8s.toJson_EnvVar({ name, ...v._source }) }));
}

/** The pod spec: the main container under the tenant's security profile, spread over zones and nodes. */
function renderPodSpec(app: AppIntent, image: string): k8s.PodSpec {
  return {
    serviceAccountName: app.name,
    automountServiceAccountToken: false,
    securityContext: podSecurityContext(app.podSecurity, app.runAsUser),
    containers: [renderContainer(app, image)],
    volumes: app.readOnlyRootFilesystem ? [{ name: 'tmp', emptyDir: {} }] : undefined,
    topologySpreadConstraints: app.topologySpread ? renderTopologySpread(app.selectorLabels) : undefined,
  };
}

function renderContainer(app: AppIntent, image: string): k8s.Container {
  const volumeMounts: k8s.VolumeMount[] = [];
  if (app.readOnlyRootFilesystem) volumeMounts.push({ name: 'tmp', mountPath: '/tmp' });
  if (app.storage) volumeMounts.push({ name: 'data', mountPath: app.storage.mountPath });
  return {
    name: app.containerName,
    image,
    command: app.command,
    args: app.args,
    ports: app.ports.length ? app.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })) : undefined,
    resources: renderResources(app.resources, app.defaultResources),
    livenessProbe: app.liveness?._render(),
    readinessProbe: app.readiness?._render(),
    startupProbe: app.startup?._render(),
    securityContext: containerSecurityContext(app.podSecurity, app.readOnlyRootFilesystem),
    volumeMounts: volumeMounts.length ? volumeMounts : undefined,
  };
}

/** Soft spreading over zones and nodes inside a cluster, for every version of the app alike. */
function renderTopologySpread(selector: Record<string, string>): k8s.TopologySpreadConstraint[] {
  return [
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
    { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
  ];
}

/** The per-replica volume claim of a StatefulSet with storage. */
function renderVolumeClaimTemplates(app: AppIntent): k8s.KubePersistentVolumeClaimProps[] | undefined {
  const storage = app.storage;
  if (!storage) return undefined;
  return [{
    metadata: { name: 'data', labels: app.labels },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: storage.storageClass,
      resources: { requests: { storage: k8s.Quantity.fromString(storage.size) } },
    },
  }];
}
