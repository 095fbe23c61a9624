// The storefront in WebKitGTK (Safari's engine: Debian's webkit2gtk-driver, MiniBrowser on Xvfb, driven over W3C
// WebDriver with plain HTTP calls). WebKit keeps the checkout page in its back/forward cache when the shopper comes
// back from the bank's page with the Back button (Chromium does not, so the Chromium tests can only play that event):
// here the real restore is checked.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, test, before, after } from 'node:test';
import { CODE, TOKEN, orderRequests, prepare, startSandbox } from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** WebKitWebDriver on a virtual display, and a WebDriver session: `exec` runs a script in the page. */
async function startWebKit() {
  const port = await freePort();
  const driver = spawn('xvfb-run', ['-a', 'WebKitWebDriver', `--port=${port}`], { stdio: 'ignore', detached: true });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const res = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    return (await res.json()).value;
  };
  let id = null;
  for (let i = 0; i < 100 && !id; i++) {
    await sleep(100);
    id = await call('POST', '/session', { capabilities: {} }).then((v) => v?.sessionId, () => null);
  }
  if (!id) throw new Error('WebKitWebDriver did not start a session');
  const s = (p) => `/session/${id}${p}`;
  return {
    go: (url) => call('POST', s('/url'), { url }),
    back: () => call('POST', s('/back'), {}),
    url: () => call('GET', s('/url')),
    exec: (script, ...args) => call('POST', s('/execute/sync'), { script, args }),
    /** Runs the next calls in the iframe `selector` finds (null: back to the page). */
    async frame(selector) {
      if (!selector) return call('POST', s('/frame/parent'), {});
      const el = await call('POST', s('/element'), { using: 'css selector', value: selector });
      return call('POST', s('/frame'), { id: el });
    },
    async until(script, what, ms = 30000) {
      const end = Date.now() + ms;
      for (;;) {
        const v = await this.exec(script).catch(() => null);
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await sleep(100);
      }
    },
    async stop() {
      await call('DELETE', s('')).catch(() => {});
      try { process.kill(-driver.pid, 'SIGTERM'); } catch { /* gone */ }
    },
  };
}

describe('the storefront in WebKitGTK (Safari\'s engine)', () => {
  let sbx; let wk;
  before(async () => {
    await prepare();
    sbx = await startSandbox();
    wk = await startWebKit();
  });
  after(async () => {
    await wk?.stop();
    await sbx?.stop();
  });

  test('Back from the bank\'s page restores the checkout from the back/forward cache: the payment ends at once, and the order is paid once after', async () => {
    const { orderId } = await (await fetch(`${sbx.store}/shop/orders`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ amount: 1000, returnUrl: `${sbx.store}/return.html` }),
    })).json();
    await wk.go(`${sbx.store}/checkout.html?token=${TOKEN}&lang=en`);
    await wk.until('return document.body.dataset.ready', 'the checkout page');
    const pay = `window.__r = null;
      const c = new GatewayCheckout.Checkout({ gatewayUrl: arguments[0] + '/payment', token: arguments[1], sandbox: true, challengeMode: 'redirect', returnUrl: location.origin + '/return.html' });
      c.payCard({ orderId: arguments[2], pan: '5555555555555599', expiry: '12/30', cvc: '123', cardholder: 'IVAN PETROV' })
        .then((o) => { window.__r = { status: o.status }; }, (e) => { window.__r = { code: e.code, retryable: e.retryable }; });`;
    await wk.exec(`window.__kept = true; window.__shown = []; addEventListener('pageshow', (e) => window.__shown.push(e.persisted)); ${pay}`, sbx.gateway, TOKEN, orderId);
    await wk.until("return location.pathname === '/acs/challenge' && !!document.querySelector('#otp')", "the bank's page");
    const t0 = Date.now();
    await wk.back();
    const r = await wk.until('return window.__r', 'the payment to end on the restored page', 20000);
    const state = await wk.exec(`return { kept: window.__kept === true, shown: window.__shown,
      marks: Object.keys(localStorage).filter((k) => k.startsWith('gateway-checkout:at-bank:')),
      resume: sessionStorage.getItem('gateway-checkout:resume') }`);
    assert.deepEqual(state, { kept: true, shown: [true], marks: [], resume: null },
      'the page came back from the back/forward cache, and the mark and the resume state are gone');
    assert.deepEqual(r, { code: 'challenge_timeout', retryable: true }, 'nothing confirmed at the bank: the order may be paid again');
    assert.ok(Date.now() - t0 < 15000, `the payment ended at once, not at the challenge time (${Date.now() - t0} ms)`);
    // The shopper pays the same order again, and confirms this time.
    await wk.exec(pay, sbx.gateway, TOKEN, orderId);
    await wk.until("return location.pathname === '/acs/challenge' && !!document.querySelector('#otp')", "the bank's page again");
    await wk.exec("document.querySelector('#otp').value = arguments[0]; document.querySelector('#confirm').click();", CODE);
    await wk.until("return location.pathname === '/result.html' && document.body.dataset.status", 'the result page');
    assert.equal(await wk.exec('return document.body.dataset.status'), 'paid');
    const ledger = await (await fetch(`${sbx.gateway}/sandbox/ledger?orderId=${orderId}`)).json();
    assert.equal(ledger.length, 1, 'one charge');
    const log = await orderRequests(sbx, orderId);
    assert.equal(log.filter((e) => e.path.endsWith('/finish3dsVer2Payment.do')).length, 1, 'one finish');
  });

  test('3DS2 challenge in the iframe (the storefront form): the methods ran (Y), paid once', async () => {
    await wk.go(`${sbx.store}/checkout.html?token=${TOKEN}&lang=en&mode=iframe`);
    await wk.until('return document.body.dataset.ready', 'the checkout page');
    await wk.exec(`const set = (id, v) => { const el = document.getElementById(id); el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); };
      set('card-number', '5555 5555 5555 5599'); set('card-expiry', '12/' + String((new Date().getFullYear() + 3) % 100).padStart(2, '0'));
      set('card-cvc', '123'); set('card-holder', 'IVAN PETROV'); document.getElementById('pay').click();`);
    await wk.until("return !!document.querySelector('#challenge iframe')", 'the challenge frame');
    await wk.frame('#challenge iframe');
    await wk.until("return !!document.querySelector('#otp')", "the bank's page in the frame");
    await wk.exec("document.querySelector('#otp').value = arguments[0]; document.querySelector('#confirm').click();", CODE);
    await wk.frame(null);
    await wk.until("return location.pathname === '/result.html' && document.body.dataset.status", 'the result page');
    assert.equal(await wk.exec('return document.body.dataset.status'), 'paid');
    const orderId = new URL(await wk.url()).searchParams.get('orderId');
    const log = await orderRequests(sbx, orderId);
    assert.equal(log.find((e) => e.path.endsWith('/3ds/continue.do'))?.params?.threeDSMethodCompInd, 'Y');
    assert.ok(log.some((e) => e.path.endsWith('/3dsserver/api/v1/acs/notification')), 'the ACS method page ran');
    const ledger = await (await fetch(`${sbx.gateway}/sandbox/ledger?orderId=${orderId}`)).json();
    assert.equal(ledger.length, 1, 'one charge');
  });

  test('a cross-origin isolated checkout (COEP; WebKit has no credentialless frames): the methods are N at once, the challenge goes full-page, paid', async () => {
    await wk.go(`${sbx.store}/checkout.html?token=${TOKEN}&lang=en&mode=iframe&coep=1`);
    await wk.until('return document.body.dataset.ready', 'the checkout page');
    assert.equal(await wk.exec("return crossOriginIsolated === true && !('credentialless' in HTMLIFrameElement.prototype)"), true);
    const t0 = Date.now();
    await wk.exec(`const set = (id, v) => { const el = document.getElementById(id); el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); };
      set('card-number', '5555 5555 5555 5599'); set('card-expiry', '12/' + String((new Date().getFullYear() + 3) % 100).padStart(2, '0'));
      set('card-cvc', '123'); set('card-holder', 'IVAN PETROV'); document.getElementById('pay').click();`);
    await wk.until("return location.pathname === '/acs/challenge' && !!document.querySelector('#otp')", "the bank's page (full page)");
    assert.ok(Date.now() - t0 < 9000, `no wait for the 10 s ceiling (${Date.now() - t0} ms)`);
    await wk.exec("document.querySelector('#otp').value = arguments[0]; document.querySelector('#confirm').click();", CODE);
    await wk.until("return location.pathname === '/result.html' && document.body.dataset.status", 'the result page');
    assert.equal(await wk.exec('return document.body.dataset.status'), 'paid');
    const orderId = new URL(await wk.url()).searchParams.get('orderId');
    const log = await orderRequests(sbx, orderId);
    assert.equal(log.find((e) => e.path.endsWith('/3ds/continue.do'))?.params?.threeDSMethodCompInd, 'N', 'no frame could show the method page');
  });

  test('a page that may post no forms (CSP sandbox without allow-forms): WebKit cannot be asked, so the dropped post reads as unconfirmed (not retryable); nothing sent, nothing charged', async () => {
    // WebKit fires a submit event even where its sandbox then drops the post (measured with WebKitGTK 2.50), so the
    // module's probe finds forms allowed here: the methods end N at their ceiling, and the full-page post that never
    // leaves gives no sign of leaving, as a cancelled navigation gives none. The module then cannot say the order may
    // be paid again: redirect_unconfirmed. What must hold all the same: nothing left the page, nothing charged.
    await wk.go(`${sbx.store}/checkout.html?token=${TOKEN}&lang=en&mode=iframe&sandboxed=1`);
    await wk.until('return document.body.dataset.ready', 'the checkout page');
    const { orderId } = await (await fetch(`${sbx.store}/shop/orders`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ amount: 1000, returnUrl: `${sbx.store}/return.html` }),
    })).json();
    await wk.exec(`const [gateway, token, orderId] = arguments;
      const c = new GatewayCheckout.Checkout({ gatewayUrl: gateway + '/payment', token, sandbox: true, returnUrl: location.origin + '/return.html', timeouts: { methodMs: 1000, challengeMs: 30000 } });
      c.payCard({ orderId, pan: '5555555555555599', expiry: '12/30', cvc: '123', cardholder: 'IVAN PETROV' })
        .then((o) => { window.__paid = { status: o.status }; }, (e) => { window.__paid = { code: e.code, retryable: e.retryable }; });`, sbx.gateway, TOKEN, orderId);
    const r = await wk.until('return window.__paid', 'the payment\'s end', 45000);
    assert.deepEqual(r, { code: 'redirect_unconfirmed', retryable: false });
    assert.equal(await wk.exec('return location.search.includes("sandboxed=1")'), true, 'the page stayed');
    const log = await orderRequests(sbx, orderId);
    assert.equal(log.find((e) => e.path.endsWith('/3ds/continue.do'))?.params?.threeDSMethodCompInd, 'N');
    assert.ok(!log.some((e) => e.path.endsWith('/acs/challenge')), 'the challenge post never left');
    const ledger = await (await fetch(`${sbx.gateway}/sandbox/ledger?orderId=${orderId}`)).json();
    assert.equal(ledger.length, 0, 'nothing charged');
  });
});
