// The storefront in Firefox ESR (Debian's firefox-esr, driven over WebDriver BiDi by puppeteer-core; Playwright
// drives only its own Firefox build). A second engine where the module's waits differ most from Chromium's: frame
// loads, form posts into frames, beforeunload/pagehide and the back/forward cache. Each test pays through the
// storefront's form and checks the gateway's own state.

import assert from 'node:assert/strict';
import { describe, test, before, after } from 'node:test';
import puppeteer from 'puppeteer-core';
import { CARDS, CODE, TOKEN, expiry, orderRequests, orderStatus, prepare, startSandbox } from './harness.mjs';

const FIREFOX = '/usr/bin/firefox-esr';

async function openCheckout(browser, sbx, { kind = 'script', mode = 'iframe', query = '' } = {}) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const problems = [];
  // Not the module's: the sandbox's bank pages refuse their own favicon by their policy (Firefox reports it as a page
  // error), and puppeteer's BiDi helpers meet a frame that navigated cross-origin under them (__bidi_args).
  page.on('pageerror', (e) => { if (!/favicon|__bidi_/.test(e.message)) problems.push(`pageerror: ${e.message}`); });
  page.on('console', (m) => { if (m.type() === 'error' && !/favicon/.test(m.text())) problems.push(`console: ${m.text()}`); });
  const path = kind === 'npm' ? '/npm-demo/dist/' : '/checkout.html';
  await page.goto(`${sbx.store}${path}?token=${TOKEN}&lang=en&mode=${mode}${query ? `&${query}` : ''}`);
  await page.waitForSelector('body[data-ready]', { timeout: 20000 });
  return { context, page, problems };
}

/** Polls `check` (from here, not in the page: the bank's pages allow no eval) until it returns something. */
async function until(check, what, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The challenge iframe's frame once it shows the bank's code page. */
function challengeFrame(page) {
  return until(async () => {
    for (const f of page.frames()) {
      if (/\/acs\/(challenge|pareq)/.test(f.url()) && (await f.evaluate(() => !!document.querySelector('#otp')))) return f;
    }
    return null;
  }, 'the challenge in the iframe');
}

/** Enters the code on an ACS page (a Page, or the challenge iframe's Frame: this Firefox's BiDi finds no element
 *  handles inside a cross-origin frame, so the page's own DOM does it) and confirms. */
async function confirmAt(where) {
  await where.evaluate((code) => {
    document.querySelector('#otp').value = code;
    document.querySelector('#confirm').click();
  }, CODE);
}

async function fillCard(page, pan) {
  await page.type('#card-number', pan);
  await page.type('#card-expiry', expiry());
  await page.type('#card-cvc', '123');
  await page.type('#card-holder', 'IVAN PETROV');
}

/** The result page: the order and the status it shows. */
async function result(page) {
  await until(async () => /\/result\.html\?orderId=/.test(page.url()) && (await page.$('#result-status')), 'the result page');
  return {
    orderId: new URL(page.url()).searchParams.get('orderId'),
    status: await page.$eval('body', (b) => b.getAttribute('data-status')),
  };
}

/** Pays through the card form: the challenge answered in the frame or on the bank's page; the result page. */
async function pay(page, { pan, mode }) {
  await fillCard(page, pan);
  await page.click('#pay');
  if (mode === 'iframe') {
    await confirmAt(await challengeFrame(page));
  } else {
    await until(async () => page.url().includes('127.0.0.1') && (await page.$('#otp')), "the bank's page");
    await confirmAt(page);
  }
  return result(page);
}

describe('the storefront in Firefox ESR', () => {
  let sbx; let browser;
  before(async () => {
    await prepare();
    sbx = await startSandbox();
    browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  });
  after(async () => {
    await browser?.close();
    await sbx?.stop();
  });

  test('3DS2 challenge in the iframe: the methods ran (Y, the ACS notified the 3DS Server), paid once', async () => {
    const { context, page, problems } = await openCheckout(browser, sbx, { mode: 'iframe' });
    try {
      const r = await pay(page, { pan: CARDS.challenge, mode: 'iframe' });
      assert.equal(r.status, 'paid');
      assert.equal((await orderStatus(sbx, r.orderId)).orderStatus, 2);
      const log = await orderRequests(sbx, r.orderId);
      assert.equal(log.find((e) => e.path.endsWith('/3ds/continue.do'))?.params?.threeDSMethodCompInd, 'Y');
      assert.ok(log.some((e) => e.path.endsWith('/3dsserver/api/v1/acs/notification')), 'the ACS method page ran');
      assert.equal(log.filter((e) => e.path.endsWith('/finish3dsVer2Payment.do')).length, 1);
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test('3DS2 challenge on the bank\'s page (full page), back through the return page: paid once', async () => {
    const { context, page, problems } = await openCheckout(browser, sbx, { mode: 'redirect' });
    try {
      const r = await pay(page, { pan: CARDS.challenge, mode: 'redirect' });
      assert.equal(r.status, 'paid');
      assert.equal((await orderStatus(sbx, r.orderId)).orderStatus, 2);
      const log = await orderRequests(sbx, r.orderId);
      assert.equal(log.filter((e) => e.path.endsWith('/finish3dsVer2Payment.do')).length, 1);
      assert.equal(log.filter((e) => e.path.endsWith('/paymentorder.do')).length, 1);
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test('3DS1 challenge in the iframe (the npm page): paid', async () => {
    const { context, page, problems } = await openCheckout(browser, sbx, { kind: 'npm', mode: 'iframe' });
    try {
      const r = await pay(page, { pan: CARDS.tds1, mode: 'iframe' });
      assert.equal(r.status, 'paid');
      assert.equal((await orderStatus(sbx, r.orderId)).orderStatus, 2);
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  // Where Firefox's policy events differ from Chromium's: the module learns of refused frames and posts from
  // `securitypolicyviolation` events, and must never wait the 10 s ceiling or the challenge time for them.
  const newOrder = async () => (await (await fetch(`${sbx.store}/shop/orders`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ amount: 1000, returnUrl: `${sbx.store}/return.html` }),
  })).json()).orderId;
  const addPolicy = (page, policy) => page.evaluate((content) => {
    const meta = document.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = content;
    document.head.append(meta);
  }, policy);
  /** Starts paying `orderId` with `pan` (the 3DS2 challenge card by default) from the page's own module; its
   *  outcome (status) or error (code, retryable) becomes `window.__paying`. */
  const payCard = (page, orderId, extra = {}, pan = '5555555555555599') => page.evaluate(({ gateway, token, orderId, extra, pan }) => {
    const c = new GatewayCheckout.Checkout({ gatewayUrl: `${gateway}/payment`, token, sandbox: true, returnUrl: `${location.origin}/return.html`, ...extra });
    window.__paying = c.payCard({ orderId, pan, expiry: '12/30', cvc: '123', cardholder: 'IVAN PETROV' })
      .then((o) => ({ status: o.status }), (e) => ({ code: e.code, retryable: e.retryable }));
  }, { gateway: sbx.gateway, token: TOKEN, orderId, extra, pan });

  test('frame-src \'none\': the methods are N at once, the challenge goes full-page, paid', async () => {
    const { context, page } = await openCheckout(browser, sbx);
    try {
      const orderId = await newOrder();
      await addPolicy(page, "frame-src 'none'");
      await page.evaluate(() => { const c = document.createElement('div'); c.id = 'csp-challenge'; document.body.append(c); });
      const t0 = Date.now();
      await payCard(page, orderId, { container: '#csp-challenge' });
      await until(async () => page.url().includes('127.0.0.1') && (await page.$('#otp')), "the bank's page");
      const ms = Date.now() - t0;
      const log = await orderRequests(sbx, orderId);
      assert.equal(log.find((e) => e.path.endsWith('/3ds/continue.do'))?.params?.threeDSMethodCompInd, 'N');
      assert.ok(ms < 9000, `no wait for the 10 s ceiling (${ms} ms)`);
      await confirmAt(page);
      assert.equal((await result(page)).status, 'paid');
    } finally { await context.close(); }
  });

  test('form-action \'none\' in redirect mode: redirect_blocked in seconds, nothing charged', async () => {
    const { context, page } = await openCheckout(browser, sbx);
    try {
      const orderId = await newOrder();
      await addPolicy(page, "form-action 'none'");
      const t0 = Date.now();
      await payCard(page, orderId, { challengeMode: 'redirect' });
      const r = await page.evaluate(() => window.__paying);
      assert.deepEqual(r, { code: 'redirect_blocked', retryable: true });
      assert.ok(Date.now() - t0 < 15000, `ended in ${Date.now() - t0} ms, not the challenge time`);
      assert.notEqual((await orderStatus(sbx, orderId)).orderStatus, 2);
    } finally { await context.close(); }
  });

  test('form-action \'self\' (a policy without the bank\'s hosts): the method posts are refused (N at once), then the challenge (redirect_blocked), never a dom error', async () => {
    const { context, page } = await openCheckout(browser, sbx);
    try {
      const orderId = await newOrder();
      await addPolicy(page, "form-action 'self'");
      const t0 = Date.now();
      // The frictionless card: without the device data of the refused methods, the sandbox's issuer asks for a
      // challenge, whose post is refused too, in the frame and on the whole page.
      await payCard(page, orderId, {}, '4000001111111118');
      assert.deepEqual(await page.evaluate(() => window.__paying), { code: 'redirect_blocked', retryable: true });
      assert.ok(Date.now() - t0 < 9000, `no wait for the 10 s ceiling (${Date.now() - t0} ms)`);
      const log = await orderRequests(sbx, orderId);
      assert.equal(log.find((e) => e.path.endsWith('/3ds/continue.do'))?.params?.threeDSMethodCompInd, 'N');
      assert.notEqual((await orderStatus(sbx, orderId)).orderStatus, 2);
    } finally { await context.close(); }
  });

  test('a page that may post no forms (CSP sandbox without allow-forms): the methods N at once, then redirect_blocked in seconds, nothing charged', async () => {
    // Firefox drops such a page's posts as Chromium does, silently: the module's probe must tell here too.
    const { context, page } = await openCheckout(browser, sbx, { query: 'sandboxed=1' });
    try {
      const orderId = await newOrder();
      const t0 = Date.now();
      await payCard(page, orderId, { timeouts: { challengeMs: 30000 } });
      assert.deepEqual(await page.evaluate(() => window.__paying), { code: 'redirect_blocked', retryable: true });
      assert.ok(Date.now() - t0 < 9000, `no wait for the 10 s ceiling or the challenge time (${Date.now() - t0} ms)`);
      const log = await orderRequests(sbx, orderId);
      assert.equal(log.find((e) => e.path.endsWith('/3ds/continue.do'))?.params?.threeDSMethodCompInd, 'N');
      assert.ok(!log.some((e) => e.path.endsWith('/acs/challenge')), 'the challenge post never left');
      assert.notEqual((await orderStatus(sbx, orderId)).orderStatus, 2);
    } finally { await context.close(); }
  });

  test('a second tab paying the same order while the first one runs is refused (busy, Web Locks); one charge', async () => {
    const { context, page } = await openCheckout(browser, sbx);
    try {
      const second = await context.newPage();
      await second.goto(`${sbx.store}/checkout.html?token=${TOKEN}`);
      await second.waitForSelector('body[data-ready]');
      const orderId = await newOrder();
      // The first tab's payment is slow at the gateway: the second tab tries meanwhile.
      await fetch(`${sbx.gateway}/sandbox/faults`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ path: '/payment/rest/paymentorder.do', orderId, fault: { processSlowlyMs: 1500 }, times: 1 }),
      });
      const start = (tab) => payCard(tab, orderId, {}, '4444555511113333');
      await start(page);
      await new Promise((r) => setTimeout(r, 300));
      await start(second);
      assert.equal((await second.evaluate(() => window.__paying)).code, 'busy', 'the other tab is refused before any request');
      assert.deepEqual(await page.evaluate(() => window.__paying), { status: 'paid' });
      const ledger = await (await fetch(`${sbx.gateway}/sandbox/ledger?orderId=${orderId}`)).json();
      assert.equal(ledger.length, 1, 'one charge');
      const log = await orderRequests(sbx, orderId);
      assert.equal(log.filter((e) => e.path.endsWith('/paymentorder.do')).length, 1, 'one payment request');
    } finally { await context.close(); }
  });
});
