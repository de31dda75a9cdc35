// The timeline: one SVG, virtual time left to right, one row per thing that happened — each
// manager's phases (nested managers indented under their parent), the LED's light, the camera's
// exposures with the frames themselves, timers, cancellations. Everything it draws comes from
// the case model (timeline-model.js); it keeps no state beyond what it drew and the playhead.
//
// Written by hand rather than with a charting library: the rows are few and specific (phases,
// an illumination curve, thumbnails), and the page must stay small.
import { s } from '../dom.js';
import { formatMs, levelAt, localTime } from './timeline-model.js';

const GEOM = { label: 168, narrowLabel: 112, right: 18, axis: 30, bottom: 10 };
const ROW = { lane: 28, laneLabelled: 40, led: 40, camera: 38, timer: 20, cancel: 28, note: 20 };

const shortType = (type) => String(type || 'exception').replace(/^\(anonymous namespace\)::/, '');
const quoted = (x) => `“${x}”`;

export class TimelineView {
  /** @param {{onSeek:(t:number)=>void}} o */
  constructor({ onSeek }) {
    this.onSeek = onSeek;
    this.el = null;
  }

  span() {
    return Math.max(this.model?.end ?? 0, 1);
  }

  // The drawing reaches a little past the end of the run, so what happens at the very end
  // (an exception leaving, an LED switching off) is not squeezed against the edge.
  domain() {
    return this.span() * 1.04;
  }

  x(t) {
    return this.labelW + (Math.max(0, Math.min(t, this.domain())) / this.domain()) * this.plot;
  }

  plotEnd() {
    return this.labelW + this.plot;
  }

  /** Local "loop" time label for a display time. */
  at(t) {
    return formatMs(localTime(this.model, t).t_ms);
  }

  render(model, width) {
    this.model = model;
    this.width = Math.max(320, Math.floor(width));
    // Row names take less room on a phone, so the plot keeps most of the width.
    this.labelW = this.width < 560 ? GEOM.narrowLabel : GEOM.label;
    this.plot = this.width - this.labelW - GEOM.right;
    const m = model;

    const rows = [];
    const tasksShown = new Set(m.lanes.map((l) => l.task)).size > 1;
    for (const track of laneTracks(m.lanes)) {
      const lane = track[0];
      const task = m.tasks.find((x) => x.loop === lane.loop && x.task === lane.task);
      const labelled = track.some((l) => l.exceptions.some((e) => e.action !== 'raised'));
      const label = track.length === 1 ? `${lane.name} #${lane.cm}` : `${lane.name}, ${track.length} blocks`;
      rows.push({ kind: 'lane', h: labelled ? ROW.laneLabelled : ROW.lane, indent: lane.depth, label,
        sub: tasksShown || lane.depth === 0 ? `in task ${lane.task}${task?.name && task.name !== `task ${lane.task}` ? ` (${task.name})` : ''}` : '',
        draw: (g, y) => track.forEach((l) => this.drawLane(g, l, y)) });
    }
    for (const led of m.leds) rows.push({ kind: 'led', h: ROW.led, label: `LED ${quoted(led.name)}`, sub: 'light level', draw: (g, y, h) => this.drawLed(g, led, y, h) });
    const cameras = [...new Set(m.captures.map((c) => c.camera))];
    for (const cam of cameras) rows.push({ kind: 'camera', h: ROW.camera, label: `camera ${quoted(cam)}`, sub: 'exposures', draw: (g, y, h) => this.drawCamera(g, cam, y, h) });
    const timerRows = m.timers.reduce((a, t) => Math.max(a, t.row + 1), 0);
    for (let r = 0; r < timerRows; r++) rows.push({ kind: 'timer', h: ROW.timer, label: r === 0 ? 'timers' : '', sub: '', draw: (g, y, h) => this.drawTimers(g, r, y, h) });
    if (m.cancellations.length) rows.push({ kind: 'cancel', h: ROW.cancel, label: 'cancellation', sub: '', draw: (g, y, h) => this.drawCancellations(g, y, h) });
    if (m.notes.length) rows.push({ kind: 'note', h: ROW.note, label: 'notes', sub: '', draw: (g, y, h) => this.drawNotes(g, y, h) });

    let y = GEOM.axis;
    for (const row of rows) {
      row.y = y;
      y += row.h;
    }
    const height = y + GEOM.bottom + (m.loops.length > 1 ? 10 : 0);
    this.height = height;
    this.rowsBottom = y;
    this.rows = rows;

    const svg = s('svg', { class: 'acm-timeline', dataset: { role: 'timeline' }, width: this.width, height, viewBox: `0 0 ${this.width} ${height}`,
      role: 'group', 'aria-label': `Timeline of ${quoted(m.name)} in virtual time, 0 to ${formatMs(m.end)}. Use the arrow keys to step through its items.` });
    const defs = s('defs', {},
      s('pattern', { id: this.patternId('warm'), width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        s('rect', { width: 6, height: 6, class: 'acm-warm__bg' }), s('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'acm-warm__stripe' })));
    svg.append(defs);
    svg.append(this.drawAxis(height));

    rows.forEach((row, i) => {
      const g = s('g', { class: `acm-row acm-row--${row.kind}` });
      if (i % 2 === 1) g.append(s('rect', { class: 'acm-row__band', x: 0, y: row.y, width: this.width, height: row.h }));
      const lx = 10 + (row.indent ?? 0) * 14;
      if (row.indent) g.append(s('path', { class: 'acm-row__nest', d: `M${lx - 10} ${row.y + 4} v${row.h / 2 - 4} h6` }));
      if (row.label) {
        g.append(s('text', { class: 'acm-row__label', x: lx, y: row.y + row.h / 2 + (row.sub ? -2 : 4) }, clip(row.label, this.labelW - lx - 6, 6.6)));
        if (row.sub) g.append(s('text', { class: 'acm-row__sub', x: lx, y: row.y + row.h / 2 + 10 }, clip(row.sub, this.labelW - lx - 6, 5.6)));
      }
      row.draw(g, row.y, row.h);
      svg.append(g);
    });

    svg.append(this.drawOverlays(height));
    this.playheadLabel = s('text', { class: 'acm-playhead__label', y: 11 });
    this.playhead = s('g', { class: 'acm-playhead', 'pointer-events': 'none' },
      s('line', { x1: 0, x2: 0, y1: 15, y2: height - 4 }), s('path', { d: 'M-5 14 h10 l-5 6 z' }), this.playheadLabel);
    svg.append(this.playhead);

    svg.addEventListener('click', (e) => {
      const item = e.target.closest?.('[data-t]');
      if (item) {
        this.onSeek(Number(item.dataset.t));
        return;
      }
      const box = svg.getBoundingClientRect();
      const px = ((e.clientX - box.left) / box.width) * this.width;
      if (px < this.labelW - 4) return;
      this.onSeek(Math.min(this.span(), ((px - this.labelW) / this.plot) * this.domain()));
    });
    svg.addEventListener('keydown', (e) => this.onKey(e));
    this.el = svg;
    this.setupRovingFocus();
    return svg;
  }

  patternId(name) {
    // Several panels share a page; pattern ids must not collide.
    this.uid ??= `acm-tl-${Math.random().toString(36).slice(2, 8)}`;
    return `${this.uid}-${name}`;
  }

  setPlayhead(t) {
    if (!this.playhead) return;
    const x = this.x(t);
    this.playhead.setAttribute('transform', `translate(${x.toFixed(1)},0)`);
    this.playheadLabel.textContent = this.at(t);
    // Keep the label inside the drawing at both ends.
    const nearEnd = x > this.width - 50;
    this.playheadLabel.setAttribute('text-anchor', nearEnd ? 'end' : x < this.labelW + 30 ? 'start' : 'middle');
    this.playheadLabel.setAttribute('x', nearEnd ? '4' : x < this.labelW + 30 ? '-4' : '0');
  }

  // ---- axis and overlays ------------------------------------------------------------------

  drawAxis(height) {
    const m = this.model;
    const g = s('g', { class: 'acm-axis' });
    g.append(s('text', { class: 'acm-axis__title', x: 10, y: 19 }, 'virtual time'));
    const step = niceStep(this.domain(), Math.max(2, Math.floor(this.plot / 80)));
    const loops = m.loops.length ? m.loops : [{ start: 0, offset: 0 }];
    let lastX = -Infinity;
    loops.forEach((loop, i) => {
      const segEnd = loops[i + 1]?.start ?? this.domain();
      const localEnd = segEnd - loop.offset;
      const first = Math.ceil((loop.start - loop.offset) / step) * step;
      for (let lt = first; lt <= localEnd + 1e-9; lt += step) {
        const x = this.x(lt + loop.offset);
        if (x - lastX < 44) continue;
        lastX = x;
        g.append(s('line', { class: 'acm-axis__grid', x1: x, x2: x, y1: GEOM.axis - 5, y2: this.rowsBottom }),
          s('text', { class: 'acm-axis__tick', x, y: 19, 'text-anchor': 'middle' }, formatMs(Math.round(lt * 1000) / 1000)));
      }
    });
    g.append(s('line', { class: 'acm-axis__base', x1: this.labelW, x2: this.width - GEOM.right, y1: GEOM.axis - 5, y2: GEOM.axis - 5 }));
    return g;
  }

  drawOverlays(height) {
    const m = this.model;
    const g = s('g', { class: 'acm-overlays' });
    const top = GEOM.axis - 5;
    const bottom = this.rowsBottom;
    // A new EventLoop: its clock starts again at 0.
    m.loops.slice(1).forEach((loop) => {
      const x = this.x(loop.start);
      g.append(s('text', { class: 'acm-loopline__label', x: x + 3, y: bottom + 9 }, `loop ${loop.index + 1}`));
      g.append(s('line', { class: 'acm-loopline', x1: x, x2: x, y1: top, y2: bottom }),
        this.item(s('rect', { class: 'acm-loopline__hit', x: x - 4, y: top, width: 8, height: bottom - top }), loop.start,
          `EventLoop ${loop.index + 1} starts\nits virtual clock starts again at 0`));
    });
    // When the LED reached full light: what a block that needs steady light must wait for.
    for (const led of m.leds) {
      for (const iv of led.intervals) {
        if (iv.settled == null || iv.settled <= iv.start) continue;
        const x = this.x(iv.settled);
        g.append(s('line', { class: 'acm-settled', x1: x, x2: x, y1: top, y2: bottom }));
      }
    }
    // Every cancel() is drawn across all rows, so what caused it (a timer firing above) and what
    // it did (an exception in a lane) line up with it.
    for (const c of m.cancellations) {
      if (c.kind !== 'requested') continue;
      const x = this.x(c.t);
      g.append(s('line', { class: 'acm-cancel-line', x1: x, x2: x, y1: top, y2: bottom }));
    }
    for (const guard of m.guards) {
      const x = this.x(guard.t);
      g.append(this.item(s('line', { class: 'acm-guard', x1: x, x2: x, y1: top, y2: bottom }), guard.t,
        `the loop was stopped (${guard.kind}) at ${this.at(guard.t)}\n${guard.message}`));
    }
    return g;
  }

  // ---- rows -------------------------------------------------------------------------------

  drawLane(g, lane, y) {
    const barH = 18;
    const top = y + 5;
    // Instant phases last, so a longer neighbour never hides them.
    const instantLast = [...lane.phases].sort((a, b) => Number(a.end === a.start) - Number(b.end === b.start));
    for (const p of instantLast) {
      const open = p.end == null;
      const name = p.phase === 'body' ? 'body' : `${p.phase}()`;
      // An instant phase (aexit() that did nothing slow) still gets a visible sliver.
      let x1 = this.x(p.start);
      const x2 = this.x(open ? this.span() : p.end);
      const w = Math.max(5, x2 - x1);
      // An instant aenter() or body is drawn just before its moment, an instant aexit() just
      // after, so the three stay in order where they touch.
      if (x2 - x1 < 5 && p.phase !== 'aexit') x1 = x2 - w;
      x1 = Math.max(this.labelW, Math.min(x1, this.plotEnd() - w));
      const dur = open ? `from ${this.at(p.start)}, never finished` : p.end === p.start ? `at ${this.at(p.start)}, took no time` : `${this.at(p.start)} → ${this.at(p.end)} (${formatMs(p.end - p.start)})`;
      const result = p.outcome === 'exception'
        ? (p.phase === 'aenter' ? `failed${p.what ? `: ${p.what}` : ''}\nthe block never started, so aexit() did not run`
          : p.phase === 'aexit' ? `threw${p.what ? ` ${p.what}` : ''}` : `left by an exception${p.what ? `: ${p.what}` : ''}`)
        : p.phase === 'aexit' && p.suppressed ? 'returned true: the exception is suppressed' : '';
      g.append(this.item(s('rect', { class: `acm-phase acm-phase--${p.phase}${p.outcome === 'exception' ? ' is-exception' : ''}${open ? ' is-open' : ''}`,
        x: x1, y: top, width: w, height: barH, rx: 3 }), p.start, `${lane.name} #${lane.cm} — ${name}\n${dur}${result ? `\n${result}` : ''}`));
      const labelW = name.length * 6.2 + 10;
      if (w > labelW) g.append(s('text', { class: 'acm-phase__label', x: x1 + 5, y: top + barH - 5, 'pointer-events': 'none' }, name));
    }
    // Exceptions at the same instant are spread out so each stays visible; what leaves the block
    // (or is suppressed) is also written under the bar.
    const byT = new Map();
    for (const e of lane.exceptions) {
      const i = byT.get(e.t) ?? 0;
      byT.set(e.t, i + 1);
      let x = this.x(e.t) + (e.action === 'raised' ? -4 : 5 + i * 3);
      x = Math.min(x, this.plotEnd() + 8);
      const mid = top + barH / 2;
      const type = shortType(e.type);
      const tip = `${e.type || 'exception'}${e.what && e.what !== e.type ? `\n${e.what}` : ''}\n${
        e.action === 'raised' ? 'raised in the body' : e.action === 'suppressed' ? 'suppressed by aexit()' : 'leaves the block'} at ${this.at(e.t)}`;
      let shape;
      if (e.action === 'propagated') shape = s('path', { class: 'acm-exc is-propagated', d: `M${x - 4} ${mid - 7} l10 7 l-10 7 z` });
      else if (e.action === 'suppressed') shape = s('circle', { class: 'acm-exc is-suppressed', cx: x, cy: mid, r: 5.5 });
      else shape = s('path', { class: 'acm-exc is-raised', d: `M${x} ${mid - 7} l6 7 l-6 7 l-6 -7 z` });
      g.append(this.item(shape, e.t, tip));
      if (e.action !== 'raised') {
        // aexit() may have replaced the exception (a timeout turning acm::Cancelled into
        // acm::TimeoutError): say so where it happens.
        const before = lane.exceptions.find((r) => r.action === 'raised' && r.t === e.t && r.type !== e.type);
        const what = before ? `${shortType(before.type)} → ${type}` : type;
        // The longest wording that fits, to the right of the mark or else to its left.
        const wordings = e.action === 'propagated'
          ? [`${what} leaves the block →`, `${type} leaves the block →`, `${type} →`]
          : [`${what} suppressed`, `${type} suppressed`];
        for (const text of wordings) {
          const tw = text.length * 6;
          const right = x + tw < this.width - 4;
          if (!right && x + 6 - tw < this.labelW) continue;
          g.append(s('text', { class: `acm-exc__label is-${e.action}`, x: right ? x - 4 : x + 6, y: top + barH + 12, 'text-anchor': right ? 'start' : 'end', 'pointer-events': 'none' }, text));
          break;
        }
      }
    }
  }

  drawLed(g, led, y, h) {
    const base = y + h - 6;
    const top = y + 5;
    const yOf = (l) => base - l * (base - top);
    // Warming up: on, but not yet at full light.
    for (const iv of led.intervals) {
      const x1 = this.x(iv.start);
      const stop = iv.settled ?? iv.end ?? this.span();
      const x2 = this.x(Math.min(stop, iv.end ?? Infinity));
      if (x2 - x1 >= 1) g.append(s('rect', { class: 'acm-warm', x: x1, y: top, width: x2 - x1, height: base - top, fill: `url(#${this.patternId('warm')})` }));
    }
    const pts = led.curve.filter(([t]) => t <= this.span());
    if (pts.length) {
      const last = pts[pts.length - 1];
      const all = [...pts, [this.span(), last[0] < this.span() ? levelAt(led.curve, this.span()) : last[1]]];
      let d = `M${this.x(all[0][0]).toFixed(1)} ${yOf(0).toFixed(1)}`;
      for (const [t, l] of all) d += ` L${this.x(t).toFixed(1)} ${yOf(l).toFixed(1)}`;
      g.append(s('path', { class: 'acm-illum', d: `${d} L${this.x(this.span()).toFixed(1)} ${yOf(0).toFixed(1)} Z` }));
      g.append(s('path', { class: 'acm-illum__line', d }));
    }
    for (const iv of led.intervals) {
      const x1 = this.x(iv.start);
      const x2 = this.x(iv.end ?? this.span());
      const settled = iv.settled != null ? `\nfully lit from ${this.at(iv.settled)} (${formatMs(iv.settled - iv.start)} after switching on)` : '\nnever reached full light';
      g.append(this.item(s('rect', { class: 'acm-led-on', x: x1, y: base + 1, width: Math.max(2, x2 - x1), height: 3 }), iv.start,
        `LED ${quoted(led.name)} on ${this.at(iv.start)} → ${iv.end == null ? 'the end' : this.at(iv.end)}${settled}`));
      if (iv.settled != null && iv.settled > iv.start) {
        const xs = this.x(iv.settled);
        const right = xs + 60 < this.width - GEOM.right;
        g.append(s('text', { class: 'acm-settled__label', x: right ? xs + 4 : xs - 4, y: base - 4, 'text-anchor': right ? 'start' : 'end' }, 'fully lit'));
      }
    }
    for (const sw of led.switches) {
      g.append(this.item(s('circle', { class: `acm-led-switch ${sw.on ? 'is-on' : 'is-off'}`, cx: this.x(sw.t), cy: base + 2.5, r: 4 }), sw.t,
        `LED ${quoted(led.name)} switched ${sw.on ? 'on' : 'off'} at ${this.at(sw.t)}${sw.on ? '\nits light ramps up over the next few milliseconds' : ''}`));
    }
  }

  drawCamera(g, cam, y, h) {
    const frames = this.model.captures.filter((c) => c.camera === cam);
    const thumbH = h - 12;
    // Thumbnails where there is room for them, otherwise exposure bars shaded by brightness.
    const thumbW = frames[0] ? Math.round((thumbH * frames[0].width) / Math.max(1, frames[0].height)) : thumbH;
    let lastRight = -Infinity;
    for (const c of frames) {
      const x1 = this.x(c.start);
      const x2 = this.x(c.t);
      const tip = `frame taken at ${this.at(c.t)}\nexposed ${this.at(c.start)} → ${this.at(c.t)}\nbrightness ${Math.round(c.brightness * 100)} %${
        c.lightAtStart != null && c.lightAtStart < 0.999 ? `\nthe LED was at ${Math.round(c.lightAtStart * 100)} % when the exposure began` : ''}`;
      g.append(s('rect', { class: 'acm-exposure', x: x1, y: y + h - 6, width: Math.max(2, x2 - x1), height: 3 }));
      const cx = (x1 + x2) / 2;
      const left = Math.max(this.labelW, Math.min(cx - thumbW / 2, this.width - GEOM.right - thumbW));
      if (c.pixels.length && left >= lastRight + 2) {
        const img = s('image', { class: 'acm-thumb', x: left, y: y + 3, width: thumbW, height: thumbH, href: frameDataUrl(c), preserveAspectRatio: 'none' });
        g.append(this.item(s('g', { class: 'acm-thumb-g' }, img, s('rect', { class: 'acm-thumb__frame', x: left, y: y + 3, width: thumbW, height: thumbH, rx: 1.5 })), c.t, tip));
        lastRight = left + thumbW;
      } else {
        const lum = Math.round(20 + c.brightness * 220);
        g.append(this.item(s('rect', { class: 'acm-exposure__block', x: cx - 3, y: y + 6, width: 6, height: thumbH - 6, rx: 1, style: `fill: rgb(${lum}, ${lum}, ${lum})` }), c.t, tip));
      }
    }
  }

  drawTimers(g, row, y, h) {
    const mid = y + h / 2 + 2;
    for (const t of this.model.timers.filter((x) => x.row === row)) {
      const x1 = this.x(t.scheduled);
      const stop = t.fired ?? t.cancelled ?? t.due;
      const x2 = this.x(stop);
      const state = t.state === 'fired' ? `fired at ${this.at(t.fired)}`
        : t.state === 'cancelled' ? `cancelled at ${this.at(t.cancelled)}, before it was due`
          : t.state === 'left armed' ? 'still armed when its loop ended: nothing cancelled it' : 'still pending when the trace ends';
      const grp = s('g', { class: `acm-timer is-${t.state.replace(' ', '-')}${t.cancelsTask != null ? ' is-canceller' : ''}` });
      grp.append(s('rect', { class: 'acm-timer__hit', x: x1 - 2, y: y + 1, width: Math.max(6, x2 - x1 + 4), height: h - 2 }));
      grp.append(s('line', { class: 'acm-timer__line', x1, x2: Math.max(x1 + 1, x2), y1: mid, y2: mid }));
      if (t.state === 'cancelled' && t.due > t.cancelled) {
        // What would have happened: the rest of the wait, ghosted, up to its due time.
        grp.append(s('line', { class: 'acm-timer__ghost', x1: x2, x2: this.x(t.due), y1: mid, y2: mid }));
      }
      grp.append(s('line', { class: 'acm-timer__start', x1, x2: x1, y1: mid - 4, y2: mid + 4 }));
      if (t.state === 'fired') grp.append(s('circle', { class: 'acm-timer__fired', cx: x2, cy: mid, r: 3.5 }));
      else if (t.state === 'cancelled') grp.append(s('path', { class: 'acm-timer__cancelled', d: `M${x2 - 3.5} ${mid - 3.5} l7 7 m0 -7 l-7 7` }));
      else grp.append(s('circle', { class: 'acm-timer__pending', cx: x2, cy: mid, r: 3.5 }));
      const room = Math.max(x2, t.state === 'cancelled' ? this.x(t.due) : x2) - x1;
      const label = t.cancelsTask != null ? `${t.label} → cancel()` : t.state === 'left armed' ? `${t.label} (still armed)` : t.label;
      if (room > label.length * 5.4 + 8) grp.append(s('text', { class: 'acm-timer__label', x: x1 + 4, y: mid - 4 }, label));
      const effect = t.cancelsTask != null ? `\nits callback cancelled task ${t.cancelsTask}` : '';
      g.append(this.item(grp, t.scheduled, `timer ${quoted(t.label)}\narmed at ${this.at(t.scheduled)}, due at ${this.at(t.due)}\n${state}${effect}`));
    }
  }

  drawCancellations(g, y, h) {
    const mid = y + h / 2;
    // A cancel() and the acm::Cancelled it causes usually happen at the same instant: one
    // marker pair and one sentence per instant and task.
    const groups = [];
    for (const c of this.model.cancellations) {
      let grp = groups.find((x) => x.t === c.t && x.task === c.task);
      if (!grp) groups.push((grp = { t: c.t, task: c.task, requested: null, cancelled: null }));
      if (c.kind === 'requested') grp.requested ??= c;
      else grp.cancelled ??= c;
    }
    let lastRight = -Infinity;
    for (const grp of groups) {
      const x = this.x(grp.t);
      const { requested: r, cancelled: c } = grp;
      if (r) {
        const who = r.byTimer ? `by timer ${quoted(r.byTimer.label)}` : r.byTask != null ? `by task ${r.byTask}` : '';
        g.append(this.item(s('path', { class: 'acm-cancel is-requested', d: `M${x} ${mid - 7} l7 7 l-7 7 l-7 -7 z` }), r.t,
          `cancel() called on task ${r.task} at ${this.at(r.t)}${who ? `\n${who}` : ''}`));
      }
      if (c) {
        const cx = r ? x + 12 : x;
        g.append(this.item(s('circle', { class: 'acm-cancel is-cancelled', cx, cy: mid, r: 5 }), c.t,
          `task ${c.task} gets acm::Cancelled at ${this.at(c.t)}${c.at ? `\nwhere it was waiting: ${c.at}` : ''}`));
      }
      const text = r && c ? `task ${grp.task} cancelled at ${c.at || 'its await'}` : r ? `cancel() → task ${grp.task}` : `task ${grp.task}: Cancelled at ${c.at || 'its await'}`;
      const tw = text.length * 5.7;
      const markerRight = x + (r && c ? 18 : 8);
      const right = markerRight + 6 + tw < this.width - 4;
      const tx = right ? markerRight + 6 : x - 10 - tw;
      if (tx > lastRight + 4 && tx > this.labelW) {
        g.append(s('text', { class: 'acm-cancel__label', x: tx, y: mid + 4, 'pointer-events': 'none' }, text));
        lastRight = tx + tw;
      }
    }
  }

  drawNotes(g, y, h) {
    for (const n of this.model.notes) {
      const x = this.x(n.t);
      g.append(this.item(s('rect', { class: 'acm-note', x: x - 3, y: y + 5, width: 6, height: h - 10, rx: 1 }), n.t, `note at ${this.at(n.t)}\n${n.text}`));
    }
  }

  // ---- items: hover, focus, keyboard ------------------------------------------------------

  item(el, t, tip) {
    el.setAttribute('data-tip', tip);
    el.setAttribute('data-t', String(t));
    el.setAttribute('tabindex', '-1');
    el.setAttribute('role', 'img');
    el.setAttribute('aria-label', tip.replace(/\n/g, '. '));
    el.classList.add('acm-item');
    return el;
  }

  setupRovingFocus() {
    // One tab stop for the whole timeline; the arrow keys walk its items in time order.
    this.items = [...this.el.querySelectorAll('.acm-item')]
      .map((el, i) => ({ el, i, t: Number(el.dataset.t) }))
      .sort((a, b) => a.t - b.t || a.i - b.i)
      .map((x) => x.el);
    this.items.forEach((el, i) => el.setAttribute('tabindex', i === 0 ? '0' : '-1'));
  }

  onKey(e) {
    const i = this.items.indexOf(e.target);
    if (i < 0) return;
    let next = null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = this.items[Math.min(this.items.length - 1, i + 1)];
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = this.items[Math.max(0, i - 1)];
    else if (e.key === 'Home') next = this.items[0];
    else if (e.key === 'End') next = this.items[this.items.length - 1];
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      e.stopPropagation();
      this.onSeek(Number(e.target.dataset.t));
      return;
    }
    if (!next) return;
    // The page's own arrow-key navigation (Sphinx's navigation_with_keys) must not see it.
    e.preventDefault();
    e.stopPropagation();
    e.target.setAttribute('tabindex', '-1');
    next.setAttribute('tabindex', '0');
    next.focus();
  }
}

/**
 * Blocks that follow one another (same manager type, task and depth, not overlapping in time)
 * share a row, so three Staller blocks in a row take one row, not three. Nested blocks keep
 * their own rows, in the order they first appear.
 */
export function laneTracks(lanes) {
  const tracks = [];
  const endOf = (lane) => Math.max(...lane.phases.map((p) => p.end ?? Infinity), -Infinity);
  const startOf = (lane) => Math.min(...lane.phases.map((p) => p.start), Infinity);
  for (const lane of lanes) {
    const track = tracks.find((tr) => {
      const last = tr[tr.length - 1];
      return last.name === lane.name && last.depth === lane.depth && last.task === lane.task && endOf(last) <= startOf(lane);
    });
    if (track) track.push(lane);
    else tracks.push([lane]);
  }
  return tracks;
}

/** A round step (1, 2, 5 × 10^k) giving about `target` ticks over `span`. */
export function niceStep(span, target = 6) {
  const raw = span / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((f) => f * pow).find((st) => st >= raw) ?? 10 * pow;
}

function clip(text, width, charWidth) {
  const max = Math.max(3, Math.floor(width / charWidth));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const urlCache = new WeakMap();
/** The frame's own pixels as a PNG data URL (drawn once per capture). */
export function frameDataUrl(c) {
  if (urlCache.has(c)) return urlCache.get(c);
  const canvas = document.createElement('canvas');
  paintFrame(canvas, c);
  const url = canvas.toDataURL('image/png');
  urlCache.set(c, url);
  return url;
}

export function paintFrame(canvas, c) {
  canvas.width = Math.max(1, c.width);
  canvas.height = Math.max(1, c.height);
  const ctx = canvas.getContext('2d');
  if (!ctx || !c.width || !c.height) return;
  const img = ctx.createImageData(c.width, c.height);
  for (let i = 0; i < c.width * c.height; i++) {
    const v = Math.max(0, Math.min(255, Number(c.pixels[i]) || 0));
    img.data[i * 4] = v;
    img.data[i * 4 + 1] = v;
    img.data[i * 4 + 2] = v;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}
