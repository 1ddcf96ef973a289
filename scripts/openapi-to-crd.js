#!/usr/bin/env node
// Wraps one OpenAPI v2 definition (with its $refs inlined) into a transient CustomResourceDefinition
// document, so `cdk8s import` can generate typed bindings for aggregated APIs such as Karmada's Cluster.
'use strict';
const fs = require('fs');
const [file, definition, group, version, kind, plural, scopeKind] = process.argv.slice(2);
const swagger = JSON.parse(fs.readFileSync(file, 'utf8'));
const defs = swagger.definitions;

function inline(schema, seen) {
  if (Array.isArray(schema)) return schema.map((s) => inline(s, seen));
  if (!schema || typeof schema !== 'object') return schema;
  if (schema.$ref) {
    const name = schema.$ref.replace('#/definitions/', '');
    // ObjectMeta and recursive types are left open: cdk8s supplies metadata itself.
    if (seen.has(name) || name.endsWith('.ObjectMeta')) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    return inline(defs[name], new Set([...seen, name]));
  }
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k.startsWith('x-kubernetes-') && k !== 'x-kubernetes-int-or-string' && k !== 'x-kubernetes-preserve-unknown-fields') continue;
    if (k === 'format' && v === 'int-or-string') { out['x-kubernetes-int-or-string'] = true; continue; }
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, inline(s, seen)])) : inline(v, seen);
  }
  return out;
}

const root = inline(defs[definition], new Set([definition]));
const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
    scope: scopeKind === 'Cluster' ? 'Cluster' : 'Namespaced',
    versions: [{ name: version, served: true, storage: true, schema: { openAPIV3Schema: root } }],
  },
};
process.stdout.write(JSON.stringify(crd, null, 2) + '\n');
