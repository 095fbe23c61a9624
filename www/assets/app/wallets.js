// Apple Pay and Google Pay on the checkout page. The real wallets are never available in the sandbox (and
// the module never loads Apple's or Google's scripts), so each button shows the wallet request object the
// module builds for it and offers the sandbox's sample tokens instead, clearly labelled as such. Choosing one
// hands it to checkout.payApplePay / checkout.payGooglePay through the page's shared payment runner
// (checkout-page.js): same progress list, same challenge container, same result page.

import { shopperIp } from './flow.js';
import { h, lang, tr, translate } from './shell.js';

/** The demo merchant's wallet login (public) and the Google Pay gateway id of the sandbox bank. */
export const WALLET_MERCHANT = 'test_user';
export const GOOGLE_GATEWAY = 'sandboxbank';

/** The sandbox's sample tokens (sandbox/README.md "Wallet sample tokens"); `value: null` is a token of the
 *  wrong shape, which the module refuses before any request. */
export const SAMPLES = [
  { id: 'approve', value: 'sandbox:approve', key: 'sampleApprove' },
  { id: 'insufficient-funds', value: 'sandbox:insufficient-funds', key: 'sampleInsufficient' },
  { id: '3ds1', value: 'sandbox:3ds1', key: 'sample3ds1' },
  { id: '3ds2', value: 'sandbox:3ds2', key: 'sample3ds2' },
  { id: 'malformed', value: null, key: 'sampleMalformed' },
];

export const WALLETS = {
  apple: { id: 'apple', name: 'Apple Pay', requestKey: 'walletRequestApple' },
  google: { id: 'google', name: 'Google Pay', requestKey: 'walletRequestGoogle' },
};

/** Test hooks, only for this visit (never remembered): `?walletMerchant=…` pays as another wallet merchant,
 *  `?walletOrderNumber=…` fixes the orderNumber (to show the gateway refusing a used one). */
function hook(name) {
  const v = new URLSearchParams(location.search).get(name);
  return v && v.trim() ? v.trim() : null;
}
export const walletMerchant = () => hook('walletMerchant') || WALLET_MERCHANT;

const WALLET_ORDER = 'gc-demo.walletOrder';

/** The orderNumber of a wallet payment whose outcome is not known yet (an error after the request left):
 *  the wallet's idempotency key, so the next attempt of the same wallet and amount uses it again. Forgotten
 *  with a final outcome (flow.js showResult). */
export function keepWalletOrder(o) { sessionStorage.setItem(WALLET_ORDER, JSON.stringify(o)); }
export function forgetWalletOrder() { sessionStorage.removeItem(WALLET_ORDER); }
function walletOrder(wallet, amount) {
  try {
    const o = JSON.parse(sessionStorage.getItem(WALLET_ORDER) || 'null');
    return o && o.wallet === wallet && o.amount === amount ? o.orderNumber : null;
  } catch { return null; }
}

/** A fresh orderNumber for every new payment (the gateway refuses one it has seen): ≤ 32 chars of [a-z0-9-]. */
export function newOrderNumber() {
  const fixed = hook('walletOrderNumber');
  if (fixed) return fixed;
  const rnd = Math.random().toString(36).slice(2, 8).padEnd(6, '0');
  return `sc-${Date.now().toString(36)}-${rnd}`;
}

/** An Apple Pay PKPaymentToken as ApplePaySession's onpaymentauthorized would give it, with the sandbox's
 *  paymentData. (transactionAmount/currencyCode are what a decrypted token carries; the sandbox reads them.) */
export function appleToken(sample, { amount, currency }) {
  const paymentData = sample.value === null
    ? { version: 'EC_v1', signature: 'sandbox', header: { transactionId: 'sandbox' } } // no `data`: malformed
    : { version: 'EC_v1', data: sample.value, signature: 'sandbox', header: { transactionId: 'sandbox' }, transactionAmount: amount, currencyCode: currency };
  return {
    paymentData,
    paymentMethod: { displayName: 'Visa 0010', network: 'Visa', type: 'debit' },
    transactionIdentifier: 'sandbox',
  };
}

/** What Google Pay's loadPaymentData() would resolve to, with the sandbox's token. */
export function googlePaymentData(sample) {
  const token = sample.value === null
    ? 'sandbox:not-a-json-token' // not JSON: malformed
    : JSON.stringify({ protocolVersion: 'ECv2', signature: 'sandbox', signedMessage: sample.value });
  return {
    apiVersion: 2,
    apiVersionMinor: 0,
    paymentMethodData: {
      type: 'CARD',
      description: 'Visa •••• 0010',
      info: { cardNetwork: 'VISA', cardDetails: '0010' },
      tokenizationData: { type: 'PAYMENT_GATEWAY', token },
    },
  };
}

/** The wallet request object the module builds for a wallet (shown, since no real wallet takes it here). */
export function walletRequest(mod, wallet, { amount, currency }) {
  const input = { amount, currency, country: 'KZ', label: tr('shopName') };
  if (wallet === 'google') {
    return mod.googlePayPaymentDataRequest({ ...input, gateway: GOOGLE_GATEWAY, gatewayMerchantId: walletMerchant() });
  }
  return mod.applePayPaymentRequest(input);
}

/**
 * The call for one sample token: `(checkout) => promise of the outcome`, plus what to remember for the
 * result page. `returnUrl` is the checkout's return page (Google Pay's returnUrl/failUrl).
 */
export function walletPayment(wallet, sample, { amount, currency, returnUrl, preAuth, description }) {
  const orderNumber = walletOrder(wallet, amount) || newOrderNumber();
  keepWalletOrder({ wallet, amount, orderNumber });
  const common = { merchant: walletMerchant(), orderNumber, description, language: lang() };
  if (preAuth) common.preAuth = true;
  const pay = wallet === 'google'
    ? async (checkout) => checkout.payGooglePay({
      ...common, paymentData: googlePaymentData(sample), amount, currencyCode: currency, returnUrl, failUrl: returnUrl,
      ip: await shopperIp(), // required by google/payment.do: the shopper's IP as the shop's server saw it
    })
    : (checkout) => checkout.payApplePay({ ...common, paymentToken: appleToken(sample, { amount, currency }) });
  return { orderNumber, pay };
}

/**
 * The wallets section. `start(wallet, sample)` runs a payment (checkout-page.js); `module()` is the loaded
 * module or null. Returns { section, setReady(bool), setBusy(bool), showError(text, code), clearError() }.
 */
export function walletsSection({ start, module, amount, currency }) {
  let current = null;
  const error = h('div', { class: 'alert', id: 'wallet-error', role: 'alert', hidden: true });
  const request = h('pre', { class: 'wallet-request', id: 'wallet-request', tabIndex: 0 });
  const requestTitle = h('h3', { id: 'wallet-request-title' });
  const preAuth = h('input', { type: 'checkbox', id: 'wallet-preauth', name: 'wallet-preauth' });
  const sampleButtons = SAMPLES.map((s) => h('button', {
    type: 'button', class: `sample sample-${s.id}`, id: `wallet-sample-${s.id}`, 'data-sample': s.id, 'data-i18n': s.key,
    onclick: () => current && start(current, s, { preAuth: preAuth.checked }),
  }));
  const panel = h('div', { class: 'wallet-panel', id: 'wallet-panel', hidden: true, role: 'region', 'aria-labelledby': 'wallet-samples-title' },
    h('p', { class: 'wallet-unavailable', id: 'wallet-unavailable' }),
    h('details', { class: 'wallet-request-box', open: true },
      h('summary', {}, requestTitle),
      request),
    h('div', { class: 'samples', role: 'group', 'aria-labelledby': 'wallet-samples-title' },
      h('h3', { id: 'wallet-samples-title', class: 'sample-label', 'data-i18n': 'sampleTokensTitle' }),
      h('p', { class: 'hint', 'data-i18n': 'sampleTokensHint' }),
      h('div', { class: 'sample-buttons' }, sampleButtons),
      h('label', { class: 'check' }, preAuth, h('span', { 'data-i18n': 'walletPreAuth' }))),
    error);
  const walletButton = (w) => h('button', {
    type: 'button', class: `wallet-button wallet-${w.id}`, id: `${w.id}-pay-button`, 'data-wallet': w.id,
    'aria-pressed': 'false', 'aria-controls': 'wallet-panel', disabled: true, onclick: () => open(w.id),
  }, h('span', { text: w.name }));
  const buttons = { apple: walletButton(WALLETS.apple), google: walletButton(WALLETS.google) };
  const section = h('section', { class: 'panel wallets', id: 'wallets', 'data-wallets': 'ready' },
    h('h2', { 'data-i18n': 'walletsTitle' }),
    h('div', { class: 'wallet-buttons' }, buttons.apple, buttons.google),
    panel);

  function render() {
    if (!current) return;
    const w = WALLETS[current];
    document.getElementById('wallet-unavailable').textContent = tr('walletUnavailable').replace('{wallet}', w.name);
    requestTitle.textContent = tr(w.requestKey);
    const mod = module();
    try {
      request.textContent = mod ? JSON.stringify(walletRequest(mod, current, { amount, currency }), null, 2) : '…';
      delete request.dataset.error;
    } catch (e) {
      request.textContent = (e && e.message) || String(e);
      request.dataset.error = (e && e.code) || 'error';
    }
  }
  function open(wallet) {
    current = wallet;
    panel.hidden = false;
    panel.dataset.wallet = wallet;
    for (const [id, b] of Object.entries(buttons)) b.setAttribute('aria-pressed', String(id === wallet));
    clearError();
    render();
  }
  function showError(text, code) {
    error.textContent = text;
    error.hidden = false;
    if (code) error.dataset.code = code; else delete error.dataset.code;
  }
  function clearError() { error.hidden = true; error.textContent = ''; delete error.dataset.code; }
  window.addEventListener('langchange', render);
  translate(section);
  return {
    section,
    setReady(ready) { for (const b of Object.values(buttons)) b.disabled = !ready; },
    setBusy(busy) { for (const b of [...Object.values(buttons), ...sampleButtons]) b.disabled = busy; },
    showError,
    clearError,
  };
}
