import jsyaml from 'js-yaml';

/**
 * Plain scalars that a YAML 1.1 reader (kubectl's, PyYAML, Go's yaml.v2) resolves to something other than a
 * string, beyond what js-yaml's YAML 1.2 schema already quotes: integers and floats with `_` separators,
 * binary, old-style octal, sexagesimal (`1:20`), and the other 1.1 spellings of numbers, booleans and null.
 */
const YAML11_NON_STRINGS = [
  /^[-+]?0b[0-1_]+$/, // binary
  /^[-+]?0o?[0-7_]+$/, // octal, 1.1 and Go style
  /^[-+]?[0-9][0-9_]*$/, // decimal with separators (and leading zeros, which Go reads as a float)
  /^[-+]?0x[0-9a-fA-F_]+$/, // hex
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+$/, // sexagesimal int
  /^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?$/, // floats with separators; the 1.1 regex even matches "."
  /^[-+]?([0-9][0-9_]*)?(\.[0-9_]*)?[eE][-+]?[0-9]+$/, // exponents, with or without a dot or leading digits
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*$/, // sexagesimal float
  /^[-+]?\.(inf|Inf|INF)$/,
  /^\.(nan|NaN|NAN)$/,
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(~|null|Null|NULL)$/,
  /^(<<|=)$/, // merge and value keys
];

/** The patterns above as one regex (each is anchored at both ends), so a string is tested once, not 13 times. */
const YAML11_NON_STRING = new RegExp(YAML11_NON_STRINGS.map((re) => `(?:${re.source})`).join('|'));

/** Whether a string must be quoted for YAML 1.1 readers to read it back as the same string. */
export function isYaml11Ambiguous(s: string): boolean {
  return YAML11_NON_STRING.test(s);
}

/**
 * js-yaml quotes a string when an implicit type of the dump schema would resolve it. This type resolves every
 * YAML 1.1 non-string, so those strings are quoted; it never represents a value (its class is never used).
 */
class Yaml11Marker {}

const YAML11_SCHEMA = jsyaml.DEFAULT_SCHEMA.extend({
  implicit: [
    new jsyaml.Type('tag:fleetplane.io,2026:yaml11', {
      kind: 'scalar',
      resolve: (data: unknown) => typeof data === 'string' && isYaml11Ambiguous(data),
      construct: (data: unknown) => data,
      instanceOf: Yaml11Marker,
    }),
  ],
});

/**
 * Serializes manifests as YAML documents: block style, keys in the order given, and strings quoted wherever a
 * YAML 1.1 reader (kubectl) would otherwise read a number, boolean or null.
 */
export function toYaml(objects: readonly unknown[]): string {
  return objects
    .map((o) => jsyaml.dump(o, { noRefs: true, lineWidth: -1, sortKeys: false, quotingType: '"', schema: YAML11_SCHEMA }))
    .join('---\n');
}
