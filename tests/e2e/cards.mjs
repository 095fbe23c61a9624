// Every sandbox card through the storefront's card form, each in iframe mode and in redirect mode, and each
// on the script-tag page and on the npm (Vite) page: run A is (page X, iframe), run B is (the other page,
// redirect), X alternating by case, so every card meets both modes and both pages in two runs.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CARDS, openCheckout, orderRequests, orderStatus, payThroughForm, withSandboxAndBrowser } from './harness.mjs';

// [id, title, card, challenge answer, expected orderStatus, expected actionCode (undefined: not checked), page status]
export const CASES = [
  ['no3ds', 'no 3DS, approved', 'no3ds', null, 2, 0, 'paid'],
  ['3ds1-right', '3DS1, right code', 'tds1', 'right', 2, 0, 'paid'],
  ['3ds1-wrong', '3DS1, wrong code', 'tds1', 'wrong', 6, -2006, 'declined'],
  ['3ds1-cancel', '3DS1, cancel', 'tds1', 'cancel', 6, -2006, 'declined'],
  ['3ds2-frictionless', '3DS2 frictionless', 'frictionless', null, 2, 0, 'paid'],
  ['3ds2-right', '3DS2 challenge, right code', 'challenge', 'right', 2, 0, 'paid'],
  ['3ds2-wrong', '3DS2 challenge, wrong code', 'challenge', 'wrong', 6, -2006, 'declined'],
  ['3ds2-cancel', '3DS2 challenge, cancel', 'challenge', 'cancel', 6, -2006, 'declined'],
  ['server-method-only', '3DS2 challenge, 3DS Server method only', 'serverMethod', 'right', 2, 0, 'paid'],
  ['soft-decline', '3DS2 soft decline → methods again → challenge', 'softDecline', 'right', 2, 0, 'paid'],
  ['decoupled', '3DS2 decoupled, stays pending', 'decoupled', null, 5, undefined, 'pending'],
  ['insufficient-funds', 'declined, insufficient funds', 'insufficient', null, 6, 116, 'declined'],
  ['issuer-decline', 'challenge passes, issuer declines', 'issuerDecline', 'right', 6, 5, 'declined'],
  ['method-never-completes', 'ACS method never completes (N after 10 s), then frictionless', 'methodHangs', null, 2, 0, 'paid'],
  ['no-method-urls', '3DS2 frictionless, no method URLs', 'noMethods', null, 2, 0, 'paid'],
  ['unionpay-no-luhn', 'UnionPay without a Luhn check digit, no 3DS, approved', 'unionPay', null, 2, 0, 'paid'],
];

/** Registers the card tests for one challenge mode. */
export function cardSuite(mode) {
  describe(`every sandbox card, ${mode} mode`, () => {
    let sbx; let browser;
    withSandboxAndBrowser((s, b) => { sbx = s; browser = b; });

    CASES.forEach(([id, title, card, challenge, orderStatusWanted, actionCode, pageStatus], i) => {
      const kind = (i % 2 === 0) === (mode === 'iframe') ? 'script' : 'npm';
      test(`${title} [${kind} page, ${mode}]`, async () => {
        const { context, page, problems } = await openCheckout(browser, sbx, { kind, mode });
        try {
          const r = await payThroughForm(page, { pan: CARDS[card], mode, challenge, shot: `card-${id}-${kind}-${mode}` });
          const st = await orderStatus(sbx, r.orderId);
          assert.equal(st.orderStatus, orderStatusWanted, `gateway orderStatus (${JSON.stringify(st)})`);
          if (actionCode !== undefined) assert.equal(st.actionCode, actionCode, `gateway actionCode (${JSON.stringify(st)})`);
          assert.equal(r.status, pageStatus, 'the result page');
          if (challenge && mode === 'iframe') assert.match(r.windowSize, /^0[1-5]$/);
          if (challenge && mode === 'redirect') assert.equal(r.windowSize, '05', 'a full-page challenge is 05');
          const log = await orderRequests(sbx, r.orderId);
          const paths = log.map((e) => e.path);
          if (id === 'method-never-completes') {
            const cont = log.find((e) => e.path.endsWith('/3ds/continue.do'));
            assert.equal(cont?.params?.threeDSMethodCompInd, 'N', 'the method that never loads is reported as N');
          }
          if (challenge && /^3ds2|server|soft|issuer/.test(id) && challenge !== 'cancel' && challenge !== 'wrong') {
            assert.ok(paths.some((p) => p.endsWith('/finish3dsVer2Payment.do')), `finish3dsVer2Payment.do was called (${paths})`);
          }
          assert.deepEqual(problems, [], 'no page errors');
        } finally {
          await context.close();
        }
      });
    });
  });
}
