// tools/serve.py: sends the precompressed copy the browser accepts, and lets it revalidate.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

import { serveSite } from '../../tools/serve-site.mjs';

let root;
let server;
let base;

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'acm-serve-'));
  const wasm = Buffer.alloc(4096, 7);
  fs.writeFileSync(path.join(root, 'index.html'), '<!DOCTYPE html><title>t</title>');
  fs.writeFileSync(path.join(root, 'core.wasm'), wasm);
  fs.writeFileSync(path.join(root, 'core.wasm.br'), zlib.brotliCompressSync(wasm));
  fs.writeFileSync(path.join(root, 'core.wasm.gz'), zlib.gzipSync(wasm));
  fs.writeFileSync(path.join(root, 'plain.txt'), 'no compressed copy');
  server = await serveSite(root);
  base = server.url;
});

after(() => {
  server?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

function get(file, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get(new URL(file, base), { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, httpVersion: res.httpVersion, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

test('a browser that accepts brotli gets the .br copy, labelled so it decodes it', async () => {
  const r = await get('core.wasm', { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-encoding'], 'br');
  assert.equal(r.headers['content-type'], 'application/wasm');
  assert.equal(r.headers.vary, 'Accept-Encoding');
  assert.deepEqual(zlib.brotliDecompressSync(r.body), fs.readFileSync(path.join(root, 'core.wasm')));
});

test('without brotli the gzip copy is sent, and without either the file itself', async () => {
  const gz = await get('core.wasm', { 'Accept-Encoding': 'gzip, br;q=0' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.deepEqual(zlib.gunzipSync(gz.body), fs.readFileSync(path.join(root, 'core.wasm')));
  const identity = await get('core.wasm');
  assert.equal(identity.headers['content-encoding'], undefined);
  assert.equal(identity.body.length, 4096);
  const plain = await get('plain.txt', { 'Accept-Encoding': 'br' });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body.toString(), 'no compressed copy');
});

test('a cached copy is revalidated with a 304 instead of downloaded again', async () => {
  const first = await get('core.wasm', { 'Accept-Encoding': 'br' });
  assert.equal(first.headers['cache-control'], 'no-cache');
  // Chromium keeps such a response only from an HTTP/1.1 server.
  assert.equal(first.httpVersion, '1.1');
  const again = await get('core.wasm', { 'Accept-Encoding': 'br', 'If-None-Match': first.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  const otherCoding = await get('core.wasm', { 'Accept-Encoding': 'gzip', 'If-None-Match': first.headers.etag });
  assert.equal(otherCoding.status, 200, 'a brotli validator does not vouch for the gzip copy');
});

test('a file asked for by its content hash (?v=) may be kept by the browser for good', async () => {
  const r = await get('core.wasm?v=0123456789abcdef', { 'Accept-Encoding': 'br' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-encoding'], 'br');
  assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
});
