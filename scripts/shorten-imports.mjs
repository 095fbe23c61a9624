// Renames the wasm's imports that wasm-bindgen names `__wbg_<name>_<16 hex digits>` to short names (`__w0`,
// `__w1`, …), in the .wasm's import section and in its JS glue alike (issue 13: the hex hashes do not compress;
// they were ~4 KB gzip of wasm + glue). Likewise the internal exports the glue calls closures through,
// `wasm_bindgen__convert__closures_____invoke__h<16 hex digits>`, become `__i0`, `__i1`, … in the wasm, the glue and
// the given type files (`--types`: the `_bg.wasm.d.ts` and the web build's `InitOutput`). The API's exports and
// types are untouched.
//   node scripts/shorten-imports.mjs WASM GLUE.js [GLUE.js…] [--types FILE.d.ts…]
import { readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const typesAt = args.indexOf('--types');
const [wasmPath, ...gluePaths] = typesAt < 0 ? args : args.slice(0, typesAt);
const typePaths = typesAt < 0 ? [] : args.slice(typesAt + 1);
const HASHED = /^__wbg_\w+_[0-9a-f]{16}$/;
const HASHED_EXPORT = /^wasm_bindgen__convert__closures_+invoke__h[0-9a-f]{16}$/;

function uleb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}
function encodeUleb(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}
const text = new TextDecoder('utf-8', { fatal: true });
const utf8 = new TextEncoder();

const wasm = readFileSync(wasmPath);
if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error(`${wasmPath}: not a wasm module`);

/** A name (length, UTF-8 bytes) at `p`: [name, the offset after it]. */
function readName(p) {
  const [len, at] = uleb(wasm, p);
  return [text.decode(wasm.subarray(at, at + len)), at + len];
}

/** One import: module name (kept as bytes), name, then its kind and description. */
function readImport(p) {
  const [mlen, m] = uleb(wasm, p);
  const head = wasm.subarray(p, m + mlen);
  const [name, descAt] = readName(m + mlen);
  p = descAt;
  const kind = wasm[p++];
  if (kind === 0) p = uleb(wasm, p)[1]; // function: type index
  else if (kind === 1 || kind === 2) { // table (reftype, limits) or memory (limits)
    if (kind === 1) p++;
    const flags = wasm[p++];
    p = uleb(wasm, p)[1];
    if (flags & 1) p = uleb(wasm, p)[1];
  } else if (kind === 3) p += 2; // global: valtype, mutability
  else if (kind === 4) p = uleb(wasm, p + 1)[1]; // tag: attribute, type index
  else throw new Error(`${wasmPath}: unknown import kind ${kind}`);
  return { head, name, desc: wasm.subarray(descAt, p), next: p };
}

/** One export: name, then its kind and index. */
function readExport(p) {
  const [name, descAt] = readName(p);
  const next = uleb(wasm, descAt + 1)[1];
  return { head: [], name, desc: wasm.subarray(descAt, next), next };
}

/** The section `id` (body from `bodyAt` to `end`) rewritten with the names matching `pattern` renamed
 *  `<short>0`, `<short>1`, … (in name order); the renames are added to `names`. */
function renameSection(id, bodyAt, end, readEntry, pattern, short, names) {
  let [count, p] = uleb(wasm, bodyAt);
  const entries = [];
  for (let i = 0; i < count; i++) {
    const e = readEntry(p);
    entries.push(e);
    p = e.next;
  }
  if (p !== end) throw new Error(`${wasmPath}: section ${id} not read to its end`);
  const hashed = entries.map((e) => e.name).filter((n) => pattern.test(n)).sort();
  hashed.forEach((n, i) => names.set(n, `${short}${i.toString(36)}`));
  const body = [...encodeUleb(count)];
  for (const e of entries) {
    const name = utf8.encode(names.get(e.name) ?? e.name);
    body.push(...e.head, ...encodeUleb(name.length), ...name, ...e.desc);
  }
  return Buffer.from([id, ...encodeUleb(body.length), ...body]);
}

const out = [wasm.subarray(0, 8)];
const rename = new Map();
const renameExports = new Map();
let at = 8;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, bodyAt] = uleb(wasm, at + 1);
  const end = bodyAt + size;
  if (id === 2) out.push(renameSection(id, bodyAt, end, readImport, HASHED, '__w', rename));
  else if (id === 7) out.push(renameSection(id, bodyAt, end, readExport, HASHED_EXPORT, '__i', renameExports));
  else out.push(wasm.subarray(at, end));
  at = end;
}
writeFileSync(wasmPath, Buffer.concat(out));

/** Every name in `names` renamed in `path`; each must be there (a glue that does not use one is not this wasm's). */
function renameIn(path, names) {
  let js = readFileSync(path, 'utf8');
  for (const [from, to] of names) {
    const parts = js.split(from);
    if (parts.length < 2) throw new Error(`${path}: no ${from}`);
    js = parts.join(to);
  }
  writeFileSync(path, js);
}
for (const glue of gluePaths) {
  if (/\b__[wi][0-9a-z]+\b/.test(readFileSync(glue, 'utf8'))) throw new Error(`${glue}: already uses __w…/__i… names`);
  renameIn(glue, new Map([...rename, ...renameExports]));
}
for (const types of typePaths) renameIn(types, renameExports);
console.log(`${wasmPath}: ${rename.size} imports and ${renameExports.size} closure exports renamed`);
