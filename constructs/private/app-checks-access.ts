/** Checks of `FederatedApp.allowFrom` (access control without a mesh). */
import { Construct } from 'constructs';
import { PlatformContext, platformOf } from '../../core/context';
import { ProblemSink } from '../../core/problems';
import { Tenant } from '../tenant';

/** Options of `FederatedApp.allowFrom`. */
export interface AllowFromOptions {
  /**
   * Names of the app's ports the caller may use.
   * @default - every port of the app
   */
  readonly ports?: string[];
}

type Port = { readonly name: string; readonly port: number; readonly protocol: string };

/** What the check reads. */
export interface AllowFromCheck {
  readonly source: unknown;
  readonly options: AllowFromOptions;
  /** The callee's tenant and ports. */
  readonly tenant: Tenant;
  readonly ports: readonly Port[];
  readonly context: PlatformContext;
  /** Whether the source is a FederatedApp (checked by the caller, which owns that class). */
  readonly isApp: boolean;
}

/** Returns the admitted ports, or undefined after reporting why the call cannot be admitted. */
export function checkAllowFrom(sink: ProblemSink, at: string, c: AllowFromCheck): Port[] | undefined {
  if (!c.isApp && !(c.source instanceof Tenant)) {
    sink.error('FP-ACCESS', at, c.source, 'a caller is a FederatedApp or a Tenant.', 'pass one of those.');
    return undefined;
  }
  const source = c.source as Construct;
  if (platformOf(source) !== c.context) {
    sink.error('FP-ACCESS', at, source.node.path, 'the caller belongs to another platform: its pods never run in this one\'s namespaces.', 'allow callers of the same platform.');
    return undefined;
  }
  if (c.tenant.meshed) {
    sink.error('FP-ACCESS', at, source.node.path, 'the app\'s tenant is in the mesh, where a NetworkPolicy cannot tell callers apart by identity (sidecars, east-west gateways).', 'wrap the app in a MeshedService and call its allowFrom.');
    return undefined;
  }
  if (c.ports.length === 0) {
    sink.error('FP-ACCESS', at, source.node.path, 'the app exposes no port, so there is nothing to call.', 'declare a port on the app.');
    return undefined;
  }
  const names = c.options?.ports;
  if (names !== undefined && (!Array.isArray(names) || names.length === 0)) {
    sink.error('FP-ACCESS', `${at}.ports`, names, 'ports is a non-empty list of the app\'s port names.', `use some of: ${c.ports.map((p) => p.name).join(', ')}.`);
    return undefined;
  }
  const unknown = (names ?? []).filter((n) => !c.ports.some((p) => p.name === n));
  if (unknown.length) {
    sink.error('FP-ACCESS', `${at}.ports`, unknown, 'the app has no port with these names.', `use some of: ${c.ports.map((p) => p.name).join(', ')}.`);
    return undefined;
  }
  return names ? c.ports.filter((p) => names.includes(p.name)) : [...c.ports];
}
