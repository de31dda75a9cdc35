// Reading a kata page costs nothing: the page runs the prebuilt reference solution on load and
// shows its doctest results, without downloading the compiler.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { KATAS, KataPage, SITE_URL, launchBrowser, openContext, repoFile, screenshot } from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

for (const kata of KATAS) {
  test(`the ${kata} page runs the reference solution on load and every test passes`, async () => {
    const session = await openContext(browser);
    const { context, page } = session;
    const requested = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    try {
      const widget = await new KataPage(page, kata).goto();
      const summary = await widget.waitForReference();
      const m = /^(\d+) passed, 0 failed$/.exec(summary);
      assert.ok(m, `the reference run should pass every test, the summary says "${summary}"`);
      const statuses = await widget.testStatuses();
      assert.ok(statuses.length >= 1, 'the results list shows the tests');
      assert.equal(statuses.length, Number(m[1]), 'one result per test');
      assert.deepEqual(statuses.filter((s) => s !== 'passed'), [], 'every test result is marked passed');
      assert.equal(await widget.root.locator('[data-role="run-label"]').textContent(), 'Reference run');
      await screenshot(page, `reference-${kata}`, { fullPage: true });

      assert.deepEqual(requested.filter((p) => p.includes('/toolchain/')), [], 'reading the page downloads no compiler');
      session.assertClean();
    } finally {
      await context.close();
    }
  });
}

test('the course index lists every kata, none solved in a fresh browser', async () => {
  const session = await openContext(browser);
  const { context, page } = session;
  try {
    await page.goto(new URL('docs/index.html', SITE_URL).href);
    const progress = page.locator('[data-role="progress"].acm-ready');
    await progress.waitFor();
    const items = progress.locator('[data-kata]');
    assert.deepEqual(await items.evaluateAll((els) => els.map((el) => el.dataset.kata)), ['staller', 'closer', 'spotlight', 'timeout']);
    assert.deepEqual(await items.evaluateAll((els) => els.map((el) => el.dataset.solved)), ['false', 'false', 'false', 'false']);
    assert.equal(await progress.locator('[data-role="solved-count"]').textContent(), '0 of 4 katas solved');
    session.assertClean();
  } finally {
    await context.close();
  }
});

test('an example on a page runs in the browser and prints what the page says it prints', async () => {
  const session = await openContext(browser);
  const { context, page } = session;
  try {
    await page.goto(new URL('docs/first-manager.html', SITE_URL).href);
    const example = page.locator('[data-example="minimal_manager"].acm-ready');
    await example.waitFor();
    await example.locator('[data-action="run"]').click();
    await page.waitForFunction(() => document.querySelector('[data-example="minimal_manager"]')?.dataset.state === 'done', null, { timeout: 30_000 });
    assert.equal(await example.locator('[data-role="summary"]').textContent(), 'finished (exit code 0)');
    assert.equal(await example.locator('[data-role="output"]').textContent(), repoFile('examples/minimal_manager.out'));
    await screenshot(page, 'example-minimal_manager', { element: example });
    session.assertClean();
  } finally {
    await context.close();
  }
});

test('the site root leads to the course', async () => {
  const { context, page } = await openContext(browser);
  try {
    await page.goto(SITE_URL);
    await page.waitForURL(/\/docs\/index\.html$/);
    assert.match(await page.title(), /Async Context Managers in C\+\+20/);
  } finally {
    await context.close();
  }
});
