// Types of bin/bundle.mjs (plain JavaScript, so bin/samsa.js can run it before tsx is loaded).
/** True when `outFile` exists and was built from the sources as they are now. */
export function isFresh(outFile: string): boolean;
/** The compiled form of `source` at `outFile`, rebuilt first when stale; `{ error }` when it cannot be built. */
export function compiledEntry(source: string, outFile: string, opts?: { splitting?: boolean }): Promise<{ file: string } | { error: string }>;
/** The bundles Samsa runs: a node process, the `samsa` command and the console server's process. */
export const BUNDLES: Record<'node' | 'cli' | 'console', { source: string; out: string; splitting: boolean }>;
