// The trace → timeline mapping, on traces the acm runtime wrote (tests/js/fixtures/make-fixtures.sh
// regenerates them from the katas, two plausible wrong answers and the page examples).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildTimeline, illuminationAt, ledOnAt, ledStateAt, localTime, describeEvent, formatMs } from '../../wasm/src/sim/timeline-model.js';

const lines = (name) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').split('\n');
const spotlight = buildTimeline(lines('kata-spotlight.trace.jsonl'));
const noSettle = buildTimeline(lines('kata-spotlight-no-settle.trace.jsonl'));
const timeout = buildTimeline(lines('kata-timeout.trace.jsonl'));
const leftArmed = buildTimeline(lines('kata-timeout-timer-left-armed.trace.jsonl'));
const staller = buildTimeline(lines('kata-staller.trace.jsonl'));
const captureLoop = buildTimeline(lines('example-capture_loop.trace.jsonl'), { defaultName: 'capture_loop' });

const byName = (built, start) => built.cases.find((c) => c.name.startsWith(start)) ?? assert.fail(`no test case starting “${start}”`);
const phases = (lane) => lane.phases.map((p) => [p.phase, p.start, p.end, p.outcome]);

test('every doctest test case gets its own timeline, named and ordered as in the test file', () => {
  assert.deepEqual(spotlight.cases.map((c) => c.name), [
    'the LED is on during the body and goes off as soon as the block ends',
    'the body starts exactly 50 ms after the LED goes on',
    'frames captured at the start of the body are fully exposed',
    'an exception from the body comes out unchanged, and the LED is off afterwards',
    'a body cancelled from another task ends with acm::Cancelled, and the LED is off afterwards',
    'a block cancelled while the light settles never runs its body, and the LED is off afterwards',
  ]);
  assert.equal(spotlight.invalidLines, 0);
});

test("an example's trace, which has no test cases, is one timeline named after the example", () => {
  assert.equal(captureLoop.cases.length, 1);
  assert.equal(captureLoop.cases[0].name, 'capture_loop');
  assert.equal(captureLoop.cases[0].end, 280);
});

test('a block becomes one lane whose aenter, body and aexit phases start and end at the recorded times', () => {
  const c = byName(spotlight, 'the LED is on during the body');
  assert.equal(c.lanes.length, 1);
  assert.equal(c.lanes[0].name, 'Spotlight');
  assert.deepEqual(phases(c.lanes[0]), [['aenter', 0, 50, 'ok'], ['body', 50, 250, 'ok'], ['aexit', 250, 250, 'ok']]);
  assert.equal(c.lanes[0].phases[2].suppressed, false);
});

test('a block cancelled during aenter() has only a failed aenter phase: no body, no aexit', () => {
  const c = byName(spotlight, 'a block cancelled while the light settles');
  assert.deepEqual(phases(c.lanes[0]), [['aenter', 0, 20, 'exception']]);
});

test('nested blocks keep their depth, and each exception is attached to the block it crossed', () => {
  const c = byName(timeout, 'nested timeouts: when the inner deadline comes first');
  assert.deepEqual(c.lanes.map((l) => [l.name, l.depth]), [['Timeout', 0], ['Timeout', 1]]);
  const [outer, inner] = c.lanes;
  assert.deepEqual(inner.exceptions.map((x) => [x.action, x.type, x.t]), [['raised', 'acm::Cancelled', 200], ['propagated', 'acm::TimeoutError', 200]]);
  assert.deepEqual(outer.exceptions, [], 'the outer block caught nothing: the inner TimeoutError was handled inside it');
});

test('timers record when they were armed, when they were due, and whether they fired or were cancelled', () => {
  const c = byName(timeout, 'a slow body is cancelled exactly at the deadline');
  assert.deepEqual(c.timers.map((t) => [t.label, t.scheduled, t.due, t.state, t.fired ?? t.cancelled]), [
    ['sleep_for(100ms)', 0, 100, 'fired', 100],
    ['Timeout deadline', 100, 300, 'fired', 300],
    ['sleep_for(1s)', 100, 1100, 'cancelled', 300],
  ]);
  assert.deepEqual(c.timers.map((t) => t.row), [0, 0, 1], 'back-to-back timers share a row, overlapping ones do not');
});

test('a cancel() from a timer callback is traced back to that timer, and the timer to the aenter() that armed it', () => {
  const c = byName(timeout, 'a slow body is cancelled exactly at the deadline');
  const [request, delivered] = c.cancellations;
  assert.equal(request.kind, 'requested');
  assert.equal(request.byTask, null);
  assert.equal(request.byTimer.label, 'Timeout deadline');
  assert.equal(request.byTimer.cancelsTask, 1);
  assert.equal(request.byTimer.armedBy, c.lanes[0]);
  assert.deepEqual([delivered.kind, delivered.t, delivered.task, delivered.at], ['cancelled', 300, 1, 'sleep_for(1s)']);
});

test('a cancel() called by another task names that task and blames no timer', () => {
  const c = byName(spotlight, 'a body cancelled from another task');
  const request = c.cancellations.find((x) => x.kind === 'requested');
  assert.deepEqual([request.task, request.byTask, request.byTimer], [2, 1, null]);
  assert.ok(c.timers.every((t) => t.cancelsTask == null));
});

test('a timer nothing cancelled is marked “left armed” when its loop ends', () => {
  const c = byName(leftArmed, 'an exception from the body comes out unchanged');
  const deadline = c.timers.find((t) => t.label === 'Timeout deadline');
  assert.equal(deadline.state, 'left armed');
  assert.equal(deadline.due, 1000);
  assert.ok(byName(timeout, 'an exception from the body').timers.every((t) => t.state !== 'left armed'), 'the reference solution cancels its deadline');
});

test('the LED glow follows the recorded illumination curve, and the time it is fully lit comes from that curve', () => {
  const c = byName(spotlight, 'the LED is on during the body');
  assert.equal(illuminationAt(c, 0), 0);
  assert.equal(illuminationAt(c, 20), 0.5);
  assert.equal(illuminationAt(c, 40), 1);
  assert.equal(illuminationAt(c, 249), 1);
  assert.equal(illuminationAt(c, 250), 0, 'the LED goes dark the moment it is switched off');
  assert.deepEqual(c.leds[0].intervals, [{ start: 0, end: 250, settled: 40, fullAt: 40 }]);
  assert.deepEqual([ledStateAt(c, 10), ledStateAt(c, 100), ledStateAt(c, 300)], ['warming up', 'lit', 'off']);
});

test('an LED switched off while warming up never counts as fully lit, though its curve says when it would have been', () => {
  const c = byName(spotlight, 'a block cancelled while the light settles');
  assert.equal(illuminationAt(c, 19.999).toFixed(3), '0.500');
  assert.equal(illuminationAt(c, 20), 0);
  assert.deepEqual(c.leds[0].intervals, [{ start: 0, end: 20, settled: null, fullAt: 40 }]);
});

test('an LED switched off and on again at the same instant (one block ending as the next begins) steps down and ramps up again', () => {
  const [c] = buildTimeline(lines('example-spotlight_exits.trace.jsonl')).cases;
  assert.equal(illuminationAt(c, 149.9), 1);
  assert.equal(illuminationAt(c, 150), 0);
  assert.equal(illuminationAt(c, 170), 0.5);
  assert.deepEqual(c.leds[0].intervals.map((iv) => [iv.start, iv.settled, iv.end]), [[0, 40, 150], [150, 190, 300], [300, 340, 380]]);
});

test('at one instant an LED can go on, light a body and go off: asked at the body’s trace line, it is still on', () => {
  const c = byName(noSettle, 'the body starts exactly 50 ms after');
  const body = c.lanes[0].phases.find((p) => p.phase === 'body');
  assert.deepEqual([body.start, body.end], [100, 100]);
  assert.equal(ledOnAt(c, 100), false, 'after everything at 100 ms, the LED is off');
  assert.equal(ledOnAt(c, 100, undefined, body.seq), true, 'when the body began, it was on');
  const good = byName(spotlight, 'the body starts exactly 50 ms after');
  const goodBody = good.lanes[0].phases.find((p) => p.phase === 'body');
  assert.equal(illuminationAt(good, goodBody.start, undefined, goodBody.seq), 1, 'in the reference run the body began under full light');
  assert.equal(illuminationAt(good, goodBody.start), 0, 'and the LED went off at the same instant, when the block ended');
});

test('frames keep their pixels and exposure window, and one exposed before the LED settled is darker', () => {
  const c = byName(noSettle, 'frames captured at the start of the body');
  const [early, late] = c.captures;
  assert.deepEqual([early.start, early.t, early.exposure, early.width, early.height], [0, 10, 10, 32, 24]);
  assert.equal(early.pixels.length, 32 * 24);
  assert.equal(early.lightAtStart, 0);
  assert.equal(late.lightAtStart, 1);
  assert.ok(early.brightness < late.brightness / 3, `the early frame (${early.brightness}) is much darker than the late one (${late.brightness})`);
  const good = byName(spotlight, 'frames captured at the start of the body');
  assert.equal(good.captures[0].brightness, good.captures[1].brightness, 'with the settle delay both frames are equally bright');
});

test('several event loops in one test case are laid end to end, and localTime gives each loop’s own clock back', () => {
  const c = byName(staller, 'the body starts exactly the stall amount');
  assert.deepEqual(c.loops.map((l) => [l.offset, l.start, l.end]), [[0, 0, 1100], [1100, 1100, 1450], [1450, 1450, 4050]]);
  assert.equal(c.end, 4050);
  assert.deepEqual(c.lanes.map((l) => l.phases[0].start), [100, 1200, 1550]);
  assert.deepEqual(localTime(c, 1200), { loop: 1, t_ms: 100, loops: 3 });
  assert.deepEqual(localTime(c, 50), { loop: 0, t_ms: 50, loops: 3 });
  const fired = c.events.filter((e) => e.ev === 'timer_fired').map((e) => [e.t, e.t_ms]);
  assert.deepEqual(fired, [[100, 100], [1100, 1100], [1200, 100], [1450, 350], [1550, 100], [4050, 2600]]);
});

test('a camera exposure is labelled as one, not as an anonymous sleep', () => {
  const c = captureLoop.cases[0];
  assert.ok(c.timers.some((t) => t.label === 'exposure (camera csi)'));
});

test('unreadable and torn lines are skipped and counted, the rest still draws', () => {
  const r = buildTimeline(['{"ev":"test","t_ms":0,"name":"a"}', 'not json', '{"t_ms":1}', '{"ev":"note","t_ms":2,"te']);
  assert.equal(r.invalidLines, 3);
  assert.equal(r.cases.length, 1);
  assert.equal(r.cases[0].name, 'a');
});

test('an LED curve given relative to its event is shifted to the event time', () => {
  const r = buildTimeline(['{"ev":"led","t_ms":100,"led":"led","on":true,"curve":[[0,0],[40,1]]}']);
  assert.equal(illuminationAt(r.cases[0], 120), 0.5);
});

test('every event is described in plain words', () => {
  const c = byName(timeout, 'a slow body is cancelled exactly at the deadline');
  const text = c.events.map(describeEvent);
  assert.ok(text.includes('Timeout #1: aenter() begins'));
  assert.ok(text.includes('timer 2 “Timeout deadline” is armed, due at 300 ms'));
  assert.ok(text.includes('cancel() is called on task 1'));
  assert.ok(text.includes('task 1 gets acm::Cancelled at sleep_for(1s)'));
  assert.ok(text.includes('acm::TimeoutError (“acm::TimeoutError: the deadline passed”) leaves the block of Timeout #1'));
  assert.ok(text.every((t) => !/undefined|\[object/.test(t)), text.find((t) => /undefined|\[object/.test(t)));
  assert.match(describeEvent({ ev: 'aexit_end', cm: 3, name: 'Suppressor', suppressed: true, outcome: 'ok' }), /returned true — the exception is suppressed/);
  assert.deepEqual([formatMs(12.5), formatMs(1100), formatMs(3600000), formatMs(0.30000000000000004)], ['12.5 ms', '1.1 s', '3600 s', '0.3 ms']);
});
