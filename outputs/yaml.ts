import jsyaml from 'js-yaml';
import { ImplicitResolver, writeYamlDocument } from './yaml-writer';

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

/** js-yaml's options for manifests: block style, keys in the order given, double quotes, no anchors. */
const DUMP_OPTIONS: jsyaml.DumpOptions = { noRefs: true, lineWidth: -1, sortKeys: false, quotingType: '"', schema: YAML11_SCHEMA };

/**
 * The implicit types js-yaml tests a plain scalar against when dumping with YAML11_SCHEMA (in its order). js-yaml
 * 4 keeps them in `compiledImplicit`, which is not public API: a js-yaml without it (say, a user's project that
 * resolves another major version) fails here, at load, with what to install, not with a TypeError mid-synth.
 */
const IMPLICIT_TYPES: readonly jsyaml.Type[] = implicitTypesOf(YAML11_SCHEMA);

function implicitTypesOf(schema: jsyaml.Schema): readonly jsyaml.Type[] {
  const types = (schema as unknown as { compiledImplicit?: unknown }).compiledImplicit;
  if (!Array.isArray(types)) {
    throw new Error('fleetplane: the js-yaml it loaded has no compiled implicit types; fleetplane needs js-yaml 4.x (npm install js-yaml@^4.1.0).');
  }
  return types as jsyaml.Type[];
}

/**
 * Strings starting with an ASCII letter that an implicit type of the schema resolves, apart from exponents:
 * the null and boolean spellings of YAML 1.2 and 1.1. The other implicit types (numbers, timestamps, merge keys,
 * `~`, `=`) only match strings that start with a digit, sign, dot or symbol, or, for YAML 1.1 floats such as
 * `e3`, with `e` or `E`; any other letter-led string is tested against this set alone, which is the common case
 * for names, labels and images.
 */
const LETTER_LED_NON_STRINGS = new Set([
  'null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'y', 'Y', 'yes', 'Yes', 'YES',
  'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF',
]);

/** Whether YAML11_SCHEMA resolves a plain scalar to something other than a string (js-yaml's testImplicitResolving). */
const resolvesToNonString: ImplicitResolver = (s) => {
  const c = s.charCodeAt(0) | 0x20; // ASCII letters to lower case
  if (c >= 0x61 && c <= 0x7a && c !== 0x65) return s.length <= 5 && LETTER_LED_NON_STRINGS.has(s);
  for (const type of IMPLICIT_TYPES) if (type.resolve(s)) return true;
  return false;
};

/**
 * One manifest as a YAML document (ending with a line break, no `---`), byte for byte what js-yaml writes with
 * YAML11_SCHEMA, by the emitter of yaml-writer.ts. Values other than JSON data (a Date, a boxed primitive, a
 * typed array, a function) never come out of a chart; if one does, js-yaml itself writes that document.
 */
export function toYamlDocument(object: unknown): string {
  return writeYamlDocument(object, resolvesToNonString) ?? jsyaml.dump(object, DUMP_OPTIONS);
}

/**
 * Serializes manifests as YAML documents: block style, keys in the order given, and strings quoted wherever a
 * YAML 1.1 reader (kubectl) would otherwise read a number, boolean or null.
 */
export function toYaml(objects: readonly unknown[]): string {
  return objects.map(toYamlDocument).join('---\n');
}
