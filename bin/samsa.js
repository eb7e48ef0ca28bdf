#!/usr/bin/env node
// The `samsa` command. Runs dist/cli/samsa.mjs, the CLI compiled from broker/cli.ts by esbuild
// (bin/bundle.mjs, decision 0026): `npm ci` builds it (the prepare script), and it is rebuilt here
// first whenever any of its sources changed since, so what runs is never older than the sources.
// Where it cannot be built (a read-only install, esbuild missing, a source that does not
// compile), the sources run through tsx as before (decision 0001), said once on stderr.
import { pathToFileURL } from 'node:url';
import { BUNDLES, compiledEntry } from './bundle.mjs';

const { source, out, splitting } = BUNDLES.cli;
const built = await compiledEntry(source, out, { splitting });
if ('file' in built) {
  await import(pathToFileURL(built.file).href);
} else {
  process.stderr.write(`samsa: running the TypeScript sources through tsx (no compiled CLI: ${built.error})\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
}
