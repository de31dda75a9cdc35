// The compiler is downloaded once: a later visit takes it from the browser's cache (the server
// only confirms it is unchanged), and reading a page never downloads it at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KATAS, KataPage, openProfile } from './harness.mjs';

const kata = KATAS[0];

/** Body bytes the server sent for the compiler's files while `fn` ran (0 for a 304). */
async function compilerBytesDuring(context, fn) {
  let bytes = 0;
  let requests = 0;
  const onFinished = async (request) => {
    if (!new URL(request.url()).pathname.includes('/toolchain/')) return;
    requests += 1;
    const sizes = await request.sizes().catch(() => null);
    if (sizes) bytes += sizes.responseBodySize;
  };
  context.on('requestfinished', onFinished);
  try {
    await fn();
  } finally {
    context.off('requestfinished', onFinished);
  }
  return { bytes, requests };
}

test('a second visit runs code with the compiler from the browser cache', async () => {
  const profile = await openProfile();
  try {
    const widget = new KataPage(profile.page, kata);
    const first = await compilerBytesDuring(profile.context, async () => {
      await widget.goto();
      await widget.run();
    });
    assert.ok(first.bytes > 5e6, `the first Run downloads the compiler (${first.bytes} bytes)`);

    const second = await compilerBytesDuring(profile.context, async () => {
      await widget.reload();
      const summary = await widget.run();
      assert.match(summary, /^\d+ passed, \d+ failed$/);
    });
    assert.ok(second.requests >= 1, 'the compiler was asked for');
    assert.ok(second.bytes < 100e3, `the second visit downloads (almost) nothing: ${second.bytes} bytes`);
  } finally {
    await profile.close();
  }
});
