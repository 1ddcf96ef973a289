// The shape of the house: import direction, no cycles, small functions and files, a closed public API, and a
// rule catalog that covers every rule id the sources report. These rules keep new engines and outputs cheap.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { RULES, rulesMarkdown } from '../core/rules';
import * as api from '../index';

const ROOT = path.resolve(__dirname, '..');
const LAYERS = ['constructs', 'core', 'model', 'engines', 'outputs', 'analysis', 'cli'];

function sourceFiles(): string[] {
  const out: string[] = ['index.ts'];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  LAYERS.forEach(walk);
  return out.sort();
}

const FILES = sourceFiles();
const parsed = new Map(FILES.map((f) => [f, ts.createSourceFile(f, fs.readFileSync(path.join(ROOT, f), 'utf8'), ts.ScriptTarget.Latest, true)]));

/** Relative imports of a file, as repository paths; generated bindings left out. */
function importsOf(file: string): string[] {
  const sf = parsed.get(file)!;
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    let spec: string | undefined;
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) spec = n.moduleSpecifier.text;
    if (ts.isCallExpression(n) && n.expression.getText(sf) === 'require' && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) spec = n.arguments[0].text;
    if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) spec = n.argument.literal.text;
    if (spec?.startsWith('.')) {
      const target = path.join(path.dirname(file), spec);
      // A directory import ('..') resolves to its index.ts.
      const asFile = fs.existsSync(path.join(ROOT, `${target}.ts`)) ? `${target}.ts` : path.join(target, 'index.ts');
      if (!target.startsWith('imports')) out.push(asFile);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('layers', () => {
  test('engines import only core/, model/ and their own engine directory', () => {
    const bad: string[] = [];
    for (const f of FILES.filter((x) => x.startsWith('engines/'))) {
      const own = f.split('/')[1];
      for (const t of importsOf(f)) {
        const ok = t.startsWith('core/') || t.startsWith('model/') || t.startsWith(`engines/${own}/`);
        if (!ok) bad.push(`${f} -> ${t}`);
      }
    }
    expect(bad).toEqual([]);
  });

  test('nothing below the entry imports the package entry (index.ts)', () => {
    const bad = FILES.filter((f) => f !== 'index.ts').flatMap((f) => importsOf(f).filter((t) => t === 'index.ts').map(() => f));
    expect(bad).toEqual([]);
  });

  test('core/ and model/ never import constructs/, engines/ or outputs/', () => {
    const bad = FILES.filter((f) => f.startsWith('core/') || f.startsWith('model/'))
      .flatMap((f) => importsOf(f).filter((t) => /^(constructs|engines|outputs)\//.test(t)).map((t) => `${f} -> ${t}`));
    expect(bad).toEqual([]);
  });

  test('no import cycle among hand-written sources (type imports and deferred requires included)', () => {
    const graph = new Map(FILES.map((f) => [f, importsOf(f).filter((t) => parsed.has(t))]));
    const cycles: string[][] = [];
    let index = 0;
    const stack: string[] = [];
    const onStack = new Set<string>();
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const strong = (v: string) => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v)!) {
        if (!idx.has(w)) {
          strong(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const c: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          c.push(w);
        } while (w !== v);
        if (c.length > 1 || graph.get(v)!.includes(v)) cycles.push(c.sort());
      }
    };
    for (const v of graph.keys()) if (!idx.has(v)) strong(v);
    expect(cycles).toEqual([]);
  });
});

describe('size', () => {
  test('no hand-written file over 700 lines', () => {
    const long = FILES.map((f) => [f, parsed.get(f)!.getLineAndCharacterOfPosition(parsed.get(f)!.getEnd()).line + 1] as const).filter(([, n]) => n > 700);
    expect(long).toEqual([]);
  });

  test('no function over 80 lines', () => {
    const long: string[] = [];
    for (const [f, sf] of parsed) {
      const visit = (n: ts.Node) => {
        if (ts.isFunctionLike(n) && (n as ts.FunctionLikeDeclarationBase).body) {
          const a = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
          const b = sf.getLineAndCharacterOfPosition(n.getEnd()).line;
          if (b - a + 1 > 80) long.push(`${f}:${a + 1} ${(n as ts.FunctionLikeDeclarationBase).name?.getText(sf) ?? '(anonymous)'} ${b - a + 1} lines`);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    expect(long).toEqual([]);
  });
});

describe('public API', () => {
  test('index.ts lists its exports by name (no export *)', () => {
    const sf = parsed.get('index.ts')!;
    const star = sf.statements.filter((s) => ts.isExportDeclaration(s) && !s.exportClause);
    expect(star.map((s) => s.getText(sf))).toEqual([]);
  });

  test('the package entry exports no name starting with "_"', () => {
    const sf = parsed.get('index.ts')!;
    const names = sf.statements.flatMap((s) => (ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause) ? s.exportClause.elements.map((e) => e.name.text) : []));
    expect(names.length).toBeGreaterThan(50);
    expect(names.filter((n) => n.startsWith('_'))).toEqual([]);
    expect(Object.keys(api).filter((n) => n.startsWith('_'))).toEqual([]);
  });

  test('internals are not exported: engines, bindings and problem sinks stay inside', () => {
    for (const name of ['ProblemSink', 'createObject', 'PlainApiObject', 'divideByWeight', 'renderAffinity', 'cidrsOverlap', 'platformOf', 'quotaHard', 'telemetrySpec', 'subsetName', '_testing']) {
      expect(Object.keys(api)).not.toContain(name);
    }
  });

  test('the built declarations strip @internal members', () => {
    const dts = fs.readFileSync(path.join(ROOT, 'dist', 'constructs', 'distributed-platform.d.ts'), 'utf8');
    expect(dts).toContain('class DistributedPlatform');
    expect(dts).not.toContain('_register');
  });
});

test('the built declarations type-check as a user compiles them (no stripped name is still referenced)', () => {
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'fleetplane-dts-'));
  const main = path.join(dir, 'main.ts');
  fs.writeFileSync(main, [
    "import { App } from 'cdk8s';",
    `import * as fp from '${path.join(ROOT, 'dist', 'index')}';`,
    `import * as pulumiEntry from '${path.join(ROOT, 'dist', 'outputs', 'pulumi')}';`,
    "const platform = new fp.DistributedPlatform(new App(), 'prod', { clusters: [{ name: 'a', region: 'r' }] });",
    "new fp.FederatedApp(platform.addTenant('shop'), 'web', { image: 'registry.example.com/web:1.0.0' });",
    'export const stack: typeof pulumiEntry.PlatformStack = pulumiEntry.PlatformStack;',
  ].join('\n'));
  const program = ts.createProgram([main], {
    strict: true, skipLibCheck: false, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10, types: ['node'], typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    baseUrl: ROOT, paths: { '*': [path.join(ROOT, 'node_modules', '*')] },
  });
  const ours = ts.getPreEmitDiagnostics(program).filter((d) => !d.file || !d.file.fileName.includes('node_modules'));
  expect(ours.map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`)).toEqual([]);
});

describe('rule catalog', () => {
  test('every rule id reported in the sources has a catalog entry', () => {
    const used = new Set<string>();
    for (const f of FILES) {
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
      for (const m of text.matchAll(/(?:\.(?:error|warn)\(|rule: )'((?:K\d+)|(?:FP-[A-Z-]+))'/g)) used.add(m[1]);
    }
    const ids = new Set(RULES.map((r) => r.id));
    expect([...used].filter((u) => !ids.has(u)).sort()).toEqual([]);
    expect(used.size).toBeGreaterThan(60);
  });

  test('rule ids are unique and every entry has a title and a description', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.title.length).toBeGreaterThan(3);
      expect(r.description.length).toBeGreaterThan(20);
    }
  });

  test('docs/rules.md is generated from the catalog and shipped in the package', () => {
    expect(fs.readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8')).toBe(rulesMarkdown());
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.files).toContain('docs/rules.md');
  });
});
