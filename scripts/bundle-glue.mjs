// Makes the glue a page loads one minified file (issue 13): wasm-bindgen's glue imports the module's JS snippet
// (src/web/host.js, written to <dir>/snippets/), which a page would fetch as a second request; rolldown inlines
// it and minifies. Names the glue exports stay; the wasm's URL stays a plain string literal in
// `new URL('…', import.meta.url)`, the form bundlers recognise to emit the .wasm as an asset.
//   node scripts/bundle-glue.mjs esm GLUE                 an ES module glue, in place (pkg/web, pkg/card, pkg/setoken)
//   node scripts/bundle-glue.mjs script WEB_GLUE OUT NAME  the script-tag build from the web glue: one classic
//        script defining the global NAME, as wasm-bindgen's no-modules target does (which cannot load snippets):
//        NAME(...) initialises, NAME.Checkout … and NAME.initSync are the exports, and by default the .wasm is the
//        script's URL with `.js` turned into `_bg.wasm` (`document.currentScript`, read when the script runs).
//   node scripts/bundle-glue.mjs cjs SNIPPET              a snippet in place as CommonJS, for the Node build's
//        require() (pkg/node/snippets: wasm-bindgen copies it as the ES module it is)
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rolldown } from 'rolldown';
import { webGlueExports } from './glue-exports.mjs';

const [mode, file, out, name] = process.argv.slice(2);

async function bundle(input, options = {}) {
  const b = await rolldown({ input, logLevel: 'warn', ...options.input });
  const { output: chunks } = await b.generate({ minify: true, ...options.output });
  await b.close();
  if (chunks.length !== 1) throw new Error(`${input}: ${chunks.length} chunks, expected one`);
  return chunks[0].code.replace(/new URL\(`([^`$\\]*)`,/g, 'new URL("$1",');
}

const VALUE_KINDS = ['class', 'function', 'const', 'enum'];

/** The names the .d.ts next to `glue` exports, of the given declaration kinds. */
function dtsExports(glue, kinds) {
  const dts = readFileSync(glue.replace(/\.js$/, '.d.ts'), 'utf8');
  const pattern = new RegExp(`^export (?:declare )?(?:${kinds.join('|')}) (\\w+)`, 'gm');
  return [...dts.matchAll(pattern)].map((m) => m[1]);
}

/** The script-tag build's types: the global `name`, the web build's init function and a namespace of its API. */
function globalTypes(webGlue, name) {
  const types = dtsExports(webGlue, [...VALUE_KINDS, 'type', 'interface']);
  const web = `./${webGlue.split('/').slice(-2).join('/')}`;
  return `// The script-tag build's global (scripts/bundle-glue.mjs): the web build's init function, with its API as
// properties. Reference this file (\`/// <reference path=".../script/gateway_checkout.d.ts" />\`) in a page's TypeScript.
import * as Web from '.${web}';
declare global {
  /** Fetches and instantiates the .wasm (next to this script unless given); resolves when the API is ready. */
  function ${name}(...args: Parameters<typeof Web.default>): ReturnType<typeof Web.default>;
  namespace ${name} {
${[...new Set([...types, 'initSync'])].map((t) => `    export import ${t} = Web.${t};`).join('\n')}
  }
}
export {};
`;
}

if (mode === 'esm') {
  const src = readFileSync(file, 'utf8');
  // wasm-bindgen's `/* @ts-self-types="…" */` header (how Deno finds the .d.ts) is kept.
  const header = src.match(/^\/\* @ts-self-types="[^"]*" \*\/\n/)?.[0] ?? '';
  writeFileSync(file, header + (await bundle(file, { output: { format: 'esm' } })));
} else if (mode === 'script') {
  const dir = mkdtempSync(join(tmpdir(), 'gc-script-'));
  try {
    // The names the web glue exports, listed one by one: a namespace import would add a module-object helper.
    const names = webGlueExports(readFileSync(file, 'utf8'), file);
    // Every value the types promise is on the global (the d.ts comes from the same wasm-bindgen run).
    const typed = dtsExports(file, VALUE_KINDS).filter((n) => n !== 'initSync').sort();
    if (typed.join() !== names.join()) throw new Error(`${file} exports ${names}, its types ${typed}`);
    names.push('initSync');
    const entry = join(dir, 'entry.js');
    // As wasm-bindgen's no-modules target: called with nothing (or an object without module_or_path), it loads the
    // .wasm named after the script (`x.js` → `x_bg.wasm`, a query kept). __gc_script_src is the intro's.
    writeFileSync(
      entry,
      `import init, { ${names.join(', ')} } from ${JSON.stringify(resolve(file))};
const wasmNextToScript = __gc_script_src && __gc_script_src.replace(/\\.js(\\?[^#]*)?(#.*)?$/, '_bg.wasm$1');
function start(input) {
  const plain = input != null && Object.getPrototypeOf(input) === Object.prototype;
  if (wasmNextToScript && (input === undefined || (plain && input.module_or_path === undefined))) {
    input = { module_or_path: wasmNextToScript };
  }
  return init(input);
}
export default Object.assign(start, { ${names.join(', ')} });
`,
    );
    const code = await bundle(entry, {
      input: { transform: { define: { 'import.meta.url': '__gc_script_src' } } },
      output: {
        format: 'iife',
        strict: true,
        name,
        exports: 'default',
        intro: `var __gc_script_src = typeof document < "u" && document.currentScript ? new URL(document.currentScript.src, location.href).href : void 0;`,
      },
    });
    if (/import\.meta|^\s*(import|export)\s/m.test(code)) throw new Error(`${out}: module syntax left in a classic script`);
    writeFileSync(out, code);
    writeFileSync(out.replace(/\.js$/, '.d.ts'), globalTypes(file, name));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else if (mode === 'cjs') {
  writeFileSync(file, await bundle(file, { output: { format: 'cjs', strict: true, minify: false } }));
} else {
  console.error('usage: bundle-glue.mjs esm GLUE | script WEB_GLUE OUT NAME | cjs SNIPPET');
  process.exit(2);
}
