// The simulation panel: draws what the runtime's trace says happened — the LED's illumination,
// the camera's frames, and a timeline of managers, timers, cancellations and exceptions in
// virtual time — and replays it. It never re-simulates: every level, time and pixel comes from
// trace.jsonl via buildTimeline().
//
// Hooks (DESIGN.md): data-role="led" (data-lit follows the playhead), data-role="frame"
// (data-t-ms = capture time), data-role="timeline", data-role="events".
import { h, s } from '../dom.js';
import { buildTimeline, illuminationAt, ledOnAt, describeEvent, formatMs, levelAt as interp } from './timeline-model.js';

const GEOM = { label: 150, right: 18, axis: 28, row: 24, gap: 6, laneH: 16 };
const SPEEDS = [[1, '1× (real time)'], [0.25, '¼×'], [0.1, '1/10×'], [0.01, '1/100×']];

export class SimulationPanel {
  constructor() {
    this.model = null;
    this.caseIndex = 0;
    this.t = 0;
    this.speed = 1;
    this.playing = false;
    this.raf = 0;
    this.build();
  }

  build() {
    this.caseSelect = h('select', { class: 'acm-sim__case', dataset: { role: 'case' }, 'aria-label': 'Test case to show', onchange: () => this.selectCase(Number(this.caseSelect.value)) });
    this.badge = h('span', { class: 'acm-sim__badge' });
    this.playBtn = h('button', { type: 'button', class: 'acm-btn acm-btn--icon', dataset: { action: 'play' }, 'aria-label': 'Play', onclick: () => this.togglePlay() }, '▶');
    const restart = h('button', { type: 'button', class: 'acm-btn acm-btn--icon', dataset: { action: 'restart' }, 'aria-label': 'Replay from the start', title: 'Replay from the start', onclick: () => { this.seek(0); this.play(); } }, '⟲');
    this.scrubber = h('input', { type: 'range', class: 'acm-sim__scrubber', dataset: { role: 'scrubber' }, min: 0, max: 1000, step: 1, value: 0, 'aria-label': 'Virtual time',
      oninput: () => { this.pause(); this.seek((this.scrubber.value / 1000) * this.span()); } });
    this.clock = h('output', { class: 'acm-sim__clock', dataset: { role: 'clock' } });
    this.speedSelect = h('select', { class: 'acm-sim__speed', 'aria-label': 'Replay speed', onchange: () => { this.speed = Number(this.speedSelect.value); } },
      SPEEDS.map(([v, label]) => h('option', { value: v }, label)));

    this.ledBulb = h('div', { class: 'acm-led__bulb' });
    this.ledReadout = h('div', { class: 'acm-led__readout' });
    this.ledName = h('div', { class: 'acm-led__name' }, 'LED');
    this.led = h('div', { class: 'acm-led', dataset: { role: 'led', lit: 'false' }, role: 'img', 'aria-label': 'LED: off' },
      h('div', { class: 'acm-led__housing' }, this.ledBulb), this.ledName, this.ledReadout);
    this.frames = h('div', { class: 'acm-frames', dataset: { role: 'frames' } });
    this.stage = h('div', { class: 'acm-sim__stage' }, this.led,
      h('div', { class: 'acm-sim__camera' }, h('div', { class: 'acm-sim__caption' }, 'Camera frames (brightness = how well lit)'), this.frames));

    this.timelineHost = h('div', { class: 'acm-timeline-host' });
    this.tooltip = h('div', { class: 'acm-tooltip', role: 'tooltip', hidden: true });
    this.eventList = h('ol', { class: 'acm-events', dataset: { role: 'events' } });
    this.message = h('p', { class: 'acm-sim__message', hidden: true });
    this.notice = h('p', { class: 'acm-sim__notice', hidden: true });

    this.body = h('div', { class: 'acm-sim__body' },
      h('div', { class: 'acm-sim__controls' }, this.playBtn, restart, this.scrubber, this.clock, this.speedSelect),
      this.stage,
      this.timelineHost,
      this.legend(),
      h('details', { class: 'acm-sim__events', open: true },
        h('summary', {}, 'What happened, step by step'), this.eventList));
    this.el = h('section', { class: 'acm-sim', hidden: true, 'aria-label': 'Simulation of the run' },
      h('div', { class: 'acm-sim__head' },
        h('span', { class: 'acm-sim__title' }, 'Simulation'), this.badge,
        h('label', { class: 'acm-sim__case-label' }, h('span', {}, 'Test case '), this.caseSelect)),
      this.message, this.notice, this.body, this.tooltip);

    this.resize = new ResizeObserver(() => {
      const w = this.timelineHost.clientWidth;
      if (this.model && w && w !== this.drawnWidth) this.drawTimeline();
    });
    this.resize.observe(this.timelineHost);
    this.el.addEventListener('pointerover', (e) => this.tipFor(e.target));
    this.el.addEventListener('focusin', (e) => this.tipFor(e.target));
    this.el.addEventListener('pointerout', (e) => { if (e.target.closest?.('[data-tip]')) this.tooltip.hidden = true; });
    this.el.addEventListener('focusout', () => { this.tooltip.hidden = true; });
  }

  legend() {
    const item = (cls, text) => h('span', { class: 'acm-legend__item' }, h('span', { class: `acm-legend__swatch ${cls}` }), text);
    return h('div', { class: 'acm-legend', 'aria-hidden': 'true' },
      item('acm-phase--aenter', 'aenter()'), item('acm-phase--body', 'body'), item('acm-phase--aexit', 'aexit()'),
      item('acm-sw--timer', 'timer (● fired, ✕ cancelled)'), item('acm-sw--exc', 'exception'), item('acm-sw--cancel', 'cancellation'));
  }

  clear() {
    this.pause();
    this.model = null;
    this.el.hidden = true;
  }

  showMessage(text) {
    this.pause();
    this.model = null;
    this.el.hidden = false;
    this.body.hidden = true;
    this.caseSelect.parentElement.hidden = true;
    this.message.hidden = false;
    this.message.textContent = text;
  }

  /**
   * @param {string[]} traceLines
   * @param {{label?:string, truncated?:number|false, results?:object, defaultName?:string, preferCase?:number}} o
   */
  show(traceLines, { label = '', truncated = false, results = null, defaultName = 'run' } = {}) {
    this.pause();
    const built = buildTimeline(traceLines, { defaultName });
    this.el.hidden = false;
    this.badge.textContent = label;
    this.badge.hidden = !label;
    this.notice.hidden = !truncated;
    this.notice.textContent = truncated ? `The trace was cut off after ${truncated} lines; the end of the run is not shown.` : '';
    if (!built.cases.length) {
      this.model = null;
      this.body.hidden = true;
      this.caseSelect.parentElement.hidden = true;
      this.message.hidden = false;
      this.message.textContent = 'This run recorded no trace (no event loop ran).';
      return;
    }
    this.message.hidden = true;
    this.body.hidden = false;
    this.cases = built.cases;
    const status = new Map((results?.tests ?? []).map((t) => [t.name, t.status]));
    this.caseSelect.replaceChildren(...this.cases.map((c, i) => {
      const st = status.get(c.name);
      return h('option', { value: i }, `${st === 'passed' ? '✓ ' : st === 'failed' ? '✗ ' : ''}${c.name}`);
    }));
    this.caseSelect.parentElement.hidden = this.cases.length < 2;
    // A learner most wants to see the first test that failed.
    const firstFailed = this.cases.findIndex((c) => status.get(c.name) === 'failed');
    this.selectCase(firstFailed >= 0 ? firstFailed : 0);
    this.play();
  }

  selectCase(i) {
    this.pause();
    this.caseIndex = i;
    this.caseSelect.value = String(i);
    this.model = this.cases[i];
    const hasLed = this.cases.some((c) => c.leds.length);
    const hasFrames = this.cases.some((c) => c.captures.length);
    this.stage.hidden = !hasLed && !hasFrames;
    this.led.hidden = !hasLed;
    this.ledName.textContent = this.model.leds[0] ? `LED “${this.model.leds[0].name}”` : 'LED';
    this.drawFrames();
    this.drawTimeline();
    this.drawEvents();
    this.seek(0);
  }

  span() {
    return Math.max(this.model?.end ?? 0, 1);
  }

  // ---- playback ---------------------------------------------------------------------------

  togglePlay() {
    if (this.playing) this.pause();
    else {
      if (this.t >= this.span()) this.seek(0);
      this.play();
    }
  }

  play() {
    if (!this.model || this.playing) return;
    this.playing = true;
    this.playBtn.textContent = '❚❚';
    this.playBtn.setAttribute('aria-label', 'Pause');
    let last = performance.now();
    const tick = (now) => {
      if (!this.playing) return;
      // Real speed: one virtual millisecond per wall-clock millisecond (times the chosen factor).
      this.seek(Math.min(this.span(), this.t + (now - last) * this.speed));
      last = now;
      if (this.t >= this.span()) this.pause();
      else this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  }

  pause() {
    this.playing = false;
    cancelAnimationFrame(this.raf);
    this.playBtn.textContent = '▶';
    this.playBtn.setAttribute('aria-label', 'Play');
  }

  seek(t) {
    if (!this.model) return;
    this.t = Math.max(0, Math.min(t, this.span()));
    const m = this.model;
    // LED
    const level = illuminationAt(m, this.t);
    const lit = ledOnAt(m, this.t);
    this.led.dataset.lit = String(lit);
    this.led.style.setProperty('--glow', level.toFixed(3));
    this.ledReadout.textContent = `${lit ? 'on' : 'off'} · ${Math.round(level * 100)} % light`;
    this.led.setAttribute('aria-label', `LED ${lit ? 'on' : 'off'}, illumination ${Math.round(level * 100)} percent`);
    // Frames: shot already / not yet
    let current = null;
    for (const f of this.frameEls ?? []) {
      const past = f.capture.t <= this.t;
      f.fig.classList.toggle('is-future', !past);
      if (past) current = f;
      f.fig.classList.remove('is-current');
    }
    current?.fig.classList.add('is-current');
    // Scrubber, clock, playhead
    this.scrubber.value = String(Math.round((this.t / this.span()) * 1000));
    this.clock.textContent = `${formatMs(round1(this.t))} / ${formatMs(round1(this.model.end))}`;
    if (this.playhead) {
      const x = this.x(this.t);
      this.playhead.setAttribute('transform', `translate(${x.toFixed(1)},0)`);
      this.playheadLabel.textContent = formatMs(round1(this.t));
    }
    // Event list: everything at or before the playhead is "past"
    let lastPast = -1;
    this.eventItems?.forEach((li, i) => {
      const past = this.model.events[i].t <= this.t;
      li.classList.toggle('is-past', past);
      if (past) lastPast = i;
    });
    if (lastPast !== this.currentEvent) {
      this.eventItems?.[this.currentEvent]?.removeAttribute('aria-current');
      this.eventItems?.[lastPast]?.setAttribute('aria-current', 'step');
      this.currentEvent = lastPast;
    }
  }

  // ---- camera -----------------------------------------------------------------------------

  drawFrames() {
    const m = this.model;
    const many = new Set(m.captures.map((c) => c.camera)).size > 1;
    this.frameEls = m.captures.map((c) => {
      const canvas = h('canvas', { class: 'acm-frame', width: Math.max(1, c.width), height: Math.max(1, c.height),
        dataset: { role: 'frame', tMs: String(c.t) }, role: 'img', tabindex: 0,
        'aria-label': `frame at ${formatMs(c.t)}, brightness ${Math.round(c.brightness * 100)} percent`,
        'data-tip': `${many ? `${c.camera}: ` : ''}frame exposed ${formatMs(c.start)}–${formatMs(c.t)}\nbrightness ${Math.round(c.brightness * 100)} % · ${c.width}×${c.height} px`,
        onclick: () => { this.pause(); this.seek(c.t); } });
      paintFrame(canvas, c);
      const fig = h('figure', { class: 'acm-frame-fig' }, canvas,
        h('figcaption', {}, h('span', {}, formatMs(c.t)), h('span', { class: 'acm-frame-fig__b' }, `${Math.round(c.brightness * 100)} %`)));
      return { fig, capture: c };
    });
    this.frames.replaceChildren(...(this.frameEls.length ? this.frameEls.map((f) => f.fig) : [h('p', { class: 'acm-frames__none' }, 'No frames captured in this test case.')]));
  }

  // ---- timeline ---------------------------------------------------------------------------

  x(t) {
    return GEOM.label + (t / this.span()) * (this.plotWidth ?? 400);
  }

  drawTimeline() {
    const m = this.model;
    const width = Math.max(360, this.timelineHost.clientWidth || 640);
    this.drawnWidth = this.timelineHost.clientWidth;
    this.plotWidth = width - GEOM.label - GEOM.right;
    const rows = [];
    const add = (label, draw, opts = {}) => rows.push({ label, draw, ...opts });

    for (const led of m.leds) add(`LED “${led.name}”`, (y) => this.drawLedRow(led, y), { cls: 'acm-row--led' });
    if (m.captures.length) add('camera', (y) => this.drawCaptureRow(y), { cls: 'acm-row--camera' });
    const timerRows = m.timers.reduce((a, t) => Math.max(a, t.row + 1), 0);
    for (let r = 0; r < timerRows; r++) add(r === 0 ? 'timers' : '', (y) => this.drawTimerRow(r, y), { cls: 'acm-row--timer', small: true });
    if (m.cancellations.length) add('cancellation', (y) => this.drawCancelRow(y), { cls: 'acm-row--cancel' });
    for (const lane of m.lanes) add(`${lane.name} #${lane.cm}`, (y) => this.drawLane(lane, y), { indent: lane.depth, cls: 'acm-row--lane', sub: lane.task != null ? `task ${lane.task}` : '' });
    if (m.notes.length) add('notes', (y) => this.drawNotes(y), { cls: 'acm-row--note', small: true });

    const height = GEOM.axis + rows.length * (GEOM.row + GEOM.gap) + 8;
    const svg = s('svg', { class: 'acm-timeline', dataset: { role: 'timeline' }, width, height, viewBox: `0 0 ${width} ${height}`, role: 'group',
      'aria-label': `Timeline of “${m.name}” in virtual time, 0 to ${formatMs(m.end)}` });
    svg.append(this.drawAxis(height));
    rows.forEach((row, i) => {
      const y = GEOM.axis + i * (GEOM.row + GEOM.gap);
      const g = s('g', { class: `acm-row ${row.cls ?? ''}` });
      g.append(s('rect', { class: 'acm-row__bg', x: 0, y: y - 2, width, height: GEOM.row + 4 }));
      const lx = 8 + (row.indent ?? 0) * 12;
      if (row.indent) g.append(s('path', { class: 'acm-row__nest', d: `M${lx - 8} ${y + 2} v${GEOM.row / 2 - 2} h5` }));
      g.append(s('text', { class: 'acm-row__label', x: lx, y: y + GEOM.row / 2 + (row.sub ? -1 : 4) }, row.label));
      if (row.sub) g.append(s('text', { class: 'acm-row__sub', x: lx, y: y + GEOM.row / 2 + 10 }, row.sub));
      g.append(row.draw(y));
      svg.append(g);
    });
    // Loop boundaries (virtual time restarts for each EventLoop) and guards span all rows.
    m.loops.slice(1).forEach((loop) => {
      const x = this.x(loop.offset);
      svg.append(s('line', { class: 'acm-loopline', x1: x, x2: x, y1: GEOM.axis - 6, y2: height - 4 }),
        s('text', { class: 'acm-loopline__label', x: x + 3, y: height - 6 }, `loop ${loop.loop}: time restarts at 0`));
    });
    for (const g of m.guards) {
      const x = this.x(g.t);
      svg.append(s('line', { class: 'acm-guard', x1: x, x2: x, y1: GEOM.axis - 6, y2: height - 4, tabindex: 0, 'data-tip': `guard: ${g.kind} at ${formatMs(g.t)}\n${g.message}` }));
    }
    this.playheadLabel = s('text', { class: 'acm-playhead__label', x: 4, y: 10 });
    this.playhead = s('g', { class: 'acm-playhead', 'pointer-events': 'none' },
      s('line', { x1: 0, x2: 0, y1: 14, y2: height - 2 }), this.playheadLabel);
    svg.append(this.playhead);
    svg.addEventListener('click', (e) => {
      if (e.target.closest('[data-tip]') && e.target.tagName !== 'rect') return;
      const box = svg.getBoundingClientRect();
      const px = ((e.clientX - box.left) / box.width) * width;
      if (px < GEOM.label) return;
      this.pause();
      this.seek(((px - GEOM.label) / this.plotWidth) * this.span());
    });
    this.timelineHost.replaceChildren(svg);
    this.seek(this.t);
  }

  drawAxis(height) {
    const g = s('g', { class: 'acm-axis' });
    g.append(s('text', { class: 'acm-axis__title', x: 8, y: 16 }, 'virtual time'));
    for (const t of niceTicks(this.span())) {
      const x = this.x(t);
      g.append(s('line', { class: 'acm-axis__grid', x1: x, x2: x, y1: GEOM.axis - 6, y2: height - 4 }),
        s('text', { class: 'acm-axis__tick', x, y: 16, 'text-anchor': 'middle' }, formatMs(t)));
    }
    return g;
  }

  drawLedRow(led, y) {
    const g = s('g', {});
    const base = y + GEOM.row;
    for (const iv of led.intervals) {
      const x1 = this.x(iv.start);
      const x2 = this.x(iv.end ?? this.span());
      g.append(s('rect', { class: 'acm-led-on', x: x1, y: base - 3, width: Math.max(2, x2 - x1), height: 3, tabindex: 0,
        'data-tip': `LED on ${formatMs(iv.start)}–${iv.end == null ? 'end' : formatMs(iv.end)}` }));
    }
    // Illumination area: the recorded curve, extended flat to the end of the case.
    const pts = led.curve.filter(([t]) => t <= this.span());
    if (pts.length) {
      const last = led.curve[led.curve.length - 1];
      const all = [...pts, [this.span(), last[0] <= this.span() ? last[1] : interp(led.curve, this.span())]];
      const yOf = (l) => base - 4 - l * (GEOM.row - 6);
      let d = `M${this.x(all[0][0]).toFixed(1)} ${yOf(0).toFixed(1)}`;
      for (const [t, l] of all) d += ` L${this.x(t).toFixed(1)} ${yOf(l).toFixed(1)}`;
      d += ` L${this.x(all[all.length - 1][0]).toFixed(1)} ${yOf(0).toFixed(1)} Z`;
      g.append(s('path', { class: 'acm-illum', d }));
      for (const sw of led.switches) {
        g.append(s('circle', { class: `acm-led-switch ${sw.on ? 'is-on' : 'is-off'}`, cx: this.x(sw.t), cy: yOf(interp(led.curve, sw.t)), r: 4, tabindex: 0,
          'data-tip': `LED switched ${sw.on ? 'on' : 'off'} at ${formatMs(sw.t)}${sw.on ? '\nthe light ramps up over the next few ms' : ''}` }));
      }
    }
    return g;
  }

  drawCaptureRow(y) {
    const g = s('g', {});
    for (const c of this.model.captures) {
      const x1 = this.x(c.start);
      const x2 = this.x(c.t);
      const lum = Math.round(30 + c.brightness * 200);
      g.append(s('rect', { class: 'acm-exposure', x: x1, y: y + 3, width: Math.max(3, x2 - x1), height: GEOM.row - 6, rx: 2,
        style: `fill: rgb(${lum}, ${lum}, ${lum})`, tabindex: 0,
        'data-tip': `exposure ${formatMs(c.start)}–${formatMs(c.t)}\nbrightness ${Math.round(c.brightness * 100)} %` }));
    }
    return g;
  }

  drawTimerRow(row, y) {
    const g = s('g', {});
    const mid = y + GEOM.row / 2;
    for (const t of this.model.timers.filter((x) => x.row === row)) {
      const x1 = this.x(t.scheduled);
      const stop = t.fired ?? t.cancelled ?? Math.min(t.due, this.span());
      const x2 = this.x(stop);
      const tip = `timer ${t.timer} “${t.label}”\nscheduled at ${formatMs(t.scheduled)}, due at ${formatMs(t.due)}\n${
        t.state === 'fired' ? `fired at ${formatMs(t.fired)}` : t.state === 'cancelled' ? `cancelled at ${formatMs(t.cancelled)}` : 'still pending when the test case ended'}`;
      const grp = s('g', { class: `acm-timer is-${t.state}`, tabindex: 0, 'data-tip': tip });
      grp.append(s('line', { class: 'acm-timer__line', x1, x2: Math.max(x1 + 1, x2), y1: mid, y2: mid }));
      if (t.state === 'cancelled' && t.due > t.cancelled) {
        // What would have happened: the rest of the wait, ghosted, up to the due time.
        grp.append(s('line', { class: 'acm-timer__ghost', x1: x2, x2: this.x(Math.min(t.due, this.span())), y1: mid, y2: mid }));
      }
      grp.append(s('line', { class: 'acm-timer__start', x1, x2: x1, y1: mid - 4, y2: mid + 4 }));
      if (t.state === 'fired') grp.append(s('circle', { class: 'acm-timer__fired', cx: x2, cy: mid, r: 4 }));
      else if (t.state === 'cancelled') grp.append(s('path', { class: 'acm-timer__cancelled', d: `M${x2 - 4} ${mid - 4} l8 8 m0 -8 l-8 8` }));
      else grp.append(s('circle', { class: 'acm-timer__pending', cx: x2, cy: mid, r: 4 }));
      const label = s('text', { class: 'acm-timer__label', x: x1 + 4, y: mid - 4 }, t.label);
      if (x2 - x1 > 60) grp.append(label);
      g.append(grp);
    }
    return g;
  }

  drawCancelRow(y) {
    const g = s('g', {});
    const mid = y + GEOM.row / 2;
    for (const c of this.model.cancellations) {
      const x = this.x(c.t);
      const tip = c.kind === 'requested'
        ? `cancel() requested for task ${c.task} at ${formatMs(c.t)}${c.reason ? `\n${c.reason}` : ''}`
        : `task ${c.task} got acm::Cancelled at ${formatMs(c.t)}${c.at ? `\nwhile awaiting ${c.at}` : ''}`;
      const shape = c.kind === 'requested'
        ? s('path', { class: 'acm-cancel is-requested', d: `M${x} ${mid - 7} l6 7 l-6 7 l-6 -7 z`, tabindex: 0, 'data-tip': tip })
        : s('circle', { class: 'acm-cancel is-cancelled', cx: x + 8, cy: mid, r: 5, tabindex: 0, 'data-tip': tip });
      g.append(shape);
    }
    return g;
  }

  drawLane(lane, y) {
    const g = s('g', {});
    const top = y + (GEOM.row - GEOM.laneH) / 2;
    for (const p of lane.phases) {
      const x1 = this.x(p.start);
      const open = p.end == null;
      const x2 = this.x(open ? this.span() : p.end);
      const name = p.phase === 'body' ? 'body' : `${p.phase}()`;
      const dur = open ? 'did not finish' : `${formatMs(p.start)}–${formatMs(p.end)} (${formatMs(round1(p.end - p.start))})`;
      const result = p.outcome === 'exception' ? (p.phase === 'aenter' ? 'failed — aexit() will not run' : 'left by an exception')
        : p.phase === 'aexit' && p.suppressed ? 'returned true: exception suppressed' : open ? '' : 'ok';
      g.append(s('rect', { class: `acm-phase acm-phase--${p.phase}${p.outcome === 'exception' ? ' is-exception' : ''}${open ? ' is-open' : ''}`,
        x: x1, y: top, width: Math.max(4, x2 - x1), height: GEOM.laneH, rx: 3, tabindex: 0,
        'data-tip': `${lane.name} #${lane.cm}: ${name}\n${dur}${result ? `\n${result}` : ''}` }));
      if (x2 - x1 > 44) g.append(s('text', { class: 'acm-phase__label', x: x1 + 5, y: top + GEOM.laneH - 4, 'pointer-events': 'none' }, name));
    }
    lane.exceptions.forEach((e, i) => {
      const x = this.x(e.t) + (e.action === 'propagated' ? 6 : e.action === 'suppressed' ? 0 : -6) + i * 0;
      const mid = top + GEOM.laneH / 2;
      const tip = `${e.type || 'exception'}${e.what ? `: ${e.what}` : ''}\n${e.action === 'raised' ? 'raised in the body' : e.action === 'suppressed' ? 'suppressed by aexit()' : 'propagated out of the block'} at ${formatMs(e.t)}`;
      const shape = e.action === 'propagated'
        ? s('path', { class: 'acm-exc is-propagated', d: `M${x - 4} ${mid - 6} l9 6 l-9 6 z` })
        : e.action === 'suppressed'
          ? s('circle', { class: 'acm-exc is-suppressed', cx: x, cy: mid, r: 5 })
          : s('path', { class: 'acm-exc is-raised', d: `M${x} ${mid - 7} l5 7 l-5 7 l-5 -7 z` });
      shape.setAttribute('tabindex', '0');
      shape.setAttribute('data-tip', tip);
      g.append(shape);
    });
    return g;
  }

  drawNotes(y) {
    const g = s('g', {});
    for (const n of this.model.notes) {
      const x = this.x(n.t);
      g.append(s('rect', { class: 'acm-note', x: x - 3, y: y + 6, width: 6, height: GEOM.row - 12, rx: 1, tabindex: 0, 'data-tip': `note at ${formatMs(n.t)}\n${n.text}` }));
    }
    return g;
  }

  // ---- event list & tooltips ----------------------------------------------------------------

  drawEvents() {
    this.currentEvent = -1;
    this.eventItems = this.model.events.map((ev) => h('li', { class: `acm-event acm-event--${ev.ev}`, onclick: () => { this.pause(); this.seek(ev.t); } },
      h('span', { class: 'acm-event__t' }, formatMs(round1(ev.t)).padStart(9, '\u2007')),
      h('span', { class: 'acm-event__text' }, describeEvent(ev))));
    this.eventList.replaceChildren(...this.eventItems);
  }

  tipFor(target) {
    const el = target?.closest?.('[data-tip]');
    if (!el || !this.el.contains(el)) return;
    this.tooltip.textContent = el.getAttribute('data-tip');
    this.tooltip.hidden = false;
    const box = el.getBoundingClientRect();
    const host = this.el.getBoundingClientRect();
    const tw = this.tooltip.offsetWidth;
    let left = box.left - host.left + box.width / 2 - tw / 2;
    left = Math.max(4, Math.min(left, host.width - tw - 4));
    this.tooltip.style.left = `${left}px`;
    this.tooltip.style.top = `${box.bottom - host.top + 6}px`;
  }
}

function paintFrame(canvas, c) {
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

/** Round-number ticks (1, 2, 5 × 10^k) for a span starting at 0. */
export function niceTicks(span, target = 6) {
  const raw = span / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * pow).find((st) => st >= raw) ?? 10 * pow;
  const ticks = [];
  for (let t = 0; t <= span + 1e-9; t += step) ticks.push(Math.round(t * 1000) / 1000);
  return ticks;
}

const round1 = (x) => Math.round(x * 10) / 10;
