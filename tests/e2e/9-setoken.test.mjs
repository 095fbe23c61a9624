// seToken (seed 000: "seToken … может быть сгенерирован с помощью SDK"): the storefront's setoken.html encrypts
// the card in the page with the seToken module (pkg/setoken, RSA in its own .wasm), the merchant's server
// (the sandbox's POST /shop/pay-setoken) pays with paymentorder.do + seToken, and the sandbox decrypts it.
// The card leaves the page only inside the token. Served with ?csp=strict: no violations. Also the module's
// errors in the browser and the Node build (pkg/setoken-node) against the same sandbox.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { addFault, ARTIFACTS, CARDS, expiry, orderRequests, orderStatus, ROOT, TOKEN, withSandboxAndBrowser } from './harness.mjs';

const digitsOf = (pan) => pan.replace(/\D/g, '');

async function ledger(sbx, orderId) {
  const res = await fetch(`${sbx.gateway}/sandbox/ledger?orderId=${encodeURIComponent(orderId)}`);
  return res.json();
}

describe('seToken page', () => {
  before(() => {
    if (!existsSync(join(ROOT, 'pkg', 'setoken', 'setoken.js'))) {
      throw new Error('pkg/setoken/ is missing: run scripts/build-setoken.sh (after scripts/build.sh)');
    }
    // The harness runs target/debug/gateway-sandbox; it must know POST /shop/pay-setoken (a no-op when fresh).
    const env = { ...process.env };
    delete env.CARGO_TARGET_DIR;
    const r = spawnSync('cargo', ['build', '-q', '-p', 'gateway-sandbox'], { cwd: ROOT, stdio: 'inherit', env });
    if (r.status !== 0) throw new Error('cargo build -p gateway-sandbox failed');
  });

  let sbx; let browser;
  withSandboxAndBrowser((s, b) => { sbx = s; browser = b; });

  /** setoken.html in a fresh context (strict CSP), with page errors, CSP violations and every request kept. */
  async function open({ lang = 'en' } = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const problems = [];
    const requests = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' && !/favicon/.test(m.text())) problems.push(`console: ${m.text()}`); });
    page.on('request', (r) => requests.push({ method: r.method(), url: r.url(), body: r.postData() || '' }));
    await page.addInitScript(() => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(`${sbx.store}/setoken.html?token=${TOKEN}&lang=${lang}&csp=strict`);
    await page.waitForSelector('body[data-ready]', { timeout: 15000 });
    return { context, page, problems, requests };
  }

  async function fill(page, pan) {
    await page.fill('#card-number', pan);
    await page.fill('#card-expiry', expiry());
    await page.fill('#card-cvc', '123');
  }

  test('pays the no-3DS card end to end; the card leaves the page only inside the token', async () => {
    const { context, page, problems, requests } = await open();
    try {
      const pan = digitsOf(CARDS.no3ds);
      await fill(page, CARDS.no3ds);
      await page.click('#pay');
      await page.waitForURL(/\/result\.html\?orderId=/, { timeout: 30000 });
      await page.waitForSelector('#result-status');
      const orderId = new URL(page.url()).searchParams.get('orderId');
      assert.equal(await page.getAttribute('body', 'data-status'), 'paid');
      assert.equal(await page.textContent('#result-pan'), '444455**3333');
      await page.screenshot({ path: join(ARTIFACTS, 'setoken-result.png'), fullPage: true });

      const st = await orderStatus(sbx, orderId);
      assert.equal(st.orderStatus, 2);
      assert.equal((await ledger(sbx, orderId)).length, 1, 'one charge');

      // The gateway saw paymentorder.do once, from the merchant's server, with the token and no card fields.
      const log = await orderRequests(sbx, orderId);
      const paid = log.filter((r) => r.path === '/payment/rest/paymentorder.do');
      assert.equal(paid.length, 1, JSON.stringify(log));
      assert.match(paid[0].params.seToken, /^\[encrypted seToken, \d+ chars\]$/);
      assert.equal(paid[0].params.userName, 'test_user');
      for (const k of ['$PAN', '$CVC', 'YYYY', 'MM']) assert.equal(paid[0].params[k], undefined, k);
      assert.ok(log.some((r) => r.path === '/shop/pay-setoken'), 'the page gave the token to the shop');
      assert.ok(!JSON.stringify(log).includes(pan));

      // Every request the page made: the card is in none of them (only inside the encrypted seToken).
      const mine = requests.filter((r) => r.url.startsWith(sbx.store) || r.url.startsWith(sbx.gateway));
      assert.ok(mine.some((r) => r.method === 'GET' && r.url === `${sbx.gateway}/payment/se/keys.do`), 'the key from se/keys.do');
      const handed = mine.filter((r) => r.url === `${sbx.store}/shop/pay-setoken`);
      assert.equal(handed.length, 1);
      const { seToken } = JSON.parse(handed[0].body);
      assert.match(seToken, /^[A-Za-z0-9+/]+={0,2}$/);
      assert.equal(Buffer.from(seToken, 'base64').length, 256, 'one 2048-bit RSA block');
      assert.ok(!mine.some((r) => r.url.includes('paymentorder.do')), 'the page never calls paymentorder.do');
      for (const r of mine) {
        const seen = `${r.url} ${r.body}`;
        assert.ok(!seen.includes(pan) && !seen.includes(CARDS.no3ds) && !/"?cvc"?\s*[:=]/i.test(r.body), `${r.method} ${r.url}`);
      }
      assert.deepEqual(await page.evaluate(() => window.__violations), []);
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test('a 3DS card: the page shows what 3-D Secure would need and nothing is charged', async () => {
    const { context, page, problems } = await open({ lang: 'ru' });
    try {
      await fill(page, CARDS.challenge);
      await page.click('#pay');
      await page.waitForSelector('body[data-status="needs_3ds"]', { timeout: 30000 });
      assert.equal(await page.isVisible('#setoken-3ds'), true);
      assert.match(await page.textContent('#setoken-3ds h2'), /3-D Secure/);
      assert.match(await page.textContent('#setoken-3ds-details'), /threeDSServerTransId/);
      await page.screenshot({ path: join(ARTIFACTS, 'setoken-3ds.png'), fullPage: true });
      const orderId = await page.getAttribute('body', 'data-order-id');
      assert.deepEqual(await ledger(sbx, orderId), []);
      assert.deepEqual(await page.evaluate(() => window.__violations), []);
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test('createSeToken in the browser: typed errors, no card data in them', async () => {
    const { context, page, problems } = await open();
    try {
      const call = (request) => page.evaluate(async ([req, gateway]) => {
        const m = await import('/pkg/setoken/setoken.js');
        await m.default();
        try {
          const t = await m.createSeToken({ gatewayUrl: `${gateway}/payment`, sandbox: true, ...req });
          return { ok: t.length };
        } catch (e) {
          return { name: e.name, code: e.code, detail: e.detail, retryable: e.retryable, message: e.message, text: String(e) };
        }
      }, [request, sbx.gateway]);
      const card = { orderId: 'order-1', pan: '4444 5555 1111 3334', expiry: expiry(), cvc: '123' };
      let r = await call(card);
      assert.equal(r.name, 'CheckoutError');
      assert.equal(r.code, 'invalid_card_number');
      assert.equal(r.detail, 'pan');
      assert.ok(!JSON.stringify(r).includes('4444'));
      // A past month is refused outside a test environment (this gateway is only reachable with sandbox: true, but
      // the card is checked before anything is fetched); with it, only a malformed one.
      r = await call({ ...card, pan: CARDS.no3ds, expiry: '01/20', sandbox: false });
      assert.equal(r.code, 'invalid_expiry');
      r = await call({ ...card, pan: CARDS.no3ds, expiry: '13/24' });
      assert.equal(r.code, 'invalid_expiry');
      r = await call({ ...card, pan: CARDS.no3ds, cvc: '12' });
      assert.equal(r.code, 'invalid_cvc');
      r = await call({ ...card, pan: CARDS.no3ds, orderId: 'a/b' });
      assert.equal(r.code, 'invalid_order_id');
      r = await call({ ...card, pan: CARDS.no3ds, publicKey: '-----BEGIN PUBLIC KEY-----garbage-----END PUBLIC KEY-----' });
      assert.deepEqual([r.code, r.detail], ['invalid_option', 'publicKey']);
      r = await call({ ...card, pan: CARDS.no3ds, language: 'kk', gatewayUrl: 'http://example.invalid/payment' });
      assert.deepEqual([r.code, r.detail], ['unsafe_url', 'gatewayUrl']);
      assert.match(r.message, /[\u0400-\u04ff]/, 'the Kazakh message');
      // Without the option: the page's language (a Russian page that forgot it), as a Checkout's.
      await page.evaluate(() => { document.documentElement.lang = 'ru'; });
      r = await call({ ...card });
      await page.evaluate(() => { document.documentElement.lang = 'en'; });
      assert.deepEqual([r.code, r.message], ['invalid_card_number', 'Проверьте номер карты.']);
      // Faults apply once (times: 1).
      await addFault(sbx, { path: '/payment/se/keys.do', fault: { http500: true } });
      r = await call({ ...card, pan: CARDS.no3ds });
      assert.deepEqual([r.code, r.retryable], ['http_status', true]);
      await addFault(sbx, { path: '/payment/se/keys.do', fault: { malformedJson: true } });
      r = await call({ ...card, pan: CARDS.no3ds });
      assert.deepEqual([r.code, r.detail], ['bad_response', 'keys']);
      r = await call({ ...card, pan: CARDS.no3ds });
      assert.equal(r.ok, 344, 'a token once the key is served again');
      // A saved card: only the CVC and the binding (the sandbox pays card seTokens only; this checks the shape).
      r = await call({ orderId: 'order-1', cvc: '123', bindingId: 'bnd-1' });
      assert.equal(r.ok, 344);
      r = await call({ orderId: 'order-1', cvc: '123', bindingId: 'bnd-1', pan: CARDS.no3ds });
      assert.deepEqual([r.code, r.detail], ['invalid_option', 'pan']);
      assert.deepEqual(await page.evaluate(() => window.__violations), []);
      // The browser's own line for the 500 fault above is expected.
      assert.deepEqual(problems.filter((p) => !/status of 500/.test(p)), []);
    } finally { await context.close(); }
  });

  test('the Node build makes a token the sandbox pays', async () => {
    const require = createRequire(import.meta.url);
    const { createSeToken } = require(join(ROOT, 'pkg', 'setoken-node', 'setoken.js'));
    const res = await fetch(`${sbx.store}/shop/orders`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ amount: 1000, currency: '398', returnUrl: `${sbx.store}/setoken.html` }),
    });
    const { orderId } = await res.json();
    const seToken = await createSeToken({ orderId, pan: CARDS.no3ds, expiry: expiry(), cvc: '123', gatewayUrl: `${sbx.gateway}/payment`, sandbox: true });
    const paid = await fetch(`${sbx.store}/shop/pay-setoken`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ orderId, seToken, cardholder: 'IVAN PETROV' }),
    }).then((r) => r.json());
    assert.equal(paid.errorCode, 0, JSON.stringify(paid));
    const st = await orderStatus(sbx, orderId);
    assert.equal(st.orderStatus, 2);
    assert.equal(st.cardAuthInfo?.cardholderName, 'IVAN PETROV', 'TEXT sent beside the token');
    assert.equal((await ledger(sbx, orderId)).length, 1);
  });

  test('a saved card\'s token (bindingId and CVC only) pays the next order by the binding, and only the shopper\'s', async () => {
    const require = createRequire(import.meta.url);
    const { createSeToken } = require(join(ROOT, 'pkg', 'setoken-node', 'setoken.js'));
    const gatewayUrl = `${sbx.gateway}/payment`;
    const clientId = `setoken-shopper-${Date.now()}`;
    const order = (client) => fetch(`${sbx.store}/shop/orders`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ amount: 1000, currency: '398', returnUrl: `${sbx.store}/setoken.html`, clientId: client }),
    }).then((r) => r.json()).then((j) => j.orderId);
    const payWith = (orderId, seToken) => fetch(`${sbx.store}/shop/pay-setoken`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ orderId, seToken }),
    }).then((r) => r.json());
    // A first order paid with the card saves it for the shopper.
    const first = await order(clientId);
    const paid = await payWith(first, await createSeToken({ orderId: first, pan: CARDS.no3ds, expiry: expiry(), cvc: '123', gatewayUrl, sandbox: true }));
    assert.equal(paid.errorCode, 0, JSON.stringify(paid));
    const { bindings } = await fetch(`${sbx.store}/shop/bindings?clientId=${clientId}`).then((r) => r.json());
    assert.equal(bindings.length, 1, JSON.stringify(bindings));
    const { bindingId } = bindings[0];
    // The next order: the saved card's token.
    const next = await order(clientId);
    const again = await payWith(next, await createSeToken({ orderId: next, bindingId, cvc: '123', gatewayUrl, sandbox: true }));
    assert.equal(again.errorCode, 0, JSON.stringify(again));
    const st = await orderStatus(sbx, next);
    assert.equal(st.orderStatus, 2);
    assert.equal(st.bindingInfo?.bindingId, bindingId, JSON.stringify(st));
    assert.equal((await ledger(sbx, next)).length, 1);
    // Another shopper's order cannot be paid with it.
    const other = await order(`${clientId}-other`);
    const refused = await payWith(other, await createSeToken({ orderId: other, bindingId, cvc: '123', gatewayUrl, sandbox: true }));
    assert.notEqual(refused.errorCode ?? 0, 0, JSON.stringify(refused));
    assert.equal((await ledger(sbx, other)).length, 0);
  });
});
