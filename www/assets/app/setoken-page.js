// setoken.html: pay with a seToken. The card is encrypted in this page by the seToken module (pkg/setoken:
// createSeToken, RSA in its own .wasm, apart from the card module); the shop's server (the sandbox's
// POST /shop/pay-setoken) gets only the token and pays with paymentorder.do. It never sees the card.
// Then: a 3DS answer is shown (this demo server does not drive 3-D Secure), a payment goes to the result page
// with the order's status read from the gateway.

import { checkCvc, checkExpiry, checkNumber, digits, formatExpiry, formatNumber } from './card.js';
import { createOrder, errorText, progressList, showResult, savePending } from './flow.js';
import { gatewayUrl, h, lang, money, mountShell, orderTotal, PRODUCT, token, tr, translate, withFlags } from './shell.js';

const SETOKEN = '/pkg/setoken/setoken.js';

const field = (id, key, attrs) => {
  const input = h('input', { id, name: id, ...attrs, 'aria-describedby': `${id}-error` });
  return h('div', { class: `field field-${id}` },
    h('label', { for: id, 'data-i18n': key }),
    input,
    h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' }));
};

function defaultExpiry() {
  return `12/${String((new Date().getFullYear() + 3) % 100).padStart(2, '0')}`;
}

/** The module: fetched and instantiated once (init() finds setoken_bg.wasm next to the glue). */
async function loadSeToken() {
  const mod = await import(SETOKEN);
  await mod.default();
  return mod;
}

/** The merchant's backend pays the order with the token; its answer is the gateway's JSON. */
async function payWithToken(orderId, seToken) {
  const res = await fetch('/shop/pay-setoken', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ orderId, seToken, language: lang() }),
  });
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  if (!res.ok || !body || typeof body !== 'object') {
    throw new Error(`${tr('errServer')} ${(body && body.error) || `HTTP ${res.status}`}`);
  }
  return body;
}

/** The order's status from the gateway (the page's public Open ID token), as the result page shows it. */
async function orderOutcome(orderId, merchantToken) {
  const res = await fetch(`${gatewayUrl()}/rest/getOrderStatusExtended.do`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ orderId, token: merchantToken, language: lang() }),
    credentials: 'omit',
  });
  const st = await res.json();
  const status = { 1: 'authorized', 2: 'paid', 6: 'declined' }[st.orderStatus] || 'pending';
  return {
    status, orderId,
    orderStatus: st.orderStatus, actionCode: st.actionCode,
    maskedPan: st.cardAuthInfo && st.cardAuthInfo.maskedPan,
    reason: status === 'declined' ? st.actionCodeDescription || undefined : undefined,
  };
}

function mount(root = document.getElementById('setoken')) {
  mountShell('setoken');
  const moduleReady = loadSeToken(); // start fetching the .wasm at once
  const total = orderTotal();
  const here = new URL(withFlags(new URL('setoken.html', location.href).href.split('?')[0]), location.href).href;

  const number = field('card-number', 'cardNumber', { inputMode: 'numeric', autocomplete: 'cc-number', placeholder: '0000 0000 0000 0000', maxLength: 23 });
  const expiry = field('card-expiry', 'expiry', { inputMode: 'numeric', autocomplete: 'cc-exp', placeholder: 'MM/YY', maxLength: 7 });
  const cvc = field('card-cvc', 'cvc', { inputMode: 'numeric', autocomplete: 'cc-csc', placeholder: '123', maxLength: 4, type: 'password' });
  const inputs = { number: number.querySelector('input'), expiry: expiry.querySelector('input'), cvc: cvc.querySelector('input') };
  const formError = h('div', { class: 'alert', id: 'form-error', role: 'alert', hidden: true });
  const payButton = h('button', { type: 'submit', id: 'pay', class: 'primary', disabled: true },
    h('span', { 'data-i18n': 'setokenPay' }), ' ', h('span', { text: money(total.amount) }));
  const form = h('form', { id: 'card-form', class: 'panel', noValidate: true },
    h('h2', { 'data-i18n': 'cardTitle' }), number, h('div', { class: 'row' }, expiry, cvc), formError, payButton);

  const steps = h('ol', { class: 'steps', id: 'steps' });
  const progress = h('section', { class: 'panel progress', id: 'progress', hidden: true, 'aria-live': 'polite' },
    h('h2', { 'data-i18n': 'progressTitle' }), steps);
  // What the merchant's server got: the token (its start and length), never the card.
  const sentValue = h('code', { id: 'setoken-value' });
  const sent = h('section', { class: 'panel', id: 'setoken-sent', hidden: true },
    h('h2', { 'data-i18n': 'setokenSent' }), h('p', {}, 'seToken: ', sentValue));
  const tdsDetails = h('dl', { id: 'setoken-3ds-details' });
  const needs3ds = h('section', { class: 'panel', id: 'setoken-3ds', hidden: true, role: 'status' },
    h('h2', { 'data-i18n': 'setokenNeeds3ds' }), h('p', { 'data-i18n': 'setokenNeeds3dsText' }), tdsDetails,
    h('p', { class: 'actions' }, h('a', { class: 'button', href: withFlags('/checkout.html'), 'data-i18n': 'navCheckout' })));
  const cards = [['4444 5555 1111 3333', 'cardNo3ds'], ['5555 5555 5555 5599', 'card3ds2Challenge'], ['4000 0055 5555 5557', 'cardInsufficient']];
  const testCards = h('section', { class: 'panel test-cards', id: 'test-cards' },
    h('h2', { 'data-i18n': 'testCards' }),
    h('div', { class: 'table-wrap' }, h('table', {}, h('tbody', {}, cards.map(([pan, flow]) => h('tr', {},
      h('td', {}, h('code', { text: pan })), h('td', { 'data-i18n': flow }),
      h('td', {}, h('button', { type: 'button', class: 'link', 'data-i18n': 'useCard', 'data-pan': digits(pan), onclick: () => useCard(pan) }))))))));

  root.replaceChildren(
    h('h1', { 'data-i18n': 'setokenTitle' }),
    h('p', { class: 'hint', 'data-i18n': 'setokenIntro' }),
    form, progress, sent, needs3ds, testCards);
  translate(document);
  document.title = `${tr('setokenTitle')} — ${tr('shopName')}`;
  window.addEventListener('langchange', () => { document.title = `${tr('setokenTitle')} — ${tr('shopName')}`; });

  // ---- input behaviour and inline errors (the module checks the card again) ----
  const show = (input, key) => {
    const p = document.getElementById(`${input.id}-error`);
    p.textContent = key ? tr(key) : '';
    p.dataset.key = key || '';
    input.setAttribute('aria-invalid', key ? 'true' : 'false');
    input.closest('.field').classList.toggle('invalid', !!key);
    return !key;
  };
  const checks = {
    number: () => checkNumber(inputs.number.value),
    expiry: () => checkExpiry(inputs.expiry.value),
    cvc: () => checkCvc(inputs.cvc.value, inputs.number.value),
  };
  for (const [k, input] of Object.entries(inputs)) {
    input.addEventListener('blur', () => { if (input.value) show(input, checks[k]()); });
    input.addEventListener('input', () => { if (input.getAttribute('aria-invalid') === 'true') show(input, checks[k]()); });
  }
  inputs.number.addEventListener('input', () => { inputs.number.value = formatNumber(inputs.number.value); });
  inputs.expiry.addEventListener('input', (e) => { inputs.expiry.value = formatExpiry(inputs.expiry.value, e.inputType === 'deleteContentBackward'); });
  inputs.cvc.addEventListener('input', () => { inputs.cvc.value = digits(inputs.cvc.value); });
  window.addEventListener('langchange', () => {
    for (const input of Object.values(inputs)) {
      const p = document.getElementById(`${input.id}-error`);
      if (p.dataset.key) p.textContent = tr(p.dataset.key);
    }
  });

  function useCard(pan) {
    inputs.number.value = formatNumber(pan);
    if (!inputs.expiry.value) inputs.expiry.value = defaultExpiry();
    if (!inputs.cvc.value) inputs.cvc.value = '123';
    for (const input of Object.values(inputs)) show(input, null);
    inputs.number.focus();
  }

  function showError(text, code) {
    formError.textContent = text;
    formError.hidden = false;
    if (code) formError.dataset.code = code; else delete formError.dataset.code;
  }

  let mod = null;
  let merchantToken = null;
  Promise.all([moduleReady, token()]).then(([m, tok]) => {
    mod = m;
    merchantToken = tok;
    if (!tok) { showError(tr('errNoToken')); return; }
    payButton.disabled = false;
    document.body.dataset.ready = 'true';
  }, (e) => showError(`${tr('errModule')} ${errorText(e)}`));

  // The module's card codes point at their field.
  const FIELD_OF = { invalid_card_number: inputs.number, invalid_expiry: inputs.expiry, invalid_cvc: inputs.cvc };

  const list = progressList(steps);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    formError.hidden = true;
    needs3ds.hidden = true;
    let ok = true;
    for (const [k, input] of Object.entries(inputs)) {
      const good = show(input, checks[k]());
      if (!good && ok) input.focus();
      ok = ok && good;
    }
    if (!ok || !mod || !merchantToken) return;
    payButton.disabled = true;
    list.reset();
    progress.hidden = false;
    delete document.body.dataset.status;
    let orderId = null;
    try {
      list.step('order');
      orderId = await createOrder({
        amount: total.amount, currency: PRODUCT.currency, returnUrl: here,
        description: `${total.qty} × ${tr('productName')}`,
      });
      document.body.dataset.orderId = orderId;
      list.step('setoken_encrypt');
      const seToken = await mod.createSeToken({
        orderId,
        pan: inputs.number.value,
        expiry: inputs.expiry.value,
        cvc: inputs.cvc.value,
        gatewayUrl: gatewayUrl(), // its first key: GET {gatewayUrl}/se/keys.do
        sandbox: true, // plain http to the loopback sandbox; never in production
        language: lang(),
      });
      inputs.cvc.value = ''; // the page keeps no more of the card than it must
      sentValue.textContent = `${seToken.slice(0, 24)}… (${seToken.length} ${tr('setokenChars')})`;
      sent.hidden = false;
      list.step('setoken_server');
      const answer = await payWithToken(orderId, seToken);
      if (String(answer.errorCode ?? '0') !== '0') {
        list.finish(false);
        document.body.dataset.status = 'refused';
        showError(`${tr('setokenRefused')} ${answer.errorMessage || answer.errorCode}`, 'gateway_error');
        return;
      }
      if (answer.is3DSVer2 || answer.acsUrl) {
        list.finish(true);
        const row = (k, v) => (v ? h('div', { class: 'line' }, h('dt', { text: k }), h('dd', { text: String(v) })) : null);
        tdsDetails.replaceChildren(...[
          row('3-D Secure', answer.is3DSVer2 ? '2' : '1'),
          row('threeDSServerTransId', answer.threeDSServerTransId),
          row('threeDSMethodURLServer', answer.threeDSMethodURLServer),
          row('acsUrl', answer.acsUrl),
        ].filter(Boolean));
        needs3ds.hidden = false;
        document.body.dataset.status = 'needs_3ds';
        return;
      }
      list.step('checking_status');
      const outcome = await orderOutcome(orderId, merchantToken);
      list.finish(true);
      savePending({ orderId, amount: total.amount, currency: PRODUCT.currency, kind: 'setoken', lang: lang() });
      showResult(outcome, { amount: total.amount });
    } catch (e) {
      list.finish(false);
      showError(errorText(e), e && e.code);
      const input = e && FIELD_OF[e.code];
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        input.closest('.field').classList.add('invalid');
        input.focus();
      }
    } finally {
      payButton.disabled = false;
    }
  });
}

mount();
