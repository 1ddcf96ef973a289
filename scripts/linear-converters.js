#!/usr/bin/env node
// Rewrites the undefined-filters of cdk8s' generated `toJson_*` converters as loops (see import-crds.sh): the
// generator rebuilds each object once per key with reduce and spread. Same keys, same order, same values.
// Fails if a file holds no converter, so a change in the generator's output is noticed.
const fs = require('fs');

/** The filter at the end of every converter. */
const OBJECT_FILTER = 'return Object.entries(result).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {});';
const OBJECT_LOOP = 'const out: { [key: string]: any } = {};\n  for (const k of Object.keys(result)) if ((result as any)[k] !== undefined) out[k] = (result as any)[k];\n  return out;';
/** The conversion of map-typed fields (labels, annotations, quantities by name): `Object.entries(m).reduce(...)`. */
const MAP_REDUCE = /Object\.entries\(([A-Za-z0-9_.?]+)\)\.reduce\(\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: (.+?) \}\), \{\}\)/g;
const MAP_HELPER = [
  '',
  '/** The defined entries of a map, each value converted (inserted by scripts/linear-converters.js). */',
  'function convertMap(m: { [key: string]: any }, convert: (v: any) => any): { [key: string]: any } {',
  '  const out: { [key: string]: any } = {};',
  '  for (const k of Object.keys(m)) if (m[k] !== undefined) out[k] = convert(m[k]);',
  '  return out;',
  '}',
  '',
].join('\n');

for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  const parts = text.split(OBJECT_FILTER);
  if (parts.length === 1) throw new Error(`${file}: no generated converter found; has cdk8s import changed its output?`);
  let out = parts.join(OBJECT_LOOP);
  let maps = 0;
  out = out.replace(MAP_REDUCE, (_, map, value) => {
    maps++;
    return `convertMap(${map}, (v) => ${value.split('i[1]').join('v').split('(y => ').join('((y: any) => ')})`;
  });
  if (out.includes('.reduce((r, i)')) throw new Error(`${file}: a generated reduce was left; extend scripts/linear-converters.js.`);
  if (maps > 0) {
    // After the imports at the top of the module.
    const at = out.indexOf('\n\n', out.lastIndexOf("\nimport "));
    out = out.slice(0, at + 1) + MAP_HELPER + out.slice(at + 1);
  }
  fs.writeFileSync(file, out);
}
