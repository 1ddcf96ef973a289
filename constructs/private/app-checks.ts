/**
 * Checks of a FederatedApp's identity, ports, environment and configuration (rules 1-4), each over resolved
 * values, reporting to the app's problem sink.
 */
import { ImageTagPolicy } from '../../model/platform';
import { checkImage } from './image-checks';
import { isDns1035Label, isDnsSubdomain, isEnvName, isLabelValue, isPortName, isQualifiedName } from '../../core/names';
import { ProblemSink } from '../../core/problems';
import { WorkloadKind } from '../../model/app';
import { AppPort, EnvValue, Probe } from '../../model/workload';

/** Names that look like secrets, in env and ConfigMap keys. */
export const SECRET_NAME = /(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential)/i;

/** A port with its name, protocol and Service port resolved. */
type CheckedPort = Required<Pick<AppPort, 'name' | 'port' | 'protocol' | 'servicePort'>>;

/** Name, kind, image and container name (rule 1). */
export function checkIdentity(sink: ProblemSink, name: string, kind: WorkloadKind, image: unknown, containerName: string, policy: ImageTagPolicy): void {
  if (!isDns1035Label(name)) {
    sink.error('K1', 'name', name, 'an app name must be a DNS-1035 label (lower-case letters, digits, "-", starting with a letter, at most 63 characters): it names the Service.', 'rename the app, e.g. "web".');
  }
  if (kind === WorkloadKind.STATEFUL_SET && typeof name === 'string' && name.length > 54) {
    sink.error('K1', 'name', name, 'a StatefulSet also gets a headless Service "<name>-headless", which must stay within 63 characters.', 'use a name of at most 54 characters.');
  }
  if (!Object.values(WorkloadKind).includes(kind)) sink.error('FP-KIND', 'kind', kind, 'unknown workload kind.', 'use WorkloadKind.DEPLOYMENT or STATEFUL_SET.');
  checkImage(sink, 'image', image, policy);
  if (!isDnsSubdomain(containerName) || containerName.length > 63 || containerName.includes('.')) sink.error('K1', 'containerName', containerName, 'a container name must be a DNS-1123 label.', 'use e.g. "app".');
}

/** Extra labels of the app (rule 2). */
export function checkLabels(sink: ProblemSink, labels: Record<string, string>): void {
  for (const [k, v] of Object.entries(labels)) {
    if (!isQualifiedName(k) || !isLabelValue(v)) sink.error('K2', 'labels', { [k]: v }, 'invalid label.', 'label keys are qualified names; values at most 63 alphanumerics, "-", "_" or ".".');
  }
}

/** The version label (rule 2). */
export function checkVersion(sink: ProblemSink, version: string | undefined): void {
  if (version !== undefined && (!isLabelValue(version) || version.length === 0)) sink.error('K2', 'version', version, 'the version is a label value.', 'use at most 63 alphanumerics, "-", "_" or ".".');
}

/**
 * Ports (rule 3): numbers, names and Service ports unique.
 * @param declaredAsList the ports came from `ports` (else from the `port` shorthand), for the prop path.
 * @returns the port names.
 */
export function checkPorts(sink: ProblemSink, ports: readonly CheckedPort[], declaredAsList: boolean): Set<string> {
  const names = new Set<string>();
  const pairs = new Set<string>();
  ports.forEach((p, i) => {
    const at = declaredAsList ? `ports[${i}]` : 'port';
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) sink.error('K3', `${at}.port`, p.port, 'a port must be a whole number from 1 to 65535.', 'use e.g. 8080.');
    if (!Number.isInteger(p.servicePort) || p.servicePort < 1 || p.servicePort > 65535) sink.error('K3', `${at}.servicePort`, p.servicePort, 'a port must be a whole number from 1 to 65535.', 'use e.g. 80.');
    if (!isPortName(p.name)) sink.error('K3', `${at}.name`, p.name, 'a port name must be an IANA service name: at most 15 lower-case letters, digits or "-", with a letter; every port of a multi-port app is named.', 'use e.g. "http" or "grpc-api".');
    if (names.has(p.name)) sink.error('K3', `${at}.name`, p.name, 'two ports have the same name.', 'give each port a unique name.');
    const pair = `${p.port}/${p.protocol}`;
    if (pairs.has(pair)) sink.error('K3', `${at}.port`, p.port, `port ${pair} is declared twice.`, 'declare each port and protocol once.');
    names.add(p.name);
    pairs.add(pair);
  });
  const servicePorts = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.servicePort}/${p.protocol}`;
    if (servicePorts.has(key)) sink.error('K3', `ports[${i}].servicePort`, p.servicePort, `Service port ${key} is used twice.`, 'give each port a unique servicePort.');
    servicePorts.add(key);
  });
  return names;
}

/** Probes use declared ports (rule 3). */
export function checkProbes(sink: ProblemSink, probes: Record<'liveness' | 'readiness' | 'startup', Probe | undefined>, portNames: ReadonlySet<string>): void {
  for (const [prop, probe] of Object.entries(probes)) {
    const port = probe?.portName;
    if (port && !portNames.has(port)) sink.error('K3', prop, port, `the probe uses port "${port}", which the app does not declare.`, `declare the port or use one of: ${[...portNames].join(', ') || '(none)'}.`);
  }
}

/** Env: names valid; secrets only by reference (kubevela#6840). */
export function checkEnv(sink: ProblemSink, env: Record<string, EnvValue>, prop = 'env'): void {
  for (const [name, value] of Object.entries(env)) {
    const at = `${prop}['${name}']`;
    if (!isEnvName(name)) sink.error('FP-ENV', at, name, 'not a valid environment variable name.', 'use letters, digits, "_", "-" or ".", not starting with a digit.');
    if (!(value instanceof EnvValue)) {
      sink.error('FP-ENV', at, value, 'env values are typed.', 'use EnvValue.literal(), fromConfigMap(), fromSecret() or fromField().');
    } else if (value.literalValue !== undefined && typeof value.literalValue !== 'string') {
      sink.error('FP-ENV', at, value.literalValue, 'environment variable values are strings; Kubernetes rejects a number or boolean here.', `use EnvValue.literal('${String(value.literalValue)}').`);
    } else if (value.literalValue !== undefined && SECRET_NAME.test(name) && value.literalValue !== '') {
      sink.error('FP-ENV-SECRET', at, '<redacted>', 'this looks like a secret inlined as a literal; it would be stored in plain text in Git and in every cluster.', `store it in a Secret and use EnvValue.fromSecret('<secret>', '${name.toLowerCase()}').`);
    } else {
      checkEnvReference(sink, at, value);
    }
  }
}

/** What EnvValue.fromConfigMap, fromSecret and fromField were given: a valid object name, a key, a field path. */
function checkEnvReference(sink: ProblemSink, at: string, value: EnvValue): void {
  const from = value._source.valueFrom;
  const ref = from?.configMapKeyRef ?? from?.secretKeyRef;
  if (ref) {
    if (typeof ref.name !== 'string' || !isDnsSubdomain(ref.name)) sink.error('FP-ENV', `${at}.name`, ref.name, `the referenced ${from?.configMapKeyRef ? 'ConfigMap' : 'Secret'} name is not a DNS-1123 subdomain.`, 'name an existing object, e.g. EnvValue.fromSecret("db", "password").');
    if (typeof ref.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(ref.key)) sink.error('FP-ENV', `${at}.key`, ref.key, 'not a valid key (letters, digits, "-", "_" and ".").', 'give the key inside the object, e.g. "password".');
    if (ref.optional !== undefined && typeof ref.optional !== 'boolean') sink.error('FP-ENV', `${at}.optional`, ref.optional, 'optional is true or false.', 'pass { optional: true }.');
  }
  const field = from?.fieldRef?.fieldPath;
  if (from?.fieldRef && (typeof field !== 'string' || !/^(metadata|spec|status)\.[A-Za-z.[\]'/-]+$/.test(field))) {
    sink.error('FP-ENV', `${at}.fieldPath`, field, 'not a pod field path.', 'use e.g. "metadata.name" or "status.podIP".');
  }
}

/** ConfigMaps the app owns: names, keys, no secrets, size (rules 1, 4). */
export function checkConfigMaps(sink: ProblemSink, configMaps: Record<string, Record<string, string>>): void {
  for (const [cm, data] of Object.entries(configMaps)) {
    if (!isDnsSubdomain(cm)) sink.error('K1', `configMaps['${cm}']`, cm, 'a ConfigMap name must be a DNS-1123 subdomain.', 'use lower-case letters, digits, "-" and ".".');
    for (const key of Object.keys(data ?? {})) {
      if (!/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253) sink.error('FP-CONFIGMAP', `configMaps['${cm}']['${key}']`, key, 'not a valid ConfigMap key.', 'use letters, digits, "-", "_" and ".".');
      if (SECRET_NAME.test(key)) sink.error('FP-ENV-SECRET', `configMaps['${cm}']['${key}']`, '<redacted>', 'this looks like a secret stored in a ConfigMap, which is not encrypted and readable by every viewer.', 'store it in a Secret and reference it with EnvValue.fromSecret().');
    }
    const size = JSON.stringify(data ?? {}).length;
    if (size > 1024 * 1024) sink.error('K4', `configMaps['${cm}']`, `${size} bytes`, 'objects above 1 MiB are rejected by etcd.', 'split the data or mount it from elsewhere.');
    else if (size > 900 * 1024) sink.warn('K4', `configMaps['${cm}']`, `${size} bytes`, 'this ConfigMap is close to the 1 MiB etcd limit.', 'split the data.');
  }
}

/** Names of the Secrets the app depends on (rule 1). */
export function checkSecrets(sink: ProblemSink, secrets: readonly string[]): void {
  secrets.forEach((s, i) => {
    if (!isDnsSubdomain(s)) sink.error('K1', `secrets[${i}]`, s, 'a Secret name must be a DNS-1123 subdomain.', 'use lower-case letters, digits, "-" and ".".');
  });
}
