// A minimal ustar reader/writer shared by the toolchain build (Node) and the compiler worker.
//
// Why our own: @yowasp/clang unpacks its resource tar with a reader that only understands plain
// ustar entries and expects directory names without a trailing slash, so the trimmed tar we serve
// in its place must be written exactly that way; the worker reads our kit tar with the same code
// so the format has one definition. No dependencies, no DOM, no Node APIs.

const BLOCK = 512;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function readString(bytes, offset, length) {
  const field = bytes.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return decoder.decode(end === -1 ? field : field.subarray(0, end));
}

function readOctal(bytes, offset, length) {
  const text = readString(bytes, offset, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

// Returns [{name, type: 'file'|'directory', data?: Uint8Array}] in archive order. Data are views
// into `buffer` (no copy), which is what lets a 15 MB sysroot unpack without doubling memory.
export function readTar(buffer) {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  const entries = [];
  let offset = 0;
  while (offset + BLOCK <= bytes.length) {
    const name = readString(bytes, offset, 100);
    if (name === '') break;
    const prefix = readString(bytes, offset + 345, 155);
    const size = readOctal(bytes, offset + 124, 12);
    const typeflag = String.fromCharCode(bytes[offset + 156] || 48);
    const fullName = (prefix ? `${prefix}/${name}` : name).replace(/\/+$/, '');
    const dataStart = offset + BLOCK;
    if (typeflag === '5') entries.push({ name: fullName, type: 'directory' });
    else if (typeflag === '0' || typeflag === '\0') {
      entries.push({ name: fullName, type: 'file', data: bytes.subarray(dataStart, dataStart + size) });
    }
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}

// Turns entries into the nested {name: Uint8Array | {…}} tree that runClang takes as `files`.
export function tarToTree(buffer) {
  const root = {};
  for (const entry of readTar(buffer)) {
    const parts = entry.name.split('/');
    const leaf = parts.pop();
    let dir = root;
    for (const part of parts) dir = dir[part] ??= {};
    if (entry.type === 'directory') dir[leaf] ??= {};
    else dir[leaf] = entry.data;
  }
  return root;
}

function writeOctal(header, offset, length, value) {
  const text = value.toString(8).padStart(length - 1, '0');
  header.set(encoder.encode(text), offset);
  header[offset + length - 1] = 0;
}

function splitName(name) {
  const encoded = encoder.encode(name);
  if (encoded.length <= 100) return ['', name];
  // ustar keeps long paths by cutting at a slash into prefix (≤155) + name (≤100).
  for (let cut = name.lastIndexOf('/'); cut > 0; cut = name.lastIndexOf('/', cut - 1)) {
    const prefix = name.slice(0, cut);
    const rest = name.slice(cut + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(rest).length <= 100) return [prefix, rest];
  }
  throw new Error(`path too long for ustar: ${name}`);
}

// entries: [{name, type, data?}]. Directory names are written without a trailing slash, and
// mtimes are 0 so the same inputs always give byte-identical archives (cache friendly).
export function writeTar(entries) {
  let total = 2 * BLOCK;
  for (const entry of entries) {
    total += BLOCK;
    if (entry.type !== 'directory') total += Math.ceil(entry.data.length / BLOCK) * BLOCK;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const entry of entries) {
    const header = out.subarray(offset, offset + BLOCK);
    const isDir = entry.type === 'directory';
    const [prefix, name] = splitName(entry.name.replace(/\/+$/, ''));
    header.set(encoder.encode(name), 0);
    writeOctal(header, 100, 8, isDir ? 0o755 : 0o644);
    writeOctal(header, 108, 8, 0);
    writeOctal(header, 116, 8, 0);
    writeOctal(header, 124, 12, isDir ? 0 : entry.data.length);
    writeOctal(header, 136, 12, 0);
    header[156] = isDir ? 53 : 48;
    header.set(encoder.encode('ustar\u000000'), 257);
    header.set(encoder.encode(prefix), 345);
    header.fill(32, 148, 156);
    let sum = 0;
    for (const byte of header) sum += byte;
    writeOctal(header, 148, 7, sum);
    header[155] = 32;
    offset += BLOCK;
    if (!isDir) {
      out.set(entry.data, offset);
      offset += Math.ceil(entry.data.length / BLOCK) * BLOCK;
    }
  }
  return out;
}
