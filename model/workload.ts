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
    return new EnvValue({ valueFrom: { configMapKeyRef: { name: configMap, key, optional: options?.optional } } }, { configMap });
  }

  /** A key of a Secret, by reference. */
  public static fromSecret(secret: string, key: string, options: { optional?: boolean } = {}): EnvValue {
    return new EnvValue({ valueFrom: { secretKeyRef: { name: secret, key, optional: options?.optional } } }, { secret });
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

/** Timing of a probe that connects to a port (HTTP or TCP), and the port. */
export interface PortProbeOptions extends ProbeOptions {
  /**
   * The container port: a port name of the app, or a number.
   * @default 'http'
   */
  readonly port?: string | number;
}

/** A liveness, readiness or startup probe. */
export class Probe {
  /** HTTP GET on a path of a named or numbered port. */
  public static http(path: string, options: PortProbeOptions = {}): Probe {
    return new Probe({ httpGet: { path, port: portRef(options?.port ?? 'http') } }, options);
  }

  /** A TCP connection to a port. */
  public static tcp(options: PortProbeOptions = {}): Probe {
    return new Probe({ tcpSocket: { port: portRef(options?.port ?? 'http') } }, options);
  }

  /** A command run in the container; exit 0 means healthy. */
  public static exec(command: string[], options: ProbeOptions = {}): Probe {
    return new Probe({ exec: { command } }, options);
  }

  private constructor(
    private readonly handler: Pick<k8s.Probe, 'httpGet' | 'tcpSocket' | 'exec'>,
    private readonly options: ProbeOptions,
  ) {}

  /** What the static method was given, for the checks of the prop it is used in. @internal */
  public _input(): Record<string, unknown> {
    const h = this.handler;
    const given = { path: h.httpGet?.path, command: h.exec?.command, port: (h.httpGet?.port ?? h.tcpSocket?.port)?.value };
    const o: unknown = this.options;
    return o === undefined || (o !== null && typeof o === 'object' && !Array.isArray(o)) ? { ...given, ...(o as object) } : { ...given, options: o };
  }

  /** The named port this probe uses, if any. */
  public get portName(): string | undefined {
    const p = this.handler.httpGet?.port ?? this.handler.tcpSocket?.port;
    return p && typeof p.value === 'string' ? p.value : undefined;
  }

  /** @internal */
  public _render(): k8s.Probe {
    return {
      ...this.handler,
      initialDelaySeconds: this.options?.initialDelay?.toSeconds(),
      periodSeconds: this.options?.period?.toSeconds(),
      timeoutSeconds: this.options?.timeout?.toSeconds(),
      failureThreshold: this.options?.failureThreshold,
    };
  }
}

function portRef(port: string | number): k8s.IntOrString {
  return typeof port === 'number' ? k8s.IntOrString.fromNumber(port) : k8s.IntOrString.fromString(port);
}
