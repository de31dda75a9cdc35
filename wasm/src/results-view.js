// DOM views shared by kata and example widgets: the per-test results list, the learner's
// console output, and a "run" helper that wires a runner worker to them.
import { h } from './dom.js';
import { buildResults, explainException, formatCheck } from './results-model.js';

/** Renders results (from buildResults) into `list`; cheap enough to redo on every new line. */
export function renderResults(list, results, { running = false } = {}) {
  list.replaceChildren(...results.tests.map((t) => {
    const unfinished = !t.finished;
    const icon = t.status === 'passed' ? '✓' : unfinished && running ? '…' : '✗';
    const li = h('li', { class: `acm-test acm-test--${t.status}`, dataset: { testStatus: unfinished && running ? 'running' : t.status } },
      h('div', { class: 'acm-test__head' },
        h('span', { class: 'acm-test__icon', 'aria-hidden': 'true' }, icon),
        h('span', { class: 'acm-test__name' }, t.name),
        h('span', { class: 'acm-visually-hidden' }, unfinished && running ? ' (running)' : ` (${t.status})`),
        t.seconds != null ? h('span', { class: 'acm-test__time' }, `${(t.seconds * 1000).toFixed(1)} ms`) : null),
    );
    // While the run is live, an unfinished test is still running; once it is over it failed.
    if (unfinished && running) li.dataset.testStatus = 'running';
    const details = [];
    for (const a of t.asserts) {
      details.push(h('div', { class: 'acm-check' },
        h('code', { class: 'acm-check__expr' }, formatCheck(a)),
        a.expanded && a.expanded !== a.expr ? h('div', { class: 'acm-check__values' }, h('span', { class: 'acm-label' }, 'values: '), h('code', {}, a.expanded)) : null,
        a.message ? h('div', { class: 'acm-check__message' }, a.message) : null,
        a.exception ? h('div', { class: 'acm-check__exception' }, h('span', { class: 'acm-label' }, 'threw: '), h('code', {}, a.exception)) : null,
        h('div', { class: 'acm-check__where' }, `${a.file}:${a.line}`)));
    }
    for (const x of t.exceptions) {
      const meaning = explainException(x.what);
      details.push(h('div', { class: 'acm-check acm-check--exception' },
        h('div', {}, h('span', { class: 'acm-label' }, x.crash ? 'crashed: ' : 'the test threw: '), h('code', {}, x.what)),
        meaning ? h('div', { class: 'acm-check__message' }, meaning) : null));
    }
    if (unfinished && !running) details.push(h('div', { class: 'acm-check acm-check--unfinished' }, 'did not finish: the run ended inside this test'));
    if (details.length) li.append(h('div', { class: 'acm-test__details' }, details));
    return li;
  }));
}

/** Learner stdout/stderr as text, in the order written; knows when a stream was capped. */
export class ConsoleView {
  constructor() {
    this.pre = h('pre', { class: 'acm-console__text', dataset: { role: 'output' } });
    this.note = h('p', { class: 'acm-console__note', hidden: true });
    this.el = h('details', { class: 'acm-console', hidden: true },
      h('summary', {}, 'Program output (stdout / stderr)'), this.pre, this.note);
    this.truncated = [];
  }
  clear() {
    this.pre.replaceChildren();
    this.note.hidden = true;
    this.truncated = [];
    this.el.hidden = true;
  }
  write(stream, text) {
    this.el.hidden = false;
    const last = this.pre.lastChild;
    if (last && last.dataset.stream === stream) last.append(text);
    else this.pre.append(h('span', { class: `acm-console__${stream}`, dataset: { stream } }, text));
  }
  markTruncated(stream, limit) {
    if (stream !== 'stdout' && stream !== 'stderr') return;
    this.truncated.push(`${stream} was cut off after ${Math.round(limit / 1024)} KiB`);
    this.note.textContent = `Output truncated: ${this.truncated.join('; ')}.`;
    this.note.hidden = false;
  }
}

/** Accumulates streamed results lines and re-renders at most once per frame. */
export class LiveResults {
  constructor(list) {
    this.list = list;
    this.lines = [];
    this.scheduled = false;
    this.running = true;
  }
  add(line) {
    this.lines.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      requestAnimationFrame(() => { this.scheduled = false; this.render(); });
    }
  }
  results() { return buildResults(this.lines); }
  render() { renderResults(this.list, this.results(), { running: this.running }); }
  finish() { this.running = false; this.render(); return this.results(); }
}
