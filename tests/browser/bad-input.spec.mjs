// Every way a learner's code can go wrong ends in a clear message within seconds, with the page
// still usable and the code still in the editor. Each case is a Staller whose aenter() misbehaves.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openKataPage, screenshot } from './harness.mjs';

const kata = 'staller';

/** A Staller with `top` before the class and `inside` at the start of aenter(). */
function staller({ top = '', inside = '' }) {
  return `#pragma once
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <vector>

#include <acm/acm.hpp>
${top}
class Staller {
public:
    explicit Staller(acm::Duration amount) : amount_(amount) {}

    acm::Task<Staller&> aenter() {
        ${inside}
        co_await acm::sleep_for(amount_);
        co_return *this;
    }

    acm::Task<bool> aexit(std::exception_ptr) { co_return false; }

private:
    acm::Duration amount_;
};
`;
}

// How long the learner waits for the message once the program starts (compiling comes first).
const MESSAGE_WITHIN_S = 10;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

describe('bad input in the Staller kata', () => {
  let session;
  let widget;
  before(async () => { ({ session, widget } = await openKataPage(browser, kata)); });
  after(async () => {
    session.assertClean();
    await session.context.close();
  });

  /** Pastes `code`, runs it, checks the page is usable afterwards; returns the summary. */
  async function runBad(name, code) {
    await widget.paste(code);
    const summary = await widget.run();
    assert.equal(await widget.code(), code, 'the code is intact');
    assert.ok(await widget.button('run').isEnabled(), 'Run works again');
    const timing = await widget.root.locator('.acm-timing').textContent();
    const ran = /ran in ([\d.]+) s/.exec(timing);
    if (ran) assert.ok(Number(ran[1]) <= MESSAGE_WITHIN_S, `the message came ${ran[1]} s after the program started`);
    await screenshot(session.page, `bad-input-${name}`, { element: widget.root });
    return summary;
  }

  /** The texts of the failed tests' details (failed checks, exceptions). */
  const failureDetails = () => widget.root.locator('[data-test-status="failed"] .acm-test__details').allTextContents();

  test('a call to a function that is declared but never defined is a link error, marked where it is named', async () => {
    const code = staller({ top: 'void settle_down();  // declared, never defined', inside: 'settle_down();' });
    assert.equal(await runBad('link-error', code), 'link error');
    const declared = code.split('\n').findIndex((l) => l.startsWith('void settle_down')) + 1;
    assert.deepEqual(await widget.lintErrorLines(), [declared]);
    const log = await widget.root.locator('[data-role="compile-log"] pre').textContent();
    assert.match(log, /undefined symbol: settle_down\(\)/);
  });

  test('a deadlock (awaiting something nobody will ever finish) fails the tests with the deadlock guard\'s message', async () => {
    const summary = await runBad('deadlock', staller({ inside: 'co_await std::suspend_always{};' }));
    assert.match(summary, /^0 passed, [1-9]\d* failed$/);
    assert.match((await failureDetails()).join('\n'), /deadlock/i);
  });

  test('a loop that never ends in virtual time is stopped by the time limit', async () => {
    const summary = await runBad('virtual-time-runaway', staller({ inside: 'for (;;) co_await acm::sleep_for(std::chrono::seconds(1));' }));
    // (The test that cancels the block during its stall still passes: the cancellation ends the loop.)
    assert.match(summary, /^\d+ passed, [1-9]\d* failed$/);
    assert.match((await failureDetails()).join('\n'), /time limit/i);
  });

  test('endless recursion is reported as a stack overflow', async () => {
    const top = 'inline int dive(int depth) { volatile char frame[512]; frame[0] = char(depth); return dive(depth + 1) + frame[0]; }';
    const summary = await runBad('stack-overflow', staller({ top, inside: 'dive(0);' }));
    assert.equal(summary, 'crashed: stack overflow (endless recursion?)');
  });

  test('asking for more memory than a program in the page may have fails the test with std::bad_alloc, explained', async () => {
    // 4 GB of ints: more than a program in the page may have.
    const summary = await runBad('huge-allocation', staller({ inside: 'std::vector<int> huge(1000000000); huge[0] = 1;' }));
    assert.match(summary, /^0 passed, [1-9]\d* failed$/);
    const details = (await failureDetails()).join('\n');
    assert.match(details, /bad_alloc/);
    assert.match(details, /Out of memory/);
  });

  test('a flood of output is cut off, and the tests still finish', async () => {
    const flood = 'for (int i = 0; i < 100000; ++i) std::printf("line %d of far too much output\\n", i);';
    const summary = await runBad('huge-output', staller({ inside: flood }));
    assert.match(summary, /^\d+ passed, 0 failed$/);
    const output = widget.root.locator('[data-role="output"]');
    const shown = await output.textContent();
    assert.ok(shown.startsWith('line 0 of far too much output\n'));
    assert.ok(shown.length <= 64 * 1024, `at most 64 KiB of output is shown (${shown.length} characters)`);
    assert.match(await widget.root.locator('.acm-console__note').textContent(), /stdout was cut off after 64 KiB/);
  });

  test('abort() ends the run with "crashed"', async () => {
    assert.equal(await runBad('abort', staller({ inside: 'std::abort();' })),
      'crashed: the program aborted (abort() was called, or a function ended without returning its value)');
  });

  test('std::terminate() ends the run with "crashed"', async () => {
    assert.equal(await runBad('terminate', staller({ inside: 'std::terminate();' })), 'crashed: std::terminate() was called');
  });

  test('an exception thrown through noexcept ends the run in std::terminate()', async () => {
    const inside = '[]() noexcept { throw std::runtime_error("thrown through noexcept"); }();';
    assert.match(await runBad('noexcept-throw', staller({ inside })), /^crashed: std::terminate\(\) /);
    assert.match(await widget.root.locator('[data-role="output"]').textContent(), /libc\+\+abi: terminating/, 'the program output shows its last words');
  });

  test('an exception escaping a test fails that test and shows the exception', async () => {
    const summary = await runBad('exception', staller({ inside: 'throw std::runtime_error("the stall jammed");' }));
    assert.match(summary, /^0 passed, [1-9]\d* failed$/);
    const details = await failureDetails();
    assert.ok(details.length >= 1 && details.every((d) => d.includes('the stall jammed')), 'every failed test shows the exception');
  });

  test('exit() from the learner\'s code ends the run before the tests finish', async () => {
    assert.equal(await runBad('exit', staller({ inside: 'std::exit(3);' })), 'crashed: the program called exit(3) before the tests finished');
  });

  test('code that awaits acm::gather compiles and passes (its coroutine once crashed the page\'s compiler)', async () => {
    const top = 'inline acm::Task<void> nap(acm::Duration d) { co_await acm::sleep_for(d); }';
    const inside = 'co_await acm::gather(nap(acm::Duration{}), nap(acm::Duration{}));  // adds no time to the stall';
    assert.match(await runBad('gather', staller({ top, inside })), /^[1-9]\d* passed, 0 failed$/);
  });

  test('the program\'s output is shown as text, never as HTML', async () => {
    const inside = 'std::printf("<b>bold?</b><img src=x onerror=\\"document.title=\'pwned\'\\">\\n");';
    const title = await session.page.title();
    await runBad('html-output', staller({ inside }));
    const output = widget.root.locator('[data-role="output"]');
    assert.match(await output.textContent(), /^<b>bold\?<\/b><img src=x onerror="document.title='pwned'">\n/);
    assert.equal(await output.locator('b, img').count(), 0, 'no element was made from the output');
    assert.equal(await session.page.title(), title);
  });
});
