// One run of one WASI program. The page starts a FRESH worker per run and terminates it when the
// watchdog fires, so a learner's infinite loop never blocks the page and leaves nothing behind.
//
// Protocol (page → worker, once):
//   { type: 'run', wasm: ArrayBuffer | WebAssembly.Module, args: string[], env: {k: v}, programName }
// worker → page, as things happen (postMessage from inside the running program is delivered
// even while the program keeps the worker busy, which is what lets a killed run keep its output):
//   { type: 'started' }                       instantiated; the watchdog may start counting
//   { type: 'stdout' | 'stderr', text }       learner output, capped per stream
//   { type: 'truncated', stream, limit }      stream ∈ stdout | stderr | results | trace
//   { type: 'results' | 'trace', line }       one complete JSON line of /out/results.jsonl | /out/trace.jsonl
//   { type: 'done', outcome }                 { kind: 'exit', code } | { kind: 'crash', reason, detail }
import { runWasi } from '../runner/wasi-run.js';

self.onmessage = async (e) => {
  const msg = e.data;
  if (msg?.type !== 'run') return;
  const post = (m) => self.postMessage(m);
  let outcome;
  try {
    outcome = await runWasi({
      module: msg.wasm,
      args: msg.args ?? [],
      env: msg.env ?? {},
      programName: msg.programName ?? 'program',
      on: {
        started: () => post({ type: 'started' }),
        stdout: (text) => post({ type: 'stdout', text }),
        stderr: (text) => post({ type: 'stderr', text }),
        truncated: (stream, limit) => post({ type: 'truncated', stream, limit }),
        results: (line) => post({ type: 'results', line }),
        trace: (line) => post({ type: 'trace', line }),
      },
    });
  } catch (err) {
    outcome = { kind: 'crash', reason: `the runner failed: ${err?.message ?? err}`, detail: String(err?.stack ?? err) };
  }
  post({ type: 'done', outcome });
};
