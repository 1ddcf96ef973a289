/**
 * Typed building blocks of an application's pods: environment values, probes, resources, ports and the
 * security profiles fleetplane applies by default.
 */
import { Duration } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';

/** Pod Security Standards level of a namespace. */
export enum PodSecurityLevel {
  RESTRICTED = 'restricted',
  BASELINE = 'baseline',
  PRIVILEGED = 'privileged',
}

/** Transport protocol of a port. */
export enum Protocol {
  TCP = 'TCP',
  UDP = 'UDP',
  SCTP = 'SCTP',
}

/** A port the application listens on. */
export interface AppPort {
  /** Container port number (1-65535). */
  readonly port: number;
  /**
   * Port name (IANA service name, at most 15 characters). Prefix it with the protocol (`http-web`, `grpc`)
   * for Istio protocol detection.
   * @default 'http' for the first port, required for the others
   */
  readonly name?: string;
  /**
   * Protocol.
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
  /**
   * Port on the Service.
   * @default - same as `port`
   */
  readonly servicePort?: number;
}

/** A value of an environment variable. Secret values are only ever referenced, never inlined. */
export class EnvValue {
  /** A literal value. Do not put secrets here: use {@link EnvValue.fromSecret}. */
  public static literal(value: string): EnvValue {
    return new EnvValue({ value });
  }

  /** A key of a ConfigMap (one the app declares, or an existing one). */
  public static fromConfigMap(configMap: string, key: string, options: { optional?: boolean } = {}): EnvValue {
    return new EnvValue({ valueFrom: { configMapKeyRef: { name: configMap, key, optional: options.optional } } }, { configMap });
  }

  /** A key of a Secret, by reference. */
  public static fromSecret(secret: string, key: string, options: { optional?: boolean } = {}): EnvValue {
    return new EnvValue({ valueFrom: { secretKeyRef: { name: secret, key, optional: options.optional } } }, { secret });
  }

  /** A field of the pod, e.g. `metadata.name` or `status.podIP`. */
  public static fromField(fieldPath: string): EnvValue {
    return new EnvValue({ valueFrom: { fieldRef: { fieldPath } } });
  }

  private constructor(
    /** @internal */ public readonly _source: Omit<k8s.EnvVar, 'name'>,
    /** @internal */ public readonly _refs: { configMap?: string; secret?: string } = {},
  ) {}

  /** The literal value, if this is a literal. */
  public get literalValue(): string | undefined {
    return this._source.value;
  }
}

/** CPU, memory and ephemeral storage of a container. */
export interface ResourceRequirements {
  /**
   * CPU request and limit, e.g. `{ request: '250m', limit: '1' }`.
   * @default - the platform default
   */
  readonly cpu?: ResourceRange;
  /**
   * Memory request and limit, e.g. `{ request: '256Mi', limit: '512Mi' }`.
   * @default - the platform default
   */
  readonly memory?: ResourceRange;
  /**
   * Ephemeral storage request and limit.
   * @default - none
   */
  readonly ephemeralStorage?: ResourceRange;
}

/** A request and a limit of one resource. */
export interface ResourceRange {
  /**
   * Amount reserved for the container (a Kubernetes quantity).
   * @default - none
   */
  readonly request?: string;
  /**
   * Upper bound (a Kubernetes quantity).
   * @default - none
   */
  readonly limit?: string;
}

/** Timing of a probe. */
export interface ProbeOptions {
  /**
   * Delay before the first probe.
   * @default - none
   */
  readonly initialDelay?: Duration;
  /**
   * Interval between probes.
   * @default Duration.seconds(10)
   */
  readonly period?: Duration;
  /**
   * Timeout of one probe.
   * @default Duration.seconds(1)
   */
  readonly timeout?: Duration;
  /**
   * Failures before the probe counts as failed.
   * @default 3
   */
  readonly failureThreshold?: number;
}

/** A liveness, readiness or startup probe. */
export class Probe {
  /** HTTP GET on a path of a named or numbered port. */
  public static http(path: string, options: ProbeOptions & { port?: string | number } = {}): Probe {
    return new Probe({ httpGet: { path, port: portRef(options.port ?? 'http') } }, options);
  }

  /** A TCP connection to a port. */
  public static tcp(options: ProbeOptions & { port?: string | number } = {}): Probe {
    return new Probe({ tcpSocket: { port: portRef(options.port ?? 'http') } }, options);
  }

  /** A command run in the container; exit 0 means healthy. */
  public static exec(command: string[], options: ProbeOptions = {}): Probe {
    return new Probe({ exec: { command } }, options);
  }

  private constructor(
    private readonly handler: Pick<k8s.Probe, 'httpGet' | 'tcpSocket' | 'exec'>,
    private readonly options: ProbeOptions,
  ) {}

  /** The named port this probe uses, if any. */
  public get portName(): string | undefined {
    const p = this.handler.httpGet?.port ?? this.handler.tcpSocket?.port;
    return p && typeof p.value === 'string' ? p.value : undefined;
  }

  /** @internal */
  public _render(): k8s.Probe {
    return {
      ...this.handler,
      initialDelaySeconds: this.options.initialDelay?.toSeconds(),
      periodSeconds: this.options.period?.toSeconds(),
      timeoutSeconds: this.options.timeout?.toSeconds(),
      failureThreshold: this.options.failureThreshold,
    };
  }
}

function portRef(port: string | number): k8s.IntOrString {
  return typeof port === 'number' ? k8s.IntOrString.fromNumber(port) : k8s.IntOrString.fromString(port);
}

/** Renders resource requirements, filling what the container leaves out from the platform default. */
export function renderResources(
  own: ResourceRequirements | undefined,
  fallback: ResourceRequirements | undefined,
): k8s.ResourceRequirements {
  const requests: Record<string, k8s.Quantity> = {};
  const limits: Record<string, k8s.Quantity> = {};
  const put = (key: string, range: ResourceRange | undefined) => {
    if (range?.request !== undefined) requests[key] = k8s.Quantity.fromString(range.request);
    if (range?.limit !== undefined) limits[key] = k8s.Quantity.fromString(range.limit);
  };
  put('cpu', own?.cpu ?? fallback?.cpu);
  put('memory', own?.memory ?? fallback?.memory);
  put('ephemeral-storage', own?.ephemeralStorage ?? fallback?.ephemeralStorage);
  return {
    requests: Object.keys(requests).length ? requests : undefined,
    limits: Object.keys(limits).length ? limits : undefined,
  };
}

/** Plain-JSON form of resource requirements, for overrides. */
export function resourcesToJson(r: ResourceRequirements): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  const put = (key: string, range: ResourceRange | undefined) => {
    if (range?.request !== undefined) (out.requests ??= {})[key] = range.request;
    if (range?.limit !== undefined) (out.limits ??= {})[key] = range.limit;
  };
  put('cpu', r.cpu);
  put('memory', r.memory);
  put('ephemeral-storage', r.ephemeralStorage);
  return out;
}

/** Pod-level security context for a level (restricted and baseline get the restricted settings). */
export function podSecurityContext(level: PodSecurityLevel, runAsUser: number): k8s.PodSecurityContext | undefined {
  if (level === PodSecurityLevel.PRIVILEGED) return undefined;
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup: runAsUser,
    fsGroup: runAsUser,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container security context for a level. */
export function containerSecurityContext(level: PodSecurityLevel, readOnlyRootFilesystem: boolean): k8s.SecurityContext | undefined {
  if (level === PodSecurityLevel.PRIVILEGED) return undefined;
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  };
}
