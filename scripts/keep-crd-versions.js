#!/usr/bin/env node
// Reads CRD YAML documents on stdin and keeps only the named versions (e.g. `v1`), so generated bindings
// contain the API version fleetplane emits and not every served alias.
'use strict';
const YAML = require('yaml');
const args = process.argv.slice(2);
// --first: keep only the first listed version each CRD serves (one version per kind).
const first = args[0] === '--first';
const keep = first ? args.slice(1) : args;
const input = require('fs').readFileSync(0, 'utf8');
const docs = YAML.parseAllDocuments(input).map((d) => d.toJSON()).filter((d) => d && d.kind === 'CustomResourceDefinition');
for (const crd of docs) {
  crd.spec.versions = crd.spec.versions.filter((v) => keep.includes(v.name));
  if (first) crd.spec.versions = crd.spec.versions.filter((v) => v.name === keep.find((k) => crd.spec.versions.some((x) => x.name === k)));
  if (crd.spec.versions.length === 0) throw new Error(`${crd.metadata.name}: none of ${keep.join(', ')} is served`);
  crd.spec.versions.forEach((v, i) => (v.storage = i === 0));
  process.stdout.write(`---\n${YAML.stringify(crd)}`);
}
