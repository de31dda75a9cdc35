#!/usr/bin/env node
// Bundles the course's browser code with esbuild:
//   node wasm/build-frontend.mjs --out _build/html/_static/acm [--compiler <module>] [--dev]
// Output: course.js (page entry, type=module), workers/compiler-worker.js,
// workers/runner-worker.js, course.css, and chunk-*.js: the kata and example widgets, which pages
// load on demand, and code they share (+ .map files). Idempotent; takes well under a second.
//
// `--compiler` swaps the module behind the `acm-compiler` import (default:
// wasm/src/compiler/compiler.js, or a stand-in that explains it is missing) — tests use it to
// plug in a fake compiler.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

function parseArgs(argv) {
  const opts = { out: null, compiler: null, dev: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') opts.out = argv[++i];
    else if (a.startsWith('--out=')) opts.out = a.slice(6);
    else if (a === '--compiler') opts.compiler = argv[++i];
    else if (a.startsWith('--compiler=')) opts.compiler = a.slice(11);
    else if (a === '--dev') opts.dev = true;
    else if (a === '-h' || a === '--help') {
      console.log('usage: node wasm/build-frontend.mjs --out <dir> [--compiler <module>] [--dev]');
      process.exit(0);
    } else {
      console.error(`build-frontend: unknown argument ${a}`);
      process.exit(2);
    }
  }
  if (!opts.out) {
    console.error('build-frontend: --out <dir> is required (e.g. _build/html/_static/acm)');
    process.exit(2);
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const outdir = resolve(process.cwd(), opts.out);
const realCompiler = resolve(here, 'src/compiler/compiler.js');
const compilerModule = opts.compiler ? resolve(process.cwd(), opts.compiler)
  : existsSync(realCompiler) ? realCompiler : resolve(here, 'src/compiler-unavailable.js');

const compilerAlias = {
  name: 'acm-compiler',
  setup(b) {
    b.onResolve({ filter: /^acm-compiler$/ }, () => ({ path: compilerModule }));
  },
};

mkdirSync(outdir, { recursive: true });
// Shared chunks have content hashes in their names; drop the previous build's, with their
// compressed siblings, so a rebuilt site does not keep serving dead files.
const CHUNK = /^chunk-[A-Z0-9]{8}\.js(\.map|\.br|\.gz)?$/;
for (const f of readdirSync(outdir)) if (CHUNK.test(f)) rmSync(join(outdir, f));
const started = Date.now();
const result = await build({
  absWorkingDir: root,
  entryPoints: [
    { in: 'wasm/src/course.js', out: 'course' },
    { in: 'wasm/src/workers/compiler-worker.js', out: 'workers/compiler-worker' },
    { in: 'wasm/src/workers/runner-worker.js', out: 'workers/runner-worker' },
    { in: 'wasm/src/course.css', out: 'course' },
  ],
  outdir,
  bundle: true,
  format: 'esm',
  // Pages load the kata and example widgets on demand (dynamic import), as shared chunks; chunks
  // sit next to course.js, since their code finds the static files relative to its own URL.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  platform: 'browser',
  target: ['es2022', 'chrome100', 'firefox100', 'safari16'],
  minify: !opts.dev,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  plugins: [compilerAlias],
  metafile: true,
});
const files = Object.entries(result.metafile.outputs).filter(([f]) => !f.endsWith('.map') && !f.endsWith('.LEGAL.txt'));
for (const [f, info] of files) console.log(`  ${f.replace(`${root}/`, '')}  ${(info.bytes / 1024).toFixed(1)} KiB`);
console.log(`build-frontend: ${files.length} files in ${Date.now() - started} ms (compiler: ${compilerModule.replace(`${root}/`, '')})`);
