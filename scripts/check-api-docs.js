#!/usr/bin/env node
// Generates the API reference from the TSDoc comments (TypeDoc + markdown plugin) into API.md, and the rule
// catalog page docs/rules.md from core/rules.ts.
// `--write` updates API.md; without it, the script fails when API.md is not current.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, '.api-docs');
fs.rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--logLevel', 'Warn'], { cwd: root, stdio: 'inherit' });
// One page per entry point: the main module, then `fleetplane/pulumi`.
const pages = [['index.md', 'fleetplane'], ['outputs/pulumi.md', 'fleetplane/pulumi']];
const text = '# fleetplane API reference\n\nGenerated from the TSDoc comments by `npm run docs`; do not edit by hand.\n\n' +
  pages.map(([file, title]) => fs.readFileSync(path.join(out, file), 'utf8').trim().replace(/^# .*$/m, `# ${title}`)).join('\n\n') + '\n';
fs.rmSync(out, { recursive: true, force: true });
// The rule catalog page, from the built catalog (npm run build first).
const rules = require(path.join(root, 'dist', 'core', 'rules.js')).rulesMarkdown();
let stale = false;
for (const [file, content] of [['API.md', text], [path.join('docs', 'rules.md'), rules]]) {
  const target = path.join(root, file);
  if (process.argv.includes('--write')) {
    fs.writeFileSync(target, content);
    console.log(`${file} written (${content.length} bytes)`);
  } else if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== content) {
    console.error(`${file} is out of date: run \`npm run docs\` and commit it.`);
    stale = true;
  } else {
    console.log(`${file} is current.`);
  }
}
if (stale) process.exit(1);
