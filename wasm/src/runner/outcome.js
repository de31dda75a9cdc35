// Turns whatever a WASI run threw into the learner-facing outcome the summary line uses.
// Kept apart from the worker so the wording is unit-tested in Node.

/** Thrown by imports the runner cannot honour, so the reason names the missing function. */
export class MissingImportError extends Error {
  constructor(module, name) {
    super(`the program called ${module}.${name}, which the in-page runner does not provide`);
    this.name = 'MissingImportError';
  }
}

// libc++abi's default terminate handler says why it is about to abort() on stderr.
// ("terminating with uncaught exception of type T: what" in the libc++abi this course builds,
// "terminating due to uncaught exception of type ..." in later ones.)
const TERMINATE_WITH_EXCEPTION = /libc\+\+abi: terminating (?:due to|with) (?:uncaught|unexpected) exception of type ([^\n]*)/;
const TERMINATE = /libc\+\+abi: terminating/;

/**
 * @param {unknown} err  what `_start()` threw (WASIProcExit is handled by the caller as an exit)
 * @param {object} [context]  what the runner knows about the program when it died:
 *   stderrTail (the last few KB it wrote to stderr), stackPointer (its `__stack_pointer`, when the
 *   module exports it) and memoryBytes (its linear memory size)
 * @returns {{kind:'crash', reason:string, detail:string}}
 */
export function crashOutcome(err, { stderrTail = '', stackPointer = null, memoryBytes = null } = {}) {
  const message = String(err?.message ?? err ?? '');
  const detail = `${err?.name ?? err?.constructor?.name ?? 'Error'}: ${message}`;
  const crash = (reason) => ({ kind: 'crash', reason, detail });

  if (err instanceof MissingImportError || err?.name === 'MissingImportError') return crash(message);
  // The course's programs keep their C++ stack at the bottom of linear memory (-Wl,--stack-first),
  // so running off its end moves the stack pointer below 0 (or, wrapped, past the memory) and the
  // next store traps — distinguishable from a stray pointer by where the stack pointer is.
  const cStackOverflowed = typeof stackPointer === 'number' && (stackPointer < 0 || (memoryBytes != null && stackPointer > memoryBytes));
  // Deep recursion of wasm functions themselves exhausts the engine's stack instead.
  const engineStackOverflowed = /call stack|stack size|too much recursion|stack overflow/i.test(message);
  if (cStackOverflowed || engineStackOverflowed) return crash('stack overflow (endless recursion?)');
  // wasi-libc's abort() is __builtin_trap, i.e. `unreachable`; so is std::terminate, which first
  // says why on stderr, and so is reaching the end of a function that should have returned a value.
  if (/unreachable/i.test(message)) {
    const uncaught = TERMINATE_WITH_EXCEPTION.exec(stderrTail);
    if (uncaught) return crash(`std::terminate() after an uncaught exception of type ${uncaught[1].trim()}`);
    if (TERMINATE.test(stderrTail)) return crash('std::terminate() was called');
    return crash('the program aborted (abort() was called, or a function ended without returning its value)');
  }
  if (/out of memory|Cannot allocate|maximum memory|memory\.grow|Memory\.grow/i.test(message)) return crash('out of memory');
  if (/memory access out of bounds/i.test(message)) return crash('memory access out of bounds (a dangling pointer or a destroyed coroutine frame?)');
  if (/divide by zero|integer divide/i.test(message)) return crash('integer division by zero');
  if (/indirect call|signature mismatch|null function|table index/i.test(message)) return crash('bad function pointer call (a destroyed object or coroutine frame?)');
  // A C++ exception nobody caught reaches JS as a WebAssembly.Exception (legacy wasm EH).
  if (typeof WebAssembly !== 'undefined' && WebAssembly.Exception && err instanceof WebAssembly.Exception) {
    return crash('an exception escaped main() (std::terminate)');
  }
  if (err?.constructor?.name === 'Exception' && !message) return crash('an exception escaped main() (std::terminate)');
  return crash(message ? message.split('\n')[0] : 'unknown error');
}
