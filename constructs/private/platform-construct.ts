/**
 * The preamble every fleetplane construct shares: find the platform, collect problems against the
 * construct's path, and report them when the platform validates the tree.
 *
 * Problems are gathered by the platform's single `node.addValidation` hook rather than one hook per
 * construct: cdk8s reports validation results as strings and runs every hook once per chart, while fleetplane
 * reports typed problems, all together, once.
 */
import { Construct } from 'constructs';
import { PlatformContext, platformOf } from '../../core/context';
import { Problem, ProblemSink, Severity } from '../../core/problems';

/** Marks a construct whose children live in one tenant namespace (a Tenant). @internal */
export const TENANT_SCOPE = Symbol.for('fleetplane.TenantScope');

/** Base of every fleetplane construct below a platform; not part of the public API. */
export abstract class PlatformConstruct extends Construct {
  /** Problems found while the construct was built, against its path. @internal */
  protected readonly sink: ProblemSink;
  /** The platform as constructs see it. @internal */
  protected readonly context: PlatformContext;

  constructor(scope: Construct, id: string) {
    // A second construct with the same id would make the constructs library throw a plain Error, and no other
    // problem of the program would be reported: take a free id instead and report the clash as a problem.
    const taken = uniqueId(scope, id);
    super(scope, taken);
    this.context = platformOf(this);
    this.sink = new ProblemSink(this.node.path);
    if (taken !== id) {
      this.sink.problems.push(duplicateId(scope.node.path, id));
    }
    this.context._register(this);
  }

  /** Problems of this construct: those found at construction, then the whole-tree rules. @internal */
  public _problems(): Problem[] {
    const late = new ProblemSink(this.node.path);
    this.checkTree(late);
    return late.problems.length ? [...this.sink.problems, ...late.problems] : this.sink.problems;
  }

  /** Rules that need the whole tree (other constructs added later); run at validation. @internal */
  protected checkTree(_sink: ProblemSink): void {}

  /**
   * Reports FP-SCOPE unless the scope is a tenant; returns whether it is.
   * @param what the construct's class name, for the message.
   * @internal
   */
  protected checkTenantScope(scope: unknown, what: string, prop = 'scope'): boolean {
    if (isTenantScope(scope)) return true;
    this.sink.error('FP-SCOPE', prop, (scope as Construct | undefined)?.node?.path ?? this.node.id, `${/^[AEIOU]/.test(what) ? 'an' : 'a'} ${what} must be created inside a Tenant.`, `pass the tenant as the scope: new ${what}(tenant, "${this.node.id}", {...}).`);
    return false;
  }
}

/** `id`, or the first free `id~<n>` in the scope when `id` is taken. @internal */
export function uniqueId(scope: Construct, id: string): string {
  if (!scope?.node?.tryFindChild(id)) return id;
  let n = 2;
  while (scope.node.tryFindChild(`${id}~${n}`)) n++;
  return `${id}~${n}`;
}

/** The problem of a construct id used twice in one scope. @internal */
export function duplicateId(scopePath: string, id: string): Problem {
  return {
    severity: Severity.ERROR, rule: 'FP-DUPLICATE', path: scopePath, prop: 'id', value: id,
    message: `two constructs in ${scopePath || 'the app'} have the id "${id}"; ids name the objects and must be unique in their scope.`,
    fix: 'give each construct its own id (and name, if you set one).',
  };
}

/** Whether a construct is a tenant. @internal */
export function isTenantScope(scope: unknown): boolean {
  return !!scope && (scope as Record<symbol, unknown>)[TENANT_SCOPE] === true;
}

