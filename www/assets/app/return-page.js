// The return page after a full-page (redirect) challenge: the bank sent the shopper here; resume()
// finishes the payment and the result page shows the outcome. (Inside the challenge iframe the page only
// posts a message to its parent: see frame.js, which each return page runs first.)

import { checkoutOptions, errorText, pending, progressList, showResult } from './flow.js';
import { h, mountShell, token, tr, translate, withFlags } from './shell.js';

export async function mountReturn({ load, root = document.getElementById('return') }) {
  mountShell('checkout');
  const steps = h('ol', { class: 'steps', id: 'steps' });
  const error = h('div', { class: 'alert', id: 'form-error', role: 'alert', hidden: true });
  const back = h('a', { class: 'button', href: document.referrer && new URL(document.referrer).origin === location.origin ? document.referrer : withFlags('/cart.html'), 'data-i18n': 'payAgain', hidden: true });
  root.replaceChildren(
    h('section', { class: 'panel progress', id: 'progress', 'aria-live': 'polite' }, h('h1', { 'data-i18n': 'resuming' }), steps),
    error, back);
  translate(document);
  const list = progressList(steps);
  list.step('finishing');
  try {
    const [mod, tok] = await Promise.all([load(), token()]);
    const returnUrl = location.origin + location.pathname;
    const checkout = new mod.Checkout(checkoutOptions({
      token: tok || '', mode: 'redirect', returnUrl, onStep: (s) => list.step(s),
    }));
    const outcome = await checkout.resume();
    list.finish(true);
    showResult(outcome);
  } catch (e) {
    list.finish(false);
    error.textContent = errorText(e);
    if (e && e.code) error.dataset.code = e.code;
    error.hidden = false;
    const p = pending();
    if (p && p.kind === 'npm') back.href = withFlags(new URL('./', location.href).pathname);
    else if (p) back.href = withFlags('/checkout.html');
    back.hidden = false;
    document.body.dataset.resumeError = (e && e.code) || 'error';
  }
}
