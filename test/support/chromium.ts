// Runs the real headless Chromium (Debian's `chromium` package) on pages the tests write: --dump-dom for the
// DOM after scripts ran, --screenshot for a PNG. Installed as root with apt-get when missing, like promtool.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The command that installs Chromium on Debian and Ubuntu. */
export const CHROMIUM_INSTALL = 'apt-get update && apt-get install -y --no-install-recommends chromium';

let ensured = false;

/** Makes sure `chromium` is on the PATH: as root with apt-get it installs it; otherwise it fails with the command to run. */
export function ensureChromium(): void {
  if (ensured) return;
  const has = () => spawnSync('chromium', ['--version'], { encoding: 'utf8' }).status === 0;
  if (!has()) {
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
    if (!root || !apt) throw new Error(`chromium is not installed; these tests render in the real browser. Run: sudo ${CHROMIUM_INSTALL}`);
    const r = spawnSync('sh', ['-c', `${CHROMIUM_INSTALL} >/dev/null 2>&1`], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0 || !has()) throw new Error(`installing chromium failed; run as root: ${CHROMIUM_INSTALL}`);
  }
  ensured = true;
}

/** Runs headless Chromium once with a fresh profile; returns its standard output. */
export function chromium(args: string[]): { status: number | null; stdout: string; stderr: string } {
  ensureChromium();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-chromium-'));
  try {
    const r = spawnSync('chromium', [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, ...args,
    ], { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 });
    if (r.error) throw new Error(`chromium could not run (${r.error.message}); run: sudo ${CHROMIUM_INSTALL}`);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
