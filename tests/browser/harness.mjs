// Shared helpers for the browser end-to-end tests (tests/browser/*.spec.mjs), run by
// tests/browser/run.mjs, which serves the built site and sets ACM_SITE_URL.
//
// Everything here drives the page through what a learner uses (clicks, keys, typing) and reads
// it through the stable hooks of DESIGN.md: data-kata, data-action, data-role="summary",
// data-test-status, CodeMirror's lint classes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../..');

export const SITE_URL = process.env.ACM_SITE_URL;
if (!SITE_URL) throw new Error('ACM_SITE_URL is not set: run the browser tests with `node tests/browser/run.mjs`');
const SITE_ORIGIN = new URL(SITE_URL).origin;

const ALL_KATAS = ['staller', 'closer', 'spotlight', 'timeout'];
export const KATAS = process.env.ACM_KATAS ? process.env.ACM_KATAS.split(/[\s,;]+/).filter(Boolean) : ALL_KATAS;

// Screenshots land here (under the git-ignored _build/), for a person to look at.
export const SHOTS_DIR = path.join(REPO_ROOT, '_build/browser-shots');

// Generous, but bounded: a compile takes seconds; the first one also loads the compiler.
export const RUN_TIMEOUT_MS = 90_000;

// DESIGN.md's flags for Debian's Chromium; Playwright adds --headless and a fresh profile.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run',
];

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.ACM_CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/**
 * A fresh context (empty cache and storage) and a page in it. Requests that leave the site are
 * recorded in `offsite` (listened to, not intercepted: intercepting would switch off the HTTP
 * cache, whose reuse of the compiler is part of what is tested); uncaught page errors in `errors`.
 */
export async function openContext(browser, { viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  const offsite = [];
  const errors = [];
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== SITE_ORIGIN) offsite.push(url);
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  return {
    context, page, offsite, errors,
    /** What every test asks of a page it used: nothing fetched off the site, no script error. */
    assertClean() {
      assert.deepEqual(offsite, [], 'no request leaves the site');
      assert.deepEqual(errors, [], 'no script error on the page');
    },
  };
}

/** A fresh context on `kata`'s page, once its reference run has shown its results. */
export async function openKataPage(browser, kata) {
  const session = await openContext(browser);
  const widget = await new KataPage(session.page, kata).goto();
  await widget.waitForReference();
  return { session, widget };
}

/**
 * A browser with a fresh profile on disk, as a first-time visitor has: unlike openContext's
 * contexts, its HTTP cache is the real (disk) one, so a second visit can reuse the compiler.
 */
export async function openProfile({ viewport = { width: 1280, height: 900 } } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acm-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.ACM_CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    viewport,
  });
  const page = context.pages()[0] ?? await context.newPage();
  return {
    context,
    page,
    async close() {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const kataUrl = (kata) => new URL(`docs/katas/${kata}.html`, SITE_URL).href;

/** Repository files the tests type into the editor (the reference solution, the starter). */
export const repoFile = (rel) => fs.readFileSync(path.join(REPO_ROOT, rel), 'utf8');

export async function screenshot(page, name, { fullPage = false, element = null } = {}) {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  const file = path.join(SHOTS_DIR, `${name}.png`);
  if (element) await element.screenshot({ path: file });
  else await page.screenshot({ path: file, fullPage });
  return file;
}

/** One kata widget on its page. */
export class KataPage {
  constructor(page, kata) {
    this.page = page;
    this.kata = kata;
    this.root = page.locator(`section[data-kata="${kata}"]`);
    this.summary = this.root.locator('[data-role="summary"]');
    this.editorContent = this.root.locator('.acm-editor:not(.acm-editor--readonly) .cm-content');
  }

  async goto() {
    await this.page.goto(kataUrl(this.kata));
    await this.editorContent.waitFor();
    return this;
  }

  /** Reloads the page, as a learner coming back does; the locators stay good. */
  async reload() {
    await this.page.reload();
    await this.editorContent.waitFor();
    return this;
  }

  button(action) {
    return this.root.locator(`[data-action="${action}"]`);
  }

  /** Waits until the run on screen has finished and returns its summary line. */
  async waitForRunEnd(which, timeout = RUN_TIMEOUT_MS) {
    await this.page.waitForFunction(({ kata, which: w }) => {
      const section = document.querySelector(`section[data-kata="${kata}"]`);
      const summary = section?.querySelector('[data-role="summary"]');
      return section?.dataset.state === 'done' && summary?.dataset.run === w;
    }, { kata: this.kata, which }, { timeout, polling: 100 });
    return (await this.summary.textContent()).trim();
  }

  waitForReference(timeout = 30_000) {
    return this.waitForRunEnd('reference', timeout);
  }

  /** Presses Run (or Ctrl+Enter in the editor) and waits for the learner run to end. */
  async run({ with: how = 'button', timeout = RUN_TIMEOUT_MS } = {}) {
    if (how === 'keys') {
      await this.editorContent.click();
      await this.page.keyboard.press('Control+Enter');
    } else {
      await this.button('run').click();
    }
    // The click handler marks the widget busy synchronously, so "done" below is this run's end.
    await this.page.waitForFunction((kata) => {
      const state = document.querySelector(`section[data-kata="${kata}"]`)?.dataset.state;
      return state === 'compiling' || state === 'running' || state === 'done';
    }, this.kata, { timeout: 5000 });
    return this.waitForRunEnd('learner', timeout);
  }

  testStatuses() {
    return this.root.locator('[data-test-status]').evaluateAll((els) => els.map((el) => el.dataset.testStatus));
  }

  /** The editor's text, as the editor holds it (not only the lines drawn on screen). */
  code() {
    return this.root.evaluate((section) => section.acmWidget.code());
  }

  /** Empties the editor and types `text` key by key, as a learner would. */
  async type(text) {
    await this.selectAll();
    await this.page.keyboard.press('Delete');
    // The editor indents a new line itself (as any code editor does), so each line is typed
    // without its leading whitespace; otherwise the indentation would double up.
    const lines = text.replace(/\r/g, '').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].replace(/^\s+/, '');
      if (line) await this.page.keyboard.type(line);
      if (i < lines.length - 1) await this.page.keyboard.press('Enter');
    }
  }

  /** Replaces the editor's text in one go, as a paste would (for the long bad-input programs). */
  async paste(text) {
    await this.selectAll();
    await this.page.keyboard.insertText(text);
  }

  async selectAll() {
    await this.editorContent.click();
    await this.page.keyboard.press('Control+A');
  }

  /**
   * Line numbers that carry a lint error marker (CodeMirror's `.cm-lint-marker-error` in the lint
   * gutter), read off the line-number gutter element at the same height.
   */
  lintErrorLines() {
    return this.root.evaluate((section) => {
      const editor = section.querySelector('.acm-editor:not(.acm-editor--readonly)');
      const numbers = [...editor.querySelectorAll('.cm-lineNumbers .cm-gutterElement')];
      return [...editor.querySelectorAll('.cm-lint-marker-error')].map((marker) => {
        const top = marker.closest('.cm-gutterElement').getBoundingClientRect().top;
        const row = numbers.find((n) => Math.abs(n.getBoundingClientRect().top - top) < 2);
        return row ? Number(row.textContent) : null;
      });
    });
  }
}

/** Strips all whitespace: typed code differs from the file only in indentation. */
export const squash = (text) => text.replace(/\s+/g, '');
