// The simulation panel: what the runtime's trace says happened in a run — the LED's light, the
// camera's frames, a timeline of managers, timers, cancellations and exceptions in virtual
// time — replayed with a playhead. It never re-simulates: every level, time and pixel comes from
// trace.jsonl via buildTimeline().
//
// Used by the kata widget (one timeline per doctest test case, failing ones first in mind) and
// by runnable examples. The seam: `panel.show(traceLines, {label, truncated, results, defaultName})`.
//
// Hooks (DESIGN.md): data-role="led" (data-lit follows the playhead), data-role="frame"
// (data-t-ms = capture time), data-role="timeline", data-role="events"; also data-role="case",
// "scrubber", "clock", "highlights" and data-action="play|restart".
import { h } from '../dom.js';
import { buildTimeline, illuminationAt, ledOnAt, ledStateAt, describeEvent, formatMs, isBookkeeping, localTime } from './timeline-model.js';
import { highlights } from './highlights.js';
import { TimelineView, paintFrame } from './timeline-view.js';

// Replay speeds (virtual ms per wall-clock ms). 1 is real time; the slower ones make a 50 ms
// settle visible, the faster ones keep a long run watchable.
const SPEEDS = [[100, '100×'], [10, '10×'], [2, '2×'], [1, '1× real time'], [0.5, '½×'], [0.25, '¼×'], [0.1, '1/10×'], [0.05, '1/20×'], [0.02, '1/50×']];

/** Real time when that makes a replay of 1.5–20 s; otherwise the nearest speed that does. */
export function defaultSpeed(spanMs) {
  if (spanMs >= 1500 && spanMs <= 20000) return 1;
  if (spanMs < 1500) {
    const slow = SPEEDS.map(([v]) => v).filter((v) => v <= 1);
    return slow.find((v) => spanMs / v >= 1500) ?? slow[slow.length - 1];
  }
  const fast = SPEEDS.map(([v]) => v).filter((v) => v >= 1).reverse();
  return fast.find((v) => spanMs / v <= 20000) ?? fast[fast.length - 1];
}

const FULL_LIGHT = 0.999;
const MAX_LISTED_EVENTS = 3000;
const percent = (x) => `${Math.round(x * 100)} %`;
const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

export class SimulationPanel {
  constructor() {
    this.model = null;
    this.cases = [];
    this.t = 0;
    this.speed = 1;
    this.playing = false;
    this.raf = 0;
    this.timeline = new TimelineView({ onSeek: (t) => { this.pause(); this.seek(t); } });
    this.build();
  }

  build() {
    this.caseSelect = h('select', { class: 'acm-sim__case', dataset: { role: 'case' }, onchange: () => this.selectCase(Number(this.caseSelect.value), { autoplay: true }) });
    const caseId = `acm-case-${Math.random().toString(36).slice(2, 8)}`;
    this.caseSelect.id = caseId;
    this.caseCount = h('span', { class: 'acm-sim__count' });
    this.casePicker = h('div', { class: 'acm-sim__picker' },
      h('label', { class: 'acm-sim__picker-label', for: caseId }, 'Test case'), this.caseSelect, this.caseCount);
    this.badge = h('span', { class: 'acm-sim__badge' });
    this.verdict = h('p', { class: 'acm-sim__verdict', dataset: { role: 'case-verdict' }, hidden: true });

    this.leds = h('div', { class: 'acm-sim__leds' });
    this.frames = h('div', { class: 'acm-frames', dataset: { role: 'frames' } });
    this.camera = h('div', { class: 'acm-sim__camera' },
      h('div', { class: 'acm-sim__caption' }, 'Camera frames, as captured'), this.frames);
    this.stage = h('div', { class: 'acm-sim__stage' }, this.leds, this.camera);

    this.highlightList = h('ul', { class: 'acm-highlights__list' });
    this.highlightBox = h('div', { class: 'acm-highlights', dataset: { role: 'highlights' } },
      h('div', { class: 'acm-highlights__title' }, 'What to notice'), this.highlightList);

    this.playBtn = h('button', { type: 'button', class: 'acm-btn acm-btn--icon acm-sim__play', dataset: { action: 'play' }, 'aria-label': 'Play', title: 'Play / pause', onclick: () => this.togglePlay() }, '▶');
    const restart = h('button', { type: 'button', class: 'acm-btn acm-btn--icon', dataset: { action: 'restart' }, 'aria-label': 'Replay from the start', title: 'Replay from the start',
      onclick: () => { this.seek(0); this.play(); } }, '⟲');
    this.scrubber = h('input', { type: 'range', class: 'acm-sim__scrubber', dataset: { role: 'scrubber' }, min: 0, max: 1, step: 'any', value: 0, 'aria-label': 'Playhead, in virtual time',
      oninput: () => { this.pause(); this.seek(Number(this.scrubber.value)); } });
    this.clock = h('output', { class: 'acm-sim__clock', dataset: { role: 'clock' }, 'aria-live': 'off' });
    this.speedSelect = h('select', { class: 'acm-sim__speed', 'aria-label': 'Replay speed', title: 'Replay speed (1× = real time)',
      onchange: () => { this.speed = Number(this.speedSelect.value); } },
    SPEEDS.map(([v, label]) => h('option', { value: v }, label)));

    this.timelineHost = h('div', { class: 'acm-timeline-host' });
    this.tooltip = h('div', { class: 'acm-tooltip', role: 'tooltip', hidden: true });
    this.eventList = h('ol', { class: 'acm-events', dataset: { role: 'events' }, 'aria-label': 'Everything the run did, in order' });
    this.message = h('p', { class: 'acm-sim__message', hidden: true });
    this.notice = h('p', { class: 'acm-sim__notice', hidden: true });

    this.body = h('div', { class: 'acm-sim__body' },
      this.verdict,
      this.stage,
      this.highlightBox,
      h('div', { class: 'acm-sim__controls' }, this.playBtn, restart, this.scrubber, this.clock, this.speedSelect),
      this.timelineHost,
      this.legend = h('div', { class: 'acm-legend' }),
      h('details', { class: 'acm-sim__events' },
        h('summary', {}, 'Step by step, as text'), this.eventList));
    this.el = h('section', { class: 'acm-sim', hidden: true, 'aria-label': 'Simulation of the run: LED, camera and timeline' },
      h('div', { class: 'acm-sim__head' },
        h('span', { class: 'acm-sim__title' }, 'Replay'), this.badge),
      this.casePicker,
      this.message, this.notice, this.body, this.tooltip);

    this.resize = new ResizeObserver(() => {
      const w = this.timelineHost.clientWidth;
      if (this.model && w && Math.abs(w - (this.drawnWidth ?? 0)) > 2) this.drawTimeline();
    });
    this.resize.observe(this.timelineHost);
    // Start the replay when the panel first scrolls into view, not while nobody can see it.
    this.visible = false;
    this.seen = new IntersectionObserver((entries) => {
      this.visible = entries.some((e) => e.isIntersecting);
      if (this.visible && this.pendingAutoplay) {
        this.pendingAutoplay = false;
        this.seek(0);
        this.play();
      }
    }, { threshold: 0.25 });
    this.seen.observe(this.el);

    this.el.addEventListener('pointerover', (e) => this.tipFor(e.target));
    this.el.addEventListener('focusin', (e) => this.tipFor(e.target));
    this.el.addEventListener('pointerout', (e) => { if (e.target.closest?.('[data-tip]')) this.tooltip.hidden = true; });
    this.el.addEventListener('focusout', () => { this.tooltip.hidden = true; });
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
    this.casePicker.hidden = true;
    this.notice.hidden = true;
    this.message.hidden = false;
    this.message.textContent = text;
  }

  /**
   * @param {string[]} traceLines
   * @param {{label?:string, truncated?:number|false, results?:object, defaultName?:string}} o
   */
  show(traceLines, { label = '', truncated = false, results = null, defaultName = 'run' } = {}) {
    this.pause();
    const built = buildTimeline(traceLines, { defaultName });
    this.el.hidden = false;
    this.badge.textContent = label;
    this.badge.hidden = !label;
    this.notice.hidden = !truncated;
    this.notice.textContent = truncated ? `The trace was cut off after ${truncated} lines: the end of the run is not shown.` : '';
    if (!built.cases.length) {
      this.showMessage('This run recorded nothing to show: no event loop ran.');
      return;
    }
    this.message.hidden = true;
    this.body.hidden = false;
    this.cases = built.cases;
    this.results = new Map((results?.tests ?? []).map((t) => [t.name, t]));
    const statusOf = (c) => this.results.get(c.name)?.status;
    this.caseSelect.replaceChildren(...this.cases.map((c, i) => {
      const st = statusOf(c);
      return h('option', { value: i }, `${st === 'passed' ? '✓' : st === 'failed' ? '✗' : '•'}  ${c.name}`);
    }));
    const failed = this.cases.filter((c) => statusOf(c) === 'failed').length;
    this.caseCount.textContent = results ? (failed ? `${failed} of ${this.cases.length} failed` : `all ${this.cases.length} passed`) : `${this.cases.length} test cases`;
    this.caseCount.dataset.outcome = results ? (failed ? 'fail' : 'pass') : '';
    this.casePicker.hidden = this.cases.length < 2;
    this.selectCase(pickCase(this.cases, statusOf), { autoplay: true });
  }

  /**
   * Gives each test in a results list (results-view.js markup) a button that shows its replay,
   * and marks the one on display.
   */
  linkResults(list) {
    if (this.resultsList !== list) {
      this.resultsList = list;
      // The list may be drawn again (a late frame of the live view): link the new items too.
      this.resultsObserver?.disconnect();
      this.resultsObserver = new MutationObserver(() => this.linkResults(list));
      this.resultsObserver.observe(list, { childList: true });
    }
    for (const li of list.querySelectorAll('.acm-test')) {
      const name = li.querySelector('.acm-test__name')?.textContent ?? '';
      if (li.querySelector('.acm-test__replay') || !this.cases.some((c) => c.name === name)) continue;
      // Looked up by name when clicked: the list and the panel may be a run apart meanwhile.
      const button = h('button', { type: 'button', class: 'acm-test__replay', dataset: { action: 'replay' }, 'aria-label': `Replay “${name}”`, title: 'Show this test in the replay below',
        onclick: () => {
          const i = this.cases.findIndex((c) => c.name === name);
          if (i < 0) return;
          this.selectCase(i, { autoplay: true });
          this.el.scrollIntoView({ behavior: reducedMotion() ? 'auto' : 'smooth', block: 'nearest' });
        } }, 'replay ▸');
      li.querySelector('.acm-test__head')?.append(button);
    }
    this.markReplayed();
  }

  markReplayed() {
    const shown = this.model?.name;
    for (const li of this.resultsList?.querySelectorAll('.acm-test') ?? []) {
      li.classList.toggle('is-replayed', li.querySelector('.acm-test__name')?.textContent === shown);
    }
  }

  selectCase(i, { autoplay = false } = {}) {
    this.pause();
    this.caseIndex = i;
    this.model = this.cases[i];
    this.markReplayed();
    this.caseSelect.value = String(i);
    const result = this.results?.get(this.model.name);
    this.caseSelect.dataset.status = result?.status ?? '';
    this.showVerdict(result);
    this.speed = defaultSpeed(this.span());
    this.speedSelect.value = String(this.speed);
    this.scrubber.max = String(this.span());
    this.drawStage();
    this.drawHighlights();
    this.drawTimeline();
    this.legend.replaceChildren(...legendItems(this.model));
    this.drawEvents();
    if (autoplay && reducedMotion()) {
      this.seek(this.span());
    } else if (autoplay && this.visible) {
      this.seek(0);
      this.play();
    } else {
      // Until someone looks, show how the run ended; the replay starts once it is in view.
      this.pendingAutoplay = autoplay;
      this.seek(autoplay ? 0 : this.t);
    }
  }

  showVerdict(result) {
    if (!result) {
      this.verdict.hidden = true;
      return;
    }
    this.verdict.hidden = false;
    this.verdict.dataset.status = result.status;
    if (result.status === 'passed') {
      this.verdict.replaceChildren(h('span', { class: 'acm-sim__verdict-icon' }, '✓'), 'This test passed.');
      return;
    }
    const a = result.asserts?.[0];
    const x = result.exceptions?.[0];
    const lastLine = (text) => String(text ?? '').trim().split('\n').filter(Boolean).pop() ?? '';
    const detail = a
      ? [h('code', {}, a.expr), a.expanded && a.expanded !== a.expr ? [' — got ', h('code', {}, a.expanded)] : null, lastLine(a.message) ? h('span', { class: 'acm-sim__verdict-msg' }, lastLine(a.message)) : null]
      : x ? [h('code', {}, x.what)] : [];
    this.verdict.replaceChildren(h('span', { class: 'acm-sim__verdict-icon' }, '✗'), a ? 'This test failed: ' : x ? 'This test threw: ' : 'This test failed.', ...detail.flat());
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
    this.pendingAutoplay = false;
    this.playing = true;
    this.playBtn.textContent = '❚❚';
    this.playBtn.setAttribute('aria-label', 'Pause');
    let last = performance.now();
    const tick = (now) => {
      if (!this.playing) return;
      // Real speed: one virtual millisecond per wall-clock millisecond, times the chosen factor.
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
    for (const v of this.ledViews ?? []) {
      const level = illuminationAt(m, this.t, v.name);
      const lit = ledOnAt(m, this.t, v.name);
      const state = ledStateAt(m, this.t, v.name);
      v.el.dataset.lit = String(lit);
      v.el.dataset.state = state;
      v.el.style.setProperty('--glow', level.toFixed(3));
      v.readout.textContent = state === 'off' ? 'off' : state === 'lit' ? 'fully lit' : `warming up · ${percent(level)}`;
      v.el.setAttribute('aria-label', `LED ${v.name}: ${state === 'off' ? 'off' : state === 'lit' ? 'on, fully lit' : `on, warming up, ${percent(level)} light`}`);
    }
    let current = null;
    for (const f of this.frameViews ?? []) {
      const taken = f.capture.t <= this.t + 1e-9;
      f.fig.classList.toggle('is-future', !taken);
      f.fig.classList.remove('is-current');
      if (taken) current = f;
    }
    if (current) {
      current.fig.classList.add('is-current');
      // Keep the latest frame in view inside the strip, without scrolling the page.
      const strip = this.frames;
      const top = current.fig.offsetTop;
      if (top < strip.scrollTop || top + current.fig.offsetHeight > strip.scrollTop + strip.clientHeight) strip.scrollTop = top;
    }
    this.scrubber.value = String(this.t);
    const local = localTime(m, this.t);
    const end = localTime(m, this.span());
    this.clock.textContent = local.loops > 1
      ? `loop ${local.loop + 1} of ${local.loops} · ${formatMs(local.t_ms)}`
      : `${formatMs(this.t)} / ${formatMs(end.t_ms)}`;
    this.timeline.setPlayhead(this.t);
    // Events are in time order: find how many are past with a binary search and restyle only
    // the ones whose side of the playhead changed (a runaway trace has tens of thousands).
    const items = this.eventItems ?? [];
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (items[mid].ev.t <= this.t + 1e-9) lo = mid + 1;
      else hi = mid;
    }
    const past = lo;
    const from = Math.min(past, this.pastEvents ?? 0);
    const to = Math.max(past, this.pastEvents ?? items.length);
    for (let i = from; i < to && i < items.length; i++) items[i].li.classList.toggle('is-past', i < past);
    this.pastEvents = past;
    if (past - 1 !== this.currentEvent) {
      items[this.currentEvent]?.li.removeAttribute('aria-current');
      items[past - 1]?.li.setAttribute('aria-current', 'step');
      this.currentEvent = past - 1;
    }
    this.highlightItems?.forEach((item) => item.li.classList.toggle('is-past', item.h.t <= this.t + 1e-9));
  }

  // ---- stage: LEDs and frames ---------------------------------------------------------------

  drawStage() {
    const anyLed = this.cases.some((c) => c.leds.length);
    const anyFrame = this.cases.some((c) => c.captures.length);
    this.stage.hidden = !anyLed && !anyFrame;
    this.camera.hidden = !this.model.captures.length;
    const m = this.model;
    const names = m.leds.length ? m.leds.map((l) => l.name) : anyLed ? ['led'] : [];
    this.ledViews = names.map((name) => {
      const readout = h('div', { class: 'acm-led__readout' });
      const el = h('div', { class: 'acm-led', dataset: { role: 'led', lit: 'false', led: name }, role: 'img' },
        h('div', { class: 'acm-led__housing', 'aria-hidden': 'true' }, h('div', { class: 'acm-led__bulb' })),
        h('div', { class: 'acm-led__name' }, `LED “${name}”`), readout);
      return { name, el, readout };
    });
    this.leds.replaceChildren(...this.ledViews.map((v) => v.el));
    this.leds.hidden = !anyLed;

    const many = new Set(m.captures.map((c) => c.camera)).size > 1;
    this.frameViews = m.captures.map((c) => {
      const canvas = h('canvas', { class: 'acm-frame', dataset: { role: 'frame', tMs: String(c.t_ms) } });
      paintFrame(canvas, c);
      const warming = c.lightAtStart != null && c.lightAtStart < FULL_LIGHT;
      const offDuring = warming && !m.leds[0].intervals.some((iv) => iv.start < c.t && (iv.end == null || iv.end > c.start));
      const tip = `${many ? `${c.camera}: ` : ''}frame taken at ${formatMs(c.t_ms)} (exposed ${formatMs(c.exposure)})\nbrightness ${percent(c.brightness)}${
        warming ? (offDuring ? '\nthe LED was off' : `\nthe LED was still warming up: ${percent(c.lightAtStart)} light when the exposure began`) : ''}`;
      const button = h('button', { type: 'button', class: 'acm-frame-btn', 'data-tip': tip, 'aria-label': tip.replace(/\n/g, '. '),
        onclick: () => { this.pause(); this.seek(c.t); } }, canvas);
      const fig = h('figure', { class: `acm-frame-fig${warming ? ' is-underexposed' : ''}` }, button,
        h('figcaption', {},
          h('span', { class: 'acm-frame-fig__t' }, formatMs(c.t_ms)),
          h('span', { class: 'acm-frame-fig__b', title: 'brightness' }, percent(c.brightness))),
        warming ? h('div', { class: 'acm-frame-fig__warn' }, offDuring ? 'LED off' : 'LED warming up') : null);
      return { fig, capture: c };
    });
    this.frames.replaceChildren(...(this.frameViews.length ? this.frameViews.map((f) => f.fig)
      : [h('p', { class: 'acm-frames__none' }, 'No frames captured in this test case.')]));
  }

  drawHighlights() {
    const list = highlights(this.model);
    this.highlightBox.hidden = list.length === 0;
    this.highlightItems = list.map((hl) => {
      const li = h('li', { class: `acm-highlight is-${hl.level}`, dataset: { kind: hl.kind } },
        h('button', { type: 'button', class: 'acm-highlight__t', title: 'Move the playhead here', onclick: () => { this.pause(); this.seek(hl.t); } },
          formatMs(localTime(this.model, hl.t).t_ms)),
        h('span', { class: 'acm-highlight__text' }, hl.text));
      return { li, h: hl };
    });
    this.highlightList.replaceChildren(...this.highlightItems.map((x) => x.li));
  }

  drawTimeline() {
    const width = this.timelineHost.clientWidth || 680;
    this.drawnWidth = this.timelineHost.clientWidth;
    this.timelineHost.replaceChildren(this.timeline.render(this.model, width));
    this.timeline.setPlayhead(this.t);
  }

  drawEvents() {
    this.currentEvent = -1;
    this.pastEvents = undefined;
    // A runaway trace would make a list nobody reads and a page that crawls: list the start.
    const shown = this.model.events.slice(0, MAX_LISTED_EVENTS);
    this.eventItems = shown.map((ev) => {
      const li = h('li', { class: `acm-event acm-event--${ev.ev}${isBookkeeping(ev) ? ' is-bookkeeping' : ''}` },
        h('button', { type: 'button', class: 'acm-event__t', title: 'Move the playhead here', onclick: () => { this.pause(); this.seek(ev.t); } }, formatMs(ev.t_ms)),
        h('span', { class: 'acm-event__text' }, describeEvent(ev)));
      return { li, ev };
    });
    const more = this.model.events.length - shown.length;
    this.eventList.replaceChildren(...this.eventItems.map((x) => x.li),
      more > 0 ? h('li', { class: 'acm-event acm-event--more' }, `… and ${more} more events (the timeline shows them all)`) : null);
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
    this.tooltip.style.top = `${box.bottom - host.top + 8}px`;
  }
}

/**
 * A failing test's timeline is the best hint there is: show a failing case, the one whose
 * replay has the most warnings (a dark frame beats a test that only checks a time).
 */
export function pickCase(cases, statusOf) {
  let best = -1;
  let bestScore = -1;
  cases.forEach((c, i) => {
    if (statusOf(c) !== 'failed') return;
    // Warnings point at something wrong; an exception leaving a block is often what a test wants.
    const score = highlights(c).filter((x) => x.level === 'warn' || x.kind === 'guard').length;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best >= 0 ? best : 0;
}

/** The key to the timeline's marks, only for what this case has. */
function legendItems(m) {
  const item = (cls, text) => h('span', { class: 'acm-legend__item' }, h('span', { class: `acm-legend__swatch ${cls}`, 'aria-hidden': 'true' }), text);
  return [
    m.lanes.length ? [item('is-aenter', 'aenter()'), item('is-body', 'body'), item('is-aexit', 'aexit()')] : [],
    m.leds.length ? [item('is-warm', 'LED warming up'), item('is-settled', 'LED fully lit')] : [],
    m.timers.length ? item('is-timer', 'timer: ● fired, ✕ cancelled') : null,
    m.exceptions.length ? item('is-exc', 'exception: ◆ raised, ▶ leaving the block') : null,
    m.cancellations.length ? item('is-cancel', 'cancellation') : null,
  ].flat().filter(Boolean);
}
