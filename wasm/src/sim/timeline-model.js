// buildTimeline(traceLines): the acm runtime's trace.jsonl (format in ARCHITECTURE.md) → one
// drawing model per doctest test case. PURE: no DOM, no clock, no re-simulation. The runtime
// already decided what happened and when (virtual time, LED illumination curves, frame pixels);
// this module only groups and indexes it so the panel can draw it and tests can check it.
//
// Virtual time restarts at 0 for each EventLoop. When one test case runs several loops, the
// model lays them end to end: every loop gets an `offset` and all model times are "display
// times" (offset + t_ms). Raw `t_ms` stays on each event for labels.

const PHASES = ['aenter', 'body', 'aexit'];

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

function buildCase(name, rawEvents, index) {
  const m = {
    index, name,
    events: [], start: 0, end: 0,
    loops: [], lanes: [], leds: [], captures: [], timers: [], cancellations: [],
    exceptions: [], guards: [], notes: [], tasks: [],
  };
  const loopsById = new Map();
  const lanesByKey = new Map();
  const ledsByName = new Map();
  const timersByKey = new Map();
  const tasksByKey = new Map();
  let loopKey = '0';
  let offset = 0;
  let cursor = 0; // the latest display time seen; a new loop starts here

  rawEvents.forEach((raw, seq) => {
    if (raw.ev === 'run_begin') {
      const id = String(raw.loop ?? '?');
      let loop = loopsById.get(id);
      // A loop id we saw before whose clock went backwards is a new loop that reused the id.
      if (!loop || raw.t_ms + loop.offset < loop.last) {
        loop = { loop: raw.loop ?? null, offset: m.loops.length === 0 ? 0 : cursor, begin: null, end: null, outcome: null, what: '', last: 0 };
        loopsById.set(id, loop);
        m.loops.push(loop);
      }
      loopKey = `${id}@${m.loops.indexOf(loop)}`;
      offset = loop.offset;
      loop.begin ??= raw.t_ms + offset;
    }
    const t = raw.t_ms + offset;
    cursor = Math.max(cursor, t);
    const ev = { ...raw, t, seq, loopKey };
    m.events.push(ev);
    const currentLoop = m.loops[m.loops.length - 1];
    if (currentLoop) currentLoop.last = Math.max(currentLoop.last, t);

    switch (raw.ev) {
      case 'run_end':
        if (currentLoop) {
          currentLoop.end = t;
          currentLoop.outcome = raw.outcome ?? null;
          currentLoop.what = raw.what ?? '';
        }
        break;
      case 'task_spawn':
      case 'task_done': {
        const key = `${loopKey}:${raw.task}`;
        let task = tasksByKey.get(key);
        if (!task) {
          task = { key, task: raw.task, name: raw.name ?? '', spawn: null, done: null, outcome: null };
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
        const lane = laneFor(raw, loopKey, lanesByKey, m);
        const [phase, edge] = raw.ev.split('_');
        if (edge === 'begin') {
          lane.phases.push({ phase, start: t, end: null, outcome: null, suppressed: null });
        } else {
          // Close the latest open phase of this kind; tolerate a missing *_begin.
          let p = [...lane.phases].reverse().find((x) => x.phase === phase && x.end === null);
          if (!p) {
            p = { phase, start: t, end: null, outcome: null, suppressed: null };
            lane.phases.push(p);
          }
          p.end = t;
          p.outcome = raw.outcome ?? 'ok';
          if (phase === 'aexit') p.suppressed = raw.suppressed === true;
        }
        break;
      }
      case 'exception': {
        const laneKey = raw.cm != null ? `${loopKey}:${raw.cm}` : null;
        const x = { t, seq, cm: raw.cm ?? null, laneKey, what: raw.what ?? '', type: raw.type ?? '', action: raw.action ?? 'raised' };
        m.exceptions.push(x);
        lanesByKey.get(laneKey)?.exceptions.push(x);
        break;
      }
      case 'timer_scheduled': {
        let key = `${loopKey}:${raw.timer}`;
        if (timersByKey.has(key)) key = `${key}#${seq}`; // an id reused after the first one ended
        const due = Number.isFinite(Number(raw.due_ms)) ? Number(raw.due_ms) + offset : t;
        const timer = { key, timer: raw.timer, label: raw.label ?? '', scheduled: t, due, fired: null, cancelled: null, state: 'pending', row: 0 };
        timersByKey.set(`${loopKey}:${raw.timer}`, timer);
        timersByKey.set(key, timer);
        m.timers.push(timer);
        break;
      }
      case 'timer_fired':
      case 'timer_cancelled': {
        let timer = timersByKey.get(`${loopKey}:${raw.timer}`);
        if (!timer) {
          timer = { key: `${loopKey}:${raw.timer}`, timer: raw.timer, label: raw.label ?? '', scheduled: t, due: t, fired: null, cancelled: null, state: 'pending', row: 0 };
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
      case 'cancel_requested':
        m.cancellations.push({ kind: 'requested', t, seq, task: raw.task ?? null, reason: raw.reason ?? '' });
        break;
      case 'cancelled':
        m.cancellations.push({ kind: 'cancelled', t, seq, task: raw.task ?? null, at: raw.at ?? '' });
        break;
      case 'led':
        addLedSwitch(ledsByName, m, raw, t, offset);
        break;
      case 'capture': {
        const width = raw.width | 0;
        const height = raw.height | 0;
        const pixels = Array.isArray(raw.pixels) ? raw.pixels : [];
        const start = Number.isFinite(Number(raw.start_ms)) ? Number(raw.start_ms) + offset : t - (Number(raw.exposure_ms) || 0);
        m.captures.push({
          t, t_ms: raw.t_ms, seq, camera: raw.camera ?? 'camera', start,
          exposure: Number(raw.exposure_ms) || t - start, width, height, pixels,
          brightness: Number.isFinite(Number(raw.brightness)) ? Number(raw.brightness) : meanBrightness(pixels),
        });
        break;
      }
      case 'guard':
        m.guards.push({ t, seq, kind: raw.kind ?? 'guard', message: raw.message ?? '' });
        break;
      case 'note':
        m.notes.push({ t, seq, text: raw.text ?? '' });
        break;
      default:
        break;
    }
  });

  for (const loop of m.loops) delete loop.last;
  m.end = m.events.reduce((a, e) => Math.max(a, e.t), 0);
  // Show the LED's recorded fade-out to the end, even when nothing else happens meanwhile.
  for (const led of m.leds) if (led.curve.length) m.end = Math.max(m.end, led.curve[led.curve.length - 1][0]);
  assignTimerRows(m.timers, m.end);
  m.lanes.sort((a, b) => a.first - b.first);
  return m;
}

function laneFor(raw, loopKey, lanesByKey, m) {
  const key = `${loopKey}:${raw.cm}`;
  let lane = lanesByKey.get(key);
  if (!lane) {
    lane = { key, cm: raw.cm ?? null, name: raw.name ?? 'manager', depth: Number(raw.depth) || 0, task: raw.task ?? null, phases: [], exceptions: [], first: m.events.length };
    lanesByKey.set(key, lane);
    m.lanes.push(lane);
  }
  return lane;
}

/**
 * Each `led` line carries the illumination "from now on". The merged curve keeps the previous
 * curve up to this switch (with the level it had reached, so a half-lit LED switched off starts
 * fading from where it was), then follows the new one.
 */
function addLedSwitch(ledsByName, m, raw, t, offset) {
  const name = String(raw.led ?? 'led');
  let led = ledsByName.get(name);
  if (!led) {
    led = { name, curve: [], switches: [], intervals: [] };
    ledsByName.set(name, led);
    m.leds.push(led);
  }
  const on = raw.on === true;
  led.switches.push({ t, on });
  if (on) {
    if (!led.intervals.length || led.intervals[led.intervals.length - 1].end !== null) led.intervals.push({ start: t, end: null });
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

  const before = levelAt(led.curve, t);
  led.curve = led.curve.filter(([pt]) => pt < t);
  if (led.curve.length) led.curve.push([t, before]);
  if (pts[0][0] > t) pts.unshift([t, led.curve.length ? before : pts[0][1]]);
  led.curve.push(...pts.filter(([pt]) => pt >= t));
}

function clamp01(x) {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Piecewise-linear interpolation; 0 before the first point, the last level holds after it. */
function levelAt(curve, t) {
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

/** Illumination (0..1) of the model's LED (first LED unless `name`) at display time t. */
export function illuminationAt(model, t, name) {
  const led = pickLed(model, name);
  return led ? levelAt(led.curve, t) : 0;
}

/** Whether the LED was switched on at display time t (the last switch at or before t wins). */
export function ledOnAt(model, t, name) {
  const led = pickLed(model, name);
  if (!led) return false;
  let on = false;
  for (const s of led.switches) {
    if (s.t <= t) on = s.on;
    else break;
  }
  return on;
}

/** Greedy row packing so overlapping timers are drawn on separate rows. */
function assignTimerRows(timers, end) {
  const rowEnds = [];
  for (const timer of timers) {
    const stop = timer.fired ?? timer.cancelled ?? Math.max(timer.due, timer.scheduled);
    let row = rowEnds.findIndex((e) => e < timer.scheduled || (e === timer.scheduled && stop > e));
    if (row < 0) {
      row = rowEnds.length;
      rowEnds.push(stop);
    } else rowEnds[row] = stop;
    timer.row = row;
  }
  return end;
}

function meanBrightness(pixels) {
  if (!pixels.length) return 0;
  let s = 0;
  for (const p of pixels) s += Number(p) || 0;
  return s / pixels.length / 255;
}

/** "50 ms", "12.5 ms", "3.6 s", "1 h"-ish: compact virtual-time labels. */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return '?';
  const a = Math.abs(ms);
  if (a >= 10000) {
    const s = ms / 1000;
    return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
  }
  return `${Number.isInteger(ms) ? ms : ms.toFixed(1)} ms`;
}

const manager = (ev) => `${ev.name ?? 'manager'}#${ev.cm}`;

/** One plain-text sentence per trace event, for the event list and tooltips. */
export function describeEvent(ev) {
  switch (ev.ev) {
    case 'test': return `test case “${ev.name}” starts`;
    case 'run_begin': return `EventLoop::run starts (loop ${ev.loop})`;
    case 'run_end': return ev.outcome === 'exception'
      ? `EventLoop::run ends with an exception: ${ev.what}` : 'EventLoop::run ends normally';
    case 'task_spawn': return `task ${ev.task}${ev.name ? ` “${ev.name}”` : ''} starts`;
    case 'task_done': return `task ${ev.task}${ev.name ? ` “${ev.name}”` : ''} finishes: ${ev.outcome ?? 'ok'}`;
    case 'aenter_begin': return `${manager(ev)}: aenter() begins`;
    case 'aenter_end': return ev.outcome === 'exception'
      ? `${manager(ev)}: aenter() failed — aexit() will not run` : `${manager(ev)}: aenter() done`;
    case 'body_begin': return `${manager(ev)}: body begins`;
    case 'body_end': return ev.outcome === 'exception'
      ? `${manager(ev)}: body left by an exception` : `${manager(ev)}: body done`;
    case 'aexit_begin': return `${manager(ev)}: aexit() begins`;
    case 'aexit_end':
      if (ev.outcome === 'exception') return `${manager(ev)}: aexit() threw`;
      return ev.suppressed ? `${manager(ev)}: aexit() returned true — exception suppressed` : `${manager(ev)}: aexit() done`;
    case 'exception': {
      const what = `${ev.type || 'exception'}${ev.what ? ` (“${ev.what}”)` : ''}`;
      if (ev.action === 'suppressed') return `${what} suppressed by ${ev.cm != null ? `manager #${ev.cm}` : 'a manager'}`;
      if (ev.action === 'propagated') return `${what} propagates out of ${ev.cm != null ? `manager #${ev.cm}` : 'the block'}`;
      return `${what} raised in the body of ${ev.cm != null ? `manager #${ev.cm}` : 'a block'}`;
    }
    case 'timer_scheduled': return `timer ${ev.timer} “${ev.label ?? ''}” scheduled, due at ${formatMs(Number(ev.due_ms))}`;
    case 'timer_fired': return `timer ${ev.timer} “${ev.label ?? ''}” fired`;
    case 'timer_cancelled': return `timer ${ev.timer} “${ev.label ?? ''}” cancelled`;
    case 'cancel_requested': return `cancel() requested for task ${ev.task}${ev.reason ? ` (${ev.reason})` : ''}`;
    case 'cancelled': return `task ${ev.task} cancelled${ev.at ? ` while awaiting ${ev.at}` : ''}`;
    case 'led': return `LED “${ev.led ?? 'led'}” switched ${ev.on ? 'on' : 'off'}`;
    case 'capture': {
      const b = Number(ev.brightness);
      return `${ev.camera ?? 'camera'} captured a ${ev.width}×${ev.height} frame (exposed ${formatMs(Number(ev.start_ms))}–${formatMs(ev.t_ms)}${Number.isFinite(b) ? `, brightness ${Math.round(b * 100)} %` : ''})`;
    }
    case 'guard': return `guard stopped the loop (${ev.kind}): ${ev.message ?? ''}`;
    case 'note': return `note: ${ev.text ?? ''}`;
    default: return ev.ev;
  }
}

export { PHASES, levelAt };
