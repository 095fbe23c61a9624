// The package as users get it: the manifest stamped from pkg.json, every exported path present, the package
// loaded by name in Node the way `import … from 'gateway-checkout'` resolves, and the TypeScript types
// compiled under --strict (tests/package/usage.ts proves they are real types, not `any`).

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
    assert.equal(m.sideEffects, false);
    assert.equal(m.types, './gateway_checkout.d.ts');
    for (const key of ['.', './web', './script']) assert.ok(m.exports[key], `exports["${key}"]`);
    for (const t of targets(m.exports)) assert.ok(existsSync(join(PKG, t)), `exported ${t} exists`);
    for (const f of m.files) assert.ok(existsSync(join(PKG, f)), `files entry ${f} exists`);
  });

  test('the script-tag build defines one global and needs no module loader', () => {
    const js = readFileSync(join(PKG, 'script', 'gateway_checkout.js'), 'utf8');
    assert.doesNotMatch(js, /^\s*(import|export)\s/m, 'no ES module syntax');
    assert.match(js, /GatewayCheckout\s*=/, 'assigns the GatewayCheckout global');
  });

  test('Node loads it by name and the DOM-free API works', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-pkg-'));
    try {
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(PKG, join(dir, 'node_modules', 'gateway-checkout'), 'dir');
      writeFileSync(join(dir, 'probe.mjs'), `
        import { version, pickChallengeWindowSize, Checkout } from 'gateway-checkout';
        let refused = null;
        try { new Checkout({ gatewayUrl: 'javascript:alert(1)', token: 't' }); } catch (e) { refused = e.code; }
        console.log(JSON.stringify({ version: version(), size: pickChallengeWindowSize(600, 400).code, refused }));
      `);
      const r = spawnSync(process.execPath, ['probe.mjs'], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), { version: cargoVersion, size: '04', refused: 'unsafe_url' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('TypeScript: the types compile under --strict and are not any', () => {
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    const r = spawnSync(tsc, ['-p', join(ROOT, 'tests', 'package', 'tsconfig.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
  });
});
