// Benchmark: prints numbers, asserts nothing. Run after scripts/build.sh:  node scripts/bench.mjs [rounds]
// In Debian's headless Chromium against the local sandbox (loopback, so the network is near zero):
//   - module start: fetch + compile + instantiate of the script-tag build, cold (first load) and warm;
//   - payCard wall time per path: no 3DS; 3DS2 frictionless (two method iframes + continue.do); and the part
//     outside fetch() (wall time minus the REST requests' time: wasm, DOM, and the method frames' loads,
//     which are cross-site frames and so start their own renderer process, as a real ACS's does);
//   - collectBrowserInfo() and the CReq window-size rewrite cost per call.
import { launch, prepare, startSandbox, TOKEN } from '../tests/e2e/harness.mjs';

const rounds = Number(process.argv[2] || 25);
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p90: q(0.9), min: s[0], n: s.length };
};
const fmt = (n) => n.toFixed(2).padStart(9);

await prepare();
const sbx = await startSandbox();
const browser = await launch();
const rows = [];
try {
  const page = await browser.newPage();
  const loadModule = async () => {
    await page.goto(`${sbx.store}/cart.html`);
    return page.evaluate(async () => {
      const t0 = performance.now();
      await new Promise((res, rej) => {
        const s = document.createElement('script');
        s.src = '/pkg/script/gateway_checkout.js';
        s.onload = res; s.onerror = rej;
        document.head.append(s);
      });
      await GatewayCheckout({ module_or_path: '/pkg/script/gateway_checkout_bg.wasm' });
      return performance.now() - t0;
    });
  };
  const cold = await loadModule();
  const warm = [];
  for (let i = 0; i < rounds; i++) warm.push(await loadModule());
  rows.push(['module start, cold (ms)', stats([cold])]);
  rows.push(['module start, warm cache (ms)', stats(warm)]);

  for (const [label, pan] of [['payCard no 3DS', '4444555511113333'], ['payCard 3DS2 frictionless', '4000001111111118']]) {
    const wall = []; const own = [];
    for (let i = 0; i < rounds; i++) {
      const r = await page.evaluate(async ({ gateway, token, pan }) => {
        const order = await (await fetch('/shop/orders', { method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ amount: 1000, currency: '398', returnUrl: `${location.origin}/return.html` }) })).json();
        const box = document.createElement('div');
        box.style.cssText = 'width:800px;height:700px';
        document.body.append(box);
        const checkout = new GatewayCheckout.Checkout({ gatewayUrl: `${gateway}/payment`, token, sandbox: true, container: box });
        performance.clearResourceTimings();
        const t0 = performance.now();
        const outcome = await checkout.payCard({ orderId: order.orderId, pan, expiry: '12/30', cvc: '123', cardholder: 'BENCH' });
        const ms = performance.now() - t0;
        // Time spent waiting on the gateway (fetches and frame loads), to separate the module's own work.
        const net = performance.getEntriesByType('resource')
          .filter((e) => e.startTime >= t0)
          .reduce((sum, e) => sum + e.duration, 0);
        box.remove();
        checkout.free();
        return { ms, net, status: outcome.status };
      }, { gateway: sbx.gateway, token: TOKEN, pan });
      if (r.status !== 'paid') throw new Error(`${label}: ${r.status}`);
      wall.push(r.ms); own.push(Math.max(0, r.ms - r.net));
    }
    rows.push([`${label}, wall (ms)`, stats(wall)]);
    rows.push([`${label}, outside fetch (ms)`, stats(own)]);
  }

  const micro = await page.evaluate(() => {
    const G = GatewayCheckout;
    const time = (f, n) => { const t0 = performance.now(); for (let i = 0; i < n; i++) f(); return ((performance.now() - t0) / n) * 1000; };
    return {
      info: time(() => G.collectBrowserInfo(), 2000),
      size: time(() => G.pickChallengeWindowSize(800, 700), 20000),
    };
  });
  rows.push(['collectBrowserInfo() (µs/call)', stats([micro.info])]);
  rows.push(['pickChallengeWindowSize() (µs/call)', stats([micro.size])]);
} finally {
  await browser.close();
  await sbx.stop();
}

console.log(`gateway-checkout benchmark: ${rounds} rounds, headless Chromium, sandbox on loopback`);
console.log(`${'measure'.padEnd(46)}${'median'.padStart(9)}${'p90'.padStart(9)}${'min'.padStart(9)}    n`);
for (const [name, s] of rows) console.log(`${name.padEnd(46)}${fmt(s.median)}${fmt(s.p90)}${fmt(s.min)}  ${String(s.n).padStart(3)}`);
