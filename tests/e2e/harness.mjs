// Shared by the end-to-end tests: builds what is missing, starts the gateway sandbox on a free port,
// launches Debian's Chromium through playwright-core, pays through the storefront's card form and reads the
// order's final state from the sandbox's getOrderStatusExtended.do.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { after, before } from 'node:test';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');
export const TOKEN = 'sandbox-e2e-token';
export const CODE = '12345678';
const SANDBOX_BIN = join(ROOT, 'target', 'debug', 'gateway-sandbox');

export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of readdirSync(path)) if (e !== 'dist' && e !== 'node_modules') m = Math.max(m, newest(join(path, e)));
  return m;
}

/** The sandbox binary, the module (pkg/, from scripts/build.sh) and the Vite-built npm page. */
export async function prepare() {
  if (!existsSync(join(ROOT, 'pkg', 'script', 'gateway_checkout.js')) || !existsSync(join(ROOT, 'pkg', 'web', 'gateway_checkout.js'))) {
    throw new Error('pkg/ is missing: run scripts/build.sh first');
  }
  if (!existsSync(SANDBOX_BIN)) {
    const r = spawnSync('cargo', ['build', '-q', '-p', 'gateway-sandbox'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('cargo build -p gateway-sandbox failed');
  }
  const dist = join(ROOT, 'www', 'npm-demo', 'dist', 'index.html');
  const sources = Math.max(newest(join(ROOT, 'www', 'npm-demo')), newest(join(ROOT, 'www', 'assets')), newest(join(ROOT, 'pkg', 'web')));
  if (!existsSync(dist) || statSync(dist).mtimeMs < sources) {
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'www', 'npm-demo', 'vite.config.js'), logLevel: 'warn' });
  }
  mkdirSync(ARTIFACTS, { recursive: true });
}

/** Starts the sandbox on 127.0.0.1:0. `store` is the storefront's origin (localhost), `gateway` the
 *  gateway's (127.0.0.1): two origins on one port. */
export async function startSandbox() {
  const child = spawn(SANDBOX_BIN, ['--addr', '127.0.0.1:0', '--www', join(ROOT, 'www'), '--pkg', join(ROOT, 'pkg'), '--token', TOKEN],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start:\n${log}`)), 15000);
    const onData = (d) => {
      log += d;
      const m = /sandbox listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the sandbox exited (${code}):\n${log}`)); });
  });
  child.removeAllListeners('exit');
  return {
    port,
    store: `http://localhost:${port}`,
    gateway: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Chromium, launched again (up to three times) when the browser process dies before Playwright is connected:
 *  a browser that crashes while starting (seen once in CI: SIGSEGV at launch, before any page) is no test result.
 *  A crash after launch still fails the test that meets it. */
export async function launch() {
  for (let attempt = 1; ; attempt++) {
    try {
      return await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    } catch (e) {
      if (attempt >= 3) throw e;
      console.error(`chromium did not start (attempt ${attempt} of 3), launching again: ${String(e.message).split('\n')[0]}`);
    }
  }
}

/** The order's state as the gateway reports it (POST orderId & token). */
export async function orderStatus(sbx, orderId) {
  const res = await fetch(`${sbx.gateway}/payment/rest/getOrderStatusExtended.do`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ orderId, token: TOKEN, language: 'en' }),
  });
  return res.json();
}

export const CARDS = {
  no3ds: '4444 5555 1111 3333',
  tds1: '4012 0010 3816 6662',
  challenge: '5555 5555 5555 5599',
  frictionless: '4000 0011 1111 1118',
  serverMethod: '4000 0022 2222 2224',
  softDecline: '4000 0033 3333 3330',
  decoupled: '4000 0044 4444 4446',
  insufficient: '4000 0055 5555 5557',
  issuerDecline: '4000 0066 6666 6663',
  methodHangs: '4000 0077 7777 7779',
  noMethods: '5200 0011 1111 1113',
  // Not from the seeds: UnionPay numbers need not pass the Luhn check; the gateway takes them by BIN.
  unionPay: '6200 0000 0000 0006',
};

export function pagePath(kind) {
  return kind === 'npm' ? '/npm-demo/dist/' : '/checkout.html';
}

export function expiry() {
  return `12/${String((new Date().getFullYear() + 3) % 100).padStart(2, '0')}`;
}

/** Opens a checkout page in a fresh context, with the page's errors collected. */
export async function openCheckout(browser, sbx, { kind = 'script', mode = 'iframe', lang = 'en', viewport, isMobile, query = '' } = {}) {
  const context = await browser.newContext({ viewport: viewport || { width: 1280, height: 860 }, isMobile, hasTouch: !!isMobile, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/favicon/.test(m.text())) problems.push(`console: ${m.text()}`); });
  await page.goto(`${sbx.store}${pagePath(kind)}?token=${TOKEN}&lang=${lang}&mode=${mode}${query ? `&${query}` : ''}`);
  await page.waitForSelector('body[data-ready]', { timeout: 15000 });
  return { context, page, problems };
}

export async function fillCard(page, pan, { twoStage = false } = {}) {
  await page.fill('#card-number', pan);
  await page.fill('#card-expiry', expiry());
  await page.fill('#card-cvc', '123');
  await page.fill('#card-holder', 'IVAN PETROV');
  if (twoStage) await page.check('#two-stage');
}

/** Answers the ACS page: `action` is 'right' | 'wrong' | 'cancel'. `where` is a Page (redirect) or a
 *  FrameLocator (iframe). */
export async function answerAcs(where, action) {
  const otp = where.locator('#otp');
  await otp.waitFor({ timeout: 20000 });
  if (action !== 'cancel') await otp.fill(action === 'wrong' ? '00000000' : CODE);
  await clickSubmit(where.locator(action === 'cancel' ? '#cancel' : '#confirm'));
}

/**
 * Clicks a submit button and makes sure its form was submitted. The ACS (127.0.0.1) is cross-site to the
 * storefront (localhost), so Chrome runs its frame out of process; for a moment after it loads, input is routed
 * to the parent's <iframe> element instead of the page inside (stop 16 traced the "Cancel does nothing"
 * intermittent to exactly that: the click event reached the IFRAME, no submit fired). A shopper clicks again;
 * so does this, only when no submit event fired, so a form is never sent twice.
 */
export async function clickSubmit(button, attempts = 4) {
  for (let i = 1; ; i++) {
    await button.evaluate((b) => new Promise((done) => {
      window.__e2eSubmitted = false;
      b.form?.addEventListener('submit', () => { window.__e2eSubmitted = true; }, { once: true });
      // Two frames rendered by this document: it is on screen and hit-testable.
      requestAnimationFrame(() => requestAnimationFrame(done));
    }));
    await button.click();
    // The submit event fires during the click; a document already gone (navigated) was submitted too.
    const submitted = await button.evaluate(() => window.__e2eSubmitted !== false, null, { timeout: 1000 }).catch(() => true);
    if (submitted) return;
    if (i >= attempts) throw new Error(`the click on the ACS button never submitted its form (${attempts} tries)`);
  }
}

/**
 * Pays one order through the card form and waits for the result page.
 * challenge: null (none expected) or 'right' | 'wrong' | 'cancel'.
 * Returns { orderId, status (the page's), windowSize, ms }.
 */
export async function payThroughForm(page, { pan, mode, challenge, twoStage, shot }) {
  const t0 = Date.now();
  await fillCard(page, pan, { twoStage });
  await page.click('#pay');
  let windowSize = null;
  if (challenge) {
    if (mode === 'iframe') {
      const frame = page.locator('#challenge iframe');
      await frame.waitFor({ timeout: 25000 });
      windowSize = await frame.getAttribute('data-window-size');
      const acs = page.frameLocator('#challenge iframe');
      await acs.locator('#otp').waitFor({ timeout: 20000 });
      if (shot) await page.screenshot({ path: join(ARTIFACTS, `${shot}-challenge.png`) });
      await answerAcs(acs, challenge);
    } else {
      // The whole page goes to the bank (the gateway's origin), then back to the return page.
      await page.waitForURL((u) => u.host.startsWith('127.0.0.1'), { timeout: 25000 });
      await page.locator('#otp').waitFor({ timeout: 20000 });
      windowSize = await page.getAttribute('body', 'data-window-size');
      if (shot) await page.screenshot({ path: join(ARTIFACTS, `${shot}-challenge.png`) });
      await answerAcs(page, challenge);
    }
  }
  await page.waitForURL(/\/result\.html\?orderId=/, { timeout: 30000 });
  await page.waitForSelector('#result-status');
  const orderId = new URL(page.url()).searchParams.get('orderId');
  const status = await page.getAttribute('body', 'data-status');
  if (shot) await page.screenshot({ path: join(ARTIFACTS, `${shot}-result.png`), fullPage: true });
  return { orderId, status, windowSize, ms: Date.now() - t0 };
}

/** What the sandbox logged for an order (card data masked). */
export async function orderRequests(sbx, orderId) {
  const res = await fetch(`${sbx.gateway}/sandbox/orders/${encodeURIComponent(orderId)}/requests`);
  return res.json();
}

export async function addFault(sbx, fault) {
  const res = await fetch(`${sbx.gateway}/sandbox/faults`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(fault),
  });
  if (!res.ok) throw new Error(`POST /sandbox/faults: HTTP ${res.status}`);
}

/** Registers the suite's hooks: before, build what is missing and start a sandbox and a browser (handed to
 *  `set`); after, stop both. */
export function withSandboxAndBrowser(set) {
  let sbx; let browser;
  before(async () => {
    await prepare();
    sbx = await startSandbox();
    browser = await launch();
    set(sbx, browser);
  });
  after(async () => {
    await browser?.close();
    await sbx?.stop();
  });
}
