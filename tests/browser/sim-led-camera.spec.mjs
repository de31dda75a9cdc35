// The simulation panel in a real browser, judged on the pixels of screenshots: the LED is lit
// while a Spotlight body runs and dark after it, a frame captured before the light settled is
// darker than one captured under steady light, and items on the timeline explain themselves.
//
//   node tests/browser/run.mjs sim-      or, alone:  node --test tests/browser/sim-led-camera.spec.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, openPage, seek, luminance } from './sim-helpers.mjs';

let site;
before(async () => { site = await startSite(); });
after(async () => { await site?.stop(); });

/** Opens a page, runs one of its examples and returns that example's replay panel. */
async function examplePanel(path, example, theme = 'light') {
  const page = await openPage(site, path, { theme });
  const widget = page.locator(`.acm-example[data-example="${example}"]`);
  await widget.locator('[data-action="run"]').click();
  const panel = widget.locator('.acm-sim');
  await panel.locator('[data-role="timeline"]').waitFor({ timeout: 20000 });
  return { page, panel };
}

for (const theme of ['light', 'dark']) {
  test(`(${theme} theme) the LED is lit while the Spotlight body runs and dark after the block`, async () => {
    const { page, panel } = await examplePanel('docs/capture-loop.html', 'capture_loop', theme);
    try {
      const led = panel.locator('[data-role="led"]');
      const bulb = led.locator('.acm-led__bulb');

      await seek(panel, 220); // inside the body: 160–280 ms
      assert.equal(await led.getAttribute('data-lit'), 'true');
      const during = await luminance(page, bulb);

      await seek(panel, 280); // aexit() switched it off
      assert.equal(await led.getAttribute('data-lit'), 'false');
      const afterBlock = await luminance(page, bulb);

      await seek(panel, 60); // between the dark test shot and the block: off
      const before = await luminance(page, bulb);

      assert.ok(during > afterBlock + 60, `lit bulb ${during.toFixed(0)} should be far brighter than after the block ${afterBlock.toFixed(0)}`);
      assert.ok(during > before + 60, `lit bulb ${during.toFixed(0)} should be far brighter than before the block ${before.toFixed(0)}`);
    } finally {
      await page.close();
    }
  });
}

test('a frame captured before the LED settled is drawn darker than one captured under steady light', async () => {
  const { page, panel } = await examplePanel('docs/capture-loop.html', 'capture_loop');
  try {
    await seek(panel, 280); // every frame taken, none dimmed as "not yet"
    const early = panel.locator('[data-role="frame"][data-t-ms="10"]');
    const steady = panel.locator('[data-role="frame"][data-t-ms="170"]');
    assert.equal(await panel.locator('[data-role="frame"]').count(), 5);
    const dark = await luminance(page, early);
    const bright = await luminance(page, steady);
    assert.ok(dark * 2.5 < bright, `the early frame (${dark.toFixed(0)}) should be much darker than the steady one (${bright.toFixed(0)})`);
    // And the panel says why, in words.
    assert.match(await panel.locator('[data-role="highlights"]').innerText(), /frame taken at 10 ms was exposed while the LED was still warming up/);
  } finally {
    await page.close();
  }
});

test('hovering a phase on the timeline, or reaching it with the keyboard, shows its details', async () => {
  const { page, panel } = await examplePanel('docs/execution-flow.html', 'execution_flow');
  try {
    const tooltip = panel.locator('.acm-tooltip');
    await panel.locator('.acm-phase--body').first().hover();
    await tooltip.waitFor({ state: 'visible' });
    assert.match(await tooltip.innerText(), /body\n100 ms → 150 ms \(50 ms\)/);

    // One tab stop for the timeline; arrow keys walk its items in time order.
    await panel.locator('[data-role="timeline"] .acm-item[tabindex="0"]').focus();
    await page.keyboard.press('ArrowRight');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-tip'));
    assert.ok(focused, 'an item has focus');
    assert.equal(await tooltip.innerText(), focused);
    // The text alternative lists every step.
    const events = await panel.locator('[data-role="events"] li').allTextContents();
    assert.ok(events.some((t) => /AsyncResource #1: aexit\(\) begins/.test(t)), events.join('\n'));
  } finally {
    await page.close();
  }
});
