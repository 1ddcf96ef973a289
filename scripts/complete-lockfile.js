#!/usr/bin/env node
// The npm registry reachable here serves only the linux builds of some platform-specific optional
// packages (e.g. @unrs/resolver-binding-*), so `npm install` leaves the others out of package-lock.json and
// `npm ci` then refuses the lockfile as out of sync. This adds os/cpu-tagged entries for them, which
// npm skips on other platforms, exactly as a lockfile made with full registry access would. Run it after
// `npm install` changes the lockfile.
'use strict';
const fs = require('fs');
const file = require('path').resolve(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const pkgs = lock.packages;
let added = 0;
for (const info of Object.values(pkgs)) {
  for (const [dep, version] of Object.entries(info.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    const m = /-(android|darwin|freebsd|linux|openharmony|win32)-(arm64|arm|x64|ia32|loong64|ppc64|riscv64|s390x)/.exec(dep);
    if (pkgs[key] || !m) continue;
    pkgs[key] = { version, ...(info.dev ? { dev: true } : {}), optional: true, os: [m[1]], cpu: [m[2]] };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`${added} optional platform entries added`);
