#!/usr/bin/env node
// Runs a WASI command module under Node:  node wasm/node/run_wasi.mjs module.wasm [args...]
//
// Used as CTest's CROSSCOMPILING_EMULATOR for Emscripten `-sSTANDALONE_WASM` builds and to run the
// modules the in-page compiler produces. Exits with the module's exit code.
//
// - argv[0] seen by the module is the module's file name (doctest prints it as the binary name).
// - Environment: only variables starting with ACM_ (e.g. ACM_TRACE) are passed, so a run does not
//   depend on the caller's shell.
// - Files: the host root is preopened as "/". Relative paths in ACM_* values and in doctest's
//   --out=/-out=/--dt-out= are made absolute against the host cwd first, because neither libc
//   (wasi-libc's emulated cwd is "/") would otherwise resolve them where the caller meant.
//   Note: Emscripten 3.1.6's standalone libc cannot open files at all (its open() returns EPERM
//   for anything but /dev/std*), so for Emscripten-built modules use /dev/stdout or /dev/stderr.
// - Emscripten standalone modules import a few `env` functions a WASI host lacks; they are
//   provided below. A module trap or an uncaught wasm exception exits with 134, like an abort.

import fs from 'node:fs';
import path from 'node:path';

const [modulePath, ...moduleArgs] = process.argv.slice(2);
if (!modulePath) {
  console.error('usage: run_wasi.mjs module.wasm [args...]');
  process.exit(2);
}

// node:wasi prints an ExperimentalWarning on stderr; tests that compare stderr must not see it.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === 'string' ? warning : warning?.message ?? '';
  if (/WASI/.test(text)) return;
  emitWarning.call(process, warning, ...rest);
};
const { WASI } = await import('node:wasi');

const absolutize = (value) => (value === '' || path.isAbsolute(value) || value.startsWith('/dev/') ? value : path.resolve(value));

const args = moduleArgs.map((arg) => {
  const m = /^(--?(?:dt-)?out=)(.*)$/.exec(arg);
  return m ? m[1] + absolutize(m[2]) : arg;
});

const env = {};
for (const [key, value] of Object.entries(process.env)) {
  // Only variables that name files are rewritten; others (limits, flags) pass unchanged.
  if (key.startsWith('ACM_')) env[key] = /^ACM_TRACE$|_(FILE|PATH|DIR|OUT)$/.test(key) ? absolutize(value) : value;
}

const wasi = new WASI({
  version: 'preview1',
  args: [path.basename(modulePath), ...args],
  env,
  preopens: { '/': '/' },
  returnOnExit: true,
});

const bytes = fs.readFileSync(modulePath);
let module;
try {
  module = await WebAssembly.compile(bytes);
} catch (error) {
  console.error(`run_wasi: ${modulePath}: not a loadable wasm module: ${error.message}`);
  process.exit(126);
}

let instance;
const imports = { wasi_snapshot_preview1: wasi.wasiImport };

// Emscripten's standalone raise() calls back into JS to invoke a signal handler stored in the
// function table; there is no JS glue in standalone mode, so the runner plays that part.
const envImports = {
  __call_sighandler(fp, sig) {
    instance.exports.__indirect_function_table.get(fp)(sig);
  },
  emscripten_notify_memory_growth() {},
};

for (const imp of WebAssembly.Module.imports(module)) {
  if (imp.module === 'wasi_snapshot_preview1') continue;
  imports[imp.module] ??= {};
  if (imp.module === 'env' && imp.name in envImports) {
    imports.env[imp.name] = envImports[imp.name];
  } else if (imp.kind === 'function') {
    // Fail at the call, not at load: many modules import helpers they never reach.
    imports[imp.module][imp.name] = () => {
      throw new Error(`run_wasi: the module called ${imp.module}.${imp.name}, which this runner does not provide`);
    };
  }
}

try {
  instance = await WebAssembly.instantiate(module, imports);
} catch (error) {
  console.error(`run_wasi: cannot instantiate ${modulePath}: ${error.message}`);
  process.exit(126);
}

let code;
try {
  code = instance.exports._start ? wasi.start(instance) : (wasi.initialize(instance), 0);
} catch (error) {
  if (error instanceof WebAssembly.Exception) {
    console.error('run_wasi: terminated by an uncaught C++ exception');
  } else if (error instanceof WebAssembly.RuntimeError) {
    console.error(`run_wasi: the module trapped: ${error.message}`);
  } else {
    console.error(`run_wasi: ${error?.stack ?? error}`);
  }
  code = 134;
}
process.exitCode = code ?? 0;
