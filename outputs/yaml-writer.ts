/**
 * A YAML emitter for JSON-shaped manifests whose output is byte for byte what js-yaml's `dump` writes with the
 * options the manifests are written with (block style, indent 2, `lineWidth: -1`, `quotingType: '"'`,
 * `noRefs: true`, keys in insertion order, compat mode on), for the schema whose implicit resolvers are given.
 *
 * It is a port of js-yaml's dumper (lib/dumper.js: writeNode, writeBlockMapping, writeBlockSequence, writeScalar,
 * chooseScalarStyle, escapeString) reduced to those options, and it is several times faster: one string is built
 * for the whole document, values are dispatched on `typeof` instead of walking the schema's types, and strings
 * made of printable ASCII are classified in a single pass (the slow, code-point by code-point path only runs
 * for the rest). Anything that is not plain JSON data (Dates, boxed primitives, typed arrays, functions, symbols,
 * bigints) is reported as exotic so that the caller can hand that document to js-yaml itself.
 */

/** Whether an implicit type of the dump schema resolves a plain scalar (js-yaml's `testImplicitResolving`). */
export type ImplicitResolver = (s: string) => boolean;

const toTag = Object.prototype.toString;

/** js-yaml's ESCAPE_SEQUENCES: the short escapes of double-quoted scalars. */
const ESCAPES: Readonly<Record<number, string>> = {
  0x00: '\\0', 0x07: '\\a', 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r', 0x1b: '\\e',
  0x22: '\\"', 0x5c: '\\\\', 0x85: '\\N', 0xa0: '\\_', 0x2028: '\\L', 0x2029: '\\P',
};

/** Compat mode (js-yaml's default): YAML 1.1 booleans and base-60 numbers are double-quoted as they are. */
const DEPRECATED_BOOLEANS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const DEPRECATED_BASE60 = /^[-+]?[0-9_]+(?::[0-9_]+)+(?:\.[0-9_]*)?$/;

/** JS writes `5e-100`; a YAML float needs the dot (`5.e-100`). */
const SCIENTIFIC_WITHOUT_DOT = /^[-+]?[0-9]+e/;

/**
 * Printable ASCII characters that may start a plain scalar (js-yaml's isPlainSafeFirst): everything but space
 * and the indicators `- ? : , [ ] { } # & * ! | = > ' " % @` and backtick.
 */
const PLAIN_FIRST = new Uint8Array(128);
for (let c = 0x21; c <= 0x7e; c++) PLAIN_FIRST[c] = '-?:,[]{}#&*!|=>\'"%@`'.includes(String.fromCharCode(c)) ? 0 : 1;

const SPACE = 0x20;
const COLON = 0x3a;
const SHARP = 0x23;
const LF = 0x0a;

/** js-yaml's isPrintable: nb-char minus tab, NEL, NBSP, U+2028/2029 and the BOM. */
function isPrintable(c: number): boolean {
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa1 && c <= 0xd7ff && c !== 0x2028 && c !== 0x2029)
    || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) || (c >= 0x10000 && c <= 0x10ffff);
}

function isPlainSafeFirst(c: number): boolean {
  return c < 0x80 ? PLAIN_FIRST[c] === 1 : isPrintable(c);
}

/** js-yaml's isPlainSafe in block context, for a printable `c` (anything else has already chosen double quotes). */
function isPlainSafe(c: number, prev: number): boolean {
  const nsOrWhite = isPrintable(c) && c !== 0xfeff && c !== 0x0d && c !== LF;
  const ns = nsOrWhite && c !== SPACE && c !== 0x09;
  const prevNs = isPrintable(prev) && prev !== 0xfeff && prev !== 0x0d && prev !== LF && prev !== SPACE && prev !== 0x09;
  return (nsOrWhite && c !== SHARP && !(prev === COLON && !ns)) || (prevNs && c === SHARP) || (prev === COLON && ns);
}

function isQuotedByCompat(s: string): boolean {
  if (s.length <= 3 && DEPRECATED_BOOLEANS.has(s)) return true;
  const c = s.charCodeAt(0); // base 60 starts with a sign, digit or underscore, and has a colon
  return (c === 0x2b || c === 0x2d || c === 0x5f || (c >= 0x30 && c <= 0x39)) && s.includes(':') && DEPRECATED_BASE60.test(s);
}

const enum Style { PLAIN, LITERAL, DOUBLE }

/** js-yaml's chooseScalarStyle with lineWidth -1 (never folded) and double quotes; `s` is not empty. */
function chooseStyle(s: string, singleLine: boolean, resolves: ImplicitResolver): Style {
  const last = s.codePointAt(s.length - 1)!;
  let plain = isPlainSafeFirst(s.codePointAt(0)!) && last !== SPACE && last !== 0x09 && last !== COLON;
  let lineBreak = false;
  let prev = -1;
  for (let i = 0; i < s.length; prev >= 0x10000 ? (i += 2) : i++) {
    const c = s.codePointAt(i)!;
    if (c === LF && !singleLine) lineBreak = true;
    else if (!isPrintable(c)) return Style.DOUBLE;
    plain = plain && isPlainSafe(c, prev);
    prev = c;
  }
  if (lineBreak) return Style.LITERAL;
  return plain && !resolves(s) ? Style.PLAIN : Style.DOUBLE;
}

/** js-yaml's escapeString (the body of a double-quoted scalar). */
function escapeString(s: string): string {
  let out = '';
  let run = 0; // start of the pending run of characters copied as they are
  for (let i = 0; i < s.length;) {
    const c = s.codePointAt(i)!;
    const width = c >= 0x10000 ? 2 : 1;
    const esc = ESCAPES[c];
    if (esc !== undefined || !isPrintable(c)) {
      out += s.slice(run, i) + (esc ?? encodeHex(c));
      run = i + width;
    }
    i += width;
  }
  return run === 0 ? s : out + s.slice(run);
}

function encodeHex(c: number): string {
  const hex = c.toString(16).toUpperCase();
  if (c <= 0xff) return '\\x' + hex.padStart(2, '0');
  if (c <= 0xffff) return '\\u' + hex.padStart(4, '0');
  return '\\U' + hex.padStart(8, '0');
}

/** Printable ASCII and line feeds only: a string with a line break is then a literal block, whatever it holds. */
const ASCII_LINES = /^[\x20-\x7e\n]*$/;

/**
 * js-yaml's literal block scalar: header (indentation indicator, chomping), then every line that is not empty
 * indented (js-yaml's indentString), without the last line break (the writer adds its own).
 */
function literal(s: string, indent: number): string {
  const indicator = /^\n* /.test(s) ? '2' : '';
  const clip = s[s.length - 1] === '\n';
  const keep = clip && (s[s.length - 2] === '\n' || s === '\n');
  const body = s.replace(/^(?!$)/gm, ' '.repeat(indent)); // only \n breaks lines here: \r, U+2028 and U+2029 are escaped
  return '|' + indicator + (keep ? '+' : clip ? '' : '-') + '\n' + (clip ? body.slice(0, -1) : body);
}

/** js-yaml's writeScalar for any string (the general path). */
function scalarSlow(s: string, level: number, isKey: boolean, resolves: ImplicitResolver): string {
  if (s.length === 0) return '""';
  if (isQuotedByCompat(s)) return '"' + s + '"';
  if (!isKey && s.includes('\n') && ASCII_LINES.test(s)) return literal(s, 2 * Math.max(1, level));
  switch (chooseStyle(s, isKey, resolves)) {
    case Style.PLAIN: return s;
    case Style.LITERAL: return literal(s, 2 * Math.max(1, level));
    default: return '"' + escapeString(s) + '"';
  }
}

/**
 * A scalar as js-yaml writes it. Fast path: printable ASCII that starts with a plain-safe character, has no
 * ` #` or `: ` and does not end with a space or colon is plain unless the schema (or compat mode) resolves it.
 */
export function scalar(s: string, level: number, isKey: boolean, resolves: ImplicitResolver): string {
  const n = s.length;
  if (n === 0) return '""';
  let prev = s.charCodeAt(0);
  if (prev >= 0x80 || PLAIN_FIRST[prev] === 0) return scalarSlow(s, level, isKey, resolves);
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || (c === SHARP && prev === SPACE) || (c === SPACE && prev === COLON)) return scalarSlow(s, level, isKey, resolves);
    prev = c;
  }
  if (prev === SPACE || prev === COLON) return '"' + escapeString(s) + '"';
  return isQuotedByCompat(s) || resolves(s) ? '"' + escapeString(s) + '"' : s;
}

/** js-yaml's representation of a number: the int type's decimal, else the float type's lowercase style. */
export function number(v: number): string {
  if (v % 1 === 0 && !Object.is(v, -0)) return String(v);
  if (Number.isNaN(v)) return '.nan';
  if (v === Infinity) return '.inf';
  if (v === -Infinity) return '-.inf';
  if (v === 0) return '-0.0';
  const s = String(v);
  return SCIENTIFIC_WITHOUT_DOT.test(s) ? s.replace('e', '.e') : s;
}

/** Indentation strings: `breaks[level]` is a line break and `2 * level` spaces. */
const breaks: string[] = ['\n'];
function lineBreak(level: number): string {
  while (breaks.length <= level) breaks.push(breaks[breaks.length - 1] + '  ');
  return breaks[level];
}

/**
 * One document. Each node is written after a lead chosen by its parent: `lead` before a value on the same line
 * (`': '`, `'- '`), `leadBreak` before a collection that starts on the next line (`':'`).
 */
class DocumentWriter {
  /** The document's pieces, joined once at the end (one flat string, not a deep rope of concatenations). */
  public readonly parts: string[] = [];
  public exotic = false;

  constructor(private readonly resolves: ImplicitResolver) {}

  public node(v: unknown, level: number, compact: boolean, lead: string, leadBreak: string): void {
    switch (typeof v) {
      case 'string':
        this.parts.push(lead, scalar(v, level, false, this.resolves));
        return;
      case 'number':
        this.parts.push(lead, number(v));
        return;
      case 'boolean':
        this.parts.push(lead, (v ? 'true' : 'false'));
        return;
      case 'object':
        if (v === null) this.parts.push(lead, 'null');
        else this.collection(v, level, compact, lead, leadBreak);
        return;
      default:
        this.exotic = true; // functions, symbols, bigints (js-yaml throws on them); undefined is handled by the caller
    }
  }

  private collection(v: object, level: number, compact: boolean, lead: string, leadBreak: string): void {
    const tag = toTag.call(v);
    if (tag === '[object Array]') this.sequence(v as unknown[], level, compact, lead, leadBreak);
    else if (tag === '[object Object]') this.mapping(v as Record<string, unknown>, level, compact, lead, leadBreak);
    else this.exotic = true;
  }

  /** writeBlockSequence: items at `level + 1`, each on its own line; undefined items are written as null. */
  private sequence(items: unknown[], level: number, compact: boolean, lead: string, leadBreak: string): void {
    if (items.length === 0) {
      this.parts.push(lead, '[]');
      return;
    }
    const nl = lineBreak(level);
    if (compact) this.parts.push(lead);
    else this.parts.push(leadBreak, nl);
    for (let i = 0; i < items.length; i++) {
      if (i > 0) this.parts.push(nl);
      const item = items[i];
      this.node(item === undefined ? null : item, level + 1, true, '- ', '-');
    }
  }

  /** writeBlockMapping: pairs with an undefined value are left out (`{}` when none is left). */
  private mapping(o: Record<string, unknown>, level: number, compact: boolean, lead: string, leadBreak: string): void {
    const keys = Object.keys(o);
    const nl = lineBreak(level);
    let first = true;
    for (let i = 0; i < keys.length; i++) {
      const value = o[keys[i]];
      if (value === undefined) continue;
      if (!first) this.parts.push(nl);
      else if (compact) this.parts.push(lead);
      else this.parts.push(leadBreak, nl);
      first = false;
      const key = scalar(keys[i], level + 1, true, this.resolves);
      if (key.length > 1024) {
        // js-yaml's explicit pair for long keys; the value is then written compact.
        this.parts.push('? ', key, nl);
        this.node(value, level + 1, true, ': ', ':');
      } else {
        this.parts.push(key);
        this.node(value, level + 1, false, ': ', ':');
      }
    }
    if (first) this.parts.push(lead, '{}');
  }
}

/**
 * One document as `jsyaml.dump` writes it (ending with a line break; `''` for undefined), or undefined when the
 * value holds something other than JSON data, which only js-yaml itself writes faithfully.
 */
export function writeYamlDocument(value: unknown, resolves: ImplicitResolver): string | undefined {
  if (value === undefined) return '';
  const w = new DocumentWriter(resolves);
  w.node(value, 0, true, '', '');
  if (w.exotic) return undefined;
  w.parts.push('\n');
  return w.parts.join('');
}
