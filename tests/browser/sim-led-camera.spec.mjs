// The simulation panel in a real browser, judged on the pixels of screenshots: the LED is lit
// while a Spotlight body runs and dark after it, a frame captured before the light settled is
// darker than one captured under steady light, and items on the timeline explain themselves.
//
//   node --test tests/browser/sim-led-camera.spec.mjs
//
// Runs against the built site: ACM_BASE_URL if the harness serves it already, otherwise it
// serves ACM_SITE (default _build/html) itself. Chromium is Debian's, driven by playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, resolve, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const SITE = resolve(process.env.ACM_SITE ?? '_build/html');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.tar': 'application/x-tar' };

let server;
let base;
let browser;

before(async () => {
  base = process.env.ACM_BASE_URL;
  if (!base) {
    assert.ok(existsSync(join(SITE, 'docs/capture-loop.html')), `no built site in ${SITE} (run make site, or set ACM_SITE)`);
    server = http.createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
      let file = join(SITE, path);
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!file.startsWith(SITE) || !existsSync(file)) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${server.address().port}`;
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** Opens a page with a running example's panel shown, replay paused. */
async function examplePanel(page, path, example, theme = 'light') {
  await page.addInitScript((t) => localStorage.setItem('theme', t), theme);
  await page.goto(`${base}/${path}`);
  const widget = page.locator(`.acm-example[data-example="${example}"]`);
  await widget.locator('[data-action="run"]').click();
  const panel = widget.locator('.acm-sim');
  await panel.locator('[data-role="timeline"]').waitFor({ timeout: 20000 });
  return panel;
}

/** Moves the playhead to `ms` (display time) with the scrubber, as a learner dragging it. */
async function seek(panel, ms) {
  await panel.locator('[data-role="scrubber"]').evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, ms);
}

/** Mean luminance (0..255) of the middle third of an element's screenshot, decoded by the browser. */
async function luminance(page, locator) {
  const png = await locator.screenshot();
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const x0 = Math.floor(img.width / 3);
    const y0 = Math.floor(img.height / 3);
    const { data } = ctx.getImageData(x0, y0, Math.max(1, Math.floor(img.width / 3)), Math.max(1, Math.floor(img.height / 3)));
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
    return sum / (data.length / 4);
  }, png.toString('base64'));
}

for (const theme of ['light', 'dark']) {
  test(`(${theme} theme) the LED is lit while the Spotlight body runs and dark after the block`, async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    try {
      const panel = await examplePanel(page, 'docs/capture-loop.html', 'capture_loop', theme);
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
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  try {
    const panel = await examplePanel(page, 'docs/capture-loop.html', 'capture_loop');
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
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  try {
    const panel = await examplePanel(page, 'docs/execution-flow.html', 'execution_flow');
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
