/**
 * The synthesized object set per apply target, without writing files: what the Pulumi adapter registers and
 * what tools can diff. It runs the same validation as `app.synth()`, so a definition with errors throws the
 * same PlatformValidationError here.
 */
import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ApplyTarget } from '../core/target';

/** The objects of one apply target. */
export interface TargetOutput {
  /** Platform name. */
  readonly platform: string;
  /** The target. */
  readonly target: ApplyTarget;
  /** The manifests, in output order (as `cdk8s synth` writes them). */
  readonly objects: Array<Record<string, any>>;
}

/** Objects already rendered in the current render session (see {@link withRenderSession}). */
let session: WeakMap<ApiObject, Record<string, any>> | undefined;

/**
 * Runs `fn` with every object rendered at most once: the reachability check, which runs inside validation,
 * renders the objects it reads, and the writer then reuses those renderings instead of rendering them again.
 * Only for a span in which no user code can change the tree (validation followed by writing, in one synth).
 */
export function withRenderSession<T>(fn: () => T): T {
  if (session) return fn();
  session = new WeakMap();
  try {
    return fn();
  } finally {
    session = undefined;
  }
}

/** An object's manifest; inside a render session, rendered once. */
export function renderObject(o: ApiObject): Record<string, any> {
  if (!session) return o.toJson();
  let json = session.get(o);
  if (!json) {
    json = o.toJson() as Record<string, any>;
    session.set(o, json);
  }
  return json;
}

/**
 * Renders one chart's objects in the order `cdk8s synth` writes them. Unlike `chart.toJson()`, it does not
 * re-run every dependency resolution and validation of the whole app for each chart: callers validate once.
 */
export function renderChart(chart: Chart): Array<Record<string, any>> {
  const all = chart.node.findAll();
  // Without dependencies, cdk8s' topological order is the construct tree's order; building the graph (a vertex
  // per construct) is then wasted work.
  const ordered = all.some((c) => c.node.dependencies.length > 0) ? new DependencyGraph(chart.node).topology() : all;
  return ordered
    .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart)
    .map(renderObject);
}

/** Something that owns apply targets (a DistributedPlatform). */
interface TargetOwner extends IConstruct {
  readonly platformName: string;
  readonly targets: readonly ApplyTarget[];
}

function isTargetOwner(c: IConstruct): c is TargetOwner {
  const x = c as Partial<TargetOwner>;
  return typeof x.platformName === 'string' && Array.isArray(x.targets);
}

/**
 * Validates the whole app (every construct's validations, as `app.synth()` does) and returns the objects of
 * every apply target of every platform in it, in a stable order.
 */
export function synthesizeTargets(scope: App | IConstruct): TargetOutput[] {
  return withRenderSession(() => validatedTargets(scope));
}

function validatedTargets(scope: App | IConstruct): TargetOutput[] {
  const root = scope.node.root;
  const errors: string[] = [];
  for (const c of root.node.findAll()) {
    for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  const owners = root.node.findAll().filter(isTargetOwner);
  const out: TargetOutput[] = [];
  for (const owner of owners) {
    for (const target of owner.targets) {
      out.push({ platform: owner.platformName, target, objects: renderChart(target.chart) });
    }
  }
  return out;
}
