#!/usr/bin/env node
// Makes Debian's furo theme self-contained in a built site:
//
//   node wasm/theme-fixups.mjs <html-dir>
//
// Why: Debian ships furo's sources, not its release bundle. `scripts/furo.js` is an ES module
// (`import Gumshoe from "./gumshoe-patched.js"`) that Sphinx loads as a classic script, so it
// throws and the theme's light/dark switch and table-of-contents tracking do nothing; and
// `styles/furo.css` imports normalize.css from `/javascript/...`, a path only Debian's web server
// configuration serves. esbuild bundles both in place, as furo's own release build would.
// Running it twice is harmless.
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const html = process.argv[2];
if (!html) {
  console.error('usage: node wasm/theme-fixups.mjs <html-dir>');
  process.exit(2);
}
const staticDir = path.resolve(html, '_static');
const script = path.join(staticDir, 'scripts/furo.js');
const styles = path.join(staticDir, 'styles/furo.css');
if (!fs.existsSync(script) || !fs.existsSync(styles)) {
  console.log('theme-fixups: no furo scripts/styles in this site; nothing to do');
  process.exit(0);
}

// Debian's web-server alias: /javascript/<lib>/... is /usr/share/javascript/<lib>/...
const debianJavascript = {
  name: 'debian-javascript',
  setup(b) {
    b.onResolve({ filter: /^\/javascript\// }, (args) => {
      const file = path.join('/usr/share', args.path);
      if (!fs.existsSync(file)) return { errors: [{ text: `${args.path}: ${file} is missing (Debian package node-normalize.css)` }] };
      return { path: fs.realpathSync(file) };
    });
  },
};

// Bundled from a copy outside the repository: the repository's package.json says "type":
// "module", which would make esbuild read gumshoe's UMD wrapper as an ES module.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'acm-furo-'));
try {
  for (const f of fs.readdirSync(path.dirname(script)).filter((f) => f.endsWith('.js'))) {
    fs.copyFileSync(path.join(path.dirname(script), f), path.join(scratch, f));
  }
  await build({
    entryPoints: [path.join(scratch, 'furo.js')],
    outfile: script,
    allowOverwrite: true,
    bundle: true,
    format: 'iife',
    minify: true,
    target: ['es2020'],
    logLevel: 'warning',
  });
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
await build({
  entryPoints: [styles],
  outfile: styles,
  allowOverwrite: true,
  bundle: true,
  minify: true,
  plugins: [debianJavascript],
  logLevel: 'warning',
});
console.log('theme-fixups: furo.js and furo.css bundled');
