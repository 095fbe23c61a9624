// The order is the idempotency key: a fault matrix against a gateway that keeps processing after the browser
// gave up. Every payment request (paymentorder.do, 3ds/continue.do, finish3dsVer2Payment.do, paymentOrderBinding.do
// with a saved card, Apple Pay and Google Pay payment.do) × every fault that processes the payment but loses its answer × iframe/redirect ×
// the shopper's reaction (clicks Pay again after an error / reloads the page while the request is lost).
// The sandbox's own ledger decides: at most one charge per shopper intent, the outcome shown equals the
// gateway's order state, and no error says `retryable: true` for an order that was charged.
//
// Waits are shortened through the storefront's hooks: requestMs 2000 ms, statusWindowMs 4000 ms. The
// "beyond the window" fault lands the charge 9 s after the request, after the module gave up on the first
// attempt: the retry of the same order meets the gateway's "being processed" refusal and then the charge.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, after } from 'node:test';
import { ARTIFACTS, CARDS, answerAcs, expiry, openCheckout, orderStatus, withSandboxAndBrowser } from './harness.mjs';

const QUERY = 'requestMs=2000&statusWindowMs=4000';
const REQUESTS = {
  paymentorder: { path: '/payment/rest/paymentorder.do', card: 'no3ds' },
  continue: { path: '/payment/rest/3ds/continue.do', card: 'frictionless' },
  finish: { path: '/payment/rest/finish3dsVer2Payment.do', card: 'challenge' },
  // A saved card (paymentOrderBinding.do, the card without 3DS saved by a first payment): no challenge, one mode.
  binding: { path: '/payment/rest/paymentOrderBinding.do', saved: true },
  applepay: { path: '/payment/applepay/payment.do', wallet: 'apple' },
  googlepay: { path: '/payment/google/payment.do', wallet: 'google' },
};
const FAULTS = {
  'answer late': { answerLateMs: 3000 },
  'dropped after processing': { dropAfterProcessing: true },
  'processed slowly': { processSlowlyMs: 3000 },
  '500 after processing': { http500AfterProcessing: true },
  'HTML after processing': { htmlAfterProcessing: true },
  'processed beyond the window': { processSlowlyMs: 9000 },
};
const MODES = ['iframe', 'redirect'];
const ACTIONS = ['pay again', 'reload'];

const json = (url, init) => fetch(url, init).then((r) => r.json());
const rows = [];

/** Orders the storefront registered since `since` (the demo backend's register.do calls). */
async function ordersSince(sbx, since) {
  const log = await json(`${sbx.gateway}/sandbox/requests`);
  const ids = new Set();
  for (const e of log) {
    if (e.at < since) continue;
    if (/\/(register|registerPreAuth)\.do$/.test(e.path) && e.orderId) ids.add(e.orderId);
    if (/\/(applepay|google)\/payment\.do$/.test(e.path) && e.orderId) ids.add(e.orderId);
  }
  return [...ids];
}

async function charges(sbx, orderId) {
  return (await json(`${sbx.gateway}/sandbox/ledger?orderId=${encodeURIComponent(orderId)}`)).length;
}

/** Waits for whichever comes first: the result page, an error on the checkout page, the ACS page (redirect),
 *  the challenge frame (iframe), or a ready checkout form after a reload. */
async function nextState(page, { wallet }) {
  const errorSel = wallet ? '#wallet-error:not([hidden])' : '#form-error:not([hidden])';
  for (let i = 0; i < 300; i++) {
    const url = page.url();
    if (/\/result\.html/.test(url)) {
      await page.waitForSelector('#result-status');
      return { kind: 'result', status: await page.getAttribute('body', 'data-status'), orderId: new URL(url).searchParams.get('orderId') };
    }
    if (url.includes('127.0.0.1') && (await page.locator('#otp').count())) return { kind: 'acs-page' };
    try {
      if (await page.locator(errorSel).count()) {
        const el = page.locator(errorSel);
        return { kind: 'error', code: await el.getAttribute('data-code'), retryable: await page.getAttribute('body', 'data-retryable') };
      }
      if (await page.locator('#challenge iframe').count()) {
        const acs = page.frameLocator('#challenge iframe');
        if (await acs.locator('#otp').count()) return { kind: 'acs-frame' };
      }
      if (await page.locator('body[data-resume-error]').count()) return { kind: 'resume-error', code: await page.getAttribute('body', 'data-resume-error') };
      // The checkout form, ready for a new attempt (after a reload found the order unpaid).
      if (i > 5 && (await page.locator('body[data-ready] #card-form:not([hidden]) #pay:not([disabled])').count())) return { kind: 'ready' };
    } catch { /* navigating */ }
    await page.waitForTimeout(100);
  }
  return { kind: 'stuck' };
}

/** Answers the ACS page with the right code and waits until that page is gone, so the next look at the
 *  page never mistakes the answered challenge for a new one. */
async function answered(where) {
  await answerAcs(where, 'right');
  await where.locator('#otp').waitFor({ state: 'detached', timeout: 20000 }).catch(() => {});
}

async function startPayment(page, req) {
  if (req.saved) {
    await page.waitForSelector('#saved-cards:not([hidden])');
    await page.fill('#saved-cvc', '123');
    await page.click('#pay-saved');
  } else if (req.wallet) {
    await page.click(`#${req.wallet}-pay-button`);
    await page.waitForSelector('#wallet-panel:not([hidden])');
    await page.click('#wallet-sample-approve');
  } else {
    await page.fill('#card-number', CARDS[req.card]);
    await page.fill('#card-expiry', expiry());
    await page.fill('#card-cvc', '123');
    await page.fill('#card-holder', 'IVAN PETROV');
    await page.click('#pay');
  }
}

/** Waits until the sandbox logged a request to `path` after `since`. */
async function requestSent(sbx, path, since) {
  for (let i = 0; i < 200; i++) {
    const log = await json(`${sbx.gateway}/sandbox/requests?path=${encodeURIComponent(path)}`);
    if (log.some((e) => e.at >= since)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no request to ${path}`);
}

describe('money safety: the order is the idempotency key (fault matrix)', () => {
  let sbx; let browser;
  withSandboxAndBrowser((s, b) => { sbx = s; browser = b; });

  after(() => {
    const head = '| request | fault | mode | shopper | outcome shown | gateway orderStatus | orders | charges | retryable errors on a charged order |\n|---|---|---|---|---|---|---|---|---|\n';
    const body = rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
    writeFileSync(join(ARTIFACTS, 'money-safety-matrix.md'), head + body + '\n');
  });

  for (const [reqName, req] of Object.entries(REQUESTS)) {
    for (const [faultName, fault] of Object.entries(FAULTS)) {
      for (const mode of req.wallet || req.saved ? ['iframe'] : MODES) {
        for (const action of ACTIONS) {
          test(`${reqName} × ${faultName} × ${mode} × ${action}`, async () => {
            const query = QUERY;
            const { context, page } = await openCheckout(browser, sbx, { kind: 'script', mode, query });
            const retryableOnCharged = [];
            try {
              if (req.saved) {
                // The shopper's card saved by an earlier purchase (not counted: it is another intent), then the
                // checkout again, which offers it.
                await startPayment(page, { card: 'no3ds' });
                assert.equal((await nextState(page, {})).status, 'paid', 'the purchase that saves the card');
                await page.goto(`${sbx.store}/checkout.html?${query}&mode=${mode}`);
                await page.waitForSelector('body[data-ready]');
              }
              const since = Date.now();
              await fetch(`${sbx.gateway}/sandbox/faults`, { method: 'DELETE' });
              await json(`${sbx.gateway}/sandbox/faults`, {
                method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ path: req.path, fault, times: 1 }),
              });
              await startPayment(page, req);
              let reloaded = false;
              let attempts = 1;
              let state;
              for (let round = 0; round < 12; round++) {
                if (action === 'reload' && !reloaded) {
                  // The shopper reloads while the faulted request is out (its answer will never reach this page).
                  if (req.card === 'challenge') {
                    // The faulted request is finish3dsVer2Payment.do: the challenge comes first.
                    let s = await nextState(page, {});
                    for (let i = 0; i < 5 && !/^acs-/.test(s.kind); i++) s = await nextState(page, {});
                    if (s.kind === 'acs-frame') await answered(page.frameLocator('#challenge iframe'));
                    if (s.kind === 'acs-page') await answered(page);
                  }
                  await requestSent(sbx, req.path, since);
                  await page.waitForTimeout(200);
                  // The page may be navigating by itself (the module already resolved): then that is the reload.
                  await page.reload().catch(() => page.waitForLoadState().catch(() => {}));
                  reloaded = true;
                }
                state = await nextState(page, { wallet: !!req.wallet });
                if (state.kind === 'result' || state.kind === 'stuck') break;
                if (state.kind === 'acs-frame') { await answered(page.frameLocator('#challenge iframe')); continue; }
                if (state.kind === 'acs-page') { await answered(page); continue; }
                if (state.kind === 'error' || state.kind === 'resume-error') {
                  // Is a "retryable" error ever shown for an order the gateway charged?
                  const orders = await ordersSince(sbx, since);
                  let charged = 0;
                  for (const o of orders) charged += await charges(sbx, o);
                  if (state.retryable === 'true' && charged > 0) retryableOnCharged.push(state.code);
                  await page.waitForTimeout(1000);
                  if (state.kind === 'resume-error') {
                    await page.goto(`${sbx.store}/checkout.html?${query}&mode=${mode}`);
                    continue;
                  }
                  if (await page.isVisible('#check-status')) {
                    await page.click('#check-status');
                    await page.waitForTimeout(300);
                    if (/\/result\.html/.test(page.url())) continue;
                  }
                  attempts += 1;
                  await startPayment(page, req);
                  continue;
                }
                // A ready checkout form after the reload: the order is not paid yet, the shopper pays again.
                attempts += 1;
                await startPayment(page, req);
              }
              assert.equal(state.kind, 'result', `the shopper reaches a result (last state ${JSON.stringify(state)})`);
              const orders = await ordersSince(sbx, since);
              let total = 0;
              for (const o of orders) total += await charges(sbx, o);
              const st = await orderStatus(sbx, state.orderId);
              rows.push([reqName, faultName, mode, action, state.status, st.orderStatus, orders.length, total, retryableOnCharged.length]);
              assert.ok(total <= 1, `at most one charge per shopper intent (${total} over ${orders.length} orders)`);
              assert.equal(orders.length, 1, `one order for one intent, whatever the retries (${attempts} attempts)`);
              const want = { 2: 'paid', 1: 'authorized', 6: 'declined' }[st.orderStatus];
              assert.equal(state.status, want, `the outcome shown equals the gateway's state (${JSON.stringify(st)})`);
              assert.deepEqual(retryableOnCharged, [], 'no retryable error for a charged order');
            } finally {
              await context.close();
            }
          });
        }
      }
    }
  }
});

// A page whose `fetch` ignores the AbortSignal (a fetch polyfill without abort, such as unfetch, or an
// instrumentation wrapper that rebuilds the request's options) and a gateway that never answers: the module's
// deadline must hold all the same. The payment request is held unanswered and never processed; the shopper must get
// an answer within the request deadline and the status window, not wait for the gateway forever.
describe('money safety: a page whose fetch ignores the AbortSignal', () => {
  let sbx; let browser;
  withSandboxAndBrowser((s, b) => { sbx = s; browser = b; });

  for (const wrapper of ['options rebuilt without the signal', 'the signal dropped from the options']) {
    test(`a gateway that never answers, ${wrapper}: the request deadline holds`, async () => {
      const { context, page, problems } = await openCheckout(browser, sbx, { kind: 'script', mode: 'iframe', query: QUERY });
      try {
        // (Installed after the module loaded: it calls the page's fetch at each request, as wrappers expect.)
        await page.evaluate((kind) => {
          const native = window.fetch.bind(window);
          window.fetch = kind === 'options rebuilt without the signal'
            ? (u, o = {}) => native(u, { method: o.method, headers: o.headers, body: o.body, credentials: o.credentials })
            : (u, o = {}) => { const { signal, ...rest } = o; return native(u, rest); };
        }, wrapper);
        await fetch(`${sbx.gateway}/sandbox/faults`, { method: 'DELETE' });
        await json(`${sbx.gateway}/sandbox/faults`, {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ path: REQUESTS.paymentorder.path, fault: { methodNeverLoads: true }, times: 1 }),
        });
        const since = Date.now();
        await startPayment(page, { card: 'no3ds' });
        // Held unanswered, the request would keep the shopper waiting 10 minutes (the sandbox's hold).
        const shown = await page.waitForSelector('#form-error:not([hidden])', { timeout: 30_000 }).catch(() => null);
        const seconds = (Date.now() - since) / 1000;
        assert.ok(shown, `the shopper gets an answer, not a wait (nothing after ${seconds} s)`);
        assert.ok(seconds < 20, `within the request deadline (2 s) and the status window (4 s): ${seconds} s`);
        // The status window found the order unpaid, but the request is still out: the module cannot say "not paid".
        assert.equal(await shown.getAttribute('data-code'), 'status_unknown');
        const [orderId] = await ordersSince(sbx, since);
        assert.equal(await charges(sbx, orderId), 0, 'nothing charged');
        assert.deepEqual(problems, []);
      } finally {
        await fetch(`${sbx.gateway}/sandbox/faults`, { method: 'DELETE' });
        await context.close();
      }
    });
  }
});
