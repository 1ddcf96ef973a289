/**
 * Replacing an output directory with a freshly synthesized one, so a reader never sees a half-written set:
 * the new files are written next to the old directory (same file system), then swapped in with renames.
 */
import * as fs from 'fs';
import * as path from 'path';

/** A new, empty directory beside `target` (same parent, so a rename moves it in without copying). */
export function stagingDirFor(target: string): string {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const dir = fs.mkdtempSync(path.join(path.dirname(target), `.${path.basename(target)}.fleetplane-`));
  fs.chmodSync(dir, 0o755); // mkdtemp makes it private; an output directory is as readable as any other
  return dir;
}

/**
 * Puts `staged` in place of `target`: `target` is renamed aside, `staged` renamed into its place, and the old
 * directory removed. Files of targets that no longer exist are gone with it.
 */
export function replaceDirectory(staged: string, target: string): void {
  const aside = `${staged}.old`;
  const had = fs.existsSync(target);
  if (had) fs.renameSync(target, aside);
  try {
    fs.renameSync(staged, target);
  } catch (e) {
    // Put the previous output back before reporting: the swap is all or nothing.
    if (had) fs.renameSync(aside, target);
    throw e;
  }
  if (had) fs.rmSync(aside, { recursive: true, force: true });
}

/** Removes a directory tree if it exists. */
export function removeDir(dir: string | undefined): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
