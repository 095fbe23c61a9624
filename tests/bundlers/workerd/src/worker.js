// @ts-check
// GET /?orderId=… pays the order with a card without 3DS (no page, no DOM) and answers JSON.
import { Checkout, CheckoutError, isCheckoutError, pickChallengeWindowSize, version } from 'gateway-checkout';

export default {
  /** @param {Request} request @param {{ GATEWAY: string, TOKEN: string }} env */
  async fetch(request, env) {
    const orderId = new URL(request.url).searchParams.get('orderId') ?? '';
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
    return Response.json({ entry: 'workerd', version: version(), size: pickChallengeWindowSize(600, 400).code, refused, paid });
  },
};
