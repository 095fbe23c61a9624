// Two-stage payment: the merchant's backend registers with registerPreAuth.do; the payment ends authorized
// (orderStatus 1, the amount held), with and without a challenge.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CARDS, openCheckout, orderRequests, orderStatus, payThroughForm, withSandboxAndBrowser } from './harness.mjs';

describe('two-stage payment (registerPreAuth)', () => {
  let sbx; let browser;
  withSandboxAndBrowser((s, b) => { sbx = s; browser = b; });

  for (const [title, kind, mode, card, challenge] of [
    ['3DS2 challenge, authorized', 'npm', 'iframe', 'challenge', 'right'],
    ['3DS1, authorized', 'script', 'redirect', 'tds1', 'right'],
    ['no 3DS, authorized', 'script', 'iframe', 'no3ds', null],
  ]) {
    test(`${title} [${kind} page, ${mode}]`, async () => {
      const { context, page, problems } = await openCheckout(browser, sbx, { kind, mode });
      try {
        const r = await payThroughForm(page, { pan: CARDS[card], mode, challenge, twoStage: true, shot: `two-stage-${card}-${kind}-${mode}` });
        const st = await orderStatus(sbx, r.orderId);
        assert.equal(st.orderStatus, 1, `authorized, not deposited (${JSON.stringify(st)})`);
        assert.equal(r.status, 'authorized');
        const log = await orderRequests(sbx, r.orderId);
        assert.ok(log.some((e) => e.path.endsWith('/registerPreAuth.do')), 'the order was registered with registerPreAuth.do');
        assert.ok(!log.some((e) => e.path.endsWith('/register.do')), 'and not with register.do');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});
