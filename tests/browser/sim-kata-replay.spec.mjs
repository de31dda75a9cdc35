// The replay panel inside the kata widgets, as issue 5's "done when" describes it:
//   - Spotlight: with the settle delay, bright frames and green tests; a learner who removes the
//     delay sees a dark first frame, a failing test, and on the timeline why;
//   - Timeout: the timeline shows the deadline, the cancellation and the TimeoutError leaving.
//
//   node tests/browser/run.mjs sim-      or, alone:  node --test tests/browser/sim-kata-replay.spec.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startSite, openPage, seek, luminance } from './sim-helpers.mjs';

let site;
before(async () => { site = await startSite(); });
after(async () => { await site?.stop(); });

const FRAMES_TEST = 'frames captured at the start of the body are fully exposed';

/** A kata page once its reference run has finished. */
async function kataPage(kata, theme = 'light') {
  const page = await openPage(site, `docs/katas/${kata}.html`, { theme });
  const widget = page.locator(`section[data-kata="${kata}"]`);
  await page.waitForFunction((k) => {
    const section = document.querySelector(`section[data-kata="${k}"]`);
    return section?.dataset.state === 'done' && section.querySelector('[data-role="summary"]')?.dataset.run === 'reference';
  }, kata, { timeout: 30000 });
  return { page, widget, panel: widget.locator('.acm-sim') };
}

/** Shows one test case's replay the way a learner would: its "replay" button in the results. */
async function replay(widget, testName) {
  const item = widget.locator('[data-role="results"] li', { hasText: testName });
  await item.locator('[data-action="replay"]').click();
  const panel = widget.locator('.acm-sim');
  assert.equal((await panel.locator('[data-role="case"] option:checked').textContent()).trim().slice(1).trim(), testName);
  return panel;
}

test('Spotlight reference run: every test passes and both frames of the exposure test are equally bright', async () => {
  const { page, widget } = await kataPage('spotlight');
  try {
    assert.match(await widget.locator('[data-role="summary"]').textContent(), /^\d+ passed, 0 failed$/);
    const panel = await replay(widget, FRAMES_TEST);
    await seek(panel, 1e9);
    const frames = panel.locator('[data-role="frame"]');
    assert.equal(await frames.count(), 2);
    const first = await luminance(page, frames.nth(0));
    const second = await luminance(page, frames.nth(1));
    assert.ok(first > 120 && Math.abs(first - second) < 4, `both frames bright and alike: ${first.toFixed(0)} and ${second.toFixed(0)}`);
    assert.equal(await panel.locator('[data-role="highlights"]').isVisible(), false, 'nothing to warn about');
  } finally {
    await page.close();
  }
});

test('Timeout reference run: the timeline shows the deadline firing, the cancellation, and acm::TimeoutError leaving the block', async () => {
  const { page, widget } = await kataPage('timeout');
  try {
    const panel = await replay(widget, 'a slow body is cancelled exactly at the deadline, and acm::TimeoutError comes out');
    const timeline = panel.locator('[data-role="timeline"]');
    const deadline = timeline.locator('.acm-timer.is-canceller');
    assert.equal(await deadline.count(), 1);
    assert.match(await deadline.getAttribute('data-tip'), /timer “Timeout deadline”\narmed at 100 ms, due at 300 ms\nfired at 300 ms\nits callback cancelled task 1/);
    assert.equal(await timeline.locator('.acm-cancel.is-requested').count(), 1);
    assert.equal(await timeline.locator('.acm-cancel.is-cancelled').count(), 1);
    assert.match(await timeline.locator('.acm-exc__label.is-propagated').textContent(), /acm::Cancelled → acm::TimeoutError leaves the block/);
    assert.deepEqual(await panel.locator('[data-role="highlights"] li .acm-highlight__text').allTextContents(), [
      'Timer “Timeout deadline” fired at 300 ms and cancelled task 1 (main). It got acm::Cancelled where it was waiting, at sleep_for(1s).',
      'aexit() of Timeout #1 turned acm::Cancelled into acm::TimeoutError.',
      'acm::TimeoutError left the block of Timeout #1 at 300 ms.',
    ]);
  } finally {
    await page.close();
  }
});

test('a learner who removes the settle delay sees failing tests, a dark first frame and why; putting it back turns all green', async (t) => {
  const probe = await fetch(site.url('_static/acm/toolchain/manifest.json')).catch(() => null);
  if (!probe?.ok) {
    t.skip('this site has no in-page compiler (_static/acm/toolchain)');
    return;
  }
  const { page, widget } = await kataPage('spotlight');
  try {
    const editor = widget.locator('.acm-editor:not(.acm-editor--readonly) .cm-content');
    const typeAndRun = async (file) => {
      await editor.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(readFileSync(new URL(file, import.meta.url), 'utf8'));
      await widget.locator('[data-action="run"]').click();
      await page.waitForFunction(() => {
        const s = document.querySelector('section[data-kata="spotlight"] [data-role="summary"]');
        return s?.dataset.run === 'learner' && s.closest('section').dataset.state === 'done';
      }, null, { timeout: 120000 });
      return (await widget.locator('[data-role="summary"]').textContent()).trim();
    };

    assert.match(await typeAndRun('../js/fixtures/wrong-answers/spotlight-no-settle/spotlight.hpp'), /^\d+ passed, [1-9]\d* failed$/);
    const panel = widget.locator('.acm-sim');
    // The replay opens on the failing test with the most to show: the dark frame.
    assert.match(await panel.locator('[data-role="case"] option:checked').textContent(), new RegExp(`✗\\s+${FRAMES_TEST}`));
    await seek(panel, 1e9);
    const frames = panel.locator('[data-role="frame"]');
    const dark = await luminance(page, frames.nth(0));
    const bright = await luminance(page, frames.nth(1));
    assert.ok(dark * 2.5 < bright, `first frame ${dark.toFixed(0)} should be much darker than the second ${bright.toFixed(0)}`);
    const notes = await panel.locator('[data-role="highlights"]').textContent();
    assert.match(notes, /started at 0 ms, while LED “led” was still warming up/);
    assert.match(notes, /The frame taken at 10 ms was exposed while the LED was still warming up/);

    assert.match(await typeAndRun('../../solutions/spotlight/spotlight.hpp'), /^\d+ passed, 0 failed$/);
    const good = await replay(widget, FRAMES_TEST);
    await seek(good, 1e9);
    const first = await luminance(page, good.locator('[data-role="frame"]').nth(0));
    assert.ok(first > 120, `with the delay the first frame is bright (${first.toFixed(0)})`);
  } finally {
    await page.close();
  }
});
