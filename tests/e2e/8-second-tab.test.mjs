// Findings of the money-safety issue that need a real browser with several tabs and real navigation:
// a second tab paying the same order (the Web Locks API), resume() in a tab without the payment in its
// sessionStorage (the return URL names the order), and a full-page challenge the page's Content Security
// Policy refuses (form-action: the post, or the bank's redirect after it) ending in seconds instead of waiting
// the whole challenge time.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CARDS, TOKEN, addFault, answerAcs, openCheckout, orderRequests, orderStatus, payThroughForm, withSandboxAndBrowser } from './harness.mjs';

const json = (url, init) => fetch(url, init).then((r) => r.json());

async function newOrder(sbx, returnUrl) {
  const r = await json(`${sbx.store}/shop/orders`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ amount: 1000, returnUrl: returnUrl || `${sbx.store}/return.html` }),
  });
  return r.orderId;
}

/**
 * Pays `orderId` from the page's own module (the script-tag global), returning the outcome or the error.
 * `abortOnLeave`: the payment's signal aborts when the page starts leaving (beforeunload). On an error, what this
 * tab keeps for resume() and what a second payCard of the order in this page gives are read in the same
 * evaluation: a page on its way to the bank's page may take no more.
 */
function payInPage(page, sbx, orderId, { pan = '4444555511113333', extra = {}, abortOnLeave = false } = {}) {
  return page.evaluate(async ({ gateway, token, orderId, pan, extra, abortOnLeave }) => {
    const c = new GatewayCheckout.Checkout({ gatewayUrl: `${gateway}/payment`, token, sandbox: true, ...extra });
    const card = { orderId, pan, expiry: '12/30', cvc: '123', cardholder: 'IVAN PETROV' };
    const ctrl = new AbortController();
    if (abortOnLeave) addEventListener('beforeunload', () => ctrl.abort());
    try {
      const o = await c.payCard({ ...card, signal: ctrl.signal });
      return { ok: true, status: o.status };
    } catch (e) {
      const saved = sessionStorage.getItem('gateway-checkout:resume');
      const again = await c.payCard(card).then((o) => o.status, (x) => x.code);
      return { ok: false, code: e.code, orderId: e.orderId, detail: e.detail, retryable: e.retryable, saved, again };
    }
  }, { gateway: sbx.gateway, token: TOKEN, orderId, pan, extra, abortOnLeave });
}

/** resume({orderId}) in the page: the outcome's status, or the error's code. */
function resumeInPage(page, sbx, orderId) {
  return page.evaluate(async ({ gateway, token, orderId }) => {
    const c = new GatewayCheckout.Checkout({ gatewayUrl: `${gateway}/payment`, token, sandbox: true });
    return c.resume({ orderId }).then((o) => o.status, (e) => e.code);
  }, { gateway: sbx.gateway, token: TOKEN, orderId });
}

/** A second tab of the same browser context on the checkout page, ready to pay. */
async function secondTab(context, sbx) {
  const tab = await context.newPage();
  await tab.goto(`${sbx.store}/checkout.html?token=${TOKEN}`);
  await tab.waitForSelector('body[data-ready]');
  return tab;
}

/** The challenge card paid full-page in `page`; 500 ms after its challenge step the page gets `pageshow` with
 *  persisted (a return from the back/forward cache), first recording the finish of its transaction as the return page
 *  in this tab would (`finishRecorded`). What the payment ended with, how long it took, and what the page kept. */
function payThenRestoredFromCache(page, sbx, orderId, { finishRecorded = false, statusWindowMs } = {}) {
  return page.evaluate(async ({ gateway, token, orderId, finishRecorded, statusWindowMs }) => {
    const c = new GatewayCheckout.Checkout({
      gatewayUrl: `${gateway}/payment`, token, sandbox: true, challengeMode: 'redirect',
      timeouts: { challengeMs: 600000, ...(statusWindowMs ? { statusWindowMs } : {}) },
      onStep: (step) => {
        if (step !== 'challenge') return;
        setTimeout(() => {
          if (finishRecorded) {
            const trans = (sessionStorage.getItem('gateway-checkout:resume') || '').split('|')[3];
            localStorage.setItem(`gateway-checkout:finished:${orderId}:${trans}`, String(Date.now()));
          }
          dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
        }, 500);
      },
    });
    const t0 = Date.now();
    const end = await c.payCard({ orderId, pan: '5555555555555599', expiry: '12/30', cvc: '123', cardholder: 'IVAN PETROV' })
      .then((o) => ({ code: o.status }), (e) => ({ code: e.code, retryable: e.retryable }));
    return { ...end, ms: Date.now() - t0, busy: c.busy, mark: localStorage.getItem(`gateway-checkout:at-bank:${orderId}`) };
  }, { gateway: sbx.gateway, token: TOKEN, orderId, finishRecorded, statusWindowMs });
}

/** payInPage's options for the challenge card paid full-page, back to the store's return page. */
function toTheBank(sbx, more = {}) {
  return { pan: '5555555555555599', ...more, extra: { challengeMode: 'redirect', returnUrl: `${sbx.store}/return.html` } };
}

/** How many charges the sandbox made for the order. */
async function charges(sbx, orderId) {
  return (await json(`${sbx.gateway}/sandbox/ledger?orderId=${orderId}`)).length;
}

/** How many requests to `path` (its end) the sandbox logged for the order. */
async function requestsTo(sbx, orderId, path) {
  return (await orderRequests(sbx, orderId)).filter((e) => e.path.endsWith(path)).length;
}

/** The page lands on the store's result page, which shows the order paid. */
async function shownPaid(page) {
  await page.waitForURL(/\/result\.html/, { timeout: 30000 });
  assert.equal(await page.getAttribute('body', 'data-status'), 'paid');
}

/** The page goes to the bank's page (the ACS, at 127.0.0.1), where the shopper confirms. */
async function confirmAtTheBank(page) {
  await page.waitForURL((u) => u.host.startsWith('127.0.0.1'), { timeout: 20000 });
  await answerAcs(page, 'right');
}

describe('money safety in the browser: tabs, storage, navigation', () => {
  let sbx; let browser;
  withSandboxAndBrowser((s, b) => { sbx = s; browser = b; });

  test('a second tab paying the same order is refused (busy) while the first one runs; one charge', async () => {
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script' });
    try {
      const second = await secondTab(context, sbx);
      const orderId = await newOrder(sbx);
      // The first tab's payment is slow at the gateway: the second tab tries meanwhile.
      await addFault(sbx, { path: '/payment/rest/paymentorder.do', orderId, fault: { processSlowlyMs: 1500 }, times: 1 });
      const first = payInPage(page, sbx, orderId);
      await page.waitForTimeout(300);
      const other = await payInPage(second, sbx, orderId);
      assert.deepEqual({ ok: other.ok, code: other.code, orderId: other.orderId }, { ok: false, code: 'busy', orderId },
        'the other tab is refused by the Web Lock, before any request');
      assert.deepEqual(await first, { ok: true, status: 'paid' });
      assert.equal(await charges(sbx, orderId), 1, 'one charge');
      assert.equal(await requestsTo(sbx, orderId, '/paymentorder.do'), 1, 'one payment request');
    } finally { await context.close(); }
  });

  test('resume() in a tab without the payment in its storage: the return URL names the order', async () => {
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script' });
    try {
      const orderId = await newOrder(sbx);
      assert.deepEqual(await payInPage(page, sbx, orderId), { ok: true, status: 'paid' });
      // A fresh tab (its own sessionStorage) opens the return page the gateway would send the shopper to.
      const other = await context.newPage();
      await other.goto(`${sbx.store}/return.html?orderId=${orderId}&lang=en`);
      await other.waitForURL(/\/result\.html/, { timeout: 20000 });
      assert.equal(await other.getAttribute('body', 'data-status'), 'paid');
      assert.equal((await orderStatus(sbx, orderId)).orderStatus, 2);
    } finally { await context.close(); }
  });

  test('a reloaded return page after a full-page 3DS2 challenge never sends finish3dsVer2Payment.do again', async () => {
    const { context, page, problems } = await openCheckout(browser, sbx, { kind: 'script', mode: 'redirect' });
    try {
      // The return page as the gateway sent the shopper to it (orderId and threeDSServerTransId in its URL).
      let returnUrl = null;
      page.on('framenavigated', (f) => { if (f === page.mainFrame() && /\/return\.html\?/.test(f.url())) returnUrl = f.url(); });
      const r = await payThroughForm(page, { pan: CARDS.challenge, mode: 'redirect', challenge: 'right' });
      assert.equal(r.status, 'paid');
      assert.match(returnUrl || '', /threeDSServerTransId=/, `the return URL names the transaction (${returnUrl})`);
      const finishes = () => requestsTo(sbx, r.orderId, '/finish3dsVer2Payment.do');
      assert.equal(await finishes(), 1);
      // The shopper reloads the return page (this tab's saved state is used up): the status alone decides.
      await page.goto(returnUrl);
      await page.waitForURL(/\/result\.html/, { timeout: 20000 });
      await page.waitForSelector('#result-status');
      assert.equal(await page.getAttribute('body', 'data-status'), 'paid', 'the page still shows the paid outcome');
      assert.equal(await finishes(), 1, 'finish3dsVer2Payment.do was sent once');
      assert.equal(await charges(sbx, r.orderId), 1, 'one charge');
      assert.deepEqual(problems, [], 'no page errors');
    } finally { await context.close(); }
  });

  test('a full-page challenge refused by the page\'s form-action policy ends in seconds (redirect_blocked)', async () => {
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script' });
    try {
      const orderId = await newOrder(sbx);
      // The page's policy forbids posting forms anywhere (as a too-strict merchant CSP would).
      await page.evaluate(() => {
        const meta = document.createElement('meta');
        meta.httpEquiv = 'Content-Security-Policy';
        meta.content = "form-action 'none'";
        document.head.append(meta);
      });
      const t0 = Date.now();
      const r = await payInPage(page, sbx, orderId, { pan: '5555555555555599', extra: { challengeMode: 'redirect' } });
      const ms = Date.now() - t0;
      assert.equal(r.code, 'redirect_blocked', JSON.stringify(r));
      assert.equal(r.orderId, orderId);
      assert.ok(ms < 15000, `ended in ${ms} ms, not the challenge time`);
      assert.notEqual((await orderStatus(sbx, orderId)).orderStatus, 2, 'nothing charged');
    } finally { await context.close(); }
  });

  test('a bank\'s page that sends the browser on to an origin the page\'s form-action refuses: redirect_blocked in seconds, and paying the order again pays it once', async () => {
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script' });
    try {
      const orderId = await newOrder(sbx);
      // The page may post forms to the gateway's hosts only (a merchant policy listing its bank's pages). The
      // bank's page takes the post, then answers with a redirect to a host the policy does not list.
      await page.evaluate((gateway) => {
        const meta = document.createElement('meta');
        meta.httpEquiv = 'Content-Security-Policy';
        meta.content = `form-action ${gateway}`;
        document.head.append(meta);
      }, sbx.gateway);
      await addFault(sbx, { path: '/acs/challenge', fault: { redirectAfterProcessing: 'http://127.0.0.2:9/elsewhere' }, times: 1 });
      const t0 = Date.now();
      const r = await page.evaluate(async ({ gateway, token, orderId, returnUrl }) => {
        const c = new GatewayCheckout.Checkout({ gatewayUrl: `${gateway}/payment`, token, sandbox: true, challengeMode: 'redirect', returnUrl });
        try {
          return { status: (await c.payCard({ orderId, pan: '5555555555555599', expiry: '12/30', cvc: '123', cardholder: 'IVAN PETROV' })).status };
        } catch (e) {
          return { code: e.code, retryable: e.retryable, orderId: e.orderId, saved: sessionStorage.getItem('gateway-checkout:resume') };
        }
      }, { gateway: sbx.gateway, token: TOKEN, orderId, returnUrl: `${sbx.store}/return.html` });
      const ms = Date.now() - t0;
      // The browser reports the refused redirect with the URL the form was posted to, exactly as it reports a
      // refused post: the module cannot tell the two apart. Either way the bank's page never showed, so the
      // shopper confirmed nothing, and the order may be paid again.
      assert.deepEqual(r, { code: 'redirect_blocked', retryable: true, orderId, saved: null }, JSON.stringify(r));
      assert.ok(ms < 15000, `ended in ${ms} ms, not the challenge time`);
      assert.equal(await requestsTo(sbx, orderId, '/acs/challenge'), 1, 'the post reached the bank\'s page');
      assert.ok(page.url().startsWith(sbx.store), `the page stayed (${page.url()})`);
      assert.equal(await charges(sbx, orderId), 0, 'nothing charged');
      // Paying the same order again (the bank's page no longer redirects): one charge.
      payInPage(page, sbx, orderId, toTheBank(sbx)).catch(() => {});
      await confirmAtTheBank(page);
      await shownPaid(page);
      assert.equal(await charges(sbx, orderId), 1, 'one charge');
    } finally { await context.close(); }
  });

  test('a full-page challenge where the page gives no sign of leaving (iOS Safari: no beforeunload) and a slow ACS: not retryable, the resume state kept', async () => {
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script' });
    try {
      const orderId = await newOrder(sbx);
      // iOS Safari fires no beforeunload; its pagehide comes only when the ACS answers. The ACS answers after 6 s,
      // past the module's 3 s wait for a sign of the page leaving.
      await page.evaluate(() => {
        const add = EventTarget.prototype.addEventListener;
        window.addEventListener = function (type, ...rest) {
          if (type === 'beforeunload') return undefined;
          return add.call(this, type, ...rest);
        };
      });
      await addFault(sbx, { path: '/acs/challenge', fault: { delayMs: 6000 }, times: 1 });
      const r = await payInPage(page, sbx, orderId, toTheBank(sbx));
      assert.deepEqual({ code: r.code, retryable: r.retryable, orderId: r.orderId }, { code: 'redirect_unconfirmed', retryable: false, orderId },
        'the form may be on its way to the bank: the merchant must not pay the order again');
      assert.ok(r.saved?.includes(orderId), `the resume state stays for the return page (${r.saved})`);
      assert.equal(r.again, 'busy', 'a second payment of the order from this page is refused (the order is at the bank\'s page)');
      // The page does leave for the bank, and the payment completes there and on the return page.
      await confirmAtTheBank(page);
      await shownPaid(page);
      assert.equal(await charges(sbx, orderId), 1, 'one charge');
    } finally { await context.close(); }
  });

  test('another tab cannot pay the order while this tab is at the bank\'s page (full-page challenge: no Web Lock there)', async () => {
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script' });
    try {
      const second = await secondTab(context, sbx);
      const orderId = await newOrder(sbx);
      // This tab leaves for the ACS: its Web Lock ends with the page.
      payInPage(page, sbx, orderId, toTheBank(sbx)).catch(() => {});
      await page.waitForURL((u) => u.host.startsWith('127.0.0.1'), { timeout: 20000 });
      const other = await payInPage(second, sbx, orderId);
      assert.deepEqual({ ok: other.ok, code: other.code, orderId: other.orderId }, { ok: false, code: 'busy', orderId },
        'the other tab is refused while the order is at the bank\'s page');
      // The other tab checking the order (resume({orderId}), as after status_unknown) reads its status only:
      // it neither finishes it nor frees it for a second payment.
      assert.equal(await resumeInPage(second, sbx, orderId), 'pending');
      assert.equal((await payInPage(second, sbx, orderId)).code, 'busy', 'still refused after the check');
      assert.equal(await requestsTo(sbx, orderId, '/paymentorder.do'), 1, 'one payment request');
      // The shopper confirms; the return page resumes and the order is paid once. Then the order is free again:
      // a payment of it is refused by the gateway (already paid), not by the module.
      await answerAcs(page, 'right');
      await shownPaid(page);
      assert.equal(await charges(sbx, orderId), 1, 'one charge');
      const again = await payInPage(second, sbx, orderId);
      assert.notEqual(again.code, 'busy', JSON.stringify(again));
    } finally { await context.close(); }
  });

  test('a page whose address names the order (?orderId=…) is not the bank\'s return: its check frees nothing', async () => {
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script' });
    try {
      const orderId = await newOrder(sbx);
      // An order page of the shop, open in another tab, its address naming the order.
      const second = await context.newPage();
      await second.goto(`${sbx.store}/checkout.html?token=${TOKEN}&orderId=${orderId}`);
      await second.waitForSelector('body[data-ready]');
      payInPage(page, sbx, orderId, toTheBank(sbx)).catch(() => {});
      await page.waitForURL((u) => u.host.startsWith('127.0.0.1'), { timeout: 20000 });
      // It checks the order (resume({orderId})): a status read, the order still at the bank's page for every tab.
      assert.equal(await resumeInPage(second, sbx, orderId), 'pending');
      assert.equal((await payInPage(second, sbx, orderId)).code, 'busy', 'still refused after the check');
      assert.equal(await requestsTo(sbx, orderId, '/paymentorder.do'), 1, 'one payment request');
      await answerAcs(page, 'right');
      await shownPaid(page);
      assert.equal(await charges(sbx, orderId), 1, 'one charge');
    } finally { await context.close(); }
  });

  test('an abort while the page leaves for the bank\'s page: not retryable, the order stays off limits', async () => {
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script' });
    try {
      const second = await secondTab(context, sbx);
      const orderId = await newOrder(sbx);
      // The bank's page answers after 6 s: the abort (on beforeunload) comes while the form is on its way.
      await addFault(sbx, { path: '/acs/challenge', fault: { delayMs: 6000 }, times: 1 });
      const r = await payInPage(page, sbx, orderId, toTheBank(sbx, { abortOnLeave: true }));
      assert.deepEqual({ code: r.code, retryable: r.retryable, orderId: r.orderId }, { code: 'aborted', retryable: false, orderId });
      assert.ok(r.saved?.includes(orderId), `the resume state stays for the return page (${r.saved})`);
      assert.equal((await payInPage(second, sbx, orderId)).code, 'busy', 'another tab is refused');
      // The page does go to the bank's page; the shopper confirms and the return page pays the order once.
      await confirmAtTheBank(page);
      await shownPaid(page);
      assert.equal(await charges(sbx, orderId), 1, 'one charge');
      assert.equal(await requestsTo(sbx, orderId, '/paymentorder.do'), 1, 'one payment request');
    } finally { await context.close(); }
  });

  test('back from the bank\'s page in the same tab (Back: a fresh load here): this tab may pay the order again, once', async () => {
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script' });
    try {
      const second = await secondTab(context, sbx);
      const orderId = await newOrder(sbx);
      payInPage(page, sbx, orderId, toTheBank(sbx)).catch(() => {});
      await page.waitForURL((u) => u.host.startsWith('127.0.0.1'), { timeout: 20000 });
      // The shopper goes Back from the bank's page in this tab (its sessionStorage names the payment). This
      // Chromium loads the shop's page afresh (no back/forward cache for it).
      await page.goBack();
      await page.waitForSelector('body[data-ready]');
      assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation')[0].type), 'back_forward');
      assert.equal((await payInPage(second, sbx, orderId)).code, 'busy', 'another tab is still refused');
      // A shop page checks its order when it loads (resume({orderId}), as the storefront does for its cart's order).
      assert.equal(await resumeInPage(page, sbx, orderId), 'pending');
      assert.deepEqual(await payInPage(page, sbx, orderId), { ok: true, status: 'paid' }, 'this tab pays again');
      assert.equal(await charges(sbx, orderId), 1, 'one charge');
      // Back from the bank's page without the bank's return, that check was a status read, never the abandoned
      // challenge's finish.
      assert.equal(await requestsTo(sbx, orderId, '/finish3dsVer2Payment.do'), 0, 'no finish sent');
    } finally { await context.close(); }
  });

  test('back from the bank\'s page to the page kept in the back/forward cache: the payment ends now, not at the challenge time', async () => {
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script' });
    try {
      const orderId = await newOrder(sbx);
      // This Chromium does not keep the page in the back/forward cache (the payment holds a Web Lock): the restore
      // is played by the event the page then gets, `pageshow` with persisted, while the form is on its way to a
      // slow bank's page.
      await addFault(sbx, { path: '/acs/challenge', fault: { delayMs: 6000 }, times: 1 });
      const r = await payThenRestoredFromCache(page, sbx, orderId);
      assert.ok(r.ms < 5000, `ended in ${r.ms} ms, not at the challenge time`);
      assert.deepEqual({ code: r.code, busy: r.busy, mark: r.mark }, { code: 'challenge_timeout', busy: false, mark: null });
    } finally { await context.close(); }
  });

  test('back to the cached page after the return page in this tab sent the finish: in doubt over the window, never "retryable"', async () => {
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script' });
    try {
      const orderId = await newOrder(sbx);
      await addFault(sbx, { path: '/acs/challenge', fault: { delayMs: 6000 }, times: 1 });
      // The return page (this tab) sent finish3dsVer2Payment.do for this transaction, then Back.
      const r = await payThenRestoredFromCache(page, sbx, orderId, { finishRecorded: true, statusWindowMs: 2000 });
      assert.deepEqual({ code: r.code, retryable: r.retryable }, { code: 'status_unknown', retryable: false }, 'the finish may still charge the order');
      assert.equal(await requestsTo(sbx, orderId, '/finish3dsVer2Payment.do'), 0, 'never a finish of its own');
    } finally { await context.close(); }
  });
});
