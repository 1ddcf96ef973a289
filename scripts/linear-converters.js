#!/usr/bin/env node
// Rewrites the undefined-filter of cdk8s' generated `toJson_*` converters into a loop (see import-crds.sh).
// Fails if a file holds no converter, so a change in the generator's output is noticed.
const fs = require('fs');

const REDUCE = 'return Object.entries(result).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {});';
const LOOP = 'const out: { [key: string]: any } = {};\n  for (const k in result) if ((result as any)[k] !== undefined) out[k] = (result as any)[k];\n  return out;';

for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  const parts = text.split(REDUCE);
  if (parts.length === 1) throw new Error(`${file}: no generated converter found; has cdk8s import changed its output?`);
  fs.writeFileSync(file, parts.join(LOOP));
}
