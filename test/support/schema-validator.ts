/**
 * Strict schema validation of synthesized manifests against the vendored
 * upstream schemas in `../shared/crds` (outside this repo; never copied in).
 *
 * Sources:
 *  - Kubernetes built-ins: `<crds>/kubernetes/<version>/_definitions.json`
 *    (JSON Schema made by cdk8s from the upstream swagger).
 *  - CRDs: every `*.yaml` in `<crds>/<system>/` (apiextensions.k8s.io/v1).
 *  - Karmada aggregated APIs (`cluster.karmada.io` Cluster and
 *    `search.karmada.io` ResourceRegistry) are not CRDs; they come from
 *    `<crds>/karmada/openapi/swagger.json` (OpenAPI v2).
 *
 * "Strict" means unknown fields are errors. The upstream schemas never say
 * `additionalProperties: false` (the API server *prunes* unknown fields
 * silently, which is exactly the class of bug we want tests to catch), so
 * every object schema with `properties` is closed unless it is explicitly
 * open (`additionalProperties` or `x-kubernetes-preserve-unknown-fields`).
 *
 * Performance: the Kubernetes definitions are read once per validator; CRD
 * files are read eagerly but YAML-parsed lazily (the `yaml` package needs
 * ~2 s for all systems), and each kind's validator is compiled on first use
 * and cached. `SchemaValidator.load` also caches validators per process.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';

/** One problem found in one manifest object. */
export interface SchemaIssue {
  /** Which object, e.g. `apps/v1 Deployment shop/web`. */
  readonly object: string;
  /** JSON pointer into the object (ajv `instancePath`); `''` is the root. */
  readonly path: string;
  readonly message: string;
}

export interface SchemaValidatorOptions {
  /** Folder under `<crds>/kubernetes/`; default `v1.33.0` (`1.33` also accepted). */
  readonly kubernetesVersion?: string;
  /**
   * CRD folders under `<crds>/` to load, in priority order (the first copy
   * of a duplicated kind wins); default `['karmada']`.
   */
  readonly systems?: string[];
}

type Scope = 'Namespaced' | 'Cluster';

/** One known group/version/kind. */
interface KindEntry {
  readonly apiVersion: string;
  readonly kind: string;
  readonly scope: Scope;
  /** Where the schema came from (for error messages). */
  readonly source: string;
  /** Lower wins when two sources define the same kind. */
  readonly priority: number;
  /** Produces the (already transformed) schema to compile; called once. */
  readonly schema: () => any;
  validate?: ValidateFunction;
}

/** A CRD file read from disk but not yet YAML-parsed. */
interface PendingFile {
  readonly file: string;
  readonly system: string;
  readonly priority: number;
  text: string | undefined;
}

const K8S_DOC_ID = 'fleetplane-kubernetes-definitions.json';
const KARMADA_DOC_ID = 'fleetplane-karmada-swagger.json';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** Aggregated (non-CRD) Karmada API groups taken from the swagger; both kinds there are cluster-scoped. */
const KARMADA_SWAGGER_GROUPS = new Set(['cluster.karmada.io', 'search.karmada.io']);

/**
 * Cluster-scoped built-in kinds, keyed `<group>/<kind>` (core group is '').
 * _definitions.json carries no scope information, so this list is kept by hand.
 */
const CLUSTER_SCOPED_BUILTINS = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment',
  'storage.k8s.io/VolumeAttributesClass',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'scheduling.k8s.io/PriorityClass',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy',
  'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'apiregistration.k8s.io/APIService',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/ServiceCIDR',
  'networking.k8s.io/IPAddress',
  'node.k8s.io/RuntimeClass',
  'certificates.k8s.io/CertificateSigningRequest',
  'certificates.k8s.io/ClusterTrustBundle',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'resource.k8s.io/DeviceClass',
  'resource.k8s.io/ResourceSlice',
  'resource.k8s.io/DeviceTaintRule',
  'internal.apiserver.k8s.io/StorageVersion',
  'storagemigration.k8s.io/StorageVersionMigration',
]);

/** Schema keywords dropped by the transform: annotations ajv ignores anyway (less to compile/hold). */
const DROPPED_KEYWORDS = new Set(['description', 'example', 'externalDocs', 'default', 'nullable', 'readOnly', 'discriminator']);

// ---------------------------------------------------------------------------
// Schema transform (OpenAPI v2/v3 + Kubernetes extensions -> strict draft-07)
// ---------------------------------------------------------------------------

/** Collects `format` names seen, so each can be registered with ajv before compiling. */
interface TransformContext {
  readonly formats: Set<string>;
}

function mapValues(obj: any, fn: (v: any) => any): any {
  const out: any = {};
  for (const k of Object.keys(obj)) out[k] = fn(obj[k]);
  return out;
}

function asArray(v: any): any[] {
  return Array.isArray(v) ? v : [v];
}

/**
 * Returns a transformed deep copy of one schema node. It only recurses into
 * sub-schema positions, so property *names* (e.g. a property called `$ref` or
 * `x-foo` in JSONSchemaProps) are never mistaken for keywords.
 *
 * `inBranch` is true for allOf/anyOf/oneOf/not branches: those must not be
 * closed with additionalProperties:false, since a branch only sees its own
 * `properties` and would reject the sibling ones.
 */
function transformSchema(node: any, ctx: TransformContext, inBranch: boolean): any {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node; // boolean schema

  const out: any = {};
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (key.startsWith('x-') || DROPPED_KEYWORDS.has(key)) continue; // x-kubernetes-validations (CEL) etc. cannot be checked
    switch (key) {
      case 'properties':
      case 'patternProperties':
        out[key] = mapValues(value, (s) => transformSchema(s, ctx, false));
        break;
      case 'items':
        out[key] = Array.isArray(value) ? value.map((s) => transformSchema(s, ctx, false)) : transformSchema(value, ctx, false);
        break;
      case 'additionalProperties':
      case 'additionalItems':
        out[key] = transformSchema(value, ctx, false);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        out[key] = Array.isArray(value) ? value.map((s) => transformSchema(s, ctx, true)) : value;
        break;
      case 'not':
        out[key] = transformSchema(value, ctx, true);
        break;
      default:
        out[key] = value;
    }
  }

  // OpenAPI v3.0 boolean exclusiveMinimum/Maximum -> draft-07 numbers.
  for (const [excl, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof out[excl] === 'boolean') {
      if (out[excl] && typeof out[bound] === 'number') {
        out[excl] = out[bound];
        delete out[bound];
      } else {
        delete out[excl];
      }
    }
  }

  // IntOrString: CRDs say `x-kubernetes-int-or-string: true`, swagger v2 may say `format: int-or-string`.
  if (node['x-kubernetes-int-or-string'] === true || out.format === 'int-or-string') {
    delete out.type;
    if (out.format === 'int-or-string') delete out.format;
    if (out.anyOf === undefined && out.oneOf === undefined) out.type = ['integer', 'string'];
  }

  // anyOf/oneOf whose branches are bare `{type}` (IntOrString, Quantity, CRD int-or-string)
  // -> a type union: same meaning (the types are disjoint), much clearer errors.
  for (const comb of ['anyOf', 'oneOf']) {
    const branches = out[comb];
    if (
      out.type === undefined &&
      Array.isArray(branches) &&
      branches.length > 0 &&
      branches.every((b: any) => b && typeof b === 'object' && Object.keys(b).length === 1 && typeof b.type === 'string')
    ) {
      out.type = [...new Set(branches.map((b: any) => b.type))];
      if (out.type.length === 1) out.type = out.type[0];
      delete out[comb];
    }
  }

  // OpenAPI `nullable: true` (and swagger `x-nullable`) -> also accept null.
  if (node.nullable === true || node['x-nullable'] === true) {
    if (out.type !== undefined) out.type = [...new Set([...asArray(out.type), 'null'])];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    if (out.$ref !== undefined) return { anyOf: [{ type: 'null' }, out] };
  }

  if (typeof out.format === 'string') ctx.formats.add(out.format);

  // Strictness: close every object schema that lists properties and is not explicitly open.
  // Not for $ref nodes (the target is transformed itself; siblings here are annotations).
  if (
    !inBranch &&
    out.properties !== undefined &&
    out.additionalProperties === undefined &&
    out.$ref === undefined &&
    node['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    out.additionalProperties = false;
    // An embedded resource always accepts the TypeMeta/ObjectMeta fields.
    if (node['x-kubernetes-embedded-resource'] === true) {
      out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...out.properties };
    }
  }
  return out;
}

/** Transforms a whole `{definitions: {...}}` document (Kubernetes JSON Schema or swagger v2). */
function transformDefinitions(definitions: any, ctx: TransformContext): any {
  return { definitions: mapValues(definitions, (s) => transformSchema(s, ctx, false)) };
}

// ---------------------------------------------------------------------------
// ajv setup
// ---------------------------------------------------------------------------

/**
 * Regex engine for `pattern`: Go/RE2 patterns in CRDs may use `(?i)` (Volcano
 * CronJob, prometheus-operator), which JS rejects. We strip it and make the
 * whole regex case-insensitive (slightly more lenient than RE2). Patterns JS
 * cannot compile at all are treated as always-matching rather than crashing.
 */
const regExpEngine = Object.assign(
  (pattern: string, u: string): { test: (s: string) => boolean } => {
    let flags = u;
    let source = pattern;
    if (source.includes('(?i)')) {
      source = source.split('(?i)').join('');
      flags += 'i';
    }
    try {
      return new RegExp(source, flags);
    } catch {
      try {
        return new RegExp(source, flags.replace('u', ''));
      } catch {
        return { test: () => true };
      }
    }
  },
  { code: 'fleetplaneRegExp' }, // only used by ajv's standalone code generation, which we don't use
);

/** Formats Kubernetes actually enforces; every other format is accepted as-is. */
const KNOWN_FORMATS: Record<string, any> = {
  int32: { type: 'number', validate: (n: number) => !Number.isInteger(n) || (n >= -2147483648 && n <= 2147483647) },
  // []byte fields are standard base64 with padding (e.g. Secret.data).
  byte: { type: 'string', validate: (s: string) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s) },
  // metav1.Time is RFC 3339.
  'date-time': {
    type: 'string',
    validate: (s: string) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/.test(s),
  },
};

function newAjv(): Ajv {
  const ajv = new Ajv({
    strict: false, // schemas carry x-kubernetes-* and other non-JSON-Schema keywords
    allErrors: true,
    verbose: true, // errors carry data/parentSchema, used for friendlier oneOf messages
    logger: false, // no "unknown format ignored" warnings on stderr
    validateSchema: false, // upstream schemas are trusted; skipping meta-validation saves time
    code: { regExp: regExpEngine as any },
  });
  for (const [name, def] of Object.entries(KNOWN_FORMATS)) ajv.addFormat(name, def);
  return ajv;
}

// ---------------------------------------------------------------------------
// Error formatting
// ---------------------------------------------------------------------------

/** Names in `required` lists of oneOf branches shaped like Istio's "at most one of" pattern. */
function oneOfFieldNames(branches: any): string[] | undefined {
  if (!Array.isArray(branches)) return undefined;
  const names = new Set<string>();
  const collect = (s: any): boolean => {
    if (!s || typeof s !== 'object') return false;
    if (Array.isArray(s.required) && Object.keys(s).length === 1) {
      s.required.forEach((n: string) => names.add(n));
      return true;
    }
    if (s.not) return collect(s.not);
    if (Array.isArray(s.anyOf)) return s.anyOf.every(collect);
    return false;
  };
  return branches.every(collect) && names.size > 0 ? [...names] : undefined;
}

function errorMessage(e: ErrorObject): string {
  const p: any = e.params;
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown field "${p.additionalProperty}" (must NOT have additional properties)`;
    case 'enum': {
      const allowed: any[] = p.allowedValues ?? [];
      const shown = allowed.slice(0, 12).map((v) => JSON.stringify(v)).join(', ');
      return `must be one of: ${shown}${allowed.length > 12 ? ', ...' : ''} (got ${JSON.stringify(e.data)})`;
    }
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)} (got ${JSON.stringify(e.data)})`;
    case 'type':
      return `must be ${asArray(p.type).join(' or ')} (got ${e.data === null ? 'null' : Array.isArray(e.data) ? 'array' : typeof e.data})`;
    case 'oneOf': {
      const names = oneOfFieldNames(e.schema);
      if (names && e.data && typeof e.data === 'object') {
        const set = names.filter((n) => (e.data as any)[n] !== undefined);
        return `must set at most one of ${names.join(', ')} (set: ${set.join(', ') || 'none'})`;
      }
      return `${e.message} (matching branches: ${p.passingSchemas ? asArray(p.passingSchemas).join(', ') : 'none'})`;
    }
    default:
      return e.message ?? e.keyword;
  }
}

function toIssues(object: string, errors: ErrorObject[]): SchemaIssue[] {
  // With allErrors, a failing anyOf/oneOf also reports every branch's errors;
  // keep only the summary error to avoid walls of contradictory messages.
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const e of errors) {
    const isBranchError = combinators.some(
      (c) => c !== e && e.schemaPath.startsWith(c.schemaPath + '/') && e.instancePath.startsWith(c.instancePath),
    );
    if (isBranchError) continue;
    const issue = { object, path: e.instancePath, message: errorMessage(e) };
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

/** Renders issues one per line, handy for jest failure messages. */
export function formatIssues(issues: readonly SchemaIssue[]): string {
  return issues.map((i) => `${i.object}: ${i.path || '/'}: ${i.message}`).join('\n');
}

/** `apps/v1 Deployment shop/web` (namespace omitted when unset). */
function describeObject(obj: any): string {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return `<not an object: ${JSON.stringify(obj)}>`;
  const meta = obj.metadata && typeof obj.metadata === 'object' ? obj.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? `${meta.generateName}*` : '<unnamed>';
  const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? `${meta.namespace}/` : '';
  return `${String(obj.apiVersion ?? '<no apiVersion>')} ${String(obj.kind ?? '<no kind>')} ${ns}${name}`;
}

function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------
// SchemaValidator
// ---------------------------------------------------------------------------

const loadedValidators = new Map<string, SchemaValidator>();

export class SchemaValidator {
  /**
   * Loads (or returns the cached) validator for a Kubernetes version and set of CRD systems.
   * Throws when the schema folders are missing.
   */
  static load(options: SchemaValidatorOptions = {}): SchemaValidator {
    const crdsDir = process.env.FLEETPLANE_CRDS
      ? path.resolve(process.env.FLEETPLANE_CRDS)
      : path.resolve(__dirname, '../../../shared/crds');
    const version = normalizeKubernetesVersion(options.kubernetesVersion ?? 'v1.33.0');
    const systems = [...new Set(options.systems ?? ['karmada'])];
    const cacheKey = JSON.stringify([crdsDir, version, systems]);
    let validator = loadedValidators.get(cacheKey);
    if (!validator) {
      validator = new SchemaValidator(crdsDir, version, systems);
      loadedValidators.set(cacheKey, validator);
    }
    return validator;
  }

  private readonly ajv: Ajv;
  private readonly entries = new Map<string, KindEntry>();
  private readonly pending: PendingFile[] = [];
  private readonly formatsRegistered = new Set<string>(Object.keys(KNOWN_FORMATS));
  /** Duplicate kinds ignored because an earlier system already defined them (informational). */
  readonly ignoredDuplicates: string[] = [];

  private constructor(
    readonly crdsDir: string,
    readonly kubernetesVersion: string,
    readonly systems: readonly string[],
  ) {
    this.ajv = newAjv();
    this.loadKubernetes();
    systems.forEach((system, index) => this.loadSystem(system, index));
  }

  /**
   * Every known kind as `<apiVersion>/<kind>` (e.g. `apps/v1/Deployment`,
   * `v1/Pod`), sorted. Forces parsing of all CRD files.
   */
  get kinds(): string[] {
    this.parsePending(this.pending.slice());
    return [...this.entries.keys()].sort();
  }

  /** Validates one manifest object; returns [] when valid. */
  validate(obj: any): SchemaIssue[] {
    const object = describeObject(obj);
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      return [{ object, path: '', message: 'manifest must be a JSON object' }];
    }
    const { apiVersion, kind } = obj;
    if (typeof apiVersion !== 'string' || apiVersion === '' || typeof kind !== 'string' || kind === '') {
      return [{ object, path: '', message: 'manifest must have non-empty string apiVersion and kind' }];
    }

    const entry = this.lookup(apiVersion, kind);
    if (!entry) {
      const others = [...this.entries.values()].filter((e) => e.kind === kind).map((e) => e.apiVersion);
      const hint = others.length > 0 ? `; known apiVersions for ${kind}: ${others.join(', ')}` : '';
      return [
        {
          object,
          path: '',
          message: `no schema for ${apiVersion} ${kind} (kubernetes ${this.kubernetesVersion}, systems: ${this.systems.join(', ') || 'none'}${hint})`,
        },
      ];
    }

    const validate = this.compiled(entry);
    const issues = validate(obj) ? [] : toIssues(object, validate.errors ?? []);

    const namespace = obj.metadata?.namespace;
    if (entry.scope === 'Cluster' && namespace !== undefined && namespace !== null && namespace !== '') {
      issues.push({ object, path: '/metadata/namespace', message: `${kind} is cluster-scoped and must not set metadata.namespace` });
    }
    return issues;
  }

  validateAll(objs: any[]): SchemaIssue[] {
    const issues: SchemaIssue[] = [];
    for (const obj of objs) issues.push(...this.validate(obj));
    return issues;
  }

  // -- loading ---------------------------------------------------------------

  private register(entry: KindEntry): void {
    const key = kindKey(entry.apiVersion, entry.kind);
    const existing = this.entries.get(key);
    if (existing && existing.priority <= entry.priority) {
      if (existing.source !== entry.source) this.ignoredDuplicates.push(`${key} from ${entry.source} (using ${existing.source})`);
      return;
    }
    if (existing) this.ignoredDuplicates.push(`${key} from ${existing.source} (using ${entry.source})`);
    this.entries.set(key, entry);
  }

  private loadKubernetes(): void {
    const dir = path.join(this.crdsDir, 'kubernetes', this.kubernetesVersion);
    const file = path.join(dir, '_definitions.json');
    if (!fs.existsSync(file)) {
      const root = path.join(this.crdsDir, 'kubernetes');
      const available = fs.existsSync(root) ? fs.readdirSync(root).filter((f) => f.startsWith('v')) : [];
      throw new Error(`schema-validator: ${file} not found (crds dir ${this.crdsDir}; available: ${available.join(', ') || 'none'})`);
    }
    const definitions: any = JSON.parse(fs.readFileSync(file, 'utf8')).definitions;
    const ctx: TransformContext = { formats: new Set() };
    this.ajv.addSchema(transformDefinitions(definitions, ctx), K8S_DOC_ID);
    this.registerFormats(ctx);

    const source = `kubernetes/${this.kubernetesVersion}`;
    for (const [name, def] of Object.entries<any>(definitions)) {
      for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        this.register({
          apiVersion,
          kind: gvk.kind,
          scope: CLUSTER_SCOPED_BUILTINS.has(`${gvk.group ?? ''}/${gvk.kind}`) ? 'Cluster' : 'Namespaced',
          source,
          priority: -1, // built-ins always win
          schema: () => ({ $ref: `${K8S_DOC_ID}#/definitions/${name}` }),
        });
      }
    }
  }

  private loadSystem(system: string, systemIndex: number): void {
    const dir = path.join(this.crdsDir, system);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      const available = fs.readdirSync(this.crdsDir).filter((f) => fs.statSync(path.join(this.crdsDir, f)).isDirectory() && f !== 'kubernetes');
      throw new Error(`schema-validator: unknown system "${system}" (no folder ${dir}; available: ${available.join(', ')})`);
    }
    const base = systemIndex * 10000;
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
    files.forEach((f, i) => {
      const file = path.join(dir, f);
      this.pending.push({ file, system, priority: base + i, text: fs.readFileSync(file, 'utf8') });
    });
    if (system === 'karmada') this.loadKarmadaSwagger(path.join(dir, 'openapi', 'swagger.json'), base + 9999);
  }

  /** Karmada's aggregated APIs (not CRDs) from its OpenAPI v2 document. */
  private loadKarmadaSwagger(file: string, priority: number): void {
    if (!fs.existsSync(file)) return;
    const definitions: any = { ...JSON.parse(fs.readFileSync(file, 'utf8')).definitions };
    // In swagger v2 Quantity is declared `type: string`, but the API accepts numbers too.
    definitions[QUANTITY] = { type: ['string', 'number'] };
    definitions[INT_OR_STRING] = { type: ['integer', 'string'] };
    const ctx: TransformContext = { formats: new Set() };
    this.ajv.addSchema(transformDefinitions(definitions, ctx), KARMADA_DOC_ID);
    this.registerFormats(ctx);
    for (const [name, def] of Object.entries<any>(definitions)) {
      for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
        if (!KARMADA_SWAGGER_GROUPS.has(gvk.group) || gvk.kind.endsWith('List')) continue;
        this.register({
          apiVersion: `${gvk.group}/${gvk.version}`,
          kind: gvk.kind,
          scope: 'Cluster', // Cluster and ResourceRegistry are both +genclient:nonNamespaced
          source: 'karmada/openapi/swagger.json',
          priority,
          schema: () => ({ $ref: `${KARMADA_DOC_ID}#/definitions/${name}` }),
        });
      }
    }
  }

  /** YAML-parses the given pending CRD files (in priority order) and registers their kinds. */
  private parsePending(files: PendingFile[]): void {
    for (const p of files.sort((a, b) => a.priority - b.priority)) {
      if (p.text === undefined) continue;
      const text = p.text;
      p.text = undefined;
      this.pending.splice(this.pending.indexOf(p), 1);
      let crd: any;
      try {
        crd = parseYaml(text);
      } catch (e) {
        throw new Error(`schema-validator: cannot parse ${p.file}: ${(e as Error).message}`);
      }
      this.registerCrd(crd, p);
    }
  }

  private registerCrd(crd: any, p: PendingFile): void {
    const source = path.relative(this.crdsDir, p.file);
    if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec?.names?.kind || !crd.spec.group) {
      throw new Error(`schema-validator: ${source} is not a CustomResourceDefinition`);
    }
    const { group, names, scope } = crd.spec;
    for (const version of crd.spec.versions ?? []) {
      const openAPIV3Schema = version.schema?.openAPIV3Schema;
      if (!openAPIV3Schema || version.served === false) continue;
      const apiVersion = `${group}/${version.name}`;
      this.register({
        apiVersion,
        kind: names.kind,
        scope: scope === 'Cluster' ? 'Cluster' : 'Namespaced',
        source,
        priority: p.priority,
        schema: () => this.crdSchema(openAPIV3Schema, apiVersion, names.kind),
      });
    }
  }

  /** Transformed CRD root schema; the root always admits TypeMeta and a strictly checked ObjectMeta. */
  private crdSchema(openAPIV3Schema: any, apiVersion: string, kind: string): any {
    const ctx: TransformContext = { formats: new Set() };
    const root = transformSchema(openAPIV3Schema, ctx, false);
    this.registerFormats(ctx);
    root.type = 'object';
    root.properties = {
      ...(root.properties ?? {}),
      apiVersion: { type: 'string', const: apiVersion },
      kind: { type: 'string', const: kind },
      metadata: { $ref: `${K8S_DOC_ID}#/definitions/${OBJECT_META}` },
    };
    if (root.additionalProperties === undefined && openAPIV3Schema['x-kubernetes-preserve-unknown-fields'] !== true) {
      root.additionalProperties = false;
    }
    return root;
  }

  /** Unknown formats become always-valid so they never make ajv throw or warn. */
  private registerFormats(ctx: TransformContext): void {
    for (const f of ctx.formats) {
      if (this.formatsRegistered.has(f)) continue;
      this.formatsRegistered.add(f);
      this.ajv.addFormat(f, true);
    }
  }

  /**
   * Finds the entry for apiVersion/kind. CRD files are parsed lazily: first
   * those whose text mentions `kind: <Kind>`, then (if still unknown) all.
   */
  private lookup(apiVersion: string, kind: string): KindEntry | undefined {
    const key = kindKey(apiVersion, kind);
    const found = this.entries.get(key);
    if (found || this.pending.length === 0) return found;
    const mention = new RegExp(`^\\s*(?:-\\s+)?kind:\\s*["']?${escapeRegExp(kind)}["']?\\s*$`, 'm');
    this.parsePending(this.pending.filter((p) => p.text !== undefined && mention.test(p.text)));
    if (!this.entries.has(key)) this.parsePending(this.pending.slice());
    return this.entries.get(key);
  }

  private compiled(entry: KindEntry): ValidateFunction {
    if (!entry.validate) {
      try {
        entry.validate = this.ajv.compile(entry.schema());
      } catch (e) {
        throw new Error(`schema-validator: cannot compile schema for ${entry.apiVersion} ${entry.kind} from ${entry.source}: ${(e as Error).message}`);
      }
    }
    return entry.validate;
  }
}

/** `1.33` / `1.33.0` / `v1.33.0` -> `v1.33.0` (folder name). */
function normalizeKubernetesVersion(v: string): string {
  let out = v.startsWith('v') ? v : `v${v}`;
  if (/^v\d+\.\d+$/.test(out)) out += '.0';
  return out;
}
