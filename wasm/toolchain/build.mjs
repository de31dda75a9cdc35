#!/usr/bin/env node
// Builds the in-page toolchain assets with @yowasp/clang running in Node.
//
//   node wasm/toolchain/build.mjs --out _build/toolchain [--cache <dir>] [--src-root <dir>] [--force] [--sizes]
//
// Output (<out>/, served verbatim under _static/acm/toolchain/):
//   gen/bundle.js, gen/llvm.core*.wasm   @yowasp/clang's own files (hard links when possible)
//   gen/llvm-resources.tar               trimmed sysroot with an exception-enabled libc++abi.a
//   kit.tar                              /kit tree: acm + patched doctest headers, PCH, doctest main object
//   manifest.json                        sizes, content hashes, flags (what the compiler module reads)
//   *.br, *.gz beside the big files      precompressed copies for the server (brotli takes minutes
//                                        for clang's core, so it is done here, once, not per site build)
// Intermediate objects live in --cache (default: <out>-cache) and make reruns cheap: each step
// has a key hashed from its inputs and is skipped when the key is unchanged.
//
// Environment overrides (defaults are Debian package locations):
//   ACM_EMSCRIPTEN_LIB  emscripten's system/lib (libcxxabi and libunwind sources)
//   ACM_DOCTEST_HEADER  doctest.h to patch

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

import { precompressFile } from '../precompress.mjs';
import { readTar, writeTar } from '../src/compiler/tar.js';
import {
  COMPILE_FLAGS, KIT_OBJECTS, KIT_ROOT, PCH_HEADER, PCH_FILE, PCH_FILTERS, PCH_OBJECT,
} from '../src/compiler/flags.js';
import { applyFilters, undoFilters } from '../src/compiler/pch-filter.js';
import { chooseFilters } from './pch-tables.mjs';

// Bump when a change to this script alters outputs in a way the hashed inputs do not capture.
const SCRIPT_VERSION = 6;

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

// ---------------------------------------------------------------------------------------------
// command line

function parseArgs(argv) {
  const opts = { force: false, sizes: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--out') opts.out = value();
    else if (arg === '--cache') opts.cache = value();
    else if (arg === '--src-root') opts.srcRoot = value();
    else if (arg === '--force') opts.force = true;
    else if (arg === '--sizes') opts.sizes = true;
    else if (arg === '--verbose' || arg === '-v') opts.verbose = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!opts.out) throw new Error('usage: build.mjs --out <dir> [--cache <dir>] [--src-root <dir>] [--force] [--sizes]');
  opts.out = path.resolve(opts.out);
  opts.cache = path.resolve(opts.cache ?? `${opts.out}-cache`);
  // --src-root lets a test point the build at stand-in headers/sources without touching the repo.
  opts.srcRoot = path.resolve(opts.srcRoot ?? repoRoot);
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const emscriptenLib = process.env.ACM_EMSCRIPTEN_LIB ?? '/usr/share/emscripten/system/lib';
const doctestHeader = process.env.ACM_DOCTEST_HEADER ?? '/usr/include/doctest/doctest.h';

const started = performance.now();
const log = (msg) => console.log(`[toolchain ${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}`);

// ---------------------------------------------------------------------------------------------
// small helpers

const sha = (...parts) => {
  const h = createHash('sha256');
  for (const part of parts) h.update(typeof part === 'string' || part instanceof Uint8Array ? part : JSON.stringify(part));
  return h.digest('hex');
};

function listFiles(dir, base = dir) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, base));
    else if (entry.isFile()) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

// {relative/path: Uint8Array} -> nested tree for runClang
function toTree(flat) {
  const root = {};
  for (const [rel, data] of Object.entries(flat)) {
    const parts = rel.split('/');
    const leaf = parts.pop();
    let dir = root;
    for (const part of parts) dir = dir[part] ??= {};
    dir[leaf] = data;
  }
  return root;
}

function readDirFlat(dir, prefix, filter = () => true) {
  const flat = {};
  for (const rel of listFiles(dir)) if (filter(rel)) flat[`${prefix}/${rel}`] = new Uint8Array(fs.readFileSync(path.join(dir, rel)));
  return flat;
}

function treeGet(tree, vpath) {
  let node = tree;
  for (const part of vpath.replace(/^\//, '').split('/')) node = node?.[part];
  return node;
}

const equalBytes = (a, b) => a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;

function writeFileAtomic(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

const stampDir = path.join(opts.cache, 'stamps');

// Runs `fn` unless the step's stamp holds `key` and every output exists. Returns true if it ran.
async function step(name, key, outputs, fn) {
  const stamp = path.join(stampDir, name);
  const fresh = !opts.force && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === key
    && outputs.every((file) => fs.existsSync(file));
  if (fresh) {
    if (opts.verbose) log(`${name}: up to date`);
    return false;
  }
  const t0 = performance.now();
  await fn();
  writeFileAtomic(stamp, key);
  log(`${name}: built in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  return true;
}

// ---------------------------------------------------------------------------------------------
// clang in Node

// The package exports only its bundle; its package.json and gen/ sit next to it.
const clangGenDir = path.dirname(fileURLToPath(import.meta.resolve('@yowasp/clang')));
const clangPkg = JSON.parse(fs.readFileSync(path.join(clangGenDir, '..', 'package.json'), 'utf8'));

const loadedClangs = new Map();
// Each bundle URL is its own module instance with its own resource tar: the package's original one
// builds libc++abi (it needs only headers), the copy in <out>/gen (trimmed tar + our libc++abi)
// builds everything that the page will later link against, so both see the same sysroot.
async function clangFrom(bundleFile) {
  if (!loadedClangs.has(bundleFile)) {
    const t0 = performance.now();
    const mod = await import(pathToFileURL(bundleFile).href);
    await mod.runLLVM(null, {}, { fetchProgress: () => {} });
    if (opts.verbose) log(`loaded clang from ${path.relative(process.cwd(), bundleFile)} in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
    loadedClangs.set(bundleFile, mod);
  }
  return loadedClangs.get(bundleFile);
}

async function runTool(mod, tool, args, files) {
  let output = '';
  const decoder = new TextDecoder();
  const capture = (bytes) => { if (bytes) output += decoder.decode(bytes, { stream: true }); };
  const options = { stdout: capture, stderr: capture, decodeASCII: false };
  try {
    const result = tool === 'clang++'
      ? await mod.runClang(['clang++', ...args], files, options)
      : await mod.runLLVM([tool, ...args], files, options);
    return { ok: true, files: result, output };
  } catch (error) {
    if (error instanceof mod.Exit) return { ok: false, files: error.files, output, code: error.code };
    throw error;
  }
}

async function mustRun(mod, tool, args, files, what) {
  const result = await runTool(mod, tool, args, files);
  if (!result.ok) throw new Error(`${what} failed (exit ${result.code}):\n${tool} ${args.join(' ')}\n${result.output}`);
  if (result.output.trim() && opts.verbose) log(`${what}:\n${result.output}`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// step 1: @yowasp/clang's files under <out>/gen

const GEN_FILES = fs.readdirSync(clangGenDir).filter((f) => f === 'bundle.js' || /^llvm\.core\d*\.wasm$/.test(f)).sort();
const outGen = path.join(opts.out, 'gen');

// Text patches to @yowasp/clang's bundle.js (the pinned version; each must match exactly once).
const BUNDLE_PATCHES = [
  {
    // Its in-memory file system copies a whole file on every write, and LLVM writes an object
    // file in tens of thousands of small pieces: for a kata test (190 KB) that is gigabytes of
    // copying, seconds of every compile. Grow the file's buffer geometrically instead. A file's
    // bytes may be a view into a larger buffer (e.g. the kit tar), so only a buffer this code
    // allocated itself (__acmBuffer) is ever written past the file's end.
    what: 'amortised file writes',
    find: `  write(contents) {
    const offset = Number(this.offset);
    const newData = new Uint8Array(Math.max(this.file.data.length, offset + contents.length));
    newData.set(this.file.data);
    newData.subarray(offset).set(contents);
    this.file.data = newData;
    this.offset += BigInt(contents.length);
  }`,
    replace: `  write(contents) {
    const offset = Number(this.offset);
    const end = offset + contents.length;
    const file = this.file;
    if (file.__acmBuffer === void 0 || file.data.buffer !== file.__acmBuffer || file.data.byteOffset !== 0 || end > file.__acmBuffer.byteLength) {
      const grown = new ArrayBuffer(Math.max(end, 2 * file.data.length, 4096));
      new Uint8Array(grown).set(file.data);
      file.__acmBuffer = grown;
    }
    file.data = new Uint8Array(file.__acmBuffer, 0, Math.max(file.data.length, end));
    file.data.set(contents, offset);
    this.offset += BigInt(contents.length);
  }`,
  },
  {
    // Progress is counted on a copy of each download (Response.clone()), and compileStreaming
    // gets the response the browser fetched. A response rebuilt from a stream, as the package
    // does, has no URL, so the browser can neither cache the compiled compiler nor reuse it on
    // the next visit, which then compiles 75 MB of WebAssembly again.
    what: 'progress without rebuilding the response',
    find: `      fetchFn = (input, init) => fetch_default(input, init).then((response) => {
        return new Response(response.body.pipeThrough(new TransformStream({
          transform(chunk, controller) {
            controller.enqueue(chunk);
            status.doneLength += chunk.length;
            fetchProgress(status);
          }
        })), response);
      });`,
    replace: `      fetchFn = (input, init) => fetch_default(input, init).then((response) => {
        const reader = response.clone().body.getReader();
        const count = () => reader.read().then(({ done, value }) => {
          if (done) return;
          status.doneLength += value.length;
          fetchProgress(status);
          return count();
        });
        count().catch(() => {});
        return response;
      });`,
  },
];

// Patches a file of a pinned package. Each patch must match exactly once: anything else means
// the package changed, and the patch needs a look rather than a silent miss.
function applyPatches(text, patches, file) {
  for (const { what, find, replace } of patches) {
    const count = text.split(find).length - 1;
    if (count !== 1) throw new Error(`${file}: patch "${what}" matched ${count} times, expected once; did the package change?`);
    text = text.replace(find, () => replace);
  }
  return text;
}

function patchedBundle() {
  return applyPatches(fs.readFileSync(path.join(clangGenDir, 'bundle.js'), 'utf8'), BUNDLE_PATCHES, 'bundle.js');
}

async function stepGen() {
  const wasmFiles = GEN_FILES.filter((f) => f !== 'bundle.js');
  const identity = wasmFiles.map((f) => {
    const st = fs.statSync(path.join(clangGenDir, f));
    return [f, st.size, st.mtimeMs];
  });
  await step('gen', sha(String(SCRIPT_VERSION), clangPkg.version, identity), wasmFiles.map((f) => path.join(outGen, f)), () => {
    fs.mkdirSync(outGen, { recursive: true });
    for (const f of wasmFiles) {
      const dest = path.join(outGen, f);
      fs.rmSync(dest, { force: true });
      // A hard link costs no disk for the 75 MB core and survives `cp -r` into the site.
      try { fs.linkSync(path.join(clangGenDir, f), dest); } catch { fs.copyFileSync(path.join(clangGenDir, f), dest); }
    }
  });
}

const contentHash = (file) => sha(fs.readFileSync(file)).slice(0, 16);

// The bundle names the files it fetches with their content hash (`llvm.core.wasm?v=<hash>`), so
// a browser may keep them for good: a rebuilt toolchain is a new URL. Being spared revalidation
// also keeps the browser's cache of the compiled compiler valid from one visit to the next.
async function stepBundle() {
  const fetched = [...GEN_FILES.filter((f) => f !== 'bundle.js'), 'llvm-resources.tar'];
  const hashes = Object.fromEntries(fetched.map((f) => [f, contentHash(path.join(outGen, f))]));
  const source = fs.readFileSync(path.join(clangGenDir, 'bundle.js'));
  const dest = path.join(outGen, 'bundle.js');
  await step('bundle', sha(String(SCRIPT_VERSION), source, BUNDLE_PATCHES, hashes), [dest], () => {
    const text = applyPatches(patchedBundle(), Object.entries(hashes).map(([f, hash]) => ({
      what: `fetch ${f} by its content hash`,
      find: `new URL("./${f}", import.meta.url)`,
      replace: `new URL("./${f}?v=${hash}", import.meta.url)`,
    })), 'bundle.js');
    fs.rmSync(dest, { force: true }); // it may be a hard link into node_modules from older builds
    writeFileAtomic(dest, text);
  });
}

// ---------------------------------------------------------------------------------------------
// step 2: exception-enabled libc++abi + libunwind

// The file set emscripten's tools/system_libs.py builds for wasm exceptions, plus cxa_vector.
const ABI_SOURCES = [
  'abort_message', 'cxa_aux_runtime', 'cxa_default_handlers', 'cxa_demangle', 'cxa_guard',
  'cxa_handlers', 'cxa_virtual', 'cxa_thread_atexit', 'fallback_malloc', 'stdlib_new_delete',
  'stdlib_exception', 'stdlib_stdexcept', 'stdlib_typeinfo', 'private_typeinfo',
  'cxa_exception_storage', 'cxa_personality', 'cxa_vector',
].map((n) => `/src/libcxxabi/src/${n}.cpp`).concat([
  // cxa_exception.cpp, wrapped to add __cxa_init_primary_exception (see the file).
  '/src/overlay/cxa_exception_ext.cpp',
  '/src/libunwind/src/Unwind-wasm.c',
  '/src/overlay/cpp_exception_tag.s',
]);

// Text patches applied to the Debian sources in memory. Each must match exactly once, so an
// updated package fails loudly here instead of building something subtly different.
const ABI_PATCHES = [
  {
    file: '/src/libunwind/src/config.h',
    // Emscripten's copy only knows its own target; wasm32-wasip1 needs no weak-alias macro either.
    find: '#elif defined(__EMSCRIPTEN__)\n',
    replace: '#elif defined(__EMSCRIPTEN__) || defined(__wasi__)\n',
  },
];

const ABI_FLAGS = [
  '--target=wasm32-wasip1', '-fwasm-exceptions', '-O2', '-DNDEBUG',
  '-D__USING_WASM_EXCEPTIONS__', '-D_LIBCXXABI_HAS_NO_THREADS', '-D_LIBUNWIND_HAS_NO_THREADS',
  '-D_LIBCPP_BUILDING_LIBRARY', '-D_LIBCXXABI_BUILDING_LIBRARY',
  // libunwind's config.h takes any non-ELF target for Windows and reaches for __declspec; in a
  // static archive the annotations do nothing anyway.
  '-D_LIBUNWIND_DISABLE_VISIBILITY_ANNOTATIONS',
  '-I/src/overlay', '-I/src/libcxxabi/include', '-I/src/libunwind/include', '-I/src/libcxxabi/src', '-I/src/libcxx',
  '-include', '/src/overlay/compat.h',
];

function abiSourceTree() {
  const flat = {
    ...readDirFlat(path.join(emscriptenLib, 'libcxxabi/src'), 'src/libcxxabi/src', (f) => /\.(cpp|h|def)$/.test(f)),
    ...readDirFlat(path.join(emscriptenLib, 'libcxxabi/include'), 'src/libcxxabi/include'),
    ...readDirFlat(path.join(emscriptenLib, 'libunwind/src'), 'src/libunwind/src', (f) => /\.(c|h|hpp)$/.test(f)),
    ...readDirFlat(path.join(emscriptenLib, 'libunwind/include'), 'src/libunwind/include'),
    // stdlib_stdexcept.cpp shares libc++'s refcounted string via "src/include/refstring.h".
    ...readDirFlat(path.join(emscriptenLib, 'libcxx/src/include'), 'src/libcxx/src/include'),
    ...readDirFlat(path.join(here, 'abi'), 'src/overlay'),
  };
  const encoder = new TextEncoder();
  for (const patch of ABI_PATCHES) {
    const key = patch.file.slice(1);
    const text = new TextDecoder().decode(flat[key]);
    const count = text.split(patch.find).length - 1;
    if (count !== 1) throw new Error(`patch for ${patch.file} matched ${count} times; the Debian sources changed`);
    flat[key] = encoder.encode(text.replace(patch.find, patch.replace));
  }
  return flat;
}

const abiArchive = path.join(opts.cache, 'abi', 'libc++abi.a');

async function stepAbi() {
  const flat = abiSourceTree();
  const treeKey = sha(String(SCRIPT_VERSION), clangPkg.version, ABI_FLAGS, ABI_PATCHES,
    ...Object.keys(flat).sort().flatMap((k) => [k, flat[k]]));
  let archiveKey = '';
  await step('abi', treeKey, [abiArchive], async () => {
    const mod = await clangFrom(path.join(clangGenDir, 'bundle.js'));
    const tree = toTree(flat);
    const objects = {};
    const keep = new Set();
    for (const source of ABI_SOURCES) {
      const name = path.basename(source).replace(/\.[^.]+$/, '.o');
      // clang++ would compile a .c file as C++, mangling libunwind's C entry points.
      const lang = source.endsWith('.cpp') ? ['-std=c++17'] : source.endsWith('.c') ? ['-x', 'c'] : [];
      const args = [...ABI_FLAGS, ...lang, '-c', source, '-o', `/obj/${name}`];
      // Per-object cache: an edit to one adaptation should not recompile cxa_demangle (10+ s).
      const objectKey = sha(treeKey, args).slice(0, 16);
      keep.add(objectKey);
      const cached = path.join(opts.cache, 'abi', `${name}.${objectKey}`);
      if (fs.existsSync(cached)) { objects[name] = new Uint8Array(fs.readFileSync(cached)); continue; }
      const t0 = performance.now();
      const result = await mustRun(mod, 'clang++', args, tree, `compile ${source}`);
      objects[name] = treeGet(result.files, `/obj/${name}`);
      writeFileAtomic(cached, objects[name]);
      if (opts.verbose) log(`  ${name} ${((performance.now() - t0) / 1000).toFixed(1)}s`);
    }
    const names = Object.keys(objects).sort();
    const result = await mustRun(mod, 'ar', ['rcs', '/obj/libc++abi.a', ...names.map((n) => `/obj/${n}`)], { obj: objects }, 'archive libc++abi.a');
    writeFileAtomic(abiArchive, treeGet(result.files, '/obj/libc++abi.a'));
    // Drop per-object files of older keys so the cache does not grow without bound.
    for (const f of fs.readdirSync(path.dirname(abiArchive))) {
      const m = /\.o\.([0-9a-f]{16})$/.exec(f);
      if (m && !keep.has(m[1])) fs.rmSync(path.join(path.dirname(abiArchive), f));
    }
  });
  archiveKey = sha(fs.readFileSync(abiArchive));
  return archiveKey;
}

// ---------------------------------------------------------------------------------------------
// step 3: trimmed llvm-resources.tar

// What a wasm32-wasip1 C++ compile never reads. Paths are relative to the tar root (= /usr).
const TRIM_RULES = [
  /^include\/c\+\+\/v1\/__cxx03(\/|$)/,            // libc++'s frozen C++03 headers; we compile C++20
  /^include\/(cuda_wrappers|fuzzer|hlsl|llvm_libc_wrappers|llvm_offload_wrappers|openmp_wrappers|orc|ppc_wrappers|profile|sanitizer|xray|zos_wrappers)(\/|$)/,
  // other targets' intrinsics and offload headers; wasm_simd128.h and the generic C headers stay
  /^include\/[^/]*(intrin|_neon|_sve|_sme|_mve|_cde|_acle|_cmse|altivec|hexagon|hvx_|vecintrin|opencl|__clang_cuda|__clang_hip|__clang_spirv|riscv_|sifive_|andes_|larchintrin|lasx|lsx|msa|cpuid|cet\.h|mm_malloc|mm3dnow|s390|htm|amo\.h|arm64intr|armintr|velintrin|ptrauth|wmmintrin|gfni|__wmmintrin)[^/]*$/,
  /^include\/module\.modulemap$/,
  /\.so$/,                                          // no dynamic linking in a WASI command
  /^share(\/|$)/,                                   // libc++'s `import std` module sources
  /^lib\/wasm32-wasip1\/libc\+\+\.modules\.json$/,
  /^lib\/wasm32-unknown-wasip1\/libclang_rt\.profile\.a$/,
  // libc++'s module map and include-what-you-use mapping: only read with -fmodules or by IWYU
  /^include\/c\+\+\/v1\/(module\.modulemap|libcxx\.imp)$/,
  // libraries a page link never names: its flags are fixed (flags.js), and clang++ links only
  // crt1-command.o, libc, libc++, libc++abi, the builtins and -lwasi-emulated-signal
  /^lib\/wasm32-wasip1\/(libc-printscan-[a-z-]+|libc\+\+experimental|libwasi-emulated-(mman|getpid|process-clocks)|libsetjmp|libdl)\.a$/,
  /^lib\/wasm32-wasip1\/crt1(-reactor)?\.o$/,
];
const ABI_IN_TAR = 'lib/wasm32-wasip1/libc++abi.a';
const outTar = path.join(outGen, 'llvm-resources.tar');

async function stepTar(abiKey) {
  const source = path.join(clangGenDir, 'llvm-resources.tar');
  const st = fs.statSync(source);
  const key = sha(String(SCRIPT_VERSION), clangPkg.version, String(st.size), String(st.mtimeMs), TRIM_RULES.map(String), abiKey);
  await step('tar', key, [outTar], () => {
    const abi = new Uint8Array(fs.readFileSync(abiArchive));
    let replaced = false;
    const kept = [];
    for (const entry of readTar(fs.readFileSync(source))) {
      if (TRIM_RULES.some((re) => re.test(entry.name))) continue;
      if (entry.name === ABI_IN_TAR) { kept.push({ ...entry, data: abi }); replaced = true; continue; }
      kept.push(entry);
    }
    if (!replaced) throw new Error(`${ABI_IN_TAR} not found in the package's resource tar`);
    writeFileAtomic(outTar, writeTar(kept));
  });
  return key;
}

// ---------------------------------------------------------------------------------------------
// step 4: the kit (headers, PCH, prebuilt objects) as one tar mounted at /kit

const DOCTEST_PATCHES = [
  {
    // doctest 2.4.9 assumes every WASI toolchain lacks exceptions; ours has wasm EH, and the kata
    // tests need CHECK_THROWS and exception reporting.
    what: 'exceptions on WASI',
    find: '        || defined(__wasi__)\n#define DOCTEST_CONFIG_NO_EXCEPTIONS',
    replace: '        || (defined(__wasi__) && !defined(__wasm_exception_handling__))\n#define DOCTEST_CONFIG_NO_EXCEPTIONS',
  },
  {
    // Compile speed, same output. A string literal in INFO/CAPTURE/CHECK is a `const char[N]`,
    // and doctest stringifies it through eight templates (toString, StringMaker, toStream,
    // filloss, filldata...) instantiated again for every length N: a third of the functions in
    // a kata test's object. Give literals a direct overload: one small template per length,
    // writing exactly what filldata<const char[N]> writes (no terminating NUL).
    what: 'one template per string literal length',
    find: 'DOCTEST_INTERFACE String toString(String in);\n',
    replace: 'DOCTEST_INTERFACE String toString(String in);\n\n'
      + 'template <size_t N>\n'
      + 'String toString(const char (&in)[N]) { return String(in, in[N - 1] ? N : N - 1); } // NOLINT(*-avoid-c-arrays)\n',
  },
  {
    what: 'MessageBuilder takes string literals directly',
    find: '        template <typename T>\n        MessageBuilder& operator*(const T& in) { return this->operator,(in); }\n',
    replace: '        template <typename T>\n        MessageBuilder& operator*(const T& in) { return this->operator,(in); }\n\n'
      + '        template <size_t N>\n'
      + '        MessageBuilder& operator,(const char (&in)[N]) { return literal(in, in[N - 1] ? N : N - 1); } // NOLINT(*-avoid-c-arrays)\n'
      + '        template <size_t N>\n'
      + '        MessageBuilder& operator<<(const char (&in)[N]) { return literal(in, in[N - 1] ? N : N - 1); } // NOLINT(*-avoid-c-arrays)\n'
      + '        template <size_t N>\n'
      + '        MessageBuilder& operator*(const char (&in)[N]) { return literal(in, in[N - 1] ? N : N - 1); } // NOLINT(*-avoid-c-arrays)\n'
      + '        MessageBuilder& literal(const char* in, String::size_type size) {\n'
      + '            *m_stream << String(in, size);\n'
      + '            return *this;\n'
      + '        }\n',
  },
];

function patchedDoctest() {
  return new TextEncoder().encode(applyPatches(fs.readFileSync(doctestHeader, 'utf8'), DOCTEST_PATCHES, doctestHeader));
}

// Standard headers the kata tests include themselves; everything else the PCH holds comes with
// doctest and acm. (Every header in the PCH adds to the download, so it holds what a kata test
// needs, not what a learner might: a learner's extra <map> is parsed in their compile.)
const PCH_STD_HEADERS = ['chrono', 'coroutine', 'exception', 'stdexcept', 'string', 'vector'];

// The acm headers in the PCH: what <acm/acm.hpp> includes, which is what every kata test
// includes (the simulated file, HTTP and process headers serve the page examples, not the katas).
// Template instances the kata tests need whatever the learner writes: instantiated in the PCH,
// so -fpch-codegen compiles them once into pch.o and a learner's compile only refers to them.
// (A template that a header merely defines is instantiated, and compiled, in every TU that uses
// it; these were a fifth of a kata test's code.) A name that no longer exists fails the PCH build.
const PCH_INSTANCES = [
  // the coroutine that runs an async_with block (async_with.hpp), for bodies returning
  // Task<void> (every kata) and Task<int> (Timeout's tests)...
  'template acm::Task<void> acm::detail::run_block<void>(std::unique_ptr<acm::detail::BlockOf<void>>);',
  'template acm::Task<int> acm::detail::run_block<int>(std::unique_ptr<acm::detail::BlockOf<int>>);',
  // ... awaiting the body, and the kata managers' aexit() (a Task<bool>), from it
  'template class acm::detail::PendingStep<acm::Task<void>, acm::detail::TaskPromise<void>>;',
  'template class acm::detail::PendingStep<acm::Task<bool>, acm::detail::TaskPromise<void>>;',
  'template class acm::detail::PendingStep<acm::Task<int>, acm::detail::TaskPromise<int>>;',
  'template class acm::detail::PendingStep<acm::Task<bool>, acm::detail::TaskPromise<int>>;',
  // acm::run on a Task<void> (every kata) and a Task<bool> (Closer's tests)
  'template void acm::run<void>(acm::Task<void>);',
  'template void acm::EventLoop::run<void>(acm::Task<void>);',
  'template bool acm::run<bool>(acm::Task<bool>);',
  'template bool acm::EventLoop::run<bool>(acm::Task<bool>);',
];

function acmHeaders(includeDir) {
  const umbrella = path.join(includeDir, 'acm/acm.hpp');
  if (!fs.existsSync(umbrella)) return [];
  return [...fs.readFileSync(umbrella, 'utf8').matchAll(/^#include ["<](acm\/[^">]+)[">]/gm)]
    .map((m) => m[1]);
}

// How the PCH is built. -fpch-instantiate-templates: the templates the headers use are
// instantiated once, here, not again in every learner compile. -fpch-codegen: the headers'
// inline functions and those instantiations are compiled once, into pch.o (linked into every
// test program), instead of into every learner's object: with a header-only runtime that is
// most of a kata test's code. Together they halve the in-page compile.
const PCH_BUILD_FLAGS = ['-fpch-codegen', '-fpch-instantiate-templates', '-Xclang', '-fno-pch-timestamp'];
// What is compiled once (pch.o: the runtime's event loop and std containers; doctest's main) is
// worth optimising; learner compiles use COMPILE_FLAGS as they are.
const PREBUILT_FLAGS = COMPILE_FLAGS.map((f) => (/^-O/.test(f) ? '-O1' : f));

// Sources compiled ahead of time into kit/lib/<name>.o (linked into every test program).
const KIT_SOURCES = ['doctest_main.cpp'];

const outKit = path.join(opts.out, 'kit.tar');
// The filters' code is part of what the kit is made from.
const PCH_FILTER_CODE = ['../src/compiler/pch-filter.js', './pch-tables.mjs'].map((f) => fs.readFileSync(path.join(here, f)));

async function stepKit(tarKey) {
  const includeDir = path.join(opts.srcRoot, 'include');
  const srcDir = path.join(opts.srcRoot, 'src');
  const headers = {
    ...readDirFlat(path.join(includeDir, 'acm'), 'kit/include/acm'),
    'kit/include/doctest/doctest.h': patchedDoctest(),
  };
  const acm = acmHeaders(includeDir);
  if (acm.length === 0) log(`warning: no ${includeDir}/acm/acm.hpp; the PCH holds only std + doctest`);
  const pchSource = [
    '// Generated by wasm/toolchain/build.mjs: everything a kata test TU includes, precompiled once.',
    ...PCH_STD_HEADERS.map((h) => `#include <${h}>`),
    '#include <doctest/doctest.h>',
    ...acm.map((h) => `#include <${h}>`),
    ...(acm.length ? PCH_INSTANCES : []),
    '',
  ].join('\n');
  headers[PCH_HEADER.slice(1)] = new TextEncoder().encode(pchSource);

  const sources = {};
  for (const name of KIT_SOURCES) {
    const file = path.join(srcDir, name);
    if (fs.existsSync(file)) sources[name] = new Uint8Array(fs.readFileSync(file));
    else log(`warning: ${path.relative(process.cwd(), file)} does not exist; kit ships without ${name.replace(/\.cpp$/, '.o')} and links will fail`);
  }

  const key = sha(String(SCRIPT_VERSION), tarKey, COMPILE_FLAGS, PCH_HEADER, PCH_BUILD_FLAGS, PREBUILT_FLAGS, KIT_OBJECTS, PCH_FILTER_CODE,
    ...Object.keys(headers).sort().flatMap((k) => [k, headers[k]]),
    ...Object.keys(sources).sort().flatMap((k) => [k, sources[k]]));
  await step('kit', key, [outKit], async () => {
    const mod = await clangFrom(path.join(outGen, 'bundle.js'));
    const files = toTree(headers);
    const built = {};
    for (const [name, data] of Object.entries(sources)) {
      const object = `${KIT_ROOT}/lib/${name.replace(/\.cpp$/, '.o')}`;
      const vsrc = `/src/${name}`;
      const t0 = performance.now();
      const result = await mustRun(mod, 'clang++', [...PREBUILT_FLAGS, '-c', vsrc, '-o', object], { ...files, src: { [name]: data } }, `compile src/${name}`);
      built[object.slice(1)] = treeGet(result.files, object);
      log(`  src/${name} -> ${object} ${((performance.now() - t0) / 1000).toFixed(1)}s`);
    }
    let t0 = performance.now();
    // -fno-pch-timestamp (in PCH_BUILD_FLAGS): the in-memory FS has no mtimes, so the PCH must
    // only check sizes.
    const result = await mustRun(mod, 'clang++',
      [...COMPILE_FLAGS, ...PCH_BUILD_FLAGS, '-x', 'c++-header', PCH_HEADER, '-o', PCH_FILE], files, 'precompile kata.hpp');
    const pch = treeGet(result.files, PCH_FILE);
    built[PCH_FILE.slice(1)] = pch;
    log(`  PCH ${PCH_FILE} ${(pch.length / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
    t0 = performance.now();
    const pchObject = await mustRun(mod, 'clang++', [...PREBUILT_FLAGS, '-c', PCH_FILE, '-o', PCH_OBJECT],
      { ...files, kit: { ...files.kit, pch: { ...files.kit.pch, [path.basename(PCH_FILE)]: pch } } }, 'compile the PCH into pch.o');
    built[PCH_OBJECT.slice(1)] = treeGet(pchObject.files, PCH_OBJECT);
    log(`  ${PCH_OBJECT} ${(built[PCH_OBJECT.slice(1)].length / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)}s`);

    // The PCH travels with its offset tables filtered to compress better (pch-tables.mjs); the
    // compiler undoes the filters before clang reads it. Checked here, byte for byte.
    t0 = performance.now();
    const filters = chooseFilters(pch);
    const filtered = applyFilters(pch.slice(), filters);
    if (!equalBytes(undoFilters(filtered.slice(), filters), pch)) throw new Error('PCH filters do not undo exactly');
    built[PCH_FILE.slice(1)] = filtered;
    built[PCH_FILTERS.slice(1)] = new TextEncoder().encode(`${JSON.stringify(filters)}\n`);
    log(`  ${filters.length} PCH tables filtered in ${((performance.now() - t0) / 1000).toFixed(1)}s`);

    const all = { ...headers, ...built };
    const dirs = new Set();
    for (const rel of Object.keys(all)) {
      const parts = rel.split('/');
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    }
    const entries = [...dirs].sort().map((name) => ({ name, type: 'directory' }))
      .concat(Object.keys(all).sort().map((name) => ({ name, type: 'file', data: all[name] })));
    writeFileAtomic(outKit, writeTar(entries));
  });
  return key;
}

// ---------------------------------------------------------------------------------------------
// step 5: manifest

async function stepManifest(keys) {
  const files = [...GEN_FILES.map((f) => `gen/${f}`), 'gen/llvm-resources.tar', 'kit.tar'];
  const identity = files.map((f) => [f, fs.statSync(path.join(opts.out, f)).size]);
  const manifestFile = path.join(opts.out, 'manifest.json');
  const bundleHash = contentHash(path.join(outGen, 'bundle.js'));
  await step('manifest', sha(String(SCRIPT_VERSION), keys, identity, bundleHash, String(opts.sizes)), [manifestFile], () => {
    const manifest = {
      // Changes whenever any served byte may change.
      version: sha(keys, identity).slice(0, 16),
      clang: clangPkg.version,
      // The page fetches bundle.js and kit.tar as <file>?v=<hash>, which may be cached for good.
      files: Object.fromEntries(identity.map(([f, size]) => [f, { size, hash: contentHash(path.join(opts.out, f)) }])),
    };
    if (opts.sizes) {
      for (const f of files) manifest.files[f].gzip = zlib.gzipSync(fs.readFileSync(path.join(opts.out, f)), { level: 6 }).length;
    }
    writeFileAtomic(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  });
}

// ---------------------------------------------------------------------------------------------
// step 6: compressed siblings (kept while newer than their source, see wasm/precompress.mjs)

async function stepCompress() {
  const files = [...GEN_FILES.map((f) => `gen/${f}`), 'gen/llvm-resources.tar', 'kit.tar'];
  // The small files are quick; the core and the kit are compressed in parallel (one core each).
  await Promise.all(files.map(async (f) => {
    const t0 = performance.now();
    const written = await precompressFile(path.join(opts.out, f));
    if (written.length) log(`compress ${f} (${written.join(', ')}): ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  }));
}

// ---------------------------------------------------------------------------------------------

try {
  fs.mkdirSync(opts.out, { recursive: true });
  await stepGen();
  const abiKey = await stepAbi();
  const tarKey = await stepTar(abiKey);
  await stepBundle();
  const kitKey = await stepKit(tarKey);
  await stepManifest([abiKey, tarKey, kitKey]);
  await stepCompress();
  log(`done -> ${path.relative(process.cwd(), opts.out) || '.'}`);
} catch (error) {
  console.error(`[toolchain] ${error.message}`);
  process.exit(1);
}
