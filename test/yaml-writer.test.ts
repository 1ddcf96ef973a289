// The YAML writer of FleetApp: every string reads back as the same string in a YAML 1.1 reader (kubectl's
// Go yaml.v2, PyYAML) and in YAML 1.2 readers, whatever it looks like.
import * as fc from 'fast-check';
import * as jsyaml from 'js-yaml';
import * as YAML from 'yaml';
import { isYaml11Ambiguous, toYaml } from '../outputs/yaml';

const SEED = Number(process.env.FP_PROP_SEED ?? 42);

/** Strings YAML 1.1 reads as something else when they are left plain. */
const TRICKY = [
  '1_000', '+1_000', '-1_000', '1_0.5', '0o17', '017', '0b101', '0b1_0', '0x1F', '0x_1F', '1e3', '12e3', '1E-3', '1.', '.5',
  '1:20', '190:20:30', '190:20:30.15', '-1:30', '.inf', '-.inf', '+.INF', '.nan', '.NaN', 'y', 'Y', 'n', 'N', 'yes', 'No',
  'on', 'OFF', 'true', 'False', '~', 'null', 'NULL', '', '<<', '=', '2024-01-02', '2001-12-14t21:59:43.10-05:00', '007',
  '0', '-0', '1.4.2', 'v1', '1.0.0-rc.1', '- a', 'a: b', '#x', '"q"', "'", 'multi\nline', ' lead', 'trail ', 'ünï', '@x', '`x`',
  '%x', '.', '-.', '._', '!x', '&x', '*x', '[a]', '{a}', '?', '|', '>', 'a,b',
];

function roundTrips(values: string[]): void {
  const text = toYaml([{ data: values, keyed: Object.fromEntries(values.map((v, i) => [`k${i}`, v])) }]);
  const yaml11 = YAML.parse(text, { version: '1.1' });
  const yaml12 = YAML.parse(text, { version: '1.2' });
  const js = jsyaml.load(text) as any;
  for (const doc of [yaml11, yaml12, js]) {
    expect(doc.data).toEqual(values);
    expect(Object.values(doc.keyed)).toEqual(values);
  }
}

describe('toYaml quotes what YAML 1.1 would read as another type', () => {
  test.each(TRICKY)('%j reads back as the same string', (s) => roundTrips([s]));

  test('the reported example: 1_000 is quoted, so kubectl does not read the integer 1000', () => {
    expect(toYaml([{ v: '1_000' }])).toBe('v: "1_000"\n');
    expect(YAML.parse(toYaml([{ v: '1_000' }]), { version: '1.1' }).v).toBe('1_000');
  });

  test('ordinary strings stay plain (the output does not grow quotes it does not need)', () => {
    expect(toYaml([{ image: 'registry.example.com/shop/web:1.4.2', version: '1.4.2', name: 'web' }])).toBe(
      'image: registry.example.com/shop/web:1.4.2\nversion: 1.4.2\nname: web\n',
    );
    expect(isYaml11Ambiguous('web')).toBe(false);
    expect(isYaml11Ambiguous('1_000')).toBe(true);
  });

  test('numbers and booleans stay numbers and booleans', () => {
    const doc = YAML.parse(toYaml([{ n: 1000, f: 1.5, b: true, z: 0 }]), { version: '1.1' });
    expect(doc).toEqual({ n: 1000, f: 1.5, b: true, z: 0 });
  });

  test('property: random strings, and strings built from number-like pieces, round-trip through YAML 1.1 and 1.2', () => {
    const pieces = fc.constantFrom('0', '1', '7', '9', '_', '.', ':', 'e', 'E', '+', '-', 'x', 'b', 'o', 'inf', 'nan', 'y', 'n', ' ', '#', '~');
    const numberish = fc.array(pieces, { minLength: 1, maxLength: 8 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }), numberish, fc.constantFrom(...TRICKY)), { minLength: 1, maxLength: 20 }), (values) => {
        roundTrips(values);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });
});
