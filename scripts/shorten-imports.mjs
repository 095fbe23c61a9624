// Renames the wasm's imports that wasm-bindgen names `__wbg_<name>_<16 hex digits>` to short names (`__w0`,
// `__w1`, …), in the .wasm's import section and in its JS glue alike (issue 13: the hex hashes do not compress;
// they were ~4 KB gzip of wasm + glue). Exports, and so the API and its types, are untouched.
//   node scripts/shorten-imports.mjs WASM GLUE.js [GLUE.js…]
import { readFileSync, writeFileSync } from 'node:fs';

const [wasmPath, ...gluePaths] = process.argv.slice(2);
const HASHED = /^__wbg_\w+_[0-9a-f]{16}$/;

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
const out = [wasm.subarray(0, 8)];
const rename = new Map();
let at = 8;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, bodyAt] = uleb(wasm, at + 1);
  const end = bodyAt + size;
  if (id !== 2) {
    out.push(wasm.subarray(at, end));
    at = end;
    continue;
  }
  // The import section: count, then (module, name, kind, description) per import.
  let p = bodyAt;
  const [count, first] = uleb(wasm, p);
  p = first;
  const entries = [];
  for (let i = 0; i < count; i++) {
    const [mlen, m] = uleb(wasm, p);
    const module = wasm.subarray(p, m + mlen);
    p = m + mlen;
    const [nlen, n] = uleb(wasm, p);
    const name = text.decode(wasm.subarray(n, n + nlen));
    p = n + nlen;
    const descAt = p;
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
    entries.push({ module, name, desc: wasm.subarray(descAt, p) });
  }
  if (p !== end) throw new Error(`${wasmPath}: import section not read to its end`);
  const hashed = entries.map((e) => e.name).filter((n) => HASHED.test(n)).sort();
  hashed.forEach((n, i) => rename.set(n, `__w${i.toString(36)}`));
  const body = [...encodeUleb(count)];
  for (const e of entries) {
    const name = utf8.encode(rename.get(e.name) ?? e.name);
    body.push(...e.module, ...encodeUleb(name.length), ...name, ...e.desc);
  }
  out.push(Buffer.from([2, ...encodeUleb(body.length), ...body]));
  at = end;
}
writeFileSync(wasmPath, Buffer.concat(out));

for (const glue of gluePaths) {
  let js = readFileSync(glue, 'utf8');
  if (/\b__w[0-9a-z]+\b/.test(js)) throw new Error(`${glue}: already uses __w… names`);
  for (const [from, to] of rename) {
    const parts = js.split(from);
    if (parts.length < 2) throw new Error(`${glue}: no ${from}`);
    js = parts.join(to);
  }
  writeFileSync(glue, js);
}
console.log(`${wasmPath}: ${rename.size} imports renamed`);
