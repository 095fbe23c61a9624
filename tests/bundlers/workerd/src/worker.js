// @ts-check
// GET /?orderId=…&seOrderId=… pays the first order with a card without 3DS (no page, no DOM), makes a seToken
// for the second (the driver pays with it, as the shop's server), and answers JSON.
import { Checkout, CheckoutError, isCheckoutError, pickChallengeWindowSize, version } from 'gateway-checkout';
import init, { createSeToken } from 'gateway-checkout/setoken';
import * as card from 'gateway-checkout/card';

/** The card-only entry: its version, and its refusal of a bad gatewayUrl (a CheckoutError's code).
 *  @param {typeof import('gateway-checkout/card')} api */
function cardCheck(api) {
  try {
    new api.Checkout({ gatewayUrl: 'javascript:alert(1)', token: 't' });
    return { version: api.version(), refused: 'not thrown' };
  } catch (e) {
    return { version: api.version(), refused: e instanceof api.CheckoutError && api.isCheckoutError(e) ? e.code : String(e) };
  }
}

export default {
  /** @param {Request} request @param {{ GATEWAY: string, TOKEN: string }} env */
  async fetch(request, env) {
    const query = new URL(request.url).searchParams;
    const orderId = query.get('orderId') ?? '';
    let refused = 'not thrown';
    try {
      new Checkout({ gatewayUrl: 'javascript:alert(1)', token: 't' });
    } catch (e) {
      refused = e instanceof CheckoutError && isCheckoutError(e) ? e.code : `not a CheckoutError: ${String(e)}`;
    }
    const checkout = new Checkout({ gatewayUrl: env.GATEWAY, token: env.TOKEN, language: 'en', sandbox: true });
    const year = String((new Date().getFullYear() + 3) % 100).padStart(2, '0');
    /** @type {Record<string, unknown>} */
    let paid;
    try {
      const outcome = await checkout.payCard({ orderId, pan: '4444 5555 1111 3333', expiry: `12/${year}`, cvc: '123', cardholder: 'IVAN PETROV' });
      paid = { status: outcome.status, orderStatus: outcome.orderStatus };
    } catch (e) {
      paid = { error: isCheckoutError(e) ? `${e.code}: ${e.message}` : String(e) };
    }
    await init();
    const seToken = await createSeToken({ orderId: query.get('seOrderId') ?? '', pan: '4444 5555 1111 3333', expiry: `12/${year}`, cvc: '123', gatewayUrl: env.GATEWAY, sandbox: true });
    return Response.json({ card: cardCheck(card), entry: 'workerd', version: version(), size: pickChallengeWindowSize(600, 400).code, refused, paid, seToken });
  },
};
