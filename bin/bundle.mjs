// Compiled bundles of Samsa's TypeScript entry points, built on demand and never stale (decisions
// 0013 and 0026). Plain JavaScript, so `bin/samsa.js` can check and build the CLI bundle before
// anything TypeScript is loadable; the supervisor (broker/supervisor/node-entry.ts) uses the same
// code for the node bundle, and `npm ci` builds both up front (scripts/build-bundles.mjs, the
// `prepare` script).
// Next to each bundle, <out>.inputs.json lists every source file it was built from with a SHA-256
// of their contents; a bundle is used only while that hash still matches, and rebuilt (~0.2-0.5 s)
// otherwise. npm packages stay external (resolved from node_modules), except what PACKAGE_SUBSETS
// narrows. With `splitting`, what an entry imports dynamically (`samsa serve`'s console server,
// say) becomes chunk-<hash>.mjs files that load only when used. Every file is written to a
// temporary name and renamed; chunks first (their names are their content's hash, so a process
// that loaded an older entry still finds its chunks), then the entry, then the stamp. Two
// processes building at once therefore each see whole, consistent files.
// A bundled module's `import.meta.url` (TypeScript or this file) is its source file's URL (computed relative to the
// bundle, so the tree may move), so paths a module resolves from its own location still point
// into the sources; import.meta's dirname and filename are refused (the build fails, the
// caller runs the sources).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** This file: part of every bundle's inputs, so a change to how bundles are built rebuilds them. */
const BUILDER = fileURLToPath(import.meta.url);

/** @param {string} rel */
const here = (rel) => fileURLToPath(new URL(rel, import.meta.url));

/**
 * The bundles Samsa runs: a node process (forked by the supervisor), the `samsa` command, and
 * the console server's process (forked by `samsa serve` and `samsa`, main/console-process.ts).
 * @type {Record<'node' | 'cli' | 'console', { source: string; out: string; splitting: boolean }>}
 */
export const BUNDLES = {
  node: { source: here('../broker/node.ts'), out: here('../dist/broker/node.mjs'), splitting: false },
  cli: { source: here('../broker/cli.ts'), out: here('../dist/cli/samsa.mjs'), splitting: true },
  console: { source: here('../main/console-child.ts'), out: here('../dist/console/console-child.mjs'), splitting: false },
};

/**
 * Bare imports replaced by a narrower module. prom-client's index loads its default-metrics
 * collectors and, through them, @opentelemetry/api (~7 MB of RSS per node); a node only uses
 * its registry and three metric classes, which are the same classes from lib/.
 * @type {Record<string, string>}
 */
const PACKAGE_SUBSETS = {
  'prom-client': [
    "export { default as Registry } from 'prom-client/lib/registry.js';",
    "export { default as Counter } from 'prom-client/lib/counter.js';",
    "export { default as Gauge } from 'prom-client/lib/gauge.js';",
    "export { default as Histogram } from 'prom-client/lib/histogram.js';",
  ].join('\n'),
};

/** @param {string} root @param {string[]} inputs @returns {string | null} */
function hashInputs(root, inputs) {
  const h = createHash('sha256');
  try {
    for (const f of inputs) h.update(f).update('\0').update(fs.readFileSync(path.resolve(root, f))).update('\0');
  } catch {
    return null;
  }
  return h.digest('hex');
}

/** @param {string} file @returns {{ inputs: string[]; sha256: string } | null} */
function readStamp(file) {
  try {
    /** @type {unknown} */
    const s = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof s !== 'object' || s === null || !('inputs' in s) || !('sha256' in s)) return null;
    const { inputs, sha256 } = s;
    if (!Array.isArray(inputs) || !inputs.every((i) => typeof i === 'string') || typeof sha256 !== 'string') return null;
    return { inputs, sha256 };
  } catch {
    return null;
  }
}

/** @param {string} file @param {string | Uint8Array} data */
function writeAtomically(file, data) {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** True when `outFile` exists and was built from the sources as they are now. */
export function isFresh(outFile) {
  const root = path.dirname(outFile);
  const stamp = readStamp(`${outFile}.inputs.json`);
  if (stamp === null || !stamp.inputs.includes(path.relative(root, BUILDER)) || !fs.existsSync(outFile)) return false;
  return hashInputs(root, stamp.inputs) === stamp.sha256;
}

/** Chunks of earlier builds stay a day, for processes still running an older entry. */
const OLD_CHUNK_MS = 24 * 3600_000;

/** @param {string} dir @param {Set<string>} current */
function removeOldChunks(dir, current) {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (!/^chunk-.*\.mjs$/.test(name) || current.has(file)) continue;
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > OLD_CHUNK_MS) fs.unlinkSync(file);
    } catch {
      // another builder removed it first
    }
  }
}

/** The esbuild plugin giving each source module its own import.meta.url (see the header). */
function ownImportMeta(outDir) {
  return {
    name: 'samsa-own-import-meta',
    /** @param {import('esbuild').PluginBuild} build */
    setup(build) {
      build.onLoad({ filter: /\.([cm]?ts|m?js)$/ }, (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const text = fs.readFileSync(args.path, 'utf8');
        if (/import\.meta\.(dirname|filename)\b/.test(text))
          return { errors: [{ text: `${args.path} uses import.meta's dirname or filename, which a bundle cannot keep` }] };
        const rel = path.relative(outDir, args.path).split(path.sep).join('/');
        const url = `new URL(${JSON.stringify(rel)}, import.meta.url).href`;
        return { contents: text.replace(/import\.meta\.url\b/g, url), loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js' };
      });
      build.onResolve({ filter: new RegExp(`^(${Object.keys(PACKAGE_SUBSETS).join('|')})$`) }, (args) =>
        args.importer.includes(`${path.sep}node_modules${path.sep}`) ? undefined : { path: args.path, namespace: 'samsa-subset' },
      );
      build.onLoad({ filter: /.*/, namespace: 'samsa-subset' }, (args) => ({
        contents: PACKAGE_SUBSETS[args.path],
        resolveDir: outDir,
        loader: 'js',
      }));
    },
  };
}

/**
 * The compiled form of `source` at `outFile`, rebuilt first when it is missing or any of its
 * inputs changed; `{ error }` (one line) when it cannot be built, so the caller runs the source.
 * @param {string} source
 * @param {string} outFile
 * @param {{ splitting?: boolean }} [opts]
 * @returns {Promise<{ file: string } | { error: string }>}
 */
export async function compiledEntry(source, outFile, opts = {}) {
  const root = path.dirname(outFile);
  if (isFresh(outFile)) return { file: outFile };
  try {
    fs.mkdirSync(root, { recursive: true });
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: { [path.basename(outFile).replace(/\.m?js$/, '')]: source },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      splitting: opts.splitting ?? false,
      outdir: root,
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunk-[hash]',
      write: false,
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: root,
      plugins: [ownImportMeta(root)],
    });
    const entry = result.outputFiles.find((f) => f.path === outFile);
    if (!entry) return { error: `esbuild wrote no ${path.basename(outFile)}` };
    const inputs = [path.relative(root, BUILDER), ...Object.keys(result.metafile.inputs).filter((i) => !i.startsWith('samsa-subset:'))].sort();
    const sha256 = hashInputs(root, inputs);
    if (sha256 === null) return { error: 'a source file vanished during the build' };
    for (const f of result.outputFiles) if (f !== entry && !fs.existsSync(f.path)) writeAtomically(f.path, f.contents);
    writeAtomically(outFile, entry.contents);
    writeAtomically(`${outFile}.inputs.json`, JSON.stringify({ inputs, sha256 }) + '\n');
    removeOldChunks(root, new Set(result.outputFiles.map((f) => f.path)));
    return { file: outFile };
  } catch (e) {
    const first = e instanceof Error && 'errors' in e && Array.isArray(e.errors) ? e.errors[0] : undefined;
    if (first && typeof first.text === 'string') return { error: first.location ? `${first.location.file}:${first.location.line}: ${first.text}` : first.text };
    return { error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}
