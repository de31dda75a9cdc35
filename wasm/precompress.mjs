#!/usr/bin/env node
// Writes compressed siblings (`name.br`, `name.gz`) of a built site's text and wasm files, so
// tools/serve.py (or any static server that negotiates precompressed files) can send them.
//
//   node wasm/precompress.mjs <dir>...
//
// Why ahead of time: the in-page compiler is ~100 MB uncompressed. Brotli at its highest
// quality shrinks clang's 75 MB core to ~15 MB (gzip: 23 MB) but needs minutes, far too slow to
// do per request. Chromium accepts `br` from http://localhost and https sites; `gz` is for
// browsers that do not offer `br` (plain http to a LAN address).
//
// A sibling is rewritten only when it is older than its source, so reruns are cheap and the
// toolchain's siblings (made once by wasm/toolchain/build.mjs) survive `cp -a` into the site.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export const COMPRESSIBLE = /\.(html|js|mjs|css|json|jsonl|map|svg|txt|wasm|tar|pch|o|a|xml)$/;
const MIN_BYTES = 1024;

export const ENCODINGS = [
  {
    suffix: '.br',
    compress: (data) => brotli(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        // 16 MiB window (the format's maximum without the large-window extension browsers lack).
        [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  },
  { suffix: '.gz', compress: (data) => gzip(data, { level: 9 }) },
];

function isFresh(source, sibling) {
  try {
    return fs.statSync(sibling).mtimeMs >= fs.statSync(source).mtimeMs;
  } catch {
    return false;
  }
}

/** Compresses one file into each missing or stale sibling. Returns the encodings written. */
export async function precompressFile(file) {
  const stale = ENCODINGS.filter((e) => !isFresh(file, file + e.suffix));
  if (stale.length === 0) return [];
  const data = fs.readFileSync(file);
  const written = [];
  await Promise.all(stale.map(async (e) => {
    const out = await e.compress(data);
    const sibling = file + e.suffix;
    // Not worth a sibling (already compressed data): a stale one must not be served instead.
    if (out.length > data.length * 0.95) {
      fs.rmSync(sibling, { force: true });
      return;
    }
    const tmp = `${sibling}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, out);
    fs.renameSync(tmp, sibling);
    written.push(e.suffix.slice(1));
  }));
  return written;
}

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

export async function precompressTree(dir, { log = () => {} } = {}) {
  const files = [...walk(dir)].filter((f) => COMPRESSIBLE.test(f) && fs.statSync(f).size >= MIN_BYTES);
  // Largest first, two at a time: the machine this runs on has two cores, and the big files
  // dominate the total.
  files.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
  let count = 0;
  const queue = [...files];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const t0 = performance.now();
      const written = await precompressFile(file);
      if (written.length) {
        count += 1;
        const ms = performance.now() - t0;
        if (ms > 1000) log(`${path.relative(dir, file)}: ${written.join(', ')} in ${(ms / 1000).toFixed(1)} s`);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  return { files: files.length, compressed: count };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) {
    console.error('usage: node wasm/precompress.mjs <dir>...');
    process.exit(2);
  }
  for (const dir of dirs) {
    const t0 = performance.now();
    const { files, compressed } = await precompressTree(dir, { log: (m) => console.log(`  ${m}`) });
    console.log(`precompress ${dir}: ${compressed} of ${files} files (re)compressed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}
