// Page-side clients of the two workers, plus asset URLs.
//
// Asset paths in the widgets' JSON are relative to the `acm/` static directory, which is where
// the bundled course.js lives, so they resolve against this module's own URL.
export const ASSET_BASE = new URL('.', import.meta.url);
export const assetUrl = (rel) => new URL(rel, ASSET_BASE);

// A kata's tests run in virtual time and finish in milliseconds; a run still busy after this
// long is stuck, and the learner should hear so well within ten seconds of pressing Run.
export const WATCHDOG_SECONDS = 5;

export async function fetchBytes(rel) {
  const res = await fetch(assetUrl(rel));
  if (!res.ok) throw new Error(`${rel}: HTTP ${res.status}`);
  return res.arrayBuffer();
}

/**
 * Runs a WASI module in a fresh worker with a watchdog.
 * @returns {{ done: Promise<outcome>, cancel: () => void }}
 *   outcome: { kind:'exit', code } | { kind:'crash', reason } | { kind:'watchdog', seconds } | { kind:'cancelled' }
 * `on` receives stdout(text), stderr(text), results(line), trace(line), truncated(stream, limit), started().
 */
export function runInWorker({ wasm, args = [], env = {}, programName, on = {}, watchdogSeconds = WATCHDOG_SECONDS }) {
  const worker = new Worker(assetUrl('workers/runner-worker.js'), { type: 'module', name: `acm-run-${programName ?? 'program'}` });
  let settle;
  const done = new Promise((resolve) => { settle = resolve; });
  let finished = false;
  let watchdog = null;
  const finish = (outcome) => {
    if (finished) return;
    finished = true;
    clearTimeout(watchdog);
    worker.terminate();
    settle(outcome);
  };
  const arm = (seconds) => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => finish({ kind: 'watchdog', seconds: watchdogSeconds }), seconds * 1000);
  };
  // Until the module is instantiated the learner's code has not started; allow generous time
  // for compiling the module, then give the program itself exactly the watchdog's budget.
  arm(watchdogSeconds + 20);
  worker.onmessage = (e) => {
    const m = e.data;
    if (finished) return;
    switch (m?.type) {
      case 'started': arm(watchdogSeconds); on.started?.(); break;
      case 'stdout': on.stdout?.(m.text); break;
      case 'stderr': on.stderr?.(m.text); break;
      case 'results': on.results?.(m.line); break;
      case 'trace': on.trace?.(m.line); break;
      case 'truncated': on.truncated?.(m.stream, m.limit); break;
      case 'done': finish(m.outcome); break;
      default: break;
    }
  };
  worker.onerror = (e) => {
    e.preventDefault?.();
    finish({ kind: 'crash', reason: `the runner could not start (${e.message || 'worker error'})` });
  };
  // Copy, not transfer: the caller may run the same bytes again.
  worker.postMessage({ type: 'run', wasm, args, env, programName });
  return { done, cancel: () => finish({ kind: 'cancelled' }) };
}

/** The single, lazily created compiler worker shared by every widget on the page. */
class CompilerClient {
  constructor() {
    this.worker = null;
    this.nextId = 1;
    this.pending = new Map();
    this.progressListeners = new Set();
    this.ready = false;
    this.queue = Promise.resolve();
  }

  start() {
    if (this.worker) return;
    this.worker = new Worker(assetUrl('workers/compiler-worker.js'), { type: 'module', name: 'acm-compiler' });
    this.worker.onmessage = (e) => this.onMessage(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault?.();
      this.failAll(`the compiler worker failed: ${e.message || 'unknown error'}`);
      this.worker?.terminate();
      this.worker = null;
    };
    this.worker.postMessage({ type: 'init', assetsUrl: assetUrl('toolchain/').href });
  }

  onMessage(m) {
    if (m?.type === 'progress') for (const l of this.progressListeners) l(m);
    else if (m?.type === 'ready') {
      this.ready = true;
      for (const l of this.progressListeners) l({ phase: 'ready', loaded: 0, total: 0 });
    } else if (m?.type === 'result' || m?.type === 'error') {
      if (m.id == null) {
        if (m.type === 'error') this.failAll(m.message);
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.type === 'result') p.resolve(m);
      else p.reject(new Error(m.message));
    }
  }

  failAll(message) {
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
  }

  /** One compile at a time: clang in a worker is single-threaded anyway. */
  compile({ kata, files, onProgress }) {
    const job = this.queue.then(() => new Promise((resolve, reject) => {
      this.start();
      const id = this.nextId++;
      if (onProgress) this.progressListeners.add(onProgress);
      const cleanup = () => onProgress && this.progressListeners.delete(onProgress);
      this.pending.set(id, { resolve: (v) => { cleanup(); resolve(v); }, reject: (e) => { cleanup(); reject(e); } });
      this.worker.postMessage({ type: 'compile', id, kata, files, assetsUrl: assetUrl('toolchain/').href });
    }));
    this.queue = job.catch(() => {});
    return job;
  }
}

export const compiler = new CompilerClient();

/** localStorage that never throws (private mode, disabled storage). */
export const store = {
  get(key) { try { return window.localStorage.getItem(key); } catch { return null; } },
  set(key, value) { try { window.localStorage.setItem(key, value); } catch { /* storage unavailable */ } },
  remove(key) { try { window.localStorage.removeItem(key); } catch { /* storage unavailable */ } },
};

export const KATAS = [
  { kata: 'staller', title: 'Staller' },
  { kata: 'closer', title: 'Closer' },
  { kata: 'spotlight', title: 'Spotlight' },
  { kata: 'timeout', title: 'Timeout' },
];
export const solvedKey = (kata) => `acm:solved:${kata}`;
export const codeKey = (kata) => `acm:code:${kata}`;
