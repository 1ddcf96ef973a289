/**
 * Problems found in a platform definition, and the typed error that carries them.
 *
 * Every check in fleetplane reports a {@link Problem} naming the construct path, the prop, the bad value and
 * the fix. Problems are collected across the whole tree and raised together as one
 * {@link PlatformValidationError}, before cdk8s writes any file.
 */

/** How serious a problem is. */
export enum Severity {
  /** Synthesis fails and nothing is written. */
  ERROR = 'error',
  /** Printed at synthesis; output is still written. */
  WARNING = 'warning',
}

/** One problem in a platform definition. */
export interface Problem {
  /** Error or warning. */
  readonly severity: Severity;
  /** Identifier of the rule, e.g. `K13` for rule 13 of the domain reference or `FP-ENV-SECRET`. */
  readonly rule: string;
  /** Construct path of the construct whose props are wrong, e.g. `prod/shop/web`. */
  readonly path: string;
  /** The prop, as a path into the construct's props, e.g. `distribution.weights['bj-9']`. */
  readonly prop: string;
  /** The offending value. */
  readonly value: unknown;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Renders a value for a message: short, single-line, deterministic. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch (e) {
    // Circular structures and BigInts cannot be shown as JSON.
    if (e instanceof TypeError) return String(value);
    throw e;
  }
}

/** Formats one problem as a line a human reads in CI output. */
export function formatProblem(p: Problem): string {
  return `[${p.path}] ${p.prop} = ${showValue(p.value)}: ${p.message} Fix: ${p.fix} (${p.severity} ${p.rule})`;
}

/**
 * Thrown when a platform definition has errors. `problems` holds every error and warning found,
 * so tools can show them all at once.
 */
export class PlatformValidationError extends Error {
  /** All problems, errors first, in a stable order. */
  public readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const errors = problems.filter((p) => p.severity === Severity.ERROR);
    super(
      `fleetplane found ${errors.length} error(s) in the platform definition; nothing was written:\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join('\n') +
        '\nEach rule id is explained in docs/rules.md of the fleetplane package.',
    );
    this.name = 'PlatformValidationError';
    this.problems = problems;
  }

  /** The errors only. */
  public get errors(): Problem[] {
    return this.problems.filter((p) => p.severity === Severity.ERROR);
  }
}

/** Sorts problems errors first, then by path, prop and message, so reports are deterministic. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const rank = (p: Problem) => (p.severity === Severity.ERROR ? 0 : 1);
  return [...problems].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      cmp(a.path, b.path) ||
      cmp(a.prop, b.prop) ||
      cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Collects problems for one construct (its path is fixed), so checks read as a list of one-liners.
 * Not part of the public API.
 */
export class ProblemSink {
  public readonly problems: Problem[] = [];
  /** Props reported as malformed (FP-INPUT): later checks of the same prop would only repeat the problem. */
  private readonly malformed: string[] = [];
  constructor(private readonly path: string) {}

  public error(rule: string, prop: string, value: unknown, message: string, fix: string): void {
    this.add({ severity: Severity.ERROR, rule, path: this.path, prop, value, message, fix });
  }

  public warn(rule: string, prop: string, value: unknown, message: string, fix: string): void {
    this.add({ severity: Severity.WARNING, rule, path: this.path, prop, value, message, fix });
  }

  private add(p: Problem): void {
    if (p.rule === 'FP-INPUT') this.malformed.push(p.prop);
    else if (this.malformed.some((m) => p.prop === m || p.prop.startsWith(`${m}.`) || p.prop.startsWith(`${m}[`))) return;
    this.problems.push(p);
  }

  public get hasErrors(): boolean {
    return this.problems.some((p) => p.severity === Severity.ERROR);
  }
}
