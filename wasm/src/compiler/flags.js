// Compiler and linker flags for kata test programs built in the page. The toolchain build
// (wasm/toolchain/build.mjs) compiles the PCH and the doctest main object with exactly these, and
// the worker compiles the learner's TU with them: a PCH is only accepted by a compile whose
// language options and macros match the ones it was built with, so there must be one list.

// Where the kit (acm + doctest headers, PCH, prebuilt objects) is mounted in clang's in-memory FS.
export const KIT_ROOT = '/kit';
// Where the learner's files and the test TU are placed.
export const WORK_ROOT = '/work';

export const PCH_HEADER = `${KIT_ROOT}/pch/kata.hpp`;
export const PCH_FILE = `${PCH_HEADER}.pch`;
// How the PCH's tables were rearranged for the download (pch-filter.js); undone on arrival.
export const PCH_FILTERS = `${PCH_FILE}.filters.json`;
// The PCH's inline functions and template instances, compiled once (-fpch-codegen).
export const PCH_OBJECT = `${KIT_ROOT}/lib/pch.o`;

// Prebuilt objects linked into every test program, in link order.
export const KIT_OBJECTS = [`${KIT_ROOT}/lib/doctest_main.o`, PCH_OBJECT];

export const COMPILE_FLAGS = [
  '--target=wasm32-wasip1',
  '-std=c++20',
  // Legacy wasm EH encoding (clang's default with this flag): exnref modules do not load in Node 20.
  '-fwasm-exceptions',
  // -O0: with the headers' code compiled into pch.o ahead of time (see PCH_OBJECT), what is left
  // to compile is the tests and the learner's class, and unoptimised code generation for that is
  // the quickest way to results (about half of -O1's time). A kata's tests run for milliseconds.
  '-O0',
  // doctest's implementation uses <signal.h>; every TU gets the define so PCH and TU agree.
  '-D_WASI_EMULATED_SIGNAL',
  // libc++ without the includes it keeps only for old code's sake (its own recommended mode): a
  // sixth less precompiled header to download. Code that names what it uses is unaffected.
  '-D_LIBCPP_REMOVE_TRANSITIVE_INCLUDES',
  // -isystem: warnings from the course runtime and doctest are not the learner's to fix.
  `-isystem${KIT_ROOT}/include`,
  '-fno-color-diagnostics',
  // @yowasp/clang is built with LLVM's assertions on, which also makes clang keep the names of
  // IR values and check its own IR after generating it, as only compiler developers need: a
  // release clang does neither. Both off: about a twentieth of a kata compile.
  '-fdiscard-value-names',
  '-Xclang', '-disable-llvm-verifier',
];

// The most memory a learner's program may have. A kata needs a few MB; a runaway allocation
// should fail at once with std::bad_alloc rather than take gigabytes from the learner's machine.
export const MAX_MEMORY_BYTES = 512 * 1024 * 1024;

export const LINK_FLAGS = [
  '--target=wasm32-wasip1',
  '-fwasm-exceptions',
  '-lwasi-emulated-signal',
  // wasm-ld's default stack is 64 KiB; doctest plus nested coroutine resumption can exceed it.
  '-Wl,-z,stack-size=1048576',
  // The stack below the program's data: an overflow then runs off address 0 and traps at once,
  // instead of silently overwriting globals. The exported stack pointer lets the runner tell
  // such a trap ("stack overflow") from a stray pointer.
  '-Wl,--stack-first',
  '-Wl,--export=__stack_pointer',
  `-Wl,--max-memory=${MAX_MEMORY_BYTES}`,
];
