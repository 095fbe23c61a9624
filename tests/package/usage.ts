// Compiled with `tsc --noEmit` against the built package's types by tests/e2e/0-package.test.mjs: a merchant's
// TypeScript must get real types (a wrong option is a compile error, an outcome's status is a union).
import {
  Checkout,
  collectBrowserInfo,
  pickChallengeWindowSize,
  parseAssistThreeDsData,
  googlePayPaymentDataRequest,
  CheckoutError,
  isCheckoutError,
  type PaymentOutcome,
  type PaymentStatus,
} from 'gateway-checkout';
import init, { Checkout as WebCheckout, isCheckoutError as isWebCheckoutError } from 'gateway-checkout/web';

const checkout = new Checkout({
  gatewayUrl: 'https://3dsec.berekebank.kz/payment',
  token: 'public-open-id-token',
  language: 'kk',
  challengeMode: 'iframe',
  container: '#three-ds',
  timeouts: { methodMs: 10_000, requestMs: 30_000 },
  onStep: (step) => {
    const known: 'paying' | 'device_check' | 'authenticating' | 'challenge' | 'finishing' | 'checking_status' = step;
    void known;
  },
});

async function pay(orderId: string): Promise<PaymentStatus> {
  try {
    const outcome: PaymentOutcome = await checkout.payCard({ orderId, pan: '4444 5555 1111 3333', expiry: '12/30', cvc: '123', cardholder: 'A B' });
    if (outcome.status === 'declined') return outcome.reason ? 'declined' : 'declined';
    const orderStatus: number | undefined = outcome.orderStatus;
    void orderStatus;
    return outcome.status;
  } catch (e) {
    // Narrowed by instanceof or by the type guard, never by a cast.
    if (e instanceof CheckoutError) {
      const retry: boolean = e.retryable;
      const code: CheckoutError['code'] = e.code;
      const order: string | undefined = e.orderId;
      void retry; void code; void order;
    }
    if (isCheckoutError(e) && e.code === 'status_unknown') return 'pending';
    throw e;
  }
}
void pay;

const size: '01' | '02' | '03' | '04' | '05' = pickChallengeWindowSize(600, 400).code;
const tz: string = collectBrowserInfo().emvco.browserTZ;
const flow: 'frictionless' | 'challenge' | 'decoupled' = parseAssistThreeDsData({ challenge: 'F' }).flow;
const price: string = googlePayPaymentDataRequest({ amount: 100, currency: 'KZT', country: 'KZ', label: 'Shop', gateway: 'g', gatewayMerchantId: 'm' }).transactionInfo.totalPrice;
void size; void tz; void flow; void price;

// The web build: init() first, the same API and error helpers.
void init().then(() => new WebCheckout({ gatewayUrl: 'https://gw.example/payment', token: 't' }));
const guard: (v: unknown) => v is CheckoutError = isWebCheckoutError;
void guard;

// Types are real, not `any`: each of these must be a compile error.
// @ts-expect-error challengeMode is 'iframe' | 'redirect'
new Checkout({ gatewayUrl: 'https://gw.example/payment', token: 't', challengeMode: 'popup' });
// @ts-expect-error token is required
new Checkout({ gatewayUrl: 'https://gw.example/payment' });
// @ts-expect-error payCard needs the card's expiry
void checkout.payCard({ orderId: 'o', pan: '4444555511113333', cvc: '123', cardholder: 'A B' });
const paymentData = { paymentMethodData: { tokenizationData: { token: '{}' } } };
void checkout.payGooglePay({ merchant: 'm', orderNumber: 'n', paymentData, amount: 100, currencyCode: 'KZT', ip: '127.0.0.1' });
// @ts-expect-error payGooglePay needs the currency (google/payment.do would take roubles)
void checkout.payGooglePay({ merchant: 'm', orderNumber: 'n', paymentData, amount: 100, ip: '127.0.0.1' });
// @ts-expect-error an outcome's status is a closed union
const bad: PaymentOutcome['status'] = 'maybe';
void bad;
// @ts-expect-error CheckoutError is thrown by the module, never constructed
new CheckoutError();
