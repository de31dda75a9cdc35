// Helpers for the replay panel's browser tests (tests/browser/sim-*.spec.mjs). They run under
// tests/browser/run.mjs, which serves the built site and sets ACM_SITE_URL, or on their own
// (`node --test tests/browser/sim-*.spec.mjs`), serving ACM_SITE (default _build/html) here.
import assert from 'node:assert/strict';
import http from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, resolve, normalize, sep } from 'node:path';
import { chromium } from 'playwright-core';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.tar': 'application/x-tar' };

/** Starts Chromium and, unless the harness already serves the site, a static server. */
export async function startSite() {
  let server = null;
  let url = process.env.ACM_SITE_URL;
  if (!url) {
    const root = resolve(process.env.ACM_SITE ?? '_build/html');
    assert.ok(existsSync(join(root, 'docs/index.html')), `no built site in ${root} (run make site, or set ACM_SITE)`);
    server = http.createServer((req, res) => {
      let file = join(root, normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)));
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!(file === root || file.startsWith(root + sep)) || !existsSync(file)) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${server.address().port}/`;
  }
  const browser = await chromium.launch({
    executablePath: process.env.ACM_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    browser,
    url: (path) => new URL(path, url).href,
    async stop() {
      await browser.close();
      server?.close();
    },
  };
}

/** A page whose furo theme is `theme` from the start (furo reads localStorage before drawing). */
export async function openPage(site, path, { theme = 'light', width = 1200 } = {}) {
  const page = await site.browser.newPage({ viewport: { width, height: 900 } });
  await page.addInitScript((t) => localStorage.setItem('theme', t), theme);
  await page.goto(site.url(path));
  return page;
}

/** Moves the playhead to `ms` (display time) with the scrubber, as a learner dragging it. */
export async function seek(panel, ms) {
  await panel.locator('[data-role="scrubber"]').evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, ms);
}

/** Mean luminance (0..255) of the middle third of an element's screenshot, decoded by the browser. */
export async function luminance(page, locator) {
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
