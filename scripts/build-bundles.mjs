// `npm ci` / `npm install` run this (the prepare script): builds the compiled node and CLI
// bundles (bin/bundle.mjs, decision 0026) so the first `npx samsa` starts at full speed. A bundle
// that cannot be built is reported and skipped, never an install failure: bin/samsa.js and the
// supervisor rebuild it on start, or run the sources through tsx.
import { BUNDLES, compiledEntry } from '../bin/bundle.mjs';

const started = Date.now();
for (const b of Object.values(BUNDLES)) {
  const r = await compiledEntry(b.source, b.out, b);
  console.log('file' in r ? `samsa: ${b.out} ready` : `samsa: could not build ${b.out} (${r.error}); it is built on start`);
}
console.log(`samsa: bundles ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
