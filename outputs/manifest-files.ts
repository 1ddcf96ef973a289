/** Listing the manifest files of an output directory (no YAML parsing: the CLI lists files on every synth). */
import * as fs from 'fs';
import * as path from 'path';

/**
 * The manifest files of an output directory, relative and sorted: every `.yaml`/`.yml` file at the top, and the
 * `.k8s.yaml` files of its subdirectories (the GitOps layout writes one directory per delivery unit). Helm chart
 * directories (with a Chart.yaml) hold templates, not manifests, and are skipped.
 */
export function manifestFiles(dir: string, sub = ''): string[] {
  const here = path.join(dir, sub);
  const out: string[] = [];
  for (const f of fs.readdirSync(here).sort()) {
    const rel = sub ? `${sub}/${f}` : f;
    const stat = fs.statSync(path.join(here, f));
    if (stat.isFile() && (sub ? /\.k8s\.yaml$/ : /\.ya?ml$/).test(f)) out.push(rel);
    else if (stat.isDirectory() && !fs.existsSync(path.join(here, f, 'Chart.yaml'))) out.push(...manifestFiles(dir, rel));
  }
  return out.sort();
}
