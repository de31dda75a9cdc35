// "What to notice": the sentences above the timeline that point a learner at the cause of a
// failing test, checked on traces the runtime wrote for right and plausible wrong answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildTimeline } from '../../wasm/src/sim/timeline-model.js';
import { highlights } from '../../wasm/src/sim/highlights.js';
import { pickCase, defaultSpeed } from '../../wasm/src/sim/panel.js';

const lines = (name) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').split('\n');
const load = (name) => buildTimeline(lines(name)).cases;
const spotlight = load('kata-spotlight.trace.jsonl');
const noSettle = load('kata-spotlight-no-settle.trace.jsonl');
const timeout = load('kata-timeout.trace.jsonl');
const leftArmed = load('kata-timeout-timer-left-armed.trace.jsonl');
const byName = (cases, start) => cases.find((c) => c.name.startsWith(start)) ?? assert.fail(`no test case starting “${start}”`);
const kinds = (c) => highlights(c).map((x) => x.kind);
const texts = (c) => highlights(c).map((x) => x.text);

test('without the settle delay: the body started while the LED was warming up, and the first frame was exposed too early', () => {
  const c = byName(noSettle, 'frames captured at the start of the body');
  const list = highlights(c);
  assert.deepEqual(list.map((x) => [x.kind, x.t, x.level]), [['body-before-settled', 0, 'warn'], ['dark-frame', 10, 'warn']]);
  assert.equal(list[0].text, 'The body of Spotlight #1 started at 0 ms, while LED “led” was still warming up (0 % light); it was fully lit only at 40 ms.');
  assert.equal(list[1].text, 'The frame taken at 10 ms was exposed while the LED was still warming up: brightness 13 %, against 75 % for the brightest frame.');
});

test('without the settle delay and with an instant body: the LED was switched off before it was ever fully lit', () => {
  const c = byName(noSettle, 'the body starts exactly 50 ms after');
  assert.deepEqual(texts(c), ['The body of Spotlight #1 started at 100 ms, while LED “led” was still warming up (0 % light); it needed until 140 ms to be fully lit, but was switched off at 100 ms.']);
});

test('with the settle delay there is nothing to warn about in the LED and camera tests', () => {
  for (const name of ['the LED is on during the body', 'the body starts exactly 50 ms after', 'frames captured at the start of the body']) {
    assert.deepEqual(highlights(byName(spotlight, name)), [], name);
  }
});

test('a cancelled entry says aenter() failed and aexit() did not run', () => {
  const c = byName(spotlight, 'a block cancelled while the light settles');
  assert.deepEqual(kinds(c), ['cancel', 'aenter-failed']);
  assert.equal(texts(c)[0], 'Task 1 (main) cancelled task 2 (worker) at 20 ms. It got acm::Cancelled where it was waiting, at sleep_for(50ms).');
  assert.match(texts(c)[1], /^aenter\(\) of Spotlight #1 failed at 20 ms .*: the block never started, so aexit\(\) did not run\.$/);
});

test('a timeout tells the whole story in order: the deadline fired and cancelled the task, aexit() converted the cancellation, TimeoutError left the block', () => {
  const c = byName(timeout, 'a slow body is cancelled exactly at the deadline');
  assert.deepEqual(texts(c), [
    'Timer “Timeout deadline” fired at 300 ms and cancelled task 1 (main). It got acm::Cancelled where it was waiting, at sleep_for(1s).',
    'aexit() of Timeout #1 turned acm::Cancelled into acm::TimeoutError.',
    'acm::TimeoutError left the block of Timeout #1 at 300 ms.',
  ]);
});

test('an exception type from an anonymous namespace is named without the prefix', () => {
  assert.deepEqual(texts(byName(timeout, 'an exception from the body')), ['Jammed left the block of Timeout #1 at 100 ms.']);
});

test('a deadline never cancelled: it fires after its block ended, or is still armed when the loop ends', () => {
  const fast = byName(leftArmed, 'a fast body keeps its result');
  assert.deepEqual(texts(fast), ['Timer “Timeout deadline”, armed in aenter() of Timeout #1, fired at 1 s — after that block had ended at 200 ms — and cancelled task 1 (main). It got acm::Cancelled where it was waiting, at sleep_for(2s).']);
  const failing = byName(leftArmed, 'an exception from the body');
  assert.ok(texts(failing).includes('Timer “Timeout deadline”, armed in aenter() of Timeout #1, was still armed when the loop ended (due at 1 s): nothing cancelled it.'));
  assert.ok(!kinds(byName(timeout, 'a fast body keeps its result')).length, 'the reference solution leaves nothing behind');
});

test('a frame taken while the LED ramps up (before any manager runs) is called underexposed, not “LED off”', () => {
  const [c] = buildTimeline(lines('example-capture_loop.trace.jsonl')).cases;
  assert.deepEqual(texts(c), ['The frame taken at 10 ms was exposed while the LED was still warming up: brightness 13 %, against 75 % for the brightest frame.']);
});

test('the panel opens the failing test case with the most to show: the dark frame, not a timing check', () => {
  const results = JSON.parse(`[${lines('kata-spotlight-no-settle.results.jsonl').filter(Boolean).join(',')}]`);
  const status = new Map(results.filter((r) => r.type === 'test_end').map((r) => [r.name, r.passed ? 'passed' : 'failed']));
  const i = pickCase(noSettle, (c) => status.get(c.name));
  assert.equal(noSettle[i].name, 'frames captured at the start of the body are fully exposed');
  assert.equal(pickCase(spotlight, () => 'passed'), 0, 'all passing: the first test case');
  // A Timeout that never cancels its deadline: the test whose replay shows the timer firing
  // after the block, not one where an exception leaving the block is expected.
  assert.equal(leftArmed[pickCase(leftArmed, (c) => (c.name.startsWith('a slow body') || c.name.startsWith('a deadline at the very moment') ? 'passed' : 'failed'))].name,
    'a fast body keeps its result, expired() stays false, and no timer is left behind');
});

test('replays run in real time unless that would be too short to see or too long to wait', () => {
  assert.equal(defaultSpeed(4050), 1);
  assert.equal(defaultSpeed(20000), 1);
  assert.equal(defaultSpeed(520), 0.25);
  assert.equal(defaultSpeed(100), 0.05);
  assert.equal(defaultSpeed(3600000), 100);
});
