// Example widget: the page shows the code and its expected output (rendered by Sphinx); this adds
// a Run button that runs the prebuilt example wasm and shows what it printed — and, for examples
// marked `simulate`, the LED/camera/timeline of that run.
import { h } from './dom.js';
import { ConsoleView } from './results-view.js';
import { fetchBytes, runInWorker } from './services.js';
import { SimulationPanel } from './sim/panel.js';

export class ExampleWidget {
  constructor(root, data) {
    this.root = root;
    this.data = data;
    this.runBtn = h('button', { type: 'button', class: 'acm-btn acm-btn--primary', dataset: { action: 'run' }, onclick: () => this.run() },
      h('span', { 'aria-hidden': 'true' }, '▶ '), 'Run this example');
    this.summary = h('span', { class: 'acm-summary', dataset: { role: 'summary' }, 'aria-live': 'polite' });
    this.console = new ConsoleView();
    this.console.el.open = true;
    this.console.el.querySelector('summary').textContent = 'What it printed just now';
    this.panel = data.simulate ? new SimulationPanel() : null;
    root.append(h('div', { class: 'acm-example__ui' },
      h('div', { class: 'acm-toolbar' }, this.runBtn, this.summary),
      this.console.el, this.panel?.el));
    root.classList.add('acm-ready');
  }

  async run() {
    this.runBtn.disabled = true;
    this.root.dataset.state = 'running';
    this.summary.textContent = 'running…';
    this.console.clear();
    const trace = [];
    let traceTruncated = false;
    try {
      this.wasm ??= await fetchBytes(this.data.wasm);
    } catch (err) {
      this.summary.textContent = `could not load the example (${err.message})`;
      this.runBtn.disabled = false;
      this.root.dataset.state = 'done';
      return;
    }
    const run = runInWorker({
      wasm: this.wasm, args: [], env: this.data.simulate ? { ACM_TRACE: '/out/trace.jsonl' } : {}, programName: this.data.name,
      on: {
        stdout: (t) => this.console.write('stdout', t),
        stderr: (t) => this.console.write('stderr', t),
        trace: (l) => trace.push(l),
        truncated: (stream, limit) => { if (stream === 'trace') traceTruncated = limit; else this.console.markTruncated(stream, limit); },
      },
    });
    const outcome = await run.done;
    this.summary.textContent = outcome.kind === 'exit' ? (outcome.code === 0 ? 'finished (exit code 0)' : `finished with exit code ${outcome.code}`)
      : outcome.kind === 'watchdog' ? `stopped by the watchdog after ${outcome.seconds} s` : `crashed: ${outcome.reason}`;
    if (this.console.pre.childNodes.length === 0) this.console.write('stdout', '(no output)');
    this.panel?.show(trace, { label: 'This run', truncated: traceTruncated, defaultName: this.data.name });
    this.runBtn.disabled = false;
    this.root.dataset.state = 'done';
  }
}
