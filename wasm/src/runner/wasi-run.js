// Runs one WASI test program (or example) with @bjorn3/browser_wasi_shim and streams what it
// writes. Used by workers/runner-worker.js; has no worker or DOM dependencies, so Node can run it
// too (tests/js).
//
// Why custom File/Fd classes: the shim's in-memory files only expose their bytes after the run,
// but a run the watchdog kills (or that traps) must still show the results and trace lines it
// managed to write. So every write to /out/results.jsonl, /out/trace.jsonl, stdout and stderr is
// forwarded as it happens, split into complete lines for the .jsonl files.

import { WASI, WASIProcExit, File, OpenFile, Fd, PreopenDirectory, Inode, wasi as defs } from '@bjorn3/browser_wasi_shim';
import { LineSplitter } from '../results-model.js';
import { crashOutcome, MissingImportError } from './outcome.js';

export const DEFAULT_LIMITS = {
  outputBytes: 64 * 1024, // per stream, for learner stdout/stderr
  traceLines: 50000, // a trace this long is a runaway; the timeline could not show more anyway
  resultLines: 20000,
};

const TAIL_CHARS = 4096;

/** A file whose every write is also handed to `onWrite(bytes)`, whatever fd the program used. */
class StreamingFile extends File {
  constructor(onWrite) {
    super(new ArrayBuffer(0));
    this.onWrite = onWrite;
  }
  path_open(oflags, rightsBase, fdFlags) {
    const r = super.path_open(oflags, rightsBase, fdFlags);
    if (r.fd_obj) r.fd_obj = new StreamingOpenFile(this);
    if (r.fd_obj && fdFlags & defs.FDFLAGS_APPEND) r.fd_obj.fd_seek(0n, defs.WHENCE_END);
    return r;
  }
}

// Forwards writes and keeps nothing: the page only ever appends to these files and reads them
// through onWrite. (The shim's own OpenFile copies the whole file on every write that grows it,
// which for a 40 000-line trace is billions of bytes copied — a run that never seems to end.)
class StreamingOpenFile extends OpenFile {
  fd_write(data) {
    this.file.onWrite(data);
    this.file_pos += BigInt(data.byteLength);
    return { ret: 0, nwritten: data.byteLength };
  }
  fd_pwrite(data) {
    this.file.onWrite(data);
    return { ret: 0, nwritten: data.byteLength };
  }
}

/** stdout/stderr: forwards text up to a byte cap, then says once that it truncated. */
class CappedOutput extends Fd {
  constructor(cap, onText, onTruncated) {
    super();
    this.ino = Inode.issue_ino();
    this.cap = cap;
    this.used = 0;
    this.decoder = new TextDecoder('utf-8', { fatal: false });
    this.onText = onText;
    this.onTruncated = onTruncated;
    this.truncated = false;
    // The end of the stream, kept even past the cap: a dying program's last words (libc++abi's
    // "terminating due to ...") name the reason for the crash.
    this.tailDecoder = new TextDecoder('utf-8', { fatal: false });
    this.tail = '';
  }
  fd_filestat_get() {
    return { ret: 0, filestat: new defs.Filestat(this.ino, defs.FILETYPE_CHARACTER_DEVICE, 0n) };
  }
  fd_fdstat_get() {
    const st = new defs.Fdstat(defs.FILETYPE_CHARACTER_DEVICE, 0);
    st.fs_rights_base = BigInt(defs.RIGHTS_FD_WRITE);
    return { ret: 0, fdstat: st };
  }
  fd_write(data) {
    this.tail = (this.tail + this.tailDecoder.decode(data, { stream: true })).slice(-TAIL_CHARS);
    // Always claim the whole write succeeded: a program must not loop or fail because the
    // page stopped listening.
    if (!this.truncated) {
      const room = this.cap - this.used;
      const part = data.byteLength > room ? data.subarray(0, room) : data;
      this.used += part.byteLength;
      const text = this.decoder.decode(part, { stream: part === data });
      if (text) this.onText(text);
      if (part !== data) {
        this.truncated = true;
        this.onTruncated(this.cap);
      }
    }
    return { ret: 0, nwritten: data.byteLength };
  }
}

/**
 * @param {object} o
 * @param {WebAssembly.Module|ArrayBuffer|Uint8Array} o.module
 * @param {string[]} o.args        argv without argv[0]
 * @param {Record<string,string>} o.env
 * @param {object} o.on            callbacks: stdout(text), stderr(text), truncated(stream, cap),
 *                                 results(line), trace(line), started()
 * @returns {Promise<{kind:'exit', code:number} | {kind:'crash', reason:string, detail:string}>}
 */
export async function runWasi({ module, args = [], env = {}, on = {}, limits = DEFAULT_LIMITS, programName = 'program' }) {
  const noop = () => {};
  const cb = { stdout: noop, stderr: noop, truncated: noop, results: noop, trace: noop, started: noop, ...on };

  const jsonlFile = (sink, maxLines, streamName) => {
    let count = 0;
    const dec = new TextDecoder('utf-8', { fatal: false });
    const split = new LineSplitter((line) => {
      count += 1;
      if (count <= maxLines) sink(line);
      else if (count === maxLines + 1) cb.truncated(streamName, maxLines);
    });
    return new StreamingFile((bytes) => split.push(dec.decode(bytes, { stream: true })));
  };

  const outDir = new PreopenDirectory('/out', new Map([
    ['results.jsonl', jsonlFile(cb.results, limits.resultLines, 'results')],
    ['trace.jsonl', jsonlFile(cb.trace, limits.traceLines, 'trace')],
  ]));
  const stderr = new CappedOutput(limits.outputBytes, cb.stderr, (cap) => cb.truncated('stderr', cap));
  const fds = [
    new OpenFile(new File(new ArrayBuffer(0), { readonly: true })), // stdin: empty
    new CappedOutput(limits.outputBytes, cb.stdout, (cap) => cb.truncated('stdout', cap)),
    stderr,
    outDir,
  ];
  const wasi = new WASI([programName, ...args], Object.entries(env).map(([k, v]) => `${k}=${v}`), fds);

  let mod;
  try {
    mod = module instanceof WebAssembly.Module ? module : await WebAssembly.compile(module);
  } catch (e) {
    return { kind: 'crash', reason: `the program is not a valid WebAssembly module (${e.message})`, detail: String(e) };
  }

  let instance;
  const imports = buildImports(mod, wasi, () => instance);
  try {
    instance = await WebAssembly.instantiate(mod, imports);
  } catch (e) {
    return crashOutcome(e);
  }

  cb.started();
  try {
    // The shim turns proc_exit into a return value; main returning is code 0.
    const code = wasi.start(instance);
    return { kind: 'exit', code };
  } catch (e) {
    if (e instanceof WASIProcExit) return { kind: 'exit', code: e.code };
    const { __stack_pointer: sp, memory } = instance.exports;
    return crashOutcome(e, {
      stderrTail: stderr.tail,
      stackPointer: sp instanceof WebAssembly.Global ? sp.value : null,
      memoryBytes: memory instanceof WebAssembly.Memory ? memory.buffer.byteLength : null,
    });
  }
}

/**
 * wasi_snapshot_preview1 from the shim, plus everything else the module imports. Emscripten's
 * standalone output imports `env.__call_sighandler` (used by raise()); the runner calls the handler
 * through the module's exported function table, as Emscripten's own JS would. Anything else
 * becomes a trap that names the import, instead of an opaque LinkError before the run starts.
 */
function buildImports(mod, wasi, getInstance) {
  const imports = { wasi_snapshot_preview1: { ...wasi.wasiImport } };
  for (const imp of WebAssembly.Module.imports(mod)) {
    if (imp.kind !== 'function') continue;
    const ns = (imports[imp.module] ??= {});
    if (ns[imp.name]) continue;
    // Emscripten's standalone output announces memory growth to its JS glue; nothing to do here.
    if (imp.module === 'env' && imp.name === 'emscripten_notify_memory_growth') {
      ns[imp.name] = () => {};
      continue;
    }
    if (imp.module === 'env' && imp.name === '__call_sighandler') {
      ns[imp.name] = (fp, sig) => {
        const table = getInstance()?.exports.__indirect_function_table;
        const fn = table?.get(fp);
        if (!fn) throw new MissingImportError('env', '__call_sighandler (no function table)');
        fn(sig);
      };
      continue;
    }
    ns[imp.name] = () => {
      throw new MissingImportError(imp.module, imp.name);
    };
  }
  return imports;
}
