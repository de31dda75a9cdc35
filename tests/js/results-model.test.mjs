import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildResults, summaryLine, isSolved, LineSplitter, formatCheck, explainException } from '../../wasm/src/results-model.js';
import { crashOutcome, MissingImportError } from '../../wasm/src/runner/outcome.js';

const fixture = (name) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').split('\n');

test('a finished run: per-test status, failing checks with values, summary from run_end', () => {
  const r = buildResults(fixture('staller.results.jsonl'));
  assert.equal(r.finished, true);
  assert.deepEqual(r.tests.map((t) => t.status), ['failed', 'passed', 'failed', 'passed']);
  const [a] = r.tests[0].asserts;
  assert.deepEqual([a.expr, a.expanded, a.file, a.line], ['elapsed == 1s', '0ms == 1000ms', 'staller_test.cpp', 20]);
  assert.equal(formatCheck(a), 'CHECK( elapsed == 1s )');
  assert.match(r.tests[2].exceptions[0].what, /^acm::Deadlock/);
  assert.equal(summaryLine(r, { kind: 'exit', code: 1 }), '2 passed, 2 failed');
  assert.equal(isSolved(r, { kind: 'exit', code: 1 }), false);
});

test('all passing with at least one test solves the kata', () => {
  const lines = fixture('spotlight.results.jsonl').filter((l) => !l.includes('"assert"'))
    .map((l) => l.replace('"passed":false', '"passed":true').replace('"passed":3,"failed":1', '"passed":4,"failed":0'));
  const r = buildResults(lines);
  assert.equal(summaryLine(r, { kind: 'exit', code: 0 }), '4 passed, 0 failed');
  assert.equal(isSolved(r, { kind: 'exit', code: 0 }), true);
  assert.equal(isSolved(buildResults(['{"type":"run_start"}', '{"type":"run_end","passed":0,"failed":0,"skipped":0}']), { kind: 'exit', code: 0 }), false, 'zero tests is not solved');
});

test('a run that died mid-test keeps what it reported; the unfinished test counts as failed', () => {
  const r = buildResults(fixture('staller-crashed.results.jsonl'));
  assert.equal(r.finished, false);
  assert.deepEqual(r.tests.map((t) => [t.status, t.finished]), [['failed', true], ['passed', true], ['failed', false]]);
  assert.equal(summaryLine(r, { kind: 'crash', reason: 'abort() called (std::terminate?)' }), 'crashed: abort() called (std::terminate?)');
  assert.equal(summaryLine(r, { kind: 'watchdog', seconds: 8 }), 'stopped by the watchdog after 8 s');
  assert.equal(summaryLine(r, { kind: 'exit', code: 3 }), 'crashed: the program called exit(3) before the tests finished');
});

test('summary wording for compile errors', () => {
  assert.equal(summaryLine(null, { kind: 'compile_error' }), 'compile error');
});

test('LineSplitter hands over only complete lines, across arbitrary chunk boundaries', () => {
  const got = [];
  const s = new LineSplitter((l) => got.push(l));
  s.push('{"a":');
  s.push('1}\n{"b"');
  assert.deepEqual(got, ['{"a":1}']);
  s.push(':2}\r\n\n');
  assert.deepEqual(got, ['{"a":1}', '{"b":2}']);
  s.push('{"torn"');
  assert.equal(s.rest(), '{"torn"');
});

test('crash reasons are learner-facing', () => {
  const rt = (m) => Object.assign(new Error(m), { name: 'RuntimeError' });
  assert.equal(crashOutcome(rt('unreachable')).reason, 'the program aborted (abort() was called, or a function ended without returning its value)');
  assert.equal(crashOutcome(new RangeError('Maximum call stack size exceeded')).reason, 'stack overflow (endless recursion?)');
  assert.equal(crashOutcome(rt('call stack exhausted')).reason, 'stack overflow (endless recursion?)');
  assert.equal(crashOutcome(rt('Out of memory: Cannot allocate Wasm memory for new instance')).reason, 'out of memory');
  assert.match(crashOutcome(new MissingImportError('env', 'emscripten_notify_memory_growth')).reason, /env\.emscripten_notify_memory_growth/);
  assert.match(crashOutcome(rt('memory access out of bounds')).reason, /^memory access out of bounds/);
});

test('a crash names what the dying program said and where its stack was', () => {
  const rt = (m) => Object.assign(new Error(m), { name: 'RuntimeError' });
  const terminated = 'some output\nlibc++abi: terminating due to uncaught exception of type std::runtime_error: boom\n';
  assert.equal(crashOutcome(rt('unreachable'), { stderrTail: terminated }).reason,
    'std::terminate() after an uncaught exception of type std::runtime_error: boom');
  assert.equal(crashOutcome(rt('unreachable'), { stderrTail: 'libc++abi: terminating with uncaught exception of type Jammed: stuck\n' }).reason,
    'std::terminate() after an uncaught exception of type Jammed: stuck');
  assert.equal(crashOutcome(rt('unreachable'), { stderrTail: 'libc++abi: terminating\n' }).reason, 'std::terminate() was called');
  // The stack sits below the data (--stack-first): running off it leaves the pointer below 0.
  const oob = rt('memory access out of bounds');
  assert.equal(crashOutcome(oob, { stackPointer: -48, memoryBytes: 2 << 20 }).reason, 'stack overflow (endless recursion?)');
  assert.match(crashOutcome(oob, { stackPointer: 1040000, memoryBytes: 2 << 20 }).reason, /^memory access out of bounds/);
});

test('an out-of-memory exception is explained; ordinary ones are left as they are', () => {
  assert.match(explainException('std::bad_alloc'), /^Out of memory/);
  assert.equal(explainException('the body jammed'), null);
  assert.equal(explainException(undefined), null);
});
