import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildTimeline, illuminationAt, ledOnAt, describeEvent, formatMs } from '../../wasm/src/sim/timeline-model.js';

const fixture = (name) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').split('\n');
const spotlight = buildTimeline(fixture('spotlight.trace.jsonl'));
const timeout = buildTimeline(fixture('timeout.trace.jsonl'));

test('splits the trace at every `test` event, keeping the test names', () => {
  assert.deepEqual(spotlight.cases.map((c) => c.name), [
    'the LED is on during the body and the body starts 50 ms after it goes on',
    'the LED goes off when the body throws',
    'cancelled while settling leaves the LED off',
    'frames shot in the body are well exposed',
  ]);
  assert.equal(spotlight.invalidLines, 0);
});

test('events before any test case (examples) form one case with the default name', () => {
  const r = buildTimeline(['{"ev":"run_begin","t_ms":0,"loop":1}', '{"ev":"note","t_ms":3,"text":"hi"}'], { defaultName: 'capture_loop' });
  assert.equal(r.cases.length, 1);
  assert.equal(r.cases[0].name, 'capture_loop');
  assert.equal(r.cases[0].notes[0].text, 'hi');
  assert.equal(r.cases[0].end, 3);
});

test('manager phases become one lane per cm with aenter/body/aexit intervals', () => {
  const c = spotlight.cases[0];
  assert.equal(c.lanes.length, 1);
  const lane = c.lanes[0];
  assert.equal(lane.name, 'Spotlight');
  assert.equal(lane.depth, 0);
  assert.deepEqual(lane.phases.map((p) => [p.phase, p.start, p.end, p.outcome]), [
    ['aenter', 0, 50, 'ok'], ['body', 50, 90, 'ok'], ['aexit', 90, 90, 'ok'],
  ]);
  assert.equal(lane.phases[2].suppressed, false);
});

test('a cancelled aenter has no body and no aexit lane segment', () => {
  const lane = spotlight.cases[2].lanes[0];
  assert.deepEqual(lane.phases.map((p) => [p.phase, p.outcome]), [['aenter', 'exception']]);
  assert.deepEqual(spotlight.cases[2].cancellations.map((x) => [x.kind, x.t, x.task]), [['requested', 20, 2], ['cancelled', 20, 2]]);
});

test('nested managers keep their depth and exceptions attach to their lane', () => {
  const c = timeout.cases[0];
  assert.deepEqual(c.lanes.map((l) => [l.cm, l.depth]), [[1, 0], [2, 1]]);
  assert.deepEqual(c.lanes[1].exceptions.map((x) => x.action), ['raised', 'propagated']);
  assert.deepEqual(c.lanes[0].exceptions.map((x) => [x.action, x.type]), [['raised', 'acm::Cancelled'], ['propagated', 'acm::TimeoutError']]);
});

test('timers record scheduled/due/fired/cancelled and overlapping timers get separate rows', () => {
  const c = timeout.cases[0];
  assert.deepEqual(c.timers.map((x) => [x.timer, x.scheduled, x.due, x.state, x.fired ?? x.cancelled]), [
    [1, 0, 100, 'fired', 100], [2, 0, 300, 'cancelled', 100], [3, 0, 500, 'cancelled', 100],
  ]);
  assert.deepEqual(c.timers.map((x) => x.row), [0, 1, 2]);
  // Back-to-back timers share a row.
  assert.deepEqual(spotlight.cases[0].timers.map((x) => x.row), [0, 0, 0]);
});

test('illuminationAt interpolates the recorded curve and holds its last level', () => {
  const c = spotlight.cases[0];
  assert.equal(illuminationAt(c, -1), 0);
  assert.equal(illuminationAt(c, 0), 0);
  assert.ok(Math.abs(illuminationAt(c, 5) - 0.225) < 1e-9);
  assert.equal(illuminationAt(c, 25), 0.85);
  assert.equal(illuminationAt(c, 60), 1);
  assert.ok(Math.abs(illuminationAt(c, 92.5) - 0.65) < 1e-9);
  assert.equal(illuminationAt(c, 1000), 0);
  assert.equal(c.end, 100, 'the case extends to the end of the fade-out');
});

test('switching off mid-ramp starts the fade from the recorded curve, not from the earlier ramp', () => {
  const c = spotlight.cases[2];
  assert.ok(Math.abs(illuminationAt(c, 19.999) - 0.7166) < 1e-3);
  assert.equal(illuminationAt(c, 20), 0.68);
  assert.equal(illuminationAt(c, 28), 0);
});

test('ledOnAt follows the switches; intervals record on-periods', () => {
  const c = spotlight.cases[1];
  assert.equal(ledOnAt(c, 0), true);
  assert.equal(ledOnAt(c, 59.9), true);
  assert.equal(ledOnAt(c, 60), false);
  assert.deepEqual(c.leds[0].intervals, [{ start: 0, end: 60 }]);
  assert.equal(ledOnAt(buildTimeline([]).cases[0] ?? {}, 0), false);
});

test('captures keep pixel data, exposure window and brightness', () => {
  const [f1, f2] = spotlight.cases[0].captures;
  assert.equal(f1.t, 70);
  assert.equal(f1.start, 50);
  assert.equal(f1.exposure, 20);
  assert.equal(f1.pixels.length, f1.width * f1.height);
  assert.ok(f1.brightness > 0.3);
  assert.equal(f2.t, 90);
  const dark = spotlight.cases[3].captures[0];
  assert.ok(dark.brightness < f1.brightness, 'the frame shot before the LED settled is darker');
});

test('a second EventLoop in one case is laid out after the first (virtual time restarts at 0)', () => {
  const c = timeout.cases[1];
  assert.deepEqual(c.loops.map((l) => [l.loop, l.offset, l.begin, l.end]), [[2, 0, 0, 10], [3, 10, 10, 15]]);
  const fired = c.events.filter((e) => e.ev === 'timer_fired').map((e) => [e.t, e.t_ms]);
  assert.deepEqual(fired, [[10, 10], [15, 5]]);
  assert.equal(c.timers[2].due, 15);
});

test('guards are recorded with their message', () => {
  const c = timeout.cases[2];
  assert.deepEqual(c.guards.map((g) => [g.kind, g.t]), [['time_limit', 3600000]]);
  assert.equal(c.end, 3600000);
});

test('garbage and torn lines are skipped and counted', () => {
  const r = buildTimeline(['{"ev":"test","t_ms":0,"name":"a"}', 'not json', '{"t_ms":1}', '{"ev":"note","t_ms":2,"te']);
  assert.equal(r.invalidLines, 3);
  assert.equal(r.cases.length, 1);
});

test('a relative LED curve (starting before its event) is shifted to the event time', () => {
  const r = buildTimeline(['{"ev":"led","t_ms":100,"led":"led","on":true,"curve":[[0,0],[40,1]]}']);
  assert.equal(illuminationAt(r.cases[0], 120), 0.5);
});

test('describeEvent says what happened in plain words', () => {
  const c = spotlight.cases[0];
  const lines = c.events.map(describeEvent);
  assert.ok(lines.includes('Spotlight#1: aenter() begins'));
  assert.ok(lines.includes('LED “led” switched on'));
  assert.ok(lines.includes('timer 1 “sleep_for(50ms)” scheduled, due at 50 ms'));
  assert.match(describeEvent({ ev: 'aexit_end', cm: 3, name: 'Suppressor', suppressed: true, outcome: 'ok' }), /returned true — exception suppressed/);
  assert.match(describeEvent({ ev: 'exception', cm: 1, type: 'acm::TimeoutError', what: 'late', action: 'propagated' }), /acm::TimeoutError \(“late”\) propagates out of manager #1/);
  assert.equal(formatMs(12.5), '12.5 ms');
  assert.equal(formatMs(3600000), '3600 s');
});
