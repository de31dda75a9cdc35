// wasm/src/compiler/pch-filter.js: the rearrangement of the PCH's tables for the download must
// undo exactly, whatever the bytes, and must make a table of growing offsets compress better.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';

import { applyFilters, undoFilters } from '../../wasm/src/compiler/pch-filter.js';

// A fixed-seed generator, so a failure can be reproduced.
function randomBytes(length, seed) {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

const FILTER_SETS = [
  [{ offset: 0, length: 4096, stride: 4 }],
  [{ offset: 3, length: 1001, stride: 8 }],                          // unaligned, ragged length
  [{ offset: 16, length: 4000, stride: 16, planes: 16 }],
  [{ offset: 5, length: 999, stride: 8, planes: 8 }],                // a tail shorter than a record
  [{ offset: 0, length: 2048, stride: 4 }, { offset: 2048, length: 2000, stride: 8, planes: 8 }],
  [{ offset: 100, length: 3000, stride: 4 }, { offset: 1000, length: 1500, stride: 16 }], // overlapping
];

test('applying then undoing the filters gives back the same bytes', () => {
  FILTER_SETS.forEach((filters, i) => {
    const original = randomBytes(4200, i + 1);
    const filtered = applyFilters(original.slice(), filters);
    assert.notDeepEqual(filtered, original, `filter set ${i} changes the bytes`);
    assert.deepEqual(undoFilters(filtered, filters), original, `filter set ${i} undoes exactly`);
  });
});

test('a table of growing 32-bit offsets compresses better filtered', () => {
  const count = 20000;
  const table = new Uint8Array(count * 4);
  const view = new DataView(table.buffer);
  let at = 0;
  const steps = randomBytes(count, 42);
  for (let i = 0; i < count; i++) {
    at += 16 + (steps[i] & 63); // declarations of varying size, one after another
    view.setUint32(i * 4, at, true);
  }
  const filters = [{ offset: 0, length: table.length, stride: 4 }];
  const filtered = applyFilters(table.slice(), filters);
  const size = (bytes) => zlib.brotliCompressSync(bytes).length;
  assert.ok(size(filtered) < size(table) * 0.8, `filtered ${size(filtered)} B vs raw ${size(table)} B`);
  assert.deepEqual(undoFilters(filtered, filters), table);
});
