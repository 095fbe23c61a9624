// The package as users get it: the manifest stamped from pkg.json (an entry and its types per runtime, the
// side-effectful files listed), every exported path present, the package loaded by name in Node the way
// `import`/`require('gateway-checkout')` resolve, and the TypeScript types compiled under --strict
// (tests/package/usage.ts proves they are real types, not `any`). Bundlers, Next.js and workerd:
// scripts/test-bundlers.sh (tests/bundlers/).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from './harness.mjs';

const PKG = join(ROOT, 'pkg');
const manifest = () => JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));
const cargoVersion = /\[workspace\.package\][^[]*?version\s*=\s*"([^"]+)"/s.exec(readFileSync(join(ROOT, 'Cargo.toml'), 'utf8'))[1];

/** Every string target in an exports map. */
function targets(exp) {
  if (typeof exp === 'string') return [exp];
  return Object.values(exp).flatMap(targets);
}

describe('the npm package (pkg/)', () => {
  test('manifest: name, version, types, sideEffects, exports for every build', () => {
    assert.ok(existsSync(join(PKG, 'package.json')), 'run scripts/build.sh first');
    const m = manifest();
    assert.equal(m.name, 'gateway-checkout');
    assert.equal(m.version, cargoVersion, 'the crate version');
    assert.equal(m.types, './index.d.ts');
    for (const key of ['.', './web', './script']) assert.ok(m.exports[key], `exports["${key}"]`);
    for (const t of targets(m.exports)) assert.ok(existsSync(join(PKG, t)), `exported ${t} exists`);
    for (const f of m.files) assert.ok(existsSync(join(PKG, f)), `files entry ${f} exists`);
    // Each runtime gets its entry, each entry its types (in the condition order bundlers and Node resolve).
    const dot = m.exports['.'];
    assert.deepEqual(Object.keys(dot), ['workerd', 'node', 'browser', 'default']);
    assert.deepEqual(dot.workerd, { types: './index.d.ts', default: './workerd.js' });
    assert.deepEqual(dot.node, { import: { types: './index.d.ts', default: './node.js' }, require: { types: './node/index.d.ts', default: './node/index.js' } });
    assert.deepEqual(dot.browser, { types: './index.d.ts', default: './index.js' });
    assert.deepEqual(dot.default, dot.browser);
    assert.deepEqual(m.exports['./web'], { types: './web/index.d.ts', default: './web/index.js' });
    // The card-only build in browsers and bundlers and workerd; off the browser (Node, server bundles rendering a
    // client component) the card names of the full build's Node entries: a page's server render must not fetch a .wasm.
    assert.deepEqual(m.exports['./card'], {
      workerd: { types: './card/index.d.ts', default: './card/workerd.js' },
      node: { import: { types: './card/node.d.ts', default: './card/node.js' }, require: { types: './card/node/index.d.ts', default: './card/node/index.js' } },
      default: { types: './card/index.d.ts', default: './card/index.js' },
    });
    // The card build with its explicit init(), for builds that refuse a top-level await (as ./web for the full one).
    assert.deepEqual(m.exports['./card/web'], { types: './card/web/index.d.ts', default: './card/web/index.js' });
    assert.deepEqual(m.exports['./setoken'], {
      workerd: { types: './setoken/setoken.d.ts', default: './setoken/workerd.js' },
      node: { import: { types: './setoken/node.d.ts', default: './setoken/node.js' }, require: { types: './setoken-node/setoken.d.ts', default: './setoken-node/setoken.js' } },
      default: { types: './setoken/setoken.d.ts', default: './setoken/setoken.js' },
    });
    // The modules that initialise the wasm when loaded are side effects: a bundler must keep them even when the
    // page imports only a class (`"sideEffects": false` let webpack and Vite drop the glue's init).
    assert.ok(Array.isArray(m.sideEffects), 'sideEffects lists the files that initialise the module');
    for (const f of ['./index.js', './workerd.js', './node.js', './node/gateway_checkout.js', './script/gateway_checkout.js', './card/index.js', './card/workerd.js', './card/node.js',
      './setoken/node.js', './setoken/workerd.js', './setoken-node/setoken.js']) {
      assert.ok(m.sideEffects.includes(f), `sideEffects has ${f}`);
    }
  });

  test('every entry exports the whole API and the error helpers', () => {
    // The API's names from the web build's types (its glue is minified), without its init functions.
    const names = [...readFileSync(join(PKG, 'web', 'gateway_checkout.d.ts'), 'utf8').matchAll(/^export (?:class|function) (\w+)/gm)]
      .map((x) => x[1]).filter((n) => n !== 'initSync');
    assert.ok(names.includes('Checkout') && names.includes('version') && names.includes('runChallenge'), `web build names: ${names}`);
    for (const entry of ['index.js', 'workerd.js', 'node.js', 'web/index.js', 'node/index.js']) {
      const js = readFileSync(join(PKG, entry), 'utf8');
      for (const n of [...names, 'CheckoutError', 'isCheckoutError']) assert.match(js, new RegExp(`\\b${n}\\b`), `${entry} exports ${n}`);
    }
    for (const dts of ['index.d.ts', 'web/index.d.ts', 'node/index.d.ts', 'card/index.d.ts', 'card/web/index.d.ts']) {
      const text = readFileSync(join(PKG, dts), 'utf8');
      assert.match(text, /export declare function isCheckoutError\(value: unknown\): value is CheckoutError;/, dts);
      assert.match(text, /export declare const CheckoutError:/, dts);
    }
  });

  test('the card-only entry: Checkout with payCard, payBinding and resume, no wallets, no primitives', () => {
    const dts = readFileSync(join(PKG, 'card', 'gateway_checkout_card.d.ts'), 'utf8');
    const names = [...dts.matchAll(/^export (?:class|function) (\w+)/gm)].map((x) => x[1]).filter((n) => n !== 'initSync').sort();
    assert.deepEqual(names, ['Checkout', 'version'], 'what the card build exports');
    const checkout = dts.slice(dts.indexOf('export class Checkout'), dts.indexOf('\n}', dts.indexOf('export class Checkout')));
    for (const m of ['payCard(', 'payBinding(', 'resume(']) assert.ok(checkout.includes(m), `the card build's Checkout has ${m}`);
    for (const m of ['payApplePay(', 'payGooglePay(']) assert.ok(!checkout.includes(m), `the card build's Checkout has no ${m}`);
    const js = readFileSync(join(PKG, 'card', 'index.js'), 'utf8');
    for (const n of ['Checkout', 'version', 'CheckoutError', 'isCheckoutError']) assert.match(js, new RegExp(`\\b${n}\\b`), `card/index.js exports ${n}`);
    assert.match(js, /^await load\(init\);$/m, 'ready when the import resolves');
    // card/web: the same names and init() for the caller (no top-level await).
    const web = readFileSync(join(PKG, 'card', 'web', 'index.js'), 'utf8');
    for (const n of ['default', 'initSync', 'Checkout', 'version', 'CheckoutError', 'isCheckoutError']) assert.match(web, new RegExp(`\\b${n}\\b`), `card/web/index.js exports ${n}`);
    assert.doesNotMatch(web, /^await /m, 'card/web/index.js has no top-level await');
    const types = readFileSync(join(PKG, 'card', 'index.d.ts'), 'utf8');
    assert.match(types, /export declare function isCheckoutError\(value: unknown\): value is CheckoutError;/);
    assert.match(types, /export type \* from '\.\/gateway_checkout_card\.js';/, 'the option and outcome types');
    // Smaller than the full build: what it is for.
    const full = readFileSync(join(PKG, 'web', 'gateway_checkout_bg.wasm')).length;
    const card = readFileSync(join(PKG, 'card', 'gateway_checkout_card_bg.wasm')).length;
    assert.ok(card < full * 0.85, `card wasm ${card} bytes, full ${full}`);
  });

  test('the script-tag build defines one global and needs no module loader', () => {
    const js = readFileSync(join(PKG, 'script', 'gateway_checkout.js'), 'utf8');
    assert.doesNotMatch(js, /^\s*(import|export)\s/m, 'no ES module syntax');
    assert.match(js, /GatewayCheckout\s*=/, 'assigns the GatewayCheckout global');
  });

  test('Node loads it by name (import and require) and the DOM-free API works; errors are CheckoutErrors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-pkg-'));
    try {
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(PKG, join(dir, 'node_modules', 'gateway-checkout'), 'dir');
      const body = (load) => `
        ${load}
        let refused = null;
        try { new Checkout({ gatewayUrl: 'javascript:alert(1)', token: 't' }); } catch (e) {
          refused = e instanceof CheckoutError && isCheckoutError(e) && !isCheckoutError(new Error('x')) ? e.code : 'not a CheckoutError';
        }
        let constructed = null;
        try { new CheckoutError(); } catch (e) { constructed = e.name; }
        console.log(JSON.stringify({ version: version(), size: pickChallengeWindowSize(600, 400).code, refused, constructed, seToken: typeof createSeToken }));
      `;
      // The seToken module as the README shows it (`await init()`), and by require().
      writeFileSync(join(dir, 'probe.mjs'), body(`import { version, pickChallengeWindowSize, Checkout, CheckoutError, isCheckoutError } from 'gateway-checkout';
        import init, { createSeToken } from 'gateway-checkout/setoken';
        await init();`));
      writeFileSync(join(dir, 'probe.cjs'), body(`const { version, pickChallengeWindowSize, Checkout, CheckoutError, isCheckoutError } = require('gateway-checkout');
        const { createSeToken } = require('gateway-checkout/setoken');`));
      for (const probe of ['probe.mjs', 'probe.cjs']) {
        const r = spawnSync(process.execPath, [probe], { cwd: dir, encoding: 'utf8' });
        assert.equal(r.status, 0, `${probe}: ${r.stderr}`);
        assert.deepEqual(JSON.parse(r.stdout), { version: cargoVersion, size: '04', refused: 'unsafe_url', constructed: 'TypeError', seToken: 'function' }, probe);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('TypeScript: the types compile under --strict and are not any', () => {
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    const r = spawnSync(tsc, ['-p', join(ROOT, 'tests', 'package', 'tsconfig.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
  });

  test('every import resolves to its types in each TypeScript resolution mode (arethetypeswrong on the packed tarball)', () => {
    // node10 (moduleResolution "node", which reads no exports), node16 from CommonJS and from ESM, and bundler. The
    // .wasm files are assets, not imports; ./script is a <script> file (its global's types are in script/).
    const dir = mkdtempSync(join(tmpdir(), 'gc-attw-'));
    try {
      const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: PKG, encoding: 'utf8' });
      assert.equal(packed.status, 0, packed.stderr);
      const tarball = join(dir, packed.stdout.trim().split('\n').pop());
      const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'attw'), [tarball, '--format', 'json', '--exclude-entrypoints', 'script',
        'script/gateway_checkout_bg.wasm', 'web/gateway_checkout_bg.wasm', 'card/gateway_checkout_card_bg.wasm', 'setoken/setoken_bg.wasm'], { encoding: 'utf8' });
      const report = JSON.parse(r.stdout);
      const problems = Object.values(report.problems ?? {}).flat().map((p) => `${p.entrypoint} ${p.resolutionKind} ${p.kind}`).sort();
      const entrypoints = Object.keys(report.analysis.entrypoints).sort();
      assert.deepEqual(entrypoints, ['.', './card', './card/web', './package.json', './script/sri.json', './setoken', './web']);
      // The known ones: `gateway-checkout/web` and `/card/web` are the ES module builds with an explicit init(), for
      // browsers and bundlers; a CommonJS program requires `gateway-checkout` (Node 20.19+ could also require() them).
      assert.deepEqual(problems, ['./card/web node16-cjs CJSResolvesToESM', './web node16-cjs CJSResolvesToESM'], r.stdout.slice(0, 2000));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
