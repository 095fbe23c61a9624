// The npm package as merchants install it: each fixture here is copied into a work directory outside the repo
// (so nothing resolves from the repo's own node_modules), installs its pinned dev dependencies from its
// package-lock.json and the packed pkg/ (`npm pack`), builds in production mode, is served, and pays against
// the gateway sandbox in Chromium: a card without 3DS and a 3DS2 challenge card with `gateway-checkout`, a card
// without 3DS with `gateway-checkout/web`, both cards with the card-only `gateway-checkout/card` (webpack, Rspack, Vite,
// Rollup, esbuild, Bun's bundler, Parcel, Angular, Next.js, whose server renders the page too), and an order paid with a token
// from `gateway-checkout/setoken`. Node (import and require), Bun and Deno (import) and workerd pay without a page,
// with payCard and with a seToken, and load `gateway-checkout/card`; node-cjs also as a server bundle (esbuild,
// CommonJS, run on its own). vite-dev and
// next-dev pay the same way through the dev servers (`vite`, `next dev`), which serve the sources unbundled. jest
// and vitest load the package in their jsdom environments (a merchant's component test) and run what needs no gateway. Each fixture
// type-checks with the repo's tsc under --strict against the shipped types.
//
//   node tests/bundlers/run.mjs [fixture…]      (scripts/test-bundlers.sh builds pkg/ and the sandbox first)
//
// Env: BUNDLERS_WORK (work directory; default $TMPDIR/gateway-checkout-bundlers; node_modules are kept there
// between runs while a fixture's lockfile is unchanged), GC_TARBALL (a packed tarball instead of packing pkg/),
// SANDBOX_BIN (default target/debug/gateway-sandbox).

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch } from '../e2e/harness.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..', '..');
const WORK = process.env.BUNDLERS_WORK || join(tmpdir(), 'gateway-checkout-bundlers');
const TOKEN = 'sandbox-bundlers-token';
const CODE = '12345678';
const CARDS = { no3ds: '4444 5555 1111 3333', challenge: '5555 5555 5555 5599' };
const VERSION = JSON.parse(readFileSync(join(ROOT, 'pkg', 'package.json'), 'utf8')).version;
const ENV = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CI: '1', npm_config_update_notifier: 'false' };

// The Next.js app served by `next start` after its production build: the server-rendered page must carry version()
// (the server import works) and the server's log no error.
const NEXT_SERVED = {
  serve: ['next', 'start', '-H', '127.0.0.1', '-p'],
  pages: [['/', ['no3ds', 'challenge'], 'gateway-checkout'], ['/web', ['no3ds'], 'gateway-checkout/web'], ['/card', ['no3ds', 'challenge'], 'gateway-checkout/card']],
  setoken: '/setoken',
  serverVersion: true,
  cleanLog: true,
};
// kind: 'static' (a dist/ served by the sandbox), 'next' (built, then `serve`d), 'dev' (a dev server, no build),
// 'node' (a probe script), 'runner' (a test runner's `npm test`), 'workerd'.
// page, pub: where tests/bundlers/shared/test-page.js and return.html go (a page 'src' also gets shared/entries/, the
// pages' entry modules); html: the four HTML pages of shared/pages/ written into pub, loading the emitted scripts as
// 'module' or 'classic' scripts (Vite and Parcel have pages of their own); src: the fixture's directory if not its
// name; script: the npm script that builds it (default build); out: what it emits.
const FIXTURES = {
  webpack: { kind: 'static', page: 'src', pub: 'public', out: 'dist', html: 'classic' },
  rspack: { kind: 'static', page: 'src', pub: 'public', out: 'dist', html: 'classic' },
  vite: { kind: 'static', page: 'src', pub: 'public', out: 'dist' },
  rollup: { kind: 'static', page: 'src', pub: 'public', out: 'dist', html: 'module' },
  esbuild: { kind: 'static', page: 'src', pub: 'public', out: 'dist', html: 'module' },
  bun: { kind: 'static', page: 'src', pub: 'public', out: 'dist', html: 'module' },
  parcel: { kind: 'static', page: 'src', pub: 'public', out: 'dist' },
  // Five apps of one Angular workspace built into dist/, their pages named by angular.json (the test page in src/app).
  // extraPages: [page, cards, entry] paid besides the four.
  angular: {
    kind: 'static', page: 'src/app', pub: 'public', out: 'dist',
    extraPages: [['card-web.html', ['no3ds', 'challenge'], 'gateway-checkout/card/web']],
  },
  next: { kind: 'next', page: 'app', pub: 'public', out: '.next', tsconfig: 'tsconfig.check.json', ...NEXT_SERVED },
  // The same app built with webpack instead of Turbopack (`next build --webpack`).
  'next-webpack': { kind: 'next', src: 'next', script: 'build:webpack', page: 'app', pub: 'public', out: '.next', tsconfig: 'tsconfig.check.json', ...NEXT_SERVED },
  // The dev servers merchants run first (`vite`, `next dev`), serving the same sources: no production build.
  // serve: the command (its port appended); pages: [path, cards, entry]; setoken: the seToken page's path.
  'vite-dev': {
    kind: 'dev', src: 'vite', page: 'src', pub: 'public', serve: ['vite', '--host', '127.0.0.1', '--strictPort', '--port'],
    pages: [['/index.html', ['no3ds', 'challenge'], 'gateway-checkout'], ['/web.html', ['no3ds'], 'gateway-checkout/web'], ['/card.html', ['no3ds', 'challenge'], 'gateway-checkout/card']],
    setoken: '/setoken.html',
  },
  'next-dev': {
    kind: 'dev', src: 'next', page: 'app', pub: 'public', tsconfig: 'tsconfig.check.json',
    serve: ['next', 'dev', '-H', '127.0.0.1', '-p'], pages: NEXT_SERVED.pages, setoken: NEXT_SERVED.setoken,
  },
  // A merchant's component tests: Jest's jsdom environment requires the package, Vitest's imports it (no page, no
  // gateway); `npm test` runs them.
  jest: { kind: 'runner' },
  vitest: { kind: 'runner' },
  // runtimes: other server runtimes that run the same probe (from the fixture's devDependencies), beside Node.
  'node-esm': { kind: 'node', runtimes: ['bun', 'deno'] },
  // bundle: also bundled by the fixture's `npm run build` and run from a directory of its own, as a server bundle.
  'node-cjs': { kind: 'node', bundle: 'dist/probe.cjs' },
  workerd: { kind: 'workerd', out: 'dist' },
};

const log = (...a) => console.log(...a);
// A request for one of the package's .wasm files.
const WASM_REQUEST = /\.wasm(\?|$)/;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function run(cmd, args, { cwd, env = ENV, timeout = 300_000 } = {}) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    const out = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message || `exit ${r.status}`}) in ${cwd}:\n${out}`);
  }
  return r.stdout;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Bytes of the emitted .js/.mjs and .wasm under dir (for Next: what the browser loads, .next/static). */
function builtBytes(dir) {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += builtBytes(p);
    else if (/\.(m?js|wasm)$/.test(e.name)) n += statSync(p).size;
  }
  return n;
}

/** The fixture's sources in WORK/<name>, its dependencies from the lockfile, and the packed module. */
function prepare(name, fx, tarball) {
  const src = join(HERE, fx.src || name);
  const dst = join(WORK, fx.src || name);
  mkdirSync(dst, { recursive: true });
  for (const e of readdirSync(dst)) if (e !== 'node_modules') rmSync(join(dst, e), { recursive: true, force: true });
  cpSync(src, dst, { recursive: true, filter: (p) => !/(^|\/)(node_modules|dist|\.next)(\/|$)/.test(relative(src, p)) });
  // The bundled pages' entry modules (main, web, card, setoken: one per documented import), the same in every
  // bundler's project.
  if (fx.page === 'src') cpSync(join(HERE, 'shared', 'entries'), join(dst, 'src'), { recursive: true });
  if (fx.page) cpSync(join(HERE, 'shared', 'test-page.js'), join(dst, fx.page, 'test-page.js'));
  if (fx.pub) { mkdirSync(join(dst, fx.pub), { recursive: true }); cpSync(join(HERE, 'shared', 'return.html'), join(dst, fx.pub, 'return.html')); }
  for (const page of fx.html ? readdirSync(join(HERE, 'shared', 'pages')) : []) {
    const html = readFileSync(join(HERE, 'shared', 'pages', page), 'utf8')
      .replaceAll('BUNDLER', name).replaceAll('SCRIPT_TYPE', fx.html === 'module' ? 'type="module" ' : '');
    writeFileSync(join(dst, fx.pub, page), html);
  }

  const lock = readFileSync(join(dst, 'package-lock.json'));
  const stamp = join(dst, 'node_modules', '.fixture-lock.sha256');
  const hash = createHash('sha256').update(lock).digest('hex');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash) {
    run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dst });
    mkdirSync(join(dst, 'node_modules'), { recursive: true });
    writeFileSync(stamp, hash);
  }
  // As a merchant would, minus the save: the lockfile stays the committed one.
  run('npm', ['install', '--no-save', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: dst });
  const installed = JSON.parse(readFileSync(join(dst, 'node_modules', 'gateway-checkout', 'package.json'), 'utf8'));
  if (installed.version !== VERSION) throw new Error(`installed gateway-checkout@${installed.version}, built ${VERSION}`);
  if (!readFileSync(join(dst, 'package-lock.json')).equals(lock)) throw new Error('installing the tarball changed package-lock.json');
  return dst;
}

function typecheck(dir, fx) {
  const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
  run(tsc, ['-p', join(dir, fx.tsconfig || 'tsconfig.json')], { cwd: dir });
}

async function startSandbox() {
  const bin = process.env.SANDBOX_BIN || join(ROOT, 'target', 'debug', 'gateway-sandbox');
  const child = spawn(bin, ['--addr', '127.0.0.1:0', '--www', WORK, '--token', TOKEN], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start:\n${out}`)), 15000);
    const onData = (d) => {
      out += d;
      const m = /sandbox listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the sandbox exited (${code}):\n${out}`)); });
  });
  child.removeAllListeners('exit');
  return { child, store: `http://localhost:${port}`, gateway: `http://127.0.0.1:${port}` };
}

async function postJson(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const j = await res.json().catch(() => null);
  if (!res.ok || !j) throw new Error(`POST ${url}: HTTP ${res.status} ${JSON.stringify(j)}`);
  return j;
}

async function newOrder(sbx, returnUrl) {
  const { orderId } = await postJson(`${sbx.gateway}/shop/orders`, { amount: 1000, returnUrl, failUrl: returnUrl, language: 'en' });
  if (!orderId) throw new Error('no orderId from /shop/orders');
  return orderId;
}

async function gatewayStatus(sbx, orderId) {
  const res = await fetch(`${sbx.gateway}/payment/rest/getOrderStatusExtended.do`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ orderId, token: TOKEN, language: 'en' }),
  });
  return (await res.json()).orderStatus;
}

function expect(cond, what) { if (!cond) throw new Error(what); }

/** Opens `url`, checks what the page reports once ready, pays each card; returns one note per payment.
 *  flakyWasm: the network fails the page's first request for a .wasm (a phone's network), as a real failed fetch. */
async function payInPage(browser, sbx, url, returnUrl, cards, wantEntry, { flakyWasm = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  if (flakyWasm) {
    let failed = 0;
    await page.route(WASM_REQUEST, (route) => (failed++ ? route.continue() : route.abort('internetdisconnected')));
  }
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`); });
  page.on('response', (res) => { if (res.status() >= 400 && !/\/favicon\.ico$/.test(res.url())) problems.push(`HTTP ${res.status()}: ${res.url()}`); });
  // ERR_ABORTED: a frame the module removes (the challenge iframe once the shopper is back) stops loading.
  page.on('requestfailed', (req) => {
    if (req.failure()?.errorText !== 'net::ERR_ABORTED' && !(flakyWasm && WASM_REQUEST.test(req.url()))) problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  try {
    const sep = url.includes('?') ? '&' : '?';
    await page.goto(`${url}${sep}gateway=${encodeURIComponent(`${sbx.gateway}/payment`)}&token=${TOKEN}`);
    await page.waitForSelector('body[data-ready]', { timeout: 20000 }).catch((e) => {
      throw new Error(`${url}: never ready (${problems.join('; ') || e.message})`);
    });
    const ready = JSON.parse(await page.getAttribute('body', 'data-ready'));
    expect(ready.entry === wantEntry, `${url}: entry ${ready.entry}`);
    expect(ready.version === VERSION, `${url}: version() ${ready.version}, package ${VERSION}`);
    expect(ready.refused === 'unsafe_url/false', `${url}: a bad gatewayUrl gave ${ready.refused}`);
    const notes = [];
    for (const card of cards) {
      const orderId = await newOrder(sbx, returnUrl);
      const paying = page.evaluate(([o, pan]) => window.gcPay({ orderId: o, pan }), [orderId, CARDS[card]]);
      if (card === 'challenge') {
        const acs = page.frameLocator('#three-ds iframe');
        await acs.locator('#otp').waitFor({ timeout: 25000 });
        await acs.locator('#otp').fill(CODE);
        await acs.locator('#confirm').click();
      }
      const r = await paying;
      expect(r.status === 'paid', `${url}: ${card} ended ${JSON.stringify(r)}`);
      const st = await gatewayStatus(sbx, orderId);
      expect(st === 2, `${url}: ${card}: the gateway says orderStatus ${st}`);
      notes.push(card);
    }
    expect(problems.length === 0, `${url}: ${problems.join('; ')}`);
    return notes;
  } finally {
    await context.close();
  }
}

/** As the shop's server: paymentorder.do with the password and the page's seToken (the sandbox's
 *  /shop/pay-setoken); the order must end paid. */
async function payWithSeToken(sbx, orderId, seToken) {
  expect(typeof seToken === 'string' && seToken.length > 100, `seToken: ${JSON.stringify(seToken)}`);
  await postJson(`${sbx.gateway}/shop/pay-setoken`, { orderId, seToken, language: 'en' });
  const st = await gatewayStatus(sbx, orderId);
  expect(st === 2, `paid with the seToken: the gateway says orderStatus ${st}`);
}

/** The seToken page: ready once a bad card was refused with a CheckoutError; a token pays an order. */
async function seTokenInPage(browser, sbx, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  try {
    await page.goto(`${url}?gateway=${encodeURIComponent(`${sbx.gateway}/payment`)}`);
    await page.waitForSelector('body[data-ready]', { timeout: 20000 }).catch((e) => {
      throw new Error(`${url}: never ready (${problems.join('; ') || e.message})`);
    });
    const ready = JSON.parse(await page.getAttribute('body', 'data-ready'));
    expect(ready.entry === 'gateway-checkout/setoken', `${url}: entry ${ready.entry}`);
    expect(ready.refused === 'invalid_card_number', `${url}: a bad card gave ${ready.refused}`);
    const orderId = await newOrder(sbx, `${sbx.store}/return.html`);
    const r = await page.evaluate(([o, pan]) => window.gcSeToken({ orderId: o, pan }), [orderId, CARDS.no3ds]);
    expect(r.token, `${url}: createSeToken gave ${JSON.stringify(r)}`);
    await payWithSeToken(sbx, orderId, r.token);
    expect(problems.length === 0, `${url}: ${problems.join('; ')}`);
  } finally {
    await context.close();
  }
}

function checkProbe(out, entry) {
  const r = JSON.parse(out);
  expect(r.entry === entry, `entry ${r.entry}`);
  expect(r.version === VERSION, `version() ${r.version}`);
  expect(r.size === '04', `pickChallengeWindowSize ${r.size}`);
  expect(r.refused === 'unsafe_url', `a bad gatewayUrl gave ${r.refused}`);
  expect(r.paid?.status === 'paid', `payCard ended ${JSON.stringify(r.paid)}`);
  expect(r.card?.version === VERSION && r.card?.refused === 'unsafe_url', `gateway-checkout/card gave ${JSON.stringify(r.card)}`);
  return r;
}

async function exercise(name, fx, dir, sbx, browser) {
  if (fx.kind === 'static') {
    const base = `${sbx.store}/${fx.src || name}/${fx.out}/`;
    await payInPage(browser, sbx, `${base}index.html`, `${base}return.html`, ['no3ds', 'challenge'], 'gateway-checkout');
    // The first fetch of the .wasm fails: the import still resolves (the entry fetches it again) and the page pays.
    await payInPage(browser, sbx, `${base}index.html`, `${base}return.html`, ['no3ds'], 'gateway-checkout', { flakyWasm: true });
    await payInPage(browser, sbx, `${base}card.html`, `${base}return.html`, ['no3ds'], 'gateway-checkout/card', { flakyWasm: true });
    await payInPage(browser, sbx, `${base}web.html`, `${base}return.html`, ['no3ds'], 'gateway-checkout/web');
    await payInPage(browser, sbx, `${base}card.html`, `${base}return.html`, ['no3ds', 'challenge'], 'gateway-checkout/card');
    await seTokenInPage(browser, sbx, `${base}setoken.html`);
    for (const [page, cards, entry] of fx.extraPages || []) await payInPage(browser, sbx, `${base}${page}`, `${base}return.html`, cards, entry);
  } else if (fx.kind === 'next' || fx.kind === 'dev') {
    const port = await freePort();
    const [bin, ...args] = fx.serve;
    // Its own process group: a server may start workers of its own, and all of them go at the end.
    const server = spawn(join(dir, 'node_modules', '.bin', bin), [...args, String(port)],
      { cwd: dir, env: ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    server.stdout.on('data', (d) => { out += d; });
    server.stderr.on('data', (d) => { out += d; });
    try {
      const store = `http://127.0.0.1:${port}`;
      let html = '';
      for (let i = 0; i < 300 && !html; i++) {
        await sleep(200);
        html = await fetch(`${store}${fx.pages[0][0]}`).then((r) => (r.ok ? r.text() : ''), () => '');
      }
      expect(html, `${fx.serve.join(' ')} did not answer`);
      // The server component called version() at request time: the server import works.
      if (fx.serverVersion) expect(html.includes(`data-server-version="${VERSION}"`), `the server-rendered page lacks data-server-version="${VERSION}"`);
      for (const [path, cards, entry] of fx.pages) {
        await payInPage(browser, sbx, `${store}${path}`, `${store}/return.html`, cards, entry);
      }
      await seTokenInPage(browser, sbx, `${store}${fx.setoken}`);
      if (fx.cleanLog) expect(!/Error|⨯/.test(out), `${fx.serve.join(' ')} logged errors`);
    } catch (e) {
      throw new Error(`${e.message}\n--- server output:\n${out.split('\n').slice(-30).join('\n')}`);
    } finally {
      try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
    }
  } else if (fx.kind === 'runner') {
    log(run('npm', ['test', '--silent'], { cwd: dir, env: { ...ENV, GC_VERSION: VERSION } }).trim());
  } else if (fx.kind === 'node') {
    // [cwd, command, args]: the probe under Node, then under each other runtime (Deno with the permissions it needs:
    // the sandbox on loopback for the module, the environment for the probe's own settings; no file reads).
    const probes = [[dir, process.execPath, ['probe.js']]];
    for (const rt of fx.runtimes || []) {
      const bin = join(dir, 'node_modules', '.bin', rt);
      probes.push([dir, bin, rt === 'deno' ? ['run', '--allow-net=127.0.0.1', '--allow-env', 'probe.js'] : ['probe.js']]);
    }
    if (fx.bundle) {
      // A server bundle deployed on its own (a Lambda's zip): the one file, no node_modules beside it.
      run('npm', ['run', '--silent', 'build'], { cwd: dir });
      const alone = join(WORK, `${name}-bundled`);
      rmSync(alone, { recursive: true, force: true });
      mkdirSync(alone);
      cpSync(join(dir, fx.bundle), join(alone, 'index.cjs'));
      probes.push([alone, process.execPath, ['index.cjs']]);
    }
    for (const [cwd, cmd, args] of probes) {
      const script = `${basename(cmd)} ${args.join(' ')}`;
      const orderId = await newOrder(sbx, `${sbx.store}/return.html`);
      const seOrderId = await newOrder(sbx, `${sbx.store}/return.html`);
      const out = run(cmd, args, { cwd, env: { ...ENV, GATEWAY: `${sbx.gateway}/payment`, TOKEN, ORDER_ID: orderId, SE_ORDER_ID: seOrderId } });
      const r = checkProbe(out, name === 'node-cjs' ? 'require' : 'import');
      expect(await gatewayStatus(sbx, orderId) === 2, `${script}: the gateway does not say paid`);
      await payWithSeToken(sbx, seOrderId, r.seToken);
      log(`    ${script}: paid, seToken paid, card entry loaded`);
    }
  } else if (fx.kind === 'workerd') {
    const { Miniflare } = await import(pathToFileURL(join(dir, 'node_modules', 'miniflare', 'dist', 'src', 'index.js')).href);
    const mf = new Miniflare({
      modules: true,
      scriptPath: join(dir, 'dist', 'worker.js'),
      modulesRoot: join(dir, 'dist'),
      modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
      compatibilityDate: '2025-09-01',
      bindings: { GATEWAY: `${sbx.gateway}/payment`, TOKEN },
    });
    try {
      const orderId = await newOrder(sbx, `${sbx.store}/return.html`);
      const seOrderId = await newOrder(sbx, `${sbx.store}/return.html`);
      const res = await mf.dispatchFetch(`http://worker.local/?orderId=${encodeURIComponent(orderId)}&seOrderId=${encodeURIComponent(seOrderId)}`);
      const body = await res.text();
      expect(res.status === 200, `the worker answered ${res.status}: ${body.slice(0, 2000)}`);
      const r = checkProbe(body, 'workerd');
      expect(await gatewayStatus(sbx, orderId) === 2, 'the gateway does not say paid');
      await payWithSeToken(sbx, seOrderId, r.seToken);
    } finally {
      await mf.dispose();
    }
  }
}

async function main() {
  const only = process.argv.slice(2);
  for (const n of only) if (!FIXTURES[n]) throw new Error(`no fixture ${n} (${Object.keys(FIXTURES).join(', ')})`);
  const names = only.length ? only : Object.keys(FIXTURES);
  const started = Date.now();
  mkdirSync(WORK, { recursive: true });
  let tarball = process.env.GC_TARBALL;
  if (!tarball) {
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', WORK, join(ROOT, 'pkg')], { cwd: WORK }));
    tarball = join(WORK, packed[0].filename);
    log(`packed ${relative(ROOT, join(ROOT, 'pkg'))} → ${tarball} (${packed[0].size} bytes, ${packed[0].entryCount} files)`);
  }

  const sbx = await startSandbox();
  // The e2e harness's launch: Chromium with the same flags, launched again if it dies while starting.
  const browser = await launch();
  const results = [];
  try {
    for (const name of names) {
      const fx = FIXTURES[name];
      const r = { name, ok: false, bytes: null, buildMs: null, error: '' };
      results.push(r);
      const t0 = Date.now();
      try {
        log(`\n--- ${name}: install`);
        const dir = prepare(name, fx, tarball);
        if (fx.kind !== 'node' && fx.kind !== 'dev' && fx.kind !== 'runner') {
          log(`--- ${name}: build (production)`);
          const b0 = Date.now();
          run('npm', ['run', '--silent', fx.script || 'build'], { cwd: dir });
          r.buildMs = Date.now() - b0;
          r.bytes = builtBytes(join(dir, fx.kind === 'next' ? join(fx.out, 'static') : fx.out));
        }
        if (fx.kind !== 'runner') {
          log(`--- ${name}: tsc --strict`);
          typecheck(dir, fx);
        }
        log(`--- ${name}: pay`);
        await exercise(name, fx, dir, sbx, browser);
        r.ok = true;
      } catch (e) {
        r.error = String(e?.stack || e);
        log(`FAILED ${name}: ${r.error}`);
      }
      log(`--- ${name}: ${r.ok ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    }
  } finally {
    await browser.close();
    sbx.child.kill('SIGTERM');
  }

  log(`\n${'fixture'.padEnd(14)}${'result'.padEnd(8)}${'built JS+wasm (bytes)'.padStart(22)}${'build time'.padStart(12)}`);
  for (const r of results) {
    log(`${r.name.padEnd(14)}${(r.ok ? 'ok' : 'FAILED').padEnd(8)}${(r.bytes === null ? '-' : String(r.bytes)).padStart(22)}${(r.buildMs === null ? '-' : `${(r.buildMs / 1000).toFixed(1)} s`).padStart(12)}`);
  }
  log(`(${results.length} fixtures in ${((Date.now() - started) / 1000).toFixed(0)} s; Next.js: .next/static, what browsers load)`);
  const failed = results.filter((r) => !r.ok);
  if (failed.length) {
    log(`\n${failed.length} fixture(s) failed: ${failed.map((r) => r.name).join(', ')}`);
    process.exit(1);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
