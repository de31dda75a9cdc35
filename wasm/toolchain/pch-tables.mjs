// Finds the big tables in a clang precompiled header and picks, for each, the filter from
// wasm/src/compiler/pch-filter.js that makes it compress best (see that file for why).
//
// A PCH is an LLVM bitstream ("CPCH" magic, then blocks of records). Its tables are stored as
// blobs: byte strings inside records, aligned to 32 bits. Reading the stream only as far as
// needed to find the blobs takes the format's generic rules (abbreviations, VBR numbers, blocks
// with their length up front), not clang's record layouts, so a newer clang can change what its
// tables hold without breaking this; the worst it can do is pick filters that gain less.
import zlib from 'node:zlib';

import { applyFilters } from '../src/compiler/pch-filter.js';

class BitReader {
  constructor(bytes, bit) {
    this.bytes = bytes;
    this.bit = bit;
  }

  fixed(width) {
    let value = 0;
    let shift = 0;
    while (width > 0) {
      const offset = this.bit & 7;
      const take = Math.min(8 - offset, width);
      const bits = (this.bytes[this.bit >>> 3] >>> offset) & ((1 << take) - 1);
      value += bits * 2 ** shift;
      shift += take;
      width -= take;
      this.bit += take;
    }
    return value;
  }

  vbr(width) {
    const more = 2 ** (width - 1);
    let value = 0;
    let shift = 0;
    for (;;) {
      const piece = this.fixed(width);
      value += (piece % more) * 2 ** shift;
      if (piece < more) return value;
      shift += width - 1;
    }
  }

  align32() {
    this.bit = Math.ceil(this.bit / 32) * 32;
  }
}

// Abbreviation operand encodings, as LLVM's bitstream defines them.
const FIXED = 1;
const VBR = 2;
const ARRAY = 3;
const CHAR6 = 4;
const BLOB = 5;

function readAbbreviation(reader) {
  const operands = [];
  for (let count = reader.vbr(5); count > 0; count--) {
    if (reader.fixed(1)) {
      operands.push({ literal: reader.vbr(8) });
      continue;
    }
    const encoding = reader.fixed(3);
    operands.push(encoding === FIXED || encoding === VBR ? { encoding, width: reader.vbr(5) } : { encoding });
  }
  return operands;
}

function readScalar(reader, operand) {
  if (operand.literal !== undefined) return operand.literal;
  if (operand.encoding === FIXED) return reader.fixed(operand.width);
  if (operand.encoding === VBR) return reader.vbr(operand.width);
  if (operand.encoding === CHAR6) return reader.fixed(6);
  throw new Error(`PCH: unexpected operand encoding ${operand.encoding}`);
}

/** Every blob in the PCH as { offset, length } in bytes. */
export function findBlobs(bytes) {
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== 'CPCH') throw new Error('not a clang PCH (no CPCH magic)');
  const blobs = [];
  const shared = new Map(); // block id -> abbreviations from the BLOCKINFO block

  function walk(reader, blockId, width, endBit) {
    const abbreviations = [...(shared.get(blockId) ?? [])];
    let describedBlock = null; // BLOCKINFO's SETBID
    while (reader.bit < endBit) {
      const id = reader.fixed(width);
      if (id === 0) { // END_BLOCK
        reader.align32();
        return;
      }
      if (id === 1) { // ENTER_SUBBLOCK
        const child = reader.vbr(8);
        const childWidth = reader.vbr(4);
        reader.align32();
        const lengthInWords = reader.fixed(32);
        const end = reader.bit + lengthInWords * 32;
        walk(reader, child, childWidth, end);
        reader.bit = end;
        continue;
      }
      if (id === 2) { // DEFINE_ABBREV
        const abbreviation = readAbbreviation(reader);
        if (blockId === 0) {
          if (!shared.has(describedBlock)) shared.set(describedBlock, []);
          shared.get(describedBlock).push(abbreviation);
        } else abbreviations.push(abbreviation);
        continue;
      }
      if (id === 3) { // UNABBREV_RECORD
        const code = reader.vbr(6);
        const operands = [];
        for (let count = reader.vbr(6); count > 0; count--) operands.push(reader.vbr(6));
        if (blockId === 0 && code === 1) describedBlock = operands[0];
        continue;
      }
      const abbreviation = abbreviations[id - 4];
      if (!abbreviation) throw new Error(`PCH: undefined abbreviation ${id} in block ${blockId}`);
      for (let i = 0; i < abbreviation.length; i++) {
        const operand = abbreviation[i];
        if (operand.encoding === ARRAY) {
          const element = abbreviation[++i];
          for (let count = reader.vbr(6); count > 0; count--) readScalar(reader, element);
        } else if (operand.encoding === BLOB) {
          const length = reader.vbr(6);
          reader.align32();
          blobs.push({ offset: reader.bit / 8, length });
          reader.bit += length * 8;
          reader.align32();
        } else {
          readScalar(reader, operand);
        }
      }
    }
  }

  walk(new BitReader(bytes, 32), -1, 2, bytes.length * 8);
  return blobs;
}

// The layouts worth trying: 32-bit offsets, 64-bit offsets, and 16-byte records of them.
const CANDIDATES = [
  { stride: 4 }, { stride: 8 }, { stride: 16 }, { stride: 8, planes: 8 }, { stride: 16, planes: 16 },
];
const MIN_TABLE_BYTES = 32 * 1024;

const compressedSize = (bytes) => zlib.brotliCompressSync(bytes, {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_LGWIN]: 24 },
}).length;

/** Picks a filter for each big table that it makes at least 5 % smaller compressed. */
export function chooseFilters(pch) {
  const filters = [];
  for (const { offset, length } of findBlobs(pch)) {
    if (length < MIN_TABLE_BYTES) continue;
    const table = pch.slice(offset, offset + length);
    let best = null;
    let bestSize = compressedSize(table) * 0.95;
    for (const candidate of CANDIDATES) {
      const filter = { offset: 0, length, ...candidate };
      const size = compressedSize(applyFilters(table.slice(), [filter]));
      if (size < bestSize) {
        best = { ...filter, offset };
        bestSize = size;
      }
    }
    if (best) filters.push(best);
  }
  return filters;
}
