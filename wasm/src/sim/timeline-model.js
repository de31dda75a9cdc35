// buildTimeline(traceLines): the acm runtime's trace.jsonl (format in ARCHITECTURE.md) → one
// drawing model per doctest test case. PURE: no DOM, no clock, no re-simulation. The runtime
// already decided what happened and when (virtual time, LED illumination curves, frame pixels);
// this module only groups and indexes it so the panel can draw it and tests can check it.
//
// Virtual time restarts at 0 for each EventLoop, and one test case may run several loops. The
// model lays them end to end: every loop gets an `offset`, and all model times (`t`, `start`,
// `due`...) are display times, offset + t_ms. The raw `t_ms` stays on each event, and
// localTime() turns a display time back into "loop N, X ms" for labels.

export const PHASES = ['aenter', 'body', 'aexit'];

// A level this close to 1 counts as "fully lit": the curve's last point is exactly 1, but a
// runtime that approaches it asymptotically should still get a settle time.
const FULL_LIGHT = 0.999;

/** Accepts strings (JSON lines) or already-parsed objects; skips anything without `ev`. */
function normalise(lines) {
  const out = [];
  let invalid = 0;
  for (const raw of lines) {
    let ev = raw;
    if (typeof raw === 'string') {
      if (raw.trim() === '') continue;
      try {
        ev = JSON.parse(raw);
      } catch {
        invalid += 1;
        continue;
      }
    }
    if (!ev || typeof ev !== 'object' || typeof ev.ev !== 'string') {
      invalid += 1;
      continue;
    }
    const t = Number(ev.t_ms);
    out.push({ ...ev, t_ms: Number.isFinite(t) ? t : 0 });
  }
  return { events: out, invalid };
}

/**
 * @param {Array<string|object>} traceLines
 * @param {{defaultName?: string}} [opts]  name for events outside any `test` (examples have none)
 * @returns {{cases: object[], invalidLines: number}}
 */
export function buildTimeline(traceLines, { defaultName = 'run' } = {}) {
  const { events, invalid } = normalise(traceLines ?? []);
  const groups = [];
  let cur = null;
  for (const ev of events) {
    if (ev.ev === 'test') {
      cur = { name: String(ev.name ?? `test case ${groups.length + 1}`), events: [ev] };
      groups.push(cur);
      continue;
    }
    if (!cur) {
      cur = { name: defaultName, events: [] };
      groups.push(cur);
    }
    cur.events.push(ev);
  }
  return { cases: groups.map((g, i) => buildCase(g.name, g.events, i)), invalidLines: invalid };
}

function newCase(index, name) {
  return {
    index, name,
    events: [], end: 0,
    loops: [], lanes: [], leds: [], captures: [], timers: [], cancellations: [],
    exceptions: [], guards: [], notes: [], tasks: [],
  };
}

function buildCase(name, rawEvents, index) {
  const m = newCase(index, name);
  const lanesByKey = new Map();
  const ledsByName = new Map();
  const timersByKey = new Map();
  const tasksByKey = new Map();
  let loop = null;
  let cursor = 0; // the latest display time seen so far

  const startLoop = (t_ms) => {
    // A fresh EventLoop's clock starts at 0 again: shift it to start where the last one ended.
    // A loop object run a second time keeps its clock, and then no shift is needed.
    const previous = loop ? loop.offset : 0;
    const offset = t_ms + previous >= cursor ? previous : cursor - t_ms;
    loop = { index: m.loops.length, offset, start: t_ms + offset, end: null, outcome: null, what: '' };
    m.loops.push(loop);
  };

  rawEvents.forEach((raw, seq) => {
    if (raw.ev === 'run_begin' || (!loop && raw.ev !== 'test')) startLoop(raw.t_ms);
    const offset = loop ? loop.offset : 0;
    const li = loop ? loop.index : 0;
    const t = raw.t_ms + offset;
    cursor = Math.max(cursor, t);
    const ev = { ...raw, t, seq, loop: li };
    m.events.push(ev);

    switch (raw.ev) {
      case 'run_end':
        loop.end = t;
        loop.outcome = raw.outcome ?? null;
        loop.what = raw.what ?? '';
        // Timers still armed when their loop ends were dropped by the loop's cleanup.
        for (const timer of m.timers) if (timer.loop === li && timer.state === 'pending') timer.state = 'left armed';
        break;
      case 'task_spawn':
      case 'task_done': {
        const key = `${li}:${raw.task}`;
        let task = tasksByKey.get(key);
        if (!task) {
          task = { key, task: raw.task, name: raw.name ?? '', loop: li, spawn: null, done: null, outcome: null };
          tasksByKey.set(key, task);
          m.tasks.push(task);
        }
        if (raw.ev === 'task_spawn') task.spawn = t;
        else {
          task.done = t;
          task.outcome = raw.outcome ?? null;
        }
        if (raw.name) task.name = raw.name;
        break;
      }
      case 'aenter_begin': case 'aenter_end':
      case 'body_begin': case 'body_end':
      case 'aexit_begin': case 'aexit_end': {
        const lane = laneFor(raw, li, lanesByKey, m);
        const [phase, edge] = raw.ev.split('_');
        if (edge === 'begin') {
          lane.phases.push({ phase, start: t, end: null, outcome: null, suppressed: null, what: '', seq, endSeq: null });
        } else {
          // Close the latest open phase of this kind; tolerate a missing *_begin.
          let p = [...lane.phases].reverse().find((x) => x.phase === phase && x.end === null);
          if (!p) {
            p = { phase, start: t, end: null, outcome: null, suppressed: null, what: '', seq };
            lane.phases.push(p);
          }
          p.end = t;
          p.endSeq = seq;
          p.outcome = raw.outcome ?? 'ok';
          p.what = raw.what ?? '';
          if (phase === 'aexit') p.suppressed = raw.suppressed === true;
        }
        break;
      }
      case 'exception': {
        const laneKey = raw.cm != null ? `${li}:${raw.cm}` : null;
        const x = { t, seq, cm: raw.cm ?? null, name: raw.name ?? '', laneKey, what: raw.what ?? '', type: raw.type ?? '', action: raw.action ?? 'raised' };
        m.exceptions.push(x);
        lanesByKey.get(laneKey)?.exceptions.push(x);
        break;
      }
      case 'timer_scheduled': {
        const due = Number.isFinite(Number(raw.due_ms)) ? Number(raw.due_ms) + offset : t;
        const timer = { key: `${li}:${raw.timer}:${seq}`, timer: raw.timer, label: raw.label ?? '', loop: li, scheduled: t, due, fired: null, cancelled: null, state: 'pending', row: 0, cancelsTask: null, armedBy: null };
        // A timer armed while exactly one aenter() was running belongs to that manager (a
        // timeout's deadline): the timeline can then tell when it outlives its block.
        const entering = m.lanes.filter((l) => l.loop === li && l.phases.some((p) => p.phase === 'aenter' && p.endSeq == null && p.seq < seq));
        if (entering.length === 1) timer.armedBy = entering[0];
        timersByKey.set(`${li}:${raw.timer}`, timer); // a reused id refers to the latest timer
        m.timers.push(timer);
        break;
      }
      case 'timer_fired':
      case 'timer_cancelled': {
        let timer = timersByKey.get(`${li}:${raw.timer}`);
        if (!timer) {
          timer = { key: `${li}:${raw.timer}:${seq}`, timer: raw.timer, label: raw.label ?? '', loop: li, scheduled: t, due: t, fired: null, cancelled: null, state: 'pending', row: 0, cancelsTask: null };
          m.timers.push(timer);
        }
        if (raw.ev === 'timer_fired') {
          timer.fired = t;
          timer.state = 'fired';
        } else {
          timer.cancelled = t;
          timer.state = 'cancelled';
        }
        break;
      }
      case 'cancel_requested': {
        const c = { kind: 'requested', t, seq, loop: li, task: raw.task ?? null, reason: raw.reason ?? '', byTask: raw.by_task ?? null, byTimer: null };
        if (c.byTask == null) {
          // No task asked, so a timer's callback did: the timer that fired last, at this very
          // instant (the loop runs one callback at a time, and nothing else ran in between).
          for (let j = m.events.length - 2; j >= 0 && m.events[j].t === t; j--) {
            const e = m.events[j];
            if (e.ev === 'timer_fired') {
              const timer = timersByKey.get(`${li}:${e.timer}`);
              if (timer) {
                c.byTimer = timer;
                timer.cancelsTask = c.task;
              }
              break;
            }
            if (e.ev !== 'timer_cancelled' && e.ev !== 'cancel_requested') break;
          }
        }
        m.cancellations.push(c);
        break;
      }
      case 'cancelled':
        m.cancellations.push({ kind: 'cancelled', t, seq, loop: li, task: raw.task ?? null, at: raw.at ?? '' });
        break;
      case 'led':
        addLedSwitch(ledsByName, m, raw, t, offset, seq);
        break;
      case 'capture': {
        const width = raw.width | 0;
        const height = raw.height | 0;
        const pixels = Array.isArray(raw.pixels) ? raw.pixels : [];
        const start = Number.isFinite(Number(raw.start_ms)) ? Number(raw.start_ms) + offset : t - (Number(raw.exposure_ms) || 0);
        m.captures.push({
          t, t_ms: raw.t_ms, seq, loop: li, camera: raw.camera ?? 'camera', start,
          exposure: Number(raw.exposure_ms) || t - start, width, height, pixels,
          brightness: Number.isFinite(Number(raw.brightness)) ? Number(raw.brightness) : meanBrightness(pixels),
        });
        break;
      }
      case 'guard':
        m.guards.push({ t, seq, loop: li, kind: raw.kind ?? 'guard', message: raw.message ?? '' });
        break;
      case 'note':
        m.notes.push({ t, seq, loop: li, text: raw.text ?? '' });
        break;
      default:
        break;
    }
  });

  m.end = m.events.reduce((a, e) => Math.max(a, e.t), 0);
  for (const led of m.leds) finishLed(led, m.end);
  for (const c of m.captures) {
    const led = m.leds[0];
    // What the light was doing while the frame was exposed, read off the recorded curve.
    c.lightAtStart = led ? levelAt(led.curve, c.start) : null;
    c.lightAtEnd = led ? levelAt(led.curve, c.t) : null;
  }
  assignTimerRows(m.timers);
  m.lanes.sort((a, b) => a.first - b.first);
  return m;
}

function laneFor(raw, loop, lanesByKey, m) {
  const key = `${loop}:${raw.cm}`;
  let lane = lanesByKey.get(key);
  if (!lane) {
    lane = { key, cm: raw.cm ?? null, name: raw.name ?? 'manager', depth: Number(raw.depth) || 0, task: raw.task ?? null, loop, phases: [], exceptions: [], first: m.events.length };
    lanesByKey.set(key, lane);
    m.lanes.push(lane);
  }
  return lane;
}

/**
 * Each `led` line carries the illumination "from now on". The merged curve keeps the previous
 * curve up to this switch (with the level it had reached, so a half-lit LED switched off starts
 * from where it was), then follows the new one.
 */
function addLedSwitch(ledsByName, m, raw, t, offset, seq) {
  const name = String(raw.led ?? 'led');
  let led = ledsByName.get(name);
  if (!led) {
    led = { name, curve: [], switches: [], intervals: [] };
    ledsByName.set(name, led);
    m.leds.push(led);
  }
  const on = raw.on === true;
  led.switches.push({ t, on, seq });
  if (on) {
    if (!led.intervals.length || led.intervals[led.intervals.length - 1].end !== null) led.intervals.push({ start: t, end: null, settled: null, fullAt: null });
  } else {
    const last = led.intervals[led.intervals.length - 1];
    if (last && last.end === null) last.end = t;
  }

  let pts = (Array.isArray(raw.curve) ? raw.curve : [])
    .filter((p) => Array.isArray(p) && p.length >= 2 && Number.isFinite(Number(p[0])) && Number.isFinite(Number(p[1])))
    .map((p) => [Number(p[0]), clamp01(Number(p[1]))]);
  // The contract gives absolute virtual times; a curve that starts before its own event is
  // read as relative to it (so a runtime that chose relative offsets still draws correctly).
  if (pts.length && pts[0][0] < raw.t_ms - 1e-9) pts = pts.map(([pt, l]) => [pt + raw.t_ms, l]);
  pts = pts.map(([pt, l]) => [pt + offset, l]);
  if (!pts.length) pts = [[t, on ? 1 : 0]];

  if (on) {
    // When this switch-on promises full light, from its own curve: known even if the LED is
    // switched off before then.
    const iv = led.intervals[led.intervals.length - 1];
    iv.fullAt ??= pts.find(([, l]) => l >= FULL_LIGHT)?.[0] ?? null;
  }

  // Cut the curve at t, keeping both sides of any step an earlier switch at this same instant
  // made (off and on again at once must not turn into a slope).
  const approaching = levelBefore(led.curve, t);
  const now = levelAt(led.curve, t);
  const had = led.curve.length > 0;
  led.curve = led.curve.filter(([pt]) => pt < t);
  if (had) led.curve.push([t, approaching]);
  if (had && now !== approaching) led.curve.push([t, now]);
  if (pts[0][0] > t) pts.unshift([t, had ? now : pts[0][1]]);
  led.curve.push(...pts.filter(([pt]) => pt >= t));
}

/** When each on-interval reached full light (null: switched off before it did). */
function finishLed(led, end) {
  for (const iv of led.intervals) iv.settled = iv.fullAt != null && iv.fullAt <= (iv.end ?? Infinity) ? iv.fullAt : null;
  led.end = end;
}

function clamp01(x) {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Piecewise-linear interpolation; 0 before the first point, the last level holds after it. */
export function levelAt(curve, t) {
  if (!curve.length || t < curve[0][0]) return 0;
  let lo = 0;
  let hi = curve.length - 1;
  while (lo < hi) { // last index with curve[i][0] <= t (later duplicates win: a switch is a step)
    const mid = (lo + hi + 1) >> 1;
    if (curve[mid][0] <= t) lo = mid;
    else hi = mid - 1;
  }
  if (lo === curve.length - 1) return curve[lo][1];
  const [t0, l0] = curve[lo];
  const [t1, l1] = curve[lo + 1];
  return t1 === t0 ? l1 : l0 + ((l1 - l0) * (t - t0)) / (t1 - t0);
}

function pickLed(model, name) {
  if (!model?.leds?.length) return null;
  return name == null ? model.leds[0] : model.leds.find((l) => l.name === name) ?? null;
}

/** Like levelAt, but the level just before t: what a step at exactly t replaces. */
function levelBefore(curve, t) {
  let i = -1;
  while (i + 1 < curve.length && curve[i + 1][0] < t) i++;
  if (i < 0) return 0;
  if (i === curve.length - 1) return curve[i][1];
  const [t0, l0] = curve[i];
  const [t1, l1] = curve[i + 1];
  return t1 === t0 ? l1 : l0 + ((l1 - l0) * (t - t0)) / (t1 - t0);
}

/**
 * Illumination (0..1) of the model's LED (first LED unless `name`) at display time t. With
 * `seq`, a switch recorded later at the same instant does not count yet (see ledOnAt).
 */
export function illuminationAt(model, t, name, seq = Infinity) {
  const led = pickLed(model, name);
  if (!led) return 0;
  const laterSwitch = led.switches.some((x) => x.t === t && x.seq > seq);
  return laterSwitch ? levelBefore(led.curve, t) : levelAt(led.curve, t);
}

/**
 * Whether the LED was switched on at display time t (the last switch at or before t wins).
 * With `seq`, only switches recorded before that trace line count: at one instant an LED can go
 * on, light a body that starts, and go off again.
 */
export function ledOnAt(model, t, name, seq = Infinity) {
  const led = pickLed(model, name);
  if (!led) return false;
  let on = false;
  for (const s of led.switches) {
    if (s.t < t || (s.t === t && s.seq < seq)) on = s.on;
    else if (s.t > t) break;
  }
  return on;
}

/** "off" | "warming up" | "lit": what the LED looks like at display time t. */
export function ledStateAt(model, t, name) {
  if (!ledOnAt(model, t, name)) return 'off';
  return illuminationAt(model, t, name) >= FULL_LIGHT ? 'lit' : 'warming up';
}

/** The loop a display time falls in, and the loop's own clock there. */
export function localTime(model, t) {
  const loops = model?.loops ?? [];
  let loop = loops[0] ?? null;
  for (const l of loops) if (l.start <= t) loop = l;
  return { loop: loop ? loop.index : 0, t_ms: t - (loop ? loop.offset : 0), loops: loops.length };
}

/** Greedy row packing so overlapping timers are drawn on separate rows. */
function assignTimerRows(timers) {
  const rowEnds = [];
  for (const timer of timers) {
    const stop = timer.fired ?? timer.cancelled ?? Math.max(timer.due, timer.scheduled);
    let row = rowEnds.findIndex((e) => e <= timer.scheduled);
    if (row < 0) {
      row = rowEnds.length;
      rowEnds.push(stop);
    } else rowEnds[row] = stop;
    timer.row = row;
  }
}

function meanBrightness(pixels) {
  if (!pixels.length) return 0;
  let s = 0;
  for (const p of pixels) s += Number(p) || 0;
  return s / pixels.length / 255;
}

/** "50 ms", "12.5 ms", "1.1 s": compact virtual-time labels. */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return '?';
  const r = Math.round(ms * 10) / 10;
  if (Math.abs(r) >= 1000) {
    const s = r / 1000;
    return `${Number.isInteger(s) ? s : Number(s.toFixed(Math.abs(s) >= 100 ? 0 : 2))} s`;
  }
  return `${r} ms`;
}

const percent = (x) => `${Math.round(x * 100)} %`;
const manager = (ev) => `${ev.name ?? 'manager'} #${ev.cm}`;
const quoted = (s) => `“${s}”`;

/** One plain-text sentence per trace event, for the event list and tooltips. */
export function describeEvent(ev) {
  switch (ev.ev) {
    case 'test': return `test case ${quoted(ev.name)} starts`;
    case 'run_begin': return 'EventLoop::run starts: virtual time 0';
    case 'run_end': return ev.outcome === 'exception'
      ? `EventLoop::run ends with an exception: ${ev.what}` : 'EventLoop::run ends';
    case 'task_spawn': return `task ${ev.task}${ev.name ? ` ${quoted(ev.name)}` : ''} starts`;
    case 'task_done': return `task ${ev.task}${ev.name ? ` ${quoted(ev.name)}` : ''} finishes${ev.outcome && ev.outcome !== 'ok' ? ` (${ev.outcome})` : ''}`;
    case 'aenter_begin': return `${manager(ev)}: aenter() begins`;
    case 'aenter_end': return ev.outcome === 'exception'
      ? `${manager(ev)}: aenter() failed${ev.what ? ` (${ev.what})` : ''} — the block never starts, aexit() will not run` : `${manager(ev)}: aenter() done`;
    case 'body_begin': return `${manager(ev)}: the body begins`;
    case 'body_end': return ev.outcome === 'exception'
      ? `${manager(ev)}: the body is left by an exception${ev.what ? ` (${ev.what})` : ''}` : `${manager(ev)}: the body ends`;
    case 'aexit_begin': return `${manager(ev)}: aexit() begins`;
    case 'aexit_end':
      if (ev.outcome === 'exception') return `${manager(ev)}: aexit() threw${ev.what ? ` ${ev.what}` : ''}`;
      return ev.suppressed ? `${manager(ev)}: aexit() returned true — the exception is suppressed` : `${manager(ev)}: aexit() done`;
    case 'exception': {
      const what = `${ev.type || 'an exception'}${ev.what && ev.what !== ev.type ? ` (${quoted(ev.what)})` : ''}`;
      const who = ev.cm != null ? `${ev.name || 'manager'} #${ev.cm}` : 'the block';
      if (ev.action === 'suppressed') return `${what} is suppressed by ${who}`;
      if (ev.action === 'propagated') return `${what} leaves the block of ${who}`;
      return `${what} is raised in the body of ${who}`;
    }
    case 'timer_scheduled': return `timer ${ev.timer} ${quoted(ev.label ?? '')} is armed, due at ${formatMs(Number(ev.due_ms))}`;
    case 'timer_fired': return `timer ${ev.timer} ${quoted(ev.label ?? '')} fires`;
    case 'timer_cancelled': return `timer ${ev.timer} ${quoted(ev.label ?? '')} is cancelled`;
    case 'cancel_requested': return `cancel() is called on task ${ev.task}`;
    case 'cancelled': return `task ${ev.task} gets acm::Cancelled${ev.at ? ` at ${ev.at}` : ''}`;
    case 'led': return `LED ${quoted(ev.led ?? 'led')} switched ${ev.on ? 'on' : 'off'}`;
    case 'capture': {
      const b = Number(ev.brightness);
      return `camera ${quoted(ev.camera ?? 'camera')} took a frame, exposed ${formatMs(Number(ev.start_ms))}–${formatMs(ev.t_ms)}${Number.isFinite(b) ? `, brightness ${percent(b)}` : ''}`;
    }
    case 'guard': return `the loop was stopped (${ev.kind}): ${ev.message ?? ''}`;
    case 'note': return `note: ${ev.text ?? ''}`;
    default: return ev.ev;
  }
}

/** Events a reader of the step-by-step list does not need (the loop's own bookkeeping). */
export function isBookkeeping(ev) {
  return ev.ev === 'task_spawn' || ev.ev === 'task_done' || ev.ev === 'run_begin' || ev.ev === 'run_end';
}
