// The kata widget: editor, tests, hints, solution, Run → compile → run → results + simulation.
import { h, paragraphs } from './dom.js';
import { createEditor, createReadonlyViewer, setDoc, showDiagnostics, clearDiagnostics, revealPosition, scrollToLine } from './editor.js';
import { summaryLine, isSolved } from './results-model.js';
import { ConsoleView, LiveResults } from './results-view.js';
import { compiler, fetchBytes, runInWorker, store, codeKey, solvedKey, WATCHDOG_SECONDS } from './services.js';
import { SimulationPanel } from './sim/panel.js';

const TEST_ARGS = ['--reporters=json', '--out=/out/results.jsonl'];
const TRACE_ENV = { ACM_TRACE: '/out/trace.jsonl' };
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

export class KataWidget {
  constructor(section, data) {
    this.section = section;
    this.data = data;
    this.kata = data.kata;
    this.hintsShown = 0;
    this.currentRun = null;
    this.runSeq = 0;
    this.compiling = false;
    this.build();
    // For the browser tests and a curious learner's console: the widget behind the section.
    section.acmWidget = this;
  }

  /** The code in the editor. */
  code() {
    return this.editor.state.doc.toString();
  }

  build() {
    const d = this.data;
    const saved = store.get(codeKey(this.kata));
    const title = this.kata.charAt(0).toUpperCase() + this.kata.slice(1);

    this.solvedBadge = h('span', { class: 'acm-badge acm-badge--solved', dataset: { role: 'solved' }, hidden: store.get(solvedKey(this.kata)) !== '1' }, '✓ solved');
    this.runBtn = h('button', { type: 'button', class: 'acm-btn acm-btn--primary', dataset: { action: 'run' }, title: `Compile and run the tests (${isMac ? '⌘' : 'Ctrl'}+Enter)`, onclick: () => this.run() },
      h('span', { 'aria-hidden': 'true' }, '▶ '), 'Run');
    this.hintBtn = h('button', { type: 'button', class: 'acm-btn', dataset: { action: 'hint' }, onclick: () => this.nextHint() });
    const resetBtn = h('button', { type: 'button', class: 'acm-btn', dataset: { action: 'reset' }, onclick: () => this.reset() }, 'Reset');
    const solutionBtn = h('button', { type: 'button', class: 'acm-btn acm-btn--quiet', dataset: { action: 'solution' }, onclick: () => this.showSolution() }, 'Show solution');

    this.progress = h('div', { class: 'acm-loadbar', dataset: { role: 'compiler-progress' }, hidden: true },
      this.progressLabel = h('span', { class: 'acm-loadbar__label' }),
      this.progressBar = h('progress', { class: 'acm-loadbar__bar', max: 1 }));

    const editorHost = h('div', { class: 'acm-editor' });
    this.editor = createEditor(editorHost, {
      doc: saved ?? d.starter ?? '',
      label: `${d.header}: your code`,
      onRun: () => this.run(),
      onChange: (doc) => this.autosave(doc),
    });

    const testsHost = h('div', { class: 'acm-editor acm-editor--readonly' });
    createReadonlyViewer(testsHost, d.tests ?? '', `${d.test_file} (read-only)`);

    this.hintList = h('ol', { class: 'acm-hints', dataset: { role: 'hints' }, 'aria-live': 'polite' });
    this.updateHintButton();

    this.summary = h('p', { class: 'acm-summary', dataset: { role: 'summary' }, 'aria-live': 'polite' });
    this.runLabel = h('span', { class: 'acm-runlabel', dataset: { role: 'run-label' } });
    this.timing = h('span', { class: 'acm-timing' });
    this.resultsList = h('ol', { class: 'acm-results', dataset: { role: 'results' } });
    this.diagnosticsList = h('ul', { class: 'acm-diagnostics', dataset: { role: 'diagnostics' } });
    this.compileLog = h('details', { class: 'acm-compile-log', dataset: { role: 'compile-log' }, hidden: true },
      h('summary', {}, 'Full compiler output'), this.compileLogText = h('pre', {}));
    this.console = new ConsoleView();
    this.panel = new SimulationPanel();

    const ui = h('div', { class: 'acm-kata__ui' },
      h('div', { class: 'acm-kata__head' },
        h('span', { class: 'acm-kata__kicker' }, 'Kata'),
        h('span', { class: 'acm-kata__title' }, title),
        this.solvedBadge),
      h('div', { class: 'acm-toolbar', role: 'toolbar', 'aria-label': `${title} kata` },
        this.runBtn, resetBtn, this.hintBtn, solutionBtn,
        h('span', { class: 'acm-toolbar__hint' }, h('kbd', {}, isMac ? '⌘' : 'Ctrl'), '+', h('kbd', {}, 'Enter'), ' runs')),
      h('div', { class: 'acm-filetab' }, h('code', {}, d.header), h('span', { class: 'acm-filetab__note' }, 'your code · saved in this browser')),
      editorHost,
      this.progress,
      this.hintList,
      h('details', { class: 'acm-tests' },
        h('summary', {}, 'The tests: ', h('code', {}, d.test_file), ' (read-only)'),
        testsHost),
      h('div', { class: 'acm-outcome' },
        h('div', { class: 'acm-outcome__head' }, this.runLabel, this.summary, this.timing),
        this.resultsList,
        this.diagnosticsList,
        this.compileLog,
        this.console.el),
      this.panel.el);
    this.section.append(ui);
    this.section.classList.add('acm-ready');
  }

  setState(state) {
    this.section.dataset.state = state;
    this.runBtn.disabled = state === 'compiling';
    this.section.setAttribute('aria-busy', state === 'compiling' || state === 'running' ? 'true' : 'false');
  }

  setSummary(text, which) {
    this.summary.textContent = text;
    this.summary.dataset.run = which;
    this.summary.dataset.outcome = /^\d+ passed, 0 failed$/.test(text) ? 'pass' : /^\d+ passed/.test(text) ? 'fail' : text.endsWith('…') ? 'busy' : 'error';
  }

  autosave(doc) {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => store.set(codeKey(this.kata), doc), 300);
  }

  reset() {
    if (!window.confirm('Reset the editor to the starter code? Your changes will be lost.')) return;
    setDoc(this.editor, this.data.starter ?? '');
    clearTimeout(this.saveTimer);
    store.remove(codeKey(this.kata));
    clearDiagnostics(this.editor);
  }

  showSolution() {
    if (!window.confirm('Replace your code with the reference solution? (Undo with Ctrl+Z.)')) return;
    setDoc(this.editor, this.data.solution ?? '');
    clearDiagnostics(this.editor);
  }

  nextHint() {
    const hints = this.data.hints ?? [];
    if (this.hintsShown >= hints.length) return;
    const i = this.hintsShown++;
    this.hintList.append(h('li', { class: 'acm-hint', dataset: { hint: String(i + 1) } },
      h('span', { class: 'acm-hint__n' }, `Hint ${i + 1}`), paragraphs(hints[i])));
    this.updateHintButton();
  }

  updateHintButton() {
    const n = (this.data.hints ?? []).length;
    this.hintBtn.textContent = n === 0 ? 'No hints' : this.hintsShown >= n ? `All ${n} hints shown` : `Hint (${this.hintsShown + 1} of ${n})`;
    this.hintBtn.disabled = this.hintsShown >= n;
  }

  /** Page load: the prebuilt reference run, so the LED/camera show at once (no compiler). */
  async runReference() {
    if (!this.data.reference_wasm) return;
    const seq = ++this.runSeq;
    this.runLabel.textContent = 'Reference run';
    this.runLabel.dataset.run = 'reference';
    this.runLabel.title = 'The model solution, prebuilt. Press Run to test your own code.';
    let wasm;
    try {
      wasm = await fetchBytes(this.data.reference_wasm);
    } catch (err) {
      if (seq !== this.runSeq) return;
      this.runLabel.textContent = '';
      this.panel.showMessage(`The reference run is not available (${err.message}). Press Run to test your code.`);
      return;
    }
    if (seq !== this.runSeq) return;
    await this.execute(wasm, 'reference', seq);
  }

  async run() {
    if (this.compiling) return;
    const seq = ++this.runSeq;
    this.currentRun?.cancel();
    this.compiling = true;
    this.setState('compiling');
    this.runLabel.textContent = 'Your code';
    this.runLabel.dataset.run = 'learner';
    this.runLabel.title = '';
    this.setSummary(compiler.ready ? 'compiling…' : 'loading the compiler…', 'learner');
    this.timing.textContent = '';
    this.compileLog.hidden = true;
    this.diagnosticsList.replaceChildren();
    if (!compiler.ready) this.showProgress({ phase: 'download', loaded: 0, total: 0 });
    const code = this.editor.state.doc.toString();
    store.set(codeKey(this.kata), code);

    const t0 = performance.now();
    let result;
    try {
      result = await compiler.compile({
        kata: this.kata,
        // The tests come with the page, so the page and its compiler always agree on them.
        files: { [this.data.header]: code, [this.data.test_file]: this.data.tests ?? '' },
        onProgress: (p) => this.showProgress(p),
      });
    } catch (err) {
      this.compiling = false;
      this.progress.hidden = true;
      if (seq !== this.runSeq) return;
      this.setState('done');
      this.setSummary(`crashed: the compiler failed (${err.message})`, 'learner');
      return;
    }
    this.compiling = false;
    this.progress.hidden = true;
    if (seq !== this.runSeq) return;
    // The compiler's own figure: the first Run also waited for the download.
    const compileMs = result.timings?.compile_ms != null ? result.timings.compile_ms + (result.timings.link_ms ?? 0) : performance.now() - t0;

    this.compileLogText.textContent = result.log ?? '';
    const marked = showDiagnostics(this.editor, result.diagnostics, this.data.header);
    if (!result.ok) {
      this.setState('done');
      this.resultsList.replaceChildren();
      this.console.clear();
      this.panel.clear();
      this.setSummary(result.stage === 'link' ? 'link error' : result.stage === 'compiler-crash' ? 'crashed: the compiler crashed (not your fault)' : 'compile error', 'learner');
      const listed = this.listErrors(result.diagnostics);
      // Bring the first marked line into sight: after a paste the editor shows the file's end.
      const first = result.diagnostics.find((d) => d.severity === 'error' && d.file === this.data.header && d.line >= 1);
      if (first) scrollToLine(this.editor, first.line);
      this.compileLog.hidden = false;
      this.compileLog.open = marked === 0 && listed === 0; // nothing else says what went wrong
      this.timing.textContent = `compiled in ${(compileMs / 1000).toFixed(1)} s`;
      return;
    }
    if ((result.log ?? '').trim()) this.compileLog.hidden = false; // warnings
    await this.execute(result.wasm, 'learner', seq, compileMs);
  }

  /**
   * The errors in words, under the summary, so nobody has to hover a marker or read the whole
   * log to learn what is wrong. An error in the learner's file jumps to its place when clicked.
   */
  listErrors(diagnostics) {
    const MAX_SHOWN = 6;
    const errors = (diagnostics ?? []).filter((d) => d.severity === 'error' && !/^linker command failed/.test(d.message));
    const items = errors.slice(0, MAX_SHOWN).map((d) => {
      const where = d.file ? `${d.file}:${d.line}:${d.column}` : d.stage === 'link' ? 'linker' : 'compiler';
      const text = [h('span', { class: 'acm-diagnostic__where' }, where), ' ', h('span', { class: 'acm-diagnostic__message' }, d.message)];
      if (d.file === this.data.header && d.line >= 1) {
        return h('li', { class: 'acm-diagnostic' }, h('button', {
          type: 'button', class: 'acm-diagnostic__jump', title: 'Show this line in the editor',
          onclick: () => revealPosition(this.editor, d.line, d.column),
        }, text));
      }
      return h('li', { class: 'acm-diagnostic' }, text);
    });
    if (errors.length > MAX_SHOWN) items.push(h('li', { class: 'acm-diagnostic acm-diagnostic--more' }, `and ${errors.length - MAX_SHOWN} more in the full compiler output`));
    this.diagnosticsList.replaceChildren(...items);
    return errors.length;
  }

  /** The compiler's first load is tens of MB: say what is happening and how far it got. */
  showProgress(p) {
    if (p.phase === 'ready') return;
    if (p.phase !== 'download') {
      // Loaded: the bar has done its job; the summary line says "compiling…".
      this.progress.hidden = true;
      if (this.summary.dataset.outcome === 'busy') this.setSummary(p.phase === 'link' ? 'linking…' : 'compiling…', 'learner');
      return;
    }
    this.progress.hidden = false;
    const percent = p.total ? Math.min(100, Math.round((100 * p.loaded) / p.total)) : null;
    this.progressLabel.textContent = percent == null
      ? 'Loading the C++ compiler (only the first time)…'
      : `Loading the C++ compiler (only the first time): ${percent} %`;
    if (p.total) this.progressBar.value = Math.min(1, p.loaded / p.total);
    else this.progressBar.removeAttribute('value'); // indeterminate
  }

  async execute(wasm, which, seq, compileMs) {
    this.setState('running');
    this.setSummary('running…', which);
    this.console.clear();
    const live = new LiveResults(this.resultsList);
    const trace = [];
    let traceTruncated = false;
    const t0 = performance.now();
    const run = runInWorker({
      wasm, args: TEST_ARGS, env: TRACE_ENV, programName: `${this.kata}_test`,
      on: {
        stdout: (t) => this.console.write('stdout', t),
        stderr: (t) => this.console.write('stderr', t),
        results: (l) => live.add(l),
        trace: (l) => trace.push(l),
        truncated: (stream, limit) => {
          if (stream === 'trace') traceTruncated = limit;
          else this.console.markTruncated(stream, limit);
        },
      },
    });
    this.currentRun = run;
    const outcome = await run.done;
    if (seq !== this.runSeq || outcome.kind === 'cancelled') return;
    this.currentRun = null;
    const results = live.finish();
    const line = summaryLine(results, outcome) || 'no results';
    this.setSummary(line, which);
    this.setState('done');
    const runMs = performance.now() - t0;
    this.timing.textContent = [compileMs != null ? `compiled in ${(compileMs / 1000).toFixed(1)} s` : null, `ran in ${(runMs / 1000).toFixed(2)} s`].filter(Boolean).join(' · ');
    if (outcome.detail && outcome.kind === 'crash') this.console.write('stderr', `\n[runner] ${outcome.detail}\n`);
    // A crash's last words (libc++abi, the runner) are the best clue to what happened.
    if (outcome.kind === 'crash') this.console.el.open = true;
    this.panel.show(trace, { label: which === 'reference' ? 'Reference run' : 'Your code', truncated: traceTruncated, results });
    this.panel.linkResults(this.resultsList);
    if (which === 'learner' && isSolved(results, outcome)) {
      store.set(solvedKey(this.kata), '1');
      this.solvedBadge.hidden = false;
      window.dispatchEvent(new CustomEvent('acm:solved', { detail: { kata: this.kata } }));
    }
  }
}

export { WATCHDOG_SECONDS };
