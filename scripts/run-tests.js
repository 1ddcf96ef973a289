#!/usr/bin/env node
// Runs jest and ends with the plain line CI reads: "N passed, N failed".
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const results = path.join(root, '.test-results');
fs.mkdirSync(results, { recursive: true });
fs.rmSync(path.join(results, 'validated-objects.txt'), { force: true });
fs.rmSync(path.join(results, 'promtool.txt'), { force: true });
const json = path.join(results, 'jest.json');
const jest = require.resolve('jest/bin/jest');
const run = spawnSync(process.execPath, [jest, '--ci', '--json', '--outputFile', json, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FLEETPLANE_QUIET: '1', CDK8S_CHECK_UPGRADE: 'false' },
});
let passed = 0;
let failed = 0;
try {
  const r = JSON.parse(fs.readFileSync(json, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
} catch {
  failed = 1;
}
const validated = path.join(results, 'validated-objects.txt');
if (fs.existsSync(validated)) process.stdout.write(`objects validated strictly: ${fs.readFileSync(validated, 'utf8').trim().replace(/\n/g, ', ')}\n`);
const promtoolLog = path.join(results, 'promtool.txt');
if (fs.existsSync(promtoolLog)) process.stdout.write(fs.readFileSync(promtoolLog, 'utf8'));
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
