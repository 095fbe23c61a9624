// Saved cards through the storefront (seed 003: a card paid with the shopper's clientId becomes a binding;
// paymentOrderBinding.do pays the next order with it and the CVC the shopper types; bindingNotNeeded=true,
// "don't save my card", makes none). The shop's server lists the cards (getBindings.do with its password).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CARDS, openCheckout, orderStatus, payThroughForm, withSandboxAndBrowser } from './harness.mjs';

const json = (url) => fetch(url).then((r) => r.json());

describe('saved cards in the storefront', () => {
  let sbx; let browser;
  withSandboxAndBrowser((s, b) => { sbx = s; browser = b; });

  test('a paid card is saved; the next order is paid with it and the CVC; one charge each', async () => {
    const { context, page, problems } = await openCheckout(browser, sbx, { kind: 'script', mode: 'iframe' });
    try {
      assert.ok(await page.isHidden('#saved-cards'), 'no saved card yet');
      assert.ok(await page.isChecked('#save-card'), 'saving is the default');
      const first = await payThroughForm(page, { pan: CARDS.no3ds, mode: 'iframe', challenge: null });
      assert.equal(first.status, 'paid');
      // The next purchase: the saved card is offered.
      await page.goto(`${sbx.store}/checkout.html`);
      await page.waitForSelector('body[data-ready]');
      await page.waitForSelector('#saved-cards:not([hidden])');
      assert.match(await page.textContent('#saved-list'), /444455\*\*3333/);
      await page.fill('#saved-cvc', '123');
      await page.click('#pay-saved');
      await page.waitForURL(/\/result\.html\?orderId=/, { timeout: 30000 });
      const orderId = new URL(page.url()).searchParams.get('orderId');
      assert.notEqual(orderId, first.orderId);
      assert.equal(await page.getAttribute('body', 'data-status'), 'paid');
      assert.equal((await orderStatus(sbx, orderId)).orderStatus, 2);
      const log = await json(`${sbx.gateway}/sandbox/orders/${orderId}/requests`);
      const binding = log.find((e) => e.path.endsWith('/paymentOrderBinding.do'));
      assert.ok(binding, 'paid through paymentOrderBinding.do');
      assert.equal(binding.params.token !== undefined, true, 'with the public token, from the page');
      assert.equal(binding.params.ip, '127.0.0.1');
      assert.equal((await json(`${sbx.gateway}/sandbox/ledger?orderId=${orderId}`)).length, 1);
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });

  test('"save my card" unchecked: bindingNotNeeded=true and no saved card', async () => {
    const { context, page, problems } = await openCheckout(browser, sbx, { kind: 'npm', mode: 'iframe' });
    try {
      await page.uncheck('#save-card');
      const r = await payThroughForm(page, { pan: CARDS.no3ds, mode: 'iframe', challenge: null });
      assert.equal(r.status, 'paid');
      const log = await json(`${sbx.gateway}/sandbox/orders/${r.orderId}/requests`);
      assert.equal(log.find((e) => e.path.endsWith('/paymentorder.do')).params.bindingNotNeeded, 'true');
      await page.goto(`${sbx.store}/npm-demo/dist/`);
      await page.waitForSelector('body[data-ready]');
      assert.ok(await page.isHidden('#saved-cards'), 'nothing saved');
      assert.deepEqual(problems, []);
    } finally { await context.close(); }
  });
});
