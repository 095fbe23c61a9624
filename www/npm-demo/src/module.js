// How a bundled app loads the module: import the ES-module build and call its init once.
import init, { applePayPaymentRequest, Checkout, googlePayPaymentDataRequest, version } from 'gateway-checkout/web';

let ready = null;
export function load() {
  ready ??= init().then(() => ({ Checkout, version, applePayPaymentRequest, googlePayPaymentDataRequest }));
  return ready;
}
