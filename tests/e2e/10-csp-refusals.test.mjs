// A merchant policy that refuses the module's frames must never leave the shopper waiting: method frames the
// page's Content Security Policy refuses count as not completed (threeDSCompInd N) at once, not after the
// 10 s ceiling and never as Y; a challenge frame refused before the bank's page shows goes full-page. A policy the
// merchant only tries out (Content-Security-Policy-Report-Only) refuses nothing, so it changes nothing.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CARDS, TOKEN, answerAcs, openCheckout, orderRequests, orderStatus, payThroughForm, withSandboxAndBrowser } from './harness.mjs';

const json = (url, init) => fetch(url, init).then((r) => r.json());

/** A new order of the shop's, returning to its return page. */
async function newOrder(sbx) {
  const { orderId } = await json(`${sbx.store}/shop/orders`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ amount: 1000, returnUrl: `${sbx.store}/return.html` }),
  });
  return orderId;
}

/** Gives the page a Content Security Policy (a meta element) and the challenge container #csp-challenge. */
function withPolicyAndContainer(page, policy) {
  return page.evaluate((policy) => {
    const meta = document.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = policy;
    document.head.append(meta);
    const c = document.createElement('div');
    c.id = 'csp-challenge';
    document.body.append(c);
  }, policy);
}

/** Starts paying `orderId` with the 3DS2 challenge card, the challenge going into #csp-challenge. */
function payWithChallenge(page, sbx, orderId) {
  page.evaluate(async ({ gateway, token, orderId }) => {
    const c = new GatewayCheckout.Checkout({ gatewayUrl: `${gateway}/payment`, token, sandbox: true, container: '#csp-challenge', returnUrl: `${location.origin}/return.html` });
    c.payCard({ orderId, pan: '5555555555555599', expiry: '12/30', cvc: '123', cardholder: 'IVAN PETROV' }).catch(() => {});
  }, { gateway: sbx.gateway, token: TOKEN, orderId });
}

describe('merchant policies that refuse the module\'s frames', () => {
  let sbx; let browser;
  withSandboxAndBrowser((s, b) => { sbx = s; browser = b; });

  test('frame-src refuses the method frames and the challenge frame: N at once, then the full-page challenge', async () => {
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script' });
    try {
      const orderId = await newOrder(sbx);
      // The page allows no frames at all (a policy written without 3-D Secure in mind).
      await withPolicyAndContainer(page, "frame-src 'none'");
      const t0 = Date.now();
      payWithChallenge(page, sbx, orderId);
      // The refused challenge frame: the whole page goes to the bank instead.
      await page.waitForURL((u) => u.host.startsWith('127.0.0.1'), { timeout: 20000 });
      await page.locator('#otp').waitFor({ timeout: 20000 });
      const ms = Date.now() - t0;
      const log = await json(`${sbx.gateway}/sandbox/orders/${orderId}/requests`);
      const cont = log.find((e) => e.path.endsWith('/3ds/continue.do'));
      assert.equal(cont?.params?.threeDSMethodCompInd, 'N', 'refused method frames are not completed');
      assert.ok(ms < 9000, `no wait for the 10 s ceiling (${ms} ms)`);
    } finally { await context.close(); }
  });

  test('a report-only policy refuses nothing: the methods complete (Y) and the challenge stays in its frame; the page sees no submit event', async () => {
    // Only an HTTP header can make a policy report-only: the sandbox serves the checkout page with one that would
    // refuse every frame and form post if it were enforced (?csp=report-only).
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script', query: 'csp=report-only' });
    try {
      const orderId = await newOrder(sbx);
      await page.evaluate(() => {
        window.reportedViolations = 0;
        document.addEventListener('securitypolicyviolation', (e) => { if (e.disposition === 'report') window.reportedViolations += 1; });
        // The module asks once whether the page may post forms, with a probe form that fires a submit event: it must
        // stay in its shadow root, unseen by the page's own listeners (analytics, Turbo).
        window.submitsSeen = 0;
        for (const t of [window, document]) t.addEventListener('submit', () => { window.submitsSeen += 1; }, true);
        const c = document.createElement('div');
        c.id = 'csp-challenge';
        document.body.append(c);
      });
      payWithChallenge(page, sbx, orderId);
      await page.frameLocator('#csp-challenge iframe').locator('#otp').waitFor({ timeout: 20000 });
      assert.ok(page.url().startsWith(sbx.store), `the page stayed, no full-page fallback (${page.url()})`);
      const log = await json(`${sbx.gateway}/sandbox/orders/${orderId}/requests`);
      const cont = log.find((e) => e.path.endsWith('/3ds/continue.do'));
      assert.equal(cont?.params?.threeDSMethodCompInd, 'Y', 'the method frames loaded: a report is no refusal');
      assert.ok(await page.evaluate(() => window.reportedViolations) > 0, 'the report-only policy was in force');
      assert.equal(await page.evaluate(() => window.submitsSeen), 0, 'the page saw no submit event');
    } finally { await context.close(); }
  });

  test('a return page that refuses frames and answers HEAD with 405: the challenge goes full-page, not into a frame that can never come back', async () => {
    // The return page sends X-Frame-Options DENY and frame-ancestors 'none' with its GET, but a HEAD of it is
    // refused (405, a server route that only knows GET): the module's HEAD probe learns nothing from it. In the
    // frame, the shopper would confirm at the bank and then face a refused page, and the payment would wait the
    // whole challenge time and end challenge_timeout, never finished.
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script' });
    try {
      const returnPath = '/return.html?unframeable=1&head=405';
      const { orderId } = await json(`${sbx.store}/shop/orders`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ amount: 1000, returnUrl: `${sbx.store}${returnPath}` }),
      });
      const head = await fetch(`${sbx.store}${returnPath}`, { method: 'HEAD' });
      assert.equal(head.status, 405, 'the return page refuses HEAD');
      assert.equal((await fetch(`${sbx.store}${returnPath}`)).headers.get('x-frame-options'), 'DENY', 'its GET refuses frames');
      await page.evaluate(({ gateway, token, orderId, returnPath }) => {
        const c = document.createElement('div');
        c.id = 'csp-challenge';
        document.body.append(c);
        const checkout = new GatewayCheckout.Checkout({ gatewayUrl: `${gateway}/payment`, token, sandbox: true, container: '#csp-challenge', returnUrl: `${location.origin}${returnPath}` });
        checkout.payCard({ orderId, pan: '5555555555555599', expiry: '12/30', cvc: '123', cardholder: 'IVAN PETROV' }).catch(() => {});
      }, { gateway: sbx.gateway, token: TOKEN, orderId, returnPath });
      await page.waitForURL((u) => u.host.startsWith('127.0.0.1'), { timeout: 20000 });
      await answerAcs(page, 'right');
      await page.waitForURL(/\/result\.html/, { timeout: 30000 });
      assert.equal(await page.getAttribute('body', 'data-status'), 'paid');
      assert.equal((await orderStatus(sbx, orderId)).orderStatus, 2);
    } finally { await context.close(); }
  });

  // A cross-origin isolated page (COOP same-origin + COEP require-corp, as a page using SharedArrayBuffer is): a
  // cross-origin page shows in its frames only if it opts in, which bank pages do not, or if the frame is
  // `credentialless` (Chromium). Chromium still fires `load` for the refused frame's error page.
  const methodRan = async (sbx, orderId) => {
    const log = await orderRequests(sbx, orderId);
    return {
      compInd: log.find((e) => e.path.endsWith('/3ds/continue.do'))?.params?.threeDSMethodCompInd,
      // The ACS's method page, when it really runs, posts its notification to the 3DS Server.
      notified: log.some((e) => e.path.endsWith('/3dsserver/api/v1/acs/notification')),
    };
  };

  test('a cross-origin isolated page (COEP require-corp): the module\'s frames are credentialless, the methods run (Y) and the challenge shows in its frame', async () => {
    const { context, page, problems } = await openCheckout(browser, sbx, { kind: 'script', mode: 'iframe', query: 'coep=1' });
    try {
      assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'the page is cross-origin isolated');
      const r = await payThroughForm(page, { pan: CARDS.challenge, mode: 'iframe', challenge: 'right' });
      assert.equal(r.status, 'paid');
      assert.deepEqual(await methodRan(sbx, r.orderId), { compInd: 'Y', notified: true }, 'the ACS method page ran, and Y says so');
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test('a cross-origin isolated page in a browser without credentialless frames (Firefox, Safari): N at once, and the challenge full-page', async () => {
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script', mode: 'iframe', query: 'coep=1' });
    try {
      await context.addInitScript(() => { delete HTMLIFrameElement.prototype.credentialless; });
      await page.reload();
      await page.waitForSelector('body[data-ready]');
      assert.equal(await page.evaluate(() => crossOriginIsolated && !('credentialless' in HTMLIFrameElement.prototype)), true);
      const t0 = Date.now();
      const r = await payThroughForm(page, { pan: CARDS.challenge, mode: 'redirect', challenge: 'right' });
      assert.equal(r.status, 'paid');
      const ran = await methodRan(sbx, r.orderId);
      assert.equal(ran.compInd, 'N', 'no frame could show the ACS method page: not completed, and never a Y');
      assert.ok(Date.now() - t0 < 25000, `no wait for the 10 s ceiling on top of the challenge (${Date.now() - t0} ms)`);
    } finally { await context.close(); }
  });

  // A page the browser forbids to post forms: framed by `<iframe sandbox>` without allow-forms, or sandboxed by its own
  // policy (CSP `sandbox`). The browser drops every form post silently: no throw, no event. Unseen, the methods waited
  // the 10 s ceiling and the challenge the whole challenge time, for a bank's page that could never show.

  /** Pays `orderId` with the challenge card in `frame` (its page's own Checkout; iframe mode): the error's code, or
   *  the status, and how long it took. */
  const payInFrame = (frame, sbx, orderId) => frame.evaluate(async ({ gateway, token, orderId }) => {
    const t0 = Date.now();
    const c = new GatewayCheckout.Checkout({ gatewayUrl: `${gateway}/payment`, token, sandbox: true, container: document.body, timeouts: { challengeMs: 60000 }, returnUrl: `${location.origin}/return.html` });
    try {
      return { status: (await c.payCard({ orderId, pan: '5555555555555599', expiry: '12/30', cvc: '123', cardholder: 'IVAN PETROV' })).status, ms: Date.now() - t0 };
    } catch (e) {
      return { code: e.code, retryable: e.retryable, orderId: e.orderId, ms: Date.now() - t0 };
    }
  }, { gateway: sbx.gateway, token: TOKEN, orderId });

  /** What a refused payment of `orderId` left: the methods' indicator (N: never posted), no challenge post reached the
   *  bank, nothing charged; and the order, paid again on `page` (not sandboxed), is paid once. */
  async function refusedThenPaidOnce(sbx, page, orderId, r, compInd = 'N') {
    assert.deepEqual({ code: r.code, retryable: r.retryable, orderId: r.orderId }, { code: 'redirect_blocked', retryable: true, orderId }, JSON.stringify(r));
    assert.ok(r.ms < 9000, `no wait for the 10 s ceiling or the challenge time (${r.ms} ms)`);
    const log = await orderRequests(sbx, orderId);
    assert.equal(log.find((e) => e.path.endsWith('/3ds/continue.do'))?.params?.threeDSMethodCompInd, compInd, 'the methods');
    assert.ok(!log.some((e) => e.path.endsWith('/acs/challenge')), 'the challenge post never left');
    assert.notEqual((await orderStatus(sbx, orderId)).orderStatus, 2, 'nothing charged');
    const again = payInFrame(page.mainFrame(), sbx, orderId);
    await answerAcs(page.frameLocator('iframe[data-window-size]'), 'right');
    assert.equal((await again).status, 'paid');
    assert.equal((await orderStatus(sbx, orderId)).orderStatus, 2);
    const finishes = (await orderRequests(sbx, orderId)).filter((e) => e.path.endsWith('/finish3dsVer2Payment.do'));
    assert.equal(finishes.length, 1, 'paid once');
  }

  /** The storefront's checkout page in an `<iframe sandbox="…">` on `page`, ready: its Frame. */
  async function checkoutInSandboxedFrame(page, sbx, sandbox) {
    await page.evaluate(({ src, sandbox }) => {
      const f = document.createElement('iframe');
      f.setAttribute('sandbox', sandbox);
      f.src = src;
      f.style.cssText = 'width:600px;height:700px';
      document.body.append(f);
    }, { src: `${sbx.store}/checkout.html?token=${TOKEN}&lang=en&mode=iframe`, sandbox });
    let framed;
    while (!(framed = page.frames().find((f) => f !== page.mainFrame() && f.url().includes('/checkout.html')))) await page.waitForTimeout(50);
    await framed.waitForSelector('body[data-ready]', { timeout: 15000 });
    return framed;
  }

  test('a checkout page in <iframe sandbox> without allow-forms: N at once and redirect_blocked in seconds, nothing charged', async () => {
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script' });
    try {
      const orderId = await newOrder(sbx);
      const framed = await checkoutInSandboxedFrame(page, sbx, 'allow-scripts allow-same-origin');
      await refusedThenPaidOnce(sbx, page, orderId, await payInFrame(framed, sbx, orderId));
    } finally { await context.close(); }
  });

  test('a page sandboxed by its own policy (CSP sandbox without allow-forms): the same', async () => {
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script', query: 'sandboxed=1' });
    try {
      const orderId = await newOrder(sbx);
      const r = await payInFrame(page.mainFrame(), sbx, orderId);
      const plain = await openCheckout(browser, sbx, { kind: 'script' });
      try { await refusedThenPaidOnce(sbx, plain.page, orderId, r); } finally { await plain.context.close(); }
    } finally { await context.close(); }
  });

  test('a checkout page in <iframe sandbox> without allow-same-origin (an opaque origin): the methods run, then redirect_blocked before the challenge is posted', async () => {
    // Its frames' loads are unreadable and a return page's message to its own origin never reaches an opaque one, so
    // the shopper confirmed at the bank and then waited the whole challenge time for nothing (challenge_timeout, the
    // order left unfinished at status 5).
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script' });
    try {
      const orderId = await newOrder(sbx);
      const framed = await checkoutInSandboxedFrame(page, sbx, 'allow-scripts allow-forms');
      assert.equal(await framed.evaluate(() => self.origin), 'null', 'an opaque origin');
      await refusedThenPaidOnce(sbx, page, orderId, await payInFrame(framed, sbx, orderId), 'Y');
    } finally { await context.close(); }
  });
  test('a frame the page refuses while the bank\'s page shows (a chat widget, a tag manager) does not end the challenge', async () => {
    const { context, page } = await openCheckout(browser, sbx, { kind: 'script' });
    try {
      const orderId = await newOrder(sbx);
      // Frames from the shop and the bank (the gateway, its ACS) only: what a strict merchant allows for 3-D Secure.
      await withPolicyAndContainer(page, "frame-src 'self' http://127.0.0.1:*");
      await page.evaluate(({ gateway, token, orderId }) => {
        const c = new GatewayCheckout.Checkout({ gatewayUrl: `${gateway}/payment`, token, sandbox: true, container: '#csp-challenge', returnUrl: `${location.origin}/return.html` });
        window.__paid = c.payCard({ orderId, pan: '5555555555555599', expiry: '12/30', cvc: '123', cardholder: 'IVAN PETROV' })
          .then((o) => o.status, (e) => `${e.code}`);
      }, { gateway: sbx.gateway, token: TOKEN, orderId });
      const acs = page.frameLocator('#csp-challenge iframe');
      await acs.locator('#otp').waitFor({ timeout: 20000 });
      // The shopper is typing the code when the page adds a frame its policy refuses.
      const refused = await page.evaluate(() => new Promise((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true });
        const widget = document.createElement('iframe');
        widget.src = 'http://127.0.0.9:9/chat-widget';
        document.body.append(widget);
      }));
      assert.equal(refused, 'frame-src', 'the widget frame was refused');
      await page.waitForTimeout(500);
      assert.equal(await page.locator('#csp-challenge iframe').count(), 1, 'the challenge frame is still there');
      await answerAcs(acs, 'right');
      assert.equal(await page.evaluate(() => window.__paid), 'paid');
      assert.equal((await orderStatus(sbx, orderId)).orderStatus, 2);
    } finally { await context.close(); }
  });
});
