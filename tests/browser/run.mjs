#!/usr/bin/env node
// Runs the browser end-to-end tests against an already built site:
//
//   node tests/browser/run.mjs [--site _build/html] [spec-name-filter...]
//
// It builds nothing (`make site` does): it serves the site with tools/serve.py on a free port,
// then runs every tests/browser/*.spec.mjs with node's test runner, one file at a time (each
// file drives its own headless Chromium; two at once would only fight over the two cores).
// The specs find the server in ACM_SITE_URL. Environment knobs, for a partial site:
//   ACM_KATAS="staller closer"   only these katas (default: every kata page the site has)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { serveSite } from '../../tools/serve-site.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

const args = process.argv.slice(2);
let site = path.join(repoRoot, '_build/html');
const filters = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--site') site = path.resolve(args[++i]);
  else if (args[i].startsWith('--site=')) site = path.resolve(args[i].slice(7));
  else filters.push(args[i]);
}

for (const required of ['docs/index.html', '_static/acm/course.js']) {
  if (!fs.existsSync(path.join(site, required))) {
    console.error(`browser tests: ${path.join(site, required)} is missing; build the site first (make site)`);
    process.exit(1);
  }
}

const specs = fs.readdirSync(here)
  .filter((f) => f.endsWith('.spec.mjs'))
  .filter((f) => filters.length === 0 || filters.some((needle) => f.includes(needle)))
  .sort()
  .map((f) => path.join(here, f));
if (specs.length === 0) {
  console.error(`browser tests: no spec matches ${filters.join(' ')}`);
  process.exit(1);
}

const { url: siteUrl, stop: stopServer } = await serveSite(site);
process.on('SIGINT', () => { stopServer(); process.exit(130); });
process.on('SIGTERM', () => { stopServer(); process.exit(143); });

console.log(`browser tests: ${specs.length} spec file(s) against ${siteUrl} (${path.relative(process.cwd(), site) || '.'})`);
const runner = spawn(process.execPath, ['--test', '--test-concurrency=1', ...specs], {
  env: { ...process.env, ACM_SITE_URL: siteUrl, ACM_SITE_DIR: site },
  stdio: 'inherit',
});
const code = await new Promise((resolve) => runner.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
stopServer();
process.exit(code);
