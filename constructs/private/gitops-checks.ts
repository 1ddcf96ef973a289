/**
 * Checks of a platform's `gitops` prop (FP-GITOPS): the controller, the repository and path the output is
 * committed to, the revision, and the destinations of the apply targets.
 */
import { Duration } from 'cdk8s';
import { isDnsLabel } from '../../core/names';
import { ProblemSink } from '../../core/problems';
import { GitOpsDestination, GitOpsProps, GitOpsTool } from '../../model/gitops';

const REPOSITORY = /^(https?:\/\/\S+|ssh:\/\/\S+|git@[^\s:]+:\S+|oci:\/\/\S+)$/;

/** Every problem of the prop; returns whether it can be rendered. */
export function checkGitOps(sink: ProblemSink, props: GitOpsProps, targetNames: readonly string[]): boolean {
  const before = sink.problems.length;
  if (!Object.values(GitOpsTool).includes(props.tool)) {
    sink.error('FP-GITOPS', 'gitops.tool', props.tool, 'unknown GitOps controller.', 'use GitOpsTool.ARGO_CD or GitOpsTool.FLUX.');
  }
  if (typeof props.repository !== 'string' || !REPOSITORY.test(props.repository)) {
    sink.error('FP-GITOPS', 'gitops.repository', props.repository, 'the repository must be a Git URL (https://, ssh://, git@host:path) or an OCI artifact (oci://).', 'pass the URL the controller clones, e.g. "https://git.example.com/platform/deploy.git".');
  }
  checkPath(sink, props.path);
  if (props.revision !== undefined && (typeof props.revision !== 'string' || !/^[^\s]+$/.test(props.revision))) {
    sink.error('FP-GITOPS', 'gitops.revision', props.revision, 'a revision is a branch, tag or commit without spaces.', 'e.g. "main", "v1.4.0" or a 40-digit commit.');
  }
  if (props.namespace !== undefined && !isDnsLabel(props.namespace)) {
    sink.error('FP-GITOPS', 'gitops.namespace', props.namespace, 'the namespace of the GitOps objects must be a DNS-1123 label.', 'e.g. "argocd" or "flux-system".');
  }
  if (props.interval !== undefined && (!(props.interval instanceof Duration) || props.interval.toSeconds() < 10)) {
    sink.error('FP-GITOPS', 'gitops.interval', props.interval, 'the reconcile interval must be a Duration of at least 10 seconds.', 'e.g. Duration.minutes(5).');
  }
  for (const [target, d] of Object.entries(props.destinations ?? {})) checkDestination(sink, target, d, targetNames);
  return sink.problems.length === before;
}

function checkPath(sink: ProblemSink, p: unknown): void {
  const ok = typeof p === 'string' && !p.startsWith('/') && !p.split('/').some((s) => s === '..') && !/\s/.test(p);
  if (!ok) {
    sink.error('FP-GITOPS', 'gitops.path', p, 'the path is the output directory relative to the repository root.', 'e.g. "deploy/prod" (no leading "/", no "..", "" or "." for the root).');
  }
}

function checkDestination(sink: ProblemSink, target: string, d: GitOpsDestination, targetNames: readonly string[]): void {
  const at = `gitops.destinations.${target}`;
  if (!targetNames.includes(target)) {
    sink.error('FP-GITOPS', at, target, `no apply target is named "${target}" (targets: ${targetNames.join(', ')}).`, 'key destinations by target name: "control-plane" or "cluster-<name>".');
    return;
  }
  if (!d || typeof d !== 'object') {
    sink.error('FP-GITOPS', at, d, 'a destination is an object.', 'e.g. { name: "bj-1" } or { server: "https://bj-1.example.com:6443" }.');
    return;
  }
  if (d.name !== undefined && d.server !== undefined) {
    sink.error('FP-GITOPS', at, d, 'Argo CD takes a cluster by name or by server URL, not both.', 'set `name` or `server`.');
  }
  if (d.server !== undefined && !/^https:\/\/\S+$/.test(d.server)) {
    sink.error('FP-GITOPS', `${at}.server`, d.server, 'the server is the API server URL.', 'e.g. "https://bj-1.example.com:6443".');
  }
  for (const k of ['kubeConfigSecret', 'name'] as const) {
    const v = d[k];
    if (v !== undefined && (typeof v !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(v) || v.length > 253)) {
      sink.error('FP-GITOPS', `${at}.${k}`, v, 'must be a DNS-1123 subdomain.', 'use lower-case letters, digits, "-" and ".".');
    }
  }
}
