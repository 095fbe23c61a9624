// @ts-check
// The fixtures' page logic, copied into each browser fixture by tests/bundlers/run.mjs (it takes the module's
// exports as an argument, so it has no import of its own and each fixture's entry shows its import).
// The page reads ?gateway=…&token=… and gives the test driver `window.gcPay({ orderId, pan })`; the driver
// answers any challenge in the iframe put in #three-ds.

/** @typedef {typeof import('gateway-checkout')} Api */
/** What mount() uses, as the card-only build types it: the full build's Checkout has more and fits too. */
/** @typedef {typeof import('gateway-checkout/card')} CardApi */
/** @typedef {{ status?: import('gateway-checkout').PaymentStatus, orderStatus?: number, error?: string }} PayResult */

/**
 * @param {Pick<CardApi, 'Checkout' | 'version' | 'CheckoutError' | 'isCheckoutError'>} api
 * @param {string} entry the import this page used
 */
export function mount(api, entry) {
  const q = new URLSearchParams(location.search);
  const gatewayUrl = q.get('gateway') ?? '';
  const token = q.get('token') ?? '';
  const returnUrl = new URL('return.html', location.href).href;
  let container = document.getElementById('three-ds');
  if (!container) {
    container = document.createElement('div');
    container.id = 'three-ds';
    document.body.append(container);
  }
  container.style.width = '600px';
  container.style.height = '460px';

  // Errors are CheckoutErrors by instanceof and by the type guard.
  /** @type {string} */
  let refused = 'not thrown';
  try {
    new api.Checkout({ gatewayUrl: 'javascript:alert(1)', token: 't' });
  } catch (e) {
    if (e instanceof api.CheckoutError && api.isCheckoutError(e)) refused = `${e.code}/${e.retryable}`;
    else refused = `not a CheckoutError: ${String(e)}`;
  }

  /** @param {{ orderId: string, pan: string }} card @returns {Promise<PayResult>} */
  async function pay({ orderId, pan }) {
    const checkout = new api.Checkout({
      gatewayUrl, token, language: 'en', challengeMode: 'iframe', container: '#three-ds',
      returnUrl, failUrl: returnUrl, sandbox: true,
    });
    const year = String((new Date().getFullYear() + 3) % 100).padStart(2, '0');
    try {
      const outcome = await checkout.payCard({ orderId, pan, expiry: `12/${year}`, cvc: '123', cardholder: 'IVAN PETROV' });
      return { status: outcome.status, orderStatus: outcome.orderStatus };
    } catch (e) {
      if (api.isCheckoutError(e)) return { error: `${e.code}: ${e.message}` };
      throw e;
    }
  }
  /** @type {any} */ (window).gcPay = pay;

  // The shipped types are real, not `any`: each line below must be a compile error.
  if (refused === 'never') {
    // @ts-expect-error challengeMode is 'iframe' | 'redirect'
    new api.Checkout({ gatewayUrl, token, challengeMode: 'popup' });
    // @ts-expect-error payCard needs the expiry
    void new api.Checkout({ gatewayUrl, token }).payCard({ orderId: 'o', pan: '4444555511113333', cvc: '123', cardholder: 'A B' });
  }

  document.body.dataset.ready = JSON.stringify({ entry, version: api.version(), refused });
}

/**
 * The seToken page: `window.gcSeToken({ orderId, pan })` gives the token for the driver to pay with (as a
 * merchant's server would).
 * @param {{ createSeToken: typeof import('gateway-checkout/setoken').createSeToken, isCheckoutError: Api['isCheckoutError'] }} api
 * @param {string} entry the import this page used
 */
export async function mountSeToken(api, entry) {
  const q = new URLSearchParams(location.search);
  const gatewayUrl = q.get('gateway') ?? '';
  const year = String((new Date().getFullYear() + 3) % 100).padStart(2, '0');
  /** @param {{ orderId: string, pan: string }} card @returns {Promise<{ token?: string, error?: string }>} */
  async function seToken({ orderId, pan }) {
    try {
      return { token: await api.createSeToken({ orderId, pan, expiry: `12/${year}`, cvc: '123', gatewayUrl, sandbox: true }) };
    } catch (e) {
      if (api.isCheckoutError(e)) return { error: `${e.code}: ${e.message}` };
      throw e;
    }
  }
  /** @type {any} */ (window).gcSeToken = seToken;
  // Its errors are CheckoutErrors too.
  const bad = await seToken({ orderId: 'o', pan: '4444 5555 1111 3334' });
  // @ts-expect-error createSeToken needs the CVC
  if (bad.error === 'never') void api.createSeToken({ orderId: 'o', pan: '4444555511113333' });
  document.body.dataset.ready = JSON.stringify({ entry, refused: bad.error?.split(':')[0] ?? 'not refused' });
}
