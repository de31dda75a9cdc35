// Pure helpers that turn what a test program wrote (results.jsonl from the doctest `json`
// reporter, see ARCHITECTURE.md) plus how the process ended into what the kata widget shows.
// No DOM here, so `node --test tests/js/` can check every summary wording.
import { MAX_MEMORY_BYTES } from './compiler/flags.js';

/**
 * Splits a byte/character stream into complete lines. The runner gets file writes in arbitrary
 * chunks (a `printf` may flush half a JSON object), and a line is only meaningful once its
 * newline has arrived — a killed run must never hand the page half a record.
 */
export class LineSplitter {
  constructor(onLine) {
    this.onLine = onLine;
    this.pending = '';
  }
  push(text) {
    this.pending += text;
    let nl;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, nl).replace(/\r$/, '');
      this.pending = this.pending.slice(nl + 1);
      if (line.trim() !== '') this.onLine(line);
    }
  }
  /** The unterminated tail, if any (not reported as a line: it may be a torn write). */
  rest() {
    return this.pending;
  }
}

/** Parses one JSON line; returns null for anything that is not a JSON object. */
export function parseRecord(line) {
  if (typeof line !== 'string') return line && typeof line === 'object' ? line : null;
  try {
    const v = JSON.parse(line);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * results.jsonl records → view model:
 * { tests: [{ name, file, line, status: 'passed'|'failed', finished, seconds,
 *             asserts: [{ macro, expr, expanded, file, line, message, exception }],
 *             exceptions: [{ what, crash }] }],
 *   started, finished, counts: { passed, failed, skipped } }
 * A test with a test_start but no test_end (the run died inside it) is "failed", finished:false.
 */
export function buildResults(lines) {
  const tests = [];
  const byName = new Map();
  let started = false;
  let runEnd = null;
  let current = null;

  const testFor = (name) => {
    if (name != null && byName.has(name)) return byName.get(name);
    if (current && (name == null || name === '' || name === '...')) return current;
    return current;
  };

  for (const raw of lines) {
    const r = parseRecord(raw);
    if (!r) continue;
    switch (r.type) {
      case 'run_start':
        started = true;
        break;
      case 'test_start': {
        // doctest reruns a test case once per SUBCASE path; keep one entry per name and
        // let the last run decide, as doctest's own summary does.
        let t = byName.get(r.name);
        if (!t) {
          t = { name: String(r.name ?? ''), file: r.file ?? '', line: r.line ?? 0, status: 'failed',
                finished: false, seconds: null, asserts: [], exceptions: [] };
          byName.set(t.name, t);
          tests.push(t);
        } else {
          t.finished = false;
        }
        current = t;
        break;
      }
      case 'assert': {
        const t = testFor(r.test);
        if (!t || r.passed === true) break;
        t.asserts.push({
          macro: r.macro ?? 'CHECK', expr: r.expr ?? '', expanded: r.expanded ?? '',
          file: r.file ?? '', line: r.line ?? 0, message: r.message ?? '', exception: r.exception ?? '',
        });
        break;
      }
      case 'exception': {
        const t = testFor(r.test);
        if (t) t.exceptions.push({ what: r.what ?? '', crash: !!r.crash });
        break;
      }
      case 'test_end': {
        const t = byName.get(r.name) ?? current;
        if (!t) break;
        t.finished = true;
        t.status = r.passed ? 'passed' : 'failed';
        // A failed SUBCASE run must not be hidden by a later passing one.
        if (t.asserts.length || t.exceptions.length) t.status = 'failed';
        t.seconds = typeof r.seconds === 'number' ? r.seconds : null;
        if (current === t) current = null;
        break;
      }
      case 'run_end':
        runEnd = r;
        break;
      default:
        break;
    }
  }

  const passed = tests.filter((t) => t.status === 'passed').length;
  const counts = runEnd
    ? { passed: num(runEnd.passed, passed), failed: num(runEnd.failed, tests.length - passed), skipped: num(runEnd.skipped, 0) }
    : { passed, failed: tests.length - passed, skipped: 0 };
  return { tests, started, finished: !!runEnd, counts };
}

function num(v, fallback) {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/**
 * How a run ended, as the runner reports it:
 *   { kind: 'exit', code }            the module returned from main or called exit()/proc_exit
 *   { kind: 'crash', reason }         a trap or uncaught exception (reason is already learner-facing)
 *   { kind: 'watchdog', seconds }     the page killed the worker
 *   { kind: 'compile_error' }         nothing ran
 * Returns the one-line summary DESIGN.md fixes for `data-role="summary"`.
 */
export function summaryLine(results, outcome) {
  if (outcome?.kind === 'compile_error') return 'compile error';
  if (outcome?.kind === 'watchdog') return `stopped by the watchdog after ${fmtSeconds(outcome.seconds)} s`;
  if (outcome?.kind === 'crash') return `crashed: ${outcome.reason}`;
  if (results?.finished) return `${results.counts.passed} passed, ${results.counts.failed} failed`;
  if (outcome?.kind === 'exit') {
    // No run_end: the process left before doctest could finish — almost always the
    // learner's own exit()/abort() (Emscripten's abort() ends with exit code 1).
    return `crashed: the program called exit(${outcome.code}) before the tests finished`;
  }
  return '';
}

/** True when a learner run counts as solving the kata. */
export function isSolved(results, outcome) {
  return !!results?.finished && outcome?.kind === 'exit' &&
    results.counts.failed === 0 && results.counts.passed + results.counts.failed >= 1 &&
    results.tests.every((t) => t.status === 'passed');
}

function fmtSeconds(s) {
  return Number.isInteger(s) ? String(s) : String(Math.round(s * 10) / 10);
}

/** "CHECK( a == b )" the way doctest prints a failing check. */
export function formatCheck(a) {
  return a.expr ? `${a.macro}( ${a.expr} )` : a.macro;
}

/**
 * A sentence that says what an exception message means, for the ones a learner meets in the
 * page without having thrown them; null for everything else.
 */
export function explainException(what) {
  if (/\bbad_alloc\b/.test(what ?? '')) {
    return `Out of memory: the program asked for more memory than a program in this page may have (${MAX_MEMORY_BYTES / 1048576} MB).`;
  }
  if (/\bbad_array_new_length\b/.test(what ?? '')) return 'A negative or impossibly large array size was passed to new[].';
  return null;
}
