// How the supervisor starts a node process: as one compiled ES module when it can, through the
// tsx loader otherwise (decisions 0013 and 0026). Loading ~100 TypeScript files through tsx costs
// a node ~1.3 s of CPU and ~40 MB of RSS on every start, for each of the cluster's nodes; esbuild
// (already here as tsx's compiler) bundles broker/node.ts into dist/broker/node.mjs in ~0.2 s
// (bin/bundle.mjs, which builds the CLI's bundle the same way; `npm ci` builds both up front).
// The bundle is never stale: each supervisor process checks the hash of its inputs before its
// first node start and rebuilds when any input changed. Where the bundle cannot be built or
// written (a read-only install, esbuild missing), the node runs through tsx as before.

import { BUNDLES, compiledEntry } from '../../bin/bundle.mjs';

const { source: NODE_SOURCE, out: NODE_COMPILED } = BUNDLES.node;
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

const entries = new Map<keyof typeof BUNDLES, Promise<NodeEntry>>();

/**
 * What to fork for one of the BUNDLES: the compiled bundle (checked, and rebuilt when stale, once
 * per process), or its source through tsx, said once on stderr with the reason. `what` names the
 * processes in that sentence ("nodes").
 */
export function bundleEntry(bundle: keyof typeof BUNDLES, what: string): Promise<NodeEntry> {
  let entry = entries.get(bundle);
  if (!entry) {
    const { source, out, splitting } = BUNDLES[bundle];
    entry = compiledEntry(source, out, { splitting }).then((r) => {
      if ('file' in r) return { file: r.file, execArgv: [] };
      process.stderr.write(`samsa: ${what} run from their TypeScript sources through tsx (no compiled bundle: ${r.error})\n`);
      return { file: source, execArgv: ['--import', TSX] };
    });
    entries.set(bundle, entry);
  }
  return entry;
}

/** What to fork for a node. */
export const nodeEntry = (): Promise<NodeEntry> => bundleEntry('node', 'nodes');
