// The checkout page, shared by the script-tag page (checkout.html) and the Vite-built npm page
// (npm-demo/): the same form, progress, challenge area and test-card list. The page passes `load`,
// which resolves to the module's exports ({Checkout, version}) however that page obtained them.

import { brandOf, checkCvc, checkExpiry, checkHolder, checkNumber, digits, formatExpiry, formatNumber, TEST_CARDS, TEST_CODE } from './card.js';
import { checkoutOptions, createOrder, currentOrder, errorText, keepOrder, progressList, savedCards, savePending, shopperIp, showResult } from './flow.js';
import { h, mode, money, mountShell, orderTotal, PRODUCT, setMode, shopperId, token, tr, translate, lang, withFlags } from './shell.js';
import { walletPayment, walletsSection, WALLETS } from './wallets.js';

const field = (id, key, { wrap, ...attrs } = {}) => {
  const input = h('input', { id, name: id, ...attrs, 'aria-describedby': `${id}-error` });
  return h('div', { class: `field field-${id}` },
    h('label', { for: id, 'data-i18n': key }),
    wrap ? wrap(input) : input,
    h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' }));
};

function defaultExpiry() {
  const y = (new Date().getFullYear() + 3) % 100;
  return `12/${String(y).padStart(2, '0')}`;
}

export function mountCheckout({ load, kind, root = document.getElementById('checkout') }) {
  mountShell('checkout');
  const moduleReady = load(); // start fetching the .wasm at once
  // The return page, with this page's sandbox flags (?csp=strict, ?unframeable=1: shell.js withFlags).
  const returnUrl = new URL(withFlags(new URL('return.html', location.href).href.split('?')[0]), location.href).href;
  const total = orderTotal();

  // ---- the form ----
  const brand = h('span', { class: 'brand-badge', id: 'card-brand', 'aria-live': 'polite' });
  const number = field('card-number', 'cardNumber', {
    inputMode: 'numeric', autocomplete: 'cc-number', placeholder: '0000 0000 0000 0000', maxLength: 23,
    wrap: (i) => h('div', { class: 'with-badge' }, i, brand),
  });
  const expiry = field('card-expiry', 'expiry', { inputMode: 'numeric', autocomplete: 'cc-exp', placeholder: 'MM/YY', maxLength: 7 });
  const cvc = field('card-cvc', 'cvc', { inputMode: 'numeric', autocomplete: 'cc-csc', placeholder: '123', maxLength: 4, type: 'password' });
  const holder = field('card-holder', 'holder', { autocomplete: 'cc-name', placeholder: 'IVAN PETROV', autocapitalize: 'characters', spellcheck: false });
  const email = field('email', 'email', { type: 'email', autocomplete: 'email', placeholder: 'you@example.com' });
  const inputs = {
    number: number.querySelector('input'), expiry: expiry.querySelector('input'), cvc: cvc.querySelector('input'),
    holder: holder.querySelector('input'), email: email.querySelector('input'),
  };
  const twoStage = h('input', { type: 'checkbox', id: 'two-stage', name: 'two-stage' });
  // "Don't save my card" as the seed's bindingNotNeeded: checked = the gateway may keep it for next time.
  const saveCard = h('input', { type: 'checkbox', id: 'save-card', name: 'save-card', checked: true });
  const modeRadio = (value, key) => h('label', { class: 'radio' },
    h('input', { type: 'radio', name: 'mode', value, id: `mode-${value}`, checked: mode() === value, onchange: () => setMode(value) }),
    h('span', { 'data-i18n': key }));
  const formError = h('div', { class: 'alert', id: 'form-error', role: 'alert', hidden: true });
  // After status_unknown: read the same order's status again (never a new order while it may be paid).
  const checkButton = h('button', { type: 'button', id: 'check-status', class: 'secondary', hidden: true, 'data-i18n': 'checkStatus', onclick: () => checkStatus(true) });
  const payLabel = h('span', { 'data-i18n': 'pay' });
  const payButton = h('button', { type: 'submit', id: 'pay', class: 'primary', disabled: true }, payLabel, ' ', h('span', { text: money(total.amount) }));

  const form = h('form', { id: 'card-form', class: 'panel', noValidate: true },
    h('h2', { 'data-i18n': 'cardTitle' }),
    number,
    h('div', { class: 'row' }, expiry, cvc),
    holder, email,
    h('label', { class: 'check' }, twoStage, h('span', { 'data-i18n': 'twoStage' })),
    h('label', { class: 'check' }, saveCard, h('span', { 'data-i18n': 'saveCard' })),
    h('fieldset', { class: 'mode' }, h('legend', { 'data-i18n': 'modeLabel' }), modeRadio('iframe', 'modeIframe'), modeRadio('redirect', 'modeRedirect')),
    formError,
    checkButton,
    payButton);

  // ---- saved cards (bindings): listed by the shop's server, paid with the CVC through payBinding ----
  const savedList = h('div', { class: 'saved-list', id: 'saved-list', role: 'radiogroup' });
  const savedCvc = h('input', { id: 'saved-cvc', name: 'saved-cvc', inputMode: 'numeric', autocomplete: 'cc-csc', placeholder: '123', maxLength: 4, type: 'password' });
  const savedError = h('div', { class: 'alert', id: 'saved-error', role: 'alert', hidden: true });
  const savedButton = h('button', { type: 'button', id: 'pay-saved', class: 'primary', 'data-i18n': 'payWithSaved' });
  const saved = h('section', { class: 'panel saved-cards', id: 'saved-cards', hidden: true },
    h('h2', { 'data-i18n': 'savedCards' }), savedList,
    h('div', { class: 'field' }, h('label', { for: 'saved-cvc', 'data-i18n': 'cvc' }), savedCvc),
    savedError, savedButton);

  // ---- progress and the challenge area (the Checkout's container: empty, but laid out full width, so the
  //      module can measure it and pick the challenge window size) ----
  const steps = h('ol', { class: 'steps', id: 'steps' });
  const progress = h('section', { class: 'panel progress', id: 'progress', hidden: true, 'aria-live': 'polite' },
    h('h2', { 'data-i18n': 'progressTitle' }), steps);
  const challengeHead = h('div', { class: 'challenge-head', hidden: true },
    h('h2', { 'data-i18n': 'challengeTitle' }), h('p', { 'data-i18n': 'challengeHint' }));
  const container = h('div', { id: 'challenge', class: 'challenge-container' });
  const challengeArea = h('section', { class: 'challenge-area', id: 'challenge-area' }, challengeHead, container);

  // ---- summary, wallets placeholder, test cards ----
  const summary = h('section', { class: 'panel summary' },
    h('h2', { 'data-i18n': 'orderSummary' }),
    h('div', { class: 'line' }, h('span', {}, `${total.qty} × `, h('span', { 'data-i18n': 'productName' })), h('span', { id: 'summary-amount', text: money(total.amount) })),
    h('div', { class: 'line total' }, h('span', { 'data-i18n': 'total' }), h('strong', { text: money(total.amount) })));
  // Apple Pay / Google Pay (wallets.js): sample tokens through the same runner as the card form.
  const walletUi = walletsSection({
    module: () => mod, amount: total.amount, currency: PRODUCT.currency,
    start: (wallet, sample, opts) => payWithWallet(wallet, sample, opts),
  });
  const wallets = walletUi.section;
  const cardsBody = h('tbody', {}, TEST_CARDS.map((c) => h('tr', {},
    h('td', {}, h('code', { text: c.pan })),
    h('td', { 'data-i18n': c.flow }),
    h('td', {}, h('button', { type: 'button', class: 'link', 'data-i18n': 'useCard', 'data-pan': digits(c.pan), onclick: () => useCard(c.pan) })))));
  const testCards = h('section', { class: 'panel test-cards', id: 'test-cards' },
    h('h2', { 'data-i18n': 'testCards' }),
    h('p', { class: 'hint' }, h('span', { 'data-i18n': 'testCardsHint' }), ' ', h('code', { text: TEST_CODE })),
    h('div', { class: 'table-wrap' }, h('table', {}, cardsBody)));

  root.replaceChildren(
    h('h1', { 'data-i18n': 'checkoutTitle' }),
    h('p', { class: 'page-kind', 'data-i18n': kind === 'npm' ? 'pageKindNpm' : 'pageKindScript', 'data-kind': kind }),
    summary, wallets, saved, form, progress, challengeArea, testCards);
  translate(document);

  // ---- input behaviour and inline errors ----
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
    holder: () => checkHolder(inputs.holder.value),
    email: () => (!inputs.email.value || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(inputs.email.value.trim()) ? null : 'errEmail'),
  };
  for (const [k, input] of Object.entries(inputs)) {
    input.addEventListener('blur', () => { if (input.value) show(input, checks[k]()); });
    input.addEventListener('input', () => { if (input.getAttribute('aria-invalid') === 'true') show(input, checks[k]()); });
  }
  const updateBrand = () => {
    const b = brandOf(inputs.number.value);
    brand.textContent = b.name;
    brand.dataset.brand = b.id;
    inputs.cvc.maxLength = b.cvc;
  };
  inputs.number.addEventListener('input', () => {
    const atEnd = inputs.number.selectionStart === inputs.number.value.length;
    const before = digits(inputs.number.value.slice(0, inputs.number.selectionStart)).length;
    inputs.number.value = formatNumber(inputs.number.value);
    if (!atEnd) { // keep the caret after the same digit
      let pos = 0; let seen = 0;
      while (pos < inputs.number.value.length && seen < before) { if (/\d/.test(inputs.number.value[pos])) seen++; pos++; }
      inputs.number.setSelectionRange(pos, pos);
    }
    updateBrand();
  });
  inputs.expiry.addEventListener('input', (e) => {
    inputs.expiry.value = formatExpiry(inputs.expiry.value, e.inputType === 'deleteContentBackward');
  });
  inputs.cvc.addEventListener('input', () => { inputs.cvc.value = digits(inputs.cvc.value); });
  inputs.holder.addEventListener('input', () => { inputs.holder.value = inputs.holder.value.toUpperCase(); });
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
    if (!inputs.holder.value) inputs.holder.value = 'IVAN PETROV';
    updateBrand();
    for (const input of Object.values(inputs)) show(input, null);
    form.scrollIntoView({ behavior: 'smooth', block: 'start' });
    inputs.number.focus();
  }

  // ---- the module ----
  let mod = null;
  let merchantToken = null;
  Promise.all([moduleReady, token()]).then(([m, tok]) => {
    mod = m;
    merchantToken = tok;
    const v = document.getElementById('module-version');
    if (v) v.textContent = m.version();
    if (!tok) { showError(tr('errNoToken')); return; }
    // A reload (or a second visit) while this cart's order may already be paid: its status first.
    const earlier = currentOrder({ ...total, currency: PRODUCT.currency });
    const check = earlier ? checkStatus(false) : Promise.resolve();
    check.finally(async () => {
      await showSavedCards();
      payButton.disabled = false;
      walletUi.setReady(true);
      document.body.dataset.ready = 'true';
    });
  }, (e) => {
    showError(`${tr('errModule')} ${errorText(e)}`);
  });

  function showError(text, code) {
    formError.textContent = text;
    formError.hidden = false;
    if (code) formError.dataset.code = code; else delete formError.dataset.code;
  }

  /** Reads the status of this cart's order (resume({orderId})): a final outcome goes to the result page;
   *  an order still unpaid stays this cart's order for the next attempt. */
  async function checkStatus(userAsked) {
    const o = currentOrder({ ...total, currency: PRODUCT.currency });
    if (!o || !mod) return;
    checkButton.disabled = true;
    try {
      const checkout = new mod.Checkout(checkoutOptions({ token: merchantToken, mode: 'redirect', returnUrl }));
      const outcome = await checkout.resume({ orderId: o.orderId });
      if (outcome.status !== 'pending') { showResult(outcome); return; }
      if (userAsked) showError(tr('stillUnconfirmed'), 'status_unknown');
    } catch (e) {
      if (userAsked) showError(errorText(e), e && e.code);
    } finally {
      checkButton.disabled = false;
    }
  }

  async function showSavedCards() {
    const cards = await savedCards(shopperId());
    savedList.replaceChildren(...cards.map((c, i) => h('label', { class: 'radio' },
      h('input', { type: 'radio', name: 'binding', value: c.bindingId, checked: i === 0 }),
      h('span', { text: `${c.maskedPan} · ${String(c.expiryDate || '').slice(4, 6)}/${String(c.expiryDate || '').slice(2, 4)}` }))));
    saved.hidden = cards.length === 0;
  }

  savedButton.addEventListener('click', async () => {
    const chosen = savedList.querySelector('input[name=binding]:checked');
    if (!chosen || !mod || !merchantToken) return;
    savedError.hidden = true;
    const ip = await shopperIp();
    await runPayment({
      show: (text, code) => { savedError.textContent = text; savedError.hidden = false; if (code) savedError.dataset.code = code; },
      prepare: () => orderForThisCart(),
      pay: (checkout, { orderId }) => checkout.payBinding({ orderId, bindingId: chosen.value, cvc: savedCvc.value, ip }),
    });
    savedCvc.value = '';
  });

  /** This cart's order: the one an earlier attempt registered (the idempotency key), else a new one. */
  async function orderForThisCart() {
    const earlier = currentOrder({ ...total, currency: PRODUCT.currency, twoStage: twoStage.checked });
    if (earlier) {
      document.body.dataset.orderId = earlier.orderId;
      return { orderId: earlier.orderId, twoStage: earlier.twoStage };
    }
    list.step('order');
    const orderId = await createOrder({
      amount: total.amount, currency: PRODUCT.currency, twoStage: twoStage.checked, returnUrl,
      description: `${total.qty} × ${tr('productName')}`, clientId: shopperId(),
    });
    keepOrder({ orderId, amount: total.amount, currency: PRODUCT.currency, twoStage: twoStage.checked });
    document.body.dataset.orderId = orderId;
    return { orderId, twoStage: twoStage.checked };
  }

  const list = progressList(steps);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    formError.hidden = true;
    let ok = true;
    for (const [k, input] of Object.entries(inputs)) {
      const good = show(input, checks[k]());
      if (!good && ok) input.focus();
      ok = ok && good;
    }
    if (!ok || !mod || !merchantToken) return;

    await runPayment({
      show: showError,
      // Pay again (after any error) and reloads pay the same order: it is the idempotency key.
      prepare: () => orderForThisCart(),
      pay: (checkout, { orderId }) => checkout.payCard({
        orderId,
        pan: inputs.number.value,
        expiry: inputs.expiry.value,
        cvc: inputs.cvc.value,
        cardholder: inputs.holder.value.trim(),
        email: inputs.email.value.trim() || undefined,
        saveCard: saveCard.checked,
      }),
    });
  });

  /** Runs one payment (card or wallet): progress, the Checkout with the page's mode and container, the
   *  challenge area, then the result page, or the module's message back on the page. */
  async function runPayment({ prepare, pay, show, wallet }) {
    const chosenMode = form.querySelector('input[name=mode]:checked').value;
    setMode(chosenMode);
    payButton.disabled = true;
    walletUi.setBusy(true);
    walletUi.clearError();
    checkButton.hidden = true;
    list.reset();
    progress.hidden = false;
    try {
      const info = await prepare();
      savePending({ orderId: info.orderId || null, amount: total.amount, currency: PRODUCT.currency, kind, mode: chosenMode, lang: lang(), twoStage: !!info.twoStage, wallet, orderNumber: info.orderNumber });
      const checkout = new mod.Checkout(checkoutOptions({
        token: merchantToken, mode: chosenMode, container, returnUrl,
        onStep: (step) => {
          list.step(wallet && step === 'paying' ? 'wallet_paying' : step);
          if (step === 'challenge') {
            if (chosenMode === 'iframe') {
              challengeHead.hidden = false;
              challengeArea.scrollIntoView({ block: 'start' });
            } else {
              list.step('redirecting');
            }
          } else {
            challengeHead.hidden = true;
          }
        },
      }));
      const paying = pay(checkout, info);
      // The module has read the card; the security code does not stay in the page after submission.
      inputs.cvc.value = '';
      // The module has measured the container by now; the form can make room for the bank's page.
      form.hidden = true;
      testCards.hidden = true;
      wallets.hidden = true;
      const outcome = await paying;
      list.finish(true);
      showResult(outcome);
    } catch (e) {
      list.finish(false);
      if (!steps.children.length) progress.hidden = true; // refused before any step (e.g. a malformed token)
      challengeHead.hidden = true;
      form.hidden = false;
      testCards.hidden = false;
      wallets.hidden = false;
      show(errorText(e), e && e.code);
      document.body.dataset.retryable = String(!!(e && e.retryable));
      // The payment may have gone through: offer to read the status again (same order).
      checkButton.hidden = !(e && e.code === 'status_unknown' && e.orderId);
      if (!wallet) {
        payLabel.dataset.i18n = 'payAgain';
        payLabel.textContent = tr('payAgain');
      }
      payButton.disabled = false;
      walletUi.setBusy(false);
    }
  }

  function payWithWallet(wallet, sample, { preAuth } = {}) {
    if (!mod || !merchantToken) return;
    formError.hidden = true;
    const { orderNumber, pay } = walletPayment(wallet, sample, {
      amount: total.amount, currency: PRODUCT.currency, returnUrl, preAuth,
      description: `${total.qty} × ${tr('productName')} (${WALLETS[wallet].name})`,
    });
    document.body.dataset.orderNumber = orderNumber;
    return runPayment({
      wallet,
      show: (text, code) => { walletUi.showError(text, code); wallets.scrollIntoView({ block: 'start' }); },
      prepare: async () => ({ orderNumber, twoStage: !!preAuth }),
      pay: (checkout) => pay(checkout),
    });
  }
}
