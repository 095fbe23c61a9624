// The storefront served as a bank-grade merchant serves its checkout (issue 11): every page with `?csp=strict`
// gets, from the sandbox, a strict Content-Security-Policy with Trusted Types
//   default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self';
//   connect-src 'self' <gateway>; frame-src 'self' <gateway>; form-action <gateway>; base-uri 'none';
//   frame-ancestors 'self'; require-trusted-types-for 'script'; trusted-types 'none'
// (sandbox/src/statics.rs strict_csp; the storefront passes the flag on to its return and result pages), and the
// script-tag build's <script> its Subresource Integrity values from pkg/script/sri.json (scripts/size-report.mjs).
//
// - every sandbox card (cards.mjs CASES) in iframe and in redirect mode, and the wallets, with ZERO
//   `securitypolicyviolation` events in any document (checkout page, method and challenge frames, ACS, return
//   page, result page: an init script listens in each) and no CSP / Trusted Types console errors; the 3DS method
//   frames invisible (0×0, visibility hidden or off-screen) from the moment they are added until removed; the
//   challenge frame at the size its data-window-size announces (viewports chosen so that 01–05 all occur);
// - the script-tag page loads with the build's SRI values, and a glue or .wasm changed by one byte is refused;
// - a return page that refuses framing ends, in iframe mode, through the full-page redirect.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { CASES } from './cards.mjs';
import {
  answerAcs, ARTIFACTS, CARDS, fillCard, orderRequests, orderStatus, pagePath, ROOT, TOKEN, withSandboxAndBrowser,
} from './harness.mjs';

const DIMS = { '01': [250, 400], '02': [390, 400], '03': [500, 600], '04': [600, 400] };
// Viewports where the checkout's challenge container gets each window size (as in 4-challenge-sizing).
const VIEWPORTS = {
  '01': { viewport: { width: 375, height: 740 }, isMobile: true },
  '02': { viewport: { width: 480, height: 800 } },
  '03': { viewport: { width: 1280, height: 860 } },
  '04': { viewport: { width: 1280, height: 560 } },
  '05': { viewport: { width: 740, height: 360 }, isMobile: true },
};
// The least number of hidden method frames each card makes (sandbox/src/cards.rs: 3DS Server + ACS method).
const METHOD_FRAMES = {
  no3ds: 0, tds1: 0, insufficient: 0, noMethods: 0, unionPay: 0, serverMethod: 1,
  challenge: 2, frictionless: 2, softDecline: 2, decoupled: 2, issuerDecline: 2, methodHangs: 2,
};
const CSP_CONSOLE = /Content.Security.Policy|Trusted.?Type|TrustedHTML|TrustedScript|integrity/i;

/**
 * Runs in every document of the context, before its scripts. Reports (through the `__strictReport` binding) the
 * document itself, every `securitypolicyviolation`, and on the storefront's top-level pages every iframe added
 * outside the challenge container (the module's 3DS method frames), measured when added and every 20 ms until
 * removed: any sample that could be seen is reported.
 */
function watchDocument() {
  const report = (kind, data) => {
    try { window.__strictReport({ kind, url: location.href, ...data }); } catch { /* binding not there */ }
  };
  window.__strictWatch = true;
  if (/^https?:/.test(location.href)) report('document', { top: window === window.top });
  addEventListener('securitypolicyviolation', (e) => report('violation', {
    directive: e.effectiveDirective, violated: e.violatedDirective, blocked: e.blockedURI, document: e.documentURI,
    source: e.sourceFile, line: e.lineNumber, sample: e.sample, disposition: e.disposition,
  }), true);
  if (window !== window.top || location.hostname !== 'localhost') return;
  let n = 0;
  const measure = (f) => {
    const b = f.getBoundingClientRect();
    const cs = getComputedStyle(f);
    return {
      width: b.width, height: b.height, left: b.left, top: b.top, right: b.right, bottom: b.bottom,
      visibility: cs.visibility, display: cs.display, opacity: cs.opacity, viewport: [innerWidth, innerHeight],
    };
  };
  const seen = (m) => m.display !== 'none' && m.visibility !== 'hidden' && Number(m.opacity) > 0
    && m.width > 0 && m.height > 0 && m.right > 0 && m.bottom > 0 && m.left < m.viewport[0] && m.top < m.viewport[1];
  const watchFrame = (f) => {
    const id = ++n;
    const first = measure(f);
    report('method-frame', { id, name: f.name, first });
    let samples = 0;
    let shown = 0;
    const check = () => {
      if (!f.isConnected) {
        clearInterval(timer);
        report('method-frame-removed', { id, samples, shown });
        return;
      }
      const m = measure(f);
      samples++;
      if (seen(m)) {
        shown++;
        if (shown <= 3) report('method-frame-visible', { id, name: f.name, sample: m });
      }
    };
    const timer = setInterval(check, 20);
    if (seen(first)) report('method-frame-visible', { id, name: f.name, sample: first });
  };
  new MutationObserver((records) => {
    for (const r of records) {
      for (const node of r.addedNodes) {
        const frames = node.nodeName === 'IFRAME' ? [node] : (node.querySelectorAll ? [...node.querySelectorAll('iframe')] : []);
        for (const f of frames) if (!f.closest('#challenge')) watchFrame(f);
      }
    }
  }).observe(document, { childList: true, subtree: true });
}

/** A fresh context with the watcher; opens the strict storefront page. Returns { context, page, log }. */
async function openStrict(browser, sbx, { kind = 'script', mode = 'iframe', size = '03', query = '', wait = true } = {}) {
  const { viewport, isMobile } = VIEWPORTS[size];
  const context = await browser.newContext({ viewport, isMobile, hasTouch: !!isMobile, deviceScaleFactor: 1 });
  const log = { documents: [], violations: [], frames: [], visible: [], removed: [], console: [], problems: [] };
  await context.exposeBinding('__strictReport', (_source, e) => {
    if (e.kind === 'document') log.documents.push(e);
    else if (e.kind === 'violation') log.violations.push(e);
    else if (e.kind === 'method-frame') log.frames.push(e);
    else if (e.kind === 'method-frame-visible') log.visible.push(e);
    else if (e.kind === 'method-frame-removed') log.removed.push(e);
  });
  await context.addInitScript(watchDocument);
  const page = await context.newPage();
  page.on('pageerror', (e) => log.problems.push(`pageerror: ${e.message}`));
  // STRICT_DEBUG=1: a failing case prints its network and navigation trace, frames, order status and requests.
  if (process.env.STRICT_DEBUG) {
    log.net = [];
    const t0 = Date.now();
    page.on('request', (r) => log.net.push(`${Date.now() - t0} req ${r.method()} ${r.url().slice(0, 90)} ${r.isNavigationRequest() ? 'nav' : ''}`));
    page.on('requestfinished', (r) => log.net.push(`${Date.now() - t0} done ${r.url().slice(0, 90)}`));
    page.on('requestfailed', (r) => log.net.push(`${Date.now() - t0} FAILED ${r.url().slice(0, 90)} ${r.failure()?.errorText}`));
    page.on('framenavigated', (f) => log.net.push(`${Date.now() - t0} framenav ${f.url().slice(0, 90)}`));
    log.mark = (m) => log.net.push(`${Date.now() - t0} MARK ${m}`);
  }
  page.on('console', (m) => {
    if (CSP_CONSOLE.test(m.text())) log.console.push(`${m.type()}: ${m.text()}`);
    else if (m.type() === 'error') log.problems.push(`console: ${m.text()}`);
  });
  const res = await page.goto(`${sbx.store}${pagePath(kind)}?token=${TOKEN}&lang=en&mode=${mode}&csp=strict${query ? `&${query}` : ''}`);
  const csp = res.headers()['content-security-policy'] || '';
  assert.match(csp, /require-trusted-types-for 'script'/, `the page is served strict (is target/debug/gateway-sandbox current?): ${csp}`);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|'unsafe-hashes'/, csp);
  if (wait) await page.waitForSelector('body[data-ready]', { timeout: 20000 });
  return { context, page, log };
}

/** Nothing a strict policy or Trusted Types refused, anywhere. */
function assertClean(log) {
  assert.deepEqual(log.violations, [], 'no securitypolicyviolation event in any document');
  assert.deepEqual(log.console, [], 'no CSP / Trusted Types / integrity message on the console');
}

/** The method frames were there and never visible. */
function assertMethodFramesHidden(log, atLeast) {
  assert.ok(log.frames.length >= atLeast, `${log.frames.length} method frame(s) seen, ${atLeast} expected`);
  assert.deepEqual(log.visible, [], 'every method frame is invisible (0×0, visibility hidden or off-screen) all the time');
}

/** The challenge frame as laid out on the checkout page, measured while the ACS page is shown. */
async function challengeFrameBox(page) {
  return page.evaluate(() => {
    const f = document.querySelector('#challenge iframe');
    const b = f.getBoundingClientRect();
    const cs = getComputedStyle(f);
    return {
      size: f.getAttribute('data-window-size'), title: f.title, width: b.width, height: b.height,
      visibility: cs.visibility, display: cs.display,
      container: document.getElementById('challenge').getBoundingClientRect().width, innerHeight,
    };
  });
}

function assertAnnouncedSize(box, wanted) {
  assert.equal(box.size, wanted, 'the window size the module chose for this viewport');
  assert.ok(box.title, 'the challenge frame has an accessible title');
  assert.equal(box.visibility, 'visible');
  if (DIMS[box.size]) {
    const [w, h] = DIMS[box.size];
    assert.equal(Math.round(box.width), w, `challenge frame width for ${box.size} (${JSON.stringify(box)})`);
    assert.equal(Math.round(box.height), h, `challenge frame height for ${box.size} (${JSON.stringify(box)})`);
  } else {
    assert.ok(Math.abs(box.width - box.container) <= 1, `05 fills the container's width (${JSON.stringify(box)})`);
    assert.ok(box.height >= 300 && box.height <= box.innerHeight + 0.5, `05 height (${JSON.stringify(box)})`);
  }
}

/** Follows a payment started on the page to the result page; measures the challenge frame on the way. */
async function followPayment(page, { mode, challenge, log = {} }) {
  let box = null;
  let windowSize = null;
  if (challenge) {
    if (mode === 'iframe') {
      const frameEl = page.locator('#challenge iframe');
      await frameEl.waitFor({ timeout: 25000 });
      const frame = await (await frameEl.elementHandle()).contentFrame();
      await frame.waitForSelector('#otp', { timeout: 20000 });
      box = await challengeFrameBox(page);
      windowSize = box.size;
      assert.equal(await frame.evaluate(() => window.__strictWatch === true), true, 'the watcher runs in the ACS frame');
      log.mark?.('answer');
      await answerAcs(page.frameLocator('#challenge iframe'), challenge);
      log.mark?.('answered');
    } else {
      await page.waitForURL((u) => u.host.startsWith('127.0.0.1'), { timeout: 25000 });
      await page.locator('#otp').waitFor({ timeout: 20000 });
      windowSize = await page.getAttribute('body', 'data-window-size');
      await answerAcs(page, challenge);
    }
  }
  await page.waitForURL(/\/result\.html\?orderId=/, { timeout: 30000 });
  await page.waitForSelector('#result-status');
  return {
    orderId: new URL(page.url()).searchParams.get('orderId'),
    status: await page.getAttribute('body', 'data-status'),
    box,
    windowSize,
  };
}

const sha384 = (path) => `sha384-${createHash('sha384').update(readFileSync(path)).digest('base64')}`;

describe('strict CSP + Trusted Types storefront (csp=strict)', () => {
  let sbx; let browser;
  // The sandbox binary must know ?csp=strict: build it when it is older than its sources (a no-op otherwise;
  // if it fails, the existing binary is used and openStrict says what is missing).
  before(() => { spawnSync('cargo', ['build', '-q', '-p', 'gateway-sandbox'], { cwd: ROOT, stdio: 'inherit' }); });
  withSandboxAndBrowser((s, b) => { sbx = s; browser = b; });

  for (const mode of ['iframe', 'redirect']) {
    let challenges = 0;
    CASES.forEach(([id, title, card, challenge, orderStatusWanted, actionCode, pageStatus], i) => {
      const kind = (i % 2 === 0) === (mode === 'iframe') ? 'script' : 'npm';
      // Iframe challenges rotate through viewports so that every window size 01–05 is met.
      const size = mode === 'iframe' && challenge ? ['03', '01', '02', '04', '05'][challenges++ % 5] : '03';
      test(`${title} [${kind} page, ${mode}${mode === 'iframe' && challenge ? `, window ${size}` : ''}]`, async () => {
        const { context, page, log } = await openStrict(browser, sbx, { kind, mode, size });
        try {
          await fillCard(page, CARDS[card]);
          await page.click('#pay');
          const r = await followPayment(page, { mode, challenge, log });
          const st = await orderStatus(sbx, r.orderId);
          assert.equal(st.orderStatus, orderStatusWanted, `gateway orderStatus (${JSON.stringify(st)})`);
          if (actionCode !== undefined) assert.equal(st.actionCode, actionCode, `gateway actionCode (${JSON.stringify(st)})`);
          assert.equal(r.status, pageStatus, 'the result page');
          if (challenge && mode === 'iframe') assertAnnouncedSize(r.box, size);
          if (challenge && mode === 'redirect') assert.equal(r.windowSize, '05', 'a full-page challenge is 05');
          if (id === 'method-never-completes') {
            const cont = (await orderRequests(sbx, r.orderId)).find((e) => e.path.endsWith('/3ds/continue.do'));
            assert.equal(cont?.params?.threeDSMethodCompInd, 'N', 'the method that never loads is reported as N');
          }
          assertMethodFramesHidden(log, METHOD_FRAMES[card]);
          // The watcher ran in the return page (after a challenge) and in the result page.
          const docs = log.documents.map((d) => new URL(d.url).pathname);
          if (challenge) assert.ok(docs.some((p) => p.endsWith('/return.html')), `the return page was watched (${docs})`);
          assert.ok(docs.includes('/result.html'), `the result page was watched (${docs})`);
          assertClean(log);
          assert.deepEqual(log.problems, [], 'no page errors');
        } catch (e) {
          await page.screenshot({ path: join(ARTIFACTS, `strict-${id}-${kind}-${mode}-failed.png`), fullPage: true }).catch(() => {});
          if (process.env.STRICT_DEBUG) {
            const o = await page.getAttribute('body', 'data-order-id').catch(() => null);
            console.error('DEBUG frames', page.frames().map((f) => f.url()));
            console.error('DEBUG log', JSON.stringify(log, null, 1));
            if (o) console.error('DEBUG status', JSON.stringify(await orderStatus(sbx, o).catch((x) => String(x))));
            if (o) console.error('DEBUG requests', JSON.stringify(await orderRequests(sbx, o).catch((x) => String(x)), null, 1));
          }
          throw e;
        } finally {
          await context.close();
        }
      });
    });
  }

  // [title, wallet, page kind, mode, sample, challenge]
  const WALLET_RUNS = [
    ['Apple Pay, approve → paid', 'apple', 'script', 'iframe', 'approve', null],
    ['Google Pay, approve → paid', 'google', 'npm', 'redirect', 'approve', null],
    ['Google Pay, 3DS2 → methods, challenge → paid', 'google', 'script', 'iframe', '3ds2', 'right'],
  ];
  for (const [title, wallet, kind, mode, sample, challenge] of WALLET_RUNS) {
    test(`wallet: ${title} [${kind} page, ${mode}]`, async () => {
      const { context, page, log } = await openStrict(browser, sbx, { kind, mode });
      try {
        await page.click(`#${wallet}-pay-button`);
        await page.waitForSelector('#wallet-panel:not([hidden])');
        assert.ok(JSON.parse(await page.textContent('#wallet-request')), 'the wallet request object is shown');
        await page.click(`#wallet-sample-${sample}`);
        const r = await followPayment(page, { mode, challenge, log });
        assert.equal(r.status, 'paid', 'the result page');
        assert.equal((await orderStatus(sbx, r.orderId)).orderStatus, 2);
        if (challenge) assertAnnouncedSize(r.box, '03');
        assertMethodFramesHidden(log, sample === '3ds2' ? 1 : 0);
        assertClean(log);
        assert.deepEqual(log.problems, [], 'no page errors');
      } finally {
        await context.close();
      }
    });
  }

  test('SRI: the script-tag page loads with the integrity values the build printed (pkg/script/sri.json)', async () => {
    const sriPath = join(ROOT, 'pkg', 'script', 'sri.json');
    assert.ok(existsSync(sriPath), 'pkg/script/sri.json is missing: run scripts/build.sh (scripts/size-report.mjs writes it)');
    const sri = JSON.parse(readFileSync(sriPath, 'utf8'));
    const js = sha384(join(ROOT, 'pkg', 'script', 'gateway_checkout.js'));
    const wasm = sha384(join(ROOT, 'pkg', 'script', 'gateway_checkout_bg.wasm'));
    assert.deepEqual(sri, { 'gateway_checkout.js': js, 'gateway_checkout_bg.wasm': wasm }, 'sri.json matches the files');
    const { context, page, log } = await openStrict(browser, sbx, { kind: 'script' });
    try {
      const tag = await page.evaluate(() => {
        const s = document.querySelector('script[src="/pkg/script/gateway_checkout.js"]');
        return { integrity: s.getAttribute('integrity'), crossorigin: s.getAttribute('crossorigin'), wasm: s.dataset.wasmIntegrity };
      });
      assert.deepEqual(tag, { integrity: js, crossorigin: 'anonymous', wasm });
      assert.match(await page.textContent('#module-version'), /\d+\.\d+/, 'the module started');
      const wasmLoads = await page.evaluate(() => performance.getEntriesByType('resource')
        .filter((e) => e.name.endsWith('/pkg/script/gateway_checkout_bg.wasm')).length);
      assert.equal(wasmLoads, 1, 'the .wasm was fetched once (with its integrity)');
      assertClean(log);
      assert.deepEqual(log.problems, []);
    } finally {
      await context.close();
    }
  });

  for (const [file, what] of [['gateway_checkout.js', 'JS glue'], ['gateway_checkout_bg.wasm', '.wasm']]) {
    test(`SRI: a ${what} changed by one byte is refused by the browser and the module never starts`, async () => {
      const { viewport } = VIEWPORTS['03'];
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const messages = [];
      page.on('console', (m) => messages.push(m.text()));
      let served = 0;
      await page.route(`**/pkg/script/${file}`, async (route) => {
        const res = await route.fetch();
        const body = Buffer.from(await res.body());
        // One byte: the glue's last character (a newline, so the script stays valid), a byte of the .wasm.
        const at = file.endsWith('.js') ? body.length - 1 : body.length >> 1;
        body[at] = file.endsWith('.js') ? 0x20 : body[at] ^ 0x01;
        served++;
        await route.fulfill({ response: res, body });
      });
      try {
        await page.goto(`${sbx.store}/checkout.html?token=${TOKEN}&lang=en&mode=iframe&csp=strict`);
        await page.waitForSelector('#form-error:not([hidden])', { timeout: 20000 });
        assert.ok(served >= 1, 'the tampered copy was served');
        assert.match(await page.textContent('#form-error'), /^The payment module did not load\./);
        assert.equal(await page.getAttribute('body', 'data-ready'), null, 'the checkout never became ready');
        assert.equal(await page.isDisabled('#pay'), true, 'nothing can be paid');
        const refused = messages.find((t) => /integrity/i.test(t) && t.includes(file));
        assert.ok(refused, `the browser refused ${file} for its integrity (console: ${JSON.stringify(messages)})`);
        if (file.endsWith('.js')) {
          assert.equal(await page.evaluate(() => typeof GatewayCheckout), 'undefined', 'the glue never ran');
        } else {
          assert.equal(await page.evaluate(() => typeof GatewayCheckout), 'function', 'the glue ran');
          assert.match(await page.textContent('#module-version'), /^…$/, 'no version: the .wasm never ran');
        }
      } finally {
        await context.close();
      }
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // MODULE DESIGN UNDER TEST (adjust here if it changes): before posting the challenge into an iframe, the
  // module probes the same-origin returnUrl's headers (HEAD; X-Frame-Options DENY or CSP frame-ancestors that
  // excludes the page) and, when the return page refuses framing, runs the challenge as the full-page redirect
  // instead: the page goes to the ACS, the shopper answers, the return page resume()s, the result page is paid.
  // `?unframeable=1` makes the sandbox serve every storefront page (the return page included) with
  // `X-Frame-Options: DENY` and `frame-ancestors 'none'`; the checkout gives the module returnUrl
  // `return.html?csp=strict&unframeable=1`.
  // ---------------------------------------------------------------------------------------------------------
  test('an unframeable return page: the iframe-mode challenge falls back to the full-page redirect and is paid within 30 s', async () => {
    const { context, page, log } = await openStrict(browser, sbx, { kind: 'script', mode: 'iframe', query: 'unframeable=1' });
    try {
      const probe = await fetch(`${sbx.store}/return.html?csp=strict&unframeable=1`, { method: 'HEAD' });
      assert.equal(probe.headers.get('x-frame-options'), 'DENY');
      assert.match(probe.headers.get('content-security-policy'), /frame-ancestors 'none'/);
      const t0 = Date.now();
      await fillCard(page, CARDS.challenge);
      await page.click('#pay');
      // The full-page challenge: the whole page at the ACS, within seconds.
      await page.waitForURL((u) => u.host.startsWith('127.0.0.1'), { timeout: 15000 });
      await page.locator('#otp').waitFor({ timeout: 15000 });
      assert.equal(await page.getAttribute('body', 'data-window-size'), '05', 'a full-page challenge is 05');
      await answerAcs(page, 'right');
      await page.waitForURL(/\/result\.html\?orderId=/, { timeout: 25000 });
      await page.waitForSelector('#result-status');
      const ms = Date.now() - t0;
      assert.ok(ms < 30000, `paid within 30 s (${ms} ms)`);
      assert.equal(await page.getAttribute('body', 'data-status'), 'paid');
      const orderId = new URL(page.url()).searchParams.get('orderId');
      assert.equal((await orderStatus(sbx, orderId)).orderStatus, 2);
      const docs = log.documents.map((d) => new URL(d.url));
      assert.ok(docs.some((u) => u.pathname === '/return.html' && u.searchParams.get('unframeable') === '1'),
        'the shopper came back through the unframeable return page');
      assertMethodFramesHidden(log, 2);
      assertClean(log);
      assert.deepEqual(log.problems, [], 'no page errors');
    } finally {
      await context.close();
    }
  });
});
