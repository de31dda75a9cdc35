// Solving each kata in the page, as a learner does: run the starter, type the answer, make
// mistakes, reload. One browser page per kata, so its compiler worker stays loaded throughout.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  KATAS, SITE_URL, launchBrowser, openKataPage, repoFile, screenshot, squash,
} from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** Puts `code` at the start of the first line of real code that says co_return (a function body). */
function insertBeforeFirstCoReturn(source, code) {
  const lines = source.split('\n');
  const index = lines.findIndex((line) => /\bco_return\b/.test(line.replace(/\/\/.*$/, '')));
  assert.ok(index >= 0, 'the solution has a co_return');
  lines[index] = lines[index].replace(/\bco_return\b/, `${code} co_return`);
  return { text: lines.join('\n'), line: index + 1 };
}

for (const kata of KATAS) {
  describe(`the ${kata} kata in the page`, () => {
    const solution = repoFile(`solutions/${kata}/${kata}.hpp`);
    const starter = repoFile(`exercises/${kata}/${kata}.hpp`);
    let session;
    let widget;

    before(async () => { ({ session, widget } = await openKataPage(browser, kata)); });
    after(async () => {
      session.assertClean();
      await session.context.close();
    });

    test('the editor opens with the starter, and running it shows failing tests', async () => {
      assert.equal(await widget.code(), starter);
      const progress = widget.root.locator('[data-role="compiler-progress"]');
      await widget.button('run').click();
      // The first Run downloads the compiler, with a progress bar.
      await progress.waitFor({ state: 'visible', timeout: 10_000 });
      const summary = await widget.waitForRunEnd('learner');
      assert.match(summary, /^\d+ passed, [1-9]\d* failed$/, `the starter should fail some tests: "${summary}"`);
      assert.ok(await progress.isHidden(), 'the progress bar is gone once the compiler is loaded');
      const statuses = await widget.testStatuses();
      assert.ok(statuses.includes('failed'), 'failing tests are marked failed');
      const firstFailure = widget.root.locator('[data-test-status="failed"]').first();
      assert.ok((await firstFailure.locator('.acm-check, .acm-check--exception').count()) >= 1, 'a failed test says which check failed');
      await screenshot(session.page, `kata-${kata}-starter`, { element: widget.root });
    });

    test('typing the reference solution and pressing Ctrl+Enter turns every test green', async () => {
      await widget.type(solution);
      assert.equal(squash(await widget.code()), squash(solution), 'the editor holds what was typed');
      const summary = await widget.run({ with: 'keys' });
      const m = /^(\d+) passed, 0 failed$/.exec(summary);
      assert.ok(m, `the solution should pass every test: "${summary}"`);
      const statuses = await widget.testStatuses();
      assert.equal(statuses.length, Number(m[1]));
      assert.deepEqual(statuses.filter((s) => s !== 'passed'), []);
      assert.ok(await widget.root.locator('[data-role="solved"]').isVisible(), 'the kata is marked solved');
      await screenshot(session.page, `kata-${kata}-solved`, { element: widget.root });
    });

    test('a syntax error is marked on its line in the editor, with the full compiler log', async () => {
      const broken = insertBeforeFirstCoReturn(solution, 'int oops = ;');
      await widget.paste(broken.text);
      const summary = await widget.run();
      assert.equal(summary, 'compile error');
      assert.deepEqual(await widget.lintErrorLines(), [broken.line], 'one error marker, on the broken line');
      assert.ok(await widget.root.locator('.cm-lintRange-error').count() >= 1, 'the offending code is underlined');
      const listed = await widget.root.locator('[data-role="diagnostics"]').textContent();
      assert.match(listed, new RegExp(`${kata}\\.hpp:${broken.line}:\\d+ expected expression`), 'the error is spelled out under the summary');
      const log = widget.root.locator('[data-role="compile-log"]');
      assert.ok(await log.isVisible(), 'the full compiler log is offered');
      assert.match(await log.locator('pre').textContent(), new RegExp(`${kata}\\.hpp:${broken.line}:\\d+: error: expected expression`));
      await screenshot(session.page, `kata-${kata}-compile-error`, { element: widget.root });
    });

    test('an endless loop is stopped by the watchdog, and the page stays usable', async () => {
      const looping = insertBeforeFirstCoReturn(solution, 'for (volatile int spin = 0; spin == 0;) {}');
      await widget.paste(looping.text);
      const summary = await widget.run();
      assert.match(summary, /^stopped by the watchdog after \d+ s$/);
      assert.equal(await widget.code(), looping.text, 'the code is intact');
      assert.ok(await widget.button('run').isEnabled(), 'Run works again');
      assert.equal(await widget.lintErrorLines().then((l) => l.length), 0, 'no stale error markers');
    });

    test('reloading the page keeps the code', async () => {
      const before = await widget.code();
      // Autosave waits for a pause in typing; a Run saves at once, and one just happened.
      await widget.reload();
      assert.equal(await widget.code(), before);
    });

    test('the course index shows the kata as solved', async () => {
      await session.page.goto(new URL('docs/index.html', SITE_URL).href);
      const item = session.page.locator(`[data-role="progress"].acm-ready [data-kata="${kata}"]`);
      await item.waitFor();
      assert.equal(await item.getAttribute('data-solved'), 'true');
      await screenshot(session.page, `index-after-${kata}`, { element: session.page.locator('[data-role="progress"]') });
    });
  });
}
