// @ts-check
// Run by tests/bundlers/run.mjs with GATEWAY, TOKEN and ORDER_ID set; prints one JSON line.
const { Checkout, CheckoutError, isCheckoutError, pickChallengeWindowSize, version } = require('gateway-checkout');
const { createSeToken } = require('gateway-checkout/setoken');
const card = require('gateway-checkout/card');

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

async function main() {
  let refused = 'not thrown';
  try {
    new Checkout({ gatewayUrl: 'javascript:alert(1)', token: 't' });
  } catch (e) {
    refused = e instanceof CheckoutError && isCheckoutError(e) ? e.code : `not a CheckoutError: ${String(e)}`;
  }
  const checkout = new Checkout({ gatewayUrl: process.env.GATEWAY ?? '', token: process.env.TOKEN ?? '', language: 'en', sandbox: true });
  const year = String((new Date().getFullYear() + 3) % 100).padStart(2, '0');
  /** @type {Record<string, unknown>} */
  let paid;
  try {
    const outcome = await checkout.payCard({ orderId: process.env.ORDER_ID ?? '', pan: '4444 5555 1111 3333', expiry: `12/${year}`, cvc: '123', cardholder: 'IVAN PETROV' });
    paid = { status: outcome.status, orderStatus: outcome.orderStatus };
  } catch (e) {
    paid = { error: isCheckoutError(e) ? `${e.code}: ${e.message}` : String(e) };
  }
  // The seToken module; the driver pays SE_ORDER_ID with the token, as the shop's server.
  const seToken = await createSeToken({ orderId: process.env.SE_ORDER_ID ?? '', pan: '4444 5555 1111 3333', expiry: `12/${year}`, cvc: '123', gatewayUrl: process.env.GATEWAY, sandbox: true });
  console.log(JSON.stringify({ card: cardCheck(card), entry: 'require', version: version(), size: pickChallengeWindowSize(600, 400).code, refused, paid, seToken }));
}
main();
