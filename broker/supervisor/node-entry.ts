// How the supervisor starts a node process: as one compiled ES module when it can, through the
// tsx loader otherwise (decision 0013). Loading ~100 TypeScript files through tsx costs a node
// ~1.3 s of CPU and ~40 MB of RSS on every start, for each of the cluster's nodes; esbuild
// (already here as tsx's compiler) bundles broker/node.ts into dist/broker/node.mjs in ~0.2 s.
// The bundle is never stale: next to it, <out>.inputs.json lists every source file it was built
// from with a SHA-256 of their contents, and each supervisor process checks that hash before its
// first start and rebuilds when any input changed. npm packages stay external (resolved from
// node_modules as before). Writes go to a temporary file and are renamed into place, so two
// supervisors building at once (parallel tests) each see a whole file. Where the bundle cannot be
// built or written (a read-only install, esbuild missing), the node runs through tsx as before.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_SOURCE = fileURLToPath(new URL('../node.ts', import.meta.url));
const NODE_COMPILED = fileURLToPath(new URL('../../dist/broker/node.mjs', import.meta.url));
const TSX = import.meta.resolve('tsx');

/** True for the command line of a Samsa node process, compiled or not (orphans.ts). */
export function isNodeCommandLine(cmd: string): boolean {
  return cmd.includes(NODE_SOURCE) || cmd.includes(NODE_COMPILED);
}

export interface NodeEntry {
  /** The module the child process runs. */
  file: string;
  /** Node flags for it (the tsx loader when running the sources). */
  execArgv: string[];
}

interface Stamp {
  inputs: string[];
  sha256: string;
}

function hashInputs(root: string, inputs: string[]): string | null {
  const h = createHash('sha256');
  try {
    for (const f of inputs) h.update(f).update('\0').update(fs.readFileSync(path.resolve(root, f))).update('\0');
  } catch {
    return null;
  }
  return h.digest('hex');
}

function readStamp(file: string): Stamp | null {
  try {
    const s: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof s !== 'object' || s === null || !('inputs' in s) || !('sha256' in s)) return null;
    const { inputs, sha256 } = s;
    if (!Array.isArray(inputs) || !inputs.every((i) => typeof i === 'string') || typeof sha256 !== 'string') return null;
    return { inputs, sha256 };
  } catch {
    return null;
  }
}

function writeAtomically(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

let entry: Promise<NodeEntry> | undefined;

/** What to fork for a node: the compiled bundle, or the sources through tsx (said once, why). */
export function nodeEntry(): Promise<NodeEntry> {
  entry ??= compiledEntry(NODE_SOURCE, NODE_COMPILED).then((r) => {
    if ('file' in r) return { file: r.file, execArgv: [] };
    process.stderr.write(`samsa: nodes run from their TypeScript sources through tsx (no compiled bundle: ${r.error})\n`);
    return { file: NODE_SOURCE, execArgv: ['--import', TSX] };
  });
  return entry;
}

/**
 * The compiled form of `source` at `outFile`, rebuilt first when it is missing or any of its
 * inputs changed; null (with the reason) when it cannot be built, so the caller runs the source.
 */
export async function compiledEntry(source: string, outFile: string): Promise<{ file: string } | { error: string }> {
  const root = path.dirname(outFile);
  const stampFile = `${outFile}.inputs.json`;
  const stamp = readStamp(stampFile);
  if (stamp && fs.existsSync(outFile) && hashInputs(root, stamp.inputs) === stamp.sha256) return { file: outFile };
  try {
    fs.mkdirSync(root, { recursive: true });
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [source],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      write: false,
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: root,
      outfile: outFile,
    });
    const out = result.outputFiles.find((f) => f.path === outFile);
    if (!out) return { error: 'esbuild wrote no output' };
    const inputs = Object.keys(result.metafile.inputs).sort();
    const sha256 = hashInputs(root, inputs);
    if (sha256 === null) return { error: 'a source file vanished during the build' };
    writeAtomically(outFile, out.contents);
    writeAtomically(stampFile, JSON.stringify({ inputs, sha256 }) + '\n');
    return { file: outFile };
  } catch (e) {
    return { error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}
