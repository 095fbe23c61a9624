// Apple Pay and Google Pay through the storefront's wallet buttons: the sandbox's sample tokens (there is no
// real wallet here) handed to checkout.payApplePay / checkout.payGooglePay, on the script-tag page and on the
// npm (Vite) page, 3DS in iframe and in redirect mode, the final state read from getOrderStatusExtended.do.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { answerAcs, ARTIFACTS, openCheckout, orderRequests, orderStatus, withSandboxAndBrowser } from './harness.mjs';

const PATHS = { apple: '/payment/applepay/payment.do', google: '/payment/google/payment.do' };
const PRICE = 450000; // one item (www/assets/app/shell.js PRODUCT.price), a checkout opened directly

/** Every request the sandbox logged for a path. */
async function requests(sbx, path) {
  const res = await fetch(`${sbx.gateway}/sandbox/requests?path=${encodeURIComponent(path)}`);
  return res.json();
}

/** Opens the checkout (extra query parameters for the page's test hooks) and the wallet's panel. */
async function openWallet(browser, sbx, { kind, mode, wallet, query = '' }) {
  const opened = await openCheckout(browser, sbx, { kind, mode, query });
  const { page } = opened;
  await page.click(`#${wallet}-pay-button`);
  await page.waitForSelector('#wallet-panel:not([hidden])');
  assert.equal(await page.getAttribute('#wallet-panel', 'data-wallet'), wallet);
  assert.equal(await page.textContent('#wallet-samples-title'), 'Sandbox sample token — no real wallet');
  // The request object the module built for the wallet.
  const request = JSON.parse(await page.textContent('#wallet-request'));
  if (wallet === 'google') {
    const m = request.allowedPaymentMethods[0];
    assert.equal(m.tokenizationSpecification.type, 'PAYMENT_GATEWAY');
    assert.deepEqual(m.tokenizationSpecification.parameters, { gateway: 'sandboxbank', gatewayMerchantId: 'test_user' });
    assert.equal(request.transactionInfo.totalPrice, '4500.00');
    assert.equal(request.transactionInfo.currencyCode, 'KZT');
  } else {
    assert.deepEqual(request.total, { label: 'Steppe Coffee', amount: '4500.00', type: 'final' });
    assert.equal(request.currencyCode, 'KZT');
    assert.equal(request.countryCode, 'KZ');
  }
  return opened;
}

/** Picks a sample token and follows the payment to the result page. challenge: null | 'right'. */
async function payWithSample(page, { sample, mode, challenge, shot }) {
  await page.click(`#wallet-sample-${sample}`);
  if (challenge) {
    if (mode === 'iframe') {
      const acs = page.frameLocator('#challenge iframe');
      await acs.locator('#otp').waitFor({ timeout: 20000 });
      await page.screenshot({ path: join(ARTIFACTS, `${shot}-challenge.png`) });
      await answerAcs(acs, challenge);
    } else {
      await page.waitForURL((u) => u.host.startsWith('127.0.0.1'), { timeout: 20000 });
      await page.locator('#otp').waitFor({ timeout: 20000 });
      await page.screenshot({ path: join(ARTIFACTS, `${shot}-challenge.png`) });
      await answerAcs(page, challenge);
    }
  }
  await page.waitForURL(/\/result\.html\?orderId=/, { timeout: 30000 });
  await page.waitForSelector('#result-status');
  await page.screenshot({ path: join(ARTIFACTS, `${shot}-result.png`), fullPage: true });
  return {
    orderId: new URL(page.url()).searchParams.get('orderId'),
    status: await page.getAttribute('body', 'data-status'),
    orderNumber: await page.textContent('#result-order-number'),
    wallet: await page.textContent('#result-wallet'),
  };
}

/** The wallet request the sandbox logged for this orderNumber (the page's), with the order it created. */
async function logged(sbx, wallet, orderNumber) {
  const log = await requests(sbx, PATHS[wallet]);
  const entries = log.filter((e) => e.params?.orderNumber === orderNumber);
  assert.equal(entries.length, 1, `${PATHS[wallet]} was called once with orderNumber ${orderNumber}`);
  const [entry] = entries;
  assert.equal(entry.params.merchant, 'test_user');
  assert.equal(typeof entry.params.paymentToken, 'string');
  assert.match(entry.orderId || '', /^[0-9a-f-]{36}$/, 'the sandbox created an order');
  return entry;
}

/** Waits for the wallet panel's error; returns { code, text }. */
async function walletError(page) {
  await page.waitForSelector('#wallet-error:not([hidden])', { timeout: 15000 });
  return { code: await page.getAttribute('#wallet-error', 'data-code'), text: (await page.textContent('#wallet-error')).trim() };
}

// [id, title, wallet, page kind, mode, sample, challenge, orderStatus, actionCode, page status]
const PAYMENTS = [
  ['apple-approve', 'Apple Pay, approve → paid', 'apple', 'script', 'iframe', 'approve', null, 2, 0, 'paid'],
  ['google-approve', 'Google Pay, approve → paid', 'google', 'npm', 'iframe', 'approve', null, 2, 0, 'paid'],
  ['apple-insufficient', 'Apple Pay, insufficient funds → declined', 'apple', 'npm', 'iframe', 'insufficient-funds', null, 6, 116, 'declined'],
  ['google-insufficient', 'Google Pay, insufficient funds → declined', 'google', 'script', 'redirect', 'insufficient-funds', null, 6, 116, 'declined'],
  ['google-3ds1-iframe', 'Google Pay, 3DS1 → ACS, right code → paid', 'google', 'script', 'iframe', '3ds1', 'right', 2, 0, 'paid'],
  ['google-3ds1-redirect', 'Google Pay, 3DS1 → ACS, right code → paid', 'google', 'npm', 'redirect', '3ds1', 'right', 2, 0, 'paid'],
  ['google-3ds2-iframe', 'Google Pay, 3DS2 → methods, challenge, right code → paid', 'google', 'npm', 'iframe', '3ds2', 'right', 2, 0, 'paid'],
  ['google-3ds2-redirect', 'Google Pay, 3DS2 → methods, challenge, right code → paid', 'google', 'script', 'redirect', '3ds2', 'right', 2, 0, 'paid'],
  ['apple-3ds1-iframe', 'Apple Pay, 3DS1 → ACS, right code → paid', 'apple', 'script', 'iframe', '3ds1', 'right', 2, 0, 'paid'],
  ['apple-3ds2-redirect', 'Apple Pay, 3DS2 → methods, challenge, right code → paid', 'apple', 'npm', 'redirect', '3ds2', 'right', 2, 0, 'paid'],
];

describe('Apple Pay and Google Pay through the storefront (sandbox sample tokens)', () => {
  let sbx; let browser;
  withSandboxAndBrowser((s, b) => { sbx = s; browser = b; });

  for (const [id, title, wallet, kind, mode, sample, challenge, orderStatusWanted, actionCode, pageStatus] of PAYMENTS) {
    test(`${title} [${kind} page, ${mode}]`, async () => {
      const { context, page, problems } = await openWallet(browser, sbx, { kind, mode, wallet });
      try {
        const r = await payWithSample(page, { sample, mode, challenge, shot: `wallet-${id}-${kind}-${mode}` });
        assert.equal(r.status, pageStatus, 'the result page');
        assert.match(r.wallet, wallet === 'google' ? /^Google Pay/ : /^Apple Pay/);
        // The order the sandbox created for the page's orderNumber, from its request log.
        const entry = await logged(sbx, wallet, r.orderNumber);
        assert.equal(r.orderId, entry.orderId, 'the result page shows the order the wallet payment created (declines too)');
        const st = await orderStatus(sbx, entry.orderId);
        assert.equal(st.orderStatus, orderStatusWanted, `gateway orderStatus (${JSON.stringify(st)})`);
        assert.equal(st.actionCode, actionCode, `gateway actionCode (${JSON.stringify(st)})`);
        assert.equal(st.amount, PRICE, 'the order is for the storefront\'s total');
        assert.equal(String(st.currency), '398');
        if (pageStatus === 'declined') {
          const reason = (await page.textContent('#result-reason')).trim();
          assert.ok(reason.length > 0, 'the decline reason is shown');
          assert.doesNotMatch(reason, /Processing Error/, 'never the gateway\'s description');
        }
        if (challenge) {
          const paths = (await orderRequests(sbx, entry.orderId)).map((e) => e.path);
          if (sample === '3ds2') {
            assert.ok(paths.some((p) => p.endsWith('/3ds/continue.do')), `3ds/continue.do was called (${paths})`);
            assert.ok(paths.some((p) => p.startsWith('/acs/method')), `the ACS method ran (${paths})`);
            assert.ok(paths.some((p) => p.startsWith('/acs/challenge')), `the challenge was posted (${paths})`);
          } else {
            assert.ok(paths.some((p) => p.startsWith('/acs/pareq')), `the 3DS1 ACS was posted (${paths})`);
          }
        }
        assert.deepEqual(problems, [], 'no page errors');
      } finally {
        await context.close();
      }
    });
  }

  test('malformed token → the typed error, and nothing reaches payment.do [script page]', async () => {
    const before = (await requests(sbx, PATHS.apple)).length + (await requests(sbx, PATHS.google)).length;
    const { context, page, problems } = await openWallet(browser, sbx, { kind: 'script', mode: 'iframe', wallet: 'apple' });
    try {
      await page.click('#wallet-sample-malformed');
      const apple = await walletError(page);
      assert.equal(apple.code, 'invalid_wallet_token');
      assert.ok(apple.text.length > 0);
      // Google Pay on the same page: the panel switches wallets.
      await page.click('#google-pay-button');
      await page.waitForSelector('#wallet-panel[data-wallet="google"]');
      await page.waitForSelector('#wallet-error', { state: 'hidden' });
      await page.click('#wallet-sample-malformed');
      const google = await walletError(page);
      assert.equal(google.code, 'invalid_wallet_token');
      await page.screenshot({ path: join(ARTIFACTS, 'wallet-malformed-script.png'), fullPage: true });
      const after = (await requests(sbx, PATHS.apple)).length + (await requests(sbx, PATHS.google)).length;
      assert.equal(after, before, 'no request reached applepay/payment.do or google/payment.do');
      assert.equal(await page.isDisabled('#wallet-sample-approve'), false, 'the shopper can try again');
      assert.deepEqual(problems, [], 'no page errors');
    } finally {
      await context.close();
    }
  });

  test('unknown merchant → access_denied [npm page]', async () => {
    const { context, page, problems } = await openWallet(browser, sbx, { kind: 'npm', mode: 'iframe', wallet: 'apple', query: 'walletMerchant=someone-else' });
    try {
      await page.click('#wallet-sample-approve');
      const e = await walletError(page);
      assert.equal(e.code, 'access_denied');
      assert.ok(e.text.length > 0);
      assert.doesNotMatch(e.text, /Processing Error/);
      await page.screenshot({ path: join(ARTIFACTS, 'wallet-access-denied-npm.png'), fullPage: true });
      const log = await requests(sbx, PATHS.apple);
      assert.ok(log.some((x) => x.params?.merchant === 'someone-else'), 'the gateway was asked and refused');
      assert.deepEqual(problems, [], 'no page errors');
    } finally {
      await context.close();
    }
  });

  test('a repeated orderNumber of a paid order → that order, paid, never a second charge [script page]', async () => {
    const number = `e2e-used-${Date.now().toString(36)}`;
    // The first payment with that number (straight to the gateway: an earlier attempt whose answer the page lost).
    const data = { version: 'EC_v1', data: 'sandbox:approve', signature: 'sandbox', header: { transactionId: 'sandbox' } };
    const first = await fetch(`${sbx.gateway}${PATHS.apple}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ merchant: 'test_user', orderNumber: number, language: 'en', paymentToken: Buffer.from(JSON.stringify(data)).toString('base64') }),
    }).then((r) => r.json());
    assert.equal(first.success, true, JSON.stringify(first));
    const { context, page, problems } = await openWallet(browser, sbx, { kind: 'script', mode: 'iframe', wallet: 'google', query: `walletOrderNumber=${number}` });
    try {
      // The gateway refuses the used number (code 10); the module reads the status by orderNumber: paid.
      await page.click('#wallet-sample-approve');
      await page.waitForURL(/\/result\.html\?orderId=/, { timeout: 30000 });
      const orderId = new URL(page.url()).searchParams.get('orderId');
      assert.equal(orderId, first.data.orderId, 'the earlier order');
      assert.equal(await page.getAttribute('body', 'data-status'), 'paid');
      const ledger = await fetch(`${sbx.gateway}/sandbox/ledger?orderId=${orderId}`).then((r) => r.json());
      assert.equal(ledger.length, 1, 'one charge');
      await page.screenshot({ path: join(ARTIFACTS, 'wallet-used-order-number-script.png'), fullPage: true });
      assert.deepEqual(problems, [], 'no page errors');
    } finally {
      await context.close();
    }
  });
});
