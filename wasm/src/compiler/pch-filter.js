// Reversible rearrangements of tables inside the precompiled header, so it compresses better on
// the way to the page. Used by the toolchain build (which applies them before kit.tar is
// compressed) and by the compiler (which undoes them, in place, before clang reads the PCH).
//
// Why: a clang PCH keeps big tables of 32- and 64-bit offsets (where each declaration, type and
// source location entry starts). They grow steadily, so as raw bytes they look like noise to
// brotli; as differences between neighbours they are mostly small repeated numbers. Measured on
// the kata PCH: its source-location table shrinks from 0.4 MB to 10 KB compressed, and the
// declaration and type tables by about a third.
//
// A filter is { offset, length, stride, planes }: within bytes [offset, offset + length),
//   1. every little-endian 32-bit word from `stride` bytes on has the word `stride` bytes
//      earlier subtracted from it (modulo 2^32), last word first;
//   2. if `planes` is set, the bytes are regrouped by their position within each `planes`-byte
//      record (all first bytes, then all second bytes...); a tail shorter than a record stays.
// Undoing applies the inverse steps in the opposite order. Both are exact for any bytes, so
// a filter chosen from a wrong guess about a table's layout costs compression, never correctness.
// No dependencies, no DOM, no Node APIs.

function words(bytes, filter) {
  const end = filter.offset + (filter.length & ~3);
  return { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), end };
}

function regroup(bytes, { offset, length, planes }, undo) {
  const records = Math.floor(length / planes);
  const span = records * planes;
  const copy = bytes.slice(offset, offset + span);
  for (let r = 0; r < records; r++) {
    for (let b = 0; b < planes; b++) {
      if (undo) bytes[offset + r * planes + b] = copy[b * records + r];
      else bytes[offset + b * records + r] = copy[r * planes + b];
    }
  }
}

/** Applies `filters` to `bytes` in place (the toolchain build does this before compressing). */
export function applyFilters(bytes, filters) {
  for (const filter of filters) {
    const { view, end } = words(bytes, filter);
    for (let at = end - 4; at >= filter.offset + filter.stride; at -= 4) {
      view.setUint32(at, (view.getUint32(at, true) - view.getUint32(at - filter.stride, true)) >>> 0, true);
    }
    if (filter.planes) regroup(bytes, filter, false);
  }
  return bytes;
}

/** Undoes applyFilters in place. */
export function undoFilters(bytes, filters) {
  for (const filter of [...filters].reverse()) {
    if (filter.planes) regroup(bytes, filter, true);
    const { view, end } = words(bytes, filter);
    for (let at = filter.offset + filter.stride; at < end; at += 4) {
      view.setUint32(at, (view.getUint32(at, true) + view.getUint32(at - filter.stride, true)) >>> 0, true);
    }
  }
  return bytes;
}
