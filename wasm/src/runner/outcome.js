// Turns whatever a WASI run threw into the learner-facing outcome the summary line uses.
// Kept apart from the worker so the wording is unit-tested in Node.

/** Thrown by imports the runner cannot honour, so the reason names the missing function. */
export class MissingImportError extends Error {
  constructor(module, name) {
    super(`the program called ${module}.${name}, which the in-page runner does not provide`);
    this.name = 'MissingImportError';
  }
}

/**
 * @param {unknown} err  what `_start()` threw (WASIProcExit is handled by the caller as an exit)
 * @returns {{kind:'crash', reason:string, detail:string}}
 */
export function crashOutcome(err) {
  const message = String(err?.message ?? err ?? '');
  const detail = `${err?.name ?? err?.constructor?.name ?? 'Error'}: ${message}`;
  const crash = (reason) => ({ kind: 'crash', reason, detail });

  if (err instanceof MissingImportError || err?.name === 'MissingImportError') return crash(message);
  // wasi-libc's abort() (what std::terminate ends in) is __builtin_trap, i.e. `unreachable`.
  if (/unreachable/i.test(message)) return crash('abort() called (std::terminate?)');
  // Deep or infinite recursion of wasm functions exhausts the engine's stack.
  if (/call stack|stack size|too much recursion|stack overflow/i.test(message)) return crash('stack overflow');
  if (/out of memory|Cannot allocate|maximum memory|memory\.grow|Memory\.grow/i.test(message)) return crash('out of memory');
  if (/memory access out of bounds/i.test(message)) return crash('memory access out of bounds (a dangling pointer or a destroyed coroutine frame?)');
  if (/divide by zero|integer divide/i.test(message)) return crash('integer division by zero');
  if (/indirect call|signature mismatch|null function|table index/i.test(message)) return crash('bad function pointer call (a destroyed object or coroutine frame?)');
  // A C++ exception nobody caught reaches JS as a WebAssembly.Exception (legacy wasm EH).
  if (typeof WebAssembly !== 'undefined' && WebAssembly.Exception && err instanceof WebAssembly.Exception) {
    return crash('uncaught C++ exception (std::terminate)');
  }
  if (err?.constructor?.name === 'Exception' && !message) return crash('uncaught C++ exception (std::terminate)');
  return crash(message ? message.split('\n')[0] : 'unknown error');
}
