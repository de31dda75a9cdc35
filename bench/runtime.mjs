// `make bench` (runtime part): runs bench/runtime_bench natively and as WebAssembly under Node in
// the same run, and prints each figure with the ratio wasm / native. Figures, not pass/fail.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const [nativeExe, wasmModule] = process.argv.slice(2);
const runner = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'wasm', 'node', 'run_wasi.mjs');

function figures(command, args) {
  const out = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return Object.fromEntries(out.trim().split('\n').map((l) => JSON.parse(l)).map((f) => [f.figure, f]));
}

const native = figures(nativeExe, []);
const wasm = figures(process.execPath, [runner, wasmModule]);

const fmt = (v) => v.toLocaleString('en-US', v < 100 ? { maximumSignificantDigits: 3 } : { maximumFractionDigits: 0 });
console.log('\nRuntime throughput (higher is better; best of 3; baseline = native g++ -O3, same run; ratio = wasm / native)');
console.log(`${'figure'.padEnd(14)} ${'native'.padStart(14)} ${'wasm (node)'.padStart(14)}  ratio  unit`);
for (const [name, n] of Object.entries(native)) {
  const w = wasm[name];
  console.log(`${name.padEnd(14)} ${fmt(n.value).padStart(14)} ${fmt(w.value).padStart(14)}  ${(w.value / n.value).toFixed(2)}x  ${n.unit}`);
}
