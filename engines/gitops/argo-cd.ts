/**
 * Argo CD delivery: an AppProject for the platform and one per tenant (limited to the tenant's namespace and the
 * clusters it uses), one Application per delivery unit with its sync wave, and a root Application (app of apps)
 * that applies the GitOps file itself, so the waves are honoured. With rollout waves in direct mode the units
 * are the elements of one ApplicationSet whose RollingSync strategy has one step per wave and layer instead.
 */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { createLazyObject, createObject } from '../../core/l1';
import * as argo from '../../imports/argoproj.io';
import { GitOpsIntent, GitOpsUnit, ResolvedDestination } from './intent';

/** Annotation ordering the Applications of one sync of the root Application. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** Label carrying a unit's RollingSync step. */
export const ROLLOUT_STEP_LABEL = 'fleetplane.io/rollout-step';
/** The cluster Argo CD runs in. */
const IN_CLUSTER = 'https://kubernetes.default.svc';
/** Server-side apply: Karmada, Flagger and autoscalers own fields of the same objects. */
const SYNC_OPTIONS = ['ServerSideApply=true', 'PruneLast=true'];

function meta(intent: GitOpsIntent, name: string) {
  return { name, namespace: intent.namespace, labels: intent.labels };
}

/** AppProjects sync before the Applications that name them (the root Application applies both). */
function projectMeta(intent: GitOpsIntent, name: string) {
  return { ...meta(intent, name), annotations: { [SYNC_WAVE_ANNOTATION]: '-1' } };
}

function destination(d: ResolvedDestination, namespace?: string) {
  return d.server ? { server: d.server, namespace } : { name: d.name, namespace };
}

/** The platform's AppProject and the root Application, in that order. */
export function renderArgoBootstrap(scope: Construct, intent: GitOpsIntent, targets: ReadonlyArray<ResolvedDestination>): ApiObject[] {
  const project = createObject(scope, 'AppProject', argo.AppProject.GVK, argo.toJson_AppProjectProps, {
    metadata: projectMeta(intent, intent.platform),
    spec: {
      description: `fleetplane platform ${intent.platform}: cluster-scoped and shared objects of every target`,
      sourceRepos: [intent.repository],
      destinations: [{ server: IN_CLUSTER, namespace: intent.namespace }, ...targets.map((d) => destination(d, '*'))],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  });
  const root = createObject(scope, 'Root', argo.Application.GVK, argo.toJson_ApplicationProps, {
    metadata: meta(intent, `${intent.platform}-gitops`),
    spec: {
      project: intent.platform,
      source: { repoUrl: intent.repository, targetRevision: intent.revision, path: joinPath(intent.path, intent.selfDirectory) },
      destination: { server: IN_CLUSTER, namespace: intent.namespace },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: SYNC_OPTIONS },
    },
  });
  return [project, root];
}

/** A tenant's AppProject: its namespace only, on the destinations of its units, no cluster-scoped kind. */
export function renderArgoTenantProject(scope: Construct, intent: GitOpsIntent, namespace: string, units: readonly GitOpsUnit[]): ApiObject {
  const seen = new Set<string>();
  const destinations = units.map((u) => destination(u.destination, namespace)).filter((d) => {
    const key = JSON.stringify(d);
    return !seen.has(key) && !!seen.add(key);
  });
  return createObject(scope, `AppProject-${namespace}`, argo.AppProject.GVK, argo.toJson_AppProjectProps, {
    metadata: projectMeta(intent, projectName(intent, namespace)),
    spec: {
      description: `fleetplane tenant ${namespace} of ${intent.platform}: its namespace only`,
      sourceRepos: [intent.repository],
      destinations,
    },
  });
}

/** A directory below the output path. */
function joinPath(base: string, dir: string): string {
  return base ? `${base}/${dir}` : dir;
}

function projectName(intent: GitOpsIntent, tenantNamespace: string | undefined): string {
  return tenantNamespace ? `${intent.platform}-${tenantNamespace}` : intent.platform;
}

/**
 * Deployments that Flagger scales (a Canary in the unit targets them): their replica count belongs to Flagger
 * once the canary is initialized, so Argo CD must not restore it.
 */
export type ScaledByController = () => ReadonlyArray<{ readonly namespace: string; readonly name: string }>;

/** One unit's Application; its sync wave is the unit's layer. */
export function renderArgoApplication(scope: Construct, intent: GitOpsIntent, unit: GitOpsUnit, scaled: ScaledByController): ApiObject {
  const ignored = () => scaled().map((d) => ({ group: 'apps', kind: 'Deployment', namespace: d.namespace, name: d.name, jsonPointers: ['/spec/replicas'] }));
  const metadata = {
    ...meta(intent, unit.name),
    annotations: { [SYNC_WAVE_ANNOTATION]: Lazy.any({ produce: () => String(intent.order().layers.get(unit.key) ?? 0) }) },
  };
  return createLazyObject(scope, `Application-${unit.key}`, argo.Application.GVK, argo.toJson_ApplicationProps, metadata, ['spec'], () => {
    const ignore = ignored();
    return {
      spec: {
        project: projectName(intent, unit.tenantNamespace),
        source: { repoUrl: intent.repository, targetRevision: intent.revision, path: unit.path },
        destination: destination(unit.destination, unit.tenantNamespace),
        ignoreDifferences: ignore.length ? ignore : undefined,
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ignore.length ? [...SYNC_OPTIONS, 'RespectIgnoreDifferences=true'] : SYNC_OPTIONS,
        },
      },
    };
  });
}

/**
 * The ApplicationSet of a platform rolled out in waves (direct mode): one element per unit, labelled with its
 * RollingSync step; a step's Applications sync only once every Application of the previous steps is healthy.
 * Written as plain JSON (its CRD is too large to generate a binding for); the tests validate it strictly.
 */
export function renderArgoApplicationSet(scope: Construct, intent: GitOpsIntent, units: () => readonly GitOpsUnit[], scaled: (unit: GitOpsUnit) => ReturnType<ScaledByController>): ApiObject {
  const elements = () => units().map((u) => ({
    name: u.name,
    path: u.path,
    project: projectName(intent, u.tenantNamespace),
    namespace: u.tenantNamespace ?? '',
    // Argo CD takes a destination by name or by server; the other stays empty.
    cluster: u.destination.server ? '' : u.destination.name ?? '',
    server: u.destination.server ?? '',
    step: String(intent.order().steps?.get(u.key) ?? 0),
    ignoredDeployments: scaled(u).map((d) => `${d.namespace}/${d.name}`).join(','),
  }));
  const steps = () => [...new Set([...(intent.order().steps?.values() ?? [])])].sort((a, b) => a - b);
  return new ApiObject(scope, 'ApplicationSet', {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: meta(intent, intent.platform),
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ list: { elements: Lazy.any({ produce: elements }) } }],
      strategy: {
        type: 'RollingSync',
        rollingSync: { steps: Lazy.any({ produce: () => steps().map((s) => ({ matchExpressions: [{ key: ROLLOUT_STEP_LABEL, operator: 'In', values: [String(s)] }] })) }) },
      },
      template: {
        metadata: { name: '{{.name}}', namespace: intent.namespace, labels: { ...intent.labels, [ROLLOUT_STEP_LABEL]: '{{.step}}' } },
        spec: {
          project: '{{.project}}',
          source: { repoURL: intent.repository, targetRevision: intent.revision, path: '{{.path}}' },
          destination: { name: '{{.cluster}}', server: '{{.server}}', namespace: '{{.namespace}}' },
          // RollingSync syncs each step itself; automated sync is turned off on generated Applications.
          syncPolicy: { syncOptions: [...SYNC_OPTIONS, 'RespectIgnoreDifferences=true'] },
        },
      },
      templatePatch: TEMPLATE_PATCH,
    },
  });
}

/** Per-element fields the template cannot express: the Deployments whose replicas Flagger owns. */
const TEMPLATE_PATCH = [
  '{{- if .ignoredDeployments }}',
  'spec:',
  '  ignoreDifferences:',
  '  {{- range splitList "," .ignoredDeployments }}',
  '  - group: apps',
  '    kind: Deployment',
  '    namespace: {{ (splitList "/" .) | first | quote }}',
  '    name: {{ (splitList "/" .) | last | quote }}',
  '    jsonPointers: ["/spec/replicas"]',
  '  {{- end }}',
  '{{- end }}',
  '',
].join('\n');
