/**
 * Regular expressions that Go's RE2 (the OpenTelemetry collector's `regexp`, and the `matches` operator of its
 * expressions) compiles. JavaScript's RegExp accepts things RE2 refuses (lookaround, backreferences) and refuses
 * RE2 syntax (`(?P<name>...)`, `(?i)` flags, `\z`, POSIX classes), so a pattern is checked for the first and
 * translated for the second before JavaScript compiles it.
 */

/** Constructs RE2 does not have (it guarantees linear time), with what to say about each. */
const UNSUPPORTED: ReadonlyArray<[RegExp, string]> = [
  [/\(\?<?[=!]/, 'lookahead and lookbehind'],
  [/\(\?>/, 'atomic groups'],
  [/\(\?\(/, 'conditionals'],
  [/\\[1-9]/, 'backreferences'],
  [/\\k</, 'named backreferences'],
  [/[*+?}][+]/, 'possessive quantifiers'],
];

const POSIX: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z',
  word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

/** Replaces `\Q...\E` quoting by escaped literals. */
function unquote(pattern: string): string {
  return pattern.replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_m, lit: string) => lit.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
}

/** The pattern in JavaScript syntax, and its flags. */
function toJavaScript(pattern: string): { source: string; flags: string } {
  let flags = '';
  let source = unquote(pattern)
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$')
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => (POSIX[name] && !neg ? POSIX[name] : m))
    .replace(/\\p([A-Z])/g, '\\p{$1}')
    .replace(/\\P([A-Z])/g, '\\P{$1}');
  // Inline flags: RE2 allows them anywhere; JavaScript only as RegExp flags (close enough to compile and match).
  source = source.replace(/\(\?([imsU]+)\)/g, (_m, f: string) => {
    for (const c of f) if (c !== 'U' && !flags.includes(c)) flags += c;
    return '';
  });
  source = source.replace(/\(\?[imsU]+:/g, '(?:');
  if (/\\[pP]\{/.test(source)) flags += 'u';
  return { source, flags };
}

/** Why RE2 would refuse the pattern, or undefined when it compiles. */
export function re2Problem(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string' || pattern.length === 0) return 'a regular expression is a non-empty string.';
  for (const [re, what] of UNSUPPORTED) {
    if (re.test(pattern.replace(/\\\\/g, ''))) return `Go's RE2 has no ${what}.`;
  }
  const { source, flags } = toJavaScript(pattern);
  try {
    new RegExp(source, flags);
  } catch (e) {
    if (e instanceof SyntaxError) return `it does not compile: ${e.message.replace(/^Invalid regular expression: /, '')}.`;
    throw e;
  }
  return undefined;
}

/** The named groups of a pattern (`(?P<name>...)` or `(?<name>...)`), in order. */
export function namedGroups(pattern: string): string[] {
  return [...pattern.replace(/\\\\/g, '').matchAll(/(?<!\\)\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]);
}

/** Compiles an RE2 pattern as a JavaScript RegExp (for tests of what a pattern matches). */
export function re2ToRegExp(pattern: string): RegExp {
  const { source, flags } = toJavaScript(pattern);
  return new RegExp(source, flags);
}
