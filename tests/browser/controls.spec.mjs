// The kata widget's buttons that need no compiler: hints, Reset, Show solution, autosave.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KATAS, KataPage, launchBrowser, openContext, repoFile } from './harness.mjs';

const kata = KATAS[0];
let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

describe(`the ${kata} widget's controls`, () => {
  let session;
  let widget;
  before(async () => {
    session = await openContext(browser);
    widget = await new KataPage(session.page, kata).goto();
  });
  after(async () => {
    session.assertClean();
    await session.context.close();
  });

  /** Clicks `action`, answers the confirmation dialog with `accept`, returns its message. */
  async function clickAndAnswer(action, accept) {
    const dialog = session.page.waitForEvent('dialog');
    const click = widget.button(action).click();
    const d = await dialog;
    const message = d.message();
    await (accept ? d.accept() : d.dismiss());
    await click;
    return message;
  }

  test('hints open one at a time, gentlest first', async () => {
    const hintsFile = repoFile(`exercises/${kata}/hints.md`);
    const count = hintsFile.split('\n').filter((l) => l.startsWith('## ')).length;
    assert.ok(count >= 2, 'the kata has several hints');
    const shown = widget.root.locator('[data-role="hints"] > li');
    assert.equal(await shown.count(), 0, 'no hint is shown before asking');
    await widget.button('hint').click();
    assert.equal(await shown.count(), 1);
    assert.match(await widget.button('hint').textContent(), new RegExp(`\\(2 of ${count}\\)`));
    for (let i = 1; i < count; i++) await widget.button('hint').click();
    assert.equal(await shown.count(), count);
    assert.ok(await widget.button('hint').isDisabled(), 'no more hints to give');
  });

  test('typed code is saved in the browser and comes back after a reload', async () => {
    await widget.editorContent.click();
    await session.page.keyboard.press('Control+End');
    await session.page.keyboard.type('\n// my notes');
    const typed = await widget.code();
    assert.ok(typed.endsWith('// my notes'), JSON.stringify(typed.slice(-80)));
    await session.page.waitForTimeout(800); // autosave waits for a pause in typing
    await widget.reload();
    assert.equal(await widget.code(), typed);
  });

  test('Show solution asks first; declining keeps the code, accepting shows the reference solution', async () => {
    const mine = await widget.code();
    const question = await clickAndAnswer('solution', false);
    assert.match(question, /solution/i);
    assert.equal(await widget.code(), mine, 'declined: nothing changed');
    await clickAndAnswer('solution', true);
    assert.equal(await widget.code(), repoFile(`solutions/${kata}/${kata}.hpp`));
  });

  test('Reset asks first; accepting brings back the starter and forgets the saved code', async () => {
    const mine = await widget.code();
    const question = await clickAndAnswer('reset', false);
    assert.match(question, /starter/i);
    assert.equal(await widget.code(), mine, 'declined: nothing changed');
    await clickAndAnswer('reset', true);
    const starter = repoFile(`exercises/${kata}/${kata}.hpp`);
    assert.equal(await widget.code(), starter);
    await widget.reload();
    assert.equal(await widget.code(), starter, 'after a reset, a reload shows the starter');
  });
});
