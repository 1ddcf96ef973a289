// The manifests' YAML emitter (outputs/yaml-writer.ts) writes exactly what js-yaml wrote before it, byte for
// byte: checked against js-yaml itself (the previous implementation, kept here as the reference) on every object
// of every example, on a generated fleet, and on thousands of random documents full of strings that need
// quoting, escaping or block style.
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import jsyaml from 'js-yaml';
import * as YAML from 'yaml';
import { buildFleet } from '../bench/fleet';
import { synthesizeTargets } from '../outputs/synthesize';
import { isYaml11Ambiguous, toYaml, toYamlDocument } from '../outputs/yaml';
import { tmpDir } from './support/synth';

process.env.FLEETPLANE_QUIET = '1';

/** The previous implementation of toYaml: js-yaml with an implicit type that resolves every YAML 1.1 non-string. */
class Yaml11Marker {}
const REFERENCE_SCHEMA = jsyaml.DEFAULT_SCHEMA.extend({
  implicit: [new jsyaml.Type('tag:fleetplane.io,2026:yaml11', {
    kind: 'scalar',
    resolve: (data: unknown) => typeof data === 'string' && isYaml11Ambiguous(data),
    construct: (data: unknown) => data,
    instanceOf: Yaml11Marker,
  })],
});
const reference = (o: unknown): string => jsyaml.dump(o, { noRefs: true, lineWidth: -1, sortKeys: false, quotingType: '"', schema: REFERENCE_SCHEMA });

/** Objects written while the examples synthesize (FleetApp writes each document with toYamlDocument, Helm with toYaml). */
const mockWritten: unknown[][] = [];
jest.mock('../outputs/yaml', () => {
  const actual = jest.requireActual('../outputs/yaml');
  return {
    ...actual,
    toYaml: (objects: unknown[]) => (mockWritten.push(objects), actual.toYaml(objects)),
    toYamlDocument: (object: unknown) => (mockWritten.push([object]), actual.toYamlDocument(object)),
  };
});

function expectSameAsReference(docs: readonly unknown[]): void {
  const mismatches = docs.filter((d) => toYamlDocument(d) !== reference(d));
  expect(mismatches.slice(0, 3).map((d) => JSON.stringify(d))).toEqual([]);
  expect(toYaml(docs)).toBe(docs.map(reference).join('---\n'));
}

describe('every object of the examples', () => {
  const ROOT = path.resolve(__dirname, '..');
  const examples = fs.readdirSync(path.join(ROOT, 'examples')).filter((e) => fs.existsSync(path.join(ROOT, 'examples', e, 'main.ts'))).sort();

  test.each(examples)('%s: written byte for byte as js-yaml writes it', (example) => {
    const cwd = process.cwd();
    const outdir = process.env.CDK8S_OUTDIR;
    mockWritten.length = 0;
    try {
      process.chdir(path.join(ROOT, 'examples', example)); // examples read their files (rollout.json) relative to it
      process.env.CDK8S_OUTDIR = tmpDir(`fleetplane-yaml-${example}-`);
      jest.isolateModules(() => require(`../examples/${example}/main`));
    } finally {
      process.chdir(cwd);
      if (outdir === undefined) delete process.env.CDK8S_OUTDIR;
      else process.env.CDK8S_OUTDIR = outdir;
    }
    const objects = mockWritten.flat();
    expect(objects.length).toBeGreaterThan(10);
    expectSameAsReference(objects);
  });
});

test('a generated fleet of 60 apps: every object written as js-yaml writes it', () => {
  const app = new App();
  buildFleet(app, { clusters: 20, apps: 60, appsPerTenant: 50 });
  const objects = synthesizeTargets(app).flatMap((t) => t.objects);
  expect(objects.length).toBeGreaterThan(500);
  expectSameAsReference(objects);
});

/** A deterministic PRNG (mulberry32), so that a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pieces of nasty strings: indicators, whitespace, line breaks, escapes, unicode, number- and boolean-likes. */
const PIECES = [
  '', ' ', '  ', '#', ' #', '# ', ':', ': ', ' :', '- ', '-', '?', '? ', '*', '&', '!', '|', '>', "'", '"', '%', '@', '`', ',', '[', ']',
  '{', '}', '=', '~', '<<', '\\', '\t', '\n', '\n\n', '\n ', ' \n', '\r', '\r\n', 'é', 'ß', '中文', '😀', '\ud83d', '\ude00', '\ufeff',
  '\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\u0085', '\u00a0', '\u00a1', '\u2028', '\u2029', '\ufffe', '\uffff', '\ue000',
  '0x1F', '1e3', '1E-3', '1_000', '012', '0o17', '0b101', '1:20', '1:99', '_:_', '190:20:30.15', '.5', '+1', '-1', '-.inf', '.NaN', '.nan', '.',
  '1.', '1.4.2', '2024-01-02', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43', 'yes', 'No', 'On', 'OFF', 'y', 'n', 'Y', 'N', 'true',
  'False', 'null', 'NULL', '~', 'a', 'web', 'app-1', 'registry.example.com/shop/web:1.4.2', 'v1', 'x.y_z/w', '10.0.0.0/16', '500m', '1Gi',
];
const WHOLE = ['', ' ', 'e0', 'E5', 'e+3', 'e-3', 'e', '.e1', '1.e1', 'yes', 'On', 'n', '~', 'null', '<<', '=', '0x1F', '1e3', '1_000', '012', '1:20', '.5', '+1', '-.inf', '.NaN', 'true', '0', '-0', '.'];

/** Pieces of strings that look like numbers to YAML 1.1 or 1.2 (exponents without digits before them, too). */
const NUMBERISH = ['0', '1', '7', '9', '_', '.', ':', 'e', 'E', '+', '-', 'x', 'b', 'o', 'inf', 'nan', 'Inf', 'NaN', 'y', 'n', 'T', 'Z', ' ', '#', '~'];

function nastyString(rnd: () => number): string {
  const r = rnd();
  if (r > 0.85) return Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => NUMBERISH[Math.floor(rnd() * NUMBERISH.length)]).join('');
  if (r < 0.15) return WHOLE[Math.floor(rnd() * WHOLE.length)];
  if (r < 0.17) return 'x'.repeat(1000 + Math.floor(rnd() * 200)) + (rnd() < 0.5 ? ' y' : '\nz');
  let s = '';
  for (let n = 1 + Math.floor(rnd() * 6); n > 0; n--) s += PIECES[Math.floor(rnd() * PIECES.length)];
  return s;
}

const NUMBERS = [0, -0, 1, -1, 1.5, -2.25, 1e21, 1e-7, 5e-324, 2 ** 53, -(2 ** 60), 123456789, 0.1, 1 / 3, 1e100, NaN, Infinity, -Infinity];

function randomValue(rnd: () => number, depth: number): unknown {
  const r = rnd();
  if (depth > 0 && r < 0.22) return randomObject(rnd, depth - 1);
  if (depth > 0 && r < 0.36) return Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(rnd, depth - 1));
  if (r < 0.42) return NUMBERS[Math.floor(rnd() * NUMBERS.length)];
  if (r < 0.45) return rnd() < 0.5;
  if (r < 0.47) return null;
  if (r < 0.48) return undefined;
  return nastyString(rnd);
}

function randomObject(rnd: () => number, depth: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let n = Math.floor(rnd() * 5); n > 0; n--) o[rnd() < 0.6 ? `k${Math.floor(rnd() * 50)}` : nastyString(rnd)] = randomValue(rnd, depth);
  return o;
}

describe('random documents of nasty strings, numbers and nesting', () => {
  test('5,000 documents are written byte for byte as js-yaml writes them', () => {
    const rnd = prng(20260101);
    const docs = Array.from({ length: 5000 }, () => (rnd() < 0.9 ? randomObject(rnd, 4) : randomValue(rnd, 3)));
    expectSameAsReference(docs);
  });

  test('every piece alone, as a value, a key, a sequence item and at depth', () => {
    const strings = [...PIECES, ...WHOLE, ...PIECES.flatMap((a) => PIECES.slice(0, 40).flatMap((b) => [a + b, `${a}${b}z`]))];
    const docs = strings.flatMap((s) => [s, { [s]: s }, [s], { a: { b: [{ c: s, [s]: [s] }] } }]);
    expectSameAsReference(docs);
  });

  test('strings led by any ASCII letter and followed by number-like pieces are quoted exactly when js-yaml quotes them', () => {
    const letters = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'];
    const tails = ['', ...NUMBERISH, ...NUMBERISH.flatMap((a) => NUMBERISH.map((b) => a + b))];
    const strings = letters.flatMap((l) => tails.map((t) => l + t));
    expectSameAsReference([strings, Object.fromEntries(strings.map((x) => [x, x]))]);
    expect(toYamlDocument(['e0', 'E5', 'yes', 'No', 'web'])).toBe('- "e0"\n- "E5"\n- "yes"\n- "No"\n- web\n');
  });

  test('keys over 1024 characters take the explicit form, with any value', () => {
    const long = 'k'.repeat(1025);
    const docs = [{ [long]: 1 }, { [long]: { a: 1, b: [1] } }, { a: { [long]: ['x', { y: 1 }] } }, { [long]: 'multi\nline\n' }, { [long + '\n']: {} }];
    expectSameAsReference(docs);
    expect(toYamlDocument({ [long]: 1 })).toBe(`? ${long}\n: 1\n`);
  });

  test('the shapes js-yaml gives collections: sequences indented under a key, mappings inside sequences', () => {
    expect(toYamlDocument({ a: ['x', { b: 1, c: [] }, [1, 2]], d: {}, e: { f: undefined } })).toBe(
      'a:\n  - x\n  - b: 1\n    c: []\n  - - 1\n    - 2\nd: {}\ne: {}\n',
    );
    expect(toYamlDocument({ s: 'one\ntwo\n', t: '  lead\n', u: 'x\n\n', v: 'end' })).toBe('s: |\n  one\n  two\nt: |2\n    lead\nu: |+\n  x\n\nv: end\n');
    expect(toYamlDocument([undefined, -0, 1e21, 1e-7, NaN, -Infinity])).toBe('- null\n- -0.0\n- 1e+21\n- 1.e-7\n- .nan\n- -.inf\n');
    expect(toYamlDocument(undefined)).toBe('');
  });

  test('values that are not JSON data are written by js-yaml itself (or refused as js-yaml refuses them)', () => {
    const date = new Date(Date.UTC(2026, 0, 2));
    expect(toYamlDocument({ at: date, n: new Number(3) })).toBe(reference({ at: date, n: new Number(3) }));
    expect(() => toYamlDocument({ f: () => 1 })).toThrow(/unacceptable kind/);
  });

  test('the output reads back as the input in YAML 1.1 and 1.2 readers', () => {
    const rnd = prng(7);
    // js-yaml writes a string of spaces and line breaks only (' \n') as a literal block of blank lines, which the
    // `yaml` reader reads as '' (js-yaml reads it back as written); such strings are left out of this check.
    const str = (): string => {
      const s = nastyString(rnd);
      return /^[ \n]*\n[ \n]*$/.test(s) && s.includes(' ') ? `x${s}` : s;
    };
    const docs = Array.from({ length: 500 }, () => {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < 8; i++) o[str()] = rnd() < 0.5 ? str() : [str(), { [str()]: str() }];
      return o;
    });
    for (const d of docs) {
      const text = toYamlDocument(d);
      expect(YAML.parse(text, { version: '1.1' })).toEqual(d);
      expect(YAML.parse(text, { version: '1.2' })).toEqual(d);
      expect(jsyaml.load(text)).toEqual(d);
    }
  });
});
