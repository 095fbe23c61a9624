// The script-tag build's types (pkg/script/gateway_checkout.d.ts): the `GatewayCheckout` global a
// `<script src=".../script/gateway_checkout.js">` defines, compiled by tests/e2e/0-package.test.mjs like usage.ts.
/// <reference path="../../pkg/script/gateway_checkout.d.ts" />

async function payFromScriptTag(): Promise<GatewayCheckout.PaymentStatus> {
  await GatewayCheckout({ module_or_path: '/pkg/script/gateway_checkout_bg.wasm' });
  const options: GatewayCheckout.CheckoutOptions = {
    gatewayUrl: 'https://3dsec.berekebank.kz/payment',
    token: 'public-open-id-token',
    container: '#three-ds',
  };
  const checkout = new GatewayCheckout.Checkout(options);
  const outcome: GatewayCheckout.PaymentOutcome = await checkout.payCard({
    orderId: 'order-1',
    pan: '4111111111111111',
    expiry: '2030-12',
    cvc: '123',
    cardholder: 'TEST CARDHOLDER',
  });
  const size: GatewayCheckout.ChallengeWindowSizeCode = GatewayCheckout.pickChallengeWindowSize(600, 400).code;
  void size;
  return outcome.status;
}
void payFromScriptTag;

// Real types, not any: an unknown option is a compile error.
// @ts-expect-error: notAnOption is not a CheckoutOptions field
new GatewayCheckout.Checkout({ gatewayUrl: 'https://example.test/payment', token: 't', notAnOption: 1 });
