// Long-lived worker around the in-page compiler (@yowasp/clang, wrapped by compiler/compiler.js).
// Created on the learner's first Run only — loading clang is tens of MB — then reused by every
// kata widget on the page.
//
// Protocol:
//   page → { type: 'init', assetsUrl }                 load the toolchain (idempotent)
//   page → { type: 'compile', id, kata, files }        files: { '<kata>.hpp': learner code }
//   worker → { type: 'progress', phase, loaded, total } while loading/compiling
//   worker → { type: 'ready' }
//   worker → { type: 'result', id, ok, stage: 'compile'|'link', wasm: ArrayBuffer|null, log, diagnostics, timings }
//   worker → { type: 'error', id?, message }           the compiler itself failed (not the learner)
//
// `acm-compiler` is resolved by wasm/build-frontend.mjs to wasm/src/compiler/compiler.js
// (or to a stand-in when that does not exist yet, or to a fake for tests: --compiler).
import { createCompiler } from 'acm-compiler';

let compilerPromise = null;

function init(assetsUrl) {
  compilerPromise ??= createCompiler({
    assetsUrl,
    fetchFn: (...a) => fetch(...a),
    onProgress: (p) => self.postMessage({ type: 'progress', ...normaliseProgress(p) }),
  }).then((c) => {
    self.postMessage({ type: 'ready' });
    return c;
  });
  compilerPromise.catch((err) => {
    self.postMessage({ type: 'error', message: `could not load the compiler: ${err?.message ?? err}` });
    compilerPromise = null; // allow a retry on the next Run
  });
  return compilerPromise;
}

// The compiler reports progress in its own shape; accept the obvious spellings.
function normaliseProgress(p) {
  if (typeof p === 'string') return { phase: p, loaded: 0, total: 0 };
  return {
    phase: String(p?.phase ?? p?.stage ?? p?.message ?? 'loading'),
    loaded: Number(p?.loaded ?? p?.bytes ?? p?.done ?? 0) || 0,
    total: Number(p?.total ?? p?.totalBytes ?? 0) || 0,
  };
}

self.onmessage = async (e) => {
  const msg = e.data;
  if (msg?.type === 'init') {
    init(msg.assetsUrl).catch(() => {});
    return;
  }
  if (msg?.type !== 'compile') return;
  try {
    const compiler = await init(msg.assetsUrl);
    const r = await compiler.compileKata({ kata: msg.kata, files: msg.files });
    let wasm = r.wasm ?? null;
    if (wasm && ArrayBuffer.isView(wasm)) wasm = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength);
    self.postMessage({
      type: 'result', id: msg.id, ok: !!r.ok && !!wasm, stage: r.stage ?? 'compile', wasm,
      log: String(r.log ?? ''), diagnostics: Array.isArray(r.diagnostics) ? r.diagnostics : [], timings: r.timings ?? {},
    }, wasm ? [wasm] : []);
  } catch (err) {
    self.postMessage({ type: 'error', id: msg.id, message: String(err?.message ?? err) });
  }
};
