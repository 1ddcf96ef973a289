/**
 * Shapes of props where they enter the public API. TypeScript enforces them at compile time; a JavaScript caller
 * (or an `as any`) can still pass a string where a list belongs. Such a prop is reported as one FP-INPUT problem
 * naming the real prop, and left out, so the construct's other checks still run and no bare TypeError escapes.
 */
import { ProblemSink } from './problems';

/** The JavaScript shape a prop must have: a type, or a class the value must be made with (`Placement.weighted(...)`). */
export type Shape = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'function' | ClassShape;

/** A class, constructor private or not. */
export interface ClassShape {
  readonly prototype: object;
  readonly name: string;
}

function shapeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function fits(value: unknown, shape: Shape): boolean {
  if (typeof shape !== 'string') return value instanceof (shape as unknown as abstract new () => unknown);
  const actual = shapeOf(value);
  if (shape === 'object') return actual === 'object' || actual === 'array';
  return actual === shape;
}

/**
 * A copy of `props` without the props whose value has the wrong shape, each reported as FP-INPUT. Undefined props
 * are fine (they take their defaults).
 */
export function checkShapes<T extends object>(sink: ProblemSink, props: T | undefined, shapes: { readonly [K in keyof T]?: Shape }): T {
  if (props === undefined || props === null) return {} as T;
  if (typeof props !== 'object') {
    sink.error('FP-INPUT', 'props', props, `props must be an object, got ${shapeOf(props)}.`, 'pass an object literal, e.g. { ... } (see API.md).');
    return {} as T;
  }
  const out: Record<string, unknown> = { ...(props as Record<string, unknown>) };
  for (const [key, shape] of Object.entries(shapes) as Array<[string, Shape]>) {
    const value = out[key];
    if (value === undefined || fits(value, shape)) continue;
    const wanted = typeof shape !== 'string' ? `a ${shape.name} (made with its static methods, e.g. ${shape.name}.all())` : shape === 'array' ? 'a list' : `a ${shape}`;
    sink.error('FP-INPUT', key, value, `expected ${wanted}, got ${shapeOf(value)}.`, `pass ${wanted} (see API.md; TypeScript checks this at compile time).`);
    delete out[key];
  }
  return out as T;
}
