// The payment plumbing shared by the checkout and return pages: the merchant backend call, the Checkout's
// options, the progress list fed by onStep, and handing the outcome to the result page.

import { gatewayUrl, h, lang, tr, withFlags } from './shell.js';

const PENDING = 'gc-demo.pending';
const RESULT = 'gc-demo.result';
const ORDER = 'gc-demo.order';

/** The order this cart is being paid with. The gateway order is the idempotency key: every attempt
 *  (Pay again, a reload) pays this same order, and a new one is registered only when there is none or the
 *  cart changed. Forgotten once the payment has a final outcome. */
export function currentOrder({ amount, currency, twoStage }) {
  try {
    const o = JSON.parse(sessionStorage.getItem(ORDER) || 'null');
    const same = o && o.amount === amount && o.currency === currency && (twoStage === undefined || o.twoStage === twoStage);
    return same ? o : null;
  } catch { return null; }
}
export function keepOrder(o) { sessionStorage.setItem(ORDER, JSON.stringify(o)); }
export function forgetOrder() { sessionStorage.removeItem(ORDER); sessionStorage.removeItem('gc-demo.walletOrder'); }

/** The merchant's backend (served by the sandbox) registers the order with its password; the page only
 *  ever sees the orderId. */
export async function createOrder({ amount, currency, twoStage, returnUrl, description, clientId }) {
  const res = await fetch('/shop/orders', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ amount, currency, twoStage, returnUrl, failUrl: returnUrl, language: lang(), description, clientId }),
  });
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  if (!res.ok || !body || !body.orderId) {
    const why = (body && (body.error || body.errorMessage)) || `HTTP ${res.status}`;
    throw new Error(`${tr('errOrder')} ${why}`);
  }
  return body.orderId;
}

/** Options for `new Checkout(…)`; the return page is both the order's returnUrl/failUrl and the module's. */
export function checkoutOptions({ token, mode, container, returnUrl, onStep }) {
  const o = {
    gatewayUrl: gatewayUrl(),
    token,
    language: lang(),
    challengeMode: mode,
    returnUrl,
    failUrl: returnUrl,
    sandbox: true, // plain http to the loopback sandbox; never in production
    onStep,
  };
  // Demo and test hook: `?requestMs=…&statusWindowMs=…` shorten the waits for the sandbox's fault scenarios.
  const q = new URLSearchParams(location.search);
  const timeouts = {};
  for (const k of ['requestMs', 'statusWindowMs']) if (/^\d+$/.test(q.get(k) || '')) timeouts[k] = Number(q.get(k));
  if (Object.keys(timeouts).length) o.timeouts = timeouts;
  if (mode === 'iframe') o.container = container;
  return o;
}

export function savePending(p) { sessionStorage.setItem(PENDING, JSON.stringify(p)); }
export function pending() {
  try { return JSON.parse(sessionStorage.getItem(PENDING) || 'null'); } catch { return null; }
}

/** The shopper's saved cards, as the shop's server lists them (getBindings.do with its password). */
export async function savedCards(clientId) {
  try {
    const res = await fetch(`/shop/bindings?clientId=${encodeURIComponent(clientId)}`, { headers: { Accept: 'application/json' } });
    const body = await res.json();
    return Array.isArray(body.bindings) ? body.bindings : [];
  } catch { return []; }
}

/** The shopper's IP as the shop's server saw it (required by paymentOrderBinding.do and Google Pay). */
export async function shopperIp() {
  try {
    const res = await fetch('/shop/config', { headers: { Accept: 'application/json' } });
    return (await res.json()).clientIp || '127.0.0.1';
  } catch { return '127.0.0.1'; }
}

/** Keeps the outcome for the result page and goes there. */
export function showResult(outcome, extra = {}) {
  const p = pending() || {};
  sessionStorage.setItem(RESULT, JSON.stringify({ ...p, ...extra, outcome }));
  sessionStorage.removeItem(PENDING);
  forgetOrder();
  location.assign(withFlags(`/result.html?orderId=${encodeURIComponent(outcome.orderId || p.orderId || '')}`));
}
export function savedResult() {
  try { return JSON.parse(sessionStorage.getItem(RESULT) || 'null'); } catch { return null; }
}

/** A list of steps with a spinner on the current one; `step(code)` marks the ones before as done. */
export function progressList(list) {
  let current = null;
  const items = [];
  const render = () => {
    for (const li of items) li.querySelector('.label').textContent = tr(`step_${li.dataset.step}`);
  };
  window.addEventListener('langchange', render);
  return {
    step(code) {
      if (current && current.dataset.step === code) return;
      if (current) { current.className = 'done'; current.removeAttribute('aria-current'); }
      current = h('li', { class: 'current', 'data-step': code, 'aria-current': 'step' },
        h('span', { class: 'icon', 'aria-hidden': 'true' }), h('span', { class: 'label' }));
      items.push(current);
      list.append(current);
      list.dataset.current = code;
      render();
    },
    finish(ok = true) {
      if (current) { current.className = ok ? 'done' : 'failed'; current.removeAttribute('aria-current'); }
      current = null;
      delete list.dataset.current;
    },
    reset() { items.length = 0; current = null; list.replaceChildren(); delete list.dataset.current; },
  };
}

/** A module error (CheckoutError) or any other failure, as the shopper should read it. */
export function errorText(e) {
  if (e && typeof e.message === 'string' && e.message) return e.message;
  return String(e);
}
