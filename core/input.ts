/**
 * Shapes of props where they enter the public API. TypeScript enforces them at compile time; a JavaScript caller
 * (or an `as any`) can still pass a string where a list belongs, a number where a Duration belongs, or misspell a
 * prop. Each such value is reported as one FP-INPUT problem naming the real prop (`autoscaling.schedules[0].name`)
 * and left out, so the construct's other checks still run on the rest and no bare TypeError escapes.
 */
import { ProblemSink } from './problems';

/** A class, constructor private or not (`Placement`, cdk8s `Duration`). */
export interface ClassShape {
  readonly prototype: object;
  readonly name: string;
}

/** A list whose every element has a shape. */
export interface ListShape {
  readonly list: Shape;
}

/** A map (a plain object used as a dictionary) whose every value has a shape. */
export interface MapShape {
  readonly map: Shape;
}

/** An object with known fields; any other field is a misspelled prop and reported. */
export interface ObjectShape {
  readonly fields: { readonly [name: string]: Shape };
  /** Fields that must be present (only where no other check reports them missing). */
  readonly required?: readonly string[];
  /** Accept fields not listed (objects the code base passes through unread). */
  readonly open?: boolean;
}

/** Any of several shapes, tried in order. */
export interface OneOfShape {
  readonly oneOf: readonly Shape[];
  /** How the accepted shapes read in a message, e.g. "a list of overrides or a map by cluster name". */
  readonly describe: string;
}

/**
 * An instance of a class made with its static methods; `fields` check what the helper was given (read through
 * `view`), so `Placement.clusters(42)` is reported on `placement.names[0]`.
 */
export interface InstanceShape {
  readonly instance: ClassShape;
  readonly view?: (value: any) => object;
  readonly fields?: { readonly [name: string]: Shape };
}

/**
 * The JavaScript shape a prop must have. `unknown` leaves the value to the rule that checks it (an image is FP-IMAGE
 * whatever its type).
 */
export type Shape = 'unknown' | 'string' | 'number' | 'boolean' | 'array' | 'object' | 'function' | ClassShape | ListShape | MapShape | ObjectShape | OneOfShape | InstanceShape;

/** A list of `of`. */
export const listOf = (of: Shape): ListShape => ({ list: of });
/** A map of `of` by string keys. */
export const mapOf = (of: Shape): MapShape => ({ map: of });
/** An object with these fields (closed: other fields are reported). */
export const objectOf = (fields: ObjectShape['fields'], required?: readonly string[]): ObjectShape => ({ fields, required });
/** Any of these shapes. */
export const oneOf = (describe: string, ...shapes: Shape[]): OneOfShape => ({ oneOf: shapes, describe });
/** A map of strings (labels, annotations, ConfigMap data). */
export const STRING_MAP = mapOf('string');

const DROP = Symbol('drop');

function shapeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  if (typeof value === 'object') return (value as object).constructor?.name && (value as object).constructor !== Object ? `a ${(value as object).constructor.name}` : 'an object';
  return value === undefined ? 'nothing' : `a ${typeof value}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** How a shape reads in a message. */
export function describeShape(shape: Shape): string {
  if (typeof shape === 'string') return shape === 'array' ? 'a list' : shape === 'object' ? 'an object' : `a ${shape}`;
  if ('list' in shape) return `a list of ${plural(describeShape(shape.list))}`;
  if ('map' in shape) return `a map of ${plural(describeShape(shape.map))}`;
  if ('fields' in shape) return 'an object';
  if ('oneOf' in shape) return shape.describe;
  const cls = 'instance' in shape ? shape.instance : shape;
  return `a ${cls.name}`;
}

function plural(s: string): string {
  return s.replace(/^an? /, '').replace(/^(list|map|object|string|number|boolean|function)\b/, '$1s');
}

const EXAMPLES: Readonly<Record<string, string>> = {
  Placement: 'Placement.all()', Distribution: 'Distribution.evenly()', Duration: 'Duration.seconds(30)', Traffic: 'Traffic.stable()',
  EnvValue: 'EnvValue.literal("info")', Probe: 'Probe.http("/healthz")', GlobalTier: 'GlobalTier.hierarchical({ cluster: "bj-1" })',
  MeshCaller: 'MeshCaller.ingressGateway()',
};

function fix(shape: Shape): string {
  const cls = typeof shape === 'object' && 'instance' in shape ? shape.instance : typeof shape === 'function' ? shape : undefined;
  const example = cls ? EXAMPLES[cls.name] : undefined;
  return `pass ${describeShape(shape)}${example ? ` (e.g. ${example})` : ''} (see API.md; TypeScript checks this at compile time).`;
}

function join(at: string, key: string | number): string {
  if (typeof key === 'number') return `${at}[${key}]`;
  if (at === '') return key;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${at}.${key}` : `${at}['${key}']`;
}

function join_map(at: string, key: string): string {
  return `${at}['${key}']`;
}

/**
 * The value with everything of the wrong shape left out (each reported as FP-INPUT on its path), or DROP when
 * the value itself has the wrong shape. Values are copied, never changed in place.
 */
function sanitize(sink: ProblemSink, value: unknown, shape: Shape, at: string): unknown {
  if (typeof shape === 'string') return primitive(sink, value, shape, at);
  if (typeof shape === 'function') return value instanceof (shape as unknown as abstract new () => unknown) ? value : wrong(sink, value, shape, at);
  if ('instance' in shape) return instance(sink, value, shape, at);
  if ('oneOf' in shape) return anyOf(sink, value, shape, at);
  if ('list' in shape) {
    if (!Array.isArray(value)) return wrong(sink, value, shape, at);
    // A bad element is left out, so the elements after it move up one index in later problems of the same list.
    return value.map((v, i) => sanitize(sink, v, shape.list, join(at, i))).filter((v) => v !== DROP);
  }
  if (!isPlainObject(value)) return wrong(sink, value, shape, at);
  if ('map' in shape) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const clean = sanitize(sink, v, shape.map, join_map(at, k));
      if (clean !== DROP) out[k] = clean;
    }
    return out;
  }
  return fields(sink, value, shape as ObjectShape, at);
}

function primitive(sink: ProblemSink, value: unknown, shape: Exclude<Shape, object>, at: string): unknown {
  if (shape === 'unknown') return value;
  const ok = shape === 'array' ? Array.isArray(value)
    : shape === 'object' ? value !== null && typeof value === 'object'
    : shape === 'number' ? typeof value === 'number' && !Number.isNaN(value)
    : typeof value === shape;
  return ok ? value : wrong(sink, value, shape, at);
}

function fields(sink: ProblemSink, value: Record<string, unknown>, shape: ObjectShape, at: string): unknown {
  const out: Record<string, unknown> = { ...value };
  for (const [k, v] of Object.entries(value)) {
    const fieldShape = shape.fields[k];
    if (fieldShape === undefined) {
      if (shape.open || v === undefined) continue;
      sink.error('FP-INPUT', join(at, k), v, `unknown prop "${k}"${suggest(k, Object.keys(shape.fields))}; it would be ignored.`, `use one of ${Object.keys(shape.fields).join(', ')}.`);
      delete out[k];
      continue;
    }
    if (v === undefined) continue;
    const clean = sanitize(sink, v, fieldShape, join(at, k));
    if (clean === DROP) delete out[k];
    else out[k] = clean;
  }
  // Without a required part the object cannot be used at all: it is left out whole.
  const missing = (shape.required ?? []).filter((k) => out[k] === undefined);
  for (const k of missing) {
    // A value of the wrong shape was reported above; only an absent one is reported here.
    if (value[k] === undefined) sink.error('FP-INPUT', join(at, k), undefined, `${k} is required.`, fix(shape.fields[k]));
  }
  return missing.length ? DROP : out;
}

function instance(sink: ProblemSink, value: unknown, shape: InstanceShape, at: string): unknown {
  if (!(value instanceof (shape.instance as unknown as abstract new () => unknown))) return wrong(sink, value, shape, at);
  if (!shape.fields) return value;
  // The helper accepted anything (helpers never throw, so one program reports all its problems): what it was given is checked here.
  const before = sink.problems.length;
  sanitize(sink, shape.view ? shape.view(value) : value, { fields: shape.fields, open: true }, at);
  return sink.problems.length > before ? DROP : value;
}

function anyOf(sink: ProblemSink, value: unknown, shape: OneOfShape, at: string): unknown {
  for (const s of shape.oneOf) {
    const trial = new ProblemSink('');
    const clean = sanitize(trial, value, s, at);
    if (clean !== DROP && trial.problems.length === 0) return clean;
  }
  // Report against the alternative of the same JavaScript kind (the list form for a list), so problems name fields.
  const near = shape.oneOf.find((s) => typeof s === 'object' && !('instance' in s) && !('oneOf' in s) && ('list' in s ? Array.isArray(value) : isPlainObject(value)));
  return near !== undefined ? sanitize(sink, value, near, at) : wrong(sink, value, shape, at);
}

function wrong(sink: ProblemSink, value: unknown, shape: Shape, at: string): typeof DROP {
  sink.error('FP-INPUT', at || 'props', value, `expected ${describeShape(shape)}, got ${shapeOf(value)}.`, fix(shape));
  return DROP;
}

/** ` (did you mean "x"?)` for a misspelled prop one or two edits away from a known one. */
function suggest(key: string, known: readonly string[]): string {
  const near = known.find((k) => distance(k.toLowerCase(), key.toLowerCase()) <= 2);
  return near ? ` (did you mean "${near}"?)` : '';
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

/**
 * A copy of `props` without the values of the wrong shape, each reported as FP-INPUT on its path. Undefined props
 * are fine (they take their defaults); props not in `shapes` are reported as unknown.
 */
export function checkShapes<T extends object>(sink: ProblemSink, props: T | undefined, shapes: { readonly [K in keyof T]-?: Shape }, required?: ReadonlyArray<keyof T & string>): T {
  if (props === undefined || props === null) return {} as T;
  if (!isPlainObject(props)) {
    sink.error('FP-INPUT', 'props', props, `props must be an object, got ${shapeOf(props)}.`, 'pass an object literal, e.g. { ... } (see API.md).');
    return {} as T;
  }
  const clean = fields(sink, props, { fields: shapes as ObjectShape['fields'] }, '') as T;
  for (const k of required ?? []) {
    if ((props as Record<string, unknown>)[k] === undefined) sink.error('FP-INPUT', k, undefined, `${k} is required.`, fix(shapes[k]));
  }
  return clean;
}

/** Checks one value (a method's argument) against a shape; undefined when it has the wrong shape. */
export function checkValue<T>(sink: ProblemSink, value: T, shape: Shape, at: string): T | undefined {
  const clean = sanitize(sink, value, shape, at);
  return clean === DROP ? undefined : (clean as T);
}
