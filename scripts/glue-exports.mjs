// The names wasm-bindgen's web-target glue exports (as it writes it, before minifying), minus its init functions;
// throws when the text is not such a glue. Read by scripts/stamp-package.mjs (the package's entry points) and
// scripts/bundle-glue.mjs (the script-tag build's global).
export function webGlueExports(src, file) {
  if (!/^export \{ initSync, __wbg_init as default \};?$/m.test(src)) throw new Error(`${file}: no init export`);
  return [...src.matchAll(/^export (?:class|function\*?|async function|const|let) (\w+)/gm)].map((m) => m[1]).sort();
}
