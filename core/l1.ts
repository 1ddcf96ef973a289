/**
 * Creates L1 objects from the generated bindings' typed props.
 *
 * The props are checked by the compiler against the generated interfaces and converted to wire JSON with
 * the generated `toJson_*` functions at once; the object itself is a plain cdk8s ApiObject. Why not
 * `new KubeDeployment(...)`: a generated class converts its props *after* applying JSON patches, so a
 * patch that sets a quantity, an int-or-string or a field the binding does not know is silently lost.
 * Converting first makes `addJsonPatch` (the escape hatch on every object) act on the real manifest.
 */
import { ApiObject, ApiObjectProps, GroupVersionKind, Lazy } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * An ApiObject whose body is plain JSON, fixed at construction. The body is key-sorted and cleared of empty
 * values once, when the object is built, exactly as cdk8s sanitizes at every render; rendering then only adds
 * the metadata (which stays mutable through `metadata.addLabel` and the like) and shares the body, so a synth
 * makes no deep copy of it. Anything that may hold tokens (JSON patches, lazy metadata values) takes cdk8s' own
 * path, from the same sanitized body, which gives the same manifest.
 */
export class PlainApiObject extends ApiObject {
  /** Every key but metadata, sanitized; shared by every rendering, never mutated. */
  private body?: Record<string, any>;
  /** Produces the body of an object rendered at synthesis (see {@link createLazyObject}); called once. */
  private readonly produceBody?: () => Record<string, any>;

  /**
   * @param props the manifest; with `produceBody`, the props cdk8s' own path renders (they may hold Lazy values)
   * @param produceBody the plain body (every key but metadata), produced at the first render
   */
  constructor(scope: Construct, id: string, props: ApiObjectProps, produceBody?: () => Record<string, any>) {
    const { metadata, ...rest } = props as ApiObjectProps & Record<string, any>;
    const body = produceBody ? undefined : sanitize(rest, false) ?? {};
    super(scope, id, body ? { ...body, metadata } as ApiObjectProps : props);
    this.body = body;
    this.produceBody = produceBody;
  }

  public override toJson(): any {
    const patches = (this as unknown as { patches?: unknown[] }).patches;
    const meta = this.metadata as unknown as Record<string, any>;
    const plainMeta =
      allStrings(meta.labels) && allStrings(meta.annotations) &&
      Object.values(meta._additionalAttributes ?? {}).every((v) => v === undefined || typeof v !== 'object' || isPlain(v));
    if ((patches && patches.length > 0) || !plainMeta || process.env.CDK8S_DISABLE_SORT) return super.toJson();
    const metadata = sanitize(
      { ...meta._additionalAttributes, name: meta.name, namespace: meta.namespace, annotations: meta.annotations, finalizers: meta.finalizers, ownerReferences: meta.ownerReferences, labels: meta.labels },
      true,
    );
    const body = (this.body ??= sanitize(this.produceBody!(), false) ?? {});
    const result: Record<string, any> = {};
    if (body.apiVersion !== undefined) result.apiVersion = body.apiVersion;
    if (body.kind !== undefined) result.kind = body.kind;
    if (metadata !== undefined) result.metadata = metadata;
    for (const k in body) if (k !== 'apiVersion' && k !== 'kind') result[k] = body[k];
    return result;
  }
}

function allStrings(m: Record<string, unknown> | undefined): boolean {
  if (!m) return true;
  for (const k in m) if (typeof m[k] !== 'string') return false;
  return true;
}

function isPlain(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  if (Array.isArray(v)) return v.every(isPlain);
  if ((v as object).constructor !== Object) return false;
  return Object.values(v as object).every(isPlain);
}

/** cdk8s' sanitizeValue: sorted keys, no null/undefined, optionally no empty arrays/objects. */
function sanitize(obj: any, filterEmpty: boolean): any {
  if (obj == null) return undefined;
  if (typeof obj !== 'object') return obj;
  if (Array.isArray(obj)) {
    if (filterEmpty && obj.length === 0) return undefined;
    return obj.map((x) => sanitize(x, filterEmpty));
  }
  if (Object.getPrototypeOf(obj) !== Object.prototype && obj.constructor.name !== 'Object') {
    throw new Error(`can't render non-simple object of type '${obj.constructor.name}'`);
  }
  const keys = Object.keys(obj);
  // Sort only keys that are out of order: cheaper than sorting every object, and many are in order already.
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) {
      keys.sort();
      break;
    }
  }
  const out: Record<string, any> = {};
  let kept = 0;
  for (const key of keys) {
    const v = sanitize(obj[key], filterEmpty);
    if (v != null) {
      out[key] = v;
      kept++;
    }
  }
  if (filterEmpty && kept === 0) return undefined;
  return out;
}

/** Creates an ApiObject from typed props. */
export function createObject<P>(
  scope: Construct,
  id: string,
  gvk: GroupVersionKind,
  toJson: (props: P | undefined) => Record<string, any> | undefined,
  props: P,
): ApiObject {
  const json = toJson(props) ?? {};
  return new PlainApiObject(scope, id, { apiVersion: gvk.apiVersion, kind: gvk.kind, ...json } as any);
}

/**
 * Creates an ApiObject whose body (everything but metadata) is rendered when the app is synthesized, so
 * later calls on the owning construct are reflected. The render runs once.
 */
export function createLazyObject<P extends { metadata?: any }>(
  scope: Construct,
  id: string,
  gvk: GroupVersionKind,
  toJson: (props: P | undefined) => Record<string, any> | undefined,
  metadata: NonNullable<P['metadata']>,
  keys: readonly string[],
  render: () => Omit<P, 'metadata'>,
): ApiObject {
  let rendered: Record<string, any> | undefined;
  const body = () => (rendered ??= toJson({ ...render(), metadata } as P) ?? {});
  // cdk8s' path (JSON patches) resolves the Lazy values; the plain path takes the same keys without a token walk.
  const lazyKeys = Object.fromEntries(keys.map((k) => [k, Lazy.any({ produce: () => body()[k] })]));
  const plainBody = () => ({ apiVersion: gvk.apiVersion, kind: gvk.kind, ...Object.fromEntries(keys.map((k) => [k, body()[k]])) });
  return new PlainApiObject(scope, id, { apiVersion: gvk.apiVersion, kind: gvk.kind, metadata, ...lazyKeys } as any, plainBody);
}
