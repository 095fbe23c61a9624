// The storefront itself: the module's version on the home page (the first check), the shop → cart →
// checkout path with the token from the merchant backend's /shop/config, the card form's own checks,
// the language switch, the module's localized errors, and the return page with nothing to resume.

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { addFault, ARTIFACTS, CARDS, expiry, fillCard, openCheckout, orderStatus, ROOT, withSandboxAndBrowser } from './harness.mjs';

const PKG_VERSION = JSON.parse(readFileSync(join(ROOT, 'pkg', 'package.json'), 'utf8')).version;

describe('storefront', () => {
  let sbx; let browser;
  withSandboxAndBrowser((s, b) => { sbx = s; browser = b; });

  const fresh = async (viewport = { width: 1280, height: 860 }) => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    return { context, page, problems };
  };

  test('the home page shows the module version and the sandbox banner', async () => {
    const { context, page, problems } = await fresh();
    try {
      await page.goto(`${sbx.store}/?lang=en`);
      await page.waitForSelector('body[data-ready]');
      assert.equal(await page.textContent('#module-version'), PKG_VERSION);
      assert.match(await page.textContent('#sandbox-banner'), /Sandbox — no real bank/);
      await page.screenshot({ path: join(ARTIFACTS, 'home.png'), fullPage: true });
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test('the script-tag build, called with nothing, loads the .wasm named after the script (as no-modules did)', async () => {
    const { context, page, problems } = await fresh();
    try {
      await page.goto(`${sbx.store}/pkg/script/sri.json`);
      const wasmRequests = [];
      page.on('request', (r) => { const { pathname } = new URL(r.url()); if (pathname.endsWith('.wasm')) wasmRequests.push(pathname); });
      await page.addScriptTag({ url: '/pkg/script/gateway_checkout.js' });
      const got = await page.evaluate(async () => {
        await GatewayCheckout();
        return { version: GatewayCheckout.version(), initSync: typeof GatewayCheckout.initSync, checkout: typeof GatewayCheckout.Checkout };
      });
      assert.deepEqual(got, { version: PKG_VERSION, initSync: 'function', checkout: 'function' });
      assert.deepEqual(wasmRequests, ['/pkg/script/gateway_checkout_bg.wasm']);
      // Renamed (a merchant's versioned file names), it still finds its own .wasm.
      const dir = join(ROOT, 'pkg', 'script', 'renamed-test');
      mkdirSync(dir, { recursive: true });
      try {
        copyFileSync(join(ROOT, 'pkg', 'script', 'gateway_checkout.js'), join(dir, 'gc.v3.js'));
        copyFileSync(join(ROOT, 'pkg', 'script', 'gateway_checkout_bg.wasm'), join(dir, 'gc.v3_bg.wasm'));
        await page.goto(`${sbx.store}/pkg/script/sri.json`);
        wasmRequests.length = 0;
        await page.addScriptTag({ url: '/pkg/script/renamed-test/gc.v3.js?v=3' });
        assert.equal(await page.evaluate(async () => { await GatewayCheckout({}); return GatewayCheckout.version(); }), PKG_VERSION);
        assert.deepEqual(wasmRequests, ['/pkg/script/renamed-test/gc.v3_bg.wasm']);
      } finally { rmSync(dir, { recursive: true, force: true }); }
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test('shop → cart → checkout (token from /shop/config) → paid for two items', async () => {
    const { context, page, problems } = await fresh({ width: 390, height: 844 });
    try {
      await page.goto(`${sbx.store}/?lang=en`);
      await page.click('#add-to-cart');
      await page.click('#add-to-cart');
      assert.equal(await page.textContent('#cart-count'), '2');
      await page.click('a[href="/cart.html"] >> nth=0');
      await page.waitForSelector('#qty');
      assert.equal(await page.textContent('#qty'), '2');
      await page.screenshot({ path: join(ARTIFACTS, 'cart.png'), fullPage: true });
      await page.click('#to-checkout-script');
      await page.waitForSelector('body[data-ready]');
      assert.match(await page.textContent('#summary-amount'), /9[ ,.\u00a0\u202f]?000/);
      await page.screenshot({ path: join(ARTIFACTS, 'checkout-phone.png'), fullPage: true });
      await fillCard(page, CARDS.no3ds);
      await page.click('#pay');
      await page.waitForURL(/\/result\.html/);
      const orderId = new URL(page.url()).searchParams.get('orderId');
      const st = await orderStatus(sbx, orderId);
      assert.equal(st.orderStatus, 2);
      assert.equal(st.amount, 900000, 'two items of 4 500.00');
      assert.equal(await page.getAttribute('body', 'data-status'), 'paid');
      assert.equal(await page.isHidden('#cart-count'), true, 'the cart is emptied');
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test('the card form: grouping, brand, inline errors before any order is made', async () => {
    const { context, page, problems } = await openCheckout(browser, sbx, { kind: 'npm', mode: 'iframe' });
    try {
      await page.locator('#card-number').pressSequentially('4444555511113333');
      assert.equal(await page.inputValue('#card-number'), '4444 5555 1111 3333');
      assert.equal(await page.textContent('#card-brand'), 'Visa');
      await page.fill('#card-number', '');
      await page.locator('#card-number').pressSequentially('5555');
      assert.equal(await page.textContent('#card-brand'), 'Mastercard');
      await page.fill('#card-number', '');
      await page.locator('#card-number').pressSequentially('2200');
      assert.equal(await page.textContent('#card-brand'), 'Mir');
      await page.fill('#card-expiry', '');
      await page.locator('#card-expiry').pressSequentially('1230');
      assert.equal(await page.inputValue('#card-expiry'), '12/30');

      await page.fill('#card-number', '4444 5555 1111 3334'); // Luhn typo
      await page.fill('#card-expiry', '01/20'); // past
      await page.fill('#card-cvc', '12');
      await page.fill('#card-holder', 'Иван');
      await page.click('#pay');
      assert.equal(await page.textContent('#card-number-error'), 'This card number has a typo.');
      assert.equal(await page.textContent('#card-expiry-error'), 'This card has expired.');
      assert.match(await page.textContent('#card-cvc-error'), /3- or 4-digit/);
      assert.match(await page.textContent('#card-holder-error'), /Latin/);
      assert.equal(await page.getAttribute('#card-number', 'aria-invalid'), 'true');
      assert.equal(await page.getAttribute('body', 'data-order-id'), null, 'no order was created');
      await page.screenshot({ path: join(ARTIFACTS, 'checkout-inline-errors.png'), fullPage: true });

      // The language switch re-words the errors and the page.
      await page.click('.lang-switch button[data-lang="ru"]');
      assert.equal(await page.textContent('#card-number-error'), 'В номере карты опечатка.');
      assert.equal(await page.textContent('#pay [data-i18n]'), 'Оплатить');
      await page.click('.lang-switch button[data-lang="kk"]');
      assert.equal(await page.textContent('#pay [data-i18n]'), 'Төлеу');
      assert.equal(await page.getAttribute('html', 'lang'), 'kk');

      // A test card's "Use" fills the form, which then passes its checks.
      await page.fill('#card-expiry', '');
      await page.fill('#card-cvc', '');
      await page.fill('#card-holder', '');
      await page.click(`button[data-pan="${CARDS.no3ds.replace(/ /g, '')}"]`);
      assert.equal(await page.inputValue('#card-number'), CARDS.no3ds);
      assert.equal(await page.inputValue('#card-expiry'), expiry());
      assert.equal(await page.textContent('#card-number-error'), '');
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test("the module's own error, in the shopper's language (kk), then a retry that pays", async (t) => {
    // The status window (how long a payment in doubt is checked) shortened for the test: 2 s.
    const { context, page, problems } = await openCheckout(browser, sbx, { kind: 'script', mode: 'iframe', lang: 'kk', query: 'statusWindowMs=2000' });
    try {
      await addFault(sbx, { path: '/payment/rest/paymentorder.do', fault: { http500: true }, times: 1 });
      await fillCard(page, CARDS.no3ds);
      await page.click('#pay');
      const alert = page.locator('#form-error');
      await alert.waitFor({ state: 'visible', timeout: 30000 });
      const code = await alert.getAttribute('data-code');
      const text = await alert.textContent();
      await page.screenshot({ path: join(ARTIFACTS, 'checkout-module-error-kk.png'), fullPage: true });
      assert.ok(code, 'a CheckoutError with a code');
      t.diagnostic(`${code}: ${text}`);
      // The HTTP 500 came after the request left: the order stayed unpaid over the window, so its state is
      // reported as unknown (never "nothing was charged"), and the page offers to check it again.
      assert.equal(code, 'status_unknown');
      assert.equal(text, 'Төлемді растау мүмкін болмады. Дүкен тапсырысты тексергенше қайта төлемеңіз.', "the module's Kazakh message");
      assert.equal(await page.textContent('#pay [data-i18n]'), 'Қайталау');
      assert.ok(await page.isVisible('#check-status'), 'the page offers to check the status again');
      assert.equal(await page.inputValue('#card-cvc'), '', 'the CVC does not stay in the page after submission');
      const firstOrder = await page.getAttribute('body', 'data-order-id');
      // The shopper enters the code again and retries: the same order, never a new one.
      await page.fill('#card-cvc', '123');
      await page.click('#pay');
      await page.waitForURL(/\/result\.html/);
      const orderId = new URL(page.url()).searchParams.get('orderId');
      assert.equal(orderId, firstOrder, 'Pay again pays the same order');
      assert.equal((await orderStatus(sbx, orderId)).orderStatus, 2);
      assert.equal(await page.textContent('#result-status'), 'Төлем өтті');
      assert.deepEqual(problems.filter((p) => !/status of 500/.test(p)), [], 'no errors but the injected HTTP 500');
    } finally { await context.close(); }
  });

  test('the return page with no payment waiting shows the module message', async () => {
    const { context, page, problems } = await fresh();
    try {
      await page.goto(`${sbx.store}/return.html?lang=ru`);
      await page.waitForSelector('body[data-resume-error]');
      assert.equal(await page.getAttribute('body', 'data-resume-error'), 'nothing_to_resume');
      assert.equal(await page.textContent('#form-error'), 'Нет оплаты, ожидающей завершения.');
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });
});
