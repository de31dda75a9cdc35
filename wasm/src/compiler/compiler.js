// Compiles a kata's doctest program to a WASI module with @yowasp/clang, in Node or in a Web
// Worker (no DOM used).
//
//   const compiler = await createCompiler({ assetsUrl, fetchFn, onProgress });
//   const r = await compiler.compileKata({ kata: 'staller', files: { 'staller.hpp': …, 'staller_test.cpp': … } });
//   // r: { ok, stage: 'compile'|'link'|'compiler-crash', wasm, log, diagnostics: [{file, line, column, severity, message}],
//   //      timings: {compile_ms, link_ms} }   (stage: where it stopped, or 'link' when it succeeded)
//
// assetsUrl is the directory wasm/toolchain/build.mjs wrote (manifest.json, kit.tar, gen/).
// Nothing is downloaded until the first compile (or an explicit `await compiler.load()`), because
// clang is ~90 MB and most readers never press Run. After that, clang stays loaded: every compile
// re-instantiates the already compiled wasm module, which is cheap.

import { tarToTree } from './tar.js';
import { undoFilters } from './pch-filter.js';
import {
  COMPILE_FLAGS, KIT_OBJECTS, KIT_ROOT, LINK_FLAGS, PCH_FILE, PCH_FILTERS, WORK_ROOT,
} from './flags.js';

const KATA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function baseUrl(assetsUrl) {
  const fallbackBase = globalThis.location?.href;
  const url = fallbackBase ? new URL(String(assetsUrl), fallbackBase) : new URL(String(assetsUrl));
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

// globalThis.fetch cannot read file: URLs in Node, which is where tests and benchmarks load the
// assets from. The specifier is computed so bundlers targeting the browser leave it alone.
async function defaultFetch(url, init) {
  const target = new URL(String(url));
  if (target.protocol === 'file:') {
    const fsModule = 'node:fs/promises';
    const { readFile } = await import(/* @vite-ignore */ fsModule);
    const data = await readFile(target);
    return new Response(data, { headers: { 'content-length': String(data.length) } });
  }
  return globalThis.fetch(target, init);
}

async function readWithProgress(response, onChunk) {
  if (!response.body) {
    const buffer = new Uint8Array(await response.arrayBuffer());
    onChunk(buffer.length);
    return buffer;
  }
  const reader = response.body.getReader();
  const chunks = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
    onChunk(value.length);
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) { out.set(chunk, offset); offset += chunk.length; }
  return out;
}

// Shows paths the way the learner knows them: their files by name, course headers as included.
export function displayPath(file) {
  if (file.startsWith(`${WORK_ROOT}/`)) return file.slice(WORK_ROOT.length + 1);
  if (file.startsWith(`${KIT_ROOT}/include/`)) return file.slice(KIT_ROOT.length + 9);
  return file;
}

const LOCATED = /^(.+?):(\d+):(\d+): (fatal error|error|warning|note): (.*)$/;
// wasm-ld names the object, which means nothing to the learner: "undefined symbol: f()" is the news.
const LINKER = /^wasm-ld: (error|warning): (?:[^:\s]+\.o: )?(.*)$/;
const UNLOCATED = /^(?:([\w+.-]+): )?(fatal error|error|warning|note): (.*)$/;

// Turns clang/wasm-ld output into structured diagnostics. Link errors have no source location:
// file is null and line/column are 0, so an editor can still show them at the top.
export function parseDiagnostics(log) {
  const diagnostics = [];
  for (const raw of log.split('\n')) {
    const line = raw.replace(/\r$/, '');
    let m = LOCATED.exec(line);
    if (m) {
      diagnostics.push({
        file: displayPath(m[1]),
        line: Number(m[2]),
        column: Number(m[3]),
        severity: m[4] === 'fatal error' ? 'error' : m[4],
        message: m[5],
      });
      continue;
    }
    m = LINKER.exec(line);
    if (m) {
      diagnostics.push({ file: null, line: 0, column: 0, severity: m[1], message: m[2], stage: 'link' });
      continue;
    }
    m = UNLOCATED.exec(line);
    if (m) {
      diagnostics.push({
        file: null,
        line: 0,
        column: 0,
        severity: m[2] === 'fatal error' ? 'error' : m[2],
        message: m[1] ? `${m[1]}: ${m[3]}` : m[3],
      });
    }
  }
  return diagnostics;
}

function treeGet(tree, vpath) {
  let node = tree;
  for (const part of vpath.replace(/^\//, '').split('/')) node = node?.[part];
  return node;
}

// The kit as clang's file tree, with the PCH put back as clang wrote it (see pch-filter.js).
export function openKit(kitBytes) {
  const kit = tarToTree(kitBytes);
  const filters = treeGet(kit, PCH_FILTERS);
  const pch = treeGet(kit, PCH_FILE);
  if (filters && pch) undoFilters(pch, JSON.parse(new TextDecoder().decode(filters)));
  return kit;
}

// The compiler itself failed (an LLVM assertion): say so, keep its output for the curious.
function crashedResult(log, reason, timings) {
  const message = 'the compiler crashed on this code: a bug in LLVM, not a mistake in yours. The full compiler output has its last words; writing the same thing another way usually avoids it.';
  return {
    ok: false, stage: 'compiler-crash', wasm: null,
    log: `${log}${log && !log.endsWith('\n') ? '\n' : ''}[compiler stopped: ${reason}]\n`,
    diagnostics: [{ file: null, line: 0, column: 0, severity: 'error', message }],
    timings,
  };
}

export async function createCompiler({ assetsUrl, fetchFn = defaultFetch, onProgress = () => {} } = {}) {
  if (!assetsUrl) throw new Error('createCompiler: assetsUrl is required');
  const base = baseUrl(assetsUrl);
  let loading = null;
  let clang = null;
  let kit = null;
  let queue = Promise.resolve();

  async function doLoad() {
    const manifestResponse = await fetchFn(new URL('manifest.json', base), { cache: 'no-cache' });
    if (!manifestResponse.ok) throw new Error(`toolchain manifest: HTTP ${manifestResponse.status}`);
    const manifest = await manifestResponse.json();
    const sizes = Object.fromEntries(Object.entries(manifest.files).map(([f, info]) => [f, info.size]));
    const clangTotal = Object.entries(sizes)
      .filter(([f]) => /^gen\/.*\.(wasm|tar)$/.test(f)).reduce((sum, [, size]) => sum + size, 0);
    const total = clangTotal + (sizes['kit.tar'] ?? 0);
    let clangDone = 0;
    let kitDone = 0;
    const report = () => onProgress({ phase: 'download', loaded: Math.min(clangDone + kitDone, total), total });
    report();

    // The bundle fetches gen/*.wasm and gen/llvm-resources.tar relative to its own URL. Files are
    // asked for by content hash (the toolchain build wrote them into the bundle and the
    // manifest), so the browser may keep them without asking again.
    const hashed = (file) => new URL(`${file}?v=${manifest.files[file]?.hash ?? manifest.version}`, base).href;
    const module = await import(/* @vite-ignore */ hashed('gen/bundle.js'));
    const fetchClang = module.runLLVM(null, {}, {
      fetchProgress: ({ doneLength }) => { clangDone = doneLength; report(); },
    });
    const fetchKit = fetchFn(hashed('kit.tar')).then((response) => {
      if (!response.ok) throw new Error(`kit.tar: HTTP ${response.status}`);
      return readWithProgress(response, (n) => { kitDone += n; report(); });
    });
    const [, kitBytes] = await Promise.all([fetchClang, fetchKit]);
    kit = openKit(kitBytes);
    clang = module;
    onProgress({ phase: 'ready', loaded: total, total });
  }

  function load() {
    loading ??= doLoad().catch((error) => { loading = null; throw error; });
    return loading;
  }

  async function run(tool, args, files) {
    let log = '';
    const decoder = new TextDecoder();
    const capture = (bytes) => { if (bytes) log += decoder.decode(bytes, { stream: true }); };
    try {
      const out = await clang.runClang([tool, ...args], files, { stdout: capture, stderr: capture, decodeASCII: false });
      return { ok: true, files: out, log };
    } catch (error) {
      if (error instanceof clang.Exit) return { ok: false, files: error.files, log, code: error.code };
      // An assertion inside LLVM ends in a trap, not an exit. The next run starts a fresh
      // instance, so the compiler stays usable; the learner needs to know it was not their fault.
      if (error instanceof WebAssembly.RuntimeError) {
        return { ok: false, files: null, log, code: null, crashed: `${error.message}` };
      }
      throw error;
    }
  }

  async function compileKataNow({ kata, files, usePch = true }) {
    if (!KATA_NAME.test(kata ?? '')) throw new Error(`compileKata: bad kata name ${JSON.stringify(kata)}`);
    const testFile = `${kata}_test.cpp`;
    if (typeof files?.[testFile] !== 'string' && !(files?.[testFile] instanceof Uint8Array)) {
      throw new Error(`compileKata: files must contain ${testFile}`);
    }
    await load();
    const encoder = new TextEncoder();
    const work = {};
    for (const [name, text] of Object.entries(files)) {
      if (name.includes('/') || name.startsWith('.')) throw new Error(`compileKata: bad file name ${name}`);
      work[name] = typeof text === 'string' ? encoder.encode(text) : text;
    }
    const object = `${WORK_ROOT}/${kata}_test.o`;
    const output = `${WORK_ROOT}/${kata}_test.wasm`;
    const timings = { compile_ms: 0, link_ms: 0 };
    const pch = usePch && treeGet(kit, PCH_FILE) ? ['-include-pch', PCH_FILE] : [];

    onProgress({ phase: 'compile' });
    let t0 = performance.now();
    const compiled = await run('clang++', [
      ...COMPILE_FLAGS, ...pch, `-I${WORK_ROOT}`, '-c', `${WORK_ROOT}/${testFile}`, '-o', object,
    ], { ...kit, [WORK_ROOT.slice(1)]: work });
    timings.compile_ms = performance.now() - t0;
    let log = compiled.log;
    if (compiled.crashed) return crashedResult(log, compiled.crashed, timings);
    if (!compiled.ok) {
      const diagnostics = parseDiagnostics(log);
      if (!diagnostics.some((d) => d.severity === 'error')) {
        diagnostics.push({ file: null, line: 0, column: 0, severity: 'error', message: `compiler exited with status ${compiled.code}` });
      }
      return { ok: false, stage: 'compile', wasm: null, log, diagnostics, timings };
    }

    onProgress({ phase: 'link' });
    t0 = performance.now();
    const objectBytes = treeGet(compiled.files, object);
    const linked = await run('clang++', [
      ...LINK_FLAGS, object, ...KIT_OBJECTS, '-o', output,
    ], { ...kit, [WORK_ROOT.slice(1)]: { [`${kata}_test.o`]: objectBytes } });
    timings.link_ms = performance.now() - t0;
    if (linked.log) log += (log && !log.endsWith('\n') ? '\n' : '') + linked.log;
    if (linked.crashed) return crashedResult(log, linked.crashed, timings);
    const diagnostics = parseDiagnostics(log);
    const wasm = linked.ok ? treeGet(linked.files, output) : null;
    if (!wasm) {
      if (!diagnostics.some((d) => d.severity === 'error')) {
        diagnostics.push({ file: null, line: 0, column: 0, severity: 'error', message: `linker exited with status ${linked.code ?? 'unknown'}` });
      }
      return { ok: false, stage: 'link', wasm: null, log, diagnostics, timings };
    }
    return { ok: true, stage: 'link', wasm, log, diagnostics, timings };
  }

  return {
    load,
    // Compiles run one at a time: clang runs synchronously inside this thread anyway, and a queue
    // keeps a quick second Run from interleaving with the first.
    compileKata(request) {
      const result = queue.then(() => compileKataNow(request));
      queue = result.catch(() => {});
      return result;
    },
  };
}
