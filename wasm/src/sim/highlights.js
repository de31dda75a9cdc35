// highlights(caseModel): the few things in a run a learner should look at first, as plain
// sentences with the time they happened ("the body started while the LED was still warming up",
// "the deadline fired and cancelled task 1"). PURE, and read off the trace model only: every
// time, level and name comes from what the runtime recorded.
import { formatMs, illuminationAt, ledOnAt, localTime } from './timeline-model.js';

const FULL_LIGHT = 0.999;
const percent = (x) => `${Math.round(x * 100)} %`;
const quoted = (s) => `“${s}”`;
const managerName = (lane) => `${lane.name} #${lane.cm}`;
// doctest test files define their exceptions in an anonymous namespace; the prefix is noise here.
const typeName = (type) => String(type ?? '').replace(/^\(anonymous namespace\)::/, '');

/**
 * @returns {{t:number, level:'info'|'warn'|'error', kind:string, text:string}[]} in time order
 */
export function highlights(m) {
  if (!m) return [];
  const out = [];
  // `seq` orders things that happen at the same instant the way the trace recorded them.
  const add = (t, level, kind, text, seq = Infinity) => out.push({ t, level, kind, text, seq });
  const taskName = (loop, id) => {
    const task = m.tasks.find((x) => x.loop === loop && x.task === id);
    return task?.name && task.name !== `task ${id}` ? `task ${id} (${task.name})` : `task ${id}`;
  };
  const at = (t) => formatMs(localTime(m, t).t_ms);
  const led = m.leds[0];

  for (const lane of m.lanes) {
    for (const p of lane.phases) {
      const light = led ? illuminationAt(m, p.start, undefined, p.seq) : 0;
      if (p.phase === 'body' && led && ledOnAt(m, p.start, undefined, p.seq) && light < FULL_LIGHT) {
        const iv = led.intervals.find((x) => x.start <= p.start && (x.end == null || x.end >= p.start));
        const settled = iv?.settled != null ? `it was fully lit only at ${at(iv.settled)}`
          : iv?.fullAt != null ? `it needed until ${at(iv.fullAt)} to be fully lit, but was switched off at ${at(iv.end)}`
            : 'it was switched off before it was ever fully lit';
        add(p.start, 'warn', 'body-before-settled',
          `The body of ${managerName(lane)} started at ${at(p.start)}, while LED ${quoted(led.name)} was still warming up (${percent(light)} light); ${settled}.`);
      }
      if (p.phase === 'aenter' && p.outcome === 'exception') {
        add(p.end, 'warn', 'aenter-failed',
          `aenter() of ${managerName(lane)} failed at ${at(p.end)}${p.what ? ` (${p.what})` : ''}: the block never started, so aexit() did not run.`);
      }
    }
    const raised = lane.exceptions.find((x) => x.action === 'raised');
    for (const x of lane.exceptions) {
      if (x.action === 'suppressed') {
        add(x.t, 'info', 'suppressed', `aexit() of ${managerName(lane)} suppressed ${typeName(x.type) || 'the exception'}: the code after the block carries on.`, x.seq);
      } else if (x.action === 'propagated') {
        if (raised && raised.type && x.type && raised.type !== x.type) {
          add(x.t, 'info', 'converted', `aexit() of ${managerName(lane)} turned ${typeName(raised.type)} into ${typeName(x.type)}.`, x.seq - 0.5);
        }
        if (lane.depth === 0) add(x.t, 'error', 'left-block', `${typeName(x.type) || 'An exception'} left the block of ${managerName(lane)} at ${at(x.t)}.`, x.seq);
      }
    }
  }

  if (led) {
    const brightest = Math.max(...m.captures.map((c) => c.brightness));
    for (const c of m.captures) {
      if (c.lightAtStart == null || c.lightAtStart >= FULL_LIGHT) continue;
      const compare = m.captures.length > 1 && brightest > c.brightness ? `, against ${percent(brightest)} for the brightest frame` : '';
      const lit = led.intervals.some((iv) => iv.start < c.t && (iv.end == null || iv.end > c.start));
      const why = lit ? 'while the LED was still warming up' : 'with the LED off';
      add(c.t, 'warn', 'dark-frame', `The frame taken at ${at(c.t)} was exposed ${why}: brightness ${percent(c.brightness)}${compare}.`);
    }
  }

  for (const c of m.cancellations) {
    if (c.kind !== 'requested') continue;
    const landed = m.cancellations.find((x) => x.kind === 'cancelled' && x.task === c.task && x.loop === c.loop && x.seq > c.seq);
    const where = landed ? ` It got acm::Cancelled where it was waiting${landed.at ? `, at ${landed.at}` : ''}.` : '';
    const whom = taskName(c.loop, c.task);
    const owner = c.byTimer?.armedBy;
    const ownerEnd = owner ? blockEnd(owner) : null;
    if (c.byTimer && ownerEnd != null && ownerEnd < c.t) {
      add(c.t, 'warn', 'cancel-after-block',
        `Timer ${quoted(c.byTimer.label)}, armed in aenter() of ${managerName(owner)}, fired at ${at(c.t)} — after that block had ended at ${at(ownerEnd)} — and cancelled ${whom}.${where}`, c.seq);
      continue;
    }
    const text = c.byTimer ? `Timer ${quoted(c.byTimer.label)} fired at ${at(c.t)} and cancelled ${whom}.${where}`
      : c.byTask != null ? `${capitalise(taskName(c.loop, c.byTask))} cancelled ${whom} at ${at(c.t)}.${where}`
        : `${capitalise(whom)} was cancelled at ${at(c.t)}.${where}`;
    add(c.t, 'info', 'cancel', text, c.seq);
  }

  for (const timer of m.timers) {
    if (timer.state === 'left armed') {
      const by = timer.armedBy ? `, armed in aenter() of ${managerName(timer.armedBy)},` : '';
      add(m.loops[timer.loop]?.end ?? timer.scheduled, 'warn', 'timer-left-armed',
        `Timer ${quoted(timer.label)}${by} was still armed when the loop ended (due at ${at(timer.due)}): nothing cancelled it.`);
    }
  }
  for (const l of m.leds) {
    const last = l.switches[l.switches.length - 1];
    if (last?.on) add(m.end, 'warn', 'led-left-on', `LED ${quoted(l.name)} was still on when the run ended (switched on at ${at(last.t)}).`);
  }
  for (const g of m.guards) add(g.t, 'error', 'guard', `The loop was stopped: ${g.message}`);

  return out.map((h, i) => ({ h, i })).sort((a, b) => a.h.t - b.h.t || a.h.seq - b.h.seq || a.i - b.i)
    .map(({ h }) => ({ t: h.t, level: h.level, kind: h.kind, text: h.text }));
}

/** When a block was over: the end of its aexit() (or of a failed aenter()); null while open. */
function blockEnd(lane) {
  const exit = lane.phases.find((p) => p.phase === 'aexit');
  if (exit) return exit.end;
  const enter = lane.phases.find((p) => p.phase === 'aenter');
  return enter?.outcome === 'exception' ? enter.end : null;
}

const capitalise = (s) => s.charAt(0).toUpperCase() + s.slice(1);
