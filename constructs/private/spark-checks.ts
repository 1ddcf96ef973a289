/** Checks of a Spark application's options (FP-SPARK), and its resolution into driver and executor pods. */
import { parseCidr } from '../../core/cidr';
import { ProblemSink } from '../../core/problems';
import { isQuantity, parseQuantity } from '../../core/quantity';
import { resolveSparkPod, SPARK_MANAGED_CONF, SparkPod } from '../../engines/batch/spark';
import { KubeApiEgress, SparkPodResources } from '../../model/batch';

/** The options the checks read (SparkJobOptions without the construct types). */
export interface SparkOptionsInput {
  readonly executors?: number;
  readonly mainClass?: string;
  readonly jar?: string;
  readonly args?: string[];
  readonly conf?: Record<string, string>;
  readonly driver?: SparkPodResources;
  readonly executor?: SparkPodResources;
  readonly kubeApi?: KubeApiEgress;
  readonly sparkHome?: string;
  readonly runAsUser?: number;
}

// Keys that would make the PodGroup reservation and the quota checks wrong: the executor count varies, or the
// pods' requests differ from what fleetplane computed.
const REFUSED_CONF: Record<string, string> = {
  'spark.dynamicAllocation.enabled': 'the PodGroup reserves, and the quota is checked for, a fixed number of executors',
  'spark.kubernetes.driver.request.cores': 'the driver\'s CPU request is driver.cores',
  'spark.kubernetes.executor.request.cores': 'the executors\' CPU request is executor.cores',
  'spark.master': 'spark-submit gets --master',
  'spark.submit.deployMode': 'spark-submit runs in cluster mode',
  'spark.app.name': 'the application is named after the job',
};

const JAVA_CLASS = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/** Every option; returns the driver and executor pods, resolved. */
export function checkSparkOptions(sink: ProblemSink, o: SparkOptionsInput, defaultDenyNetwork: boolean): { driver: SparkPod; executor: SparkPod } {
  if (!Number.isInteger(o.executors) || (o.executors as number) < 1) sink.error('FP-SPARK', 'executors', o.executors, 'a Spark application needs a whole number of executors ≥ 1.', 'use e.g. 4.');
  if (typeof o.mainClass !== 'string' || !JAVA_CLASS.test(o.mainClass)) sink.error('FP-SPARK', 'mainClass', o.mainClass, 'not a Java class name.', 'use e.g. "org.apache.spark.examples.SparkPi".');
  checkJar(sink, o.jar);
  (o.args ?? []).forEach((a, i) => {
    if (typeof a !== 'string') sink.error('FP-SPARK', `args[${i}]`, a, 'application arguments are strings.', 'quote the argument.');
  });
  if (o.sparkHome !== undefined && !/^\/\S*$/.test(o.sparkHome)) sink.error('FP-SPARK', 'sparkHome', o.sparkHome, 'Spark\'s home is an absolute path in the image.', 'use e.g. "/opt/spark".');
  if (o.runAsUser !== undefined && (!Number.isInteger(o.runAsUser) || o.runAsUser < 1)) sink.error('FP-SPARK', 'runAsUser', o.runAsUser, 'a non-root user id is a whole number ≥ 1.', 'use the image\'s Spark user, e.g. 185.');
  checkConf(sink, o.conf ?? {});
  checkKubeApi(sink, o.kubeApi, defaultDenyNetwork);
  return { driver: checkPod(sink, 'driver', o.driver), executor: checkPod(sink, 'executor', o.executor) };
}

/** The jar is in the image (local://) or at a URL the driver fetches; a path on the submitter's disk is not. */
function checkJar(sink: ProblemSink, jar: unknown): void {
  const scheme = typeof jar === 'string' ? /^([a-z][a-z0-9+.-]*):\/\/\S+$/.exec(jar)?.[1] : undefined;
  if (!scheme || scheme === 'file') {
    sink.error('FP-SPARK', 'jar', jar, 'the application jar must be in the image (local://) or at a URL; a file on the submitter\'s disk would need an upload path.', 'use e.g. "local:///opt/spark/examples/jars/spark-examples.jar".');
  }
}

function checkConf(sink: ProblemSink, conf: Record<string, string>): void {
  const managed: readonly string[] = SPARK_MANAGED_CONF;
  for (const [key, value] of Object.entries(conf)) {
    const at = `conf['${key}']`;
    if (!/^spark\.[\w.-]+$/.test(key)) sink.error('FP-SPARK', at, key, 'Spark configuration keys start with "spark.".', 'use e.g. "spark.sql.shuffle.partitions".');
    else if (managed.includes(key)) sink.error('FP-SPARK', at, value, 'fleetplane sets this key itself (from the job, its tenant and its resources).', 'drop it; set the matching option (executors, driver, executor, image) instead.');
    else if (key in REFUSED_CONF) sink.error('FP-SPARK', at, value, `this key cannot be changed: ${REFUSED_CONF[key]}.`, 'drop it.');
    if (typeof value !== 'string') sink.error('FP-SPARK', at, value, 'configuration values are strings.', `use "${String(value)}".`);
  }
}

/** Cores, heap, overhead and CPU limit of a driver or executor. */
function checkPod(sink: ProblemSink, role: 'driver' | 'executor', r: SparkPodResources | undefined): SparkPod {
  const cores = r?.cores;
  if (cores !== undefined && (!Number.isInteger(cores) || cores < 1)) sink.error('FP-SPARK', `${role}.cores`, cores, 'Spark cores are a whole number ≥ 1.', 'use e.g. 2.');
  const memory = r?.memory !== undefined ? parseQuantity(r.memory) : undefined;
  if (r?.memory !== undefined && !(memory !== undefined && memory >= 2 ** 20)) sink.error('FP-SPARK', `${role}.memory`, r.memory, 'the heap is a Kubernetes quantity of at least 1Mi.', 'use e.g. "4Gi".');
  const overhead = r?.memoryOverhead !== undefined ? parseQuantity(r.memoryOverhead) : undefined;
  if (r?.memoryOverhead !== undefined && !isQuantity(r.memoryOverhead)) sink.error('FP-SPARK', `${role}.memoryOverhead`, r.memoryOverhead, 'not a Kubernetes quantity.', 'use e.g. "512Mi".');
  const limit = r?.coresLimit !== undefined ? parseQuantity(r.coresLimit) : undefined;
  if (r?.coresLimit !== undefined && !(limit !== undefined && limit > 0)) sink.error('FP-SPARK', `${role}.coresLimit`, r.coresLimit, 'not a CPU quantity.', 'use e.g. "2" or "1500m".');
  else if (limit !== undefined && limit < (cores ?? 1)) sink.error('FP-SPARK', `${role}.coresLimit`, r!.coresLimit, `the CPU limit is below the ${cores ?? 1} cores requested; the API server would reject the pod.`, `use at least ${cores ?? 1}.`);
  // A refused limit is left out, so the quota checks do not report it a second time.
  const limitOk = limit !== undefined && limit > 0 && limit >= (cores ?? 1);
  return resolveSparkPod({ cores: Number.isInteger(cores) ? cores : undefined, coresLimit: limitOk ? r!.coresLimit : undefined, memory, memoryOverhead: overhead !== undefined && overhead >= 0 ? overhead : undefined });
}

/** The API server egress: real addresses and a port, never the whole Internet; required in a default-deny tenant. */
function checkKubeApi(sink: ProblemSink, api: KubeApiEgress | undefined, defaultDenyNetwork: boolean): void {
  if (!api) {
    if (defaultDenyNetwork) sink.error('FP-SPARK', 'kubeApi', undefined, 'the tenant denies egress by default, and spark-submit and the driver must reach the Kubernetes API server to create the driver and the executors.', 'declare the API server endpoints, e.g. kubeApi: { cidrs: ["10.0.0.10"], port: 6443 } (kubectl get endpointslices -l kubernetes.io/service-name=kubernetes).');
    return;
  }
  const cidrs = Array.isArray(api.cidrs) ? api.cidrs : [];
  if (cidrs.length === 0) sink.error('FP-SPARK', 'kubeApi.cidrs', api.cidrs, 'no API server address is declared.', 'list the API server endpoint addresses.');
  cidrs.forEach((c, i) => {
    const range = typeof c === 'string' ? parseCidr(c.includes('/') ? c : `${c}/32`) : undefined;
    if (!range) sink.error('FP-SPARK', `kubeApi.cidrs[${i}]`, c, 'not an IPv4 address or CIDR.', 'use e.g. "10.0.0.10" or "10.0.0.0/28".');
    else if (range[0] === 0 && range[1] === 2 ** 32 - 1) sink.error('FP-SPARK', `kubeApi.cidrs[${i}]`, c, 'this opens egress to every address, not to the API server.', 'list the API server endpoint addresses.');
  });
  if (!Number.isInteger(api.port) || api.port < 1 || api.port > 65535) sink.error('FP-SPARK', 'kubeApi.port', api.port, 'a port is 1-65535.', 'use the API server endpoints\' port, e.g. 6443.');
}
