// What the OpenTelemetry collector refuses at start-up, checked on a generated configuration: component ids of
// known types, pipelines whose receivers, processors and exporters are all defined, connectors used on both
// sides, no component left unused, routing tables that name real pipelines, and filelog operators the stanza
// library builds (known types, unique ids, required fields, RE2 regexes with named groups).
import { namedGroups, re2Problem } from '../../core/re2';

/** Component types fleetplane's configurations may use, by section (all in otelcol-contrib and otelcol-k8s). */
const KNOWN: Record<string, string[]> = {
  receivers: ['otlp', 'filelog'],
  processors: ['memory_limiter', 'batch', 'k8sattributes', 'resource'],
  exporters: ['otlp', 'otlphttp', 'nop'],
  connectors: ['routing'],
  extensions: [],
};
const SIGNALS = ['traces', 'metrics', 'logs'];
const OPERATORS = ['container', 'filter', 'recombine', 'json_parser', 'regex_parser'];
const ON_ERROR = ['send', 'send_quiet', 'drop', 'drop_quiet'];

function typeOf(id: string): string {
  return id.split('/')[0];
}

/** Every problem the collector would report for this configuration (empty when it starts). */
export function collectorConfigProblems(config: any): string[] {
  const problems: string[] = [];
  for (const section of ['receivers', 'exporters']) {
    if (!config?.[section] || !Object.keys(config[section]).length) problems.push(`${section}: at least one is required`);
  }
  const pipelines: Record<string, any> = config?.service?.pipelines ?? {};
  if (!Object.keys(pipelines).length) problems.push('service.pipelines: at least one is required');
  for (const section of Object.keys(KNOWN)) {
    for (const id of Object.keys(config?.[section] ?? {})) {
      if (!/^[a-z][a-z0-9_]*(\/[^\s/]+)?$/.test(id)) problems.push(`${section}.${id}: invalid component id`);
      if (!KNOWN[section].includes(typeOf(id))) problems.push(`${section}.${id}: unknown type "${typeOf(id)}"`);
    }
  }
  const used = { receivers: new Set<string>(), processors: new Set<string>(), exporters: new Set<string>(), asReceiver: new Set<string>(), asExporter: new Set<string>() };
  for (const [name, p] of Object.entries(pipelines)) {
    if (!SIGNALS.includes(typeOf(name))) problems.push(`service.pipelines.${name}: unknown signal`);
    if (!p?.receivers?.length) problems.push(`service.pipelines.${name}: must have at least one receiver`);
    if (!p?.exporters?.length) problems.push(`service.pipelines.${name}: must have at least one exporter`);
    for (const r of p?.receivers ?? []) {
      if (config.connectors?.[r]) used.asReceiver.add(r);
      else if (config.receivers?.[r]) used.receivers.add(r);
      else problems.push(`service.pipelines.${name}: references receiver "${r}" which is not configured`);
    }
    for (const x of p?.processors ?? []) {
      if (config.processors?.[x]) used.processors.add(x);
      else problems.push(`service.pipelines.${name}: references processor "${x}" which is not configured`);
    }
    if (new Set(p?.processors ?? []).size !== (p?.processors ?? []).length) problems.push(`service.pipelines.${name}: a processor is listed twice`);
    for (const e of p?.exporters ?? []) {
      if (config.connectors?.[e]) used.asExporter.add(e);
      else if (config.exporters?.[e]) used.exporters.add(e);
      else problems.push(`service.pipelines.${name}: references exporter "${e}" which is not configured`);
    }
  }
  for (const section of ['receivers', 'processors', 'exporters'] as const) {
    for (const id of Object.keys(config?.[section] ?? {})) if (!used[section].has(id)) problems.push(`${section}.${id}: configured but used in no pipeline`);
  }
  for (const [id, c] of Object.entries<any>(config?.connectors ?? {})) {
    if (!used.asExporter.has(id)) problems.push(`connectors.${id}: not used as an exporter in any pipeline`);
    if (!used.asReceiver.has(id)) problems.push(`connectors.${id}: not used as a receiver in any pipeline`);
    if (typeOf(id) === 'routing') problems.push(...routingProblems(id, c, pipelines));
  }
  for (const [id, r] of Object.entries<any>(config?.receivers ?? {})) {
    if (typeOf(id) === 'filelog') problems.push(...filelogProblems(id, r));
  }
  return problems;
}

/** A routing connector's table: conditions, and pipelines that exist and receive from it. */
function routingProblems(id: string, c: any, pipelines: Record<string, any>): string[] {
  const problems: string[] = [];
  if (!Array.isArray(c?.table) || !c.table.length) problems.push(`connectors.${id}.table: required`);
  for (const [i, route] of (c?.table ?? []).entries()) {
    if (!route.condition && !route.statement) problems.push(`connectors.${id}.table[${i}]: a condition or statement is required`);
    for (const p of [...(route.pipelines ?? []), ...(c.default_pipelines ?? [])]) {
      if (!pipelines[p]) problems.push(`connectors.${id}.table[${i}]: pipeline "${p}" does not exist`);
      else if (!pipelines[p].receivers?.includes(id)) problems.push(`connectors.${id}.table[${i}]: pipeline "${p}" does not receive from ${id}`);
    }
  }
  return problems;
}

/** The RE2 patterns inside `matches "..."` of an expression. */
function expressionPatterns(expr: string): string[] {
  return [...expr.matchAll(/matches ("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]) as string);
}

/** A filelog receiver: files, and operators stanza builds. */
function filelogProblems(id: string, r: any): string[] {
  const problems: string[] = [];
  const at = `receivers.${id}`;
  if (!Array.isArray(r?.include) || !r.include.length) problems.push(`${at}.include: required`);
  for (const f of r?.include ?? []) if (!String(f).startsWith('/')) problems.push(`${at}.include: "${f}" is not absolute`);
  const ops: any[] = r?.operators ?? [];
  const ids = ops.map((o, i) => o.id ?? o.type ?? `#${i}`);
  if (new Set(ids).size !== ids.length) problems.push(`${at}.operators: operator ids are not unique`);
  for (const [i, op] of ops.entries()) {
    const where = `${at}.operators[${i}]`;
    if (!OPERATORS.includes(op.type)) problems.push(`${where}: unknown operator type "${op.type}"`);
    if (op.on_error !== undefined && !ON_ERROR.includes(op.on_error)) problems.push(`${where}.on_error: "${op.on_error}"`);
    if (op.type === 'container' && op.add_metadata_from_filepath !== false && r.include_file_path !== true) problems.push(`${where}: the container parser reads metadata from log.file.path, which needs include_file_path: true`);
    if (op.type === 'filter' && !op.expr) problems.push(`${where}.expr: required`);
    if (op.type === 'recombine' && (!op.combine_field || (!op.is_first_entry && !op.is_last_entry))) problems.push(`${where}: combine_field and is_first_entry or is_last_entry are required`);
    if (op.type === 'regex_parser') {
      const p = re2Problem(op.regex);
      if (p) problems.push(`${where}.regex: ${p}`);
      else if (!namedGroups(op.regex).length) problems.push(`${where}.regex: no named capture group`);
    }
    for (const expr of [op.expr, op.is_first_entry, op.is_last_entry].filter((e) => typeof e === 'string')) {
      for (const pattern of expressionPatterns(expr)) {
        const p = re2Problem(pattern);
        if (p) problems.push(`${where}: ${JSON.stringify(pattern)}: ${p}`);
      }
    }
  }
  return problems;
}
