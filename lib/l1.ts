/**
 * Creates L1 objects from the generated bindings' typed props.
 *
 * The props are checked by the compiler against the generated interfaces and converted to wire JSON with
 * the generated `toJson_*` functions at once; the object itself is a plain cdk8s ApiObject. Why not
 * `new KubeDeployment(...)`: a generated class converts its props *after* applying JSON patches, so a
 * patch that sets a quantity, an int-or-string or a field the binding does not know is silently lost.
 * Converting first makes `addJsonPatch` (the escape hatch on every object) act on the real manifest.
 */
import { ApiObject, GroupVersionKind, Lazy } from 'cdk8s';
import { Construct } from 'constructs';

/** Creates an ApiObject from typed props. */
export function createObject<P>(
  scope: Construct,
  id: string,
  gvk: GroupVersionKind,
  toJson: (props: P | undefined) => Record<string, any> | undefined,
  props: P,
): ApiObject {
  const json = toJson(props) ?? {};
  return new ApiObject(scope, id, { apiVersion: gvk.apiVersion, kind: gvk.kind, ...json } as any);
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
  const lazyKeys = Object.fromEntries(keys.map((k) => [k, Lazy.any({ produce: () => body()[k] })]));
  return new ApiObject(scope, id, { apiVersion: gvk.apiVersion, kind: gvk.kind, metadata, ...lazyKeys } as any);
}
