/** Checks over the L1 objects a platform wrote to its targets: unique identities, platform labels, valid labels. */
import { ApiObject } from 'cdk8s';
import { LABEL_PLATFORM } from '../../core/labels';
import { isLabelValue, isQualifiedName } from '../../core/names';
import { Problem, ProblemSink } from '../../core/problems';
import { ApplyTarget } from '../../core/target';

/**
 * Checks every object of every target.
 * @param path the platform's construct path, which the problems name.
 */
export function checkObjects(path: string, platformName: string, targets: readonly ApplyTarget[]): Problem[] {
  const sink = new ProblemSink(path);
  const labelCheck = new LabelCheck(sink);
  for (const target of targets) {
    const seen = new Map<string, ApiObject>();
    for (const obj of target.chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) {
      const ns = obj.metadata.namespace ?? '';
      const key = `${obj.apiVersion} ${obj.kind} ${ns}/${obj.name}`;
      const other = seen.get(key);
      if (other) {
        sink.error('FP-COLLISION', `${target.name}`, key, `two constructs emit the same object (${other.node.path} and ${obj.node.path}).`, 'rename one of them (names are readable, not hashed, so collisions are errors).');
      }
      seen.set(key, obj);
      const labels = labelsOf(obj);
      if (labels[LABEL_PLATFORM] !== platformName) {
        sink.error('FP-LABELS', obj.node.path, key, 'object lacks the platform label.', `label it ${LABEL_PLATFORM}=${platformName}.`);
      }
      labelCheck.check(obj, labels);
    }
  }
  return sink.problems;
}

/** The metadata's own label map, without resolving the object (resolving every object again is costly). */
function labelsOf(obj: ApiObject): Record<string, unknown> {
  const raw = (obj.metadata as unknown as { labels?: Record<string, unknown> }).labels;
  return raw && Object.values(raw).every((v) => typeof v === 'string') ? raw : (obj.metadata.toJson().labels ?? {});
}

/** Rule 2 over emitted labels, each bad label reported once (on the first object carrying it). */
class LabelCheck {
  // Most objects share a handful of labels: check each distinct key=value once.
  private readonly verdicts = new Map<string, boolean>();
  private readonly reported = new Set<string>();

  constructor(private readonly sink: ProblemSink) {}

  public check(obj: ApiObject, labels: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(labels)) {
      const label = `${k}=${v}`;
      let ok = this.verdicts.get(label);
      if (ok === undefined) this.verdicts.set(label, (ok = isQualifiedName(k) && isLabelValue(v as string)));
      if (!ok && !this.reported.has(label)) {
        this.reported.add(label);
        this.sink.error('K2', `labels (first on ${obj.node.path})`, { [k]: v }, 'invalid label key or value on emitted objects.', 'label keys are qualified names; values at most 63 alphanumerics, "-", "_" or ".".');
      }
    }
  }
}
